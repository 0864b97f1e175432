//! WATCH: a chunked stream of `{"type":…,"object":…}` lines, from the store's watch,
//! filtered by selectors, as objects or one-row Tables.
//!
//! resourceVersion semantics as upstream: absent or `"0"` sends a synthetic ADDED for every
//! current match first; `N` sends only changes after N. An object that stops matching the
//! selectors is sent as DELETED, one that starts matching as ADDED.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, header};
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tug_api::status::ApiError;
use tug_store::{EventKind, Revision, StoreError};

use crate::filter::Filter;
use crate::object;
use crate::query::Query;
use crate::registry::Strategy;
use crate::reply::{self, Wants};
use crate::rest::{Ctx, Reply, collection_prefix, store_error};
use crate::table;

/// How often a watch that asked for bookmarks gets one.
const BOOKMARK_INTERVAL: Duration = Duration::from_secs(10);
/// The longest a watch without `timeoutSeconds` stays open (upstream: 30–60 min).
const MAX_WATCH: Duration = Duration::from_secs(1800);

struct Sink {
    tx: mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    strategy: Arc<dyn Strategy>,
    table: bool,
    query: Query,
}

impl Sink {
    /// Sends one event; false when the client is gone.
    async fn send(&self, kind: &str, obj: &Value) -> bool {
        let object = if self.table {
            let rv = object::meta_str(obj, "resourceVersion").to_string();
            table::table(
                &*self.strategy,
                std::slice::from_ref(obj),
                &rv,
                "",
                &self.query,
            )
        } else {
            obj.clone()
        };
        self.send_raw(&json!({"type": kind, "object": object}))
            .await
    }

    async fn send_raw(&self, ev: &Value) -> bool {
        let mut line = serde_json::to_vec(ev).unwrap_or_default();
        line.push(b'\n');
        self.tx.send(Ok(line)).await.is_ok()
    }

    async fn bookmark(&self, rev: Revision, initial_events_end: bool) -> bool {
        let info = self.strategy.info();
        let mut meta = json!({"resourceVersion": rev.to_string()});
        if initial_events_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        self.send_raw(&json!({
            "type": "BOOKMARK",
            "object": {"kind": info.kind, "apiVersion": info.api_version(), "metadata": meta},
        }))
        .await
    }

    async fn error(&self, e: &ApiError) -> bool {
        self.send_raw(&json!({"type": "ERROR", "object": e.to_status()}))
            .await
    }
}

impl Ctx {
    /// GET of a collection with `watch=true`.
    pub async fn watch(
        self: &Arc<Self>,
        strategy: Arc<dyn Strategy>,
        ns: Option<&str>,
        q: &Query,
        headers: &HeaderMap,
    ) -> Reply {
        let filter = Filter::new(
            &*strategy,
            q.label_selector.as_deref(),
            q.field_selector.as_deref(),
        )?;
        let rv = q.resource_version.clone().unwrap_or_default();
        let from: Option<Revision> =
            match rv.as_str() {
                "" | "0" => None,
                s => Some(s.parse::<Revision>().map_err(|_| {
                    ApiError::bad_request(format!("invalid resource version {s:?}"))
                })?),
            };
        let initial = from.is_none() || q.send_initial_events;
        let prefix = collection_prefix(strategy.info(), ns);
        let ns = ns.map(str::to_string);
        let (tx, rx) = mpsc::channel(256);
        let sink = Sink {
            tx,
            strategy: strategy.clone(),
            table: reply::wants(headers) == Wants::Table,
            query: q.clone(),
        };
        let deadline = q
            .timeout_seconds
            .map(Duration::from_secs)
            .unwrap_or(MAX_WATCH);
        let bookmarks = q.allow_watch_bookmarks;
        let send_initial_end = q.send_initial_events;
        let ctx = self.clone();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(deadline, async {
                let mut start = from.unwrap_or(0);
                if initial {
                    let page = match ctx
                        .list_page(&*sink.strategy, ns.as_deref(), &filter, 0, None)
                        .await
                    {
                        Ok(p) => p,
                        Err(e) => {
                            sink.error(&e).await;
                            return;
                        }
                    };
                    for item in &page.items {
                        if !sink.send("ADDED", item).await {
                            return;
                        }
                    }
                    start = page.revision;
                    if send_initial_end && !sink.bookmark(start, true).await {
                        return;
                    }
                }
                let mut events = match ctx.store.watch(&prefix, start).await {
                    Ok(s) => s,
                    Err(e) => {
                        sink.error(&store_error(e)).await;
                        return;
                    }
                };
                let mut last = start;
                let mut tick = tokio::time::interval(BOOKMARK_INTERVAL);
                tick.tick().await;
                loop {
                    tokio::select! {
                        ev = events.next() => {
                            let Some(ev) = ev else { return };
                            let ev = match ev {
                                Ok(ev) => ev,
                                Err(StoreError::WatchLagged) => {
                                    sink.error(&ApiError::gone(format!("too old resource version: {last}"))).await;
                                    return;
                                }
                                Err(e) => {
                                    sink.error(&store_error(e)).await;
                                    return;
                                }
                            };
                            last = ev.kv.mod_revision;
                            if !deliver(&sink, &filter, ev).await {
                                return;
                            }
                        }
                        _ = tick.tick(), if bookmarks => {
                            if !sink.bookmark(last, false).await {
                                return;
                            }
                        }
                        _ = sink.tx.closed() => return,
                    }
                }
            })
            .await;
        });
        let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
        let mut r = Response::new(body);
        *r.status_mut() = StatusCode::OK;
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-cache, private"),
        );
        Ok(r)
    }
}

/// Turns one store event into zero or one watch event; false when the client is gone.
async fn deliver(sink: &Sink, filter: &Filter, ev: tug_store::Event) -> bool {
    let strategy = &*sink.strategy;
    let old = ev
        .prev
        .as_ref()
        .and_then(|p| object::from_kv(p).ok())
        .map(|v| strategy.from_storage(v));
    let old_matches = old.as_ref().is_some_and(|o| filter.matches(strategy, o));
    match ev.kind {
        EventKind::Put => {
            let Ok(new) = object::from_kv(&ev.kv) else {
                return true;
            };
            let new = strategy.from_storage(new);
            let new_matches = filter.matches(strategy, &new);
            match (old_matches, new_matches) {
                (true, true) => sink.send("MODIFIED", &new).await,
                (false, true) => sink.send("ADDED", &new).await,
                (true, false) => sink.send("DELETED", &new).await,
                (false, false) => true,
            }
        }
        EventKind::Delete => match old {
            Some(mut o) if old_matches => {
                object::set_resource_version(&mut o, ev.kv.mod_revision);
                sink.send("DELETED", &o).await
            }
            _ => true,
        },
    }
}
