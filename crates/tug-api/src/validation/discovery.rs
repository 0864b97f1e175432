//! Validation of `discovery.k8s.io/v1` EndpointSlices (`pkg/apis/discovery/validation`,
//! 1.33): a supported (and immutable) address type, endpoints whose addresses fit it, and
//! ports with unique names and supported protocols.

use std::collections::BTreeSet;

use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};

use super::core::{validate_dns1123_label, validate_non_special_ip, validate_qualified_name};
use super::meta::{validate_core_object_meta, validate_core_object_meta_update, validate_labels};
use super::names::{
    is_dns1123_label, is_dns1123_subdomain, is_valid_label_value, name_is_dns_subdomain,
    parse_ip_sloppy, validate_ip_legacy,
};
use crate::field::{ErrorList, FieldError, Path};

const SUPPORTED_ADDRESS_TYPES: &[&str] = &["FQDN", "IPv4", "IPv6"];
const SUPPORTED_PORT_PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
const MAX_TOPOLOGY_LABELS: usize = 16;
const MAX_ADDRESSES: usize = 100;
const MAX_PORTS: usize = 20000;
const MAX_ENDPOINTS: usize = 1000;
const MAX_ZONE_HINTS: usize = 8;
/// The zone label upstream's conversion moves out of `deprecatedTopology`.
const LABEL_TOPOLOGY_ZONE: &str = "topology.kubernetes.io/zone";

fn root(name: &str) -> Path {
    Path::new(name)
}

/// `IsFullyQualifiedDomainName`: a DNS subdomain (trailing dot allowed) of two or more labels.
pub fn validate_fqdn(path: &Path, name: &str) -> ErrorList {
    if name.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let errs = is_dns1123_subdomain(name);
    if !errs.is_empty() {
        return vec![FieldError::invalid(path, name, errs.join(","))];
    }
    if name.split('.').count() < 2 {
        return vec![FieldError::invalid(
            path,
            name,
            "should be a domain with at least two segments separated by dots",
        )];
    }
    for label in name.split('.') {
        let errs = is_dns1123_label(label);
        if !errs.is_empty() {
            return vec![FieldError::invalid(path, label, errs.join(","))];
        }
    }
    Vec::new()
}

/// An address of an IPv4 or IPv6 slice: a (legacy-parsed) IP of that family, not special.
fn validate_ip_address(address: &str, v4: bool, path: &Path) -> ErrorList {
    let errs = validate_ip_legacy(path, address);
    if !errs.is_empty() {
        return errs;
    }
    let mut errs = Vec::new();
    let is_v4 = parse_ip_sloppy(address).is_some_and(|ip| ip.is_ipv4());
    if v4 && !is_v4 {
        errs.push(FieldError::invalid(
            path,
            address,
            "must be an IPv4 address",
        ));
    } else if !v4 && is_v4 {
        errs.push(FieldError::invalid(
            path,
            address,
            "must be an IPv6 address",
        ));
    }
    errs.extend(validate_non_special_ip(address, path));
    errs
}

fn validate_endpoints(endpoints: &[Endpoint], address_type: &str, path: &Path) -> ErrorList {
    if endpoints.len() > MAX_ENDPOINTS {
        return vec![FieldError::too_many(path, endpoints.len(), MAX_ENDPOINTS)];
    }
    let mut errs = Vec::new();
    for (i, ep) in endpoints.iter().enumerate() {
        let ip = path.index(i);
        let ap = ip.child("addresses");
        if ep.addresses.is_empty() {
            errs.push(FieldError::required(&ap, "must contain at least 1 address"));
        } else if ep.addresses.len() > MAX_ADDRESSES {
            errs.push(FieldError::too_many(&ap, ep.addresses.len(), MAX_ADDRESSES));
        }
        for (j, address) in ep.addresses.iter().enumerate() {
            match address_type {
                "IPv4" => errs.extend(validate_ip_address(address, true, &ap.index(j))),
                "IPv6" => errs.extend(validate_ip_address(address, false, &ap.index(j))),
                "FQDN" => errs.extend(validate_fqdn(&ap.index(j), address)),
                _ => {}
            }
        }
        if let Some(node) = &ep.node_name {
            for m in name_is_dns_subdomain(node, false) {
                errs.push(FieldError::invalid(&ip.child("nodeName"), node.as_str(), m));
            }
        }
        let tp = ip.child("deprecatedTopology");
        let topology = ep.deprecated_topology.as_ref();
        if let Some(t) = topology
            && t.len() > MAX_TOPOLOGY_LABELS
        {
            errs.push(FieldError::too_many(&tp, t.len(), MAX_TOPOLOGY_LABELS));
        }
        errs.extend(validate_labels(topology, &tp));
        if topology.is_some_and(|t| t.contains_key(LABEL_TOPOLOGY_ZONE)) {
            errs.push(FieldError::internal(
                &tp.key(LABEL_TOPOLOGY_ZONE),
                "reserved key was not removed in conversion",
            ));
        }
        if let Some(h) = &ep.hostname {
            errs.extend(validate_dns1123_label(h, &ip.child("hostname")));
        }
        if let Some(hints) = &ep.hints {
            let fz = ip.child("hints").child("forZones");
            let zones = hints.for_zones.as_deref().unwrap_or_default();
            if zones.len() > MAX_ZONE_HINTS {
                errs.push(FieldError::too_many(&fz, zones.len(), MAX_ZONE_HINTS));
                continue;
            }
            let mut seen = BTreeSet::new();
            for (j, z) in zones.iter().enumerate() {
                let zp = fz.index(j).child("name");
                if !seen.insert(z.name.as_str()) {
                    errs.push(FieldError::duplicate(&zp, z.name.as_str()));
                }
                for m in is_valid_label_value(&z.name) {
                    errs.push(FieldError::invalid(&zp, z.name.as_str(), m));
                }
            }
        }
    }
    errs
}

fn validate_ports(ports: &[EndpointPort], path: &Path) -> ErrorList {
    if ports.len() > MAX_PORTS {
        return vec![FieldError::too_many(path, ports.len(), MAX_PORTS)];
    }
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = path.index(i);
        let name = p.name.as_deref().unwrap_or("");
        if !name.is_empty() {
            errs.extend(validate_dns1123_label(name, &pp.child("name")));
        }
        if !names.insert(name) {
            errs.push(FieldError::duplicate(&pp.child("name"), name));
        }
        match p.protocol.as_deref() {
            None => errs.push(FieldError::required(&pp.child("protocol"), "")),
            Some(proto) if !SUPPORTED_PORT_PROTOCOLS.contains(&proto) => {
                errs.push(FieldError::not_supported(
                    &pp.child("protocol"),
                    proto,
                    SUPPORTED_PORT_PROTOCOLS,
                ));
            }
            Some(_) => {}
        }
        if let Some(app) = &p.app_protocol {
            errs.extend(validate_qualified_name(app, &pp.child("appProtocol")));
        }
    }
    errs
}

/// `ValidateEndpointSlice`.
pub fn validate_endpoint_slice_create(slice: &EndpointSlice) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &slice.metadata,
        true,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    let at = slice.address_type.as_str();
    if at.is_empty() {
        errs.push(FieldError::required(&root("addressType"), ""));
    } else if !SUPPORTED_ADDRESS_TYPES.contains(&at) {
        errs.push(FieldError::not_supported(
            &root("addressType"),
            at,
            SUPPORTED_ADDRESS_TYPES,
        ));
    }
    errs.extend(validate_endpoints(&slice.endpoints, at, &root("endpoints")));
    errs.extend(validate_ports(
        slice.ports.as_deref().unwrap_or_default(),
        &root("ports"),
    ));
    errs
}

/// `ValidateEndpointSliceUpdate`: the address type is immutable (after the generic
/// metadata-update checks the registry runs first).
pub fn validate_endpoint_slice_update(new: &EndpointSlice, old: &EndpointSlice) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_endpoint_slice_create(new));
    if new.address_type != old.address_type {
        errs.push(FieldError::invalid(
            &root("addressType"),
            new.address_type.as_str(),
            super::FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn msgs(errs: ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    fn slice(v: Value) -> EndpointSlice {
        let mut s: EndpointSlice = serde_json::from_value(v).expect("decodes");
        crate::defaults::net::set_object_defaults_endpoint_slice(&mut s);
        s
    }

    #[test]
    fn the_address_type_is_required_and_supported() {
        let s = slice(json!({"metadata": {"name": "a", "namespace": "d"}, "endpoints": []}));
        assert_eq!(
            msgs(validate_endpoint_slice_create(&s)),
            vec!["addressType: Required value"]
        );
        let s = slice(json!({"metadata": {"name": "a", "namespace": "d"},
                             "addressType": "IP", "endpoints": []}));
        assert_eq!(
            msgs(validate_endpoint_slice_create(&s)),
            vec![
                "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""
            ]
        );
    }

    #[test]
    fn addresses_match_the_slice_family() {
        let s = slice(
            json!({"metadata": {"name": "a", "namespace": "d"}, "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1", "fd00::1", "127.0.0.1", "nope"]},
                          {"addresses": []}]}),
        );
        assert_eq!(
            msgs(validate_endpoint_slice_create(&s)),
            vec![
                "endpoints[0].addresses[1]: Invalid value: \"fd00::1\": must be an IPv4 address",
                "endpoints[0].addresses[2]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
                "endpoints[0].addresses[3]: Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                "endpoints[1].addresses: Required value: must contain at least 1 address",
            ]
        );
        let s = slice(
            json!({"metadata": {"name": "a", "namespace": "d"}, "addressType": "FQDN",
            "endpoints": [{"addresses": ["example.com", "localhost"]}]}),
        );
        assert_eq!(
            msgs(validate_endpoint_slice_create(&s)),
            vec![
                "endpoints[0].addresses[1]: Invalid value: \"localhost\": should be a domain with at least two segments separated by dots"
            ]
        );
    }

    #[test]
    fn port_names_are_unique_labels_and_protocols_supported() {
        let s = slice(
            json!({"metadata": {"name": "a", "namespace": "d"}, "addressType": "IPv4",
            "endpoints": [], "ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81},
                                       {"name": "x", "protocol": "ICMP"}, {"name": "Bad"}]}),
        );
        let m = msgs(validate_endpoint_slice_create(&s));
        assert_eq!(m[0], "ports[1].name: Duplicate value: \"http\"");
        assert_eq!(
            m[1],
            "ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""
        );
        assert!(
            m[2].starts_with("ports[3].name: Invalid value: \"Bad\": a lowercase RFC 1123 label"),
            "{m:?}"
        );
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn the_address_type_is_immutable() {
        let old = slice(
            json!({"metadata": {"name": "a", "namespace": "d"}, "addressType": "IPv4",
                               "endpoints": []}),
        );
        let mut new = old.clone();
        new.address_type = "IPv6".into();
        new.metadata.resource_version = Some("3".into());
        assert_eq!(
            msgs(validate_endpoint_slice_update(&new, &old)),
            vec!["addressType: Invalid value: \"IPv6\": field is immutable"]
        );
    }
}
