//! Applying a strategic merge patch: upstream's `mergeMap` and friends with the options the
//! API server uses (`MergeParallelList: true`, `IgnoreUnmatchedNulls: true`).
//!
//! Go iterates maps in random order; here keys are visited in the map's order. No outcome of a
//! well-formed patch depends on it (the parallel `$setElementOrder` lists are handled before
//! the other keys, as upstream does).

use serde_json::Value;

use super::SmpError;
use super::types::Ty;
use super::util::*;

/// `mergeMap`.
pub(crate) fn merge_map(
    mut original: Object,
    mut patch: Object,
    ty: &Ty,
) -> Result<Object, SmpError> {
    if let Some(directive) = patch.get(DIRECTIVE_MARKER) {
        let directive = directive.clone();
        return handle_directive_in_merge_map(&directive, patch);
    }
    apply_retain_keys_directive(&mut original, &mut patch)?;
    merge_patch_into_original(&mut original, &mut patch, ty)?;

    for (key, patch_v) in patch {
        let (is_delete_list, key) = if key.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX) {
            (
                true,
                extract_key(&key, DELETE_FROM_PRIMITIVE_LIST_PREFIX)?.to_string(),
            )
        } else {
            (false, key)
        };
        if patch_v.is_null() {
            original.remove(&key);
            continue;
        }
        let Some(orig_v) = original.get_mut(&key) else {
            if !is_delete_list {
                take_patch_value(&mut original, key, patch_v);
            }
            continue;
        };
        if kind_of(orig_v) != kind_of(&patch_v) {
            if !is_delete_list {
                take_patch_value(&mut original, key, patch_v);
            }
            continue;
        }
        match (orig_v, patch_v) {
            (Value::Object(o), Value::Object(p)) => {
                let (_, strategy) = patch_strategy(ty.facts(&key))?;
                let o = std::mem::take(o);
                let merged = if strategy == REPLACE_DIRECTIVE {
                    p
                } else {
                    merge_map(o, p, ty.field(&key))?
                };
                original.insert(key, Value::Object(merged));
            }
            (Value::Array(o), Value::Array(p)) => {
                let facts = ty.facts(&key);
                let (_, strategy) = patch_strategy(facts)?;
                let o = std::mem::take(o);
                let merged = merge_slice_handler(
                    o,
                    p,
                    ty.elements(&key),
                    strategy,
                    merge_key_of(facts),
                    is_delete_list,
                )?;
                original.insert(key, Value::Array(merged));
            }
            (_, p) => match remove_directives(p) {
                Some(v) => {
                    original.insert(key, v);
                }
                None => {
                    original.remove(&key);
                }
            },
        }
    }
    Ok(original)
}

/// A patch value that replaces what the original had (or adds what it lacked): its nulls
/// dropped (`discardNullValuesFromPatch`) and its directives removed.
fn take_patch_value(original: &mut Object, key: String, mut v: Value) {
    discard_null_values(&mut v);
    match remove_directives(v) {
        Some(v) => {
            original.insert(key, v);
        }
        None => {
            original.remove(&key);
        }
    }
}

/// `discardNullValuesFromPatch`: drops every null-valued key, at any depth.
fn discard_null_values(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(discard_null_values);
        }
        Value::Array(a) => a.iter_mut().for_each(discard_null_values),
        _ => {}
    }
}

/// `removeDirectives`: drops every map carrying `$patch` (and the key or element holding
/// it); `None` when `v` itself is such a map.
pub(crate) fn remove_directives(v: Value) -> Option<Value> {
    match v {
        Value::Object(m) => {
            if m.contains_key(DIRECTIVE_MARKER) {
                return None;
            }
            Some(Value::Object(
                m.into_iter()
                    .filter_map(|(k, v)| remove_directives(v).map(|v| (k, v)))
                    .collect(),
            ))
        }
        Value::Array(a) => Some(Value::Array(
            a.into_iter().filter_map(remove_directives).collect(),
        )),
        other => Some(other),
    }
}

/// `handleDirectiveInMergeMap`: `$patch: replace` makes the patch the new map, `$patch:
/// delete` empties it; anything else (including `merge`) is an unknown patch type.
fn handle_directive_in_merge_map(directive: &Value, mut patch: Object) -> Result<Object, SmpError> {
    match directive.as_str() {
        Some(REPLACE_DIRECTIVE) => {
            patch.remove(DIRECTIVE_MARKER);
            Ok(patch)
        }
        Some(DELETE_DIRECTIVE) => Ok(Object::new()),
        _ => Err(bad_patch_type(directive, &patch)),
    }
}

/// `applyRetainKeysDirective`: every key the patch sets must be listed, and the original
/// keeps only the listed keys.
fn apply_retain_keys_directive(original: &mut Object, patch: &mut Object) -> Result<(), SmpError> {
    let Some(retain) = patch.remove(RETAIN_KEYS_DIRECTIVE) else {
        return Ok(());
    };
    let Value::Array(retain) = retain else {
        return Err(SmpError::BadPatchFormatForRetainKeys);
    };
    let listed = |k: &str| retain.iter().any(|v| v.as_str() == Some(k));
    for (k, v) in patch.iter() {
        if v.is_null()
            || k.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
            || k.starts_with(SET_ELEMENT_ORDER_PREFIX)
        {
            continue;
        }
        if !listed(k) {
            return Err(SmpError::BadPatchFormatForRetainKeys);
        }
    }
    original.retain(|k, _| listed(k));
    Ok(())
}

/// `mergePatchIntoOriginal`: each `$setElementOrder/<list>` with its list, merged and put in
/// the order the directive gives (precedence: `$setElementOrder`, then the patch list, then
/// the live list). Both keys leave the patch.
fn merge_patch_into_original(
    original: &mut Object,
    patch: &mut Object,
    ty: &Ty,
) -> Result<(), SmpError> {
    let order_keys: Vec<String> = patch
        .keys()
        .filter(|k| k.starts_with(SET_ELEMENT_ORDER_PREFIX))
        .cloned()
        .collect();
    for key in order_keys {
        let Some(order) = patch.remove(&key) else {
            continue;
        };
        let Value::Array(order) = order else {
            return Err(bad_arg_type(SLICE_TYPE, &order));
        };
        let list_key = extract_key(&key, SET_ELEMENT_ORDER_PREFIX)?.to_string();
        let original_list = match original.get(&list_key) {
            Some(Value::Array(a)) => Some(a.clone()),
            Some(other) => return Err(bad_arg_type(SLICE_TYPE, other)),
            None => None,
        };
        let patch_list = match patch.get(&list_key) {
            Some(Value::Array(a)) => Some(a.clone()),
            Some(other) => return Err(bad_arg_type(SLICE_TYPE, other)),
            None => None,
        };
        let facts = ty.facts(&list_key);
        let (_, strategy) = patch_strategy(facts)?;
        let merge_key = merge_key_of(facts);
        validate_patch_with_set_order_list(
            patch_list.as_deref().unwrap_or_default(),
            &order,
            merge_key,
        )?;
        let original_values = original_list.clone().unwrap_or_default();
        let patch_values = patch_list.clone().unwrap_or_default();
        let merged = match (original_list, patch_list) {
            (Some(o), None) => o,
            (None, Some(p)) => match remove_directives(Value::Array(p)) {
                Some(Value::Array(v)) => v,
                _ => continue,
            },
            (Some(o), Some(p)) => {
                merge_slice_handler(o, p, ty.elements(&list_key), strategy, merge_key, false)?
            }
            (None, None) => continue,
        };
        let (patch_items, server_only) = if merge_key.is_empty() {
            partition_primitives(merged, &order)
        } else {
            partition_maps(merged, &order, merge_key)?
        };
        let kind = slice_element_type(&[&original_values, &patch_values])?;
        let both = normalize_element_order(
            patch_items,
            server_only,
            &order,
            &original_values,
            merge_key,
            kind,
        )?;
        original.insert(list_key.clone(), Value::Array(both));
        patch.remove(&list_key);
    }
    Ok(())
}

/// `validatePatchWithSetOrderList`: the patch list's items (deletions aside) must appear in
/// `$setElementOrder` in the same relative order.
fn validate_patch_with_set_order_list(
    patch_list: &[Value],
    order: &[Value],
    merge_key: &str,
) -> Result<(), SmpError> {
    if order.is_empty() || patch_list.is_empty() {
        return Ok(());
    }
    let non_delete = if merge_key.is_empty() {
        patch_list.to_vec()
    } else {
        extract_to_delete_items(patch_list.to_vec())?.0
    };
    let (mut pi, mut oi) = (0, 0);
    while pi < non_delete.len() && oi < order.len() {
        if contains_directive_marker(&non_delete[pi]) {
            pi += 1;
            continue;
        }
        if merge_key_value_equal(&non_delete[pi], &order[oi], merge_key)? {
            pi += 1;
        }
        oi += 1;
    }
    if pi < non_delete.len() && oi >= order.len() {
        return Err(SmpError::Other(format!(
            "The order in patch list:\n{}\n doesn't match {SET_ELEMENT_ORDER_PREFIX} list:\n{}\n",
            go_fmt(&Value::Array(patch_list.to_vec())),
            go_fmt(&Value::Array(order.to_vec()))
        )));
    }
    Ok(())
}

/// `mergeSliceHandler`: lists with strategy `merge` (and parallel deletion lists, whatever
/// the strategy) are merged; any other list is replaced by the patch's.
fn merge_slice_handler(
    original: Vec<Value>,
    patch: Vec<Value>,
    elem: &Ty,
    strategy: &str,
    merge_key: &str,
    is_delete_list: bool,
) -> Result<Vec<Value>, SmpError> {
    if strategy == MERGE_DIRECTIVE || is_delete_list {
        merge_slice(original, patch, elem, merge_key, is_delete_list)
    } else {
        Ok(patch)
    }
}

/// `mergeSlice`: scalars are unioned (or, for a deletion list, removed); maps are merged by
/// merge key after the `$patch` elements took effect. The result keeps the patch's order for
/// the items it names and the live order for the others.
fn merge_slice(
    original: Vec<Value>,
    patch: Vec<Value>,
    elem: &Ty,
    merge_key: &str,
    is_delete_list: bool,
) -> Result<Vec<Value>, SmpError> {
    if original.is_empty() && patch.is_empty() {
        return Ok(original);
    }
    let kind = slice_element_type(&[&original, &patch])?;
    let (original, patch, merged) = if kind != Kind::Map {
        if is_delete_list {
            return Ok(original
                .into_iter()
                .filter(|v| !patch.contains(v))
                .collect());
        }
        let mut both = original.clone();
        both.extend(patch.iter().cloned());
        (original, patch, deduplicate_scalars(both))
    } else {
        if merge_key.is_empty() {
            return Err(SmpError::Other(format!(
                "cannot merge lists without merge key for {}",
                elem.go_kind()
            )));
        }
        let (original, patch) = merge_slice_with_special_elements(original, patch, merge_key)?;
        let merged =
            merge_slice_without_special_elements(original.clone(), &patch, merge_key, elem)?;
        (original, patch, merged)
    };
    let (patch_items, server_only) = if merge_key.is_empty() {
        partition_primitives(merged, &patch)
    } else {
        partition_maps(merged, &patch, merge_key)?
    };
    normalize_element_order(patch_items, server_only, &patch, &original, merge_key, kind)
}

/// `mergeSliceWithSpecialElements`: `$patch: delete` elements remove every live element with
/// their merge key; `$patch: replace` makes the patch's other elements the whole list.
fn merge_slice_with_special_elements(
    mut original: Vec<Value>,
    patch: Vec<Value>,
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let mut plain = Vec::with_capacity(patch.len());
    let mut replace = false;
    for v in patch {
        let Some(m) = v.as_object() else {
            return Err(bad_arg_type("map[string]interface {}", &v));
        };
        let Some(directive) = m.get(DIRECTIVE_MARKER) else {
            plain.push(v);
            continue;
        };
        match directive.as_str() {
            Some(DELETE_DIRECTIVE) => {
                let Some(value) = m.get(merge_key) else {
                    return Err(no_merge_key(m, merge_key));
                };
                while let Some(i) = find_map_in_slice(&original, merge_key, value)? {
                    original.remove(i);
                }
            }
            Some(REPLACE_DIRECTIVE) => replace = true,
            Some(MERGE_DIRECTIVE) => {
                return Err(SmpError::Other(
                    "merging lists cannot yet be specified in the patch".into(),
                ));
            }
            _ => return Err(bad_patch_type(directive, m)),
        }
    }
    if replace {
        Ok((plain, Vec::new()))
    } else {
        Ok((original, plain))
    }
}

/// `mergeSliceWithoutSpecialElements`: each patch element merges into the live element with
/// its merge key, or is appended as it is.
fn merge_slice_without_special_elements(
    mut original: Vec<Value>,
    patch: &[Value],
    merge_key: &str,
    elem: &Ty,
) -> Result<Vec<Value>, SmpError> {
    for v in patch {
        let Some(m) = v.as_object() else {
            return Err(bad_arg_type("map[string]interface {}", v));
        };
        let Some(value) = m.get(merge_key) else {
            return Err(no_merge_key(m, merge_key));
        };
        match find_map_in_slice(&original, merge_key, value)? {
            Some(i) => {
                let Value::Object(live) = std::mem::take(&mut original[i]) else {
                    // find_map_in_slice only answers positions of maps.
                    return Err(bad_arg_type("map[string]interface {}", &original[i]));
                };
                original[i] = Value::Object(merge_map(live, m.clone(), elem)?);
            }
            None => original.push(v.clone()),
        }
    }
    Ok(original)
}
