//! End-to-end: the workload, storage, policy and autoscaling kinds through the real
//! `tug server` and the real kubectl 1.33 — `create -f`, `get` tables with upstream's
//! headers, `get all` in upstream's order, `api-resources`, `scale`, validation messages,
//! and HorizontalPodAutoscalers read through both `autoscaling` versions.

mod support;

use serde_json::Value;
use support::TugServer;

const KINDS: &str = r#"apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv1
spec:
  capacity:
    storage: 5Gi
  accessModes: ["ReadWriteOnce"]
  hostPath:
    path: /data/pv1
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: LimitRange
metadata:
  name: mem
spec:
  limits:
  - type: Container
    max:
      memory: 1Gi
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: counts
spec:
  hard:
    pods: "10"
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: v1
kind: PodTemplate
metadata:
  name: tmpl
template:
  metadata:
    labels:
      app: tmpl
  spec:
    containers:
    - name: web
      image: nginx:1.27
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:16
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
---
apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: db-1
revision: 1
data:
  spec: {}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(20)"]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: db
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: legacy
spec:
  scaleTargetRef:
    apiVersion: v1
    kind: ReplicationController
    name: legacy
  minReplicas: 1
  maxReplicas: 4
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 60
"#;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

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
fn every_kind_is_created_and_printed_with_upstreams_columns() {
    let tug = TugServer::start();
    let out = tug.ok(&["create", "-f", &tug.manifest("kinds.yaml", KINDS)]);
    for line in [
        "persistentvolume/pv1 created",
        "persistentvolumeclaim/data created",
        "limitrange/mem created",
        "resourcequota/counts created",
        "replicationcontroller/legacy created",
        "podtemplate/tmpl created",
        "statefulset.apps/db created",
        "daemonset.apps/agent created",
        "controllerrevision.apps/db-1 created",
        "job.batch/pi created",
        "cronjob.batch/hello created",
        "poddisruptionbudget.policy/db created",
        "horizontalpodautoscaler.autoscaling/legacy created",
    ] {
        assert!(out.contains(line), "missing {line:?}:\n{out}");
    }
    assert_eq!(
        tug.describe_each_created(&out),
        13,
        "describe works for every kind"
    );
    let headers = [
        (
            "pv",
            "NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE",
        ),
        (
            "pvc",
            "NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE",
        ),
        ("limits", "NAME CREATED AT"),
        ("quota", "NAME AGE REQUEST LIMIT"),
        ("rc", "NAME DESIRED CURRENT READY AGE"),
        ("podtemplates", "NAME CONTAINERS IMAGES POD LABELS"),
        ("sts", "NAME READY AGE"),
        (
            "ds",
            "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE",
        ),
        ("controllerrevisions", "NAME CONTROLLER REVISION AGE"),
        ("jobs", "NAME STATUS COMPLETIONS DURATION AGE"),
        (
            "cj",
            "NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE",
        ),
        (
            "pdb",
            "NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE",
        ),
        ("hpa", "NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE"),
    ];
    for (kind, want) in headers {
        let table = tug.ok(&["get", kind]);
        assert_eq!(header(&table), want, "kubectl get {kind}:\n{table}");
    }
    let pvc = tug.ok(&["get", "pvc", "data"]);
    assert!(pvc.contains("Pending") && pvc.contains("<unset>"), "{pvc}");
    let pv = tug.ok(&["get", "pv"]);
    assert!(
        pv.contains("5Gi") && pv.contains("RWO") && pv.contains("Retain"),
        "{pv}"
    );
    let jobs = tug.ok(&["get", "jobs"]);
    assert!(jobs.contains("Running") && jobs.contains("0/1"), "{jobs}");
    let cj = tug.ok(&["get", "cj"]);
    assert!(cj.contains("*/5 * * * *") && cj.contains("False"), "{cj}");
    let hpa = tug.ok(&["get", "hpa"]);
    assert!(
        hpa.contains("ReplicationController/legacy") && hpa.contains("cpu: <unknown>/60%"),
        "{hpa}"
    );
    let pdb = tug.ok(&["get", "pdb"]);
    assert!(pdb.contains("N/A"), "{pdb}");

    let job = json(&tug.ok(&["get", "job", "pi", "-o", "json"]));
    assert_eq!(job["spec"]["backoffLimit"], 6);
    assert_eq!(
        job["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"],
        job["metadata"]["uid"]
    );
    let ds = json(&tug.ok(&["get", "ds", "agent", "-o", "json"]));
    assert_eq!(
        ds["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
        1
    );
}

#[test]
fn get_all_follows_upstreams_discovery_order() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("kinds.yaml", KINDS)]);
    let all = tug.ok(&["get", "all"]);
    let order = [
        "replicationcontroller/legacy",
        "service/kubernetes",
        "daemonset.apps/agent",
        "statefulset.apps/db",
        "horizontalpodautoscaler.autoscaling/legacy",
        "cronjob.batch/hello",
        "job.batch/pi",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|name| {
            all.find(name)
                .unwrap_or_else(|| panic!("{name} missing from get all:\n{all}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "kinds out of upstream's order:\n{all}"
    );
    assert!(!all.contains("persistentvolumeclaim"), "{all}");
    assert!(!all.contains("poddisruptionbudget"), "{all}");
}

#[test]
fn api_resources_lists_the_kinds_with_short_names_and_categories() {
    let tug = TugServer::start();
    let out = tug.ok(&["api-resources"]);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let has = |row: &[&str]| rows.iter().any(|r| r.as_slice() == row);
    for row in [
        &["persistentvolumes", "pv", "v1", "false", "PersistentVolume"][..],
        &[
            "persistentvolumeclaims",
            "pvc",
            "v1",
            "true",
            "PersistentVolumeClaim",
        ],
        &["limitranges", "limits", "v1", "true", "LimitRange"],
        &["resourcequotas", "quota", "v1", "true", "ResourceQuota"],
        &[
            "replicationcontrollers",
            "rc",
            "v1",
            "true",
            "ReplicationController",
        ],
        &["podtemplates", "v1", "true", "PodTemplate"],
        &["statefulsets", "sts", "apps/v1", "true", "StatefulSet"],
        &["daemonsets", "ds", "apps/v1", "true", "DaemonSet"],
        &[
            "controllerrevisions",
            "apps/v1",
            "true",
            "ControllerRevision",
        ],
        &["jobs", "batch/v1", "true", "Job"],
        &["cronjobs", "cj", "batch/v1", "true", "CronJob"],
        &[
            "poddisruptionbudgets",
            "pdb",
            "policy/v1",
            "true",
            "PodDisruptionBudget",
        ],
        &[
            "horizontalpodautoscalers",
            "hpa",
            "autoscaling/v2",
            "true",
            "HorizontalPodAutoscaler",
        ],
    ] {
        assert!(has(row), "missing {row:?}:\n{out}");
    }
    let all = tug.ok(&["api-resources", "--categories=all", "-o", "name"]);
    for name in [
        "replicationcontrollers",
        "statefulsets.apps",
        "daemonsets.apps",
        "jobs.batch",
        "cronjobs.batch",
        "horizontalpodautoscalers.autoscaling",
    ] {
        assert!(
            all.lines().any(|l| l == name),
            "{name} not in category all:\n{all}"
        );
    }
}

#[test]
fn scale_status_and_validation_behave_as_upstream() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("kinds.yaml", KINDS)]);
    assert_eq!(
        tug.ok(&["scale", "sts", "db", "--replicas=3"]).trim(),
        "statefulset.apps/db scaled"
    );
    assert_eq!(
        tug.ok(&["scale", "rc", "legacy", "--replicas=5"]).trim(),
        "replicationcontroller/legacy scaled"
    );
    let sts = json(&tug.ok(&["get", "sts", "db", "-o", "json"]));
    assert_eq!(sts["spec"]["replicas"], 3);
    assert_eq!(sts["metadata"]["generation"], 2);
    assert_eq!(
        tug.ok(&["get", "rc", "legacy", "-o", "jsonpath={.spec.replicas}"]),
        "5"
    );

    let err = tug.fails(&[
        "patch",
        "sts",
        "db",
        "--type=merge",
        "-p",
        r#"{"spec":{"serviceName":"other"}}"#,
    ]);
    assert!(
        err.contains("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"),
        "{err}"
    );
    let bad = tug.manifest(
        "bad.yaml",
        r#"apiVersion: batch/v1
kind: CronJob
metadata:
  name: bad
spec:
  schedule: "bad"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
"#,
    );
    let err = tug.fails(&["create", "-f", &bad]);
    assert!(
        err.contains(
            r#"The CronJob "bad" is invalid: spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]"#
        ),
        "{err}"
    );
    let err = tug.fails(&[
        "patch",
        "job",
        "pi",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"perl:5.36"}]"#,
    ]);
    assert!(
        err.contains("spec.template: Invalid value") && err.contains("field is immutable"),
        "{err}"
    );
}

#[test]
fn an_hpa_reads_through_both_autoscaling_versions() {
    let tug = TugServer::start();
    tug.ok(&["create", "-f", &tug.manifest("kinds.yaml", KINDS)]);
    let v1 = json(&tug.ok(&[
        "get",
        "horizontalpodautoscalers.v1.autoscaling",
        "legacy",
        "-o",
        "json",
    ]));
    assert_eq!(v1["apiVersion"], "autoscaling/v1");
    assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 60);
    let v2 = json(&tug.ok(&["get", "hpa", "legacy", "-o", "json"]));
    assert_eq!(v2["apiVersion"], "autoscaling/v2");
    assert_eq!(v2["spec"]["metrics"][0]["resource"]["name"], "cpu");

    let v1_manifest = tug.manifest(
        "hpa-v1.yaml",
        r#"apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  maxReplicas: 3
"#,
    );
    tug.ok(&["create", "-f", &v1_manifest]);
    let v2 = json(&tug.ok(&["get", "hpa", "web", "-o", "json"]));
    assert_eq!(
        v2["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
        80
    );
    assert_eq!(v2["spec"]["minReplicas"], 1);
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
