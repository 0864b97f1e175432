//! Power-loss harness for the redb store, shared by `tests/power_loss.rs` (a few short rounds
//! in the test suite) and `tug-bench power-loss` (many rounds), which includes this file.
//!
//! # The machine
//!
//! [`Machine`] simulates one computer's disk holding the database file and its write-ahead
//! log: each file has what the process sees (the page cache) and what survives a power cut
//! (what was synced). Both files share one lock, so a cut is one instant for both: the image
//! of the database and the image of the log are taken together, as a real power cut would.
//! The cut happens at a random storage operation (a write, resize or sync of either file),
//! which puts it anywhere in the write path: between a log append and its `fdatasync`, in the
//! middle of a checkpoint, during recovery on open.
//!
//! After the cut the process goes on (it cannot tell), but every sync fails: nothing after the
//! cut can become durable. So *every* write the store acknowledges, before or after the cut,
//! must be in the image; a write acknowledged without a successful sync would be lost and is
//! counted.
//!
//! What survives besides synced data is [`Loss`]: nothing (the strict model), or a random
//! subset of the unsynced 4 KiB blocks in their latest state (a disk writes dirty blocks back
//! on its own, in any order).
//!
//! # The workload and what is checked
//!
//! Several writers run concurrently, each on keys of its own, through [`Backend`]: creates of
//! unique keys (values of random size, so batches and log records vary), updates of a counter
//! key (compare on its mod revision), deletes of keys it created, a multi-key transaction that
//! puts the same value into three keys, and a "ring" transaction that deletes one key and
//! creates the next. A round runs the workload until the cut, reopens the store on the images
//! and checks:
//!
//! * every acknowledged write is there: a create with its revision and value, a delete's key is
//!   absent, a counter shows at least the acknowledged sequence (and exactly its revision when
//!   it shows that sequence) and never one that was not attempted;
//! * no partially applied transaction: the three keys of the multi-key transaction agree, the
//!   ring has exactly one key; and, over the whole history replayed by a watch from revision 0,
//!   every revision is exactly one whole transaction of the workload, revisions 1..=current
//!   with no gap;
//! * nothing that was never written appears;
//! * the revision continues: the current revision is at least the highest acknowledged one and
//!   the next write gets the next revision.
//!
//! Rounds chain: each opens the images the previous one left, so recovery itself is crashed
//! into, and the expectations accumulate.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::{FutureExt, StreamExt};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redb::StorageBackend;
use tug_store::{
    Backend, BackendExt, Compare, Event, EventKind, KeyValue, ListRequest, Op, Revision, Txn,
};
use tug_store_redb::{RedbBackend, RedbOptions};

/// The unit a disk writes back on its own.
pub const BLOCK: usize = 4096;

/// What a power cut keeps besides what was synced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// Nothing: every unsynced write is gone.
    DropUnsynced,
    /// A random half of the unsynced blocks, each in its latest state, had reached the disk.
    PartialWriteback,
}

impl Loss {
    pub fn name(self) -> &'static str {
        match self {
            Loss::DropUnsynced => "drop-unsynced",
            Loss::PartialWriteback => "partial-writeback",
        }
    }
}

#[derive(Debug, Default)]
struct FileState {
    /// What the process reads back (the page cache).
    cached: Vec<u8>,
    /// What survives a power cut.
    synced: Vec<u8>,
    /// Blocks written since the last sync.
    dirty: BTreeSet<usize>,
    /// The shortest the file was since the last sync (a truncation is unsynced too).
    min_len: usize,
}

impl FileState {
    fn from_image(image: Vec<u8>) -> Self {
        Self {
            min_len: image.len(),
            cached: image.clone(),
            synced: image,
            dirty: BTreeSet::new(),
        }
    }

    fn sync(&mut self) {
        let len = self.cached.len();
        self.synced.truncate(self.min_len);
        self.synced.resize(len, 0);
        for &b in &self.dirty {
            let range = b * BLOCK..((b + 1) * BLOCK).min(len);
            if range.start < range.end {
                self.synced[range.clone()].copy_from_slice(&self.cached[range]);
            }
        }
        self.dirty.clear();
        self.min_len = len;
    }

    /// The file as it comes back after a cut now.
    fn image(&self, loss: Loss, rng: &mut StdRng) -> Vec<u8> {
        let mut image = self.synced.clone();
        if loss == Loss::PartialWriteback {
            let len = image.len().min(self.cached.len());
            for &b in &self.dirty {
                let range = b * BLOCK..((b + 1) * BLOCK).min(len);
                if range.start < range.end && rng.random_bool(0.5) {
                    image[range.clone()].copy_from_slice(&self.cached[range]);
                }
            }
        }
        image
    }
}

#[derive(Debug)]
struct MachineState {
    files: Vec<FileState>,
    loss: Loss,
    /// Writes, resizes and syncs so far.
    ops: u64,
    /// The operation before which the power goes.
    cut_at: u64,
    /// The files as they come back, once the power is gone.
    image: Option<Vec<Vec<u8>>>,
    /// The storage operations done before the cut.
    ops_before_cut: u64,
    rng: StdRng,
}

impl MachineState {
    /// Cuts the power (if it is on) after `done` storage operations.
    fn cut(&mut self, done: u64) {
        if self.image.is_none() {
            self.ops_before_cut = done;
            let loss = self.loss;
            let rng = &mut self.rng;
            self.image = Some(self.files.iter().map(|f| f.image(loss, rng)).collect());
        }
    }

    fn count_op(&mut self) {
        self.ops += 1;
        if self.ops >= self.cut_at {
            // Before this operation.
            self.cut(self.ops - 1);
        }
    }
}

/// One computer's disk: files whose unsynced writes a power cut drops. See the module docs.
#[derive(Clone, Debug)]
pub struct Machine(Arc<Mutex<MachineState>>);

impl Machine {
    /// A machine whose files start as `images` (synced), losing power before its `cut_at`-th
    /// write, resize or sync.
    pub fn new(images: Vec<Vec<u8>>, loss: Loss, cut_at: u64, seed: u64) -> Self {
        Self(Arc::new(Mutex::new(MachineState {
            files: images.into_iter().map(FileState::from_image).collect(),
            loss,
            ops: 0,
            cut_at: cut_at.max(1),
            image: None,
            ops_before_cut: 0,
            rng: StdRng::seed_from_u64(seed),
        })))
    }

    fn state(&self) -> MutexGuard<'_, MachineState> {
        // A panic in a test thread cannot leave a half-updated file behind that matters.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// File `index` as a redb storage backend.
    pub fn file(&self, index: usize) -> File {
        File {
            machine: self.clone(),
            index,
        }
    }

    /// Cuts the power now (if it is still on).
    pub fn cut(&self) {
        let mut state = self.state();
        let done = state.ops;
        state.cut(done);
    }

    /// Whether the power is still on.
    pub fn powered(&self) -> bool {
        self.state().image.is_none()
    }

    /// The writes, resizes and syncs done before the power went.
    pub fn ops_before_cut(&self) -> u64 {
        self.state().ops_before_cut
    }

    /// The files as they come back after the cut (None while the power is on).
    pub fn image(&self) -> Option<Vec<Vec<u8>>> {
        self.state().image.clone()
    }
}

/// A file of a [`Machine`].
#[derive(Clone, Debug)]
pub struct File {
    machine: Machine,
    index: usize,
}

fn out_of_range() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, "out of range")
}

impl File {
    fn with<T>(&self, f: impl FnOnce(&mut FileState) -> T) -> T {
        let mut state = self.machine.state();
        f(&mut state.files[self.index])
    }
}

impl StorageBackend for File {
    fn len(&self) -> Result<u64, std::io::Error> {
        Ok(self.with(|f| f.cached.len() as u64))
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
        self.with(|f| {
            let start = usize::try_from(offset).map_err(|_| out_of_range())?;
            let src = f
                .cached
                .get(start..start + out.len())
                .ok_or_else(out_of_range)?;
            out.copy_from_slice(src);
            Ok(())
        })
    }

    fn set_len(&self, len: u64) -> Result<(), std::io::Error> {
        let mut state = self.machine.state();
        state.count_op();
        let f = &mut state.files[self.index];
        let len = usize::try_from(len).map_err(|_| out_of_range())?;
        f.cached.resize(len, 0);
        f.min_len = f.min_len.min(len);
        Ok(())
    }

    fn sync_data(&self) -> Result<(), std::io::Error> {
        let mut state = self.machine.state();
        state.count_op();
        if state.image.is_some() {
            return Err(std::io::Error::other(
                "simulated power loss: the disk is gone",
            ));
        }
        state.files[self.index].sync();
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), std::io::Error> {
        let mut state = self.machine.state();
        state.count_op();
        let f = &mut state.files[self.index];
        let start = usize::try_from(offset).map_err(|_| out_of_range())?;
        let dst = f
            .cached
            .get_mut(start..start + data.len())
            .ok_or_else(out_of_range)?;
        dst.copy_from_slice(data);
        if !data.is_empty() {
            f.dirty
                .extend(start / BLOCK..=(start + data.len() - 1) / BLOCK);
        }
        Ok(())
    }
}

/// Store options and workload of a chain of rounds.
#[derive(Clone, Debug)]
pub struct Config {
    pub name: &'static str,
    pub options: RedbOptions,
    pub writers: usize,
    /// The cut comes before a storage operation drawn from 1..=max_ops of the round.
    pub max_ops: u64,
    /// If the cut has not come after this long, it comes now.
    pub max_round: Duration,
}

impl Config {
    /// A 64 KiB log that fills and checkpoints every few dozen batches.
    pub fn small_log() -> Self {
        Self {
            name: "small-log",
            options: RedbOptions {
                cache_size_bytes: 4 * 1024 * 1024,
                wal_size_bytes: 64 * 1024,
                checkpoint_idle: Duration::from_secs(3600),
                ..RedbOptions::default()
            },
            writers: 8,
            max_ops: 3000,
            max_round: Duration::from_secs(5),
        }
    }

    /// A 1 MiB log with idle checkpoints after 2 ms, so checkpoints interleave with writes.
    pub fn idle_checkpoints() -> Self {
        Self {
            name: "idle-checkpoints",
            options: RedbOptions {
                cache_size_bytes: 4 * 1024 * 1024,
                wal_size_bytes: 1024 * 1024,
                checkpoint_idle: Duration::from_millis(2),
                ..RedbOptions::default()
            },
            ..Self::small_log()
        }
    }

    /// No log: every batch is a durable redb commit.
    pub fn no_log() -> Self {
        Self {
            name: "no-log",
            options: RedbOptions {
                cache_size_bytes: 4 * 1024 * 1024,
                wal_size_bytes: 0,
                ..RedbOptions::default()
            },
            ..Self::small_log()
        }
    }

    pub fn all() -> Vec<Config> {
        vec![Self::small_log(), Self::idle_checkpoints(), Self::no_log()]
    }
}

/// A key whose value is a sequence number that only grows (counter, multi-key group, ring).
#[derive(Clone, Copy, Debug, Default)]
struct Seq {
    /// The last acknowledged (or, after a check, observed) sequence and its revision.
    acked: Option<(u64, Revision)>,
    /// The highest sequence ever sent.
    attempted: Option<u64>,
}

impl Seq {
    fn next(&self) -> u64 {
        self.attempted.map_or(0, |s| s + 1)
    }

    fn sent(&mut self, seq: u64) {
        self.attempted = Some(seq);
    }

    /// Checks an observed (sequence, revision) against what was acknowledged and sent;
    /// returns a complaint and whether it is an acknowledged write lost.
    fn check(&self, what: &str, seen: Option<(u64, Revision)>) -> Option<(String, bool)> {
        match (self.acked, seen) {
            (None, None) => None,
            (Some((s, r)), None) => Some((
                format!("{what}: acknowledged sequence {s} at revision {r} is gone"),
                true,
            )),
            (acked, Some((s, r))) => {
                if self.attempted.is_none_or(|a| s > a) {
                    return Some((
                        format!(
                            "{what}: shows sequence {s}, never written (highest sent {:?})",
                            self.attempted
                        ),
                        false,
                    ));
                }
                match acked {
                    Some((sa, ra)) if s < sa || (s == sa && r != ra) || r < ra => Some((
                        format!(
                            "{what}: shows sequence {s} at revision {r}, but sequence {sa} was acknowledged at revision {ra}"
                        ),
                        true,
                    )),
                    _ => None,
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Deletion {
    None,
    Sent,
    Acked(Revision),
}

#[derive(Clone, Copy, Debug)]
struct Created {
    /// Filler bytes after the key in the value.
    pad: u16,
    acked: Option<Revision>,
    deletion: Deletion,
}

/// What one writer wrote; survives across rounds.
#[derive(Clone, Debug, Default)]
struct WriterModel {
    id: usize,
    creates: BTreeMap<String, Created>,
    counter: Seq,
    group: Seq,
    ring: Seq,
    next_create: u64,
}

fn create_value(key: &str, pad: u16) -> Bytes {
    let mut v = Vec::with_capacity(key.len() + 1 + usize::from(pad));
    v.extend_from_slice(key.as_bytes());
    v.push(b'|');
    v.resize(key.len() + 1 + usize::from(pad), b'x');
    Bytes::from(v)
}

fn prefix(w: usize) -> String {
    format!("/w{w:02}/")
}

fn counter_key(w: usize) -> String {
    format!("/w{w:02}/counter")
}

const GROUP: [&str; 3] = ["a", "b", "c"];

fn group_key(w: usize, part: &str) -> String {
    format!("/w{w:02}/group/{part}")
}

fn ring_prefix(w: usize) -> String {
    format!("/w{w:02}/ring/")
}

fn ring_key(w: usize, seq: u64) -> String {
    format!("/w{w:02}/ring/{seq:010}")
}

fn seq_value(seq: u64) -> Bytes {
    Bytes::from(seq.to_string())
}

fn parse_seq(value: &[u8]) -> Option<u64> {
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// What a writer did in one round.
#[derive(Debug, Default)]
struct WriterRun {
    model: WriterModel,
    acked: u64,
    acked_revisions: Vec<Revision>,
    /// Failures while the power was still on (none are expected).
    errors: Vec<String>,
}

async fn writer(
    store: Arc<RedbBackend>,
    machine: Machine,
    stop: Arc<AtomicBool>,
    mut model: WriterModel,
    round: u32,
    seed: u64,
) -> WriterRun {
    let mut rng = StdRng::seed_from_u64(seed);
    let w = model.id;
    let mut acked = 0u64;
    let mut revisions = Vec::new();
    let mut errors = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let pick = rng.random_range(0..100u32);
        // (what, result): each arm records what it sends before sending it.
        let (what, result): (String, Result<Revision, tug_store::StoreError>) = if pick < 50 {
            let key = format!("/w{w:02}/create/{round:04}/{:08}", model.next_create);
            model.next_create += 1;
            let pad = rng.random_range(0..1500u16);
            model.creates.insert(
                key.clone(),
                Created {
                    pad,
                    acked: None,
                    deletion: Deletion::None,
                },
            );
            let r = store.create(&key, create_value(&key, pad)).await;
            if let Ok(rev) = r {
                model.creates.get_mut(&key).expect("just inserted").acked = Some(rev);
            }
            (format!("create {key}"), r)
        } else if pick < 65 {
            let key = counter_key(w);
            let seq = model.counter.next();
            model.counter.sent(seq);
            let r = match model.counter.acked {
                None => store.create(&key, seq_value(seq)).await,
                Some((_, rev)) => store.update(&key, seq_value(seq), rev).await,
            };
            if let Ok(rev) = r {
                model.counter.acked = Some((seq, rev));
            }
            (format!("update {key} to {seq}"), r)
        } else if pick < 78 {
            let seq = model.group.next();
            model.group.sent(seq);
            let ops = GROUP
                .iter()
                .map(|part| Op::Put {
                    key: group_key(w, part),
                    value: Bytes::from(format!("{seq}")),
                })
                .collect();
            let r = store
                .txn(Txn {
                    compares: vec![],
                    ops,
                })
                .await
                .map(|t| t.revision);
            if let Ok(rev) = r {
                model.group.acked = Some((seq, rev));
            }
            (format!("group put {seq}"), r)
        } else if pick < 90 {
            let seq = model.ring.next();
            model.ring.sent(seq);
            let r = match model.ring.acked {
                None => {
                    store
                        .create(&ring_key(w, seq), Bytes::from_static(b"r"))
                        .await
                }
                Some((prev, rev)) => store
                    .txn(Txn {
                        compares: vec![Compare::ModRevision(ring_key(w, prev), rev)],
                        ops: vec![
                            Op::Delete {
                                key: ring_key(w, prev),
                            },
                            Op::Put {
                                key: ring_key(w, seq),
                                value: Bytes::from_static(b"r"),
                            },
                        ],
                    })
                    .await
                    .and_then(|t| {
                        // An empty prev for the delete would mean the compare let a missing
                        // key through.
                        if t.prev.first().is_some_and(|p| p.is_some()) {
                            Ok(t.revision)
                        } else {
                            Err(tug_store::StoreError::Internal(
                                "ring rotation deleted nothing".into(),
                            ))
                        }
                    }),
            };
            if let Ok(rev) = r {
                model.ring.acked = Some((seq, rev));
            }
            (format!("ring rotate to {seq}"), r)
        } else {
            let candidates: Vec<(String, Revision)> = model
                .creates
                .iter()
                .filter(|(_, c)| c.deletion == Deletion::None)
                .filter_map(|(k, c)| c.acked.map(|r| (k.clone(), r)))
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let (key, rev) = candidates[rng.random_range(0..candidates.len())].clone();
            model.creates.get_mut(&key).expect("known key").deletion = Deletion::Sent;
            let r = store.delete(&key, rev).await.map(|(rev, _)| rev);
            if let Ok(rev) = r {
                model.creates.get_mut(&key).expect("known key").deletion = Deletion::Acked(rev);
            }
            (format!("delete {key}"), r)
        };
        match result {
            Ok(rev) => {
                acked += 1;
                revisions.push(rev);
            }
            Err(e) => {
                if machine.powered() {
                    errors.push(format!("writer {w}: {what} failed with the power on: {e}"));
                }
                break;
            }
        }
    }
    WriterRun {
        model,
        acked,
        acked_revisions: revisions,
        errors,
    }
}

/// The result of checking a reopened store against the model.
#[derive(Debug, Default)]
pub struct Check {
    /// Acknowledged writes whose effect is missing.
    pub lost: u64,
    /// Everything wrong, lost writes included, for the failure message.
    pub problems: Vec<String>,
    pub revision: Revision,
}

impl Check {
    fn lost(&mut self, problem: String) {
        self.lost += 1;
        self.problems.push(problem);
    }

    fn problem(&mut self, problem: String) {
        self.problems.push(problem);
    }
}

/// Everything in the store now, by key.
async fn everything(store: &RedbBackend) -> Result<(BTreeMap<String, KeyValue>, Revision), String> {
    let list = store
        .list(ListRequest {
            prefix: String::new(),
            ..ListRequest::default()
        })
        .await
        .map_err(|e| format!("list after reopen: {e}"))?;
    if list.more {
        return Err("an unlimited list reported more".into());
    }
    Ok((
        list.items
            .into_iter()
            .map(|kv| (kv.key.clone(), kv))
            .collect(),
        list.revision,
    ))
}

/// Checks the whole history: revisions 1..=current each hold exactly one whole transaction
/// of the workload.
async fn check_history(store: &RedbBackend, current: Revision, check: &mut Check) {
    if current == 0 {
        return;
    }
    let mut watch = match store.watch("", 0).await {
        Ok(w) => w,
        Err(e) => return check.problem(format!("watch from 0 after reopen: {e}")),
    };
    let mut events: Vec<Event> = Vec::new();
    loop {
        let next = if events.last().is_some_and(|e| e.kv.mod_revision >= current) {
            // The rest of the last revision is replayed, hence ready; then the watch waits for
            // live events, and there are none.
            match watch.next().now_or_never() {
                Some(next) => next,
                None => break,
            }
        } else {
            match tokio::time::timeout(Duration::from_secs(10), watch.next()).await {
                Ok(next) => next,
                Err(_) => {
                    return check.problem(format!(
                        "watch replay stalled at {:?} of {current}",
                        events.last().map(|e| e.kv.mod_revision)
                    ));
                }
            }
        };
        match next {
            Some(Ok(e)) if e.kv.mod_revision > current => break,
            Some(Ok(e)) => events.push(e),
            Some(Err(e)) => return check.problem(format!("watch replay failed: {e}")),
            None => return check.problem("watch replay ended early".into()),
        }
    }
    let mut expected = 1;
    let mut i = 0;
    while i < events.len() {
        let rev = events[i].kv.mod_revision;
        let j = i + events[i..]
            .iter()
            .take_while(|e| e.kv.mod_revision == rev)
            .count();
        if rev != expected {
            check.problem(format!(
                "history: revision {rev} follows {} (a gap or a repeat)",
                expected - 1
            ));
        }
        expected = rev + 1;
        if let Some(problem) = whole_transaction(&events[i..j]) {
            check.problem(format!("history: revision {rev}: {problem}"));
        }
        i = j;
    }
    if expected != current + 1 {
        check.problem(format!(
            "history ends at {} but the store is at {current}",
            expected - 1
        ));
    }
}

/// None if `events` (of one revision) are one whole transaction of the workload.
fn whole_transaction(events: &[Event]) -> Option<String> {
    let keys: Vec<String> = events
        .iter()
        .map(|e| format!("{:?} {}", e.kind, e.kv.key))
        .collect();
    let first = &events[0].kv.key;
    if first.contains("/group/") {
        let w = &first[..first.find("/group/").unwrap_or(0)];
        let whole = events.len() == GROUP.len()
            && events.iter().zip(GROUP).all(|(e, part)| {
                e.kind == EventKind::Put
                    && e.kv.key == format!("{w}/group/{part}")
                    && e.kv.value == events[0].kv.value
            });
        return (!whole).then(|| format!("a partial multi-key transaction: {keys:?}"));
    }
    if first.contains("/ring/") && events.len() != 1 {
        let whole = events.len() == 2
            && events[0].kind == EventKind::Delete
            && events[1].kind == EventKind::Put
            && events[1].kv.key.contains("/ring/");
        return (!whole).then(|| format!("a partial ring rotation: {keys:?}"));
    }
    if events.len() != 1 || first.contains("/ring/") && events[0].kind != EventKind::Put {
        return Some(format!("not a transaction of the workload: {keys:?}"));
    }
    None
}

/// Checks a reopened store against what the writers did, and brings the model to what the
/// store holds (for the next round).
async fn check_store(
    store: &RedbBackend,
    writers: &mut [WriterModel],
    probes: &mut [(String, Option<Revision>)],
    max_acked: Revision,
) -> Check {
    let mut check = Check::default();
    let (all, current) = match everything(store).await {
        Ok(x) => x,
        Err(e) => {
            check.problem(e);
            return check;
        }
    };
    check.revision = current;
    if current < max_acked {
        check.problem(format!(
            "the store reopened at revision {current}, below the acknowledged revision {max_acked}"
        ));
    }
    let mut explained: HashSet<String> = HashSet::new();
    for (key, acked) in probes.iter_mut() {
        explained.insert(key.clone());
        match (*acked, all.get(key.as_str())) {
            (Some(rev), Some(kv)) if kv.mod_revision == rev => {}
            (Some(rev), seen) => check.lost(format!(
                "probe {key} acknowledged at {rev}: found {:?}",
                seen.map(|kv| kv.mod_revision)
            )),
            (None, seen) => *acked = seen.map(|kv| kv.mod_revision),
        }
    }
    for model in writers.iter_mut() {
        let w = model.id;
        // Creates and deletes.
        let mut gone = Vec::new();
        for (key, c) in model.creates.iter_mut() {
            let seen = all.get(key);
            if seen.is_some() {
                explained.insert(key.clone());
            }
            let expected = create_value(key, c.pad);
            let intact =
                |kv: &KeyValue| kv.value == expected && kv.create_revision == kv.mod_revision;
            match (c.acked, c.deletion, seen) {
                (_, Deletion::Acked(r), Some(kv)) => check.lost(format!(
                    "{key}: deleted at revision {r} (acknowledged) but back at {}",
                    kv.mod_revision
                )),
                (_, Deletion::Acked(_), None) => gone.push(key.clone()),
                (Some(r), Deletion::None, None) => {
                    check.lost(format!(
                        "{key}: created at revision {r} (acknowledged) but gone"
                    ));
                    gone.push(key.clone());
                }
                (Some(r), _, Some(kv)) if kv.mod_revision != r || !intact(kv) => {
                    check.lost(format!(
                        "{key}: created at revision {r} (acknowledged) but found at {} (create {}) with {} value bytes",
                        kv.mod_revision,
                        kv.create_revision,
                        kv.value.len()
                    ));
                }
                (None, _, Some(kv)) if !intact(kv) => check.problem(format!(
                    "{key}: an unacknowledged create shows a wrong value or history"
                )),
                (_, _, None) => gone.push(key.clone()),
                (_, _, Some(kv)) => {
                    // Durable though perhaps unacknowledged: it is what the store holds now.
                    c.acked = Some(kv.mod_revision);
                    c.deletion = Deletion::None;
                }
            }
        }
        for key in gone {
            model.creates.remove(&key);
        }
        // The counter.
        let key = counter_key(w);
        let seen = all.get(&key).map(|kv| {
            explained.insert(kv.key.clone());
            (parse_seq(&kv.value).unwrap_or(u64::MAX), kv.mod_revision)
        });
        if let Some((problem, lost)) = model.counter.check(&key, seen) {
            if lost {
                check.lost(problem);
            } else {
                check.problem(problem);
            }
        }
        model.counter = Seq {
            acked: seen,
            attempted: seen.map(|(s, _)| s),
        };
        // The multi-key group: all three keys or none, one value, one revision.
        let parts: Vec<Option<&KeyValue>> =
            GROUP.iter().map(|p| all.get(&group_key(w, p))).collect();
        let seen = match parts.as_slice() {
            [None, None, None] => Ok(None),
            [Some(a), Some(b), Some(c)]
                if a.value == b.value
                    && b.value == c.value
                    && a.mod_revision == b.mod_revision
                    && b.mod_revision == c.mod_revision =>
            {
                Ok(Some((
                    parse_seq(&a.value).unwrap_or(u64::MAX),
                    a.mod_revision,
                )))
            }
            _ => Err(()),
        };
        for kv in parts.iter().flatten() {
            explained.insert(kv.key.clone());
        }
        match seen {
            Ok(seen) => {
                if let Some((problem, lost)) =
                    model.group.check(&format!("{}group", prefix(w)), seen)
                {
                    if lost {
                        check.lost(problem);
                    } else {
                        check.problem(problem);
                    }
                }
                model.group = Seq {
                    acked: seen,
                    attempted: seen.map(|(s, _)| s),
                };
            }
            Err(()) => {
                check.problem(format!(
                    "{}group: a partially applied transaction: {:?}",
                    prefix(w),
                    parts
                        .iter()
                        .map(|kv| kv.map(|kv| (kv.mod_revision, kv.value.clone())))
                        .collect::<Vec<_>>()
                ));
                model.group = Seq::default();
            }
        }
        // The ring: exactly one key (once the first create was acknowledged).
        let ring: Vec<&KeyValue> = all
            .range(ring_prefix(w)..)
            .take_while(|(k, _)| k.starts_with(&ring_prefix(w)))
            .map(|(_, kv)| kv)
            .collect();
        for kv in &ring {
            explained.insert(kv.key.clone());
        }
        let name = format!("{}ring", prefix(w));
        match ring.as_slice() {
            [] | [_] => {
                let seen = ring.first().map(|kv| {
                    let seq = kv.key[ring_prefix(w).len()..].parse().unwrap_or(u64::MAX);
                    (seq, kv.mod_revision)
                });
                if let Some((problem, lost)) = model.ring.check(&name, seen) {
                    if lost {
                        check.lost(problem);
                    } else {
                        check.problem(problem);
                    }
                }
                model.ring = Seq {
                    acked: seen,
                    attempted: seen.map(|(s, _)| s),
                };
            }
            many => {
                check.problem(format!(
                    "{name}: {} keys, a rotation applied partially: {:?}",
                    many.len(),
                    many.iter().map(|kv| &kv.key).collect::<Vec<_>>()
                ));
                model.ring = Seq::default();
            }
        }
    }
    for key in all.keys() {
        if !explained.contains(key) {
            check.problem(format!("{key}: present but never written"));
        }
    }
    check_history(store, current, &mut check).await;
    check
}

/// What one round did.
#[derive(Debug, Default)]
pub struct Round {
    /// What the cut of this round kept.
    pub loss: Option<Loss>,
    /// Whether this round's reopen (and check) of what the previous cut left happened: false
    /// when the power went during the reopen, i.e. during recovery.
    pub checked: bool,
    /// Acknowledged writes (of any earlier round) found missing by this round's check.
    pub lost: u64,
    /// Everything wrong, for the failure message.
    pub problems: Vec<String>,
    /// The store's revision when it was reopened.
    pub revision: Revision,
    /// Writes acknowledged during the round.
    pub acknowledged: u64,
    /// The storage operations (writes, resizes, syncs) of the round before the cut.
    pub cut_at: u64,
    pub elapsed: Duration,
}

/// A chain of rounds on one simulated machine. Each round reopens what the previous cut left
/// (a power cut may come during that recovery too), checks it against everything acknowledged
/// so far, writes until a power cut at a random point; [`Chain::finish`] checks the last cut.
pub struct Chain {
    config: Config,
    images: Vec<Vec<u8>>,
    writers: Vec<WriterModel>,
    probes: Vec<(String, Option<Revision>)>,
    max_acked: Revision,
    rng: StdRng,
    round: u32,
}

fn open(machine: &Machine, options: &RedbOptions) -> Result<RedbBackend, String> {
    RedbBackend::open_with_storage(machine.file(0), machine.file(1), options.clone())
        .map_err(|e| e.to_string())
}

async fn close(store: RedbBackend) {
    // Joins the writer thread, whose final checkpoint fails once the power is gone.
    tokio::task::spawn_blocking(move || drop(store))
        .await
        .expect("closing the store");
}

impl Chain {
    /// A fresh store (two empty files) under `config`.
    pub fn new(config: Config, seed: u64) -> Self {
        let writers = (0..config.writers)
            .map(|id| WriterModel {
                id,
                ..WriterModel::default()
            })
            .collect();
        Self {
            config,
            images: vec![Vec::new(), Vec::new()],
            writers,
            probes: Vec::new(),
            max_acked: 0,
            rng: StdRng::seed_from_u64(seed),
            round: 0,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Reopens the store on what the last cut left, checks it, and writes until a power cut
    /// (before a random storage operation, or after [`Config::max_round`]) that keeps `loss`.
    pub async fn round(&mut self, loss: Loss) -> Round {
        let started = Instant::now();
        self.round += 1;
        let mut report = Round {
            loss: Some(loss),
            ..Round::default()
        };
        let cut_at = self.rng.random_range(1..=self.config.max_ops);
        let machine = Machine::new(self.images.clone(), loss, cut_at, self.rng.random());
        match open(&machine, &self.config.options) {
            Ok(store) => {
                report.checked = true;
                let store = Arc::new(store);
                self.check(&store, &machine, &mut report).await;
                if machine.powered() {
                    self.workload(&store, &machine, &mut report).await;
                }
                machine.cut();
                close(Arc::try_unwrap(store).expect("the writers are done")).await;
            }
            Err(e) if machine.powered() => {
                report
                    .problems
                    .push(format!("opening the store failed: {e}"));
                machine.cut();
            }
            // The power went during recovery: the next round recovers again.
            Err(_) => {}
        }
        report.cut_at = machine.ops_before_cut();
        self.images = machine.image().expect("the power is off");
        report.elapsed = started.elapsed();
        report
    }

    /// Reopens the store on what the last cut left, with the power on for good, and checks it.
    pub async fn finish(mut self) -> Round {
        let started = Instant::now();
        self.round += 1;
        let mut report = Round::default();
        let machine = Machine::new(
            std::mem::take(&mut self.images),
            Loss::DropUnsynced,
            u64::MAX,
            0,
        );
        match open(&machine, &self.config.options) {
            Ok(store) => {
                report.checked = true;
                let store = Arc::new(store);
                self.check(&store, &machine, &mut report).await;
                close(Arc::try_unwrap(store).expect("no writers")).await;
            }
            Err(e) => report
                .problems
                .push(format!("reopening after the last power cut: {e}")),
        }
        report.elapsed = started.elapsed();
        report
    }

    async fn workload(&mut self, store: &Arc<RedbBackend>, machine: &Machine, report: &mut Round) {
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for model in std::mem::take(&mut self.writers) {
            tasks.push(tokio::spawn(writer(
                store.clone(),
                machine.clone(),
                stop.clone(),
                model,
                self.round,
                self.rng.random(),
            )));
        }
        let deadline = Instant::now() + self.config.max_round;
        while machine.powered() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // Power off (if the cut has not come yet); writers stop at their first failure.
        machine.cut();
        let mut revisions = Vec::new();
        for task in tasks {
            let run = match tokio::time::timeout(Duration::from_secs(30), task).await {
                Ok(Ok(run)) => run,
                Ok(Err(e)) => panic!("a writer task failed: {e}"),
                Err(_) => {
                    stop.store(true, Ordering::Relaxed);
                    panic!("a writer is still running 30 s after the power cut");
                }
            };
            report.acknowledged += run.acked;
            report.problems.extend(run.errors);
            revisions.extend(run.acked_revisions);
            self.writers.push(run.model);
        }
        self.writers.sort_by_key(|w| w.id);
        let n = revisions.len();
        revisions.sort_unstable();
        revisions.dedup();
        if revisions.len() != n {
            report.problems.push(format!(
                "{} acknowledged writes shared a revision with another",
                n - revisions.len()
            ));
        }
        if let Some(&max) = revisions.last() {
            self.max_acked = self.max_acked.max(max);
        }
    }

    /// Checks a reopened store against the model, then writes a probe: the revision goes on.
    async fn check(&mut self, store: &RedbBackend, machine: &Machine, report: &mut Round) {
        let check = check_store(store, &mut self.writers, &mut self.probes, self.max_acked).await;
        report.lost += check.lost;
        report.problems.extend(check.problems);
        report.revision = check.revision;
        let probe = format!("/probe/{:06}", self.round);
        self.probes.push((probe.clone(), None));
        match store.create(&probe, Bytes::from_static(b"p")).await {
            Ok(rev) if rev == check.revision + 1 => {
                if let Some(last) = self.probes.last_mut() {
                    last.1 = Some(rev);
                }
                self.max_acked = self.max_acked.max(rev);
            }
            Ok(rev) => report.problems.push(format!(
                "after reopening at revision {}, the next write got revision {rev}",
                check.revision
            )),
            // A power cut may come before the probe is durable.
            Err(_) if !machine.powered() => {}
            Err(e) => report
                .problems
                .push(format!("the first write after reopening failed: {e}")),
        }
    }
}
