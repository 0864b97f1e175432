//! Behaviour specific to the redb backend: restart, group commit, durability, watch lag.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use redb::StorageBackend;
use tug_store::{Backend, BackendExt, Event, KeyValue, ListRequest, Op, Revision, StoreError, Txn};
use tug_store_redb::{RedbBackend, RedbOptions};

fn options() -> RedbOptions {
    common::test_options()
}

fn val(s: &str) -> Bytes {
    Bytes::copy_from_slice(s.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reopened_store_has_its_data_history_and_continues_the_revision() {
    reopen_keeps_everything(options(), options()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reopened_store_without_write_ahead_log_has_its_data_and_history() {
    let no_wal = RedbOptions {
        wal_size_bytes: 0,
        ..options()
    };
    reopen_keeps_everything(no_wal.clone(), no_wal).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopening_without_a_write_ahead_log_removes_the_old_log_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tug.redb");
    let no_wal = RedbOptions {
        wal_size_bytes: 0,
        ..options()
    };
    reopen_keeps_everything_at(&path, options(), no_wal).await;
    assert!(!RedbBackend::wal_path(&path).exists());
}

async fn reopen_keeps_everything(first: RedbOptions, second: RedbOptions) {
    let dir = tempfile::tempdir().expect("temp dir");
    reopen_keeps_everything_at(&dir.path().join("tug.redb"), first, second).await;
}

async fn reopen_keeps_everything_at(
    path: &std::path::Path,
    first: RedbOptions,
    second: RedbOptions,
) {
    let path = path.to_path_buf();
    {
        let store = RedbBackend::open(&path, first).expect("open");
        let a = store.create("/r/a", val("a1")).await.expect("create"); // 1
        store.create("/r/b", val("b1")).await.expect("create"); // 2
        let a2 = store.update("/r/a", val("a2"), a).await.expect("update"); // 3
        let c = store.create("/r/c", val("c1")).await.expect("create"); // 4
        store.delete("/r/c", c).await.expect("delete"); // 5
        store.compact(2).await.expect("compact");
        store.update("/r/a", val("a3"), a2).await.expect("update"); // 6
    }
    let store = RedbBackend::open(&path, second).expect("reopen");
    assert_eq!(store.current_revision().await, Ok(6));
    assert_eq!(store.compacted_revision().await, Ok(2));
    let now = store
        .list(ListRequest {
            prefix: "/r/".into(),
            ..ListRequest::default()
        })
        .await
        .expect("list");
    let items: Vec<(&str, &[u8])> = now
        .items
        .iter()
        .map(|kv| (kv.key.as_str(), &kv.value[..]))
        .collect();
    assert_eq!(items, [("/r/a", &b"a3"[..]), ("/r/b", &b"b1"[..])]);
    let (at4, _) = store.get("/r/c", 4).await.expect("past get");
    assert_eq!(at4.map(|kv| kv.value), Some(val("c1")));
    let (at3, _) = store.get("/r/a", 3).await.expect("past get");
    assert_eq!(at3.map(|kv| kv.value), Some(val("a2")));
    assert!(matches!(
        store.get("/r/a", 1).await,
        Err(StoreError::Compacted { .. })
    ));
    let mut watch = store.watch("/r/", 2).await.expect("watch");
    let mut revisions = Vec::new();
    for _ in 0..4 {
        let event = watch.next().await.expect("event").expect("ok");
        revisions.push(event.kv.mod_revision);
    }
    assert_eq!(revisions, [3, 4, 5, 6]);
    assert_eq!(store.create("/r/d", val("d")).await, Ok(7));
    assert_eq!(
        watch
            .next()
            .await
            .expect("live")
            .expect("ok")
            .kv
            .mod_revision,
        7
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_share_commits_and_a_failed_precondition_fails_alone() {
    const TASKS: usize = 256;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(RedbBackend::open(&dir.path().join("tug.redb"), options()).expect("open"));
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let mut tasks = Vec::new();
    for i in 0..TASKS {
        let store = store.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            if i % 4 == 3 {
                // Updates a key that does not exist: must fail, alone.
                store.update(&format!("/g/missing{i}"), val("x"), 5).await
            } else {
                store.create(&format!("/g/{i}"), val("v")).await
            }
        }));
    }
    let mut good = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let result = task.await.expect("task");
        if i % 4 == 3 {
            assert_eq!(
                result,
                Err(StoreError::PreconditionFailed {
                    index: 0,
                    key: format!("/g/missing{i}"),
                    expected: 5,
                    actual: 0
                })
            );
        } else {
            good.push(result.expect("a good txn lands"));
        }
    }
    good.sort_unstable();
    let expected: Vec<i64> = (1..=good.len() as i64).collect();
    assert_eq!(good, expected, "every good txn got its own revision");
    assert_eq!(store.count("/g/").await, Ok(good.len() as u64));
    let stats = store.stats();
    assert_eq!(stats.txns, TASKS as u64);
    assert!(
        stats.commits < good.len() as u64,
        "group commit: {} commits for {} txns",
        stats.commits,
        good.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_only_failed_preconditions_commits_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbBackend::open(&dir.path().join("tug.redb"), options()).expect("open");
    store.create("/a", val("v")).await.expect("create");
    let commits = store.commit_count();
    assert!(store.create("/a", val("again")).await.is_err());
    assert_eq!(store.commit_count(), commits);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_that_stops_reading_is_cut_off_and_writers_go_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbBackend::open(
        &dir.path().join("tug.redb"),
        RedbOptions {
            watch_capacity: 4,
            ..options()
        },
    )
    .expect("open");
    let mut watch = store.watch("/", 0).await.expect("watch");
    for i in 0..10 {
        store
            .create(&format!("/k{i}"), val("v"))
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
    assert_eq!((seen, end), (4, StoreError::WatchLagged));
    assert!(watch.next().await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_store_ends_its_watches_with_closed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbBackend::open(&dir.path().join("tug.redb"), options()).expect("open");
    let mut watch = store.watch("/", 0).await.expect("watch");
    drop(store);
    assert_eq!(watch.next().await, Some(Err(StoreError::Closed)));
}

/// Storage that, like a disk after a power cut, keeps only what was synced.
#[derive(Debug, Clone, Default)]
struct CrashableStorage(Arc<Mutex<Disk>>);

#[derive(Debug, Default)]
struct Disk {
    /// What the process sees (the page cache).
    cached: Vec<u8>,
    /// What survives a crash.
    synced: Vec<u8>,
}

impl CrashableStorage {
    fn disk(&self) -> std::sync::MutexGuard<'_, Disk> {
        self.0.lock().expect("disk lock")
    }

    /// The storage as it comes back after a crash now: unsynced writes are gone.
    fn after_crash(&self) -> CrashableStorage {
        let synced = self.disk().synced.clone();
        CrashableStorage(Arc::new(Mutex::new(Disk {
            cached: synced.clone(),
            synced,
        })))
    }
}

fn out_of_range() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, "out of range")
}

impl StorageBackend for CrashableStorage {
    fn len(&self) -> Result<u64, std::io::Error> {
        Ok(self.disk().cached.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
        let disk = self.disk();
        let start = usize::try_from(offset).map_err(|_| out_of_range())?;
        let src = disk
            .cached
            .get(start..start + out.len())
            .ok_or_else(out_of_range)?;
        out.copy_from_slice(src);
        Ok(())
    }

    fn set_len(&self, len: u64) -> Result<(), std::io::Error> {
        let len = usize::try_from(len).map_err(|_| out_of_range())?;
        self.disk().cached.resize(len, 0);
        Ok(())
    }

    fn sync_data(&self) -> Result<(), std::io::Error> {
        let mut disk = self.disk();
        disk.synced = disk.cached.clone();
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), std::io::Error> {
        let mut disk = self.disk();
        let start = usize::try_from(offset).map_err(|_| out_of_range())?;
        let dst = disk
            .cached
            .get_mut(start..start + data.len())
            .ok_or_else(out_of_range)?;
        dst.copy_from_slice(data);
        Ok(())
    }
}

/// Everything observable about a store: every readable revision's list, and all events.
async fn snapshot(store: &dyn Backend) -> (Revision, Vec<Vec<KeyValue>>, Vec<Event>) {
    let current = store.current_revision().await.expect("revision");
    let compacted = store.compacted_revision().await.expect("compacted");
    let mut lists = Vec::new();
    for rev in (compacted + 1).max(1)..=current {
        let list = store
            .list(ListRequest {
                prefix: String::new(),
                revision: rev,
                ..ListRequest::default()
            })
            .await
            .expect("list");
        lists.push(list.items);
    }
    let mut events = Vec::new();
    let mut watch = store.watch("", compacted).await.expect("watch");
    while events
        .last()
        .is_none_or(|e: &Event| e.kv.mod_revision < current)
    {
        events.push(watch.next().await.expect("event").expect("ok"));
    }
    (current, lists, events)
}

/// A workload of every kind of write, from several concurrent writers.
async fn mixed_workload(store: Arc<RedbBackend>) {
    let mut tasks = Vec::new();
    for w in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                let key = format!("/c/{w}/{}", i % 7);
                let (current, _) = store.get(&key, 0).await.expect("get");
                let result = match (current, i % 5) {
                    (None, _) => store
                        .create(&key, val(&format!("{w}-{i}")))
                        .await
                        .map(|_| ()),
                    (Some(kv), 0) => store.delete(&key, kv.mod_revision).await.map(|_| ()),
                    (Some(_), 1) => store
                        .txn(Txn {
                            compares: vec![],
                            ops: vec![
                                Op::Put {
                                    key: format!("/c/{w}/multi"),
                                    value: Bytes::from(vec![b'm'; 3000]),
                                },
                                Op::Delete { key: key.clone() },
                                Op::Put {
                                    key: key.clone(),
                                    value: val("again"),
                                },
                            ],
                        })
                        .await
                        .map(|_| ()),
                    (Some(kv), _) => store
                        .update(&key, val(&format!("{w}-{i}")), kv.mod_revision)
                        .await
                        .map(|_| ()),
                };
                result.expect("write");
            }
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }
}

async fn crash_and_compare(options: RedbOptions) {
    crash_and_compare_reopening_with(options.clone(), options).await;
}

async fn crash_and_compare_reopening_with(options: RedbOptions, reopen: RedbOptions) {
    let db = CrashableStorage::default();
    let wal = CrashableStorage::default();
    let store = Arc::new(
        RedbBackend::open_with_storage(db.clone(), wal.clone(), options.clone()).expect("open"),
    );
    mixed_workload(store.clone()).await;
    store.compact(20).await.expect("compact");
    mixed_workload(store.clone()).await;
    let before = snapshot(store.as_ref()).await;
    // Crash: the images are taken while the store is open, with no clean shutdown.
    let (db_image, wal_image) = (db.after_crash(), wal.after_crash());
    let stats = store.stats();
    drop(store);
    let reopened =
        RedbBackend::open_with_storage(db_image, wal_image, reopen).expect("reopen after crash");
    let after = snapshot(&reopened).await;
    assert_eq!(after.0, before.0, "revision after the crash ({stats:?})");
    assert!(
        after.1 == before.1,
        "lists at some revision differ after the crash"
    );
    assert!(after.2 == before.2, "events differ after the crash");
    // And it goes on.
    let next = reopened
        .create("/after-crash", val("v"))
        .await
        .expect("create");
    assert_eq!(next, before.0 + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_loses_nothing_acknowledged_and_the_log_replays_to_the_same_state() {
    crash_and_compare(RedbOptions {
        checkpoint_idle: Duration::from_secs(3600),
        ..options()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_with_a_small_log_that_wrapped_many_times_loses_nothing() {
    crash_and_compare(RedbOptions {
        wal_size_bytes: 16 * 1024,
        checkpoint_idle: Duration::from_secs(3600),
        ..options()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_reopened_without_its_log_after_a_crash_replays_the_log_first() {
    let with_log = RedbOptions {
        checkpoint_idle: Duration::from_secs(3600),
        ..options()
    };
    let without = RedbOptions {
        wal_size_bytes: 0,
        ..options()
    };
    crash_and_compare_reopening_with(with_log, without).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_store_checkpoints_so_that_its_database_alone_has_everything() {
    let db = CrashableStorage::default();
    let wal = CrashableStorage::default();
    let options = RedbOptions {
        checkpoint_idle: Duration::from_millis(20),
        ..options()
    };
    let store =
        RedbBackend::open_with_storage(db.clone(), wal.clone(), options.clone()).expect("open");
    let rev = store.create("/idle", val("v")).await.expect("create");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while store.stats().checkpoints == 0 {
        assert!(std::time::Instant::now() < deadline, "no idle checkpoint");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Even if the log were lost, the database has the write.
    let db_image = db.after_crash();
    drop(store);
    let reopened = RedbBackend::open_with_storage(db_image, CrashableStorage::default(), options)
        .expect("reopen");
    let (kv, _) = reopened.get("/idle", 0).await.expect("get");
    assert_eq!(kv.map(|kv| kv.mod_revision), Some(rev));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_without_write_ahead_log_loses_nothing_acknowledged() {
    crash_and_compare(RedbOptions {
        wal_size_bytes: 0,
        ..options()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_acknowledged_before_a_crash_under_load_survive_it() {
    let db = CrashableStorage::default();
    let wal = CrashableStorage::default();
    let options = RedbOptions {
        checkpoint_idle: Duration::from_secs(3600),
        ..options()
    };
    let store = Arc::new(
        RedbBackend::open_with_storage(db.clone(), wal.clone(), options.clone()).expect("open"),
    );
    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for w in 0..16 {
        let store = store.clone();
        let acked = acked.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let key = format!("/c/{w}/{i}");
                match store.create(&key, val(&key)).await {
                    Ok(rev) => acked.lock().expect("lock").push((key, rev)),
                    Err(_) => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Crash while writers are busy: everything acknowledged so far must survive.
    let acked_before: Vec<(String, Revision)> = acked.lock().expect("lock").clone();
    let (db_image, wal_image) = (db.after_crash(), wal.after_crash());
    drop(tasks);
    assert!(acked_before.len() > 20, "the writers made progress");
    let reopened =
        RedbBackend::open_with_storage(db_image, wal_image, options).expect("reopen after crash");
    let last = acked_before.iter().map(|(_, r)| *r).max().unwrap_or(0);
    assert!(reopened.current_revision().await.expect("revision") >= last);
    for (key, rev) in &acked_before {
        let (kv, _) = reopened.get(key, 0).await.expect("get");
        let kv = kv.unwrap_or_else(|| panic!("acknowledged {key} lost in the crash"));
        assert_eq!((kv.mod_revision, kv.value), (*rev, val(key)));
    }
}
