//! End-to-end: the discovery, events, networking, storage, scheduling and RBAC kinds through
//! the real `tug server` and the real kubectl 1.33 — `create -f`, `get` tables as upstream
//! prints them, the `kubectl create <kind> --dry-run=client -o yaml | kubectl create -f -`
//! generators, and Events written through `events.k8s.io` showing in `kubectl get events`.

mod support;

use serde_json::Value;
use support::TugServer;

const KINDS: &str = r#"apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints:
- addresses: ["10.1.0.5", "10.1.0.6"]
  conditions:
    ready: true
ports:
- name: http
  port: 8080
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-only
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - ports:
    - port: 80
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: batch-low
value: 100
description: background work
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: cm-reader
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: node-reader
rules:
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-cms
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: cm-reader
subjects:
- kind: User
  name: jane
- kind: ServiceAccount
  name: ci
  namespace: default
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: read-nodes
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: node-reader
subjects:
- kind: Group
  name: ops
"#;

const V1_EVENT: &str = r#"apiVersion: events.k8s.io/v1
kind: Event
metadata:
  name: web.scaled
eventTime: "2026-01-02T03:04:05.000000Z"
reportingController: example.com/scaler
reportingInstance: scaler-1
action: Scale
reason: ScaledUp
type: Normal
note: scaled web to 3 replicas
regarding:
  apiVersion: apps/v1
  kind: Deployment
  name: web
  namespace: default
"#;

fn header(table: &str) -> Vec<String> {
    // Column names may contain a space (`CREATED AT`, `LAST SEEN`): split on 2+ spaces.
    table
        .lines()
        .next()
        .unwrap_or("")
        .split("  ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn row<'a>(table: &'a str, first: &str) -> Vec<&'a str> {
    table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(first))
        .unwrap_or_else(|| panic!("no row {first} in\n{table}"))
        .split_whitespace()
        .collect()
}

#[test]
fn every_kind_creates_from_a_file_and_prints_upstreams_columns() {
    let tug = TugServer::start();
    let out = tug.ok(&["create", "-f", &tug.manifest("kinds.yaml", KINDS)]);
    for created in [
        "endpointslice.discovery.k8s.io/web-abc12 created",
        "ingressclass.networking.k8s.io/nginx created",
        "ingress.networking.k8s.io/web created",
        "networkpolicy.networking.k8s.io/web-only created",
        "storageclass.storage.k8s.io/standard created",
        "priorityclass.scheduling.k8s.io/batch-low created",
        "role.rbac.authorization.k8s.io/cm-reader created",
        "clusterrole.rbac.authorization.k8s.io/node-reader created",
        "rolebinding.rbac.authorization.k8s.io/read-cms created",
        "clusterrolebinding.rbac.authorization.k8s.io/read-nodes created",
    ] {
        assert!(out.contains(created), "missing {created:?} in\n{out}");
    }
    assert!(
        tug.describe_each_created(&out) >= 10,
        "describe works for every kind"
    );

    let cases: &[(&str, &[&str])] = &[
        (
            "endpointslices",
            &["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
        ),
        (
            "ing",
            &["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        ),
        (
            "ingressclasses",
            &["NAME", "CONTROLLER", "PARAMETERS", "AGE"],
        ),
        ("netpol", &["NAME", "POD-SELECTOR", "AGE"]),
        (
            "sc",
            &[
                "NAME",
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
        ),
        (
            "pc",
            &["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
        ),
        ("roles", &["NAME", "CREATED AT"]),
        ("clusterroles", &["NAME", "CREATED AT"]),
        ("rolebindings", &["NAME", "ROLE", "AGE"]),
        ("clusterrolebindings", &["NAME", "ROLE", "AGE"]),
    ];
    for (resource, want) in cases {
        let table = tug.ok(&["get", resource]);
        assert_eq!(header(&table), *want, "kubectl get {resource}:\n{table}");
    }

    let slices = tug.ok(&["get", "endpointslices"]);
    assert_eq!(
        &row(&slices, "web-abc12")[..4],
        ["web-abc12", "IPv4", "8080", "10.1.0.5,10.1.0.6"]
    );
    let ing = tug.ok(&["get", "ingress", "web"]);
    assert_eq!(&row(&ing, "web")[..3], ["web", "nginx", "web.example.com"]);
    let np = tug.ok(&["get", "networkpolicy", "web-only"]);
    assert_eq!(&row(&np, "web-only")[..2], ["web-only", "app=web"]);
    let sc = tug.ok(&["get", "storageclass"]);
    assert_eq!(
        &row(&sc, "standard")[..6],
        [
            "standard",
            "(default)",
            "rancher.io/local-path",
            "Delete",
            "WaitForFirstConsumer",
            "false"
        ]
    );
    let pcs = tug.ok(&["get", "priorityclasses"]);
    assert_eq!(
        &row(&pcs, "system-node-critical")[..3],
        ["system-node-critical", "2000001000", "false"]
    );
    assert_eq!(row(&pcs, "batch-low")[4], "PreemptLowerPriority");
    let wide = tug.ok(&["get", "rolebindings", "-o", "wide"]);
    assert_eq!(
        header(&wide),
        ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]
    );
    let rb = row(&wide, "read-cms");
    assert_eq!(rb[1], "Role/cm-reader");
    assert_eq!(rb[3], "jane");
    assert_eq!(rb[4], "default/ci");

    let pc: Value =
        serde_json::from_str(&tug.ok(&["get", "pc", "batch-low", "-o", "json"])).expect("json");
    assert_eq!(pc["preemptionPolicy"], "PreemptLowerPriority");
    let np: Value =
        serde_json::from_str(&tug.ok(&["get", "netpol", "web-only", "-o", "json"])).expect("json");
    assert_eq!(np["spec"]["policyTypes"], serde_json::json!(["Ingress"]));
    assert_eq!(np["spec"]["ingress"][0]["ports"][0]["protocol"], "TCP");
}

#[test]
fn kubectl_create_generators_round_trip_through_the_server() {
    let tug = TugServer::start();
    let generated: &[(&[&str], &str)] = &[
        (
            &[
                "create",
                "role",
                "pod-reader",
                "--verb=get,list,watch",
                "--resource=pods",
            ],
            "role.rbac.authorization.k8s.io/pod-reader created",
        ),
        (
            &[
                "create",
                "clusterrole",
                "pod-lister",
                "--verb=list",
                "--resource=pods",
            ],
            "clusterrole.rbac.authorization.k8s.io/pod-lister created",
        ),
        (
            &[
                "create",
                "rolebinding",
                "read-pods",
                "--role=pod-reader",
                "--user=jane",
                "--group=devs",
                "--serviceaccount=default:ci",
            ],
            "rolebinding.rbac.authorization.k8s.io/read-pods created",
        ),
        (
            &[
                "create",
                "clusterrolebinding",
                "list-pods",
                "--clusterrole=pod-lister",
                "--user=jane",
            ],
            "clusterrolebinding.rbac.authorization.k8s.io/list-pods created",
        ),
        (
            &[
                "create",
                "priorityclass",
                "high",
                "--value=1000",
                "--description=important work",
            ],
            "priorityclass.scheduling.k8s.io/high created",
        ),
        (
            &[
                "create",
                "ingress",
                "web",
                "--class=nginx",
                "--rule=web.example.com/=web:80",
                "--rule=web.example.com/api*=api:8080,tls=web-tls",
            ],
            "ingress.networking.k8s.io/web created",
        ),
    ];
    for (args, created) in generated {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--dry-run=client", "-o", "yaml"]);
        let yaml = tug.ok(&full);
        let out = tug.kubectl_stdin(&["create", "-f", "-"], &yaml);
        assert!(
            out.status.success(),
            "kubectl create -f - of\n{yaml}\nfailed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(created), "{stdout}");
    }

    let wide = tug.ok(&["get", "rolebinding", "read-pods", "-o", "wide"]);
    let rb = row(&wide, "read-pods");
    assert_eq!(
        (rb[1], rb[3], rb[4], rb[5]),
        ("Role/pod-reader", "jane", "devs", "default/ci")
    );
    let ing = tug.ok(&["get", "ingress", "web"]);
    let r = row(&ing, "web");
    assert_eq!((r[1], r[2]), ("nginx", "web.example.com"));
    assert_eq!(&r[3..5], ["80,", "443"], "{ing}");
    let pcs = tug.ok(&["get", "pc", "high"]);
    assert_eq!(&row(&pcs, "high")[..3], ["high", "1000", "false"]);

    // The generated objects keep upstream's rules once stored.
    let err = tug.fails(&[
        "patch",
        "rolebinding",
        "read-pods",
        "--type=merge",
        "-p",
        r#"{"roleRef":{"kind":"ClusterRole","name":"pod-lister"}}"#,
    ]);
    assert!(err.contains("cannot change roleRef"), "{err}");
    let err = tug.fails(&["delete", "priorityclass", "system-cluster-critical"]);
    assert!(
        err.contains("this is a system priority class and cannot be deleted"),
        "{err}"
    );
    let err = tug.fails(&["create", "priorityclass", "system-mine", "--value=1"]);
    assert!(
        err.contains("priority class names with 'system-' prefix are reserved for system use only"),
        "{err}"
    );
}

#[test]
fn events_created_through_events_k8s_io_show_in_kubectl_get_events() {
    let tug = TugServer::start();
    let out = tug.ok(&["create", "-f", &tug.manifest("event.yaml", V1_EVENT)]);
    assert!(
        out.contains("event.events.k8s.io/web.scaled created"),
        "{out}"
    );
    let events = tug.ok(&["get", "events"]);
    assert_eq!(
        header(&events),
        ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        "{events}"
    );
    let line = events
        .lines()
        .find(|l| l.contains("ScaledUp"))
        .unwrap_or_else(|| panic!("no ScaledUp event in\n{events}"));
    assert!(
        line.contains("Normal")
            && line.contains("deployment/web")
            && line.contains("scaled web to 3 replicas"),
        "{line}"
    );
    let core: Value = serde_json::from_str(&tug.ok(&["get", "events", "web.scaled", "-o", "json"]))
        .expect("json");
    assert_eq!(core["apiVersion"], "v1");
    assert_eq!(core["message"], "scaled web to 3 replicas");
    assert_eq!(core["reportingComponent"], "example.com/scaler");
    let v1: Value = serde_json::from_str(&tug.ok(&[
        "get",
        "events.v1.events.k8s.io",
        "web.scaled",
        "-o",
        "json",
    ]))
    .expect("json");
    assert_eq!(v1["apiVersion"], "events.k8s.io/v1");
    assert_eq!(v1["note"], "scaled web to 3 replicas");
    let wide = tug.ok(&["get", "events.events.k8s.io", "-o", "wide"]);
    assert!(wide.contains("example.com/scaler, scaler-1"), "{wide}");

    // A new event without eventTime is refused by events.k8s.io with upstream's message.
    let missing = V1_EVENT.replace("eventTime: \"2026-01-02T03:04:05.000000Z\"\n", "");
    let out = tug.kubectl_stdin(&["create", "-f", "-"], &missing.replace("web.scaled", "e2"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("eventTime: Required value"), "{err}");
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
