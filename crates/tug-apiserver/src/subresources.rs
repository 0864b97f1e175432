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
        patch::check_patch_options(q)?;
        let p = PatchType::from_headers(headers)?;
        if p == PatchType::Apply {
            // Server-side apply of a Scale is not implemented: refuse it before parsing.
            return Err(ApiError::unsupported_media_type(
                crate::apply::APPLY_PATCH,
                "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
            ));
        }
        Some(p)
    } else {
        crate::managed_fields::validate_field_manager(
            q.field_manager.as_deref(),
            "UpdateOptions",
            false,
        )?;
        None
    };
    // Recorded on the parent as upstream's ScaleHandler does: the writer's `scale` entry
    // owns `spec.replicas` when it changed it.
    let tracking = crate::managed_fields::Tracking::Update(crate::managed_fields::FieldOwner::new(
        crate::managed_fields::manager_of(q.field_manager.as_deref(), headers),
        "scale",
    ));
    let input: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "Scale in version \"v1\" cannot be handled as a Scale: {e}"
        ))
    })?;
    let (obj, _) = ctx
        .guaranteed_update_as(
            s,
            ns,
            name,
            WriteKind::Update,
            q.is_dry_run(),
            &tracking,
            |current| {
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
            },
        )
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

/// A request body as JSON, whether it came as JSON or as a Kubernetes protobuf envelope
/// (client-go's typed clients send protobuf).
fn body_json(
    headers: &HeaderMap,
    body: &[u8],
    api_version: &str,
    kind: &str,
) -> Result<Value, ApiError> {
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.split(';').next().map(str::trim) == Some(crate::protobuf::MEDIA_TYPE) {
        return crate::protobuf::decode_for(body, api_version, kind)
            .map_err(|e| ApiError::bad_request(e.to_string()));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "{kind} in version {:?} cannot be handled as a {kind}: {e}",
            api_version.rsplit('/').next().unwrap_or(api_version)
        ))
    })
}

fn pod_is_ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
}

/// The disruption-budget refusal upstream answers (429 with a `DisruptionBudget` cause and
/// the suggested retry delay, 0 meaning none).
fn budget_refusal(message: String, retry_after: u32) -> ApiError {
    let mut e = ApiError::too_many_requests(
        "Cannot evict pod as it would violate the pod's disruption budget.",
        retry_after,
    );
    if retry_after == 0 {
        e.retry_after = None;
    }
    if let Some(d) = e.details.as_mut() {
        d.causes.push(tug_api::status::Cause {
            reason: "DisruptionBudget".into(),
            message,
            field: String::new(),
        });
    }
    e
}

/// POST `pods/{name}/eviction` (policy/v1 Eviction), as upstream's eviction REST: a pod
/// that is finished, pending or already terminating is deleted directly; otherwise the one
/// PodDisruptionBudget covering it must allow a disruption (its status is decremented and
/// the pod recorded in `disruptedPods`), else 429. The pod is then deleted with the
/// Eviction's `deleteOptions` (graceful, as any pod delete).
pub async fn evict(
    ctx: &Ctx,
    s: &dyn Strategy,
    ns: &str,
    name: &str,
    q: &Query,
    headers: &HeaderMap,
    body: &[u8],
) -> Reply {
    q.check_dry_run().map_err(ApiError::bad_request)?;
    let eviction = body_json(headers, body, "policy/v1", "Eviction")?;
    let body_name = meta_str(&eviction, "name");
    if !body_name.is_empty() && body_name != name {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Eviction object",
        ));
    }
    let opts_body = eviction
        .get("deleteOptions")
        .map(|o| serde_json::to_vec(o).unwrap_or_default())
        .unwrap_or_default();
    let delete_opts = crate::delete::DeleteOptions::parse(q, &opts_body)?;
    let (pod, _) = ctx.read(s, ns, name).await?;
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    let ignore_budget = matches!(phase, "Succeeded" | "Failed" | "Pending")
        || !meta_str(&pod, "deletionTimestamp").is_empty();
    if !ignore_budget {
        check_budget(ctx, ns, &pod, delete_opts.dry_run).await?;
    }
    ctx.delete_value(s, ns, name, &delete_opts).await?;
    Ok(reply::json(
        StatusCode::CREATED,
        &json!({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}),
    ))
}

/// Finds the budget covering `pod` and takes one disruption from it, or refuses.
async fn check_budget(ctx: &Ctx, ns: &str, pod: &Value, dry_run: bool) -> Result<(), ApiError> {
    use tug_api::printing::selector::LabelSelector;
    let Some(pdbs) = ctx
        .registry
        .get("policy", "v1", "poddisruptionbudgets")
        .cloned()
    else {
        return Ok(());
    };
    let labels: std::collections::BTreeMap<String, String> = pod
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let filter = crate::filter::Filter::new(&*pdbs, None, None)?;
    let page = ctx.list_page(&*pdbs, Some(ns), &filter, 0, None).await?;
    let covering: Vec<Value> = page
        .items
        .into_iter()
        .filter(|pdb| {
            // policy/v1: a missing selector selects nothing, an empty one every pod.
            pdb.pointer("/spec/selector")
                .and_then(|sel| {
                    serde_json::from_value::<tug_api::meta::LabelSelector>(sel.clone()).ok()
                })
                .and_then(|sel| LabelSelector::from_meta(&sel).ok())
                .is_some_and(|sel| sel.matches(&labels))
        })
        .collect();
    let pdb = match covering.as_slice() {
        [] => return Ok(()),
        [one] => one.clone(),
        _ => {
            return Err(ApiError::internal(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            ));
        }
    };
    let pdb_name = meta_str(&pdb, "name").to_string();
    let status_i64 = |v: &Value, f: &str| {
        v.pointer(&format!("/status/{f}"))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    // An unhealthy pod may go without a disruption when the budget allows it.
    if !pod_is_ready(pod) {
        let policy = pdb
            .pointer("/spec/unhealthyPodEvictionPolicy")
            .and_then(Value::as_str)
            .unwrap_or("IfHealthyBudget");
        let desired = status_i64(&pdb, "desiredHealthy");
        if policy == "AlwaysAllow" || (desired > 0 && status_i64(&pdb, "currentHealthy") >= desired)
        {
            return Ok(());
        }
    }
    let pod_name = meta_str(pod, "name").to_string();
    ctx.guaranteed_update(&*pdbs, ns, &pdb_name, WriteKind::System, dry_run, |current| {
        let generation = current.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(0);
        if status_i64(current, "observedGeneration") < generation {
            return Err(budget_refusal(
                format!("The disruption budget {pdb_name} is still being processed by the server."),
                10,
            ));
        }
        let allowed = status_i64(current, "disruptionsAllowed");
        if allowed < 0 {
            return Err(ApiError::forbidden(
                &tug_api::status::Qualified::new("policy", "poddisruptionbudgets"),
                &pdb_name,
                "pdb disruptions allowed is negative",
            ));
        }
        if allowed == 0 {
            return Err(budget_refusal(
                format!(
                    "The disruption budget {pdb_name} needs {} healthy pods and has {} currently",
                    status_i64(current, "desiredHealthy"),
                    status_i64(current, "currentHealthy")
                ),
                0,
            ));
        }
        let mut next = current.clone();
        next["status"]["disruptionsAllowed"] = json!(allowed - 1);
        next["status"]["disruptedPods"][&pod_name] = json!(now_rfc3339());
        if let Some(m) = next.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
        }
        Ok(next)
    })
    .await?;
    Ok(())
}
