//! Field errors, as upstream's `k8s.io/apimachinery/pkg/util/validation/field`.
//!
//! A [`FieldError`] renders exactly like upstream's `field.Error.Error()` and becomes one
//! `details.causes[]` entry of a `422 Invalid` Status.

use std::fmt;

use serde_json::Value;

/// The kind of a field error; [`ErrorType::reason`] is the `causes[].reason` upstream sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// "Unsupported value" — `FieldValueNotSupported`.
    NotSupported,
    /// "Required value" — `FieldValueRequired`.
    Required,
    /// "Invalid value" — `FieldValueInvalid`.
    Invalid,
    /// "Duplicate value" — `FieldValueDuplicate`.
    Duplicate,
    /// "Forbidden" — `FieldValueForbidden`.
    Forbidden,
    /// "Too long" — `FieldValueTooLong`.
    TooLong,
    /// "Too many" — `FieldValueTooMany`.
    TooMany,
    /// "Not found" — `FieldValueNotFound`.
    NotFound,
    /// "Internal error" — `InternalError`.
    Internal,
}

impl ErrorType {
    /// The `metav1.CauseType` string.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Internal => "InternalError",
        }
    }

    /// The human text upstream prints for the type.
    pub fn text(self) -> &'static str {
        match self {
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::NotFound => "Not found",
            ErrorType::Internal => "Internal error",
        }
    }
}

/// A field path such as `spec.containers[0].image`, built like upstream's `field.Path`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Path(String);

impl Path {
    /// A root path (`Path::new("spec")`).
    pub fn new(root: &str) -> Self {
        Path(root.to_string())
    }
    /// `path.child` (`spec` → `spec.containers`).
    pub fn child(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Path(name.to_string())
        } else {
            Path(format!("{}.{}", self.0, name))
        }
    }
    /// `path[i]`.
    pub fn index(&self, i: usize) -> Self {
        Path(format!("{}[{}]", self.0, i))
    }
    /// `path[key]` (map keys, as upstream's `Key`).
    pub fn key(&self, k: &str) -> Self {
        Path(format!("{}[{}]", self.0, k))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One invalid field. `bad_value` is `None` when upstream omits the value from the message
/// (Required, Forbidden, TooLong without value, NotFound…, or `field.OmitValueType`).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub error_type: ErrorType,
    pub field: String,
    pub bad_value: Option<Value>,
    pub detail: String,
}

/// A list of field errors (upstream's `field.ErrorList`).
pub type ErrorList = Vec<FieldError>;

impl FieldError {
    fn new(
        error_type: ErrorType,
        path: &Path,
        bad_value: Option<Value>,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            error_type,
            field: path.0.clone(),
            bad_value,
            detail: detail.into(),
        }
    }
    /// `field.Required(path, detail)`.
    pub fn required(path: &Path, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Required, path, None, detail)
    }
    /// `field.Invalid(path, value, detail)`.
    pub fn invalid(path: &Path, value: impl Into<Value>, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Invalid, path, Some(value.into()), detail)
    }
    /// `field.Forbidden(path, detail)`.
    pub fn forbidden(path: &Path, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Forbidden, path, None, detail)
    }
    /// `field.Duplicate(path, value)`.
    pub fn duplicate(path: &Path, value: impl Into<Value>) -> Self {
        Self::new(ErrorType::Duplicate, path, Some(value.into()), "")
    }
    /// `field.NotFound(path, value)`.
    pub fn not_found(path: &Path, value: impl Into<Value>) -> Self {
        Self::new(ErrorType::NotFound, path, Some(value.into()), "")
    }
    /// `field.TooLong(path, value, max)` — upstream omits the value for long strings.
    pub fn too_long(path: &Path, max: usize) -> Self {
        Self::new(
            ErrorType::TooLong,
            path,
            None,
            format!("must have at most {max} bytes"),
        )
    }
    /// `field.TooMany(path, actual, max)`.
    pub fn too_many(path: &Path, actual: usize, max: usize) -> Self {
        Self::new(
            ErrorType::TooMany,
            path,
            Some(Value::from(actual)),
            format!("must have at most {max} items"),
        )
    }
    /// `field.NotSupported(path, value, valid)`: detail lists the supported values quoted,
    /// as upstream: `supported values: "Always", "IfNotPresent", "Never"`.
    pub fn not_supported<S: AsRef<str>>(path: &Path, value: impl Into<Value>, valid: &[S]) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| format!("{:?}", v.as_ref())).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(ErrorType::NotSupported, path, Some(value.into()), detail)
    }
    /// `field.InternalError(path, err)`.
    pub fn internal(path: &Path, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Internal, path, None, detail)
    }

    /// The message without the field prefix: `ErrorBody()` upstream, e.g.
    /// `Invalid value: "Foo": a lowercase RFC 1123 subdomain must ...` or `Required value`.
    pub fn body(&self) -> String {
        let mut s = self.error_type.text().to_string();
        if let Some(v) = &self.bad_value {
            match self.error_type {
                ErrorType::Required
                | ErrorType::Forbidden
                | ErrorType::TooLong
                | ErrorType::Internal => {}
                _ => {
                    s.push_str(": ");
                    s.push_str(&render_value(v));
                }
            }
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

/// Renders a bad value as Go's `%#v`-ish formatting upstream uses: strings quoted, numbers
/// and booleans bare, `null` as `"null"`, composite values as compact JSON.
fn render_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "\"null\"".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

impl fmt::Display for FieldError {
    /// `spec.containers[0].image: Required value` — upstream's `Error()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_error_renders_without_value() {
        let p = Path::new("spec")
            .child("containers")
            .index(0)
            .child("image");
        assert_eq!(
            FieldError::required(&p, "").to_string(),
            "spec.containers[0].image: Required value"
        );
    }

    #[test]
    fn not_supported_lists_quoted_values() {
        let p = Path::new("spec").child("restartPolicy");
        let e = FieldError::not_supported(&p, "Sometimes", &["Always", "OnFailure", "Never"]);
        assert_eq!(
            e.to_string(),
            r#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#
        );
    }

    #[test]
    fn invalid_error_quotes_strings_and_keeps_numbers_bare() {
        let p = Path::new("spec").child("replicas");
        assert_eq!(
            FieldError::invalid(&p, -1, "must be greater than or equal to 0").to_string(),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }
}
