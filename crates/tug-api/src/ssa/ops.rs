//! The two operations of the field manager: [`update`] (every non-apply write) and
//! [`apply`] (server-side apply), as upstream's manager chain composes them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::managed::{ManagedFields, ManagedFieldsEntry, Operation};
use super::path::{Path, PathElement, go_json, path_string};
use super::set::FieldSet;
use super::typed::{self, Comparison, Node};
use crate::smp::types::Ty;

/// The most `Update` entries an object keeps (upstream's `DefaultMaxUpdateManagers`).
pub const MAX_UPDATE_MANAGERS: usize = 10;

/// The annotation client-side apply keeps its configuration in.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Who writes: the manager name (already derived from `fieldManager` or the User-Agent),
/// the subresource written (`""`, `status`, `scale`) and the version of the object written.
#[derive(Clone, Copy, Debug)]
pub struct Writer<'a> {
    pub manager: &'a str,
    pub subresource: &'a str,
    pub api_version: &'a str,
}

/// One field another manager owns with a different value than the applied configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The owner's entry (its name, operation, version and subresource).
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub subresource: String,
    pub path: Path,
}

impl Conflict {
    /// Upstream's `printManager`: `"other"`, `"kubectl-edit" using apps/v1`,
    /// `"ctl" with subresource "status" using v1`.
    pub fn owner(&self) -> String {
        let mut s = format!("{:?}", self.manager);
        if !self.subresource.is_empty() {
            s = format!("{s} with subresource {:?}", self.subresource);
        }
        if self.operation == Operation::Update {
            s = format!("{s} using {}", self.api_version);
        }
        s
    }

    /// The field as upstream prints it: `.spec.replicas`.
    pub fn field(&self) -> String {
        path_string(&self.path)
    }
}

/// The conflicts of an apply, ordered by owner then path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct Conflicts(pub Vec<Conflict>);

impl Conflicts {
    /// Upstream's `getConflictMessage`: `Apply failed with 1 conflict: conflict with "x":
    /// .spec.replicas`, or for several, one `conflicts with "x":` line per owner followed by
    /// `- <path>` lines.
    pub fn message(&self) -> String {
        if self.0.len() == 1 {
            let c = &self.0[0];
            return format!(
                "Apply failed with 1 conflict: conflict with {}: {}",
                c.owner(),
                c.field()
            );
        }
        let mut by_owner: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in &self.0 {
            by_owner.entry(c.owner()).or_default().push(c.field());
        }
        let mut lines = Vec::new();
        for (owner, fields) in by_owner {
            lines.push(format!("conflicts with {owner}:"));
            lines.extend(fields.into_iter().map(|f| format!("- {f}")));
        }
        format!(
            "Apply failed with {} conflicts: {}",
            self.0.len(),
            lines.join("\n")
        )
    }
}

/// Why an apply failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// Fields of the configuration other managers own with other values (`409 Conflict`).
    #[error(transparent)]
    Conflicts(Conflicts),
    /// The configuration does not fit the schema (a list item without its key, a repeated
    /// key): upstream's typed conversion error, e.g. `.spec.ports: element 0: …`.
    #[error("{0}")]
    Invalid(String),
    /// The live object's fields could not be walked (should not happen for stored objects).
    #[error("{0}")]
    Internal(String),
}

/// The result of an apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The live object with the configuration merged in and fields this manager no longer
    /// applies (and nobody else owns) removed.
    pub object: Value,
    pub managed: ManagedFields,
}

/// Paths no manager ever owns (upstream's `stripMetaManager`).
fn strip_set() -> FieldSet {
    let f = |s: &str| PathElement::Field(s.to_string());
    let mut s = FieldSet::new();
    s.insert(&[f("apiVersion")]);
    s.insert(&[f("kind")]);
    s.insert(&[f("metadata")]);
    for m in [
        "name",
        "namespace",
        "creationTimestamp",
        "selfLink",
        "uid",
        "clusterName",
        "generation",
        "managedFields",
        "resourceVersion",
    ] {
        s.insert(&[f("metadata"), f(m)]);
    }
    s
}

/// A field set of top-level fields (`status`, `spec`): what a write to the main resource
/// or to a subresource may not touch (upstream's reset fields).
pub fn top_level_fields(names: &[&str]) -> FieldSet {
    let mut s = FieldSet::new();
    for n in names {
        s.insert(&[PathElement::Field((*n).to_string())]);
    }
    s
}

fn root_ty(schema: &str) -> Ty {
    Ty::Named(schema.to_string())
}

/// Compares two objects as upstream compares Go values, which always have their
/// value-typed structs: both sides get the missing ones of [`super::empty_object`] first,
/// so that an absent `status` and an empty one are the same.
fn compare_as_go(
    old: &Value,
    new: &Value,
    schema: &str,
    node: Node<'_>,
) -> Result<Comparison, String> {
    let zero = super::empty_object(schema);
    let (mut old, mut new) = (old.clone(), new.clone());
    fill_zero(&mut old, &zero);
    fill_zero(&mut new, &zero);
    typed::compare(&old, &new, node)
}

fn fill_zero(v: &mut Value, zero: &Value) {
    let (Value::Object(m), Value::Object(z)) = (v, zero) else {
        return;
    };
    for (k, zv) in z {
        match m.get_mut(k) {
            Some(mv) => fill_zero(mv, zv),
            None => {
                m.insert(k.clone(), zv.clone());
            }
        }
    }
}

/// Upstream's `Updater.update`: the changes from `old` to `new` (without `ignored`) are
/// taken from every manager but `workflow` (conflicts, refused unless `force`) and removed
/// fields are dropped from every manager but `workflow`.
#[allow(clippy::too_many_arguments)]
fn take_changes(
    old: &Value,
    new: &Value,
    schema: &str,
    node: Node<'_>,
    managed: &mut ManagedFields,
    workflow: Option<&str>,
    force: bool,
    ignored: &FieldSet,
) -> Result<Comparison, ApplyError> {
    let mut cmp = compare_as_go(old, new, schema, node).map_err(ApplyError::Internal)?;
    cmp.exclude(ignored);
    let changed = cmp.modified.union(&cmp.added);
    let mut conflicts: BTreeMap<String, FieldSet> = BTreeMap::new();
    for (id, e) in &managed.entries {
        if Some(id.as_str()) == workflow {
            continue;
        }
        let c = e.fields.intersection(&changed);
        if !c.is_empty() {
            conflicts.insert(id.clone(), c);
        }
    }
    if !force && !conflicts.is_empty() {
        let mut list = Vec::new();
        for (id, set) in &conflicts {
            let e = &managed.entries[id];
            for path in set.paths() {
                list.push(Conflict {
                    manager: e.manager.clone(),
                    operation: e.operation,
                    api_version: e.api_version.clone(),
                    subresource: e.subresource.clone(),
                    path,
                });
            }
        }
        return Err(ApplyError::Conflicts(Conflicts(list)));
    }
    for (id, e) in managed.entries.iter_mut() {
        if Some(id.as_str()) == workflow {
            continue;
        }
        if let Some(c) = conflicts.get(id) {
            e.fields = e.fields.difference(c);
        }
        if !cmp.removed.is_empty() {
            e.fields = e.fields.difference(&cmp.removed);
        }
    }
    managed.drop_empty();
    Ok(cmp)
}

/// The managedFields after a write that is not an apply (create, update, patch), as
/// upstream's `FieldManager.Update`: fields `new` sets that `old` did not, or sets to
/// another value, become `writer`'s (its `Update` entry, with `time` = `now`) and are no
/// longer anyone else's; fields `new` removes are no longer anyone's; entries left empty
/// disappear; `ignored` fields (upstream's reset fields: `status` for the main resource,
/// `spec` for `status`) are neither taken nor given. A write that changes nothing changes
/// no entry, not even a time. `schema` names the objects' type
/// (`io.k8s.api.apps.v1.Deployment`). Fails only when a value cannot be walked (a list item
/// without its key); upstream then keeps the managedFields as they were.
pub fn update(
    managed: &ManagedFields,
    old: &Value,
    new: &Value,
    schema: &str,
    writer: &Writer<'_>,
    ignored: &FieldSet,
    now: &str,
) -> Result<ManagedFields, String> {
    let ty = root_ty(schema);
    let node = Node::root(&ty);
    let mut out = managed.clone();
    let cmp = match take_changes(old, new, schema, node, &mut out, None, true, ignored) {
        Ok(c) => c,
        Err(e) => return Err(e.to_string()),
    };
    let taken = cmp
        .modified
        .union(&cmp.added)
        .recursive_difference(ignored)
        .difference(&strip_set());
    if !taken.is_empty() {
        let entry = ManagedFieldsEntry {
            manager: manager_or_unknown(writer.manager),
            operation: Operation::Update,
            api_version: writer.api_version.to_string(),
            time: Some(now.to_string()),
            subresource: writer.subresource.to_string(),
            fields: FieldSet::new(),
        };
        let id = entry.identifier();
        let previous = out
            .entries
            .remove(&id)
            .map(|e| e.fields)
            .unwrap_or_default();
        out.entries.insert(
            id,
            ManagedFieldsEntry {
                fields: taken.union(&previous),
                ..entry
            },
        );
    }
    out.cap_updates(MAX_UPDATE_MANAGERS);
    Ok(out)
}

/// Drops the fields `new` removes from every entry, and nothing else: for the server's own
/// writes, which upstream does not record either (pod binding writes storage directly).
pub fn forget_removed(
    managed: &ManagedFields,
    old: &Value,
    new: &Value,
    schema: &str,
) -> Result<ManagedFields, String> {
    let ty = root_ty(schema);
    let node = Node::root(&ty);
    let cmp = compare_as_go(old, new, schema, node)?;
    let mut out = managed.clone();
    if !cmp.removed.is_empty() {
        for e in out.entries.values_mut() {
            e.fields = e.fields.difference(&cmp.removed);
        }
        out.drop_empty();
    }
    Ok(out)
}

fn manager_or_unknown(m: &str) -> String {
    if m.is_empty() {
        "unknown".into()
    } else {
        m.to_string()
    }
}

/// The fields a value sets (its field set), e.g. what an applied configuration claims.
pub fn field_set(v: &Value, schema: &str) -> Result<FieldSet, String> {
    let ty = root_ty(schema);
    typed::to_field_set(v, Node::root(&ty))
}

/// Checks a configuration for apply: list items must carry their keys and no element may
/// repeat. The error is upstream's (`.spec.ports: element 0: associative list with keys…`).
pub fn validate_config(config: &Value, schema: &str) -> Result<(), String> {
    let ty = root_ty(schema);
    typed::validate(config, Node::root(&ty))
}

/// Server-side apply of `config` by `writer` to `live` (use [`super::empty_object`] when
/// the object does not exist yet), as upstream's manager chain: the configuration is merged
/// in by the schema's rules; the writer's `Apply` entry becomes exactly the configuration's
/// fields (less `ignored` and the fields no manager owns, such as `metadata.name`); fields
/// the writer applied last time but no longer applies are removed from the object unless
/// another manager owns them; fields other managers own and the merge changes are conflicts,
/// refused unless `force`, in which case they become the writer's. The entry's time is set
/// to `now`; a store should not write an apply that changed timestamps only (see
/// [`timestamps_only_changed`]). For the manager `kubectl`, conflicts on fields that
/// client-side apply's last-applied annotation recorded (with the live value) are forced,
/// and an existing last-applied annotation is rewritten from the configuration, as upstream.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    managed: &ManagedFields,
    live: &Value,
    config: &Value,
    schema: &str,
    writer: &Writer<'_>,
    force: bool,
    ignored: &FieldSet,
    now: &str,
) -> Result<Applied, ApplyError> {
    validate_config(config, schema).map_err(ApplyError::Invalid)?;
    let mut result = match apply_once(managed, live, config, schema, writer, force, ignored, now) {
        Err(ApplyError::Conflicts(conflicts)) if writer.manager == "kubectl" => {
            let allowed = allowed_conflicts_from_last_applied(live, schema, writer.api_version);
            match allowed {
                Some(allowed) => {
                    let remaining: Vec<Conflict> = conflicts
                        .0
                        .iter()
                        .filter(|c| !allowed.has(&c.path))
                        .cloned()
                        .collect();
                    if remaining.is_empty() {
                        apply_once(managed, live, config, schema, writer, true, ignored, now)?
                    } else {
                        return Err(ApplyError::Conflicts(Conflicts(remaining)));
                    }
                }
                None => return Err(ApplyError::Conflicts(conflicts)),
            }
        }
        other => other?,
    };
    if writer.manager == "kubectl" && has_last_applied(&result.object) {
        let text = build_last_applied(config);
        if let Some(a) = result
            .object
            .pointer_mut("/metadata/annotations")
            .and_then(Value::as_object_mut)
        {
            a.insert(LAST_APPLIED_ANNOTATION.into(), Value::String(text));
        }
    }
    Ok(result)
}

#[allow(clippy::too_many_arguments)]
fn apply_once(
    managed: &ManagedFields,
    live: &Value,
    config: &Value,
    schema: &str,
    writer: &Writer<'_>,
    force: bool,
    ignored: &FieldSet,
    now: &str,
) -> Result<Applied, ApplyError> {
    let ty = root_ty(schema);
    let node = Node::root(&ty);
    let merged = typed::merge(live, config, node).map_err(ApplyError::Invalid)?;
    let mut out = managed.clone();
    let entry = ManagedFieldsEntry {
        manager: manager_or_unknown(writer.manager),
        operation: Operation::Apply,
        api_version: writer.api_version.to_string(),
        time: None,
        subresource: writer.subresource.to_string(),
        fields: FieldSet::new(),
    };
    let id = entry.identifier();
    let last = out.entries.get(&id).cloned();
    let set = typed::to_field_set(config, node)
        .map_err(ApplyError::Invalid)?
        .recursive_difference(ignored);
    out.entries.insert(
        id.clone(),
        ManagedFieldsEntry {
            fields: set,
            time: last.as_ref().and_then(|l| l.time.clone()),
            ..entry
        },
    );
    let pruned = prune(&merged, &out, last.as_ref().map(|l| &l.fields), node)
        .map_err(ApplyError::Internal)?;
    take_changes(
        live,
        &pruned,
        schema,
        node,
        &mut out,
        Some(&id),
        force,
        ignored,
    )?;
    if let Some(e) = out.entries.get_mut(&id) {
        e.fields = e.fields.difference(&strip_set());
        // Upstream (1.28+) stamps every apply and lets the store revert a change of
        // timestamps alone (`IgnoreManagedFieldsTimestampsTransformer`).
        e.time = Some(now.to_string());
    }
    out.drop_empty();
    Ok(Applied {
        object: pruned,
        managed: out,
    })
}

/// Upstream's `prune`: remove what the applier owned last time and no longer applies,
/// unless another manager (or the new configuration) owns it, and only things the applier
/// did own.
fn prune(
    merged: &Value,
    managed: &ManagedFields,
    last: Option<&FieldSet>,
    node: Node<'_>,
) -> Result<Value, String> {
    let Some(last) = last.filter(|l| !l.is_empty()) else {
        return Ok(merged.clone());
    };
    let named = |s: &FieldSet| typed::ensure_named_fields_are_members(s, node);
    let last_n = named(last);
    let pruned = typed::remove_items(merged, &last_n, node);
    // Add back what anyone owns.
    let mut owned = FieldSet::new();
    for e in managed.entries.values() {
        owned = owned.union(&e.fields);
    }
    let merged_set = named(&typed::to_field_set(merged, node)?);
    let pruned_set = named(&typed::to_field_set(&pruned, node)?);
    let pruned = typed::remove_items(
        merged,
        &merged_set.difference(&pruned_set.union(&named(&owned))),
        node,
    );
    // Add back what the applier did not own.
    let pruned_set = named(&typed::to_field_set(&pruned, node)?);
    Ok(typed::remove_items(
        merged,
        &merged_set.difference(&pruned_set).intersection(&last_n),
        node,
    ))
}

fn has_last_applied(obj: &Value) -> bool {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED_ANNOTATION))
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// Upstream's `buildLastApplied`: the configuration without the annotation, as Go's JSON
/// encoder writes it (sorted keys, HTML escaped, a trailing newline).
fn build_last_applied(config: &Value) -> String {
    let mut c = config.clone();
    if let Some(meta) = c.get_mut("metadata").and_then(Value::as_object_mut)
        && let Some(Value::Object(a)) = meta.get_mut("annotations")
    {
        a.remove(LAST_APPLIED_ANNOTATION);
    }
    format!("{}\n", go_json(&c))
}

/// Upstream's `allowedConflictsFromLastApplied`: the fields of the live last-applied
/// annotation whose value is still the live one. `None` when there is no usable annotation.
fn allowed_conflicts_from_last_applied(
    live: &Value,
    schema: &str,
    api_version: &str,
) -> Option<FieldSet> {
    let text = live
        .pointer("/metadata/annotations")?
        .get(LAST_APPLIED_ANNOTATION)?
        .as_str()?;
    if text.is_empty() {
        return None;
    }
    let last: Value = serde_json::from_str(text).ok()?;
    if last.get("apiVersion").and_then(Value::as_str) != Some(api_version) {
        return None;
    }
    let ty = root_ty(schema);
    let node = Node::root(&ty);
    let set = typed::to_field_set(&last, node).ok()?;
    let cmp = typed::compare(&last, live, node).ok()?;
    Some(
        set.difference(&cmp.modified)
            .difference(&cmp.added)
            .difference(&cmp.removed),
    )
}

/// Upstream's `IgnoreManagedFieldsTimestampsTransformer` test: whether `new` differs from
/// `old` only in the `time` of managedFields entries (both must then have the same entries,
/// matched by identity, with the same fields). A store then keeps `old`'s managedFields, so
/// that a write changing nothing is no write. Unlike upstream, entries are matched by
/// identity rather than position, so a re-ordering by the new times does not defeat it.
pub fn timestamps_only_changed(old: &Value, new: &Value) -> bool {
    let mf = |v: &Value| v.pointer("/metadata/managedFields").cloned();
    let (Some(Value::Array(o)), Some(Value::Array(n))) = (mf(old), mf(new)) else {
        return false;
    };
    if o.len() != n.len() || o.is_empty() {
        return false;
    }
    let key = |e: &Value| {
        let mut k = e.clone();
        if let Some(m) = k.as_object_mut() {
            m.remove("time");
        }
        go_json(&k)
    };
    let mut ok: Vec<String> = o.iter().map(key).collect();
    let mut nk: Vec<String> = n.iter().map(key).collect();
    ok.sort();
    nk.sort();
    if ok != nk || o == n {
        return false;
    }
    let strip = |v: &Value| {
        let mut c = v.clone();
        if let Some(m) = c.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("managedFields");
        }
        c
    };
    strip(old) == strip(new)
}
