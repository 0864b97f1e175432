//! API errors as `metav1.Status`, with upstream's reasons, codes and messages
//! (`k8s.io/apimachinery/pkg/api/errors`).

use serde_json::{Value, json};

use crate::field::FieldError;

/// Identifies the object an error is about: `details.group`, `details.kind` (plural resource
/// for NotFound/AlreadyExists/Conflict, Kind for Invalid) and `details.name`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Qualified {
    pub group: String,
    pub resource: String,
}

impl Qualified {
    pub fn new(group: &str, resource: &str) -> Self {
        Qualified {
            group: group.to_string(),
            resource: resource.to_string(),
        }
    }
    /// `pods` or `deployments.apps`, as upstream's `GroupResource.String()`.
    pub fn display(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// One `details.causes[]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    pub reason: String,
    pub message: String,
    pub field: String,
}

/// An error a client sees. Serialises to a `metav1.Status` with `status: Failure`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: u16,
    pub reason: String,
    pub message: String,
    pub details: Option<Box<Details>>,
    /// Seconds a client should wait before retrying (429/503), sent as `Retry-After`.
    pub retry_after: Option<u32>,
}

/// `metav1.StatusDetails`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    pub group: String,
    pub kind: String,
    pub uid: String,
    pub causes: Vec<Cause>,
    pub retry_after_seconds: Option<u32>,
}

impl ApiError {
    fn simple(code: u16, reason: &str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.to_string(),
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    fn with_details(mut self, d: Details) -> Self {
        self.details = Some(Box::new(d));
        self
    }

    /// `404 NotFound`: `pods "nope" not found`.
    pub fn not_found(q: &Qualified, name: &str) -> Self {
        Self::simple(
            404,
            "NotFound",
            format!("{} {:?} not found", q.display(), name),
        )
        .with_details(Details {
            name: name.to_string(),
            group: q.group.clone(),
            kind: q.resource.clone(),
            ..Default::default()
        })
    }

    /// `409 AlreadyExists`: `pods "nginx" already exists`.
    pub fn already_exists(q: &Qualified, name: &str) -> Self {
        Self::simple(
            409,
            "AlreadyExists",
            format!("{} {:?} already exists", q.display(), name),
        )
        .with_details(Details {
            name: name.to_string(),
            group: q.group.clone(),
            kind: q.resource.clone(),
            ..Default::default()
        })
    }

    /// `409 Conflict` for a stale resourceVersion, with upstream's wording.
    pub fn conflict(q: &Qualified, name: &str, why: &str) -> Self {
        Self::simple(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} {:?}: {}",
                q.display(),
                name,
                why
            ),
        )
        .with_details(Details {
            name: name.to_string(),
            group: q.group.clone(),
            kind: q.resource.clone(),
            ..Default::default()
        })
    }

    /// The standard optimistic-concurrency conflict message.
    pub const CONFLICT_MODIFIED: &'static str = "the object has been modified; please apply your changes to the latest version and try again";

    /// `422 Invalid`: `Pod "x" is invalid: [a: Required value, b: ...]` with one cause per error.
    pub fn invalid(group: &str, kind: &str, name: &str, errs: &[FieldError]) -> Self {
        // Upstream aggregates errors and prints each distinct message once.
        let mut unique: Vec<&FieldError> = Vec::with_capacity(errs.len());
        for e in errs {
            if !unique.contains(&e) {
                unique.push(e);
            }
        }
        let errs: Vec<FieldError> = unique.into_iter().cloned().collect();
        let errs = errs.as_slice();
        let joined = if errs.len() == 1 {
            errs[0].to_string()
        } else {
            format!(
                "[{}]",
                errs.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let gk = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        Self::simple(
            422,
            "Invalid",
            format!("{gk} {name:?} is invalid: {joined}"),
        )
        .with_details(Details {
            name: name.to_string(),
            group: group.to_string(),
            kind: kind.to_string(),
            causes: errs
                .iter()
                .map(|e| Cause {
                    reason: e.error_type.reason().to_string(),
                    message: e.body(),
                    field: e.field.clone(),
                })
                .collect(),
            ..Default::default()
        })
    }

    /// `400 BadRequest` with a free message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::simple(400, "BadRequest", message)
    }

    /// `401 Unauthorized`.
    pub fn unauthorized() -> Self {
        Self::simple(401, "Unauthorized", "Unauthorized")
    }

    /// `403 Forbidden` with a free message.
    pub fn forbidden(q: &Qualified, name: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let full = if name.is_empty() {
            format!("{} is forbidden: {}", q.display(), message)
        } else {
            format!("{} {:?} is forbidden: {}", q.display(), name, message)
        };
        Self::simple(403, "Forbidden", full).with_details(Details {
            name: name.to_string(),
            group: q.group.clone(),
            kind: q.resource.clone(),
            ..Default::default()
        })
    }

    /// `404 NotFound` for an unknown path: `the server could not find the requested resource`.
    pub fn path_not_found() -> Self {
        Self::simple(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
        .with_details(Details::default())
    }

    /// `405 MethodNotAllowed`.
    pub fn method_not_allowed() -> Self {
        Self::simple(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
        .with_details(Details::default())
    }

    /// `406 NotAcceptable`.
    pub fn not_acceptable(accepted: &str) -> Self {
        Self::simple(
            406,
            "NotAcceptable",
            format!("only the following media types are accepted: {accepted}"),
        )
    }

    /// `415 UnsupportedMediaType`.
    pub fn unsupported_media_type(content_type: &str, accepted: &str) -> Self {
        Self::simple(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: {accepted}"
            ),
        )
        .with_details(Details {
            causes: vec![Cause {
                reason: "UnexpectedServerResponse".into(),
                message: format!("unsupported media type {content_type:?}"),
                field: String::new(),
            }],
            ..Default::default()
        })
    }

    /// `410 Expired`: `too old resource version: 5 (10)`.
    pub fn gone(message: impl Into<String>) -> Self {
        Self::simple(410, "Expired", message)
    }

    /// `500 InternalError`: `Internal error occurred: ...`.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::simple(
            500,
            "InternalError",
            format!("Internal error occurred: {message}"),
        )
        .with_details(Details {
            causes: vec![Cause {
                reason: String::new(),
                message: message.to_string(),
                field: String::new(),
            }],
            ..Default::default()
        })
    }

    /// `504 Timeout`.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::simple(504, "Timeout", message)
    }

    /// `503 ServiceUnavailable`.
    pub fn service_unavailable(message: impl Into<String>) -> Self {
        Self::simple(503, "ServiceUnavailable", message)
    }

    /// `429 TooManyRequests` with a `Retry-After`.
    pub fn too_many_requests(message: impl Into<String>, retry_after: u32) -> Self {
        let mut e = Self::simple(429, "TooManyRequests", message);
        e.retry_after = Some(retry_after);
        e.details = Some(Box::new(Details {
            retry_after_seconds: Some(retry_after),
            ..Default::default()
        }));
        e
    }

    /// The `metav1.Status` JSON body.
    pub fn to_status(&self) -> Value {
        let mut s = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let (true, Some(o)) = (self.reason.is_empty(), s.as_object_mut()) {
            o.remove("reason");
        }
        if let Some(d) = &self.details {
            let mut dj = serde_json::Map::new();
            if !d.name.is_empty() {
                dj.insert("name".into(), d.name.clone().into());
            }
            if !d.group.is_empty() {
                dj.insert("group".into(), d.group.clone().into());
            }
            if !d.kind.is_empty() {
                dj.insert("kind".into(), d.kind.clone().into());
            }
            if !d.uid.is_empty() {
                dj.insert("uid".into(), d.uid.clone().into());
            }
            if !d.causes.is_empty() {
                let causes: Vec<Value> = d
                    .causes
                    .iter()
                    .map(|c| {
                        let mut m = serde_json::Map::new();
                        if !c.reason.is_empty() {
                            m.insert("reason".into(), c.reason.clone().into());
                        }
                        if !c.message.is_empty() {
                            m.insert("message".into(), c.message.clone().into());
                        }
                        if !c.field.is_empty() {
                            m.insert("field".into(), c.field.clone().into());
                        }
                        Value::Object(m)
                    })
                    .collect();
                dj.insert("causes".into(), Value::Array(causes));
            }
            if let Some(r) = d.retry_after_seconds {
                dj.insert("retryAfterSeconds".into(), r.into());
            }
            s["details"] = Value::Object(dj);
        }
        s
    }
}

/// A `metav1.Status` with `status: Success` (delete answers for most kinds).
pub fn success_status(group: &str, resource: &str, name: &str, uid: &str) -> Value {
    let mut details = serde_json::Map::new();
    details.insert("name".into(), name.into());
    if !group.is_empty() {
        details.insert("group".into(), group.into());
    }
    details.insert("kind".into(), resource.into());
    if !uid.is_empty() {
        details.insert("uid".into(), uid.into());
    }
    json!({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":Value::Object(details)})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{FieldError, Path};

    #[test]
    fn not_found_names_the_plural_resource() {
        let e = ApiError::not_found(&Qualified::new("", "pods"), "nope");
        let s = e.to_status();
        assert_eq!(s["message"], "pods \"nope\" not found");
        assert_eq!(s["details"]["kind"], "pods");
        assert_eq!(s["code"], 404);
    }

    #[test]
    fn invalid_with_one_cause_has_no_brackets_and_kind_with_group() {
        let p = Path::new("spec").child("replicas");
        let e = ApiError::invalid(
            "apps",
            "Deployment",
            "web",
            &[FieldError::invalid(
                &p,
                -1,
                "must be greater than or equal to 0",
            )],
        );
        assert_eq!(
            e.message,
            "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let s = e.to_status();
        assert_eq!(s["details"]["causes"][0]["field"], "spec.replicas");
        assert_eq!(s["details"]["causes"][0]["reason"], "FieldValueInvalid");
    }
}
