//! [`FieldSet`]: a set of paths as a trie, with upstream's set algebra
//! (`fieldpath.Set`) and its FieldsV1 encoding.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::path::{PathElement, path_string};

/// A set of field paths. A path is a *member* when the node it names is itself owned (a
/// leaf value, an atomic list or map, or a list element or map that was added as a whole);
/// nodes on the way to members are *children*. In FieldsV1 a member is `"f:x": {}`, a child
/// is `"f:x": {…}`, and both at once is `"f:x": {".": {}, …}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSet {
    members: BTreeSet<PathElement>,
    /// Never holds an empty set.
    children: BTreeMap<PathElement, FieldSet>,
}

/// Why a FieldsV1 value could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FieldsV1Error(pub String);

impl FieldSet {
    /// The empty set.
    pub fn new() -> FieldSet {
        FieldSet::default()
    }

    /// A set of the given paths.
    pub fn from_paths<'a>(paths: impl IntoIterator<Item = &'a [PathElement]>) -> FieldSet {
        let mut s = FieldSet::new();
        for p in paths {
            s.insert(p);
        }
        s
    }

    /// Whether the set holds no path.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.children.is_empty()
    }

    /// Adds `path` as a member (its parents are not added). The empty path (the whole
    /// object) is not tracked, as upstream.
    pub fn insert(&mut self, path: &[PathElement]) {
        let Some((last, parents)) = path.split_last() else {
            return;
        };
        let mut s = self;
        for pe in parents {
            s = s.children.entry(pe.clone()).or_default();
        }
        s.members.insert(last.clone());
    }

    /// Whether `path` is a member.
    pub fn has(&self, path: &[PathElement]) -> bool {
        let Some((last, parents)) = path.split_last() else {
            return false;
        };
        let mut s = self;
        for pe in parents {
            match s.children.get(pe) {
                Some(c) => s = c,
                None => return false,
            }
        }
        s.members.contains(last)
    }

    /// The paths below `pe`, without the prefix (empty when there are none).
    pub fn with_prefix(&self, pe: &PathElement) -> FieldSet {
        self.children.get(pe).cloned().unwrap_or_default()
    }

    pub(crate) fn child(&self, pe: &PathElement) -> Option<&FieldSet> {
        self.children.get(pe)
    }

    pub(crate) fn has_member(&self, pe: &PathElement) -> bool {
        self.members.contains(pe)
    }

    pub(crate) fn members(&self) -> impl Iterator<Item = &PathElement> {
        self.members.iter()
    }

    pub(crate) fn children(&self) -> impl Iterator<Item = (&PathElement, &FieldSet)> {
        self.children.iter()
    }

    pub(crate) fn insert_member(&mut self, pe: PathElement) {
        self.members.insert(pe);
    }

    pub(crate) fn set_child(&mut self, pe: PathElement, set: FieldSet) {
        if set.is_empty() {
            self.children.remove(&pe);
        } else {
            self.children.insert(pe, set);
        }
    }

    /// Paths in either set.
    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.members.extend(other.members.iter().cloned());
        for (pe, c) in &other.children {
            let merged = match out.children.get(pe) {
                Some(mine) => mine.union(c),
                None => c.clone(),
            };
            out.children.insert(pe.clone(), merged);
        }
        out
    }

    /// Paths in both sets.
    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let members = self.members.intersection(&other.members).cloned().collect();
        let mut children = BTreeMap::new();
        for (pe, c) in &self.children {
            if let Some(o) = other.children.get(pe) {
                let i = c.intersection(o);
                if !i.is_empty() {
                    children.insert(pe.clone(), i);
                }
            }
        }
        FieldSet { members, children }
    }

    /// Paths of `self` that are not in `other`. As upstream, a member of `other` does not
    /// remove the paths below it from `self` (see [`FieldSet::recursive_difference`]).
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let members = self.members.difference(&other.members).cloned().collect();
        let mut children = BTreeMap::new();
        for (pe, c) in &self.children {
            match other.children.get(pe) {
                Some(o) => {
                    let d = c.difference(o);
                    if !d.is_empty() {
                        children.insert(pe.clone(), d);
                    }
                }
                None => {
                    children.insert(pe.clone(), c.clone());
                }
            }
        }
        FieldSet { members, children }
    }

    /// Like [`FieldSet::difference`], but a member of `other` also removes every path below
    /// it (how upstream excludes reset fields such as `status`).
    pub fn recursive_difference(&self, other: &FieldSet) -> FieldSet {
        let members = self.members.difference(&other.members).cloned().collect();
        let mut children = BTreeMap::new();
        for (pe, c) in &self.children {
            if other.members.contains(pe) {
                continue;
            }
            match other.children.get(pe) {
                Some(o) => {
                    let d = c.recursive_difference(o);
                    if !d.is_empty() {
                        children.insert(pe.clone(), d);
                    }
                }
                None => {
                    children.insert(pe.clone(), c.clone());
                }
            }
        }
        FieldSet { members, children }
    }

    /// Every member path, members of a node before its children, in order.
    pub fn paths(&self) -> Vec<Vec<PathElement>> {
        let mut out = Vec::new();
        self.collect(&mut Vec::new(), &mut out);
        out
    }

    fn collect(&self, prefix: &mut Vec<PathElement>, out: &mut Vec<Vec<PathElement>>) {
        for m in &self.members {
            let mut p = prefix.clone();
            p.push(m.clone());
            out.push(p);
        }
        for (pe, c) in &self.children {
            prefix.push(pe.clone());
            c.collect(prefix, out);
            prefix.pop();
        }
    }

    /// The number of member paths.
    pub fn len(&self) -> usize {
        self.members.len() + self.children.values().map(FieldSet::len).sum::<usize>()
    }

    /// The FieldsV1 form: `{"f:spec":{"f:replicas":{}}}`.
    pub fn to_fields_v1(&self) -> Value {
        Value::Object(self.emit(false))
    }

    fn emit(&self, include_self: bool) -> Map<String, Value> {
        let mut m = Map::new();
        if include_self && !self.is_empty() {
            m.insert(".".into(), Value::Object(Map::new()));
        }
        for pe in &self.members {
            if !self.children.contains_key(pe) {
                m.insert(pe.to_key_string(), Value::Object(Map::new()));
            }
        }
        for (pe, c) in &self.children {
            let is_member = self.members.contains(pe);
            m.insert(pe.to_key_string(), Value::Object(c.emit(is_member)));
        }
        m
    }

    /// Reads FieldsV1. Element types this version does not know are dropped, as upstream.
    pub fn from_fields_v1(v: &Value) -> Result<FieldSet, FieldsV1Error> {
        let Value::Object(m) = v else {
            return Err(FieldsV1Error(
                "FieldsV1 must be a JSON object of path elements".into(),
            ));
        };
        Ok(read(m)?.0.unwrap_or_default())
    }

    /// The set as readable lines (`.spec.replicas`), for messages and test failures.
    pub fn describe(&self) -> String {
        self.paths()
            .iter()
            .map(|p| path_string(p))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Upstream's `readIterV1`: the children of a node, and whether the node is a member.
fn read(m: &Map<String, Value>) -> Result<(Option<FieldSet>, bool), FieldsV1Error> {
    let mut children: Option<FieldSet> = None;
    let mut is_member = false;
    for (key, v) in m {
        if key == "." {
            is_member = true;
            continue;
        }
        let Some(pe) = PathElement::from_key_string(key)
            .map_err(|e| FieldsV1Error(format!("parsing key as path element: {e}")))?
        else {
            continue;
        };
        let Value::Object(sub) = v else {
            return Err(FieldsV1Error(format!(
                "the value of {key:?} must be a JSON object"
            )));
        };
        let (grandchildren, child_is_member) = read(sub)?;
        if child_is_member {
            children
                .get_or_insert_with(FieldSet::new)
                .members
                .insert(pe.clone());
        }
        if let Some(g) = grandchildren {
            let c = children.get_or_insert_with(FieldSet::new);
            let merged = match c.children.remove(&pe) {
                Some(prev) => prev.union(&g),
                None => g,
            };
            c.set_child(pe, merged);
        }
    }
    if children.is_none() {
        is_member = true;
    }
    Ok((children, is_member))
}
