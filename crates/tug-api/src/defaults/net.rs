//! Defaulting of the networking, discovery, storage, scheduling and RBAC kinds
//! (`pkg/apis/{networking,discovery,storage,scheduling,rbac}/v1/defaults.go`, 1.33).
//! IngressClass, Ingress (no `pathType` default in v1), Role and ClusterRole have none
//! beyond what is listed here.

use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{IngressClass, NetworkPolicy, NetworkPolicyPort};
use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, RoleBinding, RoleRef, Subject};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::api::storage::v1::StorageClass;

/// The RBAC API group, the default of `roleRef.apiGroup` and of User/Group subjects.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

fn unset(v: &Option<String>) -> bool {
    v.as_deref().unwrap_or("").is_empty()
}

/// `SetDefaults_EndpointPort`: `name: ""` and `protocol: TCP`.
pub fn set_object_defaults_endpoint_slice(s: &mut EndpointSlice) {
    for p in s.ports.iter_mut().flatten() {
        if p.name.is_none() {
            p.name = Some(String::new());
        }
        if p.protocol.is_none() {
            p.protocol = Some("TCP".to_string());
        }
    }
}

/// `SetDefaults_NetworkPolicy` (policyTypes `[Ingress]`, plus `Egress` when egress rules
/// exist) and `SetDefaults_NetworkPolicyPort` (protocol TCP). The pod selector is a
/// non-pointer struct upstream, so a policy always shows `podSelector: {}`.
pub fn set_object_defaults_network_policy(np: &mut NetworkPolicy) {
    let spec = np.spec.get_or_insert_with(Default::default);
    if spec.pod_selector.is_none() {
        spec.pod_selector = Some(Default::default());
    }
    let default_port = |p: &mut NetworkPolicyPort| {
        if p.protocol.is_none() {
            p.protocol = Some("TCP".to_string());
        }
    };
    for rule in spec.ingress.iter_mut().flatten() {
        rule.ports.iter_mut().flatten().for_each(default_port);
    }
    for rule in spec.egress.iter_mut().flatten() {
        rule.ports.iter_mut().flatten().for_each(default_port);
    }
    if spec.policy_types.as_ref().is_none_or(|t| t.is_empty()) {
        let mut types = vec!["Ingress".to_string()];
        if spec.egress.as_ref().is_some_and(|e| !e.is_empty()) {
            types.push("Egress".to_string());
        }
        spec.policy_types = Some(types);
    }
}

/// `SetDefaults_IngressClass`: parameters without a scope refer to a cluster-scoped object.
pub fn set_object_defaults_ingress_class(ic: &mut IngressClass) {
    if let Some(p) = ic.spec.as_mut().and_then(|s| s.parameters.as_mut())
        && p.scope.is_none()
    {
        p.scope = Some("Cluster".to_string());
    }
}

/// `SetDefaults_StorageClass`: `reclaimPolicy: Delete`, `volumeBindingMode: Immediate`.
pub fn set_object_defaults_storage_class(sc: &mut StorageClass) {
    if sc.reclaim_policy.is_none() {
        sc.reclaim_policy = Some("Delete".to_string());
    }
    if sc.volume_binding_mode.is_none() {
        sc.volume_binding_mode = Some("Immediate".to_string());
    }
}

/// `SetDefaults_PriorityClass`: `preemptionPolicy: PreemptLowerPriority`.
pub fn set_object_defaults_priority_class(pc: &mut PriorityClass) {
    if pc.preemption_policy.is_none() {
        pc.preemption_policy = Some("PreemptLowerPriority".to_string());
    }
}

fn default_role_ref(r: &mut RoleRef) {
    if r.api_group.is_empty() {
        r.api_group = RBAC_GROUP.to_string();
    }
}

/// `SetDefaults_Subject`: User and Group subjects are in the RBAC group, ServiceAccounts
/// in the core group (`""`).
fn default_subjects(subjects: Option<&mut Vec<Subject>>) {
    for s in subjects.into_iter().flatten() {
        if unset(&s.api_group) {
            match s.kind.as_str() {
                "ServiceAccount" => s.api_group = Some(String::new()),
                "User" | "Group" => s.api_group = Some(RBAC_GROUP.to_string()),
                _ => {}
            }
        }
    }
}

/// `SetDefaults_RoleBinding` and `SetDefaults_Subject`.
pub fn set_object_defaults_role_binding(rb: &mut RoleBinding) {
    default_role_ref(&mut rb.role_ref);
    default_subjects(rb.subjects.as_mut());
}

/// `SetDefaults_ClusterRoleBinding` and `SetDefaults_Subject`.
pub fn set_object_defaults_cluster_role_binding(crb: &mut ClusterRoleBinding) {
    default_role_ref(&mut crb.role_ref);
    default_subjects(crb.subjects.as_mut());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn network_policy_types_follow_the_rules_present_and_ports_default_to_tcp() {
        let mut np: NetworkPolicy = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "spec": {"egress": [{"ports": [{"port": 53}]}], "ingress": [{"ports": [{"port": 80}]}]}
        }))
        .expect("decodes");
        set_object_defaults_network_policy(&mut np);
        let v = serde_json::to_value(&np).expect("encodes");
        assert_eq!(v["spec"]["policyTypes"], json!(["Ingress", "Egress"]));
        assert_eq!(v["spec"]["egress"][0]["ports"][0]["protocol"], "TCP");
        assert_eq!(v["spec"]["ingress"][0]["ports"][0]["protocol"], "TCP");
        assert_eq!(v["spec"]["podSelector"], json!({}));

        let mut ingress_only: NetworkPolicy =
            serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": {"podSelector": {}}}))
                .expect("decodes");
        set_object_defaults_network_policy(&mut ingress_only);
        let v = serde_json::to_value(&ingress_only).expect("encodes");
        assert_eq!(v["spec"]["policyTypes"], json!(["Ingress"]));
    }

    #[test]
    fn storage_class_and_priority_class_get_upstreams_policies() {
        let mut sc = StorageClass {
            provisioner: "x".into(),
            ..Default::default()
        };
        set_object_defaults_storage_class(&mut sc);
        assert_eq!(sc.reclaim_policy.as_deref(), Some("Delete"));
        assert_eq!(sc.volume_binding_mode.as_deref(), Some("Immediate"));
        let mut pc = PriorityClass::default();
        set_object_defaults_priority_class(&mut pc);
        assert_eq!(
            pc.preemption_policy.as_deref(),
            Some("PreemptLowerPriority")
        );
    }

    #[test]
    fn binding_subjects_get_their_groups_and_role_refs_the_rbac_group() {
        let mut rb: RoleBinding = serde_json::from_value(json!({
            "metadata": {"name": "b"},
            "roleRef": {"kind": "Role", "name": "r"},
            "subjects": [{"kind": "User", "name": "u"}, {"kind": "Group", "name": "g"},
                         {"kind": "ServiceAccount", "name": "sa", "namespace": "d"},
                         {"kind": "Robot", "name": "x"}]
        }))
        .expect("decodes");
        set_object_defaults_role_binding(&mut rb);
        let groups: Vec<Option<&str>> = rb
            .subjects
            .iter()
            .flatten()
            .map(|s| s.api_group.as_deref())
            .collect();
        assert_eq!(
            groups,
            vec![Some(RBAC_GROUP), Some(RBAC_GROUP), Some(""), None]
        );
        assert_eq!(rb.role_ref.api_group, RBAC_GROUP);
    }

    #[test]
    fn endpoint_slice_ports_get_an_empty_name_and_tcp() {
        let mut s: EndpointSlice = serde_json::from_value(json!({
            "metadata": {"name": "s"}, "addressType": "IPv4", "endpoints": [],
            "ports": [{"port": 80}]
        }))
        .expect("decodes");
        set_object_defaults_endpoint_slice(&mut s);
        let p = &s.ports.expect("ports")[0];
        assert_eq!(p.name.as_deref(), Some(""));
        assert_eq!(p.protocol.as_deref(), Some("TCP"));
    }
}
