//! `autoscaling/v1` HorizontalPodAutoscalers, served from the `autoscaling/v2` storage as
//! upstream does (`pkg/apis/autoscaling/v1/conversion.go`, 1.33).
//!
//! The mapping: v1's `targetCPUUtilizationPercentage` is v2's `Resource` metric for `cpu`
//! with a `Utilization` target (and `currentCPUUtilizationPercentage` its current value);
//! every other v2 metric, the current metrics and the conditions ride along in the v1 object
//! as JSON annotations — `autoscaling.alpha.kubernetes.io/metrics`, `…/current-metrics`,
//! `…/conditions` (and `…/behavior` for the scaling behavior) — in v1's own metric shapes,
//! and come back out of them on the way to v2. A v1 HPA without a CPU target or other
//! metrics is the implicit 80% CPU target, made explicit.
//!
//! Writes through v1 are converted to v2, admitted by the v2 rules (defaulting, preparation
//! and validation work on the v2 form, as upstream's work on its internal form, so error
//! paths name v2 fields), and answered converted back.

use std::collections::BTreeMap;

use serde_json::Value;
use tug_api::api::autoscaling::v1;
use tug_api::api::autoscaling::v2;
use tug_api::k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use tug_api::printers::Column;
use tug_api::printing::selector::FieldSelector;
use tug_api::resources::ResourceInfo;

use serde::Deserialize;

use crate::registry::{Admission, DecodeError, Strategy, TypedStrategy, WriteKind};

/// `autoscaling.MetricSpecsAnnotation`.
pub const METRIC_SPECS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/metrics";
/// `autoscaling.MetricStatusesAnnotation`.
pub const METRIC_STATUSES_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
/// `autoscaling.HorizontalPodAutoscalerConditionsAnnotation`.
pub const CONDITIONS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/conditions";
/// `autoscaling.BehaviorSpecsAnnotation`.
pub const BEHAVIOR_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/behavior";

/// A JSON object with its keys in the given order (Go marshals struct fields in
/// declaration order); each value is already encoded JSON, `None` ones are left out
/// (`omitempty`).
fn ordered(fields: &[(&str, Option<String>)]) -> String {
    let items: Vec<String> = fields
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .map(|v| format!("{}:{v}", Value::String(k.to_string())))
        })
        .collect();
    format!("{{{}}}", items.join(","))
}

/// The JSON encoding of a value.
fn j(v: impl serde::Serialize) -> String {
    serde_json::to_string(&v).unwrap_or_else(|_| "null".to_string())
}

/// A quantity that Go marshals even when zero.
fn quantity(q: Option<&Quantity>) -> String {
    j(q.map_or("0", |q| q.0.as_str()))
}

fn opt_q(q: Option<&Quantity>) -> Option<String> {
    q.map(|q| j(&q.0))
}

fn selector(s: Option<&tug_api::meta::LabelSelector>) -> Option<String> {
    s.map(|s| {
        ordered(&[
            ("matchLabels", s.match_labels.as_ref().map(j)),
            ("matchExpressions", s.match_expressions.as_ref().map(j)),
        ])
    })
}

fn cross_ref(r: &v2::CrossVersionObjectReference) -> String {
    ordered(&[
        ("kind", Some(j(&r.kind))),
        ("name", Some(j(&r.name))),
        ("apiVersion", r.api_version.as_ref().map(j)),
    ])
}

/// `Convert_autoscaling_MetricSpec_To_v1_MetricSpec`, as the JSON of a v1 `MetricSpec`.
fn metric_spec_to_v1(m: &v2::MetricSpec) -> String {
    let object = m.object.as_ref().map(|o| {
        ordered(&[
            ("target", Some(cross_ref(&o.described_object))),
            ("metricName", Some(j(&o.metric.name))),
            ("targetValue", Some(quantity(o.target.value.as_ref()))),
            ("selector", selector(o.metric.selector.as_ref())),
            ("averageValue", opt_q(o.target.average_value.as_ref())),
        ])
    });
    let pods = m.pods.as_ref().map(|p| {
        ordered(&[
            ("metricName", Some(j(&p.metric.name))),
            (
                "targetAverageValue",
                Some(quantity(p.target.average_value.as_ref())),
            ),
            ("selector", selector(p.metric.selector.as_ref())),
        ])
    });
    let resource = m.resource.as_ref().map(|r| {
        ordered(&[
            ("name", Some(j(&r.name))),
            (
                "targetAverageUtilization",
                r.target.average_utilization.map(j),
            ),
            ("targetAverageValue", opt_q(r.target.average_value.as_ref())),
        ])
    });
    let container = m.container_resource.as_ref().map(|r| {
        ordered(&[
            ("name", Some(j(&r.name))),
            (
                "targetAverageUtilization",
                r.target.average_utilization.map(j),
            ),
            ("targetAverageValue", opt_q(r.target.average_value.as_ref())),
            ("container", Some(j(&r.container))),
        ])
    });
    let external = m.external.as_ref().map(|e| {
        ordered(&[
            ("metricName", Some(j(&e.metric.name))),
            ("metricSelector", selector(e.metric.selector.as_ref())),
            ("targetValue", opt_q(e.target.value.as_ref())),
            ("targetAverageValue", opt_q(e.target.average_value.as_ref())),
        ])
    });
    ordered(&[
        ("type", Some(j(&m.type_))),
        ("object", object),
        ("pods", pods),
        ("resource", resource),
        ("containerResource", container),
        ("external", external),
    ])
}

/// `Convert_autoscaling_MetricStatus_To_v1_MetricStatus`, as the JSON of a v1
/// `MetricStatus`.
fn metric_status_to_v1(m: &v2::MetricStatus) -> String {
    let object = m.object.as_ref().map(|o| {
        ordered(&[
            ("target", Some(cross_ref(&o.described_object))),
            ("metricName", Some(j(&o.metric.name))),
            ("currentValue", Some(quantity(o.current.value.as_ref()))),
            ("selector", selector(o.metric.selector.as_ref())),
            ("averageValue", opt_q(o.current.average_value.as_ref())),
        ])
    });
    let pods = m.pods.as_ref().map(|p| {
        ordered(&[
            ("metricName", Some(j(&p.metric.name))),
            (
                "currentAverageValue",
                Some(quantity(p.current.average_value.as_ref())),
            ),
            ("selector", selector(p.metric.selector.as_ref())),
        ])
    });
    let resource = m.resource.as_ref().map(|r| {
        ordered(&[
            ("name", Some(j(&r.name))),
            (
                "currentAverageUtilization",
                r.current.average_utilization.map(j),
            ),
            (
                "currentAverageValue",
                Some(quantity(r.current.average_value.as_ref())),
            ),
        ])
    });
    let container = m.container_resource.as_ref().map(|r| {
        ordered(&[
            ("name", Some(j(&r.name))),
            (
                "currentAverageUtilization",
                r.current.average_utilization.map(j),
            ),
            (
                "currentAverageValue",
                Some(quantity(r.current.average_value.as_ref())),
            ),
            ("container", Some(j(&r.container))),
        ])
    });
    let external = m.external.as_ref().map(|e| {
        ordered(&[
            ("metricName", Some(j(&e.metric.name))),
            ("metricSelector", selector(e.metric.selector.as_ref())),
            ("currentValue", Some(quantity(e.current.value.as_ref()))),
            (
                "currentAverageValue",
                opt_q(e.current.average_value.as_ref()),
            ),
        ])
    });
    ordered(&[
        ("type", Some(j(&m.type_))),
        ("object", object),
        ("pods", pods),
        ("resource", resource),
        ("containerResource", container),
        ("external", external),
    ])
}

fn condition_to_v1(c: &v2::HorizontalPodAutoscalerCondition) -> String {
    ordered(&[
        ("type", Some(j(&c.type_))),
        ("status", Some(j(&c.status))),
        (
            "lastTransitionTime",
            Some(j(c.last_transition_time.as_ref())),
        ),
        ("reason", c.reason.as_ref().map(j)),
        ("message", c.message.as_ref().map(j)),
    ])
}

fn list(items: Vec<String>) -> String {
    format!("[{}]", items.join(","))
}

fn is_cpu_utilization(m: &v2::MetricSpec) -> bool {
    m.type_ == "Resource"
        && m.resource
            .as_ref()
            .is_some_and(|r| r.name == "cpu" && r.target.average_utilization.is_some())
}

/// `Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler`.
pub fn hpa_v2_to_v1(h: v2::HorizontalPodAutoscaler) -> v1::HorizontalPodAutoscaler {
    let mut metadata = h.metadata;
    let spec = h.spec.unwrap_or_default();
    let metrics = spec.metrics.clone().unwrap_or_default();
    let target_cpu = metrics
        .iter()
        .find(|m| m.type_ == "Resource" && m.resource.as_ref().is_some_and(|r| r.name == "cpu"))
        .and_then(|m| m.resource.as_ref())
        .and_then(|r| r.target.average_utilization);
    let others: Vec<String> = metrics
        .iter()
        .filter(|m| !is_cpu_utilization(m))
        .map(metric_spec_to_v1)
        .collect();
    let status = h.status;
    let current = status
        .as_ref()
        .and_then(|s| s.current_metrics.clone())
        .unwrap_or_default();
    let conditions = status
        .as_ref()
        .and_then(|s| s.conditions.clone())
        .unwrap_or_default();
    let mut annotations: BTreeMap<String, String> = BTreeMap::new();
    if !others.is_empty() {
        annotations.insert(METRIC_SPECS_ANNOTATION.into(), list(others));
    }
    if !current.is_empty() {
        annotations.insert(
            METRIC_STATUSES_ANNOTATION.into(),
            list(current.iter().map(metric_status_to_v1).collect()),
        );
    }
    if !conditions.is_empty() {
        annotations.insert(
            CONDITIONS_ANNOTATION.into(),
            list(conditions.iter().map(condition_to_v1).collect()),
        );
    }
    if let Some(b) = spec.behavior.as_ref() {
        annotations.insert(
            BEHAVIOR_ANNOTATION.into(),
            serde_json::to_string(b).unwrap_or_default(),
        );
    }
    if !annotations.is_empty() {
        metadata
            .annotations
            .get_or_insert_with(Default::default)
            .extend(annotations);
    }
    let current_cpu = current
        .iter()
        .filter(|m| m.type_ == "Resource")
        .filter_map(|m| m.resource.as_ref())
        .filter(|r| r.name == "cpu")
        .filter_map(|r| r.current.average_utilization)
        .next_back();
    v1::HorizontalPodAutoscaler {
        metadata,
        spec: Some(v1::HorizontalPodAutoscalerSpec {
            max_replicas: spec.max_replicas,
            min_replicas: spec.min_replicas,
            scale_target_ref: v1::CrossVersionObjectReference {
                api_version: spec.scale_target_ref.api_version,
                kind: spec.scale_target_ref.kind,
                name: spec.scale_target_ref.name,
            },
            target_cpu_utilization_percentage: target_cpu,
        }),
        status: status.map(|s| v1::HorizontalPodAutoscalerStatus {
            current_cpu_utilization_percentage: current_cpu,
            current_replicas: s.current_replicas.unwrap_or(0),
            desired_replicas: s.desired_replicas,
            last_scale_time: s.last_scale_time,
            observed_generation: s.observed_generation,
        }),
    }
}

fn str_field(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn q_field(v: &Value, k: &str) -> Option<Quantity> {
    v.get(k)
        .and_then(Value::as_str)
        .map(|s| Quantity(s.to_string()))
}

fn i32_field(v: &Value, k: &str) -> Option<i32> {
    v.get(k)
        .and_then(Value::as_i64)
        .and_then(|i| i32::try_from(i).ok())
}

fn selector_field(v: &Value, k: &str) -> Option<tug_api::meta::LabelSelector> {
    v.get(k)
        .and_then(|s| serde_json::from_value(s.clone()).ok())
}

fn ref_field(v: &Value) -> v2::CrossVersionObjectReference {
    let t = v.get("target").cloned().unwrap_or(Value::Null);
    v2::CrossVersionObjectReference {
        api_version: t
            .get("apiVersion")
            .and_then(Value::as_str)
            .map(str::to_string),
        kind: str_field(&t, "kind"),
        name: str_field(&t, "name"),
    }
}

fn identifier(v: &Value, name: &str, sel: &str) -> v2::MetricIdentifier {
    v2::MetricIdentifier {
        name: str_field(v, name),
        selector: selector_field(v, sel),
    }
}

/// `Convert_v1_MetricSpec_To_autoscaling_MetricSpec` from the JSON of a v1 `MetricSpec`.
fn metric_spec_from_v1(m: &Value) -> v2::MetricSpec {
    let target = |type_: &str| v2::MetricTarget {
        type_: type_.to_string(),
        ..Default::default()
    };
    v2::MetricSpec {
        type_: str_field(m, "type"),
        object: m.get("object").map(|o| {
            let avg = q_field(o, "averageValue");
            v2::ObjectMetricSource {
                described_object: ref_field(o),
                metric: identifier(o, "metricName", "selector"),
                target: v2::MetricTarget {
                    value: Some(q_field(o, "targetValue").unwrap_or_else(|| Quantity("0".into()))),
                    average_value: avg.clone(),
                    ..target(if avg.is_some() {
                        "AverageValue"
                    } else {
                        "Value"
                    })
                },
            }
        }),
        pods: m.get("pods").map(|p| v2::PodsMetricSource {
            metric: identifier(p, "metricName", "selector"),
            target: v2::MetricTarget {
                average_value: Some(
                    q_field(p, "targetAverageValue").unwrap_or_else(|| Quantity("0".into())),
                ),
                ..target("AverageValue")
            },
        }),
        resource: m.get("resource").map(|r| {
            let u = i32_field(r, "targetAverageUtilization");
            v2::ResourceMetricSource {
                name: str_field(r, "name"),
                target: v2::MetricTarget {
                    average_utilization: u,
                    average_value: q_field(r, "targetAverageValue"),
                    ..target(if u.is_some() {
                        "Utilization"
                    } else {
                        "AverageValue"
                    })
                },
            }
        }),
        container_resource: m.get("containerResource").map(|r| {
            let u = i32_field(r, "targetAverageUtilization");
            v2::ContainerResourceMetricSource {
                container: str_field(r, "container"),
                name: str_field(r, "name"),
                target: v2::MetricTarget {
                    average_utilization: u,
                    average_value: q_field(r, "targetAverageValue"),
                    ..target(if u.is_some() {
                        "Utilization"
                    } else {
                        "AverageValue"
                    })
                },
            }
        }),
        external: m.get("external").map(|e| {
            let value = q_field(e, "targetValue");
            v2::ExternalMetricSource {
                metric: identifier(e, "metricName", "metricSelector"),
                target: v2::MetricTarget {
                    value: value.clone(),
                    average_value: q_field(e, "targetAverageValue"),
                    ..target(if value.is_some() {
                        "Value"
                    } else {
                        "AverageValue"
                    })
                },
            }
        }),
    }
}

/// `Convert_v1_MetricStatus_To_autoscaling_MetricStatus` from the JSON of a v1
/// `MetricStatus`.
fn metric_status_from_v1(m: &Value) -> v2::MetricStatus {
    let zero = || Quantity("0".into());
    v2::MetricStatus {
        type_: str_field(m, "type"),
        object: m.get("object").map(|o| v2::ObjectMetricStatus {
            current: v2::MetricValueStatus {
                value: Some(q_field(o, "currentValue").unwrap_or_else(zero)),
                average_value: q_field(o, "averageValue"),
                ..Default::default()
            },
            described_object: ref_field(o),
            metric: identifier(o, "metricName", "selector"),
        }),
        pods: m.get("pods").map(|p| v2::PodsMetricStatus {
            current: v2::MetricValueStatus {
                average_value: Some(q_field(p, "currentAverageValue").unwrap_or_else(zero)),
                ..Default::default()
            },
            metric: identifier(p, "metricName", "selector"),
        }),
        resource: m.get("resource").map(|r| v2::ResourceMetricStatus {
            current: v2::MetricValueStatus {
                average_utilization: i32_field(r, "currentAverageUtilization"),
                average_value: Some(q_field(r, "currentAverageValue").unwrap_or_else(zero)),
                ..Default::default()
            },
            name: str_field(r, "name"),
        }),
        container_resource: m
            .get("containerResource")
            .map(|r| v2::ContainerResourceMetricStatus {
                container: str_field(r, "container"),
                current: v2::MetricValueStatus {
                    average_utilization: i32_field(r, "currentAverageUtilization"),
                    average_value: Some(q_field(r, "currentAverageValue").unwrap_or_else(zero)),
                    ..Default::default()
                },
                name: str_field(r, "name"),
            }),
        external: m.get("external").map(|e| v2::ExternalMetricStatus {
            current: v2::MetricValueStatus {
                value: Some(q_field(e, "currentValue").unwrap_or_else(zero)),
                average_value: q_field(e, "currentAverageValue"),
                ..Default::default()
            },
            metric: identifier(e, "metricName", "metricSelector"),
        }),
    }
}

/// Takes an annotation out of the metadata and parses it as a JSON list.
fn take_list(annotations: &mut Option<BTreeMap<String, String>>, key: &str) -> Option<Vec<Value>> {
    let a = annotations.as_mut()?;
    let raw = a.remove(key)?;
    if a.is_empty() {
        *annotations = None;
    }
    serde_json::from_str::<Vec<Value>>(&raw).ok()
}

fn cpu_utilization_metric(u: i32) -> v2::MetricSpec {
    tug_api::defaults::autoscaling::default_cpu_metric(u)
}

/// `Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler`.
pub fn hpa_v1_to_v2(h: v1::HorizontalPodAutoscaler) -> v2::HorizontalPodAutoscaler {
    let mut metadata = h.metadata;
    let spec = h.spec.unwrap_or_default();
    let mut metrics: Vec<v2::MetricSpec> = spec
        .target_cpu_utilization_percentage
        .map(cpu_utilization_metric)
        .into_iter()
        .collect();
    if let Some(others) = take_list(&mut metadata.annotations, METRIC_SPECS_ANNOTATION) {
        let mut out: Vec<v2::MetricSpec> = others.iter().map(metric_spec_from_v1).collect();
        out.append(&mut metrics);
        metrics = out;
    }
    let status = h.status;
    let mut current: Option<Vec<v2::MetricStatus>> = status.as_ref().and_then(|s| {
        s.current_cpu_utilization_percentage.map(|u| {
            vec![v2::MetricStatus {
                type_: "Resource".into(),
                resource: Some(v2::ResourceMetricStatus {
                    name: "cpu".into(),
                    current: v2::MetricValueStatus {
                        average_utilization: Some(u),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            }]
        })
    });
    if let Some(list) = take_list(&mut metadata.annotations, METRIC_STATUSES_ANNOTATION) {
        current = Some(list.iter().map(metric_status_from_v1).collect());
    }
    if metrics.is_empty() {
        metrics = vec![cpu_utilization_metric(
            tug_api::defaults::autoscaling::DEFAULT_CPU_UTILIZATION,
        )];
    }
    let conditions = take_list(&mut metadata.annotations, CONDITIONS_ANNOTATION).map(|list| {
        list.into_iter()
            .filter_map(|c| serde_json::from_value::<v2::HorizontalPodAutoscalerCondition>(c).ok())
            .collect::<Vec<_>>()
    });
    let behavior = metadata
        .annotations
        .as_mut()
        .and_then(|a| a.remove(BEHAVIOR_ANNOTATION))
        .and_then(|b| serde_json::from_str::<v2::HorizontalPodAutoscalerBehavior>(&b).ok())
        .filter(|b| *b != v2::HorizontalPodAutoscalerBehavior::default());
    if metadata.annotations.as_ref().is_some_and(|a| a.is_empty()) {
        metadata.annotations = None;
    }
    v2::HorizontalPodAutoscaler {
        metadata,
        spec: Some(v2::HorizontalPodAutoscalerSpec {
            behavior,
            max_replicas: spec.max_replicas,
            metrics: Some(metrics),
            min_replicas: spec.min_replicas,
            scale_target_ref: v2::CrossVersionObjectReference {
                api_version: spec.scale_target_ref.api_version,
                kind: spec.scale_target_ref.kind,
                name: spec.scale_target_ref.name,
            },
        }),
        status: status.map(|s| v2::HorizontalPodAutoscalerStatus {
            conditions,
            current_metrics: current,
            current_replicas: Some(s.current_replicas).filter(|r| *r != 0),
            desired_replicas: s.desired_replicas,
            last_scale_time: s.last_scale_time,
            observed_generation: s.observed_generation,
        }),
    }
}

/// Re-encodes `v` as `T` converted by `f`; `v` unchanged when it does not decode (a stored
/// value is never rejected on read).
fn convert<S, T>(v: Value, f: impl FnOnce(S) -> T) -> Value
where
    S: serde::de::DeserializeOwned,
    T: serde::Serialize,
{
    match S::deserialize(&v) {
        Ok(s) => serde_json::to_value(f(s)).unwrap_or(v),
        Err(_) => v,
    }
}

/// The [`Strategy`] of `autoscaling/v1` `horizontalpodautoscalers`: the v2 strategy behind
/// a conversion.
pub struct HpaV1Strategy {
    info: &'static ResourceInfo,
    inner: TypedStrategy<v2::HorizontalPodAutoscaler>,
}

impl HpaV1Strategy {
    /// `info` is the v1 resource; the v2 one must be served too (it is the storage).
    pub fn new(info: &'static ResourceInfo) -> Self {
        let v2_info = tug_api::resources::find("autoscaling", "v2", "horizontalpodautoscalers")
            .unwrap_or(info);
        HpaV1Strategy {
            info,
            inner: TypedStrategy::new(v2_info),
        }
    }
}

impl Strategy for HpaV1Strategy {
    fn info(&self) -> &'static ResourceInfo {
        self.info
    }

    /// The typed round trip through the v1 type: unknown fields are judged against v1.
    fn normalize(&self, v: &Value) -> Result<Value, DecodeError> {
        let h =
            v1::HorizontalPodAutoscaler::deserialize(v).map_err(|e| DecodeError(e.to_string()))?;
        serde_json::to_value(&h).map_err(|e| DecodeError(e.to_string()))
    }

    fn admit(&self, kind: WriteKind, v: &Value, old: Option<&Value>) -> Result<Value, Admission> {
        let new = self.normalize(v).map_err(Admission::Decode)?;
        if kind == WriteKind::System {
            return Ok(new);
        }
        let new2 = self.to_storage(new);
        let old2 = old.map(|o| self.to_storage(o.clone()));
        let admitted = self.inner.admit(kind, &new2, old2.as_ref())?;
        Ok(self.from_storage(admitted))
    }

    fn tracks_generation(&self) -> bool {
        self.inner.tracks_generation()
    }

    fn to_storage(&self, v: Value) -> Value {
        convert::<v1::HorizontalPodAutoscaler, v2::HorizontalPodAutoscaler>(v, hpa_v1_to_v2)
    }

    fn from_storage(&self, v: Value) -> Value {
        convert::<v2::HorizontalPodAutoscaler, v1::HorizontalPodAutoscaler>(v, hpa_v2_to_v1)
    }

    fn annotations_bump_generation(&self) -> bool {
        self.inner.annotations_bump_generation()
    }

    fn columns(&self) -> &'static [Column] {
        self.inner.columns()
    }

    fn row(&self, v: &Value, now: jiff::Timestamp) -> (Vec<Value>, Option<Value>) {
        self.inner.row(&self.to_storage(v.clone()), now)
    }

    fn selectable_fields(&self) -> &'static [&'static str] {
        self.inner.selectable_fields()
    }

    fn field_value(&self, v: &Value, field: &str) -> Option<String> {
        self.inner.field_value(&self.to_storage(v.clone()), field)
    }

    fn matches_fields(&self, v: &Value, sel: &FieldSelector) -> bool {
        self.inner.matches_fields(&self.to_storage(v.clone()), sel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strategy() -> HpaV1Strategy {
        let info = tug_api::resources::find("autoscaling", "v1", "horizontalpodautoscalers")
            .expect("autoscaling/v1 served");
        HpaV1Strategy::new(info)
    }

    fn v1_hpa(target: Option<i32>) -> Value {
        let mut v = json!({
            "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "default", "uid": "u1"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                     "maxReplicas": 5}
        });
        if let Some(t) = target {
            v["spec"]["targetCPUUtilizationPercentage"] = json!(t);
        }
        v
    }

    #[test]
    fn a_v1_cpu_target_is_a_v2_resource_metric_and_back() {
        let s = strategy();
        let admitted = s
            .admit(WriteKind::Create, &v1_hpa(Some(50)), None)
            .expect("admitted");
        assert_eq!(admitted["apiVersion"], "autoscaling/v1");
        assert_eq!(admitted["spec"]["targetCPUUtilizationPercentage"], 50);
        assert_eq!(admitted["spec"]["minReplicas"], 1);
        assert_eq!(
            admitted["status"],
            json!({"currentReplicas": 0, "desiredReplicas": 0})
        );
        assert!(admitted["metadata"].get("annotations").is_none());
        let stored = s.to_storage(admitted.clone());
        assert_eq!(stored["apiVersion"], "autoscaling/v2");
        assert_eq!(
            stored["spec"]["metrics"],
            json!([{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 50}}}])
        );
        assert_eq!(s.from_storage(stored), admitted);
    }

    #[test]
    fn a_v1_hpa_without_a_target_gets_the_implicit_80_percent() {
        let s = strategy();
        let admitted = s
            .admit(WriteKind::Create, &v1_hpa(None), None)
            .expect("admitted");
        assert_eq!(admitted["spec"]["targetCPUUtilizationPercentage"], 80);
    }

    #[test]
    fn other_v2_metrics_status_and_behavior_ride_in_annotations() {
        let s = strategy();
        let v2 = json!({
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                     "minReplicas": 1, "maxReplicas": 5,
                     "metrics": [
                        {"type": "Resource", "resource": {"name": "memory",
                          "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
                        {"type": "Resource", "resource": {"name": "cpu",
                          "target": {"type": "Utilization", "averageUtilization": 60}}}
                     ],
                     "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}},
            "status": {"desiredReplicas": 2, "currentReplicas": 2,
                       "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu",
                            "current": {"averageUtilization": 30, "averageValue": "50m"}}}],
                       "conditions": [{"type": "AbleToScale", "status": "True",
                            "lastTransitionTime": "2026-01-01T00:00:00Z", "reason": "ReadyForNewScale"}]}
        });
        let v1 = s.from_storage(v2.clone());
        assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 60);
        assert_eq!(v1["status"]["currentCPUUtilizationPercentage"], 30);
        let ann = &v1["metadata"]["annotations"];
        assert_eq!(
            ann[METRIC_SPECS_ANNOTATION],
            r#"[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]"#
        );
        assert_eq!(
            ann[METRIC_STATUSES_ANNOTATION],
            r#"[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":30,"currentAverageValue":"50m"}}]"#
        );
        assert_eq!(
            ann[CONDITIONS_ANNOTATION],
            r#"[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"ReadyForNewScale"}]"#
        );
        assert!(ann[BEHAVIOR_ANNOTATION].is_string());
        assert_eq!(s.to_storage(v1), v2);
    }
}
