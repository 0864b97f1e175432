//! `metadata.managedFields` as upstream reads and writes it
//! (`k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go`): entries keyed
//! by manager identity, their wire form, their order, and the cap on `Update` entries.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::path::go_json;
use super::set::FieldSet;

/// `metav1.ManagedFieldsOperationType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    Apply,
    Update,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// One `metav1.ManagedFieldsEntry`, its `fieldsV1` decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedFieldsEntry {
    pub manager: String,
    pub operation: Operation,
    /// The version the fields are expressed in (`apps/v1`).
    pub api_version: String,
    /// RFC 3339, seconds precision; `None` when upstream would write none.
    pub time: Option<String>,
    /// `""` for the main resource, `status`, `scale`…
    pub subresource: String,
    pub fields: FieldSet,
}

impl ManagedFieldsEntry {
    /// Upstream's `BuildManagerIdentifier`: the JSON of the entry without fields, type and
    /// time, and without `apiVersion` for `Apply` (an applier keeps one entry whatever
    /// version it applies in). Entries with the same identifier are one entry.
    pub fn identifier(&self) -> String {
        identifier(
            &self.manager,
            self.operation,
            &self.api_version,
            &self.subresource,
        )
    }

    /// The entry as upstream serialises it (`{"manager":…,"operation":…,"apiVersion":…,
    /// "time":…,"fieldsType":"FieldsV1","fieldsV1":{…}}`, `subresource` when set).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if !self.manager.is_empty() {
            m.insert("manager".into(), Value::String(self.manager.clone()));
        }
        m.insert(
            "operation".into(),
            Value::String(self.operation.as_str().into()),
        );
        m.insert("apiVersion".into(), Value::String(self.api_version.clone()));
        if let Some(t) = &self.time {
            m.insert("time".into(), Value::String(t.clone()));
        }
        m.insert("fieldsType".into(), Value::String("FieldsV1".into()));
        m.insert("fieldsV1".into(), self.fields.to_fields_v1());
        if !self.subresource.is_empty() {
            m.insert(
                "subresource".into(),
                Value::String(self.subresource.clone()),
            );
        }
        Value::Object(m)
    }

    fn seconds(&self) -> i64 {
        self.time
            .as_deref()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map_or(0, |t| t.as_second())
    }
}

/// The identifier of a manager (see [`ManagedFieldsEntry::identifier`]).
pub fn identifier(
    manager: &str,
    operation: Operation,
    api_version: &str,
    subresource: &str,
) -> String {
    let mut s = String::from("{");
    if !manager.is_empty() {
        s.push_str(&format!(
            "\"manager\":{},",
            go_json(&Value::String(manager.into()))
        ));
    }
    s.push_str(&format!("\"operation\":\"{}\"", operation.as_str()));
    if operation == Operation::Update && !api_version.is_empty() {
        s.push_str(&format!(
            ",\"apiVersion\":{}",
            go_json(&Value::String(api_version.into()))
        ));
    }
    if !subresource.is_empty() {
        s.push_str(&format!(
            ",\"subresource\":{}",
            go_json(&Value::String(subresource.into()))
        ));
    }
    s.push('}');
    s
}

/// Why `metadata.managedFields` could not be decoded. Messages are upstream's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ManagedFieldsError(pub String);

/// The decoded `metadata.managedFields` of an object: entries by identifier.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedFields {
    pub(crate) entries: BTreeMap<String, ManagedFieldsEntry>,
}

impl ManagedFields {
    /// No entries.
    pub fn new() -> ManagedFields {
        ManagedFields::default()
    }

    /// Decodes the `metadata.managedFields` value (absent or `null`: no entries). A later
    /// entry with the identifier of an earlier one replaces it, as upstream.
    pub fn decode(v: Option<&Value>) -> Result<ManagedFields, ManagedFieldsError> {
        let mut out = ManagedFields::new();
        let items = match v {
            None | Some(Value::Null) => return Ok(out),
            Some(Value::Array(a)) => a,
            Some(_) => return Err(ManagedFieldsError("managedFields must be a list".into())),
        };
        for (i, item) in items.iter().enumerate() {
            let e = decode_entry(i, item)?;
            out.entries.insert(e.identifier(), e);
        }
        Ok(out)
    }

    /// The entries in upstream's order: `Apply` before `Update`, then oldest first, then
    /// by manager, version and subresource.
    pub fn entries(&self) -> Vec<&ManagedFieldsEntry> {
        let mut v: Vec<&ManagedFieldsEntry> = self.entries.values().collect();
        v.sort_by(|p, q| {
            p.operation
                .cmp(&q.operation)
                .then_with(|| p.seconds().cmp(&q.seconds()))
                .then_with(|| p.manager.cmp(&q.manager))
                .then_with(|| p.api_version.cmp(&q.api_version))
                .then_with(|| p.subresource.cmp(&q.subresource))
        });
        v
    }

    /// The wire form, `None` when there are no entries (upstream then writes none).
    pub fn encode(&self) -> Option<Value> {
        if self.entries.is_empty() {
            return None;
        }
        Some(Value::Array(
            self.entries().into_iter().map(|e| e.to_json()).collect(),
        ))
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of a manager, if any.
    pub fn get(
        &self,
        manager: &str,
        operation: Operation,
        api_version: &str,
        subresource: &str,
    ) -> Option<&ManagedFieldsEntry> {
        self.entries
            .get(&identifier(manager, operation, api_version, subresource))
    }

    /// Adds or replaces an entry.
    pub fn insert(&mut self, e: ManagedFieldsEntry) {
        self.entries.insert(e.identifier(), e);
    }

    pub(crate) fn drop_empty(&mut self) {
        self.entries.retain(|_, e| !e.fields.is_empty());
    }

    /// Upstream's `capManagersManager`: at most `max` `Update` entries; the oldest are merged
    /// into an `ancient-changes` entry per version.
    pub(crate) fn cap_updates(&mut self, max: usize) {
        let mut updaters: Vec<(i64, String)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.operation == Operation::Update)
            .map(|(id, e)| (e.seconds(), id.clone()))
            .collect();
        if updaters.len() <= max {
            return;
        }
        updaters.sort();
        let mut length = updaters.len();
        let mut first_of_version: BTreeMap<String, String> = BTreeMap::new();
        for (_, id) in updaters {
            if length <= max {
                break;
            }
            let Some(e) = self.entries.get(&id).cloned() else {
                continue;
            };
            let bucket = ManagedFieldsEntry {
                manager: "ancient-changes".into(),
                operation: Operation::Update,
                api_version: e.api_version.clone(),
                time: None,
                subresource: String::new(),
                fields: FieldSet::new(),
            };
            let bucket_id = bucket.identifier();
            match first_of_version.get(&e.api_version) {
                Some(first) => {
                    if !self.entries.contains_key(&bucket_id)
                        && let Some(f) = self.entries.remove(first)
                    {
                        self.entries.insert(
                            bucket_id.clone(),
                            ManagedFieldsEntry {
                                fields: f.fields,
                                time: f.time,
                                ..bucket.clone()
                            },
                        );
                    }
                    if let Some(b) = self.entries.get_mut(&bucket_id) {
                        b.fields = e.fields.union(&b.fields);
                        b.time = e.time.clone();
                    }
                    self.entries.remove(&id);
                    length -= 1;
                }
                None => {
                    first_of_version.insert(e.api_version.clone(), id);
                }
            }
        }
    }
}

fn decode_entry(i: usize, v: &Value) -> Result<ManagedFieldsEntry, ManagedFieldsError> {
    let err = |s: String| ManagedFieldsError(s);
    let Value::Object(m) = v else {
        return Err(err(format!("managed fields entry {i} must be an object")));
    };
    let string = |k: &str| -> Result<String, ManagedFieldsError> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(err(format!(
                "{k} of managed fields entry {i} must be a string"
            ))),
        }
    };
    let operation = match string("operation")?.as_str() {
        "Apply" => Operation::Apply,
        "Update" => Operation::Update,
        _ => return Err(err("operation must be `Apply` or `Update`".into())),
    };
    let api_version = string("apiVersion")?;
    if api_version.is_empty() {
        return Err(err("apiVersion must not be empty".into()));
    }
    match string("fieldsType")?.as_str() {
        "FieldsV1" => {}
        "" => {
            return Err(err(format!(
                "missing fieldsType in managed fields entry {i}"
            )));
        }
        other => {
            return Err(err(format!(
                "invalid fieldsType {other:?} in managed fields entry {i}"
            )));
        }
    }
    let fields = match m.get("fieldsV1") {
        None | Some(Value::Null) => FieldSet::new(),
        Some(f) => {
            FieldSet::from_fields_v1(f).map_err(|e| err(format!("error decoding set: {e}")))?
        }
    };
    let time = string("time")?;
    Ok(ManagedFieldsEntry {
        manager: string("manager")?,
        operation,
        api_version,
        time: (!time.is_empty()).then_some(time),
        subresource: string("subresource")?,
        fields,
    })
}

/// Upstream's `isResetManagedFields`: a request that sets `managedFields: []` or `[{}]` asks
/// to clear them.
pub fn is_reset(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Array(a)) if a.is_empty() => true,
        Some(Value::Array(a)) if a.len() == 1 => a[0].as_object().is_some_and(Map::is_empty),
        _ => false,
    }
}
