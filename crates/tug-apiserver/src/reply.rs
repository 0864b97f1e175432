//! Response helpers: JSON bodies, `metav1.Status` errors, warnings, and what the `Accept`
//! header asks for.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use serde_json::Value;
use tug_api::status::ApiError;

/// The representation a client asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wants {
    /// The object or list as JSON.
    Json,
    /// A `meta.k8s.io/v1` Table (kubectl's human-readable output).
    Table,
}

/// Parses `Accept`: a Table when the first acceptable entry asks for `as=Table` in
/// `meta.k8s.io` v1 (or v1beta1, answered with v1); JSON otherwise (protobuf is never
/// required: every client that asks for it also accepts JSON).
pub fn wants(headers: &HeaderMap) -> Wants {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for entry in accept.split(',') {
        let params: Vec<&str> = entry.split(';').map(str::trim).collect();
        if params.contains(&"as=Table") {
            return Wants::Table;
        }
        let mime = params.first().copied().unwrap_or("");
        if mime == "application/json" || mime == "*/*" || mime == "application/*" {
            return Wants::Json;
        }
    }
    Wants::Json
}

/// A JSON response.
pub fn json(status: StatusCode, v: &Value) -> Response<Body> {
    json_bytes(status, serde_json::to_vec(v).unwrap_or_default())
}

/// A JSON response from already-serialised bytes.
pub fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
    r
}

/// The response of an [`ApiError`]: its Status body and code, and `Retry-After` if set.
pub fn error(e: &ApiError) -> Response<Body> {
    let code = StatusCode::from_u16(e.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = json(code, &e.to_status());
    if let Some(s) = e.retry_after
        && let Ok(v) = HeaderValue::from_str(&s.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// Adds one `Warning: 299 - "text"` header per warning, with `"` and `\` escaped as
/// kubectl requires (an unescaped quote makes it drop the warning).
pub fn add_warnings(r: &mut Response<Body>, warnings: &[String]) {
    for w in warnings {
        let escaped = w.replace('\\', "\\\\").replace('"', "\\\"");
        if let Ok(v) = HeaderValue::from_str(&format!("299 - \"{escaped}\"")) {
            r.headers_mut().append(header::WARNING, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_get_accept_header_asks_for_a_table() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"),
        );
        assert_eq!(wants(&h), Wants::Table);
    }

    #[test]
    fn typed_clients_protobuf_accept_gets_json() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/vnd.kubernetes.protobuf,application/json"),
        );
        assert_eq!(wants(&h), Wants::Json);
    }

    #[test]
    fn warning_text_is_quoted_with_escapes() {
        let mut r = Response::new(Body::empty());
        add_warnings(&mut r, &["unknown field \"bogus\"".to_string()]);
        assert_eq!(
            r.headers()[header::WARNING],
            "299 - \"unknown field \\\"bogus\\\"\""
        );
    }
}
