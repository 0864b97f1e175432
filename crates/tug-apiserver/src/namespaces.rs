//! The namespace lifecycle (upstream's namespace controller): a terminating namespace is
//! emptied — every object in it deleted — and then released by removing the `kubernetes`
//! finalizer from its `spec.finalizers`, which deletes it. While objects with finalizers
//! hold it, its status conditions say which finalizers and how many objects, as upstream's.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tug_api::resources::RESOURCES;
use tug_store::ListRequest;

use crate::delete::{DeleteOptions, Propagation};
use crate::object::{self, meta_str};
use crate::registry::WriteKind;
use crate::rest::Ctx;

/// The finalizer upstream puts in every namespace's `spec.finalizers`.
pub const KUBERNETES_FINALIZER: &str = "kubernetes";

/// How often terminating namespaces are looked at.
const PERIOD: Duration = Duration::from_millis(500);

/// Runs until the store closes.
pub async fn run(ctx: Arc<Ctx>) {
    let mut tick = tokio::time::interval(PERIOD);
    loop {
        tick.tick().await;
        let Some(s) = ctx.registry.get("", "v1", "namespaces").cloned() else {
            return;
        };
        let page = match ctx
            .store
            .list(ListRequest {
                prefix: s.info().key_prefix(),
                ..Default::default()
            })
            .await
        {
            Ok(p) => p,
            Err(tug_store::StoreError::Closed) => return,
            Err(_) => continue,
        };
        for kv in page.items {
            let Ok(ns) = object::from_kv(&kv) else {
                continue;
            };
            let terminating = !meta_str(&ns, "deletionTimestamp").is_empty();
            let holds = ns
                .pointer("/spec/finalizers")
                .and_then(Value::as_array)
                .is_some_and(|f| f.iter().any(|x| x == KUBERNETES_FINALIZER));
            if terminating && holds {
                finalize(&ctx, meta_str(&ns, "name")).await;
            }
        }
    }
}

/// What is left in a namespace: objects per resource, and objects per finalizer.
#[derive(Debug, Default, PartialEq, Eq)]
struct Remaining {
    by_resource: BTreeMap<String, usize>,
    by_finalizer: BTreeMap<String, usize>,
}

/// Deletes everything in `ns`, then releases the namespace if nothing is left.
async fn finalize(ctx: &Ctx, ns: &str) {
    let mut remaining = Remaining::default();
    let mut seen_prefixes = Vec::new();
    for info in RESOURCES.iter().filter(|r| r.namespaced) {
        let prefix = format!("{}{}/", info.key_prefix(), ns);
        if seen_prefixes.contains(&prefix) {
            continue;
        }
        seen_prefixes.push(prefix.clone());
        let Some(s) = ctx
            .registry
            .get(info.group, info.version, info.plural)
            .cloned()
        else {
            continue;
        };
        let Ok(page) = ctx
            .store
            .list(ListRequest {
                prefix,
                ..Default::default()
            })
            .await
        else {
            return;
        };
        for kv in page.items {
            let Ok(v) = object::from_kv(&kv) else {
                continue;
            };
            let name = meta_str(&v, "name").to_string();
            let opts = DeleteOptions {
                precondition_uid: Some(meta_str(&v, "uid").to_string()),
                propagation: Some(Propagation::Background),
                ..Default::default()
            };
            let gone = match ctx.delete_value(&*s, ns, &name, &opts).await {
                Ok(crate::delete::Deleted::Now(_)) => true,
                Ok(crate::delete::Deleted::Pending(left)) => {
                    for f in left
                        .pointer("/metadata/finalizers")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        *remaining.by_finalizer.entry(f.to_string()).or_default() += 1;
                    }
                    false
                }
                Err(e) => e.code == 404,
            };
            if !gone {
                let gr = format!("{}.{}", info.plural, info.group);
                *remaining.by_resource.entry(gr).or_default() += 1;
            }
        }
    }
    if remaining.by_resource.is_empty() {
        release(ctx, ns).await;
    } else {
        report(ctx, ns, &remaining).await;
    }
}

/// Removes the `kubernetes` finalizer through the `finalize` path; the update deletes the
/// namespace when nothing else holds it.
async fn release(ctx: &Ctx, ns: &str) {
    let Some(s) = ctx.registry.get("", "v1", "namespaces").cloned() else {
        return;
    };
    let r = ctx
        .guaranteed_update(&*s, "", ns, WriteKind::System, false, |current| {
            let mut next = current.clone();
            let keep: Vec<Value> = current
                .pointer("/spec/finalizers")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter(|f| *f != KUBERNETES_FINALIZER)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            next["spec"]["finalizers"] = Value::Array(keep);
            if let Some(m) = next.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("resourceVersion");
            }
            Ok(next)
        })
        .await;
    if let Err(e) = r
        && e.code != 404
    {
        tracing::warn!("releasing namespace {ns}: {}", e.message);
    }
}

/// The status conditions upstream's namespace controller sets while content remains.
fn conditions(remaining: &Remaining, now: &str) -> Value {
    let content = remaining
        .by_resource
        .iter()
        .map(|(gr, n)| format!("{gr} has {n} resource instances"))
        .collect::<Vec<_>>()
        .join(", ");
    let finalizers = remaining
        .by_finalizer
        .iter()
        .map(|(f, n)| format!("{f} in {n} resource instances"))
        .collect::<Vec<_>>()
        .join(", ");
    let cond = |t: &str, status: &str, reason: &str, message: &str| json!({"type": t, "status": status, "lastTransitionTime": now, "reason": reason, "message": message});
    let mut out = vec![
        cond(
            "NamespaceDeletionDiscoveryFailure",
            "False",
            "ResourcesDiscovered",
            "All resources successfully discovered",
        ),
        cond(
            "NamespaceDeletionGroupVersionParsingFailure",
            "False",
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed",
        ),
        cond(
            "NamespaceDeletionContentFailure",
            "False",
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization",
        ),
        cond(
            "NamespaceContentRemaining",
            "True",
            "SomeResourcesRemain",
            &format!("Some resources are remaining: {content}"),
        ),
    ];
    if finalizers.is_empty() {
        out.push(cond(
            "NamespaceFinalizersRemaining",
            "False",
            "ContentHasNoFinalizers",
            "All content-preserving finalizers finished",
        ));
    } else {
        out.push(cond(
            "NamespaceFinalizersRemaining",
            "True",
            "SomeFinalizersRemain",
            &format!("Some content in the namespace has finalizers remaining: {finalizers}"),
        ));
    }
    Value::Array(out)
}

async fn report(ctx: &Ctx, ns: &str, remaining: &Remaining) {
    let Some(s) = ctx.registry.get("", "v1", "namespaces").cloned() else {
        return;
    };
    let now = object::now_rfc3339();
    let wanted = conditions(remaining, &now);
    let _ = ctx
        .guaranteed_update(&*s, "", ns, WriteKind::System, false, |current| {
            let mut next = current.clone();
            // Keep transition times of conditions whose content did not change, so an
            // unchanged report is a no-op write.
            let old = current
                .pointer("/status/conditions")
                .cloned()
                .unwrap_or(Value::Null);
            let mut conds = wanted.clone();
            if let (Some(new), Some(old)) = (conds.as_array_mut(), old.as_array()) {
                for c in new.iter_mut() {
                    if let Some(o) = old.iter().find(|o| {
                        o["type"] == c["type"]
                            && o["status"] == c["status"]
                            && o["message"] == c["message"]
                    }) {
                        c["lastTransitionTime"] = o["lastTransitionTime"].clone();
                    }
                }
            }
            next["status"]["conditions"] = conds;
            if let Some(m) = next.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("resourceVersion");
            }
            Ok(next)
        })
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_name_the_remaining_resources_and_finalizers_as_upstream() {
        let mut r = Remaining::default();
        r.by_resource.insert("pods.".into(), 2);
        r.by_finalizer.insert("example.com/block".into(), 2);
        let c = conditions(&r, "2026-01-01T00:00:00Z");
        assert_eq!(
            c[3]["message"],
            "Some resources are remaining: pods. has 2 resource instances"
        );
        assert_eq!(
            c[4]["message"],
            "Some content in the namespace has finalizers remaining: example.com/block in 2 resource instances"
        );
    }
}
