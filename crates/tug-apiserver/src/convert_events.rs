//! `events.k8s.io/v1` Events, served from the `core/v1` Event storage as upstream does: the
//! strategy of the `events.k8s.io` resource is the typed `events::v1::Event` strategy with
//! storage conversion hooks (`tug_api::conversion`). Every object written through this
//! group is stored as a core Event, and every stored Event (whichever group wrote it) reads
//! back through this group converted, in GET, LIST and WATCH alike.

use serde_json::Value;
use tug_api::api::core::v1 as core;
use tug_api::api::events::v1 as events;
use tug_api::conversion::{core_to_event_v1, event_v1_to_core};
use tug_api::printers::Column;
use tug_api::printing::selector::FieldSelector;
use tug_api::resources::ResourceInfo;

use crate::registry::{Admission, DecodeError, Strategy, TypedStrategy, WriteKind};

/// The [`Strategy`] of `events.k8s.io/v1` `events`.
pub struct EventsV1Strategy {
    inner: TypedStrategy<events::Event>,
}

impl EventsV1Strategy {
    pub fn new(info: &'static ResourceInfo) -> Self {
        EventsV1Strategy {
            inner: TypedStrategy::new(info),
        }
    }
}

/// Re-encodes `v` as `T` converted by `f`; `v` unchanged when it does not decode (a stored
/// value is never rejected on read).
fn convert<S, T>(v: Value, f: impl FnOnce(S) -> T) -> Value
where
    S: serde::de::DeserializeOwned,
    T: serde::Serialize,
{
    match S::deserialize(&v) {
        Ok(s) => serde_json::to_value(f(s)).unwrap_or(v),
        Err(_) => v,
    }
}

impl Strategy for EventsV1Strategy {
    fn info(&self) -> &'static ResourceInfo {
        self.inner.info()
    }

    fn normalize(&self, v: &Value) -> Result<Value, DecodeError> {
        self.inner.normalize(v)
    }

    /// Admits in the `events.k8s.io` form and answers what a read of the stored object
    /// returns (the conversion round trip fills `regarding` and `deprecatedSource` as
    /// upstream's non-pointer structs do), so a write and a later read compare equal.
    fn admit(&self, kind: WriteKind, v: &Value, old: Option<&Value>) -> Result<Value, Admission> {
        let admitted = self.inner.admit(kind, v, old)?;
        Ok(self.from_storage(self.to_storage(admitted)))
    }

    fn tracks_generation(&self) -> bool {
        self.inner.tracks_generation()
    }

    fn to_storage(&self, v: Value) -> Value {
        convert::<events::Event, core::Event>(v, event_v1_to_core)
    }

    fn from_storage(&self, v: Value) -> Value {
        convert::<core::Event, events::Event>(v, core_to_event_v1)
    }

    fn annotations_bump_generation(&self) -> bool {
        self.inner.annotations_bump_generation()
    }

    fn columns(&self) -> &'static [Column] {
        self.inner.columns()
    }

    fn row(&self, v: &Value, now: jiff::Timestamp) -> (Vec<Value>, Option<Value>) {
        self.inner.row(v, now)
    }

    fn selectable_fields(&self) -> &'static [&'static str] {
        self.inner.selectable_fields()
    }

    fn field_value(&self, v: &Value, field: &str) -> Option<String> {
        self.inner.field_value(v, field)
    }

    fn matches_fields(&self, v: &Value, sel: &FieldSelector) -> bool {
        self.inner.matches_fields(v, sel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strategy() -> EventsV1Strategy {
        let info = tug_api::resources::find("events.k8s.io", "v1", "events")
            .expect("events.k8s.io events served");
        EventsV1Strategy::new(info)
    }

    #[test]
    fn storage_is_the_core_event_and_reads_convert_back() {
        let s = strategy();
        let v1 = json!({
            "apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": {"name": "e1", "namespace": "default"},
            "eventTime": "2026-01-02T03:04:05.000000Z",
            "reportingController": "example.com/ctl", "reportingInstance": "ctl-1",
            "action": "Scale", "reason": "Scaled", "type": "Normal", "note": "scaled",
            "regarding": {"kind": "Deployment", "name": "web", "namespace": "default"}
        });
        let admitted = s.admit(WriteKind::Create, &v1, None).expect("admitted");
        let stored = s.to_storage(admitted.clone());
        assert_eq!(stored["apiVersion"], "v1");
        assert_eq!(stored["message"], "scaled");
        assert_eq!(stored["reportingComponent"], "example.com/ctl");
        assert_eq!(stored["involvedObject"]["name"], "web");
        assert_eq!(s.from_storage(stored), admitted);
        assert_eq!(admitted["deprecatedSource"], json!({}));
    }

    #[test]
    fn a_value_that_does_not_decode_is_kept_as_stored() {
        let s = strategy();
        let odd = json!({"metadata": 5});
        assert_eq!(s.from_storage(odd.clone()), odd);
    }
}
