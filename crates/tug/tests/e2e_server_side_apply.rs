//! End-to-end: server-side apply and managedFields with the real kubectl against the real
//! `tug server`: `apply --server-side` (create, unchanged, changed), conflicts between
//! managers and `--force-conflicts`, the client-side → server-side apply upgrade kubectl
//! performs, `get --show-managed-fields`, and the managers `label` and `scale` record.

mod support;

use serde_json::Value;
use support::{TugServer, suite_kubectl_minor};

fn deployment(replicas: u32, image: &str) -> String {
    format!(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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

fn get_web(tug: &TugServer) -> Value {
    let out = tug.ok(&[
        "get",
        "deployment",
        "web",
        "-o",
        "json",
        "--show-managed-fields",
    ]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn entries(d: &Value) -> Vec<Value> {
    d["metadata"]["managedFields"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn entry(d: &Value, manager: &str, operation: &str) -> Option<Value> {
    entries(d)
        .into_iter()
        .find(|e| e["manager"] == manager && e["operation"] == operation)
}

fn owns(e: &Value, path: &[&str]) -> bool {
    let mut v = &e["fieldsV1"];
    for p in path {
        match v.get(*p) {
            Some(x) => v = x,
            None => return false,
        }
    }
    true
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn apply_server_side_creates_then_leaves_unchanged_then_configures() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(2, "nginx:1.25"));
    assert_eq!(
        tug.ok(&["apply", "--server-side", "-f", &v1]).trim(),
        "deployment.apps/web serverside-applied"
    );
    let d = get_web(&tug);
    let e = entry(&d, "kubectl", "Apply").expect("kubectl's Apply entry");
    assert_eq!(e["apiVersion"], "apps/v1");
    assert_eq!(e["fieldsType"], "FieldsV1");
    assert!(owns(&e, &["f:spec", "f:replicas"]));
    assert!(owns(
        &e,
        &[
            "f:spec",
            "f:template",
            "f:spec",
            "f:containers",
            "k:{\"name\":\"web\"}",
            "f:image"
        ]
    ));
    assert_eq!(entries(&d).len(), 1, "{d}");
    let rv = d["metadata"]["resourceVersion"].clone();

    // Unchanged: the same answer and no write.
    assert_eq!(
        tug.ok(&["apply", "--server-side", "-f", &v1]).trim(),
        "deployment.apps/web serverside-applied"
    );
    let d = get_web(&tug);
    assert_eq!(d["metadata"]["resourceVersion"], rv);

    // Changed.
    let v2 = tug.manifest("v2.yaml", &deployment(3, "nginx:1.26"));
    assert_eq!(
        tug.ok(&["apply", "--server-side", "-f", &v2]).trim(),
        "deployment.apps/web serverside-applied"
    );
    let d = get_web(&tug);
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.26"
    );
    assert_ne!(d["metadata"]["resourceVersion"], rv);

    // A server-side dry run stores nothing.
    let v3 = tug.manifest("v3.yaml", &deployment(9, "nginx:1.26"));
    assert_eq!(
        tug.ok(&["apply", "--server-side", "--dry-run=server", "-f", &v3])
            .trim(),
        "deployment.apps/web serverside-applied (server dry run)"
    );
    assert_eq!(get_web(&tug)["spec"]["replicas"], 3);
}

#[test]
fn a_second_manager_conflicts_and_force_conflicts_takes_the_field() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(2, "nginx:1.25"));
    tug.ok(&["apply", "--server-side", "-f", &v1]);
    let other = tug.manifest(
        "other.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n",
    );
    let err = tug.fails(&[
        "apply",
        "--server-side",
        "--field-manager=other",
        "-f",
        &other,
    ]);
    assert!(
        err.contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"),
        "{err}"
    );
    assert!(err.contains("--force-conflicts"), "{err}");
    assert_eq!(get_web(&tug)["spec"]["replicas"], 2);

    assert_eq!(
        tug.ok(&[
            "apply",
            "--server-side",
            "--field-manager=other",
            "--force-conflicts",
            "-f",
            &other,
        ])
        .trim(),
        "deployment.apps/web serverside-applied"
    );
    let d = get_web(&tug);
    assert_eq!(d["spec"]["replicas"], 5);
    let o = entry(&d, "other", "Apply").expect("other's entry");
    assert!(owns(&o, &["f:spec", "f:replicas"]));
    let k = entry(&d, "kubectl", "Apply").expect("kubectl's entry");
    assert!(!owns(&k, &["f:spec", "f:replicas"]), "{k}");
    assert!(owns(&k, &["f:spec", "f:selector"]));
}

#[test]
fn client_side_apply_then_server_side_apply_upgrades_the_managed_fields() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(2, "nginx:1.25"));
    assert_eq!(
        tug.ok(&["apply", "-f", &v1]).trim(),
        "deployment.apps/web created"
    );
    let d = get_web(&tug);
    let csa = entry(&d, "kubectl-client-side-apply", "Update").expect("CSA entry");
    let last_applied = [
        "f:metadata",
        "f:annotations",
        "f:kubectl.kubernetes.io/last-applied-configuration",
    ];
    assert!(owns(&csa, &last_applied), "{csa}");

    // The first server-side apply migrates: apply, save the annotation, rewrite the
    // managedFields with a JSON patch, apply again — four PATCHes.
    let v2 = tug.manifest("v2.yaml", &deployment(3, "nginx:1.25"));
    let out = tug.kubectl(&["apply", "--server-side", "-f", &v2, "-v=6"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        "deployment.apps/web serverside-applied"
    );
    let log = text(&out.stderr);
    let patches: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("PATCH") && l.contains("/deployments/web"))
        .collect();
    assert_eq!(patches.len(), 4, "{log}");
    assert!(
        patches[1].contains("fieldManager=kubectl-last-applied"),
        "{patches:?}"
    );
    assert!(patches.iter().all(|l| l.contains("200")), "{patches:?}");

    let d = get_web(&tug);
    assert_eq!(d["spec"]["replicas"], 3);
    assert!(
        entry(&d, "kubectl-client-side-apply", "Update").is_none(),
        "{}",
        serde_json::to_string_pretty(&entries(&d)).unwrap_or_default()
    );
    let kubectl = entry(&d, "kubectl", "Apply").expect("kubectl's Apply entry");
    assert!(owns(&kubectl, &["f:spec", "f:replicas"]));
    let keeper = entry(&d, "kubectl-last-applied", "Apply").expect("last-applied keeper");
    assert!(owns(&keeper, &last_applied));
    // The server keeps the annotation up to date for kubectl's server-side applies.
    let annotation =
        d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .as_str()
            .expect("annotation");
    let recorded: Value = serde_json::from_str(annotation).expect("JSON");
    assert_eq!(recorded["spec"]["replicas"], 3);

    // Once migrated, a server-side apply is one PATCH again.
    let v3 = tug.manifest("v3.yaml", &deployment(4, "nginx:1.25"));
    let out = tug.kubectl(&["apply", "--server-side", "-f", &v3, "-v=6"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log = text(&out.stderr);
    let patches = log
        .lines()
        .filter(|l| l.contains("PATCH") && l.contains("/deployments/web"))
        .count();
    assert_eq!(patches, 1, "{log}");
    assert_eq!(get_web(&tug)["spec"]["replicas"], 4);
}

#[test]
fn get_show_managed_fields_prints_the_entries() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(2, "nginx:1.25"));
    tug.ok(&["apply", "--server-side", "-f", &v1]);
    let yaml = tug.ok(&[
        "get",
        "deployment",
        "web",
        "-o",
        "yaml",
        "--show-managed-fields",
    ]);
    for want in [
        "managedFields:",
        "manager: kubectl",
        "operation: Apply",
        "apiVersion: apps/v1",
        "fieldsType: FieldsV1",
        "f:replicas: {}",
        "k:{\"name\":\"web\"}:",
        "time: ",
    ] {
        assert!(yaml.contains(want), "{want:?} missing from:\n{yaml}");
    }
    let plain = tug.ok(&["get", "deployment", "web", "-o", "yaml"]);
    assert!(!plain.contains("managedFields"), "{plain}");
}

#[test]
fn label_and_scale_record_their_managers() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(2, "nginx:1.25"));
    assert_eq!(
        tug.ok(&["create", "-f", &v1]).trim(),
        "deployment.apps/web created"
    );
    let d = get_web(&tug);
    let created = entry(&d, "kubectl-create", "Update").expect("kubectl-create");
    assert!(owns(&created, &["f:spec", "f:replicas"]));

    tug.ok(&["label", "deployment", "web", "env=prod"]);
    let d = get_web(&tug);
    let label = entry(&d, "kubectl-label", "Update").expect("kubectl-label");
    assert_eq!(
        label["fieldsV1"],
        serde_json::json!({"f:metadata": {"f:labels": {"f:env": {}}}})
    );

    // `kubectl scale` sends no fieldManager: the manager is the User-Agent's program name.
    tug.ok(&["scale", "deployment", "web", "--replicas=4"]);
    let d = get_web(&tug);
    let want = format!("kubectl.1.{}", suite_kubectl_minor());
    let scale = entries(&d)
        .into_iter()
        .find(|e| e["subresource"] == "scale")
        .unwrap_or_else(|| panic!("no scale entry: {}", Value::Array(entries(&d))));
    assert_eq!(scale["manager"], want.as_str());
    assert_eq!(scale["operation"], "Update");
    assert_eq!(
        scale["fieldsV1"],
        serde_json::json!({"f:spec": {"f:replicas": {}}})
    );
    let created = entry(&d, "kubectl-create", "Update").expect("kubectl-create");
    assert!(!owns(&created, &["f:spec", "f:replicas"]), "{created}");
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
