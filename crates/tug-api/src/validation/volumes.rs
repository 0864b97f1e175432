//! Validation of PersistentVolumes and PersistentVolumeClaims (`pkg/apis/core/validation`,
//! 1.33), with upstream's messages and field paths.
//!
//! Of the volume sources a PersistentVolume may carry, `hostPath`, `local`, `nfs` and `csi`
//! get their required-field checks; the others (cloud and legacy in-tree plugins) are only
//! counted, so that exactly one source is required.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec,
};
use serde_json::Value;

use super::meta::{
    validate_core_object_meta, validate_core_object_meta_update, validate_label_selector,
};
use super::names::{is_dns1123_subdomain, name_is_dns_subdomain};
use super::quota::{go_resource_list, parse_quantity, validate_resource_quantity_value};
use super::{FIELD_IMMUTABLE_ERROR_MSG, invalid_repr, s};
use crate::field::{ErrorList, FieldError, Path};

fn root(name: &str) -> Path {
    Path::new(name)
}

const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];
const VOLUME_MODES: &[&str] = &["Block", "Filesystem"];
const RECLAIM_POLICIES: &[&str] = &["Delete", "Recycle", "Retain"];
/// `BetaStorageClassAnnotation`.
pub const BETA_STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// The access-mode checks PVs and claims share: supported values, and `ReadWriteOncePod`
/// alone.
fn validate_access_modes(modes: &[String], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let (mut rwop, mut other) = (false, false);
    for m in modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.push(FieldError::not_supported(path, m.as_str(), ACCESS_MODES));
        }
        if m == "ReadWriteOncePod" {
            rwop = true;
        } else if ACCESS_MODES.contains(&m.as_str()) {
            other = true;
        }
    }
    if rwop && other {
        errs.push(FieldError::forbidden(
            path,
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    errs
}

/// `ValidateClassName` (a DNS subdomain).
fn validate_class_name(name: &str, path: &Path) -> ErrorList {
    is_dns1123_subdomain(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect()
}

/// `validatePathNoBacksteps`.
fn no_backsteps(target: &str, path: &Path) -> ErrorList {
    if target.split('/').any(|p| p == "..") {
        vec![FieldError::invalid(path, target, "must not contain '..'")]
    } else {
        Vec::new()
    }
}

/// The volume sources of a PV, in the order upstream checks them, with their JSON names.
fn volume_sources(spec: &PersistentVolumeSpec) -> Vec<&'static str> {
    let mut v = Vec::new();
    let mut add = |set: bool, name: &'static str| {
        if set {
            v.push(name)
        }
    };
    add(spec.host_path.is_some(), "hostPath");
    add(spec.gce_persistent_disk.is_some(), "gcePersistentDisk");
    add(
        spec.aws_elastic_block_store.is_some(),
        "awsElasticBlockStore",
    );
    add(spec.glusterfs.is_some(), "glusterfs");
    add(spec.flocker.is_some(), "flocker");
    add(spec.nfs.is_some(), "nfs");
    add(spec.rbd.is_some(), "rbd");
    add(spec.quobyte.is_some(), "quobyte");
    add(spec.cephfs.is_some(), "cephFS");
    add(spec.iscsi.is_some(), "iscsi");
    add(spec.cinder.is_some(), "cinder");
    add(spec.fc.is_some(), "fc");
    add(spec.flex_volume.is_some(), "flexVolume");
    add(spec.azure_file.is_some(), "azureFile");
    add(spec.vsphere_volume.is_some(), "vsphereVolume");
    add(
        spec.photon_persistent_disk.is_some(),
        "photonPersistentDisk",
    );
    add(spec.portworx_volume.is_some(), "portworxVolume");
    add(spec.azure_disk.is_some(), "azureDisk");
    add(spec.scale_io.is_some(), "scaleIO");
    add(spec.local.is_some(), "local");
    add(spec.storageos.is_some(), "storageos");
    add(spec.csi.is_some(), "csi");
    v
}

/// The checks of one PV source (the supported ones).
fn validate_pv_source(spec: &PersistentVolumeSpec, source: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let p = path.child(source);
    match source {
        "hostPath" => {
            if let Some(h) = spec.host_path.as_ref() {
                if h.path.is_empty() {
                    errs.push(FieldError::required(&p.child("path"), ""));
                } else {
                    errs.extend(no_backsteps(&h.path, &p.child("path")));
                }
            }
        }
        "local" => {
            if let Some(l) = spec.local.as_ref() {
                if l.path.is_empty() {
                    errs.push(FieldError::required(&p.child("path"), ""));
                } else {
                    if !l.path.starts_with('/') {
                        errs.push(FieldError::invalid(
                            &p.child("path"),
                            l.path.as_str(),
                            "must be an absolute path",
                        ));
                    }
                    errs.extend(no_backsteps(&l.path, &p.child("path")));
                }
            }
        }
        "nfs" => {
            if let Some(n) = spec.nfs.as_ref() {
                if n.server.is_empty() {
                    errs.push(FieldError::required(&p.child("server"), ""));
                }
                if n.path.is_empty() {
                    errs.push(FieldError::required(&p.child("path"), ""));
                }
                if !n.path.starts_with('/') {
                    errs.push(FieldError::invalid(
                        &p.child("path"),
                        n.path.as_str(),
                        "must be an absolute path",
                    ));
                }
            }
        }
        "csi" => {
            if let Some(c) = spec.csi.as_ref() {
                if c.driver.is_empty() {
                    errs.push(FieldError::required(&p.child("driver"), ""));
                }
                if c.volume_handle.is_empty() {
                    errs.push(FieldError::required(&p.child("volumeHandle"), ""));
                }
            }
        }
        _ => {}
    }
    errs
}

/// `ValidatePersistentVolumeSpec` (not inline).
pub fn validate_pv_spec(spec: &PersistentVolumeSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let modes = spec.access_modes.as_deref().unwrap_or_default();
    if modes.is_empty() {
        errs.push(FieldError::required(&path.child("accessModes"), ""));
    }
    errs.extend(validate_access_modes(modes, &path.child("accessModes")));
    let cap_path = path.child("capacity");
    let empty = Default::default();
    let capacity = spec.capacity.as_ref().unwrap_or(&empty);
    if capacity.is_empty() {
        errs.push(FieldError::required(&cap_path, ""));
    }
    if !capacity.contains_key("storage") || capacity.len() > 1 {
        errs.push(super::not_supported_repr(
            &cap_path,
            &go_resource_list(capacity),
            &["storage"],
        ));
    }
    for (k, q) in capacity {
        let kp = cap_path.key(k);
        match parse_quantity(q, &kp) {
            Err(e) => errs.push(e),
            Ok(v) => {
                if v.value() <= 0 {
                    errs.push(FieldError::invalid(
                        &kp,
                        v.value() as i64,
                        "must be a valid resource quantity",
                    ));
                }
                if v.signum() <= 0 {
                    errs.push(FieldError::invalid(
                        &kp,
                        v.canonical(),
                        "must be greater than zero",
                    ));
                }
            }
        }
    }
    let policy = s(&spec.persistent_volume_reclaim_policy);
    if !policy.is_empty() && !RECLAIM_POLICIES.contains(&policy) {
        errs.push(FieldError::not_supported(
            &path.child("persistentVolumeReclaimPolicy"),
            policy,
            RECLAIM_POLICIES,
        ));
    }
    let node_affinity = spec
        .node_affinity
        .as_ref()
        .is_some_and(|a| a.required.is_some());
    if let Some(a) = spec.node_affinity.as_ref()
        && a.required.is_none()
    {
        errs.push(FieldError::required(
            &path.child("nodeAffinity").child("required"),
            "must specify required node constraints",
        ));
    }
    let sources = volume_sources(spec);
    for (i, src) in sources.iter().enumerate() {
        if i > 0 && *src != "flexVolume" {
            errs.push(FieldError::forbidden(
                &path.child(src),
                "may not specify more than 1 volume type",
            ));
            continue;
        }
        errs.extend(validate_pv_source(spec, src, path));
        if *src == "local" && !node_affinity {
            errs.push(FieldError::required(
                &path.child("nodeAffinity"),
                "Local volume requires node affinity",
            ));
        }
    }
    if sources.is_empty() {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
    if let Some(h) = spec.host_path.as_ref()
        && h.path.trim_end_matches('/').is_empty()
        && h.path.starts_with('/')
        && policy == "Recycle"
    {
        errs.push(FieldError::forbidden(
            &path.child("persistentVolumeReclaimPolicy"),
            "may not be 'recycle' for a hostPath mount of '/'",
        ));
    }
    let class = s(&spec.storage_class_name);
    if !class.is_empty() {
        errs.extend(validate_class_name(class, &path.child("storageClassName")));
    }
    if let Some(m) = spec.volume_mode.as_deref()
        && !VOLUME_MODES.contains(&m)
    {
        errs.push(FieldError::not_supported(
            &path.child("volumeMode"),
            m,
            VOLUME_MODES,
        ));
    }
    errs
}

/// `ValidatePersistentVolume`: cluster-scoped metadata and spec.
pub fn validate_pv_create(pv: &PersistentVolume) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &pv.metadata,
        false,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    errs.extend(validate_pv_spec(
        &pv.spec.clone().unwrap_or_default(),
        &root("spec"),
    ));
    errs
}

/// Upstream's Go field name of a JSON key in a diff.
fn go_field_name(json_key: &str) -> String {
    match json_key {
        "csi" => "CSI".into(),
        "nfs" => "NFS".into(),
        "iscsi" => "ISCSI".into(),
        "rbd" => "RBD".into(),
        "fc" => "FC".into(),
        "cephfs" => "CephFS".into(),
        "storageos" => "StorageOS".into(),
        "scaleIO" => "ScaleIO".into(),
        "gcePersistentDisk" => "GCEPersistentDisk".into(),
        "awsElasticBlockStore" => "AWSElasticBlockStore".into(),
        k => {
            let mut c = k.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
    }
}

/// A readable stand-in for upstream's `cmp.Diff(old, new)` of a struct (go-cmp randomises
/// its exact layout): the changed fields, old value then new.
fn struct_diff(type_name: &str, old: &Value, new: &Value) -> String {
    let empty = serde_json::Map::new();
    let om = old.as_object().unwrap_or(&empty);
    let nm = new.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = om.keys().chain(nm.keys()).collect();
    let mut out = format!("  {type_name}{{\n");
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

/// The volume-source part of a PV spec (what `spec.persistentvolumesource` names).
fn pv_source_json(spec: &PersistentVolumeSpec) -> Value {
    let mut v = serde_json::to_value(spec).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        for f in [
            "accessModes",
            "capacity",
            "claimRef",
            "mountOptions",
            "nodeAffinity",
            "persistentVolumeReclaimPolicy",
            "storageClassName",
            "volumeAttributesClassName",
            "volumeMode",
        ] {
            o.remove(f);
        }
    }
    v
}

/// `ValidatePersistentVolumeUpdate`: validity, an immutable volume source (a CSI
/// `controllerExpandSecretRef` may be added), an immutable `volumeMode`, and node affinity
/// that may only be set when it was not.
pub fn validate_pv_update(pv: &PersistentVolume, old: &PersistentVolume) -> ErrorList {
    let mut errs = validate_pv_create(pv);
    errs.extend(validate_core_object_meta_update(
        &pv.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    let mut ns = pv.spec.clone().unwrap_or_default();
    let os = old.spec.clone().unwrap_or_default();
    if let (Some(oc), Some(nc)) = (os.csi.as_ref(), ns.csi.as_mut())
        && oc.controller_expand_secret_ref.is_none()
    {
        nc.controller_expand_secret_ref = None;
    }
    let (a, b) = (pv_source_json(&os), pv_source_json(&ns));
    if !super::workloads::semantic_eq(&a, &b) {
        errs.push(FieldError::forbidden(
            &root("spec").child("persistentvolumesource"),
            format!(
                "spec.persistentvolumesource is immutable after creation\n{}",
                struct_diff("core.PersistentVolumeSource", &a, &b)
            ),
        ));
    }
    if ns.volume_mode != os.volume_mode {
        errs.push(FieldError::invalid(
            &root("volumeMode"),
            s(&ns.volume_mode),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if os.node_affinity.is_some() && ns.node_affinity != os.node_affinity {
        errs.push(invalid_repr(
            &root("nodeAffinity"),
            "core.VolumeNodeAffinity{...}",
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

/// `ValidatePersistentVolumeStatusUpdate`: metadata update and a resourceVersion.
pub fn validate_pv_status_update(pv: &PersistentVolume, old: &PersistentVolume) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&pv.metadata, &old.metadata, &root("metadata"));
    if s(&pv.metadata.resource_version).is_empty() {
        errs.push(FieldError::required(&root("resourceVersion"), ""));
    }
    errs
}

/// `validateDataSource` / `validateDataSourceRef`.
fn validate_data_source(
    name: &str,
    kind: &str,
    api_group: Option<&str>,
    namespace: Option<&str>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    }
    if kind.is_empty() {
        errs.push(FieldError::required(&path.child("kind"), ""));
    }
    let group = api_group.unwrap_or("");
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        errs.push(FieldError::invalid(
            path,
            kind,
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ));
    }
    if !group.is_empty() {
        for m in is_dns1123_subdomain(group) {
            errs.push(FieldError::invalid(&path.child("apiGroup"), group, m));
        }
    }
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        for m in super::names::name_is_dns_label(ns, false) {
            errs.push(FieldError::invalid(&path.child("namespace"), ns, m));
        }
    }
    errs
}

/// `ValidatePersistentVolumeClaimSpec`.
pub fn validate_pvc_spec(spec: &PersistentVolumeClaimSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let modes = spec.access_modes.as_deref().unwrap_or_default();
    if modes.is_empty() {
        errs.push(FieldError::required(
            &path.child("accessModes"),
            "at least 1 access mode is required",
        ));
    }
    if let Some(sel) = spec.selector.as_ref() {
        errs.extend(validate_label_selector(
            Some(sel),
            false,
            &path.child("selector"),
        ));
    }
    errs.extend(validate_access_modes(modes, &path.child("accessModes")));
    let sp = path.child("resources").key("storage");
    match spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
    {
        None => errs.push(FieldError::required(&sp, "")),
        Some(q) => match parse_quantity(q, &sp) {
            Err(e) => errs.push(e),
            Ok(v) if v.signum() <= 0 => errs.push(FieldError::invalid(
                &sp,
                v.canonical(),
                "must be greater than zero",
            )),
            Ok(_) => errs.extend(validate_resource_quantity_value("storage", q, &sp)),
        },
    }
    let class = s(&spec.storage_class_name);
    if !class.is_empty() {
        errs.extend(validate_class_name(class, &path.child("storageClassName")));
    }
    if let Some(m) = spec.volume_mode.as_deref()
        && !VOLUME_MODES.contains(&m)
    {
        errs.push(FieldError::not_supported(
            &path.child("volumeMode"),
            m,
            VOLUME_MODES,
        ));
    }
    if let Some(ds) = spec.data_source.as_ref() {
        errs.extend(validate_data_source(
            &ds.name,
            &ds.kind,
            ds.api_group.as_deref(),
            None,
            &path.child("dataSource"),
        ));
    }
    if let Some(r) = spec.data_source_ref.as_ref() {
        errs.extend(validate_data_source(
            &r.name,
            &r.kind,
            r.api_group.as_deref(),
            r.namespace.as_deref(),
            &path.child("dataSourceRef"),
        ));
    }
    let ref_ns = spec
        .data_source_ref
        .as_ref()
        .and_then(|r| r.namespace.as_deref())
        .filter(|n| !n.is_empty());
    if ref_ns.is_some() {
        if spec.data_source.is_some() {
            errs.push(FieldError::invalid(
                path,
                path.child("dataSource").as_str(),
                "may not be specified when dataSourceRef.namespace is specified",
            ));
        }
    } else if let (Some(ds), Some(r)) = (spec.data_source.as_ref(), spec.data_source_ref.as_ref())
        && (ds.api_group != r.api_group || ds.kind != r.kind || ds.name != r.name)
    {
        errs.push(FieldError::invalid(
            path,
            path.child("dataSource").as_str(),
            "must match dataSourceRef",
        ));
    }
    errs
}

fn pvc_spec(pvc: &PersistentVolumeClaim) -> PersistentVolumeClaimSpec {
    pvc.spec.clone().unwrap_or_default()
}

/// `ValidatePersistentVolumeClaim`.
pub fn validate_pvc_create(pvc: &PersistentVolumeClaim) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &pvc.metadata,
        true,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    errs.extend(validate_pvc_spec(&pvc_spec(pvc), &root("spec")));
    errs
}

/// `ValidatePersistentVolumeClaimUpdate`: the spec is immutable except a `volumeName` set
/// once, a storage class set where there was none, and (for bound claims) the requested
/// storage, which may not go below the previous request or the current capacity.
pub fn validate_pvc_update(pvc: &PersistentVolumeClaim, old: &PersistentVolumeClaim) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&pvc.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_pvc_create(pvc));
    let (ns, os) = (pvc_spec(pvc), pvc_spec(old));
    let (mut new_clone, mut old_clone) = (ns.clone(), os.clone());
    if s(&os.volume_name).is_empty() {
        old_clone.volume_name.clone_from(&new_clone.volume_name);
    }
    let annotation = |p: &PersistentVolumeClaim| {
        p.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(BETA_STORAGE_CLASS_ANNOTATION).cloned())
    };
    let (old_ann, new_ann) = (annotation(old), annotation(pvc));
    let upgrade_from_annotation = old_ann.is_some()
        && os.storage_class_name.is_none()
        && ns.storage_class_name.is_some()
        && ns.storage_class_name == old_ann
        && (new_ann.is_none() || new_ann == old_ann);
    if upgrade_from_annotation {
        new_clone.storage_class_name = None;
    } else {
        if new_ann != old_ann {
            errs.push(FieldError::invalid(
                &root("metadata")
                    .child("annotations")
                    .child(BETA_STORAGE_CLASS_ANNOTATION),
                new_ann.clone().unwrap_or_default(),
                FIELD_IMMUTABLE_ERROR_MSG,
            ));
        }
        let upgrade_from_nil = ns.storage_class_name.is_some()
            && os.storage_class_name.is_none()
            && (old_ann.is_none() || old_ann == ns.storage_class_name);
        if upgrade_from_nil {
            new_clone
                .storage_class_name
                .clone_from(&old_clone.storage_class_name);
        }
    }
    let bound = pvc.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
    if bound
        && let Some(reqs) = new_clone
            .resources
            .as_mut()
            .and_then(|r| r.requests.as_mut())
    {
        match os
            .resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
        {
            Some(q) => {
                reqs.insert("storage".into(), q.clone());
            }
            None => {
                reqs.remove("storage");
            }
        }
    }
    new_clone
        .volume_attributes_class_name
        .clone_from(&old_clone.volume_attributes_class_name);
    if !super::workloads::semantic_eq(&new_clone, &old_clone) {
        let a = serde_json::to_value(&old_clone).unwrap_or_default();
        let b = serde_json::to_value(&new_clone).unwrap_or_default();
        errs.push(FieldError::forbidden(
            &root("spec"),
            format!(
                "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{}",
                struct_diff("core.PersistentVolumeClaimSpec", &a, &b)
            ),
        ));
    }
    let size = |spec: &PersistentVolumeClaimSpec| {
        spec.resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .and_then(|q| super::quantity::Quantity::parse(&q.0).ok())
    };
    let status_size = old
        .status
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .and_then(|q| super::quantity::Quantity::parse(&q.0).ok());
    if let (Some(n), Some(o)) = (size(&ns), size(&os))
        && n.cmp_value(&o) == std::cmp::Ordering::Less
    {
        let zero = super::quantity::Quantity::parse("0").ok();
        if let Some(st) = status_size.or(zero)
            && n.cmp_value(&st) != std::cmp::Ordering::Greater
        {
            errs.push(FieldError::forbidden(
                &root("spec")
                    .child("resources")
                    .child("requests")
                    .child("storage"),
                "field can not be less than status.capacity",
            ));
        }
    }
    if ns.volume_mode != os.volume_mode {
        errs.push(FieldError::invalid(
            &root("volumeMode"),
            s(&ns.volume_mode),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

/// `ValidatePersistentVolumeClaimStatusUpdate`: metadata update, a resourceVersion and
/// valid capacities.
pub fn validate_pvc_status_update(
    pvc: &PersistentVolumeClaim,
    old: &PersistentVolumeClaim,
) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&pvc.metadata, &old.metadata, &root("metadata"));
    if s(&pvc.metadata.resource_version).is_empty() {
        errs.push(FieldError::required(&root("resourceVersion"), ""));
    }
    let cap_path = root("status").child("capacity");
    for (k, q) in pvc.status.iter().flat_map(|s| s.capacity.iter().flatten()) {
        errs.extend(super::quota::validate_resource_name(k, &cap_path.key(k)));
        errs.extend(validate_resource_quantity_value(k, q, &cap_path.key(k)));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_claim_needs_access_modes_and_a_storage_request() {
        let pvc: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "data", "namespace": "d"}, "spec": {}
        }))
        .expect("pvc");
        assert_eq!(
            msgs(&validate_pvc_create(&pvc)),
            vec![
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value"
            ]
        );
    }

    #[test]
    fn a_volume_needs_modes_capacity_and_exactly_one_source() {
        let pv: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pv1"},
            "spec": {"accessModes": ["ReadWriteOnce", "Sometimes"], "capacity": {"storage": "1Gi"},
                     "hostPath": {"path": "/data"}, "nfs": {"server": "s", "path": "/x"}}
        }))
        .expect("pv");
        assert_eq!(
            msgs(&validate_pv_create(&pv)),
            vec![
                "spec.accessModes: Unsupported value: \"Sometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                "spec.nfs: Forbidden: may not specify more than 1 volume type"
            ]
        );
        let bare: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pv1"},
            "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}}
        }))
        .expect("pv");
        assert_eq!(
            msgs(&validate_pv_create(&bare)),
            vec!["spec: Required value: must specify a volume type"]
        );
    }
}
