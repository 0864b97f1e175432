//! Upstream Kubernetes 1.33 validation, with upstream's messages and field paths:
//! `k8s.io/apimachinery/pkg/util/validation` ([`names`]), `pkg/api/validation/objectmeta.go`
//! ([`meta`]), `pkg/apis/core/validation` ([`core`]), `pkg/apis/apps/validation` ([`apps`]),
//! `pkg/apis/coordination/validation` ([`coordination`]) and resource quantities
//! ([`quantity`]).
//!
//! Upstream prints some bad values with Go's `%#v` (maps, structs) or `String()` (times);
//! the `go_*` helpers here reproduce those renderings and the `*_repr` constructors put
//! them into a [`FieldError`] whose rendered text equals upstream's `ErrorBody()`.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use crate::field::{ErrorList, ErrorType, FieldError, Path};

pub mod apps;
pub mod autoscaling;
pub mod batch;
pub mod coordination;
pub mod core;
pub mod cron;
pub mod discovery;
pub mod events;
pub mod meta;
pub mod names;
pub mod networking;
pub mod policy;
pub mod quantity;
pub mod quota;
pub mod rbac;
pub mod scheduling;
pub mod storage;
pub mod volumes;
pub mod workloads;

/// `must be greater than or equal to 0` (`IsNegativeErrorMsg`).
pub const IS_NEGATIVE_ERROR_MSG: &str = "must be greater than or equal to 0";
/// `field is immutable` (`FieldImmutableErrorMsg`).
pub const FIELD_IMMUTABLE_ERROR_MSG: &str = "field is immutable";

/// Go's `strconv.Quote`: double-quoted with Go escapes.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%#v` of a `map[string]string` (keys sorted, as fmt does): `map[string]string{"a":"b"}`,
/// `map[string]string(nil)` for a missing map.
pub fn go_string_map(m: Option<&BTreeMap<String, String>>) -> String {
    match m {
        None => "map[string]string(nil)".to_string(),
        Some(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
                .collect();
            format!("map[string]string{{{}}}", items.join(", "))
        }
    }
}

/// Go's `%#v` of a `[]string`: `[]string{"a", "b"}`, `[]string(nil)` for a missing slice.
pub fn go_string_slice(v: Option<&[String]>) -> String {
    match v {
        None => "[]string(nil)".to_string(),
        Some(v) => {
            let items: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
    }
}

/// Go's `%#v` of an `intstr.IntOrString` value (its `String()` has a pointer receiver, so
/// upstream prints the struct).
pub fn go_int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}"),
        IntOrString::String(s) => {
            format!(
                "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
                go_quote(s)
            )
        }
    }
}

/// Go's `time.Time.String()` in UTC (the API server's zone):
/// `2024-01-02 03:04:05 +0000 UTC`, fractional seconds without trailing zeros.
pub fn go_time(t: &jiff::Timestamp) -> String {
    let secs = t.as_second();
    let nanos = t.subsec_nanosecond();
    let base = jiff::Timestamp::from_second(secs)
        .map(|b| b.strftime("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default();
    if nanos == 0 {
        format!("{base} +0000 UTC")
    } else {
        let frac = format!("{nanos:09}");
        format!("{base}.{} +0000 UTC", frac.trim_end_matches('0'))
    }
}

fn raw(error_type: ErrorType, path: &Path, repr: &str, detail: &str) -> FieldError {
    let detail = if detail.is_empty() {
        repr.to_string()
    } else {
        format!("{repr}: {detail}")
    };
    FieldError {
        error_type,
        field: path.as_str().to_string(),
        bad_value: None,
        detail,
    }
}

/// `field.Invalid` of a value upstream renders with `%#v` or `String()`: the rendering is
/// carried in the detail (so `bad_value` is `None`), which keeps `to_string()`/`body()`
/// identical to upstream's.
pub fn invalid_repr(path: &Path, repr: &str, detail: &str) -> FieldError {
    raw(ErrorType::Invalid, path, repr, detail)
}

/// `field.Duplicate` of a value upstream renders with `%#v` (see [`invalid_repr`]).
pub fn duplicate_repr(path: &Path, repr: &str) -> FieldError {
    raw(ErrorType::Duplicate, path, repr, "")
}

/// `field.NotSupported` of a value upstream renders with `%#v` (see [`invalid_repr`]).
pub fn not_supported_repr<S: AsRef<str>>(path: &Path, repr: &str, valid: &[S]) -> FieldError {
    let quoted: Vec<String> = valid.iter().map(|v| go_quote(v.as_ref())).collect();
    let detail = if quoted.is_empty() {
        String::new()
    } else {
        format!("supported values: {}", quoted.join(", "))
    };
    raw(ErrorType::NotSupported, path, repr, &detail)
}

/// `field.TooLong(path, "", max)` as 1.33 words it: `Too long: may not be more than N bytes`.
/// ([`FieldError::too_long`] carries the wording of later releases.)
pub fn too_long(path: &Path, max: usize) -> FieldError {
    FieldError {
        error_type: ErrorType::TooLong,
        field: path.as_str().to_string(),
        bad_value: None,
        detail: format!("may not be more than {max} bytes"),
    }
}

/// `ValidateNonnegativeField`.
pub fn validate_nonnegative(value: i64, path: &Path) -> ErrorList {
    if value < 0 {
        vec![FieldError::invalid(path, value, IS_NEGATIVE_ERROR_MSG)]
    } else {
        Vec::new()
    }
}

/// `ValidateImmutableField` for values upstream prints as JSON-like scalars (strings,
/// numbers, booleans, `null`).
pub fn validate_immutable<T: PartialEq>(
    new: &T,
    old: &T,
    path: &Path,
    render: impl Fn(&T) -> Value,
) -> ErrorList {
    if new != old {
        vec![FieldError::invalid(
            path,
            render(new),
            FIELD_IMMUTABLE_ERROR_MSG,
        )]
    } else {
        Vec::new()
    }
}

/// `ValidateImmutableField` for values upstream prints with `%#v`/`String()`.
pub fn validate_immutable_repr<T: PartialEq>(
    new: &T,
    old: &T,
    path: &Path,
    render: impl Fn(&T) -> String,
) -> ErrorList {
    if new != old {
        vec![invalid_repr(path, &render(new), FIELD_IMMUTABLE_ERROR_MSG)]
    } else {
        Vec::new()
    }
}

/// The string value of an optional string field (Go's zero value for a missing one).
pub(crate) fn s(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_maps_render_like_percent_sharp_v() {
        let mut m = BTreeMap::new();
        m.insert("app".to_string(), "x".to_string());
        m.insert("tier".to_string(), "web".to_string());
        assert_eq!(
            go_string_map(Some(&m)),
            r#"map[string]string{"app":"x", "tier":"web"}"#
        );
        assert_eq!(go_string_map(None), "map[string]string(nil)");
    }

    #[test]
    fn go_quote_escapes_like_strconv_quote() {
        assert_eq!(go_quote("a\"b\n\u{1}"), "\"a\\\"b\\n\\x01\"");
    }

    #[test]
    fn go_time_prints_utc_like_time_string() {
        let t: jiff::Timestamp = "2024-01-02T03:04:05Z".parse().expect("ts");
        assert_eq!(go_time(&t), "2024-01-02 03:04:05 +0000 UTC");
    }

    #[test]
    fn raw_renderings_read_like_upstream_error_bodies() {
        let p = Path::new("spec").child("selector");
        let e = invalid_repr(&p, "v1.LabelSelector{}", "field is immutable");
        assert_eq!(
            e.to_string(),
            "spec.selector: Invalid value: v1.LabelSelector{}: field is immutable"
        );
        let d = duplicate_repr(&p, "x{}");
        assert_eq!(d.to_string(), "spec.selector: Duplicate value: x{}");
    }

    #[test]
    fn too_long_uses_the_1_33_wording() {
        assert_eq!(
            too_long(&Path::new("metadata").child("annotations"), 262144).to_string(),
            "metadata.annotations: Too long: may not be more than 262144 bytes"
        );
    }
}
