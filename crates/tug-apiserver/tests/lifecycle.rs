//! Object lifecycle as upstream: graceful pod deletion, finalizers and deletionTimestamp,
//! garbage collection in all three propagation modes, and namespace termination.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::Api;

const PODS: &str = "/api/v1/namespaces/default/pods";
const RS: &str = "/apis/apps/v1/namespaces/default/replicasets";
const CMS: &str = "/api/v1/namespaces/default/configmaps";

fn pod(name: &str) -> Value {
    json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":name},
           "spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}})
}

async fn replica_set(api: &Api, name: &str) -> Value {
    let r = api
        .post(
            RS,
            json!({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":name},
                   "spec":{"selector":{"matchLabels":{"app":name}},
                           "template":{"metadata":{"labels":{"app":name}},
                                       "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

async fn owned_pod(api: &Api, name: &str, owner: &Value) -> Value {
    let mut p = pod(name);
    p["metadata"]["ownerReferences"] = json!([{
        "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true,
    }]);
    let r = api.post(PODS, p).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

async fn delete(api: &Api, uri: &str, opts: Value) -> support::Resp {
    api.call(Method::DELETE, uri, opts).await
}

#[tokio::test]
async fn an_unbound_pod_is_deleted_at_once_and_the_answer_is_the_pod() {
    let api = Api::new().await;
    api.post(PODS, pod("a")).await;
    let r = delete(&api, &format!("{PODS}/a"), Value::Null).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["kind"], "Pod");
    assert_eq!(
        api.get(&format!("{PODS}/a")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_bound_pod_terminates_gracefully_until_forced() {
    let api = Api::new().await;
    api.post(PODS, pod("a")).await;
    api.post(
        &format!("{PODS}/a/binding"),
        json!({"apiVersion":"v1","kind":"Binding","metadata":{"name":"a"},"target":{"kind":"Node","name":"n1"}}),
    )
    .await;
    let r = delete(&api, &format!("{PODS}/a"), Value::Null).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body["metadata"]["deletionTimestamp"].is_string(),
        "{}",
        r.body
    );
    assert_eq!(r.body["metadata"]["deletionGracePeriodSeconds"], 30);
    assert_eq!(
        api.get(&format!("{PODS}/a")).await.status,
        StatusCode::OK,
        "still terminating"
    );
    let forced = delete(&api, &format!("{PODS}/a"), json!({"gracePeriodSeconds": 0})).await;
    assert_eq!(forced.status, StatusCode::OK);
    assert_eq!(
        api.get(&format!("{PODS}/a")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn finalizers_hold_an_object_until_the_last_one_is_removed() {
    let api = Api::new().await;
    let cm = json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","finalizers":["example.com/hold"]}});
    api.post(CMS, cm).await;
    let r = delete(&api, &format!("{CMS}/c"), Value::Null).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body["metadata"]["deletionTimestamp"].is_string(),
        "{}",
        r.body
    );
    let more = api
        .patch(
            &format!("{CMS}/c"),
            "application/merge-patch+json",
            json!({"metadata":{"finalizers":["example.com/hold","example.com/more"]}}),
        )
        .await;
    assert_eq!(more.status.as_u16(), 422, "{}", more.body);
    assert_eq!(api.get(&format!("{CMS}/c")).await.status, StatusCode::OK);
    let released = api
        .patch(
            &format!("{CMS}/c"),
            "application/merge-patch+json",
            json!({"metadata":{"finalizers":null}}),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    assert_eq!(
        api.get(&format!("{CMS}/c")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn background_deletion_collects_dependents_after_the_owner_is_gone() {
    let api = Api::with_controllers().await;
    let rs = replica_set(&api, "web").await;
    owned_pod(&api, "web-1", &rs).await;
    owned_pod(&api, "web-2", &rs).await;
    let r = delete(
        &api,
        &format!("{RS}/web"),
        json!({"propagationPolicy":"Background"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["kind"], "Status");
    assert_eq!(
        api.get(&format!("{RS}/web")).await.status,
        StatusCode::NOT_FOUND
    );
    let left = api
        .until(PODS, |r| {
            r.body["items"].as_array().is_some_and(Vec::is_empty)
        })
        .await;
    assert_eq!(left.body["items"], json!([]));
}

#[tokio::test]
async fn foreground_deletion_removes_dependents_before_the_owner() {
    let api = Api::with_controllers().await;
    let rs = replica_set(&api, "web").await;
    owned_pod(&api, "web-1", &rs).await;
    let r = delete(
        &api,
        &format!("{RS}/web"),
        json!({"propagationPolicy":"Foreground"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["metadata"]["finalizers"],
        json!(["foregroundDeletion"])
    );
    assert!(r.body["metadata"]["deletionTimestamp"].is_string());
    let owner = api
        .until(&format!("{RS}/web"), |r| r.status == StatusCode::NOT_FOUND)
        .await;
    assert_eq!(owner.status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.get(&format!("{PODS}/web-1")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn orphan_deletion_keeps_dependents_and_drops_their_owner_reference() {
    let api = Api::with_controllers().await;
    let rs = replica_set(&api, "web").await;
    owned_pod(&api, "web-1", &rs).await;
    let r = delete(
        &api,
        &format!("{RS}/web"),
        json!({"propagationPolicy":"Orphan"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let owner = api
        .until(&format!("{RS}/web"), |r| r.status == StatusCode::NOT_FOUND)
        .await;
    assert_eq!(owner.status, StatusCode::NOT_FOUND);
    let p = api.get(&format!("{PODS}/web-1")).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body["metadata"].get("ownerReferences").is_none(),
        "{}",
        p.body
    );
}

#[tokio::test]
async fn deleting_a_namespace_empties_it_refuses_new_content_then_removes_it() {
    let api = Api::with_controllers().await;
    api.post("/api/v1/namespaces", json!({"metadata":{"name":"team"}}))
        .await;
    let cms = "/api/v1/namespaces/team/configmaps";
    api.post(cms, json!({"metadata":{"name":"a"},"data":{"k":"v"}}))
        .await;
    let r = delete(&api, "/api/v1/namespaces/team", Value::Null).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"]["phase"], "Terminating");
    let refused = api.post(cms, json!({"metadata":{"name":"b"}})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(
        refused.body["message"],
        "configmaps \"b\" is forbidden: unable to create new content in namespace team because it is being terminated"
    );
    let gone = api
        .until("/api/v1/namespaces/team", |r| {
            r.status == StatusCode::NOT_FOUND
        })
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
}

#[tokio::test]
async fn a_namespace_held_by_a_finalizer_says_which_finalizer_blocks_it() {
    let api = Api::with_controllers().await;
    api.post("/api/v1/namespaces", json!({"metadata":{"name":"team"}}))
        .await;
    let cms = "/api/v1/namespaces/team/configmaps";
    api.post(
        cms,
        json!({"metadata":{"name":"held","finalizers":["example.com/hold"]}}),
    )
    .await;
    delete(&api, "/api/v1/namespaces/team", Value::Null).await;
    let ns = api
        .until("/api/v1/namespaces/team", |r| {
            r.body.pointer("/status/conditions").is_some()
        })
        .await;
    let conds = ns.body["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let msg = |t: &str| {
        conds
            .iter()
            .find(|c| c["type"] == t)
            .and_then(|c| c["message"].as_str())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        msg("NamespaceFinalizersRemaining"),
        "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"
    );
    assert_eq!(
        msg("NamespaceContentRemaining"),
        "Some resources are remaining: configmaps. has 1 resource instances"
    );
    api.patch(
        &format!("{cms}/held"),
        "application/merge-patch+json",
        json!({"metadata":{"finalizers":null}}),
    )
    .await;
    let gone = api
        .until("/api/v1/namespaces/team", |r| {
            r.status == StatusCode::NOT_FOUND
        })
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

async fn running_pod(api: &Api, name: &str) {
    let mut p = pod(name);
    p["metadata"]["labels"] = json!({"app": "db"});
    api.post(PODS, p).await;
    api.post(
        &format!("{PODS}/{name}/binding"),
        json!({"apiVersion":"v1","kind":"Binding","metadata":{"name":name},"target":{"kind":"Node","name":"n1"}}),
    )
    .await;
    let st = api
        .patch(
            &format!("{PODS}/{name}/status"),
            "application/merge-patch+json",
            json!({"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}),
        )
        .await;
    assert_eq!(st.status, StatusCode::OK, "{}", st.body);
}

fn eviction(name: &str) -> Value {
    json!({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":name,"namespace":"default"},"deleteOptions":{}})
}

#[tokio::test]
async fn eviction_respects_the_disruption_budget() {
    let api = Api::new().await;
    let pdbs = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
    let created = api
        .post(
            pdbs,
            json!({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"db"},
                   "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"db"}}}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    running_pod(&api, "db-0").await;
    running_pod(&api, "db-1").await;

    // Until the disruption controller has observed the budget, evictions wait.
    let early = api
        .post(&format!("{PODS}/db-0/eviction"), eviction("db-0"))
        .await;
    assert_eq!(
        early.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        early.body
    );
    assert_eq!(
        early.body["details"]["causes"][0]["message"],
        "The disruption budget db is still being processed by the server."
    );

    let st = api
        .patch(
            &format!("{pdbs}/db/status"),
            "application/merge-patch+json",
            json!({"status":{"observedGeneration":1,"disruptionsAllowed":1,"currentHealthy":2,
                             "desiredHealthy":1,"expectedPods":2}}),
        )
        .await;
    assert_eq!(st.status, StatusCode::OK, "{}", st.body);
    let first = api
        .post(&format!("{PODS}/db-0/eviction"), eviction("db-0"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let evicted = api.get(&format!("{PODS}/db-0")).await;
    assert!(
        evicted.body["metadata"]["deletionTimestamp"].is_string(),
        "graceful: {}",
        evicted.body
    );
    let budget = api.get(&format!("{pdbs}/db")).await.body;
    assert_eq!(budget["status"]["disruptionsAllowed"], 0);
    assert!(budget["status"]["disruptedPods"]["db-0"].is_string());

    let second = api
        .post(&format!("{PODS}/db-1/eviction"), eviction("db-1"))
        .await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        second.body["message"],
        "Cannot evict pod as it would violate the pod's disruption budget."
    );
    assert_eq!(
        second.body["details"]["causes"][0]["message"],
        "The disruption budget db needs 1 healthy pods and has 2 currently"
    );
    assert_eq!(
        api.get(&format!("{PODS}/db-1")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn evicting_a_pending_pod_deletes_it_without_a_budget_check() {
    let api = Api::new().await;
    api.post(PODS, pod("p")).await;
    let r = api.post(&format!("{PODS}/p/eviction"), eviction("p")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], "Success");
    assert_eq!(
        api.get(&format!("{PODS}/p")).await.status,
        StatusCode::NOT_FOUND
    );
    let wrong = api.post(&format!("{PODS}/q/eviction"), eviction("p")).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_owner_in_another_namespace_is_invalid_and_the_dependent_is_collected_with_a_warning() {
    let api = Api::with_controllers().await;
    api.post("/api/v1/namespaces", json!({"metadata":{"name":"other"}}))
        .await;
    let rs = api
        .post(
            "/apis/apps/v1/namespaces/other/replicasets",
            json!({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web"},
                   "spec":{"selector":{"matchLabels":{"app":"web"}},
                           "template":{"metadata":{"labels":{"app":"web"}},
                                       "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}),
        )
        .await
        .body;
    owned_pod(&api, "stray", &rs).await;
    let gone = api
        .until(&format!("{PODS}/stray"), |r| {
            r.status == StatusCode::NOT_FOUND
        })
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let events = api
        .until("/api/v1/namespaces/default/events", |r| {
            r.body["items"].as_array().is_some_and(|a| !a.is_empty())
        })
        .await;
    let ev = &events.body["items"][0];
    assert_eq!(ev["reason"], "OwnerRefInvalidNamespace");
    assert_eq!(ev["type"], "Warning");
    assert_eq!(ev["involvedObject"]["name"], "stray");
    assert_eq!(ev["source"]["component"], "garbage-collector-controller");
    let msg = ev["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with("ownerRef [apps/v1/ReplicaSet, namespace: default, name: web, uid: ")
            && msg.ends_with("] does not exist in namespace \"default\""),
        "{msg}"
    );
    assert_eq!(
        api.get("/apis/apps/v1/namespaces/other/replicasets/web")
            .await
            .status,
        StatusCode::OK
    );
}
