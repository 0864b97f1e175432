//! End-to-end: every core kind of part 1 created from a file, printed with kube-apiserver's
//! columns, and described, with the real kubectl.

mod support;

use support::TugServer;

const CORE: &str = r#"apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels:
    kubernetes.io/hostname: node-1
    node-role.kubernetes.io/control-plane: ""
status:
  nodeInfo:
    kubeletVersion: v1.33.0
    osImage: Debian GNU/Linux 12
    kernelVersion: 6.1.0
    containerRuntimeVersion: docker://28.2.2
  addresses:
  - type: InternalIP
    address: 192.0.2.10
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  user: admin
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
---
apiVersion: v1
kind: Endpoints
metadata:
  name: web
subsets:
- addresses:
  - ip: 10.244.0.5
  ports:
  - port: 80
---
apiVersion: v1
kind: Event
metadata:
  name: web.1
involvedObject:
  kind: Pod
  name: web
  namespace: default
reason: Started
message: Started container web
type: Normal
source:
  component: kubelet
count: 1
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
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
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: node-1
spec:
  holderIdentity: node-1
  leaseDurationSeconds: 40
"#;

fn header(table: &str) -> String {
    table
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_core_kind_prints_upstreams_columns_and_describes() {
    let tug = TugServer::start();
    let out = tug.ok(&["create", "-f", &tug.manifest("core.yaml", CORE)]);
    assert_eq!(tug.describe_each_created(&out), 9, "{out}");
    for (kind, want) in [
        ("nodes", "NAME STATUS ROLES AGE VERSION"),
        ("namespaces", "NAME STATUS AGE"),
        ("secrets", "NAME TYPE DATA AGE"),
        ("configmaps", "NAME DATA AGE"),
        ("serviceaccounts", "NAME SECRETS AGE"),
        ("endpoints", "NAME ENDPOINTS AGE"),
        ("events", "LAST SEEN TYPE REASON OBJECT MESSAGE"),
        ("replicasets", "NAME DESIRED CURRENT READY AGE"),
        ("leases", "NAME HOLDER AGE"),
    ] {
        let table = tug.ok(&["get", kind]);
        assert_eq!(header(&table), want, "kubectl get {kind}:\n{table}");
    }
    let nodes = tug.ok(&["get", "nodes", "-o", "wide"]);
    assert!(
        nodes.contains("control-plane")
            && nodes.contains("192.0.2.10")
            && nodes.contains("docker://28.2.2"),
        "{nodes}"
    );
    let ep = tug.ok(&["get", "endpoints", "web"]);
    assert!(ep.contains("10.244.0.5:80"), "{ep}");
    let secret = tug.ok(&["get", "secret", "creds"]);
    assert!(secret.contains("Opaque"), "{secret}");
    let ev = tug.ok(&["get", "events"]);
    assert!(
        ev.contains("pod/web") && ev.contains("Started container web"),
        "{ev}"
    );
    let describe = tug.ok(&["describe", "node", "node-1"]);
    assert!(
        describe.contains("Roles:") && describe.contains("control-plane"),
        "{describe}"
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
