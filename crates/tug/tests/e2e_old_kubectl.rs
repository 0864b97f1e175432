//! End-to-end: older kubectl releases (1.27–1.32) against the real `tug server`, with kubectl
//! 1.33 as the control. What differs in old clients (wire contract, "Read this first"):
//! 1.27 and 1.28 download `/openapi/v2` as gnostic protobuf before `create -f` and `explain`
//! and fail without it; 1.27–1.29 ask for aggregated discovery as `v2beta1` only.

mod support;

use std::process::Output;

use serde_json::Value;
use support::TugServer;

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

const DEPLOYMENT_AND_SERVICE: &str = r#"apiVersion: apps/v1
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

const UNKNOWN_FIELD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: bogus
spec:
  bogus: 1
  containers:
  - name: nginx
    image: nginx:1.25
"#;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs kubectl `1.minor` (fresh cache) and asserts success; returns (stdout, stderr).
fn ok(tug: &TugServer, minor: u32, args: &[&str], stdin: Option<&str>) -> (String, String) {
    let out: Output = tug.kubectl_version(minor, args, stdin);
    assert!(
        out.status.success(),
        "kubectl 1.{minor} {} failed ({}):\nstdout: {}\nstderr: {}",
        args.join(" "),
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    (text(&out.stdout), text(&out.stderr))
}

/// Runs kubectl `1.minor` and asserts failure; returns stderr.
fn fails(tug: &TugServer, minor: u32, args: &[&str], stdin: Option<&str>) -> String {
    let out = tug.kubectl_version(minor, args, stdin);
    assert!(
        !out.status.success(),
        "kubectl 1.{minor} {} unexpectedly succeeded:\nstdout: {}",
        args.join(" "),
        text(&out.stdout)
    );
    text(&out.stderr)
}

#[test]
fn kubectl_1_27_and_1_28_create_explain_and_delete_with_openapi_v2() {
    let tug = TugServer::start();
    let pod = tug.manifest("pod.yaml", POD);
    let multi = tug.manifest("multi.yaml", DEPLOYMENT_AND_SERVICE);
    let bad = tug.manifest("bad.yaml", UNKNOWN_FIELD);
    for minor in [27, 28, 33] {
        // `-v=6` logs each request: 1.27/1.28 must have fetched the v2 document (protobuf).
        let (out, log) = ok(&tug, minor, &["create", "-f", &pod, "-v=6"], None);
        assert_eq!(out.trim(), "pod/nginx created", "1.{minor}");
        if minor <= 28 {
            assert!(
                log.contains("/openapi/v2?timeout=32s 200 OK"),
                "1.{minor} did not fetch /openapi/v2: {log}"
            );
        }
        let (out, _) = ok(&tug, minor, &["create", "-f", &multi], None);
        assert!(out.contains("deployment.apps/web created"), "{out}");
        assert!(out.contains("service/web created"), "{out}");

        let (out, _) = ok(&tug, minor, &["get", "pod", "nginx"], None);
        assert!(out.contains("nginx") && out.contains("Pending"), "{out}");
        let (out, _) = ok(&tug, minor, &["get", "-f", &multi, "-o", "name"], None);
        assert_eq!(out, "deployment.apps/web\nservice/web\n");

        let (out, _) = ok(&tug, minor, &["explain", "pod.spec.containers"], None);
        assert!(out.contains("KIND:") && out.contains("Pod"), "{out}");
        assert!(out.contains("containers"), "{out}");
        // The v2 printer walks the v2 definitions themselves.
        let v2 = [
            "explain",
            "pod.spec.containers",
            "--output=plaintext-openapiv2",
        ];
        let (out, _) = ok(&tug, minor, &v2, None);
        assert!(out.contains("RESOURCE: containers <[]Object>"), "{out}");
        assert!(out.contains("image\t<string>"), "{out}");
        let v2 = [
            "explain",
            "deployment.spec.strategy",
            "--output=plaintext-openapiv2",
        ];
        let (out, _) = ok(&tug, minor, &v2, None);
        assert!(out.contains("VERSION:  apps/v1"), "{out}");
        assert!(out.contains("rollingUpdate\t<Object>"), "{out}");

        // The server validates fields (kubectl found `fieldValidation` and sent Strict), so
        // the error is the server's, not kubectl's client-side `ValidationError(...)`.
        let err = fails(&tug, minor, &["create", "-f", &bad], None);
        assert!(
            err.contains(r#"strict decoding error: unknown field "spec.bogus""#),
            "1.{minor}: {err}"
        );

        let (out, _) = ok(&tug, minor, &["delete", "-f", &multi], None);
        assert!(out.contains(r#"deployment.apps "web" deleted"#), "{out}");
        assert!(out.contains(r#"service "web" deleted"#), "{out}");
        let (out, _) = ok(&tug, minor, &["delete", "-f", &pod], None);
        assert!(out.contains(r#"pod "nginx" deleted"#), "{out}");
    }
}

#[test]
fn openapi_v2_is_served_as_json_too() {
    let tug = TugServer::start();
    let (out, _) = ok(&tug, 33, &["get", "--raw", "/openapi/v2"], None);
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["swagger"], "2.0");
    assert_eq!(doc["info"]["version"], "v1.33.0");
    assert!(doc["paths"]["/api/v1/namespaces/{namespace}/pods"]["post"].is_object());
    assert!(doc["definitions"]["io.k8s.api.apps.v1.Deployment"].is_object());
}

/// The everyday commands under every older kubectl on the machine.
#[test]
fn kubectl_1_27_to_1_32_smoke() {
    let tug = TugServer::start();
    for minor in 27..=32 {
        let name = format!("smoke-{minor}");
        let pod = POD.replace("name: nginx\n  labels", &format!("name: {name}\n  labels"));

        let (out, _) = ok(&tug, minor, &["version", "-o", "json"], None);
        let v: Value = serde_json::from_str(&out).expect("version JSON");
        assert_eq!(v["serverVersion"]["minor"], "33");
        assert_eq!(v["clientVersion"]["minor"], minor.to_string());

        // Aggregated discovery in the version the client asked for (v2beta1 up to 1.29).
        let (out, log) = ok(&tug, minor, &["api-resources", "-v=8"], None);
        let asked = if minor <= 29 { "v2beta1" } else { "v2" };
        let content_type = format!(
            "Content-Type: application/json;g=apidiscovery.k8s.io;v={asked};as=APIGroupDiscoveryList"
        );
        assert!(log.contains(&content_type), "1.{minor}: {log}");
        assert!(
            out.contains("deployments") && out.contains("apps/v1"),
            "{out}"
        );

        let (out, _) = ok(&tug, minor, &["create", "-f", "-"], Some(&pod));
        assert_eq!(out.trim(), format!("pod/{name} created"));
        let (out, _) = ok(&tug, minor, &["get", "pods", "-o", "wide"], None);
        assert!(
            out.contains(&name) && out.contains("NOMINATED NODE"),
            "{out}"
        );
        let (out, _) = ok(&tug, minor, &["describe", "pod", &name], None);
        assert!(out.contains(&format!("Name:             {name}")), "{out}");
        assert!(out.contains("nginx:1.25"), "{out}");
        let (out, _) = ok(&tug, minor, &["label", "pod", &name, "tier=web"], None);
        assert_eq!(out.trim(), format!("pod/{name} labeled"));
        let patch = r#"{"metadata":{"annotations":{"smoke":"yes"}}}"#;
        let args = ["patch", "pod", &name, "--type", "merge", "-p", patch];
        let (out, _) = ok(&tug, minor, &args, None);
        assert_eq!(out.trim(), format!("pod/{name} patched"));
        let path = "{.metadata.labels.tier}/{.metadata.annotations.smoke}";
        let (out, _) = ok(
            &tug,
            minor,
            &["get", "pod", &name, "-o", &format!("jsonpath={path}")],
            None,
        );
        assert_eq!(out, "web/yes");
        let (out, _) = ok(&tug, minor, &["delete", "pod", &name], None);
        assert_eq!(out.trim(), format!(r#"pod "{name}" deleted"#));
    }
}
