//! End-to-end: `scale`, `expose`, `delete --cascade=background|foreground|orphan`,
//! `delete namespace` and pod eviction through the real binary and kubectl.

mod support;

use serde_json::Value;
use support::TugServer;

const DEPLOY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
        image: nginx:1.25
        ports:
        - containerPort: 8080
"#;

const RS: &str = r#"apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
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
        image: nginx:1.25
"#;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// A ReplicaSet and two pods it owns (there is no ReplicaSet controller yet, so the pods
/// are made here with the ownerReference the controller would set).
fn replica_set_with_pods(tug: &TugServer) {
    tug.ok(&["create", "-f", &tug.manifest("rs.yaml", RS)]);
    let uid = tug.ok(&["get", "rs", "web", "-o", "jsonpath={.metadata.uid}"]);
    for i in 0..2 {
        let pod = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i}\n  labels:\n    app: web\n  ownerReferences:\n  - apiVersion: apps/v1\n    kind: ReplicaSet\n    name: web\n    uid: {uid}\n    controller: true\n    blockOwnerDeletion: true\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n"
        );
        tug.ok(&[
            "create",
            "-f",
            &tug.manifest(&format!("pod-{i}.yaml"), &pod),
        ]);
    }
}

fn pods(tug: &TugServer) -> String {
    tug.ok(&["get", "pods", "-o", "name"])
}

#[test]
fn scale_and_expose_work_on_a_deployment() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("d.yaml", DEPLOY)]);
    assert_eq!(
        tug.ok(&["scale", "deployment", "web", "--replicas=4"])
            .trim(),
        "deployment.apps/web scaled"
    );
    let d = json(&tug.ok(&["get", "deploy", "web", "-o", "json"]));
    assert_eq!(d["spec"]["replicas"], 4);
    let out = tug.ok(&[
        "expose",
        "deployment",
        "web",
        "--port=80",
        "--target-port=8080",
    ]);
    assert_eq!(out.trim(), "service/web exposed");
    let svc = json(&tug.ok(&["get", "svc", "web", "-o", "json"]));
    assert_eq!(svc["spec"]["selector"]["app"], "web");
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 8080);
    assert!(
        svc["spec"]["clusterIP"]
            .as_str()
            .is_some_and(|ip| ip.starts_with("10."))
    );
    let table = tug.ok(&["get", "svc", "web"]);
    assert!(table.contains("80/TCP"), "{table}");
}

#[test]
fn delete_cascade_background_removes_the_owned_pods() {
    let tug = TugServer::start();
    replica_set_with_pods(&tug);
    let out = tug.ok(&["delete", "rs", "web", "--cascade=background"]);
    assert_eq!(out.trim(), r#"replicaset.apps "web" deleted"#);
    assert!(
        support::eventually(std::time::Duration::from_secs(10), || pods(&tug).is_empty()),
        "pods left: {}",
        pods(&tug)
    );
}

#[test]
fn delete_cascade_foreground_waits_for_the_owned_pods() {
    let tug = TugServer::start();
    replica_set_with_pods(&tug);
    // kubectl waits until the owner is gone, which happens only after its dependents.
    let out = tug.ok(&["delete", "rs", "web", "--cascade=foreground"]);
    assert_eq!(out.trim(), r#"replicaset.apps "web" deleted"#);
    assert!(pods(&tug).is_empty(), "{}", pods(&tug));
}

#[test]
fn delete_cascade_orphan_keeps_the_pods_without_their_owner() {
    let tug = TugServer::start();
    replica_set_with_pods(&tug);
    tug.ok(&["delete", "rs", "web", "--cascade=orphan"]);
    assert!(
        support::eventually(std::time::Duration::from_secs(10), || {
            tug.ok(&[
                "get",
                "pod",
                "web-0",
                "-o",
                "jsonpath={.metadata.ownerReferences}",
            ])
            .is_empty()
        }),
        "the owner reference is removed"
    );
    assert_eq!(pods(&tug).lines().count(), 2);
    let err = tug.fails(&["get", "rs", "web"]);
    assert!(err.contains("NotFound"), "{err}");
}

#[test]
fn delete_namespace_removes_it_and_its_content() {
    let tug = TugServer::start();
    tug.ok(&["create", "namespace", "team"]);
    tug.ok(&[
        "create",
        "configmap",
        "c",
        "-n",
        "team",
        "--from-literal=a=1",
    ]);
    tug.ok(&[
        "create",
        "-f",
        &tug.manifest("d.yaml", DEPLOY),
        "-n",
        "team",
    ]);
    let out = tug.ok(&["delete", "namespace", "team"]);
    assert_eq!(out.trim(), r#"namespace "team" deleted"#);
    let err = tug.fails(&["get", "namespace", "team"]);
    assert!(err.contains(r#"namespaces "team" not found"#), "{err}");
    let err = tug.fails(&["create", "configmap", "d", "-n", "team"]);
    assert!(err.contains(r#"namespaces "team" not found"#), "{err}");
}

#[test]
fn drain_style_eviction_deletes_an_unbound_pod() {
    let tug = TugServer::start();
    tug.ok(&["run", "p", "--image", "nginx"]);
    let body = tug.manifest(
        "eviction.json",
        r#"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p","namespace":"default"}}"#,
    );
    tug.ok(&[
        "create",
        "--raw",
        "/api/v1/namespaces/default/pods/p/eviction",
        "-f",
        &body,
    ]);
    let err = tug.fails(&["get", "pod", "p"]);
    assert!(err.contains("NotFound"), "{err}");
}

#[test]
fn the_suite_passes_with_every_older_kubectl_too() {
    // kubectl 1.27 to 1.32 each run every test of this file again (inside those re-runs this
    // test is excluded by name, so it does not recurse).
    for minor in support::OLDER_KUBECTL_MINORS {
        let summary =
            support::rerun_with_kubectl(minor, "the_suite_passes_with_every_older_kubectl_too");
        assert!(summary.contains("passed"), "1.{minor}: {summary}");
    }
}
