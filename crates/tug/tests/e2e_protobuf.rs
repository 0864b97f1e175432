//! End-to-end: kubectl 1.32+ sends `kubectl create <generator>` bodies as protobuf
//! (`application/vnd.kubernetes.protobuf`, wire contract §7.10); kubectl 1.31 sends the same
//! objects as JSON. Two checks per generator:
//!
//! * wire exactness: the body kubectl 1.33 sent (read from its `-v=10` hex dump), decoded by
//!   `tug_apiserver::protobuf::decode`, equals the Go `encoding/json` form of the same object
//!   (`kubectl 1.33 create … --dry-run=client -o json`, with Go's `null`s dropped). This runs
//!   for every generator, also for kinds tug does not serve yet (kubectl sends the body
//!   before it sees the 404).
//! * storage equality: for the kinds tug serves (`tug_api::resources`), the object stored
//!   from kubectl 1.33's protobuf equals the one stored from kubectl 1.31's JSON, server-set
//!   fields aside. For a kind tug does not serve, the test asserts the 404 instead, so the
//!   comparison starts by itself when the kind is added.

mod support;

use std::process::Output;

use serde_json::Value;
use support::TugServer;
use tug_apiserver::protobuf;

const PROTOBUF_MINOR: u32 = 33;
const JSON_MINOR: u32 = 31;

/// A `kubectl create` generator: its arguments after `create`, `kind/name` for `get`, and
/// the group and kind it creates.
struct Generator {
    args: Vec<String>,
    get: &'static str,
    group: &'static str,
    kind: &'static str,
}

fn generator(args: &[&str], get: &'static str) -> Generator {
    let (group, kind) = match args[0] {
        "deployment" => ("apps", "Deployment"),
        "configmap" => ("", "ConfigMap"),
        "secret" => ("", "Secret"),
        "service" => ("", "Service"),
        "serviceaccount" => ("", "ServiceAccount"),
        "namespace" => ("", "Namespace"),
        "quota" => ("", "ResourceQuota"),
        "job" => ("batch", "Job"),
        "cronjob" => ("batch", "CronJob"),
        "role" => ("rbac.authorization.k8s.io", "Role"),
        "rolebinding" => ("rbac.authorization.k8s.io", "RoleBinding"),
        "clusterrole" => ("rbac.authorization.k8s.io", "ClusterRole"),
        "clusterrolebinding" => ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        "poddisruptionbudget" => ("policy", "PodDisruptionBudget"),
        "priorityclass" => ("scheduling.k8s.io", "PriorityClass"),
        "ingress" => ("networking.k8s.io", "Ingress"),
        other => panic!("unknown generator {other}"),
    };
    Generator {
        args: args.iter().map(|a| a.to_string()).collect(),
        get,
        group,
        kind,
    }
}

/// Every generator but `create namespace` (its own test).
fn generators(tug: &TugServer) -> Vec<Generator> {
    let blob = tug.dir.path().join("blob.bin");
    std::fs::write(&blob, [0xff, 0xfe, 0x00, 0x01]).expect("write blob");
    let pki = tug.dir.path().join("pki");
    vec![
        generator(
            &["deployment", "web", "--image=nginx:1.25", "--replicas=2"],
            "deployment/web",
        ),
        generator(
            &[
                "deployment",
                "multi",
                "--image=nginx:1.25",
                "--image=busybox:1.36",
                "--port=8080",
                "--replicas=0",
            ],
            "deployment/multi",
        ),
        generator(
            &[
                "deployment",
                "cmd",
                "--image=busybox:1.36",
                "--",
                "sleep",
                "3600",
            ],
            "deployment/cmd",
        ),
        generator(&["configmap", "c", "--from-literal=a=1"], "configmap/c"),
        generator(
            &[
                "configmap",
                "bin",
                &format!("--from-file=blob={}", blob.display()),
                "--from-literal=text=hello",
            ],
            "configmap/bin",
        ),
        generator(
            &[
                "secret",
                "generic",
                "s",
                "--from-literal=k=v",
                "--type=Opaque",
            ],
            "secret/s",
        ),
        generator(
            &[
                "secret",
                "docker-registry",
                "dr",
                "--docker-server=registry.example.com",
                "--docker-username=u",
                "--docker-password=p",
            ],
            "secret/dr",
        ),
        generator(
            &[
                "secret",
                "tls",
                "tls",
                &format!("--cert={}", pki.join("ca.crt").display()),
                &format!("--key={}", pki.join("ca.key").display()),
            ],
            "secret/tls",
        ),
        generator(
            &["service", "clusterip", "svc", "--tcp=80:8080"],
            "service/svc",
        ),
        generator(
            &["service", "clusterip", "headless", "--clusterip=None"],
            "service/headless",
        ),
        generator(
            &["service", "nodeport", "np", "--tcp=80:8080"],
            "service/np",
        ),
        generator(
            &["service", "loadbalancer", "lb", "--tcp=443:https"],
            "service/lb",
        ),
        generator(
            &[
                "service",
                "externalname",
                "ext",
                "--external-name=example.com",
            ],
            "service/ext",
        ),
        generator(&["serviceaccount", "sa1"], "serviceaccount/sa1"),
        generator(
            &["job", "j", "--image=busybox:1.36", "--", "echo", "hi"],
            "job/j",
        ),
        generator(
            &[
                "cronjob",
                "cj",
                "--image=busybox:1.36",
                "--schedule=*/5 * * * *",
                "--restart=OnFailure",
            ],
            "cronjob/cj",
        ),
        generator(
            &[
                "role",
                "r",
                "--verb=get,list",
                "--resource=pods,deployments.apps",
            ],
            "role/r",
        ),
        generator(
            &[
                "rolebinding",
                "rb",
                "--role=r",
                "--user=alice",
                "--group=devs",
            ],
            "rolebinding/rb",
        ),
        generator(
            &["clusterrole", "cr", "--verb=get", "--resource=pods"],
            "clusterrole/cr",
        ),
        generator(
            &[
                "clusterrolebinding",
                "crb",
                "--clusterrole=cr",
                "--serviceaccount=default:sa1",
            ],
            "clusterrolebinding/crb",
        ),
        generator(
            &["quota", "q", "--hard=pods=10,cpu=1500m,memory=1Gi"],
            "quota/q",
        ),
        generator(
            &[
                "poddisruptionbudget",
                "pdb",
                "--selector=app=web",
                "--min-available=50%",
            ],
            "pdb/pdb",
        ),
        generator(
            &[
                "priorityclass",
                "pc",
                "--value=1000",
                "--preemption-policy=Never",
            ],
            "priorityclass/pc",
        ),
        generator(
            &[
                "ingress",
                "ing",
                "--rule=foo.com/bar*=svc1:8080,tls=my-cert",
                "--class=nginx",
            ],
            "ingress/ing",
        ),
    ]
}

/// `kubectl [flags] -n NS create <generator>`, with the flags kept before a `--`.
fn create_args(flags: &[&str], ns: &str, g: &Generator) -> Vec<String> {
    let mut args: Vec<String> = ["-n", ns, "create"].map(String::from).to_vec();
    let dash = g
        .args
        .iter()
        .position(|a| a == "--")
        .unwrap_or(g.args.len());
    args.extend(g.args[..dash].iter().cloned());
    args.extend(flags.iter().map(|f| f.to_string()));
    args.extend(g.args[dash..].iter().cloned());
    args
}

fn run(tug: &TugServer, minor: u32, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tug.kubectl_version(minor, &args, None)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The request body kubectl printed at `-v=10` (client-go's hex dump, one block per body).
fn request_body(log: &str) -> Vec<u8> {
    let mut lines = log.lines();
    lines
        .by_ref()
        .find(|l| l.contains(r#""Request Body" body=<"#))
        .unwrap_or_else(|| panic!("no request body in the kubectl log:\n{log}"));
    let mut body = Vec::new();
    for line in lines {
        let line = line.trim();
        if line == ">" {
            return body;
        }
        let hex = line.split('|').next().unwrap_or("");
        for byte in hex.split_whitespace().skip(1) {
            body.push(u8::from_str_radix(byte, 16).unwrap_or_else(|e| {
                panic!("bad hex dump line {line:?}: {e}");
            }));
        }
    }
    panic!("unterminated request body in the kubectl log:\n{log}")
}

/// Go's `null`s (zero times, nil slices without `omitempty`) mean "absent".
fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Sends `create <args>` with kubectl 1.33 in `ns` and checks the protobuf body it sent
/// against the Go JSON form of the same object. Returns kubectl's output.
fn check_wire(tug: &TugServer, ns: &str, g: &Generator) -> Output {
    let dry = create_args(&["--dry-run=client", "-o", "json"], ns, g);
    let mut want: Value = serde_json::from_str(&assert_ok(
        &run(tug, PROTOBUF_MINOR, &dry),
        &format!("kubectl 1.{PROTOBUF_MINOR} {}", dry.join(" ")),
    ))
    .expect("dry-run output is JSON");
    drop_nulls(&mut want);

    let out = run(tug, PROTOBUF_MINOR, &create_args(&["-v=10"], ns, g));
    let log = stderr(&out);
    assert!(
        log.contains("Content-Type: application/vnd.kubernetes.protobuf"),
        "kubectl 1.{PROTOBUF_MINOR} create {} did not send protobuf:\n{log}",
        g.args.join(" ")
    );
    let body = request_body(&log);
    assert!(body.starts_with(&protobuf::MAGIC), "{body:?}");
    let got = protobuf::decode(&body)
        .unwrap_or_else(|e| panic!("decoding the body of create {}: {e}", g.args.join(" ")));
    assert_eq!(
        got,
        want,
        "create {}: decoded protobuf (left) differs from Go's JSON (right)",
        g.args.join(" ")
    );
    out
}

fn replace_string(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s == from => *s = to.to_string(),
        Value::Object(m) => m.values_mut().for_each(|x| replace_string(x, from, to)),
        Value::Array(a) => a.iter_mut().for_each(|x| replace_string(x, from, to)),
        _ => {}
    }
}

/// An object as stored, without what the server sets: identity, timestamps, versions,
/// the namespace, and allocated addresses and ports.
fn stored(tug: &TugServer, ns: Option<&str>, get: &str) -> Value {
    let mut args = vec!["get", get, "-o", "json"];
    if let Some(ns) = ns {
        args.extend(["-n", ns]);
    }
    let mut v: Value = serde_json::from_str(&tug.ok(&args)).expect("get -o json is JSON");
    // The uid also appears where the server copies it (a Job's controller-uid labels).
    if let Some(uid) = v["metadata"]["uid"].as_str().map(str::to_string) {
        replace_string(&mut v, &uid, "<uid>");
    }
    if let Some(m) = v["metadata"].as_object_mut() {
        for k in [
            "uid",
            "creationTimestamp",
            "resourceVersion",
            "namespace",
            "managedFields",
        ] {
            m.remove(k);
        }
    }
    if let Some(spec) = v["spec"].as_object_mut() {
        if spec.get("clusterIP").and_then(Value::as_str) != Some("None") {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
        spec.remove("healthCheckNodePort");
        if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
            for p in ports {
                if let Some(p) = p.as_object_mut() {
                    p.remove("nodePort");
                }
            }
        }
    }
    v
}

#[test]
fn protobuf_creates_store_what_json_creates() {
    let tug = TugServer::start();
    tug.ok(&["create", "namespace", "pb"]);
    tug.ok(&["create", "namespace", "js"]);
    for g in generators(&tug) {
        let what = format!("create {}", g.args.join(" "));
        let info = tug_api::resources::find_kind(g.group, g.kind);
        let out = check_wire(&tug, "pb", &g);
        let Some(info) = info else {
            // Not served yet: the body was checked; the server must say so, not accept it.
            assert!(
                !out.status.success()
                    && stderr(&out).contains("the server could not find the requested resource"),
                "{what}: {}/{} is not in tug_api::resources, expected a 404:\n{}",
                g.group,
                g.kind,
                stderr(&out)
            );
            continue;
        };
        assert_ok(&out, &format!("kubectl 1.{PROTOBUF_MINOR} {what}"));
        let (pb, js) = if info.namespaced {
            (Some("pb"), Some("js"))
        } else {
            (None, None)
        };
        let from_protobuf = stored(&tug, pb, g.get);
        if !info.namespaced {
            tug.ok(&["delete", g.get]);
        }
        let out = run(&tug, JSON_MINOR, &create_args(&["-v=8"], "js", &g));
        assert_ok(&out, &format!("kubectl 1.{JSON_MINOR} {what}"));
        assert!(
            stderr(&out).contains("Content-Type: application/json")
                && !stderr(&out).contains("application/vnd.kubernetes.protobuf"),
            "kubectl 1.{JSON_MINOR} was expected to send JSON:\n{}",
            stderr(&out)
        );
        assert_eq!(
            from_protobuf,
            stored(&tug, js, g.get),
            "{what}: stored from protobuf (left) vs from JSON (right)"
        );
    }
}

#[test]
fn protobuf_namespace_matches_json_namespace() {
    let tug = TugServer::start();
    let g = generator(&["namespace", "team1"], "namespace/team1");
    assert_ok(
        &check_wire(&tug, "default", &g),
        "kubectl 1.33 create namespace team1",
    );
    assert_ok(
        &tug.kubectl_version(JSON_MINOR, &["create", "namespace", "team2"], None),
        "kubectl 1.31 create namespace team2",
    );
    let strip = |mut v: Value, name: &str| {
        assert_eq!(v["metadata"]["name"], name);
        assert_eq!(v["metadata"]["labels"]["kubernetes.io/metadata.name"], name);
        let m = v["metadata"].as_object_mut().expect("metadata");
        m.remove("name");
        m["labels"]
            .as_object_mut()
            .expect("labels")
            .remove("kubernetes.io/metadata.name");
        v
    };
    assert_eq!(
        strip(stored(&tug, None, "namespace/team1"), "team1"),
        strip(stored(&tug, None, "namespace/team2"), "team2")
    );
}
