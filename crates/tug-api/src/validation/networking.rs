//! Validation of `networking.k8s.io/v1` Ingresses, IngressClasses and NetworkPolicies
//! (`pkg/apis/networking/validation/validation.go`, 1.33), with upstream's messages and
//! field paths. The StrictIPCIDRValidation gate is off in 1.33, so CIDRs and IPs get the
//! legacy (sloppy) parse, and Ingress backends name Services by DNS-1035 label (the relaxed
//! service-name rule came later).

use std::net::IpAddr;

use k8s_openapi::api::core::v1::TypedLocalObjectReference;
use k8s_openapi::api::networking::v1::{
    IPBlock, Ingress, IngressBackend, IngressClass, IngressClassParametersReference,
    IngressClassSpec, IngressLoadBalancerStatus, IngressRule, IngressSpec, NetworkPolicy,
    NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::meta::{
    validate_core_object_meta, validate_core_object_meta_update, validate_label_selector,
};
use super::names::{
    is_dns1123_subdomain, is_valid_port_name, is_valid_port_num, name_is_dns_label,
    name_is_dns_subdomain, name_is_dns1035_label, parse_ip_sloppy, regex_error,
    validate_cidr_legacy, validate_ip_legacy, validate_path_segment_name,
};
use super::{FIELD_IMMUTABLE_ERROR_MSG, go_quote, invalid_repr, not_supported_repr, s, too_long};
use crate::field::{ErrorList, FieldError, Path};

const ANNOTATION_INGRESS_CLASS: &str = "kubernetes.io/ingress.class";
const MAX_LEN_INGRESS_CLASS_CONTROLLER: usize = 250;
const SUPPORTED_PATH_TYPES: &[&str] = &["Exact", "ImplementationSpecific", "Prefix"];
const INVALID_PATH_SEQUENCES: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES: &[&str] = &["/..", "/."];
const HTTP_PATH_FMT: &str = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const WILDCARD_DNS1123_SUBDOMAIN_FMT: &str =
    "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const WILDCARD_DNS1123_SUBDOMAIN_ERR: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

fn root(name: &str) -> Path {
    Path::new(name)
}

fn invalid_each(path: &Path, value: &str, msgs: Vec<String>) -> ErrorList {
    msgs.into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

/// `IsWildcardDNS1123Subdomain`: `*.` followed by a DNS subdomain, at most 253 characters.
pub fn is_wildcard_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(super::names::max_len_error(253));
    }
    // The regex's subdomain part has no per-label length limit; only the shape matters.
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        let ok_c = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        !b.is_empty()
            && ok_c(b[0])
            && ok_c(b[b.len() - 1])
            && b.iter().all(|&c| ok_c(c) || c == b'-')
    };
    let ok = value
        .strip_prefix("*.")
        .is_some_and(|rest| rest.split('.').all(label_ok));
    if !ok {
        errs.push(regex_error(
            WILDCARD_DNS1123_SUBDOMAIN_ERR,
            WILDCARD_DNS1123_SUBDOMAIN_FMT,
            &["*.example.com"],
        ));
    }
    errs
}

/// `IsDomainPrefixedPath`: `acme.io/foo` — a DNS subdomain, `/`, and HTTP path characters.
pub fn is_domain_prefixed_path(path: &Path, value: &str) -> ErrorList {
    if value.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let Some((host, rest)) = value
        .split_once('/')
        .filter(|(h, r)| !h.is_empty() && !r.is_empty())
    else {
        return vec![FieldError::invalid(
            path,
            value,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        )];
    };
    let mut errs = invalid_each(path, host, is_dns1123_subdomain(host));
    let http_path_char = |c: char| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c);
    if !rest.chars().all(http_path_char) {
        errs.push(FieldError::invalid(
            path,
            rest,
            regex_error("Invalid path", HTTP_PATH_FMT, &[]),
        ));
    }
    errs
}

/// A CIDR as Go's `ParseCIDRSloppy` reads it: the network address (host bits cleared) and
/// the prefix length.
fn parse_cidr(value: &str) -> Option<(IpAddr, u32)> {
    let (ip, bits) = value.split_once('/')?;
    let addr = parse_ip_sloppy(ip)?;
    if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let bits: u32 = bits.parse().ok()?;
    match addr {
        IpAddr::V4(a) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            Some((IpAddr::V4((u32::from(a) & mask).into()), bits))
        }
        IpAddr::V6(a) if bits <= 128 => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            Some((IpAddr::V6((u128::from(a) & mask).into()), bits))
        }
        _ => None,
    }
}

fn cidr_contains(net: (IpAddr, u32), ip: IpAddr) -> bool {
    match (net.0, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = if net.1 == 0 {
                0
            } else {
                u32::MAX << (32 - net.1)
            };
            u32::from(i) & mask == u32::from(n)
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = if net.1 == 0 {
                0
            } else {
                u128::MAX << (128 - net.1)
            };
            u128::from(i) & mask == u128::from(n)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy

/// `ValidateNetworkPolicyPort`.
pub fn validate_network_policy_port(port: &NetworkPolicyPort, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(proto) = port.protocol.as_deref()
        && !matches!(proto, "TCP" | "UDP" | "SCTP")
    {
        errs.push(FieldError::not_supported(
            &path.child("protocol"),
            proto,
            &["TCP", "UDP", "SCTP"],
        ));
    }
    match &port.port {
        Some(IntOrString::Int(p)) => {
            for m in is_valid_port_num(i64::from(*p)) {
                errs.push(FieldError::invalid(&path.child("port"), *p, m));
            }
            if let Some(end) = port.end_port {
                if end < *p {
                    errs.push(FieldError::invalid(
                        &path.child("endPort"),
                        end,
                        "must be greater than or equal to `port`",
                    ));
                }
                for m in is_valid_port_num(i64::from(end)) {
                    errs.push(FieldError::invalid(&path.child("endPort"), end, m));
                }
            }
        }
        Some(IntOrString::String(name)) => {
            if let Some(end) = port.end_port {
                errs.push(FieldError::invalid(
                    &path.child("endPort"),
                    end,
                    "may not be specified when `port` is non-numeric",
                ));
            }
            for m in is_valid_port_name(name) {
                errs.push(FieldError::invalid(&path.child("port"), name.as_str(), m));
            }
        }
        None => {
            if let Some(end) = port.end_port {
                errs.push(FieldError::invalid(
                    &path.child("endPort"),
                    end,
                    "may not be specified when `port` is not specified",
                ));
            }
        }
    }
    errs
}

/// `ValidateIPBlock`: a CIDR, and `except` entries strictly inside it.
pub fn validate_ip_block(ipb: &IPBlock, path: &Path) -> ErrorList {
    if ipb.cidr.is_empty() {
        return vec![FieldError::required(&path.child("cidr"), "")];
    }
    let mut errs = validate_cidr_legacy(&path.child("cidr"), &ipb.cidr);
    let Some(net) = parse_cidr(&ipb.cidr) else {
        return errs;
    };
    for (i, except) in ipb.except.iter().flatten().enumerate() {
        let ep = path.child("except").index(i);
        errs.extend(validate_cidr_legacy(&ep, except));
        let Some(ex) = parse_cidr(except) else {
            continue;
        };
        if !cidr_contains(net, ex.0) || net.1 >= ex.1 {
            errs.push(FieldError::invalid(
                &ep,
                except.as_str(),
                "must be a strict subset of `cidr`",
            ));
        }
    }
    errs
}

/// `ValidateNetworkPolicyPeer`: exactly one kind of peer, or selectors without an ipBlock.
pub fn validate_network_policy_peer(
    peer: &NetworkPolicyPeer,
    allow_invalid_label_value: bool,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut peers = 0;
    if let Some(sel) = &peer.pod_selector {
        peers += 1;
        errs.extend(validate_label_selector(
            Some(sel),
            allow_invalid_label_value,
            &path.child("podSelector"),
        ));
    }
    if let Some(sel) = &peer.namespace_selector {
        peers += 1;
        errs.extend(validate_label_selector(
            Some(sel),
            allow_invalid_label_value,
            &path.child("namespaceSelector"),
        ));
    }
    if let Some(ipb) = &peer.ip_block {
        peers += 1;
        errs.extend(validate_ip_block(ipb, &path.child("ipBlock")));
    }
    if peers == 0 {
        errs.push(FieldError::required(path, "must specify a peer"));
    } else if peers > 1 && peer.ip_block.is_some() {
        errs.push(FieldError::forbidden(
            path,
            "may not specify both ipBlock and another peer",
        ));
    }
    errs
}

/// `ValidateNetworkPolicySpec`.
pub fn validate_network_policy_spec(
    spec: &NetworkPolicySpec,
    allow_invalid_label_value: bool,
    path: &Path,
) -> ErrorList {
    let mut errs = validate_label_selector(
        Some(&spec.pod_selector.clone().unwrap_or_default()),
        allow_invalid_label_value,
        &path.child("podSelector"),
    );
    for (i, rule) in spec.ingress.iter().flatten().enumerate() {
        let rp = path.child("ingress").index(i);
        for (j, port) in rule.ports.iter().flatten().enumerate() {
            errs.extend(validate_network_policy_port(
                port,
                &rp.child("ports").index(j),
            ));
        }
        for (j, from) in rule.from.iter().flatten().enumerate() {
            errs.extend(validate_network_policy_peer(
                from,
                allow_invalid_label_value,
                &rp.child("from").index(j),
            ));
        }
    }
    for (i, rule) in spec.egress.iter().flatten().enumerate() {
        let rp = path.child("egress").index(i);
        for (j, port) in rule.ports.iter().flatten().enumerate() {
            errs.extend(validate_network_policy_port(
                port,
                &rp.child("ports").index(j),
            ));
        }
        for (j, to) in rule.to.iter().flatten().enumerate() {
            errs.extend(validate_network_policy_peer(
                to,
                allow_invalid_label_value,
                &rp.child("to").index(j),
            ));
        }
    }
    let types = spec.policy_types.as_deref().unwrap_or_default();
    if types.len() > 2 {
        let items: Vec<String> = types.iter().map(|t| go_quote(t)).collect();
        errs.push(invalid_repr(
            &path.child("policyTypes"),
            &format!("[]networking.PolicyType{{{}}}", items.join(", ")),
            "may not specify more than two policyTypes",
        ));
        return errs;
    }
    for (i, t) in types.iter().enumerate() {
        if t != "Ingress" && t != "Egress" {
            errs.push(FieldError::not_supported(
                &path.child("policyTypes").index(i),
                t.as_str(),
                &["Ingress", "Egress"],
            ));
        }
    }
    errs
}

fn network_policy_selector_is_invalid(np: &NetworkPolicy) -> bool {
    let sel = np
        .spec
        .as_ref()
        .and_then(|s| s.pod_selector.clone())
        .unwrap_or_default();
    !validate_label_selector(Some(&sel), false, &Path::default()).is_empty()
}

/// `ValidateNetworkPolicy` with `ValidationOptionsForNetworking(np, old)`: label values in
/// selectors may stay invalid on update when the stored pod selector already is.
fn validate_network_policy(np: &NetworkPolicy, old: Option<&NetworkPolicy>) -> ErrorList {
    let allow = old.is_some_and(network_policy_selector_is_invalid);
    let mut errs =
        validate_core_object_meta(&np.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_network_policy_spec(
        &np.spec.clone().unwrap_or_default(),
        allow,
        &root("spec"),
    ));
    errs
}

/// The NetworkPolicy strategy's `Validate`.
pub fn validate_network_policy_create(np: &NetworkPolicy) -> ErrorList {
    validate_network_policy(np, None)
}

/// The NetworkPolicy strategy's `ValidateUpdate`: `ValidateNetworkPolicy` and then
/// `ValidateNetworkPolicyUpdate` (metadata update and the spec again; callers drop the
/// repeated errors).
pub fn validate_network_policy_update(new: &NetworkPolicy, old: &NetworkPolicy) -> ErrorList {
    let mut errs = validate_network_policy(new, Some(old));
    errs.extend(validate_core_object_meta_update(
        &new.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs.extend(validate_network_policy_spec(
        &new.spec.clone().unwrap_or_default(),
        network_policy_selector_is_invalid(old),
        &root("spec"),
    ));
    errs
}

// ---------------------------------------------------------------------------------------------
// Ingress

#[derive(Clone, Copy, Default)]
struct IngressOptions {
    allow_invalid_secret_name: bool,
    allow_invalid_wildcard_host_rule: bool,
}

fn validate_tls_secret_name(name: &str) -> Vec<String> {
    if name.is_empty() {
        Vec::new()
    } else {
        name_is_dns_subdomain(name, false)
    }
}

/// `validateIngressTypedLocalObjectReference`.
fn validate_typed_local_object_reference(r: &TypedLocalObjectReference, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(g) = &r.api_group {
        errs.extend(invalid_each(
            &path.child("apiGroup"),
            g,
            is_dns1123_subdomain(g),
        ));
    }
    if r.kind.is_empty() {
        errs.push(FieldError::required(&path.child("kind"), ""));
    } else {
        errs.extend(invalid_each(
            &path.child("kind"),
            &r.kind,
            validate_path_segment_name(&r.kind, false),
        ));
    }
    if r.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else {
        errs.extend(invalid_each(
            &path.child("name"),
            &r.name,
            validate_path_segment_name(&r.name, false),
        ));
    }
    errs
}

/// `validateIngressBackend`: a resource or a service (name and exactly one of port name or
/// number).
fn validate_ingress_backend(backend: &IngressBackend, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    match (&backend.resource, &backend.service) {
        (Some(_), Some(_)) => {
            errs.push(FieldError::invalid(
                path,
                "",
                "cannot set both resource and service backends",
            ));
        }
        (Some(r), None) => {
            errs.extend(validate_typed_local_object_reference(
                r,
                &path.child("resource"),
            ));
        }
        (None, Some(svc)) => {
            let sp = path.child("service");
            if svc.name.is_empty() {
                errs.push(FieldError::required(&sp.child("name"), ""));
            } else {
                errs.extend(invalid_each(
                    &sp.child("name"),
                    &svc.name,
                    name_is_dns1035_label(&svc.name, false),
                ));
            }
            let port = svc.port.clone().unwrap_or_default();
            let name = s(&port.name);
            let number = port.number.unwrap_or(0);
            match (!name.is_empty(), number != 0) {
                (true, true) => errs.push(FieldError::invalid(
                    path,
                    "",
                    "cannot set both port name & port number",
                )),
                (true, false) => errs.extend(invalid_each(
                    &sp.child("port").child("name"),
                    name,
                    is_valid_port_name(name),
                )),
                (false, true) => {
                    for m in is_valid_port_num(i64::from(number)) {
                        errs.push(FieldError::invalid(
                            &sp.child("port").child("number"),
                            number,
                            m,
                        ));
                    }
                }
                (false, false) => errs.push(FieldError::required(
                    path,
                    "port name or number is required",
                )),
            }
        }
        (None, None) => errs.push(FieldError::invalid(
            path,
            "",
            "resource or service backend is required",
        )),
    }
    errs
}

/// `validateHTTPIngressPath`: a supported pathType (required: v1 has no default), an
/// absolute path for Exact and Prefix without `//`, `/./`, … and a valid backend.
fn validate_http_ingress_path(
    p: &k8s_openapi::api::networking::v1::HTTPIngressPath,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    if p.path_type.is_empty() {
        return vec![FieldError::required(
            &path.child("pathType"),
            "pathType must be specified",
        )];
    }
    let value = s(&p.path);
    match p.path_type.as_str() {
        "Exact" | "Prefix" => {
            if !value.starts_with('/') {
                errs.push(FieldError::invalid(
                    &path.child("path"),
                    value,
                    "must be an absolute path",
                ));
            }
            if !value.is_empty() {
                for seq in INVALID_PATH_SEQUENCES {
                    if value.contains(seq) {
                        errs.push(FieldError::invalid(
                            &path.child("path"),
                            value,
                            format!("must not contain '{seq}'"),
                        ));
                    }
                }
                for suffix in INVALID_PATH_SUFFIXES {
                    if value.ends_with(suffix) {
                        errs.push(FieldError::invalid(
                            &path.child("path"),
                            value,
                            format!("cannot end with '{suffix}'"),
                        ));
                    }
                }
            }
        }
        "ImplementationSpecific" => {
            if !value.is_empty() && !value.starts_with('/') {
                errs.push(FieldError::invalid(
                    &path.child("path"),
                    value,
                    "must be an absolute path",
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            &path.child("pathType"),
            other,
            SUPPORTED_PATH_TYPES,
        )),
    }
    errs.extend(validate_ingress_backend(&p.backend, &path.child("backend")));
    errs
}

fn validate_ingress_rule_value(rule: &IngressRule, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(http) = &rule.http {
        let hp = path.child("http");
        if http.paths.is_empty() {
            errs.push(FieldError::required(&hp.child("paths"), ""));
        }
        for (i, p) in http.paths.iter().enumerate() {
            errs.extend(validate_http_ingress_path(p, &hp.child("paths").index(i)));
        }
    }
    errs
}

/// `validateIngressRules`: hosts are DNS names (wildcards allowed), not IPs.
fn validate_ingress_rules(rules: &[IngressRule], path: &Path, opts: IngressOptions) -> ErrorList {
    let mut errs = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let rp = path.index(i);
        let host = s(&rule.host);
        let mut wildcard = false;
        if !host.is_empty() {
            if parse_ip_sloppy(host).is_some() {
                errs.push(FieldError::invalid(
                    &rp.child("host"),
                    host,
                    "must be a DNS name, not an IP address",
                ));
            }
            if host.contains('*') {
                errs.extend(invalid_each(
                    &rp.child("host"),
                    host,
                    is_wildcard_dns1123_subdomain(host),
                ));
                wildcard = true;
            } else {
                errs.extend(invalid_each(
                    &rp.child("host"),
                    host,
                    is_dns1123_subdomain(host),
                ));
            }
        }
        if !wildcard || !opts.allow_invalid_wildcard_host_rule {
            errs.extend(validate_ingress_rule_value(rule, &rp));
        }
    }
    errs
}

fn validate_ingress_tls(spec: &IngressSpec, path: &Path, opts: IngressOptions) -> ErrorList {
    let mut errs = Vec::new();
    for (i, tls) in spec.tls.iter().flatten().enumerate() {
        let tp = path.index(i);
        for (j, host) in tls.hosts.iter().flatten().enumerate() {
            let msgs = if host.contains('*') {
                is_wildcard_dns1123_subdomain(host)
            } else {
                is_dns1123_subdomain(host)
            };
            errs.extend(invalid_each(&tp.child("hosts").index(j), host, msgs));
        }
        if !opts.allow_invalid_secret_name {
            let name = s(&tls.secret_name);
            errs.extend(invalid_each(
                &tp.child("secretName"),
                name,
                validate_tls_secret_name(name),
            ));
        }
    }
    errs
}

/// `ValidateIngressSpec`.
fn validate_ingress_spec(spec: &IngressSpec, path: &Path, opts: IngressOptions) -> ErrorList {
    let mut errs = Vec::new();
    let rules = spec.rules.as_deref().unwrap_or_default();
    if rules.is_empty() && spec.default_backend.is_none() {
        let repr = if spec.rules.is_some() {
            "[]networking.IngressRule{}"
        } else {
            "[]networking.IngressRule(nil)"
        };
        errs.push(invalid_repr(
            path,
            repr,
            "either `defaultBackend` or `rules` must be specified",
        ));
    }
    if let Some(b) = &spec.default_backend {
        errs.extend(validate_ingress_backend(b, &path.child("defaultBackend")));
    }
    if !rules.is_empty() {
        errs.extend(validate_ingress_rules(rules, &path.child("rules"), opts));
    }
    if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) {
        errs.extend(validate_ingress_tls(spec, &path.child("tls"), opts));
    }
    if let Some(class) = &spec.ingress_class_name {
        errs.extend(invalid_each(
            &path.child("ingressClassName"),
            class,
            name_is_dns_subdomain(class, false),
        ));
    }
    errs
}

fn validate_ingress(ing: &Ingress, opts: IngressOptions) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &ing.metadata,
        true,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    errs.extend(validate_ingress_spec(
        &ing.spec.clone().unwrap_or_default(),
        &root("spec"),
        opts,
    ));
    errs
}

/// `ValidateIngressCreate`: the ingress, and an ingress-class annotation that agrees with
/// `ingressClassName`.
pub fn validate_ingress_create(ing: &Ingress) -> ErrorList {
    let mut errs = validate_ingress(ing, IngressOptions::default());
    let annotation = ing
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ANNOTATION_INGRESS_CLASS));
    let class = ing
        .spec
        .as_ref()
        .and_then(|s| s.ingress_class_name.as_ref());
    if let (Some(a), Some(c)) = (annotation, class)
        && a != c
    {
        errs.push(FieldError::invalid(
            &root("annotations").child(ANNOTATION_INGRESS_CLASS),
            a.as_str(),
            "must match `ingressClassName` when both are specified",
        ));
    }
    errs
}

/// `ValidateIngressUpdate`: stored objects with invalid TLS secret names or invalid rules
/// under wildcard hosts may keep them.
pub fn validate_ingress_update(new: &Ingress, old: &Ingress) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &root("metadata"));
    let old_spec = old.spec.clone().unwrap_or_default();
    let opts = IngressOptions {
        allow_invalid_secret_name: old_spec
            .tls
            .iter()
            .flatten()
            .any(|t| !validate_tls_secret_name(s(&t.secret_name)).is_empty()),
        allow_invalid_wildcard_host_rule: old_spec.rules.iter().flatten().any(|r| {
            s(&r.host).contains('*') && !validate_ingress_rule_value(r, &Path::default()).is_empty()
        }),
    };
    errs.extend(validate_ingress(new, opts));
    errs
}

/// `ValidateIngressLoadBalancerStatus`.
fn validate_ingress_load_balancer_status(
    status: &IngressLoadBalancerStatus,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    for (i, ing) in status.ingress.iter().flatten().enumerate() {
        let ip_path = path.child("ingress").index(i);
        let ip = s(&ing.ip);
        if !ip.is_empty() {
            errs.extend(validate_ip_legacy(&ip_path.child("ip"), ip));
        }
        let host = s(&ing.hostname);
        if !host.is_empty() {
            errs.extend(invalid_each(
                &ip_path.child("hostname"),
                host,
                is_dns1123_subdomain(host),
            ));
            if parse_ip_sloppy(host).is_some() {
                errs.push(FieldError::invalid(
                    &ip_path.child("hostname"),
                    host,
                    "must be a DNS name, not an IP address",
                ));
            }
        }
    }
    errs
}

/// `ValidateIngressStatusUpdate`.
pub fn validate_ingress_status_update(new: &Ingress, old: &Ingress) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &root("metadata"));
    let lb = new
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.clone())
        .unwrap_or_default();
    errs.extend(validate_ingress_load_balancer_status(
        &lb,
        &root("status").child("loadBalancer"),
    ));
    errs
}

// ---------------------------------------------------------------------------------------------
// IngressClass

/// `validateIngressClassParametersReference`.
fn validate_parameters_reference(p: &IngressClassParametersReference, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(g) = &p.api_group {
        errs.extend(invalid_each(
            &path.child("apiGroup"),
            g,
            is_dns1123_subdomain(g),
        ));
    }
    if p.kind.is_empty() {
        errs.push(FieldError::required(&path.child("kind"), ""));
    } else {
        errs.extend(invalid_each(
            &path.child("kind"),
            &p.kind,
            validate_path_segment_name(&p.kind, false),
        ));
    }
    if p.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else {
        errs.extend(invalid_each(
            &path.child("name"),
            &p.name,
            validate_path_segment_name(&p.name, false),
        ));
    }
    let Some(scope) = p.scope.as_deref() else {
        errs.push(FieldError::required(&path.child("scope"), ""));
        return errs;
    };
    match scope {
        "Namespace" => match p.namespace.as_deref() {
            None => errs.push(FieldError::required(
                &path.child("namespace"),
                "`parameters.scope` is set to 'Namespace'",
            )),
            Some(ns) => errs.extend(invalid_each(
                &path.child("namespace"),
                ns,
                name_is_dns_label(ns, false),
            )),
        },
        "Cluster" => {
            if p.namespace.is_some() {
                errs.push(FieldError::forbidden(
                    &path.child("namespace"),
                    "`parameters.scope` is set to 'Cluster'",
                ));
            }
        }
        other => errs.push(not_supported_repr(
            &path.child("scope"),
            &go_quote(other),
            &["Cluster", "Namespace"],
        )),
    }
    errs
}

/// `validateIngressClassSpec`: a controller (a domain-prefixed path of at most 250 bytes)
/// and valid parameters.
fn validate_ingress_class_spec(spec: &IngressClassSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let controller = s(&spec.controller);
    let cp = path.child("controller");
    if controller.is_empty() {
        errs.push(FieldError::required(&cp, ""));
    } else {
        if controller.len() > MAX_LEN_INGRESS_CLASS_CONTROLLER {
            errs.push(too_long(&cp, MAX_LEN_INGRESS_CLASS_CONTROLLER));
        }
        errs.extend(is_domain_prefixed_path(&cp, controller));
    }
    if let Some(p) = &spec.parameters {
        errs.extend(validate_parameters_reference(p, &path.child("parameters")));
    }
    errs
}

/// `ValidateIngressClass`.
pub fn validate_ingress_class_create(ic: &IngressClass) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &ic.metadata,
        false,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    errs.extend(validate_ingress_class_spec(
        &ic.spec.clone().unwrap_or_default(),
        &root("spec"),
    ));
    errs
}

/// `ValidateIngressClassUpdate`: the controller is immutable.
pub fn validate_ingress_class_update(new: &IngressClass, old: &IngressClass) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &root("metadata"));
    let controller = |ic: &IngressClass| {
        ic.spec
            .as_ref()
            .and_then(|s| s.controller.clone())
            .unwrap_or_default()
    };
    if controller(new) != controller(old) {
        errs.push(FieldError::invalid(
            &root("spec").child("controller"),
            controller(new),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs.extend(validate_ingress_class_create(new));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn msgs(errs: ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    fn ingress(spec: Value) -> Ingress {
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default"}, "spec": spec
        }))
        .expect("decodes")
    }

    fn backend() -> Value {
        json!({"service": {"name": "web", "port": {"number": 80}}})
    }

    #[test]
    fn an_ingress_needs_rules_or_a_default_backend() {
        assert_eq!(
            msgs(validate_ingress_create(&ingress(json!({})))),
            vec![
                "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"
            ]
        );
        assert!(validate_ingress_create(&ingress(json!({"defaultBackend": backend()}))).is_empty());
    }

    #[test]
    fn path_type_is_required_and_must_be_supported() {
        let ing = ingress(
            json!({"rules": [{"host": "a.example.com", "http": {"paths": [
                {"path": "/", "backend": backend()},
                {"path": "/x", "pathType": "Regex", "backend": backend()},
                {"path": "x", "pathType": "Prefix", "backend": backend()},
                {"path": "/a//b", "pathType": "Exact", "backend": backend()},
            ]}}]}),
        );
        assert_eq!(
            msgs(validate_ingress_create(&ing)),
            vec![
                "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
                "spec.rules[0].http.paths[1].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
                "spec.rules[0].http.paths[2].path: Invalid value: \"x\": must be an absolute path",
                "spec.rules[0].http.paths[3].path: Invalid value: \"/a//b\": must not contain '//'",
            ]
        );
    }

    #[test]
    fn backends_need_a_service_port_and_not_both_kinds() {
        let ing = ingress(json!({"rules": [{"http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web"}}},
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "Web", "port": {"name": "http", "number": 80}}}},
            {"path": "/", "pathType": "Prefix", "backend": {}},
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "w", "port": {"number": 70000}}}},
        ]}}]}));
        let m = msgs(validate_ingress_create(&ing));
        assert_eq!(
            m[0],
            "spec.rules[0].http.paths[0].backend: Required value: port name or number is required"
        );
        assert!(m[1].starts_with(
            "spec.rules[0].http.paths[1].backend.service.name: Invalid value: \"Web\": a DNS-1035 label"
        ));
        assert_eq!(
            m[2],
            "spec.rules[0].http.paths[1].backend: Invalid value: \"\": cannot set both port name & port number"
        );
        assert_eq!(
            m[3],
            "spec.rules[0].http.paths[2].backend: Invalid value: \"\": resource or service backend is required"
        );
        assert_eq!(
            m[4],
            "spec.rules[0].http.paths[3].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"
        );
        assert_eq!(m.len(), 5);
    }

    #[test]
    fn hosts_are_dns_names_and_may_be_wildcards() {
        let ing = ingress(json!({"rules": [
            {"host": "1.2.3.4"}, {"host": "*.example.com"}, {"host": "a.*.com"}
        ]}));
        let m = msgs(validate_ingress_create(&ing));
        assert_eq!(
            m[0],
            "spec.rules[0].host: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address"
        );
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[1].starts_with("spec.rules[2].host: Invalid value: \"a.*.com\": a wildcard DNS-1123 subdomain must start with '*.'"), "{m:?}");
    }

    #[test]
    fn the_ingress_class_annotation_must_match_the_class_name() {
        let mut ing = ingress(json!({"ingressClassName": "nginx", "defaultBackend": backend()}));
        ing.metadata.annotations =
            Some([(ANNOTATION_INGRESS_CLASS.to_string(), "traefik".to_string())].into());
        assert_eq!(
            msgs(validate_ingress_create(&ing)),
            vec![
                "annotations.kubernetes.io/ingress.class: Invalid value: \"traefik\": must match `ingressClassName` when both are specified"
            ]
        );
    }

    #[test]
    fn load_balancer_hostnames_may_not_be_ips() {
        let mut ing = ingress(json!({"defaultBackend": backend()}));
        let old = ing.clone();
        ing.metadata.resource_version = Some("1".into());
        ing.status = serde_json::from_value(
            json!({"loadBalancer": {"ingress": [{"ip": "nope"}, {"hostname": "10.0.0.1"}]}}),
        )
        .expect("status");
        assert_eq!(
            msgs(validate_ingress_status_update(&ing, &old)),
            vec![
                "status.loadBalancer.ingress[0].ip: Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                "status.loadBalancer.ingress[1].hostname: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
            ]
        );
    }

    fn ingress_class(spec: Value) -> IngressClass {
        serde_json::from_value(json!({"metadata": {"name": "nginx"}, "spec": spec}))
            .expect("decodes")
    }

    #[test]
    fn an_ingress_class_needs_a_domain_prefixed_controller() {
        assert_eq!(
            msgs(validate_ingress_class_create(&ingress_class(json!({})))),
            vec!["spec.controller: Required value"]
        );
        assert_eq!(
            msgs(validate_ingress_class_create(&ingress_class(
                json!({"controller": "nginx"})
            ))),
            vec![
                "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")"
            ]
        );
        assert!(
            validate_ingress_class_create(&ingress_class(
                json!({"controller": "k8s.io/ingress-nginx"})
            ))
            .is_empty()
        );
    }

    #[test]
    fn ingress_class_parameters_need_a_namespace_only_in_namespace_scope() {
        let ic = ingress_class(json!({"controller": "example.com/c", "parameters": {
            "kind": "Params", "name": "p", "scope": "Namespace"}}));
        assert_eq!(
            msgs(validate_ingress_class_create(&ic)),
            vec![
                "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"
            ]
        );
        let ic = ingress_class(json!({"controller": "example.com/c", "parameters": {
            "kind": "Params", "name": "p", "scope": "World"}}));
        assert_eq!(
            msgs(validate_ingress_class_create(&ic)),
            vec![
                "spec.parameters.scope: Unsupported value: \"World\": supported values: \"Cluster\", \"Namespace\""
            ]
        );
    }

    #[test]
    fn an_ingress_class_controller_is_immutable() {
        let old = ingress_class(json!({"controller": "example.com/a"}));
        let mut new = ingress_class(json!({"controller": "example.com/b"}));
        new.metadata.resource_version = Some("2".into());
        assert_eq!(
            msgs(validate_ingress_class_update(&new, &old)),
            vec!["spec.controller: Invalid value: \"example.com/b\": field is immutable"]
        );
    }

    fn policy(spec: Value) -> NetworkPolicy {
        serde_json::from_value(json!({
            "metadata": {"name": "deny", "namespace": "default"}, "spec": spec
        }))
        .expect("decodes")
    }

    #[test]
    fn network_policy_ports_and_peers_are_checked() {
        let np = policy(json!({"podSelector": {}, "ingress": [{
            "ports": [{"protocol": "ICMP", "port": 80}, {"port": "http", "endPort": 90},
                      {"port": 100, "endPort": 90}],
            "from": [{}, {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["11.0.0.0/16"]},
                          "podSelector": {}}]
        }]}));
        assert_eq!(
            msgs(validate_network_policy_create(&np)),
            vec![
                "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
                "spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
                "spec.ingress[0].ports[2].endPort: Invalid value: 90: must be greater than or equal to `port`",
                "spec.ingress[0].from[0]: Required value: must specify a peer",
                "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"11.0.0.0/16\": must be a strict subset of `cidr`",
                "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
            ]
        );
    }

    #[test]
    fn network_policy_types_are_ingress_or_egress_and_at_most_two() {
        let np = policy(json!({"policyTypes": ["Ingress", "Sideways"]}));
        assert_eq!(
            msgs(validate_network_policy_create(&np)),
            vec![
                "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\""
            ]
        );
        let np = policy(json!({"policyTypes": ["Ingress", "Egress", "Ingress"]}));
        assert_eq!(
            msgs(validate_network_policy_create(&np)),
            vec![
                "spec.policyTypes: Invalid value: []networking.PolicyType{\"Ingress\", \"Egress\", \"Ingress\"}: may not specify more than two policyTypes"
            ]
        );
    }

    #[test]
    fn an_ip_block_needs_a_valid_cidr() {
        let np = policy(
            json!({"egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/33"}},
                                                   {"ipBlock": {"cidr": ""}}]}]}),
        );
        assert_eq!(
            msgs(validate_network_policy_create(&np)),
            vec![
                "spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                "spec.egress[0].to[1].ipBlock.cidr: Required value",
            ]
        );
    }
}
