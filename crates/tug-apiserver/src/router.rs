//! Request routing: authentication, then the path decides between health, version,
//! discovery, OpenAPI and the generic REST handlers.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request, Response, StatusCode, header};
use serde_json::{Value, json};
use tug_api::status::ApiError;

use crate::discovery::{self, DiscoveryFormat};
use crate::query::Query;
use crate::registry::{Strategy, WriteKind};
use crate::reply;
use crate::rest::{Ctx, Reply};
use crate::server::Authn;
use crate::subresources;

/// The largest request body accepted (upstream: 3 MiB).
const MAX_BODY: usize = 3 * 1024 * 1024;

/// The Kubernetes version tug implements, as `/version` reports it.
pub const KUBE_MAJOR: &str = "1";
pub const KUBE_MINOR: &str = "33";
pub const KUBE_GIT_VERSION: &str = "v1.33.0";

/// State of the router.
pub struct App {
    pub ctx: Arc<Ctx>,
    /// `host:port` clients use, reported in legacy `/api`.
    pub server_address: String,
}

/// The router of the API server.
pub fn router(app: Arc<App>) -> Router {
    Router::new().fallback(dispatch).with_state(app)
}

/// `/version`.
pub fn version_info() -> Value {
    json!({
        "major": KUBE_MAJOR,
        "minor": KUBE_MINOR,
        "gitVersion": format!("{KUBE_GIT_VERSION}+tug-{}", env!("CARGO_PKG_VERSION")),
        "gitCommit": "",
        "gitTreeState": "clean",
        "buildDate": "1970-01-01T00:00:00Z",
        "goVersion": "n/a (tug is written in Rust)",
        "compiler": "rustc",
        "platform": format!("{}/{}", std::env::consts::OS, match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            other => other,
        }),
    })
}

fn is_public(path: &str) -> bool {
    matches!(path, "/version" | "/healthz" | "/livez" | "/readyz")
        || path.starts_with("/healthz/")
        || path.starts_with("/livez/")
        || path.starts_with("/readyz/")
}

async fn dispatch(State(app): State<Arc<App>>, req: Request<Body>) -> Response<Body> {
    let path = req.uri().path().to_string();
    if !is_public(&path) {
        let authenticated = req
            .extensions()
            .get::<Authn>()
            .is_some_and(|a| a.0.is_some());
        if !authenticated {
            return reply::error(&ApiError::unauthorized());
        }
    }
    match handle(&app, req, &path).await {
        Ok(r) => r,
        Err(e) => reply::error(&e),
    }
}

fn text(status: StatusCode, s: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(s.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

async fn handle(app: &Arc<App>, req: Request<Body>, path: &str) -> Reply {
    let method = req.method().clone();
    let segs: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let q = Query::parse(req.uri().query()).map_err(ApiError::bad_request)?;
    match segs.as_slice() {
        ["healthz" | "livez" | "readyz", ..] => return Ok(text(StatusCode::OK, "ok")),
        ["version"] => return Ok(reply::json(StatusCode::OK, &version_info())),
        ["api"] => return Ok(discovery_reply(&req, true, &app.server_address)),
        ["apis"] => return Ok(discovery_reply(&req, false, &app.server_address)),
        ["apis", g] => {
            return discovery::api_group(g)
                .map(|d| reply::json(StatusCode::OK, &d))
                .ok_or_else(ApiError::path_not_found);
        }
        ["api", "v1"] => {
            return discovery::resource_list("", "v1")
                .map(|d| reply::json(StatusCode::OK, &d))
                .ok_or_else(ApiError::path_not_found);
        }
        ["apis", g, v] => {
            return discovery::resource_list(g, v)
                .map(|d| reply::json(StatusCode::OK, &d))
                .ok_or_else(ApiError::path_not_found);
        }
        ["openapi", "v2"] => return Ok(crate::openapi_v2::reply(req.headers()).await),
        ["openapi", "v3"] => {
            return Ok(reply::json(StatusCode::OK, &crate::openapi::index()));
        }
        ["openapi", "v3", rest @ ..] => {
            let doc =
                crate::openapi::document(&rest.join("/")).ok_or_else(ApiError::path_not_found)?;
            return Ok(reply::json_bytes(StatusCode::OK, doc.as_ref().clone()));
        }
        ["api", "v1", rest @ ..] => {
            let rest: Vec<&str> = rest.to_vec();
            return resource(app, req, "", "v1", &rest, q).await;
        }
        ["apis", g, v, rest @ ..] => {
            let (g, v) = (g.to_string(), v.to_string());
            let rest: Vec<&str> = rest.to_vec();
            return resource(app, req, &g, &v, &rest, q).await;
        }
        _ => {}
    }
    let _ = method;
    Err(ApiError::path_not_found())
}

fn discovery_reply(req: &Request<Body>, core: bool, server_address: &str) -> Response<Body> {
    let format = discovery::negotiate(req.headers().get(header::ACCEPT));
    let doc = match (format, core) {
        (DiscoveryFormat::Legacy, true) => discovery::api_versions(server_address),
        (DiscoveryFormat::Legacy, false) => discovery::api_group_list(),
        (f, core) => discovery::aggregated(f, core),
    };
    let mut r = reply::json(StatusCode::OK, &doc);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(format.content_type()),
    );
    r.headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    r
}

/// A parsed resource path.
struct Target<'a> {
    strategy: Arc<dyn Strategy>,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
    sub: Option<&'a str>,
}

fn parse_target<'a>(app: &App, group: &str, version: &str, segs: &[&'a str]) -> Option<Target<'a>> {
    let reg = &app.ctx.registry;
    // namespaces/{ns}/{resource}[/{name}[/{sub}]] for namespaced resources.
    if let ["namespaces", ns, res, rest @ ..] = segs
        && let Some(s) = reg.get(group, version, res)
        && s.info().namespaced
        && rest.len() <= 2
    {
        return Some(Target {
            strategy: s.clone(),
            namespace: Some(ns),
            name: rest.first().copied(),
            sub: rest.get(1).copied(),
        });
    }
    // {resource}[/{name}[/{sub}]]: cluster-scoped objects, or all-namespaces lists.
    let (res, rest) = segs.split_first()?;
    let s = reg.get(group, version, res)?;
    if rest.len() > 2 || (s.info().namespaced && !rest.is_empty()) {
        return None;
    }
    Some(Target {
        strategy: s.clone(),
        namespace: None,
        name: rest.first().copied(),
        sub: rest.get(1).copied(),
    })
}

async fn resource(
    app: &Arc<App>,
    req: Request<Body>,
    group: &str,
    version: &str,
    segs: &[&str],
    q: Query,
) -> Reply {
    let t = parse_target(app, group, version, segs).ok_or_else(ApiError::path_not_found)?;
    let method = req.method().clone();
    let (parts, body) = req.into_parts();
    let headers = parts.headers;
    let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        let mut e = ApiError::bad_request("the request body is too large (limit 3 MiB)");
        e.code = 413;
        e.reason = "RequestEntityTooLarge".into();
        e
    })?;
    let ctx = &app.ctx;
    let s = &*t.strategy;
    let ns = t.namespace.unwrap_or("");
    let verb_allowed = |verb: &str| s.info().verbs.contains(&verb);
    match (t.name, t.sub) {
        (None, _) => match method {
            Method::GET if q.watch => {
                ctx.watch(t.strategy.clone(), t.namespace, &q, &headers)
                    .await
            }
            Method::GET => ctx.list(s, t.namespace, &q, &headers).await,
            Method::POST if s.info().namespaced && t.namespace.is_none() => {
                Err(ApiError::method_not_allowed())
            }
            Method::POST => ctx.create(s, ns, &q, &headers, &body).await,
            Method::DELETE if verb_allowed("deletecollection") => {
                ctx.delete_collection(s, t.namespace, &q).await
            }
            _ => Err(ApiError::method_not_allowed()),
        },
        (Some(name), None) => match method {
            Method::GET => ctx.get(s, ns, name, &q, &headers).await,
            Method::PUT => {
                ctx.update(s, ns, name, WriteKind::Update, &q, &headers, &body)
                    .await
            }
            Method::PATCH => {
                ctx.patch(s, ns, name, WriteKind::Update, &q, &headers, &body)
                    .await
            }
            Method::DELETE => ctx.delete(s, ns, name, &q, &body).await,
            _ => Err(ApiError::method_not_allowed()),
        },
        (Some(name), Some(sub)) => {
            let info = s
                .info()
                .subresource(sub)
                .ok_or_else(ApiError::path_not_found)?;
            match (info.name, method) {
                ("status", Method::GET) => ctx.get(s, ns, name, &q, &headers).await,
                ("status", Method::PUT) => {
                    ctx.update(s, ns, name, WriteKind::StatusUpdate, &q, &headers, &body)
                        .await
                }
                ("status", Method::PATCH) => {
                    ctx.patch(s, ns, name, WriteKind::StatusUpdate, &q, &headers, &body)
                        .await
                }
                ("scale", Method::GET) => subresources::get_scale(ctx, s, ns, name).await,
                ("scale", Method::PUT) => {
                    subresources::update_scale(ctx, s, ns, name, &q, &headers, &body, false).await
                }
                ("scale", Method::PATCH) => {
                    subresources::update_scale(ctx, s, ns, name, &q, &headers, &body, true).await
                }
                ("binding", Method::POST) => subresources::bind(ctx, s, ns, name, &q, &body).await,
                ("eviction", Method::POST) => {
                    subresources::evict(ctx, s, ns, name, &q, &headers, &body).await
                }
                ("finalize", Method::PUT) => {
                    subresources::finalize_namespace(ctx, s, name, &q, &body).await
                }
                _ => Err(ApiError::method_not_allowed()),
            }
        }
    }
}
