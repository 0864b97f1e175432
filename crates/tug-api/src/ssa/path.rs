//! Path elements and paths, as `sigs.k8s.io/structured-merge-diff/v4/fieldpath`: their total
//! order, their human-readable form (`.spec.containers[name="web"].image`, used in conflict
//! messages) and their FieldsV1 key form (`f:image`, `k:{"name":"web"}`, `v:"x"`, `i:0`).

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// One step into a value: a field of a map (`f:`), the element of an associative list with
/// these key fields (`k:`, the fields sorted by name), the element of a set with this value
/// (`v:`), or an index (`i:`, which upstream never produces for built-in types: lists that
/// are not associative are atomic and owned as a whole).
#[derive(Clone, Debug)]
pub enum PathElement {
    Field(String),
    Key(Vec<(String, Value)>),
    Value(Value),
    Index(usize),
}

/// A path from the root of an object.
pub type Path = Vec<PathElement>;

impl PathElement {
    /// A key element from its fields, sorted by name as upstream keeps them.
    pub fn key(mut fields: Vec<(String, Value)>) -> PathElement {
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        PathElement::Key(fields)
    }

    /// The FieldsV1 key of this element: `f:name`, `k:{"port":80,"protocol":"TCP"}`,
    /// `v:"finalizer"`, `i:3`. JSON is written as Go's `encoding/json` writes it (object
    /// keys sorted, `<`, `>` and `&` escaped).
    pub fn to_key_string(&self) -> String {
        match self {
            PathElement::Field(name) => format!("f:{name}"),
            PathElement::Key(fields) => {
                let mut s = String::from("k:{");
                for (i, (name, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&go_json(&Value::String(name.clone())));
                    s.push(':');
                    s.push_str(&go_json(v));
                }
                s.push('}');
                s
            }
            PathElement::Value(v) => format!("v:{}", go_json(v)),
            PathElement::Index(i) => format!("i:{i}"),
        }
    }

    /// Parses a FieldsV1 key. `Ok(None)` for an element type this version does not know
    /// (upstream drops those silently); an error for a malformed key.
    pub fn from_key_string(s: &str) -> Result<Option<PathElement>, String> {
        let b = s.as_bytes();
        if b.len() < 2 {
            return Err("key must be 2 characters long:".into());
        }
        if b[1] != b':' {
            return Err(format!("missing colon: {s}"));
        }
        let rest = &s[2..];
        match b[0] {
            b'f' => Ok(Some(PathElement::Field(rest.to_string()))),
            b'v' => {
                let v: Value = serde_json::from_str(rest).map_err(|e| e.to_string())?;
                Ok(Some(PathElement::Value(v)))
            }
            b'k' => {
                let v: Value = serde_json::from_str(rest).map_err(|e| e.to_string())?;
                let Value::Object(m) = v else {
                    return Err(format!("expected an object in key {s}"));
                };
                Ok(Some(PathElement::key(m.into_iter().collect())))
            }
            b'i' => rest
                .parse::<usize>()
                .map(|i| Some(PathElement::Index(i)))
                .map_err(|e| e.to_string()),
            _ => Ok(None),
        }
    }
}

impl Ord for PathElement {
    /// Upstream's `PathElement.Compare`: fields < keys < values < indexes, then by content.
    fn cmp(&self, other: &Self) -> Ordering {
        use PathElement::*;
        match (self, other) {
            (Field(a), Field(b)) => a.cmp(b),
            (Field(_), _) => Ordering::Less,
            (_, Field(_)) => Ordering::Greater,
            (Key(a), Key(b)) => compare_fields(a, b),
            (Key(_), _) => Ordering::Less,
            (_, Key(_)) => Ordering::Greater,
            (Value(a), Value(b)) => compare_values(a, b),
            (Value(_), _) => Ordering::Less,
            (_, Value(_)) => Ordering::Greater,
            (Index(a), Index(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for PathElement {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PathElement {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PathElement {}

/// `value.FieldList.Compare`: pairwise by name then value, the shorter list first.
fn compare_fields(a: &[(String, Value)], b: &[(String, Value)]) -> Ordering {
    for ((an, av), (bn, bv)) in a.iter().zip(b) {
        let c = an.cmp(bn).then_with(|| compare_values(av, bv));
        if c != Ordering::Equal {
            return c;
        }
    }
    a.len().cmp(&b.len())
}

/// `value.Compare`: a total order over JSON values. Numbers compare numerically (integers
/// exactly, anything involving a float as floats), then strings < booleans < lists < maps
/// < null.
pub(crate) fn compare_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Number(_) => 0,
            Value::String(_) => 1,
            Value::Bool(_) => 2,
            Value::Array(_) => 3,
            Value::Object(_) => 4,
            Value::Null => 5,
        }
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x.cmp(&y)
            } else if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x.cmp(&y)
            } else {
                let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
                x.partial_cmp(&y).unwrap_or(Ordering::Equal)
            }
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                let c = compare_values(p, q);
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut xs: Vec<_> = x.iter().collect();
            let mut ys: Vec<_> = y.iter().collect();
            xs.sort_by(|p, q| p.0.cmp(q.0));
            ys.sort_by(|p, q| p.0.cmp(q.0));
            for ((xk, xv), (yk, yv)) in xs.iter().zip(&ys) {
                let c = xk.cmp(yk).then_with(|| compare_values(xv, yv));
                if c != Ordering::Equal {
                    return c;
                }
            }
            xs.len().cmp(&ys.len())
        }
        (Value::Null, Value::Null) => Ordering::Equal,
        _ => rank(a).cmp(&rank(b)),
    }
}

/// `value.Equals`: equality with numbers compared numerically (`1 == 1.0`).
pub(crate) fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => compare_values(a, b) == Ordering::Equal,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

/// `value.ToString`: strings quoted, numbers and booleans bare.
fn value_to_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(value_to_string).collect::<Vec<_>>().join(",")
        ),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", value_to_string(v)))
            .collect::<Vec<_>>()
            .join(""),
    }
}

impl fmt::Display for PathElement {
    /// `.name`, `[name="web",port=80]`, `[=value]`, `[3]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathElement::Field(name) => write!(f, ".{name}"),
            PathElement::Key(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", value_to_string(v)))
                    .collect();
                write!(f, "[{}]", parts.join(","))
            }
            PathElement::Value(v) => write!(f, "[={}]", value_to_string(v)),
            PathElement::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// A path as upstream prints it: the elements concatenated (`.spec.replicas`).
pub fn path_string(path: &[PathElement]) -> String {
    path.iter().map(ToString::to_string).collect()
}

/// Compact JSON as Go's `encoding/json` writes it: object keys sorted, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped (they can only occur inside strings, so replacing them in the
/// serialised text is exact).
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_sorted(v, &mut out);
    out.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn write_sorted(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_sorted(&m[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sorted(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_round_trip_and_sort_their_fields() {
        let pe = PathElement::key(vec![
            ("protocol".into(), json!("TCP")),
            ("containerPort".into(), json!(80)),
        ]);
        let s = pe.to_key_string();
        assert_eq!(s, r#"k:{"containerPort":80,"protocol":"TCP"}"#);
        assert_eq!(PathElement::from_key_string(&s), Ok(Some(pe)));
        assert_eq!(
            PathElement::from_key_string("v:\"a<b\""),
            Ok(Some(PathElement::Value(json!("a<b"))))
        );
        assert_eq!(
            PathElement::Value(json!("a<b")).to_key_string(),
            r#"v:"a\u003cb""#
        );
        assert_eq!(PathElement::from_key_string("z:whatever"), Ok(None));
        assert!(PathElement::from_key_string("f").is_err());
        assert!(PathElement::from_key_string("fx").is_err());
        assert!(PathElement::from_key_string("k:[1]").is_err());
    }

    #[test]
    fn paths_print_as_upstream() {
        let p = vec![
            PathElement::Field("spec".into()),
            PathElement::Field("containers".into()),
            PathElement::key(vec![("name".into(), json!("web"))]),
            PathElement::Field("image".into()),
        ];
        assert_eq!(path_string(&p), r#".spec.containers[name="web"].image"#);
        assert_eq!(PathElement::Value(json!("x")).to_string(), r#"[="x"]"#);
    }

    #[test]
    fn order_is_fields_keys_values_indexes_and_numbers_compare_numerically() {
        let f = PathElement::Field("z".into());
        let k = PathElement::key(vec![("a".into(), json!(1))]);
        let v = PathElement::Value(json!(1));
        let i = PathElement::Index(0);
        assert!(f < k && k < v && v < i);
        assert!(PathElement::Value(json!(9)) < PathElement::Value(json!(10)));
        assert!(PathElement::Value(json!(1)) == PathElement::Value(json!(1.0)));
        assert!(PathElement::Value(json!(2)) < PathElement::Value(json!("1")));
    }
}
