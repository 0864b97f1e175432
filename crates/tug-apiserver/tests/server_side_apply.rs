//! managedFields on every write and server-side apply (`application/apply-patch+yaml`),
//! driven through the router as kubectl and client libraries drive kube-apiserver.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use support::{Api, Resp, admin};

const APPLY: &str = "application/apply-patch+yaml";
const DEPLOYS: &str = "/apis/apps/v1/namespaces/default/deployments";
const WEB: &str = "/apis/apps/v1/namespaces/default/deployments/web";
const KUBECTL_UA: &str = "kubectl.1.33/v1.33.0 (linux/amd64) kubernetes/8adc0f0";

async fn send(
    api: &Api,
    method: Method,
    uri: &str,
    ct: &str,
    ua: Option<&str>,
    body: &str,
) -> Resp {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, ct)
        .header(header::ACCEPT, "application/json");
    if let Some(ua) = ua {
        b = b.header(header::USER_AGENT, ua);
    }
    let mut req = b.body(Body::from(body.to_string())).expect("request");
    req.extensions_mut().insert(admin());
    api.send(req).await
}

async fn apply(api: &Api, query: &str, body: &str) -> Resp {
    send(
        api,
        Method::PATCH,
        &format!("{WEB}?{query}"),
        APPLY,
        Some(KUBECTL_UA),
        body,
    )
    .await
}

fn manifest(replicas: i64, image: &str) -> String {
    format!(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels:
    app: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: {image}
"#
    )
}

fn entries(obj: &Value) -> Vec<Value> {
    obj["metadata"]["managedFields"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn entry(obj: &Value, manager: &str, operation: &str) -> Option<Value> {
    entries(obj)
        .into_iter()
        .find(|e| e["manager"] == manager && e["operation"] == operation)
}

fn rv(obj: &Value) -> String {
    obj["metadata"]["resourceVersion"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn deployment_json(replicas: i64) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
        }
    })
}

#[tokio::test]
async fn apply_creates_a_missing_object_then_reapplying_is_a_no_op_and_changes_apply() {
    let api = Api::new().await;
    let r = apply(
        &api,
        "fieldManager=kubectl&fieldValidation=Strict&force=false",
        &manifest(2, "nginx:1.25"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let e = entry(&r.body, "kubectl", "Apply").expect("Apply entry");
    assert_eq!(e["apiVersion"], "apps/v1");
    assert_eq!(e["fieldsType"], "FieldsV1");
    assert!(e["time"].is_string());
    assert_eq!(
        e["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"],
        json!({"k:{\"name\":\"web\"}": {".": {}, "f:image": {}, "f:name": {}}})
    );
    assert_eq!(entries(&r.body).len(), 1, "{}", r.body);
    // Defaulted like any create.
    assert_eq!(r.body["spec"]["strategy"]["type"], "RollingUpdate");
    let first_rv = rv(&r.body);

    let again = apply(
        &api,
        "fieldManager=kubectl&fieldValidation=Strict&force=false",
        &manifest(2, "nginx:1.25"),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(rv(&again.body), first_rv, "an unchanged apply is a no-op");
    assert_eq!(entries(&again.body), entries(&r.body));

    let changed = apply(
        &api,
        "fieldManager=kubectl&force=false",
        &manifest(3, "nginx:1.26"),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["spec"]["replicas"], 3);
    assert_eq!(
        changed.body["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.26"
    );
    assert_ne!(rv(&changed.body), first_rv);
    assert_eq!(changed.body["metadata"]["generation"], 2);
}

#[tokio::test]
async fn apply_requires_a_field_manager_and_refuses_bad_configurations() {
    let api = Api::new().await;
    let r = apply(&api, "", &manifest(1, "nginx")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
    );
    let r = apply(
        &api,
        "fieldManager=kubectl",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["message"], "invalid object type: /v1, Kind=Pod");
    let with_mf = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","managedFields":[]}}"#;
    let r = apply(&api, "fieldManager=kubectl", with_mf).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["message"], "metadata.managedFields must be nil");
    let bogus = manifest(1, "nginx").replace("  replicas: 1\n", "  replicas: 1\n  bogus: true\n");
    let r = apply(&api, "fieldManager=kubectl&fieldValidation=Strict", &bogus).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        r.body["message"],
        "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema"
    );
    let r = apply(&api, "fieldManager=kubectl&fieldValidation=Warn", &bogus).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let warning = r.headers.get(header::WARNING).expect("warning");
    assert_eq!(warning, r#"299 - "unknown field \"spec.bogus\"""#);
    let dup_key = manifest(2, "nginx").replace(
        "      - name: web\n",
        "      - name: web\n      - name: web\n",
    );
    let r = apply(
        &api,
        "fieldManager=kubectl&fieldValidation=Strict",
        &dup_key,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["message"],
        "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name=\"web\"]"
    );
    let r = apply(&api, "fieldManager=kubectl", "a: [1\n").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("error decoding YAML: ")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_second_manager_conflicts_on_fields_it_would_change_and_force_takes_them() {
    let api = Api::new().await;
    let r = apply(&api, "fieldManager=kubectl", &manifest(2, "nginx")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let other =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n";
    let r = apply(&api, "fieldManager=other&force=false", other).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["reason"], "Conflict");
    assert_eq!(
        r.body["message"],
        "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"
    );
    assert_eq!(
        r.body["details"]["causes"],
        json!([{"reason": "FieldManagerConflict", "message": "conflict with \"kubectl\"", "field": ".spec.replicas"}])
    );
    let r = apply(&api, "fieldManager=other&force=true", other).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["spec"]["replicas"], 5);
    let other_entry = entry(&r.body, "other", "Apply").expect("other");
    assert_eq!(
        other_entry["fieldsV1"],
        json!({"f:spec": {"f:replicas": {}}})
    );
    let kubectl = entry(&r.body, "kubectl", "Apply").expect("kubectl");
    assert!(
        kubectl["fieldsV1"]["f:spec"].get("f:replicas").is_none(),
        "{kubectl}"
    );
    // kubectl applying its old replicas now conflicts with "other".
    let r = apply(&api, "fieldManager=kubectl", &manifest(2, "nginx")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.body["message"],
        "Apply failed with 1 conflict: conflict with \"other\": .spec.replicas"
    );
    // An Update manager is named with its version.
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?fieldManager=kubectl-edit"),
        "application/merge-patch+json",
        None,
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = apply(&api, "fieldManager=other", &manifest(5, "nginx:3")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.body["message"],
        "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.template.spec.containers[name=\"web\"].image"
    );
}

#[tokio::test]
async fn writes_record_update_entries_and_no_op_writes_change_nothing() {
    let api = Api::new().await;
    let r = send(
        &api,
        Method::POST,
        &format!("{DEPLOYS}?fieldManager=kubectl-create"),
        "application/json",
        Some(KUBECTL_UA),
        &deployment_json(2).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let create = entry(&r.body, "kubectl-create", "Update").expect("create entry");
    assert_eq!(create["apiVersion"], "apps/v1");
    // Defaulted fields belong to the creator, as upstream (defaulting precedes recording).
    let spec = &create["fieldsV1"]["f:spec"];
    assert!(spec.get("f:progressDeadlineSeconds").is_some(), "{create}");
    assert!(
        spec["f:strategy"]["f:rollingUpdate"].get(".").is_some(),
        "{create}"
    );
    assert!(
        spec["f:template"]["f:spec"].get("f:dnsPolicy").is_some(),
        "{create}"
    );
    assert!(
        create["fieldsV1"]["f:metadata"]["f:labels"]
            .get(".")
            .is_some()
    );
    assert!(spec.get(".").is_none() && spec["f:template"].get(".").is_none());

    // kubectl label: a merge patch recorded for kubectl-label.
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?fieldManager=kubectl-label"),
        "application/merge-patch+json",
        Some(KUBECTL_UA),
        r#"{"metadata":{"labels":{"env":"prod"}}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let label = entry(&r.body, "kubectl-label", "Update").expect("label entry");
    assert_eq!(
        label["fieldsV1"],
        json!({"f:metadata": {"f:labels": {"f:env": {}}}})
    );
    let before = r.body.clone();

    // The same label again: nothing changes, not even a time.
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?fieldManager=kubectl-label"),
        "application/merge-patch+json",
        Some(KUBECTL_UA),
        r#"{"metadata":{"labels":{"env":"prod"}}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(rv(&r.body), rv(&before));
    assert_eq!(entries(&r.body), entries(&before));

    // A PUT of the object as read (kubectl replace) is a no-op too.
    let r = send(
        &api,
        Method::PUT,
        &format!("{WEB}?fieldManager=kubectl-replace"),
        "application/json",
        Some(KUBECTL_UA),
        &before.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(rv(&r.body), rv(&before));

    // Removing the label removes it from its owner, whose entry disappears.
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?fieldManager=kubectl-label"),
        "application/merge-patch+json",
        Some(KUBECTL_UA),
        r#"{"metadata":{"labels":{"env":null}}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        entry(&r.body, "kubectl-label", "Update").is_none(),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_manager_defaults_to_the_user_agent_and_subresources_get_their_entries() {
    let api = Api::new().await;
    let r = send(
        &api,
        Method::POST,
        DEPLOYS,
        "application/json",
        Some(KUBECTL_UA),
        &deployment_json(2).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(
        entry(&r.body, "kubectl.1.33", "Update").is_some(),
        "{}",
        r.body
    );
    let r = send(
        &api,
        Method::POST,
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        None,
        r#"{"metadata":{"name":"c"},"data":{"a":"1"}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(entry(&r.body, "unknown", "Update").is_some(), "{}", r.body);
    let r = send(
        &api,
        Method::POST,
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        Some("python-requests/2.31"),
        r#"{"metadata":{"name":"d"},"data":{"a":"1"}}"#,
    )
    .await;
    assert!(
        entry(&r.body, "python-requests", "Update").is_some(),
        "{}",
        r.body
    );
    let long = "m".repeat(129);
    let r = send(
        &api,
        Method::POST,
        &format!("/api/v1/namespaces/default/configmaps?fieldManager={long}"),
        "application/json",
        None,
        r#"{"metadata":{"name":"e"}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["message"],
        "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: must have at most 128 bytes"
    );
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?force=true"),
        "application/merge-patch+json",
        None,
        "{}",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"
    );

    // kubectl scale sends no fieldManager: the User-Agent names the manager.
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}/scale"),
        "application/merge-patch+json",
        Some(KUBECTL_UA),
        r#"{"spec":{"replicas":4}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = api.get(WEB).await.body;
    let scale = entries(&d)
        .into_iter()
        .find(|e| e["subresource"] == "scale")
        .expect("scale entry");
    assert_eq!(scale["manager"], "kubectl.1.33");
    assert_eq!(scale["operation"], "Update");
    assert_eq!(scale["fieldsV1"], json!({"f:spec": {"f:replicas": {}}}));
    let creator = entry(&d, "kubectl.1.33", "Update").expect("creator");
    assert!(
        creator["fieldsV1"]["f:spec"].get("f:replicas").is_none(),
        "{creator}"
    );

    // A status write is recorded for the status subresource, and only its status fields.
    let mut status = d.clone();
    status["status"] = json!({"replicas": 4, "observedGeneration": 1});
    let r = send(
        &api,
        Method::PUT,
        &format!("{WEB}/status?fieldManager=kube-controller-manager"),
        "application/json",
        None,
        &status.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let st = entries(&r.body)
        .into_iter()
        .find(|e| e["subresource"] == "status")
        .expect("status entry");
    assert_eq!(st["manager"], "kube-controller-manager");
    assert_eq!(
        st["fieldsV1"],
        json!({"f:status": {"f:observedGeneration": {}, "f:replicas": {}}})
    );
}

#[tokio::test]
async fn managed_fields_are_replaced_only_by_valid_sets_and_reset_by_an_empty_list() {
    let api = Api::new().await;
    let r = send(
        &api,
        Method::POST,
        &format!("{DEPLOYS}?fieldManager=creator"),
        "application/json",
        None,
        &deployment_json(1).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let original = entries(&r.body);
    // Invalid entries in a request are ignored: the stored ones stay.
    let r = send(&api, Method::PATCH, &format!("{WEB}?fieldManager=x"), "application/merge-patch+json", None,
        r#"{"metadata":{"managedFields":[{"manager":"m","operation":"Bogus","apiVersion":"v1","fieldsType":"FieldsV1"}]}}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(entries(&r.body), original);
    // `[{}]` resets them.
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?fieldManager=x"),
        "application/merge-patch+json",
        None,
        r#"{"metadata":{"managedFields":[{}]}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body["metadata"].get("managedFields").is_none(),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn kubectls_client_side_to_server_side_apply_upgrade_works() {
    let api = Api::new().await;
    // 1. `kubectl apply -f` (client-side): a create with the last-applied annotation.
    let mut manifest_json = deployment_json(2);
    manifest_json["metadata"]["namespace"] = json!("default");
    let mut annotated = manifest_json.clone();
    annotated["metadata"]["annotations"] = json!({
        "kubectl.kubernetes.io/last-applied-configuration": format!("{}\n", manifest_json)
    });
    let r = send(
        &api,
        Method::POST,
        &format!("{DEPLOYS}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"),
        "application/json",
        Some(KUBECTL_UA),
        &annotated.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let csa = entry(&r.body, "kubectl-client-side-apply", "Update").expect("csa");
    assert!(
        csa["fieldsV1"]["f:metadata"]["f:annotations"]
            .get("f:kubectl.kubernetes.io/last-applied-configuration")
            .is_some()
    );

    // 2. `kubectl apply --server-side` with a change: request 1, the manifest.
    let mut changed = manifest_json.clone();
    changed["spec"]["replicas"] = json!(3);
    let r = apply(
        &api,
        "fieldManager=kubectl&fieldValidation=Strict&force=false",
        &changed.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["spec"]["replicas"], 3);
    let annotation =
        r.body["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .as_str()
            .expect("annotation kept up to date")
            .to_string();
    assert_eq!(
        serde_json::from_str::<Value>(&annotation).expect("json"),
        changed
    );

    // Request 2: the annotation, by kubectl-last-applied.
    let just_annotation = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default",
                     "annotations": {"kubectl.kubernetes.io/last-applied-configuration": annotation}}});
    let r = apply(
        &api,
        "fieldManager=kubectl-last-applied&fieldValidation=Strict",
        &just_annotation.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(entry(&r.body, "kubectl-last-applied", "Apply").is_some());

    // Request 3: csaupgrade's JSON patch, with a stale resourceVersion first.
    let obj = r.body.clone();
    let mut upgraded: Vec<Value> = entries(&obj)
        .into_iter()
        .filter(|e| e["manager"] != "kubectl-client-side-apply")
        .collect();
    let csa_fields =
        entry(&obj, "kubectl-client-side-apply", "Update").expect("csa")["fieldsV1"].clone();
    for e in upgraded.iter_mut() {
        if e["manager"] == "kubectl" && e["operation"] == "Apply" {
            let mut f = e["fieldsV1"].clone();
            merge_json(&mut f, &csa_fields);
            e["fieldsV1"] = f;
        }
    }
    let stale = json!([
        {"op": "replace", "path": "/metadata/managedFields", "value": upgraded},
        {"op": "replace", "path": "/metadata/resourceVersion", "value": "1"}
    ]);
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?fieldManager=kubectl&fieldValidation=Strict"),
        "application/json-patch+json",
        Some(KUBECTL_UA),
        &stale.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let patch = json!([
        {"op": "replace", "path": "/metadata/managedFields", "value": upgraded},
        {"op": "replace", "path": "/metadata/resourceVersion", "value": rv(&obj)}
    ]);
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}?fieldManager=kubectl&fieldValidation=Strict"),
        "application/json-patch+json",
        Some(KUBECTL_UA),
        &patch.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        entry(&r.body, "kubectl-client-side-apply", "Update").is_none(),
        "{}",
        r.body
    );

    // Request 4: the manifest again.
    let r = apply(
        &api,
        "fieldManager=kubectl&fieldValidation=Strict&force=false",
        &changed.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(entry(&r.body, "kubectl-client-side-apply", "Update").is_none());
    let owners: Vec<String> = entries(&r.body)
        .iter()
        .filter(|e| {
            e["fieldsV1"]["f:metadata"]["f:annotations"]
                .get("f:kubectl.kubernetes.io/last-applied-configuration")
                .is_some()
        })
        .map(|e| e["manager"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(owners, ["kubectl-last-applied"]);
    assert!(
        r.body["metadata"]["annotations"]
            .get("kubectl.kubernetes.io/last-applied-configuration")
            .is_some()
    );
}

#[tokio::test]
async fn dry_run_apply_stores_nothing() {
    let api = Api::new().await;
    let r = apply(
        &api,
        "fieldManager=kubectl&dryRun=All",
        &manifest(1, "nginx"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(entry(&r.body, "kubectl", "Apply").is_some());
    assert_eq!(api.get(WEB).await.status, StatusCode::NOT_FOUND);
    let r = apply(&api, "fieldManager=kubectl", &manifest(1, "nginx")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r2 = apply(
        &api,
        "fieldManager=kubectl&dryRun=All",
        &manifest(7, "nginx"),
    )
    .await;
    assert_eq!(r2.status, StatusCode::OK);
    assert_eq!(r2.body["spec"]["replicas"], 7);
    assert_eq!(api.get(WEB).await.body["spec"]["replicas"], 1);
    assert_eq!(rv(&api.get(WEB).await.body), rv(&r.body));
}

/// Merges FieldsV1 trees (a union of two sets), as csaupgrade's `Union` does.
fn merge_json(into: &mut Value, from: &Value) {
    if let (Value::Object(a), Value::Object(b)) = (into, from) {
        for (k, v) in b {
            match a.get_mut(k) {
                Some(x) => merge_json(x, v),
                None => {
                    a.insert(k.clone(), v.clone());
                }
            }
        }
    }
}

#[tokio::test]
async fn apply_to_status_records_a_status_entry_and_cannot_create() {
    let api = Api::new().await;
    let status = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"status":{"replicas":1}}"#;
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}/status?fieldManager=ctl"),
        APPLY,
        None,
        status,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = apply(&api, "fieldManager=kubectl", &manifest(1, "nginx")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}/status?fieldManager=ctl"),
        APPLY,
        None,
        status,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"]["replicas"], 1);
    let e = entries(&r.body)
        .into_iter()
        .find(|e| e["manager"] == "ctl")
        .expect("status entry");
    assert_eq!(e["operation"], "Apply");
    assert_eq!(e["subresource"], "status");
    assert_eq!(e["fieldsV1"], json!({"f:status": {"f:replicas": {}}}));
    // Apply to the main resource never owns status.
    let with_status = format!("{}status:\n  replicas: 7\n", manifest(1, "nginx"));
    let r = apply(&api, "fieldManager=kubectl", &with_status).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"]["replicas"], 1);
    let k = entry(&r.body, "kubectl", "Apply").expect("kubectl");
    assert!(k["fieldsV1"].get("f:status").is_none(), "{k}");
    // Apply of a Scale is refused.
    let r = send(
        &api,
        Method::PATCH,
        &format!("{WEB}/scale?fieldManager=x"),
        APPLY,
        None,
        "apiVersion: autoscaling/v1\nkind: Scale\nspec:\n  replicas: 2\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}
