//! The per-kind rules of the registry, as upstream's `rest.RESTCreateStrategy` /
//! `RESTUpdateStrategy` and `SetObjectDefaults_*`: what the API server does to an object
//! between decoding a request and storing it. The server applies them in this order:
//!
//! create: `apply_defaults` → `prepare_for_create` → (metadata: uid, timestamps, generation) →
//!         `validate_create`
//! update: `apply_defaults` → `prepare_for_update(old)` → `validate_update(old)`
//! status: `apply_defaults` → `prepare_for_status_update(old)` → `validate_status_update(old)`
//!
//! Implementations are pure functions of the typed objects; they never do I/O.

use crate::field::ErrorList;

/// Defaulting, preparation and validation of one kind.
pub trait KindRules: Sized {
    /// Whether `metadata.generation` is maintained (set to 1 on create, bumped when anything
    /// outside `metadata` and `status` changes). Upstream: Deployment, ReplicaSet, … but not
    /// Pod (1.33 default), ConfigMap, Service, Node, Namespace.
    const TRACKS_GENERATION: bool = false;

    /// Whether annotation changes bump `generation` too (upstream: Deployment, because its
    /// annotations are copied to its ReplicaSets).
    const ANNOTATIONS_BUMP_GENERATION: bool = false;

    /// Upstream's defaulting (`SetObjectDefaults_<Kind>`), applied to every decoded body.
    /// Must be idempotent.
    fn apply_defaults(&mut self) {}

    /// Clears or initialises what a client may not set on create (usually `status`).
    fn prepare_for_create(&mut self) {}

    /// On an update of the main resource: carries over what the main resource may not change
    /// (usually `status` from `old`).
    fn prepare_for_update(&mut self, _old: &Self) {}

    /// On an update of the `status` subresource: carries over everything but status from `old`
    /// (spec, and metadata except what upstream lets status writers change).
    fn prepare_for_status_update(&mut self, _old: &Self) {}

    /// Validation of a new object, metadata included. Every error found, not just the first.
    fn validate_create(&self) -> ErrorList;

    /// Validation of an update against the stored object, metadata included.
    fn validate_update(&self, old: &Self) -> ErrorList;

    /// Validation of a status update.
    fn validate_status_update(&self, old: &Self) -> ErrorList {
        self.validate_update(old)
    }
}
