//! Validation of LimitRanges and ResourceQuotas (`pkg/apis/core/validation`, 1.33), and
//! the resource-name and quantity checks they share with PersistentVolumes and claims.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{LimitRange, ResourceQuota, ResourceQuotaSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;

use super::meta::{validate_core_object_meta, validate_core_object_meta_update};
use super::names::{is_qualified_name, name_is_dns_subdomain};
use super::quantity::Quantity;
use super::{IS_NEGATIVE_ERROR_MSG, go_quote, invalid_repr};
use crate::field::{ErrorList, FieldError, Path};

fn root(name: &str) -> Path {
    Path::new(name)
}

/// The error a string that is no quantity gets (upstream rejects it while decoding).
pub(crate) const QUANTITY_FORMAT_MSG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// Parses a quantity or yields the error upstream's decoder would.
pub(crate) fn parse_quantity(q: &ApiQuantity, path: &Path) -> Result<Quantity, FieldError> {
    Quantity::parse(&q.0).map_err(|_| FieldError::invalid(path, q.0.as_str(), QUANTITY_FORMAT_MSG))
}

/// Go's `%#v` of a `resource.Quantity` whose string form has been computed (upstream's
/// messages call `String()` on the value they print, which caches it in `s`).
pub(crate) fn go_quantity(q: &Quantity) -> String {
    let canonical = q.canonical();
    let split = canonical
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(canonical.len());
    let (num, suffix) = canonical.split_at(split);
    let n: i128 = num.parse().unwrap_or(0);
    let (value, scale) = match suffix {
        "Ki" => (n << 10, 0),
        "Mi" => (n << 20, 0),
        "Gi" => (n << 30, 0),
        "Ti" => (n << 40, 0),
        "Pi" => (n << 50, 0),
        "Ei" => (n << 60, 0),
        "n" => (n, -9),
        "u" => (n, -6),
        "m" => (n, -3),
        "k" => (n, 3),
        "M" => (n, 6),
        "G" => (n, 9),
        "T" => (n, 12),
        "P" => (n, 15),
        "E" => (n, 18),
        s if s.starts_with('e') => (n, s[1..].parse().unwrap_or(0)),
        _ => (n, 0),
    };
    format!(
        "resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:{}, Format:{}}}",
        go_quote(&canonical),
        go_quote(q.format.name())
    )
}

/// Go's `%#v` of a `core.ResourceList`.
pub(crate) fn go_resource_list(list: &BTreeMap<String, ApiQuantity>) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|(k, v)| {
            let q = Quantity::parse(&v.0)
                .map(|q| go_quantity(&q))
                .unwrap_or_else(|_| go_quote(&v.0));
            format!("{}:{q}", go_quote(k))
        })
        .collect();
    format!("core.ResourceList{{{}}}", items.join(", "))
}

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// `IsNativeResource`: no domain, or a `kubernetes.io` one.
fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `IsExtendedResourceName`.
fn is_extended_resource_name(name: &str) -> bool {
    if is_native_resource(name) || name.starts_with("requests.") {
        return false;
    }
    is_qualified_name(&format!("requests.{name}")).is_empty()
}

/// `IsIntegerResourceName`: object counts and extended resources.
fn is_integer_resource_name(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || is_extended_resource_name(name)
}

/// `IsOvercommitAllowed`: native resources other than huge pages.
fn is_overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !is_hugepages(name)
}

/// `IsQuotaHugePageResourceName`.
fn is_quota_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-") || name.starts_with("requests.hugepages-")
}

/// `IsStandardResourceName`.
fn is_standard_resource_name(name: &str) -> bool {
    matches!(
        name,
        "cpu"
            | "memory"
            | "ephemeral-storage"
            | "requests.cpu"
            | "requests.memory"
            | "requests.ephemeral-storage"
            | "limits.cpu"
            | "limits.memory"
            | "limits.ephemeral-storage"
            | "pods"
            | "resourcequotas"
            | "replicationcontrollers"
            | "services"
            | "services.nodeports"
            | "services.loadbalancers"
            | "secrets"
            | "persistentvolumeclaims"
            | "configmaps"
            | "storage"
            | "requests.storage"
    ) || is_quota_hugepages(name)
}

/// `IsStandardQuotaResourceName`.
fn is_standard_quota_resource_name(name: &str) -> bool {
    matches!(
        name,
        "cpu"
            | "memory"
            | "ephemeral-storage"
            | "requests.cpu"
            | "requests.memory"
            | "requests.storage"
            | "requests.ephemeral-storage"
            | "limits.cpu"
            | "limits.memory"
            | "limits.ephemeral-storage"
            | "pods"
            | "services"
            | "replicationcontrollers"
            | "resourcequotas"
            | "secrets"
            | "persistentvolumeclaims"
            | "configmaps"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || is_quota_hugepages(name)
}

/// `validateResourceName`.
pub(crate) fn validate_resource_name(name: &str, path: &Path) -> ErrorList {
    let errs: ErrorList = is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect();
    if !errs.is_empty() {
        return errs;
    }
    if !name.contains('/') && !is_standard_resource_name(name) {
        return vec![FieldError::invalid(
            path,
            name,
            "must be a standard resource type or fully qualified",
        )];
    }
    errs
}

/// `validateContainerResourceName`.
fn validate_container_resource_name(name: &str, path: &Path) -> ErrorList {
    let mut errs = validate_resource_name(name, path);
    if !name.contains('/') {
        if !(matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepages(name)) {
            errs.push(FieldError::invalid(
                path,
                name,
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native_resource(name) && !is_extended_resource_name(name) {
        errs.push(FieldError::invalid(
            path,
            name,
            "doesn't follow extended resource name standard",
        ));
    }
    errs
}

/// `ValidateResourceQuantityValue`: not negative, whole for integer resources.
pub(crate) fn validate_resource_quantity_value(
    name: &str,
    q: &ApiQuantity,
    path: &Path,
) -> ErrorList {
    let v = match parse_quantity(q, path) {
        Ok(v) => v,
        Err(e) => return vec![e],
    };
    let mut errs = Vec::new();
    if v.signum() < 0 {
        errs.push(FieldError::invalid(
            path,
            v.canonical(),
            IS_NEGATIVE_ERROR_MSG,
        ));
    }
    if is_integer_resource_name(name) && v.milli_value() % 1000 != 0 {
        errs.push(invalid_repr(path, &go_quantity(&v), "must be an integer"));
    }
    errs
}

// ---------------------------------------------------------------------------------------
// LimitRange

/// `validateLimitRangeTypeName`.
fn validate_limit_range_type(value: &str, path: &Path) -> ErrorList {
    let errs: ErrorList = is_qualified_name(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect();
    if !errs.is_empty() {
        return errs;
    }
    if !value.contains('/') && !matches!(value, "Pod" | "Container" | "PersistentVolumeClaim") {
        return vec![FieldError::invalid(
            path,
            value,
            "must be a standard limit type or fully qualified",
        )];
    }
    errs
}

/// `validateLimitRangeResourceName`.
fn validate_limit_range_resource_name(limit_type: &str, name: &str, path: &Path) -> ErrorList {
    match limit_type {
        "Pod" | "Container" => validate_container_resource_name(name, path),
        _ => validate_resource_name(name, path),
    }
}

/// `ValidateLimitRange`: types (standard or qualified, unique), resource names, and
/// `min ≤ defaultRequest ≤ default ≤ max` with ratios of at least 1 that `max/min` allows.
/// Keys are checked in name order (Go iterates maps randomly).
pub fn validate_limit_range(lr: &LimitRange) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&lr.metadata, true, name_is_dns_subdomain, &root("metadata"));
    let limits_path = root("spec").child("limits");
    let mut types = BTreeSet::new();
    let empty = BTreeMap::new();
    for (i, item) in lr.spec.iter().flat_map(|s| s.limits.iter()).enumerate() {
        let ip = limits_path.index(i);
        errs.extend(validate_limit_range_type(&item.type_, &ip.child("type")));
        if !types.insert(item.type_.clone()) {
            errs.push(FieldError::duplicate(
                &ip.child("type"),
                item.type_.as_str(),
            ));
        }
        let mut keys = BTreeSet::new();
        let mut parsed: BTreeMap<&str, BTreeMap<String, Quantity>> = BTreeMap::new();
        let mut take = |field: &'static str,
                        list: Option<&BTreeMap<String, ApiQuantity>>,
                        errs: &mut ErrorList| {
            let fp = ip.child(field);
            for (k, q) in list.unwrap_or(&empty) {
                errs.extend(validate_limit_range_resource_name(
                    &item.type_,
                    k,
                    &fp.key(k),
                ));
                keys.insert(k.clone());
                match parse_quantity(q, &fp.key(k)) {
                    Ok(v) => {
                        parsed.entry(field).or_default().insert(k.clone(), v);
                    }
                    Err(e) => errs.push(e),
                }
            }
        };
        take("max", item.max.as_ref(), &mut errs);
        take("min", item.min.as_ref(), &mut errs);
        if item.type_ == "Pod" {
            if item.default.as_ref().is_some_and(|m| !m.is_empty()) {
                errs.push(FieldError::forbidden(
                    &ip.child("default"),
                    "may not be specified when `type` is 'Pod'",
                ));
            }
            if item.default_request.as_ref().is_some_and(|m| !m.is_empty()) {
                errs.push(FieldError::forbidden(
                    &ip.child("defaultRequest"),
                    "may not be specified when `type` is 'Pod'",
                ));
            }
        } else {
            take("default", item.default.as_ref(), &mut errs);
            take("defaultRequest", item.default_request.as_ref(), &mut errs);
        }
        if item.type_ == "PersistentVolumeClaim"
            && !item.min.as_ref().is_some_and(|m| m.contains_key("storage"))
            && !item.max.as_ref().is_some_and(|m| m.contains_key("storage"))
        {
            errs.push(FieldError::required(
                &ip.child("limits"),
                "either minimum or maximum storage value is required, but neither was provided",
            ));
        }
        take(
            "maxLimitRequestRatio",
            item.max_limit_request_ratio.as_ref(),
            &mut errs,
        );
        let get = |f: &str, k: &str| parsed.get(f).and_then(|m| m.get(k)).copied();
        for k in &keys {
            let (min, max) = (get("min", k), get("max", k));
            let (def, def_req) = (get("default", k), get("defaultRequest", k));
            let ratio = get("maxLimitRequestRatio", k);
            let gt = |a: &Quantity, b: &Quantity| a.cmp_value(b) == std::cmp::Ordering::Greater;
            if let (Some(mn), Some(mx)) = (min, max)
                && gt(&mn, &mx)
            {
                errs.push(invalid_repr(
                    &ip.child("min").key(k),
                    &go_quantity(&mn),
                    &format!(
                        "min value {} is greater than max value {}",
                        mn.canonical(),
                        mx.canonical()
                    ),
                ));
            }
            if let (Some(dr), Some(mn)) = (def_req, min)
                && gt(&mn, &dr)
            {
                errs.push(invalid_repr(
                    &ip.child("defaultRequest").key(k),
                    &go_quantity(&dr),
                    &format!(
                        "min value {} is greater than default request value {}",
                        mn.canonical(),
                        dr.canonical()
                    ),
                ));
            }
            if let (Some(dr), Some(mx)) = (def_req, max)
                && gt(&dr, &mx)
            {
                errs.push(invalid_repr(
                    &ip.child("defaultRequest").key(k),
                    &go_quantity(&dr),
                    &format!(
                        "default request value {} is greater than max value {}",
                        dr.canonical(),
                        mx.canonical()
                    ),
                ));
            }
            if let (Some(dr), Some(d)) = (def_req, def)
                && gt(&dr, &d)
            {
                errs.push(invalid_repr(
                    &ip.child("defaultRequest").key(k),
                    &go_quantity(&dr),
                    &format!(
                        "default request value {} is greater than default limit value {}",
                        dr.canonical(),
                        d.canonical()
                    ),
                ));
            }
            if let (Some(d), Some(mn)) = (def, min)
                && gt(&mn, &d)
            {
                errs.push(invalid_repr(
                    &ip.child("default").key(k),
                    &go_quantity(&mn),
                    &format!(
                        "min value {} is greater than default value {}",
                        mn.canonical(),
                        d.canonical()
                    ),
                ));
            }
            if let (Some(d), Some(mx)) = (def, max)
                && gt(&d, &mx)
            {
                errs.push(invalid_repr(
                    &ip.child("default").key(k),
                    &go_quantity(&mx),
                    &format!(
                        "default value {} is greater than max value {}",
                        d.canonical(),
                        mx.canonical()
                    ),
                ));
            }
            if let Some(r) = ratio {
                let one = Quantity::parse("1").unwrap_or(r);
                if r.cmp_value(&one) == std::cmp::Ordering::Less {
                    errs.push(invalid_repr(
                        &ip.child("maxLimitRequestRatio").key(k),
                        &go_quantity(&r),
                        &format!("ratio {} is less than 1", r.canonical()),
                    ));
                }
                if let (Some(mn), Some(mx)) = (min, max) {
                    let limit = mx.milli_value() as f64 / mn.milli_value() as f64;
                    let ratio_value = r.milli_value() as f64 / 1000.0;
                    if ratio_value > limit {
                        errs.push(invalid_repr(
                            &ip.child("maxLimitRequestRatio").key(k),
                            &go_quantity(&r),
                            &format!(
                                "ratio {} is greater than max/min = {limit:.6}",
                                r.canonical()
                            ),
                        ));
                    }
                }
            }
            if !is_overcommit_allowed(k)
                && let (Some(d), Some(dr)) = (def, def_req)
                && d.cmp_value(&dr) != std::cmp::Ordering::Equal
            {
                errs.push(invalid_repr(
                    &ip.child("defaultRequest").key(k),
                    &go_quantity(&dr),
                    &format!(
                        "default value {} must equal to defaultRequest value {} in {k}",
                        d.canonical(),
                        dr.canonical()
                    ),
                ));
            }
        }
    }
    errs
}

/// The LimitRange strategy's `ValidateUpdate`: metadata update and validity.
pub fn validate_limit_range_update(lr: &LimitRange, old: &LimitRange) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&lr.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_limit_range(lr));
    errs
}

// ---------------------------------------------------------------------------------------
// ResourceQuota

/// `ValidateResourceQuotaResourceName`.
fn validate_quota_resource_name(name: &str, path: &Path) -> ErrorList {
    let mut errs = validate_resource_name(name, path);
    if !name.contains('/') && !is_standard_quota_resource_name(name) {
        errs.push(FieldError::invalid(
            path,
            name,
            "must be a standard resource for quota",
        ));
    }
    errs
}

fn validate_quota_list(list: Option<&BTreeMap<String, ApiQuantity>>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (k, v) in list.into_iter().flatten() {
        let rp = path.key(k);
        errs.extend(validate_quota_resource_name(k, &rp));
        errs.extend(validate_resource_quantity_value(k, v, &rp));
    }
    errs
}

/// Go's `%#v` of a `[]core.ResourceQuotaScope`.
fn go_scopes(scopes: Option<&[String]>) -> String {
    match scopes {
        None => "[]core.ResourceQuotaScope(nil)".to_string(),
        Some(s) => {
            let items: Vec<String> = s.iter().map(|x| go_quote(x)).collect();
            format!("[]core.ResourceQuotaScope{{{}}}", items.join(", "))
        }
    }
}

/// `IsResourceQuotaScopeValidForResource`.
fn scope_valid_for(scope: &str, resource: &str) -> bool {
    let pod_compute = matches!(
        resource,
        "pods"
            | "cpu"
            | "memory"
            | "limits.cpu"
            | "limits.memory"
            | "requests.cpu"
            | "requests.memory"
    );
    match scope {
        "Terminating"
        | "NotTerminating"
        | "NotBestEffort"
        | "PriorityClass"
        | "CrossNamespacePodAffinity" => pod_compute,
        "BestEffort" => resource == "pods",
        _ => true,
    }
}

/// `validateResourceQuotaScopes`.
fn validate_quota_scopes(spec: &ResourceQuotaSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let scopes = spec.scopes.as_deref().unwrap_or_default();
    if scopes.is_empty() {
        return errs;
    }
    let sp = path.child("scopes");
    let repr = go_scopes(spec.scopes.as_deref());
    for scope in scopes {
        if !matches!(
            scope.as_str(),
            "Terminating"
                | "NotTerminating"
                | "BestEffort"
                | "NotBestEffort"
                | "PriorityClass"
                | "CrossNamespacePodAffinity"
        ) {
            errs.push(invalid_repr(&sp, &repr, "unsupported scope"));
        }
        for k in spec.hard.iter().flat_map(|h| h.keys()) {
            if is_standard_quota_resource_name(k) && !scope_valid_for(scope, k) {
                errs.push(invalid_repr(
                    &sp,
                    &repr,
                    "unsupported scope applied to resource",
                ));
            }
        }
    }
    let set: BTreeSet<&str> = scopes.iter().map(String::as_str).collect();
    for (a, b) in [
        ("BestEffort", "NotBestEffort"),
        ("Terminating", "NotTerminating"),
    ] {
        if set.contains(a) && set.contains(b) {
            errs.push(invalid_repr(&sp, &repr, "conflicting scopes"));
        }
    }
    errs
}

/// `ValidateResourceQuotaSpec`.
fn validate_quota_spec(spec: &ResourceQuotaSpec, path: &Path) -> ErrorList {
    let mut errs = validate_quota_list(spec.hard.as_ref(), &path.child("hard"));
    errs.extend(validate_quota_scopes(spec, path));
    errs
}

/// `ValidateResourceQuota`: metadata, spec (resource names, values, scopes) and status.
pub fn validate_resource_quota(rq: &ResourceQuota) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&rq.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_quota_spec(
        &rq.spec.clone().unwrap_or_default(),
        &root("spec"),
    ));
    let st = rq.status.clone().unwrap_or_default();
    errs.extend(validate_quota_list(
        st.hard.as_ref(),
        &root("status").child("hard"),
    ));
    errs.extend(validate_quota_list(
        st.used.as_ref(),
        &root("status").child("used"),
    ));
    errs
}

/// `ValidateResourceQuotaUpdate`: metadata update, spec, and immutable scopes.
pub fn validate_resource_quota_update(rq: &ResourceQuota, old: &ResourceQuota) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&rq.metadata, &old.metadata, &root("metadata"));
    let spec = rq.spec.clone().unwrap_or_default();
    errs.extend(validate_quota_spec(&spec, &root("spec")));
    let scopes = |q: &ResourceQuota| -> BTreeSet<String> {
        q.spec
            .iter()
            .flat_map(|s| s.scopes.iter().flatten().cloned())
            .collect()
    };
    if scopes(rq) != scopes(old) {
        errs.push(invalid_repr(
            &root("spec").child("scopes"),
            &go_scopes(spec.scopes.as_deref()),
            super::FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

/// `ValidateResourceQuotaStatusUpdate`: metadata update, a resourceVersion, and valid
/// `hard`/`used` lists.
pub fn validate_resource_quota_status_update(rq: &ResourceQuota, old: &ResourceQuota) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&rq.metadata, &old.metadata, &root("metadata"));
    if rq
        .metadata
        .resource_version
        .as_deref()
        .unwrap_or("")
        .is_empty()
    {
        errs.push(FieldError::required(&root("resourceVersion"), ""));
    }
    let st = rq.status.clone().unwrap_or_default();
    errs.extend(validate_quota_list(
        st.hard.as_ref(),
        &root("status").child("hard"),
    ));
    errs.extend(validate_quota_list(
        st.used.as_ref(),
        &root("status").child("used"),
    ));
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
    fn a_minimum_above_the_maximum_is_invalid() {
        let mut lr: LimitRange = serde_json::from_value(json!({
            "metadata": {"name": "l", "namespace": "d"},
            "spec": {"limits": [{"type": "Container", "min": {"memory": "1Gi"},
                                 "max": {"memory": "512Mi"}}]}
        }))
        .expect("lr");
        crate::defaults::workloads::set_object_defaults_limit_range(&mut lr);
        let errs = msgs(&validate_limit_range(&lr));
        assert_eq!(
            errs[0],
            "spec.limits[0].min[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"1Gi\", Format:\"BinarySI\"}: min value 1Gi is greater than max value 512Mi"
        );
    }

    #[test]
    fn unknown_limit_types_and_duplicates_are_rejected() {
        let lr: LimitRange = serde_json::from_value(json!({
            "metadata": {"name": "l", "namespace": "d"},
            "spec": {"limits": [{"type": "Node"}, {"type": "Pod"}, {"type": "Pod"}]}
        }))
        .expect("lr");
        assert_eq!(
            msgs(&validate_limit_range(&lr)),
            vec![
                "spec.limits[0].type: Invalid value: \"Node\": must be a standard limit type or fully qualified",
                "spec.limits[2].type: Duplicate value: \"Pod\""
            ]
        );
    }

    #[test]
    fn quota_resources_must_be_standard_and_counts_whole() {
        let rq: ResourceQuota = serde_json::from_value(json!({
            "metadata": {"name": "q", "namespace": "d"},
            "spec": {"hard": {"widgets": "1", "pods": "1500m"}}
        }))
        .expect("rq");
        assert_eq!(
            msgs(&validate_resource_quota(&rq)),
            vec![
                "spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"1500m\", Format:\"DecimalSI\"}: must be an integer",
                "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource type or fully qualified",
                "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource for quota"
            ]
        );
    }

    #[test]
    fn conflicting_quota_scopes_are_rejected() {
        let rq: ResourceQuota = serde_json::from_value(json!({
            "metadata": {"name": "q", "namespace": "d"},
            "spec": {"hard": {"pods": "1"}, "scopes": ["BestEffort", "NotBestEffort"]}
        }))
        .expect("rq");
        assert_eq!(
            msgs(&validate_resource_quota(&rq)),
            vec![
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes"
            ]
        );
    }
}
