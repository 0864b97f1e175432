//! Upstream's defaulting (`SetObjectDefaults_<Kind>` of `pkg/apis/<group>/v1`, 1.33): the
//! values the API server fills into every decoded body before validation. Every function
//! is idempotent and only fills fields that are unset (Go's zero value), as upstream.
//!
//! Only defaults whose result a client can see are applied: Go's `omitempty` drops empty
//! maps and slices, so upstream defaults that only turn `nil` into empty collections
//! (`SetDefaults_ConfigMap`) are skipped.

pub mod apps;
pub mod autoscaling;
pub mod batch;
pub mod core;
pub mod net;
pub mod workloads;
