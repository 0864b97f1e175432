//! The writer thread: group commit of queued transactions, and compaction.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};

use redb::{Database, Durability, ReadableTable, Table, WriteTransaction};
use tokio::sync::oneshot;
use tug_store::{
    Compare, Event, EventKind, KeyValue, Op, Result, Revision, StoreError, Txn, TxnResponse,
};

use crate::codec::{
    LogEvent, decode_object, encode_log_event, encode_object, encode_version, owned,
};
use crate::wal::{Append, Replay, Wal};
use crate::{
    HISTORY, LOG, META, META_COMPACTED, META_REVISION, OBJECTS, OpError, RedbError, RedbOptions,
    Shared, to_i64, to_u64,
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
            log: tx.open_table(LOG)?,
        };
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
                Ok((_, events)) if !events.is_empty() => revision = rev,
                Ok(_) => {
                    return Err(RedbError::Corrupt(format!(
                        "write-ahead log revision {rev} changes nothing"
                    )));
                }
                Err(OpError::Redb(e)) => return Err(e),
                Err(OpError::Store(e)) => return Err(RedbError::Corrupt(e.to_string())),
            }
        }
        tx.open_table(META)?
            .insert(META_REVISION, to_u64(revision))?;
    }
    tx.commit()?;
    Ok(revision)
}

/// The writer loop: runs until every sender of `requests` is gone, then checkpoints.
pub(crate) fn run(
    shared: Arc<Shared>,
    requests: Receiver<Request>,
    options: RedbOptions,
    mut wal: Option<Wal>,
) {
    let mut pending: Option<Request> = None;
    // Set when the write-ahead log failed: whether the failed record is durable is unknown, so
    // no later write may be ordered after it. Everything fails until a restart, which replays
    // whatever of the log is intact.
    let mut poisoned: Option<StoreError> = None;
    loop {
        let dirty = wal.as_ref().is_some_and(|w| !w.is_empty());
        let next = match pending.take() {
            Some(request) => Some(request),
            None if dirty && poisoned.is_none() => {
                match requests.recv_timeout(options.checkpoint_idle) {
                    Ok(request) => Some(request),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => {
                        checkpoint(&shared, wal.as_mut());
                        return;
                    }
                }
            }
            None => match requests.recv() {
                Ok(request) => Some(request),
                Err(_) => return,
            },
        };
        let Some(first) = next else {
            // Idle: persist the database so that a restart has nothing to replay.
            checkpoint(&shared, wal.as_mut());
            continue;
        };
        match first {
            Request::Compact { revision, reply } => {
                let result = match &poisoned {
                    Some(e) => Err(e.clone()),
                    None => compact(&shared, revision, wal.as_mut()).map_err(StoreError::from),
                };
                // The caller may have given up waiting; nothing to do then.
                let _ = reply.send(result);
            }
            Request::Txn { txn, reply } => {
                let mut bytes = txn_bytes(&txn);
                let mut batch = vec![(txn, reply)];
                // Everything that queued up while the previous batch was being made durable
                // goes into this one.
                while batch.len() < options.max_batch_txns && bytes < options.max_batch_bytes {
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
                if let Some(e) = &poisoned {
                    for (_, reply) in batch {
                        let _ = reply.send(Err(e.clone()));
                    }
                    continue;
                }
                if let Err(e) = commit_batch(&shared, batch, wal.as_mut()) {
                    tracing::error!(error = %e, "write-ahead log failed; refusing writes until restarted");
                    poisoned = Some(StoreError::Internal(format!(
                        "write-ahead log failed, restart the store: {e}"
                    )));
                }
            }
        }
    }
}

/// A durable redb commit of everything committed so far; then the log starts over.
fn checkpoint(shared: &Shared, wal: Option<&mut Wal>) {
    let Some(wal) = wal else { return };
    if wal.is_empty() {
        return;
    }
    let result = begin(&shared.db, Durability::Immediate).and_then(|tx| Ok(tx.commit()?));
    match result {
        Ok(()) => {
            shared.syncs.fetch_add(1, Ordering::Relaxed);
            shared.checkpoints.fetch_add(1, Ordering::Relaxed);
            wal.restart();
        }
        // The log still holds everything; the next checkpoint tries again.
        Err(e) => tracing::error!(error = %e, "checkpoint failed"),
    }
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

/// What one batch did: per transaction its answer, and the events of each new revision.
struct BatchOutcome {
    answers: Vec<Result<TxnResponse>>,
    revisions: Vec<(Revision, Vec<Event>)>,
    last_revision: Revision,
    committed: bool,
}

/// Commits a batch and answers its waiters. A failure fails the whole batch (nothing of it is
/// visible). A failure of the write-ahead log is also returned: it leaves the log in an
/// unknown state.
fn commit_batch(
    shared: &Shared,
    batch: Vec<(Txn, oneshot::Sender<Result<TxnResponse>>)>,
    wal: Option<&mut Wal>,
) -> Result<(), RedbError> {
    let n = batch.len() as u64;
    let (txns, replies): (Vec<Txn>, Vec<_>) = batch.into_iter().unzip();
    shared.txns.fetch_add(n, Ordering::Relaxed);
    match apply_batch(shared, &txns, wal) {
        Ok(outcome) => {
            if outcome.committed {
                shared.commits.fetch_add(1, Ordering::Relaxed);
            }
            // Durable now: publish in revision order, then answer.
            for (revision, events) in &outcome.revisions {
                shared.hub.publish(*revision, events);
            }
            shared
                .revision
                .store(outcome.last_revision, Ordering::Release);
            for (reply, answer) in replies.into_iter().zip(outcome.answers) {
                let _ = reply.send(answer);
            }
            Ok(())
        }
        Err(e) => {
            tracing::error!(error = %e, txns = n, "batch failed; nothing of it was committed");
            let answer = StoreError::Internal(e.to_string());
            for reply in replies {
                let _ = reply.send(Err(answer.clone()));
            }
            match e {
                RedbError::Wal(_) => Err(e),
                _ => Ok(()),
            }
        }
    }
}

fn begin(db: &Database, durability: Durability) -> Result<WriteTransaction, RedbError> {
    let mut tx = db.begin_write()?;
    tx.set_durability(durability)
        .map_err(|e| RedbError::Engine(e.into()))?;
    Ok(tx)
}

struct Tables<'t> {
    objects: Table<'t, &'static str, &'static [u8]>,
    history: Table<'t, (&'static str, u64), &'static [u8]>,
    log: Table<'t, u64, &'static [u8]>,
}

fn apply_batch(
    shared: &Shared,
    txns: &[Txn],
    wal: Option<&mut Wal>,
) -> Result<BatchOutcome, RedbError> {
    // With a log, the log's fsync makes the batch durable and redb need not.
    let durability = if wal.is_some() {
        Durability::None
    } else {
        Durability::Immediate
    };
    let mut tx = begin(&shared.db, durability)?;
    let start = to_u64(shared.revision.load(Ordering::Acquire));
    let mut revision = start;
    let mut answers = Vec::with_capacity(txns.len());
    let mut revisions = Vec::new();
    {
        let mut tables = Tables {
            objects: tx.open_table(OBJECTS)?,
            history: tx.open_table(HISTORY)?,
            log: tx.open_table(LOG)?,
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
        if revision != start {
            tx.open_table(META)?.insert(META_REVISION, revision)?;
        }
    }
    let committed = revision != start;
    if !committed {
        // Only failed preconditions and no-ops: nothing to make durable.
        tx.abort()?;
    } else {
        match wal {
            None => tx.commit()?,
            Some(wal) => match wal.append(&revisions)? {
                Append::Written => tx.commit()?,
                Append::Full => {
                    // No room in the log: this commit is durable itself, and a checkpoint.
                    tx.set_durability(Durability::Immediate)
                        .map_err(|e| RedbError::Engine(e.into()))?;
                    tx.commit()?;
                    shared.checkpoints.fetch_add(1, Ordering::Relaxed);
                    wal.restart();
                }
            },
        }
        shared.syncs.fetch_add(1, Ordering::Relaxed);
    }
    Ok(BatchOutcome {
        answers,
        revisions,
        last_revision: to_i64(revision),
        committed,
    })
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
    for (index, Compare::ModRevision(key, expected)) in txn.compares.iter().enumerate() {
        let actual = match t.objects.get(key.as_str())? {
            Some(guard) => to_i64(decode_object(guard.value())?.mod_revision),
            None => 0,
        };
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
        match op {
            Op::Put { key, value } => {
                let before = current(&t.objects, key)?;
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
                let before = current(&t.objects, key)?;
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
    t.log.insert(revision, encode_log(&events).as_slice())?;
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

/// The `log` record of one revision: values are stored only for writes that a later op of the
/// same transaction overwrote (no table keeps those).
fn encode_log(events: &[Event]) -> Vec<u8> {
    let mut last_index: HashMap<&str, usize> = HashMap::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        last_index.insert(e.kv.key.as_str(), i);
    }
    let mut out = Vec::with_capacity(events.iter().map(|e| e.kv.key.len() + 22).sum());
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
                inline_value: (overwritten && e.kind == EventKind::Put).then_some(&e.kv.value[..]),
            },
        );
    }
    out
}

/// Compacts history at and below `revision`: keeps, per key, only the version visible at
/// `revision` (if it is a value, and not the current one) and everything newer.
fn compact(shared: &Shared, revision: Revision, wal: Option<&mut Wal>) -> Result<(), OpError> {
    let current = shared.revision.load(Ordering::Acquire);
    if revision > current {
        return Err(StoreError::FutureRevision {
            requested: revision,
            current,
        }
        .into());
    }
    if revision <= shared.compacted.load(Ordering::Acquire) {
        return Ok(());
    }
    let c = to_u64(revision);
    // Durable itself (compaction is rare), which also makes it a checkpoint.
    let tx = begin(&shared.db, Durability::Immediate)?;
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
        tx.open_table(LOG)?.retain_in(..=c, |_, _| false)?;
        tx.open_table(META)?.insert(META_COMPACTED, c)?;
    }
    tx.commit()?;
    shared.commits.fetch_add(1, Ordering::Relaxed);
    shared.syncs.fetch_add(1, Ordering::Relaxed);
    if let Some(wal) = wal {
        shared.checkpoints.fetch_add(1, Ordering::Relaxed);
        wal.restart();
    }
    shared.compacted.store(revision, Ordering::Release);
    Ok(())
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
