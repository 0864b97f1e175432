//! `printService` and `printEndpoints`.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Endpoints, Service};
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::age;
use super::{AGE, NAME, col, format_labels};
use crate::printers::{Column, TablePrinter};

static SERVICE_COLUMNS: [Column; 7] = [
    NAME,
    col("Type", "string", 0, d::SERVICE_SPEC_TYPE),
    col("Cluster-IP", "string", 0, d::SERVICE_SPEC_CLUSTER_IP),
    col("External-IP", "string", 0, d::SERVICE_SPEC_EXTERNAL_IPS),
    col("Port(s)", "string", 0, d::SERVICE_SPEC_PORTS),
    AGE,
    col("Selector", "string", 1, d::SERVICE_SPEC_SELECTOR),
];

static ENDPOINTS_COLUMNS: [Column; 3] = [
    NAME,
    col("Endpoints", "string", 0, d::ENDPOINTS_SUBSETS),
    AGE,
];

/// `getServiceExternalIP` with `wide: true` (the server never clips load-balancer addresses):
/// external IPs, `<none>`, the load balancer's addresses or `<pending>` until it has one, the
/// external name, or `<unknown>` for a type it does not know.
fn external_ip(svc: &Service) -> String {
    let spec = svc.spec.as_ref();
    let external_ips: &[String] = spec.and_then(|s| s.external_ips.as_deref()).unwrap_or(&[]);
    match spec.and_then(|s| s.type_.as_deref()).unwrap_or("") {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            // `loadBalancerStatusStringer`: a sorted set of ingress IPs, else hostnames.
            let lb: BTreeSet<&str> = svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|i| match (i.ip.as_deref(), i.hostname.as_deref()) {
                    (Some(ip), _) if !ip.is_empty() => Some(ip),
                    (_, Some(host)) if !host.is_empty() => Some(host),
                    _ => None,
                })
                .collect();
            let mut all: Vec<&str> = lb.into_iter().collect();
            if !external_ips.is_empty() {
                all.extend(external_ips.iter().map(String::as_str));
            }
            if all.is_empty() {
                "<pending>".to_string()
            } else {
                all.join(",")
            }
        }
        "ExternalName" => spec
            .and_then(|s| s.external_name.clone())
            .unwrap_or_default(),
        _ => "<unknown>".to_string(),
    }
}

/// `makePortString`: `80/TCP`, or `80:30080/TCP` with a node port.
fn port_string(svc: &Service) -> String {
    let ports = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_deref())
        .unwrap_or(&[]);
    let joined = ports
        .iter()
        .map(|p| {
            let protocol = p.protocol.as_deref().unwrap_or("");
            match p.node_port {
                Some(node_port) if node_port > 0 => format!("{}:{node_port}/{protocol}", p.port),
                _ => format!("{}/{protocol}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    if joined.is_empty() {
        "<none>".to_string()
    } else {
        joined
    }
}

impl TablePrinter for Service {
    fn columns() -> &'static [Column] {
        &SERVICE_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.as_ref();
        // Upstream reads `clusterIPs[0]`; the API server keeps it in step with `clusterIP`, and
        // falling back to `clusterIP` keeps a half-defaulted object readable.
        let cluster_ip = spec
            .and_then(|s| s.cluster_ips.as_ref())
            .and_then(|ips| ips.first())
            .or_else(|| {
                spec.and_then(|s| s.cluster_ip.as_ref())
                    .filter(|ip| !ip.is_empty())
            })
            .map_or_else(|| "<none>".to_string(), Clone::clone);
        vec![
            json!(self.metadata.name.as_deref().unwrap_or("")),
            json!(spec.and_then(|s| s.type_.as_deref()).unwrap_or("")),
            json!(cluster_ip),
            json!(external_ip(self)),
            json!(port_string(self)),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
            json!(format_labels(spec.and_then(|s| s.selector.as_ref()))),
        ]
    }
}

/// `net.JoinHostPort`: brackets around IPv6 hosts.
fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `formatEndpoints(ep, nil)`: up to three `ip:port` (or bare IPs for port-less subsets), then
/// ` + N more...`; `<none>` without subsets.
fn format_endpoints(ep: &Endpoints) -> String {
    const MAX: usize = 3;
    let subsets = ep.subsets.as_deref().unwrap_or(&[]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut more = false;
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or(&[]);
        let ports = ss.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, port.port));
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

impl TablePrinter for Endpoints {
    fn columns() -> &'static [Column] {
        &ENDPOINTS_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        vec![
            json!(self.metadata.name.as_deref().unwrap_or("")),
            json!(format_endpoints(self)),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{
        EndpointAddress, EndpointPort, EndpointSubset, LoadBalancerIngress, LoadBalancerStatus,
        ServicePort, ServiceSpec, ServiceStatus,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    fn now() -> jiff::Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn meta(name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            creation_timestamp: Some(Time("2026-11-27T09:55:00Z".parse().unwrap())),
            ..Default::default()
        }
    }

    fn port(port: i32, node_port: Option<i32>, protocol: &str) -> ServicePort {
        ServicePort {
            port,
            node_port,
            protocol: Some(protocol.into()),
            ..Default::default()
        }
    }

    fn service(type_: &str, ports: Vec<ServicePort>) -> Service {
        Service {
            metadata: meta("web"),
            spec: Some(ServiceSpec {
                type_: Some(type_.into()),
                cluster_ip: Some("10.96.0.10".into()),
                cluster_ips: Some(vec!["10.96.0.10".into()]),
                ports: Some(ports),
                selector: Some([("app".to_string(), "web".to_string())].into()),
                ..Default::default()
            }),
            status: None,
        }
    }

    #[test]
    fn a_cluster_ip_service_prints_like_kubectl_get_svc_wide() {
        assert_eq!(
            service(
                "ClusterIP",
                vec![port(53, None, "UDP"), port(53, None, "TCP")]
            )
            .cells(now()),
            vec![
                json!("web"),
                json!("ClusterIP"),
                json!("10.96.0.10"),
                json!("<none>"),
                json!("53/UDP,53/TCP"),
                json!("5m"),
                json!("app=web"),
            ]
        );
    }

    #[test]
    fn a_node_port_service_shows_port_and_node_port() {
        let c = service("NodePort", vec![port(80, Some(30080), "TCP")]).cells(now());
        assert_eq!(c[3], json!("<none>"));
        assert_eq!(c[4], json!("80:30080/TCP"));
    }

    #[test]
    fn a_load_balancer_is_pending_until_it_has_an_address() {
        let mut s = service("LoadBalancer", vec![port(443, Some(31443), "TCP")]);
        assert_eq!(s.cells(now())[3], json!("<pending>"));
        s.status = Some(ServiceStatus {
            load_balancer: Some(LoadBalancerStatus {
                ingress: Some(vec![
                    LoadBalancerIngress {
                        hostname: Some("lb.example.com".into()),
                        ..Default::default()
                    },
                    LoadBalancerIngress {
                        ip: Some("203.0.113.7".into()),
                        ..Default::default()
                    },
                ]),
            }),
            ..Default::default()
        });
        s.spec.as_mut().unwrap().external_ips = Some(vec!["198.51.100.1".into()]);
        assert_eq!(
            s.cells(now())[3],
            json!("203.0.113.7,lb.example.com,198.51.100.1")
        );
    }

    #[test]
    fn external_ips_and_external_names_fill_the_external_ip_column() {
        let mut s = service("ClusterIP", vec![port(80, None, "TCP")]);
        s.spec.as_mut().unwrap().external_ips = Some(vec!["1.2.3.4".into(), "5.6.7.8".into()]);
        assert_eq!(s.cells(now())[3], json!("1.2.3.4,5.6.7.8"));
        let mut s = service("ExternalName", vec![]);
        let spec = s.spec.as_mut().unwrap();
        spec.external_name = Some("db.example.com".into());
        spec.cluster_ip = None;
        spec.cluster_ips = None;
        spec.selector = None;
        let c = s.cells(now());
        assert_eq!(
            &c[1..5],
            &[
                json!("ExternalName"),
                json!("<none>"),
                json!("db.example.com"),
                json!("<none>")
            ]
        );
        assert_eq!(c[6], json!("<none>"));
    }

    #[test]
    fn a_headless_service_shows_none_as_its_cluster_ip() {
        let mut s = service("ClusterIP", vec![port(80, None, "TCP")]);
        s.spec.as_mut().unwrap().cluster_ips = Some(vec!["None".into()]);
        assert_eq!(s.cells(now())[2], json!("None"));
    }

    fn subset(ips: &[&str], ports: &[i32]) -> EndpointSubset {
        EndpointSubset {
            addresses: Some(
                ips.iter()
                    .map(|ip| EndpointAddress {
                        ip: ip.to_string(),
                        ..Default::default()
                    })
                    .collect(),
            ),
            ports: Some(
                ports
                    .iter()
                    .map(|p| EndpointPort {
                        port: *p,
                        ..Default::default()
                    })
                    .collect(),
            ),
            ..Default::default()
        }
    }

    fn endpoints(subsets: Option<Vec<EndpointSubset>>) -> Endpoints {
        Endpoints {
            metadata: meta("web"),
            subsets,
        }
    }

    #[test]
    fn endpoints_list_three_addresses_then_count_the_rest() {
        let ep = endpoints(Some(vec![subset(&["10.0.0.1", "10.0.0.2"], &[80, 443])]));
        assert_eq!(
            ep.cells(now()),
            vec![
                json!("web"),
                json!("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more..."),
                json!("5m")
            ]
        );
        let ep = endpoints(Some(vec![subset(&["10.0.0.1", "10.0.0.2"], &[80])]));
        assert_eq!(ep.cells(now())[1], json!("10.0.0.1:80,10.0.0.2:80"));
    }

    #[test]
    fn endpoints_without_subsets_are_none_and_port_less_subsets_list_bare_ips() {
        assert_eq!(endpoints(None).cells(now())[1], json!("<none>"));
        let ep = endpoints(Some(vec![subset(
            &["10.0.0.1", "fd00::1", "10.0.0.3", "10.0.0.4"],
            &[],
        )]));
        assert_eq!(
            ep.cells(now())[1],
            json!("10.0.0.1,fd00::1,10.0.0.3 + 1 more...")
        );
        let ep = endpoints(Some(vec![subset(&["fd00::1"], &[8080])]));
        assert_eq!(ep.cells(now())[1], json!("[fd00::1]:8080"));
    }
}
