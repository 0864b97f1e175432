//! The storage contract of tug: a key/value log with etcd/Kubernetes semantics.
//!
//! * One global revision, monotonically increasing, bumped once per successful write
//!   transaction (a transaction that writes several keys gives them all the same revision).
//! * Every key remembers the revision that created it (`create_revision`) and last wrote it
//!   (`mod_revision`); preconditions compare `mod_revision` (0 means "the key must not exist").
//! * Reads (get, list) can be made at a past revision until it is compacted.
//! * A watch from revision `r` delivers every change with revision `> r` under a prefix, in
//!   revision order, exactly once; if changes after `r` were compacted away (`r` below the
//!   compacted revision) the watch fails with [`StoreError::Compacted`].
//! * Compaction at revision `c` discards the history at and below `c`: reads at a revision
//!   `<= c` fail with [`StoreError::Compacted`], except a read at the current revision, which
//!   always works. A watch from `c` itself still works: every change after `c` is retained.
//!
//! This crate knows no storage engine. Backends live in their own crates (`tug-store-redb`, later
//! etcd); [`memory::MemoryBackend`] is the reference used by tests. All backends must pass the
//! shared conformance suite in the `conformance` module (feature `conformance`).

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;

pub mod memory;
pub mod watch;

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;

/// A revision of the whole store. Revision 0 is "before anything was written".
pub type Revision = i64;

/// A stored value at some revision.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: Bytes,
    /// Revision of the transaction that created this incarnation of the key.
    pub create_revision: Revision,
    /// Revision of the transaction that last wrote the key.
    pub mod_revision: Revision,
}

impl fmt::Debug for KeyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyValue")
            .field("key", &self.key)
            .field("value_len", &self.value.len())
            .field("create_revision", &self.create_revision)
            .field("mod_revision", &self.mod_revision)
            .finish()
    }
}

/// A precondition of a transaction, evaluated atomically with its writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compare {
    /// The key's current `mod_revision` equals the given one; `0` means "the key is absent".
    ModRevision(String, Revision),
}

/// One write of a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Put { key: String, value: Bytes },
    Delete { key: String },
}

/// A multi-key transaction: when every compare holds, all ops apply at one new revision.
/// A transaction that changes nothing (no ops, or only deletes of absent keys) does not bump
/// the revision and emits no events.
///
/// Ops apply in order, each seeing the effect of the ones before it: a transaction may write
/// the same key twice (each effective op emits its own event, all at the one revision; a read
/// at that revision sees the last write). Kubernetes never does this; it is defined so that
/// every backend behaves the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Txn {
    pub compares: Vec<Compare>,
    pub ops: Vec<Op>,
}

/// What a committed transaction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxnResponse {
    /// The revision the writes were committed at (the current revision if there were no ops).
    pub revision: Revision,
    /// For every op, in order, the value the key had before it (None if absent).
    pub prev: Vec<Option<KeyValue>>,
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListResponse {
    /// Keys in ascending byte order.
    pub items: Vec<KeyValue>,
    /// The revision the list was read at.
    pub revision: Revision,
    /// True when more keys under the prefix follow the last returned one.
    pub more: bool,
}

/// A list request: keys starting with `prefix`, strictly after `start_after` if given,
/// at most `limit` of them (0 = no limit), read at `revision` (0 = the current revision).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRequest {
    pub prefix: String,
    pub start_after: Option<String>,
    pub limit: usize,
    pub revision: Revision,
}

/// The kind of a watch event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Put,
    Delete,
}

/// A change seen by a watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// For `Put`, the new value; for `Delete`, the key with an empty value, `mod_revision` set
    /// to the deleting revision and `create_revision` 0 (as etcd reports it). Either way
    /// `kv.mod_revision` is the revision of the event.
    pub kv: KeyValue,
    /// The value before this change (None when the put created the key).
    pub prev: Option<KeyValue>,
}

/// The stream of a watch: events in revision order, or one error and the end.
pub type WatchStream = BoxStream<'static, Result<Event, StoreError>>;

/// Errors of the store. Precondition failures are not errors of the store itself but are
/// typed here so that callers can map them to HTTP answers (409 Conflict, 404 NotFound).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A compare of the transaction failed; `index` is the failing compare, `actual` the key's
    /// current `mod_revision` (0 if absent).
    #[error("precondition failed on {key}: expected mod revision {expected}, found {actual}")]
    PreconditionFailed {
        index: usize,
        key: String,
        expected: Revision,
        actual: Revision,
    },
    /// The requested revision has been compacted away (HTTP 410 Expired / Gone).
    #[error("required revision {requested} has been compacted (compacted revision {compacted})")]
    Compacted {
        requested: Revision,
        compacted: Revision,
    },
    /// The requested revision is in the future.
    #[error("required revision {requested} is a future revision (current {current})")]
    FutureRevision {
        requested: Revision,
        current: Revision,
    },
    /// The watch could not keep up and was cut off; the client must re-list.
    #[error("watch fell behind and was closed")]
    WatchLagged,
    /// The store is closed or shutting down.
    #[error("store is closed")]
    Closed,
    /// An engine or I/O failure.
    #[error("storage failure: {0}")]
    Internal(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Resolves the revision a read asks for against the store's `current` and `compacted`
/// revisions, by the rules of [`Backend::get`]: 0 means `current`; above `current` is
/// [`StoreError::FutureRevision`]; at or below `compacted` is [`StoreError::Compacted`] unless
/// it is `current`. Shared so that every backend answers alike.
pub fn resolve_read_revision(
    requested: Revision,
    current: Revision,
    compacted: Revision,
) -> Result<Revision> {
    if requested == 0 || requested == current {
        return Ok(current);
    }
    if requested > current {
        return Err(StoreError::FutureRevision { requested, current });
    }
    if requested <= compacted {
        return Err(StoreError::Compacted {
            requested,
            compacted,
        });
    }
    Ok(requested)
}

/// Checks the `after` revision of a watch against the `compacted` revision, by the rules of
/// [`Backend::watch`].
pub fn check_watch_revision(after: Revision, compacted: Revision) -> Result<()> {
    if after < compacted {
        return Err(StoreError::Compacted {
            requested: after,
            compacted,
        });
    }
    Ok(())
}

/// A storage backend. Every method is safe to call concurrently.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Commits `txn` atomically. Returns once the writes are durable (for durable backends).
    /// A failed compare fails only this transaction, never others committed alongside it.
    async fn txn(&self, txn: Txn) -> Result<TxnResponse>;

    /// Reads one key at `revision` (0 = current); returns the value (None if absent then) and
    /// the revision read at. A revision above the current one fails with
    /// [`StoreError::FutureRevision`], one at or below the compacted revision (and not the
    /// current one) with [`StoreError::Compacted`].
    async fn get(&self, key: &str, revision: Revision) -> Result<(Option<KeyValue>, Revision)>;

    /// Lists keys under a prefix; see [`ListRequest`]. The revision rules are those of
    /// [`Backend::get`]; every page read at the same revision sees the same state, whatever
    /// was written meanwhile.
    async fn list(&self, req: ListRequest) -> Result<ListResponse>;

    /// Counts keys under a prefix at the current revision.
    async fn count(&self, prefix: &str) -> Result<u64>;

    /// Watches every change under `prefix` with revision `> after`, in revision order, each
    /// exactly once, then live changes as they commit. `after` below the compacted revision
    /// fails with [`StoreError::Compacted`] (`after` equal to it works); to watch "from now",
    /// pass the revision of a prior read. `after` above the current revision is allowed: the
    /// watch delivers changes from `after + 1` on. Events of one transaction arrive in op order.
    /// A watcher that falls too far behind receives [`StoreError::WatchLagged`] and ends; a
    /// watch whose backend is dropped receives [`StoreError::Closed`] and ends.
    async fn watch(&self, prefix: &str, after: Revision) -> Result<WatchStream>;

    /// The current revision.
    async fn current_revision(&self) -> Result<Revision>;

    /// The revision of the last compaction (0 if none): reads at or below it fail, except at the
    /// current revision; watches from below it fail.
    async fn compacted_revision(&self) -> Result<Revision>;

    /// Discards history at and below `revision`: reads at or below it (except at the current
    /// revision) and watches from below it answer [`StoreError::Compacted`] afterwards. Current
    /// values are kept, and so is every value needed to read a revision above `revision`.
    /// Compacting at or below the already compacted revision does nothing; above the current
    /// revision fails with [`StoreError::FutureRevision`].
    async fn compact(&self, revision: Revision) -> Result<()>;
}

/// Convenience calls built on [`Backend::txn`]: the single-key operations an API server needs.
#[async_trait]
pub trait BackendExt: Backend {
    /// Creates `key`; fails with `PreconditionFailed` (actual != 0) if it exists.
    async fn create(&self, key: &str, value: Bytes) -> Result<Revision> {
        let r = self
            .txn(Txn {
                compares: vec![Compare::ModRevision(key.to_string(), 0)],
                ops: vec![Op::Put {
                    key: key.to_string(),
                    value,
                }],
            })
            .await?;
        Ok(r.revision)
    }

    /// Replaces `key` if its mod revision is `expected`.
    async fn update(&self, key: &str, value: Bytes, expected: Revision) -> Result<Revision> {
        let r = self
            .txn(Txn {
                compares: vec![Compare::ModRevision(key.to_string(), expected)],
                ops: vec![Op::Put {
                    key: key.to_string(),
                    value,
                }],
            })
            .await?;
        Ok(r.revision)
    }

    /// Deletes `key` if its mod revision is `expected`; returns the deleting revision and the
    /// value deleted.
    async fn delete(&self, key: &str, expected: Revision) -> Result<(Revision, Option<KeyValue>)> {
        let mut r = self
            .txn(Txn {
                compares: vec![Compare::ModRevision(key.to_string(), expected)],
                ops: vec![Op::Delete {
                    key: key.to_string(),
                }],
            })
            .await?;
        Ok((r.revision, r.prev.pop().flatten()))
    }
}

impl<B: Backend + ?Sized> BackendExt for B {}
