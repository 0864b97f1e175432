//! Protobuf request bodies (`application/vnd.kubernetes.protobuf`), decoded into the JSON
//! value a JSON client would have sent, so they take the same strict decoding path.
//!
//! kubectl 1.32+ sends every typed-clientset create (`kubectl create deployment|namespace|…`)
//! as protobuf: the magic `k8s\0`, then a `runtime.Unknown` whose `typeMeta` names the kind
//! and whose `raw` is the kind's generated `k8s.io/api` message. The wire decoding is prost's,
//! on the [`k8s_pb`] types (Kubernetes 1.33, the API tug serves).
//!
//! The JSON is upstream's: what Go's `encoding/json` makes of the Go struct that upstream's
//! generated unmarshalling fills. That depends on facts the prost types lack (the JSON
//! names; whether a Go field is a pointer; `omitempty`), so the conversion is generated
//! (`protobuf/generated.rs`, by `protobuf/gen.py` from the Go struct tags of k8s.io/api and
//! k8s.io/apimachinery, joined with k8s-pb by protobuf tag number). The rules, per Go field:
//!
//! * pointer scalar (`*int32`, `*bool`, …): present on the wire ⇔ in the JSON, zero or not
//!   (`replicas: 0`, `automountServiceAccountToken: false`);
//! * value scalar with `omitempty`: omitted when zero (Go marshals these always, so their
//!   presence on the wire means nothing); without `omitempty`: always, zero if absent;
//! * value struct: always an object (`metadata`, `spec`, `status: {}`, `resources: {}`),
//!   even when absent on the wire; pointer struct: present ⇔ in the JSON;
//! * lists and maps: present when non-empty (Go's `null` for a nil slice means absent too);
//! * `metav1.Time` (seconds; nanos are ignored, as upstream does) and `MicroTime`
//!   (microseconds) become RFC 3339 in UTC, the zero time is absent; `resource.Quantity`
//!   its string (`"0"` when unset); `IntOrString` a number or a string; `[]byte` base64;
//!   `FieldsV1` and `RawExtension` their raw JSON.
//!
//! Responses stay JSON: clients that send protobuf also accept JSON.

mod generated;

use std::collections::BTreeMap;

use base64::Engine;
use k8s_pb::apimachinery::pkg::{api::resource, apis::meta::v1 as meta, runtime, util::intstr};
use prost::Message;
use serde_json::{Map, Value};

/// The media type of protobuf request bodies.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// The four bytes every Kubernetes protobuf body starts with.
pub const MAGIC: [u8; 4] = *b"k8s\0";

/// The media types accepted for kinds the protobuf decoder does not know, for the 415
/// answer (upstream lists these for kinds without protobuf, such as custom resources).
pub const NON_PROTOBUF_MEDIA_TYPES: &str = "application/json, application/yaml";

/// Why a protobuf body could not be decoded. The messages are upstream's where upstream
/// has one.
#[derive(Debug, thiserror::Error)]
pub enum ProtobufError {
    /// The body is empty.
    #[error("empty data")]
    EmptyData,
    /// The body does not start with [`MAGIC`].
    #[error(
        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
    )]
    NoMagic,
    /// The body is only [`MAGIC`].
    #[error("empty body")]
    EmptyBody,
    /// The envelope or the object is not valid protobuf for its message type.
    #[error("{0}")]
    Wire(#[from] prost::DecodeError),
    /// Neither the envelope nor the caller names a kind.
    #[error("Object 'Kind' is missing in the protobuf body")]
    MissingKind,
    /// Neither the envelope nor the caller names an apiVersion.
    #[error("Object 'apiVersion' is missing in the protobuf body")]
    MissingVersion,
    /// The decoder does not know this kind; answer 415 with [`NON_PROTOBUF_MEDIA_TYPES`].
    #[error("no kind {kind:?} is registered for version {api_version:?}")]
    UnknownKind { api_version: String, kind: String },
    /// A value that has no JSON form (upstream fails these while encoding JSON).
    #[error("{0}")]
    Value(String),
}

impl ProtobufError {
    /// Whether the answer is 415 (the kind has no protobuf decoder) rather than 400.
    pub fn is_unsupported_kind(&self) -> bool {
        matches!(self, ProtobufError::UnknownKind { .. })
    }
}

/// Decodes a protobuf body into the JSON object upstream would produce for it, with
/// `apiVersion` and `kind` from the envelope's `typeMeta`.
pub fn decode(body: &[u8]) -> Result<Value, ProtobufError> {
    decode_for(body, "", "")
}

/// [`decode`], with the endpoint's `apiVersion` and `kind` as defaults for an envelope
/// that leaves them empty (upstream's `copyKindDefaults`). Whether the object's kind is the
/// endpoint's is not checked here: the JSON path checks that afterwards.
pub fn decode_for(body: &[u8], api_version: &str, kind: &str) -> Result<Value, ProtobufError> {
    let data = match body.strip_prefix(&MAGIC) {
        _ if body.is_empty() => return Err(ProtobufError::EmptyData),
        None => return Err(ProtobufError::NoMagic),
        Some([]) => return Err(ProtobufError::EmptyBody),
        Some(data) => data,
    };
    let unknown = runtime::Unknown::decode(data)?;
    let type_meta = unknown.type_meta.unwrap_or_default();
    let mut av = type_meta.api_version.unwrap_or_default();
    let mut k = type_meta.kind.unwrap_or_default();
    if k.is_empty() {
        k = kind.to_string();
    }
    if av.is_empty() {
        av = api_version.to_string();
    }
    if k.is_empty() {
        return Err(ProtobufError::MissingKind);
    }
    if av.is_empty() {
        return Err(ProtobufError::MissingVersion);
    }
    let Some((_, _, decoder)) = generated::KINDS
        .iter()
        .find(|(a, kd, _)| *a == av && *kd == k)
    else {
        return Err(ProtobufError::UnknownKind {
            api_version: av,
            kind: k,
        });
    };
    let obj = decoder(unknown.raw.as_deref().unwrap_or_default())?;
    let mut out = Map::new();
    out.insert("apiVersion".into(), Value::String(av));
    out.insert("kind".into(), Value::String(k));
    if let Value::Object(fields) = obj {
        out.extend(fields);
    }
    Ok(Value::Object(out))
}

/// Whether [`decode`] knows `kind` at `api_version`.
pub fn supports(api_version: &str, kind: &str) -> bool {
    generated::KINDS
        .iter()
        .any(|(a, k, _)| *a == api_version && *k == kind)
}

/// The kinds [`decode`] knows, as `(apiVersion, kind)`.
pub fn kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    generated::KINDS.iter().map(|(a, k, _)| (*a, *k))
}

// ------------------------------------------------------------------ conversion machinery

/// Decodes one kind's raw message and converts it.
type Decoder = fn(&[u8]) -> Result<Value, ProtobufError>;

fn decode_message<M: Message + Default + ToJson>(raw: &[u8]) -> Result<Value, ProtobufError> {
    M::decode(raw)?.to_json()
}

/// A prost message's upstream JSON form; `Null` means "absent" (what Go marshals as `null`).
trait ToJson {
    fn to_json(&self) -> Result<Value, ProtobufError>;
}

/// How a Go field with a protobuf presence bit turns into JSON (see the module docs).
#[derive(Clone, Copy)]
enum Rule {
    /// A Go pointer: in the JSON exactly when present on the wire.
    Ptr,
    /// A Go value with `omitempty`: in the JSON when non-zero.
    OmitEmpty,
    /// A Go value without `omitempty` (or a struct): always in the JSON, zero if absent.
    Always,
}

/// A protobuf scalar with a Go zero value.
trait Scalar {
    fn is_zero(&self) -> bool;
    fn json(&self) -> Value;
    fn zero() -> Value;
}

impl Scalar for String {
    fn is_zero(&self) -> bool {
        self.is_empty()
    }
    fn json(&self) -> Value {
        Value::String(self.clone())
    }
    fn zero() -> Value {
        Value::String(String::new())
    }
}

impl Scalar for i32 {
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn json(&self) -> Value {
        Value::from(*self)
    }
    fn zero() -> Value {
        Value::from(0)
    }
}

impl Scalar for i64 {
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn json(&self) -> Value {
        Value::from(*self)
    }
    fn zero() -> Value {
        Value::from(0)
    }
}

impl Scalar for bool {
    fn is_zero(&self) -> bool {
        !*self
    }
    fn json(&self) -> Value {
        Value::Bool(*self)
    }
    fn zero() -> Value {
        Value::Bool(false)
    }
}

/// Go marshals `[]byte` as standard base64.
impl Scalar for Vec<u8> {
    fn is_zero(&self) -> bool {
        self.is_empty()
    }
    fn json(&self) -> Value {
        Value::String(base64::engine::general_purpose::STANDARD.encode(self))
    }
    fn zero() -> Value {
        Value::String(String::new())
    }
}

fn scalar<T: Scalar>(o: &mut Map<String, Value>, key: &str, v: &Option<T>, rule: Rule) {
    let value = match (v, rule) {
        (Some(x), Rule::OmitEmpty) if x.is_zero() => return,
        (Some(x), _) => x.json(),
        (None, Rule::Always) => T::zero(),
        (None, _) => return,
    };
    o.insert(key.to_string(), value);
}

/// The JSON of a message field, or `None` when it is absent.
fn message_value<T: ToJson + Default>(
    v: &Option<T>,
    rule: Rule,
) -> Result<Option<Value>, ProtobufError> {
    let value = match (v, rule) {
        (Some(x), _) => x.to_json()?,
        (None, Rule::Always) => T::default().to_json()?,
        (None, _) => return Ok(None),
    };
    Ok((!value.is_null()).then_some(value))
}

fn msg<T: ToJson + Default>(
    o: &mut Map<String, Value>,
    key: &str,
    v: &Option<T>,
    rule: Rule,
) -> Result<(), ProtobufError> {
    if let Some(value) = message_value(v, rule)? {
        o.insert(key.to_string(), value);
    }
    Ok(())
}

/// A Go struct embedded with `json:",inline"` (a nested message on the wire): its fields
/// join the parent object.
fn inline<T: ToJson + Default>(
    o: &mut Map<String, Value>,
    v: &Option<T>,
    rule: Rule,
) -> Result<(), ProtobufError> {
    match message_value(v, rule)? {
        None => Ok(()),
        Some(Value::Object(fields)) => {
            o.extend(fields);
            Ok(())
        }
        Some(other) => Err(ProtobufError::Value(format!(
            "an inline field must be an object, not {other}"
        ))),
    }
}

fn list_scalar<T: Scalar>(o: &mut Map<String, Value>, key: &str, v: &[T]) {
    if !v.is_empty() {
        o.insert(key.to_string(), v.iter().map(Scalar::json).collect());
    }
}

fn list_msg<T: ToJson>(
    o: &mut Map<String, Value>,
    key: &str,
    v: &[T],
) -> Result<(), ProtobufError> {
    if !v.is_empty() {
        let items = v.iter().map(ToJson::to_json).collect::<Result<_, _>>()?;
        o.insert(key.to_string(), Value::Array(items));
    }
    Ok(())
}

fn map_scalar<T: Scalar>(o: &mut Map<String, Value>, key: &str, v: &BTreeMap<String, T>) {
    if !v.is_empty() {
        let m = v.iter().map(|(k, x)| (k.clone(), x.json())).collect();
        o.insert(key.to_string(), Value::Object(m));
    }
}

/// A map of messages; a value Go marshals as `null` (a zero time) stays `null`, as in Go.
fn map_msg<T: ToJson>(
    o: &mut Map<String, Value>,
    key: &str,
    v: &BTreeMap<String, T>,
) -> Result<(), ProtobufError> {
    if !v.is_empty() {
        let mut m = Map::new();
        for (k, x) in v {
            m.insert(k.clone(), x.to_json()?);
        }
        o.insert(key.to_string(), Value::Object(m));
    }
    Ok(())
}

// ------------------------------------------------------------------ well-known types

/// Go's zero `time.Time` (0001-01-01T00:00:00Z) in Unix seconds; it marshals as `null`.
const GO_ZERO_TIME_UNIX: i64 = -62_135_596_800;

fn format_time(seconds: i64, micros: Option<u32>) -> Result<Value, ProtobufError> {
    let ts = jiff::Timestamp::from_second(seconds)
        .map_err(|e| ProtobufError::Value(format!("time {seconds}s: {e}")))?;
    let mut s = ts.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    if let Some(us) = micros {
        s.push_str(&format!(".{us:06}"));
    }
    s.push('Z');
    Ok(Value::String(s))
}

/// `metav1.Time`: an empty message is the zero time; upstream ignores `nanos`, and the JSON
/// form (RFC 3339, UTC) has whole seconds.
impl ToJson for meta::Time {
    fn to_json(&self) -> Result<Value, ProtobufError> {
        if self.seconds.is_none() && self.nanos.is_none() {
            return Ok(Value::Null);
        }
        let seconds = self.seconds.unwrap_or(0);
        if seconds == GO_ZERO_TIME_UNIX {
            return Ok(Value::Null);
        }
        format_time(seconds, None)
    }
}

/// `metav1.MicroTime`: nanos truncated to microseconds (toward zero, as Go's
/// `Duration.Truncate`), RFC 3339 with six fractional digits in UTC.
impl ToJson for meta::MicroTime {
    fn to_json(&self) -> Result<Value, ProtobufError> {
        if self.seconds.is_none() && self.nanos.is_none() {
            return Ok(Value::Null);
        }
        let nanos = i64::from(self.nanos.unwrap_or(0));
        let nanos = nanos - nanos % 1000;
        let total = i128::from(self.seconds.unwrap_or(0)) * 1_000_000_000 + i128::from(nanos);
        let seconds = total.div_euclid(1_000_000_000);
        let sub = total.rem_euclid(1_000_000_000);
        let seconds = i64::try_from(seconds)
            .map_err(|_| ProtobufError::Value(format!("time {seconds}s is out of range")))?;
        if seconds == GO_ZERO_TIME_UNIX && sub == 0 {
            return Ok(Value::Null);
        }
        // `sub` is below 1e9, so the microseconds fit.
        format_time(seconds, Some((sub / 1000) as u32))
    }
}

/// `resource.Quantity`: its string; an unset quantity is Go's zero Quantity, `"0"`.
impl ToJson for resource::Quantity {
    fn to_json(&self) -> Result<Value, ProtobufError> {
        Ok(Value::String(
            self.string.clone().unwrap_or_else(|| "0".to_string()),
        ))
    }
}

/// `intstr.IntOrString`: type 0 is the number `intVal`, type 1 the string `strVal`.
impl ToJson for intstr::IntOrString {
    fn to_json(&self) -> Result<Value, ProtobufError> {
        match self.r#type.unwrap_or(0) {
            0 => Ok(Value::from(self.int_val.unwrap_or(0))),
            1 => Ok(Value::String(self.str_val.clone().unwrap_or_default())),
            _ => Err(ProtobufError::Value(
                "impossible IntOrString.Type".to_string(),
            )),
        }
    }
}

fn raw_json(raw: &Option<Vec<u8>>, what: &str) -> Result<Value, ProtobufError> {
    match raw.as_deref() {
        None | Some([]) => Ok(Value::Null),
        Some(bytes) => serde_json::from_slice(bytes)
            .map_err(|e| ProtobufError::Value(format!("{what} is not JSON: {e}"))),
    }
}

/// `metav1.FieldsV1`: its raw bytes are JSON.
impl ToJson for meta::FieldsV1 {
    fn to_json(&self) -> Result<Value, ProtobufError> {
        raw_json(&self.raw, "FieldsV1")
    }
}

/// `runtime.RawExtension`: its raw bytes, which must be JSON here.
impl ToJson for runtime::RawExtension {
    fn to_json(&self) -> Result<Value, ProtobufError> {
        raw_json(&self.raw, "RawExtension")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_pb::api::core::v1 as core;
    use serde_json::json;

    /// `kubectl create namespace team1` as kubectl 1.33 sends it (the wire contract §7.10).
    const NAMESPACE_TEAM1: [u8; 56] = [
        0x6b, 0x38, 0x73, 0x00, // k8s\0
        0x0a, 0x0f, 0x0a, 0x02, b'v', b'1', 0x12, 0x09, b'N', b'a', b'm', b'e', b's', b'p', b'a',
        b'c', b'e', // typeMeta
        0x12, 0x1d, // raw
        0x0a, 0x15, 0x0a, 0x05, b't', b'e', b'a', b'm', b'1', 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00,
        0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, // metadata
        0x12, 0x00, // spec
        0x1a, 0x02, 0x0a, 0x00, // status.phase ""
        0x1a, 0x00, // contentEncoding
        0x22, 0x00, // contentType
    ];

    fn envelope(api_version: &str, kind: &str, raw: Vec<u8>) -> Vec<u8> {
        let unknown = runtime::Unknown {
            type_meta: Some(runtime::TypeMeta {
                api_version: Some(api_version.into()),
                kind: Some(kind.into()),
            }),
            raw: Some(raw),
            content_encoding: Some(String::new()),
            content_type: Some(String::new()),
        };
        let mut out = MAGIC.to_vec();
        out.extend(unknown.encode_to_vec());
        out
    }

    fn object_meta(name: &str) -> Option<meta::ObjectMeta> {
        // As Go marshals ObjectMeta: every value field present, zero or not.
        Some(meta::ObjectMeta {
            name: Some(name.into()),
            generate_name: Some(String::new()),
            namespace: Some(String::new()),
            self_link: Some(String::new()),
            uid: Some(String::new()),
            resource_version: Some(String::new()),
            generation: Some(0),
            creation_timestamp: Some(meta::Time::default()),
            ..Default::default()
        })
    }

    #[test]
    fn namespace_from_kubectl() {
        let v = decode(&NAMESPACE_TEAM1).unwrap();
        assert_eq!(
            v,
            json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team1"},"spec":{},"status":{}})
        );
    }

    #[test]
    fn envelope_errors() {
        assert_eq!(decode(b"").unwrap_err().to_string(), "empty data");
        assert_eq!(
            decode(b"{\"kind\":\"Namespace\"}").unwrap_err().to_string(),
            "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
        );
        assert_eq!(decode(b"k8s\0").unwrap_err().to_string(), "empty body");
        assert!(matches!(
            decode(&NAMESPACE_TEAM1[..30]),
            Err(ProtobufError::Wire(_))
        ));
        let e = decode(&envelope("example.com/v1", "Widget", vec![])).unwrap_err();
        assert!(e.is_unsupported_kind());
        assert_eq!(
            e.to_string(),
            "no kind \"Widget\" is registered for version \"example.com/v1\""
        );
    }

    #[test]
    fn empty_type_meta_takes_the_endpoint_kind() {
        let mut body = MAGIC.to_vec();
        body.extend(
            runtime::Unknown {
                raw: Some(NAMESPACE_TEAM1[23..52].to_vec()),
                ..Default::default()
            }
            .encode_to_vec(),
        );
        assert!(matches!(decode(&body), Err(ProtobufError::MissingKind)));
        let v = decode_for(&body, "v1", "Namespace").unwrap();
        assert_eq!(v["kind"], "Namespace");
        assert_eq!(v["metadata"]["name"], "team1");
    }

    #[test]
    fn secret_bytes_and_pointer_bools() {
        let secret = core::Secret {
            metadata: object_meta("s"),
            immutable: Some(false),
            data: [("k".to_string(), b"v".to_vec())].into(),
            string_data: Default::default(),
            r#type: Some(String::new()),
        };
        let v = decode(&envelope("v1", "Secret", secret.encode_to_vec())).unwrap();
        assert_eq!(
            v,
            json!({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},
                   "immutable":false,"data":{"k":"dg=="}})
        );
    }

    #[test]
    fn service_ports_and_int_or_string() {
        let port = |name: &str, target: intstr::IntOrString| core::ServicePort {
            name: Some(name.into()),
            protocol: Some("TCP".into()),
            port: Some(80),
            target_port: Some(target),
            node_port: Some(0),
            app_protocol: None,
        };
        let svc = core::Service {
            metadata: object_meta("svc"),
            spec: Some(core::ServiceSpec {
                ports: vec![
                    port(
                        "a",
                        intstr::IntOrString {
                            r#type: Some(0),
                            int_val: Some(8080),
                            str_val: Some(String::new()),
                        },
                    ),
                    port(
                        "b",
                        intstr::IntOrString {
                            r#type: Some(1),
                            int_val: Some(0),
                            str_val: Some("http".into()),
                        },
                    ),
                ],
                r#type: Some("ClusterIP".into()),
                cluster_ip: Some(String::new()),
                session_affinity: Some(String::new()),
                ..Default::default()
            }),
            status: Some(Default::default()),
        };
        let v = decode(&envelope("v1", "Service", svc.encode_to_vec())).unwrap();
        assert_eq!(
            v,
            json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},
                   "spec":{"ports":[
                       {"name":"a","protocol":"TCP","port":80,"targetPort":8080},
                       {"name":"b","protocol":"TCP","port":80,"targetPort":"http"}],
                     "type":"ClusterIP"},
                   "status":{"loadBalancer":{}}})
        );
    }

    #[test]
    fn deployment_value_structs_pointers_and_quantities() {
        use k8s_pb::api::apps::v1 as apps;
        let container = core::Container {
            name: Some("web".into()),
            image: Some("nginx:1.25".into()),
            resources: Some(core::ResourceRequirements {
                limits: [(
                    "cpu".to_string(),
                    resource::Quantity {
                        string: Some("500m".into()),
                    },
                )]
                .into(),
                ..Default::default()
            }),
            termination_message_path: Some(String::new()),
            stdin: Some(false),
            ..Default::default()
        };
        let d = apps::Deployment {
            metadata: object_meta("web"),
            spec: Some(apps::DeploymentSpec {
                replicas: Some(0),
                selector: Some(meta::LabelSelector {
                    match_labels: [("app".to_string(), "web".to_string())].into(),
                    match_expressions: vec![],
                }),
                template: Some(core::PodTemplateSpec {
                    metadata: object_meta(""),
                    spec: Some(core::PodSpec {
                        containers: vec![container],
                        ..Default::default()
                    }),
                }),
                strategy: None,
                min_ready_seconds: Some(0),
                revision_history_limit: None,
                paused: Some(false),
                progress_deadline_seconds: None,
            }),
            status: None,
        };
        let v = decode(&envelope("apps/v1", "Deployment", d.encode_to_vec())).unwrap();
        assert_eq!(
            v,
            json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                   "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{},"spec":{"containers":[
                       {"name":"web","image":"nginx:1.25","resources":{"limits":{"cpu":"500m"}}}]}},
                     "strategy":{}},
                   "status":{}})
        );
    }

    #[test]
    fn times() {
        let t = |seconds, nanos| meta::Time { seconds, nanos };
        assert_eq!(t(None, None).to_json().unwrap(), Value::Null);
        assert_eq!(
            t(Some(GO_ZERO_TIME_UNIX), None).to_json().unwrap(),
            Value::Null
        );
        assert_eq!(t(Some(0), None).to_json().unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(
            t(Some(1_700_000_000), Some(999_999_999)).to_json().unwrap(),
            "2023-11-14T22:13:20Z"
        );
        let mt = |seconds, nanos| meta::MicroTime { seconds, nanos };
        assert_eq!(mt(None, None).to_json().unwrap(), Value::Null);
        assert_eq!(
            mt(Some(1_700_000_000), Some(123_456_789))
                .to_json()
                .unwrap(),
            "2023-11-14T22:13:20.123456Z"
        );
        assert_eq!(
            mt(Some(1_700_000_000), None).to_json().unwrap(),
            "2023-11-14T22:13:20.000000Z"
        );
        assert!(t(Some(i64::MAX), None).to_json().is_err());
    }

    #[test]
    fn well_known_values() {
        assert_eq!(resource::Quantity { string: None }.to_json().unwrap(), "0");
        let ios = |t| intstr::IntOrString {
            r#type: Some(t),
            int_val: Some(3),
            str_val: Some("x".into()),
        };
        assert_eq!(ios(0).to_json().unwrap(), 3);
        assert_eq!(ios(1).to_json().unwrap(), "x");
        assert!(ios(2).to_json().is_err());
        let raw = runtime::RawExtension {
            raw: Some(br#"{"a":1}"#.to_vec()),
        };
        assert_eq!(raw.to_json().unwrap(), json!({"a":1}));
        let bad = meta::FieldsV1 {
            raw: Some(b"\x0a\x01".to_vec()),
        };
        assert!(bad.to_json().is_err());
    }

    #[test]
    fn volume_source_is_inline() {
        let pod = core::Pod {
            metadata: object_meta("p"),
            spec: Some(core::PodSpec {
                volumes: vec![core::Volume {
                    name: Some("cfg".into()),
                    volume_source: Some(core::VolumeSource {
                        config_map: Some(core::ConfigMapVolumeSource {
                            local_object_reference: Some(core::LocalObjectReference {
                                name: Some("c".into()),
                            }),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                }],
                ..Default::default()
            }),
            status: None,
        };
        let v = decode(&envelope("v1", "Pod", pod.encode_to_vec())).unwrap();
        assert_eq!(
            v["spec"]["volumes"],
            json!([{"name":"cfg","configMap":{"name":"c"}}])
        );
    }

    #[test]
    fn every_kind_decodes_its_empty_message() {
        for (av, kind) in kinds() {
            let v = decode(&envelope(av, kind, vec![])).unwrap();
            assert_eq!(v["apiVersion"], av);
            assert_eq!(v["kind"], kind);
            assert!(v["metadata"].is_object(), "{av} {kind}: {v}");
            assert!(supports(av, kind));
        }
    }

    /// client-go's typed clients send protobuf for every built-in kind, so every served kind
    /// (and subresource body) needs a decoder: add it to `ROOTS` in `protobuf/gen.py` and
    /// regenerate `protobuf/generated.rs` (see `gen.py`).
    #[test]
    fn every_served_kind_has_a_decoder() {
        for r in tug_api::resources::RESOURCES {
            assert!(
                supports(&r.api_version(), r.kind),
                "{} {} is served but has no protobuf decoder",
                r.api_version(),
                r.kind
            );
            for sub in r.subresources {
                let av = match sub.group {
                    "" => sub.version.to_string(),
                    g => format!("{g}/{}", sub.version),
                };
                assert!(
                    supports(&av, sub.kind),
                    "{av} {} ({}/{}) has no protobuf decoder",
                    sub.kind,
                    r.plural,
                    sub.name
                );
            }
        }
    }

    fn via_rest(plural: &str, body: &[u8]) -> Result<Value, tug_api::status::ApiError> {
        use axum::http::{HeaderMap, HeaderValue, header};
        let registry = crate::registry::Registry::builtin();
        let strategy = registry.get("", "v1", plural).expect("served");
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
        crate::rest::decode_body(
            strategy.as_ref(),
            &headers,
            body,
            crate::decode::FieldValidation::Strict,
        )
        .map(|d| d.obj)
    }

    #[test]
    fn rest_decodes_protobuf_bodies_like_json() {
        let v = via_rest("namespaces", &NAMESPACE_TEAM1).unwrap();
        assert_eq!(v["metadata"]["name"], "team1");

        let e = via_rest("namespaces", &envelope("example.com/v1", "Widget", vec![])).unwrap_err();
        assert_eq!(e.code, 415);
        assert_eq!(
            e.message,
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"
        );

        let cm = core::ConfigMap {
            metadata: object_meta("c"),
            ..Default::default()
        };
        let e = via_rest(
            "namespaces",
            &envelope("v1", "ConfigMap", cm.encode_to_vec()),
        )
        .unwrap_err();
        assert_eq!(e.code, 400);
        assert!(e.message.contains("ConfigMap"), "{}", e.message);

        let e = via_rest("namespaces", b"k8s\0\x0a\xff").unwrap_err();
        assert_eq!(e.code, 400);
        assert!(
            e.message
                .starts_with("Namespace in version \"v1\" cannot be handled as a Namespace: "),
            "{}",
            e.message
        );
    }
}
