//! `meta.k8s.io/v1` Tables: the server-side printing kubectl asks for with
//! `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.

use serde_json::{Value, json};

use crate::query::Query;
use crate::registry::Strategy;

/// A Table of `items` with the kind's columns. Each row carries the object as
/// `includeObject` asks: a PartialObjectMetadata (the default), the whole object, or none.
pub fn table(strategy: &dyn Strategy, items: &[Value], rv: &str, cont: &str, q: &Query) -> Value {
    let now = jiff::Timestamp::now();
    let columns: Vec<Value> = strategy
        .columns()
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "type": c.type_,
                "format": c.format,
                "description": c.description,
                "priority": c.priority,
            })
        })
        .collect();
    let rows: Vec<Value> = items
        .iter()
        .map(|item| {
            let (cells, conditions) = strategy.row(item, now);
            let mut row = json!({ "cells": cells });
            if let Some(c) = conditions {
                row["conditions"] = c;
            }
            match q.include_object.as_deref() {
                Some("None") => {}
                Some("Object") => row["object"] = item.clone(),
                _ => {
                    row["object"] = json!({
                        "kind": "PartialObjectMetadata",
                        "apiVersion": "meta.k8s.io/v1",
                        "metadata": item.get("metadata").cloned().unwrap_or_else(|| json!({})),
                    })
                }
            }
            row
        })
        .collect();
    let mut meta = serde_json::Map::new();
    meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
    if !cont.is_empty() {
        meta.insert("continue".into(), Value::String(cont.to_string()));
    }
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": Value::Object(meta),
        "columnDefinitions": columns,
        "rows": rows,
    })
}
