//! Label and field selectors applied to objects of one kind (list, watch, deletecollection).

use std::collections::BTreeMap;

use serde_json::Value;
use tug_api::printing::selector::{FieldSelector, LabelSelector};
use tug_api::status::ApiError;

use crate::registry::Strategy;

/// The selectors of one request. Unsupported field labels are rejected when it is built
/// (`400 field label not supported: …`), as upstream does.
pub struct Filter {
    labels: LabelSelector,
    fields: FieldSelector,
}

impl Filter {
    pub fn new(
        strategy: &dyn Strategy,
        label_selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Filter, ApiError> {
        let labels = LabelSelector::parse(label_selector.unwrap_or("")).map_err(ApiError::from)?;
        let fields = FieldSelector::parse(field_selector.unwrap_or("")).map_err(ApiError::from)?;
        fields
            .check_supported(strategy.selectable_fields())
            .map_err(ApiError::from)?;
        Ok(Filter { labels, fields })
    }

    /// Whether `obj` matches both selectors.
    pub fn matches(&self, strategy: &dyn Strategy, obj: &Value) -> bool {
        if !self.labels.is_everything() {
            let labels: BTreeMap<String, String> = obj
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            if !self.labels.matches(&labels) {
                return false;
            }
        }
        self.fields.is_everything() || strategy.matches_fields(obj, &self.fields)
    }
}

/// The canonical string of a `metav1.LabelSelector` given as JSON (`app=web`), as a Scale's
/// `status.selector` carries it; empty when it cannot be read.
pub fn label_selector_string(v: &Value) -> String {
    serde_json::from_value::<tug_api::meta::LabelSelector>(v.clone())
        .ok()
        .and_then(|s| LabelSelector::from_meta(&s).ok())
        .map(|s| s.to_string())
        .unwrap_or_default()
}
