//! `printNode`: STATUS from the Ready condition, ROLES from role labels.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Node;
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::age;
use super::{AGE, NAME, col};
use crate::printers::{Column, TablePrinter};

static NODE_COLUMNS: [Column; 10] = [
    NAME,
    col("Status", "string", 0, "The status of the node"),
    col("Roles", "string", 0, "The roles of the node"),
    AGE,
    col("Version", "string", 0, d::NODE_SYSTEM_INFO_KUBELET_VERSION),
    col("Internal-IP", "string", 1, d::NODE_STATUS_ADDRESSES),
    col("External-IP", "string", 1, d::NODE_STATUS_ADDRESSES),
    col("OS-Image", "string", 1, d::NODE_SYSTEM_INFO_OS_IMAGE),
    col(
        "Kernel-Version",
        "string",
        1,
        d::NODE_SYSTEM_INFO_KERNEL_VERSION,
    ),
    col(
        "Container-Runtime",
        "string",
        1,
        d::NODE_SYSTEM_INFO_CONTAINER_RUNTIME_VERSION,
    ),
];

/// `findNodeRoles`: the `<role>` of every `node-role.kubernetes.io/<role>` label plus the value of
/// a non-empty `kubernetes.io/role` label, sorted and de-duplicated.
fn node_roles(node: &Node) -> Vec<String> {
    let mut roles = BTreeSet::new();
    for (k, v) in node.metadata.labels.iter().flatten() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v.clone());
        }
    }
    roles.into_iter().collect()
}

/// The first address of the given type, or `<none>`.
fn node_address(node: &Node, type_: &str) -> String {
    node.status
        .as_ref()
        .and_then(|s| s.addresses.as_ref())
        .and_then(|addrs| addrs.iter().find(|a| a.type_ == type_))
        .map_or_else(|| "<none>".to_string(), |a| a.address.clone())
}

fn unknown_if_empty(s: Option<&str>) -> String {
    match s {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "<unknown>".to_string(),
    }
}

impl TablePrinter for Node {
    fn columns() -> &'static [Column] {
        &NODE_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let status = self.status.as_ref();
        // Upstream indexes conditions by type, so the last Ready condition wins.
        let ready = status
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().rev().find(|c| c.type_ == "Ready"));
        let mut states = vec![match ready {
            Some(c) if c.status == "True" => "Ready",
            Some(_) => "NotReady",
            None => "Unknown",
        }];
        if self.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
            states.push("SchedulingDisabled");
        }
        let roles = node_roles(self).join(",");
        let info = status.and_then(|s| s.node_info.as_ref());
        vec![
            json!(self.metadata.name.as_deref().unwrap_or("")),
            json!(states.join(",")),
            json!(if roles.is_empty() {
                "<none>".to_string()
            } else {
                roles
            }),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
            json!(info.map(|i| i.kubelet_version.as_str()).unwrap_or("")),
            json!(node_address(self, "InternalIP")),
            json!(node_address(self, "ExternalIP")),
            json!(unknown_if_empty(info.map(|i| i.os_image.as_str()))),
            json!(unknown_if_empty(info.map(|i| i.kernel_version.as_str()))),
            json!(unknown_if_empty(
                info.map(|i| i.container_runtime_version.as_str())
            )),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{
        NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    fn now() -> jiff::Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn node(ready: Option<&str>) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some("node-1".into()),
                creation_timestamp: Some(Time("2026-11-24T08:00:00Z".parse().unwrap())),
                labels: Some(
                    [
                        (
                            "node-role.kubernetes.io/control-plane".to_string(),
                            String::new(),
                        ),
                        ("kubernetes.io/hostname".to_string(), "node-1".to_string()),
                    ]
                    .into(),
                ),
                ..Default::default()
            },
            spec: Some(NodeSpec::default()),
            status: Some(NodeStatus {
                conditions: ready.map(|s| {
                    vec![NodeCondition {
                        type_: "Ready".into(),
                        status: s.into(),
                        ..Default::default()
                    }]
                }),
                addresses: Some(vec![
                    NodeAddress {
                        type_: "Hostname".into(),
                        address: "node-1".into(),
                    },
                    NodeAddress {
                        type_: "InternalIP".into(),
                        address: "172.18.0.2".into(),
                    },
                ]),
                node_info: Some(NodeSystemInfo {
                    kubelet_version: "v1.33.0".into(),
                    os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                    kernel_version: "6.8.0-45-generic".into(),
                    container_runtime_version: "docker://27.3.1".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn a_ready_control_plane_node_prints_like_kubectl_get_nodes_wide() {
        assert_eq!(
            node(Some("True")).cells(now()),
            vec![
                json!("node-1"),
                json!("Ready"),
                json!("control-plane"),
                json!("3d2h"),
                json!("v1.33.0"),
                json!("172.18.0.2"),
                json!("<none>"),
                json!("Debian GNU/Linux 12 (bookworm)"),
                json!("6.8.0-45-generic"),
                json!("docker://27.3.1"),
            ]
        );
    }

    #[test]
    fn a_cordoned_not_ready_node_shows_both_states() {
        let mut n = node(Some("False"));
        n.spec.as_mut().unwrap().unschedulable = Some(true);
        assert_eq!(n.cells(now())[1], json!("NotReady,SchedulingDisabled"));
        let mut n = node(Some("Unknown"));
        n.spec = None;
        assert_eq!(n.cells(now())[1], json!("NotReady"));
    }

    #[test]
    fn a_node_without_a_ready_condition_is_unknown() {
        assert_eq!(node(None).cells(now())[1], json!("Unknown"));
    }

    #[test]
    fn roles_come_from_both_label_conventions_sorted_and_none_without_any() {
        let mut n = node(Some("True"));
        let labels = n.metadata.labels.as_mut().unwrap();
        labels.insert("kubernetes.io/role".into(), "worker".into());
        labels.insert("node-role.kubernetes.io/".into(), String::new());
        labels.insert("node-role.kubernetes.io/etcd".into(), "true".into());
        assert_eq!(n.cells(now())[2], json!("control-plane,etcd,worker"));
        n.metadata.labels = None;
        assert_eq!(n.cells(now())[2], json!("<none>"));
    }

    #[test]
    fn missing_node_info_prints_unknown_in_the_wide_columns() {
        let mut n = node(Some("True"));
        n.status.as_mut().unwrap().node_info = None;
        let c = n.cells(now());
        assert_eq!(c[4], json!(""));
        assert_eq!(
            &c[7..],
            &[json!("<unknown>"), json!("<unknown>"), json!("<unknown>")]
        );
    }
}
