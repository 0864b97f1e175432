//! `PATCH` with `application/strategic-merge-patch+json`, driven in-process through the
//! router on the memory store: the patches kubectl sends, the subresources, dry run, and the
//! status codes of upstream's errors.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::Api;

const SMP: &str = "application/strategic-merge-patch+json";
const PODS: &str = "/api/v1/namespaces/default/pods";
const DEPLOYS: &str = "/apis/apps/v1/namespaces/default/deployments";
const SERVICES: &str = "/api/v1/namespaces/default/services";

fn deployment() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "labels": {"app": "web", "tier": "fe"}},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [
                                     {"name": "web", "image": "nginx:1.25",
                                      "ports": [{"containerPort": 80}, {"containerPort": 8080}],
                                      "env": [{"name": "A", "value": "1"}]},
                                     {"name": "log", "image": "busybox:1.36"}]}}}})
}

async fn with_deployment() -> Api {
    let api = Api::new().await;
    let r = api.post(DEPLOYS, deployment()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    api
}

fn web() -> String {
    format!("{DEPLOYS}/web")
}

fn container<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["spec"]["template"]["spec"]["containers"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no container {name} in {d}"))
}

#[tokio::test]
async fn kubectl_apply_patch_configures_the_deployment_and_keeps_what_it_does_not_name() {
    let api = with_deployment().await;
    let patch = json!({
        "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"}},
        "spec": {"replicas": 3, "template": {"spec": {
            "$setElementOrder/containers": [{"name": "web"}, {"name": "log"}],
            "containers": [{"image": "nginx:1.26", "name": "web"}]}}}});
    let r = api.patch(&web(), SMP, patch).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = api.get(&web()).await.body;
    assert_eq!(d, r.body);
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(d["metadata"]["generation"], 2);
    let w = container(&d, "web");
    assert_eq!(w["image"], "nginx:1.26");
    assert_eq!(w["env"], json!([{"name": "A", "value": "1"}]));
    assert_eq!(w["ports"].as_array().map(Vec::len), Some(2));
    // Defaults the server filled in at create survive the merge.
    assert_eq!(w["imagePullPolicy"], "IfNotPresent");
    assert_eq!(container(&d, "log")["image"], "busybox:1.36");
    let names: Vec<&Value> = d["spec"]["template"]["spec"]["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .map(|c| &c["name"])
        .collect();
    assert_eq!(names, [&json!("web"), &json!("log")]);
    assert_eq!(
        d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"],
        "{}\n"
    );
}

#[tokio::test]
async fn element_patches_add_env_delete_a_port_and_null_removes_a_label() {
    let api = with_deployment().await;
    let patch = json!({
        "metadata": {"labels": {"tier": null}},
        "spec": {"template": {"spec": {
            "$setElementOrder/containers": [{"name": "web"}, {"name": "log"}],
            "containers": [{
                "$setElementOrder/env": [{"name": "A"}, {"name": "B"}],
                "$setElementOrder/ports": [{"containerPort": 80}],
                "env": [{"name": "B", "value": "2"}],
                "name": "web",
                "ports": [{"$patch": "delete", "containerPort": 8080}]}]}}}});
    let r = api.patch(&web(), SMP, patch).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let w = container(&r.body, "web");
    assert_eq!(
        w["env"],
        json!([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])
    );
    let ports: Vec<&Value> = w["ports"]
        .as_array()
        .expect("ports")
        .iter()
        .map(|p| &p["containerPort"])
        .collect();
    assert_eq!(ports, [&json!(80)]);
    assert_eq!(r.body["metadata"]["labels"], json!({"app": "web"}));
}

#[tokio::test]
async fn rollout_restart_and_set_image_patches_change_the_template() {
    let api = with_deployment().await;
    let restart = json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-11-27T06:31:15Z"}}}}});
    let r = api.patch(&web(), SMP, restart).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"],
        "2026-11-27T06:31:15Z"
    );
    assert_eq!(
        r.body["spec"]["template"]["metadata"]["labels"],
        json!({"app": "web"})
    );
    let set_image = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}, {"name": "log"}],
        "containers": [{"image": "busybox:1.37", "name": "log"}]}}}});
    let r = api.patch(&web(), SMP, set_image).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(container(&r.body, "log")["image"], "busybox:1.37");
    assert_eq!(container(&r.body, "web")["image"], "nginx:1.25");
}

#[tokio::test]
async fn retain_keys_switches_the_deployment_strategy_to_recreate() {
    let api = with_deployment().await;
    let before = api.get(&web()).await.body;
    assert_eq!(before["spec"]["strategy"]["type"], "RollingUpdate");
    assert!(before["spec"]["strategy"]["rollingUpdate"].is_object());
    let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}});
    let r = api.patch(&web(), SMP, patch).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["spec"]["strategy"], json!({"type": "Recreate"}));
}

#[tokio::test]
async fn a_no_op_strategic_patch_keeps_the_resource_version() {
    let api = with_deployment().await;
    let before = api.get(&web()).await.body;
    let r = api
        .patch(&web(), SMP, json!({"spec": {"replicas": 2}}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["metadata"]["resourceVersion"],
        before["metadata"]["resourceVersion"]
    );
}

#[tokio::test]
async fn dry_run_returns_the_patched_object_without_storing_it() {
    let api = with_deployment().await;
    let before = api.get(&web()).await.body;
    let r = api
        .patch(
            &format!(
                "{}?dryRun=All&fieldManager=kubectl-client-side-apply",
                web()
            ),
            SMP,
            json!({"spec": {"replicas": 7}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["spec"]["replicas"], 7);
    assert_eq!(r.body["metadata"]["generation"], 2);
    assert_eq!(api.get(&web()).await.body, before);
}

#[tokio::test]
async fn services_merge_ports_by_port_and_keep_their_cluster_ip() {
    let api = Api::new().await;
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                     "spec": {"selector": {"app": "web"},
                              "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}});
    let created = api.post(SERVICES, svc).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let patch = json!({"spec": {"ports": [{"name": "https", "port": 443, "targetPort": 8443}]}});
    let r = api.patch(&format!("{SERVICES}/web"), SMP, patch).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ports: Vec<&Value> = r.body["spec"]["ports"]
        .as_array()
        .expect("ports")
        .iter()
        .map(|p| &p["port"])
        .collect();
    // Without $setElementOrder the patch's new element goes first, as upstream.
    assert_eq!(ports, [&json!(443), &json!(80)]);
    assert_eq!(
        r.body["spec"]["clusterIP"],
        created.body["spec"]["clusterIP"]
    );
}

#[tokio::test]
async fn node_cordon_and_uncordon_patches_toggle_unschedulable() {
    let api = Api::new().await;
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}});
    let r = api.post("/api/v1/nodes", node).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api
        .patch(
            "/api/v1/nodes/n1",
            SMP,
            json!({"spec": {"unschedulable": true}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["spec"]["unschedulable"], true);
    let r = api
        .patch(
            "/api/v1/nodes/n1",
            SMP,
            json!({"spec": {"unschedulable": false}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(r.body["spec"]["unschedulable"], true);
}

#[tokio::test]
async fn the_status_subresource_merges_conditions_by_type() {
    let api = Api::new().await;
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                     "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}});
    let r = api.post(PODS, pod).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let status = format!("{PODS}/p/status");
    let first = json!({"status": {"conditions": [
        {"type": "PodScheduled", "status": "True"}]}});
    let r = api.patch(&status, SMP, first).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let second = json!({"status": {"conditions": [
        {"type": "Ready", "status": "False", "reason": "ContainersNotReady"}]}});
    let r = api.patch(&status, SMP, second).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let types: Vec<&Value> = r.body["status"]["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .map(|c| &c["type"])
        .collect();
    assert_eq!(types, [&json!("Ready"), &json!("PodScheduled")]);
    // A status patch does not touch the spec.
    let spec_patch = json!({"spec": {"activeDeadlineSeconds": 5}});
    let r = api.patch(&status, SMP, spec_patch).await;
    assert!(
        r.body["spec"].get("activeDeadlineSeconds").is_none(),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_scale_subresource_accepts_a_strategic_merge_patch() {
    let api = with_deployment().await;
    let r = api
        .patch(
            &format!("{}/scale", web()),
            SMP,
            json!({"spec": {"replicas": 4}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["kind"], "Scale");
    assert_eq!(r.body["spec"]["replicas"], 4);
    assert_eq!(api.get(&web()).await.body["spec"]["replicas"], 4);
}

#[tokio::test]
async fn an_unknown_patch_directive_is_a_500_with_upstreams_message() {
    let api = with_deployment().await;
    let r = api
        .patch(&web(), SMP, json!({"spec": {"$patch": "bogus"}}))
        .await;
    assert_eq!(r.status.as_u16(), 500, "{}", r.body);
    assert_eq!(r.body["kind"], "Status");
    assert!(r.body.get("reason").is_none(), "{}", r.body);
    assert_eq!(
        r.body["message"],
        "unknown patch type: bogus in map: map[$patch:bogus]"
    );
}

#[tokio::test]
async fn a_missing_merge_key_is_reported_as_upstream() {
    let api = with_deployment().await;
    let patch = json!({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}});
    let r = api.patch(&web(), SMP, patch).await;
    assert_eq!(r.status.as_u16(), 500, "{}", r.body);
    assert_eq!(
        r.body["message"],
        "map: map[image:x] does not contain declared merge key: name"
    );
}

#[tokio::test]
async fn malformed_directives_are_bad_requests() {
    let api = with_deployment().await;
    let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate",
                                             "rollingUpdate": {"maxSurge": 1}}}});
    let r = api.patch(&web(), SMP, patch).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["reason"], "BadRequest");
    assert_eq!(r.body["message"], "invalid patch format of retainKeys");

    let patch = json!({"metadata": {"$setElementOrderX/finalizers": []}});
    let r = api.patch(&web(), SMP, patch).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        r.body["message"],
        "invalid patch format of setElementOrder list"
    );

    let r = api.patch(&web(), SMP, json!([{"op": "add"}])).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
}

#[tokio::test]
async fn a_list_of_lists_is_unprocessable() {
    let api = Api::new().await;
    let mut d = deployment();
    d["metadata"]["finalizers"] = json!([]);
    let r = api.post(DEPLOYS, d).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.body["metadata"]["finalizers"],
        json!([]),
        "an empty list is kept"
    );
    // The live list is empty, so the first element the merge meets is the patch's list.
    let patch = json!({"metadata": {"finalizers": [["x"]]}});
    let r = api.patch(&web(), SMP, patch).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["reason"], "Invalid");
    assert_eq!(
        r.body["message"],
        "the server rejected our request due to an error in our request"
    );
}

#[tokio::test]
async fn openapi_patch_operations_offer_strategic_merge_patch() {
    let api = Api::new().await;
    let index = api.get("/openapi/v3").await.body;
    let url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
        .as_str()
        .expect("apps/v1 document")
        .to_string();
    let doc = api.get(&url).await.body;
    let op = &doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
    assert!(
        op["requestBody"]["content"]
            .get("application/strategic-merge-patch+json")
            .is_some(),
        "{op}"
    );
}
