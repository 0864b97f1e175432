//! The [`KindRules`] of the discovery, events, networking, storage, scheduling and RBAC
//! kinds: upstream's registry strategies (`pkg/registry/{discovery,core/event,networking,
//! storage,scheduling,rbac}/…/strategy.go`, 1.33) tied to [`crate::defaults::net`] and the
//! group validations.
//!
//! `generation`: Ingress, IngressClass and NetworkPolicy bump it on spec changes (the REST
//! layer's rule). EndpointSlice also bumps it on label changes and PriorityClass never
//! bumps it, so those two keep it themselves (`TRACKS_GENERATION` off, generation 1 set on
//! create here).

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::events::v1 as events;
use k8s_openapi::api::networking::v1::{
    Ingress, IngressClass, IngressLoadBalancerStatus, IngressStatus, NetworkPolicy,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::api::storage::v1::StorageClass;

use crate::conversion::event_v1_to_core;
use crate::defaults::net as defaults;
use crate::field::ErrorList;
use crate::kinds::{keep_server_metadata, unique};
use crate::rules::KindRules;
use crate::validation::names::name_is_dns_subdomain;
use crate::validation::{
    discovery as vdisc, events as vevents, networking as vnet, rbac as vrbac, scheduling as vsched,
    storage as vstorage,
};

/// The node-name label upstream's v1 conversion reads from `deprecatedTopology`.
const LABEL_HOSTNAME: &str = "kubernetes.io/hostname";

/// `dropDisabledFields…`: `hints.forNodes` belongs to the PreferSameTrafficDistribution
/// gate (alpha, off in 1.33); an update keeps it only when the stored slice uses it.
fn drop_for_nodes(slice: &mut EndpointSlice, old: Option<&EndpointSlice>) {
    let used = |s: &EndpointSlice| {
        s.endpoints
            .iter()
            .any(|e| e.hints.as_ref().is_some_and(|h| h.for_nodes.is_some()))
    };
    if old.is_some_and(used) {
        return;
    }
    for ep in &mut slice.endpoints {
        if let Some(h) = ep.hints.as_mut() {
            h.for_nodes = None;
        }
    }
}

/// `dropTopologyOnV1`: `deprecatedTopology` cannot be written through v1. On update, when
/// the endpoints changed, a node name the stored slice recorded in the topology becomes
/// `nodeName` of an endpoint that has none.
fn drop_topology_on_v1(slice: &mut EndpointSlice, old: Option<&EndpointSlice>) {
    if let Some(old) = old
        && (old.endpoints.is_empty() || old.endpoints == slice.endpoints)
    {
        return;
    }
    let prev_node_names: Vec<String> = old
        .into_iter()
        .flat_map(|o| o.endpoints.iter())
        .filter_map(|e| e.deprecated_topology.as_ref()?.get(LABEL_HOSTNAME).cloned())
        .collect();
    for ep in &mut slice.endpoints {
        let from_topology = ep
            .deprecated_topology
            .as_ref()
            .and_then(|t| t.get(LABEL_HOSTNAME))
            .cloned();
        if ep.node_name.is_none()
            && let Some(name) = from_topology
            && prev_node_names.contains(&name)
            && name_is_dns_subdomain(&name, false).is_empty()
        {
            ep.node_name = Some(name);
        }
        ep.deprecated_topology = None;
    }
}

impl KindRules for EndpointSlice {
    fn apply_defaults(&mut self) {
        defaults::set_object_defaults_endpoint_slice(self);
    }

    fn prepare_for_create(&mut self) {
        self.metadata.generation = Some(1);
        drop_for_nodes(self, None);
        drop_topology_on_v1(self, None);
    }

    /// Generation moves when anything outside metadata changes, or the labels do.
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
        let body =
            |s: &EndpointSlice| (s.address_type.clone(), s.endpoints.clone(), s.ports.clone());
        let g = old.metadata.generation.unwrap_or(0);
        self.metadata.generation =
            if body(self) != body(old) || self.metadata.labels != old.metadata.labels {
                Some(g + 1)
            } else {
                old.metadata.generation
            };
        drop_for_nodes(self, Some(old));
        drop_topology_on_v1(self, Some(old));
    }

    fn validate_create(&self) -> ErrorList {
        unique(vdisc::validate_endpoint_slice_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vdisc::validate_endpoint_slice_update(self, old))
    }
}

impl KindRules for events::Event {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    /// Validated in the storage (core) form, as upstream validates its internal type.
    fn validate_create(&self) -> ErrorList {
        unique(vevents::validate_event_v1_create(&event_v1_to_core(
            self.clone(),
        )))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let new: core::Event = event_v1_to_core(self.clone());
        unique(vevents::validate_event_v1_update(
            &new,
            &event_v1_to_core(old.clone()),
        ))
    }
}

impl KindRules for Ingress {
    const TRACKS_GENERATION: bool = true;

    /// `ingressStrategy.PrepareForCreate`: status starts empty (`loadBalancer: {}`).
    fn prepare_for_create(&mut self) {
        self.status = Some(IngressStatus {
            load_balancer: Some(IngressLoadBalancerStatus::default()),
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
        unique(vnet::validate_ingress_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vnet::validate_ingress_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vnet::validate_ingress_status_update(self, old))
    }
}

impl KindRules for IngressClass {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        defaults::set_object_defaults_ingress_class(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vnet::validate_ingress_class_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vnet::validate_ingress_class_update(self, old))
    }
}

impl KindRules for NetworkPolicy {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        defaults::set_object_defaults_network_policy(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vnet::validate_network_policy_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vnet::validate_network_policy_update(self, old))
    }
}

impl KindRules for StorageClass {
    fn apply_defaults(&mut self) {
        defaults::set_object_defaults_storage_class(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vstorage::validate_storage_class_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vstorage::validate_storage_class_update(self, old))
    }
}

impl KindRules for PriorityClass {
    fn apply_defaults(&mut self) {
        defaults::set_object_defaults_priority_class(self);
    }

    /// `priorityClassStrategy.PrepareForCreate`: generation 1, never bumped afterwards.
    fn prepare_for_create(&mut self) {
        self.metadata.generation = Some(1);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vsched::validate_priority_class_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vsched::validate_priority_class_update(self, old))
    }
}

impl KindRules for Role {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vrbac::validate_role_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vrbac::validate_role_update(self, old))
    }
}

impl KindRules for ClusterRole {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vrbac::validate_cluster_role_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vrbac::validate_cluster_role_update(self, old))
    }
}

impl KindRules for RoleBinding {
    fn apply_defaults(&mut self) {
        defaults::set_object_defaults_role_binding(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vrbac::validate_role_binding_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vrbac::validate_role_binding_update(self, old))
    }
}

impl KindRules for ClusterRoleBinding {
    fn apply_defaults(&mut self) {
        defaults::set_object_defaults_cluster_role_binding(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vrbac::validate_cluster_role_binding_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vrbac::validate_cluster_role_binding_update(self, old))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn slice() -> EndpointSlice {
        let mut s: EndpointSlice = serde_json::from_value(json!({
            "metadata": {"name": "web-abc", "namespace": "default", "labels": {"a": "1"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1"],
                           "deprecatedTopology": {"kubernetes.io/hostname": "node-1"},
                           "hints": {"forNodes": [{"name": "node-1"}]}}],
            "ports": [{"port": 80}]
        }))
        .expect("decodes");
        s.apply_defaults();
        s
    }

    #[test]
    fn an_endpoint_slice_starts_at_generation_one_without_v1_only_fields() {
        let mut s = slice();
        s.prepare_for_create();
        assert_eq!(s.metadata.generation, Some(1));
        assert_eq!(s.endpoints[0].deprecated_topology, None);
        assert_eq!(
            s.endpoints[0]
                .hints
                .as_ref()
                .and_then(|h| h.for_nodes.clone()),
            None
        );
        assert!(s.validate_create().is_empty());
    }

    #[test]
    fn endpoint_slice_generation_moves_with_endpoints_and_labels_only() {
        let mut old = slice();
        old.prepare_for_create();
        let mut same = old.clone();
        same.metadata.annotations = Some([("x".to_string(), "y".to_string())].into());
        same.prepare_for_update(&old);
        assert_eq!(same.metadata.generation, Some(1));
        let mut relabeled = old.clone();
        relabeled.metadata.labels = Some([("a".to_string(), "2".to_string())].into());
        relabeled.prepare_for_update(&old);
        assert_eq!(relabeled.metadata.generation, Some(2));
        let mut moved = old.clone();
        moved.endpoints[0].addresses = vec!["10.0.0.2".into()];
        moved.prepare_for_update(&old);
        assert_eq!(moved.metadata.generation, Some(2));
    }

    #[test]
    fn an_ingress_starts_with_an_empty_load_balancer_status_and_keeps_it_on_update() {
        let mut ing: Ingress = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
            "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}
        }))
        .expect("decodes");
        ing.prepare_for_create();
        assert_eq!(
            serde_json::to_value(&ing.status).expect("encodes"),
            json!({"loadBalancer": {}})
        );
        let mut stored = ing.clone();
        stored.status =
            serde_json::from_value(json!({"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}))
                .expect("status");
        let mut update = ing.clone();
        update.prepare_for_update(&stored);
        assert_eq!(update.status, stored.status);
        const { assert!(Ingress::TRACKS_GENERATION) };
    }

    #[test]
    fn a_priority_class_starts_at_generation_one_and_defaults_its_policy() {
        let mut pc: PriorityClass =
            serde_json::from_value(json!({"metadata": {"name": "high"}, "value": 1000}))
                .expect("decodes");
        pc.apply_defaults();
        pc.prepare_for_create();
        assert_eq!(pc.metadata.generation, Some(1));
        assert_eq!(
            pc.preemption_policy.as_deref(),
            Some("PreemptLowerPriority")
        );
        assert!(pc.validate_create().is_empty());
    }

    #[test]
    fn an_events_v1_event_is_validated_in_its_storage_form() {
        let ev: events::Event = serde_json::from_value(json!({
            "metadata": {"name": "e", "namespace": "default"},
            "eventTime": "2026-01-02T03:04:05.000000Z",
            "reportingController": "example.com/ctl", "reportingInstance": "i",
            "action": "Do", "reason": "Done", "type": "Normal"
        }))
        .expect("decodes");
        assert!(
            ev.validate_create().is_empty(),
            "{:?}",
            ev.validate_create()
        );
        let mut bad = ev.clone();
        bad.type_ = None;
        let msgs: Vec<String> = bad
            .validate_create()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(msgs, vec!["type: Invalid value: \"\": has invalid value: "]);
    }
}
