//! Validation of `scheduling.k8s.io/v1` PriorityClasses (`pkg/apis/scheduling/validation`,
//! 1.33): `system-` names are reserved for the built-in classes, user values are bounded,
//! and value and preemption policy cannot change. (That only one class is the global
//! default needs the other classes; the API server's admission checks it.)

use k8s_openapi::api::scheduling::v1::PriorityClass;

use super::meta::{validate_core_object_meta, validate_core_object_meta_update};
use super::names::name_is_dns_subdomain;
use super::{FIELD_IMMUTABLE_ERROR_MSG, not_supported_repr};
use crate::field::{ErrorList, FieldError, Path};

/// `scheduling.SystemPriorityClassPrefix`.
pub const SYSTEM_PRIORITY_CLASS_PREFIX: &str = "system-";
/// `scheduling.HighestUserDefinablePriority`.
pub const HIGHEST_USER_DEFINABLE_PRIORITY: i32 = 1_000_000_000;
/// `scheduling.SystemCriticalPriority`.
pub const SYSTEM_CRITICAL_PRIORITY: i32 = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

/// The built-in classes (`SystemPriorityClasses()`): name, value, description.
pub const SYSTEM_PRIORITY_CLASSES: &[(&str, i32, &str)] = &[
    (
        "system-node-critical",
        SYSTEM_CRITICAL_PRIORITY + 1000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        "system-cluster-critical",
        SYSTEM_CRITICAL_PRIORITY,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];

fn root(name: &str) -> Path {
    Path::new(name)
}

/// `IsKnownSystemPriorityClass`: the name is a built-in class, with its value and not the
/// global default.
pub fn is_known_system_priority_class(
    name: &str,
    value: i32,
    global_default: bool,
) -> Result<(), String> {
    match SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _, _)| *n == name) {
        None => Err(format!("{name} is not a known system priority class")),
        Some((n, v, _)) if *v != value => Err(format!("value of {n} PriorityClass must be {v}")),
        Some((n, _, _)) if global_default => {
            Err(format!("globalDefault of {n} PriorityClass must be false"))
        }
        Some(_) => Ok(()),
    }
}

/// `ValidatePriorityClass`.
pub fn validate_priority_class_create(pc: &PriorityClass) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &pc.metadata,
        false,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    let name = pc.metadata.name.as_deref().unwrap_or("");
    if name.starts_with(SYSTEM_PRIORITY_CLASS_PREFIX) {
        if let Err(e) =
            is_known_system_priority_class(name, pc.value, pc.global_default.unwrap_or(false))
        {
            errs.push(FieldError::forbidden(
                &root("metadata").child("name"),
                format!(
                    "priority class names with '{SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: {e}"
                ),
            ));
        }
    } else if pc.value > HIGHEST_USER_DEFINABLE_PRIORITY {
        errs.push(FieldError::forbidden(
            &root("value"),
            format!(
                "maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}"
            ),
        ));
    }
    // `ValidatePreemptionPolicy`.
    match pc.preemption_policy.as_deref() {
        None | Some("PreemptLowerPriority" | "Never") => {}
        Some("") => errs.push(FieldError::required(&root("preemptionPolicy"), "")),
        Some(p) => errs.push(not_supported_repr(
            &root("preemptionPolicy"),
            &super::go_quote(p),
            &["PreemptLowerPriority", "Never"],
        )),
    }
    errs
}

/// `ValidatePriorityClassUpdate`: value and preemption policy are immutable.
pub fn validate_priority_class_update(new: &PriorityClass, old: &PriorityClass) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &root("metadata"));
    if new.value != old.value {
        errs.push(FieldError::forbidden(
            &root("value"),
            "may not be changed in an update.",
        ));
    }
    if new.preemption_policy != old.preemption_policy {
        errs.push(FieldError::invalid(
            &root("preemptionPolicy"),
            new.preemption_policy
                .clone()
                .map_or(serde_json::Value::Null, serde_json::Value::from),
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

    fn pc(name: &str, value: i32) -> PriorityClass {
        serde_json::from_value(json!({"metadata": {"name": name}, "value": value,
                                      "preemptionPolicy": "PreemptLowerPriority"}))
        .expect("decodes")
    }

    #[test]
    fn system_names_are_reserved_for_the_built_in_classes() {
        assert_eq!(
            msgs(validate_priority_class_create(&pc("system-foo", 10))),
            vec![
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class"
            ]
        );
        assert_eq!(
            msgs(validate_priority_class_create(&pc(
                "system-node-critical",
                5
            ))),
            vec![
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000"
            ]
        );
        assert!(
            validate_priority_class_create(&pc("system-cluster-critical", 2_000_000_000))
                .is_empty()
        );
    }

    #[test]
    fn user_values_are_bounded_and_policies_supported() {
        assert_eq!(
            msgs(validate_priority_class_create(&pc("high", 1_000_000_001))),
            vec![
                "value: Forbidden: maximum allowed value of a user defined priority is 1000000000"
            ]
        );
        let mut p = pc("p", 1);
        p.preemption_policy = Some("Sometimes".into());
        assert_eq!(
            msgs(validate_priority_class_create(&p)),
            vec![
                "preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\""
            ]
        );
    }

    #[test]
    fn value_and_preemption_policy_are_immutable() {
        let old = pc("p", 1);
        let mut new = pc("p", 2);
        new.preemption_policy = Some("Never".into());
        new.metadata.resource_version = Some("5".into());
        assert_eq!(
            msgs(validate_priority_class_update(&new, &old)),
            vec![
                "value: Forbidden: may not be changed in an update.",
                "preemptionPolicy: Invalid value: \"Never\": field is immutable",
            ]
        );
    }
}
