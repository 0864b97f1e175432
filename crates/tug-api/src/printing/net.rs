//! kube-apiserver 1.33's printers for EndpointSlice, `events.k8s.io` Event, Ingress,
//! IngressClass, NetworkPolicy, StorageClass, PriorityClass and the RBAC kinds, and their
//! selectable fields.
//!
//! Role and ClusterRole have no printer upstream: the default table convertor prints `Name`
//! and `Created At` (a `date` column with the RFC 3339 creation time). `events.k8s.io`
//! Events print through the core Event printer (upstream's internal type is the core one).

use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};
use k8s_openapi::api::events::v1 as events;
use k8s_openapi::api::networking::v1::{
    Ingress, IngressClass, IngressLoadBalancerStatus, IngressRule, NetworkPolicy,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding, Subject};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::age;
use super::selector::LabelSelector;
use super::{AGE, NAME, col};
use crate::conversion::event_v1_to_core;
use crate::printers::{Column, SelectableFields, TablePrinter};

/// `discoveryv1beta1.EndpointSlice` `addressType` (upstream's column still reads the beta
/// type's documentation).
const ENDPOINT_SLICE_ADDRESS_TYPE: &str = "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.";
/// `discoveryv1beta1.EndpointSlice` `ports`.
const ENDPOINT_SLICE_PORTS: &str = "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports.";
/// `discoveryv1beta1.EndpointSlice` `endpoints`.
const ENDPOINT_SLICE_ENDPOINTS: &str = "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.";
/// `extensionsv1beta1.NetworkPolicySpec` `podSelector`.
const NETWORK_POLICY_POD_SELECTOR: &str = "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.";
/// `rbacv1beta1.RoleBinding` `roleRef`.
const ROLE_BINDING_ROLE_REF: &str = "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";
/// `rbacv1beta1.ClusterRoleBinding` `roleRef`.
const CLUSTER_ROLE_BINDING_ROLE_REF: &str = "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";
/// `storagev1.StorageClass` fields.
const STORAGE_CLASS_PROVISIONER: &str = "provisioner indicates the type of the provisioner.";
const STORAGE_CLASS_RECLAIM_POLICY: &str = "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.";
const STORAGE_CLASS_VOLUME_BINDING_MODE: &str = "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.";
const STORAGE_CLASS_ALLOW_VOLUME_EXPANSION: &str =
    "allowVolumeExpansion shows whether the storage class allow volume expand.";
/// `schedulingv1.PriorityClass` fields.
const PRIORITY_CLASS_VALUE: &str = "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.";
const PRIORITY_CLASS_GLOBAL_DEFAULT: &str = "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.";
const PRIORITY_CLASS_PREEMPTION_POLICY: &str = "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.";

/// `storageutil.IsDefaultAnnotation`: the GA or beta default-class annotation is `"true"`.
const DEFAULT_CLASS_ANNOTATIONS: &[&str] = &[
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

static ENDPOINT_SLICE_COLUMNS: [Column; 5] = [
    NAME,
    col("AddressType", "string", 0, ENDPOINT_SLICE_ADDRESS_TYPE),
    col("Ports", "string", 0, ENDPOINT_SLICE_PORTS),
    col("Endpoints", "string", 0, ENDPOINT_SLICE_ENDPOINTS),
    AGE,
];
static INGRESS_COLUMNS: [Column; 6] = [
    NAME,
    col(
        "Class",
        "string",
        0,
        "The name of the IngressClass resource that should be used for additional configuration",
    ),
    col(
        "Hosts",
        "string",
        0,
        "Hosts that incoming requests are matched against before the ingress rule",
    ),
    col(
        "Address",
        "string",
        0,
        "Address is a list containing ingress points for the load-balancer",
    ),
    col(
        "Ports",
        "string",
        0,
        "Ports of TLS configurations that open",
    ),
    AGE,
];
static INGRESS_CLASS_COLUMNS: [Column; 4] = [
    NAME,
    col(
        "Controller",
        "string",
        0,
        "Controller that is responsible for handling this class",
    ),
    col(
        "Parameters",
        "string",
        0,
        "A reference to a resource with additional parameters",
    ),
    AGE,
];
static NETWORK_POLICY_COLUMNS: [Column; 3] = [
    NAME,
    col("Pod-Selector", "string", 0, NETWORK_POLICY_POD_SELECTOR),
    AGE,
];
static STORAGE_CLASS_COLUMNS: [Column; 6] = [
    NAME,
    col("Provisioner", "string", 0, STORAGE_CLASS_PROVISIONER),
    col("ReclaimPolicy", "string", 0, STORAGE_CLASS_RECLAIM_POLICY),
    col(
        "VolumeBindingMode",
        "string",
        0,
        STORAGE_CLASS_VOLUME_BINDING_MODE,
    ),
    col(
        "AllowVolumeExpansion",
        "string",
        0,
        STORAGE_CLASS_ALLOW_VOLUME_EXPANSION,
    ),
    AGE,
];
static PRIORITY_CLASS_COLUMNS: [Column; 5] = [
    NAME,
    col("Value", "integer", 0, PRIORITY_CLASS_VALUE),
    col(
        "Global-Default",
        "boolean",
        0,
        PRIORITY_CLASS_GLOBAL_DEFAULT,
    ),
    AGE,
    col(
        "PreemptionPolicy",
        "string",
        0,
        PRIORITY_CLASS_PREEMPTION_POLICY,
    ),
];
/// The default table convertor's columns (`rest.NewDefaultTableConvertor`).
static DEFAULT_COLUMNS: [Column; 2] = [
    NAME,
    col("Created At", "date", 0, d::OBJECT_META_CREATION_TIMESTAMP),
];
static ROLE_BINDING_COLUMNS: [Column; 6] = [
    NAME,
    col("Role", "string", 0, ROLE_BINDING_ROLE_REF),
    AGE,
    col("Users", "string", 1, "Users in the roleBinding"),
    col("Groups", "string", 1, "Groups in the roleBinding"),
    col(
        "ServiceAccounts",
        "string",
        1,
        "ServiceAccounts in the roleBinding",
    ),
];
static CLUSTER_ROLE_BINDING_COLUMNS: [Column; 6] = [
    NAME,
    col("Role", "string", 0, CLUSTER_ROLE_BINDING_ROLE_REF),
    AGE,
    col("Users", "string", 1, "Users in the clusterRoleBinding"),
    col("Groups", "string", 1, "Groups in the clusterRoleBinding"),
    col(
        "ServiceAccounts",
        "string",
        1,
        "ServiceAccounts in the clusterRoleBinding",
    ),
];

fn name(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

/// `listWithMoreString`: the first three, `+ N more...`, or `<unset>` for none.
fn list_with_more(list: &[String], count: usize) -> String {
    const MAX: usize = 3;
    let joined = list.join(",");
    if count > MAX {
        format!("{joined} + {} more...", count - MAX)
    } else if joined.is_empty() {
        "<unset>".to_string()
    } else {
        joined
    }
}

/// `formatDiscoveryPorts`: port numbers, else names, else `*`.
fn format_discovery_ports(ports: &[EndpointPort]) -> String {
    let list: Vec<String> = ports
        .iter()
        .take(3)
        .map(|p| match (p.port, p.name.as_deref()) {
            (Some(n), _) => n.to_string(),
            (None, Some(name)) => name.to_string(),
            (None, None) => "*".to_string(),
        })
        .collect();
    list_with_more(&list, ports.len())
}

/// `formatDiscoveryEndpoints`: the addresses of all endpoints.
fn format_discovery_endpoints(endpoints: &[Endpoint]) -> String {
    let all: Vec<&String> = endpoints.iter().flat_map(|e| e.addresses.iter()).collect();
    let list: Vec<String> = all.iter().take(3).map(|s| s.to_string()).collect();
    list_with_more(&list, all.len())
}

impl TablePrinter for EndpointSlice {
    fn columns() -> &'static [Column] {
        &ENDPOINT_SLICE_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        vec![
            json!(name(&self.metadata)),
            json!(self.address_type),
            json!(format_discovery_ports(
                self.ports.as_deref().unwrap_or_default()
            )),
            json!(format_discovery_endpoints(&self.endpoints)),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for events::Event {
    fn columns() -> &'static [Column] {
        <k8s_openapi::api::core::v1::Event as TablePrinter>::columns()
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        event_v1_to_core(self.clone()).cells(now)
    }
}

/// `formatHosts`: up to three rule hosts, `*` for none.
fn format_hosts(rules: &[IngressRule]) -> String {
    const MAX: usize = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == MAX {
            more = true;
        }
        let host = rule.host.as_deref().unwrap_or("");
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    if list.is_empty() {
        return "*".to_string();
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", rules.len() - MAX)
    } else {
        joined
    }
}

/// `ingressLoadBalancerStatusStringer` (wide: never clipped): IPs, else hostnames, sorted
/// and unique.
fn ingress_addresses(status: Option<&IngressLoadBalancerStatus>) -> String {
    let mut set: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for ing in status
        .and_then(|s| s.ingress.as_ref())
        .into_iter()
        .flatten()
    {
        match (ing.ip.as_deref(), ing.hostname.as_deref()) {
            (Some(ip), _) if !ip.is_empty() => {
                set.insert(ip);
            }
            (_, Some(h)) if !h.is_empty() => {
                set.insert(h);
            }
            _ => {}
        }
    }
    set.into_iter().collect::<Vec<_>>().join(",")
}

impl TablePrinter for Ingress {
    fn columns() -> &'static [Column] {
        &INGRESS_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let class = spec.ingress_class_name.as_deref().unwrap_or("<none>");
        let ports = if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) {
            "80, 443"
        } else {
            "80"
        };
        vec![
            json!(name(&self.metadata)),
            json!(class),
            json!(format_hosts(spec.rules.as_deref().unwrap_or_default())),
            json!(ingress_addresses(
                self.status.as_ref().and_then(|s| s.load_balancer.as_ref())
            )),
            json!(ports),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for IngressClass {
    fn columns() -> &'static [Column] {
        &INGRESS_CLASS_COLUMNS
    }

    /// Parameters print as `Kind.apiGroup/name`, `<none>` when unset.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.clone().unwrap_or_default();
        let parameters = match &spec.parameters {
            None => "<none>".to_string(),
            Some(p) => {
                let mut s = p.kind.clone();
                if let Some(g) = &p.api_group {
                    s = format!("{s}.{g}");
                }
                format!("{s}/{}", p.name)
            }
        };
        vec![
            json!(name(&self.metadata)),
            json!(spec.controller.unwrap_or_default()),
            json!(parameters),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for NetworkPolicy {
    fn columns() -> &'static [Column] {
        &NETWORK_POLICY_COLUMNS
    }

    /// `metav1.FormatLabelSelector` of the pod selector: `<none>` when it selects all.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let sel = self
            .spec
            .as_ref()
            .and_then(|s| s.pod_selector.clone())
            .unwrap_or_default();
        let selector = match LabelSelector::from_meta(&sel) {
            Ok(s) if !s.to_string().is_empty() => s.to_string(),
            Ok(_) => "<none>".to_string(),
            Err(_) => "<error>".to_string(),
        };
        vec![
            json!(name(&self.metadata)),
            json!(selector),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for StorageClass {
    fn columns() -> &'static [Column] {
        &STORAGE_CLASS_COLUMNS
    }

    /// The default class gets ` (default)` after its name.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let is_default = self.metadata.annotations.as_ref().is_some_and(|a| {
            DEFAULT_CLASS_ANNOTATIONS
                .iter()
                .any(|k| a.get(*k).is_some_and(|v| v == "true"))
        });
        let mut n = name(&self.metadata).to_string();
        if is_default {
            n.push_str(" (default)");
        }
        vec![
            json!(n),
            json!(self.provisioner),
            json!(self.reclaim_policy.as_deref().unwrap_or("Delete")),
            json!(self.volume_binding_mode.as_deref().unwrap_or("Immediate")),
            json!(self.allow_volume_expansion.unwrap_or(false)),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for PriorityClass {
    fn columns() -> &'static [Column] {
        &PRIORITY_CLASS_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        vec![
            json!(name(&self.metadata)),
            json!(i64::from(self.value)),
            json!(self.global_default.unwrap_or(false)),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
            json!(self.preemption_policy.as_deref().unwrap_or("")),
        ]
    }
}

/// The default table convertor's cells: the name and the creation time in RFC 3339 (UTC),
/// Go's zero time when unset.
fn default_cells(meta: &ObjectMeta) -> Vec<Value> {
    let created = meta.creation_timestamp.as_ref().map_or_else(
        || "0001-01-01T00:00:00Z".to_string(),
        |t| t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    );
    vec![json!(name(meta)), json!(created)]
}

impl TablePrinter for Role {
    fn columns() -> &'static [Column] {
        &DEFAULT_COLUMNS
    }

    fn cells(&self, _now: jiff::Timestamp) -> Vec<Value> {
        default_cells(&self.metadata)
    }
}

impl TablePrinter for ClusterRole {
    fn columns() -> &'static [Column] {
        &DEFAULT_COLUMNS
    }

    fn cells(&self, _now: jiff::Timestamp) -> Vec<Value> {
        default_cells(&self.metadata)
    }
}

/// `rbac.SubjectsStrings`: users, groups and `namespace/name` service accounts, each
/// joined with `, `.
fn subjects_strings(subjects: Option<&[Subject]>) -> [String; 3] {
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for s in subjects.unwrap_or_default() {
        match s.kind.as_str() {
            "ServiceAccount" => sas.push(format!(
                "{}/{}",
                s.namespace.as_deref().unwrap_or(""),
                s.name
            )),
            "User" => users.push(s.name.clone()),
            "Group" => groups.push(s.name.clone()),
            _ => {}
        }
    }
    [users.join(", "), groups.join(", "), sas.join(", ")]
}

fn binding_cells(
    meta: &ObjectMeta,
    role_ref: &k8s_openapi::api::rbac::v1::RoleRef,
    subjects: Option<&[Subject]>,
    now: jiff::Timestamp,
) -> Vec<Value> {
    let [users, groups, sas] = subjects_strings(subjects);
    vec![
        json!(name(meta)),
        json!(format!("{}/{}", role_ref.kind, role_ref.name)),
        json!(age(meta.creation_timestamp.as_ref(), now)),
        json!(users),
        json!(groups),
        json!(sas),
    ]
}

impl TablePrinter for RoleBinding {
    fn columns() -> &'static [Column] {
        &ROLE_BINDING_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        binding_cells(
            &self.metadata,
            &self.role_ref,
            self.subjects.as_deref(),
            now,
        )
    }
}

impl TablePrinter for ClusterRoleBinding {
    fn columns() -> &'static [Column] {
        &CLUSTER_ROLE_BINDING_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        binding_cells(
            &self.metadata,
            &self.role_ref,
            self.subjects.as_deref(),
            now,
        )
    }
}

fn meta_field(meta: &ObjectMeta, field: &str) -> Option<String> {
    match field {
        "metadata.name" => Some(meta.name.clone().unwrap_or_default()),
        "metadata.namespace" => Some(meta.namespace.clone().unwrap_or_default()),
        _ => None,
    }
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

meta_only!(
    EndpointSlice,
    Ingress,
    IngressClass,
    NetworkPolicy,
    StorageClass,
    PriorityClass,
    Role,
    ClusterRole,
    RoleBinding,
    ClusterRoleBinding
);

impl SelectableFields for events::Event {
    /// The core Event's fields under their `events.k8s.io/v1` names (upstream's field-label
    /// conversion: `regarding.*` for `involvedObject.*`, `reportingController` for
    /// `reportingComponent`).
    fn selectable_fields() -> &'static [&'static str] {
        &[
            "metadata.name",
            "metadata.namespace",
            "regarding.kind",
            "regarding.namespace",
            "regarding.name",
            "regarding.uid",
            "regarding.apiVersion",
            "regarding.resourceVersion",
            "regarding.fieldPath",
            "reason",
            "reportingController",
            "source",
            "type",
        ]
    }

    fn field_value(&self, field: &str) -> Option<String> {
        let core_field = match field {
            "reportingController" => "reportingComponent".to_string(),
            f => match f.strip_prefix("regarding.") {
                Some(rest) => format!("involvedObject.{rest}"),
                None => f.to_string(),
            },
        };
        if !Self::selectable_fields().contains(&field) {
            return None;
        }
        event_v1_to_core(self.clone()).field_value(&core_field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printing::selector::FieldSelector;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    fn now() -> jiff::Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn meta(name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            creation_timestamp: Some(Time("2026-11-17T10:00:00Z".parse().unwrap())),
            ..Default::default()
        }
    }

    fn names(cols: &[Column]) -> Vec<(&str, &str, i32)> {
        cols.iter().map(|c| (c.name, c.type_, c.priority)).collect()
    }

    #[test]
    fn endpoint_slices_print_three_ports_and_addresses_then_more() {
        let s: EndpointSlice = serde_json::from_value(json!({
            "metadata": {"name": "web-x7k2p"}, "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1", "10.0.0.2"]},
                          {"addresses": ["10.0.0.3", "10.0.0.4", "10.0.0.5"]}],
            "ports": [{"port": 80}, {"name": "metrics"}, {}, {"port": 9}]
        }))
        .unwrap();
        let mut c = s.cells(now());
        c.pop();
        assert_eq!(
            c,
            vec![
                json!("web-x7k2p"),
                json!("IPv4"),
                json!("80,metrics,* + 1 more..."),
                json!("10.0.0.1,10.0.0.2,10.0.0.3 + 2 more..."),
            ]
        );
        let empty: EndpointSlice = serde_json::from_value(
            json!({"metadata": {"name": "e"}, "addressType": "FQDN", "endpoints": []}),
        )
        .unwrap();
        assert_eq!(empty.cells(now())[2], json!("<unset>"));
        assert_eq!(empty.cells(now())[3], json!("<unset>"));
        assert_eq!(
            names(EndpointSlice::columns()),
            vec![
                ("Name", "string", 0),
                ("AddressType", "string", 0),
                ("Ports", "string", 0),
                ("Endpoints", "string", 0),
                ("Age", "string", 0)
            ]
        );
    }

    #[test]
    fn ingresses_print_class_hosts_address_and_tls_ports() {
        let mut ing: Ingress = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["a.example.com"]}],
                     "rules": [{"host": "a.example.com"}, {"host": "b.example.com"}, {},
                               {"host": "c.example.com"}, {"host": "d.example.com"}]},
            "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.9"}, {"hostname": "lb.example.com"}]}}
        }))
        .unwrap();
        ing.metadata.creation_timestamp = meta("x").creation_timestamp;
        assert_eq!(
            ing.cells(now()),
            vec![
                json!("web"),
                json!("nginx"),
                json!("a.example.com,b.example.com,c.example.com + 2 more..."),
                json!("10.0.0.9,lb.example.com"),
                json!("80, 443"),
                json!("10d"),
            ]
        );
        let bare = Ingress {
            metadata: meta("bare"),
            ..Default::default()
        };
        assert_eq!(
            bare.cells(now()),
            vec![
                json!("bare"),
                json!("<none>"),
                json!("*"),
                json!(""),
                json!("80"),
                json!("10d")
            ]
        );
    }

    #[test]
    fn ingress_classes_print_their_parameters_reference() {
        let ic: IngressClass = serde_json::from_value(json!({
            "metadata": {"name": "nginx"},
            "spec": {"controller": "k8s.io/ingress-nginx",
                     "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "p"}}
        }))
        .unwrap();
        assert_eq!(
            &ic.cells(now())[..3],
            &[
                json!("nginx"),
                json!("k8s.io/ingress-nginx"),
                json!("IngressParameters.k8s.example.com/p")
            ]
        );
        let plain = IngressClass {
            metadata: meta("plain"),
            spec: None,
        };
        assert_eq!(plain.cells(now())[2], json!("<none>"));
    }

    #[test]
    fn network_policies_print_their_pod_selector() {
        let np: NetworkPolicy = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "spec": {"podSelector": {"matchLabels": {"app": "web"},
                     "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]}}
        }))
        .unwrap();
        assert_eq!(np.cells(now())[1], json!("app=web,tier in (a,b)"));
        let all = NetworkPolicy {
            metadata: meta("all"),
            spec: None,
        };
        assert_eq!(all.cells(now())[1], json!("<none>"));
    }

    #[test]
    fn the_default_storage_class_is_marked() {
        let mut sc: StorageClass = serde_json::from_value(json!({
            "metadata": {"name": "standard",
                         "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"
        }))
        .unwrap();
        sc.metadata.creation_timestamp = meta("x").creation_timestamp;
        assert_eq!(
            sc.cells(now()),
            vec![
                json!("standard (default)"),
                json!("rancher.io/local-path"),
                json!("Delete"),
                json!("WaitForFirstConsumer"),
                json!(false),
                json!("10d"),
            ]
        );
    }

    #[test]
    fn priority_classes_print_value_default_and_policy_after_age() {
        let pc = PriorityClass {
            metadata: meta("system-node-critical"),
            value: 2_000_001_000,
            preemption_policy: Some("PreemptLowerPriority".into()),
            ..Default::default()
        };
        assert_eq!(
            pc.cells(now()),
            vec![
                json!("system-node-critical"),
                json!(2_000_001_000),
                json!(false),
                json!("10d"),
                json!("PreemptLowerPriority"),
            ]
        );
        assert_eq!(
            names(PriorityClass::columns()),
            vec![
                ("Name", "string", 0),
                ("Value", "integer", 0),
                ("Global-Default", "boolean", 0),
                ("Age", "string", 0),
                ("PreemptionPolicy", "string", 0)
            ]
        );
    }

    #[test]
    fn roles_print_name_and_creation_time() {
        let r = Role {
            metadata: meta("pod-reader"),
            rules: None,
        };
        assert_eq!(
            r.cells(now()),
            vec![json!("pod-reader"), json!("2026-11-17T10:00:00Z")]
        );
        assert_eq!(
            names(ClusterRole::columns()),
            vec![("Name", "string", 0), ("Created At", "date", 0)]
        );
    }

    #[test]
    fn bindings_print_the_role_and_wide_subjects() {
        let rb: RoleBinding = serde_json::from_value(json!({
            "metadata": {"name": "read-pods"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane"}, {"kind": "User", "name": "bob"},
                         {"kind": "Group", "name": "devs"},
                         {"kind": "ServiceAccount", "name": "ci", "namespace": "build"}]
        }))
        .unwrap();
        let c = rb.cells(now());
        assert_eq!(c[1], json!("Role/pod-reader"));
        assert_eq!(
            &c[3..],
            &[json!("jane, bob"), json!("devs"), json!("build/ci")]
        );
        assert_eq!(
            names(ClusterRoleBinding::columns()),
            vec![
                ("Name", "string", 0),
                ("Role", "string", 0),
                ("Age", "string", 0),
                ("Users", "string", 1),
                ("Groups", "string", 1),
                ("ServiceAccounts", "string", 1)
            ]
        );
    }

    #[test]
    fn events_v1_print_like_core_events_and_select_by_regarding() {
        let ev: events::Event = serde_json::from_value(json!({
            "metadata": {"name": "web.1", "namespace": "default"},
            "eventTime": "2026-11-27T09:58:00.000000Z",
            "reportingController": "example.com/ctl", "reportingInstance": "ctl-1",
            "reason": "Scaled", "type": "Normal", "note": "scaled up",
            "regarding": {"kind": "Deployment", "name": "web", "namespace": "default"}
        }))
        .unwrap();
        let c = ev.cells(now());
        assert_eq!(c[0], json!("2m"));
        assert_eq!(c[3], json!("deployment/web"));
        assert_eq!(c[5], json!("example.com/ctl, ctl-1"));
        assert_eq!(c[6], json!("scaled up"));
        let sel =
            FieldSelector::parse("regarding.name=web,reportingController=example.com/ctl").unwrap();
        sel.check_supported_by::<events::Event>().unwrap();
        assert!(sel.matches_object(&ev));
        assert_eq!(ev.field_value("involvedObject.name"), None);
        for f in events::Event::selectable_fields() {
            assert!(ev.field_value(f).is_some(), "{f}");
        }
    }
}
