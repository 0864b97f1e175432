//! Which schema each nested value of a document has, so that the patch walk can ask
//! [`schema_facts`] about the right `(schema, property)`.
//!
//! Upstream walks Go types by reflection (`PatchMetaFromStruct`). We derive the same map once
//! from the `k8s-openapi` schemas: one schemars generator over every kind of `k8s.io/api`
//! (OpenAPI 3 settings, so a property is `{"$ref": …}`, `{"allOf": [{"$ref": …}]}`, an array
//! with `items`, or a map with `additionalProperties`), reduced to "property → type" per
//! schema and kept in a `OnceLock` for the life of the process (a few hundred small maps).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::schema_facts::{self, ListFacts};

/// The type of a value inside a document, as far as strategic merge patch cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    /// A value of the upstream schema with this name (`io.k8s.api.core.v1.PodSpec`); also
    /// named non-objects such as `Quantity`, which simply have no properties.
    Named(String),
    /// A map whose every value has this type (`labels`, `resources.limits`).
    Map(Box<Ty>),
    /// A list of this type.
    List(Box<Ty>),
    /// A primitive, or an object nothing is known about.
    Leaf,
}

static LEAF: Ty = Ty::Leaf;

impl Ty {
    /// The type of property `key` of an object of this type (upstream's
    /// `LookupPatchMetadataForStruct`): a map's values all have its value type.
    pub(crate) fn field(&self, key: &str) -> &Ty {
        match self {
            Ty::Named(schema) => table()
                .get(schema.as_str())
                .and_then(|props| props.get(key))
                .unwrap_or(&LEAF),
            Ty::Map(inner) => inner,
            Ty::List(_) | Ty::Leaf => &LEAF,
        }
    }

    /// The type of the elements of list property `key` (upstream's
    /// `LookupPatchMetadataForSlice`); a property that is not a list is its own element type.
    pub(crate) fn elements(&self, key: &str) -> &Ty {
        match self.field(key) {
            Ty::List(inner) => inner,
            other => other,
        }
    }

    /// The `x-kubernetes-*` facts of property `key`, when this is a named schema.
    pub(crate) fn facts(&self, key: &str) -> Option<&'static ListFacts> {
        match self {
            Ty::Named(schema) => schema_facts::field_facts(schema, key),
            _ => None,
        }
    }

    /// Upstream's `LookupPatchMeta.Name()` for a Go type: its reflect kind.
    pub(crate) fn go_kind(&self) -> &'static str {
        match self {
            Ty::Named(_) => "struct",
            Ty::Map(_) => "map",
            Ty::List(_) => "slice",
            Ty::Leaf => "interface",
        }
    }
}

/// The upstream schema name of a kind served under `group`/`version`
/// (`io.k8s.api.apps.v1.Deployment`), or `None` when `k8s-openapi` has no type for it (a
/// custom resource): strategic merge patch then does not apply.
pub fn schema_name(group: &str, version: &str, kind: &str) -> Option<&'static str> {
    let package = match group {
        "" => "core",
        // The one group whose Go package is not the first label of its name.
        "internal.apiserver.k8s.io" => "apiserverinternal",
        g => g.split('.').next().unwrap_or(g),
    };
    let name = format!("io.k8s.api.{package}.{version}.{kind}");
    table()
        .get_key_value(name.as_str())
        .map(|(k, _)| k.as_str())
}

/// [`schema_name`] of the `apiVersion` and `kind` a document carries.
pub fn schema_of(doc: &Value) -> Option<&'static str> {
    let api_version = doc.get("apiVersion")?.as_str()?;
    let kind = doc.get("kind")?.as_str()?;
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    schema_name(group, version, kind)
}

type Props = HashMap<String, Ty>;

fn table() -> &'static HashMap<String, Props> {
    static TABLE: OnceLock<HashMap<String, Props>> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn build() -> HashMap<String, Props> {
    crate::schemas::all()
        .iter()
        .map(|(name, schema)| {
            let props = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(k, v)| (k.clone(), ty_of(v)))
                        .filter(|(_, t)| *t != Ty::Leaf)
                        .collect()
                })
                .unwrap_or_default();
            (name.clone(), props)
        })
        .collect()
}

fn ty_of(schema: &Value) -> Ty {
    if let Some(name) = ref_name(schema) {
        return Ty::Named(name.to_string());
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => Ty::List(Box::new(schema.get("items").map_or(Ty::Leaf, ty_of))),
        Some("object") => match schema.get("additionalProperties") {
            Some(inner @ Value::Object(_)) => Ty::Map(Box::new(ty_of(inner))),
            _ => Ty::Leaf,
        },
        _ => Ty::Leaf,
    }
}

/// The schema a `{"$ref": "#/components/schemas/<name>"}` names, also when schemars wrapped
/// the reference in an `allOf` because it has siblings (a description).
fn ref_name(schema: &Value) -> Option<&str> {
    let reference = schema
        .get("$ref")
        .or_else(|| schema.get("allOf")?.get(0)?.get("$ref"))?
        .as_str()?;
    reference.rsplit('/').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(s: &str) -> Ty {
        Ty::Named(s.to_string())
    }

    #[test]
    fn nested_objects_lists_and_maps_resolve_to_their_schemas() {
        let deploy = named("io.k8s.api.apps.v1.Deployment");
        let spec = deploy.field("spec");
        assert_eq!(spec, &named("io.k8s.api.apps.v1.DeploymentSpec"));
        let pod_spec = spec.field("template").field("spec");
        assert_eq!(pod_spec, &named("io.k8s.api.core.v1.PodSpec"));
        assert_eq!(
            pod_spec.elements("containers"),
            &named("io.k8s.api.core.v1.Container")
        );
        assert_eq!(
            deploy.field("metadata"),
            &named("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
        );
        let limits = pod_spec
            .elements("containers")
            .field("resources")
            .field("limits");
        assert!(matches!(limits, Ty::Map(_)), "{limits:?}");
        assert_eq!(
            limits.field("cpu"),
            &named("io.k8s.apimachinery.pkg.api.resource.Quantity")
        );
        assert_eq!(deploy.field("nope"), &Ty::Leaf);
        assert_eq!(pod_spec.field("nodeName"), &Ty::Leaf);
        assert_eq!(
            pod_spec.facts("containers").and_then(|f| f.merge_key),
            Some("name")
        );
    }

    #[test]
    fn every_served_kind_and_scale_have_a_schema() {
        for r in crate::resources::RESOURCES {
            let name = schema_name(r.group, r.version, r.kind);
            assert!(name.is_some(), "{}/{} {}", r.group, r.version, r.kind);
        }
        assert_eq!(
            schema_name("autoscaling", "v1", "Scale"),
            Some("io.k8s.api.autoscaling.v1.Scale")
        );
        assert_eq!(
            schema_name("coordination.k8s.io", "v1", "Lease"),
            Some("io.k8s.api.coordination.v1.Lease")
        );
        assert_eq!(
            schema_name("internal.apiserver.k8s.io", "v1alpha1", "StorageVersion"),
            Some("io.k8s.api.apiserverinternal.v1alpha1.StorageVersion")
        );
        assert_eq!(schema_name("example.com", "v1", "Widget"), None);
        let doc = serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment"});
        assert_eq!(schema_of(&doc), Some("io.k8s.api.apps.v1.Deployment"));
        let doc = serde_json::json!({"apiVersion": "v1", "kind": "Pod"});
        assert_eq!(schema_of(&doc), Some("io.k8s.api.core.v1.Pod"));
    }
}
