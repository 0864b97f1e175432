//! kube-apiserver 1.33's printers for the workload, storage and policy kinds:
//! `printPersistentVolume`, `printPersistentVolumeClaim`, `printResourceQuota`,
//! `printReplicationController`, `printPodTemplate`, `printStatefulSet`, `printDaemonSet`,
//! `printControllerRevision`, `printJob`, `printCronJob`, `printPodDisruptionBudget` and
//! `printHorizontalPodAutoscaler`; LimitRanges have no printer upstream and get the default
//! table (`Name`, `Created At`). Also the fields each kind lets field selectors use.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::{HorizontalPodAutoscaler, MetricSpec, MetricStatus};
use k8s_openapi::api::batch::v1::{CronJob, Job, JobCondition};
use k8s_openapi::api::core::v1::{
    LimitRange, PersistentVolume, PersistentVolumeClaim, PodTemplate, ReplicationController,
    ResourceQuota,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector as MetaSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::{age, human_duration_nanos};
use super::selector::LabelSelector;
use super::{AGE, NAME, col, format_labels, layout_container_cells};
use crate::printers::{Column, SelectableFields, TablePrinter};
use crate::validation::quantity::canonicalize;

const CONTAINERS: Column = col(
    "Containers",
    "string",
    1,
    "Names of each container in the template.",
);
const IMAGES: Column = col(
    "Images",
    "string",
    1,
    "Images referenced by each container in the template.",
);

// Swagger docs of the fields the columns show (`SwaggerDoc()[…]` upstream, of the versions
// upstream's printers name).
const PV_CAPACITY: &str = "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity";
const PV_ACCESS_MODES: &str = "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes";
const PV_RECLAIM_POLICY: &str = "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming";
const PV_PHASE: &str = "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase";
const PV_CLAIM_REF: &str = "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding";
const PV_REASON: &str = "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.";
const PV_VOLUME_MODE: &str = "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.";
const PVC_PHASE: &str = "phase represents the current phase of PersistentVolumeClaim.";
const PVC_VOLUME_NAME: &str =
    "volumeName is the binding reference to the PersistentVolume backing this claim.";
const PVC_CAPACITY: &str = "capacity represents the actual resources of the underlying volume.";
const PVC_ACCESS_MODES: &str = "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1";
const PVC_VOLUME_MODE: &str = "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.";
const RC_SPEC_REPLICAS: &str = "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller";
const RC_STATUS_REPLICAS: &str = "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller";
const RC_STATUS_READY: &str = "The number of ready replicas for this replication controller.";
const RC_SPEC_SELECTOR: &str = "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
const DS_DESIRED: &str = "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";
const DS_CURRENT: &str = "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";
const DS_READY: &str = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.";
const DS_UPDATED: &str = "The total number of nodes that are running updated daemon pod";
const DS_AVAILABLE: &str = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)";
const POD_SPEC_NODE_SELECTOR: &str = "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/";
const DS_SELECTOR: &str = "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
const JOB_SUCCEEDED: &str = "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.";
const JOB_SELECTOR: &str = "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
const CJ_SCHEDULE: &str = "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.";
const CJ_TIME_ZONE: &str = "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones";
const CJ_SUSPEND: &str = "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.";
const CJ_ACTIVE: &str = "A list of pointers to currently running jobs.";
const CJ_LAST_SCHEDULE: &str =
    "Information when was the last time the job was successfully scheduled.";
const HPA_REF: &str = "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.";
const HPA_METRICS: &str = "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.";
const HPA_MIN: &str = "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.";
const HPA_MAX: &str = "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.";
const HPA_CURRENT: &str = "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.";
const CR_REVISION: &str = "revision indicates the revision of the state represented by Data.";

static PV_COLUMNS: [Column; 11] = [
    NAME,
    col("Capacity", "string", 0, PV_CAPACITY),
    col("Access Modes", "string", 0, PV_ACCESS_MODES),
    col("Reclaim Policy", "string", 0, PV_RECLAIM_POLICY),
    col("Status", "string", 0, PV_PHASE),
    col("Claim", "string", 0, PV_CLAIM_REF),
    col("StorageClass", "string", 0, "StorageClass of the pv"),
    col(
        "VolumeAttributesClass",
        "string",
        0,
        "VolumeAttributesClass of the pv",
    ),
    col("Reason", "string", 0, PV_REASON),
    AGE,
    col("VolumeMode", "string", 1, PV_VOLUME_MODE),
];

static PVC_COLUMNS: [Column; 9] = [
    NAME,
    col("Status", "string", 0, PVC_PHASE),
    col("Volume", "string", 0, PVC_VOLUME_NAME),
    col("Capacity", "string", 0, PVC_CAPACITY),
    col("Access Modes", "string", 0, PVC_ACCESS_MODES),
    col("StorageClass", "string", 0, "StorageClass of the pvc"),
    col(
        "VolumeAttributesClass",
        "string",
        0,
        "VolumeAttributesClass of the pvc",
    ),
    AGE,
    col("VolumeMode", "string", 1, PVC_VOLUME_MODE),
];

/// The default table (`rest.NewDefaultTableConvertor`), for kinds without a printer.
static DEFAULT_COLUMNS: [Column; 2] = [
    NAME,
    Column {
        name: "Created At",
        type_: "date",
        format: "",
        description: d::OBJECT_META_CREATION_TIMESTAMP,
        priority: 0,
    },
];

static QUOTA_COLUMNS: [Column; 4] = [
    NAME,
    AGE,
    col(
        "Request",
        "string",
        0,
        "Request represents a minimum amount of cpu/memory that a container may consume.",
    ),
    col(
        "Limit",
        "string",
        0,
        "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
    ),
];

static RC_COLUMNS: [Column; 8] = [
    NAME,
    col("Desired", "integer", 0, RC_SPEC_REPLICAS),
    col("Current", "integer", 0, RC_STATUS_REPLICAS),
    col("Ready", "integer", 0, RC_STATUS_READY),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", 1, RC_SPEC_SELECTOR),
];

static POD_TEMPLATE_COLUMNS: [Column; 4] = [
    NAME,
    col(
        "Containers",
        "string",
        0,
        "Names of each container in the template.",
    ),
    col(
        "Images",
        "string",
        0,
        "Images referenced by each container in the template.",
    ),
    col(
        "Pod Labels",
        "string",
        0,
        "The labels for the pod template.",
    ),
];

static STATEFUL_SET_COLUMNS: [Column; 5] = [
    NAME,
    col("Ready", "string", 0, "Number of the pod with ready state"),
    AGE,
    CONTAINERS,
    IMAGES,
];

static DAEMON_SET_COLUMNS: [Column; 11] = [
    NAME,
    col("Desired", "integer", 0, DS_DESIRED),
    col("Current", "integer", 0, DS_CURRENT),
    col("Ready", "integer", 0, DS_READY),
    col("Up-to-date", "integer", 0, DS_UPDATED),
    col("Available", "integer", 0, DS_AVAILABLE),
    col("Node Selector", "string", 0, POD_SPEC_NODE_SELECTOR),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", 1, DS_SELECTOR),
];

static CONTROLLER_REVISION_COLUMNS: [Column; 4] = [
    NAME,
    col("Controller", "string", 0, "Controller of the object"),
    col("Revision", "string", 0, CR_REVISION),
    AGE,
];

static JOB_COLUMNS: [Column; 8] = [
    NAME,
    col("Status", "string", 0, "Status of the job."),
    col("Completions", "string", 0, JOB_SUCCEEDED),
    col(
        "Duration",
        "string",
        0,
        "Time required to complete the job.",
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", 1, JOB_SELECTOR),
];

static CRON_JOB_COLUMNS: [Column; 10] = [
    NAME,
    col("Schedule", "string", 0, CJ_SCHEDULE),
    col("Timezone", "string", 0, CJ_TIME_ZONE),
    col("Suspend", "boolean", 0, CJ_SUSPEND),
    col("Active", "integer", 0, CJ_ACTIVE),
    col("Last Schedule", "string", 0, CJ_LAST_SCHEDULE),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", 1, JOB_SELECTOR),
];

static PDB_COLUMNS: [Column; 5] = [
    NAME,
    col(
        "Min Available",
        "string",
        0,
        "The minimum number of pods that must be available.",
    ),
    col(
        "Max Unavailable",
        "string",
        0,
        "The maximum number of pods that may be unavailable.",
    ),
    col(
        "Allowed Disruptions",
        "integer",
        0,
        "Calculated number of pods that may be disrupted at this time.",
    ),
    AGE,
];

static HPA_COLUMNS: [Column; 7] = [
    NAME,
    col("Reference", "string", 0, HPA_REF),
    col("Targets", "string", 0, HPA_METRICS),
    col("MinPods", "string", 0, HPA_MIN),
    col("MaxPods", "string", 0, HPA_MAX),
    col("Replicas", "string", 0, HPA_CURRENT),
    AGE,
];

fn name(meta: &ObjectMeta) -> Value {
    json!(meta.name.as_deref().unwrap_or(""))
}

fn created(meta: &ObjectMeta, now: jiff::Timestamp) -> Value {
    json!(age(meta.creation_timestamp.as_ref(), now))
}

/// `Quantity.String()` of a list entry (`0` when absent).
fn quantity_string(list: Option<&BTreeMap<String, ApiQuantity>>, key: &str) -> String {
    list.and_then(|l| l.get(key))
        .map(|q| canonicalize(&q.0).unwrap_or_else(|| q.0.clone()))
        .unwrap_or_else(|| "0".to_string())
}

/// `helper.GetAccessModesAsString`: `RWO,ROX,RWX,RWOP` for the modes present.
fn access_modes(modes: Option<&Vec<String>>) -> String {
    let modes = modes.map(Vec::as_slice).unwrap_or_default();
    let has = |m: &str| modes.iter().any(|x| x == m);
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(m, _)| has(m))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

const STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

fn beta_class(meta: &ObjectMeta) -> Option<String> {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(STORAGE_CLASS_ANNOTATION).cloned())
}

/// `metav1.FormatLabelSelector`: `<none>` for an empty or missing selector, `<error>` for a
/// bad one.
fn format_label_selector(sel: Option<&MetaSelector>) -> String {
    match sel.map(LabelSelector::from_meta) {
        None => "<none>".to_string(),
        Some(Err(_)) => "<error>".to_string(),
        Some(Ok(s)) => {
            let s = s.to_string();
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s
            }
        }
    }
}

fn phase_or_terminating(meta: &ObjectMeta, phase: Option<&str>) -> String {
    if meta.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else {
        phase.unwrap_or("").to_string()
    }
}

impl TablePrinter for PersistentVolume {
    fn columns() -> &'static [Column] {
        &PV_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let st = self.status.clone().unwrap_or_default();
        let claim = spec
            .claim_ref
            .as_ref()
            .map(|c| {
                format!(
                    "{}/{}",
                    c.namespace.as_deref().unwrap_or(""),
                    c.name.as_deref().unwrap_or("")
                )
            })
            .unwrap_or_default();
        let class = beta_class(&self.metadata)
            .or(spec.storage_class_name.clone())
            .unwrap_or_default();
        vec![
            name(&self.metadata),
            json!(quantity_string(spec.capacity.as_ref(), "storage")),
            json!(access_modes(spec.access_modes.as_ref())),
            json!(spec.persistent_volume_reclaim_policy.unwrap_or_default()),
            json!(phase_or_terminating(&self.metadata, st.phase.as_deref())),
            json!(claim),
            json!(class),
            json!(
                spec.volume_attributes_class_name
                    .unwrap_or_else(|| "<unset>".into())
            ),
            json!(st.reason.unwrap_or_default()),
            created(&self.metadata, now),
            json!(spec.volume_mode.unwrap_or_else(|| "<unset>".into())),
        ]
    }
}

impl TablePrinter for PersistentVolumeClaim {
    fn columns() -> &'static [Column] {
        &PVC_COLUMNS
    }

    /// Capacity and access modes come from the status, and only once the claim names a
    /// volume.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let st = self.status.clone().unwrap_or_default();
        let volume = spec.volume_name.clone().unwrap_or_default();
        let (capacity, modes) = if volume.is_empty() {
            (String::new(), String::new())
        } else {
            (
                quantity_string(st.capacity.as_ref(), "storage"),
                access_modes(st.access_modes.as_ref()),
            )
        };
        let class = beta_class(&self.metadata)
            .or(spec.storage_class_name.clone())
            .unwrap_or_default();
        vec![
            name(&self.metadata),
            json!(phase_or_terminating(&self.metadata, st.phase.as_deref())),
            json!(volume),
            json!(capacity),
            json!(modes),
            json!(class),
            json!(
                spec.volume_attributes_class_name
                    .unwrap_or_else(|| "<unset>".into())
            ),
            created(&self.metadata, now),
            json!(spec.volume_mode.unwrap_or_else(|| "<unset>".into())),
        ]
    }
}

/// The default table's `Created At`: the creation time in RFC 3339 (UTC).
fn created_at(meta: &ObjectMeta) -> Value {
    match meta.creation_timestamp.as_ref() {
        Some(t) => json!(t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
        None => json!("0001-01-01T00:00:00Z"),
    }
}

impl TablePrinter for LimitRange {
    fn columns() -> &'static [Column] {
        &DEFAULT_COLUMNS
    }

    fn cells(&self, _now: jiff::Timestamp) -> Vec<Value> {
        vec![name(&self.metadata), created_at(&self.metadata)]
    }
}

impl TablePrinter for ResourceQuota {
    fn columns() -> &'static [Column] {
        &QUOTA_COLUMNS
    }

    /// `resource: used/hard` for every resource in `status.hard` (name order); `limits.*`
    /// resources go to the `Limit` column.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let st = self.status.clone().unwrap_or_default();
        let mut request = Vec::new();
        let mut limit = Vec::new();
        for k in st.hard.iter().flat_map(|h| h.keys()) {
            let item = format!(
                "{k}: {}/{}",
                quantity_string(st.used.as_ref(), k),
                quantity_string(st.hard.as_ref(), k)
            );
            let pieces: Vec<&str> = k.split('.').collect();
            if pieces.len() > 1 && pieces[0] == "limits" {
                limit.push(item);
            } else {
                request.push(item);
            }
        }
        vec![
            name(&self.metadata),
            created(&self.metadata, now),
            json!(request.join(", ")),
            json!(limit.join(", ")),
        ]
    }
}

impl TablePrinter for ReplicationController {
    fn columns() -> &'static [Column] {
        &RC_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let st = self.status.clone().unwrap_or_default();
        let (names, images) = layout_container_cells(
            spec.template
                .as_ref()
                .and_then(|t| t.spec.as_ref())
                .map_or(&[][..], |p| p.containers.as_slice()),
        );
        vec![
            name(&self.metadata),
            json!(i64::from(spec.replicas.unwrap_or(1))),
            json!(i64::from(st.replicas)),
            json!(i64::from(st.ready_replicas.unwrap_or(0))),
            created(&self.metadata, now),
            json!(names),
            json!(images),
            json!(format_labels(spec.selector.as_ref())),
        ]
    }
}

impl TablePrinter for PodTemplate {
    fn columns() -> &'static [Column] {
        &POD_TEMPLATE_COLUMNS
    }

    fn cells(&self, _now: jiff::Timestamp) -> Vec<Value> {
        let t = self.template.clone().unwrap_or_default();
        let (names, images) =
            layout_container_cells(t.spec.as_ref().map_or(&[][..], |p| p.containers.as_slice()));
        vec![
            name(&self.metadata),
            json!(names),
            json!(images),
            json!(format_labels(
                t.metadata.as_ref().and_then(|m| m.labels.as_ref())
            )),
        ]
    }
}

impl TablePrinter for StatefulSet {
    fn columns() -> &'static [Column] {
        &STATEFUL_SET_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let ready = self
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0);
        let (names, images) = layout_container_cells(
            spec.template
                .spec
                .as_ref()
                .map_or(&[][..], |p| p.containers.as_slice()),
        );
        vec![
            name(&self.metadata),
            json!(format!("{ready}/{}", spec.replicas.unwrap_or(1))),
            created(&self.metadata, now),
            json!(names),
            json!(images),
        ]
    }
}

impl TablePrinter for DaemonSet {
    fn columns() -> &'static [Column] {
        &DAEMON_SET_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let st = self.status.clone().unwrap_or_default();
        let pod = spec.template.spec.clone().unwrap_or_default();
        let (names, images) = layout_container_cells(&pod.containers);
        let selector = if crate::validation::meta::label_selector_is_unset(&spec.selector) {
            format_label_selector(None)
        } else {
            format_label_selector(Some(&spec.selector))
        };
        vec![
            name(&self.metadata),
            json!(i64::from(st.desired_number_scheduled)),
            json!(i64::from(st.current_number_scheduled)),
            json!(i64::from(st.number_ready)),
            json!(i64::from(st.updated_number_scheduled.unwrap_or(0))),
            json!(i64::from(st.number_available.unwrap_or(0))),
            json!(format_labels(pod.node_selector.as_ref())),
            created(&self.metadata, now),
            json!(names),
            json!(images),
            json!(selector),
        ]
    }
}

impl TablePrinter for ControllerRevision {
    fn columns() -> &'static [Column] {
        &CONTROLLER_REVISION_COLUMNS
    }

    /// `Controller` is the controlling owner as `kind.group/name` (lower-case kind).
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let controller = self
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|r| r.controller == Some(true))
            .map(|r| {
                let group = match r.api_version.split('/').collect::<Vec<_>>().as_slice() {
                    [g, _] => *g,
                    _ => "",
                };
                let kind = if group.is_empty() {
                    r.kind.clone()
                } else {
                    format!("{}.{group}", r.kind)
                };
                if kind.is_empty() {
                    r.name.clone()
                } else {
                    format!("{}/{}", kind.to_lowercase(), r.name)
                }
            })
            .unwrap_or_else(|| "<none>".to_string());
        vec![
            name(&self.metadata),
            json!(controller),
            json!(self.revision),
            created(&self.metadata, now),
        ]
    }
}

/// `hasJobCondition`: the first condition of the type is `True`.
fn has_job_condition(conditions: &[JobCondition], type_: &str) -> bool {
    conditions
        .iter()
        .find(|c| c.type_ == type_)
        .is_some_and(|c| c.status == "True")
}

impl TablePrinter for Job {
    fn columns() -> &'static [Column] {
        &JOB_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let st = self.status.clone().unwrap_or_default();
        let succeeded = st.succeeded.unwrap_or(0);
        let completions = match spec.completions {
            Some(c) => format!("{succeeded}/{c}"),
            None => {
                let p = spec.parallelism.unwrap_or(0);
                if p > 1 {
                    format!("{succeeded}/1 of {p}")
                } else {
                    format!("{succeeded}/1")
                }
            }
        };
        let duration = match (st.start_time.as_ref(), st.completion_time.as_ref()) {
            (None, _) => String::new(),
            (Some(s), None) => human_duration_nanos(now.as_nanosecond() - s.0.as_nanosecond()),
            (Some(s), Some(c)) => human_duration_nanos(c.0.as_nanosecond() - s.0.as_nanosecond()),
        };
        let conds = st.conditions.as_deref().unwrap_or_default();
        let status = if has_job_condition(conds, "Complete") {
            "Complete"
        } else if has_job_condition(conds, "Failed") {
            "Failed"
        } else if self.metadata.deletion_timestamp.is_some() {
            "Terminating"
        } else if has_job_condition(conds, "Suspended") {
            "Suspended"
        } else if has_job_condition(conds, "FailureTarget") {
            "FailureTarget"
        } else {
            "Running"
        };
        let (names, images) = layout_container_cells(
            spec.template
                .spec
                .as_ref()
                .map_or(&[][..], |p| p.containers.as_slice()),
        );
        vec![
            name(&self.metadata),
            json!(status),
            json!(completions),
            json!(duration),
            created(&self.metadata, now),
            json!(names),
            json!(images),
            json!(format_label_selector(spec.selector.as_ref())),
        ]
    }
}

/// `printBoolPtr`: `True`, `False` or `<unset>`.
fn bool_ptr(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    }
}

impl TablePrinter for CronJob {
    fn columns() -> &'static [Column] {
        &CRON_JOB_COLUMNS
    }

    /// `Suspend` is a string (`False`) although its column says `boolean`, as upstream sends
    /// it.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let st = self.status.clone().unwrap_or_default();
        let last = st
            .last_schedule_time
            .as_ref()
            .map(|t| age(Some(t), now))
            .unwrap_or_else(|| "<none>".to_string());
        let js = spec.job_template.spec.clone().unwrap_or_default();
        let (names, images) = layout_container_cells(
            js.template
                .spec
                .as_ref()
                .map_or(&[][..], |p| p.containers.as_slice()),
        );
        vec![
            name(&self.metadata),
            json!(spec.schedule),
            json!(spec.time_zone.unwrap_or_else(|| "<none>".into())),
            json!(bool_ptr(spec.suspend)),
            json!(st.active.map_or(0, |a| a.len() as i64)),
            json!(last),
            created(&self.metadata, now),
            json!(names),
            json!(images),
            json!(format_label_selector(js.selector.as_ref())),
        ]
    }
}

/// `IntOrString.String()`.
fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

impl TablePrinter for PodDisruptionBudget {
    fn columns() -> &'static [Column] {
        &PDB_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let na = || "N/A".to_string();
        vec![
            name(&self.metadata),
            json!(spec.min_available.as_ref().map_or_else(na, int_or_string)),
            json!(spec.max_unavailable.as_ref().map_or_else(na, int_or_string)),
            json!(i64::from(
                self.status.as_ref().map_or(0, |s| s.disruptions_allowed)
            )),
            created(&self.metadata, now),
        ]
    }
}

fn q(v: Option<&ApiQuantity>) -> String {
    v.map(|q| canonicalize(&q.0).unwrap_or_else(|| q.0.clone()))
        .unwrap_or_else(|| "0".to_string())
}

/// `formatHPAMetrics`: `current/target` for the first two metrics, `+ N more...` after.
pub fn format_hpa_metrics(specs: &[MetricSpec], statuses: &[MetricStatus]) -> String {
    if specs.is_empty() {
        return "<none>".to_string();
    }
    let unknown = || "<unknown>".to_string();
    let mut list = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let status = statuses.get(i);
        let item = match spec.type_.as_str() {
            "External" => {
                let e = spec.external.clone().unwrap_or_default();
                let cur = status.and_then(|s| s.external.as_ref());
                if let Some(avg) = e.target.average_value.as_ref() {
                    let c = cur
                        .and_then(|c| c.current.average_value.as_ref())
                        .map_or_else(unknown, |v| q(Some(v)));
                    format!("{c}/{} (avg)", q(Some(avg)))
                } else {
                    let c = cur.map_or_else(unknown, |c| q(c.current.value.as_ref()));
                    format!("{c}/{}", q(e.target.value.as_ref()))
                }
            }
            "Pods" => {
                let p = spec.pods.clone().unwrap_or_default();
                let c = status
                    .and_then(|s| s.pods.as_ref())
                    .map_or_else(unknown, |c| q(c.current.average_value.as_ref()));
                format!("{c}/{}", q(p.target.average_value.as_ref()))
            }
            "Object" => {
                let o = spec.object.clone().unwrap_or_default();
                let cur = status.and_then(|s| s.object.as_ref());
                if let Some(avg) = o.target.average_value.as_ref() {
                    let c = cur
                        .and_then(|c| c.current.average_value.as_ref())
                        .map_or_else(unknown, |v| q(Some(v)));
                    format!("{c}/{} (avg)", q(Some(avg)))
                } else {
                    let c = cur.map_or_else(unknown, |c| q(c.current.value.as_ref()));
                    format!("{c}/{}", q(o.target.value.as_ref()))
                }
            }
            "Resource" | "ContainerResource" => {
                let (res_name, target, current) = if spec.type_ == "Resource" {
                    let r = spec.resource.clone().unwrap_or_default();
                    (
                        r.name,
                        r.target,
                        status
                            .and_then(|s| s.resource.as_ref())
                            .map(|c| c.current.clone()),
                    )
                } else {
                    let r = spec.container_resource.clone().unwrap_or_default();
                    (
                        r.name,
                        r.target,
                        status
                            .and_then(|s| s.container_resource.as_ref())
                            .map(|c| c.current.clone()),
                    )
                };
                if let Some(avg) = target.average_value.as_ref() {
                    let c = current.map_or_else(unknown, |c| q(c.average_value.as_ref()));
                    format!("{res_name}: {c}/{}", q(Some(avg)))
                } else {
                    let c = current
                        .and_then(|c| c.average_utilization)
                        .map_or_else(unknown, |u| format!("{u}%"));
                    let t = target
                        .average_utilization
                        .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
                    format!("{res_name}: {c}/{t}")
                }
            }
            _ => "<unknown type>".to_string(),
        };
        list.push(item);
    }
    let count = list.len();
    if count > 2 {
        list.truncate(2);
        format!("{} + {} more...", list.join(", "), count - 2)
    } else {
        list.join(", ")
    }
}

impl TablePrinter for HorizontalPodAutoscaler {
    fn columns() -> &'static [Column] {
        &HPA_COLUMNS
    }

    /// `MinPods` is a string (`<unset>` when missing); `MaxPods` and `Replicas` are integers
    /// although their columns say `string`, as upstream sends them.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let st = self.status.clone().unwrap_or_default();
        let reference = format!(
            "{}/{}",
            spec.scale_target_ref.kind, spec.scale_target_ref.name
        );
        vec![
            name(&self.metadata),
            json!(reference),
            json!(format_hpa_metrics(
                spec.metrics.as_deref().unwrap_or_default(),
                st.current_metrics.as_deref().unwrap_or_default()
            )),
            json!(
                spec.min_replicas
                    .map_or_else(|| "<unset>".to_string(), |m| m.to_string())
            ),
            json!(i64::from(spec.max_replicas)),
            json!(i64::from(st.current_replicas.unwrap_or(0))),
            created(&self.metadata, now),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// Field selectors

fn meta_field(meta: &ObjectMeta, field: &str) -> Option<String> {
    match field {
        "metadata.name" => Some(meta.name.clone().unwrap_or_default()),
        "metadata.namespace" => Some(meta.namespace.clone().unwrap_or_default()),
        _ => None,
    }
}

/// Kinds whose only selectable fields are `metadata.name` and `metadata.namespace`.
macro_rules! meta_only {
    ($($kind:ty),*) => {$(
        impl SelectableFields for $kind {
            fn selectable_fields() -> &'static [&'static str] {
                &["metadata.name", "metadata.namespace"]
            }
            fn field_value(&self, field: &str) -> Option<String> {
                meta_field(&self.metadata, field)
            }
        }
    )*};
}

meta_only!(
    PersistentVolume,
    PersistentVolumeClaim,
    LimitRange,
    ResourceQuota,
    PodTemplate,
    StatefulSet,
    DaemonSet,
    ControllerRevision,
    CronJob,
    PodDisruptionBudget,
    HorizontalPodAutoscaler
);

impl SelectableFields for ReplicationController {
    fn selectable_fields() -> &'static [&'static str] {
        &["metadata.name", "metadata.namespace", "status.replicas"]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        match field {
            "status.replicas" => Some(self.status.as_ref().map_or(0, |s| s.replicas).to_string()),
            _ => meta_field(&self.metadata, field),
        }
    }
}

impl SelectableFields for Job {
    fn selectable_fields() -> &'static [&'static str] {
        &["metadata.name", "metadata.namespace", "status.successful"]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        match field {
            "status.successful" => Some(
                self.status
                    .as_ref()
                    .and_then(|s| s.succeeded)
                    .unwrap_or(0)
                    .to_string(),
            ),
            _ => meta_field(&self.metadata, field),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    fn now() -> jiff::Timestamp {
        "2026-11-27T10:00:00Z".parse().expect("ts")
    }

    fn with_meta<T: serde::de::DeserializeOwned>(v: Value) -> T {
        let mut v = v;
        v["metadata"]["creationTimestamp"] = json!("2026-11-27T08:30:00Z");
        serde_json::from_value(v).expect("decodes")
    }

    fn headers<T: TablePrinter>() -> Vec<&'static str> {
        T::columns()
            .iter()
            .filter(|c| c.priority == 0)
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn default_headers_match_kubectl_1_33() {
        assert_eq!(
            headers::<PersistentVolumeClaim>(),
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
        assert_eq!(
            headers::<PersistentVolume>(),
            [
                "Name",
                "Capacity",
                "Access Modes",
                "Reclaim Policy",
                "Status",
                "Claim",
                "StorageClass",
                "VolumeAttributesClass",
                "Reason",
                "Age"
            ]
        );
        assert_eq!(
            headers::<Job>(),
            ["Name", "Status", "Completions", "Duration", "Age"]
        );
        assert_eq!(
            headers::<CronJob>(),
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
        assert_eq!(headers::<StatefulSet>(), ["Name", "Ready", "Age"]);
        assert_eq!(
            headers::<DaemonSet>(),
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
        assert_eq!(
            headers::<HorizontalPodAutoscaler>(),
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
        assert_eq!(
            headers::<PodDisruptionBudget>(),
            [
                "Name",
                "Min Available",
                "Max Unavailable",
                "Allowed Disruptions",
                "Age"
            ]
        );
        assert_eq!(
            headers::<ReplicationController>(),
            ["Name", "Desired", "Current", "Ready", "Age"]
        );
        assert_eq!(
            headers::<ResourceQuota>(),
            ["Name", "Age", "Request", "Limit"]
        );
        assert_eq!(headers::<LimitRange>(), ["Name", "Created At"]);
        assert_eq!(
            headers::<ControllerRevision>(),
            ["Name", "Controller", "Revision", "Age"]
        );
        assert_eq!(
            headers::<PodTemplate>(),
            ["Name", "Containers", "Images", "Pod Labels"]
        );
    }

    #[test]
    fn an_unbound_claim_shows_no_capacity() {
        let pvc: PersistentVolumeClaim = with_meta(json!({
            "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "volumeMode": "Filesystem",
                     "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Pending"}
        }));
        assert_eq!(
            pvc.cells(now()),
            vec![
                json!("data"),
                json!("Pending"),
                json!(""),
                json!(""),
                json!(""),
                json!(""),
                json!("<unset>"),
                json!("90m"),
                json!("Filesystem")
            ]
        );
    }

    #[test]
    fn a_volume_prints_capacity_modes_and_claim() {
        let pv: PersistentVolume = with_meta(json!({
            "metadata": {"name": "pv1"},
            "spec": {"accessModes": ["ReadWriteMany", "ReadWriteOnce"], "capacity": {"storage": "1024Mi"},
                     "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "fast",
                     "claimRef": {"namespace": "d", "name": "data"}, "hostPath": {"path": "/x"}},
            "status": {"phase": "Bound"}
        }));
        assert_eq!(
            pv.cells(now()),
            vec![
                json!("pv1"),
                json!("1Gi"),
                json!("RWO,RWX"),
                json!("Retain"),
                json!("Bound"),
                json!("d/data"),
                json!("fast"),
                json!("<unset>"),
                json!(""),
                json!("90m"),
                json!("<unset>")
            ]
        );
    }

    #[test]
    fn job_rows_show_status_completions_and_duration() {
        let mut job: Job = with_meta(json!({
            "metadata": {"name": "pi"},
            "spec": {"completions": 3, "parallelism": 1, "template": {"spec": {"containers": [
                {"name": "pi", "image": "perl"}]}}},
            "status": {"succeeded": 1, "startTime": "2026-11-27T09:58:00Z"}
        }));
        assert_eq!(
            &job.cells(now())[..4],
            &[json!("pi"), json!("Running"), json!("1/3"), json!("2m")]
        );
        let st = job.status.as_mut().expect("status");
        st.completion_time = Some(Time("2026-11-27T09:59:30Z".parse().expect("ts")));
        st.conditions = Some(vec![JobCondition {
            type_: "Complete".into(),
            status: "True".into(),
            ..Default::default()
        }]);
        assert_eq!(
            &job.cells(now())[..4],
            &[json!("pi"), json!("Complete"), json!("1/3"), json!("90s")]
        );
        job.spec.as_mut().expect("spec").completions = None;
        job.spec.as_mut().expect("spec").parallelism = Some(2);
        assert_eq!(job.cells(now())[2], json!("1/1 of 2"));
        assert_eq!(job.cells(now())[7], json!("<none>"));
    }

    #[test]
    fn cron_job_rows_use_printer_strings() {
        let cj: CronJob = with_meta(json!({
            "metadata": {"name": "hello"},
            "spec": {"schedule": "*/1 * * * *", "suspend": false,
                     "jobTemplate": {"spec": {"template": {"spec": {"containers": [
                        {"name": "c", "image": "busybox"}]}}}}}
        }));
        assert_eq!(
            &cj.cells(now())[..7],
            &[
                json!("hello"),
                json!("*/1 * * * *"),
                json!("<none>"),
                json!("False"),
                json!(0),
                json!("<none>"),
                json!("90m")
            ]
        );
    }

    #[test]
    fn hpa_targets_follow_format_hpa_metrics() {
        let h: HorizontalPodAutoscaler = with_meta(json!({
            "metadata": {"name": "web"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
                     "minReplicas": 1, "maxReplicas": 5,
                     "metrics": [
                        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}},
                        {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "1024Mi"}}},
                        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "10"}}}
                     ]},
            "status": {"desiredReplicas": 0, "currentMetrics": [
                {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 42}}}]}
        }));
        assert_eq!(
            h.cells(now()),
            vec![
                json!("web"),
                json!("Deployment/web"),
                json!("cpu: 42%/80%, memory: <unknown>/1Gi + 1 more..."),
                json!("1"),
                json!(5),
                json!(0),
                json!("90m")
            ]
        );
    }

    #[test]
    fn daemon_sets_quota_and_revisions_print_like_upstream() {
        let ds: DaemonSet = with_meta(json!({
            "metadata": {"name": "agent"},
            "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"spec": {
                "nodeSelector": {"disk": "ssd"}, "containers": [{"name": "c", "image": "x"}]}}},
            "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 1,
                       "numberMisscheduled": 0, "updatedNumberScheduled": 2}
        }));
        assert_eq!(
            ds.cells(now()),
            vec![
                json!("agent"),
                json!(2),
                json!(2),
                json!(1),
                json!(2),
                json!(0),
                json!("disk=ssd"),
                json!("90m"),
                json!("c"),
                json!("x"),
                json!("a=b")
            ]
        );
        let rq: ResourceQuota = with_meta(json!({
            "metadata": {"name": "q"},
            "status": {"hard": {"pods": "10", "limits.cpu": "2", "requests.memory": "1Gi"},
                       "used": {"pods": "3"}}
        }));
        assert_eq!(
            rq.cells(now()),
            vec![
                json!("q"),
                json!("90m"),
                json!("pods: 3/10, requests.memory: 0/1Gi"),
                json!("limits.cpu: 0/2")
            ]
        );
        let cr: ControllerRevision = with_meta(json!({
            "metadata": {"name": "web-7b", "ownerReferences": [{"apiVersion": "apps/v1",
                "kind": "StatefulSet", "name": "web", "uid": "u", "controller": true}]},
            "revision": 2
        }));
        assert_eq!(
            cr.cells(now()),
            vec![
                json!("web-7b"),
                json!("statefulset.apps/web"),
                json!(2),
                json!("90m")
            ]
        );
        let lr: LimitRange = with_meta(json!({"metadata": {"name": "l"}}));
        assert_eq!(
            lr.cells(now()),
            vec![json!("l"), json!("2026-11-27T08:30:00Z")]
        );
    }

    #[test]
    fn rc_and_job_fields_are_selectable() {
        let rc: ReplicationController = serde_json::from_value(json!({
            "metadata": {"name": "r", "namespace": "d"}, "status": {"replicas": 3}
        }))
        .expect("rc");
        assert_eq!(rc.field_value("status.replicas").as_deref(), Some("3"));
        let job: Job = serde_json::from_value(json!({
            "metadata": {"name": "j", "namespace": "d"}, "status": {"succeeded": 2}
        }))
        .expect("job");
        assert_eq!(job.field_value("status.successful").as_deref(), Some("2"));
        assert_eq!(job.field_value("spec.x"), None);
    }
}
