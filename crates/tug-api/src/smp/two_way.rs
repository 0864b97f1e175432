//! Computing a two-way strategic merge patch: upstream's `diffMaps` and friends with the
//! options of `CreateTwoWayMergePatch` (`SetElementOrder: true`, nothing ignored).

use serde_json::{Value, json};

use super::SmpError;
use super::types::Ty;
use super::util::*;

/// `diffMaps`: the patch that turns `original` into `modified`. `retain_keys` asks for a
/// `$retainKeys` directive (the map is a `retainKeys` field, or an element of one).
pub(crate) fn diff_maps(
    original: &Object,
    modified: &Object,
    ty: &Ty,
    retain_keys: bool,
) -> Result<Object, SmpError> {
    let mut patch = Object::new();
    let mut retain_list = Vec::new();
    for (key, modified_v) in modified {
        if retain_keys && !modified_v.is_null() {
            retain_list.push(Value::String(key.clone()));
        }
        let Some(original_v) = original.get(key) else {
            patch.insert(key.clone(), modified_v.clone());
            continue;
        };
        if key == DIRECTIVE_MARKER {
            let (Some(o), Some(m)) = (original_v.as_str(), modified_v.as_str()) else {
                return Err(SmpError::Other(format!(
                    "invalid value for special key: {DIRECTIVE_MARKER}"
                )));
            };
            if o != m {
                patch.insert(key.clone(), modified_v.clone());
            }
            continue;
        }
        if json_type(original_v) != json_type(modified_v) {
            patch.insert(key.clone(), modified_v.clone());
            continue;
        }
        match (original_v, modified_v) {
            (Value::Object(o), Value::Object(m)) => {
                let (retain, strategy) = patch_strategy(ty.facts(key))?;
                if strategy == REPLACE_DIRECTIVE {
                    patch.insert(key.clone(), modified_v.clone());
                } else {
                    let p = diff_maps(o, m, ty.field(key), retain)?;
                    if !p.is_empty() {
                        patch.insert(key.clone(), Value::Object(p));
                    }
                }
            }
            (Value::Array(o), Value::Array(m)) => diff_slice_field(key, o, m, &mut patch, ty)?,
            _ => {
                if original_v != modified_v {
                    patch.insert(key.clone(), modified_v.clone());
                }
            }
        }
    }
    for key in original.keys() {
        if !modified.contains_key(key) {
            patch.insert(key.clone(), Value::Null);
        }
    }
    if !retain_list.is_empty()
        && (!patch.is_empty() || has_additional_new_field(original, modified))
    {
        patch.insert(
            RETAIN_KEYS_DIRECTIVE.into(),
            Value::Array(sort_scalars(retain_list)),
        );
    }
    Ok(patch)
}

/// The Go type as the client decodes JSON (`json.Unmarshal`: every number is a `float64`).
fn json_type(v: &Value) -> Kind {
    match kind_of(v) {
        Kind::Int => Kind::Float,
        k => k,
    }
}

/// `hasAdditionalNewField`: `original` has a non-null key that `modified` lacks.
fn has_additional_new_field(original: &Object, modified: &Object) -> bool {
    original
        .iter()
        .any(|(k, v)| !v.is_null() && !modified.contains_key(k))
}

/// `handleSliceDiff`: merge lists become element patches (with `$setElementOrder/<key>` and,
/// for scalars, `$deleteFromPrimitiveList/<key>`); other lists are replaced when they differ.
fn diff_slice_field(
    key: &str,
    original: &[Value],
    modified: &[Value],
    patch: &mut Object,
    ty: &Ty,
) -> Result<(), SmpError> {
    let facts = ty.facts(key);
    let (retain, strategy) = patch_strategy(facts)?;
    if strategy != MERGE_DIRECTIVE {
        if original != modified {
            patch.insert(key.into(), Value::Array(modified.to_vec()));
        }
        return Ok(());
    }
    let (add, delete, order) = diff_lists(
        original,
        modified,
        ty.elements(key),
        merge_key_of(facts),
        retain,
    )?;
    if !add.is_empty() {
        patch.insert(key.into(), Value::Array(add));
    }
    if !delete.is_empty() {
        patch.insert(
            format!("{DELETE_FROM_PRIMITIVE_LIST_PREFIX}/{key}"),
            Value::Array(delete),
        );
    }
    if !order.is_empty() {
        patch.insert(
            format!("{SET_ELEMENT_ORDER_PREFIX}/{key}"),
            Value::Array(order),
        );
    }
    Ok(())
}

type Lists = (Vec<Value>, Vec<Value>, Vec<Value>);

/// `diffLists`: the patch list, the parallel deletion list (scalars only) and the
/// `$setElementOrder` list of a merge list.
fn diff_lists(
    original: &[Value],
    modified: &[Value],
    elem: &Ty,
    merge_key: &str,
    retain_keys: bool,
) -> Result<Lists, SmpError> {
    if original.is_empty() {
        return Ok((modified.to_vec(), Vec::new(), Vec::new()));
    }
    let kind = slice_element_type(&[original, modified])?;
    match kind {
        Kind::Map => {
            let (patch_list, delete_list) =
                diff_lists_of_maps(original, modified, elem, merge_key, retain_keys)?;
            let mut patch_list = normalize_slice_order(patch_list, modified, merge_key, kind)?;
            let order_same = is_order_same(original, modified, merge_key)?;
            patch_list.extend(delete_list);
            let mut order = Vec::new();
            if !patch_list.is_empty() || !order_same {
                order = modified
                    .iter()
                    .map(|v| {
                        let key = v.get(merge_key).cloned().unwrap_or(Value::Null);
                        json!({ merge_key: key })
                    })
                    .collect();
            }
            Ok((patch_list, Vec::new(), order))
        }
        Kind::Slice => Err(SmpError::NoListOfLists),
        _ => {
            let (add, delete) = diff_lists_of_scalars(original, modified);
            let add = normalize_slice_order(add, modified, merge_key, kind)?;
            let order = if !delete.is_empty() || original != modified {
                modified.to_vec()
            } else {
                Vec::new()
            };
            Ok((add, delete, order))
        }
    }
}

/// `isOrderSame`.
fn is_order_same(
    original: &[Value],
    modified: &[Value],
    merge_key: &str,
) -> Result<bool, SmpError> {
    if original.len() != modified.len() {
        return Ok(false);
    }
    for (o, m) in original.iter().zip(modified) {
        if !merge_key_value_equal(o, m, merge_key)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `diffListsOfScalars`: the values added and the values removed, found by walking both
/// lists sorted by their `%v` strings.
fn diff_lists_of_scalars(original: &[Value], modified: &[Value]) -> (Vec<Value>, Vec<Value>) {
    let o = sort_scalars(original.to_vec());
    let m = sort_scalars(modified.to_vec());
    let (mut oi, mut mi) = (0, 0);
    let mut add = Vec::new();
    let mut delete = Vec::new();
    while oi < o.len() || mi < m.len() {
        let os = o.get(oi).map(|v| sort_string(Some(v)));
        let ms = m.get(mi).map(|v| sort_string(Some(v)));
        match (os, ms) {
            (Some(a), Some(b)) if a == b => {
                oi += 1;
                mi += 1;
            }
            (Some(a), Some(b)) if a > b => {
                add.push(m[mi].clone());
                mi += 1;
            }
            (None, Some(_)) => {
                add.push(m[mi].clone());
                mi += 1;
            }
            _ => {
                delete.push(o[oi].clone());
                oi += 1;
            }
        }
    }
    (add, deduplicate_scalars(delete))
}

/// `diffListsOfMaps`: element patches for changed and added elements, and `$patch: delete`
/// elements for removed ones, found by walking both lists sorted by merge key.
fn diff_lists_of_maps(
    original: &[Value],
    modified: &[Value],
    elem: &Ty,
    merge_key: &str,
    retain_keys: bool,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let o = sort_maps_by_merge_key(original, merge_key);
    let m = sort_maps_by_merge_key(modified, merge_key);
    let mut patch = Vec::new();
    let mut delete = Vec::new();
    let (mut oi, mut mi) = (0, 0);
    while oi < o.len() || mi < m.len() {
        let oe = o
            .get(oi)
            .map(|v| map_and_merge_key(v, merge_key))
            .transpose()?;
        let me = m
            .get(mi)
            .map(|v| map_and_merge_key(v, merge_key))
            .transpose()?;
        match (oe, me) {
            (Some((om, ok)), Some((mm, mk))) if sort_string(Some(ok)) == sort_string(Some(mk)) => {
                let mut p = diff_maps(om, mm, elem, retain_keys)?;
                if !p.is_empty() {
                    p.insert(merge_key.into(), mk.clone());
                    patch.push(Value::Object(p));
                }
                oi += 1;
                mi += 1;
            }
            (None, Some((mm, _))) => {
                patch.push(Value::Object(mm.clone()));
                mi += 1;
            }
            (Some((_, ok)), Some((mm, mk))) if sort_string(Some(ok)) > sort_string(Some(mk)) => {
                patch.push(Value::Object(mm.clone()));
                mi += 1;
            }
            (Some((_, ok)), _) => {
                delete.push(json!({ merge_key: ok.clone(), DIRECTIVE_MARKER: DELETE_DIRECTIVE }));
                oi += 1;
            }
            (None, None) => break,
        }
    }
    Ok((patch, delete))
}

/// `getMapAndMergeKeyValueByIndex`.
fn map_and_merge_key<'a>(
    v: &'a Value,
    merge_key: &str,
) -> Result<(&'a Object, &'a Value), SmpError> {
    let m = v
        .as_object()
        .ok_or_else(|| bad_arg_type("map[string]interface {}", v))?;
    let k = m.get(merge_key).ok_or_else(|| no_merge_key(m, merge_key))?;
    Ok((m, k))
}

/// `sortMergeListsByNameArray` without recursion: maps sorted by the `%v` of their merge key.
fn sort_maps_by_merge_key(list: &[Value], merge_key: &str) -> Vec<Value> {
    let mut out = list.to_vec();
    out.sort_by_cached_key(|v| sort_string(v.get(merge_key)));
    out
}
