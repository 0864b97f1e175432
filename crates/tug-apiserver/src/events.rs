//! Recording core/v1 Events for the server's own loops, as client-go's event recorder
//! writes them (name `<object>.<unix-nanos in hex>`, `source.component`, counts and
//! first/last timestamps), through the same admission path as client-written Events.

use serde_json::{Value, json};

use crate::object::{meta_str, now_rfc3339};
use crate::registry::WriteKind;
use crate::rest::Ctx;

/// `Normal` or `Warning`, upstream's two event types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

/// The Event upstream's recorder would write about `involved` (an object as JSON).
pub fn event_for(
    involved: &Value,
    kind: EventType,
    reason: &str,
    message: &str,
    component: &str,
) -> Value {
    let name = meta_str(involved, "name");
    let ns = match meta_str(involved, "namespace") {
        "" => "default",
        ns => ns,
    };
    let nanos = jiff::Timestamp::now().as_nanosecond();
    let now = now_rfc3339();
    let mut reference = json!({
        "kind": involved.get("kind").cloned().unwrap_or(Value::Null),
        "name": name,
        "uid": meta_str(involved, "uid"),
        "apiVersion": involved.get("apiVersion").cloned().unwrap_or(Value::Null),
        "resourceVersion": meta_str(involved, "resourceVersion"),
    });
    if !meta_str(involved, "namespace").is_empty() {
        reference["namespace"] = json!(meta_str(involved, "namespace"));
    }
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": format!("{name}.{nanos:x}"), "namespace": ns},
        "involvedObject": reference,
        "reason": reason,
        "message": message,
        "source": {"component": component},
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
        "type": match kind { EventType::Normal => "Normal", EventType::Warning => "Warning" },
        "reportingComponent": component,
        "reportingInstance": "",
    })
}

/// Records an Event; failures are logged, never fatal (events are best effort upstream too).
pub async fn record(
    ctx: &Ctx,
    involved: &Value,
    kind: EventType,
    reason: &str,
    message: &str,
    component: &str,
) {
    let Some(s) = ctx.registry.get("", "v1", "events").cloned() else {
        return;
    };
    let mut ev = event_for(involved, kind, reason, message, component);
    let ns = meta_str(&ev, "namespace").to_string();
    if let Err(e) = ctx
        .create_value(&*s, &ns, &mut ev, WriteKind::Create, false)
        .await
    {
        tracing::debug!("recording event {reason}: {}", e.message);
    }
}
