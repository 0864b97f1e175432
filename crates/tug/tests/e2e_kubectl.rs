//! End-to-end: the real `tug server` binary and the real kubectl 1.33, the way a user runs
//! them. Every test starts its own server on a temporary data directory.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::{TugServer, kubectl_binary};

const POD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    ports:
    - containerPort: 80
"#;

const MULTI: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    tier: config
data:
  a: "1"
  b: "2"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
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
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
"#;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn kubectl_version_reports_server_1_33() {
    let tug = TugServer::start();
    let v = json(&tug.ok(&["version", "-o", "json"]));
    assert_eq!(v["serverVersion"]["major"], "1");
    assert_eq!(v["serverVersion"]["minor"], "33");
    assert_eq!(
        v["clientVersion"]["minor"],
        support::suite_kubectl_minor().to_string()
    );
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

#[test]
fn cluster_info_names_the_control_plane_url() {
    let tug = TugServer::start();
    let out = tug.ok(&["cluster-info"]);
    assert!(
        out.contains("Kubernetes control plane") && out.contains("https://127.0.0.1:"),
        "{out}"
    );
}

#[test]
fn api_resources_lists_the_served_kinds_with_short_names() {
    let tug = TugServer::start();
    let out = tug.ok(&["api-resources"]);
    for needle in [
        "pods",
        "po",
        "deployments",
        "deploy",
        "apps/v1",
        "services",
        "svc",
        "namespaces",
        "leases",
        "coordination.k8s.io/v1",
    ] {
        assert!(out.contains(needle), "missing {needle}:\n{out}");
    }
    let namespaced = tug.ok(&["api-resources", "--namespaced=false", "-o", "name"]);
    assert!(namespaced.contains("nodes") && namespaced.contains("namespaces"));
    assert!(!namespaced.lines().any(|l| l == "pods"));
}

#[test]
fn explain_describes_fields_from_the_openapi_schema() {
    let tug = TugServer::start();
    let out = tug.ok(&["explain", "pod.spec.containers"]);
    assert!(out.contains("KIND:") && out.contains("Pod"), "{out}");
    assert!(out.contains("containers"), "{out}");
    assert!(out.contains("image"), "{out}");
    let d = tug.ok(&["explain", "deployment.spec.replicas"]);
    assert!(d.contains("replicas"), "{d}");
}

#[test]
fn create_from_single_and_multi_document_files_and_get_them_back() {
    let tug = TugServer::start();
    let pod = tug.manifest("pod.yaml", POD);
    assert_eq!(tug.ok(&["create", "-f", &pod]).trim(), "pod/nginx created");
    let multi = tug.manifest("multi.yaml", MULTI);
    let out = tug.ok(&["create", "-f", &multi]);
    assert!(out.contains("configmap/settings created"), "{out}");
    assert!(out.contains("deployment.apps/web created"), "{out}");
    assert!(out.contains("service/web created"), "{out}");
    assert_eq!(tug.describe_each_created(&out), 3);
    let err = tug.fails(&["create", "-f", &pod]);
    assert!(
        err.contains(r#"Error from server (AlreadyExists): error when creating"#)
            && err.contains(r#"pods "nginx" already exists"#),
        "{err}"
    );
    let svc = json(&tug.ok(&["get", "svc", "web", "-o", "json"]));
    let ip = svc["spec"]["clusterIP"]
        .as_str()
        .expect("clusterIP assigned");
    assert!(ip.starts_with("10."), "{ip}");
    assert_eq!(svc["spec"]["ports"][0]["protocol"], "TCP");
    let deploy = json(&tug.ok(&["get", "deploy", "web", "-o", "json"]));
    assert_eq!(deploy["metadata"]["generation"], 1);
    assert_eq!(deploy["spec"]["strategy"]["type"], "RollingUpdate");
}

#[test]
fn get_prints_kubernetes_tables_in_every_output_form() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("pod.yaml", POD)]);
    tug.ok(&["create", "-f", &tug.manifest("multi.yaml", MULTI)]);

    let table = tug.ok(&["get", "pods"]);
    let header: Vec<&str> = table
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "{table}"
    );
    assert!(
        table.contains("nginx") && table.contains("0/1") && table.contains("Pending"),
        "{table}"
    );

    let wide = tug.ok(&["get", "pods", "-o", "wide"]);
    assert!(
        wide.contains("NOMINATED NODE") && wide.contains("<none>"),
        "{wide}"
    );

    let yaml = tug.ok(&["get", "pod", "nginx", "-o", "yaml"]);
    assert!(
        yaml.contains("kind: Pod") && yaml.contains("terminationMessagePath: /dev/termination-log"),
        "{yaml}"
    );

    let list = json(&tug.ok(&["get", "pods", "-o", "json"]));
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"][0]["metadata"]["name"], "nginx");

    let jp = tug.ok(&[
        "get",
        "pod",
        "nginx",
        "-o",
        "jsonpath={.spec.containers[0].image}",
    ]);
    assert_eq!(jp, "nginx:1.25");

    assert_eq!(tug.ok(&["get", "pods", "-o", "name"]).trim(), "pod/nginx");

    let cc = tug.ok(&[
        "get",
        "pods",
        "-o",
        "custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image",
    ]);
    assert!(cc.contains("NAME") && cc.contains("nginx:1.25"), "{cc}");

    let all_ns = tug.ok(&["get", "serviceaccounts", "-A"]);
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        assert!(
            all_ns.contains(ns),
            "service account of {ns} missing:\n{all_ns}"
        );
    }

    let labelled = tug.ok(&["get", "pods", "-l", "app=nginx", "--show-labels"]);
    assert!(labelled.contains("app=nginx"), "{labelled}");
    let none = tug.kubectl(&["get", "pods", "-l", "app=other"]);
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("No resources found in default namespace.")
    );

    let fs = tug.ok(&[
        "get",
        "pods",
        "--field-selector",
        "status.phase=Pending",
        "-o",
        "name",
    ]);
    assert_eq!(fs.trim(), "pod/nginx");
    let fs2 = tug.ok(&[
        "get",
        "pods",
        "--field-selector",
        "metadata.name!=nginx",
        "-o",
        "name",
    ]);
    assert_eq!(fs2.trim(), "");

    let deploy = tug.ok(&["get", "deploy"]);
    let dh: Vec<&str> = deploy
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(
        dh,
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        "{deploy}"
    );

    let svc = tug.ok(&["get", "svc"]);
    assert!(
        svc.contains("CLUSTER-IP") && svc.contains("80/TCP") && svc.contains("443/TCP"),
        "{svc}"
    );

    let ns = tug.ok(&["get", "ns"]);
    assert!(ns.contains("kube-system") && ns.contains("Active"), "{ns}");
}

#[test]
fn get_with_chunk_size_pages_through_everything() {
    let tug = TugServer::start();
    let mut docs = String::new();
    for i in 0..7 {
        docs.push_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  k: v\n---\n"
        ));
    }
    tug.ok(&["create", "-f", &tug.manifest("cms.yaml", &docs)]);
    let out = tug.ok(&["get", "configmaps", "--chunk-size=2", "-o", "name"]);
    let names: Vec<&str> = out.lines().filter(|l| l.contains("cm-")).collect();
    assert_eq!(names.len(), 7, "{out}");
    let table = tug.ok(&["get", "configmaps", "--chunk-size=3"]);
    assert_eq!(
        table.lines().filter(|l| l.starts_with("cm-")).count(),
        7,
        "{table}"
    );
}

#[test]
fn get_watch_streams_events_as_they_happen() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("pod.yaml", POD)]);
    let cache = tempfile::tempdir().expect("cache");
    let mut child = Command::new(kubectl_binary(33))
        .arg("--kubeconfig")
        .arg(&tug.kubeconfig)
        .arg("--cache-dir")
        .arg(cache.path())
        .args(["get", "pods", "-w", "--output-watch-events", "--no-headers"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Table output with an EVENT column: "ADDED  nginx  0/1  Pending  0  0s".
    let event = |line: String| -> (String, String) {
        let mut cols = line.split_whitespace().map(str::to_string);
        (
            cols.next().unwrap_or_default(),
            cols.next().unwrap_or_default(),
        )
    };
    let next = || {
        rx.recv_timeout(Duration::from_secs(10))
            .expect("an event within 10s")
    };
    assert_eq!(event(next()), ("ADDED".into(), "nginx".into()));
    tug.ok(&["label", "pod", "nginx", "tier=web"]);
    assert_eq!(event(next()), ("MODIFIED".into(), "nginx".into()));
    tug.ok(&["delete", "pod", "nginx", "--wait=false"]);
    assert_eq!(event(next()), ("DELETED".into(), "nginx".into()));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn describe_pod_shows_defaults_and_events_section() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("pod.yaml", POD)]);
    let out = tug.ok(&["describe", "pod", "nginx"]);
    for needle in [
        "Name:",
        "nginx",
        "Namespace:",
        "default",
        "Labels:",
        "app=nginx",
        "Status:",
        "Pending",
        "Image:",
        "nginx:1.25",
        "Port:",
        "80/TCP",
        "QoS Class:",
        "BestEffort",
        "Events:",
    ] {
        assert!(out.contains(needle), "missing {needle:?}:\n{out}");
    }
}

#[test]
fn label_annotate_and_patch_change_objects_in_place() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("pod.yaml", POD)]);
    assert_eq!(
        tug.ok(&["label", "pod", "nginx", "env=prod"]).trim(),
        "pod/nginx labeled"
    );
    // kubectl 1.27 prints "annotate" (its own typo, fixed in 1.28); the server answers the same.
    let annotated = tug.ok(&["annotate", "pod", "nginx", "note=hello"]);
    assert!(
        ["pod/nginx annotated", "pod/nginx annotate"].contains(&annotated.trim()),
        "{annotated}"
    );
    let err = tug.fails(&["label", "pod", "nginx", "env=dev"]);
    assert!(err.contains("already has a value (prod)"), "{err}");
    tug.ok(&["label", "pod", "nginx", "env-"]);
    let pod = json(&tug.ok(&["get", "pod", "nginx", "-o", "json"]));
    assert!(pod["metadata"]["labels"].get("env").is_none());
    assert_eq!(pod["metadata"]["annotations"]["note"], "hello");

    tug.ok(&["create", "-f", &tug.manifest("multi.yaml", MULTI)]);
    let out = tug.ok(&[
        "patch",
        "deploy",
        "web",
        "--type",
        "merge",
        "-p",
        r#"{"spec":{"replicas":5}}"#,
    ]);
    assert_eq!(out.trim(), "deployment.apps/web patched");
    let d = json(&tug.ok(&["get", "deploy", "web", "-o", "json"]));
    assert_eq!(d["spec"]["replicas"], 5);
    assert_eq!(
        d["metadata"]["generation"], 2,
        "a spec change bumps generation"
    );

    let out = tug.ok(&[
        "patch", "deploy", "web", "--type", "json", "-p",
        r#"[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.26"}]"#,
    ]);
    assert_eq!(out.trim(), "deployment.apps/web patched");
    let image = tug.ok(&[
        "get",
        "deploy",
        "web",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image}",
    ]);
    assert_eq!(image, "nginx:1.26");

    // A patch that changes nothing is a no-op: same resourceVersion.
    let before = tug.ok(&[
        "get",
        "deploy",
        "web",
        "-o",
        "jsonpath={.metadata.resourceVersion}",
    ]);
    let out = tug.ok(&[
        "patch",
        "deploy",
        "web",
        "--type",
        "merge",
        "-p",
        r#"{"spec":{"replicas":5}}"#,
    ]);
    assert_eq!(out.trim(), "deployment.apps/web patched (no change)");
    let after = tug.ok(&[
        "get",
        "deploy",
        "web",
        "-o",
        "jsonpath={.metadata.resourceVersion}",
    ]);
    assert_eq!(before, after);

    // Labels do not bump generation.
    tug.ok(&["label", "deploy", "web", "x=y"]);
    let g = tug.ok(&[
        "get",
        "deploy",
        "web",
        "-o",
        "jsonpath={.metadata.generation}",
    ]);
    assert_eq!(g, "3");
}

#[test]
fn delete_by_name_file_and_label() {
    let tug = TugServer::start();
    let pod = tug.manifest("pod.yaml", POD);
    tug.ok(&["create", "-f", &pod]);
    assert_eq!(
        tug.ok(&["delete", "pod", "nginx"]).trim(),
        r#"pod "nginx" deleted"#
    );
    tug.ok(&["create", "-f", &pod]);
    assert_eq!(
        tug.ok(&["delete", "-f", &pod]).trim(),
        r#"pod "nginx" deleted"#
    );
    let multi = tug.manifest("multi.yaml", MULTI);
    tug.ok(&["create", "-f", &multi]);
    let out = tug.ok(&["delete", "configmap", "-l", "tier=config"]);
    assert_eq!(out.trim(), r#"configmap "settings" deleted"#);
    let err = tug.fails(&["delete", "pod", "nope"]);
    assert_eq!(
        err.trim(),
        r#"Error from server (NotFound): pods "nope" not found"#
    );
    let left = tug.ok(&["get", "deploy,svc", "-o", "name"]);
    assert!(
        left.contains("deployment.apps/web") && left.contains("service/web"),
        "{left}"
    );
}

#[test]
fn run_creates_a_pending_pod_with_upstream_defaults() {
    let tug = TugServer::start();
    assert_eq!(
        tug.ok(&["run", "nginx", "--image", "nginx"]).trim(),
        "pod/nginx created"
    );
    let pod = json(&tug.ok(&["get", "pod", "nginx", "-o", "json"]));
    assert_eq!(pod["status"]["phase"], "Pending");
    assert_eq!(pod["metadata"]["labels"]["run"], "nginx");
    let c = &pod["spec"]["containers"][0];
    assert_eq!(c["imagePullPolicy"], "Always", "no tag means :latest");
    assert_eq!(c["terminationMessagePolicy"], "File");
    assert_eq!(pod["spec"]["restartPolicy"], "Always");
    assert_eq!(pod["spec"]["dnsPolicy"], "ClusterFirst");
    assert_eq!(pod["spec"]["schedulerName"], "default-scheduler");
    assert_eq!(pod["spec"]["terminationGracePeriodSeconds"], 30);
    assert_eq!(pod["spec"]["serviceAccountName"], "default");
    assert!(
        pod["metadata"]
            .get("creationTimestamp")
            .is_some_and(Value::is_string)
    );
    let uid = pod["metadata"]["uid"].as_str().unwrap_or("");
    assert_eq!(uid.len(), 36, "{uid}");
}

#[test]
fn invalid_manifests_get_upstream_messages_and_field_paths() {
    let mut tug = TugServer::start();
    let bad = tug.manifest(
        "bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n",
    );
    let err = tug.fails(&["create", "-f", &bad]);
    assert!(err.contains(r#"The Pod "Bad_Name" is invalid"#), "{err}");
    assert!(
        err.contains("metadata.name: Invalid value: \"Bad_Name\""),
        "{err}"
    );
    assert!(
        err.contains("spec.containers[0].image: Required value"),
        "{err}"
    );

    let unknown = tug.manifest(
        "unknown.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nbogus: 1\n",
    );
    let err = tug.fails(&["create", "-f", &unknown]);
    assert!(
        err.contains(r#"Error from server (BadRequest): error when creating"#)
            && err.contains(r#"ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus""#),
        "{err}"
    );
    let warn = tug.kubectl(&["create", "-f", &unknown, "--validate=warn"]);
    assert!(warn.status.success());
    assert!(String::from_utf8_lossy(&warn.stderr).contains(r#"Warning: unknown field "bogus""#));

    let deploy = tug.manifest(
        "deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: -1\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: b\n    spec:\n      containers:\n      - name: c\n        image: i\n",
    );
    let err = tug.fails(&["create", "-f", &deploy]);
    assert!(err.contains(r#"The Deployment "d" is invalid"#), "{err}");
    assert!(
        err.contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        "{err}"
    );
    assert!(err.contains("spec.template.metadata.labels"), "{err}");

    assert!(tug.alive(), "the server survives every bad request");
    assert_eq!(
        tug.ok(&["get", "configmap", "x", "-o", "name"]).trim(),
        "configmap/x"
    );
}

#[test]
fn malformed_bodies_stale_updates_and_missing_objects_get_the_right_status() {
    let mut tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("pod.yaml", POD)]);

    let garbage = tug.manifest("garbage.json", "{\"apiVersion\": \"v1\", \"kind\": ");
    let err = tug.fails(&[
        "create",
        "--raw",
        "/api/v1/namespaces/default/configmaps",
        "-f",
        &garbage,
    ]);
    assert!(
        err.contains("BadRequest") || err.contains("cannot be handled"),
        "{err}"
    );

    let pod = json(&tug.ok(&["get", "pod", "nginx", "-o", "json"]));
    let stale_rv = pod["metadata"]["resourceVersion"]
        .as_str()
        .expect("rv")
        .to_string();
    tug.ok(&["label", "pod", "nginx", "bump=1"]);
    let stale = tug.manifest(
        "stale.yaml",
        &format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n  resourceVersion: \"{stale_rv}\"\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n"
        ),
    );
    let err = tug.fails(&["replace", "-f", &stale]);
    assert!(
        err.contains(r#"Error from server (Conflict)"#)
            && err.contains(r#"Operation cannot be fulfilled on pods "nginx": the object has been modified; please apply your changes to the latest version and try again"#),
        "{err}"
    );

    let err = tug.fails(&["get", "pod", "nope"]);
    assert_eq!(
        err.trim(),
        r#"Error from server (NotFound): pods "nope" not found"#
    );
    let err = tug.fails(&["get", "deploy", "nope", "-n", "kube-system"]);
    assert_eq!(
        err.trim(),
        r#"Error from server (NotFound): deployments.apps "nope" not found"#
    );

    assert!(tug.alive());
    let image = tug.ok(&[
        "get",
        "pod",
        "nginx",
        "-o",
        "jsonpath={.spec.containers[0].image}",
    ]);
    assert_eq!(image, "nginx:1.25", "the stale replace changed nothing");
}

#[test]
fn state_survives_a_restart_and_a_second_server_on_the_same_dir_is_refused() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("multi.yaml", MULTI)]);
    let rv_before = json(&tug.ok(&["get", "configmap", "settings", "-o", "json"]))["metadata"]
        ["resourceVersion"]
        .clone();

    let second = Command::new(env!("CARGO_BIN_EXE_tug"))
        .args(["server", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(tug.dir.path())
        .output()
        .expect("runs");
    assert!(!second.status.success());
    let msg = String::from_utf8_lossy(&second.stderr);
    assert!(
        msg.contains("another tug server is already running"),
        "{msg}"
    );
    assert_eq!(msg.trim().lines().count(), 1, "one line: {msg}");

    let (dir, status) = tug.stop();
    assert!(
        status.success(),
        "SIGTERM stops the server cleanly: {status}"
    );
    let tug = TugServer::start_in(dir);
    let cm = json(&tug.ok(&["get", "configmap", "settings", "-o", "json"]));
    assert_eq!(cm["data"]["a"], "1");
    assert_eq!(cm["metadata"]["resourceVersion"], rv_before);
    let svc = tug.ok(&["get", "svc", "web", "-o", "name"]);
    assert_eq!(svc.trim(), "service/web");
    // New writes continue the revision sequence.
    tug.ok(&["label", "configmap", "settings", "after=restart"]);
    let rv_after: i64 = json(&tug.ok(&["get", "configmap", "settings", "-o", "json"]))["metadata"]
        ["resourceVersion"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("numeric rv");
    let before: i64 = rv_before
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("numeric rv");
    assert!(rv_after > before);
}

#[test]
fn requests_without_a_client_certificate_are_unauthorized_but_health_is_public() {
    // A user with an unknown bearer token and no client certificate: kubectl sends the token,
    // tug (client certificates only, for now) treats the request as anonymous.
    let tug = TugServer::start();
    let kc = std::fs::read_to_string(&tug.kubeconfig).expect("kubeconfig");
    let server = kc
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .expect("server line")
        .to_string();
    let anon = tug.dir.path().join("anon.kubeconfig");
    let ca = kc
        .lines()
        .find_map(|l| l.trim().strip_prefix("certificate-authority-data: "))
        .expect("ca");
    std::fs::write(
        &anon,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\nusers:\n- name: u\n  user:\n    token: not-a-valid-token\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n"
        ),
    )
    .expect("write");
    let cache = tempfile::tempdir().expect("cache");
    let out = Command::new(kubectl_binary(33))
        .arg("--kubeconfig")
        .arg(&anon)
        .arg("--cache-dir")
        .arg(cache.path())
        .args(["get", "pods"])
        .output()
        .expect("kubectl");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("You must be logged in to the server"), "{err}");
    let out = Command::new(kubectl_binary(33))
        .arg("--kubeconfig")
        .arg(&anon)
        .arg("--cache-dir")
        .arg(cache.path())
        .args(["get", "--raw", "/healthz"])
        .output()
        .expect("kubectl");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok");
}
