//! Validation of `apps/v1` Deployments and ReplicaSets (`pkg/apis/apps/validation` and the
//! strategies' selector immutability), 1.33.

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, ReplicaSet, ReplicaSetSpec,
    ReplicaSetStatus,
};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::core::validate_pod_template_spec;
use super::meta::{
    go_label_selector, label_selector_as_selector, label_selector_is_unset,
    validate_core_object_meta, validate_core_object_meta_update, validate_immutable_selector,
    validate_label_selector,
};
use super::names::{is_valid_percent, name_is_dns_subdomain};
use super::{
    go_int_or_string, go_string_map, invalid_repr, not_supported_repr, validate_nonnegative,
};
use crate::field::{ErrorList, FieldError, Path};

fn root(name: &str) -> Path {
    Path::new(name)
}

/// The selector checks shared by Deployments and ReplicaSets: required, valid, not empty,
/// and matching the template's labels. (A selector left out and `selector: {}` decode
/// alike; both are reported as missing.)
fn validate_selector_and_template(
    selector: &LabelSelector,
    template: &PodTemplateSpec,
    replicas: i32,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
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
                "empty selector is invalid for deployment",
            ));
        }
    }
    let parsed = if unset {
        label_selector_as_selector(None)
    } else {
        label_selector_as_selector(Some(selector))
    };
    match parsed {
        Err(_) => errs.push(invalid_repr(
            &sel_path,
            &go_label_selector(selector),
            "invalid label selector",
        )),
        Ok(sel) => {
            let tpath = path.child("template");
            let t = template;
            let labels = t.metadata.as_ref().and_then(|m| m.labels.as_ref());
            if !sel.is_empty() && !sel.matches(labels) {
                errs.push(invalid_repr(
                    &tpath.child("metadata").child("labels"),
                    &go_string_map(labels),
                    "`selector` does not match template `labels`",
                ));
            }
            errs.extend(validate_pod_template_spec(t, &tpath));
            let spec = t.spec.clone().unwrap_or_default();
            let _ = replicas; // read-only persistent disks are not among tug's volume types
            let rp = spec.restart_policy.clone().unwrap_or_default();
            if rp != "Always" {
                errs.push(FieldError::not_supported(
                    &tpath.child("spec").child("restartPolicy"),
                    rp,
                    &["Always"],
                ));
            }
            if spec.active_deadline_seconds.is_some() {
                errs.push(FieldError::forbidden(
                    &tpath.child("spec").child("activeDeadlineSeconds"),
                    "activeDeadlineSeconds in ReplicaSet is not Supported",
                ));
            }
        }
    }
    errs
}

/// `getPercentValue`: the number of a valid percentage.
fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::String(s) if is_valid_percent(s).is_empty() => {
            s.trim_end_matches('%').parse().ok()
        }
        _ => None,
    }
}

/// `getIntOrPercentValue` (a string that is no percentage counts as its `IntValue()`, 0
/// unless numeric).
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match (percent_value(v), v) {
        (Some(p), _) => p,
        (None, IntOrString::Int(i)) => *i as i64,
        (None, IntOrString::String(s)) => s.parse().unwrap_or(0),
    }
}

/// `ValidatePositiveIntOrPercent`.
fn validate_positive_int_or_percent(v: &IntOrString, path: &Path) -> ErrorList {
    match v {
        IntOrString::String(s) => is_valid_percent(s)
            .into_iter()
            .map(|m| invalid_repr(path, &go_int_or_string(v), &m))
            .collect(),
        IntOrString::Int(i) => validate_nonnegative(*i as i64, path),
    }
}

/// Go's `%#v` of an `apps.DeploymentStrategy` (the pointer's address is a placeholder).
fn go_strategy(s: &DeploymentStrategy) -> String {
    format!(
        "apps.DeploymentStrategy{{Type:{}, RollingUpdate:{}}}",
        super::go_quote(s.type_.as_deref().unwrap_or("")),
        if s.rolling_update.is_some() {
            "(*apps.RollingUpdateDeployment)(0xc000000001)"
        } else {
            "(*apps.RollingUpdateDeployment)(nil)"
        }
    )
}

/// `ValidateDeploymentStrategy`.
fn validate_deployment_strategy(s: &DeploymentStrategy, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    match s.type_.as_deref().unwrap_or("") {
        "Recreate" => {
            if s.rolling_update.is_some() {
                errs.push(FieldError::forbidden(
                    &path.child("rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => match &s.rolling_update {
            None => errs.push(FieldError::required(
                &path.child("rollingUpdate"),
                "this should be defaulted and never be nil",
            )),
            Some(ru) => {
                let rp = path.child("rollingUpdate");
                let zero = IntOrString::Int(0);
                let mu = ru.max_unavailable.as_ref().unwrap_or(&zero);
                let ms = ru.max_surge.as_ref().unwrap_or(&zero);
                errs.extend(validate_positive_int_or_percent(
                    mu,
                    &rp.child("maxUnavailable"),
                ));
                errs.extend(validate_positive_int_or_percent(ms, &rp.child("maxSurge")));
                if int_or_percent_value(mu) == 0 && int_or_percent_value(ms) == 0 {
                    errs.push(invalid_repr(
                        &rp.child("maxUnavailable"),
                        &go_int_or_string(mu),
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                if percent_value(mu).is_some_and(|p| p > 100) {
                    errs.push(invalid_repr(
                        &rp.child("maxUnavailable"),
                        &go_int_or_string(mu),
                        "must not be greater than 100%",
                    ));
                }
            }
        },
        _ => errs.push(not_supported_repr(
            path,
            &go_strategy(s),
            &["Recreate", "RollingUpdate"],
        )),
    }
    errs
}

/// `ValidateDeploymentSpec`.
pub fn validate_deployment_spec(spec: &DeploymentSpec, path: &Path) -> ErrorList {
    let replicas = spec.replicas.unwrap_or(0);
    let mut errs = validate_nonnegative(replicas as i64, &path.child("replicas"));
    errs.extend(validate_selector_and_template(
        &spec.selector,
        &spec.template,
        replicas,
        path,
    ));
    errs.extend(validate_deployment_strategy(
        &spec.strategy.clone().unwrap_or_default(),
        &path.child("strategy"),
    ));
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    errs.extend(validate_nonnegative(
        min_ready as i64,
        &path.child("minReadySeconds"),
    ));
    if let Some(r) = spec.revision_history_limit {
        errs.extend(validate_nonnegative(
            r as i64,
            &path.child("revisionHistoryLimit"),
        ));
    }
    if let Some(p) = spec.progress_deadline_seconds {
        errs.extend(validate_nonnegative(
            p as i64,
            &path.child("progressDeadlineSeconds"),
        ));
        if p <= min_ready {
            errs.push(FieldError::invalid(
                &path.child("progressDeadlineSeconds"),
                p,
                "must be greater than minReadySeconds",
            ));
        }
    }
    errs
}

fn deployment_spec(d: &Deployment) -> DeploymentSpec {
    d.spec.clone().unwrap_or_default()
}

/// `ValidateDeployment`: metadata and spec.
pub fn validate_deployment_create(d: &Deployment) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&d.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_deployment_spec(&deployment_spec(d), &root("spec")));
    errs
}

/// `ValidateDeploymentUpdate` plus the strategy's rule that `spec.selector` is immutable.
pub fn validate_deployment_update(d: &Deployment, old: &Deployment) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&d.metadata, &old.metadata, &root("metadata"));
    let (ns, os) = (deployment_spec(d), deployment_spec(old));
    errs.extend(validate_deployment_spec(&ns, &root("spec")));
    errs.extend(validate_immutable_selector(
        &ns.selector,
        &os.selector,
        &root("spec").child("selector"),
    ));
    errs
}

fn validate_replica_counts(counts: &[(&str, i64)], path: &Path) -> ErrorList {
    counts
        .iter()
        .flat_map(|(f, v)| validate_nonnegative(*v, &path.child(f)))
        .collect()
}

/// `ValidateDeploymentStatus`.
fn validate_deployment_status(st: &DeploymentStatus, path: &Path) -> ErrorList {
    let replicas = st.replicas.unwrap_or(0);
    let updated = st.updated_replicas.unwrap_or(0);
    let ready = st.ready_replicas.unwrap_or(0);
    let available = st.available_replicas.unwrap_or(0);
    let mut errs = validate_replica_counts(
        &[
            ("observedGeneration", st.observed_generation.unwrap_or(0)),
            ("replicas", replicas as i64),
            ("updatedReplicas", updated as i64),
            ("readyReplicas", ready as i64),
            ("availableReplicas", available as i64),
            (
                "unavailableReplicas",
                st.unavailable_replicas.unwrap_or(0) as i64,
            ),
        ],
        path,
    );
    if let Some(c) = st.collision_count {
        errs.extend(validate_nonnegative(
            c as i64,
            &path.child("collisionCount"),
        ));
    }
    let msg = "cannot be greater than status.replicas";
    if updated > replicas {
        errs.push(FieldError::invalid(
            &path.child("updatedReplicas"),
            updated,
            msg,
        ));
    }
    if ready > replicas {
        errs.push(FieldError::invalid(
            &path.child("readyReplicas"),
            ready,
            msg,
        ));
    }
    if available > replicas {
        errs.push(FieldError::invalid(
            &path.child("availableReplicas"),
            available,
            msg,
        ));
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

/// `ValidateDeploymentStatusUpdate`: metadata update, consistent counts, a collision
/// count that never decreases.
pub fn validate_deployment_status_update(d: &Deployment, old: &Deployment) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&d.metadata, &old.metadata, &root("metadata"));
    let st = d.status.clone().unwrap_or_default();
    errs.extend(validate_deployment_status(&st, &root("status")));
    let old_cc = old.status.as_ref().and_then(|s| s.collision_count);
    if let Some(o) = old_cc {
        let n = st.collision_count;
        if n.is_none_or(|n| n < o) {
            errs.push(FieldError::invalid(
                &root("status").child("collisionCount"),
                n.unwrap_or(0),
                "cannot be decremented",
            ));
        }
    }
    errs
}

fn rs_spec(rs: &ReplicaSet) -> ReplicaSetSpec {
    rs.spec.clone().unwrap_or_default()
}

/// `ValidateReplicaSetSpec`.
pub fn validate_replica_set_spec(spec: &ReplicaSetSpec, path: &Path) -> ErrorList {
    let replicas = spec.replicas.unwrap_or(0);
    let mut errs = validate_nonnegative(replicas as i64, &path.child("replicas"));
    errs.extend(validate_nonnegative(
        spec.min_ready_seconds.unwrap_or(0) as i64,
        &path.child("minReadySeconds"),
    ));
    errs.extend(validate_selector_and_template(
        &spec.selector,
        // v1 lets the template be left out; upstream's internal type makes it empty
        &spec.template.clone().unwrap_or_default(),
        replicas,
        path,
    ));
    errs
}

/// `ValidateReplicaSet`: metadata and spec.
pub fn validate_replica_set_create(rs: &ReplicaSet) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&rs.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_replica_set_spec(&rs_spec(rs), &root("spec")));
    errs
}

/// `ValidateReplicaSetUpdate` plus the strategy's rule that `spec.selector` is immutable.
pub fn validate_replica_set_update(rs: &ReplicaSet, old: &ReplicaSet) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&rs.metadata, &old.metadata, &root("metadata"));
    let (ns, os) = (rs_spec(rs), rs_spec(old));
    errs.extend(validate_replica_set_spec(&ns, &root("spec")));
    errs.extend(validate_immutable_selector(
        &ns.selector,
        &os.selector,
        &root("spec").child("selector"),
    ));
    errs
}

/// `ValidateReplicaSetStatus`.
fn validate_replica_set_status(st: &ReplicaSetStatus, path: &Path) -> ErrorList {
    let replicas = st.replicas;
    let fully = st.fully_labeled_replicas.unwrap_or(0);
    let ready = st.ready_replicas.unwrap_or(0);
    let available = st.available_replicas.unwrap_or(0);
    let mut errs = validate_replica_counts(
        &[
            ("replicas", replicas as i64),
            ("fullyLabeledReplicas", fully as i64),
            ("readyReplicas", ready as i64),
            ("availableReplicas", available as i64),
            ("observedGeneration", st.observed_generation.unwrap_or(0)),
        ],
        path,
    );
    let msg = "cannot be greater than status.replicas";
    if fully > replicas {
        errs.push(FieldError::invalid(
            &path.child("fullyLabeledReplicas"),
            fully,
            msg,
        ));
    }
    if ready > replicas {
        errs.push(FieldError::invalid(
            &path.child("readyReplicas"),
            ready,
            msg,
        ));
    }
    if available > replicas {
        errs.push(FieldError::invalid(
            &path.child("availableReplicas"),
            available,
            msg,
        ));
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

/// `ValidateReplicaSetStatusUpdate`: metadata update and consistent counts.
pub fn validate_replica_set_status_update(rs: &ReplicaSet, old: &ReplicaSet) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&rs.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_replica_set_status(
        &rs.status.clone().unwrap_or_default(),
        &root("status"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::KindRules;
    use serde_json::{Value, json};

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    fn deployment(spec: Value) -> Deployment {
        let mut d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": spec
        }))
        .expect("decodes");
        d.apply_defaults();
        d.prepare_for_create();
        d
    }

    fn good_spec() -> Value {
        json!({
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
        })
    }

    #[test]
    fn a_well_formed_deployment_is_valid_and_starts_with_an_empty_status() {
        let d = deployment(good_spec());
        assert_eq!(msgs(&d.validate_create()), Vec::<String>::new());
        assert_eq!(d.status, Some(DeploymentStatus::default()));
    }

    #[test]
    fn a_selector_that_misses_the_template_labels_is_rejected() {
        let mut spec = good_spec();
        spec["template"]["metadata"]["labels"] = json!({"app": "api"});
        assert_eq!(
            msgs(&deployment(spec).validate_create()),
            vec![
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"
            ]
        );
    }

    #[test]
    fn a_missing_selector_is_required() {
        let mut spec = good_spec();
        spec.as_object_mut().expect("object").remove("selector");
        let errs = msgs(&deployment(spec).validate_create());
        assert_eq!(errs[0], "spec.selector: Required value");
    }

    #[test]
    fn negative_replicas_are_rejected() {
        let mut spec = good_spec();
        spec["replicas"] = json!(-1);
        assert_eq!(
            msgs(&deployment(spec).validate_create()),
            vec!["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]
        );
    }

    #[test]
    fn templates_must_restart_always() {
        let mut spec = good_spec();
        spec["template"]["spec"]["restartPolicy"] = json!("Never");
        assert_eq!(
            msgs(&deployment(spec).validate_create()),
            vec![
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
            ]
        );
    }

    #[test]
    fn rolling_update_parameters_must_be_percentages_and_not_both_zero() {
        let mut spec = good_spec();
        spec["strategy"] = json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}});
        assert_eq!(
            msgs(&deployment(spec).validate_create()),
            vec![
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0"
            ]
        );
    }

    #[test]
    fn the_selector_of_a_deployment_is_immutable() {
        let mut old = deployment(good_spec());
        old.metadata.resource_version = Some("1".into());
        let mut new = old.clone();
        let spec = new.spec.as_mut().expect("spec");
        spec.selector.match_labels = Some([("app".to_string(), "b".to_string())].into());
        spec.template.metadata.as_mut().expect("meta").labels =
            Some([("app".to_string(), "b".to_string())].into());
        new.prepare_for_update(&old);
        assert_eq!(
            msgs(&new.validate_update(&old)),
            vec![
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
            ]
        );
    }

    #[test]
    fn a_replica_set_status_cannot_report_more_ready_than_replicas() {
        let mut old: ReplicaSet = serde_json::from_value(json!({
            "metadata": {"name": "rs", "namespace": "d", "resourceVersion": "1"},
            "spec": good_spec()
        }))
        .expect("decodes");
        old.apply_defaults();
        old.prepare_for_create();
        let mut new = old.clone();
        new.status = Some(ReplicaSetStatus {
            replicas: 1,
            ready_replicas: Some(2),
            ..Default::default()
        });
        new.prepare_for_status_update(&old);
        assert_eq!(
            msgs(&new.validate_status_update(&old)),
            vec!["status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas"]
        );
    }
}
