//! OpenAPI v2 (Swagger 2.0): `GET /openapi/v2`, one document for every served group-version,
//! as JSON or as the gnostic protobuf `openapi.v2.Document`.
//!
//! kubectl 1.27 and 1.28 download it (protobuf `Accept`) before every `create -f`, `apply -f`
//! and `explain`, and fail when it is missing even though `/openapi/v3` is served (see the
//! wire contract, "Read this first"). They parse it strictly (kube-openapi's
//! `proto.NewOpenAPIData`): every `$ref` must resolve under `#/definitions/`, a `$ref` may carry
//! no `type` or `properties`, an array needs exactly one `items` schema. What they look for:
//! * the kind schemas by their `x-kubernetes-group-version-kind` (explain, client-side
//!   validation and strategic-merge-patch metadata);
//! * a PATCH operation with the object's GVK listing the query parameter `fieldValidation`:
//!   then the server validates fields and kubectl skips client-side validation.
//!
//! Nothing is built twice: the document is a conversion of the v3 documents of
//! [`crate::openapi`] (`components.schemas` → `definitions`, `$ref`s rewritten, `requestBody`
//! → a `body` parameter, response `content` → `schema`, parameter `schema` → inline
//! `type`), merged into one. The protobuf is a conversion of that JSON, field by field the way
//! gnostic's `ParseDocument` reads it (which is how kube-openapi makes upstream's), so the two
//! encodings never disagree. Both are built on first use (most clients never ask) and kept,
//! with one `ETag` (upper-case hex SHA-512 of the JSON, quoted, for both encodings, as upstream).

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use prost::Message;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha512};
use tug_api::status::ApiError;

use crate::reply;

/// The media type kubectl asks for (`@` is upstream's spelling in requests).
pub const PROTOBUF_ACCEPT: &str = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

/// The `Content-Type` of a protobuf answer: upstream answers the `@`-less spelling, which
/// Go's `mime.ParseMediaType` accepts.
pub const PROTOBUF_CONTENT_TYPE: &str =
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

const V3_REF_PREFIX: &str = "#/components/schemas/";
const V2_REF_PREFIX: &str = "#/definitions/";
const GVK_EXTENSION: &str = "x-kubernetes-group-version-kind";

/// The encoded document, built once.
struct Swagger {
    json: Vec<u8>,
    protobuf: Vec<u8>,
    /// Quoted, as sent in `ETag`.
    etag: String,
}

static SWAGGER: OnceLock<Swagger> = OnceLock::new();

fn swagger() -> &'static Swagger {
    SWAGGER.get_or_init(|| {
        let doc = document();
        // Serializing a `Value` cannot fail: string keys, finite numbers.
        let json = serde_json::to_vec(&doc).unwrap_or_default();
        let protobuf = gnostic::document(&doc).encode_to_vec();
        let etag = format!("\"{}\"", hex_upper(&Sha512::digest(&json)));
        Swagger {
            json,
            protobuf,
            etag,
        }
    })
}

/// The JSON encoding of the document.
pub fn json_bytes() -> &'static [u8] {
    &swagger().json
}

/// The gnostic protobuf encoding (`openapi.v2.Document`) of the same document.
pub fn protobuf_bytes() -> &'static [u8] {
    &swagger().protobuf
}

/// The answer to `GET /openapi/v2`: JSON for `application/json` (or no `Accept`), protobuf
/// for the gnostic media type, `406` otherwise; `304` when `If-None-Match` names the
/// current `ETag`. The first request builds the document on a blocking thread.
pub async fn reply(headers: &HeaderMap) -> Response<Body> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("*/*");
    let Some(encoding) = negotiate(accept) else {
        let accepted = format!("application/json, {PROTOBUF_ACCEPT}");
        let mut r = reply::error(&ApiError::not_acceptable(&accepted));
        vary(&mut r);
        return r;
    };
    let s = match SWAGGER.get() {
        Some(s) => s,
        None => match tokio::task::spawn_blocking(swagger).await {
            Ok(s) => s,
            Err(e) => return reply::error(&ApiError::internal(e)),
        },
    };
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == "*" || t.trim() == s.etag));
    let (bytes, content_type) = match encoding {
        Encoding::Json => (&s.json, "application/json"),
        Encoding::Protobuf => (&s.protobuf, PROTOBUF_CONTENT_TYPE),
    };
    let mut r = if not_modified {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        Response::new(Body::from(bytes::Bytes::from_static(bytes.as_slice())))
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
    if let Ok(etag) = HeaderValue::from_str(&s.etag) {
        h.insert(header::ETAG, etag);
    }
    vary(&mut r);
    r
}

fn vary(r: &mut Response<Body>) {
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Json,
    Protobuf,
}

/// Upstream's negotiation (kube-openapi with goautoneg): the `Accept` clauses by quality, a
/// wildcard after a concrete type of equal quality; the first clause that matches JSON, then
/// either protobuf spelling, wins.
fn negotiate(accept: &str) -> Option<Encoding> {
    let mut clauses: Vec<(f32, &str, &str)> = accept
        .split(',')
        .filter_map(|clause| {
            let mut parts = clause.split(';');
            let (ty, sub) = parts.next()?.trim().split_once('/')?;
            let mut q = 1.0f32;
            for p in parts {
                if let Some(("q", v)) = p.trim().split_once('=').map(|(k, v)| (k.trim(), v)) {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            (q > 0.0).then_some((q, ty.trim(), sub.trim()))
        })
        .collect();
    clauses.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then((a.1 == "*").cmp(&(b.1 == "*")))
            .then((a.2 == "*").cmp(&(b.2 == "*")))
    });
    const OFFERS: [(&str, Encoding); 3] = [
        ("json", Encoding::Json),
        (
            "com.github.proto-openapi.spec.v2@v1.0+protobuf",
            Encoding::Protobuf,
        ),
        (
            "com.github.proto-openapi.spec.v2.v1.0+protobuf",
            Encoding::Protobuf,
        ),
    ];
    clauses.iter().find_map(|(_, ty, sub)| {
        if *ty != "application" && *ty != "*" {
            return None;
        }
        OFFERS
            .iter()
            .find(|(offer, _)| sub == offer || *sub == "*")
            .map(|(_, e)| *e)
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
// v3 → v2

/// The Swagger 2.0 document (as JSON) of every served group-version: the merge of the v3
/// documents, converted.
fn document() -> Value {
    let mut version = Value::Null;
    let mut paths = Map::new();
    let mut definitions = Map::new();
    let index = crate::openapi::index();
    let gv_paths = index["paths"].as_object().into_iter().flat_map(Map::keys);
    for gv in gv_paths {
        let Some(bytes) = crate::openapi::document(gv) else {
            continue;
        };
        // The bytes are our own serialization of a `Value`.
        let Ok(v3) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        if version.is_null() {
            version = v3["info"]["version"].clone();
        }
        for (path, item) in v3["paths"].as_object().into_iter().flatten() {
            paths.insert(path.clone(), path_item(item));
        }
        let schemas = v3["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten();
        for (name, schema) in schemas {
            add_definition(&mut definitions, name, definition(name, schema));
        }
    }
    json!({
        "swagger": "2.0",
        "info": { "title": "Kubernetes", "version": version },
        "paths": paths,
        "definitions": definitions,
    })
}

/// Adds a definition; one that several group-versions share (`ObjectMeta`, `Status`,
/// `DeleteOptions`) is the same schema in each, but gets the union of the kinds they name.
fn add_definition(definitions: &mut Map<String, Value>, name: &str, schema: Value) {
    let Some(existing) = definitions.get_mut(name) else {
        definitions.insert(name.to_string(), schema);
        return;
    };
    let Some(new_gvks) = schema.get(GVK_EXTENSION).and_then(Value::as_array) else {
        return;
    };
    let Some(obj) = existing.as_object_mut() else {
        return;
    };
    let gvks = obj
        .entry(GVK_EXTENSION)
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(gvks) = gvks.as_array_mut() {
        for gvk in new_gvks {
            if !gvks.contains(gvk) {
                gvks.push(gvk.clone());
            }
        }
    }
}

fn path_item(item: &Value) -> Value {
    let mut out = Map::new();
    for (key, value) in item.as_object().into_iter().flatten() {
        match key.as_str() {
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                out.insert(key.clone(), operation(value));
            }
            "parameters" => {
                out.insert(key.clone(), parameters(value));
            }
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            // `summary`, `description`, `servers`: not in a Swagger 2.0 path item.
            _ => {}
        }
    }
    Value::Object(out)
}

fn parameters(list: &Value) -> Value {
    let params = list.as_array().into_iter().flatten();
    Value::Array(params.map(parameter).collect())
}

/// A query or path parameter: v3 puts the type in `schema`, v2 inline.
fn parameter(p: &Value) -> Value {
    let mut out = Map::new();
    for key in ["description", "in", "name", "required"] {
        if let Some(v) = p.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for (key, value) in p["schema"].as_object().into_iter().flatten() {
        if matches!(
            key.as_str(),
            "type" | "format" | "uniqueItems" | "default" | "enum"
        ) {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

fn operation(op: &Value) -> Value {
    let mut out = Map::new();
    let body = op.get("requestBody");
    let consumes: Vec<Value> = match body.and_then(|b| b["content"].as_object()) {
        Some(content) => content.keys().map(|k| Value::from(k.as_str())).collect(),
        None => vec!["*/*".into()],
    };
    out.insert("consumes".into(), Value::Array(consumes));
    let mut produces: Vec<Value> = Vec::new();
    let responses = op["responses"].as_object().into_iter().flatten();
    for (_, response) in responses.clone() {
        for media in response["content"]
            .as_object()
            .into_iter()
            .flat_map(Map::keys)
        {
            let media = Value::from(media.as_str());
            if !produces.contains(&media) {
                produces.push(media);
            }
        }
    }
    if produces.is_empty() {
        produces.push("application/json".into());
    }
    out.insert("produces".into(), Value::Array(produces));
    out.insert("schemes".into(), json!(["https"]));

    let mut params = Vec::new();
    if let Some(body) = body {
        let mut p = Map::new();
        p.insert("in".into(), "body".into());
        p.insert("name".into(), "body".into());
        if body["required"] == true {
            p.insert("required".into(), true.into());
        }
        if let Some(schema) = first_schema(&body["content"]) {
            p.insert("schema".into(), schema);
        }
        params.push(Value::Object(p));
    }
    if let Value::Array(more) = parameters(&op["parameters"]) {
        params.extend(more);
    }
    if !params.is_empty() {
        out.insert("parameters".into(), Value::Array(params));
    }

    let mut v2_responses = Map::new();
    for (code, response) in responses {
        let mut r = Map::new();
        if let Some(d) = response.get("description") {
            r.insert("description".into(), d.clone());
        }
        if let Some(schema) = first_schema(&response["content"]) {
            r.insert("schema".into(), schema);
        }
        v2_responses.insert(code.clone(), Value::Object(r));
    }
    out.insert("responses".into(), Value::Object(v2_responses));

    for (key, value) in op.as_object().into_iter().flatten() {
        match key.as_str() {
            "tags" | "summary" | "description" | "operationId" | "deprecated" => {
                out.insert(key.clone(), value.clone());
            }
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    Value::Object(out)
}

/// The schema of a v3 `content` map, JSON's if listed, converted.
fn first_schema(content: &Value) -> Option<Value> {
    let content = content.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.values().next())?;
    media.get("schema").map(schema)
}

/// A definition: the schema, with `x-kubernetes-int-or-string` expressed as upstream's v2
/// documents do (`type: string`, and `format: int-or-string` for `IntOrString`).
fn definition(name: &str, v3: &Value) -> Value {
    let mut s = schema(v3);
    if let Some(obj) = s.as_object_mut()
        && obj.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true))
        && !obj.contains_key("type")
    {
        obj.remove("x-kubernetes-int-or-string");
        if name.ends_with(".intstr.IntOrString") {
            obj.insert("format".into(), "int-or-string".into());
        }
        obj.insert("type".into(), "string".into());
    }
    s
}

/// The Swagger 2.0 schema keywords kept (gnostic's `Schema`, less `xml`, `externalDocs` and
/// `discriminator`, which the v3 builder never writes); `x-` extensions are kept too.
const SCHEMA_KEYWORDS: &[&str] = &[
    "default",
    "description",
    "enum",
    "example",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "format",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "pattern",
    "readOnly",
    "required",
    "title",
    "type",
    "uniqueItems",
];

/// One schema, v3 → v2: `$ref`s rewritten; `allOf: [{$ref}]` (how OpenAPI 3.0 keeps the
/// siblings of a `$ref`) becomes the `$ref` itself, siblings beside it as upstream's v2
/// documents write them; v3-only keywords (`nullable`, `anyOf`, `oneOf`, …) dropped.
fn schema(v3: &Value) -> Value {
    let Some(obj) = v3.as_object() else {
        return v3.clone();
    };
    let mut out = Map::new();
    for (key, value) in obj {
        match key.as_str() {
            "$ref" => {
                out.insert(key.clone(), rewrite_ref(value));
            }
            "allOf" => match single_ref(value) {
                Some(reference) => {
                    out.insert("$ref".into(), rewrite_ref(reference));
                }
                None => {
                    let all = value.as_array().into_iter().flatten().map(schema);
                    out.insert(key.clone(), Value::Array(all.collect()));
                }
            },
            "properties" => {
                let props = value.as_object().into_iter().flatten();
                let props = props.map(|(k, v)| (k.clone(), schema(v))).collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" => {
                out.insert(key.clone(), schema(value));
            }
            k if k.starts_with("x-") || SCHEMA_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if out.contains_key("$ref") {
        // kube-openapi rejects a reference with a type.
        out.remove("type");
    }
    Value::Object(out)
}

fn single_ref(all_of: &Value) -> Option<&Value> {
    match all_of.as_array()?.as_slice() {
        [only] if only.as_object()?.len() == 1 => only.get("$ref"),
        _ => None,
    }
}

fn rewrite_ref(reference: &Value) -> Value {
    match reference.as_str() {
        Some(r) => match r.strip_prefix(V3_REF_PREFIX) {
            Some(name) => format!("{V2_REF_PREFIX}{name}").into(),
            None => r.into(),
        },
        None => reference.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// The gnostic protobuf

/// The messages of gnostic's `openapiv2/OpenAPIv2.proto` (package `openapi.v2`) that the
/// document uses, written by hand for prost. Field numbers are the .proto's; fields the
/// document never sets are left out (an absent field and an unknown one look the same on the
/// wire). The conversion from JSON follows gnostic's `NewDocument`: objects in JSON order,
/// `x-` keys as `vendor_extension`, any free-form value (`default`, `enum`, extensions) as
/// `Any.yaml`, the value's text (JSON is YAML).
pub mod gnostic {
    use serde_json::{Map, Value};

    /// `openapi.v2.Document`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Document {
        #[prost(string, tag = "1")]
        pub swagger: String,
        #[prost(message, optional, tag = "2")]
        pub info: Option<Info>,
        #[prost(message, optional, tag = "8")]
        pub paths: Option<Paths>,
        #[prost(message, optional, tag = "9")]
        pub definitions: Option<Definitions>,
        #[prost(message, repeated, tag = "16")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.Info`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Info {
        #[prost(string, tag = "1")]
        pub title: String,
        #[prost(string, tag = "2")]
        pub version: String,
        #[prost(string, tag = "3")]
        pub description: String,
    }

    /// `openapi.v2.Paths`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Paths {
        #[prost(message, repeated, tag = "1")]
        pub vendor_extension: Vec<NamedAny>,
        #[prost(message, repeated, tag = "2")]
        pub path: Vec<NamedPathItem>,
    }

    /// `openapi.v2.NamedPathItem`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NamedPathItem {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(message, optional, tag = "2")]
        pub value: Option<PathItem>,
    }

    /// `openapi.v2.PathItem`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PathItem {
        #[prost(message, optional, tag = "2")]
        pub get: Option<Operation>,
        #[prost(message, optional, tag = "3")]
        pub put: Option<Operation>,
        #[prost(message, optional, tag = "4")]
        pub post: Option<Operation>,
        #[prost(message, optional, tag = "5")]
        pub delete: Option<Operation>,
        #[prost(message, optional, tag = "6")]
        pub options: Option<Operation>,
        #[prost(message, optional, tag = "7")]
        pub head: Option<Operation>,
        #[prost(message, optional, tag = "8")]
        pub patch: Option<Operation>,
        #[prost(message, repeated, tag = "9")]
        pub parameters: Vec<ParametersItem>,
        #[prost(message, repeated, tag = "10")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.Operation`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Operation {
        #[prost(string, repeated, tag = "1")]
        pub tags: Vec<String>,
        #[prost(string, tag = "2")]
        pub summary: String,
        #[prost(string, tag = "3")]
        pub description: String,
        #[prost(string, tag = "5")]
        pub operation_id: String,
        #[prost(string, repeated, tag = "6")]
        pub produces: Vec<String>,
        #[prost(string, repeated, tag = "7")]
        pub consumes: Vec<String>,
        #[prost(message, repeated, tag = "8")]
        pub parameters: Vec<ParametersItem>,
        #[prost(message, optional, tag = "9")]
        pub responses: Option<Responses>,
        #[prost(string, repeated, tag = "10")]
        pub schemes: Vec<String>,
        #[prost(bool, tag = "11")]
        pub deprecated: bool,
        #[prost(message, repeated, tag = "13")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.ParametersItem` (the `json_reference` case is never written).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ParametersItem {
        #[prost(oneof = "parameters_item::Oneof", tags = "1")]
        pub oneof: Option<parameters_item::Oneof>,
    }

    /// The oneof of [`ParametersItem`].
    pub mod parameters_item {
        /// `ParametersItem.oneof`.
        #[derive(Clone, PartialEq, prost::Oneof)]
        pub enum Oneof {
            #[prost(message, tag = "1")]
            Parameter(super::Parameter),
        }
    }

    /// `openapi.v2.Parameter`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Parameter {
        #[prost(oneof = "parameter::Oneof", tags = "1, 2")]
        pub oneof: Option<parameter::Oneof>,
    }

    /// The oneof of [`Parameter`].
    pub mod parameter {
        /// `Parameter.oneof`.
        #[derive(Clone, PartialEq, prost::Oneof)]
        pub enum Oneof {
            #[prost(message, tag = "1")]
            BodyParameter(Box<super::BodyParameter>),
            #[prost(message, tag = "2")]
            NonBodyParameter(super::NonBodyParameter),
        }
    }

    /// `openapi.v2.BodyParameter`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct BodyParameter {
        #[prost(string, tag = "1")]
        pub description: String,
        #[prost(string, tag = "2")]
        pub name: String,
        #[prost(string, tag = "3")]
        pub r#in: String,
        #[prost(bool, tag = "4")]
        pub required: bool,
        #[prost(message, optional, tag = "5")]
        pub schema: Option<Schema>,
        #[prost(message, repeated, tag = "6")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.NonBodyParameter` (header and formData parameters are never written).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NonBodyParameter {
        #[prost(oneof = "non_body_parameter::Oneof", tags = "3, 4")]
        pub oneof: Option<non_body_parameter::Oneof>,
    }

    /// The oneof of [`NonBodyParameter`].
    pub mod non_body_parameter {
        /// `NonBodyParameter.oneof`.
        #[derive(Clone, PartialEq, prost::Oneof)]
        pub enum Oneof {
            #[prost(message, tag = "3")]
            QueryParameterSubSchema(super::QueryParameterSubSchema),
            #[prost(message, tag = "4")]
            PathParameterSubSchema(super::PathParameterSubSchema),
        }
    }

    /// `openapi.v2.QueryParameterSubSchema`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryParameterSubSchema {
        #[prost(bool, tag = "1")]
        pub required: bool,
        #[prost(string, tag = "2")]
        pub r#in: String,
        #[prost(string, tag = "3")]
        pub description: String,
        #[prost(string, tag = "4")]
        pub name: String,
        #[prost(string, tag = "6")]
        pub r#type: String,
        #[prost(string, tag = "7")]
        pub format: String,
        #[prost(message, optional, tag = "10")]
        pub default: Option<Any>,
        #[prost(bool, tag = "20")]
        pub unique_items: bool,
        #[prost(message, repeated, tag = "21")]
        pub r#enum: Vec<Any>,
        #[prost(message, repeated, tag = "23")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.PathParameterSubSchema`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PathParameterSubSchema {
        #[prost(bool, tag = "1")]
        pub required: bool,
        #[prost(string, tag = "2")]
        pub r#in: String,
        #[prost(string, tag = "3")]
        pub description: String,
        #[prost(string, tag = "4")]
        pub name: String,
        #[prost(string, tag = "5")]
        pub r#type: String,
        #[prost(string, tag = "6")]
        pub format: String,
        #[prost(message, optional, tag = "9")]
        pub default: Option<Any>,
        #[prost(bool, tag = "19")]
        pub unique_items: bool,
        #[prost(message, repeated, tag = "20")]
        pub r#enum: Vec<Any>,
        #[prost(message, repeated, tag = "22")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.Responses`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Responses {
        #[prost(message, repeated, tag = "1")]
        pub response_code: Vec<NamedResponseValue>,
        #[prost(message, repeated, tag = "2")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.NamedResponseValue`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NamedResponseValue {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(message, optional, tag = "2")]
        pub value: Option<ResponseValue>,
    }

    /// `openapi.v2.ResponseValue` (the `json_reference` case is never written).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ResponseValue {
        #[prost(oneof = "response_value::Oneof", tags = "1")]
        pub oneof: Option<response_value::Oneof>,
    }

    /// The oneof of [`ResponseValue`].
    pub mod response_value {
        /// `ResponseValue.oneof`.
        #[derive(Clone, PartialEq, prost::Oneof)]
        pub enum Oneof {
            #[prost(message, tag = "1")]
            Response(super::Response),
        }
    }

    /// `openapi.v2.Response`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Response {
        #[prost(string, tag = "1")]
        pub description: String,
        #[prost(message, optional, tag = "2")]
        pub schema: Option<SchemaItem>,
        #[prost(message, repeated, tag = "5")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.SchemaItem` (the `file_schema` case is never written).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct SchemaItem {
        #[prost(oneof = "schema_item::Oneof", tags = "1")]
        pub oneof: Option<schema_item::Oneof>,
    }

    /// The oneof of [`SchemaItem`].
    pub mod schema_item {
        /// `SchemaItem.oneof`.
        #[derive(Clone, PartialEq, prost::Oneof)]
        pub enum Oneof {
            #[prost(message, tag = "1")]
            Schema(super::Schema),
        }
    }

    /// `openapi.v2.Definitions`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Definitions {
        #[prost(message, repeated, tag = "1")]
        pub additional_properties: Vec<NamedSchema>,
    }

    /// `openapi.v2.NamedSchema`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NamedSchema {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(message, optional, tag = "2")]
        pub value: Option<Schema>,
    }

    /// `openapi.v2.Schema` (less `xml`, `external_docs`).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Schema {
        #[prost(string, tag = "1")]
        pub _ref: String,
        #[prost(string, tag = "2")]
        pub format: String,
        #[prost(string, tag = "3")]
        pub title: String,
        #[prost(string, tag = "4")]
        pub description: String,
        #[prost(message, optional, tag = "5")]
        pub default: Option<Any>,
        #[prost(double, tag = "6")]
        pub multiple_of: f64,
        #[prost(double, tag = "7")]
        pub maximum: f64,
        #[prost(bool, tag = "8")]
        pub exclusive_maximum: bool,
        #[prost(double, tag = "9")]
        pub minimum: f64,
        #[prost(bool, tag = "10")]
        pub exclusive_minimum: bool,
        #[prost(int64, tag = "11")]
        pub max_length: i64,
        #[prost(int64, tag = "12")]
        pub min_length: i64,
        #[prost(string, tag = "13")]
        pub pattern: String,
        #[prost(int64, tag = "14")]
        pub max_items: i64,
        #[prost(int64, tag = "15")]
        pub min_items: i64,
        #[prost(bool, tag = "16")]
        pub unique_items: bool,
        #[prost(int64, tag = "17")]
        pub max_properties: i64,
        #[prost(int64, tag = "18")]
        pub min_properties: i64,
        #[prost(string, repeated, tag = "19")]
        pub required: Vec<String>,
        #[prost(message, repeated, tag = "20")]
        pub r#enum: Vec<Any>,
        #[prost(message, optional, tag = "21")]
        pub additional_properties: Option<AdditionalPropertiesItem>,
        #[prost(message, optional, tag = "22")]
        pub r#type: Option<TypeItem>,
        #[prost(message, optional, tag = "23")]
        pub items: Option<ItemsItem>,
        #[prost(message, repeated, tag = "24")]
        pub all_of: Vec<Schema>,
        #[prost(message, optional, tag = "25")]
        pub properties: Option<Properties>,
        #[prost(string, tag = "26")]
        pub discriminator: String,
        #[prost(bool, tag = "27")]
        pub read_only: bool,
        #[prost(message, optional, tag = "30")]
        pub example: Option<Any>,
        #[prost(message, repeated, tag = "31")]
        pub vendor_extension: Vec<NamedAny>,
    }

    /// `openapi.v2.AdditionalPropertiesItem`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct AdditionalPropertiesItem {
        #[prost(oneof = "additional_properties_item::Oneof", tags = "1, 2")]
        pub oneof: Option<additional_properties_item::Oneof>,
    }

    /// The oneof of [`AdditionalPropertiesItem`].
    pub mod additional_properties_item {
        /// `AdditionalPropertiesItem.oneof`.
        #[derive(Clone, PartialEq, prost::Oneof)]
        pub enum Oneof {
            #[prost(message, tag = "1")]
            Schema(Box<super::Schema>),
            #[prost(bool, tag = "2")]
            Boolean(bool),
        }
    }

    /// `openapi.v2.TypeItem`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct TypeItem {
        #[prost(string, repeated, tag = "1")]
        pub value: Vec<String>,
    }

    /// `openapi.v2.ItemsItem`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ItemsItem {
        #[prost(message, repeated, tag = "1")]
        pub schema: Vec<Schema>,
    }

    /// `openapi.v2.Properties`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Properties {
        #[prost(message, repeated, tag = "1")]
        pub additional_properties: Vec<NamedSchema>,
    }

    /// `openapi.v2.NamedAny`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NamedAny {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(message, optional, tag = "2")]
        pub value: Option<Any>,
    }

    /// `openapi.v2.Any`: a free-form value as YAML text (`value`, field 1, is never set).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Any {
        #[prost(string, tag = "2")]
        pub yaml: String,
    }

    // -----------------------------------------------------------------------------------------
    // JSON → messages

    fn string(v: &Value, key: &str) -> String {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    fn strings(v: &Value, key: &str) -> Vec<String> {
        match v.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    fn boolean(v: &Value, key: &str) -> bool {
        v.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    fn int(v: &Value, key: &str) -> i64 {
        v.get(key).and_then(Value::as_i64).unwrap_or(0)
    }

    fn double(v: &Value, key: &str) -> f64 {
        v.get(key).and_then(Value::as_f64).unwrap_or(0.0)
    }

    fn entries(v: &Value) -> impl Iterator<Item = (&String, &Value)> {
        v.as_object().into_iter().flat_map(Map::iter)
    }

    /// A free-form value: its text, newline-terminated as gnostic's YAML is.
    pub fn any(v: &Value) -> Any {
        Any {
            yaml: format!("{v}\n"),
        }
    }

    fn opt_any(v: &Value, key: &str) -> Option<Any> {
        v.get(key).map(any)
    }

    fn anys(v: &Value, key: &str) -> Vec<Any> {
        v.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(any)
            .collect()
    }

    fn extensions(v: &Value) -> Vec<NamedAny> {
        entries(v)
            .filter(|(k, _)| k.starts_with("x-"))
            .map(|(k, v)| NamedAny {
                name: k.clone(),
                value: Some(any(v)),
            })
            .collect()
    }

    /// The message of a Swagger 2.0 document in JSON.
    pub fn document(v: &Value) -> Document {
        let info = v.get("info").map(|i| Info {
            title: string(i, "title"),
            version: string(i, "version"),
            description: string(i, "description"),
        });
        let paths = v.get("paths").map(|p| Paths {
            vendor_extension: extensions(p),
            path: entries(p)
                .filter(|(k, _)| k.starts_with('/'))
                .map(|(name, item)| NamedPathItem {
                    name: name.clone(),
                    value: Some(path_item(item)),
                })
                .collect(),
        });
        let definitions = v.get("definitions").map(|d| Definitions {
            additional_properties: named_schemas(d),
        });
        Document {
            swagger: string(v, "swagger"),
            info,
            paths,
            definitions,
            vendor_extension: extensions(v),
        }
    }

    fn path_item(v: &Value) -> PathItem {
        let op = |method: &str| v.get(method).map(operation);
        PathItem {
            get: op("get"),
            put: op("put"),
            post: op("post"),
            delete: op("delete"),
            options: op("options"),
            head: op("head"),
            patch: op("patch"),
            parameters: parameters(v),
            vendor_extension: extensions(v),
        }
    }

    fn operation(v: &Value) -> Operation {
        let responses = v.get("responses").map(|r| Responses {
            response_code: entries(r)
                .filter(|(k, _)| !k.starts_with("x-"))
                .map(|(code, r)| NamedResponseValue {
                    name: code.clone(),
                    value: Some(ResponseValue {
                        oneof: Some(response_value::Oneof::Response(Response {
                            description: string(r, "description"),
                            schema: r.get("schema").map(|s| SchemaItem {
                                oneof: Some(schema_item::Oneof::Schema(schema(s))),
                            }),
                            vendor_extension: extensions(r),
                        })),
                    }),
                })
                .collect(),
            vendor_extension: extensions(r),
        });
        Operation {
            tags: strings(v, "tags"),
            summary: string(v, "summary"),
            description: string(v, "description"),
            operation_id: string(v, "operationId"),
            produces: strings(v, "produces"),
            consumes: strings(v, "consumes"),
            parameters: parameters(v),
            responses,
            schemes: strings(v, "schemes"),
            deprecated: boolean(v, "deprecated"),
            vendor_extension: extensions(v),
        }
    }

    fn parameters(v: &Value) -> Vec<ParametersItem> {
        let list = v.get("parameters").and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .filter_map(parameter)
            .map(|p| ParametersItem {
                oneof: Some(parameters_item::Oneof::Parameter(p)),
            })
            .collect()
    }

    /// A body, query or path parameter; `None` for the kinds the documents never hold.
    fn parameter(v: &Value) -> Option<Parameter> {
        use non_body_parameter::Oneof as NonBody;
        let non_body =
            |p: NonBody| parameter::Oneof::NonBodyParameter(NonBodyParameter { oneof: Some(p) });
        let oneof = match v.get("in").and_then(Value::as_str)? {
            "body" => parameter::Oneof::BodyParameter(Box::new(BodyParameter {
                description: string(v, "description"),
                name: string(v, "name"),
                r#in: string(v, "in"),
                required: boolean(v, "required"),
                schema: v.get("schema").map(schema),
                vendor_extension: extensions(v),
            })),
            "query" => non_body(NonBody::QueryParameterSubSchema(QueryParameterSubSchema {
                required: boolean(v, "required"),
                r#in: string(v, "in"),
                description: string(v, "description"),
                name: string(v, "name"),
                r#type: string(v, "type"),
                format: string(v, "format"),
                default: opt_any(v, "default"),
                unique_items: boolean(v, "uniqueItems"),
                r#enum: anys(v, "enum"),
                vendor_extension: extensions(v),
            })),
            "path" => non_body(NonBody::PathParameterSubSchema(PathParameterSubSchema {
                required: boolean(v, "required"),
                r#in: string(v, "in"),
                description: string(v, "description"),
                name: string(v, "name"),
                r#type: string(v, "type"),
                format: string(v, "format"),
                default: opt_any(v, "default"),
                unique_items: boolean(v, "uniqueItems"),
                r#enum: anys(v, "enum"),
                vendor_extension: extensions(v),
            })),
            _ => return None,
        };
        Some(Parameter { oneof: Some(oneof) })
    }

    fn named_schemas(v: &Value) -> Vec<NamedSchema> {
        entries(v)
            .map(|(name, s)| NamedSchema {
                name: name.clone(),
                value: Some(schema(s)),
            })
            .collect()
    }

    /// The message of one schema.
    pub fn schema(v: &Value) -> Schema {
        use additional_properties_item::Oneof as Additional;
        let additional_properties = v.get("additionalProperties").map(|a| {
            let oneof = match a {
                Value::Bool(b) => Additional::Boolean(*b),
                other => Additional::Schema(Box::new(schema(other))),
            };
            AdditionalPropertiesItem { oneof: Some(oneof) }
        });
        let items = v.get("items").map(|i| ItemsItem {
            schema: match i {
                Value::Array(all) => all.iter().map(schema).collect(),
                one => vec![schema(one)],
            },
        });
        let all_of = v.get("allOf").and_then(Value::as_array);
        Schema {
            _ref: string(v, "$ref"),
            format: string(v, "format"),
            title: string(v, "title"),
            description: string(v, "description"),
            default: opt_any(v, "default"),
            multiple_of: double(v, "multipleOf"),
            maximum: double(v, "maximum"),
            exclusive_maximum: boolean(v, "exclusiveMaximum"),
            minimum: double(v, "minimum"),
            exclusive_minimum: boolean(v, "exclusiveMinimum"),
            max_length: int(v, "maxLength"),
            min_length: int(v, "minLength"),
            pattern: string(v, "pattern"),
            max_items: int(v, "maxItems"),
            min_items: int(v, "minItems"),
            unique_items: boolean(v, "uniqueItems"),
            max_properties: int(v, "maxProperties"),
            min_properties: int(v, "minProperties"),
            required: strings(v, "required"),
            r#enum: anys(v, "enum"),
            additional_properties,
            r#type: v.get("type").map(|_| TypeItem {
                value: strings(v, "type"),
            }),
            items,
            all_of: all_of.into_iter().flatten().map(schema).collect(),
            properties: v.get("properties").map(|p| Properties {
                additional_properties: named_schemas(p),
            }),
            discriminator: string(v, "discriminator"),
            read_only: boolean(v, "readOnly"),
            example: opt_any(v, "example"),
            vendor_extension: extensions(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::gnostic::{self, additional_properties_item, non_body_parameter, parameter};
    use super::*;

    fn decoded() -> gnostic::Document {
        gnostic::Document::decode(protobuf_bytes()).expect("our protobuf decodes")
    }

    /// The JSON a decoded schema stands for (the inverse of `gnostic::schema` for the fields
    /// the documents use).
    fn schema_json(s: &gnostic::Schema) -> Value {
        let mut out = Map::new();
        let mut put = |k: &str, v: Value| {
            out.insert(k.to_string(), v);
        };
        if !s._ref.is_empty() {
            put("$ref", s._ref.clone().into());
        }
        if !s.format.is_empty() {
            put("format", s.format.clone().into());
        }
        if !s.description.is_empty() {
            put("description", s.description.clone().into());
        }
        if let Some(d) = &s.default {
            put(
                "default",
                serde_json::from_str(&d.yaml).expect("Any is JSON"),
            );
        }
        if !s.required.is_empty() {
            put("required", json!(s.required));
        }
        if !s.r#enum.is_empty() {
            let values = s
                .r#enum
                .iter()
                .map(|a| serde_json::from_str(&a.yaml).unwrap());
            put("enum", Value::Array(values.collect()));
        }
        if let Some(a) = &s.additional_properties {
            match a.oneof.as_ref().expect("set") {
                additional_properties_item::Oneof::Schema(s) => {
                    put("additionalProperties", schema_json(s))
                }
                additional_properties_item::Oneof::Boolean(b) => {
                    put("additionalProperties", (*b).into())
                }
            }
        }
        if let Some(t) = &s.r#type {
            assert_eq!(t.value.len(), 1, "one type");
            put("type", t.value[0].clone().into());
        }
        if let Some(i) = &s.items {
            assert_eq!(i.schema.len(), 1, "one items schema");
            put("items", schema_json(&i.schema[0]));
        }
        if !s.all_of.is_empty() {
            put("allOf", s.all_of.iter().map(schema_json).collect());
        }
        if let Some(p) = &s.properties {
            let props = p.additional_properties.iter().map(|n| {
                (
                    n.name.clone(),
                    schema_json(n.value.as_ref().expect("property schema")),
                )
            });
            put("properties", Value::Object(props.collect()));
        }
        if s.unique_items {
            put("uniqueItems", true.into());
        }
        if s.read_only {
            put("readOnly", true.into());
        }
        for e in &s.vendor_extension {
            let yaml = &e.value.as_ref().expect("extension value").yaml;
            put(&e.name, serde_json::from_str(yaml).expect("Any is JSON"));
        }
        Value::Object(out)
    }

    #[test]
    fn protobuf_decodes_to_the_json_documents_definitions() {
        let doc: Value = serde_json::from_slice(json_bytes()).expect("JSON");
        let pb = decoded();
        assert_eq!(pb.swagger, "2.0");
        let info = pb.info.as_ref().expect("info");
        assert_eq!(info.title, "Kubernetes");
        assert_eq!(info.version, "v1.33.0");
        let defs = &pb
            .definitions
            .as_ref()
            .expect("definitions")
            .additional_properties;
        let json_defs = doc["definitions"].as_object().expect("definitions");
        assert_eq!(defs.len(), json_defs.len());
        for d in defs {
            let back = schema_json(d.value.as_ref().expect("schema"));
            assert_eq!(back, json_defs[&d.name], "definition {}", d.name);
        }
    }

    #[test]
    fn every_operation_survives_the_protobuf_encoding() {
        let doc: Value = serde_json::from_slice(json_bytes()).expect("JSON");
        let pb = decoded();
        let paths = &pb.paths.as_ref().expect("paths").path;
        assert_eq!(paths.len(), doc["paths"].as_object().expect("paths").len());
        for p in paths {
            let item = p.value.as_ref().expect("path item");
            let json_item = &doc["paths"][&p.name];
            assert_eq!(
                item.parameters.len(),
                json_item["parameters"].as_array().map_or(0, Vec::len),
                "{}",
                p.name
            );
            let ops = [
                ("get", &item.get),
                ("put", &item.put),
                ("post", &item.post),
                ("delete", &item.delete),
                ("patch", &item.patch),
            ];
            for (method, op) in ops {
                let json_op = &json_item[method];
                let Some(op) = op else {
                    assert!(json_op.is_null(), "{method} {} lost", p.name);
                    continue;
                };
                assert_eq!(op.operation_id, json_op["operationId"], "{}", p.name);
                assert_eq!(
                    op.parameters.len(),
                    json_op["parameters"].as_array().map_or(0, Vec::len),
                    "parameters of {}",
                    op.operation_id
                );
                assert_eq!(
                    op.responses.as_ref().map_or(0, |r| r.response_code.len()),
                    json_op["responses"].as_object().map_or(0, Map::len),
                );
            }
        }
    }

    /// What kubectl's v2 query-parameter verifier does (cli-runtime `supportsQueryParam`):
    /// the first path whose PATCH names the GVK must list `fieldValidation` as a query
    /// parameter of the operation itself.
    fn supports_field_validation(pb: &gnostic::Document, gvk: &Value) -> Option<bool> {
        for p in &pb.paths.as_ref()?.path {
            let Some(patch) = p.value.as_ref().and_then(|i| i.patch.as_ref()) else {
                continue;
            };
            let names_gvk = patch.vendor_extension.iter().any(|e| {
                e.name == GVK_EXTENSION
                    && e.value
                        .as_ref()
                        .and_then(|a| serde_json::from_str::<Value>(&a.yaml).ok())
                        .as_ref()
                        == Some(gvk)
            });
            if !names_gvk {
                continue;
            }
            return Some(patch.parameters.iter().any(|item| {
                let Some(super::gnostic::parameters_item::Oneof::Parameter(p)) = &item.oneof else {
                    return false;
                };
                let Some(parameter::Oneof::NonBodyParameter(nb)) = &p.oneof else {
                    return false;
                };
                matches!(
                    &nb.oneof,
                    Some(non_body_parameter::Oneof::QueryParameterSubSchema(q))
                        if q.name == "fieldValidation"
                )
            }));
        }
        None
    }

    #[test]
    fn kubectl_finds_field_validation_for_every_patchable_kind() {
        let pb = decoded();
        for r in tug_api::resources::RESOURCES {
            if !r.verbs.contains(&"patch") {
                continue;
            }
            let gvk = json!({ "group": r.group, "kind": r.kind, "version": r.version });
            assert_eq!(
                supports_field_validation(&pb, &gvk),
                Some(true),
                "{gvk} has no PATCH with fieldValidation"
            );
        }
    }

    /// kube-openapi's `proto.NewOpenAPIData` (what kubectl 1.27/1.28 run on the document)
    /// rejects the whole document for one bad schema; these are its rules.
    fn check_parseable(s: &gnostic::Schema, path: &str, names: &[&str]) {
        let types = s.r#type.as_ref().map(|t| t.value.as_slice()).unwrap_or(&[]);
        if !s._ref.is_empty() {
            let name = s._ref.strip_prefix(V2_REF_PREFIX);
            let name = name.unwrap_or_else(|| panic!("{path}: non-definition $ref {}", s._ref));
            assert!(names.contains(&name), "{path}: unknown model {name}");
            assert!(types.is_empty(), "{path}: reference with a type");
            assert!(s.properties.is_none(), "{path}: reference with properties");
            return;
        }
        assert!(types.len() <= 1, "{path}: several types");
        match types.first().map(String::as_str) {
            Some("array") => {
                let items = s.items.as_ref().map_or(0, |i| i.schema.len());
                assert_eq!(items, 1, "{path}: array without exactly one items schema");
                check_parseable(&s.items.as_ref().unwrap().schema[0], path, names);
            }
            Some("object") | None => {
                if let Some(props) = &s.properties {
                    for p in &props.additional_properties {
                        let sub = p.value.as_ref().expect("property schema");
                        check_parseable(sub, &format!("{path}.{}", p.name), names);
                    }
                } else if let Some(additional_properties_item::Oneof::Schema(sub)) = s
                    .additional_properties
                    .as_ref()
                    .and_then(|a| a.oneof.as_ref())
                {
                    check_parseable(sub, &format!("{path}[*]"), names);
                }
            }
            Some("string" | "number" | "integer" | "boolean") => {}
            Some(other) => panic!("{path}: unknown primitive type {other}"),
        }
    }

    #[test]
    fn kubectl_can_parse_every_definition() {
        let pb = decoded();
        let defs = &pb
            .definitions
            .as_ref()
            .expect("definitions")
            .additional_properties;
        let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
        for d in defs {
            check_parseable(d.value.as_ref().expect("schema"), &d.name, &names);
        }
        for p in &pb.paths.as_ref().expect("paths").path {
            let item = p.value.as_ref().expect("item");
            let ops = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
            for op in ops.into_iter().flatten() {
                for param in &op.parameters {
                    if let Some(super::gnostic::parameters_item::Oneof::Parameter(
                        gnostic::Parameter {
                            oneof: Some(parameter::Oneof::BodyParameter(b)),
                        },
                    )) = &param.oneof
                    {
                        let s = b.schema.as_ref().expect("body schema");
                        check_parseable(s, &op.operation_id, &names);
                    }
                }
            }
        }
    }

    #[test]
    fn every_served_kind_has_a_definition_naming_it() {
        let doc: Value = serde_json::from_slice(json_bytes()).expect("JSON");
        let defs = doc["definitions"].as_object().expect("definitions");
        for r in tug_api::resources::RESOURCES {
            let gvk = json!({ "group": r.group, "kind": r.kind, "version": r.version });
            let found = defs.values().any(|d| {
                d[GVK_EXTENSION]
                    .as_array()
                    .is_some_and(|list| list.contains(&gvk))
            });
            assert!(found, "no definition for {gvk}");
        }
        let pod = &defs["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
        assert_eq!(pod["x-kubernetes-patch-merge-key"], "name");
        assert_eq!(pod["x-kubernetes-patch-strategy"], "merge");
        assert_eq!(
            pod["items"]["$ref"],
            "#/definitions/io.k8s.api.core.v1.Container"
        );
        let meta = &defs["io.k8s.api.core.v1.Pod"]["properties"]["metadata"];
        assert_eq!(
            meta["$ref"],
            "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        );
        assert!(meta["description"].is_string(), "siblings of a $ref stay");
        let ios = &defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"];
        assert_eq!(ios["type"], "string");
        assert_eq!(ios["format"], "int-or-string");
        let text = String::from_utf8_lossy(json_bytes());
        assert!(!text.contains("#/components/"), "a v3 $ref is left");
    }

    #[test]
    fn operations_have_swagger_2_shape() {
        let doc: Value = serde_json::from_slice(json_bytes()).expect("JSON");
        let item = &doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"];
        let patch = &item["patch"];
        assert_eq!(patch["operationId"], "patchCoreV1NamespacedPod");
        assert_eq!(
            patch[GVK_EXTENSION],
            json!({ "group": "", "kind": "Pod", "version": "v1" })
        );
        let params = patch["parameters"].as_array().expect("parameters");
        assert_eq!(params[0]["in"], "body");
        assert_eq!(
            params[0]["schema"]["$ref"],
            "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
        );
        let fv = params.iter().find(|p| p["name"] == "fieldValidation");
        let fv = fv.expect("fieldValidation");
        assert_eq!(fv["in"], "query");
        assert_eq!(fv["type"], "string");
        assert!(fv.get("schema").is_none());
        let consumes = patch["consumes"].as_array().expect("consumes");
        for ct in crate::openapi::PATCH_CONTENT_TYPES {
            assert!(consumes.contains(&Value::from(*ct)), "{ct}");
        }
        assert_eq!(
            patch["responses"]["200"]["schema"]["$ref"],
            "#/definitions/io.k8s.api.core.v1.Pod"
        );
        assert_eq!(item["parameters"][0]["name"], "name");
        assert_eq!(item["parameters"][0]["required"], true);
        let post = &doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments"]["post"];
        assert_eq!(post["parameters"][0]["required"], true);
        assert!(
            post["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .any(|p| p["name"] == "fieldValidation")
        );
    }

    #[test]
    fn negotiation_follows_upstream() {
        assert_eq!(negotiate("*/*"), Some(Encoding::Json));
        assert_eq!(negotiate("application/json"), Some(Encoding::Json));
        assert_eq!(negotiate(PROTOBUF_ACCEPT), Some(Encoding::Protobuf));
        assert_eq!(negotiate(PROTOBUF_CONTENT_TYPE), Some(Encoding::Protobuf));
        assert_eq!(
            negotiate(&format!("application/json;q=0.5, {PROTOBUF_ACCEPT}")),
            Some(Encoding::Protobuf)
        );
        assert_eq!(
            negotiate(&format!("*/*, {PROTOBUF_ACCEPT}")),
            Some(Encoding::Protobuf)
        );
        assert_eq!(negotiate("application/*"), Some(Encoding::Json));
        assert_eq!(negotiate("text/html"), None);
        assert_eq!(negotiate("application/json;q=0"), None);
    }

    #[tokio::test]
    async fn reply_serves_both_encodings_with_one_etag() {
        let mut headers = HeaderMap::new();
        let json = reply(&headers).await;
        assert_eq!(json.status(), StatusCode::OK);
        assert_eq!(json.headers()[header::CONTENT_TYPE], "application/json");
        let etag = json.headers()[header::ETAG].clone();
        assert!(etag.to_str().unwrap().starts_with('"'));

        headers.insert(header::ACCEPT, HeaderValue::from_static(PROTOBUF_ACCEPT));
        let pb = reply(&headers).await;
        assert_eq!(pb.status(), StatusCode::OK);
        assert_eq!(pb.headers()[header::CONTENT_TYPE], PROTOBUF_CONTENT_TYPE);
        assert_eq!(pb.headers()[header::ETAG], etag);
        let body = axum::body::to_bytes(pb.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(&body[..], protobuf_bytes());

        headers.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(reply(&headers).await.status(), StatusCode::NOT_MODIFIED);

        let mut html = HeaderMap::new();
        html.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
        assert_eq!(reply(&html).await.status(), StatusCode::NOT_ACCEPTABLE);
    }
}
