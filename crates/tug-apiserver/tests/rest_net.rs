//! REST behaviour of the discovery, events, networking, storage, scheduling and RBAC kinds,
//! in-process on the memory store: upstream's defaulting, validation messages, tables, the
//! built-in PriorityClasses, and `events.k8s.io/v1` Events sharing the core Event storage.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, Resp, next_event};

const CORE_EVENTS: &str = "/api/v1/namespaces/default/events";
const V1_EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";
const INGRESSES: &str = "/apis/networking.k8s.io/v1/namespaces/default/ingresses";
const NETPOLS: &str = "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies";
const INGRESS_CLASSES: &str = "/apis/networking.k8s.io/v1/ingressclasses";
const SLICES: &str = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";
const STORAGE_CLASSES: &str = "/apis/storage.k8s.io/v1/storageclasses";
const PRIORITY_CLASSES: &str = "/apis/scheduling.k8s.io/v1/priorityclasses";
const ROLES: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles";
const ROLE_BINDINGS: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings";
const CLUSTER_ROLES: &str = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
const CLUSTER_ROLE_BINDINGS: &str = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

fn core_event(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Event",
           "metadata": {"name": name, "namespace": "default"},
           "involvedObject": {"kind": "Pod", "name": "nginx", "namespace": "default"},
           "reason": "Pulled", "message": "Successfully pulled image", "type": "Normal",
           "source": {"component": "kubelet", "host": "node-1"},
           "firstTimestamp": "2026-01-02T03:00:00Z", "lastTimestamp": "2026-01-02T03:01:00Z",
           "count": 3})
}

fn v1_event(name: &str) -> Value {
    json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
           "metadata": {"name": name, "namespace": "default"},
           "eventTime": "2026-01-02T03:04:05.000000Z",
           "reportingController": "example.com/scaler", "reportingInstance": "scaler-1",
           "action": "Scale", "reason": "Scaled", "type": "Normal", "note": "scaled web to 3",
           "regarding": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                         "namespace": "default"}})
}

async fn table(api: &Api, uri: &str) -> Resp {
    api.send(api.request(Method::GET, uri, "application/json", "", TABLE))
        .await
}

fn column_names(t: &Value) -> Vec<String> {
    t["columnDefinitions"]
        .as_array()
        .expect("columns")
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect()
}

fn message(r: &Resp) -> &str {
    r.body["message"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_core_event_reads_back_through_events_k8s_io() {
    let api = Api::new().await;
    let r = api.post(CORE_EVENTS, core_event("nginx.1")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v1 = api.get(&format!("{V1_EVENTS}/nginx.1")).await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.body);
    let b = &v1.body;
    assert_eq!(b["apiVersion"], "events.k8s.io/v1");
    assert_eq!(b["note"], "Successfully pulled image");
    assert_eq!(b["regarding"]["name"], "nginx");
    assert_eq!(
        b["deprecatedSource"],
        json!({"component": "kubelet", "host": "node-1"})
    );
    assert_eq!(b["deprecatedFirstTimestamp"], "2026-01-02T03:00:00Z");
    assert_eq!(b["deprecatedLastTimestamp"], "2026-01-02T03:01:00Z");
    assert_eq!(b["deprecatedCount"], 3);
    assert!(b.get("message").is_none() && b.get("involvedObject").is_none());
    assert_eq!(
        b["metadata"]["resourceVersion"],
        r.body["metadata"]["resourceVersion"]
    );
    assert_eq!(b["metadata"]["uid"], r.body["metadata"]["uid"]);
}

#[tokio::test]
async fn an_events_k8s_io_event_reads_back_through_core_v1() {
    let api = Api::new().await;
    let r = api.post(V1_EVENTS, v1_event("web.1")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["apiVersion"], "events.k8s.io/v1");
    assert_eq!(r.body["note"], "scaled web to 3");
    assert_eq!(r.body["deprecatedSource"], json!({}));
    let core = api.get(&format!("{CORE_EVENTS}/web.1")).await;
    assert_eq!(core.status, StatusCode::OK, "{}", core.body);
    let b = &core.body;
    assert_eq!(b["apiVersion"], "v1");
    assert_eq!(b["message"], "scaled web to 3");
    assert_eq!(b["involvedObject"]["kind"], "Deployment");
    assert_eq!(b["reportingComponent"], "example.com/scaler");
    assert_eq!(b["reportingInstance"], "scaler-1");
    assert_eq!(b["eventTime"], "2026-01-02T03:04:05.000000Z");
    assert_eq!(b["action"], "Scale");
    // Both groups list the one storage.
    api.post(CORE_EVENTS, core_event("nginx.1")).await;
    for uri in [CORE_EVENTS, V1_EVENTS] {
        let l = api.get(uri).await;
        let names: Vec<&str> = l.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["metadata"]["name"].as_str())
            .collect();
        assert_eq!(names, ["nginx.1", "web.1"], "{uri}");
    }
    // An update through events.k8s.io can move the series but not the note.
    let mut update = r.body.clone();
    update["series"] = json!({"count": 2, "lastObservedTime": "2026-01-02T03:05:00.000000Z"});
    let u = api.put(&format!("{V1_EVENTS}/web.1"), update.clone()).await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.body);
    assert_eq!(
        api.get(&format!("{CORE_EVENTS}/web.1")).await.body["series"]["count"],
        2
    );
    update["note"] = json!("other");
    update["metadata"]["resourceVersion"] = u.body["metadata"]["resourceVersion"].clone();
    let u = api.put(&format!("{V1_EVENTS}/web.1"), update).await;
    assert_eq!(u.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", u.body);
    assert_eq!(
        message(&u),
        "Event.events.k8s.io \"web.1\" is invalid: message: Invalid value: \"other\": field is immutable"
    );
}

#[tokio::test]
async fn events_k8s_io_validates_new_events_strictly() {
    let api = Api::new().await;
    let mut ev = v1_event("bad");
    ev.as_object_mut().expect("object").remove("eventTime");
    ev["deprecatedCount"] = json!(2);
    let r = api.post(V1_EVENTS, ev).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let causes: Vec<&str> = r.body["details"]["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(causes, ["eventTime", "count"]);
    // The same fields are fine through core/v1 (legacy validation only).
    let r = api.post(CORE_EVENTS, core_event("legacy")).await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_watch_through_either_group_sees_events_written_through_both() {
    let api = Api::new().await;
    let mut v1_watch = api.watch(&format!("{V1_EVENTS}?watch=true")).await;
    let mut core_watch = api.watch(&format!("{CORE_EVENTS}?watch=true")).await;
    api.post(CORE_EVENTS, core_event("nginx.1")).await;
    api.post(V1_EVENTS, v1_event("web.1")).await;

    let a = next_event(&mut v1_watch).await;
    assert_eq!(a["type"], "ADDED");
    assert_eq!(a["object"]["apiVersion"], "events.k8s.io/v1");
    assert_eq!(a["object"]["note"], "Successfully pulled image");
    let b = next_event(&mut v1_watch).await;
    assert_eq!(b["object"]["metadata"]["name"], "web.1");
    assert_eq!(b["object"]["reportingController"], "example.com/scaler");

    let a = next_event(&mut core_watch).await;
    assert_eq!(a["object"]["apiVersion"], "v1");
    assert_eq!(a["object"]["message"], "Successfully pulled image");
    let b = next_event(&mut core_watch).await;
    assert_eq!(b["object"]["metadata"]["name"], "web.1");
    assert_eq!(b["object"]["message"], "scaled web to 3");
    assert_eq!(b["object"]["reportingComponent"], "example.com/scaler");

    // Field selectors use each group's names.
    let sel = api
        .get(&format!("{V1_EVENTS}?fieldSelector=regarding.name%3Dweb"))
        .await;
    assert_eq!(sel.body["items"].as_array().map(Vec::len), Some(1));
    let sel = api
        .get(&format!(
            "{CORE_EVENTS}?fieldSelector=involvedObject.name%3Dweb"
        ))
        .await;
    assert_eq!(sel.body["items"].as_array().map(Vec::len), Some(1));
    let t = table(&api, V1_EVENTS).await;
    assert_eq!(
        &column_names(&t.body)[..4],
        ["Last Seen", "Type", "Reason", "Object"]
    );
}

#[tokio::test]
async fn ingresses_require_path_types_and_keep_status_and_generation_as_upstream() {
    let api = Api::new().await;
    let bad = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "web"},
        "spec": {"rules": [{"host": "web.example.com", "http": {"paths": [
            {"path": "/", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}});
    let r = api.post(INGRESSES, bad.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        message(&r),
        "Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"
    );
    let mut good = bad;
    good["spec"]["rules"][0]["http"]["paths"][0]["pathType"] = json!("Prefix");
    good["status"] = json!({"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}});
    let r = api.post(INGRESSES, good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], json!({"loadBalancer": {}}));
    assert_eq!(r.body["metadata"]["generation"], 1);

    let mut st = r.body.clone();
    st["status"] = json!({"loadBalancer": {"ingress": [{"ip": "10.0.0.7"}]}});
    let s = api.put(&format!("{INGRESSES}/web/status"), st).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert_eq!(s.body["metadata"]["generation"], 1);

    let p = api
        .patch(
            &format!("{INGRESSES}/web"),
            "application/merge-patch+json",
            json!({"spec": {"ingressClassName": "nginx"}, "status": null}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["metadata"]["generation"], 2);
    assert_eq!(
        p.body["status"]["loadBalancer"]["ingress"][0]["ip"],
        "10.0.0.7"
    );

    let t = table(&api, INGRESSES).await;
    assert_eq!(
        column_names(&t.body),
        ["Name", "Class", "Hosts", "Address", "Ports", "Age"]
    );
    assert_eq!(
        &t.body["rows"][0]["cells"].as_array().expect("cells")[..5],
        &[
            json!("web"),
            json!("nginx"),
            json!("web.example.com"),
            json!("10.0.0.7"),
            json!("80")
        ]
    );
}

#[tokio::test]
async fn network_policies_get_policy_types_and_tcp_ports() {
    let api = Api::new().await;
    let r = api
        .post(
            NETPOLS,
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": "dns"},
                   "spec": {"podSelector": {"matchLabels": {"app": "web"}},
                            "egress": [{"ports": [{"port": 53}]}]}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["spec"]["policyTypes"], json!(["Ingress", "Egress"]));
    assert_eq!(r.body["spec"]["egress"][0]["ports"][0]["protocol"], "TCP");
    assert_eq!(r.body["metadata"]["generation"], 1);
    let r = api
        .post(
            NETPOLS,
            json!({"metadata": {"name": "bad"},
                   "spec": {"ingress": [{"from": [{}], "ports": [{"protocol": "ICMP"}]}]}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        message(&r),
        "NetworkPolicy.networking.k8s.io \"bad\" is invalid: [spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\", spec.ingress[0].from[0]: Required value: must specify a peer]"
    );
    let t = table(&api, NETPOLS).await;
    assert_eq!(column_names(&t.body), ["Name", "Pod-Selector", "Age"]);
    assert_eq!(t.body["rows"][0]["cells"][1], "app=web");
}

#[tokio::test]
async fn ingress_classes_need_a_controller_that_never_changes() {
    let api = Api::new().await;
    let r = api
        .post(
            INGRESS_CLASSES,
            json!({"metadata": {"name": "nginx"}, "spec": {}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&r),
        "IngressClass.networking.k8s.io \"nginx\" is invalid: spec.controller: Required value"
    );
    let r = api
        .post(
            INGRESS_CLASSES,
            json!({"metadata": {"name": "nginx"},
                   "spec": {"controller": "k8s.io/ingress-nginx",
                            "parameters": {"kind": "Params", "name": "p"}}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["spec"]["parameters"]["scope"], "Cluster");
    let p = api
        .patch(
            &format!("{INGRESS_CLASSES}/nginx"),
            "application/merge-patch+json",
            json!({"spec": {"controller": "example.com/other"}}),
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&p),
        "IngressClass.networking.k8s.io \"nginx\" is invalid: spec.controller: Invalid value: \"example.com/other\": field is immutable"
    );
    let t = table(&api, INGRESS_CLASSES).await;
    assert_eq!(
        column_names(&t.body),
        ["Name", "Controller", "Parameters", "Age"]
    );
    assert_eq!(t.body["rows"][0]["cells"][2], "Params/p");
}

#[tokio::test]
async fn storage_classes_default_their_policies_and_forbid_changing_them() {
    let api = Api::new().await;
    let r = api
        .post(
            STORAGE_CLASSES,
            json!({"metadata": {"name": "standard",
                   "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                   "provisioner": "rancher.io/local-path", "parameters": {"type": "ssd"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["reclaimPolicy"], "Delete");
    assert_eq!(r.body["volumeBindingMode"], "Immediate");
    let p = api
        .patch(
            &format!("{STORAGE_CLASSES}/standard"),
            "application/merge-patch+json",
            json!({"provisioner": "example.com/x", "parameters": {"type": "hdd"}}),
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&p),
        "StorageClass.storage.k8s.io \"standard\" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden.]"
    );
    let r = api
        .post(STORAGE_CLASSES, json!({"metadata": {"name": "none"}}))
        .await;
    assert_eq!(
        message(&r),
        "StorageClass.storage.k8s.io \"none\" is invalid: provisioner: Required value"
    );
    let t = table(&api, STORAGE_CLASSES).await;
    assert_eq!(
        column_names(&t.body),
        [
            "Name",
            "Provisioner",
            "ReclaimPolicy",
            "VolumeBindingMode",
            "AllowVolumeExpansion",
            "Age"
        ]
    );
    assert_eq!(t.body["rows"][0]["cells"][0], "standard (default)");
}

#[tokio::test]
async fn system_priority_classes_exist_and_are_protected() {
    let api = Api::new().await;
    let l = api.get(PRIORITY_CLASSES).await;
    let got: Vec<(String, i64)> = l.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["metadata"]["name"].as_str().unwrap_or("").to_string(),
                i["value"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("system-cluster-critical".to_string(), 2_000_000_000),
            ("system-node-critical".to_string(), 2_000_001_000)
        ]
    );
    assert_eq!(
        l.body["items"][0]["preemptionPolicy"],
        "PreemptLowerPriority"
    );

    let d = api
        .call(
            Method::DELETE,
            &format!("{PRIORITY_CLASSES}/system-node-critical"),
            Value::Null,
        )
        .await;
    assert_eq!(d.status, StatusCode::FORBIDDEN);
    assert_eq!(
        message(&d),
        "priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class and cannot be deleted"
    );
    let r = api
        .post(
            PRIORITY_CLASSES,
            json!({"metadata": {"name": "system-mine"}, "value": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&r),
        "PriorityClass.scheduling.k8s.io \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"
    );
}

#[tokio::test]
async fn only_one_priority_class_is_the_global_default_and_values_never_change() {
    let api = Api::new().await;
    let first = api
        .post(
            PRIORITY_CLASSES,
            json!({"metadata": {"name": "first"}, "value": 10, "globalDefault": true}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["metadata"]["generation"], 1);
    let r = api
        .post(
            PRIORITY_CLASSES,
            json!({"metadata": {"name": "second"}, "value": 20, "globalDefault": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        message(&r),
        "priorityclasses.scheduling.k8s.io \"second\" is forbidden: PriorityClass first is already marked as default. Only one default can exist"
    );
    let r = api
        .post(
            PRIORITY_CLASSES,
            json!({"metadata": {"name": "second"}, "value": 20}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let p = api
        .patch(
            &format!("{PRIORITY_CLASSES}/second"),
            "application/merge-patch+json",
            json!({"globalDefault": true}),
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = api
        .patch(
            &format!("{PRIORITY_CLASSES}/first"),
            "application/merge-patch+json",
            json!({"globalDefault": true, "description": "the default"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["metadata"]["generation"], 1);
    let p = api
        .patch(
            &format!("{PRIORITY_CLASSES}/first"),
            "application/merge-patch+json",
            json!({"value": 11}),
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&p),
        "PriorityClass.scheduling.k8s.io \"first\" is invalid: value: Forbidden: may not be changed in an update."
    );
    let t = table(&api, PRIORITY_CLASSES).await;
    assert_eq!(
        column_names(&t.body),
        ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"]
    );
}

#[tokio::test]
async fn rbac_objects_validate_rules_default_subjects_and_keep_their_role_ref() {
    let api = Api::new().await;
    let r = api
        .post(
            ROLES,
            json!({"metadata": {"name": "reader"},
                   "rules": [{"apiGroups": [""], "resources": ["pods"]}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&r),
        "Role.rbac.authorization.k8s.io \"reader\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value"
    );
    let r = api
        .post(
            ROLES,
            json!({"metadata": {"name": "reader"},
                   "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api
        .post(
            CLUSTER_ROLES,
            json!({"metadata": {"name": "aggregate"},
                   "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let rb = api
        .post(
            ROLE_BINDINGS,
            json!({"metadata": {"name": "read"},
                   "roleRef": {"kind": "Role", "name": "reader"},
                   "subjects": [{"kind": "User", "name": "jane"},
                                {"kind": "ServiceAccount", "name": "ci", "namespace": "default"}]}),
        )
        .await;
    assert_eq!(rb.status, StatusCode::CREATED, "{}", rb.body);
    assert_eq!(rb.body["roleRef"]["apiGroup"], "rbac.authorization.k8s.io");
    assert_eq!(
        rb.body["subjects"][0]["apiGroup"],
        "rbac.authorization.k8s.io"
    );
    assert_eq!(rb.body["subjects"][1]["apiGroup"], "");
    let p = api
        .patch(
            &format!("{ROLE_BINDINGS}/read"),
            "application/merge-patch+json",
            json!({"roleRef": {"kind": "ClusterRole", "name": "view"}}),
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&p),
        "RoleBinding.rbac.authorization.k8s.io \"read\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"view\"}: cannot change roleRef"
    );
    let r = api
        .post(
            CLUSTER_ROLE_BINDINGS,
            json!({"metadata": {"name": "b"},
                   "roleRef": {"kind": "ClusterRole", "name": "view"},
                   "subjects": [{"kind": "Robot", "name": "r2d2"}]}),
        )
        .await;
    assert_eq!(
        message(&r),
        "ClusterRoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\""
    );

    let t = table(&api, ROLES).await;
    assert_eq!(column_names(&t.body), ["Name", "Created At"]);
    // RFC 3339 in UTC, seconds precision: `2026-01-02T03:04:05Z`.
    let cell = t.body["rows"][0]["cells"][1].as_str().unwrap_or("");
    assert!(
        cell.len() == 20 && cell.ends_with('Z') && cell.as_bytes()[10] == b'T',
        "{cell}"
    );
    let t = table(&api, ROLE_BINDINGS).await;
    assert_eq!(
        column_names(&t.body),
        ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"]
    );
    let cells = t.body["rows"][0]["cells"].as_array().expect("cells");
    assert_eq!(cells[1], "Role/reader");
    assert_eq!(cells[3], "jane");
    assert_eq!(cells[5], "default/ci");
}

#[tokio::test]
async fn endpoint_slices_default_ports_and_keep_their_address_type() {
    let api = Api::new().await;
    let r = api
        .post(
            SLICES,
            json!({"metadata": {"name": "web-abc", "labels": {"kubernetes.io/service-name": "web"}},
                   "addressType": "IPv4",
                   "endpoints": [{"addresses": ["10.1.0.5"], "conditions": {"ready": true}}],
                   "ports": [{"port": 8080}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.body["ports"][0],
        json!({"name": "", "port": 8080, "protocol": "TCP"})
    );
    assert_eq!(r.body["metadata"]["generation"], 1);
    let p = api
        .patch(
            &format!("{SLICES}/web-abc"),
            "application/merge-patch+json",
            json!({"addressType": "IPv6"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message(&p).contains("addressType: Invalid value: \"IPv6\": field is immutable"),
        "{}",
        message(&p)
    );
    let p = api
        .patch(
            &format!("{SLICES}/web-abc"),
            "application/merge-patch+json",
            json!({"metadata": {"labels": {"extra": "1"}}}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["metadata"]["generation"], 2);
    let t = table(&api, SLICES).await;
    assert_eq!(
        column_names(&t.body),
        ["Name", "AddressType", "Ports", "Endpoints", "Age"]
    );
    assert_eq!(
        &t.body["rows"][0]["cells"].as_array().expect("cells")[..4],
        &[
            json!("web-abc"),
            json!("IPv4"),
            json!("8080"),
            json!("10.1.0.5")
        ]
    );
}

#[tokio::test]
async fn discovery_lists_the_new_groups_with_short_names() {
    let api = Api::new().await;
    for (path, resource, short) in [
        ("/apis/networking.k8s.io/v1", "ingresses", Some("ing")),
        (
            "/apis/networking.k8s.io/v1",
            "networkpolicies",
            Some("netpol"),
        ),
        ("/apis/storage.k8s.io/v1", "storageclasses", Some("sc")),
        ("/apis/scheduling.k8s.io/v1", "priorityclasses", Some("pc")),
        ("/apis/events.k8s.io/v1", "events", Some("ev")),
        ("/apis/discovery.k8s.io/v1", "endpointslices", None),
        (
            "/apis/rbac.authorization.k8s.io/v1",
            "clusterrolebindings",
            None,
        ),
    ] {
        let r = api.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let res = r.body["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find(|x| x["name"] == resource)
            .unwrap_or_else(|| panic!("{resource} in {path}"))
            .clone();
        match short {
            Some(s) => assert_eq!(res["shortNames"], json!([s]), "{resource}"),
            None => assert!(res.get("shortNames").is_none_or(|v| v == &json!([]))),
        }
    }
}
