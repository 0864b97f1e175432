//! kube-apiserver 1.33's server-side printers (`pkg/printers/internalversion`) for the kinds tug
//! serves, the fields each kind lets `fieldSelector` filter on, label and field selectors, and
//! the `PartialObjectMetadata` a Table row carries.
//!
//! The API server always prints with `Wide: true` (upstream's `TableConvertor` does the same):
//! every column, priority 0 and 1, has a cell, and kubectl drops the priority-1 ones unless
//! `-o wide`. Cells keep upstream's JSON types: Go prints some counts as `int64` even where the
//! column is declared `string` (deployment `Up-to-date`, configmap `Data`, …), and kubectl prints
//! whatever value it gets, so we copy the value types, not the declared types.

mod apps;
mod descriptions;
mod duration;
mod event;
mod fields;
mod net;
mod node;
mod pod;
pub mod selector;
mod service;
mod simple;
mod workloads;

pub use duration::{human_duration, translate_timestamp_since};
pub use pod::pod_row_conditions;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Value, json};

use crate::printers::Column;

/// The `rows[].object` of a Table for `includeObject=Metadata` (the default): the object's whole
/// `metadata` (managedFields included, as upstream's `meta.AsPartialObjectMetadata`) wrapped as
/// a `meta.k8s.io/v1` `PartialObjectMetadata`. kubectl reads the namespace (`-A`) and labels
/// (`--show-labels`, `-L`) from here.
pub fn partial_object_metadata(meta: &ObjectMeta) -> Value {
    let metadata = serde_json::to_value(meta).unwrap_or_else(|_| json!({}));
    json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
    })
}

/// The `Name` column every printer starts with.
const NAME: Column = Column {
    name: "Name",
    type_: "string",
    format: "name",
    description: descriptions::OBJECT_META_NAME,
    priority: 0,
};

/// The `Age` column (creation timestamp, printed as a duration).
const AGE: Column = Column {
    name: "Age",
    type_: "string",
    format: "",
    description: descriptions::OBJECT_META_CREATION_TIMESTAMP,
    priority: 0,
};

/// A string column without a format.
const fn col(
    name: &'static str,
    type_: &'static str,
    priority: i32,
    description: &'static str,
) -> Column {
    Column {
        name,
        type_,
        format: "",
        description,
        priority,
    }
}

/// `labels.FormatLabels`: `k=v,k2=v2` in key order, `<none>` when empty.
fn format_labels(labels: Option<&std::collections::BTreeMap<String, String>>) -> String {
    let joined = labels
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    if joined.is_empty() {
        "<none>".to_string()
    } else {
        joined
    }
}

/// `layoutContainerCells`: container names and images, each comma-joined.
fn layout_container_cells(
    containers: &[k8s_openapi::api::core::v1::Container],
) -> (String, String) {
    let names = containers
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let images = containers
        .iter()
        .map(|c| c.image.as_deref().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(",");
    (names, images)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_object_metadata_wraps_the_whole_metadata() {
        let meta = ObjectMeta {
            name: Some("nginx".into()),
            namespace: Some("default".into()),
            labels: Some([("app".to_string(), "nginx".to_string())].into()),
            ..Default::default()
        };
        assert_eq!(
            partial_object_metadata(&meta),
            json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                   "metadata": {"name": "nginx", "namespace": "default", "labels": {"app": "nginx"}}})
        );
    }

    #[test]
    fn format_labels_sorts_and_says_none_when_empty() {
        assert_eq!(format_labels(None), "<none>");
        let m = [
            ("b".to_string(), "2".to_string()),
            ("a".to_string(), "1".to_string()),
        ]
        .into();
        assert_eq!(format_labels(Some(&m)), "a=1,b=2");
    }
}
