//! Object metadata, labels, annotations and label selectors, as upstream's
//! `apimachinery/pkg/api/validation/objectmeta.go`, `apis/meta/v1/validation` and
//! `pkg/apis/core/validation.ValidateObjectMeta{,Update}` (which adds the check of
//! legacy finalizer names).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, LabelSelectorRequirement, ObjectMeta, OwnerReference, Time,
};
use serde_json::Value;

use super::names::{NameFn, is_qualified_name, is_valid_label_value};
use super::{
    FIELD_IMMUTABLE_ERROR_MSG, go_quote, go_string_map, go_string_slice, go_time, invalid_repr,
    too_long, validate_immutable, validate_immutable_repr, validate_nonnegative,
};
use crate::field::{ErrorList, FieldError, Path};

/// Total size limit of all annotation keys and values (`TotalAnnotationSizeLimitB`).
pub const TOTAL_ANNOTATION_SIZE_LIMIT_B: usize = 256 * 1024;

/// Finalizer names without a domain that upstream accepts (`IsStandardFinalizerName`).
pub const STANDARD_FINALIZERS: &[&str] = &["kubernetes", "orphan", "foregroundDeletion"];

/// `ValidateLabelName`: a label key must be a qualified name.
pub fn validate_label_name(key: &str, path: &Path) -> ErrorList {
    is_qualified_name(key)
        .into_iter()
        .map(|msg| FieldError::invalid(path, key, msg))
        .collect()
}

/// `ValidateLabels`: keys are qualified names, values valid label values. Errors name
/// the map's path (not the key), as upstream.
pub fn validate_labels(labels: Option<&BTreeMap<String, String>>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (k, v) in labels.into_iter().flatten() {
        errs.extend(validate_label_name(k, path));
        for msg in is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, v.as_str(), msg));
        }
    }
    errs
}

/// `ValidateAnnotations`: keys are qualified names (checked lower-cased) and keys plus
/// values total at most 256 KiB.
pub fn validate_annotations(
    annotations: Option<&BTreeMap<String, String>>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut total = 0usize;
    for (k, v) in annotations.into_iter().flatten() {
        for msg in is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, k.as_str(), msg));
        }
        total += k.len() + v.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B {
        errs.push(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
    }
    errs
}

fn go_bool_ptr(b: Option<bool>) -> String {
    // Upstream prints the pointer's address; a fixed placeholder stands in for it.
    match b {
        None => "(*bool)(nil)".to_string(),
        Some(_) => "(*bool)(0xc000000001)".to_string(),
    }
}

/// Go's `%#v` of a `metav1.OwnerReference`.
pub fn go_owner_reference(r: &OwnerReference) -> String {
    format!(
        "v1.OwnerReference{{APIVersion:{}, Kind:{}, Name:{}, UID:{}, Controller:{}, BlockOwnerDeletion:{}}}",
        go_quote(&r.api_version),
        go_quote(&r.kind),
        go_quote(&r.name),
        go_quote(&r.uid),
        go_bool_ptr(r.controller),
        go_bool_ptr(r.block_owner_deletion)
    )
}

/// `schema.ParseGroupVersion` + `FromAPIVersionAndKind`: (group, version).
fn parse_group_version(api_version: &str) -> (String, String) {
    if api_version.is_empty() || api_version == "/" {
        return (String::new(), String::new());
    }
    match api_version.matches('/').count() {
        0 => (String::new(), api_version.to_string()),
        1 => {
            let (g, v) = api_version.split_once('/').unwrap_or(("", api_version));
            (g.to_string(), v.to_string())
        }
        _ => (String::new(), String::new()),
    }
}

/// `ValidateOwnerReferences`: apiVersion, kind, name and uid set; no core/v1 Event owners;
/// at most one controller.
pub fn validate_owner_references(refs: Option<&[OwnerReference]>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let refs = refs.unwrap_or_default();
    let mut first_controller = String::new();
    for r in refs {
        let (group, version) = parse_group_version(&r.api_version);
        if version.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("apiVersion"),
                r.api_version.as_str(),
                "version must not be empty",
            ));
        }
        if r.kind.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("kind"),
                r.kind.as_str(),
                "kind must not be empty",
            ));
        }
        if r.name.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("name"),
                r.name.as_str(),
                "name must not be empty",
            ));
        }
        if r.uid.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("uid"),
                r.uid.as_str(),
                "uid must not be empty",
            ));
        }
        if group.is_empty() && version == "v1" && r.kind == "Event" {
            errs.push(invalid_repr(
                path,
                &go_owner_reference(r),
                "/v1, Kind=Event is disallowed from being an owner",
            ));
        }
        if r.controller == Some(true) {
            let current = format!("{}/{}", r.kind, r.name);
            if first_controller.is_empty() {
                first_controller = current;
            } else {
                let all: Vec<String> = refs.iter().map(go_owner_reference).collect();
                errs.push(invalid_repr(
                    path,
                    &format!("[]v1.OwnerReference{{{}}}", all.join(", ")),
                    &format!(
                        "Only one reference can have Controller set to true. Found \"true\" in references for {first_controller} and {current}"
                    ),
                ));
            }
        }
    }
    errs
}

/// `ValidateFinalizers`: qualified names, and not both `orphan` and `foregroundDeletion`.
pub fn validate_finalizers(finalizers: Option<&[String]>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let fins = finalizers.unwrap_or_default();
    for f in fins {
        for msg in is_qualified_name(f) {
            errs.push(FieldError::invalid(path, f.as_str(), msg));
        }
    }
    if fins.iter().any(|f| f == "orphan") && fins.iter().any(|f| f == "foregroundDeletion") {
        errs.push(invalid_repr(
            path,
            &go_string_slice(Some(fins)),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    errs
}

/// `validateKubeFinalizerName`: a finalizer without a domain must be a standard one.
pub fn validate_kube_finalizer_name(name: &str, path: &Path) -> ErrorList {
    if !name.contains('/') && !STANDARD_FINALIZERS.contains(&name) {
        vec![FieldError::invalid(
            path,
            name,
            "name is neither a standard finalizer name nor is it fully qualified",
        )]
    } else {
        Vec::new()
    }
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// `apimachineryvalidation.ValidateObjectMeta`: name (or generateName) per `name_fn`,
/// namespace required for namespaced kinds (and a DNS label) or forbidden for
/// cluster-scoped ones, generation, labels, annotations, owner references, finalizers.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    requires_namespace: bool,
    name_fn: NameFn,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let generate_name = opt(&meta.generate_name);
    if !generate_name.is_empty() {
        for msg in name_fn(generate_name, true) {
            errs.push(FieldError::invalid(
                &path.child("generateName"),
                generate_name,
                msg,
            ));
        }
    }
    let name = opt(&meta.name);
    if name.is_empty() {
        errs.push(FieldError::required(
            &path.child("name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_fn(name, false) {
            errs.push(FieldError::invalid(&path.child("name"), name, msg));
        }
    }
    let namespace = opt(&meta.namespace);
    if requires_namespace {
        if namespace.is_empty() {
            errs.push(FieldError::required(&path.child("namespace"), ""));
        } else {
            for msg in super::names::name_is_dns_label(namespace, false) {
                errs.push(FieldError::invalid(
                    &path.child("namespace"),
                    namespace,
                    msg,
                ));
            }
        }
    } else if !namespace.is_empty() {
        errs.push(FieldError::forbidden(
            &path.child("namespace"),
            "not allowed on this type",
        ));
    }
    errs.extend(validate_nonnegative(
        meta.generation.unwrap_or(0),
        &path.child("generation"),
    ));
    errs.extend(validate_labels(meta.labels.as_ref(), &path.child("labels")));
    errs.extend(validate_annotations(
        meta.annotations.as_ref(),
        &path.child("annotations"),
    ));
    errs.extend(validate_owner_references(
        meta.owner_references.as_deref(),
        &path.child("ownerReferences"),
    ));
    errs.extend(validate_finalizers(
        meta.finalizers.as_deref(),
        &path.child("finalizers"),
    ));
    errs
}

fn kube_finalizer_names(meta: &ObjectMeta, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, f) in meta.finalizers.iter().flatten().enumerate() {
        errs.extend(validate_kube_finalizer_name(
            f,
            &path.child("finalizers").index(i),
        ));
    }
    errs
}

/// `corevalidation.ValidateObjectMeta`: [`validate_object_meta`] plus legacy finalizer
/// names (used by core and apps kinds).
pub fn validate_core_object_meta(
    meta: &ObjectMeta,
    requires_namespace: bool,
    name_fn: NameFn,
    path: &Path,
) -> ErrorList {
    let mut errs = validate_object_meta(meta, requires_namespace, name_fn, path);
    errs.extend(kube_finalizer_names(meta, path));
    errs
}

/// Renders a `metav1.Time` the way upstream prints it in errors (`String()`); Go's zero
/// time for a missing one.
pub fn go_meta_time(t: Option<&Time>) -> String {
    match t {
        Some(t) => go_time(&t.0),
        None => "0001-01-01 00:00:00 +0000 UTC".to_string(),
    }
}

/// `apimachineryvalidation.ValidateObjectMetaUpdate`: no new finalizers while deleting,
/// resourceVersion set, generation not decremented, name/namespace/uid/creationTimestamp/
/// deletionTimestamp/deletionGracePeriodSeconds immutable, labels/annotations/owner
/// references valid.
pub fn validate_object_meta_update(new: &ObjectMeta, old: &ObjectMeta, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if old.deletion_timestamp.is_some() {
        let old_f = old.finalizers.as_deref().unwrap_or_default();
        let mut extra: Vec<String> = new
            .finalizers
            .iter()
            .flatten()
            .filter(|f| !old_f.contains(f))
            .cloned()
            .collect();
        extra.sort();
        extra.dedup();
        if !extra.is_empty() {
            errs.push(FieldError::forbidden(
                &path.child("finalizers"),
                format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers {}",
                    go_string_slice(Some(&extra))
                ),
            ));
        }
    }
    let rv = opt(&new.resource_version);
    if rv.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("resourceVersion"),
            rv,
            "must be specified for an update",
        ));
    }
    let (ng, og) = (new.generation.unwrap_or(0), old.generation.unwrap_or(0));
    if ng < og {
        errs.push(FieldError::invalid(
            &path.child("generation"),
            ng,
            "must not be decremented",
        ));
    }
    let s = |v: &Option<String>| Value::from(opt(v));
    errs.extend(validate_immutable(
        &new.name,
        &old.name,
        &path.child("name"),
        s,
    ));
    errs.extend(validate_immutable(
        &new.namespace,
        &old.namespace,
        &path.child("namespace"),
        s,
    ));
    errs.extend(validate_immutable(
        &new.uid,
        &old.uid,
        &path.child("uid"),
        s,
    ));
    errs.extend(validate_immutable_repr(
        &new.creation_timestamp,
        &old.creation_timestamp,
        &path.child("creationTimestamp"),
        |t| go_meta_time(t.as_ref()),
    ));
    errs.extend(validate_immutable_repr(
        &new.deletion_timestamp,
        &old.deletion_timestamp,
        &path.child("deletionTimestamp"),
        |t| match t {
            Some(t) => go_time(&t.0),
            None => "\"null\"".to_string(),
        },
    ));
    errs.extend(validate_immutable(
        &new.deletion_grace_period_seconds,
        &old.deletion_grace_period_seconds,
        &path.child("deletionGracePeriodSeconds"),
        |v| v.map(Value::from).unwrap_or(Value::Null),
    ));
    errs.extend(validate_labels(new.labels.as_ref(), &path.child("labels")));
    errs.extend(validate_annotations(
        new.annotations.as_ref(),
        &path.child("annotations"),
    ));
    errs.extend(validate_owner_references(
        new.owner_references.as_deref(),
        &path.child("ownerReferences"),
    ));
    errs
}

/// `corevalidation.ValidateObjectMetaUpdate`: [`validate_object_meta_update`] plus legacy
/// finalizer names.
pub fn validate_core_object_meta_update(
    new: &ObjectMeta,
    old: &ObjectMeta,
    path: &Path,
) -> ErrorList {
    let mut errs = validate_object_meta_update(new, old, path);
    errs.extend(kube_finalizer_names(new, path));
    errs
}

/// `ValidateLabelSelectorRequirement`.
pub fn validate_label_selector_requirement(
    r: &LabelSelectorRequirement,
    allow_invalid_label_value: bool,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let values = r.values.as_deref().unwrap_or_default();
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if values.is_empty() {
                errs.push(FieldError::required(
                    &path.child("values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                ));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                errs.push(FieldError::forbidden(
                    &path.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        op => errs.push(FieldError::invalid(
            &path.child("operator"),
            op,
            "not a valid selector operator",
        )),
    }
    errs.extend(validate_label_name(&r.key, &path.child("key")));
    if !allow_invalid_label_value {
        for (i, v) in values.iter().enumerate() {
            for msg in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &path.child("values").index(i),
                    v.as_str(),
                    msg,
                ));
            }
        }
    }
    errs
}

/// `ValidateLabelSelector`: matchLabels as labels, each matchExpression as above.
pub fn validate_label_selector(
    sel: Option<&LabelSelector>,
    allow_invalid_label_value: bool,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let Some(sel) = sel else {
        return errs;
    };
    errs.extend(validate_labels(
        sel.match_labels.as_ref(),
        &path.child("matchLabels"),
    ));
    for (i, r) in sel.match_expressions.iter().flatten().enumerate() {
        errs.extend(validate_label_selector_requirement(
            r,
            allow_invalid_label_value,
            &path.child("matchExpressions").index(i),
        ));
    }
    errs
}

/// Go's `%#v` of a `metav1.LabelSelector` value.
pub fn go_label_selector(sel: &LabelSelector) -> String {
    let exprs = match &sel.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(rs) => {
            let items: Vec<String> = rs
                .iter()
                .map(|r| {
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                        go_quote(&r.key),
                        go_quote(&r.operator),
                        go_string_slice(r.values.as_deref())
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
        go_string_map(sel.match_labels.as_ref()),
        exprs
    )
}

/// One requirement of a parsed label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed label selector (`labels.Selector`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// Matches nothing (`labels.Nothing()`, from a nil selector).
    Nothing,
    /// All requirements must hold; none means everything.
    Requirements(Vec<RequirementSet>),
}

/// Opaque requirement list element of a [`Selector`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirementSet(Requirement);

impl Selector {
    /// `selector.Empty()`: selects everything.
    pub fn is_empty(&self) -> bool {
        matches!(self, Selector::Requirements(r) if r.is_empty())
    }

    /// `selector.Matches(labels.Set(labels))`.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k));
        match self {
            Selector::Nothing => false,
            Selector::Requirements(rs) => rs.iter().all(|RequirementSet(r)| match r {
                Requirement::In(k, vs) => get(k).is_some_and(|v| vs.contains(v)),
                Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.contains(v)),
                Requirement::Exists(k) => get(k).is_some(),
                Requirement::DoesNotExist(k) => get(k).is_none(),
            }),
        }
    }
}

/// `metav1.LabelSelectorAsSelector`: `None` is `Nothing`, an empty selector `Everything`;
/// fails (with upstream's reason) on anything `labels.NewRequirement` rejects.
pub fn label_selector_as_selector(sel: Option<&LabelSelector>) -> Result<Selector, String> {
    let Some(sel) = sel else {
        return Ok(Selector::Nothing);
    };
    let mut reqs = Vec::new();
    let check_key = |k: &str| -> Result<(), String> {
        let errs = is_qualified_name(k);
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.join("; "))
        }
    };
    let check_value = |v: &str| -> Result<(), String> {
        let errs = is_valid_label_value(v);
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.join("; "))
        }
    };
    for (k, v) in sel.match_labels.iter().flatten() {
        check_key(k)?;
        check_value(v)?;
        reqs.push(RequirementSet(Requirement::In(k.clone(), vec![v.clone()])));
    }
    for e in sel.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default();
        check_key(&e.key)?;
        let r = match e.operator.as_str() {
            "In" | "NotIn" => {
                if values.is_empty() {
                    return Err("for 'in', 'notin' operators, values set can't be empty".into());
                }
                for v in &values {
                    check_value(v)?;
                }
                if e.operator == "In" {
                    Requirement::In(e.key.clone(), values)
                } else {
                    Requirement::NotIn(e.key.clone(), values)
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    return Err("values set must be empty for exists and does not exist".into());
                }
                if e.operator == "Exists" {
                    Requirement::Exists(e.key.clone())
                } else {
                    Requirement::DoesNotExist(e.key.clone())
                }
            }
            op => {
                return Err(format!(
                    "{} is not a valid label selector operator",
                    go_quote(op)
                ));
            }
        };
        reqs.push(RequirementSet(r));
    }
    Ok(Selector::Requirements(reqs))
}

/// Whether a required (non-optional in k8s-openapi) selector was left out: both fields
/// absent. k8s-openapi cannot tell `selector: {}` from a missing selector; both count as
/// missing here (upstream reports `{}` as "empty selector is invalid").
pub fn label_selector_is_unset(sel: &LabelSelector) -> bool {
    sel.match_labels.is_none() && sel.match_expressions.is_none()
}

/// `ValidateImmutableField` of a label selector (`%#v` rendering).
pub fn validate_immutable_selector(
    new: &LabelSelector,
    old: &LabelSelector,
    path: &Path,
) -> ErrorList {
    if new != old {
        vec![invalid_repr(
            path,
            &go_label_selector(new),
            FIELD_IMMUTABLE_ERROR_MSG,
        )]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::names::{name_is_dns_label, name_is_dns_subdomain};

    fn meta(name: &str, ns: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_string()).filter(|n| !n.is_empty()),
            namespace: ns.map(str::to_string),
            ..Default::default()
        }
    }

    fn strings(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_name_or_generate_name_is_required() {
        let errs = validate_object_meta(
            &meta("", Some("default")),
            true,
            name_is_dns_subdomain,
            &Path::new("metadata"),
        );
        assert_eq!(
            strings(&errs),
            vec!["metadata.name: Required value: name or generateName is required"]
        );
    }

    #[test]
    fn names_must_be_dns_subdomains_with_upstreams_message() {
        let errs = validate_object_meta(
            &meta("Foo", Some("default")),
            true,
            name_is_dns_subdomain,
            &Path::new("metadata"),
        );
        assert_eq!(
            strings(&errs),
            vec![
                "metadata.name: Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
    }

    #[test]
    fn namespaced_kinds_require_a_namespace_and_cluster_kinds_forbid_one() {
        let errs = validate_object_meta(
            &meta("a", None),
            true,
            name_is_dns_subdomain,
            &Path::new("metadata"),
        );
        assert_eq!(strings(&errs), vec!["metadata.namespace: Required value"]);
        let errs = validate_object_meta(
            &meta("a", Some("x")),
            false,
            name_is_dns_label,
            &Path::new("metadata"),
        );
        assert_eq!(
            strings(&errs),
            vec!["metadata.namespace: Forbidden: not allowed on this type"]
        );
    }

    #[test]
    fn generate_name_is_checked_as_a_prefix() {
        let m = ObjectMeta {
            generate_name: Some("Web-".into()),
            name: Some("web-abcde".into()),
            namespace: Some("default".into()),
            ..Default::default()
        };
        let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &Path::new("metadata"));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].to_string().starts_with(
            "metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain"
        ));
    }

    #[test]
    fn invalid_label_keys_and_values_name_the_labels_map() {
        let mut m = meta("a", Some("default"));
        m.labels = Some(BTreeMap::from([("bad key".to_string(), "-v".to_string())]));
        let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &Path::new("metadata"));
        let s = strings(&errs);
        assert_eq!(s.len(), 2);
        assert!(s[0].starts_with("metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters"));
        assert!(s[1].starts_with(
            "metadata.labels: Invalid value: \"-v\": a valid label must be an empty string"
        ));
    }

    #[test]
    fn annotations_larger_than_256_kib_are_too_long() {
        let mut m = meta("a", Some("default"));
        m.annotations = Some(BTreeMap::from([(
            "k".to_string(),
            "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B),
        )]));
        let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &Path::new("metadata"));
        assert_eq!(
            strings(&errs),
            vec!["metadata.annotations: Too long: may not be more than 262144 bytes"]
        );
    }

    #[test]
    fn unqualified_non_standard_finalizers_are_rejected_for_core_kinds() {
        let mut m = meta("a", Some("default"));
        m.finalizers = Some(vec!["kubernetes".into(), "mine".into()]);
        let errs =
            validate_core_object_meta(&m, true, name_is_dns_subdomain, &Path::new("metadata"));
        assert_eq!(
            strings(&errs),
            vec![
                "metadata.finalizers[1]: Invalid value: \"mine\": name is neither a standard finalizer name nor is it fully qualified"
            ]
        );
    }

    #[test]
    fn name_namespace_uid_and_creation_timestamp_are_immutable() {
        let t0: jiff::Timestamp = "2024-01-01T00:00:00Z".parse().expect("t");
        let t1: jiff::Timestamp = "2024-01-02T00:00:00Z".parse().expect("t");
        let old = ObjectMeta {
            name: Some("a".into()),
            namespace: Some("default".into()),
            uid: Some("u1".into()),
            creation_timestamp: Some(Time(t0)),
            resource_version: Some("5".into()),
            ..Default::default()
        };
        let new = ObjectMeta {
            name: Some("b".into()),
            namespace: Some("other".into()),
            uid: Some("u2".into()),
            creation_timestamp: Some(Time(t1)),
            resource_version: Some("5".into()),
            ..Default::default()
        };
        let errs = validate_object_meta_update(&new, &old, &Path::new("metadata"));
        assert_eq!(
            strings(&errs),
            vec![
                "metadata.name: Invalid value: \"b\": field is immutable",
                "metadata.namespace: Invalid value: \"other\": field is immutable",
                "metadata.uid: Invalid value: \"u2\": field is immutable",
                "metadata.creationTimestamp: Invalid value: 2024-01-02 00:00:00 +0000 UTC: field is immutable",
            ]
        );
    }

    #[test]
    fn updates_need_a_resource_version() {
        let m = meta("a", Some("default"));
        let errs = validate_object_meta_update(&m, &m, &Path::new("metadata"));
        assert_eq!(
            strings(&errs),
            vec!["metadata.resourceVersion: Invalid value: \"\": must be specified for an update"]
        );
    }

    #[test]
    fn selectors_render_like_go_structs() {
        let sel = LabelSelector {
            match_labels: Some(BTreeMap::from([("app".to_string(), "x".to_string())])),
            match_expressions: None,
        };
        assert_eq!(
            go_label_selector(&sel),
            r#"v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"#
        );
    }

    #[test]
    fn selector_requirements_match_like_upstream() {
        let sel = LabelSelector {
            match_labels: Some(BTreeMap::from([("app".to_string(), "x".to_string())])),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "NotIn".into(),
                values: Some(vec!["db".into()]),
            }]),
        };
        let s = label_selector_as_selector(Some(&sel)).expect("valid");
        let labels = BTreeMap::from([("app".to_string(), "x".to_string())]);
        assert!(s.matches(Some(&labels)));
        assert!(!s.matches(None));
        assert!(
            !label_selector_as_selector(None)
                .expect("nothing")
                .matches(Some(&labels))
        );
    }

    #[test]
    fn selector_operators_are_checked() {
        let sel = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "k".into(),
                operator: "Within".into(),
                values: None,
            }]),
        };
        let errs = validate_label_selector(Some(&sel), false, &Path::new("spec").child("selector"));
        assert_eq!(
            strings(&errs),
            vec![
                "spec.selector.matchExpressions[0].operator: Invalid value: \"Within\": not a valid selector operator"
            ]
        );
    }
}
