//! Defaulting of HorizontalPodAutoscalers (`pkg/apis/autoscaling/v2/defaults.go` and
//! `v1/defaults.go`, 1.33).

use k8s_openapi::api::autoscaling::v1;
use k8s_openapi::api::autoscaling::v2::{
    HPAScalingPolicy, HPAScalingRules, HorizontalPodAutoscaler, MetricSpec, MetricTarget,
    ResourceMetricSource,
};

/// `autoscaling.DefaultCPUUtilization`: the target of the implicit CPU metric.
pub const DEFAULT_CPU_UTILIZATION: i32 = 80;

/// The metric an HPA without metrics gets: CPU at 80% average utilization.
pub fn default_cpu_metric(utilization: i32) -> MetricSpec {
    MetricSpec {
        type_: "Resource".to_string(),
        resource: Some(ResourceMetricSource {
            name: "cpu".to_string(),
            target: MetricTarget {
                type_: "Utilization".to_string(),
                average_utilization: Some(utilization),
                ..Default::default()
            },
        }),
        ..Default::default()
    }
}

fn policy(type_: &str, value: i32, period: i32) -> HPAScalingPolicy {
    HPAScalingPolicy {
        type_: type_.to_string(),
        value,
        period_seconds: period,
    }
}

/// `GenerateHPAScaleUpRules`: stabilization 0 s, `Max` of 4 pods or 100% per 15 s, each part
/// only where the given rules leave it out.
pub fn scale_up_rules(rules: Option<HPAScalingRules>) -> HPAScalingRules {
    let mut r = rules.unwrap_or_default();
    if r.stabilization_window_seconds.is_none() {
        r.stabilization_window_seconds = Some(0);
    }
    if r.select_policy.is_none() {
        r.select_policy = Some("Max".to_string());
    }
    if r.policies.is_none() {
        r.policies = Some(vec![policy("Pods", 4, 15), policy("Percent", 100, 15)]);
    }
    r
}

/// `GenerateHPAScaleDownRules`: stabilization 300 s, `Max` of 100% per 15 s.
pub fn scale_down_rules(rules: Option<HPAScalingRules>) -> HPAScalingRules {
    let mut r = rules.unwrap_or_default();
    if r.stabilization_window_seconds.is_none() {
        r.stabilization_window_seconds = Some(300);
    }
    if r.select_policy.is_none() {
        r.select_policy = Some("Max".to_string());
    }
    if r.policies.is_none() {
        r.policies = Some(vec![policy("Percent", 100, 15)]);
    }
    r
}

/// `SetObjectDefaults_HorizontalPodAutoscaler` (v2): `minReplicas` 1, the CPU metric when
/// there are no metrics, and a given `behavior` completed with the default scaling rules.
pub fn set_object_defaults_hpa(hpa: &mut HorizontalPodAutoscaler) {
    let spec = hpa.spec.get_or_insert_with(Default::default);
    if spec.min_replicas.is_none() {
        spec.min_replicas = Some(1);
    }
    if spec.metrics.as_ref().is_none_or(|m| m.is_empty()) {
        spec.metrics = Some(vec![default_cpu_metric(DEFAULT_CPU_UTILIZATION)]);
    }
    if let Some(b) = spec.behavior.as_mut() {
        b.scale_up = Some(scale_up_rules(b.scale_up.take()));
        b.scale_down = Some(scale_down_rules(b.scale_down.take()));
    }
}

/// `SetObjectDefaults_HorizontalPodAutoscaler` (v1): `minReplicas` 1.
pub fn set_object_defaults_hpa_v1(hpa: &mut v1::HorizontalPodAutoscaler) {
    let spec = hpa.spec.get_or_insert_with(Default::default);
    if spec.min_replicas.is_none() {
        spec.min_replicas = Some(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bare_hpa_gets_min_one_and_the_cpu_metric() {
        let mut h: HorizontalPodAutoscaler = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"maxReplicas": 5, "scaleTargetRef": {"kind": "Deployment", "name": "web"}}
        }))
        .expect("hpa");
        set_object_defaults_hpa(&mut h);
        let s = h.spec.as_ref().expect("spec");
        assert_eq!(s.min_replicas, Some(1));
        assert_eq!(
            serde_json::to_value(&s.metrics).expect("json"),
            json!([{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 80}}}])
        );
        assert!(s.behavior.is_none());
    }

    #[test]
    fn a_partial_behavior_is_completed_with_the_default_rules() {
        let mut h: HorizontalPodAutoscaler = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"maxReplicas": 5, "scaleTargetRef": {"kind": "Deployment", "name": "web"},
                     "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}
        }))
        .expect("hpa");
        set_object_defaults_hpa(&mut h);
        let b = serde_json::to_value(h.spec.and_then(|s| s.behavior)).expect("json");
        assert_eq!(
            b,
            json!({
                "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max",
                              "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]},
                "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                            "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                         {"type": "Percent", "value": 100, "periodSeconds": 15}]}
            })
        );
    }
}
