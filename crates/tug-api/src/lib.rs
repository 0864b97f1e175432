//! Kubernetes API types and facts shared by every tug component: re-exports of the
//! `k8s-openapi` 1.33 types, the table of served resources, field errors with upstream's
//! messages, `metav1.Status` errors, label and field selectors, and the per-kind rules
//! (defaulting, validation, table printing) that the API server applies.

pub use k8s_openapi;
pub use k8s_openapi::api;
pub use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;

pub mod conversion;
pub mod defaults;
pub mod field;
pub mod kinds;
pub mod kinds_net;
pub mod kinds_workloads;
pub mod printers;
pub mod printing;
pub mod resources;
pub mod rules;
pub mod schema_facts;
pub mod schemas;
pub mod smp;
pub mod ssa;
pub mod status;
pub mod validation;
