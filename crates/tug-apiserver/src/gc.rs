//! The garbage collector: deletes objects whose owners are gone, and carries out the
//! `foregroundDeletion` and `orphan` finalizers that DELETE's propagation policies set
//! (upstream's garbage collector controller).
//!
//! It keeps an in-memory index of every object's uid and ownerReferences, built from one
//! list of the whole store and kept current by one watch of it. Its writes go through the
//! same delete and update paths as any client's. It runs inside the server until a
//! controller manager exists (see docs/architecture.md).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use tug_store::{EventKind, ListRequest, Revision};

use crate::delete::{DeleteOptions, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, Propagation};
use crate::object::{self, meta_str};
use crate::registry::WriteKind;
use crate::rest::Ctx;

const ROOT: &str = "/registry/";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Entry {
    uid: String,
    /// Owner uids, of owners whose kind tug serves (an owner of an unknown kind cannot be
    /// looked up, so it is never taken for gone — upstream leaves such objects alone too).
    owners: Vec<String>,
    deleting: bool,
    finalizers: Vec<String>,
}

impl Entry {
    fn of(v: &Value, served: impl Fn(&str, &str) -> bool) -> Entry {
        let owners = v
            .pointer("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|r| {
                        let av = r.get("apiVersion").and_then(Value::as_str).unwrap_or("");
                        let group = av.rsplit_once('/').map_or("", |(g, _)| g);
                        served(group, r.get("kind").and_then(Value::as_str).unwrap_or(""))
                    })
                    .filter_map(|r| r.get("uid").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let finalizers = v
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Entry {
            uid: meta_str(v, "uid").to_string(),
            owners,
            deleting: !meta_str(v, "deletionTimestamp").is_empty(),
            finalizers,
        }
    }

    fn has_finalizer(&self, f: &str) -> bool {
        self.finalizers.iter().any(|x| x == f)
    }
}

/// uid and ownership of every object, by key.
#[derive(Default)]
struct Index {
    by_key: HashMap<String, Entry>,
    by_uid: HashMap<String, String>,
    dependents: HashMap<String, BTreeSet<String>>,
}

impl Index {
    fn upsert(&mut self, key: &str, e: Entry) {
        self.remove(key);
        self.by_uid.insert(e.uid.clone(), key.to_string());
        for o in &e.owners {
            self.dependents
                .entry(o.clone())
                .or_default()
                .insert(key.to_string());
        }
        self.by_key.insert(key.to_string(), e);
    }

    fn remove(&mut self, key: &str) -> Option<Entry> {
        let e = self.by_key.remove(key)?;
        if self.by_uid.get(&e.uid).is_some_and(|k| k == key) {
            self.by_uid.remove(&e.uid);
        }
        for o in &e.owners {
            if let Some(set) = self.dependents.get_mut(o) {
                set.remove(key);
                if set.is_empty() {
                    self.dependents.remove(o);
                }
            }
        }
        Some(e)
    }

    fn dependents_of(&self, uid: &str) -> Vec<String> {
        self.dependents
            .get(uid)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// Runs the garbage collector until the store closes.
pub async fn run(ctx: Arc<Ctx>) {
    loop {
        match pass(&ctx).await {
            Ok(()) => return,
            Err(e) => {
                tracing::debug!("garbage collector restarts: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// One life of the collector: list, then follow the watch until it fails.
async fn pass(ctx: &Ctx) -> Result<(), String> {
    let mut index = Index::default();
    let rev = list_all(ctx, &mut index).await?;
    let keys: Vec<String> = index.by_key.keys().cloned().collect();
    for k in keys {
        attend(ctx, &index, &k).await;
    }
    let mut events = ctx
        .store
        .watch(ROOT, rev)
        .await
        .map_err(|e| e.to_string())?;
    while let Some(ev) = events.next().await {
        let ev = match ev {
            Ok(ev) => ev,
            Err(tug_store::StoreError::Closed) => return Ok(()),
            Err(e) => return Err(e.to_string()),
        };
        let key = ev.kv.key.clone();
        if ctx.registry.for_key(&key).is_none() {
            continue;
        }
        match ev.kind {
            EventKind::Put => {
                let Ok(v) = object::from_kv(&ev.kv) else {
                    continue;
                };
                index.upsert(
                    &key,
                    Entry::of(&v, |g, k| ctx.registry.by_kind(g, k).is_some()),
                );
                attend(ctx, &index, &key).await;
            }
            EventKind::Delete => {
                let Some(gone) = index.remove(&key) else {
                    continue;
                };
                for dep in index.dependents_of(&gone.uid) {
                    attend(ctx, &index, &dep).await;
                }
                for owner in &gone.owners {
                    if let Some(k) = index.by_uid.get(owner).cloned() {
                        attend(ctx, &index, &k).await;
                    }
                }
            }
        }
    }
    Ok(())
}

async fn list_all(ctx: &Ctx, index: &mut Index) -> Result<Revision, String> {
    let mut start_after = None;
    let mut rev = 0;
    loop {
        let page = ctx
            .store
            .list(ListRequest {
                prefix: ROOT.into(),
                start_after: start_after.clone(),
                limit: 1000,
                revision: rev,
            })
            .await
            .map_err(|e| e.to_string())?;
        rev = page.revision;
        for kv in &page.items {
            start_after = Some(kv.key.clone());
            if ctx.registry.for_key(&kv.key).is_none() {
                continue;
            }
            if let Ok(v) = object::from_kv(kv) {
                index.upsert(
                    &kv.key,
                    Entry::of(&v, |g, k| ctx.registry.by_kind(g, k).is_some()),
                );
            }
        }
        if !page.more {
            return Ok(rev);
        }
    }
}

/// Brings one object in line with its owners and its deletion finalizers.
async fn attend(ctx: &Ctx, index: &Index, key: &str) {
    let Some(e) = index.by_key.get(key) else {
        return;
    };
    if e.deleting && e.has_finalizer(FOREGROUND_FINALIZER) {
        let deps = index.dependents_of(&e.uid);
        if deps.is_empty() {
            remove_finalizer(ctx, key, FOREGROUND_FINALIZER).await;
        } else {
            for d in deps {
                delete_dependent(ctx, index, &d).await;
            }
        }
        return;
    }
    if e.deleting && e.has_finalizer(ORPHAN_FINALIZER) {
        for d in index.dependents_of(&e.uid) {
            remove_owner_refs(ctx, &d, std::slice::from_ref(&e.uid)).await;
        }
        remove_finalizer(ctx, key, ORPHAN_FINALIZER).await;
        return;
    }
    if e.owners.is_empty() {
        return;
    }
    let Some((_, dep_ns, _)) = ctx.registry.for_key(key) else {
        return;
    };
    // An owner is live when it exists where a dependent may point: in the dependent's own
    // namespace, or cluster-scoped. A uid found in another namespace is an invalid reference:
    // upstream treats it as absent and warns with an OwnerRefInvalidNamespace event.
    let mut live = Vec::new();
    let mut gone = Vec::new();
    let mut invalid = Vec::new();
    for o in &e.owners {
        match index.by_uid.get(o).and_then(|k| ctx.registry.for_key(k)) {
            Some((s, owner_ns, _)) if !s.info().namespaced || owner_ns == dep_ns => live.push(o),
            Some((s, _, owner_name)) => {
                invalid.push(format!(
                    "[{}/{}, namespace: {}, name: {}, uid: {}]",
                    s.info().api_version(),
                    s.info().kind,
                    dep_ns,
                    owner_name,
                    o
                ));
                gone.push(o.clone());
            }
            None => gone.push(o.clone()),
        }
    }
    if !invalid.is_empty()
        && let Some((s, ns, name)) = ctx.registry.for_key(key)
        && let Ok((dependent, _)) = ctx.read(&*s, &ns, &name).await
    {
        for r in &invalid {
            crate::events::record(
                ctx,
                &dependent,
                crate::events::EventType::Warning,
                "OwnerRefInvalidNamespace",
                &format!("ownerRef {r} does not exist in namespace {dep_ns:?}"),
                "garbage-collector-controller",
            )
            .await;
        }
    }
    if live.is_empty() {
        delete_dependent(ctx, index, key).await;
    } else if !gone.is_empty() {
        remove_owner_refs(ctx, key, &gone).await;
    }
}

async fn delete_dependent(ctx: &Ctx, index: &Index, key: &str) {
    let Some((s, ns, name)) = ctx.registry.for_key(key) else {
        return;
    };
    let Some(e) = index.by_key.get(key) else {
        return;
    };
    if e.deleting {
        return;
    }
    let opts = DeleteOptions {
        precondition_uid: Some(e.uid.clone()),
        propagation: Some(Propagation::Background),
        ..Default::default()
    };
    if let Err(err) = ctx.delete_value(&*s, &ns, &name, &opts).await
        && err.code != 404
        && err.code != 409
    {
        tracing::warn!("garbage collector could not delete {key}: {}", err.message);
    }
}

async fn remove_finalizer(ctx: &Ctx, key: &str, finalizer: &str) {
    let Some((s, ns, name)) = ctx.registry.for_key(key) else {
        return;
    };
    let r = ctx
        .guaranteed_update(&*s, &ns, &name, WriteKind::System, false, |current| {
            let mut next = current.clone();
            if let Some(m) = next.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("resourceVersion");
                let keep: Vec<Value> = m
                    .get("finalizers")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter(|f| *f != finalizer).cloned().collect())
                    .unwrap_or_default();
                if keep.is_empty() {
                    m.remove("finalizers");
                } else {
                    m.insert("finalizers".into(), Value::Array(keep));
                }
            }
            Ok(next)
        })
        .await;
    if let Err(err) = r
        && err.code != 404
    {
        tracing::warn!("garbage collector could not update {key}: {}", err.message);
    }
}

async fn remove_owner_refs(ctx: &Ctx, key: &str, uids: &[String]) {
    let Some((s, ns, name)) = ctx.registry.for_key(key) else {
        return;
    };
    let r = ctx
        .guaranteed_update(&*s, &ns, &name, WriteKind::System, false, |current| {
            let mut next = current.clone();
            if let Some(m) = next.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("resourceVersion");
                let keep: Vec<Value> = m
                    .get("ownerReferences")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter(|r| {
                                let uid = r.get("uid").and_then(Value::as_str).unwrap_or("");
                                !uids.iter().any(|u| u == uid)
                            })
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                if keep.is_empty() {
                    m.remove("ownerReferences");
                } else {
                    m.insert("ownerReferences".into(), Value::Array(keep));
                }
            }
            Ok(next)
        })
        .await;
    if let Err(err) = r
        && err.code != 404
    {
        tracing::warn!("garbage collector could not orphan {key}: {}", err.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_index_tracks_dependents_through_updates_and_removals() {
        let served = |_: &str, k: &str| k == "ReplicaSet";
        let owned = json!({"metadata":{"uid":"B","ownerReferences":[
            {"apiVersion":"apps/v1","kind":"ReplicaSet","uid":"A"},
            {"apiVersion":"example.com/v1","kind":"Widget","uid":"W"}]}});
        let mut i = Index::default();
        i.upsert(
            "/registry/a",
            Entry::of(&json!({"metadata":{"uid":"A"}}), served),
        );
        i.upsert("/registry/b", Entry::of(&owned, served));
        assert_eq!(i.dependents_of("A"), ["/registry/b"]);
        assert!(
            i.dependents_of("W").is_empty(),
            "owners of unknown kinds are not tracked"
        );
        i.upsert(
            "/registry/b",
            Entry::of(&json!({"metadata":{"uid":"B"}}), served),
        );
        assert!(i.dependents_of("A").is_empty(), "orphaned");
        i.upsert("/registry/b", Entry::of(&owned, served));
        let gone = i.remove("/registry/a").expect("present");
        assert_eq!(gone.uid, "A");
        assert!(!i.by_uid.contains_key("A"));
        assert_eq!(
            i.dependents_of("A"),
            ["/registry/b"],
            "still waiting to be collected"
        );
    }
}
