//! ClusterIP and NodePort allocation for Services. Each allocated address or port is a key
//! in the store, written in the same transaction as the Service, so a Service and its
//! allocations commit (or fail) together and two Services can never share an address.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use bytes::Bytes;
use rand::Rng;
use serde_json::{Value, json};
use tug_api::field::{FieldError, Path};
use tug_store::{Compare, Op};

/// The service network and node port range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceNetwork {
    pub base: Ipv4Addr,
    pub prefix: u8,
    pub node_ports: (u16, u16),
}

impl Default for ServiceNetwork {
    fn default() -> Self {
        ServiceNetwork {
            base: Ipv4Addr::new(10, 96, 0, 0),
            prefix: 12,
            node_ports: (30000, 32767),
        }
    }
}

/// Allocation keys live outside every resource prefix.
const IP_PREFIX: &str = "/registry/tug/serviceips/";
const PORT_PREFIX: &str = "/registry/tug/nodeports/";

impl ServiceNetwork {
    /// Parses `10.96.0.0/12`.
    pub fn parse_cidr(cidr: &str, node_ports: (u16, u16)) -> Result<ServiceNetwork, String> {
        let (ip, prefix) = cidr
            .split_once('/')
            .ok_or_else(|| format!("service CIDR {cidr:?} is not of the form A.B.C.D/N"))?;
        let ip: Ipv4Addr = ip
            .parse()
            .map_err(|_| format!("service CIDR {cidr:?}: bad address"))?;
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| (8..=30).contains(p))
            .ok_or_else(|| format!("service CIDR {cidr:?}: prefix must be 8..30"))?;
        let mask = u32::MAX << (32 - prefix);
        if node_ports.0 == 0 || node_ports.0 > node_ports.1 {
            return Err(format!(
                "node port range {}-{} is empty",
                node_ports.0, node_ports.1
            ));
        }
        Ok(ServiceNetwork {
            base: Ipv4Addr::from(u32::from(ip) & mask),
            prefix,
            node_ports,
        })
    }

    /// `10.96.0.0/12`.
    pub fn cidr(&self) -> String {
        format!("{}/{}", self.base, self.prefix)
    }

    /// The first usable address, reserved for the `kubernetes` Service.
    pub fn first_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.base) + 1)
    }

    fn size(&self) -> u32 {
        1u32 << (32 - self.prefix)
    }

    fn contains(&self, ip: Ipv4Addr) -> bool {
        let off = u32::from(ip).wrapping_sub(u32::from(self.base));
        off > 0 && off < self.size() - 1
    }

    fn random_ip(&self) -> Ipv4Addr {
        // Skip the network address, the first address (the kubernetes Service) and broadcast.
        let off = rand::rng().random_range(2..self.size() - 1);
        Ipv4Addr::from(u32::from(self.base) + off)
    }

    fn random_port(&self) -> u16 {
        rand::rng().random_range(self.node_ports.0..=self.node_ports.1)
    }
}

/// The extra compares and ops that make a Service's allocations part of its transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allocation {
    pub compares: Vec<Compare>,
    pub ops: Vec<Op>,
}

fn owner(ns: &str, name: &str) -> Bytes {
    Bytes::from(json!({"namespace": ns, "name": name}).to_string())
}

fn node_ports_of(spec: &Value) -> BTreeSet<u16> {
    spec.get("ports")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p.get("nodePort").and_then(Value::as_u64))
                .filter_map(|p| u16::try_from(p).ok())
                .filter(|p| *p != 0)
                .collect()
        })
        .unwrap_or_default()
}

fn wants_node_ports(spec: &Value) -> bool {
    matches!(
        spec.get("type").and_then(Value::as_str),
        Some("NodePort") | Some("LoadBalancer")
    )
}

/// Assigns a ClusterIP (unless headless or ExternalName) and node ports to a new Service,
/// writing them into `svc.spec`, and returns the allocation keys to commit with it.
/// Explicitly requested addresses and ports must be in range; whether they are free is
/// decided by the transaction (a failed compare on an allocation key means "taken").
pub fn allocate_for_create(
    net: &ServiceNetwork,
    svc: &mut Value,
    ns: &str,
    name: &str,
) -> Result<Allocation, Vec<FieldError>> {
    let mut alloc = Allocation::default();
    let mut errs = Vec::new();
    let Some(spec) = svc.get_mut("spec").and_then(Value::as_object_mut) else {
        return Ok(alloc);
    };
    let is_external_name = spec.get("type").and_then(Value::as_str) == Some("ExternalName");
    if !is_external_name {
        let requested = spec
            .get("clusterIP")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let ip = match requested.as_str() {
            "None" => None,
            "" => Some(net.random_ip()),
            s => match s.parse::<Ipv4Addr>() {
                Ok(ip) if net.contains(ip) => Some(ip),
                _ => {
                    errs.push(FieldError::invalid(
                        &Path::new("spec").child("clusterIPs").index(0),
                        s,
                        format!(
                            "failed to allocate IP {s}: provided IP is not in the valid range. The range of valid IPs is {}",
                            net.cidr()
                        ),
                    ));
                    None
                }
            },
        };
        match ip {
            Some(ip) => {
                let key = format!("{IP_PREFIX}{ip}");
                alloc.compares.push(Compare::ModRevision(key.clone(), 0));
                alloc.ops.push(Op::Put {
                    key,
                    value: owner(ns, name),
                });
                spec.insert("clusterIP".into(), Value::String(ip.to_string()));
                spec.insert("clusterIPs".into(), json!([ip.to_string()]));
            }
            None if requested == "None" => {
                spec.insert("clusterIPs".into(), json!(["None"]));
            }
            None => {}
        }
        if spec.get("clusterIP").and_then(Value::as_str).is_some() {
            spec.insert("ipFamilies".into(), json!(["IPv4"]));
            spec.insert("ipFamilyPolicy".into(), json!("SingleStack"));
        }
    }
    if wants_node_ports(&Value::Object(spec.clone())) {
        allocate_ports(net, spec, &BTreeSet::new(), ns, name, &mut alloc, &mut errs);
    }
    if errs.is_empty() {
        Ok(alloc)
    } else {
        Err(errs)
    }
}

fn allocate_ports(
    net: &ServiceNetwork,
    spec: &mut serde_json::Map<String, Value>,
    already_owned: &BTreeSet<u16>,
    ns: &str,
    name: &str,
    alloc: &mut Allocation,
    errs: &mut Vec<FieldError>,
) {
    let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) else {
        return;
    };
    let mut used: BTreeSet<u16> = BTreeSet::new();
    for (i, p) in ports.iter_mut().enumerate() {
        let requested = p.get("nodePort").and_then(Value::as_u64).unwrap_or(0);
        let port = if requested == 0 {
            let mut candidate = net.random_port();
            while used.contains(&candidate) || already_owned.contains(&candidate) {
                candidate = net.random_port();
            }
            candidate
        } else {
            match u16::try_from(requested) {
                Ok(port) if (net.node_ports.0..=net.node_ports.1).contains(&port) => port,
                _ => {
                    errs.push(FieldError::invalid(
                        &Path::new("spec").child("ports").index(i).child("nodePort"),
                        requested,
                        format!(
                            "provided port is not in the valid range. The range of valid ports is {}-{}",
                            net.node_ports.0, net.node_ports.1
                        ),
                    ));
                    continue;
                }
            }
        };
        if let Some(o) = p.as_object_mut() {
            o.insert("nodePort".into(), Value::from(port));
        }
        if used.insert(port) && !already_owned.contains(&port) {
            let key = format!("{PORT_PREFIX}{port}");
            alloc.compares.push(Compare::ModRevision(key.clone(), 0));
            alloc.ops.push(Op::Put {
                key,
                value: owner(ns, name),
            });
        }
    }
}

/// For an update: carries the ClusterIP over from `old`, allocates node ports the new spec
/// needs and releases the ones it dropped.
pub fn allocate_for_update(
    net: &ServiceNetwork,
    svc: &mut Value,
    old: &Value,
    ns: &str,
    name: &str,
) -> Result<Allocation, Vec<FieldError>> {
    let mut alloc = Allocation::default();
    let mut errs = Vec::new();
    let old_spec = old.get("spec").cloned().unwrap_or(Value::Null);
    let Some(spec) = svc.get_mut("spec").and_then(Value::as_object_mut) else {
        return Ok(alloc);
    };
    for f in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
        let unset = match spec.get(f) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            _ => false,
        };
        if unset && let Some(v) = old_spec.get(f) {
            spec.insert(f.into(), v.clone());
        }
    }
    let old_ports = node_ports_of(&old_spec);
    let new_wants = wants_node_ports(&Value::Object(spec.clone()));
    if new_wants {
        allocate_ports(net, spec, &old_ports, ns, name, &mut alloc, &mut errs);
    } else if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports {
            if let Some(o) = p.as_object_mut() {
                o.remove("nodePort");
            }
        }
    }
    let new_ports = node_ports_of(&Value::Object(spec.clone()));
    for p in old_ports.difference(&new_ports) {
        alloc.ops.push(Op::Delete {
            key: format!("{PORT_PREFIX}{p}"),
        });
    }
    if errs.is_empty() {
        Ok(alloc)
    } else {
        Err(errs)
    }
}

/// The ops that release everything a Service holds.
pub fn release(svc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    let spec = svc.get("spec").cloned().unwrap_or(Value::Null);
    if let Some(ips) = spec.get("clusterIPs").and_then(Value::as_array) {
        for ip in ips.iter().filter_map(Value::as_str) {
            if ip != "None" {
                ops.push(Op::Delete {
                    key: format!("{IP_PREFIX}{ip}"),
                });
            }
        }
    }
    for p in node_ports_of(&spec) {
        ops.push(Op::Delete {
            key: format!("{PORT_PREFIX}{p}"),
        });
    }
    ops
}

/// The field error for an allocation key whose compare failed (taken by another Service).
pub fn taken_error(key: &str, svc: &Value) -> FieldError {
    if let Some(ip) = key.strip_prefix(IP_PREFIX) {
        return FieldError::invalid(
            &Path::new("spec").child("clusterIPs").index(0),
            ip,
            format!("failed to allocate IP {ip}: provided IP is already allocated"),
        );
    }
    let port = key.strip_prefix(PORT_PREFIX).unwrap_or(key);
    let idx = svc
        .get("spec")
        .and_then(|s| s.get("ports"))
        .and_then(Value::as_array)
        .and_then(|ps| {
            ps.iter().position(|p| {
                p.get("nodePort")
                    .and_then(Value::as_u64)
                    .map(|n| n.to_string())
                    == Some(port.to_string())
            })
        })
        .unwrap_or(0);
    FieldError::invalid(
        &Path::new("spec")
            .child("ports")
            .index(idx)
            .child("nodePort"),
        port.parse::<u64>().unwrap_or(0),
        "provided port is already allocated",
    )
}

/// Whether the key's allocation was requested by the client (a clash is then the client's
/// error) rather than picked at random (a clash is retried).
pub fn was_requested(key: &str, request: &Value) -> bool {
    let spec = request.get("spec").cloned().unwrap_or(Value::Null);
    if let Some(ip) = key.strip_prefix(IP_PREFIX) {
        return spec.get("clusterIP").and_then(Value::as_str) == Some(ip);
    }
    if let Some(port) = key.strip_prefix(PORT_PREFIX) {
        return node_ports_of(&spec).iter().any(|p| p.to_string() == port);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_service_gets_an_address_inside_the_network_and_its_key() {
        let net = ServiceNetwork::default();
        let mut svc = json!({"spec":{"ports":[{"port":80}]}});
        let a = allocate_for_create(&net, &mut svc, "default", "web").expect("allocates");
        let ip: Ipv4Addr = svc["spec"]["clusterIP"]
            .as_str()
            .expect("set")
            .parse()
            .expect("ip");
        assert!(net.contains(ip));
        assert_ne!(ip, net.first_ip());
        assert_eq!(a.ops.len(), 1);
        assert_eq!(svc["spec"]["clusterIPs"][0], svc["spec"]["clusterIP"]);
    }

    #[test]
    fn an_address_outside_the_network_is_invalid() {
        let net = ServiceNetwork::default();
        let mut svc = json!({"spec":{"clusterIP":"192.168.1.1","ports":[{"port":80}]}});
        let errs = allocate_for_create(&net, &mut svc, "default", "web").expect_err("rejected");
        assert_eq!(errs[0].field, "spec.clusterIPs[0]");
    }

    #[test]
    fn headless_services_get_no_address() {
        let net = ServiceNetwork::default();
        let mut svc = json!({"spec":{"clusterIP":"None"}});
        let a = allocate_for_create(&net, &mut svc, "default", "db").expect("ok");
        assert!(a.ops.is_empty());
        assert_eq!(svc["spec"]["clusterIPs"], json!(["None"]));
    }

    #[test]
    fn node_port_services_get_ports_in_range() {
        let net = ServiceNetwork::default();
        let mut svc =
            json!({"spec":{"type":"NodePort","ports":[{"port":80},{"port":443,"nodePort":30443}]}});
        let a = allocate_for_create(&net, &mut svc, "default", "web").expect("ok");
        let p0 = svc["spec"]["ports"][0]["nodePort"].as_u64().expect("set");
        assert!((30000..=32767).contains(&p0));
        assert_eq!(svc["spec"]["ports"][1]["nodePort"], 30443);
        assert_eq!(a.ops.len(), 3);
    }

    #[test]
    fn releasing_frees_the_address_and_ports() {
        let svc = json!({"spec":{"clusterIPs":["10.96.0.10"],"ports":[{"nodePort":30001}]}});
        assert_eq!(release(&svc).len(), 2);
    }
}
