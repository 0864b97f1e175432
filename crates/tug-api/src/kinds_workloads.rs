//! The [`KindRules`] of the workload, storage and policy kinds beyond Deployments and
//! ReplicaSets: upstream's registry strategies (`pkg/registry/{core,apps,batch,policy,
//! autoscaling}/…/strategy.go`, 1.33) tied to their defaulting and validation.
//!
//! `generation` is tracked where upstream's strategy tracks it (set to 1 on create, bumped
//! on spec changes): StatefulSet, DaemonSet, ReplicationController, PodTemplate, Job,
//! CronJob and PodDisruptionBudget. HorizontalPodAutoscalers, PersistentVolumes and claims,
//! LimitRanges, ResourceQuotas and ControllerRevisions have none.

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, DaemonSetStatus, StatefulSet, StatefulSetStatus,
};
use k8s_openapi::api::autoscaling::v2::{HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus};
use k8s_openapi::api::batch::v1::{CronJob, CronJobStatus, Job, JobStatus};
use k8s_openapi::api::core::v1::{
    LimitRange, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimStatus,
    PersistentVolumeStatus, PodTemplate, ReplicationController, ReplicationControllerStatus,
    ResourceQuota, ResourceQuotaStatus,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, Time};

use crate::defaults::{autoscaling as dauto, batch as dbatch, workloads as dw};
use crate::field::ErrorList;
use crate::kinds::{keep_server_metadata, unique};
use crate::rules::KindRules;
use crate::validation::batch::{
    CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
};
use crate::validation::{
    autoscaling as vauto, batch as vbatch, policy as vpolicy, quota as vquota, volumes as vvol,
    workloads as vw,
};

/// `apps/v1`'s `deprecated.daemonset.template.generation` annotation: upstream's internal
/// `spec.templateGeneration`, which the server sets to 1 on create and bumps whenever the
/// pod template changes.
pub const DAEMONSET_TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

fn now() -> Time {
    Time(
        jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .unwrap_or_else(|_| jiff::Timestamp::now()),
    )
}

// ---------------------------------------------------------------------------------------
// core/v1

impl KindRules for PersistentVolume {
    fn apply_defaults(&mut self) {
        dw::set_object_defaults_pv(self);
    }

    /// `PrepareForCreate`: status starts `Pending`, with the transition time of that phase.
    fn prepare_for_create(&mut self) {
        self.status = Some(PersistentVolumeStatus {
            phase: Some("Pending".to_string()),
            last_phase_transition_time: Some(now()),
            ..Default::default()
        });
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    /// The status strategy: spec from the stored volume; a phase change the writer did not
    /// time gets the current time, an unchanged phase keeps its time.
    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
        let old_st = old.status.clone().unwrap_or_default();
        let st = self.status.get_or_insert_with(Default::default);
        if old_st.phase == st.phase && st.last_phase_transition_time.is_none() {
            st.last_phase_transition_time = old_st.last_phase_transition_time;
        } else if old_st.phase != st.phase
            && (st.last_phase_transition_time.is_none()
                || st.last_phase_transition_time == old_st.last_phase_transition_time)
        {
            st.last_phase_transition_time = Some(now());
        }
    }

    fn validate_create(&self) -> ErrorList {
        unique(vvol::validate_pv_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vvol::validate_pv_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vvol::validate_pv_status_update(self, old))
    }
}

impl KindRules for PersistentVolumeClaim {
    fn apply_defaults(&mut self) {
        dw::set_object_defaults_pvc(self);
    }

    /// `PrepareForCreate`: status cleared (read back as phase `Pending`).
    fn prepare_for_create(&mut self) {
        self.status = Some(PersistentVolumeClaimStatus {
            phase: Some("Pending".to_string()),
            ..Default::default()
        });
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vvol::validate_pvc_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vvol::validate_pvc_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vvol::validate_pvc_status_update(self, old))
    }
}

impl KindRules for LimitRange {
    fn apply_defaults(&mut self) {
        dw::set_object_defaults_limit_range(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vquota::validate_limit_range(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vquota::validate_limit_range_update(self, old))
    }
}

impl KindRules for ResourceQuota {
    fn apply_defaults(&mut self) {
        dw::set_object_defaults_resource_quota(self);
    }

    fn prepare_for_create(&mut self) {
        self.status = Some(ResourceQuotaStatus::default());
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vquota::validate_resource_quota(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vquota::validate_resource_quota_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vquota::validate_resource_quota_status_update(self, old))
    }
}

impl KindRules for ReplicationController {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        dw::set_object_defaults_rc(self);
    }

    fn prepare_for_create(&mut self) {
        self.status = Some(ReplicationControllerStatus::default());
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vw::validate_rc_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_rc_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_rc_status_update(self, old))
    }
}

impl KindRules for PodTemplate {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        dw::set_object_defaults_pod_template(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vw::validate_pod_template_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_pod_template_update(self, old))
    }
}

// ---------------------------------------------------------------------------------------
// apps/v1

impl KindRules for StatefulSet {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        dw::set_object_defaults_stateful_set(self);
    }

    /// `PrepareForCreate`: status starts empty (`replicas: 0, availableReplicas: 0`).
    fn prepare_for_create(&mut self) {
        self.status = Some(StatefulSetStatus {
            available_replicas: Some(0),
            ..Default::default()
        });
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vw::validate_stateful_set_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_stateful_set_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_stateful_set_status_update(self, old))
    }
}

fn template_generation(ds: &DaemonSet) -> i64 {
    ds.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(DAEMONSET_TEMPLATE_GENERATION))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn set_template_generation(ds: &mut DaemonSet, g: i64) {
    ds.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(DAEMONSET_TEMPLATE_GENERATION.to_string(), g.to_string());
}

impl KindRules for DaemonSet {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        dw::set_object_defaults_daemon_set(self);
    }

    /// `PrepareForCreate`: empty status, template generation 1.
    fn prepare_for_create(&mut self) {
        self.status = Some(DaemonSetStatus::default());
        set_template_generation(self, 1);
    }

    /// `PrepareForUpdate`: status and template generation from the stored object; the
    /// template generation goes up when the pod template changed.
    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
        let changed = match (self.spec.as_ref(), old.spec.as_ref()) {
            (Some(n), Some(o)) => !vw::semantic_eq(&n.template, &o.template),
            (a, b) => a.is_some() != b.is_some(),
        };
        let g = template_generation(old);
        set_template_generation(self, if changed { g + 1 } else { g });
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vw::validate_daemon_set_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_daemon_set_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_daemon_set_status_update(self, old))
    }
}

impl KindRules for ControllerRevision {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vw::validate_controller_revision_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vw::validate_controller_revision_update(self, old))
    }
}

// ---------------------------------------------------------------------------------------
// batch/v1

/// `generateSelector`: the template gets `batch.kubernetes.io/controller-uid`,
/// `batch.kubernetes.io/job-name` and their legacy twins (values the client set are kept,
/// for validation to judge), and the selector selects the controller uid.
fn generate_job_selector(job: &mut Job) {
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let name = job.metadata.name.clone().unwrap_or_default();
    let spec = job.spec.get_or_insert_with(Default::default);
    let labels = spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default);
    for key in [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL] {
        labels
            .entry(key.to_string())
            .or_insert_with(|| name.clone());
    }
    for key in [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL] {
        labels.entry(key.to_string()).or_insert_with(|| uid.clone());
    }
    let selector = spec.selector.get_or_insert_with(LabelSelector::default);
    selector
        .match_labels
        .get_or_insert_with(Default::default)
        .entry(CONTROLLER_UID_LABEL.to_string())
        .or_insert(uid);
}

impl KindRules for Job {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        dbatch::set_object_defaults_job(self);
    }

    /// `PrepareForCreate`: the generated selector and labels (unless `manualSelector`), an
    /// empty status; then the Job takes its template's labels when it has none, as upstream
    /// does when reading the stored Job back.
    fn prepare_for_create(&mut self) {
        let manual = self.spec.as_ref().and_then(|s| s.manual_selector) == Some(true);
        if !manual {
            generate_job_selector(self);
        }
        self.status = Some(JobStatus::default());
        dbatch::copy_template_labels(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vbatch::validate_job_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vbatch::validate_job_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vbatch::validate_job_status_update(self, old))
    }
}

impl KindRules for CronJob {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        dbatch::set_object_defaults_cron_job(self);
    }

    fn prepare_for_create(&mut self) {
        self.status = Some(CronJobStatus::default());
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vbatch::validate_cron_job_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vbatch::validate_cron_job_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vbatch::validate_cron_job_status_update(self, old))
    }
}

// ---------------------------------------------------------------------------------------
// policy/v1 and autoscaling/v2

impl KindRules for PodDisruptionBudget {
    const TRACKS_GENERATION: bool = true;

    fn prepare_for_create(&mut self) {
        self.status = Some(PodDisruptionBudgetStatus::default());
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vpolicy::validate_pdb_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vpolicy::validate_pdb_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vpolicy::validate_pdb_status_update(self, old))
    }
}

/// `dropDisabledFields`: scaling-rule `tolerance` belongs to the HPAConfigurableTolerance
/// gate (alpha, off in 1.33); an update keeps it only when the stored HPA uses it.
fn drop_tolerance(hpa: &mut HorizontalPodAutoscaler, old: Option<&HorizontalPodAutoscaler>) {
    let used = |h: &HorizontalPodAutoscaler| {
        h.spec
            .as_ref()
            .and_then(|s| s.behavior.as_ref())
            .is_some_and(|b| {
                [b.scale_up.as_ref(), b.scale_down.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|r| r.tolerance.is_some())
            })
    };
    if old.is_some_and(used) {
        return;
    }
    if let Some(b) = hpa.spec.as_mut().and_then(|s| s.behavior.as_mut()) {
        for r in [b.scale_up.as_mut(), b.scale_down.as_mut()]
            .into_iter()
            .flatten()
        {
            r.tolerance = None;
        }
    }
}

impl KindRules for HorizontalPodAutoscaler {
    fn apply_defaults(&mut self) {
        dauto::set_object_defaults_hpa(self);
    }

    /// `PrepareForCreate`: status starts empty (`desiredReplicas: 0`).
    fn prepare_for_create(&mut self) {
        self.status = Some(HorizontalPodAutoscalerStatus::default());
        drop_tolerance(self, None);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
        drop_tolerance(self, Some(old));
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vauto::validate_hpa_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vauto::validate_hpa_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vauto::validate_hpa_status_update(self, old))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(spec: serde_json::Value) -> Job {
        let mut j: Job = serde_json::from_value(json!({
            "metadata": {"name": "pi", "namespace": "d", "uid": "0f3e"}, "spec": spec
        }))
        .expect("job");
        j.apply_defaults();
        j.prepare_for_create();
        j
    }

    #[test]
    fn a_job_gets_its_generated_selector_and_labels() {
        let j = job(json!({"template": {"spec": {"restartPolicy": "Never",
            "containers": [{"name": "c", "image": "perl"}]}}}));
        let v = serde_json::to_value(&j).expect("json");
        assert_eq!(
            v["spec"]["selector"],
            json!({"matchLabels": {"batch.kubernetes.io/controller-uid": "0f3e"}})
        );
        let labels = json!({"batch.kubernetes.io/controller-uid": "0f3e",
                            "batch.kubernetes.io/job-name": "pi",
                            "controller-uid": "0f3e", "job-name": "pi"});
        assert_eq!(v["spec"]["template"]["metadata"]["labels"], labels);
        assert_eq!(v["metadata"]["labels"], labels);
        assert_eq!(j.validate_create(), Vec::new());
    }

    #[test]
    fn a_job_template_is_immutable_but_its_status_is_kept_on_update() {
        let mut old = job(json!({"template": {"spec": {"restartPolicy": "Never",
            "containers": [{"name": "c", "image": "perl"}]}}}));
        old.metadata.resource_version = Some("3".into());
        old.status = Some(JobStatus {
            active: Some(1),
            ..Default::default()
        });
        let mut new = old.clone();
        new.status = None;
        new.spec
            .as_mut()
            .expect("spec")
            .template
            .spec
            .as_mut()
            .expect("pod")
            .containers[0]
            .image = Some("perl:5".into());
        new.prepare_for_update(&old);
        assert_eq!(new.status, old.status);
        let errs: Vec<String> = new
            .validate_update(&old)
            .iter()
            .map(|e| e.field.clone())
            .collect();
        assert_eq!(errs, vec!["spec.template"]);
    }

    #[test]
    fn a_daemon_set_template_generation_follows_template_changes() {
        let mut ds: DaemonSet = serde_json::from_value(json!({
            "metadata": {"name": "a", "namespace": "d"},
            "spec": {"selector": {"matchLabels": {"a": "b"}},
                     "template": {"metadata": {"labels": {"a": "b"}},
                                  "spec": {"containers": [{"name": "c", "image": "x"}]}}}
        }))
        .expect("ds");
        ds.apply_defaults();
        ds.prepare_for_create();
        assert_eq!(template_generation(&ds), 1);
        let mut same = ds.clone();
        same.metadata.annotations = None;
        same.prepare_for_update(&ds);
        assert_eq!(template_generation(&same), 1);
        let mut changed = ds.clone();
        changed
            .spec
            .as_mut()
            .expect("spec")
            .template
            .spec
            .as_mut()
            .expect("pod")
            .containers[0]
            .image = Some("y".into());
        changed.prepare_for_update(&ds);
        assert_eq!(template_generation(&changed), 2);
    }

    #[test]
    fn a_volume_records_when_its_phase_changed() {
        let mut pv = PersistentVolume::default();
        pv.prepare_for_create();
        let t0 = pv
            .status
            .as_ref()
            .and_then(|s| s.last_phase_transition_time.clone());
        assert!(t0.is_some());
        let mut same = pv.clone();
        same.status
            .as_mut()
            .expect("status")
            .last_phase_transition_time = None;
        same.prepare_for_status_update(&pv);
        assert_eq!(same.status.and_then(|s| s.last_phase_transition_time), t0);
    }

    #[test]
    fn generation_is_tracked_where_upstream_tracks_it() {
        const {
            assert!(StatefulSet::TRACKS_GENERATION);
            assert!(DaemonSet::TRACKS_GENERATION);
            assert!(Job::TRACKS_GENERATION);
            assert!(CronJob::TRACKS_GENERATION);
            assert!(ReplicationController::TRACKS_GENERATION);
            assert!(PodDisruptionBudget::TRACKS_GENERATION);
            assert!(PodTemplate::TRACKS_GENERATION);
            assert!(!HorizontalPodAutoscaler::TRACKS_GENERATION);
            assert!(!PersistentVolumeClaim::TRACKS_GENERATION);
        }
    }
}
