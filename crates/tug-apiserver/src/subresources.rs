//! Subresources with their own bodies: `scale` (autoscaling/v1 Scale over `spec.replicas`)
//! and `binding` (a pod's assignment to a node).

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use tug_api::field::{FieldError, Path};
use tug_api::status::{ApiError, success_status};

use crate::object::{meta_str, now_rfc3339};
use crate::patch::{self, PatchType};
use crate::query::Query;
use crate::registry::{Strategy, WriteKind};
use crate::reply;
use crate::rest::{Ctx, Reply, qualified};

/// The Scale view of a workload object.
fn scale_of(obj: &Value) -> Value {
    let m = obj.get("metadata").cloned().unwrap_or_else(|| json!({}));
    let mut meta = serde_json::Map::new();
    for f in [
        "name",
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
    ] {
        if let Some(v) = m.get(f) {
            meta.insert(f.into(), v.clone());
        }
    }
    let selector = if obj.get("kind").and_then(Value::as_str) == Some("ReplicationController") {
        // A ReplicationController's selector is a plain label map (`SelectorFromSet`).
        obj.pointer("/spec/selector")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default()
    } else {
        obj.pointer("/spec/selector")
            .map(crate::filter::label_selector_string)
            .unwrap_or_default()
    };
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": Value::Object(meta),
        "spec": {"replicas": obj.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(0)},
        "status": {
            "replicas": obj.pointer("/status/replicas").and_then(Value::as_i64).unwrap_or(0),
            "selector": selector,
        },
    })
}

/// GET `…/scale`.
pub async fn get_scale(ctx: &Ctx, s: &dyn Strategy, ns: &str, name: &str) -> Reply {
    let (obj, _) = ctx.read(s, ns, name).await?;
    Ok(reply::json(StatusCode::OK, &scale_of(&obj)))
}

/// PUT or PATCH `…/scale`: the Scale is computed from the current object, replaced or
/// patched, validated, and its `spec.replicas` written back through the update loop.
#[allow(clippy::too_many_arguments)]
pub async fn update_scale(
    ctx: &Ctx,
    s: &dyn Strategy,
    ns: &str,
    name: &str,
    q: &Query,
    headers: &HeaderMap,
    body: &[u8],
    is_patch: bool,
) -> Reply {
    q.check_dry_run().map_err(ApiError::bad_request)?;
    let ptype = if is_patch {
        Some(PatchType::from_headers(headers)?)
    } else {
        None
    };
    let input: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "Scale in version \"v1\" cannot be handled as a Scale: {e}"
        ))
    })?;
    let (obj, _) = ctx
        .guaranteed_update(s, ns, name, WriteKind::Update, q.is_dry_run(), |current| {
            let scale = scale_of(current);
            let new_scale = match ptype {
                Some(p) => patch::apply(p, &scale, &input)?,
                None => input.clone(),
            };
            let rv = meta_str(&new_scale, "resourceVersion");
            if !is_patch && !rv.is_empty() && rv != meta_str(current, "resourceVersion") {
                return Err(ApiError::conflict(
                    &qualified(s.info()),
                    name,
                    ApiError::CONFLICT_MODIFIED,
                ));
            }
            let replicas = new_scale
                .pointer("/spec/replicas")
                .cloned()
                .unwrap_or(json!(0));
            let Some(n) = replicas.as_i64() else {
                return Err(ApiError::invalid(
                    "autoscaling",
                    "Scale",
                    name,
                    &[FieldError::invalid(
                        &Path::new("spec").child("replicas"),
                        replicas,
                        "must be an integer",
                    )],
                ));
            };
            if n < 0 {
                return Err(ApiError::invalid(
                    "autoscaling",
                    "Scale",
                    name,
                    &[FieldError::invalid(
                        &Path::new("spec").child("replicas"),
                        n,
                        "must be greater than or equal to 0",
                    )],
                ));
            }
            let mut next = current.clone();
            if let Some(o) = next.as_object_mut() {
                o.entry("spec")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .map(|spec| spec.insert("replicas".into(), Value::from(n)));
                if let Some(m) = o.get_mut("metadata").and_then(Value::as_object_mut) {
                    m.remove("resourceVersion");
                }
            }
            Ok(next)
        })
        .await?;
    Ok(reply::json(StatusCode::OK, &scale_of(&obj)))
}

/// POST `pods/{name}/binding`: assigns an unassigned pod to a node and marks it scheduled.
/// A pod already assigned answers 409 as upstream.
pub async fn bind(
    ctx: &Ctx,
    s: &dyn Strategy,
    ns: &str,
    name: &str,
    q: &Query,
    body: &[u8],
) -> Reply {
    q.check_dry_run().map_err(ApiError::bad_request)?;
    let binding: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "Binding in version \"v1\" cannot be handled as a Binding: {e}"
        ))
    })?;
    let node = binding
        .pointer("/target/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if node.is_empty() {
        return Err(ApiError::invalid(
            "",
            "Binding",
            name,
            &[FieldError::required(&Path::new("target").child("name"), "")],
        ));
    }
    // Binding is a system write: it sets spec.nodeName and a status condition together,
    // which neither the update nor the status rules allow, so it skips admission as
    // upstream's binding REST does.
    ctx.guaranteed_update(s, ns, name, WriteKind::System, q.is_dry_run(), |current| {
        if !meta_str(current, "deletionTimestamp").is_empty() {
            return Err(ApiError::conflict(
                &qualified(s.info()),
                name,
                "pod is being deleted, cannot be assigned to a host",
            ));
        }
        let assigned = current
            .pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !assigned.is_empty() {
            return Err(ApiError::conflict(
                &qualified(s.info()),
                name,
                &format!("pod {name} is already assigned to node {assigned:?}"),
            ));
        }
        let mut next = current.clone();
        next["spec"]["nodeName"] = Value::String(node.clone());
        let conditions = next["status"]
            .as_object_mut()
            .map(|st| st.entry("conditions").or_insert_with(|| json!([])));
        if let Some(Value::Array(cs)) = conditions {
            cs.retain(|c| c.get("type").and_then(Value::as_str) != Some("PodScheduled"));
            cs.push(json!({
                "type": "PodScheduled",
                "status": "True",
                "lastProbeTime": null,
                "lastTransitionTime": now_rfc3339(),
            }));
        }
        if let Some(m) = next.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
        }
        Ok(next)
    })
    .await?;
    Ok(reply::json(
        StatusCode::CREATED,
        &success_status("", "pods", name, ""),
    ))
}

/// PUT `namespaces/{name}/finalize`: replaces `spec.finalizers` only (what the namespace
/// controller uses to release a terminating namespace); the namespace is deleted when it is
/// terminating and nothing holds it any more.
pub async fn finalize_namespace(
    ctx: &Ctx,
    s: &dyn Strategy,
    name: &str,
    q: &Query,
    body: &[u8],
) -> Reply {
    q.check_dry_run().map_err(ApiError::bad_request)?;
    let input: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "Namespace in version \"v1\" cannot be handled as a Namespace: {e}"
        ))
    })?;
    let finalizers = input
        .pointer("/spec/finalizers")
        .cloned()
        .unwrap_or_else(|| json!([]));
    if !finalizers.is_array() {
        return Err(ApiError::bad_request("spec.finalizers must be a list"));
    }
    let (obj, status) = ctx
        .guaranteed_update(s, "", name, WriteKind::System, q.is_dry_run(), |current| {
            let mut next = current.clone();
            next["spec"]["finalizers"] = finalizers.clone();
            if let Some(m) = next.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("resourceVersion");
            }
            Ok(next)
        })
        .await?;
    Ok(reply::json(status, &obj))
}
