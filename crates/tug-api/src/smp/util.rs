//! Pieces shared by apply and diff, each the counterpart of an upstream helper of the same
//! name in `strategicpatch/patch.go` (noted where the Go version depends on Go specifics).

use serde_json::{Map, Value};

use super::SmpError;
use crate::schema_facts::ListFacts;

pub(crate) const DIRECTIVE_MARKER: &str = "$patch";
pub(crate) const DELETE_DIRECTIVE: &str = "delete";
pub(crate) const REPLACE_DIRECTIVE: &str = "replace";
pub(crate) const MERGE_DIRECTIVE: &str = "merge";
pub(crate) const RETAIN_KEYS_STRATEGY: &str = "retainKeys";
pub(crate) const RETAIN_KEYS_DIRECTIVE: &str = "$retainKeys";
pub(crate) const DELETE_FROM_PRIMITIVE_LIST_PREFIX: &str = "$deleteFromPrimitiveList";
pub(crate) const SET_ELEMENT_ORDER_PREFIX: &str = "$setElementOrder";

pub(crate) type Object = Map<String, Value>;

/// The Go dynamic type of a decoded JSON value (`reflect.TypeOf`), which upstream compares to
/// decide between merging and replacing. The API server decodes integers as `int64` and other
/// numbers as `float64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Map,
    Slice,
    String,
    Int,
    Float,
    Bool,
    Nil,
}

pub(crate) fn kind_of(v: &Value) -> Kind {
    match v {
        Value::Object(_) => Kind::Map,
        Value::Array(_) => Kind::Slice,
        Value::String(_) => Kind::String,
        Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Int,
        Value::Number(_) => Kind::Float,
        Value::Bool(_) => Kind::Bool,
        Value::Null => Kind::Nil,
    }
}

/// `reflect.TypeOf(v).String()`, for upstream's "expected a …, but received a …" messages.
pub(crate) fn go_type(v: &Value) -> &'static str {
    match kind_of(v) {
        Kind::Map => "map[string]interface {}",
        Kind::Slice => "[]interface {}",
        Kind::String => "string",
        Kind::Int => "int64",
        Kind::Float => "float64",
        Kind::Bool => "bool",
        Kind::Nil => "%!s(<nil>)",
    }
}

/// Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`, map keys sorted.
pub(crate) fn go_fmt(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{k}:{}", go_fmt(&m[k.as_str()])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_fmt).collect::<Vec<_>>().join(" ")),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "<nil>".into(),
    }
}

pub(crate) fn go_fmt_map(m: &Object) -> String {
    go_fmt(&Value::Object(m.clone()))
}

/// `mergepatch.ErrBadArgType`.
pub(crate) fn bad_arg_type(expected: &str, actual: &Value) -> SmpError {
    SmpError::Other(format!(
        "expected a {expected}, but received a {}",
        go_type(actual)
    ))
}

/// `mergepatch.ErrNoMergeKey`.
pub(crate) fn no_merge_key(m: &Object, key: &str) -> SmpError {
    SmpError::Other(format!(
        "map: {} does not contain declared merge key: {key}",
        go_fmt_map(m)
    ))
}

/// `mergepatch.ErrBadPatchType`.
pub(crate) fn bad_patch_type(directive: &Value, m: &Object) -> SmpError {
    SmpError::Other(format!(
        "unknown patch type: {} in map: {}",
        go_fmt(directive),
        go_fmt_map(m)
    ))
}

const MAP_TYPE: &str = "map[string]interface {}";
pub(crate) const SLICE_TYPE: &str = "[]interface {}";

/// `extractRetainKeysPatchStrategy`: whether the field's strategy includes `retainKeys`, and
/// its other strategy (`merge`, `replace` or empty).
pub(crate) fn patch_strategy(
    facts: Option<&'static ListFacts>,
) -> Result<(bool, &'static str), SmpError> {
    let Some(strategy) = facts.and_then(|f| f.strategy) else {
        return Ok((false, ""));
    };
    let parts: Vec<&'static str> = strategy.split(',').collect();
    match parts.as_slice() {
        [one] if *one == RETAIN_KEYS_STRATEGY => Ok((true, "")),
        [one] => Ok((false, one)),
        [a, b] if *a == RETAIN_KEYS_STRATEGY => Ok((true, b)),
        [a, b] if *b == RETAIN_KEYS_STRATEGY => Ok((true, a)),
        _ => Err(SmpError::Other(format!(
            "unexpected patch strategy: [{}]",
            parts.join(" ")
        ))),
    }
}

/// The `x-kubernetes-patch-merge-key` of a field, empty when it has none.
pub(crate) fn merge_key_of(facts: Option<&'static ListFacts>) -> &'static str {
    facts.and_then(|f| f.merge_key).unwrap_or("")
}

/// `extractKey`: `$setElementOrder/containers` → `containers`.
pub(crate) fn extract_key<'a>(s: &'a str, prefix: &str) -> Result<&'a str, SmpError> {
    match s.split_once('/') {
        Some((head, rest)) if head == prefix => Ok(rest),
        _ if prefix == DELETE_FROM_PRIMITIVE_LIST_PREFIX => {
            Err(SmpError::BadPatchFormatForPrimitiveList)
        }
        _ => Err(SmpError::BadPatchFormatForSetElementOrderList),
    }
}

/// `sliceElementType`: the one Go type of every element of `slices`.
pub(crate) fn slice_element_type(slices: &[&[Value]]) -> Result<Kind, SmpError> {
    let mut prev: Option<Kind> = None;
    for v in slices.iter().flat_map(|s| s.iter()) {
        let k = kind_of(v);
        match prev {
            None if k == Kind::Slice => return Err(SmpError::NoListOfLists),
            None => prev = Some(k),
            Some(p) if p != k => {
                let all: Vec<Value> = slices.iter().map(|s| Value::Array(s.to_vec())).collect();
                return Err(SmpError::Other(format!(
                    "list element types are not identical: {}",
                    go_fmt(&Value::Array(all))
                )));
            }
            Some(_) => {}
        }
    }
    prev.ok_or_else(|| SmpError::Other("no elements in any of the given slices".into()))
}

/// What `index` compares: the merge key's value for maps, the item itself otherwise; `None`
/// stands for Go's `nil` (absent or JSON `null`), which equals itself as in Go.
fn lookup_value<'a>(item: &'a Value, merge_key: &str, kind: Kind) -> Option<&'a Value> {
    let v = if kind == Kind::Map {
        item.as_object().and_then(|m| m.get(merge_key))
    } else {
        Some(item)
    };
    v.filter(|v| !v.is_null())
}

/// `index`: the position of `item` in `list`, by merge key for maps.
pub(crate) fn index(list: &[Value], item: &Value, merge_key: &str, kind: Kind) -> Option<usize> {
    let want = lookup_value(item, merge_key, kind);
    list.iter()
        .position(|v| lookup_value(v, merge_key, kind) == want)
}

/// `validateMergeKeyInLists`.
fn validate_merge_key_in_lists(merge_key: &str, lists: &[&[Value]]) -> Result<(), SmpError> {
    for item in lists.iter().flat_map(|l| l.iter()) {
        let Some(m) = item.as_object() else {
            return Err(bad_arg_type(MAP_TYPE, item));
        };
        if !m.contains_key(merge_key) {
            return Err(no_merge_key(m, merge_key));
        }
    }
    Ok(())
}

/// Whether `item` is a map carrying a `$patch` directive.
pub(crate) fn contains_directive_marker(item: &Value) -> bool {
    item.as_object()
        .is_some_and(|m| m.contains_key(DIRECTIVE_MARKER))
}

/// `extractToDeleteItems`: the items to keep and the `$patch: delete` items.
pub(crate) fn extract_to_delete_items(
    list: Vec<Value>,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let mut keep = Vec::new();
    let mut delete = Vec::new();
    for v in list {
        let Some(m) = v.as_object() else {
            return Err(bad_arg_type(MAP_TYPE, &v));
        };
        if m.get(DIRECTIVE_MARKER).and_then(Value::as_str) == Some(DELETE_DIRECTIVE) {
            delete.push(v);
        } else {
            keep.push(v);
        }
    }
    Ok((keep, delete))
}

/// `normalizeSliceOrder`: sorts `to_sort` by the position of each item in `order` (stable),
/// with `$patch: delete` items moved to the end. Upstream's comparator treats an item missing
/// from `order` as smaller than anything (an inconsistent order whose outcome depends on Go's
/// sort); here such items go first, keeping their relative order. They do not occur for
/// well-formed patches: every caller sorts items taken from `order` itself.
pub(crate) fn normalize_slice_order(
    to_sort: Vec<Value>,
    order: &[Value],
    merge_key: &str,
    kind: Kind,
) -> Result<Vec<Value>, SmpError> {
    let (to_sort, to_delete) = if kind == Kind::Map {
        validate_merge_key_in_lists(merge_key, &[&to_sort, order])?;
        extract_to_delete_items(to_sort)?
    } else {
        (to_sort, Vec::new())
    };
    let mut keyed: Vec<(Option<usize>, Value)> = to_sort
        .into_iter()
        .map(|v| (index(order, &v, merge_key, kind), v))
        .collect();
    keyed.sort_by_key(|(i, _)| *i);
    let mut out: Vec<Value> = keyed.into_iter().map(|(_, v)| v).collect();
    out.extend(to_delete);
    Ok(out)
}

/// `mergeSortedSlice`: interleaves the server-only items (`left`) into the patch items
/// (`right`), keeping each list's own order; a server-only item goes before a patch item only
/// when both are in the live list and it came first there.
fn merge_sorted_slice(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    merge_key: &str,
    kind: Kind,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => {
                let li = index(server_order, l, merge_key, kind);
                let ri = index(server_order, r, merge_key, kind);
                matches!((li, ri), (Some(li), Some(ri)) if li < ri)
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next);
    }
    out
}

/// `normalizeElementOrder`: patch items in `patch_order`, server-only items in
/// `server_order`, then interleaved.
pub(crate) fn normalize_element_order(
    patch: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: &str,
    kind: Kind,
) -> Result<Vec<Value>, SmpError> {
    let patch = normalize_slice_order(patch, patch_order, merge_key, kind)?;
    let server_only = normalize_slice_order(server_only, server_order, merge_key, kind)?;
    Ok(merge_sorted_slice(
        server_only,
        patch,
        server_order,
        merge_key,
        kind,
    ))
}

/// `partitionPrimitivesByPresentInList`.
pub(crate) fn partition_primitives(items: Vec<Value>, by: &[Value]) -> (Vec<Value>, Vec<Value>) {
    items.into_iter().partition(|v| by.contains(v))
}

/// `findMapInSliceBasedOnKeyValue`: the position of the map whose `key` equals `value`.
pub(crate) fn find_map_in_slice(
    list: &[Value],
    key: &str,
    value: &Value,
) -> Result<Option<usize>, SmpError> {
    for (i, v) in list.iter().enumerate() {
        let Some(m) = v.as_object() else {
            return Err(SmpError::Other(format!("value for key {i} is not a map")));
        };
        if m.get(key) == Some(value) {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// `partitionMapsByPresentInList`.
pub(crate) fn partition_maps(
    items: Vec<Value>,
    by: &[Value],
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let mut present = Vec::new();
    let mut absent = Vec::new();
    for v in items {
        let Some(m) = v.as_object() else {
            return Err(bad_arg_type(MAP_TYPE, &v));
        };
        let Some(key) = m.get(merge_key) else {
            return Err(no_merge_key(m, merge_key));
        };
        if find_map_in_slice(by, merge_key, key)?.is_some() {
            present.push(v);
        } else {
            absent.push(v);
        }
    }
    Ok((present, absent))
}

/// `mergeKeyValueEqual`.
pub(crate) fn merge_key_value_equal(
    left: &Value,
    right: &Value,
    merge_key: &str,
) -> Result<bool, SmpError> {
    if merge_key.is_empty() {
        return Ok(left == right);
    }
    let l = left
        .as_object()
        .ok_or_else(|| bad_arg_type(MAP_TYPE, left))?;
    let r = right
        .as_object()
        .ok_or_else(|| bad_arg_type(MAP_TYPE, right))?;
    let lk = l.get(merge_key).ok_or_else(|| no_merge_key(l, merge_key))?;
    let rk = r.get(merge_key).ok_or_else(|| no_merge_key(r, merge_key))?;
    Ok(lk == rk)
}

/// Go's `fmt.Sprintf("%v", v)` of a scalar, the key upstream sorts scalars and merge keys by.
pub(crate) fn sort_string(v: Option<&Value>) -> String {
    v.map_or_else(|| "<nil>".to_string(), go_fmt)
}

/// `sortScalars`: by their `%v` strings.
pub(crate) fn sort_scalars(mut s: Vec<Value>) -> Vec<Value> {
    s.sort_by_cached_key(|v| sort_string(Some(v)));
    s
}

/// `deduplicateScalars`; the order of the result does not matter to any caller (each sorts
/// it afterwards), so the first occurrence of each value is kept.
pub(crate) fn deduplicate_scalars(s: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(s.len());
    for v in s {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}
