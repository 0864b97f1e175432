//! The durable embedded store of tug: [`tug_store::Backend`] on [redb](https://docs.rs/redb).
//!
//! # Layout
//!
//! * `objects`: key → current value with its create and mod revision. Current reads (the hot
//!   path: get, list and count at the current revision) touch only this table.
//! * `history`: (key, mod revision) → every *superseded* version and every delete tombstone.
//!   A read at a past revision takes the `objects` value if it is old enough, else the newest
//!   `history` version at or below the revision. A create writes no history at all.
//! * `log`: first revision of a committed batch → the events of its revisions (keys, kinds,
//!   previous mod revisions), for watch replay; values are looked up from `objects`/`history`,
//!   not copied.
//! * `meta`: the current and the compacted revision.
//!
//! # Writes
//!
//! Acknowledged means fsynced. One dedicated writer thread drains a queue of pending
//! transactions and commits them in batches (group commit): each transaction's compares are
//! evaluated against the state including the earlier transactions of its batch, each
//! successful one gets its own revision, one fsync makes the batch durable, then the watch hub
//! gets the events (in revision order) and every waiter its answer. A failed precondition
//! answers only its own request.
//!
//! The fsync is that of a write-ahead log next to the database (`<path>.wal`, see the `wal`
//! module for why and how): the batch is appended to the log and `fdatasync`ed, and committed
//! to redb without an fsync; a checkpoint (a durable redb commit) persists the database when
//! the log is full or the store is idle, and the log starts over. Opening replays the log.
//! With [`RedbOptions::wal_size_bytes`] = 0 there is no log and every batch is a durable
//! (`Durability::Immediate`) redb commit instead: simpler, and about a third of the throughput
//! at 64 writers on our 2-core machines (`tug-bench store --wal-mib 0`).
//!
//! Batches are pipelined: while the log record of batch N is being synced (on a thread of its
//! own), the writer already applies batch N+1; N becomes visible when its record is durable.
//!
//! # Reads
//!
//! Readers never see a write before it is durable: they read the snapshot (a redb read
//! transaction with its tables open) that the writer published last, and the writer publishes
//! a snapshot only once everything in it is durable. `get` runs inline (microseconds); `list`,
//! `count` and watch replay on tokio's blocking pool.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use async_trait::async_trait;
use redb::{Database, ReadOnlyTable, StorageBackend, TableDefinition};
use tokio::sync::oneshot;
use tug_store::watch::{DEFAULT_WATCH_CAPACITY, WatchHub};
use tug_store::{
    Backend, KeyValue, ListRequest, ListResponse, Result, Revision, StoreError, Txn, TxnResponse,
    WatchStream,
};

mod codec;
mod read;
mod wal;
mod writer;

pub(crate) const OBJECTS: TableDefinition<&str, &[u8]> = TableDefinition::new("objects");
pub(crate) const HISTORY: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("history");
pub(crate) const LOG: TableDefinition<u64, &[u8]> = TableDefinition::new("log");
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
pub(crate) const META_REVISION: &str = "revision";
pub(crate) const META_COMPACTED: &str = "compacted";

/// Errors of the redb engine and of this crate's own records.
#[derive(Debug, thiserror::Error)]
pub enum RedbError {
    /// redb failed (I/O, corruption detected by redb, a lock held by another process, ...).
    #[error("redb: {0}")]
    Engine(#[from] redb::Error),
    /// A record written by this crate could not be decoded.
    #[error("corrupt record: {0}")]
    Corrupt(String),
    /// The writer thread could not be started.
    #[error("cannot start the writer thread: {0}")]
    Spawn(#[source] std::io::Error),
    /// Reading, writing or syncing the write-ahead log (or its directory) failed.
    #[error("write-ahead log: {0}")]
    Wal(#[source] std::io::Error),
}

impl From<RedbError> for StoreError {
    fn from(e: RedbError) -> Self {
        StoreError::Internal(e.to_string())
    }
}

/// The error of an operation inside this crate: a store answer (precondition, compaction, ...)
/// or an engine failure. `?` turns every redb error into it.
#[derive(Debug)]
pub(crate) enum OpError {
    Store(StoreError),
    Redb(RedbError),
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        OpError::Store(e)
    }
}

impl From<RedbError> for OpError {
    fn from(e: RedbError) -> Self {
        OpError::Redb(e)
    }
}

impl From<OpError> for StoreError {
    fn from(e: OpError) -> Self {
        match e {
            OpError::Store(e) => e,
            OpError::Redb(e) => e.into(),
        }
    }
}

macro_rules! via_redb_error {
    ($($t:ty),*) => {$(
        impl From<$t> for RedbError {
            fn from(e: $t) -> Self {
                RedbError::Engine(e.into())
            }
        }
        impl From<$t> for OpError {
            fn from(e: $t) -> Self {
                OpError::Redb(RedbError::Engine(e.into()))
            }
        }
    )*};
}
via_redb_error!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// How to open a [`RedbBackend`].
#[derive(Clone, Debug)]
pub struct RedbOptions {
    /// redb's page cache. redb's own default (1 GiB) would break tug's memory targets, so it is
    /// always set explicitly. Default 64 MiB.
    pub cache_size_bytes: usize,
    /// The most transactions one commit carries. Default 1024.
    pub max_batch_txns: usize,
    /// The most key and value bytes one commit carries (a single larger transaction still
    /// commits, alone). Default 16 MiB.
    pub max_batch_bytes: usize,
    /// Live events a watcher may have queued before it is cut off with
    /// [`StoreError::WatchLagged`]. Default [`DEFAULT_WATCH_CAPACITY`].
    pub watch_capacity: usize,
    /// Size of the write-ahead log file, preallocated. A full log forces a checkpoint, so this
    /// also bounds what a restart replays. 0 disables the log: every batch is then a durable
    /// redb commit. Default 64 MiB.
    pub wal_size_bytes: u64,
    /// With the log in use, checkpoint after the store has been idle this long (so that an
    /// idle store has nothing to replay). Default 100 ms.
    pub checkpoint_idle: Duration,
}

impl Default for RedbOptions {
    fn default() -> Self {
        Self {
            cache_size_bytes: 64 * 1024 * 1024,
            max_batch_txns: 1024,
            max_batch_bytes: 16 * 1024 * 1024,
            watch_capacity: DEFAULT_WATCH_CAPACITY,
            wal_size_bytes: 64 * 1024 * 1024,
            checkpoint_idle: Duration::from_millis(100),
        }
    }
}

/// Counters of the writer thread, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriterStats {
    /// Batches committed (each made durable by one fsync), compactions included.
    pub commits: u64,
    /// fsyncs: write-ahead log appends plus durable redb commits.
    pub syncs: u64,
    /// Checkpoints: durable redb commits that let the write-ahead log start over.
    pub checkpoints: u64,
    /// Transactions answered (committed, failed on a precondition, or no-ops).
    pub txns: u64,
}

/// A read view at a durable revision: a redb read transaction's tables, opened once and shared
/// by every reader until the writer publishes the next one.
pub(crate) struct Snapshot {
    pub revision: Revision,
    pub compacted: Revision,
    pub objects: ReadOnlyTable<&'static str, &'static [u8]>,
    pub history: ReadOnlyTable<(&'static str, u64), &'static [u8]>,
    pub log: ReadOnlyTable<u64, &'static [u8]>,
}

/// State shared by the backend handle, its readers and its writer thread.
pub(crate) struct Shared {
    pub db: Database,
    pub hub: WatchHub,
    /// The read view of the last durable revision.
    snapshot: RwLock<Arc<Snapshot>>,
    pub commits: AtomicU64,
    pub syncs: AtomicU64,
    pub checkpoints: AtomicU64,
    pub txns: AtomicU64,
}

/// The redb [`Backend`]. Dropping it stops the writer thread (after its current batch and a
/// final checkpoint) and closes the database file; watch streams then end with
/// [`StoreError::Closed`]. A transaction handed to [`Backend::txn`] is queued at once: dropping
/// the returned future does not withdraw it (it may still commit).
pub struct RedbBackend {
    shared: Arc<Shared>,
    queue: Option<std::sync::mpsc::Sender<writer::Request>>,
    writer: Option<JoinHandle<()>>,
}

impl Shared {
    /// The read view of the last durable revision.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        // A reader or the writer panicking cannot leave a half-written `Arc` behind.
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Makes a durable revision visible to readers (the writer's only way to do so).
    pub fn publish(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }
}

impl std::fmt::Debug for RedbBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbBackend")
            .field("revision", &self.shared.snapshot().revision)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl RedbBackend {
    /// Opens (creating if absent) the database file at `path` and its write-ahead log
    /// `<path>.wal`, replaying the log, so that the store continues at its last acknowledged
    /// revision.
    pub fn open(path: &Path, options: RedbOptions) -> Result<Self, RedbError> {
        let db = Database::builder()
            .set_cache_size(options.cache_size_bytes)
            .create(path)?;
        let wal_path = Self::wal_path(path);
        let wal_existed = wal_path.exists();
        let wal: Option<Box<dyn StorageBackend>> = if options.wal_size_bytes > 0 || wal_existed {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&wal_path)
                .map_err(RedbError::Wal)?;
            Some(Box::new(redb::backends::FileBackend::new(file)?))
        } else {
            None
        };
        // A new file is durable only once its directory entry is.
        sync_parent_dir(path)?;
        let store = Self::start(db, wal, options.clone())?;
        if options.wal_size_bytes == 0 && wal_existed {
            // Replayed and checkpointed by `start`: no longer needed.
            std::fs::remove_file(&wal_path).map_err(RedbError::Wal)?;
        }
        Ok(store)
    }

    /// The write-ahead log of the database at `path`.
    pub fn wal_path(path: &Path) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(".wal");
        PathBuf::from(name)
    }

    /// Opens a database and its write-ahead log on custom redb storage backends (for tests
    /// that simulate crashes). With [`RedbOptions::wal_size_bytes`] = 0, `wal` is only
    /// replayed, never written.
    pub fn open_with_storage(
        db: impl StorageBackend,
        wal: impl StorageBackend,
        options: RedbOptions,
    ) -> Result<Self, RedbError> {
        let db = Database::builder()
            .set_cache_size(options.cache_size_bytes)
            .create_with_backend(db)?;
        Self::start(db, Some(Box::new(wal)), options)
    }

    fn start(
        db: Database,
        wal: Option<Box<dyn StorageBackend>>,
        options: RedbOptions,
    ) -> Result<Self, RedbError> {
        let (mut revision, compacted) = writer::initialize(&db)?;
        let mut checkpoints = 0;
        let wal = match wal {
            Some(storage) => {
                let (mut wal, replay) =
                    wal::Wal::open(Arc::from(storage), options.wal_size_bytes, revision)?;
                if !replay.is_empty() {
                    revision = writer::replay(&db, revision, replay)?;
                    checkpoints += 1;
                }
                wal.restart();
                (options.wal_size_bytes > 0).then_some(wal)
            }
            None => None,
        };
        let snapshot = writer::snapshot(&db, revision, compacted)?;
        let shared = Arc::new(Shared {
            db,
            hub: WatchHub::new(options.watch_capacity, revision),
            snapshot: RwLock::new(Arc::new(snapshot)),
            commits: AtomicU64::new(0),
            syncs: AtomicU64::new(checkpoints),
            checkpoints: AtomicU64::new(checkpoints),
            txns: AtomicU64::new(0),
        });
        let (queue, requests) = std::sync::mpsc::channel();
        let writer = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("tug-redb-writer".into())
                .spawn(move || writer::run(shared, requests, options, wal, revision, compacted))
                .map_err(RedbError::Spawn)?
        };
        Ok(Self {
            shared,
            queue: Some(queue),
            writer: Some(writer),
        })
    }

    /// Counters of the writer thread.
    pub fn stats(&self) -> WriterStats {
        WriterStats {
            commits: self.shared.commits.load(Ordering::Relaxed),
            syncs: self.shared.syncs.load(Ordering::Relaxed),
            checkpoints: self.shared.checkpoints.load(Ordering::Relaxed),
            txns: self.shared.txns.load(Ordering::Relaxed),
        }
    }

    /// The number of batches committed so far (each made durable by one fsync).
    pub fn commit_count(&self) -> u64 {
        self.stats().commits
    }

    async fn submit<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<T>>) -> writer::Request,
    ) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .as_ref()
            .ok_or(StoreError::Closed)?
            .send(make(reply))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs a read on tokio's blocking pool against the current snapshot (taken now, so that
    /// the read sees at least everything acknowledged before the call).
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Snapshot) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let snapshot = self.shared.snapshot();
        tokio::task::spawn_blocking(move || f(&snapshot))
            .await
            .map_err(|e| StoreError::Internal(format!("read task failed: {e}")))?
    }
}

impl Drop for RedbBackend {
    fn drop(&mut self) {
        // Closing the queue lets the writer finish its batch and exit; joining it makes a
        // reopen of the same file right after the drop safe.
        drop(self.queue.take());
        if let Some(writer) = self.writer.take()
            && writer.join().is_err()
        {
            tracing::error!("the redb writer thread panicked");
        }
    }
}

#[async_trait]
impl Backend for RedbBackend {
    async fn txn(&self, txn: Txn) -> Result<TxnResponse> {
        self.submit(|reply| writer::Request::Txn { txn, reply })
            .await
    }

    async fn get(&self, key: &str, revision: Revision) -> Result<(Option<KeyValue>, Revision)> {
        Ok(read::get(&self.shared.snapshot(), key, revision)?)
    }

    async fn list(&self, req: ListRequest) -> Result<ListResponse> {
        self.blocking(move |snapshot| Ok(read::list(snapshot, &req)?))
            .await
    }

    async fn count(&self, prefix: &str) -> Result<u64> {
        let prefix = prefix.to_string();
        self.blocking(move |snapshot| Ok(read::count(snapshot, &prefix)?))
            .await
    }

    async fn watch(&self, prefix: &str, after: Revision) -> Result<WatchStream> {
        // Subscribe first: everything after `upto` arrives live; everything up to it is
        // committed (the writer publishes only after commit) and replayed from the log.
        let sub = self.shared.hub.subscribe(prefix);
        let upto = sub.revision();
        let prefix = prefix.to_string();
        let replay = self
            .blocking(move |snapshot| Ok(read::replay(snapshot, &prefix, after, upto)?))
            .await?;
        Ok(sub.into_stream(replay, after))
    }

    async fn current_revision(&self) -> Result<Revision> {
        Ok(self.shared.snapshot().revision)
    }

    async fn compacted_revision(&self) -> Result<Revision> {
        Ok(self.shared.snapshot().compacted)
    }

    async fn compact(&self, revision: Revision) -> Result<()> {
        self.submit(|reply| writer::Request::Compact { revision, reply })
            .await
    }
}

fn sync_parent_dir(path: &Path) -> Result<(), RedbError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(RedbError::Wal)
}

/// Converts a validated, non-negative revision to the tables' representation.
pub(crate) fn to_u64(revision: Revision) -> u64 {
    u64::try_from(revision).unwrap_or(0)
}

/// Converts a stored revision to the API's representation.
pub(crate) fn to_i64(revision: u64) -> Revision {
    Revision::try_from(revision).unwrap_or(Revision::MAX)
}
