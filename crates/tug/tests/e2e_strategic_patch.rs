//! End-to-end: the commands of the real kubectl 1.33 that send strategic merge patches —
//! client-side `apply`, `diff`, `patch`, `set image`, `set env`, `edit`, `rollout restart` —
//! against the real `tug server`.

mod support;

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::{TugServer, kubectl_binary};

fn deployment(replicas: u32, image: &str, env: &[(&str, &str)], ports: &[u16]) -> String {
    let mut s = format!(
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
    );
    if !env.is_empty() {
        s.push_str("        env:\n");
        for (k, v) in env {
            s.push_str(&format!("        - name: {k}\n          value: \"{v}\"\n"));
        }
    }
    if !ports.is_empty() {
        s.push_str("        ports:\n");
        for p in ports {
            s.push_str(&format!("        - containerPort: {p}\n"));
        }
    }
    s
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn get_web(tug: &TugServer) -> Value {
    json(&tug.ok(&["get", "deployment", "web", "-o", "json"]))
}

fn web_container(d: &Value) -> &Value {
    &d["spec"]["template"]["spec"]["containers"][0]
}

fn env_of(d: &Value) -> Vec<(String, String)> {
    web_container(d)["env"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["name"].as_str().unwrap_or("").to_string(),
                        e["value"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn ports_of(d: &Value) -> Vec<i64> {
    web_container(d)["ports"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["containerPort"].as_i64())
                .collect()
        })
        .unwrap_or_default()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// kubectl 1.33 with extra environment variables (`EDITOR` for `edit`).
fn kubectl_env(tug: &TugServer, args: &[&str], env: &[(&str, &str)]) -> Output {
    let cache = tempfile::tempdir().expect("cache dir");
    let mut cmd = Command::new(kubectl_binary(33));
    cmd.arg("--kubeconfig")
        .arg(&tug.kubeconfig)
        .arg("--cache-dir")
        .arg(cache.path())
        .args(args)
        .env_remove("KUBECONFIG")
        .env_remove("KUBE_EDITOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("kubectl runs")
}

#[test]
fn apply_creates_then_configures_with_a_strategic_merge_patch_then_reports_unchanged() {
    let tug = TugServer::start();
    let v1 = tug.manifest(
        "v1.yaml",
        &deployment(2, "nginx:1.25", &[("A", "1")], &[80, 8080]),
    );
    assert_eq!(
        tug.ok(&["apply", "-f", &v1]).trim(),
        "deployment.apps/web created"
    );

    // replicas 2→3, image 1.25→1.26, env B added, port 8080 removed.
    let v2 = tug.manifest(
        "v2.yaml",
        &deployment(3, "nginx:1.26", &[("A", "1"), ("B", "2")], &[80]),
    );
    assert_eq!(
        tug.ok(&["apply", "-f", &v2]).trim(),
        "deployment.apps/web configured"
    );
    let d = get_web(&tug);
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(web_container(&d)["image"], "nginx:1.26");
    assert_eq!(
        env_of(&d),
        [("A".into(), "1".into()), ("B".into(), "2".into())]
    );
    assert_eq!(ports_of(&d), [80]);
    assert_eq!(d["metadata"]["generation"], 2);
    let last = d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
        .as_str()
        .expect("last-applied");
    assert!(
        last.contains("nginx:1.26") && last.ends_with('\n'),
        "{last}"
    );

    assert_eq!(
        tug.ok(&["apply", "-f", &v2]).trim(),
        "deployment.apps/web unchanged"
    );
    assert_eq!(
        get_web(&tug)["metadata"]["resourceVersion"],
        d["metadata"]["resourceVersion"]
    );

    // Fields the server defaulted and changes made by others survive a re-apply.
    tug.ok(&["label", "deployment", "web", "owner=ops"]);
    let v3 = tug.manifest(
        "v3.yaml",
        &deployment(3, "nginx:1.27", &[("A", "1"), ("B", "2")], &[80]),
    );
    assert_eq!(
        tug.ok(&["apply", "-f", &v3]).trim(),
        "deployment.apps/web configured"
    );
    let d = get_web(&tug);
    assert_eq!(d["metadata"]["labels"]["owner"], "ops");
    assert_eq!(web_container(&d)["imagePullPolicy"], "IfNotPresent");
    assert_eq!(web_container(&d)["image"], "nginx:1.27");
}

#[test]
fn diff_exits_1_with_a_diff_when_the_manifest_changed_and_0_when_not() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(2, "nginx:1.25", &[], &[80]));
    tug.ok(&["apply", "-f", &v1]);
    let before = get_web(&tug);

    let same = tug.kubectl(&["diff", "-f", &v1]);
    assert_eq!(
        same.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        text(&same.stdout),
        text(&same.stderr)
    );
    assert_eq!(text(&same.stdout), "");

    let v2 = tug.manifest("v2.yaml", &deployment(4, "nginx:1.26", &[], &[80]));
    let changed = tug.kubectl(&["diff", "-f", &v2]);
    let out = text(&changed.stdout);
    assert_eq!(
        changed.status.code(),
        Some(1),
        "stdout: {out}\nstderr: {}",
        text(&changed.stderr)
    );
    let line = |sign: char, text: &str| {
        out.lines().any(|l| {
            l.starts_with(sign)
                && !l.starts_with("---")
                && !l.starts_with("+++")
                && l.contains(text)
        })
    };
    assert!(
        line('-', "replicas: 2") && line('+', "replicas: 4"),
        "{out}"
    );
    assert!(
        line('-', "image: nginx:1.25") && line('+', "image: nginx:1.26"),
        "{out}"
    );
    // The server-side dry run stored nothing.
    assert_eq!(get_web(&tug), before);
}

#[test]
fn patch_with_the_default_strategic_type_merges_lists_by_key() {
    let tug = TugServer::start();
    let v1 = tug.manifest(
        "v1.yaml",
        &deployment(1, "nginx:1.25", &[("A", "1")], &[80]),
    );
    tug.ok(&["apply", "-f", &v1]);
    let out = tug.ok(&[
        "patch",
        "deployment",
        "web",
        "--type",
        "strategic",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"C","value":"3"}]}]}}}}"#,
    ]);
    assert_eq!(out.trim(), "deployment.apps/web patched");
    let d = get_web(&tug);
    let names: Vec<String> = env_of(&d).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        ["C", "A"],
        "a new element without $setElementOrder goes first"
    );
    assert_eq!(web_container(&d)["image"], "nginx:1.25");

    // The default patch type is strategic too; `$patch: delete` removes an element.
    let out = tug.ok(&[
        "patch",
        "deployment",
        "web",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"A","$patch":"delete"}]}]}}}}"#,
    ]);
    assert_eq!(out.trim(), "deployment.apps/web patched");
    assert_eq!(env_of(&get_web(&tug)), [("C".into(), "3".into())]);

    let err = tug.fails(&[
        "patch",
        "deployment",
        "web",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#,
    ]);
    assert!(
        err.contains("does not contain declared merge key: name"),
        "{err}"
    );
}

#[test]
fn set_image_and_set_env_send_strategic_merge_patches() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(1, "nginx:1.25", &[], &[80]));
    tug.ok(&["apply", "-f", &v1]);
    assert_eq!(
        tug.ok(&["set", "image", "deployment/web", "web=nginx:1.26"])
            .trim(),
        "deployment.apps/web image updated"
    );
    assert_eq!(web_container(&get_web(&tug))["image"], "nginx:1.26");
    assert_eq!(
        tug.ok(&["set", "env", "deployment/web", "A=1"]).trim(),
        "deployment.apps/web env updated"
    );
    let d = get_web(&tug);
    assert_eq!(env_of(&d), [("A".into(), "1".into())]);
    assert_eq!(ports_of(&d), [80]);
    tug.ok(&["set", "env", "deployment/web", "B=2"]);
    let names: Vec<String> = env_of(&get_web(&tug)).into_iter().map(|(k, _)| k).collect();
    assert_eq!(names, ["A", "B"]);
}

#[test]
fn edit_with_a_scripted_editor_patches_and_cat_cancels() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(1, "nginx:1.25", &[], &[80]));
    tug.ok(&["apply", "-f", &v1]);

    let script = tug.dir.path().join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/image: nginx:1.25/image: nginx:1.99/' \"$1\"\n",
    )
    .expect("write editor");
    let status = Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .expect("chmod");
    assert!(status.success());
    let editor = script.display().to_string();
    let out = kubectl_env(&tug, &["edit", "deployment", "web"], &[("EDITOR", &editor)]);
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout).trim(), "deployment.apps/web edited");
    let d = get_web(&tug);
    assert_eq!(web_container(&d)["image"], "nginx:1.99");
    assert_eq!(ports_of(&d), [80]);

    let rv = d["metadata"]["resourceVersion"].clone();
    let out = kubectl_env(&tug, &["edit", "deployment", "web"], &[("EDITOR", "cat")]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("Edit cancelled, no changes made."), "{all}");
    assert_eq!(get_web(&tug)["metadata"]["resourceVersion"], rv);
}

#[test]
fn annotate_label_and_rollout_restart_still_work() {
    let tug = TugServer::start();
    let v1 = tug.manifest("v1.yaml", &deployment(1, "nginx:1.25", &[], &[80]));
    tug.ok(&["apply", "-f", &v1]);
    // kubectl 1.27 prints "annotate" (its own typo, fixed in 1.28); the server answers the same.
    let annotated = tug.ok(&["annotate", "deployment", "web", "note=hi"]);
    assert!(
        [
            "deployment.apps/web annotated",
            "deployment.apps/web annotate"
        ]
        .contains(&annotated.trim()),
        "{annotated}"
    );
    assert_eq!(
        tug.ok(&["label", "deployment", "web", "env=prod"]).trim(),
        "deployment.apps/web labeled"
    );
    assert_eq!(
        tug.ok(&["rollout", "restart", "deployment", "web"]).trim(),
        "deployment.apps/web restarted"
    );
    let d = get_web(&tug);
    assert_eq!(d["metadata"]["annotations"]["note"], "hi");
    assert_eq!(d["metadata"]["labels"]["env"], "prod");
    let restarted =
        d["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
            .as_str()
            .unwrap_or("");
    assert!(restarted.ends_with('Z') && restarted.len() >= 20, "{d}");
    assert_eq!(d["spec"]["template"]["metadata"]["labels"]["app"], "web");
    // The client-side apply annotation still names only what was applied.
    let v1 = tug.manifest("v1.yaml", &deployment(1, "nginx:1.25", &[], &[80]));
    assert_eq!(
        tug.ok(&["apply", "-f", &v1]).trim(),
        "deployment.apps/web unchanged"
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
