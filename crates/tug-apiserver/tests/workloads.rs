//! The workload, storage and policy kinds through the REST layer, in-process: upstream's
//! defaults, generated fields, validation messages, status and scale subresources, tables,
//! and HorizontalPodAutoscalers served in `autoscaling/v2` and `autoscaling/v1` from one
//! storage.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::Api;

const NS: &str = "/api/v1/namespaces/default";
const APPS: &str = "/apis/apps/v1/namespaces/default";
const BATCH: &str = "/apis/batch/v1/namespaces/default";
const HPA_V2: &str = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
const HPA_V1: &str = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";

fn template(app: &str, restart: Option<&str>) -> Value {
    let mut spec = json!({"containers": [{"name": "c", "image": "nginx:1.27"}]});
    if let Some(r) = restart {
        spec["restartPolicy"] = json!(r);
    }
    json!({"metadata": {"labels": {"app": app}}, "spec": spec})
}

async fn created(api: &Api, uri: &str, body: Value) -> Value {
    let r = api.post(uri, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

fn causes(body: &Value) -> Vec<String> {
    body["details"]["causes"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    format!(
                        "{}: {}",
                        c["field"].as_str().unwrap_or(""),
                        c["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn table_columns(api: &Api, uri: &str) -> (Vec<String>, Value) {
    let r = api
        .send(api.request(
            Method::GET,
            uri,
            "application/json",
            "",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cols = r.body["columnDefinitions"]
        .as_array()
        .expect("columns")
        .iter()
        .filter(|c| c["priority"] == 0)
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    (cols, r.body["rows"].clone())
}

#[tokio::test]
async fn a_job_gets_upstreams_defaults_generated_selector_and_immutable_template() {
    let api = Api::new().await;
    let job = created(
        &api,
        &format!("{BATCH}/jobs"),
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
               "spec": {"template": {"spec": {"restartPolicy": "Never",
                   "containers": [{"name": "pi", "image": "perl:5.34"}]}}}}),
    )
    .await;
    let uid = job["metadata"]["uid"].as_str().expect("uid").to_string();
    let spec = &job["spec"];
    assert_eq!(spec["completions"], 1);
    assert_eq!(spec["parallelism"], 1);
    assert_eq!(spec["backoffLimit"], 6);
    assert_eq!(spec["completionMode"], "NonIndexed");
    assert_eq!(spec["suspend"], false);
    assert_eq!(spec["manualSelector"], false);
    assert_eq!(spec["podReplacementPolicy"], "TerminatingOrFailed");
    assert_eq!(
        spec["selector"],
        json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}})
    );
    assert_eq!(
        spec["template"]["metadata"]["labels"]["batch.kubernetes.io/job-name"],
        "pi"
    );
    assert_eq!(job["metadata"]["labels"]["job-name"], "pi");
    assert_eq!(job["metadata"]["generation"], 1);
    assert_eq!(job["status"], json!({}));

    let mut changed = job.clone();
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = json!("perl:5.36");
    let r = api.put(&format!("{BATCH}/jobs/pi"), changed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        causes(&r.body).iter().any(|c| c
            .starts_with("spec.template: Invalid value: core.PodTemplateSpec")
            && c.ends_with("field is immutable")),
        "{}",
        r.body
    );

    let (cols, rows) = table_columns(&api, &format!("{BATCH}/jobs")).await;
    assert_eq!(cols, ["Name", "Status", "Completions", "Duration", "Age"]);
    assert_eq!(rows[0]["cells"][1], "Running");
    assert_eq!(rows[0]["cells"][2], "0/1");
    let sel = api
        .get(&format!("{BATCH}/jobs?fieldSelector=status.successful=0"))
        .await;
    assert_eq!(sel.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn job_templates_must_restart_on_failure_or_never() {
    let api = Api::new().await;
    let r = api
        .post(
            &format!("{BATCH}/jobs"),
            json!({"metadata": {"name": "bad"}, "spec": {"template": template("x", None)}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["message"],
        "Job.batch \"bad\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
    );
}

#[tokio::test]
async fn cron_jobs_reject_bad_schedules_with_the_parsers_message() {
    let api = Api::new().await;
    let body = |schedule: &str| {
        json!({"metadata": {"name": "hello"}, "spec": {"schedule": schedule,
            "jobTemplate": {"spec": {"template": template("h", Some("OnFailure"))}}}})
    };
    let r = api.post(&format!("{BATCH}/cronjobs"), body("bad")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        causes(&r.body),
        ["spec.schedule: Invalid value: \"bad\": expected exactly 5 fields, found 1: [bad]"]
    );
    let cj = created(&api, &format!("{BATCH}/cronjobs"), body("*/5 * * * *")).await;
    assert_eq!(cj["spec"]["concurrencyPolicy"], "Allow");
    assert_eq!(cj["spec"]["suspend"], false);
    assert_eq!(cj["spec"]["successfulJobsHistoryLimit"], 3);
    assert_eq!(cj["spec"]["failedJobsHistoryLimit"], 1);
    assert_eq!(cj["metadata"]["generation"], 1);
    let (cols, rows) = table_columns(&api, &format!("{BATCH}/cronjobs")).await;
    assert_eq!(
        cols,
        [
            "Name",
            "Schedule",
            "Timezone",
            "Suspend",
            "Active",
            "Last Schedule",
            "Age"
        ]
    );
    assert_eq!(rows[0]["cells"][3], "False");
}

fn stateful_set(name: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
           "spec": {"serviceName": name, "selector": {"matchLabels": {"app": name}},
                    "template": template(name, None)}})
}

#[tokio::test]
async fn stateful_sets_default_scale_and_forbid_other_spec_changes() {
    let api = Api::new().await;
    let sts = created(&api, &format!("{APPS}/statefulsets"), stateful_set("db")).await;
    assert_eq!(sts["spec"]["replicas"], 1);
    assert_eq!(sts["spec"]["podManagementPolicy"], "OrderedReady");
    assert_eq!(
        sts["spec"]["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
    );
    assert_eq!(
        sts["spec"]["persistentVolumeClaimRetentionPolicy"],
        json!({"whenDeleted": "Retain", "whenScaled": "Retain"})
    );
    assert_eq!(
        sts["status"],
        json!({"replicas": 0, "availableReplicas": 0})
    );

    let scale = api.get(&format!("{APPS}/statefulsets/db/scale")).await;
    assert_eq!(scale.body["spec"]["replicas"], 1);
    assert_eq!(scale.body["status"]["selector"], "app=db");
    let r = api
        .put(
            &format!("{APPS}/statefulsets/db/scale"),
            json!({"apiVersion": "autoscaling/v1", "kind": "Scale",
                   "metadata": {"name": "db", "namespace": "default"}, "spec": {"replicas": 3}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let now = api.get(&format!("{APPS}/statefulsets/db")).await.body;
    assert_eq!(now["spec"]["replicas"], 3);
    assert_eq!(now["metadata"]["generation"], 2);

    let mut changed = now.clone();
    changed["spec"]["serviceName"] = json!("other");
    let r = api.put(&format!("{APPS}/statefulsets/db"), changed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        causes(&r.body),
        [
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
        ]
    );

    let mut status = now.clone();
    status["status"] = json!({"replicas": 3, "readyReplicas": 2, "availableReplicas": 2});
    status["spec"]["replicas"] = json!(9);
    let r = api
        .put(&format!("{APPS}/statefulsets/db/status"), status)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["spec"]["replicas"], 3);
    let (cols, rows) = table_columns(&api, &format!("{APPS}/statefulsets")).await;
    assert_eq!(cols, ["Name", "Ready", "Age"]);
    assert_eq!(rows[0]["cells"][1], "2/3");
}

#[tokio::test]
async fn replication_controllers_take_their_selector_from_the_template_and_scale() {
    let api = Api::new().await;
    let rc = created(
        &api,
        &format!("{NS}/replicationcontrollers"),
        json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "web"},
               "spec": {"template": template("web", None)}}),
    )
    .await;
    assert_eq!(rc["spec"]["selector"], json!({"app": "web"}));
    assert_eq!(rc["metadata"]["labels"], json!({"app": "web"}));
    assert_eq!(rc["spec"]["replicas"], 1);
    assert_eq!(rc["status"], json!({"replicas": 0}));
    let scale = api
        .get(&format!("{NS}/replicationcontrollers/web/scale"))
        .await;
    assert_eq!(scale.body["status"]["selector"], "app=web");
    let r = api
        .patch(
            &format!("{NS}/replicationcontrollers/web/scale"),
            "application/merge-patch+json",
            json!({"spec": {"replicas": 4}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["spec"]["replicas"], 4);
    let sel = api
        .get(&format!(
            "{NS}/replicationcontrollers?fieldSelector=status.replicas=0"
        ))
        .await;
    assert_eq!(sel.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn daemon_sets_roll_one_at_a_time_and_track_their_template_generation() {
    let api = Api::new().await;
    let ds = created(
        &api,
        &format!("{APPS}/daemonsets"),
        json!({"metadata": {"name": "agent"}, "spec": {
            "selector": {"matchLabels": {"app": "agent"}}, "template": template("agent", None)}}),
    )
    .await;
    assert_eq!(
        ds["spec"]["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
    );
    assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
    assert_eq!(
        ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"],
        "1"
    );
    let mut changed = ds.clone();
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
    let r = api.put(&format!("{APPS}/daemonsets/agent"), changed).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["metadata"]["annotations"]["deprecated.daemonset.template.generation"],
        "2"
    );
    assert_eq!(r.body["metadata"]["generation"], 2);
    let (cols, _) = table_columns(&api, &format!("{APPS}/daemonsets")).await;
    assert_eq!(
        cols,
        [
            "Name",
            "Desired",
            "Current",
            "Ready",
            "Up-to-date",
            "Available",
            "Node Selector",
            "Age"
        ]
    );
}

fn hpa_v2(name: &str) -> Value {
    json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": name},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "minReplicas": 2, "maxReplicas": 6,
                    "metrics": [
                        {"type": "Resource", "resource": {"name": "cpu",
                          "target": {"type": "Utilization", "averageUtilization": 70}}},
                        {"type": "Pods", "pods": {"metric": {"name": "qps"},
                          "target": {"type": "AverageValue", "averageValue": "10"}}}]}})
}

#[tokio::test]
async fn an_hpa_created_as_v2_reads_as_v1_and_back() {
    let api = Api::new().await;
    let v2 = created(&api, HPA_V2, hpa_v2("web")).await;
    assert_eq!(v2["status"], json!({"desiredReplicas": 0}));
    let v1 = api.get(&format!("{HPA_V1}/web")).await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.body);
    let v1 = v1.body;
    assert_eq!(v1["apiVersion"], "autoscaling/v1");
    assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 70);
    assert_eq!(v1["spec"]["minReplicas"], 2);
    assert_eq!(
        v1["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/metrics"],
        r#"[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10"}}]"#
    );
    assert_eq!(
        v1["metadata"]["resourceVersion"],
        v2["metadata"]["resourceVersion"]
    );

    // An update through v1 that changes only the CPU target keeps the other metric.
    let mut edit = v1.clone();
    edit["spec"]["targetCPUUtilizationPercentage"] = json!(50);
    let r = api.put(&format!("{HPA_V1}/web"), edit).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let back = api.get(&format!("{HPA_V2}/web")).await.body;
    assert_eq!(
        back["spec"]["metrics"],
        json!([
            {"type": "Pods", "pods": {"metric": {"name": "qps"},
              "target": {"type": "AverageValue", "averageValue": "10"}}},
            {"type": "Resource", "resource": {"name": "cpu",
              "target": {"type": "Utilization", "averageUtilization": 50}}}
        ])
    );
    assert!(back["metadata"].get("annotations").is_none(), "{back}");

    let list = api.get(HPA_V1).await.body;
    assert_eq!(list["apiVersion"], "autoscaling/v1");
    assert_eq!(list["items"][0]["apiVersion"], "autoscaling/v1");
    let (cols, rows) = table_columns(&api, HPA_V1).await;
    assert_eq!(
        cols,
        [
            "Name",
            "Reference",
            "Targets",
            "MinPods",
            "MaxPods",
            "Replicas",
            "Age"
        ]
    );
    assert_eq!(rows[0]["cells"][2], "<unknown>/10, cpu: <unknown>/50%");
}

#[tokio::test]
async fn an_hpa_created_as_v1_reads_as_v2_with_defaults() {
    let api = Api::new().await;
    let v1 = created(
        &api,
        HPA_V1,
        json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
               "metadata": {"name": "api"},
               "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
                        "maxReplicas": 3}}),
    )
    .await;
    assert_eq!(v1["apiVersion"], "autoscaling/v1");
    assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 80);
    assert_eq!(v1["spec"]["minReplicas"], 1);
    assert_eq!(
        v1["status"],
        json!({"currentReplicas": 0, "desiredReplicas": 0})
    );
    let v2 = api.get(&format!("{HPA_V2}/api")).await.body;
    assert_eq!(v2["apiVersion"], "autoscaling/v2");
    assert_eq!(
        v2["spec"]["metrics"],
        json!([{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80}}}])
    );

    let r = api
        .post(
            HPA_V1,
            json!({"metadata": {"name": "bad"},
                   "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "x"},
                            "minReplicas": 4, "maxReplicas": 2}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["message"],
        "HorizontalPodAutoscaler.autoscaling \"bad\" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"
    );
    let unknown = api
        .post(
            &format!("{HPA_V1}?fieldValidation=Strict"),
            json!({"metadata": {"name": "x"}, "spec": {"maxReplicas": 2, "metrics": [],
                   "scaleTargetRef": {"kind": "Deployment", "name": "x"}}}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
}

#[tokio::test]
async fn autoscaling_prefers_v2_in_discovery() {
    let api = Api::new().await;
    let g = api.get("/apis/autoscaling").await.body;
    assert_eq!(g["preferredVersion"]["version"], "v2");
    assert_eq!(g["versions"][1]["version"], "v1");
}

#[tokio::test]
async fn claims_volumes_and_budgets_get_upstreams_messages() {
    let api = Api::new().await;
    let r = api
        .post(
            &format!("{NS}/persistentvolumeclaims"),
            json!({"metadata": {"name": "data"}, "spec": {}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        causes(&r.body),
        [
            "spec.accessModes: Required value: at least 1 access mode is required",
            "spec.resources[storage]: Required value"
        ]
    );
    let pvc = created(
        &api,
        &format!("{NS}/persistentvolumeclaims"),
        json!({"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
               "resources": {"requests": {"storage": "1024Mi"}}}}),
    )
    .await;
    assert_eq!(pvc["spec"]["volumeMode"], "Filesystem");
    assert_eq!(pvc["spec"]["resources"]["requests"]["storage"], "1Gi");
    assert_eq!(pvc["status"]["phase"], "Pending");
    let mut grow = pvc.clone();
    grow["spec"]["accessModes"] = json!(["ReadWriteMany"]);
    let r = api
        .put(&format!("{NS}/persistentvolumeclaims/data"), grow)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        causes(&r.body)[0].starts_with("spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"),
        "{}",
        r.body
    );

    let pv = created(
        &api,
        "/api/v1/persistentvolumes",
        json!({"metadata": {"name": "pv1"}, "spec": {"accessModes": ["ReadWriteOnce"],
               "capacity": {"storage": "5Gi"}, "hostPath": {"path": "/data"}}}),
    )
    .await;
    assert_eq!(pv["spec"]["persistentVolumeReclaimPolicy"], "Retain");
    assert_eq!(pv["status"]["phase"], "Pending");
    assert!(pv["status"]["lastPhaseTransitionTime"].is_string());
    let (cols, rows) = table_columns(&api, &format!("{NS}/persistentvolumeclaims")).await;
    assert_eq!(
        cols,
        [
            "Name",
            "Status",
            "Volume",
            "Capacity",
            "Access Modes",
            "StorageClass",
            "VolumeAttributesClass",
            "Age"
        ]
    );
    assert_eq!(rows[0]["cells"][1], "Pending");

    let r = api
        .post(
            "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
            json!({"metadata": {"name": "p"}, "spec": {"minAvailable": 1, "maxUnavailable": 1}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        causes(&r.body)[0].ends_with("minAvailable and maxUnavailable cannot be both set"),
        "{}",
        r.body
    );
    let pdb = created(
        &api,
        "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
        json!({"metadata": {"name": "p"}, "spec": {"minAvailable": "50%",
               "selector": {"matchLabels": {"app": "web"}}}}),
    )
    .await;
    assert_eq!(pdb["metadata"]["generation"], 1);
    assert_eq!(
        pdb["status"],
        json!({"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0})
    );
}

#[tokio::test]
async fn quotas_limits_templates_and_revisions_are_served() {
    let api = Api::new().await;
    let lr = created(
        &api,
        &format!("{NS}/limitranges"),
        json!({"metadata": {"name": "mem"}, "spec": {"limits": [
            {"type": "Container", "max": {"memory": "1Gi"}, "min": {"memory": "64Mi"}}]}}),
    )
    .await;
    assert_eq!(lr["spec"]["limits"][0]["default"], json!({"memory": "1Gi"}));
    assert_eq!(
        lr["spec"]["limits"][0]["defaultRequest"],
        json!({"memory": "1Gi"})
    );
    let (cols, _) = table_columns(&api, &format!("{NS}/limitranges")).await;
    assert_eq!(cols, ["Name", "Created At"]);

    let q = created(
        &api,
        &format!("{NS}/resourcequotas"),
        json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "10"}}}),
    )
    .await;
    assert_eq!(q["status"], json!({}));
    let r = api
        .post(
            &format!("{NS}/resourcequotas"),
            json!({"metadata": {"name": "bad"}, "spec": {"hard": {"pods": "-1"}}}),
        )
        .await;
    assert_eq!(
        causes(&r.body),
        ["spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0"]
    );

    let pt = created(
        &api,
        &format!("{NS}/podtemplates"),
        json!({"metadata": {"name": "t"}, "template": template("t", None)}),
    )
    .await;
    assert_eq!(pt["metadata"]["generation"], 1);
    assert_eq!(pt["template"]["spec"]["dnsPolicy"], "ClusterFirst");
    let (cols, rows) = table_columns(&api, &format!("{NS}/podtemplates")).await;
    assert_eq!(cols, ["Name", "Containers", "Images", "Pod Labels"]);
    assert_eq!(rows[0]["cells"][3], "app=t");

    let r = api
        .post(
            &format!("{APPS}/controllerrevisions"),
            json!({"metadata": {"name": "r1"}, "revision": 1}),
        )
        .await;
    assert_eq!(causes(&r.body), ["data: Required value: data is mandatory"]);
    created(
        &api,
        &format!("{APPS}/controllerrevisions"),
        json!({"metadata": {"name": "r1"}, "revision": 1, "data": {"spec": {}}}),
    )
    .await;
}

#[tokio::test]
async fn jobs_orphan_their_pods_by_default() {
    let api = Api::with_controllers().await;
    let job = created(
        &api,
        &format!("{BATCH}/jobs"),
        json!({"metadata": {"name": "pi"}, "spec": {"template": template("pi", Some("Never"))}}),
    )
    .await;
    let pod = created(
        &api,
        &format!("{NS}/pods"),
        json!({"metadata": {"name": "pi-abcde", "ownerReferences": [{"apiVersion": "batch/v1",
                 "kind": "Job", "name": "pi", "uid": job["metadata"]["uid"], "controller": true}]},
               "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "perl"}]}}),
    )
    .await;
    assert_eq!(pod["metadata"]["ownerReferences"][0]["name"], "pi");
    let r = api
        .call(Method::DELETE, &format!("{BATCH}/jobs/pi"), Value::Null)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let gone = api
        .until(&format!("{BATCH}/jobs/pi"), |r| {
            r.status == StatusCode::NOT_FOUND
        })
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
    let orphan = api
        .until(&format!("{NS}/pods/pi-abcde"), |r| {
            r.body["metadata"].get("ownerReferences").is_none()
        })
        .await;
    assert_eq!(orphan.status, StatusCode::OK);
    assert!(
        orphan.body["metadata"].get("ownerReferences").is_none(),
        "{}",
        orphan.body
    );
}
