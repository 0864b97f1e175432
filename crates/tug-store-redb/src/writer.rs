//! The writer thread: group commit of queued transactions, the write-ahead log pipeline,
//! checkpoints and compaction.
//!
//! # Visibility
//!
//! Readers never open redb transactions themselves: they use the [`Snapshot`] the writer last
//! published, and the writer publishes a snapshot only once everything in it is durable. This
//! lets a batch be committed to redb (without an fsync) *before* its log record is durable:
//! the log's `fdatasync` of batch N runs on a thread of its own while the writer already
//! applies batch N+1, and N becomes visible (snapshot, watch events, answers) when its record
//! is durable. At most two batches are in flight.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::thread::JoinHandle;

use redb::{
    Database, Durability, ReadableDatabase, ReadableTable, StorageBackend, Table, WriteTransaction,
};
use tokio::sync::oneshot;
use tug_store::{
    Compare, Event, EventKind, KeyValue, Op, Result, Revision, StoreError, Txn, TxnResponse,
};

use crate::codec::{
    LogEvent, decode_object, encode_log_event, encode_object, encode_version, owned,
};
use crate::wal::{Replay, Wal, write_record};
use crate::{
    HISTORY, LOG, META, META_COMPACTED, META_REVISION, OBJECTS, OpError, RedbError, RedbOptions,
    Shared, Snapshot, to_i64, to_u64,
};

/// A request to the writer thread.
pub(crate) enum Request {
    Txn {
        txn: Txn,
        reply: oneshot::Sender<Result<TxnResponse>>,
    },
    Compact {
        revision: Revision,
        reply: oneshot::Sender<Result<()>>,
    },
}

/// Creates the tables if needed and reads the current and compacted revisions.
pub(crate) fn initialize(db: &Database) -> Result<(Revision, Revision), RedbError> {
    let tx = db.begin_write()?;
    let revisions = {
        tx.open_table(OBJECTS)?;
        tx.open_table(HISTORY)?;
        tx.open_table(LOG)?;
        let meta = tx.open_table(META)?;
        let get = |name| -> Result<Revision, RedbError> {
            Ok(meta.get(name)?.map_or(0, |g| to_i64(g.value())))
        };
        (get(META_REVISION)?, get(META_COMPACTED)?)
    };
    tx.commit()?;
    Ok(revisions)
}

/// Opens the read view of everything committed to `db` so far, which is at `revision`.
pub(crate) fn snapshot(
    db: &Database,
    revision: Revision,
    compacted: Revision,
) -> Result<Snapshot, RedbError> {
    let tx = db.begin_read()?;
    Ok(Snapshot {
        revision,
        compacted,
        objects: tx.open_table(OBJECTS)?,
        history: tx.open_table(HISTORY)?,
        log: tx.open_table(LOG)?,
    })
}

/// Applies the revisions a write-ahead log held beyond the database (`durable`) and commits
/// them durably (a checkpoint). Returns the new current revision.
pub(crate) fn replay(
    db: &Database,
    durable: Revision,
    replay: Replay,
) -> Result<Revision, RedbError> {
    let tx = begin(db, Durability::Immediate)?;
    let mut revision = durable;
    {
        let mut tables = Tables {
            objects: tx.open_table(OBJECTS)?,
            history: tx.open_table(HISTORY)?,
        };
        let mut revisions = Vec::new();
        for (rev, ops) in replay {
            if rev != revision + 1 {
                return Err(RedbError::Corrupt(format!(
                    "write-ahead log revision {rev} does not follow {revision}"
                )));
            }
            let txn = Txn {
                compares: vec![],
                ops,
            };
            match apply_txn(&mut tables, to_u64(rev), &txn) {
                Ok((_, events)) if !events.is_empty() => {
                    revision = rev;
                    revisions.push((rev, events));
                }
                Ok(_) => {
                    return Err(RedbError::Corrupt(format!(
                        "write-ahead log revision {rev} changes nothing"
                    )));
                }
                Err(OpError::Redb(e)) => return Err(e),
                Err(OpError::Store(e)) => return Err(RedbError::Corrupt(e.to_string())),
            }
        }
        if let Some((first, _)) = revisions.first() {
            tx.open_table(LOG)?
                .insert(to_u64(*first), encode_log(&revisions).as_slice())?;
        }
        tx.open_table(META)?
            .insert(META_REVISION, to_u64(revision))?;
    }
    tx.commit()?;
    Ok(revision)
}

fn begin(db: &Database, durability: Durability) -> Result<WriteTransaction, RedbError> {
    let mut tx = db.begin_write()?;
    tx.set_durability(durability)
        .map_err(|e| RedbError::Engine(e.into()))?;
    Ok(tx)
}

type Reply = oneshot::Sender<Result<TxnResponse>>;

/// A thread that writes and syncs log records, in order, and reports each result.
struct Syncer {
    jobs: Option<mpsc::Sender<(u64, Vec<u8>)>>,
    done: Receiver<(std::io::Result<()>, Vec<u8>)>,
    thread: Option<JoinHandle<()>>,
}

impl Syncer {
    fn start(storage: Arc<dyn StorageBackend>) -> std::io::Result<Self> {
        let (jobs, job_rx) = mpsc::channel::<(u64, Vec<u8>)>();
        let (done_tx, done) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("tug-redb-wal".into())
            .spawn(move || {
                for (at, record) in job_rx {
                    let result = write_record(storage.as_ref(), at, &record);
                    if done_tx.send((result, record)).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Self {
            jobs: Some(jobs),
            done,
            thread: Some(thread),
        })
    }

    fn submit(&self, at: u64, record: Vec<u8>) -> std::io::Result<()> {
        self.jobs
            .as_ref()
            .and_then(|jobs| jobs.send((at, record)).ok())
            .ok_or_else(|| std::io::Error::other("the log thread is gone"))
    }

    /// Waits for the oldest submitted record; returns its buffer for reuse.
    fn wait(&self) -> std::io::Result<Vec<u8>> {
        match self.done.recv() {
            Ok((result, buf)) => result.map(|()| buf),
            Err(_) => Err(std::io::Error::other("the log thread is gone")),
        }
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the write-ahead log thread panicked");
        }
    }
}

/// A batch committed to redb whose answers wait for its log record (or, for a batch that
/// changed nothing, for the batches before it).
struct InFlight {
    answers: Vec<Result<TxnResponse>>,
    replies: Vec<Reply>,
    revisions: Vec<(Revision, Vec<Event>)>,
    /// The read view after this batch; None if it changed nothing.
    snapshot: Option<Snapshot>,
    /// Whether a log record of this batch is being written.
    logged: bool,
}

struct Writer {
    shared: Arc<Shared>,
    options: RedbOptions,
    wal: Option<(Wal, Syncer)>,
    /// The last revision committed to redb (durable or not).
    applied: u64,
    compacted: Revision,
    in_flight: VecDeque<InFlight>,
    /// Set when the log failed: whether its last records are durable is unknown, so nothing
    /// more may be ordered after them. Writes fail until a restart, which replays whatever of
    /// the log is intact; reads go on serving the last durable snapshot.
    poisoned: Option<StoreError>,
    spare: Vec<Vec<u8>>,
}

/// The writer loop: runs until every sender of `requests` is gone, then checkpoints.
pub(crate) fn run(
    shared: Arc<Shared>,
    requests: Receiver<Request>,
    options: RedbOptions,
    wal: Option<Wal>,
    revision: Revision,
    compacted: Revision,
) {
    let wal = match wal.map(|w| Syncer::start(w.storage()).map(|s| (w, s))) {
        Some(Ok(pair)) => Some(pair),
        Some(Err(e)) => {
            tracing::error!(error = %e, "cannot start the write-ahead log thread");
            for request in requests {
                refuse(
                    request,
                    &StoreError::Internal(format!("cannot start the write-ahead log thread: {e}")),
                );
            }
            return;
        }
        None => None,
    };
    let mut writer = Writer {
        shared,
        options,
        wal,
        applied: to_u64(revision),
        compacted,
        in_flight: VecDeque::new(),
        poisoned: None,
        spare: Vec::new(),
    };
    writer.run(requests);
}

fn refuse(request: Request, error: &StoreError) {
    match request {
        Request::Txn { reply, .. } => {
            let _ = reply.send(Err(error.clone()));
        }
        Request::Compact { reply, .. } => {
            let _ = reply.send(Err(error.clone()));
        }
    }
}

impl Writer {
    fn run(&mut self, requests: Receiver<Request>) {
        let mut pending: Option<Request> = None;
        loop {
            let dirty = self.wal.as_ref().is_some_and(|(w, _)| !w.is_empty());
            let next = if let Some(request) = pending.take() {
                request
            } else if !self.in_flight.is_empty() {
                // Take more work while a record is being synced; otherwise finish a batch.
                match requests.try_recv() {
                    Ok(request) => request,
                    Err(_) => {
                        self.complete_oldest();
                        continue;
                    }
                }
            } else if dirty && self.poisoned.is_none() {
                match requests.recv_timeout(self.options.checkpoint_idle) {
                    Ok(request) => request,
                    Err(RecvTimeoutError::Timeout) => {
                        // Idle: persist the database so that a restart has nothing to replay.
                        self.checkpoint();
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => {
                        self.checkpoint();
                        return;
                    }
                }
            } else {
                match requests.recv() {
                    Ok(request) => request,
                    Err(_) => return,
                }
            };
            if let Some(e) = &self.poisoned {
                refuse(next, e);
                continue;
            }
            match next {
                Request::Compact { revision, reply } => {
                    self.drain();
                    let result = match &self.poisoned {
                        Some(e) => Err(e.clone()),
                        None => self.compact(revision).map_err(StoreError::from),
                    };
                    // The caller may have given up waiting; nothing to do then.
                    let _ = reply.send(result);
                }
                Request::Txn { txn, reply } => {
                    let mut bytes = txn_bytes(&txn);
                    let mut batch = vec![(txn, reply)];
                    // Everything that queued up meanwhile goes into this batch.
                    while batch.len() < self.options.max_batch_txns
                        && bytes < self.options.max_batch_bytes
                    {
                        match requests.try_recv() {
                            Ok(Request::Txn { txn, reply }) => {
                                bytes += txn_bytes(&txn);
                                batch.push((txn, reply));
                            }
                            Ok(other) => {
                                pending = Some(other);
                                break;
                            }
                            Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
                        }
                    }
                    self.batch(batch);
                    self.complete_ready();
                    // Keep at most two batches in flight.
                    while self.in_flight.len() > 1 {
                        self.complete_oldest();
                    }
                }
            }
        }
    }

    fn poison(&mut self, e: &dyn std::fmt::Display) {
        tracing::error!(error = %e, "write-ahead log failed; refusing writes until restarted");
        let err = StoreError::Internal(format!("write-ahead log failed, restart the store: {e}"));
        for flight in self.in_flight.drain(..) {
            for reply in flight.replies {
                let _ = reply.send(Err(err.clone()));
            }
        }
        self.poisoned = Some(err);
    }

    /// Makes the oldest in-flight batch visible and answers it, once its record is durable.
    fn complete_oldest(&mut self) {
        let Some(flight) = self.in_flight.pop_front() else {
            return;
        };
        if flight.logged
            && let Some((_, syncer)) = &self.wal
        {
            match syncer.wait() {
                Ok(buf) => self.spare.push(buf),
                Err(e) => {
                    self.in_flight.push_front(flight);
                    self.poison(&e);
                    return;
                }
            }
            self.shared.syncs.fetch_add(1, Ordering::Relaxed);
        }
        self.publish(flight);
    }

    /// Completes the batches at the front that wait for no log record (committed durably,
    /// or changing nothing).
    fn complete_ready(&mut self) {
        while self.in_flight.front().is_some_and(|f| !f.logged) {
            self.complete_oldest();
        }
    }

    fn drain(&mut self) {
        while !self.in_flight.is_empty() {
            self.complete_oldest();
        }
    }

    /// Durable: publish the snapshot, then the events in revision order, then answer.
    fn publish(&self, flight: InFlight) {
        if let Some(snapshot) = flight.snapshot {
            self.shared.publish(snapshot);
        }
        for (revision, events) in &flight.revisions {
            self.shared.hub.publish(*revision, events);
        }
        for (reply, answer) in flight.replies.into_iter().zip(flight.answers) {
            let _ = reply.send(answer);
        }
    }

    /// Applies and commits one batch; its answers go out when it is durable.
    fn batch(&mut self, batch: Vec<(Txn, Reply)>) {
        let n = batch.len() as u64;
        let (txns, replies): (Vec<Txn>, Vec<Reply>) = batch.into_iter().unzip();
        self.shared.txns.fetch_add(n, Ordering::Relaxed);
        if let Err(e) = self.try_batch(&txns, replies) {
            match e {
                BatchError::Failed(e, replies) => {
                    tracing::error!(error = %e, txns = n, "batch failed; nothing of it was committed");
                    let answer = StoreError::Internal(e.to_string());
                    for reply in replies {
                        let _ = reply.send(Err(answer.clone()));
                    }
                }
                BatchError::Poison(e, replies) => {
                    let answer = StoreError::Internal(e.to_string());
                    for reply in replies {
                        let _ = reply.send(Err(answer.clone()));
                    }
                    self.poison(&e);
                }
            }
        }
    }

    fn try_batch(&mut self, txns: &[Txn], replies: Vec<Reply>) -> Result<(), BatchError> {
        // With a log, the log's fsync makes the batch durable and redb need not.
        let durability = if self.wal.is_some() {
            Durability::None
        } else {
            Durability::Immediate
        };
        let applied = match self.apply(txns, durability) {
            Ok(applied) => applied,
            Err(e) => return Err(BatchError::Failed(e, replies)),
        };
        let Applied {
            mut tx,
            answers,
            revisions,
            last,
        } = applied;
        if revisions.is_empty() {
            // Only failed preconditions and no-ops: nothing to make durable, but the answers
            // may name revisions of batches still in flight, so they wait their turn.
            if let Err(e) = tx.abort() {
                return Err(BatchError::Failed(e.into(), replies));
            }
            self.in_flight.push_back(InFlight {
                answers,
                replies,
                revisions,
                snapshot: None,
                logged: false,
            });
            return Ok(());
        }
        let mut logged = false;
        let mut checkpoint = false;
        if let Some((wal, syncer)) = &mut self.wal {
            let mut buf = self.spare.pop().unwrap_or_default();
            match wal.encode(&revisions, &mut buf) {
                Some(at) => {
                    if let Err(e) = syncer.submit(at, buf) {
                        return Err(BatchError::Poison(RedbError::Wal(e), replies));
                    }
                    logged = true;
                }
                None => checkpoint = true,
            }
        }
        if checkpoint {
            // No room in the log: everything before must be durable first, then this commit
            // is durable itself, and a checkpoint.
            self.drain();
            if self.poisoned.is_some() {
                let e = RedbError::Corrupt("write-ahead log failed".into());
                return Err(BatchError::Failed(e, replies));
            }
            let committed = tx
                .set_durability(Durability::Immediate)
                .map_err(|e| RedbError::Engine(e.into()))
                .and_then(|()| Ok(tx.commit()?));
            if let Err(e) = committed {
                return Err(BatchError::Failed(e, replies));
            }
            self.shared.syncs.fetch_add(1, Ordering::Relaxed);
            self.shared.checkpoints.fetch_add(1, Ordering::Relaxed);
            if let Some((wal, _)) = &mut self.wal {
                wal.restart();
            }
        } else if let Err(e) = tx.commit() {
            // With a record already on its way to the log, the log now holds a batch redb
            // does not: only a restart (replaying the log) can make them agree again.
            return Err(if logged {
                BatchError::Poison(e.into(), replies)
            } else {
                BatchError::Failed(e.into(), replies)
            });
        } else if !logged {
            self.shared.syncs.fetch_add(1, Ordering::Relaxed);
        }
        self.applied = last;
        self.shared.commits.fetch_add(1, Ordering::Relaxed);
        let snapshot = match snapshot(&self.shared.db, to_i64(last), self.compacted) {
            Ok(snapshot) => snapshot,
            Err(e) => return Err(BatchError::Poison(e, replies)),
        };
        self.in_flight.push_back(InFlight {
            answers,
            replies,
            revisions,
            snapshot: Some(snapshot),
            logged,
        });
        Ok(())
    }

    /// Evaluates and applies a batch in one redb write transaction (not committed).
    fn apply(&self, txns: &[Txn], durability: Durability) -> Result<Applied, RedbError> {
        let tx = begin(&self.shared.db, durability)?;
        let start = self.applied;
        let mut revision = start;
        let mut answers = Vec::with_capacity(txns.len());
        let mut revisions = Vec::new();
        {
            let mut tables = Tables {
                objects: tx.open_table(OBJECTS)?,
                history: tx.open_table(HISTORY)?,
            };
            for txn in txns {
                match apply_txn(&mut tables, revision + 1, txn) {
                    Ok((response, events)) => {
                        if !events.is_empty() {
                            revision += 1;
                            revisions.push((to_i64(revision), events));
                        }
                        answers.push(Ok(response));
                    }
                    Err(OpError::Store(e)) => answers.push(Err(e)),
                    Err(OpError::Redb(e)) => return Err(e),
                }
            }
            if let Some((first, _)) = revisions.first() {
                // One `log` record per batch: one insert instead of one per revision.
                tx.open_table(LOG)?
                    .insert(to_u64(*first), encode_log(&revisions).as_slice())?;
                tx.open_table(META)?.insert(META_REVISION, revision)?;
            }
        }
        Ok(Applied {
            tx,
            answers,
            revisions,
            last: revision,
        })
    }

    /// A durable redb commit of everything committed so far; then the log starts over.
    fn checkpoint(&mut self) {
        self.drain();
        if self.poisoned.is_some() {
            return;
        }
        let Some((wal, _)) = &mut self.wal else {
            return;
        };
        if wal.is_empty() {
            return;
        }
        match begin(&self.shared.db, Durability::Immediate).and_then(|tx| Ok(tx.commit()?)) {
            Ok(()) => {
                self.shared.syncs.fetch_add(1, Ordering::Relaxed);
                self.shared.checkpoints.fetch_add(1, Ordering::Relaxed);
                wal.restart();
            }
            // The log still holds everything; the next checkpoint tries again.
            Err(e) => tracing::error!(error = %e, "checkpoint failed"),
        }
    }
}

enum BatchError {
    /// Nothing of the batch was committed.
    Failed(RedbError, Vec<Reply>),
    /// The log and redb may disagree: the store must stop writing.
    Poison(RedbError, Vec<Reply>),
}

struct Applied {
    tx: WriteTransaction,
    answers: Vec<Result<TxnResponse>>,
    revisions: Vec<(Revision, Vec<Event>)>,
    last: u64,
}

fn txn_bytes(txn: &Txn) -> usize {
    txn.ops
        .iter()
        .map(|op| match op {
            Op::Put { key, value } => key.len() + value.len(),
            Op::Delete { key } => key.len(),
        })
        .sum()
}

struct Tables<'t> {
    objects: Table<'t, &'static str, &'static [u8]>,
    history: Table<'t, (&'static str, u64), &'static [u8]>,
}

fn current(
    objects: &Table<'_, &'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<KeyValue>, OpError> {
    match objects.get(key)? {
        Some(guard) => {
            let o = decode_object(guard.value())?;
            Ok(Some(KeyValue {
                key: key.to_string(),
                value: owned(o.value),
                create_revision: to_i64(o.create_revision),
                mod_revision: to_i64(o.mod_revision),
            }))
        }
        None => Ok(None),
    }
}

/// Applies one transaction at `revision` if its compares hold. Returns the answer and the
/// events (none if nothing changed: the revision is then not used).
fn apply_txn(
    t: &mut Tables<'_>,
    revision: u64,
    txn: &Txn,
) -> Result<(TxnResponse, Vec<Event>), OpError> {
    // The common shape is a compare on a key and one op on it: the op reuses the compare's
    // lookup instead of searching the tree again.
    let mut looked_up: Option<(&str, Option<KeyValue>)> = None;
    for (index, Compare::ModRevision(key, expected)) in txn.compares.iter().enumerate() {
        let value = current(&t.objects, key)?;
        let actual = value.as_ref().map_or(0, |kv| kv.mod_revision);
        looked_up = Some((key.as_str(), value));
        if actual != *expected {
            return Err(StoreError::PreconditionFailed {
                index,
                key: key.clone(),
                expected: *expected,
                actual,
            }
            .into());
        }
    }
    let rev = to_i64(revision);
    let mut events = Vec::new();
    let mut prev = Vec::with_capacity(txn.ops.len());
    let mut deleted_here: HashSet<&str> = HashSet::new();
    for op in &txn.ops {
        // Valid only before the first write.
        let mut before_write = looked_up.take();
        let mut lookup = |t: &Tables<'_>, key: &str| -> Result<Option<KeyValue>, OpError> {
            match before_write.take() {
                Some((k, value)) if k == key => Ok(value),
                _ => current(&t.objects, key),
            }
        };
        match op {
            Op::Put { key, value } => {
                let before = lookup(t, key)?;
                let create = match &before {
                    Some(b) => {
                        archive(t, b, revision)?;
                        b.create_revision
                    }
                    None => {
                        if deleted_here.remove(key.as_str()) {
                            // Deleted earlier in this transaction: this put supersedes the
                            // tombstone of the same revision.
                            t.history.remove((key.as_str(), revision))?;
                        }
                        rev
                    }
                };
                t.objects.insert(
                    key.as_str(),
                    encode_object(to_u64(create), revision, value).as_slice(),
                )?;
                events.push(Event {
                    kind: EventKind::Put,
                    kv: KeyValue {
                        key: key.clone(),
                        value: value.clone(),
                        create_revision: create,
                        mod_revision: rev,
                    },
                    prev: before.clone(),
                });
                prev.push(before);
            }
            Op::Delete { key } => {
                let before = lookup(t, key)?;
                if let Some(b) = &before {
                    archive(t, b, revision)?;
                    t.objects.remove(key.as_str())?;
                    t.history
                        .insert((key.as_str(), revision), encode_version(0, None).as_slice())?;
                    deleted_here.insert(key.as_str());
                    events.push(Event {
                        kind: EventKind::Delete,
                        kv: KeyValue {
                            key: key.clone(),
                            value: bytes::Bytes::new(),
                            create_revision: 0,
                            mod_revision: rev,
                        },
                        prev: before.clone(),
                    });
                }
                prev.push(before);
            }
        }
    }
    if events.is_empty() {
        return Ok((
            TxnResponse {
                revision: rev - 1,
                prev,
            },
            events,
        ));
    }
    Ok((
        TxnResponse {
            revision: rev,
            prev,
        },
        events,
    ))
}

/// Moves the current version `b` of a key into `history` before it is overwritten or deleted
/// at `revision` — unless it was written by this same transaction, in which case no read can
/// ever see it.
fn archive(t: &mut Tables<'_>, b: &KeyValue, revision: u64) -> Result<(), OpError> {
    let written_at = to_u64(b.mod_revision);
    if written_at != revision {
        t.history.insert(
            (b.key.as_str(), written_at),
            encode_version(to_u64(b.create_revision), Some(&b.value)).as_slice(),
        )?;
    }
    Ok(())
}

/// The `log` record of a batch: its revisions in order, each `revision u64 | n u32 | n events`.
/// Values are stored only for writes that a later op of the same transaction overwrote (no
/// table keeps those).
fn encode_log(revisions: &[(Revision, Vec<Event>)]) -> Vec<u8> {
    let size = revisions
        .iter()
        .flat_map(|(_, events)| events)
        .map(|e| e.kv.key.len() + 22)
        .sum::<usize>()
        + revisions.len() * 12;
    let mut out = Vec::with_capacity(size);
    let mut last_index: HashMap<&str, usize> = HashMap::new();
    for (revision, events) in revisions {
        out.extend_from_slice(&to_u64(*revision).to_le_bytes());
        out.extend_from_slice(
            &u32::try_from(events.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        last_index.clear();
        for (i, e) in events.iter().enumerate() {
            last_index.insert(e.kv.key.as_str(), i);
        }
        for (i, e) in events.iter().enumerate() {
            let overwritten = last_index
                .get(e.kv.key.as_str())
                .is_some_and(|&last| last > i);
            encode_log_event(
                &mut out,
                &LogEvent {
                    kind: e.kind,
                    key: &e.kv.key,
                    create_revision: to_u64(e.kv.create_revision),
                    prev_mod_revision: e.prev.as_ref().map_or(0, |p| to_u64(p.mod_revision)),
                    inline_value: (overwritten && e.kind == EventKind::Put)
                        .then_some(&e.kv.value[..]),
                },
            );
        }
    }
    out
}

impl Writer {
    /// Compacts history at and below `revision`: keeps, per key, only the version visible at
    /// `revision` (if it is a value, and not the current one) and everything newer. Runs with
    /// nothing in flight; its commit is durable, so it is also a checkpoint.
    fn compact(&mut self, revision: Revision) -> Result<(), OpError> {
        let current = to_i64(self.applied);
        if revision > current {
            return Err(StoreError::FutureRevision {
                requested: revision,
                current,
            }
            .into());
        }
        if revision <= self.compacted {
            return Ok(());
        }
        let c = to_u64(revision);
        let tx = begin(&self.shared.db, Durability::Immediate)?;
        {
            let objects = tx.open_table(OBJECTS)?;
            let mut history = tx.open_table(HISTORY)?;
            let mut doomed: Vec<(String, u64)> = Vec::new();
            {
                // Per key, the versions at or below `c`, oldest first, with "is a tombstone".
                let mut group: Option<(String, Vec<(u64, bool)>)> = None;
                for entry in history.iter()? {
                    let (k, v) = entry?;
                    let (key, rev) = k.value();
                    if group.as_ref().is_none_or(|(g, _)| g != key) {
                        if let Some((g, versions)) = group.take() {
                            doom(&objects, c, g, versions, &mut doomed)?;
                        }
                        group = Some((key.to_string(), Vec::new()));
                    }
                    if rev <= c
                        && let Some((_, versions)) = group.as_mut()
                    {
                        let tombstone = crate::codec::decode_version(v.value())?.value.is_none();
                        versions.push((rev, tombstone));
                    }
                }
                if let Some((g, versions)) = group.take() {
                    doom(&objects, c, g, versions, &mut doomed)?;
                }
            }
            for (key, rev) in &doomed {
                history.remove((key.as_str(), *rev))?;
            }
            // A `log` record holds a batch, keyed by its first revision: every record
            // followed by one that starts at or below `c + 1` ends at or below `c`.
            let mut log = tx.open_table(LOG)?;
            let mut starts = Vec::new();
            for entry in log.range(..=c + 1)? {
                starts.push(entry?.0.value());
            }
            starts.pop();
            for start in starts {
                log.remove(start)?;
            }
            tx.open_table(META)?.insert(META_COMPACTED, c)?;
        }
        tx.commit()?;
        self.compacted = revision;
        self.shared.commits.fetch_add(1, Ordering::Relaxed);
        self.shared.syncs.fetch_add(1, Ordering::Relaxed);
        if let Some((wal, _)) = &mut self.wal {
            self.shared.checkpoints.fetch_add(1, Ordering::Relaxed);
            wal.restart();
        }
        let snapshot = snapshot(&self.shared.db, current, revision)?;
        self.shared.publish(snapshot);
        Ok(())
    }
}

/// Picks which of one key's versions at or below `c` compaction removes.
fn doom(
    objects: &Table<'_, &'static str, &'static [u8]>,
    c: u64,
    key: String,
    versions: Vec<(u64, bool)>,
    doomed: &mut Vec<(String, u64)>,
) -> Result<(), OpError> {
    let Some(&(last, last_is_tombstone)) = versions.last() else {
        return Ok(());
    };
    for &(rev, _) in &versions[..versions.len() - 1] {
        doomed.push((key.clone(), rev));
    }
    // The newest one stays if reads above `c` may need it: it is a value, and the current
    // version is not itself at or below `c`.
    let current_covers = match objects.get(key.as_str())? {
        Some(guard) => decode_object(guard.value())?.mod_revision <= c,
        None => false,
    };
    if last_is_tombstone || current_covers {
        doomed.push((key, last));
    }
    Ok(())
}
