//! Defaulting of the workload and storage kinds beyond Deployments and ReplicaSets
//! (`pkg/apis/apps/v1/defaults.go` and `pkg/apis/core/v1/defaults.go`, 1.33): StatefulSets,
//! DaemonSets, ControllerRevisions, ReplicationControllers, PodTemplates,
//! PersistentVolumes, PersistentVolumeClaims, LimitRanges and ResourceQuotas.

use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet,
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy,
    StatefulSetSpec, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    LimitRange, LimitRangeItem, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec,
    PersistentVolumeClaimStatus, PersistentVolumeSpec, PodTemplate, ReplicationController,
    ReplicationControllerSpec, ResourceQuota,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::core::{set_defaults_pod_template, set_defaults_resource_list};

fn unset(v: &Option<String>) -> bool {
    v.as_deref().unwrap_or("").is_empty()
}

fn set_str(v: &mut Option<String>, default: &str) {
    if unset(v) {
        *v = Some(default.to_string());
    }
}

/// `SetDefaults_PersistentVolumeClaimSpec` plus the resource lists.
pub fn set_defaults_pvc_spec(spec: &mut PersistentVolumeClaimSpec) {
    if spec.volume_mode.is_none() {
        spec.volume_mode = Some("Filesystem".to_string());
    }
    if let Some(r) = spec.resources.as_mut() {
        for list in [r.limits.as_mut(), r.requests.as_mut()]
            .into_iter()
            .flatten()
        {
            set_defaults_resource_list(list);
        }
    }
}

/// `SetObjectDefaults_PersistentVolumeClaim`: `volumeMode` `Filesystem`, phase `Pending`
/// and canonical quantities.
pub fn set_object_defaults_pvc(pvc: &mut PersistentVolumeClaim) {
    set_defaults_pvc_spec(pvc.spec.get_or_insert_with(Default::default));
    let status = pvc
        .status
        .get_or_insert_with(PersistentVolumeClaimStatus::default);
    set_str(&mut status.phase, "Pending");
    for list in [
        status.capacity.as_mut(),
        status.allocated_resources.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        set_defaults_resource_list(list);
    }
}

/// `SetObjectDefaults_PersistentVolume`: reclaim policy `Retain`, `volumeMode` `Filesystem`,
/// canonical capacity (the phase, `Pending`, is set on create).
pub fn set_object_defaults_pv(pv: &mut PersistentVolume) {
    let spec = pv.spec.get_or_insert_with(PersistentVolumeSpec::default);
    set_str(&mut spec.persistent_volume_reclaim_policy, "Retain");
    if spec.volume_mode.is_none() {
        spec.volume_mode = Some("Filesystem".to_string());
    }
    if let Some(c) = spec.capacity.as_mut() {
        set_defaults_resource_list(c);
    }
}

/// `SetDefaults_ReplicationController`: the template's labels become the selector and the
/// RC's labels when those are empty; replicas 1; pod-template defaults.
pub fn set_object_defaults_rc(rc: &mut ReplicationController) {
    let spec = rc
        .spec
        .get_or_insert_with(ReplicationControllerSpec::default);
    let labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone());
    if let Some(labels) = labels {
        if spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            spec.selector = Some(labels.clone());
        }
        if rc.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
            rc.metadata.labels = Some(labels);
        }
    }
    let spec = rc
        .spec
        .get_or_insert_with(ReplicationControllerSpec::default);
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if let Some(t) = spec.template.as_mut() {
        set_defaults_pod_template(t);
    }
}

/// `SetObjectDefaults_PodTemplate`: pod-template defaults.
pub fn set_object_defaults_pod_template(pt: &mut PodTemplate) {
    if let Some(t) = pt.template.as_mut() {
        set_defaults_pod_template(t);
    }
}

/// `SetDefaults_StatefulSet`: `OrderedReady`, `RollingUpdate` with partition 0, PVC
/// retention `Retain`/`Retain`, replicas 1, `revisionHistoryLimit` 10; pod-template and
/// claim-template defaults (each claim template also gets phase `Pending`, as upstream's
/// `SetDefaults_PersistentVolumeClaim` gives it).
pub fn set_object_defaults_stateful_set(ss: &mut StatefulSet) {
    let spec = ss.spec.get_or_insert_with(StatefulSetSpec::default);
    set_str(&mut spec.pod_management_policy, "OrderedReady");
    let us = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    if unset(&us.type_) {
        us.type_ = Some("RollingUpdate".to_string());
        if us.rolling_update.is_none() {
            us.rolling_update = Some(RollingUpdateStatefulSetStrategy::default());
        }
    }
    if us.type_.as_deref() == Some("RollingUpdate")
        && let Some(ru) = us.rolling_update.as_mut()
        && ru.partition.is_none()
    {
        ru.partition = Some(0);
    }
    let policy = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    set_str(&mut policy.when_deleted, "Retain");
    set_str(&mut policy.when_scaled, "Retain");
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
    set_defaults_pod_template(&mut spec.template);
    for pvc in spec.volume_claim_templates.iter_mut().flatten() {
        set_object_defaults_pvc(pvc);
    }
}

/// `SetDefaults_DaemonSet`: `RollingUpdate` with `maxUnavailable` 1 and `maxSurge` 0,
/// `revisionHistoryLimit` 10, pod-template defaults.
pub fn set_object_defaults_daemon_set(ds: &mut DaemonSet) {
    let spec = ds.spec.get_or_insert_with(DaemonSetSpec::default);
    let us = spec
        .update_strategy
        .get_or_insert_with(DaemonSetUpdateStrategy::default);
    set_str(&mut us.type_, "RollingUpdate");
    if us.type_.as_deref() == Some("RollingUpdate") {
        let ru = us
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        if ru.max_unavailable.is_none() {
            ru.max_unavailable = Some(IntOrString::Int(1));
        }
        if ru.max_surge.is_none() {
            ru.max_surge = Some(IntOrString::Int(0));
        }
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
    set_defaults_pod_template(&mut spec.template);
}

/// `SetDefaults_LimitRangeItem`: for `Container` limits, the default limit comes from `max`,
/// the default request from the default limit and else from `min`; all lists canonical.
pub fn set_defaults_limit_range_item(item: &mut LimitRangeItem) {
    for list in [
        item.max.as_mut(),
        item.min.as_mut(),
        item.default.as_mut(),
        item.default_request.as_mut(),
        item.max_limit_request_ratio.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        set_defaults_resource_list(list);
    }
    if item.type_ != "Container" {
        return;
    }
    let default = item.default.get_or_insert_with(Default::default);
    for (k, v) in item.max.iter().flatten() {
        default.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let default = default.clone();
    let default_request = item.default_request.get_or_insert_with(Default::default);
    for (k, v) in default.iter() {
        default_request
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    for (k, v) in item.min.iter().flatten() {
        default_request
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    // Go's omitempty drops the empty maps the defaulting made.
    if item.default.as_ref().is_some_and(|m| m.is_empty()) {
        item.default = None;
    }
    if item.default_request.as_ref().is_some_and(|m| m.is_empty()) {
        item.default_request = None;
    }
}

/// `SetObjectDefaults_LimitRange`.
pub fn set_object_defaults_limit_range(lr: &mut LimitRange) {
    for item in lr.spec.iter_mut().flat_map(|s| s.limits.iter_mut()) {
        set_defaults_limit_range_item(item);
    }
}

/// `SetObjectDefaults_ResourceQuota`: canonical quantities.
pub fn set_object_defaults_resource_quota(rq: &mut ResourceQuota) {
    if let Some(h) = rq.spec.as_mut().and_then(|s| s.hard.as_mut()) {
        set_defaults_resource_list(h);
    }
    if let Some(st) = rq.status.as_mut() {
        for list in [st.hard.as_mut(), st.used.as_mut()].into_iter().flatten() {
            set_defaults_resource_list(list);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stateful_set_gets_its_update_and_retention_defaults() {
        let mut ss: StatefulSet = serde_json::from_value(json!({
            "metadata": {"name": "db"},
            "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {},
                     "volumeClaimTemplates": [{"metadata": {"name": "data"},
                       "spec": {"accessModes": ["ReadWriteOnce"],
                                "resources": {"requests": {"storage": "1Gi"}}}}]}
        }))
        .expect("sts");
        set_object_defaults_stateful_set(&mut ss);
        let v = serde_json::to_value(&ss).expect("json");
        assert_eq!(v["spec"]["podManagementPolicy"], "OrderedReady");
        assert_eq!(
            v["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
        );
        assert_eq!(
            v["spec"]["persistentVolumeClaimRetentionPolicy"],
            json!({"whenDeleted": "Retain", "whenScaled": "Retain"})
        );
        assert_eq!(v["spec"]["replicas"], 1);
        assert_eq!(v["spec"]["revisionHistoryLimit"], 10);
        let claim = &v["spec"]["volumeClaimTemplates"][0];
        assert_eq!(claim["spec"]["volumeMode"], "Filesystem");
        assert_eq!(claim["status"]["phase"], "Pending");
    }

    #[test]
    fn an_on_delete_stateful_set_gets_no_rolling_update() {
        let mut ss: StatefulSet = serde_json::from_value(json!({
            "metadata": {"name": "db"},
            "spec": {"selector": {}, "template": {}, "updateStrategy": {"type": "OnDelete"}}
        }))
        .expect("sts");
        set_object_defaults_stateful_set(&mut ss);
        let us = ss.spec.and_then(|s| s.update_strategy).expect("strategy");
        assert!(us.rolling_update.is_none());
    }

    #[test]
    fn a_daemon_set_rolls_one_at_a_time_without_surge() {
        let mut ds = DaemonSet::default();
        set_object_defaults_daemon_set(&mut ds);
        let v = serde_json::to_value(&ds).expect("json");
        assert_eq!(
            v["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        );
        assert_eq!(v["spec"]["revisionHistoryLimit"], 10);
    }

    #[test]
    fn a_replication_controller_takes_selector_and_labels_from_its_template() {
        let mut rc: ReplicationController = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"template": {"metadata": {"labels": {"app": "web"}}}}
        }))
        .expect("rc");
        set_object_defaults_rc(&mut rc);
        let v = serde_json::to_value(&rc).expect("json");
        assert_eq!(v["spec"]["selector"], json!({"app": "web"}));
        assert_eq!(v["metadata"]["labels"], json!({"app": "web"}));
        assert_eq!(v["spec"]["replicas"], 1);
    }

    #[test]
    fn volumes_and_claims_default_to_filesystem_and_retain() {
        let mut pv = PersistentVolume::default();
        set_object_defaults_pv(&mut pv);
        let s = pv.spec.expect("spec");
        assert_eq!(
            s.persistent_volume_reclaim_policy.as_deref(),
            Some("Retain")
        );
        assert_eq!(s.volume_mode.as_deref(), Some("Filesystem"));
        let mut pvc: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "c"},
            "spec": {"resources": {"requests": {"storage": "1024Mi"}}}
        }))
        .expect("pvc");
        set_object_defaults_pvc(&mut pvc);
        let v = serde_json::to_value(&pvc).expect("json");
        assert_eq!(v["spec"]["volumeMode"], "Filesystem");
        assert_eq!(v["spec"]["resources"]["requests"]["storage"], "1Gi");
        assert_eq!(v["status"]["phase"], "Pending");
    }

    #[test]
    fn container_limit_ranges_derive_defaults_from_max_and_min() {
        let mut lr: LimitRange = serde_json::from_value(json!({
            "metadata": {"name": "l"},
            "spec": {"limits": [
                {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}},
                {"type": "Pod", "max": {"cpu": "4"}}
            ]}
        }))
        .expect("lr");
        set_object_defaults_limit_range(&mut lr);
        let v = serde_json::to_value(&lr).expect("json");
        assert_eq!(v["spec"]["limits"][0]["default"], json!({"cpu": "2"}));
        assert_eq!(
            v["spec"]["limits"][0]["defaultRequest"],
            json!({"cpu": "2", "memory": "64Mi"})
        );
        assert!(v["spec"]["limits"][1].get("default").is_none());
    }
}
