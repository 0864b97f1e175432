//! The API server's REST semantics, driven in-process through its router on the memory store
//! (no TLS: requests carry the authenticated-user extension the TLS layer would set).

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use support::{Api, Resp, next_event};
use tug_apiserver::server::Authn;

fn pod(name: &str, labels: Value) -> Value {
    json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":name,"labels":labels},
           "spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}})
}

fn deployment(name: &str) -> Value {
    json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":name},
           "spec":{"replicas":1,"selector":{"matchLabels":{"app":name}},
                   "template":{"metadata":{"labels":{"app":name}},
                               "spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}}})
}

const PODS: &str = "/api/v1/namespaces/default/pods";
const DEPLOYS: &str = "/apis/apps/v1/namespaces/default/deployments";

#[tokio::test]
async fn create_sets_uid_timestamp_and_resource_version_and_get_returns_the_same() {
    let api = Api::new().await;
    let r = api.post(PODS, pod("a", json!({}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let m = &r.body["metadata"];
    assert_eq!(m["uid"].as_str().map(str::len), Some(36));
    assert!(
        m["creationTimestamp"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert!(m["resourceVersion"].as_str().is_some());
    assert_eq!(m["namespace"], "default");
    let g = api.get(&format!("{PODS}/a")).await;
    assert_eq!(g.body, r.body);
}

#[tokio::test]
async fn generate_name_gets_a_random_suffix() {
    let api = Api::new().await;
    let mut p = pod("", json!({}));
    p["metadata"] = json!({"generateName": "web-"});
    let r = api.post(PODS, p).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let name = r.body["metadata"]["name"].as_str().expect("named");
    assert!(name.starts_with("web-") && name.len() == 9, "{name}");
}

#[tokio::test]
async fn creating_in_a_missing_namespace_is_not_found() {
    let api = Api::new().await;
    let r = api
        .post("/api/v1/namespaces/nope/pods", pod("a", json!({})))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["message"], "namespaces \"nope\" not found");
}

#[tokio::test]
async fn a_no_op_update_keeps_the_resource_version_and_emits_no_event() {
    let api = Api::new().await;
    let created = api.post(PODS, pod("a", json!({"x":"1"}))).await.body;
    let rv = created["metadata"]["resourceVersion"]
        .as_str()
        .expect("rv")
        .to_string();
    let mut rx = api
        .watch(&format!("{PODS}?watch=true&resourceVersion={rv}"))
        .await;
    let same = api.put(&format!("{PODS}/a"), created.clone()).await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(same.body["metadata"]["resourceVersion"], rv.as_str());
    let changed = api
        .patch(
            &format!("{PODS}/a"),
            "application/merge-patch+json",
            json!({"metadata":{"labels":{"x":"2"}}}),
        )
        .await;
    assert_ne!(changed.body["metadata"]["resourceVersion"], rv.as_str());
    let ev = next_event(&mut rx).await;
    assert_eq!(ev["type"], "MODIFIED");
    assert_eq!(
        ev["object"]["metadata"]["labels"]["x"], "2",
        "the no-op produced no event before it"
    );
}

#[tokio::test]
async fn a_stale_resource_version_is_a_409_conflict() {
    let api = Api::new().await;
    let created = api.post(PODS, pod("a", json!({}))).await.body;
    api.patch(
        &format!("{PODS}/a"),
        "application/merge-patch+json",
        json!({"metadata":{"labels":{"b":"1"}}}),
    )
    .await;
    let r = api.put(&format!("{PODS}/a"), created).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["reason"], "Conflict");
    assert_eq!(
        r.body["message"],
        "Operation cannot be fulfilled on pods \"a\": the object has been modified; please apply your changes to the latest version and try again"
    );
}

#[tokio::test]
async fn generation_moves_with_the_spec_only_and_status_goes_through_its_subresource() {
    let api = Api::new().await;
    let d = api.post(DEPLOYS, deployment("web")).await.body;
    assert_eq!(d["metadata"]["generation"], 1);
    let uri = format!("{DEPLOYS}/web");
    let labelled = api
        .patch(
            &uri,
            "application/merge-patch+json",
            json!({"metadata":{"labels":{"a":"b"}}}),
        )
        .await
        .body;
    assert_eq!(labelled["metadata"]["generation"], 1);
    // Status in a main-resource write is ignored.
    let ignored = api
        .patch(
            &uri,
            "application/merge-patch+json",
            json!({"status":{"replicas":7}}),
        )
        .await
        .body;
    assert!(
        ignored["status"].get("replicas").is_none(),
        "{}",
        ignored["status"]
    );
    // Status writes land through /status and do not bump generation; spec there is ignored.
    let st = api
        .patch(
            &format!("{uri}/status"),
            "application/merge-patch+json",
            json!({"status":{"replicas":3,"observedGeneration":1},"spec":{"replicas":9}}),
        )
        .await;
    assert_eq!(st.status, StatusCode::OK, "{}", st.body);
    assert_eq!(st.body["status"]["replicas"], 3);
    assert_eq!(st.body["spec"]["replicas"], 1);
    assert_eq!(st.body["metadata"]["generation"], 1);
    let spec = api
        .patch(
            &uri,
            "application/merge-patch+json",
            json!({"spec":{"replicas":2}}),
        )
        .await
        .body;
    assert_eq!(spec["metadata"]["generation"], 2);
    assert_eq!(spec["status"]["replicas"], 3, "status survives spec writes");
    // Deployments (only) also move generation on annotation changes, as upstream.
    let annotated = api
        .patch(
            &uri,
            "application/merge-patch+json",
            json!({"metadata":{"annotations":{"a":"b"}}}),
        )
        .await
        .body;
    assert_eq!(annotated["metadata"]["generation"], 3);
}

#[tokio::test]
async fn list_pages_with_limit_and_continue_return_every_item_once() {
    let api = Api::new().await;
    for i in 0..10 {
        api.post(PODS, pod(&format!("p{i:02}"), json!({}))).await;
    }
    let mut seen = Vec::new();
    let mut cont = String::new();
    let mut pages = 0;
    loop {
        let uri = if cont.is_empty() {
            format!("{PODS}?limit=3")
        } else {
            format!("{PODS}?limit=3&continue={cont}")
        };
        let r = api.get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        pages += 1;
        for it in r.body["items"].as_array().expect("items") {
            seen.push(it["metadata"]["name"].as_str().expect("name").to_string());
        }
        // Writes between pages do not show up: every page reads the first page's snapshot.
        api.post(PODS, pod(&format!("z{pages}"), json!({}))).await;
        match r.body["metadata"]["continue"].as_str() {
            Some(c) if !c.is_empty() => cont = c.to_string(),
            _ => break,
        }
    }
    let want: Vec<String> = (0..10).map(|i| format!("p{i:02}")).collect();
    assert_eq!(seen, want);
    assert_eq!(pages, 4);
}

#[tokio::test]
async fn label_and_field_selectors_filter_and_unknown_field_labels_are_rejected() {
    let api = Api::new().await;
    api.post(PODS, pod("a", json!({"app":"web","tier":"fe"})))
        .await;
    api.post(PODS, pod("b", json!({"app":"db"}))).await;
    let names = |r: &Resp| -> Vec<String> {
        r.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| i["metadata"]["name"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        names(&api.get(&format!("{PODS}?labelSelector=app%3Dweb")).await),
        ["a"]
    );
    assert_eq!(
        names(
            &api.get(&format!("{PODS}?labelSelector=app%20in%20(web,db),!tier"))
                .await
        ),
        ["b"]
    );
    assert_eq!(
        names(
            &api.get(&format!("{PODS}?fieldSelector=metadata.name%3Db"))
                .await
        ),
        ["b"]
    );
    assert_eq!(
        names(
            &api.get(&format!("{PODS}?fieldSelector=status.phase%3DPending"))
                .await
        ),
        ["a", "b"]
    );
    let bad = api
        .get(&format!("{PODS}?fieldSelector=spec.bogus%3Dx"))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("field label not supported: spec.bogus"),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn watch_from_zero_replays_then_streams_and_selectors_turn_into_added_and_deleted() {
    let api = Api::new().await;
    api.post(PODS, pod("a", json!({"app":"web"}))).await;
    let mut rx = api
        .watch(&format!("{PODS}?watch=true&labelSelector=app%3Dweb"))
        .await;
    let first = next_event(&mut rx).await;
    assert_eq!(
        (
            first["type"].as_str(),
            first["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("a"))
    );
    api.post(PODS, pod("b", json!({"app":"db"}))).await;
    api.patch(
        &format!("{PODS}/b"),
        "application/merge-patch+json",
        json!({"metadata":{"labels":{"app":"web"}}}),
    )
    .await;
    let ev = next_event(&mut rx).await;
    assert_eq!(
        (
            ev["type"].as_str(),
            ev["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("b"))
    );
    api.patch(
        &format!("{PODS}/a"),
        "application/merge-patch+json",
        json!({"metadata":{"labels":{"app":"x"}}}),
    )
    .await;
    let ev = next_event(&mut rx).await;
    assert_eq!(
        (
            ev["type"].as_str(),
            ev["object"]["metadata"]["name"].as_str()
        ),
        (Some("DELETED"), Some("a"))
    );
    let del = api
        .call(Method::DELETE, &format!("{PODS}/b"), Value::Null)
        .await;
    assert_eq!(del.status, StatusCode::OK);
    let ev = next_event(&mut rx).await;
    assert_eq!(
        (
            ev["type"].as_str(),
            ev["object"]["metadata"]["name"].as_str()
        ),
        (Some("DELETED"), Some("b"))
    );
}

#[tokio::test]
async fn watch_honours_timeout_seconds_and_sends_bookmarks_when_asked() {
    let api = Api::new().await;
    let mut rx = api
        .watch(&format!(
            "{PODS}?watch=true&resourceVersion=1&timeoutSeconds=1&allowWatchBookmarks=true"
        ))
        .await;
    let end = tokio::time::timeout(Duration::from_secs(5), async {
        while rx.recv().await.is_some() {}
    })
    .await;
    assert!(end.is_ok(), "the stream ends after timeoutSeconds");
}

#[tokio::test]
async fn dry_run_create_and_delete_store_nothing() {
    let api = Api::new().await;
    let r = api
        .post(&format!("{PODS}?dryRun=All"), pod("a", json!({})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        r.body["spec"]["restartPolicy"], "Always",
        "a dry run is defaulted like a real one"
    );
    assert_eq!(
        api.get(&format!("{PODS}/a")).await.status,
        StatusCode::NOT_FOUND
    );
    api.post(PODS, pod("b", json!({}))).await;
    let d = api
        .call(Method::DELETE, &format!("{PODS}/b?dryRun=All"), Value::Null)
        .await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(api.get(&format!("{PODS}/b")).await.status, StatusCode::OK);
    let bad = api
        .post(&format!("{PODS}?dryRun=Some"), pod("c", json!({})))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn strict_warn_and_ignore_field_validation_behave_as_upstream() {
    let api = Api::new().await;
    let body = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","name":"c2"},"data":{"a":"1"},"bogus":true}"#;
    let strict = api
        .send(api.request(
            Method::POST,
            "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
            "application/json",
            body,
            "application/json",
        ))
        .await;
    assert_eq!(strict.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        strict.body["message"],
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: duplicate field \"metadata.name\", unknown field \"bogus\""
    );
    let warn = api
        .send(api.request(
            Method::POST,
            "/api/v1/namespaces/default/configmaps?fieldValidation=Warn",
            "application/json",
            body,
            "application/json",
        ))
        .await;
    assert_eq!(warn.status, StatusCode::CREATED);
    let warnings: Vec<&str> = warn
        .headers
        .get_all(header::WARNING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        warnings.contains(&"299 - \"unknown field \\\"bogus\\\"\""),
        "{warnings:?}"
    );
    assert!(warn.body.get("bogus").is_none());
    assert_eq!(
        warn.body["metadata"]["name"], "c2",
        "the last duplicate wins"
    );
    let body2 = body.replace("\"c2\"", "\"c3\"");
    let ignore = api
        .send(api.request(
            Method::POST,
            "/api/v1/namespaces/default/configmaps?fieldValidation=Ignore",
            "application/json",
            &body2,
            "application/json",
        ))
        .await;
    assert_eq!(ignore.status, StatusCode::CREATED);
    assert!(ignore.headers.get(header::WARNING).is_none());
}

#[tokio::test]
async fn malformed_json_is_a_400_naming_the_kind() {
    let api = Api::new().await;
    let r = api
        .send(api.request(
            Method::POST,
            PODS,
            "application/json",
            "{\"kind\": ",
            "application/json",
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("Pod in version \"v1\" cannot be handled as a Pod:"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn json_patch_and_merge_patch_apply_to_the_current_object() {
    let api = Api::new().await;
    api.post(DEPLOYS, deployment("web")).await;
    let uri = format!("{DEPLOYS}/web");
    let j = api
        .patch(
            &uri,
            "application/json-patch+json",
            json!([{"op":"replace","path":"/spec/replicas","value":4}]),
        )
        .await;
    assert_eq!(j.status, StatusCode::OK, "{}", j.body);
    assert_eq!(j.body["spec"]["replicas"], 4);
    let bad = api
        .patch(
            &uri,
            "application/json-patch+json",
            json!([{"op":"test","path":"/spec/replicas","value":1}]),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    let smp = api.patch(&uri, "application/x-unknown", json!({})).await;
    assert_eq!(smp.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn scale_subresource_reads_and_writes_replicas() {
    let api = Api::new().await;
    api.post(DEPLOYS, deployment("web")).await;
    let s = api.get(&format!("{DEPLOYS}/web/scale")).await;
    assert_eq!(s.body["kind"], "Scale");
    assert_eq!(s.body["apiVersion"], "autoscaling/v1");
    assert_eq!(s.body["spec"]["replicas"], 1);
    assert_eq!(s.body["status"]["selector"], "app=web");
    let p = api
        .patch(
            &format!("{DEPLOYS}/web/scale"),
            "application/merge-patch+json",
            json!({"spec":{"replicas":5}}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["spec"]["replicas"], 5);
    let d = api.get(&format!("{DEPLOYS}/web")).await.body;
    assert_eq!(d["spec"]["replicas"], 5);
    assert_eq!(d["metadata"]["generation"], 2);
    let neg = api
        .patch(
            &format!("{DEPLOYS}/web/scale"),
            "application/merge-patch+json",
            json!({"spec":{"replicas":-1}}),
        )
        .await;
    assert_eq!(neg.status.as_u16(), 422);
}

#[tokio::test]
async fn binding_assigns_a_node_once() {
    let api = Api::new().await;
    api.post(PODS, pod("a", json!({}))).await;
    let b = json!({"apiVersion":"v1","kind":"Binding","metadata":{"name":"a"},"target":{"kind":"Node","name":"n1"}});
    let r = api.post(&format!("{PODS}/a/binding"), b.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = api.get(&format!("{PODS}/a")).await.body;
    assert_eq!(p["spec"]["nodeName"], "n1");
    assert_eq!(p["status"]["conditions"][0]["type"], "PodScheduled");
    let again = api.post(&format!("{PODS}/a/binding"), b).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn services_get_cluster_ips_that_cannot_be_shared_and_are_released_on_delete() {
    let api = Api::new().await;
    let svc = |name: &str, ip: Option<&str>| {
        let mut s = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":name},
                            "spec":{"selector":{"app":"x"},"ports":[{"port":80}]}});
        if let Some(ip) = ip {
            s["spec"]["clusterIP"] = json!(ip);
        }
        s
    };
    let r = api
        .post(
            "/api/v1/namespaces/default/services",
            svc("a", Some("10.96.0.50")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["spec"]["clusterIPs"], json!(["10.96.0.50"]));
    assert_eq!(r.body["spec"]["ports"][0]["targetPort"], 80);
    let clash = api
        .post(
            "/api/v1/namespaces/default/services",
            svc("b", Some("10.96.0.50")),
        )
        .await;
    assert_eq!(clash.status.as_u16(), 422, "{}", clash.body);
    assert_eq!(
        clash.body["details"]["causes"][0]["field"],
        "spec.clusterIPs[0]"
    );
    api.call(
        Method::DELETE,
        "/api/v1/namespaces/default/services/a",
        Value::Null,
    )
    .await;
    let reuse = api
        .post(
            "/api/v1/namespaces/default/services",
            svc("b", Some("10.96.0.50")),
        )
        .await;
    assert_eq!(reuse.status, StatusCode::CREATED, "{}", reuse.body);
    let k = api
        .get("/api/v1/namespaces/default/services/kubernetes")
        .await
        .body;
    assert_eq!(k["spec"]["clusterIP"], "10.96.0.1");
}

#[tokio::test]
async fn tables_carry_columns_cells_and_partial_object_metadata() {
    let api = Api::new().await;
    api.post(PODS, pod("a", json!({"app":"web"}))).await;
    let r = api
        .send(api.request(
            Method::GET,
            PODS,
            "application/json",
            "",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
        ))
        .await;
    assert_eq!(r.body["kind"], "Table");
    let cols: Vec<&str> = r.body["columnDefinitions"]
        .as_array()
        .expect("columns")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(&cols[..5], ["Name", "Ready", "Status", "Restarts", "Age"]);
    assert_eq!(r.body["rows"][0]["cells"][0], "a");
    assert_eq!(r.body["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    assert_eq!(
        r.body["rows"][0]["object"]["metadata"]["labels"]["app"],
        "web"
    );
}

#[tokio::test]
async fn anonymous_requests_are_unauthorized_except_health_and_version() {
    let api = Api::new().await;
    let mut req = Request::builder()
        .uri(PODS)
        .body(Body::empty())
        .expect("req");
    req.extensions_mut().insert(Authn(None));
    let r = api.send(req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["kind"], "Status");
    for path in ["/version", "/healthz", "/readyz", "/livez"] {
        let mut req = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("req");
        req.extensions_mut().insert(Authn(None));
        assert_eq!(api.send(req).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn discovery_answers_the_format_the_client_asks_for() {
    let api = Api::new().await;
    let v2 = api
        .send(api.request(
            Method::GET,
            "/apis",
            "",
            "",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
        ))
        .await;
    assert_eq!(
        v2.headers[header::CONTENT_TYPE],
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    );
    assert_eq!(v2.body["kind"], "APIGroupDiscoveryList");
    let beta = api
        .send(api.request(Method::GET, "/api", "", "", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"))
        .await;
    assert_eq!(beta.body["apiVersion"], "apidiscovery.k8s.io/v2beta1");
    let legacy = api.get("/apis").await;
    assert_eq!(legacy.body["kind"], "APIGroupList");
    let core = api.get("/api/v1").await;
    assert_eq!(core.body["kind"], "APIResourceList");
    assert_eq!(api.get("/apis/nope/v1").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_paths_and_methods_get_status_errors() {
    let api = Api::new().await;
    let r = api.get("/api/v1/namespaces/default/widgets").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["kind"], "Status");
    let m = api.call(Method::PUT, PODS, json!({})).await;
    assert_eq!(m.status, StatusCode::METHOD_NOT_ALLOWED);
}
