//! The generic REST layer: one implementation of get, list, create, update, patch and delete
//! for every kind, parameterised by the kind's [`Strategy`].

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, header};
use serde_json::{Value, json};
use tug_api::field::FieldError;
use tug_api::resources::ResourceInfo;
use tug_api::status::{ApiError, Qualified};
use tug_store::{Backend, Compare, ListRequest, Op, StoreError, Txn};

use crate::decode::{self, FieldValidation};
use crate::filter::Filter;
use crate::managed_fields::{self, FieldOwner, Tracking};
use crate::object::{self, meta_mut, meta_str};
use crate::query::Query;
use crate::registry::{Admission, Strategy, WriteKind};
use crate::reply::{self, Wants};
use crate::services::{self, ServiceNetwork};
use crate::table;

/// What every handler needs.
pub struct Ctx {
    pub store: Arc<dyn Backend>,
    pub registry: crate::registry::Registry,
    pub services: ServiceNetwork,
}

/// The result of a handler: a response or a Status error.
pub type Reply = Result<Response<Body>, ApiError>;

/// How many times an unconditional update is retried after losing a race.
const MAX_RETRIES: usize = 16;

pub(crate) fn qualified(info: &ResourceInfo) -> Qualified {
    Qualified::new(info.group, info.plural)
}

/// Maps a store failure to the Status a client sees.
pub(crate) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Compacted {
            requested,
            compacted,
        } => ApiError::gone(format!(
            "too old resource version: {requested} ({compacted})"
        )),
        StoreError::FutureRevision { requested, .. } => ApiError::timeout(format!(
            "Too large resource version: {requested}, current: unknown"
        )),
        other => ApiError::internal(other),
    }
}

fn decode_error(info: &ResourceInfo, msg: &str) -> ApiError {
    ApiError::bad_request(format!(
        "{} in version {:?} cannot be handled as a {}: {}",
        info.kind, info.version, info.kind, msg
    ))
}

fn invalid(info: &ResourceInfo, name: &str, errs: &[FieldError]) -> ApiError {
    ApiError::invalid(info.group, info.kind, name, errs)
}

fn admission_error(info: &ResourceInfo, name: &str, a: Admission) -> ApiError {
    match a {
        Admission::Decode(d) => decode_error(info, &d.0),
        Admission::Invalid(errs) => invalid(info, name, &errs),
    }
}

/// A decoded request body: the typed round trip of what was sent, plus warnings.
pub(crate) struct Decoded {
    pub obj: Value,
    pub warnings: Vec<String>,
}

/// Decodes a JSON body for `strategy`, enforcing `fieldValidation`, `apiVersion` and `kind`.
/// `expect` names the group/version/kind the body must carry (the resource's, or the
/// subresource's).
pub(crate) fn decode_body(
    strategy: &dyn Strategy,
    headers: &HeaderMap,
    body: &[u8],
    validation: FieldValidation,
) -> Result<Decoded, ApiError> {
    let info = strategy.info();
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let mime = ct.split(';').next().unwrap_or("").trim();
    let (input, dups) = if mime.eq_ignore_ascii_case(crate::protobuf::MEDIA_TYPE) {
        // Protobuf becomes the JSON a JSON client would have sent; strict checks follow.
        let v = crate::protobuf::decode_for(body, &info.api_version(), info.kind).map_err(|e| {
            if e.is_unsupported_kind() {
                ApiError::unsupported_media_type(ct, crate::protobuf::NON_PROTOBUF_MEDIA_TYPES)
            } else {
                decode_error(info, &e.to_string())
            }
        })?;
        (v, Vec::new())
    } else if mime != "application/json" && !mime.is_empty() {
        return Err(ApiError::unsupported_media_type(
            ct,
            "application/json, application/yaml, application/vnd.kubernetes.protobuf",
        ));
    } else {
        decode::parse_json(body).map_err(|e| decode_error(info, &e.to_string()))?
    };
    decode_value(strategy, input, dups, validation)
}

/// The second half of [`decode_body`], for bodies that are already values (patch results).
pub(crate) fn decode_value(
    strategy: &dyn Strategy,
    mut input: Value,
    dups: Vec<String>,
    validation: FieldValidation,
) -> Result<Decoded, ApiError> {
    let info = strategy.info();
    let Some(obj) = input.as_object_mut() else {
        return Err(decode_error(info, "the body must be a JSON object"));
    };
    let want_av = info.api_version();
    match obj.get("apiVersion").and_then(Value::as_str) {
        None | Some("") => {
            obj.insert("apiVersion".into(), Value::String(want_av.clone()));
        }
        Some(av) if av == want_av => {}
        Some(av) => {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({av}) does not match the expected API version ({want_av})"
            )));
        }
    }
    match obj.get("kind").and_then(Value::as_str) {
        None | Some("") => {
            obj.insert("kind".into(), Value::String(info.kind.to_string()));
        }
        Some(k) if k == info.kind => {}
        Some(k) => {
            return Err(ApiError::bad_request(format!(
                "the kind in the data ({k}) does not match the expected kind ({})",
                info.kind
            )));
        }
    }
    let normalized = strategy
        .normalize(&input)
        .map_err(|e| decode_error(info, &e.0))?;
    let unknown = decode::unknown_fields(&input, &normalized);
    let problems = decode::field_problems(&unknown, &dups);
    let warnings = match validation {
        FieldValidation::Strict if !problems.is_empty() => {
            return Err(decode_error(
                info,
                &format!("strict decoding error: {}", problems.join(", ")),
            ));
        }
        FieldValidation::Warn => problems,
        _ => Vec::new(),
    };
    Ok(Decoded {
        obj: normalized,
        warnings,
    })
}

impl Ctx {
    /// Whether a namespace exists and, when `creating` names the new object's resource and
    /// name, is not terminating (upstream's NamespaceLifecycle admission).
    async fn check_namespace(
        &self,
        ns: &str,
        creating: Option<(&ResourceInfo, &str)>,
    ) -> Result<(), ApiError> {
        let Some(nsinfo) = tug_api::resources::find("", "v1", "namespaces") else {
            return Ok(());
        };
        let (kv, _) = self
            .store
            .get(&nsinfo.key("", ns), 0)
            .await
            .map_err(store_error)?;
        match kv {
            None => Err(ApiError::not_found(&qualified(nsinfo), ns)),
            Some(kv) if creating.is_some() => {
                let v = object::from_kv(&kv).map_err(ApiError::internal)?;
                if v.pointer("/status/phase").and_then(Value::as_str) == Some("Terminating")
                    || !meta_str(&v, "deletionTimestamp").is_empty()
                {
                    let (info, name) = creating.unwrap_or((nsinfo, ns));
                    let mut e = ApiError::forbidden(
                        &qualified(info),
                        name,
                        format!(
                            "unable to create new content in namespace {ns} because it is being terminated"
                        ),
                    );
                    e.reason = "Forbidden".into();
                    Err(e)
                } else {
                    Ok(())
                }
            }
            Some(_) => Ok(()),
        }
    }

    /// Reads one object in the strategy's version; 404 when absent.
    pub async fn read(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
    ) -> Result<(Value, tug_store::Revision), ApiError> {
        let info = strategy.info();
        let (kv, _) = self
            .store
            .get(&info.key(ns, name), 0)
            .await
            .map_err(store_error)?;
        let kv = kv.ok_or_else(|| ApiError::not_found(&qualified(info), name))?;
        let v = decode_stored(strategy, &kv)?;
        Ok((v, kv.mod_revision))
    }

    /// GET of one object, as JSON or a one-row Table.
    pub async fn get(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        q: &Query,
        headers: &HeaderMap,
    ) -> Reply {
        let (v, rev) = self.read(strategy, ns, name).await?;
        match reply::wants(headers) {
            Wants::Table => {
                let t = table::table(strategy, &[v], &rev.to_string(), "", q);
                Ok(reply::json(StatusCode::OK, &t))
            }
            Wants::Json => Ok(reply::json(StatusCode::OK, &v)),
        }
    }

    /// POST to a collection.
    pub async fn create(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        q: &Query,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Reply {
        let validation =
            FieldValidation::parse(q.field_validation.as_deref()).map_err(ApiError::bad_request)?;
        q.check_dry_run().map_err(ApiError::bad_request)?;
        managed_fields::validate_field_manager(q.field_manager.as_deref(), "CreateOptions", false)?;
        let Decoded { mut obj, warnings } = decode_body(strategy, headers, body, validation)?;
        let owner = FieldOwner::new(
            managed_fields::manager_of(q.field_manager.as_deref(), headers),
            "",
        );
        let (created, status) = self
            .create_value_as(
                strategy,
                ns,
                &mut obj,
                WriteKind::Create,
                q.is_dry_run(),
                &Tracking::Update(owner),
            )
            .await?;
        let mut r = reply::json(status, &created);
        reply::add_warnings(&mut r, &warnings);
        Ok(r)
    }

    /// Creates a decoded object: system metadata, admission (`WriteKind::Create`; the server's
    /// own writes may pass `WriteKind::System` to skip it, as upstream's reconcilers write
    /// storage directly), namespace check, allocation and the store write. Returns the stored
    /// object (with its resourceVersion).
    ///
    /// The server's own creates are recorded in managedFields as `kube-apiserver`'s (as
    /// upstream's built-in objects are); `WriteKind::System` creates are not recorded.
    pub async fn create_value(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        obj: &mut Value,
        kind: WriteKind,
        dry_run: bool,
    ) -> Result<(Value, StatusCode), ApiError> {
        let tracking = if kind == WriteKind::System {
            Tracking::System
        } else {
            Tracking::Update(FieldOwner::new("kube-apiserver", ""))
        };
        self.create_value_as(strategy, ns, obj, kind, dry_run, &tracking)
            .await
    }

    /// [`Ctx::create_value`] with the managedFields `tracking` of the write.
    pub async fn create_value_as(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        obj: &mut Value,
        kind: WriteKind,
        dry_run: bool,
        tracking: &Tracking,
    ) -> Result<(Value, StatusCode), ApiError> {
        let info = strategy.info();
        {
            let m = meta_mut(obj);
            if info.namespaced {
                match m.get("namespace").and_then(Value::as_str) {
                    None | Some("") => {
                        m.insert("namespace".into(), Value::String(ns.to_string()));
                    }
                    Some(body_ns) if body_ns == ns => {}
                    Some(_) => {
                        return Err(ApiError::bad_request(
                            "the namespace of the provided object does not match the namespace sent on the request",
                        ));
                    }
                }
            } else {
                m.remove("namespace");
            }
            if m.get("resourceVersion")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
            {
                return Err(ApiError::bad_request(
                    "resourceVersion should not be set on objects to be created",
                ));
            }
            let name_empty = m
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .is_empty();
            if name_empty
                && let Some(g) = m.get("generateName").and_then(Value::as_str)
                && !g.is_empty()
            {
                let name = format!("{g}{}", object::random_suffix(5));
                m.insert("name".into(), Value::String(name));
            }
            m.insert(
                "uid".into(),
                Value::String(uuid::Uuid::new_v4().to_string()),
            );
            m.insert(
                "creationTimestamp".into(),
                Value::String(object::now_rfc3339()),
            );
            for f in [
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "selfLink",
            ] {
                m.remove(f);
            }
            if strategy.tracks_generation() {
                m.insert("generation".into(), Value::from(1));
            } else {
                m.remove("generation");
            }
        }
        let name = meta_str(obj, "name").to_string();
        let mut admitted = strategy
            .admit(kind, obj, None)
            .map_err(|a| admission_error(info, &name, a))?;
        if kind == WriteKind::Create {
            crate::priority::validate_write(self, info, &admitted, false).await?;
        }
        // Before allocation: upstream records ownership before the REST storage assigns
        // cluster IPs and node ports.
        managed_fields::record_create(strategy, &mut admitted, tracking);
        if info.namespaced {
            self.check_namespace(ns, Some((info, &name))).await?;
        }
        let key = info.key(ns, &name);
        let is_service = info.group.is_empty() && info.kind == "Service";
        let request = admitted.clone();
        for _ in 0..MAX_RETRIES {
            let mut candidate = request.clone();
            let alloc = if is_service {
                services::allocate_for_create(&self.services, &mut candidate, ns, &name)
                    .map_err(|errs| invalid(info, &name, &errs))?
            } else {
                services::Allocation::default()
            };
            if dry_run {
                return Ok((candidate, StatusCode::CREATED));
            }
            let mut compares = vec![Compare::ModRevision(key.clone(), 0)];
            compares.extend(alloc.compares);
            let mut ops = vec![Op::Put {
                key: key.clone(),
                value: object::stored_bytes(&strategy.to_storage(candidate.clone())),
            }];
            ops.extend(alloc.ops);
            match self.store.txn(Txn { compares, ops }).await {
                Ok(r) => {
                    object::set_resource_version(&mut candidate, r.revision);
                    admitted = candidate;
                    return Ok((admitted, StatusCode::CREATED));
                }
                Err(StoreError::PreconditionFailed { index: 0, .. }) => {
                    return Err(ApiError::already_exists(&qualified(info), &name));
                }
                Err(StoreError::PreconditionFailed { key: k, .. }) => {
                    if services::was_requested(&k, &request) {
                        return Err(invalid(
                            info,
                            &name,
                            &[services::taken_error(&k, &candidate)],
                        ));
                    }
                    continue;
                }
                Err(e) => return Err(store_error(e)),
            }
        }
        let _ = admitted;
        Err(ApiError::internal(
            "could not allocate a free address after many tries",
        ))
    }

    /// PUT of an object or its status.
    #[allow(clippy::too_many_arguments)]
    pub async fn update(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        kind: WriteKind,
        q: &Query,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Reply {
        let validation =
            FieldValidation::parse(q.field_validation.as_deref()).map_err(ApiError::bad_request)?;
        q.check_dry_run().map_err(ApiError::bad_request)?;
        managed_fields::validate_field_manager(q.field_manager.as_deref(), "UpdateOptions", false)?;
        let Decoded { obj, warnings } = decode_body(strategy, headers, body, validation)?;
        let obj = std::sync::Arc::new(obj);
        let tracking = Tracking::Update(owner_of(kind, q, headers));
        let (v, status) = self
            .guaranteed_update_as(
                strategy,
                ns,
                name,
                kind,
                q.is_dry_run(),
                &tracking,
                |_current| Ok((*obj).clone()),
            )
            .await?;
        let mut r = reply::json(status, &v);
        reply::add_warnings(&mut r, &warnings);
        Ok(r)
    }

    /// The update loop shared by PUT and PATCH: read the current object, let `make` build
    /// the new one from it, admit, and write if the object still has the revision read.
    /// A resourceVersion in the new object is a precondition (409 on mismatch); without
    /// one the loop retries after losing a race. A write that changes nothing is not
    /// stored and keeps the old resourceVersion.
    ///
    /// The write is recorded in managedFields as `kube-apiserver`'s, except `WriteKind::System`
    /// writes, which are not recorded (see [`Tracking::System`]).
    pub async fn guaranteed_update<F>(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        kind: WriteKind,
        dry_run: bool,
        make: F,
    ) -> Result<(Value, StatusCode), ApiError>
    where
        F: Fn(&Value) -> Result<Value, ApiError>,
    {
        let tracking = match kind {
            WriteKind::System => Tracking::System,
            WriteKind::StatusUpdate => {
                Tracking::Update(FieldOwner::new("kube-apiserver", "status"))
            }
            _ => Tracking::Update(FieldOwner::new("kube-apiserver", "")),
        };
        self.guaranteed_update_as(strategy, ns, name, kind, dry_run, &tracking, make)
            .await
    }

    /// [`Ctx::guaranteed_update`] with the managedFields `tracking` of the write: an
    /// `Update` entry computed from the change (no entry changes when nothing does, so a
    /// no-op write stays a no-op), or managedFields `make` computed itself (apply).
    #[allow(clippy::too_many_arguments)]
    pub async fn guaranteed_update_as<F>(
        &self,
        strategy: &dyn Strategy,
        ns: &str,
        name: &str,
        kind: WriteKind,
        dry_run: bool,
        tracking: &Tracking,
        make: F,
    ) -> Result<(Value, StatusCode), ApiError>
    where
        F: Fn(&Value) -> Result<Value, ApiError>,
    {
        let info = strategy.info();
        let key = info.key(ns, name);
        for _ in 0..MAX_RETRIES {
            let (current, rev) = self.read(strategy, ns, name).await?;
            let mut new = make(&current)?;
            let body_name = meta_str(&new, "name").to_string();
            if !body_name.is_empty() && body_name != name {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({body_name}) does not match the name on the URL ({name})"
                )));
            }
            let body_ns = meta_str(&new, "namespace").to_string();
            if info.namespaced && !body_ns.is_empty() && body_ns != ns {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            let requested_rv = meta_str(&new, "resourceVersion").to_string();
            let conditional = !requested_rv.is_empty();
            if conditional && requested_rv != rev.to_string() {
                return Err(ApiError::conflict(
                    &qualified(info),
                    name,
                    ApiError::CONFLICT_MODIFIED,
                ));
            }
            let body_uid = meta_str(&new, "uid").to_string();
            let cur_uid = meta_str(&current, "uid").to_string();
            if !body_uid.is_empty() && body_uid != cur_uid {
                return Err(ApiError::conflict(
                    &qualified(info),
                    name,
                    &format!(
                        "Precondition failed: UID in precondition: {body_uid}, UID in object meta: {cur_uid}"
                    ),
                ));
            }
            {
                let cm = current.get("metadata").cloned().unwrap_or(Value::Null);
                let m = meta_mut(&mut new);
                m.insert("name".into(), Value::String(name.to_string()));
                if info.namespaced {
                    m.insert("namespace".into(), Value::String(ns.to_string()));
                } else {
                    m.remove("namespace");
                }
                for f in [
                    "uid",
                    "creationTimestamp",
                    "deletionTimestamp",
                    "deletionGracePeriodSeconds",
                    "generation",
                ] {
                    match cm.get(f) {
                        Some(v) => {
                            m.insert(f.into(), v.clone());
                        }
                        None => {
                            m.remove(f);
                        }
                    }
                }
                m.insert("resourceVersion".into(), Value::String(rev.to_string()));
                if kind == WriteKind::StatusUpdate {
                    // Status writers cannot change metadata other than what upstream allows.
                    for f in ["labels", "annotations", "ownerReferences", "finalizers"] {
                        match cm.get(f) {
                            Some(v) => {
                                m.insert(f.into(), v.clone());
                            }
                            None => {
                                m.remove(f);
                            }
                        }
                    }
                }
            }
            let mut admitted = strategy
                .admit(kind, &new, Some(&current))
                .map_err(|a| admission_error(info, name, a))?;
            if kind == WriteKind::Update {
                crate::priority::validate_write(self, info, &admitted, true).await?;
            }
            managed_fields::record_update(strategy, &current, &mut admitted, tracking);
            let annotations_changed = strategy.annotations_bump_generation()
                && admitted.pointer("/metadata/annotations")
                    != current.pointer("/metadata/annotations");
            if strategy.tracks_generation()
                && (object::spec_changed(&admitted, &current) || annotations_changed)
            {
                let g = current
                    .pointer("/metadata/generation")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                meta_mut(&mut admitted).insert("generation".into(), Value::from(g + 1));
            }
            let is_service = info.group.is_empty() && info.kind == "Service";
            let alloc = if is_service {
                services::allocate_for_update(&self.services, &mut admitted, &current, ns, name)
                    .map_err(|errs| invalid(info, name, &errs))?
            } else {
                services::Allocation::default()
            };
            object::set_resource_version(&mut admitted, rev);
            if let Some(err) = crate::delete::new_finalizers_while_deleting(&admitted, &current) {
                return Err(invalid(info, name, &[err]));
            }
            // Upstream's `IgnoreManagedFieldsTimestampsTransformer`: a write that would only
            // move managedFields times (an unchanged apply) keeps the stored ones.
            if tug_api::ssa::timestamps_only_changed(&current, &admitted)
                && let Some(mf) = current.pointer("/metadata/managedFields")
            {
                meta_mut(&mut admitted).insert("managedFields".into(), mf.clone());
            }
            if object::same_content(&admitted, &current) {
                return Ok((current, StatusCode::OK));
            }
            if dry_run {
                return Ok((admitted, StatusCode::OK));
            }
            let mut compares = vec![Compare::ModRevision(key.clone(), rev)];
            compares.extend(alloc.compares);
            // An object being deleted whose last finalizer this update removes is deleted
            // by it, as upstream's store does.
            let finish_deletion = crate::delete::deletion_complete(strategy, &admitted);
            let mut ops = if finish_deletion {
                let mut ops = vec![Op::Delete { key: key.clone() }];
                if is_service {
                    ops.extend(services::release(&current));
                }
                ops
            } else {
                vec![Op::Put {
                    key: key.clone(),
                    value: object::stored_bytes(&strategy.to_storage(admitted.clone())),
                }]
            };
            ops.extend(alloc.ops);
            match self.store.txn(Txn { compares, ops }).await {
                Ok(r) => {
                    object::set_resource_version(&mut admitted, r.revision);
                    return Ok((admitted, StatusCode::OK));
                }
                Err(StoreError::PreconditionFailed { index: 0, .. }) => {
                    if conditional {
                        return Err(ApiError::conflict(
                            &qualified(info),
                            name,
                            ApiError::CONFLICT_MODIFIED,
                        ));
                    }
                    continue;
                }
                Err(StoreError::PreconditionFailed { key: k, .. }) => {
                    if services::was_requested(&k, &new) {
                        return Err(invalid(info, name, &[services::taken_error(&k, &admitted)]));
                    }
                    continue;
                }
                Err(e) => return Err(store_error(e)),
            }
        }
        Err(ApiError::conflict(
            &qualified(info),
            name,
            ApiError::CONFLICT_MODIFIED,
        ))
    }

    /// DELETE of a collection: deletes every object the selectors match, answers the list of
    /// deleted objects as upstream does.
    pub async fn delete_collection(
        &self,
        strategy: &dyn Strategy,
        ns: Option<&str>,
        q: &Query,
    ) -> Reply {
        let info = strategy.info();
        q.check_dry_run().map_err(ApiError::bad_request)?;
        let filter = Filter::new(
            strategy,
            q.label_selector.as_deref(),
            q.field_selector.as_deref(),
        )?;
        let prefix = collection_prefix(info, ns);
        let page = self
            .store
            .list(ListRequest {
                prefix,
                ..Default::default()
            })
            .await
            .map_err(store_error)?;
        let mut items = Vec::new();
        for kv in &page.items {
            let v = decode_stored(strategy, kv)?;
            if !filter.matches(strategy, &v) {
                continue;
            }
            let obj_ns = meta_str(&v, "namespace").to_string();
            let obj_name = meta_str(&v, "name").to_string();
            let opts = crate::delete::DeleteOptions {
                dry_run: q.is_dry_run(),
                grace_period: q.grace_period_seconds,
                propagation: crate::delete::Propagation::parse(q.propagation_policy.as_deref())?,
                ..Default::default()
            };
            match self.delete_value(strategy, &obj_ns, &obj_name, &opts).await {
                Ok(d) => items.push(d.into_object()),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
        let list = json!({
            "kind": info.list_kind,
            "apiVersion": info.api_version(),
            "metadata": {"resourceVersion": page.revision.to_string()},
            "items": items,
        });
        Ok(reply::json(StatusCode::OK, &list))
    }
}

/// The owner a client's write of `kind` is recorded for: its `fieldManager` (or
/// User-Agent), on the `status` subresource for status writes.
pub(crate) fn owner_of(kind: WriteKind, q: &Query, headers: &HeaderMap) -> FieldOwner {
    let subresource = if kind == WriteKind::StatusUpdate {
        "status"
    } else {
        ""
    };
    FieldOwner::new(
        managed_fields::manager_of(q.field_manager.as_deref(), headers),
        subresource,
    )
}

/// Decodes a stored value into the strategy's version, with its resourceVersion.
pub(crate) fn decode_stored(
    strategy: &dyn Strategy,
    kv: &tug_store::KeyValue,
) -> Result<Value, ApiError> {
    let v = object::from_kv(kv).map_err(ApiError::internal)?;
    Ok(strategy.from_storage(v))
}

/// The store prefix of a collection: all objects of a resource, or those of one namespace.
pub(crate) fn collection_prefix(info: &ResourceInfo, ns: Option<&str>) -> String {
    match ns {
        Some(ns) if info.namespaced => format!("{}{}/", info.key_prefix(), ns),
        _ => info.key_prefix(),
    }
}
