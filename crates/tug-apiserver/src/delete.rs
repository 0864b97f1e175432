//! DELETE with upstream's lifecycle: preconditions, graceful pod deletion, finalizers and
//! `deletionTimestamp`, and the garbage-collection propagation policies (which become the
//! `orphan` / `foregroundDeletion` finalizers the garbage collector acts on).
//!
//! An object is removed from the store at once only when nothing holds it: no grace period
//! (pods) and no finalizers (namespaces: no `spec.finalizers` either). Otherwise it gets a
//! `deletionTimestamp` and stays, answered as the object itself; the update that removes the
//! last finalizer deletes it ([`deletion_complete`]).

use axum::http::StatusCode;
use serde_json::{Value, json};
use tug_api::field::{FieldError, Path};
use tug_api::status::{ApiError, success_status};
use tug_store::{Compare, Op, StoreError, Txn};

use crate::object::{self, meta_mut, meta_str};
use crate::query::Query;
use crate::registry::Strategy;
use crate::reply;
use crate::rest::{Ctx, Reply, qualified, store_error};
use crate::services;

/// The finalizer that makes the garbage collector orphan an object's dependents first.
pub const ORPHAN_FINALIZER: &str = "orphan";
/// The finalizer that makes the garbage collector delete an object's dependents first.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";

/// `propagationPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    Orphan,
    Background,
    Foreground,
}

impl Propagation {
    /// Parses the parameter; absent is `None` (the kind's default: background).
    pub fn parse(v: Option<&str>) -> Result<Option<Propagation>, ApiError> {
        match v {
            None | Some("") => Ok(None),
            Some("Orphan") => Ok(Some(Propagation::Orphan)),
            Some("Background") => Ok(Some(Propagation::Background)),
            Some("Foreground") => Ok(Some(Propagation::Foreground)),
            Some(other) => Err(ApiError::invalid(
                "",
                "DeleteOptions",
                "",
                &[FieldError::not_supported(
                    &Path::new("propagationPolicy"),
                    other,
                    &["Foreground", "Background", "Orphan", "nil"],
                )],
            )),
        }
    }
}

/// What a DELETE asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    pub precondition_uid: Option<String>,
    pub precondition_rv: Option<String>,
    pub dry_run: bool,
    pub grace_period: Option<i64>,
    pub propagation: Option<Propagation>,
}

impl DeleteOptions {
    /// From the query and an optional `DeleteOptions` body (the body wins where both speak).
    pub fn parse(q: &Query, body: &[u8]) -> Result<DeleteOptions, ApiError> {
        q.check_dry_run().map_err(ApiError::bad_request)?;
        let b: Value = if body.iter().all(u8::is_ascii_whitespace) {
            json!({})
        } else {
            serde_json::from_slice(body).map_err(|e| {
                ApiError::bad_request(format!("invalid DeleteOptions in the request body: {e}"))
            })?
        };
        let mut dry_run = q.is_dry_run();
        if let Some(d) = b.get("dryRun").and_then(Value::as_array) {
            for x in d {
                match x.as_str() {
                    Some("All") => dry_run = true,
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "Invalid dry run value: {}; valid values are: All",
                            other.unwrap_or("")
                        )));
                    }
                }
            }
        }
        let mut propagation = Propagation::parse(
            b.get("propagationPolicy")
                .and_then(Value::as_str)
                .or(q.propagation_policy.as_deref()),
        )?;
        if let Some(orphan) = b.get("orphanDependents").and_then(Value::as_bool) {
            if propagation.is_some() {
                return Err(ApiError::invalid(
                    "",
                    "DeleteOptions",
                    "",
                    &[FieldError::invalid(
                        &Path::new("propagationPolicy"),
                        b["propagationPolicy"].clone(),
                        "orphanDependents and deletionPropagation cannot be both set",
                    )],
                ));
            }
            propagation = Some(if orphan {
                Propagation::Orphan
            } else {
                Propagation::Background
            });
        }
        let grace_period = b
            .get("gracePeriodSeconds")
            .and_then(Value::as_i64)
            .or(q.grace_period_seconds);
        Ok(DeleteOptions {
            precondition_uid: b
                .pointer("/preconditions/uid")
                .and_then(Value::as_str)
                .map(str::to_string),
            precondition_rv: b
                .pointer("/preconditions/resourceVersion")
                .and_then(Value::as_str)
                .map(str::to_string),
            dry_run,
            grace_period,
            propagation,
        })
    }
}

/// The outcome of a delete.
#[derive(Clone, Debug, PartialEq)]
pub enum Deleted {
    /// Removed from the store; the last state, with the deleting revision.
    Now(Value),
    /// Marked for deletion (grace period or finalizers pending); the object as stored.
    Pending(Value),
}

impl Deleted {
    pub fn into_object(self) -> Value {
        match self {
            Deleted::Now(v) | Deleted::Pending(v) => v,
        }
    }
}

fn is_pod(strategy: &dyn Strategy) -> bool {
    let i = strategy.info();
    i.group.is_empty() && i.kind == "Pod"
}

fn is_namespace(strategy: &dyn Strategy) -> bool {
    let i = strategy.info();
    i.group.is_empty() && i.kind == "Namespace"
}

fn finalizers(v: &Value) -> Vec<String> {
    v.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn namespace_finalizers(v: &Value) -> usize {
    v.pointer("/spec/finalizers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// Whether an object being deleted is free to go: it has a `deletionTimestamp`, no
/// finalizers, no running grace period, and (namespaces) no `spec.finalizers`.
pub fn deletion_complete(strategy: &dyn Strategy, v: &Value) -> bool {
    if meta_str(v, "deletionTimestamp").is_empty() || !finalizers(v).is_empty() {
        return false;
    }
    if is_namespace(strategy) && namespace_finalizers(v) > 0 {
        return false;
    }
    let grace = v
        .pointer("/metadata/deletionGracePeriodSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    grace == 0
}

/// Upstream forbids adding finalizers to an object that is being deleted.
pub fn new_finalizers_while_deleting(new: &Value, old: &Value) -> Option<FieldError> {
    if meta_str(old, "deletionTimestamp").is_empty() {
        return None;
    }
    let before = finalizers(old);
    let added: Vec<String> = finalizers(new)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    if added.is_empty() {
        return None;
    }
    let quoted: Vec<String> = added.iter().map(|f| format!("{f:?}")).collect();
    Some(FieldError::forbidden(
        &Path::new("metadata").child("finalizers"),
        format!(
            "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
            quoted.join(", ")
        ),
    ))
}

/// Upstream's pod grace period: the request's, else `spec.terminationGracePeriodSeconds`
/// (30); zero for a pod never scheduled or already finished (nothing runs to stop).
fn pod_grace_period(pod: &Value, requested: Option<i64>) -> i64 {
    let unscheduled = pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty();
    let finished = matches!(
        pod.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded") | Some("Failed")
    );
    if unscheduled || finished {
        return 0;
    }
    let g = requested.unwrap_or_else(|| {
        pod.pointer("/spec/terminationGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(30)
    });
    // Upstream: a negative period means "the shortest graceful period".
    if g < 0 { 1 } else { g }
}

fn timestamp_in(seconds: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(seconds);
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Ctx {
    /// DELETE of one object. Answers: the object when it is kept (pending grace period or
    /// finalizers) and, for pods, also when removed (upstream's pod registry returns the
    /// deleted pod); a Success Status otherwise.
    pub async fn delete(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        q: &Query,
        body: &[u8],
    ) -> Reply {
        let info = strategy.info();
        crate::priority::check_delete(info, name)?;
        let opts = DeleteOptions::parse(q, body)?;
        match self.delete_value(strategy, ns, name, &opts).await? {
            Deleted::Pending(v) => Ok(reply::json(StatusCode::OK, &v)),
            Deleted::Now(v) if is_pod(strategy) => Ok(reply::json(StatusCode::OK, &v)),
            Deleted::Now(v) => Ok(reply::json(
                StatusCode::OK,
                &success_status(info.group, info.plural, name, meta_str(&v, "uid")),
            )),
        }
    }

    /// Deletes (or marks for deletion) one object; see the module docs.
    pub async fn delete_value(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Deleted, ApiError> {
        let info = strategy.info();
        let key = info.key(ns, name);
        for _ in 0..16 {
            let (current, rev) = self.read(strategy, ns, name).await?;
            if let Some(uid) = &opts.precondition_uid {
                let cur = meta_str(&current, "uid");
                if uid != cur {
                    return Err(ApiError::conflict(
                        &qualified(info),
                        name,
                        &format!(
                            "Precondition failed: UID in precondition: {uid}, UID in object meta: {cur}"
                        ),
                    ));
                }
            }
            if let Some(prv) = &opts.precondition_rv
                && *prv != rev.to_string()
            {
                return Err(ApiError::conflict(
                    &qualified(info),
                    name,
                    &format!(
                        "Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {rev}"
                    ),
                ));
            }
            let mut next = current.clone();
            // Grace period (pods).
            let mut graceful = false;
            let already = !meta_str(&current, "deletionTimestamp").is_empty();
            if is_pod(strategy) {
                let grace = pod_grace_period(&current, opts.grace_period);
                let existing = current
                    .pointer("/metadata/deletionGracePeriodSeconds")
                    .and_then(Value::as_i64);
                match (already, existing) {
                    // Already terminating with a shorter or equal period: nothing to change
                    // unless the new period shortens it.
                    (true, Some(e)) if grace >= e && grace > 0 => graceful = true,
                    _ if grace > 0 => {
                        let m = meta_mut(&mut next);
                        m.insert("deletionTimestamp".into(), json!(timestamp_in(grace)));
                        m.insert("deletionGracePeriodSeconds".into(), json!(grace));
                        graceful = true;
                    }
                    _ => {
                        if already {
                            meta_mut(&mut next)
                                .insert("deletionGracePeriodSeconds".into(), json!(0));
                        }
                    }
                }
            }
            // Propagation policy → finalizers for the garbage collector.
            let mut fins = finalizers(&current);
            match opts.propagation {
                Some(Propagation::Orphan) => {
                    fins.retain(|f| f != FOREGROUND_FINALIZER);
                    if !fins.iter().any(|f| f == ORPHAN_FINALIZER) {
                        fins.push(ORPHAN_FINALIZER.into());
                    }
                }
                Some(Propagation::Foreground) => {
                    fins.retain(|f| f != ORPHAN_FINALIZER);
                    if !fins.iter().any(|f| f == FOREGROUND_FINALIZER) {
                        fins.push(FOREGROUND_FINALIZER.into());
                    }
                }
                Some(Propagation::Background) => {
                    fins.retain(|f| f != ORPHAN_FINALIZER && f != FOREGROUND_FINALIZER);
                }
                // Upstream's `DefaultGarbageCollectionPolicy`: core/v1 ReplicationControllers
                // and batch/v1 Jobs orphan their dependents unless the request or an
                // existing finalizer says otherwise.
                None => {
                    let info = strategy.info();
                    let orphans = matches!(
                        (info.group, info.kind),
                        ("", "ReplicationController") | ("batch", "Job")
                    );
                    if orphans
                        && !fins
                            .iter()
                            .any(|f| f == ORPHAN_FINALIZER || f == FOREGROUND_FINALIZER)
                    {
                        fins.push(ORPHAN_FINALIZER.into());
                    }
                }
            }
            {
                let m = meta_mut(&mut next);
                if fins.is_empty() {
                    m.remove("finalizers");
                } else {
                    m.insert("finalizers".into(), json!(fins));
                }
            }
            let namespace_pending = is_namespace(strategy) && namespace_finalizers(&current) > 0;
            let keep = graceful || !fins.is_empty() || namespace_pending;
            if keep {
                {
                    let m = meta_mut(&mut next);
                    if !m.contains_key("deletionTimestamp") {
                        m.insert("deletionTimestamp".into(), json!(object::now_rfc3339()));
                    }
                    if !m.contains_key("deletionGracePeriodSeconds") {
                        m.insert("deletionGracePeriodSeconds".into(), json!(0));
                    }
                }
                if is_namespace(strategy) {
                    next["status"]["phase"] = json!("Terminating");
                }
                if object::same_content(&next, &current) || opts.dry_run {
                    return Ok(Deleted::Pending(next));
                }
                match self
                    .store
                    .txn(Txn {
                        compares: vec![Compare::ModRevision(key.clone(), rev)],
                        ops: vec![Op::Put {
                            key: key.clone(),
                            value: object::stored_bytes(&strategy.to_storage(next.clone())),
                        }],
                    })
                    .await
                {
                    Ok(r) => {
                        object::set_resource_version(&mut next, r.revision);
                        return Ok(Deleted::Pending(next));
                    }
                    Err(StoreError::PreconditionFailed { .. }) => continue,
                    Err(e) => return Err(store_error(e)),
                }
            }
            if opts.dry_run {
                return Ok(Deleted::Now(current));
            }
            let mut ops = vec![Op::Delete { key: key.clone() }];
            if info.group.is_empty() && info.kind == "Service" {
                ops.extend(services::release(&current));
            }
            match self
                .store
                .txn(Txn {
                    compares: vec![Compare::ModRevision(key.clone(), rev)],
                    ops,
                })
                .await
            {
                Ok(r) => {
                    let mut last = current;
                    object::set_resource_version(&mut last, r.revision);
                    return Ok(Deleted::Now(last));
                }
                Err(StoreError::PreconditionFailed { .. }) => continue,
                Err(e) => return Err(store_error(e)),
            }
        }
        Err(ApiError::conflict(
            &qualified(info),
            name,
            ApiError::CONFLICT_MODIFIED,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unscheduled_and_finished_pods_have_no_grace_period() {
        let unscheduled = json!({"spec":{"terminationGracePeriodSeconds":30}});
        assert_eq!(pod_grace_period(&unscheduled, None), 0);
        let done = json!({"spec":{"nodeName":"n"},"status":{"phase":"Succeeded"}});
        assert_eq!(pod_grace_period(&done, Some(10)), 0);
        let running = json!({"spec":{"nodeName":"n","terminationGracePeriodSeconds":45}});
        assert_eq!(pod_grace_period(&running, None), 45);
        assert_eq!(pod_grace_period(&running, Some(0)), 0);
        assert_eq!(pod_grace_period(&running, Some(-5)), 1);
    }

    #[test]
    fn adding_a_finalizer_to_a_deleting_object_is_forbidden() {
        let old =
            json!({"metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["a"]}});
        let new =
            json!({"metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["a","b"]}});
        let e = new_finalizers_while_deleting(&new, &old).expect("forbidden");
        assert_eq!(
            e.to_string(),
            "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"b\"}"
        );
        let fewer = json!({"metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z"}});
        assert!(new_finalizers_while_deleting(&fewer, &old).is_none());
    }
}
