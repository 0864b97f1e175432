//! Small helpers on objects as JSON values: metadata access, resourceVersion injection,
//! the stored form, and the "did the spec change" comparison behind `generation`.

use bytes::Bytes;
use serde_json::{Map, Value};
use tug_store::{KeyValue, Revision};

/// `metadata.<field>` as a string, `""` when absent.
pub fn meta_str<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The `metadata` map, created when missing (the value must be an object).
pub fn meta_mut(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    let obj = v.as_object_mut().expect("made an object above");
    let m = obj
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !m.is_object() {
        *m = Value::Object(Map::new());
    }
    m.as_object_mut().expect("made an object above")
}

/// Sets `metadata.resourceVersion` to the revision, as a string.
pub fn set_resource_version(v: &mut Value, rev: Revision) {
    meta_mut(v).insert("resourceVersion".into(), Value::String(rev.to_string()));
}

/// The bytes kept in the store: the object without `metadata.resourceVersion` (the store's
/// `mod_revision` is the resourceVersion, as in Kubernetes).
pub fn stored_bytes(v: &Value) -> Bytes {
    let mut c = v.clone();
    meta_mut(&mut c).remove("resourceVersion");
    Bytes::from(serde_json::to_vec(&c).unwrap_or_default())
}

/// Decodes a stored value and sets its resourceVersion from the key's `mod_revision`.
pub fn from_kv(kv: &KeyValue) -> Result<Value, serde_json::Error> {
    let mut v: Value = serde_json::from_slice(&kv.value)?;
    set_resource_version(&mut v, kv.mod_revision);
    Ok(v)
}

/// Equality of everything a client can change outside `metadata.resourceVersion`.
pub fn same_content(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut c = v.clone();
        meta_mut(&mut c).remove("resourceVersion");
        c
    };
    strip(a) == strip(b)
}

/// Whether anything outside `metadata` and `status` differs (what bumps `generation`).
pub fn spec_changed(new: &Value, old: &Value) -> bool {
    let strip = |v: &Value| {
        let mut c = v.clone();
        if let Some(o) = c.as_object_mut() {
            o.remove("metadata");
            o.remove("status");
        }
        c
    };
    strip(new) != strip(old)
}

/// The current time as Kubernetes writes it: RFC 3339, seconds precision, UTC.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A random 5-character suffix from upstream's alphabet (no vowels, no confusable digits),
/// as `generateName` uses.
pub fn random_suffix(n: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_and_metadata_changes_do_not_count_as_spec_changes() {
        let a = json!({"metadata":{"labels":{"a":"1"}},"spec":{"replicas":1},"status":{"x":1}});
        let b = json!({"metadata":{"labels":{"a":"2"}},"spec":{"replicas":1},"status":{"x":2}});
        assert!(!spec_changed(&a, &b));
        let c = json!({"metadata":{},"spec":{"replicas":2}});
        assert!(spec_changed(&a, &c));
    }

    #[test]
    fn stored_bytes_drop_the_resource_version() {
        let v = json!({"metadata":{"name":"a","resourceVersion":"5"}});
        let b = stored_bytes(&v);
        assert_eq!(b.as_ref(), br#"{"metadata":{"name":"a"}}"#);
    }
}
