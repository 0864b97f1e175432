//! Validation of `policy/v1` PodDisruptionBudgets (`pkg/apis/policy/validation`, 1.33).
//!
//! Upstream's PDB strategy validates only the spec; the generic registry then checks the
//! metadata (name as a path segment) once the spec is valid, so metadata errors appear only
//! for an otherwise valid budget.

use k8s_openapi::api::policy::v1::{
    PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;

use super::invalid_repr;
use super::meta::{validate_label_selector, validate_object_meta, validate_object_meta_update};
use super::names::{is_qualified_name, validate_path_segment_name};
use super::validate_nonnegative;
use super::workloads::{is_not_more_than_100_percent, validate_positive_int_or_percent};
use crate::field::{ErrorList, FieldError, Path};

fn root(name: &str) -> Path {
    Path::new(name)
}

fn go_ptr(ty: &str, set: bool) -> String {
    if set {
        format!("(*{ty})(0xc000000001)")
    } else {
        format!("(*{ty})(nil)")
    }
}

/// Go's `%#v` of a `policy.PodDisruptionBudgetSpec` (pointer addresses are placeholders).
fn go_pdb_spec(spec: &PodDisruptionBudgetSpec) -> String {
    format!(
        "policy.PodDisruptionBudgetSpec{{MinAvailable:{}, Selector:{}, MaxUnavailable:{}, UnhealthyPodEvictionPolicy:{}}}",
        go_ptr("intstr.IntOrString", spec.min_available.is_some()),
        go_ptr("v1.LabelSelector", spec.selector.is_some()),
        go_ptr("intstr.IntOrString", spec.max_unavailable.is_some()),
        go_ptr(
            "policy.UnhealthyPodEvictionPolicyType",
            spec.unhealthy_pod_eviction_policy.is_some()
        ),
    )
}

/// `ValidatePodDisruptionBudgetSpec`.
pub fn validate_pdb_spec(spec: &PodDisruptionBudgetSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        errs.push(invalid_repr(
            path,
            &go_pdb_spec(spec),
            "minAvailable and maxUnavailable cannot be both set",
        ));
    }
    for (f, v) in [
        ("minAvailable", spec.min_available.as_ref()),
        ("maxUnavailable", spec.max_unavailable.as_ref()),
    ] {
        if let Some(v) = v {
            errs.extend(validate_positive_int_or_percent(v, &path.child(f)));
            errs.extend(is_not_more_than_100_percent(v, &path.child(f)));
        }
    }
    errs.extend(validate_label_selector(
        spec.selector.as_ref(),
        false,
        &path.child("selector"),
    ));
    if let Some(p) = spec.unhealthy_pod_eviction_policy.as_deref()
        && p != "IfHealthyBudget"
        && p != "AlwaysAllow"
    {
        errs.push(FieldError::not_supported(
            &path.child("unhealthyPodEvictionPolicy"),
            p,
            &["AlwaysAllow", "IfHealthyBudget"],
        ));
    }
    errs
}

fn pdb_spec(p: &PodDisruptionBudget) -> PodDisruptionBudgetSpec {
    p.spec.clone().unwrap_or_default()
}

/// The PDB strategy's `Validate`, then the generic metadata checks.
pub fn validate_pdb_create(p: &PodDisruptionBudget) -> ErrorList {
    let errs = validate_pdb_spec(&pdb_spec(p), &root("spec"));
    if !errs.is_empty() {
        return errs;
    }
    validate_object_meta(
        &p.metadata,
        true,
        validate_path_segment_name,
        &root("metadata"),
    )
}

/// The PDB strategy's `ValidateUpdate` (the spec may change), then the generic metadata
/// update checks.
pub fn validate_pdb_update(p: &PodDisruptionBudget, old: &PodDisruptionBudget) -> ErrorList {
    let errs = validate_pdb_spec(&pdb_spec(p), &root("spec"));
    if !errs.is_empty() {
        return errs;
    }
    validate_object_meta_update(&p.metadata, &old.metadata, &root("metadata"))
}

/// `metav1validation.ValidateConditions`, as far as a status writer can get it wrong.
fn validate_conditions(conditions: &[Condition], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, c) in conditions.iter().enumerate() {
        let p = path.index(i);
        if c.type_.is_empty() {
            errs.push(FieldError::required(&p.child("type"), "must be set"));
        } else {
            for m in is_qualified_name(&c.type_) {
                errs.push(FieldError::invalid(&p.child("type"), c.type_.as_str(), m));
            }
            if !seen.insert(c.type_.clone()) {
                errs.push(FieldError::duplicate(&p.child("type"), c.type_.as_str()));
            }
        }
        if !matches!(c.status.as_str(), "True" | "False" | "Unknown") {
            errs.push(FieldError::not_supported(
                &p.child("status"),
                c.status.as_str(),
                &["False", "True", "Unknown"],
            ));
        }
        if c.observed_generation.is_some_and(|g| g < 0) {
            errs.extend(validate_nonnegative(
                c.observed_generation.unwrap_or(0),
                &p.child("observedGeneration"),
            ));
        }
        if c.reason.is_empty() {
            errs.push(FieldError::required(&p.child("reason"), "must be set"));
        }
        if c.message.len() > 32768 {
            errs.push(super::too_long(&p.child("message"), 32768));
        }
    }
    errs
}

/// `ValidatePodDisruptionBudgetStatusUpdate` (policy/v1): conditions and non-negative
/// counts, plus the metadata update.
pub fn validate_pdb_status_update(p: &PodDisruptionBudget, old: &PodDisruptionBudget) -> ErrorList {
    let st: PodDisruptionBudgetStatus = p.status.clone().unwrap_or_default();
    let sp = root("status");
    let mut errs = validate_conditions(
        st.conditions.as_deref().unwrap_or_default(),
        &sp.child("conditions"),
    );
    for (f, v) in [
        ("disruptionsAllowed", st.disruptions_allowed),
        ("currentHealthy", st.current_healthy),
        ("desiredHealthy", st.desired_healthy),
        ("expectedPods", st.expected_pods),
    ] {
        errs.extend(validate_nonnegative(i64::from(v), &sp.child(f)));
    }
    errs.extend(validate_object_meta_update(
        &p.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pdb(spec: serde_json::Value) -> PodDisruptionBudget {
        serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "d"}, "spec": spec}))
            .expect("pdb")
    }

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn min_available_and_max_unavailable_are_exclusive() {
        assert_eq!(
            msgs(&validate_pdb_create(&pdb(
                json!({"minAvailable": 1, "maxUnavailable": 1,
                "selector": {"matchLabels": {"a": "b"}}})
            ))),
            vec![
                "spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000001), Selector:(*v1.LabelSelector)(0xc000000001), MaxUnavailable:(*intstr.IntOrString)(0xc000000001), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set"
            ]
        );
    }

    #[test]
    fn percentages_above_100_and_negative_counts_are_invalid() {
        assert_eq!(
            msgs(&validate_pdb_create(&pdb(json!({"minAvailable": "150%"})))),
            vec![
                "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"
            ]
        );
        assert_eq!(
            msgs(&validate_pdb_create(&pdb(json!({"maxUnavailable": -1})))),
            vec!["spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"]
        );
    }
}
