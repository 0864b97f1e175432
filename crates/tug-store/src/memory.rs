//! The reference backend: everything in memory, under one lock.
//!
//! It defines by example what every durable backend must do, and is what unit tests of the
//! layers above use. Not durable; not meant to be fast (current reads cost a lookup in a
//! per-key version list, counts scan the prefix).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use bytes::Bytes;

use crate::watch::{DEFAULT_WATCH_CAPACITY, WatchHub};
use crate::{
    Backend, Compare, Event, EventKind, KeyValue, ListRequest, ListResponse, Op, Result, Revision,
    StoreError, Txn, TxnResponse, WatchStream, check_watch_revision, resolve_read_revision,
};

/// An in-memory [`Backend`] with full MVCC history until compaction.
#[derive(Debug)]
pub struct MemoryBackend {
    state: Mutex<State>,
    hub: WatchHub,
}

/// One version of a key: a value, or a tombstone written by a delete.
#[derive(Debug, Clone)]
struct Version {
    mod_revision: Revision,
    create_revision: Revision,
    /// None for a tombstone.
    value: Option<Bytes>,
}

#[derive(Debug, Default)]
struct State {
    revision: Revision,
    compacted: Revision,
    /// Every retained version of every key, oldest first; at most one version per revision.
    keys: BTreeMap<String, Vec<Version>>,
    /// The events of every retained revision, for watch replay.
    log: BTreeMap<Revision, Vec<Event>>,
}

impl Default for MemoryBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryBackend {
    /// An empty store at revision 0 with the default watch queue bound.
    pub fn new() -> Self {
        Self::with_watch_capacity(DEFAULT_WATCH_CAPACITY)
    }

    /// An empty store whose watchers are cut off with [`StoreError::WatchLagged`] once they
    /// have `capacity` live events queued.
    pub fn with_watch_capacity(capacity: usize) -> Self {
        Self {
            state: Mutex::new(State::default()),
            hub: WatchHub::new(capacity, 0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every mutation below validates before it writes, so a panic cannot leave a
        // half-applied transaction behind; keep serving after one.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Version {
    fn to_kv(&self, key: &str) -> Option<KeyValue> {
        self.value.as_ref().map(|value| KeyValue {
            key: key.to_string(),
            value: value.clone(),
            create_revision: self.create_revision,
            mod_revision: self.mod_revision,
        })
    }
}

/// The version of a key visible at `revision`: the newest one written at or before it.
fn visible_at(versions: &[Version], revision: Revision) -> Option<&Version> {
    let idx = versions.partition_point(|v| v.mod_revision <= revision);
    idx.checked_sub(1).and_then(|i| versions.get(i))
}

impl State {
    fn current(&self, key: &str) -> Option<KeyValue> {
        self.keys
            .get(key)
            .and_then(|vs| vs.last())
            .and_then(|v| v.to_kv(key))
    }

    fn current_mod_revision(&self, key: &str) -> Revision {
        self.current(key).map_or(0, |kv| kv.mod_revision)
    }

    /// Records `version` as the newest of `key`, replacing one written earlier in the same
    /// transaction (a revision shows only the last write of a key).
    fn push_version(&mut self, key: &str, version: Version) {
        let versions = self.keys.entry(key.to_string()).or_default();
        match versions.last_mut() {
            Some(last) if last.mod_revision == version.mod_revision => *last = version,
            _ => versions.push(version),
        }
    }
}

#[async_trait]
impl Backend for MemoryBackend {
    async fn txn(&self, txn: Txn) -> Result<TxnResponse> {
        let mut state = self.lock();
        for (index, Compare::ModRevision(key, expected)) in txn.compares.iter().enumerate() {
            let actual = state.current_mod_revision(key);
            if actual != *expected {
                return Err(StoreError::PreconditionFailed {
                    index,
                    key: key.clone(),
                    expected: *expected,
                    actual,
                });
            }
        }
        let revision = state.revision + 1;
        let mut prev = Vec::with_capacity(txn.ops.len());
        let mut events = Vec::new();
        for op in txn.ops {
            match op {
                Op::Put { key, value } => {
                    let before = state.current(&key);
                    let create_revision = before.as_ref().map_or(revision, |kv| kv.create_revision);
                    state.push_version(
                        &key,
                        Version {
                            mod_revision: revision,
                            create_revision,
                            value: Some(value.clone()),
                        },
                    );
                    events.push(Event {
                        kind: EventKind::Put,
                        kv: KeyValue {
                            key,
                            value,
                            create_revision,
                            mod_revision: revision,
                        },
                        prev: before.clone(),
                    });
                    prev.push(before);
                }
                Op::Delete { key } => {
                    let before = state.current(&key);
                    if before.is_some() {
                        state.push_version(
                            &key,
                            Version {
                                mod_revision: revision,
                                create_revision: 0,
                                value: None,
                            },
                        );
                        events.push(Event {
                            kind: EventKind::Delete,
                            kv: KeyValue {
                                key,
                                value: Bytes::new(),
                                create_revision: 0,
                                mod_revision: revision,
                            },
                            prev: before.clone(),
                        });
                    }
                    prev.push(before);
                }
            }
        }
        if events.is_empty() {
            return Ok(TxnResponse {
                revision: state.revision,
                prev,
            });
        }
        state.revision = revision;
        // Published under the lock that assigns revisions: a concurrent `watch` either sees
        // this revision in the log or receives it live, never both, never neither.
        self.hub.publish(revision, &events);
        state.log.insert(revision, events);
        Ok(TxnResponse { revision, prev })
    }

    async fn get(&self, key: &str, revision: Revision) -> Result<(Option<KeyValue>, Revision)> {
        let state = self.lock();
        let at = resolve_read_revision(revision, state.revision, state.compacted)?;
        let kv = state
            .keys
            .get(key)
            .and_then(|vs| visible_at(vs, at))
            .and_then(|v| v.to_kv(key));
        Ok((kv, at))
    }

    async fn list(&self, req: ListRequest) -> Result<ListResponse> {
        let state = self.lock();
        let at = resolve_read_revision(req.revision, state.revision, state.compacted)?;
        let lower = match &req.start_after {
            Some(after) if after.as_str() >= req.prefix.as_str() => Bound::Excluded(after.clone()),
            _ => Bound::Included(req.prefix.clone()),
        };
        let mut items = Vec::new();
        let mut more = false;
        let visible = state
            .keys
            .range((lower, Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(req.prefix.as_str()))
            .filter_map(|(k, vs)| visible_at(vs, at).and_then(|v| v.to_kv(k)));
        for kv in visible {
            if req.limit > 0 && items.len() == req.limit {
                more = true;
                break;
            }
            items.push(kv);
        }
        Ok(ListResponse {
            items,
            revision: at,
            more,
        })
    }

    async fn count(&self, prefix: &str) -> Result<u64> {
        let state = self.lock();
        let n = state
            .keys
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .filter(|(_, vs)| vs.last().is_some_and(|v| v.value.is_some()))
            .count();
        Ok(n as u64)
    }

    async fn watch(&self, prefix: &str, after: Revision) -> Result<WatchStream> {
        let state = self.lock();
        check_watch_revision(after, state.compacted)?;
        // Subscribed under the state lock: no revision can commit between the replay read
        // below and the subscription.
        let sub = self.hub.subscribe(prefix);
        let replay: Vec<Event> = state
            .log
            .range((Bound::Excluded(after), Bound::Unbounded))
            .flat_map(|(_, events)| events.iter())
            .filter(|e| e.kv.key.starts_with(prefix))
            .cloned()
            .collect();
        drop(state);
        Ok(sub.into_stream(replay, after))
    }

    async fn current_revision(&self) -> Result<Revision> {
        Ok(self.lock().revision)
    }

    async fn compacted_revision(&self) -> Result<Revision> {
        Ok(self.lock().compacted)
    }

    async fn compact(&self, revision: Revision) -> Result<()> {
        let mut state = self.lock();
        if revision > state.revision {
            return Err(StoreError::FutureRevision {
                requested: revision,
                current: state.revision,
            });
        }
        if revision <= state.compacted {
            return Ok(());
        }
        state.compacted = revision;
        state.keys.retain(|_, versions| {
            // Keep the version visible at `revision` (reads above it need it) unless it is a
            // tombstone, and everything newer.
            let visible = versions.partition_point(|v| v.mod_revision <= revision);
            let mut drop_until = visible.saturating_sub(1);
            if versions
                .get(drop_until)
                .is_some_and(|v| v.mod_revision <= revision && v.value.is_none())
            {
                drop_until += 1;
            }
            versions.drain(..drop_until);
            !versions.is_empty()
        });
        let kept = state.log.split_off(&(revision + 1));
        state.log = kept;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use futures::StreamExt;

    use super::*;
    use crate::BackendExt;

    crate::conformance_tests!(|| async { Arc::new(MemoryBackend::new()) as Arc<dyn Backend> });

    #[tokio::test]
    async fn a_watcher_that_stops_reading_is_cut_off_and_writers_go_on() {
        let store = MemoryBackend::with_watch_capacity(4);
        let mut watch = store.watch("/", 0).await.expect("watch");
        for i in 0..10 {
            store
                .create(&format!("/k{i}"), Bytes::from_static(b"v"))
                .await
                .expect("create");
        }
        let mut seen = 0;
        let end = loop {
            match watch.next().await {
                Some(Ok(_)) => seen += 1,
                Some(Err(e)) => break e,
                None => panic!("stream ended without an error"),
            }
        };
        assert_eq!(end, StoreError::WatchLagged);
        assert_eq!(seen, 4);
        assert!(watch.next().await.is_none());
        assert_eq!(store.current_revision().await, Ok(10));
    }
}
