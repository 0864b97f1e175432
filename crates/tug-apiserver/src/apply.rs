//! Server-side apply: `PATCH` with `application/apply-patch+yaml` (upstream's
//! `applyPatcher`). The body is a configuration (YAML, or JSON, which is YAML); it is merged
//! into the live object by [`tug_api::ssa::apply`], which also computes the managedFields,
//! and the result goes through the same admission and update loop as every write. A
//! missing object is created (`201`) — kubectl does not GET first. Conflicts with other
//! managers are `409` with one `FieldManagerConflict` cause per field, unless `force=true`.
//!
//! # Differences from upstream
//!
//! * A configuration that does not fit the schema (unknown field, wrong type, list item
//!   without its key) is `400` with upstream's `failed to create typed patch object (…)`
//!   message; kube-apiserver 1.33 answers the same text with `500` (a fix to `400` is
//!   pending upstream).
//! * Unknown fields follow `fieldValidation` as in every other body: `Strict` refuses them,
//!   `Warn` drops them with a warning, `Ignore` drops them. Upstream refuses them whatever
//!   `fieldValidation` says.
//! * Apply to `/scale` is refused (`415`); apply to `/status` works (it cannot create).

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value, json};
use tug_api::ssa::{self, ApplyError, ManagedFields, Writer};
use tug_api::status::{ApiError, Cause, Details};

use crate::decode::{self, FieldValidation};
use crate::managed_fields::{self, Tracking};
use crate::object::{meta_mut, meta_str, now_rfc3339};
use crate::query::Query;
use crate::registry::{Strategy, WriteKind};
use crate::reply;
use crate::rest::{Ctx, Reply, qualified};

/// The content type of an apply patch.
pub const APPLY_PATCH: &str = "application/apply-patch+yaml";

/// How many times an apply that races with a create or delete is retried.
const MAX_RETRIES: usize = 16;

/// Parses an apply body: JSON (duplicate keys found with their paths), else YAML 1.1 as
/// upstream's `sigs.k8s.io/yaml` reads it (`0755` is octal). Returns the value and the
/// duplicate-key problems.
fn parse_config(body: &[u8]) -> Result<(Value, Vec<String>), ApiError> {
    if let Ok((v, dups)) = decode::parse_json(body) {
        let problems = dups
            .iter()
            .map(|p| format!("duplicate field {p:?}"))
            .collect();
        return Ok((v, problems));
    }
    let yaml = |policy| {
        let mut o = serde_saphyr::Options::default();
        o.legacy_octal_numbers = true;
        o.duplicate_keys = policy;
        serde_saphyr::from_slice_with_options::<Value>(body, o)
    };
    match yaml(serde_saphyr::DuplicateKeyPolicy::Error) {
        Ok(v) => Ok((v, Vec::new())),
        Err(strict) => match yaml(serde_saphyr::DuplicateKeyPolicy::LastWins) {
            // Only the duplicate keys failed the strict read.
            Ok(v) => Ok((v, vec![strict.to_string()])),
            Err(e) => Err(ApiError::bad_request(format!("error decoding YAML: {e}"))),
        },
    }
}

/// Upstream's `GroupVersionKind.String()`: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`.
fn gvk_string(api_version: &str, kind: &str) -> String {
    let (g, v) = api_version.split_once('/').unwrap_or(("", api_version));
    format!("{g}/{v}, Kind={kind}")
}

/// The typed-conversion error of an applied configuration, as upstream words it
/// (`failed to create typed patch object (default/web; apps/v1, Kind=Deployment): …`),
/// answered `400` (upstream 1.33 answers `500`; a fix to `400` is pending upstream).
fn typed_patch_error(config: &Value, errors: &[String]) -> ApiError {
    let av = config
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = config.get("kind").and_then(Value::as_str).unwrap_or("");
    let detail = if errors.len() == 1 {
        errors[0].clone()
    } else {
        let mut lines = vec!["errors:".to_string()];
        lines.extend(errors.iter().map(|e| format!("  {e}")));
        lines.join("\n")
    };
    ApiError::bad_request(format!(
        "failed to create typed patch object ({}/{}; {}): {detail}",
        meta_str(config, "namespace"),
        meta_str(config, "name"),
        gvk_string(av, kind)
    ))
}

/// Removes from `config` the fields its typed round trip `known` lacks (unknown fields), and
/// returns their paths as upstream prints them (`.spec.bogus`; list elements by `name` when
/// they have one, else by index). `null`s are kept: in an
/// applied configuration they claim a field and clear it.
fn drop_unknown(config: &mut Value, known: &Value, path: &str, out: &mut Vec<String>) {
    match (config, known) {
        (Value::Object(c), Value::Object(k)) => {
            let keys: Vec<String> = c.keys().cloned().collect();
            for key in keys {
                let p = format!("{path}.{key}");
                match k.get(&key) {
                    Some(kv) => {
                        if let Some(cv) = c.get_mut(&key) {
                            drop_unknown(cv, kv, &p, out);
                        }
                    }
                    None if c.get(&key).is_some_and(Value::is_null) => {}
                    None => {
                        c.remove(&key);
                        out.push(p);
                    }
                }
            }
        }
        (Value::Array(c), Value::Array(k)) => {
            for (i, (cv, kv)) in c.iter_mut().zip(k).enumerate() {
                let p = match cv.get("name").and_then(Value::as_str) {
                    Some(n) => format!("{path}[name={n:?}]"),
                    None => format!("{path}[{i}]"),
                };
                drop_unknown(cv, kv, &p, out);
            }
        }
        _ => {}
    }
}

/// The `409` of apply conflicts (upstream's `NewConflictError`): one
/// `FieldManagerConflict` cause per field, the summary as message.
pub fn conflict_error(c: &ssa::Conflicts) -> ApiError {
    ApiError {
        code: 409,
        reason: "Conflict".into(),
        message: c.message(),
        details: Some(Box::new(Details {
            causes: c
                .0
                .iter()
                .map(|x| Cause {
                    reason: "FieldManagerConflict".into(),
                    message: format!("conflict with {}", x.owner()),
                    field: x.field(),
                })
                .collect(),
            ..Default::default()
        })),
        retry_after: None,
    }
}

fn apply_error(config: &Value, e: ApplyError) -> ApiError {
    match e {
        ApplyError::Conflicts(c) => conflict_error(&c),
        ApplyError::Invalid(msg) => typed_patch_error(config, &[msg]),
        ApplyError::Internal(msg) => ApiError::internal(msg),
    }
}

/// A checked configuration and what the request asked for.
struct Request<'a> {
    config: Value,
    schema: &'static str,
    writer: Writer<'a>,
    force: bool,
    reset: tug_api::ssa::FieldSet,
}

impl Request<'_> {
    /// Applies the configuration to `live` (with its managedFields); the result carries the
    /// new managedFields.
    fn apply_to(&self, live: &Value) -> Result<Value, ApiError> {
        let managed = ManagedFields::decode(live.pointer("/metadata/managedFields"))
            .map_err(|e| ApiError::internal(format!("failed to decode managed fields: {e}")))?;
        let mut live = live.clone();
        if let Some(m) = live.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("managedFields");
        }
        let applied = ssa::apply(
            &managed,
            &live,
            &self.config,
            self.schema,
            &self.writer,
            self.force,
            &self.reset,
            &now_rfc3339(),
        )
        .map_err(|e| apply_error(&self.config, e))?;
        let mut obj = applied.object;
        match applied.managed.encode() {
            Some(m) => {
                meta_mut(&mut obj).insert("managedFields".into(), m);
            }
            None => {
                meta_mut(&mut obj).remove("managedFields");
            }
        }
        // The live resourceVersion is no precondition; one in the configuration is.
        let wanted = meta_str(&self.config, "resourceVersion").to_string();
        if wanted.is_empty() {
            meta_mut(&mut obj).remove("resourceVersion");
        } else {
            meta_mut(&mut obj).insert("resourceVersion".into(), Value::String(wanted));
        }
        Ok(obj)
    }
}

impl Ctx {
    /// `PATCH` with `application/apply-patch+yaml` of an object (`WriteKind::Update`) or of
    /// its status (`WriteKind::StatusUpdate`, which cannot create).
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_patch(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        kind: WriteKind,
        q: &Query,
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Reply {
        let info = strategy.info();
        let schema = managed_fields::schema_of(info).ok_or_else(|| {
            ApiError::unsupported_media_type(APPLY_PATCH, "application/merge-patch+json")
        })?;
        let validation =
            FieldValidation::parse(q.field_validation.as_deref()).map_err(ApiError::bad_request)?;
        q.check_dry_run().map_err(ApiError::bad_request)?;
        managed_fields::validate_field_manager(q.field_manager.as_deref(), "PatchOptions", true)?;
        let manager = q.field_manager.clone().unwrap_or_default();
        let subresource = if kind == WriteKind::StatusUpdate {
            "status"
        } else {
            ""
        };
        let api_version = info.api_version();
        let (mut config, dups) = parse_config(body)?;
        let mut warnings = Vec::new();
        if !dups.is_empty() {
            match validation {
                FieldValidation::Strict => {
                    return Err(ApiError::bad_request(format!(
                        "error strict decoding YAML: {}",
                        dups.join(", ")
                    )));
                }
                FieldValidation::Warn => warnings.extend(dups),
                FieldValidation::Ignore => {}
            }
        }
        if !config.is_object() {
            return Err(ApiError::bad_request(format!(
                "error decoding YAML: the apply configuration must be an object, not {config}"
            )));
        }
        let (c_av, c_kind) = (
            config
                .get("apiVersion")
                .and_then(Value::as_str)
                .unwrap_or(""),
            config.get("kind").and_then(Value::as_str).unwrap_or(""),
        );
        if c_av != api_version || c_kind != info.kind {
            return Err(ApiError::bad_request(format!(
                "invalid object type: {}",
                gvk_string(c_av, c_kind)
            )));
        }
        if config.pointer("/metadata/managedFields").is_some() {
            return Err(ApiError::bad_request("metadata.managedFields must be nil"));
        }
        // Unknown fields, and values of the wrong type, fail the typed conversion.
        let known = strategy
            .normalize(&config)
            .map_err(|e| typed_patch_error(&config, &[e.0]))?;
        let mut unknown = Vec::new();
        drop_unknown(&mut config, &known, "", &mut unknown);
        if !unknown.is_empty() {
            match validation {
                FieldValidation::Strict => {
                    let errs: Vec<String> = unknown
                        .iter()
                        .map(|p| format!("{p}: field not declared in schema"))
                        .collect();
                    return Err(typed_patch_error(&config, &errs));
                }
                FieldValidation::Warn => warnings.extend(
                    unknown
                        .iter()
                        .map(|p| format!("unknown field {:?}", p.trim_start_matches('.'))),
                ),
                FieldValidation::Ignore => {}
            }
        }
        ssa::validate_config(&config, schema).map_err(|e| typed_patch_error(&config, &[e]))?;
        let body_name = meta_str(&config, "name").to_string();
        if body_name.is_empty() {
            meta_mut(&mut config).insert("name".into(), Value::String(name.to_string()));
        } else if body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        let req = Request {
            config,
            schema,
            writer: Writer {
                manager: &manager,
                subresource,
                api_version: &api_version,
            },
            force: q.force,
            reset: managed_fields::reset_fields(info, subresource),
        };
        let dry_run = q.is_dry_run();
        for _ in 0..MAX_RETRIES {
            match self.read(strategy, ns, name).await {
                Err(e) if e.code == 404 && kind != WriteKind::StatusUpdate => {
                    let uid = meta_str(&req.config, "uid");
                    if !uid.is_empty() {
                        return Err(ApiError::conflict(
                            &qualified(info),
                            name,
                            &format!(
                                "uid mismatch: the provided object specified uid {uid}, and no existing object was found"
                            ),
                        ));
                    }
                    let mut obj = req.apply_to(&json!({"metadata": Map::new()}))?;
                    match self
                        .create_value_as(
                            strategy,
                            ns,
                            &mut obj,
                            WriteKind::Create,
                            dry_run,
                            &Tracking::Given,
                        )
                        .await
                    {
                        Ok((created, _)) => {
                            let mut r = reply::json(StatusCode::CREATED, &created);
                            reply::add_warnings(&mut r, &warnings);
                            return Ok(r);
                        }
                        // Created meanwhile: apply to it.
                        Err(e) if e.reason == "AlreadyExists" => continue,
                        Err(e) => return Err(e),
                    }
                }
                Err(e) => return Err(e),
                Ok(_) => {
                    let r = self
                        .guaranteed_update_as(
                            strategy,
                            ns,
                            name,
                            kind,
                            dry_run,
                            &Tracking::Given,
                            |current| req.apply_to(current),
                        )
                        .await;
                    match r {
                        // Deleted meanwhile: create it.
                        Err(e) if e.code == 404 && kind != WriteKind::StatusUpdate => continue,
                        Err(e) => return Err(e),
                        Ok((v, status)) => {
                            let mut r = reply::json(status, &v);
                            reply::add_warnings(&mut r, &warnings);
                            return Ok(r);
                        }
                    }
                }
            }
        }
        Err(ApiError::conflict(
            &qualified(info),
            name,
            ApiError::CONFLICT_MODIFIED,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_bodies_parse_as_upstream_reads_them() {
        let (v, d) = parse_config(b"a: 0755\nb: yes\nc: '1'\n").expect("yaml");
        assert_eq!(v, json!({"a": 493, "b": true, "c": "1"}));
        assert!(d.is_empty());
        let (v, d) = parse_config(br#"{"a":1,"a":2}"#).expect("json");
        assert_eq!(v, json!({"a": 2}));
        assert_eq!(d, vec![r#"duplicate field "a""#.to_string()]);
        let (v, d) = parse_config(b"a: 1\na: 2\n").expect("yaml dups");
        assert_eq!(v, json!({"a": 2}));
        assert_eq!(d.len(), 1);
        assert!(parse_config(b"a: [1\n").is_err());
    }

    #[test]
    fn unknown_fields_are_dropped_with_upstreams_paths() {
        let mut c = json!({"spec": {"bogus": 1, "replicas": null,
            "template": {"spec": {"containers": [{"name": "web", "x": 1}]}}}});
        let known = json!({"spec": {"template": {"spec": {"containers": [{"name": "web"}]}}}});
        let mut out = Vec::new();
        drop_unknown(&mut c, &known, "", &mut out);
        assert_eq!(
            out,
            vec![
                ".spec.bogus".to_string(),
                ".spec.template.spec.containers[name=\"web\"].x".to_string()
            ]
        );
        assert_eq!(c["spec"]["replicas"], Value::Null);
    }

    #[test]
    fn gvks_print_as_go_does() {
        assert_eq!(
            gvk_string("apps/v1", "Deployment"),
            "apps/v1, Kind=Deployment"
        );
        assert_eq!(gvk_string("v1", "Pod"), "/v1, Kind=Pod");
    }
}
