//! LIST: paginated, filtered reads at one revision, as JSON lists or Tables.

use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use serde_json::{Value, json};
use tug_api::status::ApiError;
use tug_store::{ListRequest, Revision, StoreError};

use crate::filter::Filter;
use crate::query::Query;
use crate::registry::Strategy;
use crate::reply::{self, Wants};
use crate::rest::{Ctx, Reply, collection_prefix, store_error};
use crate::table;

/// The continue token: the revision of the first page and the last key returned, so that
/// every page reads the same snapshot.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ContinueToken {
    pub rev: Revision,
    pub start_after: String,
}

impl ContinueToken {
    pub fn encode(&self) -> String {
        let j = json!({"v": "meta.k8s.io/v1", "rv": self.rev, "start": self.start_after});
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(j.to_string())
    }

    pub fn decode(s: &str, prefix: &str) -> Result<ContinueToken, ApiError> {
        let bad = || {
            ApiError::bad_request(
                "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
            )
        };
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s.trim_end_matches('='))
            .map_err(|_| bad())?;
        let j: Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
        let rev = j.get("rv").and_then(Value::as_i64).ok_or_else(bad)?;
        let start_after = j
            .get("start")
            .and_then(Value::as_str)
            .ok_or_else(bad)?
            .to_string();
        if !start_after.starts_with(prefix) || rev <= 0 {
            return Err(bad());
        }
        Ok(ContinueToken { rev, start_after })
    }
}

const CONTINUE_EXPIRED: &str = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/// One filtered page of a collection.
pub(crate) struct Page {
    pub items: Vec<Value>,
    pub revision: Revision,
    pub continue_token: Option<String>,
}

impl Ctx {
    /// Reads up to `limit` matching objects (0 = all) after the continue token.
    pub(crate) async fn list_page(
        &self,
        strategy: &dyn Strategy,
        ns: Option<&str>,
        filter: &Filter,
        limit: usize,
        token: Option<&str>,
    ) -> Result<Page, ApiError> {
        let prefix = collection_prefix(strategy.info(), ns);
        let (mut start_after, mut rev) = match token {
            Some(t) if !t.is_empty() => {
                let t = ContinueToken::decode(t, &prefix)?;
                (Some(t.start_after), t.rev)
            }
            _ => (None, 0),
        };
        let mut items = Vec::new();
        loop {
            let want = if limit == 0 {
                0
            } else {
                (limit - items.len()).max(1)
            };
            let page = match self
                .store
                .list(ListRequest {
                    prefix: prefix.clone(),
                    start_after: start_after.clone(),
                    limit: want,
                    revision: rev,
                })
                .await
            {
                Ok(p) => p,
                Err(StoreError::Compacted { .. }) if token.is_some() => {
                    return Err(ApiError::gone(CONTINUE_EXPIRED));
                }
                Err(e) => return Err(store_error(e)),
            };
            rev = page.revision;
            let n = page.items.len();
            for (i, kv) in page.items.iter().enumerate() {
                start_after = Some(kv.key.clone());
                let v = crate::rest::decode_stored(strategy, kv)?;
                if filter.matches(strategy, &v) {
                    items.push(v);
                }
                if limit > 0 && items.len() >= limit {
                    let more = page.more || i + 1 < n;
                    let token = more.then(|| {
                        ContinueToken {
                            rev,
                            start_after: kv.key.clone(),
                        }
                        .encode()
                    });
                    return Ok(Page {
                        items,
                        revision: rev,
                        continue_token: token,
                    });
                }
            }
            if !page.more {
                return Ok(Page {
                    items,
                    revision: rev,
                    continue_token: None,
                });
            }
        }
    }

    /// GET of a collection (without `watch`).
    pub async fn list(
        &self,
        strategy: &dyn Strategy,
        ns: Option<&str>,
        q: &Query,
        headers: &HeaderMap,
    ) -> Reply {
        let info = strategy.info();
        let filter = Filter::new(
            strategy,
            q.label_selector.as_deref(),
            q.field_selector.as_deref(),
        )?;
        let limit = q.limit.filter(|l| *l > 0).map_or(0, |l| l as usize);
        let page = self
            .list_page(strategy, ns, &filter, limit, q.continue_token.as_deref())
            .await?;
        let rv = page.revision.to_string();
        let cont = page.continue_token.unwrap_or_default();
        match reply::wants(headers) {
            Wants::Table => {
                let t = table::table(strategy, &page.items, &rv, &cont, q);
                Ok(reply::json(StatusCode::OK, &t))
            }
            Wants::Json => {
                let mut meta = serde_json::Map::new();
                meta.insert("resourceVersion".into(), Value::String(rv));
                if !cont.is_empty() {
                    meta.insert("continue".into(), Value::String(cont));
                }
                let list = json!({
                    "kind": info.list_kind,
                    "apiVersion": info.api_version(),
                    "metadata": Value::Object(meta),
                    "items": page.items,
                });
                Ok(reply::json(StatusCode::OK, &list))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_round_trip_and_stay_inside_their_prefix() {
        let t = ContinueToken {
            rev: 42,
            start_after: "/registry/pods/default/a".into(),
        };
        let s = t.encode();
        assert_eq!(
            ContinueToken::decode(&s, "/registry/pods/").expect("valid"),
            t
        );
        assert!(ContinueToken::decode(&s, "/registry/secrets/").is_err());
        assert!(ContinueToken::decode("garbage!", "/registry/pods/").is_err());
    }
}
