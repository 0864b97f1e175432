//! Validation of `rbac.authorization.k8s.io/v1` Roles, ClusterRoles, RoleBindings and
//! ClusterRoleBindings (`pkg/apis/rbac/validation/validation.go`, 1.33). Names only need to
//! be path segments (`ValidateRBACName`); a binding's `roleRef` cannot change.

use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};

use super::meta::{
    label_selector_as_selector, validate_core_object_meta, validate_core_object_meta_update,
    validate_label_selector,
};
use super::names::{name_is_dns_subdomain, validate_path_segment_name};
use super::{go_quote, go_string_slice, invalid_repr, s};
use crate::defaults::net::RBAC_GROUP;
use crate::field::{ErrorList, FieldError, Path};

fn root(name: &str) -> Path {
    Path::new(name)
}

/// `ValidateRBACName`: `path.IsValidPathSegmentName` (no `.`/`..`, `/` or `%`), also for
/// `generateName`.
pub fn validate_rbac_name(name: &str, _prefix: bool) -> Vec<String> {
    validate_path_segment_name(name, false)
}

/// Go's `%#v` of an `rbac.RoleRef`.
fn go_role_ref(r: &RoleRef) -> String {
    format!(
        "rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}",
        go_quote(&r.api_group),
        go_quote(&r.kind),
        go_quote(&r.name)
    )
}

/// `ValidatePolicyRule`: verbs, and either non-resource URLs (cluster roles only) or API
/// groups with resources.
pub fn validate_policy_rule(rule: &PolicyRule, namespaced: bool, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if rule.verbs.is_empty() {
        errs.push(FieldError::required(
            &path.child("verbs"),
            "verbs must contain at least one value",
        ));
    }
    let urls = rule.non_resource_urls.as_deref().unwrap_or_default();
    let nonempty = |v: &Option<Vec<String>>| v.as_ref().is_some_and(|v| !v.is_empty());
    if !urls.is_empty() {
        let repr = go_string_slice(rule.non_resource_urls.as_deref());
        if namespaced {
            errs.push(invalid_repr(
                &path.child("nonResourceURLs"),
                &repr,
                "namespaced rules cannot apply to non-resource URLs",
            ));
        }
        if nonempty(&rule.api_groups) || nonempty(&rule.resources) || nonempty(&rule.resource_names)
        {
            errs.push(invalid_repr(
                &path.child("nonResourceURLs"),
                &repr,
                "rules cannot apply to both regular resources and non-resource URLs",
            ));
        }
        return errs;
    }
    if !nonempty(&rule.api_groups) {
        errs.push(FieldError::required(
            &path.child("apiGroups"),
            "resource rules must supply at least one api group",
        ));
    }
    if !nonempty(&rule.resources) {
        errs.push(FieldError::required(
            &path.child("resources"),
            "resource rules must supply at least one resource",
        ));
    }
    errs
}

/// `ValidateRole`.
pub fn validate_role_create(role: &Role) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&role.metadata, true, validate_rbac_name, &root("metadata"));
    for (i, rule) in role.rules.iter().flatten().enumerate() {
        errs.extend(validate_policy_rule(rule, true, &root("rules").index(i)));
    }
    errs
}

/// `ValidateRoleUpdate`.
pub fn validate_role_update(new: &Role, old: &Role) -> ErrorList {
    let mut errs = validate_role_create(new);
    errs.extend(validate_core_object_meta_update(
        &new.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs
}

fn cluster_role_selectors_are_invalid(role: &ClusterRole) -> bool {
    role.aggregation_rule
        .as_ref()
        .and_then(|a| a.cluster_role_selectors.as_ref())
        .is_some_and(|sels| {
            sels.iter()
                .any(|sel| !validate_label_selector(Some(sel), false, &Path::default()).is_empty())
        })
}

/// `ValidateClusterRole`: rules, and an aggregation rule with at least one valid selector.
fn validate_cluster_role(role: &ClusterRole, allow_invalid_label_value: bool) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&role.metadata, false, validate_rbac_name, &root("metadata"));
    for (i, rule) in role.rules.iter().flatten().enumerate() {
        errs.extend(validate_policy_rule(rule, false, &root("rules").index(i)));
    }
    if let Some(agg) = &role.aggregation_rule {
        let base = root("aggregationRule").child("clusterRoleSelectors");
        let sels = agg.cluster_role_selectors.as_deref().unwrap_or_default();
        if sels.is_empty() {
            errs.push(FieldError::required(
                &base,
                "at least one clusterRoleSelector required if aggregationRule is non-nil",
            ));
        }
        for (i, sel) in sels.iter().enumerate() {
            errs.extend(validate_label_selector(
                Some(sel),
                allow_invalid_label_value,
                &base.index(i),
            ));
            if label_selector_as_selector(Some(sel)).is_err() {
                // Upstream prints the `labels.Selector` it failed to build (nil).
                errs.push(invalid_repr(
                    &base.index(i),
                    "\"null\"",
                    "invalid label selector.",
                ));
            }
        }
    }
    errs
}

/// `ValidateClusterRole` for a new object.
pub fn validate_cluster_role_create(role: &ClusterRole) -> ErrorList {
    validate_cluster_role(role, false)
}

/// `ValidateClusterRoleUpdate`: label values in aggregation selectors may stay invalid when
/// the stored ones already are.
pub fn validate_cluster_role_update(new: &ClusterRole, old: &ClusterRole) -> ErrorList {
    let mut errs = validate_cluster_role(new, cluster_role_selectors_are_invalid(old));
    errs.extend(validate_core_object_meta_update(
        &new.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs
}

/// `ValidateRoleBindingSubject`.
pub fn validate_subject(subject: &Subject, namespaced: bool, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if subject.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    }
    let group = s(&subject.api_group);
    match subject.kind.as_str() {
        "ServiceAccount" => {
            if !subject.name.is_empty() {
                for m in name_is_dns_subdomain(&subject.name, false) {
                    errs.push(FieldError::invalid(
                        &path.child("name"),
                        subject.name.as_str(),
                        m,
                    ));
                }
            }
            if !group.is_empty() {
                errs.push(FieldError::not_supported(
                    &path.child("apiGroup"),
                    group,
                    &[""],
                ));
            }
            if !namespaced && s(&subject.namespace).is_empty() {
                errs.push(FieldError::required(&path.child("namespace"), ""));
            }
        }
        "User" | "Group" => {
            if group != RBAC_GROUP {
                errs.push(FieldError::not_supported(
                    &path.child("apiGroup"),
                    group,
                    &[RBAC_GROUP],
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            &path.child("kind"),
            other,
            &["ServiceAccount", "User", "Group"],
        )),
    }
    errs
}

fn validate_role_ref(r: &RoleRef, kinds: &[&str]) -> ErrorList {
    let mut errs = Vec::new();
    let path = root("roleRef");
    if r.api_group != RBAC_GROUP {
        errs.push(FieldError::not_supported(
            &path.child("apiGroup"),
            r.api_group.as_str(),
            &[RBAC_GROUP],
        ));
    }
    if !kinds.contains(&r.kind.as_str()) {
        errs.push(FieldError::not_supported(
            &path.child("kind"),
            r.kind.as_str(),
            kinds,
        ));
    }
    if r.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else {
        for m in validate_rbac_name(&r.name, false) {
            errs.push(FieldError::invalid(&path.child("name"), r.name.as_str(), m));
        }
    }
    errs
}

fn validate_binding(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    role_ref: &RoleRef,
    subjects: Option<&[Subject]>,
    namespaced: bool,
) -> ErrorList {
    let mut errs =
        validate_core_object_meta(meta, namespaced, validate_rbac_name, &root("metadata"));
    let kinds: &[&str] = if namespaced {
        &["Role", "ClusterRole"]
    } else {
        &["ClusterRole"]
    };
    errs.extend(validate_role_ref(role_ref, kinds));
    for (i, subject) in subjects.unwrap_or_default().iter().enumerate() {
        errs.extend(validate_subject(
            subject,
            namespaced,
            &root("subjects").index(i),
        ));
    }
    errs
}

fn role_ref_unchanged(new: &RoleRef, old: &RoleRef) -> ErrorList {
    if new == old {
        Vec::new()
    } else {
        vec![invalid_repr(
            &root("roleRef"),
            &go_role_ref(new),
            "cannot change roleRef",
        )]
    }
}

/// `ValidateRoleBinding`.
pub fn validate_role_binding_create(rb: &RoleBinding) -> ErrorList {
    validate_binding(&rb.metadata, &rb.role_ref, rb.subjects.as_deref(), true)
}

/// `ValidateRoleBindingUpdate`: `roleRef` is immutable.
pub fn validate_role_binding_update(new: &RoleBinding, old: &RoleBinding) -> ErrorList {
    let mut errs = validate_role_binding_create(new);
    errs.extend(validate_core_object_meta_update(
        &new.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs.extend(role_ref_unchanged(&new.role_ref, &old.role_ref));
    errs
}

/// `ValidateClusterRoleBinding`.
pub fn validate_cluster_role_binding_create(crb: &ClusterRoleBinding) -> ErrorList {
    validate_binding(&crb.metadata, &crb.role_ref, crb.subjects.as_deref(), false)
}

/// `ValidateClusterRoleBindingUpdate`: `roleRef` is immutable.
pub fn validate_cluster_role_binding_update(
    new: &ClusterRoleBinding,
    old: &ClusterRoleBinding,
) -> ErrorList {
    let mut errs = validate_cluster_role_binding_create(new);
    errs.extend(validate_core_object_meta_update(
        &new.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs.extend(role_ref_unchanged(&new.role_ref, &old.role_ref));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msgs(errs: ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn rules_need_verbs_groups_and_resources() {
        let role: Role = serde_json::from_value(json!({
            "metadata": {"name": "r", "namespace": "default"},
            "rules": [{"apiGroups": [""], "resources": ["pods"]},
                      {"verbs": ["get"]},
                      {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]
        }))
        .expect("decodes");
        assert_eq!(
            msgs(validate_role_create(&role)),
            vec![
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[1].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[1].resources: Required value: resource rules must supply at least one resource",
                "rules[2].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs",
            ]
        );
    }

    #[test]
    fn cluster_roles_may_aggregate_and_name_non_resource_urls() {
        let role: ClusterRole = serde_json::from_value(json!({
            "metadata": {"name": "monitoring"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate": "true"}}]},
            "rules": [{"verbs": ["get"], "nonResourceURLs": ["/metrics"]}]
        }))
        .expect("decodes");
        assert!(validate_cluster_role_create(&role).is_empty());
        let role: ClusterRole = serde_json::from_value(json!({
            "metadata": {"name": "m"}, "aggregationRule": {}
        }))
        .expect("decodes");
        assert_eq!(
            msgs(validate_cluster_role_create(&role)),
            vec![
                "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"
            ]
        );
    }

    #[test]
    fn bindings_check_role_refs_and_subject_kinds() {
        let rb: RoleBinding = serde_json::from_value(json!({
            "metadata": {"name": "b", "namespace": "default"},
            "roleRef": {"apiGroup": "example.com", "kind": "Policy", "name": ""},
            "subjects": [{"kind": "Robot", "name": "r2"},
                         {"kind": "User", "name": "alice", "apiGroup": ""},
                         {"kind": "ServiceAccount", "name": "", "apiGroup": "x"}]
        }))
        .expect("decodes");
        assert_eq!(
            msgs(validate_role_binding_create(&rb)),
            vec![
                "roleRef.apiGroup: Unsupported value: \"example.com\": supported values: \"rbac.authorization.k8s.io\"",
                "roleRef.kind: Unsupported value: \"Policy\": supported values: \"Role\", \"ClusterRole\"",
                "roleRef.name: Required value",
                "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
                "subjects[1].apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\"",
                "subjects[2].name: Required value",
                "subjects[2].apiGroup: Unsupported value: \"x\": supported values: \"\"",
            ]
        );
    }

    #[test]
    fn cluster_role_bindings_bind_cluster_roles_and_namespaced_service_accounts() {
        let crb: ClusterRoleBinding = serde_json::from_value(json!({
            "metadata": {"name": "b"},
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": "Role", "name": "r"},
            "subjects": [{"kind": "ServiceAccount", "name": "sa", "apiGroup": ""}]
        }))
        .expect("decodes");
        assert_eq!(
            msgs(validate_cluster_role_binding_create(&crb)),
            vec![
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
            ]
        );
    }

    #[test]
    fn a_role_ref_cannot_change() {
        let old: RoleBinding = serde_json::from_value(json!({
            "metadata": {"name": "b", "namespace": "default", "resourceVersion": "1"},
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": "view"}
        }))
        .expect("decodes");
        let mut new = old.clone();
        new.role_ref.name = "edit".into();
        assert_eq!(
            msgs(validate_role_binding_update(&new, &old)),
            vec![
                "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef"
            ]
        );
    }

    #[test]
    fn rbac_names_are_path_segments() {
        let role: Role = serde_json::from_value(json!({
            "metadata": {"name": "system:controller:a/b", "namespace": "default"}
        }))
        .expect("decodes");
        assert_eq!(
            msgs(validate_role_create(&role)),
            vec!["metadata.name: Invalid value: \"system:controller:a/b\": may not contain '/'"]
        );
    }
}
