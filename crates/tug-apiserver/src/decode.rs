//! Request-body decoding with upstream's strictness: duplicate fields are found while
//! parsing, unknown fields by comparing the body with its typed round trip.
//!
//! Upstream (`fieldValidation`): `Strict` rejects with `400 BadRequest` and
//! `strict decoding error: unknown field "spec.foo", duplicate field "metadata.name"`;
//! `Warn` accepts and answers one `Warning` header per problem; `Ignore` drops them silently.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The `fieldValidation` query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldValidation {
    Strict,
    Warn,
    Ignore,
}

impl FieldValidation {
    /// Parses the parameter; absent means `Warn` (upstream's server default since 1.27 for
    /// clients that send none... kubectl always sends one).
    pub fn parse(v: Option<&str>) -> Result<FieldValidation, String> {
        match v {
            None | Some("") | Some("Warn") => Ok(FieldValidation::Warn),
            Some("Strict") => Ok(FieldValidation::Strict),
            Some("Ignore") => Ok(FieldValidation::Ignore),
            Some(other) => Err(format!(
                "fieldValidation parameter unsupported: {other}; supported values: Ignore, Strict, Warn"
            )),
        }
    }
}

/// A parsed JSON body and the paths of duplicated fields in it (the last value wins, as in Go).
pub fn parse_json(body: &[u8]) -> Result<(Value, Vec<String>), serde_json::Error> {
    let mut dups = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let v = ValueSeed {
        path: String::new(),
        dups: &mut dups,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok((v, dups))
}

struct ValueSeed<'a> {
    path: String,
    dups: &'a mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let seed = ValueSeed {
                path: format!("{}[{}]", self.path, out.len()),
                dups: &mut *self.dups,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{}", self.path, key)
            };
            if out.contains_key(&key) && !self.dups.contains(&path) {
                self.dups.push(path.clone());
            }
            let v = map.next_value_seed(ValueSeed {
                path,
                dups: &mut *self.dups,
            })?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Paths of fields present (and non-null) in `input` but absent from `known`, the body's
/// typed round trip: `spec.containers[0].foo`.
pub fn unknown_fields(input: &Value, known: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(input, known, "", &mut out);
    out
}

fn walk(input: &Value, known: &Value, path: &str, out: &mut Vec<String>) {
    match (input, known) {
        (Value::Object(i), Value::Object(k)) => {
            for (key, iv) in i {
                let p = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match k.get(key) {
                    Some(kv) => walk(iv, kv, &p, out),
                    None if iv.is_null() => {}
                    None => out.push(p),
                }
            }
        }
        (Value::Array(i), Value::Array(k)) => {
            for (n, (iv, kv)) in i.iter().zip(k.iter()).enumerate() {
                walk(iv, kv, &format!("{path}[{n}]"), out);
            }
        }
        _ => {}
    }
}

/// The messages of a body's field problems, as upstream words them (`unknown field "x"`,
/// `duplicate field "y"`), duplicates first as upstream reports them while parsing.
pub fn field_problems(unknown: &[String], duplicates: &[String]) -> Vec<String> {
    let mut out: Vec<String> = duplicates
        .iter()
        .map(|p| format!("duplicate field {p:?}"))
        .collect();
    out.extend(unknown.iter().map(|p| format!("unknown field {p:?}")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn duplicate_keys_are_reported_with_their_path_and_last_value_wins() {
        let (v, dups) =
            parse_json(br#"{"metadata":{"name":"a","name":"b"},"spec":{"x":[{"k":1,"k":2}]}}"#)
                .expect("valid json");
        assert_eq!(dups, vec!["metadata.name", "spec.x[0].k"]);
        assert_eq!(v["metadata"]["name"], "b");
    }

    #[test]
    fn unknown_fields_are_found_by_comparing_with_the_typed_round_trip() {
        let input = json!({"spec":{"containers":[{"name":"a","foo":1}],"bar":null},"baz":{}});
        let known = json!({"spec":{"containers":[{"name":"a"}]}});
        assert_eq!(
            unknown_fields(&input, &known),
            vec!["baz", "spec.containers[0].foo"]
        );
    }

    #[test]
    fn trailing_garbage_is_a_parse_error() {
        assert!(parse_json(br#"{"a":1} x"#).is_err());
    }
}
