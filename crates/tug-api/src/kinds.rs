//! The [`KindRules`] of every kind the API server serves: upstream's registry strategies
//! (`pkg/registry/<group>/<kind>/strategy.go`) tied to the defaulting of [`crate::defaults`]
//! and the validation of [`crate::validation`].
//!
//! Preparation follows upstream's strategies and `rest.BeforeUpdate`: a main-resource
//! update keeps the stored status of kinds with a status subresource, a status update keeps
//! everything but status, and no update can remove or change a deletion timestamp.

use k8s_openapi::api::apps::v1::{Deployment, DeploymentStatus, ReplicaSet, ReplicaSetStatus};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, LoadBalancerStatus, Namespace, NamespaceSpec, NamespaceStatus,
    Node, Pod, PodCondition, PodStatus, Secret, Service, ServiceAccount, ServiceSpec,
    ServiceStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::defaults;
use crate::field::ErrorList;
use crate::rules::KindRules;
use crate::validation::{apps as vapps, coordination as vcoord, core as vcore};

/// The parts of `rest.BeforeUpdate` that keep server-owned metadata: an empty uid and the
/// creation timestamp come from the stored object, and a deletion timestamp (or grace
/// period) once set cannot be removed or changed by a write.
pub(crate) fn keep_server_metadata(new: &mut ObjectMeta, old: &ObjectMeta) {
    if new.uid.as_deref().unwrap_or("").is_empty() {
        new.uid.clone_from(&old.uid);
    }
    if old.creation_timestamp.is_some() {
        new.creation_timestamp.clone_from(&old.creation_timestamp);
    }
    if old.deletion_timestamp.is_some() {
        new.deletion_timestamp.clone_from(&old.deletion_timestamp);
    }
    if old.deletion_grace_period_seconds.is_some() && new.deletion_grace_period_seconds.is_none() {
        new.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    }
}

/// `PodScheduled=False/SchedulingGated`, which upstream adds on create when the pod has
/// scheduling gates (`applySchedulingGatedCondition`).
fn scheduling_gated_condition() -> PodCondition {
    PodCondition {
        type_: "PodScheduled".to_string(),
        status: "False".to_string(),
        reason: Some("SchedulingGated".to_string()),
        message: Some("Scheduling is blocked due to non-empty scheduling gates".to_string()),
        ..Default::default()
    }
}

/// Drops repeated errors, keeping the first of each. Upstream validates some things twice
/// (metadata on pod updates) and relies on `ErrorList.ToAggregate()` to print each message
/// once; the message is what clients show, so duplicates go here.
pub(crate) fn unique(errs: ErrorList) -> ErrorList {
    let mut out: ErrorList = Vec::with_capacity(errs.len());
    for e in errs {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

fn str_of(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

fn needs_cluster_ip(spec: &ServiceSpec) -> bool {
    str_of(&spec.type_) != "ExternalName"
}

fn needs_node_ports(spec: &ServiceSpec) -> bool {
    matches!(str_of(&spec.type_), "NodePort" | "LoadBalancer")
}

fn needs_health_check(spec: &ServiceSpec) -> bool {
    str_of(&spec.type_) == "LoadBalancer" && str_of(&spec.external_traffic_policy) == "Local"
}

/// `normalizeClusterIPs`: on create, a client that sets only `clusterIP` gets
/// `clusterIPs`; on update, the list follows a `clusterIP` that an old client kept, cleared
/// or changed without touching the list.
fn normalize_cluster_ips(spec: &mut ServiceSpec, old: Option<&ServiceSpec>) {
    let ip = str_of(&spec.cluster_ip).to_string();
    let ips_empty = spec.cluster_ips.as_ref().is_none_or(|v| v.is_empty());
    let Some(old) = old else {
        if !ip.is_empty() && ips_empty {
            spec.cluster_ips = Some(vec![ip]);
        }
        return;
    };
    let old_ips_empty = old.cluster_ips.as_ref().is_none_or(|v| v.is_empty());
    if !old_ips_empty && ips_empty && old.cluster_ip == spec.cluster_ip {
        spec.cluster_ips.clone_from(&old.cluster_ips);
    }
    if str_of(&old.cluster_ip) != ip {
        let same_ips = spec.cluster_ips == old.cluster_ips;
        if !str_of(&old.cluster_ip).is_empty() && ip.is_empty() && same_ips {
            spec.cluster_ips = None;
        }
        if !ip.is_empty() && same_ips {
            spec.cluster_ips = Some(vec![ip]);
        }
    }
}

/// `patchAllocatedValues`: keeps the cluster IPs, node ports (matched by port name) and
/// health-check node port that the stored object has and the update leaves out.
fn patch_allocated_values(spec: &mut ServiceSpec, old: &ServiceSpec) {
    if needs_cluster_ip(old) && needs_cluster_ip(spec) {
        if str_of(&spec.cluster_ip).is_empty() {
            spec.cluster_ip.clone_from(&old.cluster_ip);
        }
        if spec.cluster_ips.as_ref().is_none_or(|v| v.is_empty()) && old.cluster_ips.is_some() {
            spec.cluster_ips.clone_from(&old.cluster_ips);
        }
        // The allocator re-derives these from the addresses; keep them when omitted.
        if spec.ip_families.as_ref().is_none_or(|v| v.is_empty()) {
            spec.ip_families.clone_from(&old.ip_families);
        }
        if spec.ip_family_policy.is_none() {
            spec.ip_family_policy.clone_from(&old.ip_family_policy);
        }
    }
    if needs_node_ports(old) && needs_node_ports(spec) {
        let node_ports = |s: &ServiceSpec| -> std::collections::BTreeSet<i32> {
            s.ports
                .iter()
                .flatten()
                .filter_map(|p| p.node_port)
                .filter(|p| *p != 0)
                .collect()
        };
        let used: std::collections::BTreeSet<i32> = node_ports(old)
            .intersection(&node_ports(spec))
            .copied()
            .collect();
        let by_name: std::collections::BTreeMap<String, i32> = old
            .ports
            .iter()
            .flatten()
            .map(|p| (str_of(&p.name).to_string(), p.node_port.unwrap_or(0)))
            .collect();
        for p in spec.ports.iter_mut().flatten() {
            if p.node_port.unwrap_or(0) == 0 {
                let old_val = by_name.get(str_of(&p.name)).copied().unwrap_or(0);
                if old_val != 0 && !used.contains(&old_val) {
                    p.node_port = Some(old_val);
                }
            }
        }
    }
    if needs_health_check(old)
        && needs_health_check(spec)
        && spec.health_check_node_port.unwrap_or(0) == 0
    {
        spec.health_check_node_port = old.health_check_node_port;
    }
}

/// `dropTypeDependentFields`: when the type changes so that cluster IPs, node ports or a
/// health-check port are no longer needed, the values the client left as they were go.
fn drop_type_dependent_fields(spec: &mut ServiceSpec, old: &ServiceSpec) {
    if needs_cluster_ip(old) && !needs_cluster_ip(spec) {
        if spec.cluster_ip == old.cluster_ip {
            spec.cluster_ip = None;
        }
        if spec.cluster_ips == old.cluster_ips {
            spec.cluster_ips = None;
        }
        if spec.ip_families == old.ip_families {
            spec.ip_families = None;
        }
        if spec.ip_family_policy == old.ip_family_policy {
            spec.ip_family_policy = None;
        }
    }
    if needs_node_ports(old) && !needs_node_ports(spec) {
        let old_ports: std::collections::BTreeSet<i32> = old
            .ports
            .iter()
            .flatten()
            .filter_map(|p| p.node_port)
            .collect();
        for p in spec.ports.iter_mut().flatten() {
            if p.node_port.is_some_and(|np| old_ports.contains(&np)) {
                p.node_port = None;
            }
        }
    }
    if needs_health_check(old)
        && !needs_health_check(spec)
        && spec.health_check_node_port == old.health_check_node_port
    {
        spec.health_check_node_port = None;
    }
}

impl KindRules for Pod {
    fn apply_defaults(&mut self) {
        defaults::core::set_object_defaults_pod(self);
    }

    /// `podStrategy.PrepareForCreate`, plus the `ServiceAccount` admission plugin's default
    /// (`serviceAccountName: default`), which upstream runs before the strategy.
    fn prepare_for_create(&mut self) {
        if let Some(spec) = self.spec.as_mut() {
            defaults::core::admit_default_service_account(spec);
        }
        let mut status = PodStatus {
            phase: Some("Pending".to_string()),
            qos_class: Some(crate::validation::core::compute_pod_qos(self).to_string()),
            ..Default::default()
        };
        let gated = self
            .spec
            .as_ref()
            .and_then(|s| s.scheduling_gates.as_ref())
            .is_some_and(|g| !g.is_empty());
        if gated {
            status.conditions = Some(vec![scheduling_gated_condition()]);
        }
        self.status = Some(status);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    /// `podStatusStrategy.PrepareForUpdate`: spec and owner references from the stored pod,
    /// and a QoS class the writer dropped is backfilled.
    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        self.metadata
            .owner_references
            .clone_from(&old.metadata.owner_references);
        self.metadata.deletion_timestamp = None;
        keep_server_metadata(&mut self.metadata, &old.metadata);
        let old_qos = old.status.as_ref().and_then(|s| s.qos_class.clone());
        if let Some(status) = self.status.as_mut() {
            if status.qos_class.as_deref().unwrap_or("").is_empty() {
                status.qos_class = old_qos;
            }
        } else if old_qos.is_some() {
            self.status = Some(PodStatus {
                qos_class: old_qos,
                ..Default::default()
            });
        }
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_pod_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_pod_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_pod_status_update(self, old))
    }
}

impl KindRules for Service {
    fn apply_defaults(&mut self) {
        defaults::core::set_object_defaults_service(self);
    }

    /// `svcStrategy.PrepareForCreate`: status starts empty (`loadBalancer: {}`); and the
    /// REST layer's `normalizeClusterIPs` (`clusterIP` and `clusterIPs` in step).
    fn prepare_for_create(&mut self) {
        self.status = Some(ServiceStatus {
            load_balancer: Some(LoadBalancerStatus::default()),
            conditions: None,
        });
        if let Some(spec) = self.spec.as_mut() {
            normalize_cluster_ips(spec, None);
        }
    }

    /// Status from the stored object, and what upstream's service REST `beginUpdate` does
    /// before validation: `dropTypeDependentFields`, `patchAllocatedValues` (a client that
    /// omits the allocated cluster IPs and node ports keeps them) and `normalizeClusterIPs`.
    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
        if let (Some(spec), Some(old_spec)) = (self.spec.as_mut(), old.spec.as_ref()) {
            drop_type_dependent_fields(spec, old_spec);
            patch_allocated_values(spec, old_spec);
            normalize_cluster_ips(spec, Some(old_spec));
        }
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_service_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_service_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_service_status_update(self, old))
    }
}

impl KindRules for Namespace {
    fn apply_defaults(&mut self) {
        defaults::core::set_object_defaults_namespace(self);
    }

    /// `namespaceStrategy.PrepareForCreate`: phase `Active`, and the `kubernetes` finalizer
    /// is required on create (it is not a default, since it may be removed later).
    fn prepare_for_create(&mut self) {
        self.status = Some(NamespaceStatus {
            phase: Some("Active".to_string()),
            conditions: None,
        });
        let spec = self.spec.get_or_insert_with(NamespaceSpec::default);
        let finalizers = spec.finalizers.get_or_insert_with(Vec::new);
        if !finalizers.iter().any(|f| f == "kubernetes") {
            finalizers.push("kubernetes".to_string());
        }
    }

    /// `namespaceStrategy.PrepareForUpdate`: finalizers change only through the `finalize`
    /// subresource, status only through `status`.
    fn prepare_for_update(&mut self, old: &Self) {
        let old_finalizers = old.spec.as_ref().and_then(|s| s.finalizers.clone());
        match self.spec.as_mut() {
            Some(spec) => spec.finalizers = old_finalizers,
            None if old_finalizers.is_some() => {
                self.spec = Some(NamespaceSpec {
                    finalizers: old_finalizers,
                })
            }
            None => {}
        }
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_namespace_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_namespace_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_namespace_status_update(self, old))
    }
}

impl KindRules for Node {
    fn apply_defaults(&mut self) {
        defaults::core::set_object_defaults_node(self);
    }

    /// `nodeStrategy.PrepareForCreate` keeps the status a registering node sends.
    fn prepare_for_create(&mut self) {}

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_node_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_node_update(self, old))
    }
}

impl KindRules for Endpoints {
    fn apply_defaults(&mut self) {
        defaults::core::set_object_defaults_endpoints(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_endpoints_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_endpoints_update(self, old))
    }
}

impl KindRules for ConfigMap {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_config_map_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_config_map_update(self, old))
    }
}

impl KindRules for Secret {
    fn apply_defaults(&mut self) {
        defaults::core::set_object_defaults_secret(self);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_secret_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_secret_update(self, old))
    }
}

impl KindRules for ServiceAccount {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_service_account_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_service_account_update(self, old))
    }
}

impl KindRules for Event {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcore::validate_event_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcore::validate_event_update(self, old))
    }
}

impl KindRules for Deployment {
    const TRACKS_GENERATION: bool = true;
    const ANNOTATIONS_BUMP_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        defaults::apps::set_object_defaults_deployment(self);
    }

    /// `deploymentStrategy.PrepareForCreate`: status starts empty.
    fn prepare_for_create(&mut self) {
        self.status = Some(DeploymentStatus::default());
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    /// `deploymentStatusStrategy.PrepareForUpdate`: spec and labels from the stored object.
    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        self.metadata.labels.clone_from(&old.metadata.labels);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vapps::validate_deployment_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vapps::validate_deployment_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vapps::validate_deployment_status_update(self, old))
    }
}

impl KindRules for ReplicaSet {
    const TRACKS_GENERATION: bool = true;

    fn apply_defaults(&mut self) {
        defaults::apps::set_object_defaults_replica_set(self);
    }

    /// `rsStrategy.PrepareForCreate`: status starts empty (`replicas: 0`).
    fn prepare_for_create(&mut self) {
        self.status = Some(ReplicaSetStatus::default());
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status.clone_from(&old.status);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    /// `rsStatusStrategy.PrepareForUpdate`: spec from the stored object.
    fn prepare_for_status_update(&mut self, old: &Self) {
        self.spec.clone_from(&old.spec);
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vapps::validate_replica_set_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vapps::validate_replica_set_update(self, old))
    }

    fn validate_status_update(&self, old: &Self) -> ErrorList {
        unique(vapps::validate_replica_set_status_update(self, old))
    }
}

impl KindRules for Lease {
    fn prepare_for_update(&mut self, old: &Self) {
        keep_server_metadata(&mut self.metadata, &old.metadata);
    }

    fn validate_create(&self) -> ErrorList {
        unique(vcoord::validate_lease_create(self))
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        unique(vcoord::validate_lease_update(self, old))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::DeploymentSpec;
    use serde_json::json;

    fn deployment() -> Deployment {
        let mut d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
        }))
        .expect("decodes");
        d.apply_defaults();
        d.prepare_for_create();
        d
    }

    #[test]
    fn a_main_resource_update_keeps_the_stored_status() {
        let mut old = deployment();
        old.status = Some(DeploymentStatus {
            replicas: Some(3),
            ..Default::default()
        });
        let mut new = deployment();
        new.status = None;
        new.prepare_for_update(&old);
        assert_eq!(new.status, old.status);
    }

    #[test]
    fn a_status_update_keeps_the_stored_spec_and_labels() {
        let old = deployment();
        let mut new = old.clone();
        new.spec = Some(DeploymentSpec {
            replicas: Some(9),
            ..old.spec.clone().expect("spec")
        });
        new.metadata.labels = Some([("x".to_string(), "y".to_string())].into());
        new.status = Some(DeploymentStatus {
            replicas: Some(1),
            ..Default::default()
        });
        new.prepare_for_status_update(&old);
        assert_eq!(new.spec, old.spec);
        assert_eq!(new.metadata.labels, old.metadata.labels);
        assert_eq!(new.status.and_then(|s| s.replicas), Some(1));
        const { assert!(Deployment::TRACKS_GENERATION) };
    }

    #[test]
    fn a_pod_with_scheduling_gates_starts_with_a_gated_condition() {
        let mut p: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p", "namespace": "d"},
            "spec": {"schedulingGates": [{"name": "wait"}], "containers": [{"name": "c", "image": "x"}]}
        }))
        .expect("decodes");
        p.apply_defaults();
        p.prepare_for_create();
        let cond = p.status.and_then(|s| s.conditions).expect("conditions");
        assert_eq!(cond[0].reason.as_deref(), Some("SchedulingGated"));
    }

    #[test]
    fn a_nodes_registration_status_is_kept_on_create() {
        let mut n: Node = serde_json::from_value(json!({
            "metadata": {"name": "n1"},
            "status": {"capacity": {"cpu": "2"}}
        }))
        .expect("decodes");
        n.apply_defaults();
        n.prepare_for_create();
        let st = n.status.expect("status");
        assert_eq!(st.allocatable, st.capacity);
        assert!(
            Node::default()
                .validate_create()
                .iter()
                .any(|e| e.field == "metadata.name")
        );
    }
}
