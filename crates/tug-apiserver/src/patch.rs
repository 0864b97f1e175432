//! PATCH: JSON patch (RFC 6902) and JSON merge patch (RFC 7386) applied to the current
//! object inside the update loop, so a patch never loses a concurrent write.

use axum::http::{HeaderMap, header};
use serde_json::Value;
use tug_api::status::ApiError;

use crate::decode::FieldValidation;
use crate::object::{meta_mut, meta_str};
use crate::query::Query;
use crate::registry::{Strategy, WriteKind};
use crate::reply;
use crate::rest::{Ctx, Decoded, Reply, decode_value};

/// The patch types tug applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Json,
    Merge,
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
            other => Err(ApiError::unsupported_media_type(
                other,
                &crate::openapi::PATCH_CONTENT_TYPES.join(", "),
            )),
        }
    }
}

/// Applies `patch` to `doc`.
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
    }
    Ok(out)
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
        let validation =
            FieldValidation::parse(q.field_validation.as_deref()).map_err(ApiError::bad_request)?;
        q.check_dry_run().map_err(ApiError::bad_request)?;
        let patch: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
        let warnings = std::sync::Mutex::new(Vec::new());
        let (v, status) = self
            .guaranteed_update(strategy, ns, name, kind, q.is_dry_run(), |current| {
                let mut patched = apply(ptype, current, &patch)?;
                // A resourceVersion the patch left as it was is no precondition: the loop
                // re-applies the patch to the newest object instead of failing.
                if meta_str(&patched, "resourceVersion") == meta_str(current, "resourceVersion") {
                    meta_mut(&mut patched).remove("resourceVersion");
                }
                let Decoded { obj, warnings: w } =
                    decode_value(strategy, patched, Vec::new(), validation)?;
                if let Ok(mut all) = warnings.lock() {
                    *all = w;
                }
                Ok(obj)
            })
            .await?;
        let mut r = reply::json(status, &v);
        let w = warnings.into_inner().unwrap_or_default();
        reply::add_warnings(&mut r, &w);
        Ok(r)
    }
}
