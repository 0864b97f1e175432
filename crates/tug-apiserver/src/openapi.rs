//! OpenAPI v3: `/openapi/v3` (the index) and one document per served group-version
//! (`/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`, …), shaped like upstream's.
//!
//! kubectl reads these documents for three things (see the wire contract, §4):
//! * whether the server validates fields: it looks for a PATCH operation whose
//!   `x-kubernetes-group-version-kind` is the object's GVK and whose own `parameters` list the
//!   query parameter `fieldValidation` (then it sends `fieldValidation=Strict`);
//! * whether to compute a strategic merge patch from the schemas: only when that PATCH
//!   operation's `requestBody.content` lists `application/strategic-merge-patch+json` (so the
//!   list in [`PATCH_CONTENT_TYPES`] must be exactly what the server applies);
//! * `kubectl explain`: the kind's schema is the one in `components.schemas` whose
//!   `x-kubernetes-group-version-kind` contains the GVK, and it walks the `$ref`s from there.
//!
//! The schemas are generated from the `k8s-openapi` types with schemars (OpenAPI 3.0 settings, so
//! `$ref`s point to `#/components/schemas/<upstream name>` and a `$ref` with siblings becomes an
//! `allOf` as upstream writes it), then enriched with what those types lack: the
//! `x-kubernetes-*` list and map facts of [`tug_api::schema_facts`] and the
//! `x-kubernetes-group-version-kind` of each kind. `List` schemas are built here because
//! `k8s-openapi` has one generic `List<T>` without a schema.
//!
//! Every document is built once, on first use, and cached with its hash (upper-case hex
//! SHA-512 of the bytes, as upstream): the index's `serverRelativeURL`s carry the hash, so a
//! client may cache a document for as long as the index names the same hash.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha512};
use tug_api::resources::{self, RESOURCES, ResourceInfo, SubresourceInfo};
use tug_api::schema_facts;

/// The PATCH content types the server applies, in the order the documents list them. kubectl
/// computes a strategic merge patch from the v3 schemas only if
/// `application/strategic-merge-patch+json` is listed, so list a type only once the PATCH
/// handler applies it.
pub const PATCH_CONTENT_TYPES: &[&str] = &[
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
];

/// `info.version` of every document: the Kubernetes API version whose types we serve.
const KUBERNETES_VERSION: &str = "v1.33.0";

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const STATUS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
const DELETE_OPTIONS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
const WATCH_EVENT: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";

/// The index of the documents: `{"paths":{"api/v1":{"serverRelativeURL":
/// "/openapi/v3/api/v1?hash=<HEX>"},…}}`, one entry per served group-version.
pub fn index() -> Value {
    let paths: Map<String, Value> = documents()
        .iter()
        .map(|(path, doc)| {
            let url = format!("/openapi/v3/{path}?hash={}", doc.hash);
            (path.clone(), json!({ "serverRelativeURL": url }))
        })
        .collect();
    json!({ "paths": paths })
}

/// The serialized document of one group-version, `path` being the index key (`api/v1`,
/// `apis/apps/v1`; surrounding slashes are ignored), or `None` for a group-version we do not
/// serve. The bytes are built once and shared.
pub fn document(path: &str) -> Option<Arc<Vec<u8>>> {
    documents()
        .get(path.trim_matches('/'))
        .map(|d| Arc::clone(&d.bytes))
}

/// The hash the index names for `path` (upper-case hex SHA-512 of [`document`]'s bytes), for
/// an `ETag` or to answer `Cache-Control: immutable` when the request's `hash` matches.
pub fn document_hash(path: &str) -> Option<&'static str> {
    documents()
        .get(path.trim_matches('/'))
        .map(|d| d.hash.as_str())
}

/// The index key of a group-version: `api/v1` for the core group, `apis/<group>/<version>`
/// otherwise.
pub fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

struct Doc {
    bytes: Arc<Vec<u8>>,
    hash: String,
}

fn documents() -> &'static BTreeMap<String, Doc> {
    static DOCS: OnceLock<BTreeMap<String, Doc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let mut docs = BTreeMap::new();
        for (group, versions) in resources::groups() {
            for version in versions {
                // Serializing a `Value` cannot fail: string keys, finite numbers.
                let bytes = serde_json::to_vec(&build(group, version)).unwrap_or_default();
                let hash = hex_upper(&Sha512::digest(&bytes));
                let doc = Doc {
                    bytes: Arc::new(bytes),
                    hash,
                };
                docs.insert(gv_path(group, version), doc);
            }
        }
        docs
    })
}

fn hex_upper(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })
}

// ---------------------------------------------------------------------------------------------
// Kinds → Rust types

type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn sub<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// The `k8s-openapi` type of a kind, as a function that adds its schema (and everything it
/// references) to a generator and returns the `$ref`. Covers the GA built-in kinds, so that
/// serving one more resource needs no change here; a served kind missing from this list fails
/// the tests.
fn kind_schema(group: &str, version: &str, kind: &str) -> Option<SchemaFn> {
    macro_rules! kinds {
        ($( ($g:literal, $v:literal, $($module:ident)::+) => [$($k:ident),* $(,)?] ),* $(,)?) => {
            match (group, version) {
                $( ($g, $v) => {
                    use k8s_openapi::$($module)::+ as m;
                    match kind {
                        $( stringify!($k) => Some(sub::<m::$k> as SchemaFn), )*
                        _ => None,
                    }
                } )*
                _ => None,
            }
        };
    }
    kinds! {
        ("", "v1", api::core::v1) => [
            Binding, ComponentStatus, ConfigMap, Endpoints, Event, LimitRange, Namespace, Node,
            PersistentVolume, PersistentVolumeClaim, Pod, PodTemplate, ReplicationController,
            ResourceQuota, Secret, Service, ServiceAccount,
        ],
        ("admissionregistration.k8s.io", "v1", api::admissionregistration::v1) => [
            MutatingWebhookConfiguration, ValidatingAdmissionPolicy,
            ValidatingAdmissionPolicyBinding, ValidatingWebhookConfiguration,
        ],
        ("apps", "v1", api::apps::v1) => [
            ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
        ],
        ("autoscaling", "v1", api::autoscaling::v1) => [HorizontalPodAutoscaler, Scale],
        ("autoscaling", "v2", api::autoscaling::v2) => [HorizontalPodAutoscaler],
        ("batch", "v1", api::batch::v1) => [CronJob, Job],
        ("certificates.k8s.io", "v1", api::certificates::v1) => [CertificateSigningRequest],
        ("coordination.k8s.io", "v1", api::coordination::v1) => [Lease],
        ("discovery.k8s.io", "v1", api::discovery::v1) => [EndpointSlice],
        ("events.k8s.io", "v1", api::events::v1) => [Event],
        ("networking.k8s.io", "v1", api::networking::v1) => [
            Ingress, IngressClass, NetworkPolicy,
        ],
        ("node.k8s.io", "v1", api::node::v1) => [RuntimeClass],
        ("policy", "v1", api::policy::v1) => [Eviction, PodDisruptionBudget],
        ("rbac.authorization.k8s.io", "v1", api::rbac::v1) => [
            ClusterRole, ClusterRoleBinding, Role, RoleBinding,
        ],
        ("scheduling.k8s.io", "v1", api::scheduling::v1) => [PriorityClass],
        ("storage.k8s.io", "v1", api::storage::v1) => [
            CSIDriver, CSINode, CSIStorageCapacity, StorageClass, VolumeAttachment,
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Building one document

/// A group, version and kind, serialized as upstream does: `{"group","kind","version"}`.
fn gvk(group: &str, version: &str, kind: &str) -> Value {
    json!({ "group": group, "kind": kind, "version": version })
}

fn schema_name(reference: &Value) -> Option<&str> {
    reference.get("$ref")?.as_str()?.strip_prefix(SCHEMA_PREFIX)
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("{SCHEMA_PREFIX}{name}") })
}

struct Builder {
    generator: SchemaGenerator,
    /// Schemas built here rather than generated (the `List` kinds).
    extra: Map<String, Value>,
    /// `x-kubernetes-group-version-kind` of each kind schema.
    gvks: BTreeMap<String, Vec<Value>>,
    paths: Map<String, Value>,
    tag: String,
}

impl Builder {
    /// Adds the schema of a kind and records its GVK; returns the `$ref` (`None` for a kind
    /// without a known type, which then gets operations without body schemas).
    fn kind(&mut self, group: &str, version: &str, kind: &str) -> Option<Value> {
        let reference = kind_schema(group, version, kind)?(&mut self.generator).to_value();
        let name = schema_name(&reference)?.to_string();
        self.record_gvk(&name, gvk(group, version, kind));
        Some(reference)
    }

    fn record_gvk(&mut self, name: &str, gvk: Value) {
        let list = self.gvks.entry(name.to_string()).or_default();
        if !list.contains(&gvk) {
            list.push(gvk);
        }
    }

    /// Builds the `<Kind>List` schema next to the kind's schema; returns its `$ref`.
    fn list_kind(&mut self, r: &ResourceInfo, item: &Value) -> Option<Value> {
        let item_name = schema_name(item)?;
        let name = match item_name.rsplit_once('.') {
            Some((package, _)) => format!("{package}.{}", r.list_kind),
            None => r.list_kind.to_string(),
        };
        let list_meta =
            sub::<k8s_openapi::apimachinery::pkg::apis::meta::v1::ListMeta>(&mut self.generator)
                .to_value();
        let schema = json!({
            "description": format!("{} is a list of {} objects.", r.list_kind, r.kind),
            "type": "object",
            "required": ["items"],
            "properties": {
                "apiVersion": {
                    "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                    "type": "string",
                },
                "items": {
                    "description": format!("List of {}.", r.plural),
                    "type": "array",
                    "items": item,
                },
                "kind": {
                    "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                    "type": "string",
                },
                "metadata": {
                    "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                    "allOf": [list_meta],
                },
            },
        });
        self.extra.insert(name.clone(), schema);
        self.record_gvk(&name, gvk(r.group, r.version, r.list_kind));
        Some(schema_ref(&name))
    }

    fn add_path(&mut self, path: String, path_params: Vec<Value>, ops: Vec<(&str, Value)>) {
        if ops.is_empty() {
            return;
        }
        let mut item = Map::new();
        for (method, op) in ops {
            item.insert(method.to_string(), op);
        }
        item.insert("parameters".into(), Value::Array(path_params));
        self.paths.insert(path, Value::Object(item));
    }
}

/// Builds the document of one group-version from the served resources.
fn build(group: &str, version: &str) -> Value {
    let mut b = Builder {
        generator: SchemaGenerator::new(SchemaSettings::openapi3()),
        extra: Map::new(),
        gvks: BTreeMap::new(),
        paths: Map::new(),
        tag: format!("{}_{version}", lower_first(&group_part(group))),
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
    let status = sub::<meta::Status>(&mut b.generator).to_value();
    let delete_options = sub::<meta::DeleteOptions>(&mut b.generator).to_value();
    let patch = sub::<meta::Patch>(&mut b.generator).to_value();
    sub::<meta::WatchEvent<k8s_openapi::api::core::v1::Pod>>(&mut b.generator);
    b.record_gvk(STATUS, gvk("", "v1", "Status"));
    for (g, versions) in resources::groups() {
        for v in versions {
            b.record_gvk(DELETE_OPTIONS, gvk(g, v, "DeleteOptions"));
            b.record_gvk(WATCH_EVENT, gvk(g, v, "WatchEvent"));
        }
    }
    let common = Common {
        status,
        delete_options,
        patch,
    };
    for r in RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
    {
        resource_paths(&mut b, r, &common);
    }

    let mut schemas = b.generator.take_definitions(true);
    schemas.append(&mut b.extra);
    for (name, schema) in schemas.iter_mut() {
        enrich(name, schema, b.gvks.get(name));
    }
    json!({
        "openapi": "3.0.0",
        "info": { "title": "Kubernetes", "version": KUBERNETES_VERSION },
        "paths": b.paths,
        "components": { "schemas": schemas },
    })
}

/// Adds what the generated schema lacks: the list/map facts on its properties, its own facts,
/// and the kinds it is the schema of.
fn enrich(name: &str, schema: &mut Value, gvks: Option<&Vec<Value>>) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (property, facts) in schema_facts::properties(name) {
            if let Some(p) = props.get_mut(property) {
                add_list_facts(p, facts);
            }
        }
    }
    if let Some(facts) = schema_facts::schema_facts(name) {
        if let Some(map_type) = facts.map_type {
            obj.insert("x-kubernetes-map-type".into(), map_type.into());
        }
        if !facts.unions.is_empty() {
            let unions: Vec<Value> = facts
                .unions
                .iter()
                .map(|u| {
                    let fields: Map<String, Value> = u
                        .fields_to_discriminate_by
                        .iter()
                        .map(|(json, go)| (json.to_string(), Value::from(*go)))
                        .collect();
                    let mut union = Map::new();
                    if let Some(d) = u.discriminator {
                        union.insert("discriminator".into(), d.into());
                    }
                    union.insert("fields-to-discriminateBy".into(), Value::Object(fields));
                    Value::Object(union)
                })
                .collect();
            obj.insert("x-kubernetes-unions".into(), Value::Array(unions));
        }
    }
    if let Some(gvks) = gvks {
        obj.insert(
            "x-kubernetes-group-version-kind".into(),
            Value::Array(gvks.clone()),
        );
    }
}

fn add_list_facts(property: &mut Value, facts: &schema_facts::ListFacts) {
    let Some(obj) = property.as_object_mut() else {
        return;
    };
    // OpenAPI 3.0 ignores the siblings of a `$ref`: move it into an `allOf` as upstream does.
    if let Some(reference) = obj.remove("$ref") {
        obj.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            obj.insert(key.into(), v.into());
        }
    };
    put("x-kubernetes-patch-merge-key", facts.merge_key);
    put("x-kubernetes-patch-strategy", facts.strategy);
    put("x-kubernetes-list-type", facts.list_type);
    put("x-kubernetes-map-type", facts.map_type);
    if !facts.list_map_keys.is_empty() {
        obj.insert(
            "x-kubernetes-list-map-keys".into(),
            json!(facts.list_map_keys),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Paths and operations

struct Common {
    status: Value,
    delete_options: Value,
    patch: Value,
}

/// `Core`, `Apps`, `RbacAuthorization`: the group as upstream's operation ids spell it.
fn group_part(group: &str) -> String {
    if group.is_empty() {
        return "Core".into();
    }
    group
        .strip_suffix(".k8s.io")
        .unwrap_or(group)
        .split('.')
        .map(upper_first)
        .collect()
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

fn query(name: &str, ty: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "query",
        "description": description,
        "schema": { "type": ty, "uniqueItems": true },
    })
}

fn path_param(name: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "path",
        "required": true,
        "description": description,
        "schema": { "type": "string", "uniqueItems": true },
    })
}

fn pretty() -> Value {
    query(
        "pretty",
        "string",
        "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
    )
}

fn dry_run() -> Value {
    query(
        "dryRun",
        "string",
        "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
    )
}

fn field_manager(patch: bool) -> Value {
    let base = "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.";
    let description = if patch {
        format!(
            "{base} This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch)."
        )
    } else {
        base.to_string()
    };
    query("fieldManager", "string", &description)
}

fn field_validation() -> Value {
    query(
        "fieldValidation",
        "string",
        "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.",
    )
}

fn force() -> Value {
    query(
        "force",
        "boolean",
        "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.",
    )
}

/// The query parameters of a list (and watch), in upstream's order.
fn list_params(with_watch: bool) -> Vec<Value> {
    let mut params = Vec::new();
    if with_watch {
        params.push(query(
            "allowWatchBookmarks",
            "boolean",
            "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.",
        ));
    }
    params.extend([
        query(
            "continue",
            "string",
            "The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize. If the specified continue value is no longer valid whether due to expiration (generally five to fifteen minutes) or a configuration change on the server, the server will respond with a 410 ResourceExpired error together with a continue token.",
        ),
        query(
            "fieldSelector",
            "string",
            "A selector to restrict the list of returned objects by their fields. Defaults to everything.",
        ),
        query(
            "labelSelector",
            "string",
            "A selector to restrict the list of returned objects by their labels. Defaults to everything.",
        ),
        query(
            "limit",
            "integer",
            "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.",
        ),
        query(
            "resourceVersion",
            "string",
            "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset",
        ),
        query(
            "resourceVersionMatch",
            "string",
            "resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset",
        ),
        query(
            "sendInitialEvents",
            "boolean",
            "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic \"Bookmark\" event will be sent.",
        ),
        query(
            "timeoutSeconds",
            "integer",
            "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.",
        ),
    ]);
    if with_watch {
        params.push(query(
            "watch",
            "boolean",
            "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.",
        ));
    }
    params
}

fn delete_params() -> Vec<Value> {
    vec![
        dry_run(),
        query(
            "gracePeriodSeconds",
            "integer",
            "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.",
        ),
        query(
            "ignoreStoreReadErrorWithClusterBreakingPotential",
            "boolean",
            "if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.",
        ),
        query(
            "orphanDependents",
            "boolean",
            "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the \"orphan\" finalizer will be added to/removed from the object's finalizers list. Either this field or PropagationPolicy may be set, but not both.",
        ),
        query(
            "propagationPolicy",
            "string",
            "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
        ),
    ]
}

fn responses(codes: &[(&str, &str)], schema: Option<&Value>, watch: bool) -> Value {
    let mut out = Map::new();
    for (code, description) in codes {
        let mut response = Map::new();
        response.insert("description".into(), (*description).into());
        if let Some(schema) = schema {
            let mut content = Map::new();
            content.insert("application/json".into(), json!({ "schema": schema }));
            if watch {
                content.insert(
                    "application/json;stream=watch".into(),
                    json!({ "schema": schema }),
                );
            }
            response.insert("content".into(), Value::Object(content));
        }
        out.insert((*code).into(), Value::Object(response));
    }
    out.insert("401".into(), json!({ "description": "Unauthorized" }));
    Value::Object(out)
}

fn body(schema: Option<&Value>, required: bool) -> Value {
    let schema = schema
        .cloned()
        .unwrap_or_else(|| json!({ "type": "object" }));
    json!({ "content": { "*/*": { "schema": schema } }, "required": required })
}

const OK: (&str, &str) = ("200", "OK");
const CREATED: (&str, &str) = ("201", "Created");
const ACCEPTED: (&str, &str) = ("202", "Accepted");

/// One operation. `gvk` is the body's kind, which is what kubectl matches on.
struct Op<'a> {
    action: &'a str,
    id: String,
    description: String,
    gvk: Value,
    params: Vec<Value>,
    body: Option<Value>,
    responses: Value,
}

impl Op<'_> {
    fn into_value(self, tag: &str) -> Value {
        let mut op = Map::new();
        op.insert("tags".into(), json!([tag]));
        op.insert("description".into(), self.description.into());
        op.insert("operationId".into(), self.id.into());
        if !self.params.is_empty() {
            op.insert("parameters".into(), Value::Array(self.params));
        }
        if let Some(body) = self.body {
            op.insert("requestBody".into(), body);
        }
        op.insert("responses".into(), self.responses);
        op.insert("x-kubernetes-action".into(), self.action.into());
        op.insert("x-kubernetes-group-version-kind".into(), self.gvk);
        Value::Object(op)
    }
}

fn resource_paths(b: &mut Builder, r: &ResourceInfo, common: &Common) {
    let can = |verb: &str| r.verbs.contains(&verb);
    let item = b.kind(r.group, r.version, r.kind);
    let list = match &item {
        Some(item) if can("list") => b.list_kind(r, item),
        _ => None,
    };
    let gv = format!("{}{}", group_part(r.group), upper_first(r.version));
    let ns = if r.namespaced { "Namespaced" } else { "" };
    let kind = r.kind;
    let the_gvk = gvk(r.group, r.version, kind);
    let prefix = if r.group.is_empty() {
        format!("/api/{}", r.version)
    } else {
        format!("/apis/{}/{}", r.group, r.version)
    };
    let scope = if r.namespaced {
        format!("{prefix}/namespaces/{{namespace}}/{}", r.plural)
    } else {
        format!("{prefix}/{}", r.plural)
    };
    let namespace_param = || {
        path_param(
            "namespace",
            "object name and auth scope, such as for teams and projects",
        )
    };
    let tag = b.tag.clone();

    // The collection: list (and watch), create, deletecollection.
    let mut ops = Vec::new();
    if can("list") {
        let mut params = list_params(true);
        params.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        ops.push((
            "get",
            Op {
                action: "list",
                id: format!("list{gv}{ns}{kind}"),
                description: format!("list or watch objects of kind {kind}"),
                gvk: the_gvk.clone(),
                params,
                body: None,
                responses: responses(&[OK], list.as_ref(), true),
            },
        ));
    }
    if can("create") {
        ops.push((
            "post",
            Op {
                action: "post",
                id: format!("create{gv}{ns}{kind}"),
                description: format!("create a {kind}"),
                gvk: the_gvk.clone(),
                params: vec![dry_run(), field_manager(false), field_validation()],
                body: Some(body(item.as_ref(), true)),
                responses: responses(&[OK, CREATED, ACCEPTED], item.as_ref(), false),
            },
        ));
    }
    if can("deletecollection") {
        let mut params = list_params(false);
        params.extend(delete_params());
        params.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        ops.push((
            "delete",
            Op {
                action: "deletecollection",
                id: format!("deleteCollection{gv}{ns}{kind}"),
                description: format!("delete collection of {kind}"),
                gvk: the_gvk.clone(),
                params,
                body: Some(body(Some(&common.delete_options), false)),
                responses: responses(&[OK], Some(&common.status), false),
            },
        ));
    }
    let mut collection_params = Vec::new();
    if r.namespaced {
        collection_params.push(namespace_param());
    }
    collection_params.push(pretty());
    let ops = ops
        .into_iter()
        .map(|(m, op)| (m, op.into_value(&tag)))
        .collect();
    b.add_path(scope.clone(), collection_params, ops);

    // All namespaces at once.
    if r.namespaced && can("list") {
        let op = Op {
            action: "list",
            id: format!("list{gv}{kind}ForAllNamespaces"),
            description: format!("list or watch objects of kind {kind}"),
            gvk: the_gvk.clone(),
            params: list_params(true),
            body: None,
            responses: responses(&[OK], list.as_ref(), true),
        };
        b.add_path(
            format!("{prefix}/{}", r.plural),
            vec![pretty()],
            vec![("get", op.into_value(&tag))],
        );
    }

    // One object.
    let item_path = format!("{scope}/{{name}}");
    let mut item_params = vec![path_param("name", &format!("name of the {kind}"))];
    if r.namespaced {
        item_params.push(namespace_param());
    }
    item_params.push(pretty());
    let ops = object_ops(&gv, ns, kind, "", &the_gvk, item.as_ref(), r.verbs, common);
    let ops = ops
        .into_iter()
        .map(|(m, op)| (m, op.into_value(&tag)))
        .collect();
    b.add_path(item_path.clone(), item_params, ops);

    // Subresources.
    for s in r.subresources {
        subresource_paths(b, r, s, &item_path, &gv, ns, common, &tag);
    }
}

#[allow(clippy::too_many_arguments)]
fn subresource_paths(
    b: &mut Builder,
    r: &ResourceInfo,
    s: &SubresourceInfo,
    item_path: &str,
    gv: &str,
    ns: &str,
    common: &Common,
    tag: &str,
) {
    let body_ref = b.kind(s.group, s.version, s.kind);
    let sub_gvk = gvk(s.group, s.version, s.kind);
    let mut params = vec![path_param("name", &format!("name of the {}", s.kind))];
    if r.namespaced {
        params.push(path_param(
            "namespace",
            "object name and auth scope, such as for teams and projects",
        ));
    }
    params.push(pretty());
    let ops = object_ops(
        gv,
        ns,
        r.kind,
        s.name,
        &sub_gvk,
        body_ref.as_ref(),
        s.verbs,
        common,
    );
    let ops = ops
        .into_iter()
        .map(|(m, op)| (m, op.into_value(tag)))
        .collect();
    b.add_path(format!("{item_path}/{}", s.name), params, ops);
}

/// The operations on one object (`subresource` empty) or one subresource of it.
#[allow(clippy::too_many_arguments)]
fn object_ops<'a>(
    gv: &str,
    ns: &str,
    kind: &str,
    subresource: &str,
    body_gvk: &Value,
    schema: Option<&Value>,
    verbs: &[&str],
    common: &Common,
) -> Vec<(&'a str, Op<'a>)> {
    let can = |verb: &str| verbs.contains(&verb);
    let suffix = upper_first(subresource);
    let id = |verb: &str| format!("{verb}{gv}{ns}{kind}{suffix}");
    let what = |verb: &str| {
        if subresource.is_empty() {
            format!("{verb} the specified {kind}")
        } else {
            format!("{verb} {subresource} of the specified {kind}")
        }
    };
    let mut ops = Vec::new();
    if can("get") {
        ops.push((
            "get",
            Op {
                action: "get",
                id: id("read"),
                description: what("read"),
                gvk: body_gvk.clone(),
                params: Vec::new(),
                body: None,
                responses: responses(&[OK], schema, false),
            },
        ));
    }
    // `create` on an object path is a subresource POST (`pods/binding`, `pods/eviction`).
    if can("create") && !subresource.is_empty() {
        ops.push((
            "post",
            Op {
                action: "post",
                id: id("create"),
                description: format!("create {subresource} of a {kind}"),
                gvk: body_gvk.clone(),
                params: vec![dry_run(), field_manager(false), field_validation()],
                body: Some(body(schema, true)),
                responses: responses(&[OK, CREATED, ACCEPTED], schema, false),
            },
        ));
    }
    if can("update") {
        ops.push((
            "put",
            Op {
                action: "put",
                id: id("replace"),
                description: what("replace"),
                gvk: body_gvk.clone(),
                params: vec![dry_run(), field_manager(false), field_validation()],
                body: Some(body(schema, true)),
                responses: responses(&[OK, CREATED], schema, false),
            },
        ));
    }
    if can("patch") {
        let content: Map<String, Value> = PATCH_CONTENT_TYPES
            .iter()
            .map(|ct| (ct.to_string(), json!({ "schema": common.patch })))
            .collect();
        ops.push((
            "patch",
            Op {
                action: "patch",
                id: id("patch"),
                description: what("partially update"),
                gvk: body_gvk.clone(),
                params: vec![dry_run(), field_manager(true), field_validation(), force()],
                body: Some(json!({ "content": content, "required": true })),
                responses: responses(&[OK, CREATED], schema, false),
            },
        ));
    }
    if can("delete") && subresource.is_empty() {
        ops.push((
            "delete",
            Op {
                action: "delete",
                id: id("delete"),
                description: format!("delete a {kind}"),
                gvk: body_gvk.clone(),
                params: delete_params(),
                body: Some(body(Some(&common.delete_options), false)),
                responses: responses(&[OK, ACCEPTED], Some(&common.status), false),
            },
        ));
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str) -> Value {
        let bytes = document(path).unwrap_or_else(|| panic!("no document {path}"));
        serde_json::from_slice(&bytes).expect("documents are JSON")
    }

    fn served_gv_paths() -> Vec<String> {
        resources::groups()
            .into_iter()
            .flat_map(|(g, vs)| vs.into_iter().map(move |v| gv_path(g, v)))
            .collect()
    }

    /// Every GVK kubectl may send to the server: served kinds and patchable subresource kinds,
    /// with the document they live in.
    fn patchable_gvks() -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for r in RESOURCES {
            let path = gv_path(r.group, r.version);
            if r.verbs.contains(&"patch") {
                out.push((path.clone(), gvk(r.group, r.version, r.kind)));
            }
            for s in r.subresources.iter().filter(|s| s.verbs.contains(&"patch")) {
                out.push((path.clone(), gvk(s.group, s.version, s.kind)));
            }
        }
        out
    }

    fn operations(doc: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
        doc["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .expect("path item")
                    .iter()
                    .filter(|(m, _)| m.as_str() != "parameters")
                    .map(move |(m, op)| (path.as_str(), m.as_str(), op))
            })
    }

    #[test]
    fn every_served_kind_has_a_schema() {
        for r in RESOURCES {
            assert!(
                kind_schema(r.group, r.version, r.kind).is_some(),
                "no k8s-openapi type for {}/{} {}",
                r.group,
                r.version,
                r.kind
            );
            for s in r.subresources {
                assert!(
                    kind_schema(s.group, s.version, s.kind).is_some(),
                    "no k8s-openapi type for {}/{} {}",
                    s.group,
                    s.version,
                    s.kind
                );
            }
        }
    }

    #[test]
    fn every_patchable_gvk_has_a_patch_operation_with_field_validation() {
        for (path, want) in patchable_gvks() {
            let doc = doc(&path);
            let patches: Vec<&Value> = operations(&doc)
                .filter(|(_, m, op)| *m == "patch" && op["x-kubernetes-group-version-kind"] == want)
                .map(|(_, _, op)| op)
                .collect();
            assert!(!patches.is_empty(), "{path}: no PATCH for {want}");
            // kubectl stops at the first matching PATCH it meets (a map: any order), so all
            // of them must carry the parameter.
            for op in patches {
                let params = op["parameters"].as_array().expect("parameters");
                assert!(
                    params
                        .iter()
                        .any(|p| p["name"] == "fieldValidation" && p["in"] == "query"),
                    "{path}: {} lacks fieldValidation",
                    op["operationId"]
                );
                let content = op["requestBody"]["content"].as_object().expect("content");
                let types: Vec<&str> = content.keys().map(String::as_str).collect();
                let mut want_types = PATCH_CONTENT_TYPES.to_vec();
                want_types.sort();
                let mut got = types.clone();
                got.sort();
                assert_eq!(got, want_types);
            }
        }
    }

    fn collect_refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    assert_eq!(m.len(), 1, "a $ref with siblings: {v}");
                    out.push(r);
                }
                m.values().for_each(|x| collect_refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_ref_resolves_within_its_document() {
        for path in served_gv_paths() {
            let doc = doc(&path);
            let schemas = doc["components"]["schemas"].as_object().expect("schemas");
            let mut refs = Vec::new();
            collect_refs(&doc, &mut refs);
            assert!(!refs.is_empty());
            for r in refs {
                let name = r
                    .strip_prefix(SCHEMA_PREFIX)
                    .unwrap_or_else(|| panic!("{path}: foreign $ref {r}"));
                assert!(schemas.contains_key(name), "{path}: dangling $ref {r}");
            }
        }
    }

    #[test]
    fn documents_have_upstreams_shape() {
        for path in served_gv_paths() {
            let doc = doc(&path);
            assert_eq!(doc["openapi"], "3.0.0");
            assert_eq!(doc["info"]["title"], "Kubernetes");
            assert_eq!(doc["info"]["version"], KUBERNETES_VERSION);
            let mut ids: Vec<&str> = operations(&doc)
                .map(|(_, _, op)| op["operationId"].as_str().expect("operationId"))
                .collect();
            let n = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), n, "{path}: duplicate operationIds");
            for (p, m, op) in operations(&doc) {
                assert!(op["x-kubernetes-action"].is_string(), "{p} {m}");
                assert!(
                    op["x-kubernetes-group-version-kind"]["kind"].is_string(),
                    "{p} {m}"
                );
                for param in op["parameters"].as_array().into_iter().flatten() {
                    assert_eq!(param["in"], "query", "{p} {m}: {param}");
                }
            }
        }
    }

    #[test]
    fn operations_are_named_as_upstream() {
        let core = doc("api/v1");
        let apps = doc("apis/apps/v1");
        let coordination = doc("apis/coordination.k8s.io/v1");
        let op = |doc: &Value, path: &str, method: &str| {
            doc["paths"][path][method]["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("no {method} {path}"))
                .to_string()
        };
        let pod = "/api/v1/namespaces/{namespace}/pods/{name}";
        assert_eq!(op(&core, pod, "get"), "readCoreV1NamespacedPod");
        assert_eq!(op(&core, pod, "put"), "replaceCoreV1NamespacedPod");
        assert_eq!(op(&core, pod, "patch"), "patchCoreV1NamespacedPod");
        assert_eq!(op(&core, pod, "delete"), "deleteCoreV1NamespacedPod");
        let pods = "/api/v1/namespaces/{namespace}/pods";
        assert_eq!(op(&core, pods, "get"), "listCoreV1NamespacedPod");
        assert_eq!(op(&core, pods, "post"), "createCoreV1NamespacedPod");
        assert_eq!(
            op(&core, pods, "delete"),
            "deleteCollectionCoreV1NamespacedPod"
        );
        assert_eq!(
            op(&core, "/api/v1/pods", "get"),
            "listCoreV1PodForAllNamespaces"
        );
        assert_eq!(
            op(&core, &format!("{pod}/status"), "patch"),
            "patchCoreV1NamespacedPodStatus"
        );
        assert_eq!(
            op(&core, &format!("{pod}/binding"), "post"),
            "createCoreV1NamespacedPodBinding"
        );
        assert_eq!(
            core["paths"][format!("{pod}/binding")]["post"]["x-kubernetes-group-version-kind"],
            gvk("", "v1", "Binding")
        );
        assert_eq!(op(&core, "/api/v1/nodes/{name}", "get"), "readCoreV1Node");
        assert_eq!(
            op(&core, "/api/v1/nodes/{name}/status", "get"),
            "readCoreV1NodeStatus"
        );
        assert_eq!(
            op(&core, "/api/v1/namespaces/{name}", "get"),
            "readCoreV1Namespace"
        );
        assert!(core["paths"]["/api/v1/namespaces"].get("delete").is_none());
        let scale = "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale";
        assert_eq!(
            op(&apps, scale, "patch"),
            "patchAppsV1NamespacedDeploymentScale"
        );
        assert_eq!(
            apps["paths"][scale]["patch"]["x-kubernetes-group-version-kind"],
            gvk("autoscaling", "v1", "Scale")
        );
        assert_eq!(
            op(&coordination, "/apis/coordination.k8s.io/v1/leases", "get"),
            "listCoordinationV1LeaseForAllNamespaces"
        );
        let list = &core["paths"][pods]["get"];
        let names: Vec<&str> = list["parameters"]
            .as_array()
            .expect("list parameters")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for want in [
            "labelSelector",
            "fieldSelector",
            "limit",
            "continue",
            "resourceVersion",
            "resourceVersionMatch",
            "timeoutSeconds",
            "watch",
            "allowWatchBookmarks",
            "sendInitialEvents",
        ] {
            assert!(names.contains(&want), "list lacks {want}");
        }
        assert_eq!(
            list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/io.k8s.api.core.v1.PodList"
        );
        assert_eq!(core["paths"][pod]["parameters"][0]["in"], "path");
    }

    #[test]
    fn schemas_carry_kinds_and_list_facts() {
        let core = doc("api/v1");
        let schemas = &core["components"]["schemas"];
        let pod = &schemas["io.k8s.api.core.v1.Pod"];
        assert_eq!(
            pod["x-kubernetes-group-version-kind"],
            json!([{ "group": "", "kind": "Pod", "version": "v1" }])
        );
        assert_eq!(
            schemas["io.k8s.api.core.v1.PodList"]["x-kubernetes-group-version-kind"],
            json!([{ "group": "", "kind": "PodList", "version": "v1" }])
        );
        assert_eq!(
            schemas[STATUS]["x-kubernetes-group-version-kind"],
            json!([{ "group": "", "kind": "Status", "version": "v1" }])
        );
        assert!(schemas[DELETE_OPTIONS]["x-kubernetes-group-version-kind"].is_array());
        assert!(schemas[WATCH_EVENT]["x-kubernetes-group-version-kind"].is_array());

        let containers = &schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
        assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
        assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
        assert_eq!(containers["x-kubernetes-list-type"], "map");
        assert_eq!(containers["x-kubernetes-list-map-keys"], json!(["name"]));
        let ports = &schemas["io.k8s.api.core.v1.Container"]["properties"]["ports"];
        assert_eq!(
            ports["x-kubernetes-list-map-keys"],
            json!(["containerPort", "protocol"])
        );
        let owners = &schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["properties"]["ownerReferences"];
        assert_eq!(owners["x-kubernetes-patch-merge-key"], "uid");
        assert_eq!(
            schemas["io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"]["x-kubernetes-map-type"],
            "atomic"
        );
        let seccomp = &schemas["io.k8s.api.core.v1.SeccompProfile"]["x-kubernetes-unions"];
        assert_eq!(seccomp[0]["discriminator"], "type");

        let apps = doc("apis/apps/v1");
        let schemas = &apps["components"]["schemas"];
        assert_eq!(
            schemas["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"],
            json!([{ "group": "apps", "kind": "Deployment", "version": "v1" }])
        );
        assert_eq!(
            schemas["io.k8s.api.autoscaling.v1.Scale"]["x-kubernetes-group-version-kind"],
            json!([{ "group": "autoscaling", "kind": "Scale", "version": "v1" }])
        );
        let strategy = &schemas["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["strategy"];
        assert_eq!(strategy["x-kubernetes-patch-strategy"], "retainKeys");
        assert!(strategy["allOf"][0]["$ref"].is_string(), "{strategy}");
    }

    #[test]
    fn every_fact_of_a_present_schema_is_in_the_document() {
        for path in served_gv_paths() {
            let doc = doc(&path);
            let schemas = doc["components"]["schemas"].as_object().expect("schemas");
            for (schema, property, facts) in schema_facts::all() {
                let Some(s) = schemas.get(schema) else {
                    continue;
                };
                let p = &s["properties"][property];
                assert_eq!(
                    p["x-kubernetes-patch-merge-key"].as_str(),
                    facts.merge_key,
                    "{path}: {schema}.{property}"
                );
                assert_eq!(p["x-kubernetes-list-type"].as_str(), facts.list_type);
                assert_eq!(p["x-kubernetes-patch-strategy"].as_str(), facts.strategy);
            }
        }
    }

    #[test]
    fn every_served_kind_is_explainable() {
        for r in RESOURCES {
            let doc = doc(&gv_path(r.group, r.version));
            let want = gvk(r.group, r.version, r.kind);
            let found = doc["components"]["schemas"]
                .as_object()
                .expect("schemas")
                .values()
                .any(|s| {
                    s["x-kubernetes-group-version-kind"]
                        .as_array()
                        .is_some_and(|a| a.contains(&want))
                });
            assert!(found, "no schema with GVK {want}");
        }
    }

    #[test]
    fn index_lists_every_group_version_with_the_documents_hash() {
        let index = index();
        let paths = index["paths"].as_object().expect("paths");
        let served = served_gv_paths();
        assert_eq!(paths.len(), served.len());
        for path in served {
            let url = paths[&path]["serverRelativeURL"].as_str().expect("url");
            let bytes = document(&path).expect("document");
            let hash = hex_upper(&Sha512::digest(bytes.as_slice()));
            assert_eq!(hash.len(), 128);
            assert_eq!(url, format!("/openapi/v3/{path}?hash={hash}"));
            assert_eq!(document_hash(&path), Some(hash.as_str()));
        }
        assert!(paths.contains_key("api/v1") && paths.contains_key("apis/apps/v1"));
    }

    #[test]
    fn documents_are_built_once() {
        let a = document("api/v1").expect("api/v1");
        let b = document("/api/v1/").expect("api/v1");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(document("apis/nope/v1").is_none());
        assert!(document("").is_none());
    }

    #[test]
    fn operation_ids_spell_groups_as_upstream() {
        assert_eq!(group_part(""), "Core");
        assert_eq!(group_part("apps"), "Apps");
        assert_eq!(group_part("coordination.k8s.io"), "Coordination");
        assert_eq!(group_part("rbac.authorization.k8s.io"), "RbacAuthorization");
        assert_eq!(
            group_part("flowcontrol.apiserver.k8s.io"),
            "FlowcontrolApiserver"
        );
        assert_eq!(
            lower_first(&group_part("rbac.authorization.k8s.io")),
            "rbacAuthorization"
        );
        assert_eq!(hex_upper(&[0x0a, 0xff]), "0AFF");
    }
}
