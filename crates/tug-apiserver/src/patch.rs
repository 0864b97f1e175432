//! PATCH: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch
//! (`tug_api::smp`), applied to the current object inside the update loop, so a patch never
//! loses a concurrent write.

use axum::http::{HeaderMap, header};
use serde_json::Value;
use tug_api::smp::{self, SmpError};
use tug_api::status::ApiError;

use crate::decode::FieldValidation;
use crate::managed_fields::{self, Tracking};
use crate::object::{meta_mut, meta_str};
use crate::query::Query;
use crate::registry::{Strategy, WriteKind};
use crate::reply;
use crate::rest::{Ctx, Decoded, Reply, decode_value, owner_of};

const STRATEGIC_MERGE_PATCH: &str = "application/strategic-merge-patch+json";

/// The patch types tug applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Json,
    Merge,
    /// `application/strategic-merge-patch+json`, guided by the patched document's schema.
    Strategic,
    /// `application/apply-patch+yaml`: server-side apply ([`crate::apply`]).
    Apply,
}

impl PatchType {
    pub fn from_headers(headers: &HeaderMap) -> Result<PatchType, ApiError> {
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        match ct.split(';').next().unwrap_or("").trim() {
            "application/json-patch+json" => Ok(PatchType::Json),
            "application/merge-patch+json" => Ok(PatchType::Merge),
            STRATEGIC_MERGE_PATCH => Ok(PatchType::Strategic),
            crate::apply::APPLY_PATCH => Ok(PatchType::Apply),
            other => Err(ApiError::unsupported_media_type(
                other,
                &crate::openapi::PATCH_CONTENT_TYPES.join(", "),
            )),
        }
    }
}

/// Applies `patch` to `doc`. A strategic merge patch takes its field strategies from the
/// schema of the `apiVersion` and `kind` that `doc` carries (every stored object and the
/// Scale view carry both), as upstream takes them from the Go type of the object; a kind
/// without a known schema answers 415 as upstream does for custom resources.
pub fn apply(kind: PatchType, doc: &Value, patch: &Value) -> Result<Value, ApiError> {
    let mut out = doc.clone();
    match kind {
        PatchType::Merge => {
            if !patch.is_object() {
                return Err(ApiError::bad_request(
                    "json: cannot unmarshal non-object into a merge patch",
                ));
            }
            json_patch::merge(&mut out, patch);
        }
        PatchType::Json => {
            let ops: json_patch::Patch = serde_json::from_value(patch.clone())
                .map_err(|e| ApiError::bad_request(format!("invalid JSON patch: {e}")))?;
            json_patch::patch(&mut out, &ops).map_err(|e| ApiError {
                code: 422,
                reason: "Invalid".into(),
                message: format!(
                    "the server rejected our request due to an error in our request: {e}"
                ),
                details: None,
                retry_after: None,
            })?;
        }
        PatchType::Strategic => {
            // Go decodes a `null` body into a nil map: a patch that changes nothing.
            let empty = Value::Object(Default::default());
            let patch = if patch.is_null() { &empty } else { patch };
            if !patch.is_object() {
                return Err(ApiError::bad_request(format!(
                    "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(patch)
                )));
            }
            let schema = smp::schema_of(doc).ok_or_else(strategic_unsupported)?;
            out = smp::apply(doc, patch, schema).map_err(smp_error)?;
        }
        PatchType::Apply => {
            // Apply is not a transformation of a document; it has its own handler.
            let others: Vec<&str> = crate::openapi::PATCH_CONTENT_TYPES
                .iter()
                .copied()
                .filter(|t| *t != crate::apply::APPLY_PATCH)
                .collect();
            return Err(ApiError::unsupported_media_type(
                crate::apply::APPLY_PATCH,
                &others.join(", "),
            ));
        }
    }
    Ok(out)
}

/// Upstream's `ValidatePatchOptions` for patches that are not apply: `force` is forbidden
/// and `fieldManager` must be a valid manager name (`422` on `PatchOptions.meta.k8s.io ""`).
pub(crate) fn check_patch_options(q: &Query) -> Result<(), ApiError> {
    if q.force_given {
        return Err(ApiError::invalid(
            "meta.k8s.io",
            "PatchOptions",
            "",
            &[tug_api::field::FieldError::forbidden(
                &tug_api::field::Path::new("force"),
                "may not be specified for non-apply patch",
            )],
        ));
    }
    managed_fields::validate_field_manager(q.field_manager.as_deref(), "PatchOptions", false)
}

/// Whether `kind` can be applied to objects of `info`'s kind: a strategic merge patch needs
/// the kind's schema.
fn check_supported(
    kind: PatchType,
    info: &tug_api::resources::ResourceInfo,
) -> Result<(), ApiError> {
    if matches!(kind, PatchType::Strategic | PatchType::Apply)
        && smp::schema_name(info.group, info.version, info.kind).is_none()
    {
        return Err(strategic_unsupported());
    }
    Ok(())
}

fn strategic_unsupported() -> ApiError {
    let others: Vec<&str> = crate::openapi::PATCH_CONTENT_TYPES
        .iter()
        .copied()
        .filter(|t| *t != STRATEGIC_MERGE_PATCH)
        .collect();
    ApiError::unsupported_media_type(STRATEGIC_MERGE_PATCH, &others.join(", "))
}

/// The status upstream's `interpretStrategicMergePatchError` gives each failure: malformed
/// directives are 400, a list of lists is 422 (with the generic message of
/// `NewGenericServerResponse`), and the rest reach the client as a 500 without a reason,
/// which kubectl prints as `Error from server: <message>`.
fn smp_error(e: SmpError) -> ApiError {
    match e.http_status() {
        400 => ApiError::bad_request(e.to_string()),
        422 => ApiError {
            code: 422,
            reason: "Invalid".into(),
            message: "the server rejected our request due to an error in our request".into(),
            details: Some(Default::default()),
            retry_after: None,
        },
        _ => ApiError {
            code: 500,
            reason: String::new(),
            message: e.to_string(),
            details: None,
            retry_after: None,
        },
    }
}

/// Go's name for the JSON type a non-object patch has, for the decoding message.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::Object(_) => "object",
    }
}

impl Ctx {
    /// PATCH of an object or its status.
    #[allow(clippy::too_many_arguments)]
    pub async fn patch(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        kind: WriteKind,
        q: &Query,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Reply {
        let ptype = PatchType::from_headers(headers)?;
        check_supported(ptype, strategy.info())?;
        if ptype == PatchType::Apply {
            return self
                .apply_patch(strategy, ns, name, kind, q, headers, body)
                .await;
        }
        let validation =
            FieldValidation::parse(q.field_validation.as_deref()).map_err(ApiError::bad_request)?;
        q.check_dry_run().map_err(ApiError::bad_request)?;
        check_patch_options(q)?;
        let patch: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
        let warnings = std::sync::Mutex::new(Vec::new());
        let tracking = Tracking::Update(owner_of(kind, q, headers));
        let (v, status) = self
            .guaranteed_update_as(
                strategy,
                ns,
                name,
                kind,
                q.is_dry_run(),
                &tracking,
                |current| {
                    let mut patched = apply(ptype, current, &patch)?;
                    // A resourceVersion the patch left as it was is no precondition: the loop
                    // re-applies the patch to the newest object instead of failing.
                    if meta_str(&patched, "resourceVersion") == meta_str(current, "resourceVersion")
                    {
                        meta_mut(&mut patched).remove("resourceVersion");
                    }
                    let Decoded { obj, warnings: w } =
                        decode_value(strategy, patched, Vec::new(), validation)?;
                    if let Ok(mut all) = warnings.lock() {
                        *all = w;
                    }
                    Ok(obj)
                },
            )
            .await?;
        let mut r = reply::json(status, &v);
        let w = warnings.into_inner().unwrap_or_default();
        reply::add_warnings(&mut r, &w);
        Ok(r)
    }
}
