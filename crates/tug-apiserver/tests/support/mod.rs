//! In-process test support: the API server's router on the memory store, driven without
//! TLS (requests carry the authenticated-user extension the TLS layer would set).

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use tug_apiserver::server::{Authn, UserInfo};
use tug_apiserver::{Ctx, ServiceNetwork, bootstrap, router};
use tug_store::memory::MemoryBackend;

pub struct Api {
    pub app: Router,
    pub ctx: Arc<Ctx>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

pub fn admin() -> Authn {
    Authn(Some(UserInfo {
        name: "test-admin".into(),
        groups: vec!["system:masters".into()],
    }))
}

impl Api {
    /// The API plus the in-server system loops (garbage collector, namespace lifecycle).
    pub async fn with_controllers() -> Api {
        let api = Api::new().await;
        tokio::spawn(tug_apiserver::gc::run(api.ctx.clone()));
        tokio::spawn(tug_apiserver::namespaces::run(api.ctx.clone()));
        api
    }

    /// Polls `GET uri` until `pred` holds for the response, for up to 10 s.
    pub async fn until(&self, uri: &str, pred: impl Fn(&Resp) -> bool) -> Resp {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let r = self.get(uri).await;
            if pred(&r) || tokio::time::Instant::now() > deadline {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn new() -> Api {
        let ctx = Arc::new(Ctx {
            store: Arc::new(MemoryBackend::new()),
            registry: tug_apiserver::registry::Registry::builtin(),
            services: ServiceNetwork::default(),
        });
        bootstrap::ensure_builtin(&ctx, "127.0.0.1", 6443)
            .await
            .expect("bootstrap");
        let app = router::router(Arc::new(router::App {
            ctx: ctx.clone(),
            server_address: "127.0.0.1:6443".into(),
        }));
        Api { app, ctx }
    }

    pub fn request(
        &self,
        method: Method,
        uri: &str,
        ct: &str,
        body: &str,
        accept: &str,
    ) -> Request<Body> {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, ct)
            .header(header::ACCEPT, accept)
            .body(Body::from(body.to_string()))
            .expect("request");
        req.extensions_mut().insert(admin());
        req
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let r = self.app.clone().oneshot(req).await.expect("infallible");
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.into_body().collect().await.expect("body").to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn call(&self, method: Method, uri: &str, body: Value) -> Resp {
        let b = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        self.send(self.request(method, uri, "application/json", &b, "application/json"))
            .await
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.call(Method::GET, uri, Value::Null).await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Resp {
        self.call(Method::POST, uri, body).await
    }

    pub async fn put(&self, uri: &str, body: Value) -> Resp {
        self.call(Method::PUT, uri, body).await
    }

    pub async fn patch(&self, uri: &str, ct: &str, body: Value) -> Resp {
        self.send(self.request(
            Method::PATCH,
            uri,
            ct,
            &body.to_string(),
            "application/json",
        ))
        .await
    }

    /// Opens a watch and returns a receiver of its events.
    pub async fn watch(&self, uri: &str) -> tokio::sync::mpsc::UnboundedReceiver<Value> {
        let r = self
            .app
            .clone()
            .oneshot(self.request(Method::GET, uri, "application/json", "", "application/json"))
            .await
            .expect("infallible");
        assert_eq!(r.status(), StatusCode::OK);
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut body = r.into_body();
        tokio::spawn(async move {
            let mut buf = Vec::new();
            while let Some(Ok(frame)) = body.frame().await {
                if let Ok(data) = frame.into_data() {
                    buf.extend_from_slice(&data);
                    while let Some(pos) = buf.iter().position(|b| *b == b'\n') {
                        let line: Vec<u8> = buf.drain(..=pos).collect();
                        if let Ok(v) = serde_json::from_slice::<Value>(&line)
                            && tx.send(v).is_err()
                        {
                            return;
                        }
                    }
                }
            }
        });
        rx
    }
}

pub async fn next_event(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Value>) -> Value {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("an event within 5s")
        .expect("stream open")
}
