//! `printEvent`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (+ wide SUBOBJECT, SOURCE, FIRST SEEN,
//! COUNT, NAME).

use k8s_openapi::api::core::v1::Event;
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::{age, translate_timestamp_since};
use super::{NAME, col};
use crate::printers::{Column, TablePrinter};

static EVENT_COLUMNS: [Column; 10] = [
    col("Last Seen", "string", 0, d::EVENT_LAST_TIMESTAMP),
    col("Type", "string", 0, d::EVENT_TYPE),
    col("Reason", "string", 0, d::EVENT_REASON),
    col("Object", "string", 0, d::EVENT_INVOLVED_OBJECT),
    col("Subobject", "string", 1, d::OBJECT_REFERENCE_FIELD_PATH),
    col("Source", "string", 1, d::EVENT_SOURCE),
    col("Message", "string", 0, d::EVENT_MESSAGE),
    col("First Seen", "string", 1, d::EVENT_FIRST_TIMESTAMP),
    col("Count", "string", 1, d::EVENT_COUNT),
    Column {
        priority: 1,
        ..NAME
    },
];

fn first_non_empty<'a>(a: Option<&'a str>, b: Option<&'a str>) -> &'a str {
    match (a, b) {
        (Some(a), _) if !a.is_empty() => a,
        (_, Some(b)) => b,
        _ => "",
    }
}

impl TablePrinter for Event {
    fn columns() -> &'static [Column] {
        &EVENT_COLUMNS
    }

    /// Events written through `events.k8s.io` carry `eventTime` and `series` instead of the
    /// core timestamps and count; upstream falls back to them, and counts a singleton as 1.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let first_seen = match &self.first_timestamp {
            Some(t) => age(Some(t), now),
            None => translate_timestamp_since(self.event_time.as_ref().map(|t| t.0), now),
        };
        let mut last_seen = match &self.last_timestamp {
            Some(t) => age(Some(t), now),
            None => first_seen.clone(),
        };
        let mut count = self.count.unwrap_or(0);
        if let Some(series) = &self.series {
            last_seen =
                translate_timestamp_since(series.last_observed_time.as_ref().map(|t| t.0), now);
            count = series.count.unwrap_or(0);
        } else if count == 0 {
            count = 1;
        }
        let involved = &self.involved_object;
        let kind = involved.kind.as_deref().unwrap_or("").to_lowercase();
        let target = match involved.name.as_deref() {
            Some(name) if !name.is_empty() => format!("{kind}/{name}"),
            _ => kind,
        };
        let source = self.source.as_ref();
        let component = first_non_empty(
            source.and_then(|s| s.component.as_deref()),
            self.reporting_component.as_deref(),
        );
        let instance = first_non_empty(
            source.and_then(|s| s.host.as_deref()),
            self.reporting_instance.as_deref(),
        );
        let source = if instance.is_empty() {
            component.to_string()
        } else {
            format!("{component}, {instance}")
        };
        vec![
            json!(last_seen),
            json!(self.type_.as_deref().unwrap_or("")),
            json!(self.reason.as_deref().unwrap_or("")),
            json!(target),
            json!(involved.field_path.as_deref().unwrap_or("")),
            json!(source),
            json!(self.message.as_deref().unwrap_or("").trim()),
            json!(first_seen),
            json!(i64::from(count)),
            json!(self.metadata.name.as_deref().unwrap_or("")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{EventSeries, EventSource, ObjectReference};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta, Time};

    fn now() -> jiff::Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn t(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    fn pulled() -> Event {
        Event {
            metadata: ObjectMeta {
                name: Some("nginx.187a1b2c3d4e5f60".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            involved_object: ObjectReference {
                kind: Some("Pod".into()),
                name: Some("nginx".into()),
                namespace: Some("default".into()),
                field_path: Some("spec.containers{nginx}".into()),
                ..Default::default()
            },
            reason: Some("Pulled".into()),
            message: Some("Successfully pulled image \"nginx\"\n".into()),
            type_: Some("Normal".into()),
            source: Some(EventSource {
                component: Some("kubelet".into()),
                host: Some("node-1".into()),
            }),
            first_timestamp: Some(Time(t("2026-11-27T09:50:00Z"))),
            last_timestamp: Some(Time(t("2026-11-27T09:59:30Z"))),
            count: Some(4),
            ..Default::default()
        }
    }

    #[test]
    fn a_kubelet_event_prints_like_kubectl_get_events_wide() {
        assert_eq!(
            pulled().cells(now()),
            vec![
                json!("30s"),
                json!("Normal"),
                json!("Pulled"),
                json!("pod/nginx"),
                json!("spec.containers{nginx}"),
                json!("kubelet, node-1"),
                json!("Successfully pulled image \"nginx\""),
                json!("10m"),
                json!(4),
                json!("nginx.187a1b2c3d4e5f60"),
            ]
        );
    }

    #[test]
    fn a_new_api_event_falls_back_to_event_time_reporting_controller_and_count_one() {
        let mut e = pulled();
        e.first_timestamp = None;
        e.last_timestamp = None;
        e.count = None;
        e.source = None;
        e.event_time = Some(MicroTime(t("2026-11-27T09:58:00Z")));
        e.reporting_component = Some("default-scheduler".into());
        e.reporting_instance = Some("default-scheduler-tug".into());
        let c = e.cells(now());
        assert_eq!(c[0], json!("2m"));
        assert_eq!(c[5], json!("default-scheduler, default-scheduler-tug"));
        assert_eq!(c[7], json!("2m"));
        assert_eq!(c[8], json!(1));
    }

    #[test]
    fn a_series_event_takes_last_seen_and_count_from_the_series() {
        let mut e = pulled();
        e.series = Some(EventSeries {
            count: Some(12),
            last_observed_time: Some(MicroTime(t("2026-11-27T09:59:55Z"))),
        });
        let c = e.cells(now());
        assert_eq!(c[0], json!("5s"));
        assert_eq!(c[8], json!(12));
    }

    #[test]
    fn an_event_about_an_unnamed_object_shows_only_the_kind_and_missing_times_are_unknown() {
        let mut e = pulled();
        e.involved_object.name = None;
        e.involved_object.kind = Some("Node".into());
        e.first_timestamp = None;
        e.last_timestamp = None;
        e.source = Some(EventSource {
            component: Some("kubelet".into()),
            host: None,
        });
        let c = e.cells(now());
        assert_eq!(c[3], json!("node"));
        assert_eq!(c[5], json!("kubelet"));
        assert_eq!(c[0], json!("<unknown>"));
        assert_eq!(c[7], json!("<unknown>"));
    }

    #[test]
    fn event_columns_put_the_name_last_and_wide() {
        let cols: Vec<_> = Event::columns()
            .iter()
            .map(|c| (c.name, c.format, c.priority))
            .collect();
        assert_eq!(
            cols,
            vec![
                ("Last Seen", "", 0),
                ("Type", "", 0),
                ("Reason", "", 0),
                ("Object", "", 0),
                ("Subobject", "", 1),
                ("Source", "", 1),
                ("Message", "", 0),
                ("First Seen", "", 1),
                ("Count", "", 1),
                ("Name", "name", 1),
            ]
        );
    }
}
