//! Validation of Events written through `events.k8s.io/v1` (`ValidateEventCreate` /
//! `ValidateEventUpdate` of `pkg/apis/core/validation/events.go` for a request in that
//! version, 1.33). Upstream validates the internal (core) Event, so these functions take
//! the storage form and their field paths name core fields (`involvedObject`, `message`,
//! `source`, `reportingController`, …) as upstream's do.

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};

use super::core::legacy_validate_event;
use super::meta::{validate_core_object_meta, validate_object_meta, validate_object_meta_update};
use super::names::{name_is_dns_subdomain, validate_path_segment_name};
use super::{FIELD_IMMUTABLE_ERROR_MSG, go_quote, go_time, invalid_repr, s};
use crate::field::{ErrorList, FieldError, Path};

fn root(name: &str) -> Path {
    Path::new(name)
}

/// Go's `%#v` of a `core.ObjectReference`.
fn go_object_reference(r: &ObjectReference) -> String {
    format!(
        "core.ObjectReference{{Kind:{}, Namespace:{}, Name:{}, UID:{}, APIVersion:{}, ResourceVersion:{}, FieldPath:{}}}",
        go_quote(s(&r.kind)),
        go_quote(s(&r.namespace)),
        go_quote(s(&r.name)),
        go_quote(s(&r.uid)),
        go_quote(s(&r.api_version)),
        go_quote(s(&r.resource_version)),
        go_quote(s(&r.field_path)),
    )
}

/// Go's `%#v` of a `core.EventSource`.
fn go_event_source(src: &EventSource) -> String {
    format!(
        "core.EventSource{{Component:{}, Host:{}}}",
        go_quote(s(&src.component)),
        go_quote(s(&src.host))
    )
}

const GO_ZERO_TIME: &str = "0001-01-01 00:00:00 +0000 UTC";

fn time_string(t: Option<&Time>) -> String {
    t.map_or_else(|| GO_ZERO_TIME.to_string(), |t| go_time(&t.0))
}

fn micro_time_string(t: Option<&MicroTime>) -> String {
    t.map_or_else(|| GO_ZERO_TIME.to_string(), |t| go_time(&t.0))
}

/// `validateV1EventSeries`: a series counts at least 2 and has a last observed time.
fn validate_v1_event_series(ev: &Event) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(series) = &ev.series {
        if series.count.unwrap_or(0) < 2 {
            errs.push(FieldError::invalid(
                &root("series.count"),
                "",
                "should be at least 2",
            ));
        }
        if series.last_observed_time.is_none() {
            errs.push(FieldError::required(&root("series.lastObservedTime"), ""));
        }
    }
    errs
}

/// The generic registry's own metadata check, run after a create passes the kind's
/// validation (`ValidateObjectMetaAccessor` with path-segment names).
fn generic_meta(ev: &Event) -> ErrorList {
    validate_object_meta(
        &ev.metadata,
        true,
        validate_path_segment_name,
        &root("metadata"),
    )
}

/// `ValidateEventCreate` for `events.k8s.io/v1`: legacy checks, DNS-subdomain names, an
/// `eventTime`, type Normal or Warning, none of the deprecated fields.
pub fn validate_event_v1_create(ev: &Event) -> ErrorList {
    let mut errs = legacy_validate_event(ev);
    errs.extend(validate_core_object_meta(
        &ev.metadata,
        true,
        name_is_dns_subdomain,
        &root("metadata"),
    ));
    errs.extend(validate_v1_event_series(ev));
    if ev.event_time.is_none() {
        errs.push(FieldError::required(&root("eventTime"), ""));
    }
    let t = s(&ev.type_);
    if t != "Normal" && t != "Warning" {
        errs.push(FieldError::invalid(
            &root("type"),
            "",
            format!("has invalid value: {t}"),
        ));
    }
    if ev.first_timestamp.is_some() {
        errs.push(FieldError::invalid(
            &root("firstTimestamp"),
            "",
            "needs to be unset",
        ));
    }
    if ev.last_timestamp.is_some() {
        errs.push(FieldError::invalid(
            &root("lastTimestamp"),
            "",
            "needs to be unset",
        ));
    }
    if ev.count.unwrap_or(0) != 0 {
        errs.push(FieldError::invalid(&root("count"), "", "needs to be unset"));
    }
    let src = ev.source.clone().unwrap_or_default();
    if !s(&src.component).is_empty() || !s(&src.host).is_empty() {
        errs.push(FieldError::invalid(
            &root("source"),
            "",
            "needs to be unset",
        ));
    }
    if errs.is_empty() {
        errs = generic_meta(ev);
    }
    errs
}

fn immutable_repr(errs: &mut ErrorList, changed: bool, field: &str, repr: impl FnOnce() -> String) {
    if changed {
        errs.push(invalid_repr(
            &root(field),
            &repr(),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
}

fn immutable_str(errs: &mut ErrorList, new: &Option<String>, old: &Option<String>, field: &str) {
    if s(new) != s(old) {
        errs.push(FieldError::invalid(
            &root(field),
            s(new),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
}

/// `ValidateEventUpdate` for `events.k8s.io/v1` (after the registry's common metadata
/// checks): everything but the series and metadata is immutable.
pub fn validate_event_v1_update(new: &Event, old: &Event) -> ErrorList {
    let mut errs = generic_meta(new);
    errs.extend(validate_object_meta_update(
        &new.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    errs.extend(legacy_validate_event(new));
    errs.extend(validate_object_meta_update(
        &new.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    if new.series != old.series {
        errs.extend(validate_v1_event_series(new));
    }
    immutable_repr(
        &mut errs,
        new.involved_object != old.involved_object,
        "involvedObject",
        || go_object_reference(&new.involved_object),
    );
    immutable_str(&mut errs, &new.reason, &old.reason, "reason");
    immutable_str(&mut errs, &new.message, &old.message, "message");
    let src = |e: &Event| e.source.clone().unwrap_or_default();
    immutable_repr(&mut errs, src(new) != src(old), "source", || {
        go_event_source(&src(new))
    });
    immutable_repr(
        &mut errs,
        new.first_timestamp != old.first_timestamp,
        "firstTimestamp",
        || time_string(new.first_timestamp.as_ref()),
    );
    immutable_repr(
        &mut errs,
        new.last_timestamp != old.last_timestamp,
        "lastTimestamp",
        || time_string(new.last_timestamp.as_ref()),
    );
    let count = |e: &Event| e.count.unwrap_or(0);
    if count(new) != count(old) {
        errs.push(FieldError::invalid(
            &root("count"),
            count(new),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    immutable_str(&mut errs, &new.reason, &old.reason, "reason");
    immutable_str(&mut errs, &new.type_, &old.type_, "type");
    immutable_repr(
        &mut errs,
        new.event_time != old.event_time,
        "eventTime",
        || micro_time_string(new.event_time.as_ref()),
    );
    immutable_str(&mut errs, &new.action, &old.action, "action");
    immutable_repr(&mut errs, new.related != old.related, "related", || {
        new.related
            .as_ref()
            .map_or_else(|| "\"null\"".to_string(), go_object_reference)
    });
    immutable_str(
        &mut errs,
        &new.reporting_component,
        &old.reporting_component,
        "reportingController",
    );
    immutable_str(
        &mut errs,
        &new.reporting_instance,
        &old.reporting_instance,
        "reportingInstance",
    );
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversion::event_v1_to_core;
    use serde_json::{Value, json};

    fn msgs(errs: ErrorList) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in errs {
            let m = e.to_string();
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    fn v1(v: Value) -> Event {
        event_v1_to_core(serde_json::from_value(v).expect("decodes"))
    }

    fn good() -> Value {
        json!({
            "metadata": {"name": "web.1", "namespace": "default"},
            "eventTime": "2026-01-02T03:04:05.000000Z",
            "reportingController": "example.com/ctl", "reportingInstance": "ctl-1",
            "action": "Scale", "reason": "Scaled", "type": "Normal", "note": "ok",
            "regarding": {"kind": "Deployment", "name": "web", "namespace": "default"}
        })
    }

    #[test]
    fn a_complete_event_is_valid() {
        assert_eq!(
            msgs(validate_event_v1_create(&v1(good()))),
            Vec::<String>::new()
        );
    }

    #[test]
    fn new_events_need_event_time_reporting_fields_and_a_known_type() {
        let ev = v1(
            json!({"metadata": {"name": "e", "namespace": "default"}, "type": "Info",
                           "deprecatedCount": 3, "deprecatedSource": {"component": "kubelet"}}),
        );
        assert_eq!(
            msgs(validate_event_v1_create(&ev)),
            vec![
                "eventTime: Required value",
                "type: Invalid value: \"\": has invalid value: Info",
                "count: Invalid value: \"\": needs to be unset",
                "source: Invalid value: \"\": needs to be unset",
            ]
        );
        let mut no_controller = good();
        no_controller["reportingController"] = json!(null);
        no_controller["action"] = json!(null);
        // As upstream, an empty controller is also checked as a qualified name.
        let m = msgs(validate_event_v1_create(&v1(no_controller)));
        assert_eq!(m[0], "reportingController: Required value");
        assert_eq!(
            m[1],
            "reportingController: Invalid value: \"\": name part must be non-empty"
        );
        assert_eq!(m.last().map(String::as_str), Some("action: Required value"));
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn a_series_counts_at_least_two() {
        let mut ev = good();
        ev["series"] = json!({"count": 1, "lastObservedTime": "2026-01-02T03:04:06.000000Z"});
        assert_eq!(
            msgs(validate_event_v1_create(&v1(ev))),
            vec!["series.count: Invalid value: \"\": should be at least 2"]
        );
    }

    #[test]
    fn updates_may_only_move_the_series() {
        let old = v1(good());
        let mut changed = good();
        changed["note"] = json!("changed");
        changed["metadata"]["resourceVersion"] = json!("7");
        changed["series"] = json!({"count": 2, "lastObservedTime": "2026-01-02T03:05:00.000000Z"});
        assert_eq!(
            msgs(validate_event_v1_update(&v1(changed), &old)),
            vec!["message: Invalid value: \"changed\": field is immutable"]
        );
        let mut moved = good();
        moved["metadata"]["resourceVersion"] = json!("7");
        moved["regarding"]["name"] = json!("other");
        assert_eq!(
            msgs(validate_event_v1_update(&v1(moved), &old)),
            vec![
                "involvedObject: Invalid value: core.ObjectReference{Kind:\"Deployment\", Namespace:\"default\", Name:\"other\", UID:\"\", APIVersion:\"\", ResourceVersion:\"\", FieldPath:\"\"}: field is immutable"
            ]
        );
    }
}
