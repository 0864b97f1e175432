//! Conversions between versions of a resource that upstream serves from one storage version.
//!
//! `events.k8s.io/v1` Events are stored as `core/v1` Events (upstream's internal type is the
//! core one; `pkg/apis/events/v1/conversion.go`). The mapping, field by field:
//!
//! | `events.k8s.io/v1`          | `core/v1`                 |
//! |-----------------------------|---------------------------|
//! | `note`                      | `message`                 |
//! | `regarding`                 | `involvedObject`          |
//! | `related`                   | `related`                 |
//! | `reportingController`       | `reportingComponent`      |
//! | `reportingInstance`         | `reportingInstance`       |
//! | `deprecatedSource`          | `source`                  |
//! | `deprecatedFirstTimestamp`  | `firstTimestamp`          |
//! | `deprecatedLastTimestamp`   | `lastTimestamp`           |
//! | `deprecatedCount`           | `count`                   |
//! | `action`, `reason`, `type`, `eventTime`, `series` | the same names |
//!
//! Upstream's `regarding` and `deprecatedSource` are non-pointer structs, so a read through
//! `events.k8s.io` always carries them (`{}` when empty); the conversion to `events.k8s.io`
//! does the same.

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::events::v1 as events;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;

/// Go's zero `time.Time` (`0001-01-01T00:00:00Z`), which a `core/v1` series without
/// `lastObservedTime` has upstream.
fn go_zero_time() -> jiff::Timestamp {
    jiff::Timestamp::from_second(-62_135_596_800).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// `Convert_v1_Event_To_core_Event`: an `events.k8s.io/v1` Event in its storage form.
pub fn event_v1_to_core(e: events::Event) -> core::Event {
    core::Event {
        metadata: e.metadata,
        action: e.action,
        count: e.deprecated_count,
        event_time: e.event_time,
        first_timestamp: e.deprecated_first_timestamp,
        involved_object: e.regarding.unwrap_or_default(),
        last_timestamp: e.deprecated_last_timestamp,
        message: e.note,
        reason: e.reason,
        related: e.related,
        reporting_component: e.reporting_controller,
        reporting_instance: e.reporting_instance,
        series: e.series.map(|s| core::EventSeries {
            count: Some(s.count),
            last_observed_time: Some(s.last_observed_time),
        }),
        source: e.deprecated_source,
        type_: e.type_,
    }
}

/// `Convert_core_Event_To_v1_Event`: a stored (`core/v1`) Event as `events.k8s.io/v1` shows it.
pub fn core_to_event_v1(e: core::Event) -> events::Event {
    events::Event {
        metadata: e.metadata,
        action: e.action,
        deprecated_count: e.count,
        deprecated_first_timestamp: e.first_timestamp,
        deprecated_last_timestamp: e.last_timestamp,
        deprecated_source: Some(e.source.unwrap_or_default()),
        event_time: e.event_time,
        note: e.message,
        reason: e.reason,
        regarding: Some(e.involved_object),
        related: e.related,
        reporting_controller: e.reporting_component,
        reporting_instance: e.reporting_instance,
        series: e.series.map(|s| events::EventSeries {
            count: s.count.unwrap_or(0),
            last_observed_time: s
                .last_observed_time
                .unwrap_or_else(|| MicroTime(go_zero_time())),
        }),
        type_: e.type_,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_events_v1_field_lands_on_its_core_field_and_back() {
        let v1: events::Event = serde_json::from_value(json!({
            "metadata": {"name": "e1", "namespace": "default"},
            "eventTime": "2026-01-02T03:04:05.000000Z",
            "reportingController": "example.com/ctl",
            "reportingInstance": "ctl-1",
            "action": "Scale",
            "reason": "Scaled",
            "type": "Normal",
            "note": "scaled to 3",
            "regarding": {"kind": "Deployment", "name": "web", "namespace": "default"},
            "related": {"kind": "ReplicaSet", "name": "web-1"},
            "series": {"count": 2, "lastObservedTime": "2026-01-02T03:05:00.000000Z"},
            "deprecatedSource": {"component": "c", "host": "h"},
            "deprecatedFirstTimestamp": "2026-01-02T03:00:00Z",
            "deprecatedLastTimestamp": "2026-01-02T03:01:00Z",
            "deprecatedCount": 4
        }))
        .expect("decodes");
        let core = event_v1_to_core(v1.clone());
        let c = serde_json::to_value(&core).expect("encodes");
        assert_eq!(c["apiVersion"], "v1");
        assert_eq!(c["message"], "scaled to 3");
        assert_eq!(c["involvedObject"]["name"], "web");
        assert_eq!(c["related"]["name"], "web-1");
        assert_eq!(c["reportingComponent"], "example.com/ctl");
        assert_eq!(c["reportingInstance"], "ctl-1");
        assert_eq!(c["source"], json!({"component": "c", "host": "h"}));
        assert_eq!(c["firstTimestamp"], "2026-01-02T03:00:00Z");
        assert_eq!(c["lastTimestamp"], "2026-01-02T03:01:00Z");
        assert_eq!(c["count"], 4);
        assert_eq!(c["series"]["count"], 2);
        assert_eq!(c["action"], "Scale");
        assert_eq!(core_to_event_v1(core), v1);
    }

    #[test]
    fn a_core_event_shows_empty_regarding_and_deprecated_source_through_events_v1() {
        let core: core::Event = serde_json::from_value(json!({
            "metadata": {"name": "e1", "namespace": "default"},
            "reason": "Pulled", "message": "ok"
        }))
        .expect("decodes");
        let v = serde_json::to_value(core_to_event_v1(core)).expect("encodes");
        assert_eq!(v["apiVersion"], "events.k8s.io/v1");
        assert_eq!(v["regarding"], json!({}));
        assert_eq!(v["deprecatedSource"], json!({}));
        assert_eq!(v["note"], "ok");
    }
}
