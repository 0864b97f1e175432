//! Validation of HorizontalPodAutoscalers (`pkg/apis/autoscaling/validation`, 1.33), on the
//! `autoscaling/v2` form (the storage version, and upstream's internal shape), whatever
//! version the request used.

use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HPAScalingRules, HorizontalPodAutoscaler,
    HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerSpec, MetricIdentifier, MetricSpec,
    MetricTarget,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;

use super::core::validate_dns1123_label;
use super::meta::{validate_label_selector, validate_object_meta, validate_object_meta_update};
use super::names::{name_is_dns_subdomain, validate_path_segment_name};
use super::quantity::Quantity;
use super::quota::go_quantity;
use super::{invalid_repr, validate_nonnegative};
use crate::field::{ErrorList, FieldError, Path};

/// `MaxPeriodSeconds`.
const MAX_PERIOD_SECONDS: i32 = 1800;
/// `MaxStabilizationWindowSeconds`.
const MAX_STABILIZATION_WINDOW_SECONDS: i32 = 3600;
const METRIC_SOURCE_TYPES: &[&str] = &[
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];

fn root(name: &str) -> Path {
    Path::new(name)
}

/// `ValidateCrossVersionObjectReference`: kind and name required, each a path segment.
fn validate_cross_version_ref(r: &CrossVersionObjectReference, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (f, v) in [("kind", &r.kind), ("name", &r.name)] {
        if v.is_empty() {
            errs.push(FieldError::required(&path.child(f), ""));
        } else {
            for m in validate_path_segment_name(v, false) {
                errs.push(FieldError::invalid(&path.child(f), v.as_str(), m));
            }
        }
    }
    errs
}

/// `validateMetricIdentifier`.
fn validate_metric_identifier(id: &MetricIdentifier, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if id.name.is_empty() {
        errs.push(FieldError::required(
            &path.child("name"),
            "must specify a metric name",
        ));
    } else {
        for m in validate_path_segment_name(&id.name, false) {
            errs.push(FieldError::invalid(
                &path.child("name"),
                id.name.as_str(),
                m,
            ));
        }
    }
    if let Some(sel) = id.selector.as_ref() {
        errs.extend(validate_label_selector(
            Some(sel),
            false,
            &path.child("selector"),
        ));
    }
    errs
}

fn positive(q: &ApiQuantity) -> Option<Quantity> {
    Quantity::parse(&q.0).ok()
}

/// `validateMetricTarget`.
fn validate_metric_target(t: &MetricTarget, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if t.type_.is_empty() {
        errs.push(FieldError::required(
            &path.child("type"),
            "must specify a metric target type",
        ));
    }
    if !matches!(t.type_.as_str(), "Utilization" | "Value" | "AverageValue") {
        errs.push(FieldError::invalid(
            &path.child("type"),
            t.type_.as_str(),
            "must be either Utilization, Value, or AverageValue",
        ));
    }
    for (f, v) in [
        ("value", t.value.as_ref()),
        ("averageValue", t.average_value.as_ref()),
    ] {
        if let Some(q) = v.and_then(positive)
            && q.signum() != 1
        {
            errs.push(invalid_repr(
                &path.child(f),
                &go_quantity(&q),
                "must be positive",
            ));
        }
    }
    if let Some(u) = t.average_utilization
        && u < 1
    {
        errs.push(FieldError::invalid(
            &path.child("averageUtilization"),
            u,
            "must be greater than 0",
        ));
    }
    errs
}

/// `validateMetricSpec`.
fn validate_metric_spec(spec: &MetricSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if spec.type_.is_empty() {
        errs.push(FieldError::required(
            &path.child("type"),
            "must specify a metric source type",
        ));
    }
    if !METRIC_SOURCE_TYPES.contains(&spec.type_.as_str()) {
        errs.push(FieldError::not_supported(
            &path.child("type"),
            spec.type_.as_str(),
            METRIC_SOURCE_TYPES,
        ));
    }
    let mut present: Vec<&str> = Vec::new();
    if let Some(o) = spec.object.as_ref() {
        present.push("object");
        if present.len() == 1 {
            let p = path.child("object");
            errs.extend(validate_cross_version_ref(
                &o.described_object,
                &p.child("describedObject"),
            ));
            errs.extend(validate_metric_identifier(&o.metric, &p.child("metric")));
            errs.extend(validate_metric_target(&o.target, &p.child("target")));
            if o.target.value.is_none() && o.target.average_value.is_none() {
                errs.push(FieldError::required(
                    &p.child("target").child("averageValue"),
                    "must set either a target value or averageValue",
                ));
            }
        }
    }
    if let Some(e) = spec.external.as_ref() {
        present.push("external");
        if present.len() == 1 {
            let p = path.child("external");
            errs.extend(validate_metric_identifier(&e.metric, &p.child("metric")));
            errs.extend(validate_metric_target(&e.target, &p.child("target")));
            match (e.target.value.is_some(), e.target.average_value.is_some()) {
                (false, false) => errs.push(FieldError::required(
                    &p.child("target").child("averageValue"),
                    "must set either a target value for metric or a per-pod target",
                )),
                (true, true) => errs.push(FieldError::forbidden(
                    &p.child("target").child("value"),
                    "may not set both a target value for metric and a per-pod target",
                )),
                _ => {}
            }
        }
    }
    if let Some(pm) = spec.pods.as_ref() {
        present.push("pods");
        if present.len() == 1 {
            let p = path.child("pods");
            errs.extend(validate_metric_identifier(&pm.metric, &p.child("metric")));
            errs.extend(validate_metric_target(&pm.target, &p.child("target")));
            if pm.target.average_value.is_none() {
                errs.push(FieldError::required(
                    &p.child("target").child("averageValue"),
                    "must specify a positive target averageValue",
                ));
            }
        }
    }
    if let Some(r) = spec.resource.as_ref() {
        present.push("resource");
        if present.len() == 1 {
            let p = path.child("resource");
            if r.name.is_empty() {
                errs.push(FieldError::required(
                    &p.child("name"),
                    "must specify a resource name",
                ));
            }
            errs.extend(validate_utilization_or_value(&r.target, &p));
        }
    }
    if let Some(c) = spec.container_resource.as_ref() {
        present.push("containerResource");
        if present.len() == 1 {
            let p = path.child("containerResource");
            if c.name.is_empty() {
                errs.push(FieldError::required(
                    &p.child("name"),
                    "must specify a resource name",
                ));
            }
            if c.container.is_empty() {
                errs.push(FieldError::required(
                    &p.child("container"),
                    "must specify a container",
                ));
            } else {
                errs.extend(validate_dns1123_label(&c.container, &p.child("container")));
            }
            errs.extend(validate_utilization_or_value(&c.target, &p));
        }
    }
    let expected = match spec.type_.as_str() {
        "Object" => Some(("object", spec.object.is_some())),
        "Pods" => Some(("pods", spec.pods.is_some())),
        "Resource" => Some(("resource", spec.resource.is_some())),
        "ContainerResource" => Some(("containerResource", spec.container_resource.is_some())),
        "External" => Some(("external", spec.external.is_some())),
        _ => None,
    };
    if let Some((field, set)) = expected
        && !set
    {
        errs.push(FieldError::required(
            &path.child(field),
            "must populate information for the given metric source",
        ));
    }
    if present.len() != 1 {
        let expected = expected.map(|(f, _)| f).unwrap_or("");
        let mut others: Vec<&str> = present.into_iter().filter(|f| *f != expected).collect();
        others.sort_unstable();
        for f in others {
            errs.push(FieldError::forbidden(
                &path.child(f),
                "must populate the given metric source only",
            ));
        }
    }
    errs
}

/// The target checks of resource and container-resource metrics.
fn validate_utilization_or_value(t: &MetricTarget, path: &Path) -> ErrorList {
    let mut errs = validate_metric_target(t, &path.child("target"));
    match (t.average_utilization.is_some(), t.average_value.is_some()) {
        (false, false) => errs.push(FieldError::required(
            &path.child("target").child("averageUtilization"),
            "must set either a target raw value or a target utilization",
        )),
        (true, true) => errs.push(FieldError::forbidden(
            &path.child("target").child("averageValue"),
            "may not set both a target raw value and a target utilization",
        )),
        _ => {}
    }
    errs
}

/// `validateScalingRules`.
fn validate_scaling_rules(rules: Option<&HPAScalingRules>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(r) = rules else { return errs };
    if let Some(w) = r.stabilization_window_seconds {
        let wp = path.child("stabilizationWindowSeconds");
        if w < 0 {
            errs.push(FieldError::invalid(
                &wp,
                w,
                "must be greater than or equal to zero",
            ));
        }
        if w > MAX_STABILIZATION_WINDOW_SECONDS {
            errs.push(FieldError::invalid(
                &wp,
                w,
                format!("must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}"),
            ));
        }
    }
    if let Some(sp) = r.select_policy.as_deref()
        && !matches!(sp, "Max" | "Min" | "Disabled")
    {
        errs.push(FieldError::not_supported(
            &path.child("selectPolicy"),
            sp,
            &["Disabled", "Max", "Min"],
        ));
    }
    let pp = path.child("policies");
    let policies = r.policies.as_deref().unwrap_or_default();
    if policies.is_empty() {
        errs.push(FieldError::required(
            &pp,
            "must specify at least one Policy",
        ));
    }
    for (i, p) in policies.iter().enumerate() {
        let ip = pp.index(i);
        if p.type_ != "Pods" && p.type_ != "Percent" {
            errs.push(FieldError::not_supported(
                &ip.child("type"),
                p.type_.as_str(),
                &["Percent", "Pods"],
            ));
        }
        if p.value <= 0 {
            errs.push(FieldError::invalid(
                &ip.child("value"),
                p.value,
                "must be greater than zero",
            ));
        }
        if p.period_seconds <= 0 {
            errs.push(FieldError::invalid(
                &ip.child("periodSeconds"),
                p.period_seconds,
                "must be greater than zero",
            ));
        }
        if p.period_seconds > MAX_PERIOD_SECONDS {
            errs.push(FieldError::invalid(
                &ip.child("periodSeconds"),
                p.period_seconds,
                format!("must be less than or equal to {MAX_PERIOD_SECONDS}"),
            ));
        }
    }
    errs
}

fn validate_behavior(b: Option<&HorizontalPodAutoscalerBehavior>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(b) = b {
        errs.extend(validate_scaling_rules(
            b.scale_up.as_ref(),
            &path.child("scaleUp"),
        ));
        errs.extend(validate_scaling_rules(
            b.scale_down.as_ref(),
            &path.child("scaleDown"),
        ));
    }
    errs
}

/// `validateHorizontalPodAutoscalerSpec` with `minReplicas` bounded below by `min_bound`.
fn validate_hpa_spec(spec: &HorizontalPodAutoscalerSpec, path: &Path, min_bound: i32) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(m) = spec.min_replicas
        && m < min_bound
    {
        errs.push(FieldError::invalid(
            &path.child("minReplicas"),
            m,
            format!("must be greater than or equal to {min_bound}"),
        ));
    }
    if spec.max_replicas < 1 {
        errs.push(FieldError::invalid(
            &path.child("maxReplicas"),
            spec.max_replicas,
            "must be greater than 0",
        ));
    }
    if let Some(m) = spec.min_replicas
        && spec.max_replicas < m
    {
        errs.push(FieldError::invalid(
            &path.child("maxReplicas"),
            spec.max_replicas,
            "must be greater than or equal to `minReplicas`",
        ));
    }
    errs.extend(validate_cross_version_ref(
        &spec.scale_target_ref,
        &path.child("scaleTargetRef"),
    ));
    let mp = path.child("metrics");
    let metrics = spec.metrics.as_deref().unwrap_or_default();
    let mut scale_to_zero_ok = false;
    for (i, m) in metrics.iter().enumerate() {
        errs.extend(validate_metric_spec(m, &mp.index(i)));
        scale_to_zero_ok |= m.type_ == "Object" || m.type_ == "External";
    }
    if spec.min_replicas == Some(0) && !scale_to_zero_ok {
        errs.push(FieldError::forbidden(
            &mp,
            "must specify at least one Object or External metric to support scaling to zero replicas",
        ));
    }
    errs.extend(validate_behavior(
        spec.behavior.as_ref(),
        &path.child("behavior"),
    ));
    errs
}

fn hpa_spec(h: &HorizontalPodAutoscaler) -> HorizontalPodAutoscalerSpec {
    h.spec.clone().unwrap_or_default()
}

/// `ValidateHorizontalPodAutoscaler`: metadata and spec (`minReplicas` at least 1; the
/// scale-to-zero gate is off).
pub fn validate_hpa_create(h: &HorizontalPodAutoscaler) -> ErrorList {
    let mut errs =
        validate_object_meta(&h.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_hpa_spec(&hpa_spec(h), &root("spec"), 1));
    errs
}

/// `ValidateHorizontalPodAutoscalerUpdate`: metadata update and spec (an HPA that already
/// had `minReplicas: 0` may keep it).
pub fn validate_hpa_update(
    h: &HorizontalPodAutoscaler,
    old: &HorizontalPodAutoscaler,
) -> ErrorList {
    let mut errs = validate_object_meta_update(&h.metadata, &old.metadata, &root("metadata"));
    let bound = if hpa_spec(old).min_replicas == Some(0) {
        0
    } else {
        1
    };
    errs.extend(validate_hpa_spec(&hpa_spec(h), &root("spec"), bound));
    errs
}

/// `ValidateHorizontalPodAutoscalerStatusUpdate`.
pub fn validate_hpa_status_update(
    h: &HorizontalPodAutoscaler,
    old: &HorizontalPodAutoscaler,
) -> ErrorList {
    let mut errs = validate_object_meta_update(&h.metadata, &old.metadata, &root("metadata"));
    let st = h.status.clone().unwrap_or_default();
    let sp = root("status");
    errs.extend(validate_nonnegative(
        i64::from(st.current_replicas.unwrap_or(0)),
        &sp.child("currentReplicas"),
    ));
    errs.extend(validate_nonnegative(
        i64::from(st.desired_replicas),
        &sp.child("desiredReplicas"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hpa(spec: serde_json::Value) -> HorizontalPodAutoscaler {
        let mut h: HorizontalPodAutoscaler = serde_json::from_value(
            json!({"metadata": {"name": "web", "namespace": "d"}, "spec": spec}),
        )
        .expect("hpa");
        crate::defaults::autoscaling::set_object_defaults_hpa(&mut h);
        h
    }

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn replica_bounds_and_target_are_checked() {
        let h = hpa(
            json!({"minReplicas": 5, "maxReplicas": 2, "scaleTargetRef": {"kind": "", "name": "web"}}),
        );
        assert_eq!(
            msgs(&validate_hpa_create(&h)),
            vec![
                "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`",
                "spec.scaleTargetRef.kind: Required value"
            ]
        );
        let h = hpa(
            json!({"minReplicas": 0, "maxReplicas": 0, "scaleTargetRef": {"kind": "Deployment", "name": "web"}}),
        );
        assert_eq!(
            msgs(&validate_hpa_create(&h)),
            vec![
                "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
                "spec.maxReplicas: Invalid value: 0: must be greater than 0",
                "spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas"
            ]
        );
    }

    #[test]
    fn metric_sources_must_match_their_type() {
        let h = hpa(
            json!({"maxReplicas": 3, "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "metrics": [{"type": "Pods", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}),
        );
        // The one source present is checked; only a second one would be Forbidden.
        assert_eq!(
            msgs(&validate_hpa_create(&h)),
            vec![
                "spec.metrics[0].pods: Required value: must populate information for the given metric source"
            ]
        );
    }

    #[test]
    fn scaling_policies_are_bounded() {
        let h = hpa(
            json!({"maxReplicas": 3, "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "behavior": {"scaleUp": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 3600}]}}}),
        );
        assert_eq!(
            msgs(&validate_hpa_create(&h)),
            vec![
                "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
                "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800"
            ]
        );
    }
}
