//! Validation of `core/v1` kinds (`pkg/apis/core/validation/validation.go`, 1.33), with
//! upstream's messages and field paths. Every check collects its errors; nothing stops at
//! the first one except where upstream returns early.
//!
//! Go iterates maps in random order; where upstream's error order depends on it (resource
//! lists, data keys), errors come in key order here.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use k8s_openapi::api::core::v1::{
    ConfigMap, Container, ContainerPort, ContainerStatus, Endpoints, EnvVar, Event, HTTPGetAction,
    KeyToPath, Lifecycle, LifecycleHandler, Namespace, Node, Pod, PodSpec, PodTemplateSpec, Probe,
    ResourceRequirements, Secret, Service, ServiceAccount, ServicePort, Taint, Toleration, Volume,
    VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::meta::{
    validate_annotations, validate_core_object_meta, validate_core_object_meta_update,
    validate_kube_finalizer_name, validate_label_name, validate_labels, validate_object_meta,
    validate_object_meta_update,
};
use super::names::{
    NameFn, inclusive_range_error, is_config_map_key, is_dns1123_label, is_dns1123_subdomain,
    is_http_header_name, is_qualified_name, is_relaxed_env_var_name, is_valid_label_value,
    is_valid_port_name, is_valid_port_num, name_is_dns_label, name_is_dns_subdomain,
    name_is_dns1035_label, parse_ip_sloppy, validate_cidr_legacy, validate_ip_legacy,
    validate_path_segment_name,
};
use super::quantity::Quantity;
use super::{
    IS_NEGATIVE_ERROR_MSG, go_quote, go_string_slice, invalid_repr, s, too_long,
    validate_immutable, validate_nonnegative,
};
use crate::field::{ErrorList, FieldError, Path};

/// `fileModeErrorMsg`.
const FILE_MODE_ERROR_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";
/// `core.MaxSecretSize`: the total size limit of a Secret's or ConfigMap's data (1 MiB).
pub const MAX_SECRET_SIZE: usize = 1024 * 1024;
/// The fields a pod update may change, in the order upstream's Forbidden message lists them.
pub const UPDATABLE_POD_SPEC_FIELDS: &[&str] = &[
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

const SUPPORTED_PORT_PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

fn root(name: &str) -> Path {
    Path::new(name)
}

fn meta_path() -> Path {
    root("metadata")
}

/// `ValidateDNS1123Label`: one Invalid per problem.
pub fn validate_dns1123_label(value: &str, path: &Path) -> ErrorList {
    is_dns1123_label(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

/// `ValidateDNS1123Subdomain`.
pub fn validate_dns1123_subdomain(value: &str, path: &Path) -> ErrorList {
    is_dns1123_subdomain(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

/// `ValidateQualifiedName`.
pub fn validate_qualified_name(value: &str, path: &Path) -> ErrorList {
    is_qualified_name(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

fn name_errors(f: NameFn, value: &str, path: &Path) -> ErrorList {
    f(value, false)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

/// `ValidatePortNumOrName`.
pub fn validate_port_num_or_name(port: &IntOrString, path: &Path) -> ErrorList {
    match port {
        IntOrString::Int(i) => is_valid_port_num(*i as i64)
            .into_iter()
            .map(|m| FieldError::invalid(path, *i, m))
            .collect(),
        IntOrString::String(sv) => is_valid_port_name(sv)
            .into_iter()
            .map(|m| FieldError::invalid(path, sv.as_str(), m))
            .collect(),
    }
}

fn not_supported(path: &Path, value: &str, valid: &[&str]) -> FieldError {
    FieldError::not_supported(path, value, valid)
}

// ---------------------------------------------------------------------------------------
// Resources and QoS

fn parse_q(q: &ApiQuantity) -> Option<Quantity> {
    Quantity::parse(&q.0).ok()
}

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// `helper.IsNativeResource`: no domain, or a `kubernetes.io` domain.
fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `helper.IsOvercommitAllowed`: native resources other than huge pages.
fn is_overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !is_hugepages(name)
}

/// `helper.IsIntegerResourceName`: extended resources (and the legacy attachable counts)
/// must be whole numbers.
fn is_integer_resource_name(name: &str) -> bool {
    !is_native_resource(name) && !name.starts_with("requests.")
}

/// `validateResourceName` + `validateContainerResourceName`.
fn validate_container_resource_name(name: &str, path: &Path) -> ErrorList {
    let mut errs: ErrorList = is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect();
    if !name.contains('/') {
        let standard = matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepages(name);
        if !standard {
            errs.push(FieldError::invalid(
                path,
                name,
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native_resource(name) {
        // An extended resource name is a qualified name outside kubernetes.io with no
        // `requests.` prefix (`IsExtendedResourceName`).
        let ok = !name.starts_with("requests.")
            && is_qualified_name(&format!("requests.{name}")).is_empty();
        if !ok {
            errs.push(FieldError::invalid(
                path,
                name,
                "doesn't follow extended resource name standard",
            ));
        }
    }
    errs
}

/// `ValidateResourceQuantityValue`: non-negative, and whole for integer resources.
fn validate_resource_quantity_value(name: &str, q: &ApiQuantity, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(v) = parse_q(q) else {
        errs.push(FieldError::invalid(
            path,
            q.0.as_str(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ));
        return errs;
    };
    if v.signum() < 0 {
        errs.push(FieldError::invalid(
            path,
            v.canonical(),
            IS_NEGATIVE_ERROR_MSG,
        ));
    }
    if is_integer_resource_name(name) && v.milli_value() % 1000 != 0 {
        errs.push(FieldError::invalid(
            path,
            v.canonical(),
            "must be an integer",
        ));
    }
    errs
}

/// `ValidateContainerResourceRequirements`: names, values, requests ≤ limits (equal for
/// resources that cannot be overcommitted), huge pages only with cpu or memory.
pub fn validate_resource_requirements(r: Option<&ResourceRequirements>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(r) = r else { return errs };
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let empty = BTreeMap::new();
    let limits = r.limits.as_ref().unwrap_or(&empty);
    let requests = r.requests.as_ref().unwrap_or(&empty);
    let (mut lim_cpu_mem, mut req_cpu_mem, mut lim_huge, mut req_huge) =
        (false, false, false, false);
    for (name, q) in limits {
        let p = lim_path.key(name);
        errs.extend(validate_container_resource_name(name, &p));
        errs.extend(validate_resource_quantity_value(name, q, &p));
        lim_huge |= is_hugepages(name);
        lim_cpu_mem |= name == "cpu" || name == "memory";
    }
    for (name, q) in requests {
        let p = req_path.key(name);
        errs.extend(validate_container_resource_name(name, &p));
        errs.extend(validate_resource_quantity_value(name, q, &p));
        match (limits.get(name), parse_q(q)) {
            (Some(lq), Some(rv)) => {
                if let Some(lv) = parse_q(lq) {
                    let ord = rv.cmp_value(&lv);
                    if ord != std::cmp::Ordering::Equal && !is_overcommit_allowed(name) {
                        errs.push(FieldError::invalid(
                            &req_path,
                            rv.canonical(),
                            format!("must be equal to {name} limit of {}", lv.canonical()),
                        ));
                    } else if ord == std::cmp::Ordering::Greater {
                        errs.push(FieldError::invalid(
                            &req_path,
                            rv.canonical(),
                            format!(
                                "must be less than or equal to {name} limit of {}",
                                lv.canonical()
                            ),
                        ));
                    }
                }
            }
            (None, _) if !is_overcommit_allowed(name) => {
                errs.push(FieldError::required(
                    &lim_path,
                    "Limit must be set for non overcommitable resources",
                ));
            }
            _ => {}
        }
        req_huge |= is_hugepages(name);
        req_cpu_mem |= name == "cpu" || name == "memory";
    }
    if !lim_cpu_mem && !req_cpu_mem && (lim_huge || req_huge) {
        errs.push(FieldError::forbidden(
            path,
            "HugePages require cpu or memory",
        ));
    }
    errs
}

/// The QoS class upstream assigns a pod on create (`qos.ComputePodQOS`): `BestEffort`
/// without cpu/memory requests or limits, `Guaranteed` when every container limits both
/// and requests equal limits, `Burstable` otherwise.
pub fn compute_pod_qos(pod: &Pod) -> &'static str {
    let Some(spec) = pod.spec.as_ref() else {
        return "BestEffort";
    };
    let mut requests: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut limits: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut guaranteed = true;
    let all = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten());
    for c in all {
        let r = c.resources.as_ref();
        for (name, q) in r.and_then(|r| r.requests.as_ref()).into_iter().flatten() {
            if name != "cpu" && name != "memory" {
                continue;
            }
            if let Some(v) = parse_q(q).filter(|v| v.signum() > 0) {
                let sum = requests.get(name.as_str()).map_or(v, |acc| acc.add(&v));
                requests.insert(name.as_str(), sum);
            }
        }
        let mut found = BTreeSet::new();
        for (name, q) in r.and_then(|r| r.limits.as_ref()).into_iter().flatten() {
            if name != "cpu" && name != "memory" {
                continue;
            }
            if let Some(v) = parse_q(q).filter(|v| v.signum() > 0) {
                found.insert(name.as_str());
                let sum = limits.get(name.as_str()).map_or(v, |acc| acc.add(&v));
                limits.insert(name.as_str(), sum);
            }
        }
        if !(found.contains("cpu") && found.contains("memory")) {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed {
        for (name, req) in &requests {
            match limits.get(name) {
                Some(lim) if lim.cmp_value(req) == std::cmp::Ordering::Equal => {}
                _ => {
                    guaranteed = false;
                    break;
                }
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

// ---------------------------------------------------------------------------------------
// Volumes

fn validate_path_no_backsteps(target: &str, path: &Path) -> ErrorList {
    if target.replace('\\', "/").split('/').any(|p| p == "..") {
        vec![FieldError::invalid(path, target, "must not contain '..'")]
    } else {
        Vec::new()
    }
}

fn validate_local_descending_path(target: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(FieldError::invalid(path, target, "must be a relative path"));
    }
    errs.extend(validate_path_no_backsteps(target, path));
    errs
}

fn validate_local_non_reserved_path(target: &str, path: &Path) -> ErrorList {
    let mut errs = validate_local_descending_path(target, path);
    if target.starts_with("..") && !target.starts_with("../") {
        errs.push(FieldError::invalid(
            path,
            target,
            "must not start with '..'",
        ));
    }
    errs
}

fn validate_mode(mode: Option<i32>, path: &Path) -> ErrorList {
    match mode {
        Some(m) if !(0..=0o777).contains(&m) => {
            vec![FieldError::invalid(path, m, FILE_MODE_ERROR_MSG)]
        }
        _ => Vec::new(),
    }
}

fn validate_key_to_paths(items: Option<&[KeyToPath]>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, kp) in items.unwrap_or_default().iter().enumerate() {
        let p = path.index(i);
        if kp.key.is_empty() {
            errs.push(FieldError::required(&p.child("key"), ""));
        }
        if kp.path.is_empty() {
            errs.push(FieldError::required(&p.child("path"), ""));
        }
        errs.extend(validate_local_non_reserved_path(&kp.path, &p.child("path")));
        errs.extend(validate_mode(kp.mode, &p.child("mode")));
    }
    errs
}

const HOST_PATH_TYPES: &[&str] = &[
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
];

/// The volume sources set on `v`, in the order upstream's `validateVolumeSource` checks them.
fn volume_sources(v: &Volume) -> Vec<&'static str> {
    let present = [
        ("emptyDir", v.empty_dir.is_some()),
        ("hostPath", v.host_path.is_some()),
        ("gitRepo", v.git_repo.is_some()),
        ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
        ("secret", v.secret.is_some()),
        ("nfs", v.nfs.is_some()),
        ("iscsi", v.iscsi.is_some()),
        ("glusterfs", v.glusterfs.is_some()),
        ("flocker", v.flocker.is_some()),
        ("persistentVolumeClaim", v.persistent_volume_claim.is_some()),
        ("rbd", v.rbd.is_some()),
        ("cinder", v.cinder.is_some()),
        ("cephfs", v.cephfs.is_some()),
        ("quobyte", v.quobyte.is_some()),
        ("downwardAPI", v.downward_api.is_some()),
        ("fc", v.fc.is_some()),
        ("flexVolume", v.flex_volume.is_some()),
        ("configMap", v.config_map.is_some()),
        ("azureFile", v.azure_file.is_some()),
        ("vsphereVolume", v.vsphere_volume.is_some()),
        ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
        ("portworxVolume", v.portworx_volume.is_some()),
        ("azureDisk", v.azure_disk.is_some()),
        ("storageos", v.storageos.is_some()),
        ("projected", v.projected.is_some()),
        ("scaleIO", v.scale_io.is_some()),
        ("csi", v.csi.is_some()),
        ("ephemeral", v.ephemeral.is_some()),
        ("image", v.image.is_some()),
    ];
    present
        .iter()
        .filter(|(_, p)| *p)
        .map(|(n, _)| *n)
        .collect()
}

/// `validateVolumeSource` for the sources tug's nodes run (emptyDir, hostPath, secret,
/// configMap, persistentVolumeClaim, downwardAPI/projected modes); other sources are only
/// counted.
fn validate_volume_source(v: &Volume, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let sources = volume_sources(v);
    if sources.is_empty() {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
    for extra in sources.iter().skip(1) {
        errs.push(FieldError::forbidden(
            &path.child(extra),
            "may not specify more than 1 volume type",
        ));
    }
    if let Some(e) = &v.empty_dir
        && e.size_limit
            .as_ref()
            .and_then(parse_q)
            .is_some_and(|q| q.signum() < 0)
    {
        errs.push(FieldError::forbidden(
            &path.child("emptyDir").child("sizeLimit"),
            "SizeLimit field must be a valid resource quantity",
        ));
    }
    if let Some(h) = &v.host_path {
        let p = path.child("hostPath");
        if h.path.is_empty() {
            errs.push(FieldError::required(&p.child("path"), ""));
        } else {
            errs.extend(validate_path_no_backsteps(&h.path, &p.child("path")));
            if let Some(t) = &h.type_
                && !HOST_PATH_TYPES.contains(&t.as_str())
            {
                errs.push(not_supported(&p.child("type"), t, HOST_PATH_TYPES));
            }
        }
    }
    if let Some(sv) = &v.secret {
        let p = path.child("secret");
        if s(&sv.secret_name).is_empty() {
            errs.push(FieldError::required(&p.child("secretName"), ""));
        }
        errs.extend(validate_mode(sv.default_mode, &p.child("defaultMode")));
        errs.extend(validate_key_to_paths(
            sv.items.as_deref(),
            &p.child("items"),
        ));
    }
    if let Some(c) = &v.config_map {
        let p = path.child("configMap");
        if c.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        }
        errs.extend(validate_mode(c.default_mode, &p.child("defaultMode")));
        errs.extend(validate_key_to_paths(c.items.as_deref(), &p.child("items")));
    }
    if let Some(c) = &v.persistent_volume_claim
        && c.claim_name.is_empty()
    {
        errs.push(FieldError::required(
            &path.child("persistentVolumeClaim").child("claimName"),
            "",
        ));
    }
    if let Some(d) = &v.downward_api {
        errs.extend(validate_mode(
            d.default_mode,
            &path.child("downwardAPI").child("defaultMode"),
        ));
    }
    if let Some(pr) = &v.projected {
        errs.extend(validate_mode(
            pr.default_mode,
            &path.child("projected").child("defaultMode"),
        ));
    }
    errs
}

/// `ValidateVolumes`: returns the names of the volumes that validated (only those can be
/// mounted) and the errors.
pub fn validate_volumes(volumes: &[Volume], path: &Path) -> (BTreeSet<String>, ErrorList) {
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, v) in volumes.iter().enumerate() {
        let p = path.index(i);
        let name_path = p.child("name");
        let mut el = validate_volume_source(v, &p);
        if v.name.is_empty() {
            el.push(FieldError::required(&name_path, ""));
        } else {
            el.extend(validate_dns1123_label(&v.name, &name_path));
        }
        if names.contains(&v.name) {
            el.push(FieldError::duplicate(&name_path, v.name.as_str()));
        }
        if el.is_empty() {
            names.insert(v.name.clone());
        } else {
            errs.extend(el);
        }
    }
    (names, errs)
}

/// `ValidateVolumeMounts`.
fn validate_volume_mounts(
    mounts: &[VolumeMount],
    volumes: &BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut mount_points = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let p = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        }
        if !volumes.contains(&m.name) {
            errs.push(FieldError::not_found(&p.child("name"), m.name.as_str()));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(&p.child("mountPath"), ""));
        }
        if !mount_points.insert(m.mount_path.clone()) {
            errs.push(FieldError::invalid(
                &p.child("mountPath"),
                m.mount_path.as_str(),
                "must be unique",
            ));
        }
        let sub_path = s(&m.sub_path);
        if !sub_path.is_empty() {
            // upstream names the list's path here, not the mount's
            errs.extend(validate_local_descending_path(
                sub_path,
                &path.child("subPath"),
            ));
        }
        let expr = s(&m.sub_path_expr);
        if !expr.is_empty() {
            if !sub_path.is_empty() {
                errs.push(FieldError::invalid(
                    &p.child("subPathExpr"),
                    expr,
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            errs.extend(validate_local_descending_path(
                expr,
                &path.child("subPathExpr"),
            ));
        }
        if let Some(mp) = &m.mount_propagation {
            const MODES: &[&str] = &["Bidirectional", "HostToContainer", "None"];
            if !MODES.contains(&mp.as_str()) {
                errs.push(not_supported(&p.child("mountPropagation"), mp, MODES));
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------
// Containers

const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

fn validate_env_field_ref(api_version: &str, field_path: &str, path: &Path) -> ErrorList {
    if api_version.is_empty() {
        return vec![FieldError::required(&path.child("apiVersion"), "")];
    }
    if field_path.is_empty() {
        return vec![FieldError::required(&path.child("fieldPath"), "")];
    }
    // `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['key']`.
    if let Some((base, rest)) = field_path.split_once("['")
        && let Some(sub) = rest.strip_suffix("']")
    {
        return match base {
            "metadata.annotations" => validate_qualified_name(&sub.to_lowercase(), path),
            "metadata.labels" => validate_qualified_name(sub, path),
            _ => vec![FieldError::invalid(
                path,
                base,
                "does not support subscript",
            )],
        };
    }
    let supported = ENV_FIELD_PATHS.contains(&field_path)
        || ["metadata.labels", "metadata.annotations"].contains(&field_path);
    if !supported {
        return vec![not_supported(
            &path.child("fieldPath"),
            field_path,
            ENV_FIELD_PATHS,
        )];
    }
    Vec::new()
}

fn validate_key_selector(name: &str, key: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    }
    if key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    } else {
        for m in is_config_map_key(key) {
            errs.push(FieldError::invalid(&path.child("key"), key, m));
        }
    }
    errs
}

/// `ValidateEnv` with relaxed names (1.33 default): names are printable ASCII other than
/// `=`; `valueFrom` has exactly one source and excludes `value`.
pub fn validate_env(env: &[EnvVar], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, ev) in env.iter().enumerate() {
        let p = path.index(i);
        if ev.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        }
        for m in is_relaxed_env_var_name(&ev.name) {
            errs.push(FieldError::invalid(&p.child("name"), ev.name.as_str(), m));
        }
        let Some(from) = &ev.value_from else { continue };
        let vp = p.child("valueFrom");
        let mut n = 0;
        if let Some(f) = &from.field_ref {
            n += 1;
            errs.extend(validate_env_field_ref(
                s(&f.api_version),
                &f.field_path,
                &vp.child("fieldRef"),
            ));
        }
        if from.resource_field_ref.is_some() {
            n += 1;
        }
        if let Some(c) = &from.config_map_key_ref {
            n += 1;
            errs.extend(validate_key_selector(
                &c.name,
                &c.key,
                &vp.child("configMapKeyRef"),
            ));
        }
        if let Some(c) = &from.secret_key_ref {
            n += 1;
            errs.extend(validate_key_selector(
                &c.name,
                &c.key,
                &vp.child("secretKeyRef"),
            ));
        }
        if n == 0 {
            errs.push(FieldError::invalid(
                &vp,
                "",
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            ));
        } else if !s(&ev.value).is_empty() {
            errs.push(FieldError::invalid(
                &vp,
                "",
                "may not be specified when `value` is not empty",
            ));
        } else if n > 1 {
            errs.push(FieldError::invalid(
                &vp,
                "",
                "may not have more than one field specified at a time",
            ));
        }
    }
    errs
}

/// `validateContainerPorts`.
fn validate_container_ports(ports: &[ContainerPort], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let p = path.index(i);
        let name = s(&port.name);
        if !name.is_empty() {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(FieldError::invalid(&p.child("name"), name, m));
                }
            } else if !names.insert(name.to_string()) {
                errs.push(FieldError::duplicate(&p.child("name"), name));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&p.child("containerPort"), ""));
        } else {
            for m in is_valid_port_num(port.container_port as i64) {
                errs.push(FieldError::invalid(
                    &p.child("containerPort"),
                    port.container_port,
                    m,
                ));
            }
        }
        let host_port = port.host_port.unwrap_or(0);
        if host_port != 0 {
            for m in is_valid_port_num(host_port as i64) {
                errs.push(FieldError::invalid(&p.child("hostPort"), host_port, m));
            }
        }
        let proto = s(&port.protocol);
        if proto.is_empty() {
            errs.push(FieldError::required(&p.child("protocol"), ""));
        } else if !SUPPORTED_PORT_PROTOCOLS.contains(&proto) {
            errs.push(not_supported(
                &p.child("protocol"),
                proto,
                SUPPORTED_PORT_PROTOCOLS,
            ));
        }
    }
    errs
}

/// `AccumulateUniqueHostPorts`: a host IP/protocol/port may be claimed once.
fn accumulate_host_ports(
    containers: &[&Container],
    path: &Path,
    seen: &mut BTreeSet<String>,
) -> ErrorList {
    let mut errs = Vec::new();
    for (ci, c) in containers.iter().enumerate() {
        for (pi, port) in c.ports.iter().flatten().enumerate() {
            let hp = port.host_port.unwrap_or(0);
            if hp == 0 {
                continue;
            }
            let key = format!("{}/{}/{}", s(&port.host_ip), s(&port.protocol), hp);
            if !seen.insert(key.clone()) {
                let p = path.index(ci).child("ports").index(pi).child("hostPort");
                errs.push(FieldError::duplicate(&p, key));
            }
        }
    }
    errs
}

fn validate_pull_policy(policy: &str, path: &Path) -> ErrorList {
    const VALID: &[&str] = &["Always", "IfNotPresent", "Never"];
    match policy {
        "Always" | "IfNotPresent" | "Never" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        other => vec![not_supported(path, other, VALID)],
    }
}

fn validate_http_get(h: &HTTPGetAction, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if s(&h.path).is_empty() {
        errs.push(FieldError::required(&path.child("path"), ""));
    }
    errs.extend(validate_port_num_or_name(&h.port, &path.child("port")));
    let scheme = s(&h.scheme);
    if scheme != "HTTP" && scheme != "HTTPS" {
        errs.push(not_supported(
            &path.child("scheme"),
            scheme,
            &["HTTP", "HTTPS"],
        ));
    }
    for header in h.http_headers.iter().flatten() {
        for m in is_http_header_name(&header.name) {
            errs.push(FieldError::invalid(
                &path.child("httpHeaders"),
                header.name.as_str(),
                m,
            ));
        }
    }
    errs
}

/// `validateHandler` of a probe or lifecycle handler: exactly one action.
fn validate_handler(
    exec: Option<&k8s_openapi::api::core::v1::ExecAction>,
    http: Option<&HTTPGetAction>,
    tcp: Option<&k8s_openapi::api::core::v1::TCPSocketAction>,
    grpc: Option<&k8s_openapi::api::core::v1::GRPCAction>,
    sleep: Option<&k8s_openapi::api::core::v1::SleepAction>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut n = 0;
    let mut one = |name: &str, errs: &mut ErrorList| -> bool {
        if n > 0 {
            errs.push(FieldError::forbidden(
                &path.child(name),
                "may not specify more than 1 handler type",
            ));
            false
        } else {
            n += 1;
            true
        }
    };
    if let Some(e) = exec
        && one("exec", &mut errs)
        && e.command.as_ref().is_none_or(|c| c.is_empty())
    {
        errs.push(FieldError::required(
            &path.child("exec").child("command"),
            "",
        ));
    }
    if let Some(h) = http
        && one("httpGet", &mut errs)
    {
        errs.extend(validate_http_get(h, &path.child("httpGet")));
    }
    if let Some(t) = tcp
        && one("tcpSocket", &mut errs)
    {
        errs.extend(validate_port_num_or_name(
            &t.port,
            &path.child("tcpSocket").child("port"),
        ));
    }
    if let Some(g) = grpc
        && one("grpc", &mut errs)
    {
        for m in is_valid_port_num(g.port as i64) {
            errs.push(FieldError::invalid(
                &path.child("grpc").child("port"),
                g.port,
                m,
            ));
        }
    }
    if let Some(sl) = sleep
        && one("sleep", &mut errs)
        && sl.seconds < 0
    {
        errs.push(FieldError::invalid(
            &path.child("sleep").child("seconds"),
            sl.seconds,
            IS_NEGATIVE_ERROR_MSG,
        ));
    }
    if n == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
    errs
}

/// `validateProbe` plus the per-kind rule: liveness and startup probes need
/// `successThreshold: 1`, readiness probes may not set `terminationGracePeriodSeconds`.
fn validate_probe(p: Option<&Probe>, kind: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(p) = p else { return errs };
    errs.extend(validate_handler(
        p.exec.as_ref(),
        p.http_get.as_ref(),
        p.tcp_socket.as_ref(),
        p.grpc.as_ref(),
        None,
        path,
    ));
    for (v, f) in [
        (p.initial_delay_seconds, "initialDelaySeconds"),
        (p.timeout_seconds, "timeoutSeconds"),
        (p.period_seconds, "periodSeconds"),
        (p.success_threshold, "successThreshold"),
        (p.failure_threshold, "failureThreshold"),
    ] {
        errs.extend(validate_nonnegative(v.unwrap_or(0) as i64, &path.child(f)));
    }
    if let Some(t) = p.termination_grace_period_seconds
        && t <= 0
    {
        errs.push(FieldError::invalid(
            &path.child("terminationGracePeriodSeconds"),
            t,
            "must be greater than 0",
        ));
    }
    match kind {
        "liveness" | "startup" => {
            let st = p.success_threshold.unwrap_or(0);
            if st != 1 {
                errs.push(FieldError::invalid(
                    &path.child("successThreshold"),
                    st,
                    "must be 1",
                ));
            }
        }
        _ => {
            if let Some(t) = p.termination_grace_period_seconds {
                errs.push(FieldError::invalid(
                    &path.child("terminationGracePeriodSeconds"),
                    t,
                    "must not be set for readinessProbes",
                ));
            }
        }
    }
    errs
}

fn validate_lifecycle_handler(h: &LifecycleHandler, path: &Path) -> ErrorList {
    validate_handler(
        h.exec.as_ref(),
        h.http_get.as_ref(),
        h.tcp_socket.as_ref(),
        None,
        h.sleep.as_ref(),
        path,
    )
}

fn validate_lifecycle(l: &Lifecycle, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(h) = &l.post_start {
        errs.extend(validate_lifecycle_handler(h, &path.child("postStart")));
    }
    if let Some(h) = &l.pre_stop {
        errs.extend(validate_lifecycle_handler(h, &path.child("preStop")));
    }
    errs
}

/// `validateContainerCommon`: what every kind of container must satisfy.
fn validate_container_common(c: &Container, volumes: &BTreeSet<String>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let name_path = path.child("name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&name_path, ""));
    } else {
        errs.extend(validate_dns1123_label(&c.name, &name_path));
    }
    if s(&c.image).is_empty() {
        errs.push(FieldError::required(&path.child("image"), ""));
    }
    match s(&c.termination_message_policy) {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(FieldError::required(
            &path.child("terminationMessagePolicy"),
            "",
        )),
        other => errs.push(not_supported(
            &path.child("terminationMessagePolicy"),
            other,
            &["File", "FallbackToLogsOnError"],
        )),
    }
    errs.extend(validate_container_ports(
        c.ports.as_deref().unwrap_or_default(),
        &path.child("ports"),
    ));
    errs.extend(validate_env(
        c.env.as_deref().unwrap_or_default(),
        &path.child("env"),
    ));
    errs.extend(validate_volume_mounts(
        c.volume_mounts.as_deref().unwrap_or_default(),
        volumes,
        &path.child("volumeMounts"),
    ));
    errs.extend(validate_pull_policy(
        s(&c.image_pull_policy),
        &path.child("imagePullPolicy"),
    ));
    errs.extend(validate_resource_requirements(
        c.resources.as_ref(),
        &path.child("resources"),
    ));
    if let Some(sc) = &c.security_context {
        let p = path.child("securityContext");
        errs.extend(validate_id(sc.run_as_user, &p.child("runAsUser")));
        errs.extend(validate_id(sc.run_as_group, &p.child("runAsGroup")));
    }
    errs
}

/// `validateContainers`: at least one; names unique; probes and lifecycle valid;
/// `restartPolicy` only on init containers; host ports not claimed twice.
fn validate_containers(
    containers: &[Container],
    volumes: &BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    if containers.is_empty() {
        errs.push(FieldError::required(path, ""));
        return errs;
    }
    let mut names = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_container_common(c, volumes, &p));
        if !names.insert(c.name.clone()) {
            errs.push(FieldError::duplicate(&p.child("name"), c.name.as_str()));
        }
        if let Some(l) = &c.lifecycle {
            errs.extend(validate_lifecycle(l, &p.child("lifecycle")));
        }
        errs.extend(validate_probe(
            c.liveness_probe.as_ref(),
            "liveness",
            &p.child("livenessProbe"),
        ));
        errs.extend(validate_probe(
            c.readiness_probe.as_ref(),
            "readiness",
            &p.child("readinessProbe"),
        ));
        errs.extend(validate_probe(
            c.startup_probe.as_ref(),
            "startup",
            &p.child("startupProbe"),
        ));
        if c.restart_policy.is_some() {
            errs.push(FieldError::forbidden(
                &p.child("restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    let all: Vec<&Container> = containers.iter().collect();
    errs.extend(accumulate_host_ports(&all, path, &mut BTreeSet::new()));
    errs
}

/// `validateInitContainers`: names unique across init and regular containers; only
/// restartable (sidecar, `restartPolicy: Always`) init containers may have probes or
/// lifecycle hooks.
fn validate_init_containers(
    inits: &[Container],
    regular: &[Container],
    volumes: &BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut names: BTreeSet<String> = regular.iter().map(|c| c.name.clone()).collect();
    for (i, c) in inits.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_container_common(c, volumes, &p));
        let mut restart_always = false;
        if let Some(rp) = &c.restart_policy {
            if rp == "Always" {
                restart_always = true;
            } else {
                errs.push(not_supported(&p.child("restartPolicy"), rp, &["Always"]));
            }
        }
        if names.contains(&c.name) {
            errs.push(FieldError::duplicate(&p.child("name"), c.name.as_str()));
        } else if !c.name.is_empty() {
            names.insert(c.name.clone());
        }
        errs.extend(accumulate_host_ports(&[c], path, &mut BTreeSet::new()));
        if restart_always {
            if let Some(l) = &c.lifecycle {
                errs.extend(validate_lifecycle(l, &p.child("lifecycle")));
            }
            errs.extend(validate_probe(
                c.liveness_probe.as_ref(),
                "liveness",
                &p.child("livenessProbe"),
            ));
            errs.extend(validate_probe(
                c.readiness_probe.as_ref(),
                "readiness",
                &p.child("readinessProbe"),
            ));
            errs.extend(validate_probe(
                c.startup_probe.as_ref(),
                "startup",
                &p.child("startupProbe"),
            ));
        } else {
            const MSG: &str = "may not be set for init containers without restartPolicy=Always";
            if c.lifecycle.is_some() {
                errs.push(FieldError::forbidden(&p.child("lifecycle"), MSG));
            }
            if c.liveness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("livenessProbe"), MSG));
            }
            if c.readiness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("readinessProbe"), MSG));
            }
            if c.startup_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("startupProbe"), MSG));
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------
// Pod spec

/// Go's `%#v` of a `core.Toleration`.
fn go_toleration(t: &Toleration) -> String {
    format!(
        "core.Toleration{{Key:{}, Operator:{}, Value:{}, Effect:{}, TolerationSeconds:{}}}",
        go_quote(s(&t.key)),
        go_quote(s(&t.operator)),
        go_quote(s(&t.value)),
        go_quote(s(&t.effect)),
        if t.toleration_seconds.is_some() {
            "(*int64)(0xc000000001)"
        } else {
            "(*int64)(nil)"
        }
    )
}

const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

fn validate_taint_effect(effect: &str, allow_empty: bool, path: &Path) -> ErrorList {
    if !allow_empty && effect.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    if TAINT_EFFECTS.contains(&effect) {
        Vec::new()
    } else {
        vec![not_supported(path, effect, TAINT_EFFECTS)]
    }
}

/// `ValidateTolerations`.
pub fn validate_tolerations(tolerations: &[Toleration], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, t) in tolerations.iter().enumerate() {
        let p = path.index(i);
        let (key, op, value, effect) = (s(&t.key), s(&t.operator), s(&t.value), s(&t.effect));
        if !key.is_empty() {
            errs.extend(validate_label_name(key, &p.child("key")));
        }
        if key.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(
                &p.child("operator"),
                op,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.push(FieldError::invalid(
                &p.child("effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "Equal" | "" => {
                let msgs = is_valid_label_value(value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(
                        &p.child("operator"),
                        value,
                        msgs.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.push(invalid_repr(
                        &p.child("operator"),
                        &go_toleration(t),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(not_supported(
                &p.child("operator"),
                other,
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() {
            errs.extend(validate_taint_effect(effect, true, &p.child("effect")));
        }
    }
    errs
}

/// `IsValidUserID` / `IsValidGroupID` of an optional ID.
fn validate_id(v: Option<i64>, path: &Path) -> ErrorList {
    match v {
        Some(id) => super::names::is_valid_user_or_group_id(id)
            .into_iter()
            .map(|m| FieldError::invalid(path, id, m))
            .collect(),
        None => Vec::new(),
    }
}

/// `validatePodSpecSecurityContext`: IDs in range, host-network ports equal to container
/// ports, no process-namespace sharing together with the host PID namespace.
fn validate_pod_security_context(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if spec.host_network == Some(true) {
        for (i, c) in spec.containers.iter().enumerate() {
            for (j, port) in c.ports.iter().flatten().enumerate() {
                let hp = port.host_port.unwrap_or(0);
                if hp != port.container_port {
                    errs.push(FieldError::invalid(
                        &path
                            .child("containers")
                            .index(i)
                            .child("ports")
                            .index(j)
                            .child("hostPort"),
                        hp,
                        "must match `containerPort` when `hostNetwork` is true",
                    ));
                }
            }
        }
    }
    let Some(sc) = &spec.security_context else {
        return errs;
    };
    let p = path.child("securityContext");
    errs.extend(validate_id(sc.fs_group, &p.child("fsGroup")));
    errs.extend(validate_id(sc.run_as_user, &p.child("runAsUser")));
    errs.extend(validate_id(sc.run_as_group, &p.child("runAsGroup")));
    for (i, g) in sc.supplemental_groups.iter().flatten().enumerate() {
        errs.extend(validate_id(
            Some(*g),
            &p.child("supplementalGroups").index(i),
        ));
    }
    if spec.share_process_namespace == Some(true) && spec.host_pid == Some(true) {
        errs.push(FieldError::invalid(
            &p.child("shareProcessNamespace"),
            true,
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    errs
}

/// `ValidatePodSpec`: volumes, containers, init containers, restart and DNS policy, node
/// selector, tolerations, names of the service account, node, host and subdomain.
pub fn validate_pod_spec(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if spec.termination_grace_period_seconds.is_none() {
        errs.push(FieldError::required(
            &path.child("terminationGracePeriodSeconds"),
            "",
        ));
    }
    let (volumes, verrs) = validate_volumes(
        spec.volumes.as_deref().unwrap_or_default(),
        &path.child("volumes"),
    );
    errs.extend(verrs);
    errs.extend(validate_containers(
        &spec.containers,
        &volumes,
        &path.child("containers"),
    ));
    errs.extend(validate_init_containers(
        spec.init_containers.as_deref().unwrap_or_default(),
        &spec.containers,
        &volumes,
        &path.child("initContainers"),
    ));
    match s(&spec.restart_policy) {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(FieldError::required(&path.child("restartPolicy"), "")),
        other => errs.push(not_supported(
            &path.child("restartPolicy"),
            other,
            &["Always", "OnFailure", "Never"],
        )),
    }
    match s(&spec.dns_policy) {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.push(FieldError::required(&path.child("dnsPolicy"), "")),
        other => errs.push(not_supported(
            &path.child("dnsPolicy"),
            other,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    errs.extend(validate_labels(
        spec.node_selector.as_ref(),
        &path.child("nodeSelector"),
    ));
    errs.extend(validate_pod_security_context(spec, path));
    let sa = s(&spec.service_account_name);
    if !sa.is_empty() {
        errs.extend(name_errors(
            name_is_dns_subdomain,
            sa,
            &path.child("serviceAccountName"),
        ));
    }
    let node = s(&spec.node_name);
    if !node.is_empty() {
        errs.extend(name_errors(
            name_is_dns_subdomain,
            node,
            &path.child("nodeName"),
        ));
    }
    if let Some(ads) = spec.active_deadline_seconds
        && !(1..=i32::MAX as i64).contains(&ads)
    {
        errs.push(FieldError::invalid(
            &path.child("activeDeadlineSeconds"),
            ads,
            inclusive_range_error(1, i32::MAX as i64),
        ));
    }
    let hostname = s(&spec.hostname);
    if !hostname.is_empty() {
        errs.extend(validate_dns1123_label(hostname, &path.child("hostname")));
    }
    let subdomain = s(&spec.subdomain);
    if !subdomain.is_empty() {
        errs.extend(validate_dns1123_label(subdomain, &path.child("subdomain")));
    }
    errs.extend(validate_tolerations(
        spec.tolerations.as_deref().unwrap_or_default(),
        &path.child("tolerations"),
    ));
    let pcn = s(&spec.priority_class_name);
    if !pcn.is_empty() {
        errs.extend(name_errors(
            name_is_dns_subdomain,
            pcn,
            &path.child("priorityClassName"),
        ));
    }
    if let Some(pp) = &spec.preemption_policy {
        const VALID: &[&str] = &["Never", "PreemptLowerPriority"];
        if !VALID.contains(&pp.as_str()) {
            errs.push(not_supported(&path.child("preemptionPolicy"), pp, VALID));
        }
    }
    errs
}

/// `ValidatePodTemplateSpec` (labels, annotations, spec; no ephemeral containers), used by
/// workload kinds.
pub fn validate_pod_template_spec(t: &PodTemplateSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let meta = t.metadata.clone().unwrap_or_default();
    errs.extend(validate_labels(meta.labels.as_ref(), &path.child("labels")));
    errs.extend(validate_annotations(
        meta.annotations.as_ref(),
        &path.child("annotations"),
    ));
    let spec = t.spec.clone().unwrap_or_default();
    errs.extend(validate_pod_spec(&spec, &path.child("spec")));
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            &path.child("spec").child("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}

fn pod_spec(p: &Pod) -> PodSpec {
    p.spec.clone().unwrap_or_default()
}

fn validate_pod_metadata_and_spec(p: &Pod) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&p.metadata, true, name_is_dns_subdomain, &meta_path());
    errs.extend(validate_pod_spec(&pod_spec(p), &root("spec")));
    errs
}

fn validate_status_ips(p: &Pod) -> ErrorList {
    let mut errs = Vec::new();
    let Some(st) = &p.status else { return errs };
    for (i, ip) in st.pod_ips.iter().flatten().enumerate() {
        errs.extend(validate_ip_legacy(
            &root("status").child("podIPs").index(i),
            &ip.ip,
        ));
    }
    for (i, ip) in st.host_ips.iter().flatten().enumerate() {
        errs.extend(validate_ip_legacy(
            &root("status").child("hostIPs").index(i),
            &ip.ip,
        ));
    }
    errs
}

/// `ValidatePodCreate`: metadata and spec; no ephemeral containers; no node name while
/// scheduling gates remain.
pub fn validate_pod_create(p: &Pod) -> ErrorList {
    let mut errs = validate_pod_metadata_and_spec(p);
    let spec = pod_spec(p);
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            &root("spec").child("ephemeralContainers"),
            "cannot be set on create",
        ));
    }
    if !s(&spec.node_name).is_empty()
        && spec
            .scheduling_gates
            .as_ref()
            .is_some_and(|g| !g.is_empty())
    {
        errs.push(FieldError::forbidden(
            &root("spec").child("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    errs.extend(validate_status_ips(p));
    errs
}

/// `ValidateContainerUpdates`: the same number of containers, each with an image.
fn validate_container_updates(
    new: &[Container],
    old: &[Container],
    path: &Path,
) -> (ErrorList, bool) {
    let mut errs = Vec::new();
    if new.len() != old.len() {
        errs.push(FieldError::forbidden(
            path,
            "pod updates may not add or remove containers",
        ));
        return (errs, true);
    }
    for (i, c) in new.iter().enumerate() {
        let image = s(&c.image);
        if image.is_empty() {
            errs.push(FieldError::required(&path.index(i).child("image"), ""));
        }
        if image.trim() != image {
            errs.push(FieldError::invalid(
                &path.index(i).child("image"),
                image,
                "must not have leading or trailing whitespace",
            ));
        }
    }
    (errs, false)
}

/// Upstream's Go field name of a `PodSpec` JSON key (for the diff in the Forbidden message).
fn go_field_name(json_key: &str) -> String {
    match json_key {
        "dnsPolicy" => "DNSPolicy".into(),
        "dnsConfig" => "DNSConfig".into(),
        "hostIPC" => "HostIPC".into(),
        "hostPID" => "HostPID".into(),
        "os" => "OS".into(),
        "serviceAccount" => "DeprecatedServiceAccount".into(),
        k => {
            let mut c = k.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
    }
}

/// A readable stand-in for upstream's `cmp.Diff(oldSpec, newSpec)` (whose exact layout
/// go-cmp deliberately randomises): the changed fields, old value then new.
fn pod_spec_diff(old: &PodSpec, new: &PodSpec) -> String {
    let o = serde_json::to_value(old).unwrap_or(Value::Null);
    let n = serde_json::to_value(new).unwrap_or(Value::Null);
    let empty = serde_json::Map::new();
    let om = o.as_object().unwrap_or(&empty);
    let nm = n.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = om.keys().chain(nm.keys()).collect();
    let mut out = String::from("  core.PodSpec{\n");
    let mut same = 0;
    for k in keys {
        let (a, b) = (om.get(k), nm.get(k));
        if a == b {
            same += 1;
            continue;
        }
        let name = go_field_name(k);
        if let Some(a) = a {
            out.push_str(&format!("- \t{name}: {a},\n"));
        }
        if let Some(b) = b {
            out.push_str(&format!("+ \t{name}: {b},\n"));
        }
    }
    if same > 0 {
        out.push_str(&format!("  \t... // {same} identical fields\n"));
    }
    out.push_str("  }\n");
    out
}

/// `validateOnlyAddedTolerations`: existing tolerations stay (their `tolerationSeconds`
/// may change); new ones may be added.
fn validate_only_added_tolerations(
    new: &[Toleration],
    old: &[Toleration],
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    for o in old {
        let kept = new.iter().any(|n| {
            let mut o2 = o.clone();
            o2.toleration_seconds = n.toleration_seconds;
            o2 == *n
        });
        if !kept {
            errs.push(FieldError::forbidden(
                path,
                "existing toleration can not be modified except its tolerationSeconds",
            ));
            return errs;
        }
    }
    errs.extend(validate_tolerations(new, path));
    errs
}

/// `ValidatePodUpdate`: metadata update and the new spec's validity; then only container
/// images, `activeDeadlineSeconds` (set, or lowered), added tolerations, removed scheduling
/// gates and a negative grace period set to 1 may change; anything else is Forbidden with
/// upstream's message (the diff after it is an approximation).
pub fn validate_pod_update(new: &Pod, old: &Pod) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    errs.extend(validate_pod_metadata_and_spec(new));
    let spec_path = root("spec");
    let (ns, os) = (pod_spec(new), pod_spec(old));
    let (e, stop) = validate_container_updates(
        &ns.containers,
        &os.containers,
        &spec_path.child("containers"),
    );
    errs.extend(e);
    if stop {
        return errs;
    }
    let (ni, oi) = (
        ns.init_containers.clone().unwrap_or_default(),
        os.init_containers.clone().unwrap_or_default(),
    );
    let (e, stop) = validate_container_updates(&ni, &oi, &spec_path.child("initContainers"));
    errs.extend(e);
    if stop {
        return errs;
    }
    let ads_path = spec_path.child("activeDeadlineSeconds");
    match (ns.active_deadline_seconds, os.active_deadline_seconds) {
        (Some(n), old_ads) => {
            if n < 0 || n > i32::MAX as i64 {
                errs.push(FieldError::invalid(
                    &ads_path,
                    n,
                    inclusive_range_error(0, i32::MAX as i64),
                ));
                return errs;
            }
            if old_ads.is_some_and(|o| o < n) {
                errs.push(FieldError::invalid(
                    &ads_path,
                    n,
                    "must be less than or equal to previous value",
                ));
                return errs;
            }
        }
        (None, Some(_)) => errs.push(FieldError::invalid(
            &ads_path,
            Value::Null,
            "must not update from a positive integer to nil value",
        )),
        (None, None) => {}
    }
    errs.extend(validate_only_added_tolerations(
        ns.tolerations.as_deref().unwrap_or_default(),
        os.tolerations.as_deref().unwrap_or_default(),
        &spec_path.child("tolerations"),
    ));
    let old_gates = os.scheduling_gates.clone().unwrap_or_default();
    for (i, g) in ns.scheduling_gates.iter().flatten().enumerate() {
        if !old_gates.iter().any(|o| o.name == g.name) {
            errs.push(FieldError::forbidden(
                &spec_path.child("schedulingGates").index(i).child("name"),
                format!(
                    "only deletion is allowed, but found new scheduling gate '{}'",
                    g.name
                ),
            ));
        }
    }
    if ns == os {
        return errs;
    }
    let mut munged = ns.clone();
    for (c, o) in munged.containers.iter_mut().zip(&os.containers) {
        c.image.clone_from(&o.image);
    }
    if let Some(inits) = munged.init_containers.as_mut() {
        for (c, o) in inits.iter_mut().zip(&oi) {
            c.image.clone_from(&o.image);
        }
    }
    munged.active_deadline_seconds = os.active_deadline_seconds;
    munged.scheduling_gates.clone_from(&os.scheduling_gates);
    munged.tolerations.clone_from(&os.tolerations);
    if os.termination_grace_period_seconds.is_some_and(|g| g < 0)
        && munged.termination_grace_period_seconds == Some(1)
    {
        munged.termination_grace_period_seconds = os.termination_grace_period_seconds;
    }
    if !old_gates.is_empty() {
        // Gated pods may gain node selector terms.
        let old_sel = os.node_selector.clone().unwrap_or_default();
        let new_sel = munged.node_selector.clone().unwrap_or_default();
        if old_sel.iter().all(|(k, v)| new_sel.get(k) == Some(v)) {
            munged.node_selector.clone_from(&os.node_selector);
        }
    }
    if munged != os {
        errs.push(FieldError::forbidden(
            &spec_path,
            format!(
                "pod updates may not change fields other than {}\n{}",
                UPDATABLE_POD_SPEC_FIELDS.join(","),
                pod_spec_diff(&os, &munged)
            ),
        ));
    }
    errs
}

fn validate_container_state_transition(
    new: &[ContainerStatus],
    old: &[ContainerStatus],
    path: &Path,
    restart_policy: &str,
    restartable: &BTreeSet<String>,
) -> ErrorList {
    let mut errs = Vec::new();
    if restart_policy == "Always" {
        return errs;
    }
    for (i, o) in old.iter().enumerate() {
        let Some(term) = o.state.as_ref().and_then(|st| st.terminated.as_ref()) else {
            continue;
        };
        if term.exit_code != 0 && restart_policy == "OnFailure" {
            continue;
        }
        if restartable.contains(&o.name) {
            continue;
        }
        for n in new {
            if n.name == o.name
                && n.state
                    .as_ref()
                    .and_then(|st| st.terminated.as_ref())
                    .is_none()
            {
                errs.push(FieldError::forbidden(
                    &path.index(i).child("state"),
                    "may not be transitioned to non-terminated state",
                ));
            }
        }
    }
    errs
}

/// `ValidatePodStatusUpdate`: metadata update, custom condition types, the QoS class is
/// immutable, terminated containers of non-restarting pods stay terminated, IPs are valid.
pub fn validate_pod_status_update(new: &Pod, old: &Pod) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    let ns = new.status.clone().unwrap_or_default();
    let os = old.status.clone().unwrap_or_default();
    for (i, c) in ns.conditions.iter().flatten().enumerate() {
        if matches!(c.type_.as_str(), "PodScheduled" | "Ready" | "Initialized") {
            continue;
        }
        errs.extend(validate_qualified_name(
            &c.type_,
            &meta_path().child("conditions").index(i).child("Type"),
        ));
    }
    let status_path = root("status");
    if s(&pod_spec(new).node_name) != s(&pod_spec(old).node_name) {
        errs.push(FieldError::forbidden(
            &status_path.child("nodeName"),
            "may not be changed directly",
        ));
    }
    let nominated = s(&ns.nominated_node_name);
    if nominated != s(&os.nominated_node_name) && !nominated.is_empty() {
        errs.extend(name_errors(
            name_is_dns_subdomain,
            nominated,
            &status_path.child("nominatedNodeName"),
        ));
    }
    errs.extend(validate_immutable(
        &s(&ns.qos_class).to_string(),
        &s(&os.qos_class).to_string(),
        &status_path.child("qosClass"),
        |v| Value::from(v.as_str()),
    ));
    let old_spec = pod_spec(old);
    let rp = s(&old_spec.restart_policy);
    let none = BTreeSet::new();
    errs.extend(validate_container_state_transition(
        ns.container_statuses.as_deref().unwrap_or_default(),
        os.container_statuses.as_deref().unwrap_or_default(),
        &status_path.child("containerStatuses"),
        rp,
        &none,
    ));
    let sidecars: BTreeSet<String> = old_spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(|c| c.name.clone())
        .collect();
    errs.extend(validate_container_state_transition(
        ns.init_container_statuses.as_deref().unwrap_or_default(),
        os.init_container_statuses.as_deref().unwrap_or_default(),
        &status_path.child("initContainerStatuses"),
        rp,
        &sidecars,
    ));
    errs.extend(validate_container_state_transition(
        ns.ephemeral_container_statuses
            .as_deref()
            .unwrap_or_default(),
        os.ephemeral_container_statuses
            .as_deref()
            .unwrap_or_default(),
        &status_path.child("ephemeralContainerStatuses"),
        "Never",
        &none,
    ));
    errs.extend(validate_status_ips(new));
    errs
}

// ---------------------------------------------------------------------------------------
// Services

const SERVICE_TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
/// The kubelet's port, which load balancers may not expose (`ports.KubeletPort`).
const KUBELET_PORT: i32 = 10250;
/// `core.MaxClientIPServiceAffinitySeconds`.
const MAX_CLIENT_IP_AFFINITY_SECONDS: i32 = 86400;

/// The cluster IPs as upstream sees them after `normalizeClusterIPs`: `clusterIPs`, or the
/// single `clusterIP` when only that is set.
pub fn effective_cluster_ips(spec: &k8s_openapi::api::core::v1::ServiceSpec) -> Vec<String> {
    match &spec.cluster_ips {
        Some(ips) if !ips.is_empty() => ips.clone(),
        _ => match s(&spec.cluster_ip) {
            "" => Vec::new(),
            ip => vec![ip.to_string()],
        },
    }
}

fn is_headless(spec: &k8s_openapi::api::core::v1::ServiceSpec) -> bool {
    let ips = effective_cluster_ips(spec);
    ips.len() == 1 && ips[0] == "None"
}

/// Go's `%#v` of a `core.ServicePort` (used as a duplicate value).
fn go_service_port(protocol: &str, port: i32) -> String {
    format!(
        "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
        go_quote(protocol)
    )
}

fn validate_service_port(
    sp: &ServicePort,
    require_name: bool,
    names: &mut BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let name = s(&sp.name);
    if require_name && name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else if !name.is_empty() {
        errs.extend(validate_dns1123_label(name, &path.child("name")));
        if !names.insert(name.to_string()) {
            errs.push(FieldError::duplicate(&path.child("name"), name));
        }
    }
    for m in is_valid_port_num(sp.port as i64) {
        errs.push(FieldError::invalid(&path.child("port"), sp.port, m));
    }
    let proto = s(&sp.protocol);
    if proto.is_empty() {
        errs.push(FieldError::required(&path.child("protocol"), ""));
    } else if !SUPPORTED_PORT_PROTOCOLS.contains(&proto) {
        errs.push(not_supported(
            &path.child("protocol"),
            proto,
            SUPPORTED_PORT_PROTOCOLS,
        ));
    }
    let target = sp.target_port.clone().unwrap_or(IntOrString::Int(0));
    errs.extend(validate_port_num_or_name(
        &target,
        &path.child("targetPort"),
    ));
    if let Some(ap) = &sp.app_protocol {
        errs.extend(validate_qualified_name(ap, &path.child("appProtocol")));
    }
    errs
}

fn validate_service_cluster_ips(svc_spec: &k8s_openapi::api::core::v1::ServiceSpec) -> ErrorList {
    let mut errs = Vec::new();
    if s(&svc_spec.type_) == "ExternalName" {
        return errs;
    }
    let spec_path = root("spec");
    let ips_path = spec_path.child("clusterIPs");
    let cluster_ip = s(&svc_spec.cluster_ip);
    let ips = svc_spec.cluster_ips.clone().unwrap_or_default();
    if !cluster_ip.is_empty() {
        if ips.is_empty() {
            errs.push(FieldError::required(&ips_path, ""));
        } else if ips[0] != cluster_ip {
            errs.push(invalid_repr(
                &ips_path,
                &go_string_slice(Some(&ips)),
                "first value must match `clusterIP`",
            ));
        }
    } else if !ips.is_empty() {
        errs.push(invalid_repr(
            &ips_path,
            &go_string_slice(Some(&ips)),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, fam) in svc_spec.ip_families.iter().flatten().enumerate() {
        if fam != "IPv4" && fam != "IPv6" {
            errs.push(not_supported(
                &spec_path.child("ipFamilies").index(i),
                fam,
                &["IPv4", "IPv6"],
            ));
        }
        if !seen.insert(fam.clone()) {
            errs.push(FieldError::duplicate(
                &spec_path.child("ipFamilies").index(i),
                fam.as_str(),
            ));
        }
    }
    if let Some(pol) = &svc_spec.ip_family_policy {
        const VALID: &[&str] = &["PreferDualStack", "RequireDualStack", "SingleStack"];
        if !VALID.contains(&pol.as_str()) {
            errs.push(not_supported(
                &spec_path.child("ipFamilyPolicy"),
                pol,
                VALID,
            ));
        }
    }
    for (i, ip) in ips.iter().enumerate() {
        if i == 0 && ip == "None" {
            if ips.len() > 1 {
                errs.push(invalid_repr(
                    &ips_path,
                    &go_string_slice(Some(&ips)),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        errs.extend(validate_ip_legacy(&ips_path.index(i), ip));
    }
    errs
}

/// `ValidateService`.
pub fn validate_service_create(svc: &Service) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&svc.metadata, true, name_is_dns1035_label, &meta_path());
    let spec = svc.spec.clone().unwrap_or_default();
    let spec_path = root("spec");
    let ty = s(&spec.type_);
    let ports = spec.ports.clone().unwrap_or_default();
    let headless = is_headless(&spec);
    if ports.is_empty() && !headless && ty != "ExternalName" {
        errs.push(FieldError::required(&spec_path.child("ports"), ""));
    }
    match ty {
        "LoadBalancer" => {
            if headless {
                errs.push(FieldError::invalid(
                    &spec_path.child("clusterIPs").index(0),
                    "None",
                    "may not be set to 'None' for LoadBalancer services",
                ));
            }
            for (i, p) in ports.iter().enumerate() {
                if p.port == KUBELET_PORT {
                    errs.push(FieldError::invalid(
                        &spec_path.child("ports").index(i),
                        p.port,
                        format!("may not expose port {KUBELET_PORT} externally since it is used by kubelet"),
                    ));
                }
            }
        }
        "NodePort" if headless => {
            errs.push(FieldError::invalid(
                &spec_path.child("clusterIPs").index(0),
                "None",
                "may not be set to 'None' for NodePort services",
            ));
        }
        "ExternalName" => {
            if !effective_cluster_ips(&spec).is_empty() {
                errs.push(FieldError::forbidden(
                    &spec_path.child("clusterIPs"),
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_families.as_ref().is_some_and(|f| !f.is_empty()) {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ipFamilies"),
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_family_policy.is_some() {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ipFamilyPolicy"),
                    "may not be set for ExternalName services",
                ));
            }
            // The name (a CNAME) may end in a dot to mark it fully qualified.
            let external_name = s(&spec.external_name);
            let cname = external_name.strip_suffix('.').unwrap_or(external_name);
            if cname.is_empty() {
                errs.push(FieldError::required(&spec_path.child("externalName"), ""));
            } else {
                errs.extend(validate_dns1123_subdomain(
                    cname,
                    &spec_path.child("externalName"),
                ));
            }
        }
        _ => {}
    }
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        errs.extend(validate_service_port(
            p,
            ports.len() > 1,
            &mut names,
            &spec_path.child("ports").index(i),
        ));
    }
    if spec.selector.is_some() {
        errs.extend(validate_labels(
            spec.selector.as_ref(),
            &spec_path.child("selector"),
        ));
    }
    let affinity = s(&spec.session_affinity);
    if affinity.is_empty() {
        errs.push(FieldError::required(
            &spec_path.child("sessionAffinity"),
            "",
        ));
    } else if affinity != "ClientIP" && affinity != "None" {
        errs.push(not_supported(
            &spec_path.child("sessionAffinity"),
            affinity,
            &["ClientIP", "None"],
        ));
    }
    let sac_path = spec_path.child("sessionAffinityConfig");
    if affinity == "ClientIP" {
        let msg = "when session affinity type is ClientIP";
        match &spec.session_affinity_config {
            None => errs.push(FieldError::required(&sac_path, msg)),
            Some(c) => match &c.client_ip {
                None => errs.push(FieldError::required(&sac_path.child("clientIP"), msg)),
                Some(ci) => match ci.timeout_seconds {
                    None => errs.push(FieldError::required(&sac_path.child("clientIP").child("timeoutSeconds"), msg)),
                    Some(t) if t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS => errs.push(FieldError::invalid(
                        &sac_path.child("clientIP").child("timeoutSeconds"),
                        t,
                        format!("must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"),
                    )),
                    Some(_) => {}
                },
            },
        }
    } else if affinity == "None" && spec.session_affinity_config.is_some() {
        errs.push(FieldError::forbidden(
            &sac_path,
            "must not be set when session affinity is None",
        ));
    }
    errs.extend(validate_service_cluster_ips(&spec));
    for (i, ip) in spec.external_ips.iter().flatten().enumerate() {
        let p = spec_path.child("externalIPs").index(i);
        let e = validate_ip_legacy(&p, ip);
        if e.is_empty() {
            errs.extend(validate_non_special_ip(ip, &p));
        } else {
            errs.extend(e);
        }
    }
    if ty.is_empty() {
        errs.push(FieldError::required(&spec_path.child("type"), ""));
    } else if !SERVICE_TYPES.contains(&ty) {
        errs.push(not_supported(&spec_path.child("type"), ty, SERVICE_TYPES));
    }
    if ty == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.node_port.unwrap_or(0) != 0 {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ports").index(i).child("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let np = p.node_port.unwrap_or(0);
        if np == 0 {
            continue;
        }
        if !node_ports.insert((s(&p.protocol).to_string(), np)) {
            errs.push(FieldError::duplicate(
                &spec_path.child("ports").index(i).child("nodePort"),
                np,
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let proto = s(&p.protocol).to_string();
        if !seen.insert((proto.clone(), p.port)) {
            errs.push(super::duplicate_repr(
                &spec_path.child("ports").index(i),
                &go_service_port(&proto, p.port),
            ));
        }
    }
    if !spec
        .load_balancer_source_ranges
        .as_ref()
        .is_none_or(|r| r.is_empty())
        && ty != "LoadBalancer"
    {
        errs.push(FieldError::forbidden(
            &spec_path.child("LoadBalancerSourceRanges"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    let etp = s(&spec.external_traffic_policy);
    if !crate::defaults::core::externally_accessible(&spec) {
        if !etp.is_empty() {
            errs.push(FieldError::invalid(
                &spec_path.child("externalTrafficPolicy"),
                etp,
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        errs.push(FieldError::required(
            &spec_path.child("externalTrafficPolicy"),
            "",
        ));
    } else if etp != "Cluster" && etp != "Local" {
        errs.push(not_supported(
            &spec_path.child("externalTrafficPolicy"),
            etp,
            &["Cluster", "Local"],
        ));
    }
    match &spec.internal_traffic_policy {
        None if matches!(ty, "NodePort" | "LoadBalancer" | "ClusterIP") => {
            errs.push(FieldError::required(
                &spec_path.child("internalTrafficPolicy"),
                "",
            ));
        }
        Some(p) if p != "Cluster" && p != "Local" => {
            errs.push(not_supported(
                &spec_path.child("internalTrafficPolicy"),
                p,
                &["Cluster", "Local"],
            ));
        }
        _ => {}
    }
    errs
}

/// `ValidateServiceUpdate`: the primary cluster IP cannot change (except to, from or on
/// ExternalName services), then [`validate_service_create`].
pub fn validate_service_update(new: &Service, old: &Service) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    let ns = new.spec.clone().unwrap_or_default();
    let os = old.spec.clone().unwrap_or_default();
    let external = s(&ns.type_) == "ExternalName" || s(&os.type_) == "ExternalName";
    // Changes to, from or between headless services are not IP changes.
    let skip = external || (is_headless(&ns) && is_headless(&os));
    if !skip {
        let (n, o) = (effective_cluster_ips(&ns), effective_cluster_ips(&os));
        let ips_path = root("spec").child("clusterIPs");
        let repr = go_string_slice(Some(&n));
        if n.len() == o.len() {
            for (i, ip) in o.iter().enumerate() {
                if *ip != n[i] {
                    errs.push(invalid_repr(
                        &ips_path.index(i),
                        &repr,
                        "may not change once set",
                    ));
                }
            }
        } else if o.len() > n.len() {
            if n.is_empty() {
                errs.push(invalid_repr(
                    &ips_path.index(0),
                    &repr,
                    "primary clusterIP can not be unset",
                ));
            }
            if !o.is_empty() && !n.is_empty() && n[0] != o[0] {
                errs.push(invalid_repr(
                    &ips_path.index(0),
                    &repr,
                    "may not change once set",
                ));
            }
            if n.len() == 1 && ns.ip_family_policy.as_deref() != Some("SingleStack") {
                errs.push(invalid_repr(
                    &ips_path.index(0),
                    &repr,
                    "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP",
                ));
            }
        } else if !o.is_empty() && n[0] != o[0] {
            errs.push(invalid_repr(
                &ips_path.index(0),
                &repr,
                "may not change once set",
            ));
        }
    }
    errs.extend(validate_service_create(new));
    errs
}

/// `ValidateServiceStatusUpdate`: metadata update and load-balancer ingress addresses.
pub fn validate_service_status_update(new: &Service, old: &Service) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    let ingress_path = root("status").child("loadBalancer").child("ingress");
    let ingress = new
        .status
        .as_ref()
        .and_then(|st| st.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.clone())
        .unwrap_or_default();
    for (i, ing) in ingress.iter().enumerate() {
        let p = ingress_path.index(i);
        let ip = s(&ing.ip);
        if !ip.is_empty() {
            errs.extend(validate_ip_legacy(&p.child("ip"), ip));
        }
        if let Some(mode) = &ing.ip_mode {
            if ip.is_empty() {
                errs.push(FieldError::forbidden(
                    &p.child("ipMode"),
                    "may not be specified when `ip` is not set",
                ));
            } else if mode != "VIP" && mode != "Proxy" {
                errs.push(not_supported(&p.child("ipMode"), mode, &["Proxy", "VIP"]));
            }
        }
        let host = s(&ing.hostname);
        if !host.is_empty() {
            errs.extend(validate_dns1123_subdomain(host, &p.child("hostname")));
            if parse_ip_sloppy(host).is_some() {
                errs.push(FieldError::invalid(
                    &p.child("hostname"),
                    host,
                    "must be a DNS name, not an IP address",
                ));
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------
// Namespaces, nodes, endpoints

/// `ValidateNamespace`: a DNS-label name, no namespace, finalizers qualified names.
pub fn validate_namespace_create(ns: &Namespace) -> ErrorList {
    let mut errs = validate_core_object_meta(&ns.metadata, false, name_is_dns_label, &meta_path());
    let path = root("spec").child("finalizers");
    for f in ns
        .spec
        .as_ref()
        .and_then(|sp| sp.finalizers.as_ref())
        .into_iter()
        .flatten()
    {
        errs.extend(validate_qualified_name(f, &path));
        errs.extend(validate_kube_finalizer_name(f, &path));
    }
    errs
}

/// `ValidateNamespaceUpdate`: only the metadata rules (spec and status are carried over).
pub fn validate_namespace_update(new: &Namespace, old: &Namespace) -> ErrorList {
    validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path())
}

/// `ValidateNamespaceStatusUpdate`: phase `Active` unless being deleted, `Terminating` then.
pub fn validate_namespace_status_update(new: &Namespace, old: &Namespace) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    let phase = new.status.as_ref().map(|st| s(&st.phase)).unwrap_or("");
    let path = root("status").child("Phase");
    if new.metadata.deletion_timestamp.is_none() {
        if phase != "Active" {
            errs.push(FieldError::invalid(
                &path,
                phase,
                "may only be 'Active' if `deletionTimestamp` is empty",
            ));
        }
    } else if phase != "Terminating" {
        errs.push(FieldError::invalid(
            &path,
            phase,
            "may only be 'Terminating' if `deletionTimestamp` is not empty",
        ));
    }
    errs
}

/// Go's `%#v` of a `core.Taint`.
fn go_taint(t: &Taint) -> String {
    format!(
        "core.Taint{{Key:{}, Value:{}, Effect:{}, TimeAdded:{}}}",
        go_quote(&t.key),
        go_quote(s(&t.value)),
        go_quote(&t.effect),
        if t.time_added.is_some() {
            "&v1.Time{...}"
        } else {
            "(*v1.Time)(nil)"
        }
    )
}

/// `validateNodeTaints` (upstream reports them under `metadata.taints`).
fn validate_node_taints(taints: &[Taint], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut unique: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, t) in taints.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_label_name(&t.key, &p.child("key")));
        let value = s(&t.value);
        let msgs = is_valid_label_value(value);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                &p.child("value"),
                value,
                msgs.join(";"),
            ));
        }
        errs.extend(validate_taint_effect(&t.effect, false, &p.child("effect")));
        if !unique.insert((t.effect.clone(), t.key.clone())) {
            errs.push(invalid_dup_taint(&p, t));
        }
    }
    errs
}

fn invalid_dup_taint(p: &Path, t: &Taint) -> FieldError {
    let mut e = super::duplicate_repr(p, &go_taint(t));
    e.detail = format!("{}: taints must be unique by key and effect pair", e.detail);
    e
}

/// `ValidateNodeResources`: capacity and allocatable quantities.
fn validate_node_resources(node: &Node) -> ErrorList {
    let mut errs = Vec::new();
    let Some(st) = &node.status else { return errs };
    for (field, list) in [("capacity", &st.capacity), ("allocatable", &st.allocatable)] {
        for (k, v) in list.iter().flatten() {
            errs.extend(validate_resource_quantity_value(
                k,
                v,
                &root("status").child(field).child(k),
            ));
        }
    }
    errs
}

/// `ValidateNode`: a DNS-subdomain name, taints, resource quantities, pod CIDRs.
pub fn validate_node_create(node: &Node) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&node.metadata, false, name_is_dns_subdomain, &meta_path());
    let spec = node.spec.clone().unwrap_or_default();
    errs.extend(validate_node_taints(
        spec.taints.as_deref().unwrap_or_default(),
        &meta_path().child("taints"),
    ));
    errs.extend(validate_node_resources(node));
    let cidrs = spec.pod_cidrs.clone().unwrap_or_default();
    let path = root("spec").child("podCIDRs");
    for (i, c) in cidrs.iter().enumerate() {
        errs.extend(validate_cidr_legacy(&path.index(i), c));
    }
    if cidrs.len() > 1 {
        let families: BTreeSet<bool> = cidrs
            .iter()
            .filter_map(|c| c.split('/').next().and_then(parse_ip_sloppy))
            .map(|ip| matches!(ip, IpAddr::V4(_)))
            .collect();
        if families.len() != 2 || cidrs.len() > 2 {
            errs.push(invalid_repr(
                &path,
                &go_string_slice(Some(&cidrs)),
                "may specify no more than one CIDR for each IP family",
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, c) in cidrs.iter().enumerate() {
            if !seen.insert(c) {
                errs.push(FieldError::duplicate(&path.index(i), c.as_str()));
            }
        }
    }
    errs
}

/// `ValidateNodeUpdate`: metadata update, resources, unique addresses, pod CIDRs and
/// provider ID set at most once, taints, external ID immutable.
pub fn validate_node_update(new: &Node, old: &Node) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    errs.extend(validate_node_resources(new));
    let mut addrs = BTreeSet::new();
    for (i, a) in new
        .status
        .iter()
        .flat_map(|st| st.addresses.iter().flatten())
        .enumerate()
    {
        if !addrs.insert((a.type_.clone(), a.address.clone())) {
            errs.push(super::duplicate_repr(
                &root("status").child("addresses").index(i),
                &format!(
                    "core.NodeAddress{{Type:{}, Address:{}}}",
                    go_quote(&a.type_),
                    go_quote(&a.address)
                ),
            ));
        }
    }
    let ns = new.spec.clone().unwrap_or_default();
    let os = old.spec.clone().unwrap_or_default();
    let old_cidrs = os.pod_cidrs.clone().unwrap_or_default();
    let new_cidrs = ns.pod_cidrs.clone().unwrap_or_default();
    let msg = "node updates may not change podCIDR except from \"\" to valid";
    if !old_cidrs.is_empty() {
        if old_cidrs.len() != new_cidrs.len() {
            errs.push(FieldError::forbidden(&root("spec").child("podCIDRs"), msg));
        } else {
            for (o, n) in old_cidrs.iter().zip(&new_cidrs) {
                if o != n {
                    errs.push(FieldError::forbidden(&root("spec").child("podCIDRs"), msg));
                }
            }
        }
    }
    let old_pid = s(&os.provider_id);
    if !old_pid.is_empty() && old_pid != s(&ns.provider_id) {
        errs.push(FieldError::forbidden(
            &root("spec").child("providerID"),
            "node updates may not change providerID except from \"\" to valid",
        ));
    }
    errs.extend(validate_node_taints(
        ns.taints.as_deref().unwrap_or_default(),
        &meta_path().child("taints"),
    ));
    if s(&ns.external_id) != s(&os.external_id) {
        errs.push(FieldError::forbidden(
            &root("spec").child("externalID"),
            "may not be updated",
        ));
    }
    errs
}

/// `ValidateEndpointIP`: no unspecified, loopback or link-local addresses.
pub(crate) fn validate_non_special_ip(ip: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(addr) = parse_ip_sloppy(ip) else {
        errs.push(FieldError::invalid(path, ip, "must be a valid IP address"));
        return errs;
    };
    let (unspecified, loopback, link_local, ll_multicast) = match addr {
        IpAddr::V4(a) => {
            let o = a.octets();
            (
                a.is_unspecified(),
                a.is_loopback(),
                o[0] == 169 && o[1] == 254,
                o[0] == 224 && o[1] == 0 && o[2] == 0,
            )
        }
        IpAddr::V6(a) => {
            let seg = a.segments();
            (
                a.is_unspecified(),
                a.is_loopback(),
                seg[0] & 0xffc0 == 0xfe80,
                seg[0] & 0xff0f == 0xff02,
            )
        }
    };
    if unspecified {
        errs.push(FieldError::invalid(
            path,
            ip,
            format!("may not be unspecified ({ip})"),
        ));
    }
    if loopback {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    if link_local {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    if ll_multicast {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errs
}

fn validate_endpoint_address(
    a: &k8s_openapi::api::core::v1::EndpointAddress,
    path: &Path,
) -> ErrorList {
    let ip_errs = validate_ip_legacy(&path.child("ip"), &a.ip);
    let mut errs = Vec::new();
    let host = s(&a.hostname);
    if !host.is_empty() {
        errs.extend(validate_dns1123_label(host, &path.child("hostname")));
    }
    if let Some(n) = &a.node_name {
        errs.extend(name_errors(
            name_is_dns_subdomain,
            n,
            &path.child("nodeName"),
        ));
    }
    if ip_errs.is_empty() {
        errs.extend(validate_non_special_ip(&a.ip, &path.child("ip")));
    } else {
        errs.splice(0..0, ip_errs);
    }
    errs
}

fn validate_endpoint_subsets(ep: &Endpoints) -> ErrorList {
    let mut errs = Vec::new();
    let path = root("subsets");
    for (i, ss) in ep.subsets.iter().flatten().enumerate() {
        let p = path.index(i);
        let addrs = ss.addresses.as_deref().unwrap_or_default();
        let not_ready = ss.not_ready_addresses.as_deref().unwrap_or_default();
        if addrs.is_empty() && not_ready.is_empty() {
            errs.push(FieldError::required(
                &p,
                "must specify `addresses` or `notReadyAddresses`",
            ));
        }
        for (j, a) in addrs.iter().enumerate() {
            errs.extend(validate_endpoint_address(a, &p.child("addresses").index(j)));
        }
        for (j, a) in not_ready.iter().enumerate() {
            errs.extend(validate_endpoint_address(
                a,
                &p.child("notReadyAddresses").index(j),
            ));
        }
        let ports = ss.ports.as_deref().unwrap_or_default();
        let mut names = BTreeSet::new();
        for (j, port) in ports.iter().enumerate() {
            let pp = p.child("ports").index(j);
            let name = s(&port.name);
            if ports.len() > 1 && name.is_empty() {
                errs.push(FieldError::required(&pp.child("name"), ""));
            } else if !name.is_empty() {
                errs.extend(validate_dns1123_label(name, &pp.child("name")));
                if !names.insert(name.to_string()) {
                    errs.push(FieldError::duplicate(&pp.child("name"), name));
                }
            }
            for m in is_valid_port_num(port.port as i64) {
                errs.push(FieldError::invalid(&pp.child("port"), port.port, m));
            }
            let proto = s(&port.protocol);
            if proto.is_empty() {
                errs.push(FieldError::required(&pp.child("protocol"), ""));
            } else if !SUPPORTED_PORT_PROTOCOLS.contains(&proto) {
                errs.push(not_supported(
                    &pp.child("protocol"),
                    proto,
                    SUPPORTED_PORT_PROTOCOLS,
                ));
            }
            if let Some(ap) = &port.app_protocol {
                errs.extend(validate_qualified_name(ap, &pp.child("appProtocol")));
            }
        }
    }
    errs
}

/// `ValidateEndpointsCreate`: metadata and subsets (addresses valid and not special, ports
/// named when several, valid protocols).
pub fn validate_endpoints_create(ep: &Endpoints) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&ep.metadata, true, name_is_dns_subdomain, &meta_path());
    errs.extend(validate_endpoint_subsets(ep));
    errs
}

/// `ValidateEndpointsUpdate`.
pub fn validate_endpoints_update(new: &Endpoints, old: &Endpoints) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    errs.extend(validate_endpoint_subsets(new));
    errs
}

// ---------------------------------------------------------------------------------------
// Config maps, secrets, service accounts, events

const IMMUTABLE_SET_MSG: &str = "field is immutable when `immutable` is set";

/// `ValidateConfigMap`: keys are config keys, not in both `data` and `binaryData`, and the
/// total size is at most 1 MiB (reported against the whole object, path `""`).
pub fn validate_config_map_create(cm: &ConfigMap) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&cm.metadata, true, name_is_dns_subdomain, &meta_path());
    let mut total = 0usize;
    let binary = cm.binary_data.clone().unwrap_or_default();
    for (k, v) in cm.data.iter().flatten() {
        let p = root("data").key(k);
        for m in is_config_map_key(k) {
            errs.push(FieldError::invalid(&p, k.as_str(), m));
        }
        if binary.contains_key(k) {
            errs.push(FieldError::invalid(
                &p,
                k.as_str(),
                "duplicate of key present in binaryData",
            ));
        }
        total += v.len();
    }
    for (k, v) in &binary {
        for m in is_config_map_key(k) {
            errs.push(FieldError::invalid(
                &root("binaryData").key(k),
                k.as_str(),
                m,
            ));
        }
        total += v.0.len();
    }
    if total > MAX_SECRET_SIZE {
        errs.push(too_long(&root(""), MAX_SECRET_SIZE));
    }
    errs
}

/// `ValidateConfigMapUpdate`: an immutable config map keeps `immutable`, `data` and
/// `binaryData`.
pub fn validate_config_map_update(new: &ConfigMap, old: &ConfigMap) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    if old.immutable == Some(true) {
        if new.immutable != Some(true) {
            errs.push(FieldError::forbidden(&root("immutable"), IMMUTABLE_SET_MSG));
        }
        if new.data != old.data {
            errs.push(FieldError::forbidden(&root("data"), IMMUTABLE_SET_MSG));
        }
        if new.binary_data != old.binary_data {
            errs.push(FieldError::forbidden(
                &root("binaryData"),
                IMMUTABLE_SET_MSG,
            ));
        }
    }
    errs.extend(validate_config_map_create(new));
    errs
}

/// `ValidateSecret`: keys, 1 MiB total, and the keys each built-in type requires.
pub fn validate_secret_create(secret: &Secret) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&secret.metadata, true, name_is_dns_subdomain, &meta_path());
    let data_path = root("data");
    let empty = BTreeMap::new();
    let data = secret.data.as_ref().unwrap_or(&empty);
    let mut total = 0usize;
    for (k, v) in data {
        for m in is_config_map_key(k) {
            errs.push(FieldError::invalid(&data_path.key(k), k.as_str(), m));
        }
        total += v.0.len();
    }
    if total > MAX_SECRET_SIZE {
        errs.push(too_long(&data_path, MAX_SECRET_SIZE));
    }
    let redacted = "<secret contents redacted>";
    let json_object = |k: &str| -> Option<String> {
        data.get(k).and_then(|v| {
            serde_json::from_slice::<serde_json::Map<String, Value>>(&v.0)
                .err()
                .map(|e| e.to_string())
        })
    };
    match s(&secret.type_) {
        "kubernetes.io/service-account-token" => {
            let name = secret
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .map_or("", String::as_str);
            if name.is_empty() {
                errs.push(FieldError::required(
                    &meta_path()
                        .child("annotations")
                        .key("kubernetes.io/service-account.name"),
                    "",
                ));
            }
        }
        "kubernetes.io/dockercfg" | "kubernetes.io/dockerconfigjson" => {
            let key = if s(&secret.type_) == "kubernetes.io/dockercfg" {
                ".dockercfg"
            } else {
                ".dockerconfigjson"
            };
            if !data.contains_key(key) {
                errs.push(FieldError::required(&data_path.key(key), ""));
            } else if let Some(e) = json_object(key) {
                errs.push(FieldError::invalid(&data_path.key(key), redacted, e));
            }
        }
        "kubernetes.io/basic-auth"
            if !data.contains_key("username") && !data.contains_key("password") =>
        {
            errs.push(FieldError::required(&data_path.key("username"), ""));
            errs.push(FieldError::required(&data_path.key("password"), ""));
        }
        "kubernetes.io/ssh-auth" if data.get("ssh-privatekey").is_none_or(|v| v.0.is_empty()) => {
            errs.push(FieldError::required(&data_path.key("ssh-privatekey"), ""));
        }
        "kubernetes.io/tls" => {
            if !data.contains_key("tls.crt") {
                errs.push(FieldError::required(&data_path.key("tls.crt"), ""));
            }
            if !data.contains_key("tls.key") {
                errs.push(FieldError::required(&data_path.key("tls.key"), ""));
            }
        }
        _ => {}
    }
    errs
}

/// `ValidateSecretUpdate`: `type` is immutable; an immutable secret keeps `immutable` and
/// `data`.
pub fn validate_secret_update(new: &Secret, old: &Secret) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    errs.extend(validate_immutable(
        &s(&new.type_).to_string(),
        &s(&old.type_).to_string(),
        &root("type"),
        |v| Value::from(v.as_str()),
    ));
    if old.immutable == Some(true) {
        if new.immutable != Some(true) {
            errs.push(FieldError::forbidden(&root("immutable"), IMMUTABLE_SET_MSG));
        }
        if new.data != old.data {
            errs.push(FieldError::forbidden(&root("data"), IMMUTABLE_SET_MSG));
        }
    }
    errs.extend(validate_secret_create(new));
    errs
}

/// `ValidateServiceAccount`: metadata only.
pub fn validate_service_account_create(sa: &ServiceAccount) -> ErrorList {
    validate_core_object_meta(&sa.metadata, true, name_is_dns_subdomain, &meta_path())
}

/// `ValidateServiceAccountUpdate`.
pub fn validate_service_account_update(new: &ServiceAccount, old: &ServiceAccount) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&new.metadata, &old.metadata, &meta_path());
    errs.extend(validate_service_account_create(new));
    errs
}

/// Limits of `core/v1` Event fields (`ReportingInstanceLengthLimit` & co.).
const EVENT_SHORT_LIMIT: usize = 128;
const EVENT_NOTE_LIMIT: usize = 1024;

/// `legacyValidateEvent` for requests in `v1`: the involved object's namespace matches,
/// events with an `eventTime` carry reporting fields, the namespace is a DNS subdomain.
/// Paths name upstream's internal fields (`reportingController` is v1's `reportingComponent`).
/// Also the first step of `events.k8s.io/v1` validation.
pub(crate) fn legacy_validate_event(ev: &Event) -> ErrorList {
    let mut errs = Vec::new();
    let ns = s(&ev.metadata.namespace);
    let involved_ns = s(&ev.involved_object.namespace);
    let io_path = root("involvedObject").child("namespace");
    if ev.event_time.is_none() {
        let mismatch = if involved_ns.is_empty() {
            !ns.is_empty() && ns != "default"
        } else {
            ns != involved_ns
        };
        if mismatch {
            errs.push(FieldError::invalid(
                &io_path,
                involved_ns,
                "does not match event.namespace",
            ));
        }
    } else {
        if involved_ns.is_empty() && ns != "default" && ns != "kube-system" {
            errs.push(FieldError::invalid(
                &io_path,
                involved_ns,
                "does not match event.namespace",
            ));
        }
        let rc = s(&ev.reporting_component);
        if rc.is_empty() {
            errs.push(FieldError::required(&root("reportingController"), ""));
        }
        errs.extend(validate_qualified_name(rc, &root("reportingController")));
        let long = |v: &str, f: &str, limit: usize, errs: &mut ErrorList| {
            if v.len() > limit {
                errs.push(FieldError::invalid(
                    &root(f),
                    "",
                    format!("can have at most {limit} characters"),
                ));
            }
        };
        let ri = s(&ev.reporting_instance);
        if ri.is_empty() {
            errs.push(FieldError::required(&root("reportingInstance"), ""));
        }
        long(ri, "reportingInstance", EVENT_SHORT_LIMIT, &mut errs);
        let action = s(&ev.action);
        if action.is_empty() {
            errs.push(FieldError::required(&root("action"), ""));
        }
        long(action, "action", EVENT_SHORT_LIMIT, &mut errs);
        let reason = s(&ev.reason);
        if reason.is_empty() {
            errs.push(FieldError::required(&root("reason"), ""));
        }
        long(reason, "reason", EVENT_SHORT_LIMIT, &mut errs);
        long(s(&ev.message), "message", EVENT_NOTE_LIMIT, &mut errs);
    }
    for m in is_dns1123_subdomain(ns) {
        errs.push(FieldError::invalid(&root("namespace"), ns, m));
    }
    errs
}

/// `ValidateEventCreate` for `v1`, then (as the generic registry does once the kind's own
/// checks pass) the generic metadata checks with path-segment names.
pub fn validate_event_create(ev: &Event) -> ErrorList {
    let errs = legacy_validate_event(ev);
    if !errs.is_empty() {
        return errs;
    }
    validate_object_meta(&ev.metadata, true, validate_path_segment_name, &meta_path())
}

/// `ValidateEventUpdate` for `v1`, after the generic registry's common metadata checks.
pub fn validate_event_update(new: &Event, old: &Event) -> ErrorList {
    let mut errs = validate_object_meta(
        &new.metadata,
        true,
        validate_path_segment_name,
        &meta_path(),
    );
    errs.extend(validate_object_meta_update(
        &new.metadata,
        &old.metadata,
        &meta_path(),
    ));
    errs.extend(legacy_validate_event(new));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::KindRules;
    use serde_json::json;

    fn obj<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).expect("decodes")
    }

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    /// A pod as the server sees it on create: defaulted and prepared.
    fn created_pod(spec: Value) -> (Pod, ErrorList) {
        let mut p: Pod =
            obj(json!({"metadata": {"name": "web", "namespace": "default"}, "spec": spec}));
        p.apply_defaults();
        p.prepare_for_create();
        let errs = p.validate_create();
        (p, errs)
    }

    fn pod_errors(spec: Value) -> Vec<String> {
        msgs(&created_pod(spec).1)
    }

    #[test]
    fn a_minimal_pod_is_valid_pending_best_effort_and_runs_as_default() {
        let (p, errs) = created_pod(json!({"containers": [{"name": "c", "image": "nginx"}]}));
        assert_eq!(msgs(&errs), Vec::<String>::new());
        let st = p.status.expect("status");
        assert_eq!(st.phase.as_deref(), Some("Pending"));
        assert_eq!(st.qos_class.as_deref(), Some("BestEffort"));
        let spec = p.spec.expect("spec");
        assert_eq!(spec.service_account_name.as_deref(), Some("default"));
        assert_eq!(spec.service_account.as_deref(), Some("default"));
    }

    #[test]
    fn a_pod_without_containers_is_told_they_are_required() {
        assert_eq!(
            pod_errors(json!({"containers": []})),
            vec!["spec.containers: Required value"]
        );
    }

    #[test]
    fn a_container_without_an_image_is_rejected() {
        assert_eq!(
            pod_errors(json!({"containers": [{"name": "c"}]})),
            vec!["spec.containers[0].image: Required value"]
        );
    }

    #[test]
    fn container_names_must_be_dns_labels_and_unique_across_init_containers() {
        let errs = pod_errors(json!({
            "containers": [{"name": "Web", "image": "x"}, {"name": "b", "image": "x"}],
            "initContainers": [{"name": "b", "image": "x"}]
        }));
        assert_eq!(
            errs,
            vec![
                "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.initContainers[0].name: Duplicate value: \"b\"",
            ]
        );
    }

    #[test]
    fn ports_out_of_range_and_unknown_protocols_use_upstreams_messages() {
        let errs = pod_errors(json!({"containers": [{"name": "c", "image": "x",
            "ports": [{"containerPort": 70000, "protocol": "HTTP"}]}]}));
        assert_eq!(
            errs,
            vec![
                "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ]
        );
    }

    #[test]
    fn policies_list_their_supported_values_in_upstreams_order() {
        let errs = pod_errors(json!({"restartPolicy": "Sometimes", "dnsPolicy": "Google",
            "containers": [{"name": "c", "image": "x", "imagePullPolicy": "Maybe"}]}));
        assert_eq!(
            errs,
            vec![
                "spec.containers[0].imagePullPolicy: Unsupported value: \"Maybe\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"",
            ]
        );
    }

    #[test]
    fn requests_above_limits_name_the_limit() {
        let errs = pod_errors(json!({"containers": [{"name": "c", "image": "x",
            "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]}));
        assert_eq!(
            errs,
            vec![
                "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
            ]
        );
    }

    #[test]
    fn a_mount_of_an_undeclared_volume_is_not_found() {
        let errs = pod_errors(json!({"containers": [{"name": "c", "image": "x",
            "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]}));
        assert_eq!(
            errs,
            vec!["spec.containers[0].volumeMounts[0].name: Not found: \"data\""]
        );
    }

    #[test]
    fn volume_names_must_be_unique() {
        let errs = pod_errors(json!({"containers": [{"name": "c", "image": "x"}],
            "volumes": [{"name": "data"}, {"name": "data"}]}));
        assert_eq!(
            errs,
            vec!["spec.volumes[1].name: Duplicate value: \"data\""]
        );
    }

    #[test]
    fn env_var_names_may_not_contain_equals_signs() {
        let errs = pod_errors(json!({"containers": [{"name": "c", "image": "x",
            "env": [{"name": "A=B", "value": "1"}]}]}));
        assert_eq!(
            errs,
            vec![
                "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"
            ]
        );
    }

    #[test]
    fn qos_class_follows_requests_and_limits() {
        let qos = |res: Value| {
            let (p, _) =
                created_pod(json!({"containers": [{"name": "c", "image": "x", "resources": res}]}));
            p.status.and_then(|s| s.qos_class).unwrap_or_default()
        };
        assert_eq!(qos(json!({})), "BestEffort");
        assert_eq!(qos(json!({"requests": {"cpu": "100m"}})), "Burstable");
        // limits alone become requests too (SetDefaults_Pod), so this is Guaranteed
        assert_eq!(
            qos(json!({"limits": {"cpu": "1", "memory": "1Gi"}})),
            "Guaranteed"
        );
        assert_eq!(
            qos(
                json!({"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}})
            ),
            "Burstable"
        );
    }

    fn stored_pod() -> Pod {
        let (mut p, errs) =
            created_pod(json!({"containers": [{"name": "c", "image": "nginx:1.25"}]}));
        assert!(errs.is_empty());
        p.metadata.resource_version = Some("1".into());
        p
    }

    #[test]
    fn a_pod_update_may_change_the_image() {
        let old = stored_pod();
        let mut new = old.clone();
        new.spec.as_mut().expect("spec").containers[0].image = Some("nginx:1.26".into());
        new.prepare_for_update(&old);
        assert_eq!(msgs(&new.validate_update(&old)), Vec::<String>::new());
    }

    #[test]
    fn a_pod_update_of_other_fields_is_forbidden_with_upstreams_message() {
        let old = stored_pod();
        let mut new = old.clone();
        new.spec.as_mut().expect("spec").containers[0].ports = Some(vec![ContainerPort {
            container_port: 80,
            protocol: Some("TCP".into()),
            ..Default::default()
        }]);
        new.prepare_for_update(&old);
        let errs = new.validate_update(&old);
        assert_eq!(errs.len(), 1);
        let text = errs[0].to_string();
        assert!(
            text.starts_with(
                "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n"
            ),
            "{text}"
        );
        assert!(text.contains("+ \tContainers: "), "{text}");
    }

    #[test]
    fn a_pod_update_may_not_add_containers() {
        let old = stored_pod();
        let mut new = old.clone();
        let extra = new.spec.as_ref().expect("spec").containers[0].clone();
        new.spec.as_mut().expect("spec").containers.push(Container {
            name: "d".into(),
            ..extra
        });
        assert_eq!(
            msgs(&new.validate_update(&old)),
            vec!["spec.containers: Forbidden: pod updates may not add or remove containers"]
        );
    }

    #[test]
    fn the_qos_class_of_a_pod_cannot_change_through_status() {
        let old = stored_pod();
        let mut new = old.clone();
        new.status.as_mut().expect("status").qos_class = Some("Guaranteed".into());
        new.prepare_for_status_update(&old);
        assert_eq!(
            msgs(&new.validate_status_update(&old)),
            vec!["status.qosClass: Invalid value: \"Guaranteed\": field is immutable"]
        );
    }

    fn service(spec: Value) -> Service {
        let mut s: Service =
            obj(json!({"metadata": {"name": "web", "namespace": "default"}, "spec": spec}));
        s.apply_defaults();
        s.prepare_for_create();
        s
    }

    #[test]
    fn a_service_needs_ports_unless_headless_or_external_name() {
        assert_eq!(
            msgs(&service(json!({})).validate_create()),
            vec!["spec.ports: Required value"]
        );
        assert!(
            service(json!({"clusterIP": "None"}))
                .validate_create()
                .is_empty()
        );
        assert!(
            service(json!({"type": "ExternalName", "externalName": "example.com."}))
                .validate_create()
                .is_empty()
        );
    }

    #[test]
    fn service_ports_need_names_when_there_are_several_and_may_not_repeat() {
        let errs = service(json!({"ports": [{"port": 80}, {"port": 80}]})).validate_create();
        assert_eq!(
            msgs(&errs),
            vec![
                "spec.ports[0].name: Required value",
                "spec.ports[1].name: Required value",
                "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
            ]
        );
    }

    #[test]
    fn an_unknown_service_type_lists_the_sorted_types() {
        let errs = service(json!({"type": "Magic", "ports": [{"port": 80}]})).validate_create();
        assert_eq!(
            msgs(&errs),
            vec![
                "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
            ]
        );
    }

    #[test]
    fn service_names_must_start_with_a_letter() {
        let mut s = service(json!({"ports": [{"port": 80}]}));
        s.metadata.name = Some("1web".into());
        assert_eq!(
            msgs(&s.validate_create()),
            vec![
                "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
    }

    fn stored_service() -> Service {
        let mut s = service(json!({"ports": [{"port": 80}]}));
        let spec = s.spec.as_mut().expect("spec");
        spec.cluster_ip = Some("10.96.0.10".into());
        spec.cluster_ips = Some(vec!["10.96.0.10".into()]);
        s.metadata.resource_version = Some("1".into());
        s
    }

    #[test]
    fn a_service_update_that_omits_the_cluster_ip_keeps_it() {
        let old = stored_service();
        let mut new = service(json!({"ports": [{"port": 8080}]}));
        new.metadata.resource_version = Some("1".into());
        new.prepare_for_update(&old);
        assert_eq!(msgs(&new.validate_update(&old)), Vec::<String>::new());
        assert_eq!(
            new.spec.and_then(|s| s.cluster_ip).as_deref(),
            Some("10.96.0.10")
        );
    }

    #[test]
    fn the_cluster_ip_of_a_service_is_immutable() {
        let old = stored_service();
        let mut new = old.clone();
        new.spec.as_mut().expect("spec").cluster_ip = Some("10.96.0.11".into());
        new.prepare_for_update(&old);
        assert_eq!(
            msgs(&new.validate_update(&old)),
            vec![
                "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set"
            ]
        );
    }

    #[test]
    fn config_map_keys_use_upstreams_config_key_message() {
        let cm: ConfigMap =
            obj(json!({"metadata": {"name": "c", "namespace": "d"}, "data": {"a b": "x"}}));
        assert_eq!(
            msgs(&cm.validate_create()),
            vec![
                "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
            ]
        );
    }

    #[test]
    fn config_maps_over_one_mebibyte_are_too_long_as_a_whole() {
        let big = "x".repeat(MAX_SECRET_SIZE + 1);
        let cm: ConfigMap =
            obj(json!({"metadata": {"name": "c", "namespace": "d"}, "data": {"k": big}}));
        assert_eq!(
            msgs(&cm.validate_create()),
            vec![": Too long: may not be more than 1048576 bytes"]
        );
    }

    #[test]
    fn an_immutable_config_map_keeps_its_data() {
        let old: ConfigMap = obj(
            json!({"metadata": {"name": "c", "namespace": "d", "resourceVersion": "1"},
            "data": {"k": "v"}, "immutable": true}),
        );
        let mut new = old.clone();
        new.data = Some(BTreeMap::from([("k".to_string(), "w".to_string())]));
        new.immutable = None;
        assert_eq!(
            msgs(&new.validate_update(&old)),
            vec![
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "data: Forbidden: field is immutable when `immutable` is set",
            ]
        );
    }

    #[test]
    fn the_type_of_a_secret_is_immutable_and_tls_secrets_need_their_keys() {
        let mut old: Secret =
            obj(json!({"metadata": {"name": "s", "namespace": "d", "resourceVersion": "1"}}));
        old.apply_defaults();
        let mut new = old.clone();
        new.type_ = Some("kubernetes.io/tls".into());
        assert_eq!(
            msgs(&new.validate_update(&old)),
            vec![
                "type: Invalid value: \"kubernetes.io/tls\": field is immutable",
                "data[tls.crt]: Required value",
                "data[tls.key]: Required value",
            ]
        );
    }

    #[test]
    fn string_data_is_merged_into_data_and_not_kept() {
        let mut s: Secret = obj(json!({"metadata": {"name": "s", "namespace": "d"},
            "data": {"a": "eA=="}, "stringData": {"a": "y", "b": "z"}}));
        s.apply_defaults();
        assert_eq!(s.type_.as_deref(), Some("Opaque"));
        assert!(s.string_data.is_none());
        let data = s.data.expect("data");
        assert_eq!(data["a"].0, b"y");
        assert_eq!(data["b"].0, b"z");
    }

    #[test]
    fn endpoints_may_not_point_at_loopback() {
        let ep: Endpoints = obj(json!({"metadata": {"name": "e", "namespace": "d"},
            "subsets": [{"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": 80, "protocol": "TCP"}]}]}));
        assert_eq!(
            msgs(&ep.validate_create()),
            vec![
                "subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"
            ]
        );
    }

    #[test]
    fn namespaces_get_their_name_label_finalizer_and_phase() {
        let mut ns: Namespace = obj(json!({"metadata": {"name": "team-a"}}));
        ns.apply_defaults();
        ns.prepare_for_create();
        assert!(ns.validate_create().is_empty());
        assert_eq!(
            ns.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/metadata.name"))
                .map(String::as_str),
            Some("team-a")
        );
        assert_eq!(
            ns.spec.and_then(|s| s.finalizers),
            Some(vec!["kubernetes".to_string()])
        );
        assert_eq!(ns.status.and_then(|s| s.phase).as_deref(), Some("Active"));
    }

    #[test]
    fn a_namespace_without_deletion_must_stay_active() {
        let mut old: Namespace = obj(json!({"metadata": {"name": "n", "resourceVersion": "1"}}));
        old.apply_defaults();
        let mut new = old.clone();
        new.status.as_mut().expect("status").phase = Some("Terminating".into());
        assert_eq!(
            msgs(&new.validate_status_update(&old)),
            vec![
                "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"
            ]
        );
    }

    #[test]
    fn node_taint_errors_are_reported_under_metadata_taints_as_upstream_does() {
        let n: Node = obj(
            json!({"metadata": {"name": "n1"}, "spec": {"taints": [{"key": "k", "effect": "Sometimes"}]}}),
        );
        assert_eq!(
            msgs(&n.validate_create()),
            vec![
                "metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""
            ]
        );
    }

    #[test]
    fn a_v1_event_must_match_its_involved_objects_namespace() {
        let ev: Event = obj(json!({"metadata": {"name": "e.1", "namespace": "a"},
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": "b"}}));
        assert_eq!(
            msgs(&ev.validate_create()),
            vec!["involvedObject.namespace: Invalid value: \"b\": does not match event.namespace"]
        );
    }

    #[test]
    fn an_invalid_label_on_a_pod_update_is_reported_once() {
        let old = stored_pod();
        let mut new = old.clone();
        new.metadata.labels = Some([("app".to_string(), "-bad".to_string())].into());
        new.prepare_for_update(&old);
        assert_eq!(
            msgs(&new.validate_update(&old)),
            vec![
                "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
            ]
        );
    }

    #[test]
    fn host_network_templates_must_use_equal_host_and_container_ports() {
        let spec: PodSpec = obj(
            json!({"hostNetwork": true, "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30,
            "containers": [{"name": "c", "image": "x", "imagePullPolicy": "Always", "terminationMessagePolicy": "File",
                "ports": [{"containerPort": 80, "hostPort": 8080, "protocol": "TCP"}]}]}),
        );
        assert_eq!(
            msgs(&validate_pod_spec(&spec, &root("spec"))),
            vec![
                "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"
            ]
        );
    }
}
