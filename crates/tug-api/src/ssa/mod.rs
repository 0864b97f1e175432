//! Field management and server-side apply, as upstream's
//! `k8s.io/apimachinery/pkg/util/managedfields` over `sigs.k8s.io/structured-merge-diff/v4`
//! (Kubernetes 1.33). Pure functions on JSON values; the API server decides who writes.
//!
//! # Model
//!
//! An object's fields are a set of paths ([`FieldSet`]): `f:<field>` steps into a map or
//! struct, `k:<json of the key fields>` into an element of a list keyed by
//! `x-kubernetes-list-map-keys` (or by its `patchMergeKey`), `v:<json value>` into an
//! element of a set; atomic lists and maps are owned whole, as leaves. Each writer owns a
//! set, recorded in `metadata.managedFields` ([`ManagedFields`]) with its operation
//! (`Update` for create/update/patch, `Apply` for server-side apply), the version the paths
//! are in, a time and the subresource written. The list, map and struct rules come from the
//! strategic-merge-patch type map and the `x-kubernetes-*` facts of [`crate::schema_facts`].
//!
//! * [`update`]: what a write changed becomes its writer's and stops being anyone else's;
//!   what it removed stops being anyone's.
//! * [`apply`]: the configuration is merged into the live object; the applier owns exactly
//!   the configuration's fields; what it stopped applying is removed unless someone else
//!   owns it; changing fields others own is a conflict unless forced.
//!
//! # Not covered (versus upstream)
//!
//! * Conversion between versions: entries recorded in another version of a multi-version
//!   resource are compared in the written version's paths, not converted.
//! * `reconcileManagedFieldsWithSchemaChanges` (sets recorded under an older schema) and
//!   unions (`x-kubernetes-unions`) are not applied; neither does upstream for built-ins.
//! * Defaults of list-map key fields are known for `protocol` of container and service
//!   ports only (the two upstream declares).
//! * Which struct fields exist as zero values in a freshly created Go object (the baseline
//!   of a create, [`empty_object`]) is a hand-kept table for the served kinds: it only
//!   decides whether an intermediate node of a create's entry is also marked as owned
//!   itself (`".": {}`).

mod managed;
mod ops;
mod path;
mod set;
mod typed;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use managed::{
    ManagedFields, ManagedFieldsEntry, ManagedFieldsError, Operation, identifier, is_reset,
};
pub use ops::{
    Applied, ApplyError, Conflict, Conflicts, LAST_APPLIED_ANNOTATION, MAX_UPDATE_MANAGERS, Writer,
    apply, field_set, forget_removed, timestamps_only_changed, top_level_fields, update,
    validate_config,
};
pub use path::{Path, PathElement, go_json, path_string};
pub use set::{FieldSet, FieldsV1Error};

use crate::smp::types::Ty;

/// Struct fields that are values, not pointers, in upstream's Go types (so a new Go object
/// already has them, as `{}`), and list fields without `omitempty` (a new object has them as
/// `null`), for the kinds tug serves. Only their presence matters: a create's entry then
/// does not own these nodes themselves, only what is set inside them.
const ZERO_FIELDS: &[(&str, &str, bool)] = &[
    // (schema, property, is a struct (else null))
    ("io.k8s.api.apps.v1.DaemonSetSpec", "template", true),
    ("io.k8s.api.apps.v1.DaemonSetSpec", "updateStrategy", true),
    ("io.k8s.api.apps.v1.DeploymentSpec", "strategy", true),
    ("io.k8s.api.apps.v1.DeploymentSpec", "template", true),
    ("io.k8s.api.apps.v1.ReplicaSetSpec", "template", true),
    ("io.k8s.api.apps.v1.StatefulSetSpec", "template", true),
    ("io.k8s.api.apps.v1.StatefulSetSpec", "updateStrategy", true),
    ("io.k8s.api.batch.v1.CronJobSpec", "jobTemplate", true),
    ("io.k8s.api.batch.v1.JobSpec", "template", true),
    ("io.k8s.api.batch.v1.JobTemplateSpec", "metadata", true),
    ("io.k8s.api.batch.v1.JobTemplateSpec", "spec", true),
    ("io.k8s.api.core.v1.Event", "source", true),
    ("io.k8s.api.core.v1.LimitRangeSpec", "limits", false),
    (
        "io.k8s.api.core.v1.NodeDaemonEndpoints",
        "kubeletEndpoint",
        true,
    ),
    ("io.k8s.api.core.v1.NodeStatus", "daemonEndpoints", true),
    ("io.k8s.api.core.v1.NodeStatus", "nodeInfo", true),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "resources",
        true,
    ),
    ("io.k8s.api.core.v1.PodSpec", "containers", false),
    ("io.k8s.api.core.v1.PodTemplate", "template", true),
    ("io.k8s.api.core.v1.PodTemplateSpec", "metadata", true),
    ("io.k8s.api.core.v1.PodTemplateSpec", "spec", true),
    ("io.k8s.api.core.v1.ServiceStatus", "loadBalancer", true),
    ("io.k8s.api.discovery.v1.EndpointSlice", "endpoints", false),
    ("io.k8s.api.events.v1.Event", "deprecatedSource", true),
    (
        "io.k8s.api.networking.v1.IngressStatus",
        "loadBalancer",
        true,
    ),
    ("io.k8s.api.rbac.v1.ClusterRole", "rules", false),
    ("io.k8s.api.rbac.v1.Role", "rules", false),
];

/// The object a create starts from (upstream's `creater.New(kind)`, a zero Go value):
/// `metadata`, `spec` and `status` as empty objects when the kind has them, and the nested
/// value-typed structs of [`ZERO_FIELDS`]. `schema` names the kind
/// (`io.k8s.api.apps.v1.Deployment`).
pub fn empty_object(schema: &str) -> Value {
    let ty = Ty::Named(schema.to_string());
    let mut m = zero_struct(&ty);
    m.insert("metadata".into(), Value::Object(Map::new()));
    for top in ["spec", "status"] {
        let t = ty.field(top);
        if matches!(t, Ty::Named(_)) {
            m.insert(top.into(), Value::Object(zero_struct(t)));
        }
    }
    Value::Object(m)
}

fn zero_struct(ty: &Ty) -> Map<String, Value> {
    let mut m = Map::new();
    let Ty::Named(name) = ty else {
        return m;
    };
    for (schema, prop, is_struct) in ZERO_FIELDS {
        if schema != name {
            continue;
        }
        let v = if *is_struct {
            Value::Object(zero_struct(ty.field(prop)))
        } else {
            Value::Null
        };
        m.insert((*prop).to_string(), v);
    }
    m
}
