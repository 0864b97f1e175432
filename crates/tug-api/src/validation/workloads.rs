//! Validation of StatefulSets, DaemonSets and ControllerRevisions
//! (`pkg/apis/apps/validation`, 1.33) and of ReplicationControllers and PodTemplates
//! (`pkg/apis/core/validation`), with upstream's messages and field paths.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, DaemonSetSpec, DaemonSetStatus, DaemonSetUpdateStrategy,
    RollingUpdateDaemonSet, RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetSpec,
    StatefulSetStatus, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    PodTemplate, PodTemplateSpec, ReplicationController, ReplicationControllerSpec,
    ReplicationControllerStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::core::validate_pod_template_spec;
use super::meta::{
    go_label_selector, label_selector_as_selector, label_selector_is_unset, validate_annotations,
    validate_core_object_meta, validate_core_object_meta_update, validate_immutable_selector,
    validate_label_selector, validate_labels,
};
use super::names::{is_valid_percent, name_is_dns_label, name_is_dns_subdomain};
use super::{
    FIELD_IMMUTABLE_ERROR_MSG, go_int_or_string, go_quote, go_string_map, invalid_repr,
    not_supported_repr, s, validate_nonnegative,
};
use crate::field::{ErrorList, FieldError, Path};

fn root(name: &str) -> Path {
    Path::new(name)
}

/// Go's `DeepEqual` after a JSON round trip (`apiequality.Semantic` on internal objects,
/// whose nil and empty collections both decode from a missing field): equality with empty
/// maps, lists and nulls dropped.
pub(crate) fn semantic_eq<T: serde::Serialize>(a: &T, b: &T) -> bool {
    fn prune(v: Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k, prune(v)))
                    .filter(|(_, v)| match v {
                        Value::Object(m) => !m.is_empty(),
                        Value::Array(a) => !a.is_empty(),
                        Value::Null => false,
                        _ => true,
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.into_iter().map(prune).collect()),
            v => v,
        }
    }
    let j = |t: &T| prune(serde_json::to_value(t).unwrap_or_default());
    j(a) == j(b)
}

/// Go's `%#v` of a pointer inside a struct: a placeholder address, or `nil`.
fn go_ptr(ty: &str, set: bool) -> String {
    if set {
        format!("(*{ty})(0xc000000001)")
    } else {
        format!("(*{ty})(nil)")
    }
}

/// `getPercentValue`.
fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::String(s) if is_valid_percent(s).is_empty() => {
            s.trim_end_matches('%').parse().ok()
        }
        _ => None,
    }
}

/// `getIntOrPercentValue` (a non-percent string counts as `IntValue()`).
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match (percent_value(v), v) {
        (Some(p), _) => p,
        (None, IntOrString::Int(i)) => i64::from(*i),
        (None, IntOrString::String(s)) => s.parse().unwrap_or(0),
    }
}

/// `ValidatePositiveIntOrPercent`.
pub(crate) fn validate_positive_int_or_percent(v: &IntOrString, path: &Path) -> ErrorList {
    match v {
        IntOrString::String(s) => is_valid_percent(s)
            .into_iter()
            .map(|m| invalid_repr(path, &go_int_or_string(v), &m))
            .collect(),
        IntOrString::Int(i) => validate_nonnegative(i64::from(*i), path),
    }
}

/// `IsNotMoreThan100Percent`.
pub(crate) fn is_not_more_than_100_percent(v: &IntOrString, path: &Path) -> ErrorList {
    match percent_value(v) {
        Some(p) if p > 100 => vec![invalid_repr(
            path,
            &go_int_or_string(v),
            "must not be greater than 100%",
        )],
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// StatefulSet

fn go_rolling_update_sts(ru: &RollingUpdateStatefulSetStrategy) -> String {
    format!(
        "apps.RollingUpdateStatefulSetStrategy{{Partition:{}, MaxUnavailable:{}}}",
        ru.partition.unwrap_or(0),
        go_ptr("intstr.IntOrString", ru.max_unavailable.is_some())
    )
}

fn go_sts_update_strategy(us: &StatefulSetUpdateStrategy) -> String {
    format!(
        "apps.StatefulSetUpdateStrategy{{Type:{}, RollingUpdate:{}}}",
        go_quote(s(&us.type_)),
        go_ptr(
            "apps.RollingUpdateStatefulSetStrategy",
            us.rolling_update.is_some()
        )
    )
}

/// `validateRollingUpdateStatefulSet`.
fn validate_rolling_update_sts(ru: &RollingUpdateStatefulSetStrategy, path: &Path) -> ErrorList {
    let mut errs = validate_nonnegative(
        i64::from(ru.partition.unwrap_or(0)),
        &path.child("partition"),
    );
    if let Some(mu) = ru.max_unavailable.as_ref() {
        let p = path.child("maxUnavailable");
        errs.extend(validate_positive_int_or_percent(mu, &p));
        if int_or_percent_value(mu) == 0 {
            errs.push(invalid_repr(&p, &go_int_or_string(mu), "cannot be 0"));
        }
        errs.extend(is_not_more_than_100_percent(mu, &p));
    }
    errs
}

/// The selector every controller kind with a required `metav1.LabelSelector` checks: set,
/// valid, not empty. Returns the parsed selector (`Nothing` for a missing one).
fn validate_required_selector(
    selector: &LabelSelector,
    kind: &str,
    path: &Path,
    errs: &mut ErrorList,
) -> Result<super::meta::Selector, ()> {
    let sel_path = path.child("selector");
    let unset = label_selector_is_unset(selector);
    if unset {
        errs.push(FieldError::required(&sel_path, ""));
    } else {
        errs.extend(validate_label_selector(Some(selector), false, &sel_path));
        let n = selector.match_labels.as_ref().map_or(0, |m| m.len())
            + selector.match_expressions.as_ref().map_or(0, |e| e.len());
        if n == 0 {
            errs.push(invalid_repr(
                &sel_path,
                &go_label_selector(selector),
                &format!("empty selector is invalid for {kind}"),
            ));
        }
    }
    label_selector_as_selector(if unset { None } else { Some(selector) }).map_err(|_| ())
}

fn template_labels(t: &PodTemplateSpec) -> Option<&BTreeMap<String, String>> {
    t.metadata.as_ref().and_then(|m| m.labels.as_ref())
}

/// `ValidateStatefulSetSpec`. The pod template's spec is not validated (upstream leaves
/// that to pod creation), only its labels and annotations.
pub fn validate_stateful_set_spec(spec: &StatefulSetSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let pmp = path.child("podManagementPolicy");
    match s(&spec.pod_management_policy) {
        "" => errs.push(FieldError::required(&pmp, "")),
        "OrderedReady" | "Parallel" => {}
        other => errs.push(FieldError::invalid(
            &pmp,
            other,
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let us = spec.update_strategy.clone().unwrap_or_default();
    let usp = path.child("updateStrategy");
    match s(&us.type_) {
        "" => errs.push(FieldError::required(&usp, "")),
        "OnDelete" => {
            if let Some(ru) = us.rolling_update.as_ref() {
                errs.push(invalid_repr(
                    &usp.child("rollingUpdate"),
                    &go_rolling_update_sts(ru),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = us.rolling_update.as_ref() {
                errs.extend(validate_rolling_update_sts(ru, &usp.child("rollingUpdate")));
            }
        }
        _ => errs.push(invalid_repr(
            &usp,
            &go_sts_update_strategy(&us),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    if let Some(p) = spec.persistent_volume_claim_retention_policy.as_ref() {
        let pp = path.child("persistentVolumeClaimRetentionPolicy");
        for (f, v) in [
            ("whenDeleted", &p.when_deleted),
            ("whenScaled", &p.when_scaled),
        ] {
            let v = s(v);
            if v != "Retain" && v != "Delete" {
                errs.push(FieldError::not_supported(
                    &pp.child(f),
                    v,
                    &["Retain", "Delete"],
                ));
            }
        }
    }
    errs.extend(validate_nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        &path.child("replicas"),
    ));
    errs.extend(validate_nonnegative(
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
        &path.child("minReadySeconds"),
    ));
    if let Some(o) = spec.ordinals.as_ref() {
        errs.extend(validate_nonnegative(
            i64::from(o.start.unwrap_or(0)),
            &path.child("ordinals.start"),
        ));
    }
    let tpath = path.child("template");
    match validate_required_selector(&spec.selector, "statefulset", path, &mut errs) {
        Err(()) => errs.push(invalid_repr(
            &path.child("selector"),
            &go_label_selector(&spec.selector),
            "",
        )),
        Ok(sel) => {
            let labels = template_labels(&spec.template);
            if !sel.is_empty() && !sel.matches(labels) {
                errs.push(invalid_repr(
                    &tpath.child("metadata").child("labels"),
                    &go_string_map(labels),
                    "`selector` does not match template `labels`",
                ));
            }
            let meta = spec.template.metadata.clone().unwrap_or_default();
            errs.extend(validate_labels(
                meta.labels.as_ref(),
                &tpath.child("labels"),
            ));
            errs.extend(validate_annotations(
                meta.annotations.as_ref(),
                &tpath.child("annotations"),
            ));
        }
    }
    let pod = spec.template.spec.clone().unwrap_or_default();
    let rp = s(&pod.restart_policy);
    if rp != "Always" {
        errs.push(FieldError::not_supported(
            &tpath.child("spec").child("restartPolicy"),
            rp,
            &["Always"],
        ));
    }
    if pod.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &tpath.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    errs
}

fn sts_spec(ss: &StatefulSet) -> StatefulSetSpec {
    ss.spec.clone().unwrap_or_default()
}

/// `ValidateStatefulSet`: metadata (a DNS label name, as pods get it with an ordinal) and spec.
pub fn validate_stateful_set_create(ss: &StatefulSet) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&ss.metadata, true, name_is_dns_label, &root("metadata"));
    errs.extend(validate_stateful_set_spec(&sts_spec(ss), &root("spec")));
    errs
}

/// The message upstream gives for any other StatefulSet spec change.
pub const STATEFULSET_SPEC_FORBIDDEN: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/// `ValidateStatefulSetUpdate`: metadata update, spec, and only `replicas`, `ordinals`,
/// `template`, `updateStrategy`, `persistentVolumeClaimRetentionPolicy` and
/// `minReadySeconds` may change.
pub fn validate_stateful_set_update(ss: &StatefulSet, old: &StatefulSet) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&ss.metadata, &old.metadata, &root("metadata"));
    let (ns, os) = (sts_spec(ss), sts_spec(old));
    errs.extend(validate_stateful_set_spec(&ns, &root("spec")));
    let mut clone = ns.clone();
    clone.replicas = os.replicas;
    clone.template = os.template.clone();
    clone.update_strategy = os.update_strategy.clone();
    clone.min_ready_seconds = os.min_ready_seconds;
    clone.ordinals = os.ordinals.clone();
    clone.persistent_volume_claim_retention_policy =
        os.persistent_volume_claim_retention_policy.clone();
    if !semantic_eq(&clone, &os) {
        errs.push(FieldError::forbidden(
            &root("spec"),
            STATEFULSET_SPEC_FORBIDDEN,
        ));
    }
    errs
}

fn validate_counts(counts: &[(&str, i64)], path: &Path) -> ErrorList {
    counts
        .iter()
        .flat_map(|(f, v)| validate_nonnegative(*v, &path.child(f)))
        .collect()
}

/// `ValidateStatefulSetStatus`.
fn validate_stateful_set_status(st: &StatefulSetStatus, path: &Path) -> ErrorList {
    let replicas = st.replicas;
    let ready = st.ready_replicas.unwrap_or(0);
    let current = st.current_replicas.unwrap_or(0);
    let updated = st.updated_replicas.unwrap_or(0);
    let available = st.available_replicas.unwrap_or(0);
    let mut errs = validate_counts(
        &[
            ("replicas", i64::from(replicas)),
            ("readyReplicas", i64::from(ready)),
            ("currentReplicas", i64::from(current)),
            ("updatedReplicas", i64::from(updated)),
            ("availableReplicas", i64::from(available)),
        ],
        path,
    );
    if let Some(g) = st.observed_generation {
        errs.extend(validate_nonnegative(g, &path.child("observedGeneration")));
    }
    if let Some(c) = st.collision_count {
        errs.extend(validate_nonnegative(
            i64::from(c),
            &path.child("collisionCount"),
        ));
    }
    let msg = "cannot be greater than status.replicas";
    for (f, v) in [
        ("readyReplicas", ready),
        ("currentReplicas", current),
        ("updatedReplicas", updated),
        ("availableReplicas", available),
    ] {
        if v > replicas {
            errs.push(FieldError::invalid(&path.child(f), v, msg));
        }
    }
    if available > ready {
        errs.push(FieldError::invalid(
            &path.child("availableReplicas"),
            available,
            "cannot be greater than status.readyReplicas",
        ));
    }
    errs
}

/// A collision count that is set on `old` must not go down (`IsDecremented`).
fn collision_count_decremented(new: Option<i32>, old: Option<i32>, path: &Path) -> ErrorList {
    match (new, old) {
        (n, Some(o)) if n.is_none_or(|n| n < o) => vec![FieldError::invalid(
            &path.child("collisionCount"),
            n.unwrap_or(0),
            "cannot be decremented",
        )],
        _ => Vec::new(),
    }
}

/// `ValidateStatefulSetStatusUpdate`.
pub fn validate_stateful_set_status_update(ss: &StatefulSet, old: &StatefulSet) -> ErrorList {
    let st = ss.status.clone().unwrap_or_default();
    let mut errs = validate_stateful_set_status(&st, &root("status"));
    errs.extend(validate_core_object_meta_update(
        &ss.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs.extend(collision_count_decremented(
        st.collision_count,
        old.status.as_ref().and_then(|s| s.collision_count),
        &root("status"),
    ));
    errs
}

// ---------------------------------------------------------------------------------------
// ControllerRevision

/// Go's `%#v` of a `runtime.RawExtension` holding JSON bytes.
fn go_raw_extension(data: Option<&Value>) -> String {
    match data {
        None => "runtime.RawExtension{Raw:[]uint8(nil), Object:runtime.Object(nil)}".to_string(),
        Some(v) => {
            let bytes = serde_json::to_vec(v).unwrap_or_default();
            let items: Vec<String> = bytes.iter().map(|b| format!("0x{b:x}")).collect();
            format!(
                "runtime.RawExtension{{Raw:[]uint8{{{}}}, Object:runtime.Object(nil)}}",
                items.join(", ")
            )
        }
    }
}

/// `ValidateControllerRevision`: metadata, data present, revision not negative.
pub fn validate_controller_revision_create(cr: &ControllerRevision) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&cr.metadata, true, name_is_dns_subdomain, &root("metadata"));
    if cr.data.is_none() {
        errs.push(FieldError::required(&root("data"), "data is mandatory"));
    }
    errs.extend(validate_nonnegative(cr.revision, &root("revision")));
    errs
}

/// `ValidateControllerRevisionUpdate`: metadata update, validity, immutable data.
pub fn validate_controller_revision_update(
    cr: &ControllerRevision,
    old: &ControllerRevision,
) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&cr.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_controller_revision_create(cr));
    if cr.data != old.data {
        errs.push(invalid_repr(
            &root("data"),
            &go_raw_extension(cr.data.as_ref().map(|d| &d.0)),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

// ---------------------------------------------------------------------------------------
// DaemonSet

fn go_ds_update_strategy(us: &DaemonSetUpdateStrategy) -> String {
    format!(
        "apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:{}}}",
        go_quote(s(&us.type_)),
        go_ptr("apps.RollingUpdateDaemonSet", us.rolling_update.is_some())
    )
}

/// `ValidateRollingUpdateDaemonSet`: both values valid and at most 100%, exactly one
/// non-zero.
fn validate_rolling_update_ds(ru: &RollingUpdateDaemonSet, path: &Path) -> ErrorList {
    let zero = IntOrString::Int(0);
    let mu = ru.max_unavailable.as_ref().unwrap_or(&zero);
    let ms = ru.max_surge.as_ref().unwrap_or(&zero);
    let (mup, msp) = (path.child("maxUnavailable"), path.child("maxSurge"));
    let mut errs = validate_positive_int_or_percent(mu, &mup);
    errs.extend(validate_positive_int_or_percent(ms, &msp));
    errs.extend(is_not_more_than_100_percent(mu, &mup));
    errs.extend(is_not_more_than_100_percent(ms, &msp));
    let has_unavailable = int_or_percent_value(mu) != 0;
    let has_surge = int_or_percent_value(ms) != 0;
    match (has_unavailable, has_surge) {
        (true, true) => errs.push(invalid_repr(
            &msp,
            &go_int_or_string(ms),
            "may not be set when maxUnavailable is non-zero",
        )),
        (false, false) => errs.push(FieldError::required(&mup, "cannot be 0 when maxSurge is 0")),
        _ => {}
    }
    errs
}

/// `ValidateDaemonSetUpdateStrategy`.
fn validate_ds_update_strategy(us: &DaemonSetUpdateStrategy, path: &Path) -> ErrorList {
    match s(&us.type_) {
        "OnDelete" => Vec::new(),
        "RollingUpdate" => match us.rolling_update.as_ref() {
            None => vec![FieldError::required(&path.child("rollingUpdate"), "")],
            Some(ru) => validate_rolling_update_ds(ru, &path.child("rollingUpdate")),
        },
        _ => vec![not_supported_repr(
            path,
            &go_ds_update_strategy(us),
            &["RollingUpdate", "OnDelete"],
        )],
    }
}

/// `ValidateDaemonSetSpec`: selector (valid, not empty, matching the template), the pod
/// template, `Always` restarts, no active deadline, update strategy.
pub fn validate_daemon_set_spec(spec: &DaemonSetSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let unset = label_selector_is_unset(&spec.selector);
    let sel = if unset { None } else { Some(&spec.selector) };
    errs.extend(validate_label_selector(sel, false, &path.child("selector")));
    let tpath = path.child("template");
    if let Ok(parsed) = label_selector_as_selector(sel) {
        let labels = template_labels(&spec.template);
        if !parsed.matches(labels) {
            errs.push(invalid_repr(
                &tpath.child("metadata").child("labels"),
                &go_string_map(labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    if let Some(sel) = sel {
        let n = sel.match_labels.as_ref().map_or(0, |m| m.len())
            + sel.match_expressions.as_ref().map_or(0, |e| e.len());
        if n == 0 {
            errs.push(invalid_repr(
                &path.child("selector"),
                &go_label_selector(sel),
                "empty selector is invalid for daemonset",
            ));
        }
    }
    errs.extend(validate_pod_template_spec(&spec.template, &tpath));
    let pod = spec.template.spec.clone().unwrap_or_default();
    let rp = s(&pod.restart_policy);
    if rp != "Always" {
        errs.push(FieldError::not_supported(
            &tpath.child("spec").child("restartPolicy"),
            rp,
            &["Always"],
        ));
    }
    if pod.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &tpath.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in DaemonSet is not Supported",
        ));
    }
    errs.extend(validate_nonnegative(
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
        &path.child("minReadySeconds"),
    ));
    errs.extend(validate_ds_update_strategy(
        &spec.update_strategy.clone().unwrap_or_default(),
        &path.child("updateStrategy"),
    ));
    if let Some(r) = spec.revision_history_limit {
        errs.extend(validate_nonnegative(
            i64::from(r),
            &path.child("revisionHistoryLimit"),
        ));
    }
    errs
}

fn ds_spec(ds: &DaemonSet) -> DaemonSetSpec {
    ds.spec.clone().unwrap_or_default()
}

/// `ValidateDaemonSet`.
pub fn validate_daemon_set_create(ds: &DaemonSet) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&ds.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_daemon_set_spec(&ds_spec(ds), &root("spec")));
    errs
}

/// The DaemonSet strategy's `ValidateUpdate`: `ValidateDaemonSet`, metadata update, spec,
/// and (for `apps/v1`) an immutable selector. The template generation is kept by the
/// server, so its checks cannot fail here.
pub fn validate_daemon_set_update(ds: &DaemonSet, old: &DaemonSet) -> ErrorList {
    let mut errs = validate_daemon_set_create(ds);
    errs.extend(validate_core_object_meta_update(
        &ds.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    let (ns, os) = (ds_spec(ds), ds_spec(old));
    errs.extend(validate_daemon_set_spec(&ns, &root("spec")));
    errs.extend(validate_immutable_selector(
        &ns.selector,
        &os.selector,
        &root("spec").child("selector"),
    ));
    errs
}

/// `validateDaemonSetStatus`.
fn validate_daemon_set_status(st: &DaemonSetStatus, path: &Path) -> ErrorList {
    let mut errs = validate_counts(
        &[
            (
                "currentNumberScheduled",
                i64::from(st.current_number_scheduled),
            ),
            ("numberMisscheduled", i64::from(st.number_misscheduled)),
            (
                "desiredNumberScheduled",
                i64::from(st.desired_number_scheduled),
            ),
            ("numberReady", i64::from(st.number_ready)),
            ("observedGeneration", st.observed_generation.unwrap_or(0)),
            (
                "updatedNumberScheduled",
                i64::from(st.updated_number_scheduled.unwrap_or(0)),
            ),
            (
                "numberAvailable",
                i64::from(st.number_available.unwrap_or(0)),
            ),
            (
                "numberUnavailable",
                i64::from(st.number_unavailable.unwrap_or(0)),
            ),
        ],
        path,
    );
    if let Some(c) = st.collision_count {
        errs.extend(validate_nonnegative(
            i64::from(c),
            &path.child("collisionCount"),
        ));
    }
    errs
}

/// `ValidateDaemonSetStatusUpdate`.
pub fn validate_daemon_set_status_update(ds: &DaemonSet, old: &DaemonSet) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&ds.metadata, &old.metadata, &root("metadata"));
    let st = ds.status.clone().unwrap_or_default();
    errs.extend(validate_daemon_set_status(&st, &root("status")));
    errs.extend(collision_count_decremented(
        st.collision_count,
        old.status.as_ref().and_then(|s| s.collision_count),
        &root("status"),
    ));
    errs
}

// ---------------------------------------------------------------------------------------
// ReplicationController and PodTemplate

/// `ValidatePodTemplateSpecForRC`: required, matching the selector, valid, `Always`
/// restarts, no active deadline.
fn validate_pod_template_for_rc(
    template: Option<&PodTemplateSpec>,
    selector: Option<&BTreeMap<String, String>>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let Some(t) = template else {
        errs.push(FieldError::required(path, ""));
        return errs;
    };
    let selector = selector.filter(|s| !s.is_empty());
    if let Some(sel) = selector {
        let labels = template_labels(t);
        let matches = sel
            .iter()
            .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
        if !matches {
            errs.push(invalid_repr(
                &path.child("metadata").child("labels"),
                &go_string_map(labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    errs.extend(validate_pod_template_spec(t, path));
    let pod = t.spec.clone().unwrap_or_default();
    let rp = s(&pod.restart_policy);
    if rp != "Always" {
        errs.push(FieldError::not_supported(
            &path.child("spec").child("restartPolicy"),
            rp,
            &["Always"],
        ));
    }
    if let Some(ads) = pod.active_deadline_seconds {
        errs.push(FieldError::invalid(
            &path.child("spec").child("activeDeadlineSeconds"),
            ads,
            "must not be specified",
        ));
    }
    errs
}

/// `ValidateReplicationControllerSpec`.
pub fn validate_rc_spec(spec: &ReplicationControllerSpec, path: &Path) -> ErrorList {
    let mut errs = validate_nonnegative(
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
        &path.child("minReadySeconds"),
    );
    if spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
        errs.push(FieldError::required(&path.child("selector"), ""));
    }
    errs.extend(validate_nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        &path.child("replicas"),
    ));
    errs.extend(validate_pod_template_for_rc(
        spec.template.as_ref(),
        spec.selector.as_ref(),
        &path.child("template"),
    ));
    errs
}

fn rc_spec(rc: &ReplicationController) -> ReplicationControllerSpec {
    rc.spec.clone().unwrap_or_default()
}

/// `ValidateReplicationController`.
pub fn validate_rc_create(rc: &ReplicationController) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&rc.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_rc_spec(&rc_spec(rc), &root("spec")));
    errs
}

/// `ValidateReplicationControllerUpdate`.
pub fn validate_rc_update(rc: &ReplicationController, old: &ReplicationController) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&rc.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_rc_spec(&rc_spec(rc), &root("spec")));
    errs
}

/// `ValidateReplicationControllerStatus`.
fn validate_rc_status(st: &ReplicationControllerStatus, path: &Path) -> ErrorList {
    let replicas = st.replicas;
    let fully = st.fully_labeled_replicas.unwrap_or(0);
    let ready = st.ready_replicas.unwrap_or(0);
    let available = st.available_replicas.unwrap_or(0);
    let mut errs = validate_counts(
        &[
            ("replicas", i64::from(replicas)),
            ("fullyLabeledReplicas", i64::from(fully)),
            ("readyReplicas", i64::from(ready)),
            ("availableReplicas", i64::from(available)),
            ("observedGeneration", st.observed_generation.unwrap_or(0)),
        ],
        path,
    );
    let msg = "cannot be greater than status.replicas";
    for (f, v) in [
        ("fullyLabeledReplicas", fully),
        ("readyReplicas", ready),
        ("availableReplicas", available),
    ] {
        if v > replicas {
            errs.push(FieldError::invalid(&path.child(f), v, msg));
        }
    }
    if available > ready {
        errs.push(FieldError::invalid(
            &path.child("availableReplicas"),
            available,
            "cannot be greater than readyReplicas",
        ));
    }
    errs
}

/// `ValidateReplicationControllerStatusUpdate`.
pub fn validate_rc_status_update(
    rc: &ReplicationController,
    old: &ReplicationController,
) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&rc.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_rc_status(
        &rc.status.clone().unwrap_or_default(),
        &root("status"),
    ));
    errs
}

/// `ValidatePodTemplate`.
pub fn validate_pod_template_create(pt: &PodTemplate) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&pt.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_pod_template_spec(
        &pt.template.clone().unwrap_or_default(),
        &root("template"),
    ));
    errs
}

/// `ValidatePodTemplateUpdate`.
pub fn validate_pod_template_update(pt: &PodTemplate, old: &PodTemplate) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&pt.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_pod_template_spec(
        &pt.template.clone().unwrap_or_default(),
        &root("template"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::KindRules;
    use serde_json::json;

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    fn sts(spec: Value) -> StatefulSet {
        let mut ss: StatefulSet = serde_json::from_value(json!({
            "metadata": {"name": "db", "namespace": "d", "resourceVersion": "1"}, "spec": spec
        }))
        .expect("sts");
        ss.apply_defaults();
        ss.prepare_for_create();
        ss
    }

    fn good_sts() -> Value {
        json!({"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db",
               "template": {"metadata": {"labels": {"app": "db"}},
                            "spec": {"containers": [{"name": "c", "image": "postgres"}]}}})
    }

    #[test]
    fn a_well_formed_stateful_set_is_valid() {
        assert_eq!(
            msgs(&sts(good_sts()).validate_create()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn stateful_set_names_must_be_dns_labels() {
        let mut ss = sts(good_sts());
        ss.metadata.name = Some("a.b".into());
        assert_eq!(
            msgs(&ss.validate_create()),
            vec!["metadata.name: Invalid value: \"a.b\": must not contain dots"]
        );
    }

    #[test]
    fn only_some_stateful_set_fields_may_change() {
        let old = sts(good_sts());
        let mut new = old.clone();
        new.spec.as_mut().expect("spec").service_name = Some("other".into());
        new.spec.as_mut().expect("spec").replicas = Some(5);
        new.prepare_for_update(&old);
        assert_eq!(
            msgs(&new.validate_update(&old)),
            vec![format!("spec: Forbidden: {STATEFULSET_SPEC_FORBIDDEN}")]
        );
        let mut scaled = old.clone();
        scaled.spec.as_mut().expect("spec").replicas = Some(5);
        assert!(scaled.validate_update(&old).is_empty());
    }

    #[test]
    fn an_unknown_pod_management_policy_is_invalid() {
        let mut spec = good_sts();
        spec["podManagementPolicy"] = json!("Random");
        assert_eq!(
            msgs(&sts(spec).validate_create()),
            vec![
                "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"
            ]
        );
    }

    fn ds(spec: Value) -> DaemonSet {
        let mut d: DaemonSet = serde_json::from_value(json!({
            "metadata": {"name": "agent", "namespace": "d"}, "spec": spec
        }))
        .expect("ds");
        d.apply_defaults();
        d.prepare_for_create();
        d
    }

    #[test]
    fn daemon_set_rolling_updates_need_exactly_one_non_zero_budget() {
        let spec = json!({"selector": {"matchLabels": {"a": "b"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}},
            "template": {"metadata": {"labels": {"a": "b"}},
                         "spec": {"containers": [{"name": "c", "image": "x"}]}}});
        assert_eq!(
            msgs(&ds(spec).validate_create()),
            vec![
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
            ]
        );
    }

    #[test]
    fn a_replication_controller_template_must_match_its_selector() {
        let mut rc: ReplicationController = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "d"},
            "spec": {"selector": {"app": "web"},
                     "template": {"metadata": {"labels": {"app": "api"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
        }))
        .expect("rc");
        rc.apply_defaults();
        assert_eq!(
            msgs(&rc.validate_create()),
            vec![
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"
            ]
        );
    }

    #[test]
    fn controller_revisions_need_data_which_then_is_immutable() {
        let mut cr: ControllerRevision = serde_json::from_value(json!({
            "metadata": {"name": "r1", "namespace": "d", "resourceVersion": "1"}, "revision": 1
        }))
        .expect("cr");
        assert_eq!(
            msgs(&cr.validate_create()),
            vec!["data: Required value: data is mandatory"]
        );
        cr.data = Some(k8s_openapi::apimachinery::pkg::runtime::RawExtension(
            json!({"a": 1}),
        ));
        let mut new = cr.clone();
        new.data = Some(k8s_openapi::apimachinery::pkg::runtime::RawExtension(
            json!(1),
        ));
        assert_eq!(
            msgs(&new.validate_update(&cr)),
            vec![
                "data: Invalid value: runtime.RawExtension{Raw:[]uint8{0x31}, Object:runtime.Object(nil)}: field is immutable"
            ]
        );
    }
}
