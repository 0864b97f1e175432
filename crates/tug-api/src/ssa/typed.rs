//! The walks over a value guided by its schema, as `structured-merge-diff/v4/typed`:
//! [`to_field_set`] (`ToFieldSet`), [`compare`] (`Compare`), [`merge`] (`Merge`),
//! [`remove_items`] (`RemoveItems`), [`ensure_named_fields_are_members`], and the validation
//! an applied configuration gets ([`validate`]).
//!
//! How a node is treated comes from the strategic-merge-patch type map (`smp::types::Ty`)
//! and the `x-kubernetes-*` facts (`schema_facts`), as upstream's `schemaconv` derives the
//! SMD schema from the OpenAPI document:
//!
//! * a list is atomic, a set (`x-kubernetes-list-type: set`, or `patchStrategy: merge`
//!   without a merge key) or a map keyed by `x-kubernetes-list-map-keys` (or by the
//!   `patchMergeKey` when only `patchStrategy: merge` is given); without any of these it is
//!   atomic;
//! * a map (a struct, or a map of values) is granular unless the field or its schema says
//!   `x-kubernetes-map-type: atomic` (`LabelSelector`, `OwnerReference`…);
//! * a value whose schema is unknown is "deduced" from its JSON shape: objects are granular
//!   maps, lists are atomic, the rest scalars.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::path::{PathElement, values_equal};
use super::set::FieldSet;
use crate::schema_facts::{self, ListFacts};
use crate::smp::types::Ty;

/// Where a value sits: its type and the facts its parent states about it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node<'a> {
    pub ty: &'a Ty,
    pub facts: Option<&'static ListFacts>,
}

static LEAF: Ty = Ty::Leaf;

impl<'a> Node<'a> {
    pub fn root(ty: &'a Ty) -> Node<'a> {
        Node { ty, facts: None }
    }

    /// The node of field `key` of a map node.
    fn field(&self, key: &str) -> Node<'a> {
        Node {
            ty: self.ty.field(key),
            facts: self.ty.facts(key),
        }
    }

    /// The node of the elements of a list node.
    fn element(&self) -> Node<'a> {
        let ty = match self.ty {
            Ty::List(inner) => inner.as_ref(),
            _ => &LEAF,
        };
        Node { ty, facts: None }
    }

    /// The node below `pe`.
    pub fn child(&self, pe: &PathElement) -> Node<'a> {
        match pe {
            PathElement::Field(k) => self.field(k),
            _ => self.element(),
        }
    }

    /// Whether `key` is a declared field of this struct node (not an entry of a map).
    fn is_named_field(&self, key: &str) -> bool {
        matches!(self.ty, Ty::Named(_)) && !matches!(self.ty.field(key), Ty::Leaf)
    }

    fn map_is_atomic(&self) -> bool {
        if self.facts.and_then(|f| f.map_type) == Some("atomic") {
            return true;
        }
        match self.ty {
            Ty::Named(name) => {
                schema_facts::schema_facts(name).and_then(|f| f.map_type) == Some("atomic")
            }
            _ => false,
        }
    }

    fn list_kind(&self) -> ListKind {
        let Some(f) = self.facts else {
            return ListKind::Atomic;
        };
        match f.list_type {
            Some("atomic") => ListKind::Atomic,
            Some("set") => ListKind::Set,
            Some("map") => ListKind::Keyed(f.list_map_keys),
            Some(_) => ListKind::Atomic,
            None if f.has_strategy("merge") => match &f.merge_key {
                Some(k) => ListKind::Keyed(std::slice::from_ref(k)),
                None => ListKind::Set,
            },
            None => ListKind::Atomic,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ListKind {
    Atomic,
    Set,
    Keyed(&'static [&'static str]),
}

/// How a node is walked, decided from its schema and the JSON shape of its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Scalar,
    AtomicMap,
    Map,
    AtomicList,
    List(ListKind),
}

/// The shape of a node from the values at it (the first that is neither absent nor null);
/// values of different JSON kinds on the two sides are compared as leaves.
fn shape(node: Node<'_>, values: &[Option<&Value>]) -> Shape {
    let mut found: Option<Shape> = None;
    for v in values.iter().flatten() {
        let s = match v {
            Value::Object(_) if node.map_is_atomic() => Shape::AtomicMap,
            Value::Object(_) => Shape::Map,
            Value::Array(_) => match node.list_kind() {
                ListKind::Atomic => Shape::AtomicList,
                k => Shape::List(k),
            },
            Value::Null => continue,
            _ => Shape::Scalar,
        };
        match found {
            None => found = Some(s),
            Some(f) if f != s => return Shape::Scalar,
            Some(_) => {}
        }
    }
    found.unwrap_or(Shape::Scalar)
}

/// Defaults of list-map key fields that upstream's OpenAPI states (`+default="TCP"`): a
/// port without `protocol` is the TCP port.
fn key_default(elem: &Ty, field: &str) -> Option<Value> {
    match (elem, field) {
        (Ty::Named(n), "protocol")
            if n == "io.k8s.api.core.v1.ContainerPort" || n == "io.k8s.api.core.v1.ServicePort" =>
        {
            Some(Value::String("TCP".into()))
        }
        _ => None,
    }
}

/// The path element of a list item (`listItemToPathElement`).
fn item_element(node: Node<'_>, kind: ListKind, item: &Value) -> Result<PathElement, String> {
    match kind {
        ListKind::Keyed(keys) => {
            let Value::Object(m) = item else {
                return Err(if item.is_null() {
                    "associative list with keys may not have a null element".into()
                } else {
                    "associative list with keys may not have non-map elements".into()
                });
            };
            let elem = node.element();
            let mut fields = Vec::new();
            for k in keys {
                if let Some(v) = m.get(*k) {
                    fields.push(((*k).to_string(), v.clone()));
                } else if let Some(d) = key_default(elem.ty, k) {
                    fields.push(((*k).to_string(), d));
                }
            }
            if fields.is_empty() {
                let quoted: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
                return Err(format!(
                    "associative list with keys has an element that omits all key fields [{}] (and doesn't have default values for any key fields)",
                    quoted.join(" ")
                ));
            }
            Ok(PathElement::key(fields))
        }
        ListKind::Set | ListKind::Atomic => match item {
            Value::Object(_) => {
                Err("associative list without keys has an element that's a map type".into())
            }
            Value::Array(_) => Err("not supported: associative list with lists as elements".into()),
            Value::Null => {
                Err("associative list without keys has an element that's an explicit null".into())
            }
            v => Ok(PathElement::Value(v.clone())),
        },
    }
}

fn push(path: &[PathElement], pe: PathElement) -> Vec<PathElement> {
    let mut p = path.to_vec();
    p.push(pe);
    p
}

/// The fields a value sets (`ToFieldSet`). Fails on list items that have no path element.
pub(crate) fn to_field_set(v: &Value, node: Node<'_>) -> Result<FieldSet, String> {
    let mut set = FieldSet::new();
    fs_walk(v, node, &mut Vec::new(), &mut set)?;
    Ok(set)
}

fn fs_walk(
    v: &Value,
    node: Node<'_>,
    path: &mut Vec<PathElement>,
    set: &mut FieldSet,
) -> Result<(), String> {
    match (shape(node, &[Some(v)]), v) {
        (Shape::Scalar | Shape::AtomicMap | Shape::AtomicList, _) => set.insert(path),
        (Shape::List(kind), Value::Array(items)) => {
            let mut pes = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                pes.push(
                    item_element(node, kind, item)
                        .map_err(|e| format!("{}: element {i}: {e}", super::path_string(path)))?,
                );
            }
            let mut seen = std::collections::BTreeSet::new();
            let mut dups = std::collections::BTreeSet::new();
            for pe in &pes {
                if !seen.insert(pe.clone()) && dups.insert(pe.clone()) {
                    set.insert(&push(path, pe.clone()));
                }
            }
            for (item, pe) in items.iter().zip(pes) {
                if dups.contains(&pe) {
                    continue;
                }
                path.push(pe);
                fs_walk(item, node.element(), path, set)?;
                set.insert(path);
                path.pop();
            }
        }
        (Shape::Map, Value::Object(m)) => {
            for (k, cv) in m {
                path.push(PathElement::Field(k.clone()));
                fs_walk(cv, node.field(k), path, set)?;
                let empty_map = matches!(cv, Value::Object(o) if o.is_empty());
                if cv.is_null() || empty_map || !node.is_named_field(k) {
                    set.insert(path);
                }
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

/// What changed from one value to another (`typed.Comparison`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Comparison {
    pub added: FieldSet,
    pub modified: FieldSet,
    pub removed: FieldSet,
}

impl Comparison {
    /// Drops `fields` and everything below them from the three sets (`ExcludeFields`).
    pub fn exclude(&mut self, fields: &FieldSet) {
        if fields.is_empty() {
            return;
        }
        self.added = self.added.recursive_difference(fields);
        self.modified = self.modified.recursive_difference(fields);
        self.removed = self.removed.recursive_difference(fields);
    }
}

/// Compares `lhs` (old) with `rhs` (new). `None` is an absent value.
pub(crate) fn compare(lhs: &Value, rhs: &Value, node: Node<'_>) -> Result<Comparison, String> {
    let mut c = Comparison::default();
    cmp_walk(Some(lhs), Some(rhs), node, &mut Vec::new(), &mut c)?;
    Ok(c)
}

fn cmp_leaf(lhs: Option<&Value>, rhs: Option<&Value>, path: &[PathElement], c: &mut Comparison) {
    match (lhs, rhs) {
        (None, _) => c.added.insert(path),
        (_, None) => c.removed.insert(path),
        (Some(l), Some(r)) if !values_equal(l, r) => c.modified.insert(path),
        _ => {}
    }
}

fn empty_or_null(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    }
}

fn cmp_walk(
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    node: Node<'_>,
    path: &mut Vec<PathElement>,
    c: &mut Comparison,
) -> Result<(), String> {
    let s = shape(node, &[lhs, rhs]);
    let leaf = match s {
        Shape::Scalar | Shape::AtomicMap | Shape::AtomicList => true,
        Shape::Map | Shape::List(_) => empty_or_null(lhs) && empty_or_null(rhs),
    };
    if leaf {
        cmp_leaf(lhs, rhs, path, c);
        return Ok(());
    }
    match s {
        Shape::List(kind) => cmp_list(lhs, rhs, node, kind, path, c)?,
        _ => {
            let empty = Map::new();
            let l = lhs.and_then(Value::as_object).unwrap_or(&empty);
            let r = rhs.and_then(Value::as_object).unwrap_or(&empty);
            let mut keys: Vec<&String> = l.keys().chain(r.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                path.push(PathElement::Field(k.clone()));
                cmp_walk(l.get(k), r.get(k), node.field(k), path, c)?;
                path.pop();
            }
        }
    }
    if lhs.is_none() {
        c.added.insert(path);
    } else if rhs.is_none() {
        c.removed.insert(path);
    }
    Ok(())
}

/// Items of a list grouped by path element, in first-seen order.
type Grouped<'v> = (Vec<PathElement>, BTreeMap<PathElement, Vec<&'v Value>>);

fn group<'v>(
    items: &'v [Value],
    node: Node<'_>,
    kind: ListKind,
    path: &[PathElement],
) -> Result<Grouped<'v>, String> {
    let mut order = Vec::new();
    let mut by: BTreeMap<PathElement, Vec<&Value>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let pe = item_element(node, kind, item)
            .map_err(|e| format!("{}: element {i}: {e}", super::path_string(path)))?;
        let entry = by.entry(pe.clone()).or_default();
        if entry.is_empty() {
            order.push(pe);
        }
        entry.push(item);
    }
    Ok((order, by))
}

fn cmp_list(
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    node: Node<'_>,
    kind: ListKind,
    path: &mut Vec<PathElement>,
    c: &mut Comparison,
) -> Result<(), String> {
    let empty = Vec::new();
    let l = lhs.and_then(Value::as_array).unwrap_or(&empty);
    let r = rhs.and_then(Value::as_array).unwrap_or(&empty);
    let (mut all, lv) = group(l, node, kind, path)?;
    let (rorder, rv) = group(r, node, kind, path)?;
    for pe in rorder {
        if !lv.contains_key(&pe) {
            all.push(pe);
        }
    }
    let none: Vec<&Value> = Vec::new();
    for pe in all {
        let ll = lv.get(&pe).unwrap_or(&none);
        let rl = rv.get(&pe).unwrap_or(&none);
        path.push(pe);
        match (ll.len(), rl.len()) {
            (0, 0) => {}
            (a, b) if a <= 1 && b <= 1 => {
                cmp_walk(
                    ll.first().copied(),
                    rl.first().copied(),
                    node.element(),
                    path,
                    c,
                )?;
            }
            (a, b) if a >= 2 && b >= 2 => {
                let same = a == b && ll.iter().zip(rl).all(|(x, y)| values_equal(x, y));
                if !same {
                    c.modified.insert(path);
                }
            }
            (a, _) if a >= 2 => {
                if let Some(first) = rl.first() {
                    cmp_walk(None, Some(first), node.element(), path, c)?;
                }
                c.removed.insert(path);
            }
            _ => {
                if let Some(first) = ll.first() {
                    cmp_walk(Some(first), None, node.element(), path, c)?;
                }
                c.added.insert(path);
            }
        }
        path.pop();
    }
    Ok(())
}

/// Merges `rhs` (an applied configuration) into `lhs` (`Merge`): the configuration's leaves
/// win, granular maps merge key by key, associative lists merge element by element (the
/// configuration's order wins for the elements it names), atomic values are replaced.
pub(crate) fn merge(lhs: &Value, rhs: &Value, node: Node<'_>) -> Result<Value, String> {
    Ok(merge_walk(Some(lhs), Some(rhs), node, &mut Vec::new())?.unwrap_or(Value::Null))
}

fn merge_walk(
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    node: Node<'_>,
    path: &mut Vec<PathElement>,
) -> Result<Option<Value>, String> {
    let s = shape(node, &[lhs, rhs]);
    let leaf = match s {
        Shape::Scalar | Shape::AtomicMap | Shape::AtomicList => true,
        Shape::Map | Shape::List(_) => empty_or_null(lhs) && empty_or_null(rhs),
    };
    if leaf {
        return Ok(rhs.or(lhs).cloned());
    }
    match s {
        Shape::List(kind) => merge_list(lhs, rhs, node, kind, path),
        _ => {
            let empty = Map::new();
            let l = lhs.and_then(Value::as_object).unwrap_or(&empty);
            let r = rhs.and_then(Value::as_object).unwrap_or(&empty);
            let mut out = Map::new();
            let mut keys: Vec<&String> = l.keys().chain(r.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                path.push(PathElement::Field(k.clone()));
                if let Some(v) = merge_walk(l.get(k), r.get(k), node.field(k), path)? {
                    out.insert(k.clone(), v);
                }
                path.pop();
            }
            Ok((!out.is_empty()).then_some(Value::Object(out)))
        }
    }
}

/// Upstream's `visitListItems` of the merging walker, step for step: the configuration's
/// items in its order, live items it does not name kept where they were relative to the
/// shared ones.
fn merge_list(
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    node: Node<'_>,
    kind: ListKind,
    path: &mut Vec<PathElement>,
) -> Result<Option<Value>, String> {
    let empty = Vec::new();
    let l = lhs.and_then(Value::as_array).unwrap_or(&empty);
    let r = rhs.and_then(Value::as_array).unwrap_or(&empty);
    let prefix = super::path_string(path);
    // The configuration may not repeat an element; the live list may (its duplicates are
    // not merged).
    let mut rhs_pes = Vec::with_capacity(r.len());
    let mut observed_rhs: BTreeMap<PathElement, &Value> = BTreeMap::new();
    for (i, item) in r.iter().enumerate() {
        let pe =
            item_element(node, kind, item).map_err(|e| format!("{prefix}: element {i}: {e}"))?;
        if observed_rhs.contains_key(&pe) {
            return Err(format!("{prefix}: duplicate entries for key {pe}"));
        }
        observed_rhs.insert(pe.clone(), item);
        rhs_pes.push(pe);
    }
    let mut lhs_pes = Vec::with_capacity(l.len());
    let mut observed_lhs: BTreeMap<PathElement, Option<&Value>> = BTreeMap::new();
    for (i, item) in l.iter().enumerate() {
        let pe =
            item_element(node, kind, item).map_err(|e| format!("{prefix}: element {i}: {e}"))?;
        match observed_lhs.get_mut(&pe) {
            Some(slot) => *slot = None,
            None => {
                observed_lhs.insert(pe.clone(), Some(item));
            }
        }
        lhs_pes.push(pe);
    }
    let mut shared: std::collections::VecDeque<&PathElement> = rhs_pes
        .iter()
        .filter(|pe| observed_lhs.contains_key(*pe))
        .collect();
    let mut next_shared = shared.pop_front();
    let mut merged_rhs = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let elem = node.element();
    let (llen, rlen) = (lhs_pes.len(), rhs_pes.len());
    let (mut li, mut ri) = (0, 0);
    while li < llen || ri < rlen {
        if li < llen && ri < rlen {
            let pe = &lhs_pes[li];
            if *pe == rhs_pes[ri] {
                merged_rhs.insert(pe.clone());
                let lc = observed_lhs.get(pe).copied().flatten();
                let rc = observed_rhs.get(pe).copied();
                path.push(pe.clone());
                if let Some(v) = merge_walk(lc, rc, elem, path)? {
                    out.push(v);
                }
                path.pop();
                li += 1;
                ri += 1;
                next_shared = shared.pop_front();
                continue;
            }
            if observed_rhs.contains_key(pe) && next_shared.is_some_and(|n| n != pe) {
                li += 1;
                continue;
            }
        }
        if li < llen {
            let pe = &lhs_pes[li];
            if !observed_rhs.contains_key(pe) {
                path.push(pe.clone());
                if let Some(v) = merge_walk(Some(&l[li]), None, elem, path)? {
                    out.push(v);
                }
                path.pop();
                li += 1;
                continue;
            } else if merged_rhs.contains(pe) {
                li += 1;
            }
        }
        if ri < rlen {
            let pe = &rhs_pes[ri];
            merged_rhs.insert(pe.clone());
            let lc = observed_lhs.get(pe).copied().flatten();
            let rc = observed_rhs.get(pe).copied();
            path.push(pe.clone());
            if let Some(v) = merge_walk(lc, rc, elem, path)? {
                out.push(v);
            }
            path.pop();
            ri += 1;
            if next_shared.is_some_and(|n| n == pe) {
                next_shared = shared.pop_front();
            }
        }
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

/// `v` without the members of `set` (`RemoveItems`): a member removes its whole node, a
/// child descends. A map or list left empty becomes `null` in its parent, as upstream.
pub(crate) fn remove_items(v: &Value, set: &FieldSet, node: Node<'_>) -> Value {
    remove_walk(v, set, node).unwrap_or(Value::Null)
}

fn remove_walk(v: &Value, set: &FieldSet, node: Node<'_>) -> Option<Value> {
    match (shape(node, &[Some(v)]), v) {
        (Shape::List(kind), Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                let Ok(pe) = item_element(node, kind, item) else {
                    out.push(item.clone());
                    continue;
                };
                if set.has_member(&pe) {
                    continue;
                }
                match set.child(&pe) {
                    Some(sub) => {
                        out.push(remove_walk(item, sub, node.element()).unwrap_or(Value::Null))
                    }
                    None => out.push(item.clone()),
                }
            }
            (!out.is_empty()).then_some(Value::Array(out))
        }
        (Shape::Map, Value::Object(m)) => {
            let mut out = Map::new();
            for (k, cv) in m {
                let pe = PathElement::Field(k.clone());
                if set.has_member(&pe) {
                    continue;
                }
                let nv = match set.child(&pe) {
                    Some(sub) => remove_walk(cv, sub, node.field(k)).unwrap_or(Value::Null),
                    None => cv.clone(),
                };
                out.insert(k.clone(), nv);
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        (Shape::AtomicList | Shape::AtomicMap | Shape::List(_) | Shape::Map, _) => None,
        (Shape::Scalar, _) => Some(v.clone()),
    }
}

/// `set` plus every declared struct field on the way to its members
/// (`EnsureNamedFieldsAreMembers`): owning `spec.strategy.type` then also means owning
/// `spec` and `spec.strategy`, so that pruning can remove them whole.
pub(crate) fn ensure_named_fields_are_members(set: &FieldSet, node: Node<'_>) -> FieldSet {
    let mut out = FieldSet::new();
    for m in set.members() {
        out.insert_member(m.clone());
    }
    for (pe, sub) in set.children() {
        if let PathElement::Field(k) = pe
            && node.is_named_field(k)
        {
            out.insert_member(pe.clone());
        }
        out.set_child(
            pe.clone(),
            ensure_named_fields_are_members(sub, node.child(pe)),
        );
    }
    out
}

/// Checks an applied configuration the way upstream's typed conversion does: list items
/// must have their key fields (or a set's scalar values), and no element may repeat.
/// Errors read `.spec.ports: element 0: …` or `.spec.containers: duplicate entries for key
/// [name="a"]`.
pub(crate) fn validate(v: &Value, node: Node<'_>) -> Result<(), String> {
    validate_walk(v, node, &mut Vec::new())
}

fn validate_walk(v: &Value, node: Node<'_>, path: &mut Vec<PathElement>) -> Result<(), String> {
    match (shape(node, &[Some(v)]), v) {
        (Shape::List(kind), Value::Array(items)) => {
            let prefix = super::path_string(path);
            let mut seen = std::collections::BTreeSet::new();
            for (i, item) in items.iter().enumerate() {
                let pe = item_element(node, kind, item)
                    .map_err(|e| format!("{prefix}: element {i}: {e}"))?;
                if !seen.insert(pe.clone()) {
                    return Err(format!("{prefix}: duplicate entries for key {pe}"));
                }
                path.push(pe);
                validate_walk(item, node.element(), path)?;
                path.pop();
            }
        }
        (Shape::Map, Value::Object(m)) => {
            for (k, cv) in m {
                path.push(PathElement::Field(k.clone()));
                validate_walk(cv, node.field(k), path)?;
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}
