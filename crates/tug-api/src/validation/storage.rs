//! Validation of `storage.k8s.io/v1` StorageClasses (`pkg/apis/storage/validation`, 1.33):
//! a provisioner (a qualified name, case-insensitive), bounded parameters, supported
//! reclaim policy and binding mode, valid allowed topologies; on update the parameters,
//! provisioner, reclaim policy and binding mode cannot change.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::TopologySelectorTerm;
use k8s_openapi::api::storage::v1::StorageClass;

use super::meta::{
    validate_core_object_meta, validate_core_object_meta_update, validate_label_name,
};
use super::names::{is_qualified_name, name_is_dns_subdomain};
use super::{FIELD_IMMUTABLE_ERROR_MSG, too_long};
use crate::field::{ErrorList, FieldError, Path};

const MAX_PROVISIONER_PARAMETER_SIZE: usize = 256 * 1024;
const MAX_PROVISIONER_PARAMETER_LEN: usize = 512;

fn root(name: &str) -> Path {
    Path::new(name)
}

/// `validateProvisioner`.
fn validate_provisioner(provisioner: &str, path: &Path) -> ErrorList {
    if provisioner.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    is_qualified_name(&provisioner.to_lowercase())
        .into_iter()
        .map(|m| FieldError::invalid(path, provisioner, m))
        .collect()
}

/// `validateParameters`: at most 512 entries, non-empty keys, 256 KiB in total.
fn validate_parameters(params: Option<&BTreeMap<String, String>>, path: &Path) -> ErrorList {
    let Some(params) = params else {
        return Vec::new();
    };
    if params.len() > MAX_PROVISIONER_PARAMETER_LEN {
        return vec![too_long(path, MAX_PROVISIONER_PARAMETER_LEN)];
    }
    let mut errs = Vec::new();
    let mut total = 0usize;
    for (k, v) in params {
        if k.is_empty() {
            errs.push(FieldError::invalid(
                path,
                k.as_str(),
                "field can not be empty.",
            ));
        }
        total += k.len() + v.len();
    }
    if total > MAX_PROVISIONER_PARAMETER_SIZE {
        errs.push(too_long(path, MAX_PROVISIONER_PARAMETER_SIZE));
    }
    errs
}

/// `ValidateTopologySelectorTerm`: each requirement has values (a set) and a label key;
/// keys are unique within the term. Returns the term as key → values for the caller's
/// duplicate check.
fn validate_topology_selector_term(
    term: &TopologySelectorTerm,
    path: &Path,
) -> (BTreeMap<String, BTreeSet<String>>, ErrorList) {
    let mut errs = Vec::new();
    let mut exprs = BTreeMap::new();
    for (i, req) in term.match_label_expressions.iter().flatten().enumerate() {
        let rp = path.child("matchLabelExpressions").index(i);
        let vp = rp.child("values");
        if req.values.is_empty() {
            errs.push(FieldError::required(&vp, ""));
        }
        let mut values = BTreeSet::new();
        for (j, v) in req.values.iter().enumerate() {
            if !values.insert(v.clone()) {
                errs.push(FieldError::duplicate(&vp.index(j), v.as_str()));
            }
        }
        errs.extend(validate_label_name(&req.key, &rp.child("key")));
        if exprs.contains_key(&req.key) {
            errs.push(FieldError::duplicate(&rp.child("key"), req.key.as_str()));
        }
        exprs.insert(req.key.clone(), values);
    }
    (exprs, errs)
}

/// `validateAllowedTopologies`: valid terms, no two equal.
fn validate_allowed_topologies(terms: &[TopologySelectorTerm], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut seen: Vec<BTreeMap<String, BTreeSet<String>>> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        let (exprs, term_errs) = validate_topology_selector_term(term, &path.index(i));
        errs.extend(term_errs);
        if seen.contains(&exprs) {
            errs.push(FieldError::duplicate(
                &path.index(i).child("matchLabelExpressions"),
                "",
            ));
        }
        seen.push(exprs);
    }
    errs
}

/// `ValidateStorageClass`.
pub fn validate_storage_class_create(sc: &StorageClass) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &sc.metadata,
        false,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    errs.extend(validate_provisioner(&sc.provisioner, &root("provisioner")));
    errs.extend(validate_parameters(
        sc.parameters.as_ref(),
        &root("parameters"),
    ));
    if let Some(rp) = sc.reclaim_policy.as_deref()
        && !rp.is_empty()
        && rp != "Delete"
        && rp != "Retain"
    {
        errs.push(FieldError::not_supported(
            &root("reclaimPolicy"),
            rp,
            &["Delete", "Retain"],
        ));
    }
    match sc.volume_binding_mode.as_deref() {
        None => errs.push(FieldError::required(&root("volumeBindingMode"), "")),
        Some("Immediate" | "WaitForFirstConsumer") => {}
        Some(m) => errs.push(FieldError::not_supported(
            &root("volumeBindingMode"),
            m,
            &["Immediate", "WaitForFirstConsumer"],
        )),
    }
    errs.extend(validate_allowed_topologies(
        sc.allowed_topologies.as_deref().unwrap_or_default(),
        &root("allowedTopologies"),
    ));
    errs
}

/// `ValidateStorageClassUpdate`: parameters, provisioner and reclaim policy are forbidden to
/// change; the binding mode is immutable.
pub fn validate_storage_class_update(new: &StorageClass, old: &StorageClass) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &root("metadata"));
    let params = |sc: &StorageClass| sc.parameters.clone().filter(|p| !p.is_empty());
    if params(new) != params(old) {
        errs.push(FieldError::forbidden(
            &root("parameters"),
            "updates to parameters are forbidden.",
        ));
    }
    if new.provisioner != old.provisioner {
        errs.push(FieldError::forbidden(
            &root("provisioner"),
            "updates to provisioner are forbidden.",
        ));
    }
    if new.reclaim_policy != old.reclaim_policy {
        errs.push(FieldError::forbidden(
            &root("reclaimPolicy"),
            "updates to reclaimPolicy are forbidden.",
        ));
    }
    if new.volume_binding_mode != old.volume_binding_mode {
        errs.push(FieldError::invalid(
            &root("volumeBindingMode"),
            new.volume_binding_mode.clone().unwrap_or_default(),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msgs(errs: ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    fn sc(v: serde_json::Value) -> StorageClass {
        let mut sc: StorageClass = serde_json::from_value(v).expect("decodes");
        crate::defaults::net::set_object_defaults_storage_class(&mut sc);
        sc
    }

    #[test]
    fn a_provisioner_is_required_and_policies_must_be_supported() {
        let s = sc(
            json!({"metadata": {"name": "fast"}, "reclaimPolicy": "Recycle",
                          "volumeBindingMode": "Later"}),
        );
        assert_eq!(
            msgs(validate_storage_class_create(&s)),
            vec![
                "provisioner: Required value",
                "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
                "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"",
            ]
        );
        let s = sc(json!({"metadata": {"name": "fast"}, "provisioner": "Example.COM/ebs"}));
        assert!(validate_storage_class_create(&s).is_empty());
    }

    #[test]
    fn parameters_provisioner_and_policies_cannot_change() {
        let old = sc(
            json!({"metadata": {"name": "fast"}, "provisioner": "a.io/x",
                            "parameters": {"type": "gp2"}}),
        );
        let mut new = sc(json!({"metadata": {"name": "fast", "resourceVersion": "2"},
                                "provisioner": "b.io/x", "parameters": {"type": "gp3"},
                                "reclaimPolicy": "Retain",
                                "volumeBindingMode": "WaitForFirstConsumer"}));
        new.metadata.resource_version = Some("2".into());
        assert_eq!(
            msgs(validate_storage_class_update(&new, &old)),
            vec![
                "parameters: Forbidden: updates to parameters are forbidden.",
                "provisioner: Forbidden: updates to provisioner are forbidden.",
                "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
                "volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable",
            ]
        );
    }

    #[test]
    fn allowed_topologies_need_values_and_distinct_terms() {
        let s = sc(json!({"metadata": {"name": "z"}, "provisioner": "a.io/x",
        "allowedTopologies": [
            {"matchLabelExpressions": [{"key": "topology.kubernetes.io/zone", "values": ["a"]}]},
            {"matchLabelExpressions": [{"key": "topology.kubernetes.io/zone", "values": ["a"]}]},
            {"matchLabelExpressions": [{"key": "k", "values": []}]}
        ]}));
        assert_eq!(
            msgs(validate_storage_class_create(&s)),
            vec![
                "allowedTopologies[1].matchLabelExpressions: Duplicate value: \"\"",
                "allowedTopologies[2].matchLabelExpressions[0].values: Required value",
            ]
        );
    }
}
