//! `metadata.managedFields` on every write, as upstream's
//! `k8s.io/apiserver/pkg/endpoints/handlers` drive their `FieldManager`: who the writer is
//! (`fieldManager`, else the User-Agent up to its first `/`), the validation of
//! `fieldManager`, which managedFields a write starts from (the request's when it sets valid
//! ones, else the stored ones), and the `Update` entry a create, update or patch records.
//! Server-side apply computes its entries itself ([`crate::apply`]) and hands them over
//! with [`Tracking::Given`].

use axum::http::{HeaderMap, header};
use serde_json::Value;
use tug_api::field::{FieldError, Path};
use tug_api::resources::ResourceInfo;
use tug_api::ssa::{self, FieldSet, ManagedFields, Writer};
use tug_api::status::ApiError;

use crate::object::{meta_mut, now_rfc3339};
use crate::registry::Strategy;

/// Upstream's `FieldManagerMaxLength`.
pub const FIELD_MANAGER_MAX_LENGTH: usize = 128;

/// Who a write is recorded for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldOwner {
    /// The manager name (`kubectl-edit`, `kubectl`, `unknown`…).
    pub manager: String,
    /// `""` for the main resource, or `status`, `scale`.
    pub subresource: String,
}

impl FieldOwner {
    pub fn new(manager: impl Into<String>, subresource: impl Into<String>) -> FieldOwner {
        FieldOwner {
            manager: manager.into(),
            subresource: subresource.into(),
        }
    }
}

/// How a write maintains `metadata.managedFields`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tracking {
    /// Record the write as an `Update` by this owner (create, update, patch).
    Update(FieldOwner),
    /// The object already carries the managedFields to store (server-side apply).
    Given,
    /// A write by the server itself (binding, garbage collection, namespace finalization):
    /// not recorded, as upstream's storage-level writes are not; fields it removes stop
    /// being owned.
    System,
}

/// The manager of a request: `fieldManager` when given, else the User-Agent up to its first
/// `/` without unprintable characters and cut at 128 bytes (upstream's
/// `managerOrUserAgent`); `kubectl/v1.33.0 (linux/amd64) …` gives `kubectl`.
pub fn manager_of(field_manager: Option<&str>, headers: &HeaderMap) -> String {
    if let Some(m) = field_manager.filter(|m| !m.is_empty()) {
        return m.to_string();
    }
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let prefix = ua.split('/').next().unwrap_or("");
    let mut out = String::new();
    for c in prefix.chars().filter(|c| is_print(*c)) {
        if out.len() + c.len_utf8() > FIELD_MANAGER_MAX_LENGTH {
            break;
        }
        out.push(c);
    }
    out
}

/// Go's `unicode.IsPrint`, near enough: graphic characters and the ASCII space.
fn is_print(c: char) -> bool {
    c == ' ' || !(c.is_control() || c.is_whitespace())
}

/// Upstream's `ValidateFieldManager` (and, for apply, the `fieldManager` requirement of
/// `ValidatePatchOptions`), answered as `422` on `<options>.meta.k8s.io ""`
/// (`CreateOptions`, `UpdateOptions`, `PatchOptions`).
pub fn validate_field_manager(
    field_manager: Option<&str>,
    options: &str,
    required: bool,
) -> Result<(), ApiError> {
    let m = field_manager.unwrap_or("");
    let path = Path::new("fieldManager");
    let mut errs = Vec::new();
    if required && m.is_empty() {
        errs.push(FieldError::required(&path, "is required for apply patch"));
    }
    if m.len() > FIELD_MANAGER_MAX_LENGTH {
        errs.push(FieldError::too_long(&path, FIELD_MANAGER_MAX_LENGTH));
    }
    for (i, c) in m.char_indices() {
        if !is_print(c) {
            errs.push(FieldError::invalid(
                &path,
                m,
                format!("invalid character U+{:04X} (at position {i})", c as u32),
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid("meta.k8s.io", options, "", &errs))
    }
}

/// The upstream schema name of a resource's kind, if it has one.
pub(crate) fn schema_of(info: &ResourceInfo) -> Option<&'static str> {
    tug_api::smp::schema_name(info.group, info.version, info.kind)
}

/// Upstream's reset fields: what a writer of `subresource` cannot own because the
/// strategy resets it — `status` for writes to the main resource of a kind with a status
/// subresource, `spec` for writes to `status`.
pub(crate) fn reset_fields(info: &ResourceInfo, subresource: &str) -> FieldSet {
    match subresource {
        "" if info.subresource("status").is_some() => ssa::top_level_fields(&["status"]),
        "status" => ssa::top_level_fields(&["spec"]),
        _ => FieldSet::new(),
    }
}

fn managed_of(v: &Value) -> Option<&Value> {
    v.get("metadata").and_then(|m| m.get("managedFields"))
}

/// `v` without `metadata.managedFields` (what ownership is computed on).
fn without_managed(v: &Value) -> Value {
    let mut c = v.clone();
    if let Some(m) = c.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
    }
    c
}

fn set_managed(v: &mut Value, m: &ManagedFields) {
    match m.encode() {
        Some(e) => {
            meta_mut(v).insert("managedFields".into(), e);
        }
        None => {
            meta_mut(v).remove("managedFields");
        }
    }
}

/// Upstream's `decodeLiveOrNew`: a subresource write keeps the stored managedFields; a
/// request setting `[]` or `[{}]` clears them; valid, non-empty managedFields in the request
/// replace the stored ones (how kubectl's client-side-to-server-side apply upgrade rewrites
/// them); anything else keeps the stored ones. Stored ones that cannot be decoded are
/// dropped.
fn live_or_new(live: Option<&Value>, new: Option<&Value>, subresource: bool) -> ManagedFields {
    let live = || ManagedFields::decode(live).unwrap_or_default();
    if subresource {
        return live();
    }
    if ssa::is_reset(new) {
        return ManagedFields::new();
    }
    match ManagedFields::decode(new) {
        Ok(m) if !m.is_empty() => m,
        _ => live(),
    }
}

/// Sets the managedFields of an object about to be created.
pub(crate) fn record_create(strategy: &dyn Strategy, obj: &mut Value, tracking: &Tracking) {
    let info = strategy.info();
    let Some(schema) = schema_of(info) else {
        return;
    };
    match tracking {
        Tracking::Given => {}
        Tracking::System => {
            let m = ManagedFields::decode(managed_of(obj)).unwrap_or_default();
            set_managed(obj, &m);
        }
        Tracking::Update(owner) => {
            let base = live_or_new(None, managed_of(obj), false);
            let new = without_managed(obj);
            let writer = Writer {
                manager: &owner.manager,
                subresource: &owner.subresource,
                api_version: &info.api_version(),
            };
            let reset = reset_fields(info, &owner.subresource);
            let empty = ssa::empty_object(schema);
            let m = ssa::update(&base, &empty, &new, schema, &writer, &reset, &now_rfc3339())
                .unwrap_or(base);
            set_managed(obj, &m);
        }
    }
}

/// Sets the managedFields of an update of `current` into `new` (the admitted object).
pub(crate) fn record_update(
    strategy: &dyn Strategy,
    current: &Value,
    new: &mut Value,
    tracking: &Tracking,
) {
    let info = strategy.info();
    let Some(schema) = schema_of(info) else {
        return;
    };
    let live_managed = managed_of(current);
    let m = match tracking {
        Tracking::Given => return,
        Tracking::System => {
            let base = ManagedFields::decode(live_managed).unwrap_or_default();
            ssa::forget_removed(
                &base,
                &without_managed(current),
                &without_managed(new),
                schema,
            )
            .unwrap_or(base)
        }
        Tracking::Update(owner) => {
            let base = live_or_new(live_managed, managed_of(new), !owner.subresource.is_empty());
            let writer = Writer {
                manager: &owner.manager,
                subresource: &owner.subresource,
                api_version: &info.api_version(),
            };
            let reset = reset_fields(info, &owner.subresource);
            match ssa::update(
                &base,
                &without_managed(current),
                &without_managed(new),
                schema,
                &writer,
                &reset,
                &now_rfc3339(),
            ) {
                Ok(m) => m,
                // Upstream's `UpdateNoErrors`: keep what was stored.
                Err(_) => ManagedFields::decode(live_managed).unwrap_or_default(),
            }
        }
    };
    set_managed(new, &m);
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_manager_is_the_field_manager_or_the_user_agent_prefix() {
        let mut h = HeaderMap::new();
        assert_eq!(manager_of(None, &h), "");
        h.insert(
            header::USER_AGENT,
            HeaderValue::from_static("kubectl.1.33/v1.33.0 (linux/amd64) kubernetes/abc"),
        );
        assert_eq!(manager_of(None, &h), "kubectl.1.33");
        assert_eq!(manager_of(Some(""), &h), "kubectl.1.33");
        assert_eq!(manager_of(Some("kubectl-edit"), &h), "kubectl-edit");
        h.insert(
            header::USER_AGENT,
            HeaderValue::from_static("python-requests/2.31"),
        );
        assert_eq!(manager_of(None, &h), "python-requests");
        let long = "x".repeat(200);
        h.insert(
            header::USER_AGENT,
            HeaderValue::from_str(&long).expect("ascii"),
        );
        assert_eq!(manager_of(None, &h).len(), 128);
    }

    #[test]
    fn field_manager_validation_uses_upstreams_messages() {
        let e = validate_field_manager(None, "PatchOptions", true).expect_err("required");
        assert_eq!(e.code, 422);
        assert_eq!(
            e.message,
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
        );
        let long = "m".repeat(129);
        let e = validate_field_manager(Some(&long), "CreateOptions", false).expect_err("long");
        assert_eq!(
            e.message,
            "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: must have at most 128 bytes"
        );
        assert!(validate_field_manager(Some(&"m".repeat(128)), "UpdateOptions", false).is_ok());
        assert!(validate_field_manager(None, "UpdateOptions", false).is_ok());
    }
}
