//! The fields each kind lets `fieldSelector` filter on: upstream's `ToSelectableFields` /
//! `GetAttrs` of each registry strategy, and the field-label conversions of each group.
//!
//! Every kind answers `metadata.name` and `metadata.namespace` (`""` for cluster-scoped
//! kinds). Booleans read `"true"`/`"false"`, counts their decimal form, and an unset field `""`.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service, ServiceAccount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::printers::SelectableFields;

fn meta_field(meta: &ObjectMeta, field: &str) -> Option<String> {
    match field {
        "metadata.name" => Some(meta.name.clone().unwrap_or_default()),
        "metadata.namespace" => Some(meta.namespace.clone().unwrap_or_default()),
        _ => None,
    }
}

fn s(v: Option<&str>) -> Option<String> {
    Some(v.unwrap_or("").to_string())
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

meta_only!(ConfigMap, Endpoints, ServiceAccount, Deployment, Lease);

impl SelectableFields for Pod {
    /// `status.podIPs` is accepted but never set upstream (it always reads `""`), and
    /// `spec.host` is the old name of `spec.nodeName`.
    fn selectable_fields() -> &'static [&'static str] {
        &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
            "spec.host",
        ]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        let spec = self.spec.as_ref();
        let status = self.status.as_ref();
        match field {
            "spec.nodeName" | "spec.host" => s(spec.and_then(|s| s.node_name.as_deref())),
            "spec.restartPolicy" => s(spec.and_then(|s| s.restart_policy.as_deref())),
            "spec.schedulerName" => s(spec.and_then(|s| s.scheduler_name.as_deref())),
            "spec.serviceAccountName" => s(spec.and_then(|s| s.service_account_name.as_deref())),
            "spec.hostNetwork" => Some(
                spec.and_then(|s| s.host_network)
                    .unwrap_or(false)
                    .to_string(),
            ),
            "status.phase" => s(status.and_then(|s| s.phase.as_deref())),
            "status.podIP" => s(status
                .and_then(|s| s.pod_ips.as_ref())
                .and_then(|ips| ips.first())
                .map(|ip| ip.ip.as_str())),
            "status.podIPs" => Some(String::new()),
            "status.nominatedNodeName" => s(status.and_then(|s| s.nominated_node_name.as_deref())),
            _ => meta_field(&self.metadata, field),
        }
    }
}

impl SelectableFields for Node {
    fn selectable_fields() -> &'static [&'static str] {
        &["metadata.name", "metadata.namespace", "spec.unschedulable"]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        match field {
            "spec.unschedulable" => Some(
                self.spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false)
                    .to_string(),
            ),
            _ => meta_field(&self.metadata, field),
        }
    }
}

impl SelectableFields for Namespace {
    fn selectable_fields() -> &'static [&'static str] {
        &["metadata.name", "metadata.namespace", "status.phase"]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        match field {
            "status.phase" => s(self.status.as_ref().and_then(|s| s.phase.as_deref())),
            _ => meta_field(&self.metadata, field),
        }
    }
}

impl SelectableFields for Secret {
    fn selectable_fields() -> &'static [&'static str] {
        &["metadata.name", "metadata.namespace", "type"]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        match field {
            "type" => s(self.type_.as_deref()),
            _ => meta_field(&self.metadata, field),
        }
    }
}

impl SelectableFields for Service {
    fn selectable_fields() -> &'static [&'static str] {
        &[
            "metadata.name",
            "metadata.namespace",
            "spec.clusterIP",
            "spec.type",
        ]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        let spec = self.spec.as_ref();
        match field {
            "spec.clusterIP" => s(spec.and_then(|s| s.cluster_ip.as_deref())),
            "spec.type" => s(spec.and_then(|s| s.type_.as_deref())),
            _ => meta_field(&self.metadata, field),
        }
    }
}

impl SelectableFields for ReplicaSet {
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

impl SelectableFields for Event {
    /// `source` is `source.component`, else `reportingComponent` (`reportingController`).
    fn selectable_fields() -> &'static [&'static str] {
        &[
            "metadata.name",
            "metadata.namespace",
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        let o = &self.involved_object;
        match field {
            "involvedObject.kind" => s(o.kind.as_deref()),
            "involvedObject.namespace" => s(o.namespace.as_deref()),
            "involvedObject.name" => s(o.name.as_deref()),
            "involvedObject.uid" => s(o.uid.as_deref()),
            "involvedObject.apiVersion" => s(o.api_version.as_deref()),
            "involvedObject.resourceVersion" => s(o.resource_version.as_deref()),
            "involvedObject.fieldPath" => s(o.field_path.as_deref()),
            "reason" => s(self.reason.as_deref()),
            "reportingComponent" => s(self.reporting_component.as_deref()),
            "source" => {
                let component = self
                    .source
                    .as_ref()
                    .and_then(|s| s.component.as_deref())
                    .unwrap_or("");
                if component.is_empty() {
                    s(self.reporting_component.as_deref())
                } else {
                    Some(component.to_string())
                }
            }
            "type" => s(self.type_.as_deref()),
            _ => meta_field(&self.metadata, field),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printing::selector::FieldSelector;
    use k8s_openapi::api::core::v1::{
        EventSource, NamespaceStatus, NodeSpec, ObjectReference, PodIP, PodSpec, PodStatus,
    };

    fn every_listed_field_has_a_value<T: SelectableFields>(obj: &T) {
        for f in T::selectable_fields() {
            assert!(obj.field_value(f).is_some(), "{f} has no value");
        }
        assert!(T::selectable_fields().contains(&"metadata.name"));
        assert!(T::selectable_fields().contains(&"metadata.namespace"));
        assert_eq!(obj.field_value("no.such.field"), None);
    }

    fn pod() -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some("nginx".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: Some("node-1".into()),
                restart_policy: Some("Always".into()),
                scheduler_name: Some("default-scheduler".into()),
                service_account_name: Some("default".into()),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some("Running".into()),
                pod_ips: Some(vec![
                    PodIP {
                        ip: "10.0.0.5".into(),
                    },
                    PodIP {
                        ip: "fd00::5".into(),
                    },
                ]),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn pod_fields_match_upstreams_selectable_set() {
        let p = pod();
        every_listed_field_has_a_value(&p);
        assert_eq!(p.field_value("spec.nodeName").as_deref(), Some("node-1"));
        assert_eq!(p.field_value("spec.host").as_deref(), Some("node-1"));
        assert_eq!(p.field_value("spec.hostNetwork").as_deref(), Some("false"));
        assert_eq!(p.field_value("status.podIP").as_deref(), Some("10.0.0.5"));
        assert_eq!(p.field_value("status.podIPs").as_deref(), Some(""));
        assert_eq!(
            p.field_value("status.nominatedNodeName").as_deref(),
            Some("")
        );
        assert_eq!(
            p.field_value("metadata.namespace").as_deref(),
            Some("default")
        );
    }

    #[test]
    fn describe_node_pod_query_selects_running_pods_on_the_node() {
        let sel = FieldSelector::parse(
            "spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed",
        )
        .unwrap();
        sel.check_supported_by::<Pod>().unwrap();
        assert!(sel.matches_object(&pod()));
        let mut done = pod();
        done.status.as_mut().unwrap().phase = Some("Succeeded".into());
        assert!(!sel.matches_object(&done));
    }

    #[test]
    fn node_unschedulable_and_an_empty_namespace_are_selectable() {
        let mut n = Node {
            metadata: ObjectMeta {
                name: Some("node-1".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        every_listed_field_has_a_value(&n);
        assert_eq!(
            n.field_value("spec.unschedulable").as_deref(),
            Some("false")
        );
        assert_eq!(n.field_value("metadata.namespace").as_deref(), Some(""));
        n.spec = Some(NodeSpec {
            unschedulable: Some(true),
            ..Default::default()
        });
        assert!(
            FieldSelector::parse("spec.unschedulable=true")
                .unwrap()
                .matches_object(&n)
        );
    }

    #[test]
    fn describe_pod_event_query_selects_events_of_that_pod() {
        let ev = Event {
            metadata: ObjectMeta {
                name: Some("nginx.1".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            involved_object: ObjectReference {
                kind: Some("Pod".into()),
                name: Some("nginx".into()),
                namespace: Some("default".into()),
                uid: Some("f1795f25".into()),
                ..Default::default()
            },
            reporting_component: Some("kubelet".into()),
            source: Some(EventSource::default()),
            type_: Some("Normal".into()),
            ..Default::default()
        };
        every_listed_field_has_a_value(&ev);
        assert_eq!(ev.field_value("source").as_deref(), Some("kubelet"));
        let sel = FieldSelector::parse(
            "involvedObject.namespace=default,involvedObject.uid=f1795f25,involvedObject.name=nginx",
        )
        .unwrap();
        sel.check_supported_by::<Event>().unwrap();
        assert!(sel.matches_object(&ev));
        assert!(
            !FieldSelector::parse("involvedObject.uid=other")
                .unwrap()
                .matches_object(&ev)
        );
    }

    #[test]
    fn kind_specific_fields_read_their_values() {
        let ns = Namespace {
            metadata: ObjectMeta {
                name: Some("default".into()),
                ..Default::default()
            },
            status: Some(NamespaceStatus {
                phase: Some("Active".into()),
                conditions: None,
            }),
            ..Default::default()
        };
        every_listed_field_has_a_value(&ns);
        assert_eq!(ns.field_value("status.phase").as_deref(), Some("Active"));

        let secret = Secret {
            type_: Some("Opaque".into()),
            ..Default::default()
        };
        every_listed_field_has_a_value(&secret);
        assert_eq!(secret.field_value("type").as_deref(), Some("Opaque"));

        let rs = ReplicaSet::default();
        every_listed_field_has_a_value(&rs);
        assert_eq!(rs.field_value("status.replicas").as_deref(), Some("0"));

        let svc = Service::default();
        every_listed_field_has_a_value(&svc);
        every_listed_field_has_a_value(&ConfigMap::default());
        every_listed_field_has_a_value(&Endpoints::default());
        every_listed_field_has_a_value(&ServiceAccount::default());
        every_listed_field_has_a_value(&Deployment::default());
        every_listed_field_has_a_value(&Lease::default());
    }

    #[test]
    fn an_unsupported_field_on_a_meta_only_kind_is_rejected() {
        let e = FieldSelector::parse("data.key=x")
            .unwrap()
            .check_supported_by::<ConfigMap>()
            .unwrap_err();
        assert_eq!(e.to_string(), "field label not supported: data.key");
    }
}
