//! Validation of `coordination.k8s.io/v1` Leases (`pkg/apis/coordination/validation`, 1.33).
//! Leases use the generic metadata rules (no legacy finalizer check).

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};

use super::meta::{validate_object_meta, validate_object_meta_update};
use super::names::name_is_dns_subdomain;
use crate::field::{ErrorList, FieldError, Path};

/// `ValidateLease`: metadata and spec.
pub fn validate_lease_create(lease: &Lease) -> ErrorList {
    let mut errs = validate_object_meta(
        &lease.metadata,
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_lease_spec(
        &lease.spec.clone().unwrap_or_default(),
        &Path::new("spec"),
    ));
    errs
}

/// `ValidateLeaseUpdate`: metadata update and spec.
pub fn validate_lease_update(lease: &Lease, old: &Lease) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&lease.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_lease_spec(
        &lease.spec.clone().unwrap_or_default(),
        &Path::new("spec"),
    ));
    errs
}

/// `ValidateLeaseSpec`: a positive duration, non-negative transitions, and a preferred
/// holder only with a strategy. (`strategy` itself belongs to the CoordinatedLeaderElection
/// gate, off in 1.33.)
pub fn validate_lease_spec(spec: &LeaseSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(d) = spec.lease_duration_seconds
        && d <= 0
    {
        errs.push(FieldError::invalid(
            &path.child("leaseDurationSeconds"),
            d,
            "must be greater than 0",
        ));
    }
    if let Some(t) = spec.lease_transitions
        && t < 0
    {
        errs.push(FieldError::invalid(
            &path.child("leaseTransitions"),
            t,
            "must be greater than or equal to 0",
        ));
    }
    let preferred = spec.preferred_holder.as_deref().unwrap_or("");
    if !preferred.is_empty() && spec.strategy.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::forbidden(
            &path.child("preferredHolder"),
            "may only be specified if `strategy` is defined",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_lease_duration_must_be_positive() {
        let lease: Lease = serde_json::from_value(json!({
            "metadata": {"name": "node-1", "namespace": "kube-node-lease"},
            "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 0}
        }))
        .expect("decodes");
        let msgs: Vec<String> = validate_lease_create(&lease)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            msgs,
            vec!["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"]
        );
    }

    #[test]
    fn lease_transitions_may_not_be_negative() {
        let spec = LeaseSpec {
            lease_transitions: Some(-1),
            ..Default::default()
        };
        let msgs: Vec<String> = validate_lease_spec(&spec, &Path::new("spec"))
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            msgs,
            vec!["spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"]
        );
    }
}
