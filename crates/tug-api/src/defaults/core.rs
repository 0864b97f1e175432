//! Defaulting of `core/v1` kinds (`pkg/apis/core/v1/defaults.go`, the generated
//! `SetObjectDefaults_*` walk, and the declarative `+default` tags of volume sources).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, ContainerPort, Endpoints, EnvVar, EphemeralContainer, HTTPGetAction, Lifecycle,
    Namespace, NamespaceStatus, Node, Pod, PodSecurityContext, PodSpec, PodTemplateSpec, Probe,
    ResourceRequirements, Secret, Service, ServiceSpec, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::validation::quantity;

/// `kubernetes.io/metadata.name`, the label every namespace carries with its own name.
pub const LABEL_METADATA_NAME: &str = "kubernetes.io/metadata.name";

/// The mode of files in secret, config map, downward API and projected volumes (0644).
pub const VOLUME_DEFAULT_MODE: i32 = 0o644;

fn unset(v: &Option<String>) -> bool {
    v.as_deref().unwrap_or("").is_empty()
}

fn set_str(v: &mut Option<String>, default: &str) {
    if unset(v) {
        *v = Some(default.to_string());
    }
}

/// `SetDefaults_ResourceList`: every quantity rounded up to milli precision, in the
/// canonical form the API server serialises. Unparsable values are left for validation.
pub fn set_defaults_resource_list(list: &mut BTreeMap<String, Quantity>) {
    for v in list.values_mut() {
        if let Some(c) = quantity::canonicalize_milli(&v.0) {
            v.0 = c;
        }
    }
}

/// The tag of an image reference as upstream's `parsers.ParseImageName` sees it: `latest`
/// when neither tag nor digest is given, `None` when there is only a digest or the
/// reference does not parse.
pub fn image_tag(image: &str) -> Option<String> {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    // The tag follows the last ':' after the last '/' (a ':' before it is a registry port).
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    if !valid_repository(repo) {
        return None;
    }
    if let Some(t) = tag
        && !valid_tag(t)
    {
        return None;
    }
    if let Some(d) = digest
        && !valid_digest(d)
    {
        return None;
    }
    match (tag, digest) {
        (Some(t), _) => Some(t.to_string()),
        (None, None) => Some("latest".to_string()),
        (None, Some(_)) => None,
    }
}

/// The repository grammar of the distribution reference (`ParseNormalizedNamed`): an
/// optional registry (which may carry upper case and a port), then lower-case path
/// components separated by `.`, `_`, `__` or dashes.
fn valid_repository(repo: &str) -> bool {
    if repo.is_empty() || repo.len() > 255 {
        return false;
    }
    let mut parts: Vec<&str> = repo.split('/').collect();
    if parts.len() > 1 {
        let first = parts[0];
        let is_domain = first.contains('.') || first.contains(':') || first == "localhost";
        if is_domain || first.chars().any(|c| c.is_ascii_uppercase()) {
            if !first
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            {
                return false;
            }
            parts.remove(0);
        }
    }
    parts.iter().all(|p| valid_path_component(p))
}

fn valid_path_component(p: &str) -> bool {
    let b = p.as_bytes();
    if b.is_empty() || !is_alnum_lower(b[0]) || !is_alnum_lower(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if is_alnum_lower(c) {
            i += 1;
            continue;
        }
        // separators: '.', '_', '__', or one or more '-'
        let start = i;
        while i < b.len() && !is_alnum_lower(b[i]) {
            i += 1;
        }
        let sep = &p[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn is_alnum_lower(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn valid_digest(d: &str) -> bool {
    match d.split_once(':') {
        Some((alg, hex)) => {
            !alg.is_empty()
                && alg.bytes().all(|c| {
                    c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || matches!(c, b'+' | b'.' | b'_' | b'-')
                })
                && hex.len() >= 32
                && hex.bytes().all(|c| c.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// The pull policy upstream defaults for an image: `Always` for a `latest` tag (or no tag
/// and no digest), `IfNotPresent` otherwise (including digests and unparsable references).
pub fn default_pull_policy(image: &str) -> &'static str {
    if image_tag(image).as_deref() == Some("latest") {
        "Always"
    } else {
        "IfNotPresent"
    }
}

fn set_defaults_http_get(h: &mut HTTPGetAction) {
    set_str(&mut h.path, "/");
    set_str(&mut h.scheme, "HTTP");
}

fn set_defaults_probe(p: &mut Probe) {
    for (v, d) in [
        (&mut p.timeout_seconds, 1),
        (&mut p.period_seconds, 10),
        (&mut p.success_threshold, 1),
        (&mut p.failure_threshold, 3),
    ] {
        if v.unwrap_or(0) == 0 {
            *v = Some(d);
        }
    }
    if let Some(h) = p.http_get.as_mut() {
        set_defaults_http_get(h);
    }
}

fn set_defaults_lifecycle(l: &mut Lifecycle) {
    for h in [l.post_start.as_mut(), l.pre_stop.as_mut()]
        .into_iter()
        .flatten()
    {
        if let Some(g) = h.http_get.as_mut() {
            set_defaults_http_get(g);
        }
    }
}

fn set_defaults_ports(ports: &mut Option<Vec<ContainerPort>>) {
    for p in ports.iter_mut().flatten() {
        set_str(&mut p.protocol, "TCP");
    }
}

fn set_defaults_env(env: &mut Option<Vec<EnvVar>>) {
    for e in env.iter_mut().flatten() {
        if let Some(f) = e.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            set_str(&mut f.api_version, "v1");
        }
    }
}

fn set_defaults_resources(r: &mut Option<ResourceRequirements>) {
    // Go always serialises the struct, so an unset one reads back as `resources: {}`.
    let r = r.get_or_insert_with(ResourceRequirements::default);
    for list in [r.limits.as_mut(), r.requests.as_mut()]
        .into_iter()
        .flatten()
    {
        set_defaults_resource_list(list);
    }
}

/// The fields shared by containers and ephemeral containers.
struct ContainerFields<'a> {
    image: &'a Option<String>,
    image_pull_policy: &'a mut Option<String>,
    termination_message_path: &'a mut Option<String>,
    termination_message_policy: &'a mut Option<String>,
    ports: &'a mut Option<Vec<ContainerPort>>,
    env: &'a mut Option<Vec<EnvVar>>,
    resources: &'a mut Option<ResourceRequirements>,
    probes: [&'a mut Option<Probe>; 3],
    lifecycle: &'a mut Option<Lifecycle>,
}

fn set_defaults_container_fields(c: ContainerFields<'_>) {
    if unset(c.image_pull_policy) {
        *c.image_pull_policy =
            Some(default_pull_policy(c.image.as_deref().unwrap_or("")).to_string());
    }
    set_str(c.termination_message_path, "/dev/termination-log");
    set_str(c.termination_message_policy, "File");
    set_defaults_ports(c.ports);
    set_defaults_env(c.env);
    set_defaults_resources(c.resources);
    for p in c.probes.into_iter().flat_map(|p| p.as_mut()) {
        set_defaults_probe(p);
    }
    if let Some(l) = c.lifecycle.as_mut() {
        set_defaults_lifecycle(l);
    }
}

/// `SetDefaults_Container` and the defaults of everything a container holds (ports,
/// env field references, resources, probes, lifecycle handlers).
pub fn set_defaults_container(c: &mut Container) {
    set_defaults_container_fields(ContainerFields {
        image: &c.image,
        image_pull_policy: &mut c.image_pull_policy,
        termination_message_path: &mut c.termination_message_path,
        termination_message_policy: &mut c.termination_message_policy,
        ports: &mut c.ports,
        env: &mut c.env,
        resources: &mut c.resources,
        probes: [
            &mut c.liveness_probe,
            &mut c.readiness_probe,
            &mut c.startup_probe,
        ],
        lifecycle: &mut c.lifecycle,
    });
}

/// `SetDefaults_EphemeralContainer` (the container defaults).
pub fn set_defaults_ephemeral_container(c: &mut EphemeralContainer) {
    set_defaults_container_fields(ContainerFields {
        image: &c.image,
        image_pull_policy: &mut c.image_pull_policy,
        termination_message_path: &mut c.termination_message_path,
        termination_message_policy: &mut c.termination_message_policy,
        ports: &mut c.ports,
        env: &mut c.env,
        resources: &mut c.resources,
        probes: [
            &mut c.liveness_probe,
            &mut c.readiness_probe,
            &mut c.startup_probe,
        ],
        lifecycle: &mut c.lifecycle,
    });
}

fn volume_has_source(v: &Volume) -> bool {
    v.aws_elastic_block_store.is_some()
        || v.azure_disk.is_some()
        || v.azure_file.is_some()
        || v.cephfs.is_some()
        || v.cinder.is_some()
        || v.config_map.is_some()
        || v.csi.is_some()
        || v.downward_api.is_some()
        || v.empty_dir.is_some()
        || v.ephemeral.is_some()
        || v.fc.is_some()
        || v.flex_volume.is_some()
        || v.flocker.is_some()
        || v.gce_persistent_disk.is_some()
        || v.git_repo.is_some()
        || v.glusterfs.is_some()
        || v.host_path.is_some()
        || v.image.is_some()
        || v.iscsi.is_some()
        || v.nfs.is_some()
        || v.persistent_volume_claim.is_some()
        || v.photon_persistent_disk.is_some()
        || v.portworx_volume.is_some()
        || v.projected.is_some()
        || v.quobyte.is_some()
        || v.rbd.is_some()
        || v.scale_io.is_some()
        || v.secret.is_some()
        || v.storageos.is_some()
        || v.vsphere_volume.is_some()
}

fn set_mode(mode: &mut Option<i32>) {
    if mode.is_none() {
        *mode = Some(VOLUME_DEFAULT_MODE);
    }
}

/// `SetDefaults_Volume` (a volume without a source is an `emptyDir`) and the defaults of
/// its source.
pub fn set_defaults_volume(v: &mut Volume) {
    if !volume_has_source(v) {
        v.empty_dir = Some(Default::default());
    }
    if let Some(s) = v.secret.as_mut() {
        set_mode(&mut s.default_mode);
    }
    if let Some(s) = v.config_map.as_mut() {
        set_mode(&mut s.default_mode);
    }
    if let Some(s) = v.downward_api.as_mut() {
        set_mode(&mut s.default_mode);
        for item in s.items.iter_mut().flatten() {
            if let Some(f) = item.field_ref.as_mut() {
                set_str(&mut f.api_version, "v1");
            }
        }
    }
    if let Some(p) = v.projected.as_mut() {
        set_mode(&mut p.default_mode);
        for src in p.sources.iter_mut().flatten() {
            if let Some(d) = src.downward_api.as_mut() {
                for item in d.items.iter_mut().flatten() {
                    if let Some(f) = item.field_ref.as_mut() {
                        set_str(&mut f.api_version, "v1");
                    }
                }
            }
            if let Some(t) = src.service_account_token.as_mut()
                && t.expiration_seconds.is_none()
            {
                t.expiration_seconds = Some(3600);
            }
        }
    }
    if let Some(h) = v.host_path.as_mut() {
        // `HostPathUnset` is the empty string, which Go serialises: `type: ""`.
        if h.type_.is_none() {
            h.type_ = Some(String::new());
        }
    }
    if let Some(i) = v.iscsi.as_mut() {
        set_str(&mut i.iscsi_interface, "default");
    }
    if let Some(r) = v.rbd.as_mut() {
        set_str(&mut r.pool, "rbd");
        set_str(&mut r.user, "admin");
        set_str(&mut r.keyring, "/etc/ceph/keyring");
    }
    if let Some(a) = v.azure_disk.as_mut() {
        set_str(&mut a.caching_mode, "ReadWrite");
        set_str(&mut a.fs_type, "ext4");
        if a.read_only.is_none() {
            a.read_only = Some(false);
        }
        set_str(&mut a.kind, "Shared");
    }
    if let Some(s) = v.scale_io.as_mut() {
        set_str(&mut s.storage_mode, "ThinProvisioned");
        set_str(&mut s.fs_type, "xfs");
    }
}

/// `SetDefaults_PodSpec` and everything a pod spec holds (containers, init and ephemeral
/// containers, volumes): what pods and pod templates share.
pub fn set_defaults_pod_spec(spec: &mut PodSpec) {
    set_str(&mut spec.dns_policy, "ClusterFirst");
    set_str(&mut spec.restart_policy, "Always");
    if spec.security_context.is_none() {
        spec.security_context = Some(PodSecurityContext::default());
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(30);
    }
    set_str(&mut spec.scheduler_name, "default-scheduler");
    // Conversion, not defaulting: `serviceAccount` is the deprecated alias of
    // `serviceAccountName`, read when the name is empty and always written back as it.
    if unset(&spec.service_account_name) && !unset(&spec.service_account) {
        spec.service_account_name.clone_from(&spec.service_account);
    }
    if !unset(&spec.service_account_name) {
        spec.service_account.clone_from(&spec.service_account_name);
    }
    for v in spec.volumes.iter_mut().flatten() {
        set_defaults_volume(v);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        set_defaults_container(c);
    }
    for c in spec.containers.iter_mut() {
        set_defaults_container(c);
    }
    for c in spec.ephemeral_containers.iter_mut().flatten() {
        set_defaults_ephemeral_container(c);
    }
    if let Some(r) = spec.overhead.as_mut() {
        set_defaults_resource_list(r);
    }
}

/// Defaults of a pod template (Deployment, ReplicaSet): the pod-spec defaults only;
/// `SetDefaults_Pod` (requests from limits, `enableServiceLinks`) is for pods alone.
pub fn set_defaults_pod_template(t: &mut PodTemplateSpec) {
    if let Some(spec) = t.spec.as_mut() {
        set_defaults_pod_spec(spec);
    }
}

/// Requests default to limits for every resource with a limit and no request.
fn requests_from_limits(r: &mut Option<ResourceRequirements>) {
    let Some(r) = r.as_mut() else { return };
    let Some(limits) = r.limits.as_ref().filter(|l| !l.is_empty()) else {
        return;
    };
    let requests = r.requests.get_or_insert_with(BTreeMap::new);
    for (k, v) in limits {
        requests.entry(k.clone()).or_insert_with(|| v.clone());
    }
}

fn default_host_network_ports(containers: &mut [Container]) {
    for c in containers {
        for p in c.ports.iter_mut().flatten() {
            if p.host_port.unwrap_or(0) == 0 {
                p.host_port = Some(p.container_port);
            }
        }
    }
}

/// `SetObjectDefaults_Pod`: the pod-spec defaults, then `SetDefaults_Pod` (requests from
/// limits for containers and init containers, `enableServiceLinks: true`, host ports of
/// host-network pods).
pub fn set_object_defaults_pod(pod: &mut Pod) {
    if let Some(st) = pod.status.as_mut() {
        sync_status_ips(st);
    }
    let Some(spec) = pod.spec.as_mut() else {
        return;
    };
    set_defaults_pod_spec(spec);
    for c in spec.containers.iter_mut() {
        requests_from_limits(&mut c.resources);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        requests_from_limits(&mut c.resources);
    }
    if spec.enable_service_links.is_none() {
        spec.enable_service_links = Some(true);
    }
    if spec.host_network == Some(true) {
        default_host_network_ports(&mut spec.containers);
        if let Some(ic) = spec.init_containers.as_mut() {
            default_host_network_ports(ic);
        }
    }
}

/// Conversion of the singular and plural IP fields of a pod status: a client that sends
/// only `podIP`/`hostIP` gets the lists, and the singular fields always mirror the first
/// entry of the lists.
fn sync_status_ips(st: &mut k8s_openapi::api::core::v1::PodStatus) {
    use k8s_openapi::api::core::v1::{HostIP, PodIP};
    if st.pod_ips.as_ref().is_none_or(|v| v.is_empty()) && !unset(&st.pod_ip) {
        st.pod_ips = Some(vec![PodIP {
            ip: s_owned(&st.pod_ip),
        }]);
    }
    if let Some(first) = st.pod_ips.as_ref().and_then(|v| v.first()) {
        st.pod_ip = Some(first.ip.clone());
    }
    if st.host_ips.as_ref().is_none_or(|v| v.is_empty()) && !unset(&st.host_ip) {
        st.host_ips = Some(vec![HostIP {
            ip: s_owned(&st.host_ip),
        }]);
    }
    if let Some(first) = st.host_ips.as_ref().and_then(|v| v.first()) {
        st.host_ip = Some(first.ip.clone());
    }
}

fn s_owned(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The ServiceAccount admission plugin's mutation (`plugin/pkg/admission/serviceaccount`),
/// which upstream runs on pod create before the registry: a pod without a service account
/// runs as `default`, and the deprecated `serviceAccount` alias mirrors the name (the
/// conversion to v1 fills it). Mounting the token volume is not done here.
pub fn admit_default_service_account(spec: &mut PodSpec) {
    if unset(&spec.service_account_name) {
        spec.service_account_name = if unset(&spec.service_account) {
            Some("default".to_string())
        } else {
            spec.service_account.clone()
        };
    }
    spec.service_account.clone_from(&spec.service_account_name);
}

/// `service.ExternallyAccessible`: load balancers, node ports, and cluster IPs with
/// external IPs.
pub fn externally_accessible(spec: &ServiceSpec) -> bool {
    match spec.type_.as_deref().unwrap_or("") {
        "LoadBalancer" | "NodePort" => true,
        "ClusterIP" => spec.external_ips.as_ref().is_some_and(|v| !v.is_empty()),
        _ => false,
    }
}

/// `SetObjectDefaults_Service`: session affinity `None` (ClientIP gets a 10800 s timeout),
/// type `ClusterIP`, port protocol `TCP` and target port = port, external traffic policy
/// `Cluster` when externally accessible, internal traffic policy `Cluster` (all but
/// ExternalName), `allocateLoadBalancerNodePorts: true` and load-balancer ingress
/// `ipMode: VIP` for load balancers.
pub fn set_object_defaults_service(svc: &mut Service) {
    let spec = svc.spec.get_or_insert_with(ServiceSpec::default);
    set_str(&mut spec.session_affinity, "None");
    match spec.session_affinity.as_deref() {
        Some("None") => spec.session_affinity_config = None,
        Some("ClientIP") => {
            let has_timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds)
                .is_some();
            if !has_timeout {
                spec.session_affinity_config =
                    Some(k8s_openapi::api::core::v1::SessionAffinityConfig {
                        client_ip: Some(k8s_openapi::api::core::v1::ClientIPConfig {
                            timeout_seconds: Some(10800),
                        }),
                    });
            }
        }
        _ => {}
    }
    set_str(&mut spec.type_, "ClusterIP");
    for p in spec.ports.iter_mut().flatten() {
        set_str(&mut p.protocol, "TCP");
        let unset_target = match &p.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset_target {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    if externally_accessible(spec) && unset(&spec.external_traffic_policy) {
        spec.external_traffic_policy = Some("Cluster".to_string());
    }
    let ty = spec.type_.clone().unwrap_or_default();
    if spec.internal_traffic_policy.is_none()
        && matches!(ty.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP")
    {
        spec.internal_traffic_policy = Some("Cluster".to_string());
    }
    if ty == "LoadBalancer" {
        if spec.allocate_load_balancer_node_ports.is_none() {
            spec.allocate_load_balancer_node_ports = Some(true);
        }
        let ingress = svc
            .status
            .as_mut()
            .and_then(|s| s.load_balancer.as_mut())
            .and_then(|lb| lb.ingress.as_mut());
        for ing in ingress.into_iter().flatten() {
            if !unset(&ing.ip) && ing.ip_mode.is_none() {
                ing.ip_mode = Some("VIP".to_string());
            }
        }
    }
}

/// `SetObjectDefaults_Namespace`: the `kubernetes.io/metadata.name` label (for named
/// namespaces) and phase `Active`.
pub fn set_object_defaults_namespace(ns: &mut Namespace) {
    if let Some(name) = ns.metadata.name.clone().filter(|n| !n.is_empty()) {
        ns.metadata
            .labels
            .get_or_insert_with(BTreeMap::new)
            .insert(LABEL_METADATA_NAME.to_string(), name);
    }
    let status = ns.status.get_or_insert_with(NamespaceStatus::default);
    set_str(&mut status.phase, "Active");
}

/// `SetObjectDefaults_Node`: allocatable defaults to capacity; quantities rounded.
pub fn set_object_defaults_node(node: &mut Node) {
    let Some(status) = node.status.as_mut() else {
        return;
    };
    if status.allocatable.is_none() && status.capacity.is_some() {
        status.allocatable.clone_from(&status.capacity);
    }
    for list in [status.capacity.as_mut(), status.allocatable.as_mut()]
        .into_iter()
        .flatten()
    {
        set_defaults_resource_list(list);
    }
}

/// `SetObjectDefaults_Secret`: type `Opaque`; and the v1 conversion that merges
/// `stringData` into `data` (a `stringData` key wins) so that `stringData` is never stored.
pub fn set_object_defaults_secret(secret: &mut Secret) {
    set_str(&mut secret.type_, "Opaque");
    if let Some(sd) = secret.string_data.take() {
        let data = secret.data.get_or_insert_with(BTreeMap::new);
        for (k, v) in sd {
            data.insert(k, k8s_openapi::ByteString(v.into_bytes()));
        }
    }
}

/// `SetObjectDefaults_Endpoints`: port protocol `TCP`.
pub fn set_object_defaults_endpoints(ep: &mut Endpoints) {
    for ss in ep.subsets.iter_mut().flatten() {
        for p in ss.ports.iter_mut().flatten() {
            set_str(&mut p.protocol, "TCP");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pull_policy_is_always_for_latest_or_untagged_images_and_if_not_present_otherwise() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_pull_policy("localhost:5000/team/nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:1.25"), "IfNotPresent");
        assert_eq!(
            default_pull_policy("localhost:5000/nginx:1.25"),
            "IfNotPresent"
        );
        let digest = format!("nginx@sha256:{}", "a".repeat(64));
        assert_eq!(default_pull_policy(&digest), "IfNotPresent");
        let both = format!("nginx:latest@sha256:{}", "a".repeat(64));
        assert_eq!(default_pull_policy(&both), "Always");
        // references that do not parse fall back to IfNotPresent, as upstream ignores the error
        assert_eq!(default_pull_policy("Nginx"), "IfNotPresent");
        assert_eq!(default_pull_policy(""), "IfNotPresent");
    }

    #[test]
    fn a_bare_pod_gets_upstreams_pod_and_container_defaults() {
        let mut pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.25",
                "ports": [{"containerPort": 80}],
                "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                "livenessProbe": {"httpGet": {"port": 80}},
                "resources": {"limits": {"cpu": "0.5"}}}],
                "volumes": [{"name": "a"}, {"name": "b", "secret": {"secretName": "s"}}]}
        }))
        .expect("decodes");
        set_object_defaults_pod(&mut pod);
        let v = serde_json::to_value(&pod).expect("encodes");
        let spec = &v["spec"];
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["dnsPolicy"], "ClusterFirst");
        assert_eq!(spec["schedulerName"], "default-scheduler");
        assert_eq!(spec["terminationGracePeriodSeconds"], 30);
        assert_eq!(spec["securityContext"], json!({}));
        assert_eq!(spec["enableServiceLinks"], true);
        let c = &spec["containers"][0];
        assert_eq!(c["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c["terminationMessagePolicy"], "File");
        assert_eq!(c["ports"][0]["protocol"], "TCP");
        assert_eq!(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
        assert_eq!(
            c["livenessProbe"],
            json!({"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                   "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
        );
        assert_eq!(
            c["resources"],
            json!({"limits": {"cpu": "500m"}, "requests": {"cpu": "500m"}})
        );
        assert_eq!(spec["volumes"][0], json!({"name": "a", "emptyDir": {}}));
        assert_eq!(spec["volumes"][1]["secret"]["defaultMode"], 420);
    }

    #[test]
    fn defaulting_a_pod_twice_changes_nothing() {
        let mut pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {"limits": {"memory": "1.5Gi"}}}]}
        }))
        .expect("decodes");
        set_object_defaults_pod(&mut pod);
        let once = pod.clone();
        set_object_defaults_pod(&mut pod);
        assert_eq!(pod, once);
        let limits = once
            .spec
            .and_then(|s| s.containers[0].resources.clone())
            .and_then(|r| r.limits);
        assert_eq!(
            limits
                .and_then(|l| l.get("memory").map(|q| q.0.clone()))
                .as_deref(),
            Some("1536Mi")
        );
    }

    #[test]
    fn services_default_to_cluster_ip_with_tcp_ports_targeting_themselves() {
        let mut svc: Service = serde_json::from_value(json!({
            "metadata": {"name": "s"},
            "spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 443, "targetPort": "https"}]}
        }))
        .expect("decodes");
        set_object_defaults_service(&mut svc);
        let v = serde_json::to_value(&svc).expect("encodes");
        assert_eq!(v["spec"]["sessionAffinity"], "None");
        assert_eq!(
            v["spec"]["ports"][0],
            json!({"port": 80, "protocol": "TCP", "targetPort": 80})
        );
        assert_eq!(v["spec"]["ports"][1]["targetPort"], "https");
        assert_eq!(v["spec"]["externalTrafficPolicy"], "Cluster");
        assert_eq!(v["spec"]["internalTrafficPolicy"], "Cluster");

        let mut plain: Service =
            serde_json::from_value(json!({"metadata": {"name": "s"}, "spec": {}}))
                .expect("decodes");
        set_object_defaults_service(&mut plain);
        let spec = plain.spec.expect("spec");
        assert_eq!(spec.type_.as_deref(), Some("ClusterIP"));
        assert_eq!(spec.external_traffic_policy, None);
    }

    #[test]
    fn a_pod_status_with_only_pod_ip_gets_the_list() {
        let mut pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "status": {"podIP": "10.0.0.5", "hostIPs": [{"ip": "192.168.1.2"}]}
        }))
        .expect("decodes");
        set_object_defaults_pod(&mut pod);
        let st = pod.status.expect("status");
        assert_eq!(
            st.pod_ips.map(|v| v[0].ip.clone()).as_deref(),
            Some("10.0.0.5")
        );
        assert_eq!(st.host_ip.as_deref(), Some("192.168.1.2"));
    }
}
