//! The conformance suite every [`Backend`] must pass, and a property test against a model.
//!
//! A backend crate runs the whole suite with one line in its tests:
//!
//! ```text
//! tug_store::conformance_tests!(|| async { Arc::new(MyBackend::new()) as Arc<dyn Backend> });
//! // or, with a smaller number of model cases for a slow backend:
//! tug_store::conformance_tests!(factory, model_cases = 32);
//! ```
//!
//! The factory is called once per test and must return a fresh, empty store. The expansion
//! uses `#[tokio::test]`, so the calling crate needs `tokio` (features `macros`,
//! `rt-multi-thread`) among its dev-dependencies. The suite is compiled under the
//! `conformance` feature (and in this crate's own tests).
//!
//! Every check is a `pub async fn` taking the store, so a backend can also call one alone.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::{
    Backend, BackendExt, Compare, Event, EventKind, KeyValue, ListRequest, ListResponse, Op,
    Revision, StoreError, Txn, TxnResponse, WatchStream,
};

/// Expands to one `#[tokio::test]` per conformance check plus the model property test, each
/// calling `$factory()` for a fresh store. See the [module docs](crate::conformance).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr) => {
        $crate::conformance_tests!($factory, model_cases = 64);
    };
    ($factory:expr, model_cases = $cases:expr) => {
        $crate::__conformance_cases!(
            $factory;
            a_new_store_is_empty_at_revision_zero,
            each_successful_write_bumps_the_revision_by_one,
            create_of_existing_key_fails_with_precondition,
            create_sets_create_and_mod_revision_to_the_commit_revision,
            update_with_matching_revision_replaces_the_value_and_keeps_create_revision,
            update_with_stale_revision_fails_and_changes_nothing,
            update_of_absent_key_fails_with_actual_revision_zero,
            delete_with_matching_revision_removes_the_key_and_returns_the_old_value,
            delete_with_stale_revision_fails_and_keeps_the_key,
            delete_of_absent_key_inside_a_txn_changes_nothing_and_keeps_the_revision,
            txn_without_ops_keeps_the_revision_but_still_checks_compares,
            multi_key_txn_applies_all_writes_at_one_revision_in_op_order,
            multi_key_txn_with_one_failing_compare_applies_nothing_and_names_the_compare,
            txn_reports_the_previous_value_of_every_op,
            txn_writing_one_key_twice_applies_its_ops_in_order,
            recreated_key_gets_a_new_create_revision,
            get_at_a_past_revision_returns_the_value_then,
            reads_above_the_current_revision_fail_with_future_revision,
            list_returns_only_keys_under_the_prefix_in_ascending_order,
            list_at_a_past_revision_sees_the_state_then,
            list_pagination_walks_every_key_exactly_once_and_more_is_exact,
            paginated_list_at_a_fixed_revision_is_consistent_while_writes_continue,
            count_counts_live_keys_under_the_prefix,
            watch_from_a_past_revision_replays_history_then_goes_live,
            watch_only_sees_keys_under_its_prefix,
            watch_reports_a_delete_with_the_deleted_value_as_prev,
            watch_from_a_future_revision_starts_after_it,
            watches_opened_during_concurrent_writes_see_every_later_revision_once_in_order,
            watch_from_below_the_compacted_revision_fails_but_from_it_works,
            reads_at_or_below_the_compacted_revision_fail_with_compacted,
            reads_at_the_current_revision_work_even_when_it_is_compacted,
            compaction_keeps_current_values_and_everything_needed_after_it,
            concurrent_txns_with_conflicting_preconditions_have_exactly_one_winner,
            concurrent_writers_get_distinct_contiguous_revisions,
        );
        #[test]
        fn random_operation_sequences_behave_like_the_model() {
            $crate::conformance::run_model_test(|| ($factory)(), $cases);
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_cases {
    ($factory:expr; $($name:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let store: ::std::sync::Arc<dyn $crate::Backend> = ($factory)().await;
                $crate::conformance::$name(store).await;
            }
        )*
    };
}

/// How long a check waits for an event that must come.
const EVENT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a check waits to be sure that no further event comes.
const QUIET_PERIOD: Duration = Duration::from_millis(100);

type Store = Arc<dyn Backend>;

fn val(s: &str) -> Bytes {
    Bytes::copy_from_slice(s.as_bytes())
}

async fn put(store: &Store, key: &str, value: &str) -> Revision {
    store
        .txn(Txn {
            compares: vec![],
            ops: vec![Op::Put {
                key: key.to_string(),
                value: val(value),
            }],
        })
        .await
        .expect("unconditional put")
        .revision
}

async fn get_now(store: &Store, key: &str) -> Option<KeyValue> {
    store.get(key, 0).await.expect("get").0
}

async fn list_at(store: &Store, prefix: &str, revision: Revision) -> ListResponse {
    store
        .list(ListRequest {
            prefix: prefix.to_string(),
            revision,
            ..ListRequest::default()
        })
        .await
        .expect("list")
}

fn keys_of(items: &[KeyValue]) -> Vec<&str> {
    items.iter().map(|kv| kv.key.as_str()).collect()
}

async fn next_event(watch: &mut WatchStream) -> Event {
    match tokio::time::timeout(EVENT_TIMEOUT, watch.next()).await {
        Ok(Some(Ok(event))) => event,
        Ok(Some(Err(e))) => panic!("watch failed: {e}"),
        Ok(None) => panic!("watch ended"),
        Err(_) => panic!("no event within {EVENT_TIMEOUT:?}"),
    }
}

async fn assert_quiet(watch: &mut WatchStream) {
    if let Ok(item) = tokio::time::timeout(QUIET_PERIOD, watch.next()).await {
        panic!("expected no further event, got {item:?}");
    }
}

fn precondition(index: usize, key: &str, expected: Revision, actual: Revision) -> StoreError {
    StoreError::PreconditionFailed {
        index,
        key: key.to_string(),
        expected,
        actual,
    }
}

/// A fresh store is at revision 0, empty, and not compacted.
pub async fn a_new_store_is_empty_at_revision_zero(store: Store) {
    assert_eq!(store.current_revision().await, Ok(0));
    assert_eq!(store.compacted_revision().await, Ok(0));
    assert_eq!(store.get("/a", 0).await, Ok((None, 0)));
    let list = list_at(&store, "", 0).await;
    assert_eq!(
        list,
        ListResponse {
            items: vec![],
            revision: 0,
            more: false
        }
    );
    assert_eq!(store.count("").await, Ok(0));
}

/// Creates, updates and deletes each bump the revision by exactly one; failures do not.
pub async fn each_successful_write_bumps_the_revision_by_one(store: Store) {
    let r1 = store.create("/a", val("1")).await.expect("create");
    assert_eq!(r1, 1);
    let r2 = store.update("/a", val("2"), r1).await.expect("update");
    assert_eq!(r2, 2);
    assert!(store.create("/a", val("x")).await.is_err());
    assert_eq!(store.current_revision().await, Ok(2));
    let (r3, _) = store.delete("/a", r2).await.expect("delete");
    assert_eq!(r3, 3);
    assert_eq!(store.current_revision().await, Ok(3));
}

/// Creating a key that exists fails with the key's actual mod revision and changes nothing.
pub async fn create_of_existing_key_fails_with_precondition(store: Store) {
    let r1 = store.create("/a", val("first")).await.expect("create");
    assert_eq!(
        store.create("/a", val("second")).await,
        Err(precondition(0, "/a", 0, r1))
    );
    assert_eq!(
        get_now(&store, "/a").await.map(|kv| kv.value),
        Some(val("first"))
    );
}

/// A created key has create and mod revision equal to the commit revision.
pub async fn create_sets_create_and_mod_revision_to_the_commit_revision(store: Store) {
    put(&store, "/other", "x").await;
    let r = store.create("/a", val("v")).await.expect("create");
    let (kv, read_at) = store.get("/a", 0).await.expect("get");
    assert_eq!(read_at, r);
    assert_eq!(
        kv,
        Some(KeyValue {
            key: "/a".into(),
            value: val("v"),
            create_revision: r,
            mod_revision: r
        })
    );
}

/// An update at the current mod revision replaces the value and keeps the create revision.
pub async fn update_with_matching_revision_replaces_the_value_and_keeps_create_revision(
    store: Store,
) {
    let r1 = store.create("/a", val("1")).await.expect("create");
    put(&store, "/b", "x").await;
    let r3 = store.update("/a", val("2"), r1).await.expect("update");
    assert_eq!(r3, 3);
    let kv = get_now(&store, "/a").await.expect("present");
    assert_eq!(
        (kv.value, kv.create_revision, kv.mod_revision),
        (val("2"), r1, r3)
    );
}

/// An update at a stale mod revision fails with the actual one and changes nothing.
pub async fn update_with_stale_revision_fails_and_changes_nothing(store: Store) {
    let r1 = store.create("/a", val("1")).await.expect("create");
    let r2 = store.update("/a", val("2"), r1).await.expect("update");
    assert_eq!(
        store.update("/a", val("3"), r1).await,
        Err(precondition(0, "/a", r1, r2))
    );
    assert_eq!(store.current_revision().await, Ok(r2));
    assert_eq!(
        get_now(&store, "/a").await.map(|kv| kv.value),
        Some(val("2"))
    );
}

/// Updating a key that does not exist fails with actual revision 0.
pub async fn update_of_absent_key_fails_with_actual_revision_zero(store: Store) {
    put(&store, "/a", "x").await;
    assert_eq!(
        store.update("/nope", val("v"), 1).await,
        Err(precondition(0, "/nope", 1, 0))
    );
    assert_eq!(get_now(&store, "/nope").await, None);
}

/// A delete at the current mod revision removes the key and returns what was deleted.
pub async fn delete_with_matching_revision_removes_the_key_and_returns_the_old_value(store: Store) {
    let r1 = store.create("/a", val("v")).await.expect("create");
    let (r2, old) = store.delete("/a", r1).await.expect("delete");
    assert_eq!(r2, r1 + 1);
    assert_eq!(
        old,
        Some(KeyValue {
            key: "/a".into(),
            value: val("v"),
            create_revision: r1,
            mod_revision: r1
        })
    );
    assert_eq!(get_now(&store, "/a").await, None);
    assert_eq!(store.count("/").await, Ok(0));
}

/// A delete at a stale mod revision fails and the key stays.
pub async fn delete_with_stale_revision_fails_and_keeps_the_key(store: Store) {
    let r1 = store.create("/a", val("1")).await.expect("create");
    let r2 = store.update("/a", val("2"), r1).await.expect("update");
    assert_eq!(
        store.delete("/a", r1).await,
        Err(precondition(0, "/a", r1, r2))
    );
    assert!(get_now(&store, "/a").await.is_some());
}

/// Deleting an absent key in a transaction is no change: no new revision, no event.
pub async fn delete_of_absent_key_inside_a_txn_changes_nothing_and_keeps_the_revision(
    store: Store,
) {
    let r1 = put(&store, "/a", "v").await;
    let mut watch = store.watch("/", r1).await.expect("watch");
    let resp = store
        .txn(Txn {
            compares: vec![],
            ops: vec![Op::Delete {
                key: "/nope".into(),
            }],
        })
        .await;
    assert_eq!(
        resp,
        Ok(TxnResponse {
            revision: r1,
            prev: vec![None]
        })
    );
    assert_eq!(store.current_revision().await, Ok(r1));
    // Mixed with a real change, the absent delete still contributes no event.
    let resp = store
        .txn(Txn {
            compares: vec![],
            ops: vec![
                Op::Delete {
                    key: "/nope".into(),
                },
                Op::Put {
                    key: "/b".into(),
                    value: val("b"),
                },
            ],
        })
        .await
        .expect("txn");
    assert_eq!(resp.revision, r1 + 1);
    let event = next_event(&mut watch).await;
    assert_eq!((event.kind, event.kv.key.as_str()), (EventKind::Put, "/b"));
    assert_quiet(&mut watch).await;
}

/// A transaction with compares and no ops answers the current revision, or the failed compare.
pub async fn txn_without_ops_keeps_the_revision_but_still_checks_compares(store: Store) {
    let r1 = put(&store, "/a", "v").await;
    let ok = store
        .txn(Txn {
            compares: vec![Compare::ModRevision("/a".into(), r1)],
            ops: vec![],
        })
        .await;
    assert_eq!(
        ok,
        Ok(TxnResponse {
            revision: r1,
            prev: vec![]
        })
    );
    let failed = store
        .txn(Txn {
            compares: vec![Compare::ModRevision("/a".into(), 0)],
            ops: vec![],
        })
        .await;
    assert_eq!(failed, Err(precondition(0, "/a", 0, r1)));
    assert_eq!(store.current_revision().await, Ok(r1));
}

/// All writes of a transaction share one revision, and its events come in op order.
pub async fn multi_key_txn_applies_all_writes_at_one_revision_in_op_order(store: Store) {
    let r0 = put(&store, "/z", "before").await;
    let mut watch = store.watch("/", r0).await.expect("watch");
    let resp = store
        .txn(Txn {
            compares: vec![
                Compare::ModRevision("/c".into(), 0),
                Compare::ModRevision("/z".into(), r0),
            ],
            ops: vec![
                Op::Put {
                    key: "/c".into(),
                    value: val("c"),
                },
                Op::Put {
                    key: "/a".into(),
                    value: val("a"),
                },
                Op::Delete { key: "/z".into() },
                Op::Put {
                    key: "/b".into(),
                    value: val("b"),
                },
            ],
        })
        .await
        .expect("txn");
    let r = resp.revision;
    assert_eq!(r, r0 + 1);
    assert_eq!(store.current_revision().await, Ok(r));
    for key in ["/a", "/b", "/c"] {
        let kv = get_now(&store, key).await.expect("present");
        assert_eq!((kv.create_revision, kv.mod_revision), (r, r));
    }
    assert_eq!(get_now(&store, "/z").await, None);
    let mut seen = Vec::new();
    for _ in 0..4 {
        let e = next_event(&mut watch).await;
        assert_eq!(e.kv.mod_revision, r);
        seen.push((e.kind, e.kv.key));
    }
    assert_eq!(
        seen,
        vec![
            (EventKind::Put, "/c".to_string()),
            (EventKind::Put, "/a".to_string()),
            (EventKind::Delete, "/z".to_string()),
            (EventKind::Put, "/b".to_string()),
        ]
    );
    assert_quiet(&mut watch).await;
}

/// One failing compare fails the whole transaction; the error names that compare.
pub async fn multi_key_txn_with_one_failing_compare_applies_nothing_and_names_the_compare(
    store: Store,
) {
    let ra = put(&store, "/a", "a").await;
    let rb = put(&store, "/b", "b").await;
    let resp = store
        .txn(Txn {
            compares: vec![
                Compare::ModRevision("/a".into(), ra),
                Compare::ModRevision("/b".into(), 99),
                Compare::ModRevision("/c".into(), 0),
            ],
            ops: vec![
                Op::Put {
                    key: "/a".into(),
                    value: val("a2"),
                },
                Op::Delete { key: "/b".into() },
                Op::Put {
                    key: "/c".into(),
                    value: val("c"),
                },
            ],
        })
        .await;
    assert_eq!(resp, Err(precondition(1, "/b", 99, rb)));
    assert_eq!(store.current_revision().await, Ok(rb));
    assert_eq!(
        get_now(&store, "/a").await.map(|kv| kv.value),
        Some(val("a"))
    );
    assert!(get_now(&store, "/b").await.is_some());
    assert_eq!(get_now(&store, "/c").await, None);
}

/// `TxnResponse::prev` holds, per op, the value the key had just before it.
pub async fn txn_reports_the_previous_value_of_every_op(store: Store) {
    let ra = put(&store, "/a", "a").await;
    let rd = put(&store, "/d", "d").await;
    let resp = store
        .txn(Txn {
            compares: vec![],
            ops: vec![
                Op::Put {
                    key: "/a".into(),
                    value: val("a2"),
                },
                Op::Put {
                    key: "/new".into(),
                    value: val("n"),
                },
                Op::Delete { key: "/d".into() },
                Op::Delete {
                    key: "/absent".into(),
                },
            ],
        })
        .await
        .expect("txn");
    let kv = |key: &str, value: &str, rev| KeyValue {
        key: key.into(),
        value: val(value),
        create_revision: rev,
        mod_revision: rev,
    };
    assert_eq!(
        resp.prev,
        vec![Some(kv("/a", "a", ra)), None, Some(kv("/d", "d", rd)), None]
    );
}

/// A key written twice in one transaction ends with the last write; each op sees the one before.
pub async fn txn_writing_one_key_twice_applies_its_ops_in_order(store: Store) {
    let r0 = put(&store, "/k", "v0").await;
    let resp = store
        .txn(Txn {
            compares: vec![],
            ops: vec![
                Op::Put {
                    key: "/k".into(),
                    value: val("v1"),
                },
                Op::Put {
                    key: "/k".into(),
                    value: val("v2"),
                },
            ],
        })
        .await
        .expect("txn");
    let r1 = resp.revision;
    assert_eq!(resp.prev[0].as_ref().map(|kv| kv.mod_revision), Some(r0));
    assert_eq!(
        resp.prev[1],
        Some(KeyValue {
            key: "/k".into(),
            value: val("v1"),
            create_revision: r0,
            mod_revision: r1
        })
    );
    // Delete then re-create in one revision: a new incarnation.
    let r2 = store
        .txn(Txn {
            compares: vec![],
            ops: vec![
                Op::Delete { key: "/k".into() },
                Op::Put {
                    key: "/k".into(),
                    value: val("v3"),
                },
            ],
        })
        .await
        .expect("txn")
        .revision;
    // Put then delete in one revision: gone.
    let r3 = store
        .txn(Txn {
            compares: vec![],
            ops: vec![
                Op::Put {
                    key: "/k".into(),
                    value: val("v4"),
                },
                Op::Delete { key: "/k".into() },
            ],
        })
        .await
        .expect("txn")
        .revision;
    let at = |rev| {
        let store = store.clone();
        async move { store.get("/k", rev).await.expect("get").0 }
    };
    let kv1 = at(r1).await.expect("present at r1");
    assert_eq!(
        (kv1.value, kv1.create_revision, kv1.mod_revision),
        (val("v2"), r0, r1)
    );
    let kv2 = at(r2).await.expect("present at r2");
    assert_eq!(
        (kv2.value, kv2.create_revision, kv2.mod_revision),
        (val("v3"), r2, r2)
    );
    assert_eq!(at(r3).await, None);

    let mut watch = store.watch("/", r0).await.expect("watch");
    let mut seen = Vec::new();
    for _ in 0..6 {
        let e = next_event(&mut watch).await;
        seen.push((
            e.kind,
            e.kv.mod_revision,
            e.kv.value.clone(),
            e.kv.create_revision,
            e.prev.map(|p| (p.value, p.mod_revision)),
        ));
    }
    assert_eq!(
        seen,
        vec![
            (EventKind::Put, r1, val("v1"), r0, Some((val("v0"), r0))),
            (EventKind::Put, r1, val("v2"), r0, Some((val("v1"), r1))),
            (
                EventKind::Delete,
                r2,
                Bytes::new(),
                0,
                Some((val("v2"), r1))
            ),
            (EventKind::Put, r2, val("v3"), r2, None),
            (EventKind::Put, r3, val("v4"), r2, Some((val("v3"), r2))),
            (
                EventKind::Delete,
                r3,
                Bytes::new(),
                0,
                Some((val("v4"), r3))
            ),
        ]
    );
}

/// Deleting and creating a key again starts a new incarnation with a new create revision.
pub async fn recreated_key_gets_a_new_create_revision(store: Store) {
    let r1 = store.create("/a", val("1")).await.expect("create");
    store.delete("/a", r1).await.expect("delete");
    let r3 = store.create("/a", val("2")).await.expect("create again");
    let kv = get_now(&store, "/a").await.expect("present");
    assert_eq!((kv.create_revision, kv.mod_revision), (r3, r3));
}

/// A get at a past revision sees the value the key had then (or its absence).
pub async fn get_at_a_past_revision_returns_the_value_then(store: Store) {
    let r1 = store.create("/a", val("v1")).await.expect("create");
    let r2 = store.update("/a", val("v2"), r1).await.expect("update");
    let (r3, _) = store.delete("/a", r2).await.expect("delete");
    let r4 = store.create("/a", val("v3")).await.expect("create");
    put(&store, "/b", "b").await;
    let expect = |value: &str, create, modr| {
        Some(KeyValue {
            key: "/a".into(),
            value: val(value),
            create_revision: create,
            mod_revision: modr,
        })
    };
    assert_eq!(store.get("/a", r1).await, Ok((expect("v1", r1, r1), r1)));
    assert_eq!(store.get("/a", r2).await, Ok((expect("v2", r1, r2), r2)));
    assert_eq!(store.get("/a", r3).await, Ok((None, r3)));
    assert_eq!(store.get("/a", r4).await, Ok((expect("v3", r4, r4), r4)));
    assert_eq!(store.get("/b", r4).await, Ok((None, r4)));
}

/// Reads at a revision above the current one fail with `FutureRevision`.
pub async fn reads_above_the_current_revision_fail_with_future_revision(store: Store) {
    let r = put(&store, "/a", "v").await;
    let future = StoreError::FutureRevision {
        requested: r + 1,
        current: r,
    };
    assert_eq!(store.get("/a", r + 1).await, Err(future.clone()));
    let list = store
        .list(ListRequest {
            prefix: "/".into(),
            revision: r + 1,
            ..ListRequest::default()
        })
        .await;
    assert_eq!(list, Err(future));
}

/// A list returns exactly the keys starting with the prefix, ascending, at the current revision.
pub async fn list_returns_only_keys_under_the_prefix_in_ascending_order(store: Store) {
    for key in ["/p/b", "/p/a", "/pa", "/q/x", "/p", "/p/c", "/o"] {
        put(&store, key, key).await;
    }
    let list = list_at(&store, "/p/", 0).await;
    assert_eq!(keys_of(&list.items), ["/p/a", "/p/b", "/p/c"]);
    assert_eq!(list.revision, 7);
    assert!(!list.more);
    assert_eq!(list.items[0].value, val("/p/a"));
    let all = list_at(&store, "", 0).await;
    assert_eq!(
        keys_of(&all.items),
        ["/o", "/p", "/p/a", "/p/b", "/p/c", "/pa", "/q/x"]
    );
    assert_eq!(store.count("/p/").await, Ok(3));
}

/// A list at a past revision returns the keys and values of then.
pub async fn list_at_a_past_revision_sees_the_state_then(store: Store) {
    let ra = store.create("/l/a", val("a1")).await.expect("create");
    let rb = store.create("/l/b", val("b1")).await.expect("create");
    store.update("/l/a", val("a2"), ra).await.expect("update");
    store.delete("/l/b", rb).await.expect("delete");
    store.create("/l/c", val("c1")).await.expect("create");
    let then = list_at(&store, "/l/", rb).await;
    assert_eq!(then.revision, rb);
    assert_eq!(keys_of(&then.items), ["/l/a", "/l/b"]);
    assert_eq!(then.items[0].value, val("a1"));
    let now = list_at(&store, "/l/", 0).await;
    assert_eq!(keys_of(&now.items), ["/l/a", "/l/c"]);
    assert_eq!(now.items[0].value, val("a2"));
}

async fn paginate(store: &Store, prefix: &str, limit: usize, revision: Revision) -> Vec<KeyValue> {
    let mut all = Vec::new();
    let mut start_after = None;
    loop {
        let page = store
            .list(ListRequest {
                prefix: prefix.into(),
                start_after: start_after.clone(),
                limit,
                revision,
            })
            .await
            .expect("list page");
        assert!(page.items.len() <= limit, "page longer than its limit");
        assert_eq!(page.revision, revision);
        start_after = page.items.last().map(|kv| kv.key.clone());
        all.extend(page.items);
        if !page.more {
            return all;
        }
        assert!(start_after.is_some(), "empty page claims more");
    }
}

/// Paging with `limit` and `start_after` visits every key once; `more` is false on the last page.
pub async fn list_pagination_walks_every_key_exactly_once_and_more_is_exact(store: Store) {
    let keys: Vec<String> = (0..25).map(|i| format!("/pg/{i:02}")).collect();
    let r = store
        .txn(Txn {
            compares: vec![],
            ops: keys
                .iter()
                .map(|k| Op::Put {
                    key: k.clone(),
                    value: val(k),
                })
                .collect(),
        })
        .await
        .expect("txn")
        .revision;
    put(&store, "/pg0", "outside").await;
    for limit in [1, 5, 7, 25, 26] {
        let got = paginate(&store, "/pg/", limit, r).await;
        let got: Vec<String> = got.into_iter().map(|kv| kv.key).collect();
        assert_eq!(got, keys, "limit {limit}");
    }
    let exact = store
        .list(ListRequest {
            prefix: "/pg/".into(),
            start_after: Some("/pg/19".into()),
            limit: 5,
            revision: 0,
        })
        .await
        .expect("list");
    assert_eq!(exact.items.len(), 5);
    assert!(!exact.more, "no key follows the last one");
    let first = store
        .list(ListRequest {
            prefix: "/pg/".into(),
            start_after: None,
            limit: 24,
            revision: 0,
        })
        .await
        .expect("list");
    assert!(first.more);
}

/// Pages read at the revision of the first page see that revision's state, whatever is written
/// between them.
pub async fn paginated_list_at_a_fixed_revision_is_consistent_while_writes_continue(store: Store) {
    let keys: Vec<String> = (0..30).map(|i| format!("/fx/{i:02}")).collect();
    for k in &keys {
        put(&store, k, "orig").await;
    }
    let first = store
        .list(ListRequest {
            prefix: "/fx/".into(),
            limit: 10,
            ..ListRequest::default()
        })
        .await
        .expect("first page");
    let at = first.revision;
    assert!(first.more);
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..30 {
                let key = format!("/fx/{:02}", (i * 7) % 30);
                match i % 3 {
                    0 => put(&store, &key, "changed").await,
                    1 => {
                        let kv = get_now(&store, &key).await;
                        if let Some(kv) = kv {
                            store.delete(&key, kv.mod_revision).await.map(|r| r.0).ok();
                        }
                        0
                    }
                    _ => put(&store, &format!("/fx/{i:02}x"), "new").await,
                };
            }
        })
    };
    let mut all = first.items.clone();
    let mut start_after = first.items.last().map(|kv| kv.key.clone());
    loop {
        let page = store
            .list(ListRequest {
                prefix: "/fx/".into(),
                start_after: start_after.clone(),
                limit: 4,
                revision: at,
            })
            .await
            .expect("page");
        start_after = page.items.last().map(|kv| kv.key.clone());
        all.extend(page.items);
        if !page.more {
            break;
        }
        tokio::task::yield_now().await;
    }
    writer.await.expect("writer");
    let got: Vec<&str> = keys_of(&all);
    let want: Vec<&str> = keys.iter().map(String::as_str).collect();
    assert_eq!(got, want);
    assert!(all.iter().all(|kv| kv.value == val("orig")));
    // Re-read after the writes: the fixed revision still reads the same.
    let again = paginate(&store, "/fx/", 9, at).await;
    assert_eq!(again, all);
}

/// `count` counts the live keys under a prefix.
pub async fn count_counts_live_keys_under_the_prefix(store: Store) {
    for key in ["/c/a", "/c/b", "/c/c", "/d/a"] {
        put(&store, key, "v").await;
    }
    let kv = get_now(&store, "/c/b").await.expect("present");
    store.delete("/c/b", kv.mod_revision).await.expect("delete");
    assert_eq!(store.count("/c/").await, Ok(2));
    assert_eq!(store.count("/d/").await, Ok(1));
    assert_eq!(store.count("").await, Ok(3));
    assert_eq!(store.count("/e/").await, Ok(0));
}

/// A watch from a past revision first replays what came after it, then delivers live changes.
pub async fn watch_from_a_past_revision_replays_history_then_goes_live(store: Store) {
    let r1 = store.create("/w/a", val("1")).await.expect("create");
    let r2 = store.update("/w/a", val("2"), r1).await.expect("update");
    let (r3, _) = store.delete("/w/a", r2).await.expect("delete");
    let mut watch = store.watch("/w/", r1).await.expect("watch");
    let e2 = next_event(&mut watch).await;
    assert_eq!(e2.kind, EventKind::Put);
    assert_eq!(
        e2.kv,
        KeyValue {
            key: "/w/a".into(),
            value: val("2"),
            create_revision: r1,
            mod_revision: r2
        }
    );
    assert_eq!(
        e2.prev.map(|p| (p.value, p.mod_revision)),
        Some((val("1"), r1))
    );
    let e3 = next_event(&mut watch).await;
    assert_eq!((e3.kind, e3.kv.mod_revision), (EventKind::Delete, r3));
    let r4 = store.create("/w/b", val("live")).await.expect("create");
    let e4 = next_event(&mut watch).await;
    assert_eq!(
        (e4.kind, e4.kv.key.as_str(), e4.kv.mod_revision, e4.prev),
        (EventKind::Put, "/w/b", r4, None)
    );
    assert_quiet(&mut watch).await;
}

/// A watch delivers only keys starting with its prefix.
pub async fn watch_only_sees_keys_under_its_prefix(store: Store) {
    let mut watch = store.watch("/w/", 0).await.expect("watch");
    for key in ["/w/a", "/wx", "/v/a", "/w", "/w/b/c"] {
        put(&store, key, "v").await;
    }
    assert_eq!(next_event(&mut watch).await.kv.key, "/w/a");
    assert_eq!(next_event(&mut watch).await.kv.key, "/w/b/c");
    assert_quiet(&mut watch).await;
}

/// A delete event has the key, an empty value, the deleting revision and the deleted value.
pub async fn watch_reports_a_delete_with_the_deleted_value_as_prev(store: Store) {
    let r1 = store.create("/d/a", val("gone")).await.expect("create");
    let mut watch = store.watch("/d/", r1).await.expect("watch");
    let (r2, _) = store.delete("/d/a", r1).await.expect("delete");
    let e = next_event(&mut watch).await;
    assert_eq!(e.kind, EventKind::Delete);
    assert_eq!(
        e.kv,
        KeyValue {
            key: "/d/a".into(),
            value: Bytes::new(),
            create_revision: 0,
            mod_revision: r2
        }
    );
    assert_eq!(
        e.prev,
        Some(KeyValue {
            key: "/d/a".into(),
            value: val("gone"),
            create_revision: r1,
            mod_revision: r1
        })
    );
}

/// A watch from a revision not yet reached delivers changes after that revision only.
pub async fn watch_from_a_future_revision_starts_after_it(store: Store) {
    let r = put(&store, "/f/a", "v").await;
    let mut watch = store.watch("/f/", r + 2).await.expect("watch");
    put(&store, "/f/1", "v").await;
    put(&store, "/f/2", "v").await;
    let r3 = put(&store, "/f/3", "v").await;
    let e = next_event(&mut watch).await;
    assert_eq!((e.kv.key.as_str(), e.kv.mod_revision), ("/f/3", r3));
    assert_quiet(&mut watch).await;
}

/// Watches opened at any moment while several writers commit see exactly the revisions after
/// their start, each once, in order: the replay and the live feed meet without gap or overlap.
pub async fn watches_opened_during_concurrent_writes_see_every_later_revision_once_in_order(
    store: Store,
) {
    const WRITERS: usize = 6;
    const WRITES: usize = 30;
    let start = put(&store, "/cw/start", "v").await;
    let mut first = store.watch("/cw/", start).await.expect("watch");
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut committed = Vec::new();
            for i in 0..WRITES {
                let key = format!("/cw/{w}/{i}");
                let r = store.create(&key, val(&key)).await.expect("create");
                committed.push((r, key));
                if i % 5 == 0 {
                    tokio::task::yield_now().await;
                }
            }
            committed
        }));
    }
    // Open more watches from "now" while the writers run.
    let mut late = Vec::new();
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(2)).await;
        let at = store.current_revision().await.expect("revision");
        late.push((at, store.watch("/cw/", at).await.expect("late watch")));
    }
    let mut committed: BTreeMap<Revision, String> = BTreeMap::new();
    for w in writers {
        committed.extend(w.await.expect("writer"));
    }
    assert_eq!(committed.len(), WRITERS * WRITES);
    let check = |after: Revision| {
        committed
            .range(after + 1..)
            .map(|(r, k)| (*r, k.clone()))
            .collect::<Vec<_>>()
    };
    let mut watches = vec![(start, &mut first)];
    for (at, w) in late.iter_mut() {
        watches.push((*at, w));
    }
    for (after, watch) in watches {
        let want = check(after);
        let mut got = Vec::with_capacity(want.len());
        for _ in 0..want.len() {
            let e = next_event(watch).await;
            assert_eq!(e.kv.value, val(&e.kv.key));
            got.push((e.kv.mod_revision, e.kv.key));
        }
        assert_eq!(got, want, "watch from {after}");
        assert_quiet(watch).await;
    }
}

/// A watch from below the compacted revision fails with `Compacted`; from it exactly, it works.
pub async fn watch_from_below_the_compacted_revision_fails_but_from_it_works(store: Store) {
    put(&store, "/a", "1").await;
    put(&store, "/a", "2").await;
    let r3 = put(&store, "/a", "3").await;
    store.compact(2).await.expect("compact");
    match store.watch("/", 1).await {
        Err(e) => assert_eq!(
            e,
            StoreError::Compacted {
                requested: 1,
                compacted: 2
            }
        ),
        Ok(_) => panic!("watch from a compacted revision must fail"),
    }
    let mut watch = store
        .watch("/", 2)
        .await
        .expect("watch from the compacted revision");
    let e = next_event(&mut watch).await;
    assert_eq!((e.kv.mod_revision, e.kv.value), (r3, val("3")));
    assert_eq!(e.prev.map(|p| p.value), Some(val("2")));
}

/// Reads at or below the compacted revision fail with `Compacted`.
pub async fn reads_at_or_below_the_compacted_revision_fail_with_compacted(store: Store) {
    for v in ["1", "2", "3", "4"] {
        put(&store, "/a", v).await;
    }
    store.compact(3).await.expect("compact");
    assert_eq!(store.compacted_revision().await, Ok(3));
    for rev in [1, 2, 3] {
        assert_eq!(
            store.get("/a", rev).await,
            Err(StoreError::Compacted {
                requested: rev,
                compacted: 3
            })
        );
    }
    let list = store
        .list(ListRequest {
            prefix: "/".into(),
            revision: 3,
            ..ListRequest::default()
        })
        .await;
    assert!(matches!(list, Err(StoreError::Compacted { .. })));
    let (kv, at) = store.get("/a", 4).await.expect("get at current");
    assert_eq!((kv.map(|kv| kv.value), at), (Some(val("4")), 4));
}

/// Compacting at the current revision leaves the current revision readable.
pub async fn reads_at_the_current_revision_work_even_when_it_is_compacted(store: Store) {
    put(&store, "/a", "1").await;
    let r = put(&store, "/b", "2").await;
    store.compact(r).await.expect("compact");
    assert_eq!(store.compacted_revision().await, Ok(r));
    assert_eq!(
        store.get("/a", r).await.map(|(kv, at)| (kv.is_some(), at)),
        Ok((true, r))
    );
    assert_eq!(
        store.get("/b", 0).await.map(|(kv, at)| (kv.is_some(), at)),
        Ok((true, r))
    );
    assert_eq!(list_at(&store, "/", r).await.items.len(), 2);
    let mut watch = store.watch("/", r).await.expect("watch from now");
    let r2 = put(&store, "/c", "3").await;
    assert_eq!(next_event(&mut watch).await.kv.mod_revision, r2);
}

/// Compaction keeps current values, every value readable above the compacted revision, and the
/// events after it; compacting lower again does nothing; compacting the future fails.
pub async fn compaction_keeps_current_values_and_everything_needed_after_it(store: Store) {
    let a1 = put(&store, "/k/a", "a1").await; // 1
    let a2 = put(&store, "/k/a", "a2").await; // 2
    let b1 = put(&store, "/k/b", "b1").await; // 3
    let c1 = store.create("/k/c", val("c1")).await.expect("create"); // 4
    let (c_del, _) = store.delete("/k/c", c1).await.expect("delete"); // 5
    let d1 = put(&store, "/k/d", "d1").await; // 6
    let e1 = store.create("/k/e", val("e1")).await.expect("create"); // 7
    let (e_del, _) = store.delete("/k/e", e1).await.expect("delete"); // 8
    assert_eq!((a1, a2, b1, c_del, d1, e_del), (1, 2, 3, 5, 6, 8));
    store.compact(4).await.expect("compact");
    assert_eq!(store.compacted_revision().await, Ok(4));
    let at5 = list_at(&store, "/k/", 5).await;
    assert_eq!(keys_of(&at5.items), ["/k/a", "/k/b"]);
    assert_eq!(
        (at5.items[0].value.clone(), at5.items[0].mod_revision),
        (val("a2"), a2)
    );
    let at7 = list_at(&store, "/k/", 7).await;
    assert_eq!(keys_of(&at7.items), ["/k/a", "/k/b", "/k/d", "/k/e"]);
    assert_eq!(
        store
            .get("/k/a", 5)
            .await
            .map(|(kv, _)| kv.map(|kv| kv.value)),
        Ok(Some(val("a2")))
    );
    assert_eq!(store.get("/k/c", 5).await.map(|(kv, _)| kv), Ok(None));
    let now = list_at(&store, "/k/", 0).await;
    assert_eq!(keys_of(&now.items), ["/k/a", "/k/b", "/k/d"]);
    let mut watch = store.watch("/k/", 4).await.expect("watch");
    let revs: Vec<Revision> = vec![
        next_event(&mut watch).await.kv.mod_revision,
        next_event(&mut watch).await.kv.mod_revision,
        next_event(&mut watch).await.kv.mod_revision,
        next_event(&mut watch).await.kv.mod_revision,
    ];
    assert_eq!(revs, vec![5, 6, 7, 8]);
    store.compact(2).await.expect("compacting lower is a no-op");
    assert_eq!(store.compacted_revision().await, Ok(4));
    assert_eq!(
        store.compact(9).await,
        Err(StoreError::FutureRevision {
            requested: 9,
            current: 8
        })
    );
    store.compact(8).await.expect("compact to current");
    let now = list_at(&store, "/k/", 0).await;
    assert_eq!(keys_of(&now.items), ["/k/a", "/k/b", "/k/d"]);
    assert_eq!(store.count("/k/").await, Ok(3));
    // History grows again after a compaction; the compacted revision stops being readable
    // once it is no longer the current one.
    let a3 = put(&store, "/k/a", "a3").await;
    assert!(matches!(
        store.get("/k/a", 8).await,
        Err(StoreError::Compacted { .. })
    ));
    assert_eq!(
        store
            .get("/k/a", a3)
            .await
            .map(|(kv, _)| kv.map(|kv| kv.value)),
        Ok(Some(val("a3")))
    );
}

/// Of many concurrent updates (or creates) with the same expected revision, exactly one lands.
pub async fn concurrent_txns_with_conflicting_preconditions_have_exactly_one_winner(store: Store) {
    const CONTENDERS: usize = 16;
    let r0 = store.create("/race", val("start")).await.expect("create");
    let barrier = Arc::new(tokio::sync::Barrier::new(CONTENDERS));
    let mut tasks = Vec::new();
    for i in 0..CONTENDERS {
        let store = store.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let update = store.update("/race", val(&format!("t{i}")), r0).await;
            let create = store.create("/race-new", val(&format!("t{i}"))).await;
            (i, update, create)
        }));
    }
    let mut update_wins = Vec::new();
    let mut create_wins = Vec::new();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("task"));
    }
    for (i, update, create) in &results {
        if let Ok(r) = update {
            update_wins.push((*i, *r));
        }
        if let Ok(r) = create {
            create_wins.push((*i, *r));
        }
    }
    assert_eq!(update_wins.len(), 1, "exactly one update wins");
    assert_eq!(create_wins.len(), 1, "exactly one create wins");
    let (winner, won_at) = update_wins[0];
    let (creator, created_at) = create_wins[0];
    for (_, update, create) in &results {
        if let Err(e) = update {
            assert_eq!(e, &precondition(0, "/race", r0, won_at));
        }
        if let Err(e) = create {
            assert_eq!(e, &precondition(0, "/race-new", 0, created_at));
        }
    }
    let kv = get_now(&store, "/race").await.expect("present");
    assert_eq!(
        (kv.value, kv.mod_revision),
        (val(&format!("t{winner}")), won_at)
    );
    let kv = get_now(&store, "/race-new").await.expect("present");
    assert_eq!(kv.value, val(&format!("t{creator}")));
    assert_eq!(store.current_revision().await, Ok(r0 + 2));
}

/// Concurrent writers each get their own revision; together they fill a contiguous range.
pub async fn concurrent_writers_get_distinct_contiguous_revisions(store: Store) {
    const WRITERS: usize = 8;
    const WRITES: usize = 20;
    let start = store.current_revision().await.expect("revision");
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut revs = Vec::new();
            for i in 0..WRITES {
                revs.push(
                    store
                        .create(&format!("/cc/{w}/{i}"), val("v"))
                        .await
                        .expect("create"),
                );
            }
            revs
        }));
    }
    let mut all = BTreeSet::new();
    for t in tasks {
        let revs = t.await.expect("task");
        assert!(
            revs.windows(2).all(|w| w[0] < w[1]),
            "a writer's revisions increase"
        );
        all.extend(revs);
    }
    let total = (WRITERS * WRITES) as Revision;
    assert_eq!(all.len() as Revision, total, "no revision given twice");
    assert_eq!(all.first().copied(), Some(start + 1));
    assert_eq!(all.last().copied(), Some(start + total));
    assert_eq!(store.current_revision().await, Ok(start + total));
    assert_eq!(store.count("/cc/").await, Ok(total as u64));
}

// ---------------------------------------------------------------------------------------------
// The model test.

/// The keys the model test writes: overlapping prefixes on purpose.
const MODEL_KEYS: [&str; 6] = ["/m/a", "/m/ab", "/m/b", "/m/b/c", "/n/a", "/m/"];
/// The key of the last write of every case, which tells watches that they have seen everything.
const SENTINEL: &str = "/m/zz-sentinel";

/// What a compare of a generated transaction expects.
#[derive(Clone, Copy, Debug)]
pub enum ModelCompare {
    /// The key's mod revision at the time the step runs (holds).
    Current,
    /// 0: the key is absent.
    Absent,
    /// A revision the key does not have (fails).
    Stale,
}

/// One generated step of the model test.
#[derive(Clone, Debug)]
pub enum ModelStep {
    /// A transaction: compares and ops on indexes into the model's key set; `None` deletes.
    Txn {
        compares: Vec<(usize, ModelCompare)>,
        ops: Vec<(usize, Option<u8>)>,
    },
    /// Compact at `compacted + (current - compacted) * fraction / 255`.
    Compact(u8),
}

fn model_value(v: u8) -> Bytes {
    Bytes::from(vec![v; usize::from(v % 4)])
}

fn step_strategy() -> impl Strategy<Value = ModelStep> {
    let key = 0..MODEL_KEYS.len();
    let value = any::<u8>();
    let compare = prop_oneof![
        3 => Just(ModelCompare::Current),
        1 => Just(ModelCompare::Absent),
        1 => Just(ModelCompare::Stale),
    ];
    let create = (key.clone(), value).prop_map(|(k, v)| ModelStep::Txn {
        compares: vec![(k, ModelCompare::Absent)],
        ops: vec![(k, Some(v))],
    });
    let update = (key.clone(), compare.clone(), value).prop_map(|(k, c, v)| ModelStep::Txn {
        compares: vec![(k, c)],
        ops: vec![(k, Some(v))],
    });
    let delete = (key.clone(), compare.clone()).prop_map(|(k, c)| ModelStep::Txn {
        compares: vec![(k, c)],
        ops: vec![(k, None)],
    });
    let multi = (
        proptest::collection::vec((key.clone(), compare), 0..3),
        proptest::collection::vec((key, proptest::option::weighted(0.7, value)), 0..5),
    )
        .prop_map(|(compares, ops)| ModelStep::Txn { compares, ops });
    prop_oneof![
        3 => create,
        3 => update,
        2 => delete,
        3 => multi,
        1 => any::<u8>().prop_map(ModelStep::Compact),
    ]
}

/// The model: every state by revision, and the events of every revision.
struct Model {
    compacted: Revision,
    /// `states[r]` is the store at revision `r`.
    states: Vec<BTreeMap<String, KeyValue>>,
    /// `events[r]` are the events of revision `r` (empty for 0).
    events: Vec<Vec<Event>>,
}

impl Model {
    fn new() -> Self {
        Self {
            compacted: 0,
            states: vec![BTreeMap::new()],
            events: vec![Vec::new()],
        }
    }

    fn revision(&self) -> Revision {
        (self.states.len() - 1) as Revision
    }

    fn current(&self) -> &BTreeMap<String, KeyValue> {
        &self.states[self.states.len() - 1]
    }

    fn mod_revision(&self, key: &str) -> Revision {
        self.current().get(key).map_or(0, |kv| kv.mod_revision)
    }

    fn txn(&mut self, txn: &Txn) -> Result<TxnResponse, StoreError> {
        for (index, Compare::ModRevision(key, expected)) in txn.compares.iter().enumerate() {
            let actual = self.mod_revision(key);
            if actual != *expected {
                return Err(precondition(index, key, *expected, actual));
            }
        }
        let revision = self.revision() + 1;
        let mut state = self.current().clone();
        let mut events = Vec::new();
        let mut prev = Vec::new();
        for op in &txn.ops {
            match op {
                Op::Put { key, value } => {
                    let before = state.get(key).cloned();
                    let kv = KeyValue {
                        key: key.clone(),
                        value: value.clone(),
                        create_revision: before.as_ref().map_or(revision, |b| b.create_revision),
                        mod_revision: revision,
                    };
                    state.insert(key.clone(), kv.clone());
                    events.push(Event {
                        kind: EventKind::Put,
                        kv,
                        prev: before.clone(),
                    });
                    prev.push(before);
                }
                Op::Delete { key } => {
                    let before = state.remove(key);
                    if before.is_some() {
                        events.push(Event {
                            kind: EventKind::Delete,
                            kv: KeyValue {
                                key: key.clone(),
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
                revision: self.revision(),
                prev,
            });
        }
        self.states.push(state);
        self.events.push(events);
        Ok(TxnResponse { revision, prev })
    }

    fn list(&self, req: &ListRequest) -> ListResponse {
        let at = if req.revision == 0 {
            self.revision()
        } else {
            req.revision
        };
        let mut visible = self.states[at as usize]
            .values()
            .filter(|kv| kv.key.starts_with(&req.prefix))
            .filter(|kv| req.start_after.as_ref().is_none_or(|s| kv.key > *s));
        let mut items = Vec::new();
        let mut more = false;
        for kv in visible.by_ref() {
            if req.limit > 0 && items.len() == req.limit {
                more = true;
                break;
            }
            items.push(kv.clone());
        }
        ListResponse {
            items,
            revision: at,
            more,
        }
    }

    fn events_after(&self, after: Revision, prefix: &str) -> Vec<Event> {
        self.events
            .iter()
            .skip(after as usize + 1)
            .flatten()
            .filter(|e| e.kv.key.starts_with(prefix))
            .cloned()
            .collect()
    }
}

fn build_txn(
    model: &Model,
    compares: &[(usize, ModelCompare)],
    ops: &[(usize, Option<u8>)],
) -> Txn {
    Txn {
        compares: compares
            .iter()
            .map(|(k, c)| {
                let key = MODEL_KEYS[*k];
                let current = model.mod_revision(key);
                let expected = match c {
                    ModelCompare::Current => current,
                    ModelCompare::Absent => 0,
                    ModelCompare::Stale => current + 1,
                };
                Compare::ModRevision(key.to_string(), expected)
            })
            .collect(),
        ops: ops
            .iter()
            .map(|(k, v)| {
                let key = MODEL_KEYS[*k].to_string();
                match v {
                    Some(v) => Op::Put {
                        key,
                        value: model_value(*v),
                    },
                    None => Op::Delete { key },
                }
            })
            .collect(),
    }
}

macro_rules! ensure_eq {
    ($left:expr, $right:expr, $($ctx:tt)+) => {{
        let (l, r) = (&$left, &$right);
        if l != r {
            return Err(format!("{}: store {:?} != model {:?}", format!($($ctx)+), l, r));
        }
    }};
}

/// Runs one generated case against a fresh store; `Err` describes the first divergence.
pub async fn run_model_case(store: Store, steps: Vec<ModelStep>) -> Result<(), String> {
    let mut model = Model::new();
    let sentinel = ModelStep::Txn {
        compares: vec![],
        ops: vec![],
    };
    for (i, step) in steps.iter().chain(std::iter::once(&sentinel)).enumerate() {
        let is_sentinel = i == steps.len();
        match step {
            ModelStep::Txn { compares, ops } => {
                let txn = if is_sentinel {
                    Txn {
                        compares: vec![],
                        ops: vec![Op::Put {
                            key: SENTINEL.to_string(),
                            value: model_value(1),
                        }],
                    }
                } else {
                    build_txn(&model, compares, ops)
                };
                let want = model.txn(&txn);
                let got = store.txn(txn.clone()).await;
                ensure_eq!(got, want, "step {i}: {txn:?}");
            }
            ModelStep::Compact(fraction) => {
                let span = model.revision() - model.compacted;
                let target = model.compacted + span * Revision::from(*fraction) / 255;
                let got = store.compact(target).await;
                ensure_eq!(got, Ok(()), "step {i}: compact({target})");
                model.compacted = model.compacted.max(target);
            }
        }
        ensure_eq!(
            store.current_revision().await,
            Ok(model.revision()),
            "step {i}: revision"
        );
    }
    let current = model.revision();
    let compacted = model.compacted;
    ensure_eq!(
        store.compacted_revision().await,
        Ok(compacted),
        "compacted revision"
    );

    // Reads at every revision: compacted ones fail, retained ones match the model.
    for rev in 1..=current {
        let readable = rev > compacted || rev == current;
        for key in MODEL_KEYS {
            let got = store.get(key, rev).await;
            let want = if readable {
                Ok((model.states[rev as usize].get(key).cloned(), rev))
            } else {
                Err(StoreError::Compacted {
                    requested: rev,
                    compacted,
                })
            };
            ensure_eq!(got, want, "get({key}, {rev})");
        }
        if !readable {
            continue;
        }
        for prefix in ["", "/m/", "/m/b", "/n/"] {
            for (limit, start_after) in
                [(0, None), (2, None), (1, Some("/m/a")), (3, Some("/m/ab"))]
            {
                let req = ListRequest {
                    prefix: prefix.to_string(),
                    start_after: start_after.map(str::to_string),
                    limit,
                    revision: rev,
                };
                ensure_eq!(
                    store.list(req.clone()).await,
                    Ok(model.list(&req)),
                    "{req:?}"
                );
            }
        }
    }
    for prefix in ["", "/m/", "/n/"] {
        let want = model.list(&ListRequest {
            prefix: prefix.to_string(),
            ..ListRequest::default()
        });
        ensure_eq!(
            store.count(prefix).await,
            Ok(want.items.len() as u64),
            "count({prefix})"
        );
    }

    // Watches from every retained revision: the replay up to the sentinel matches the model.
    if compacted > 0 {
        let got = store.watch("", compacted - 1).await.map(|_| ());
        ensure_eq!(
            got,
            Err(StoreError::Compacted {
                requested: compacted - 1,
                compacted
            }),
            "watch from below the compacted revision"
        );
    }
    for after in compacted..current {
        for prefix in ["", "/m/"] {
            let want = model.events_after(after, prefix);
            let mut watch = store
                .watch(prefix, after)
                .await
                .map_err(|e| format!("watch({prefix:?}, {after}): {e}"))?;
            let mut got = Vec::with_capacity(want.len());
            while got.len() < want.len() {
                match tokio::time::timeout(EVENT_TIMEOUT, watch.next()).await {
                    Ok(Some(Ok(e))) => got.push(e),
                    other => {
                        return Err(format!(
                            "watch({prefix:?}, {after}) after {} of {} events: {other:?}",
                            got.len(),
                            want.len()
                        ));
                    }
                }
            }
            ensure_eq!(got, want, "watch({prefix:?}, {after})");
        }
    }
    Ok(())
}

/// Runs the model property test: `cases` random step sequences, each against a fresh store
/// from `factory`, on a multi-threaded tokio runtime of its own. Panics with the shrunk
/// failing sequence on divergence.
pub fn run_model_test<F, Fut>(factory: F, cases: u32)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Store>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = proptest::collection::vec(step_strategy(), 1..40);
    let result = runner.run(&strategy, |steps| {
        runtime.block_on(async {
            let store = factory().await;
            run_model_case(store, steps)
                .await
                .map_err(TestCaseError::fail)
        })
    });
    if let Err(e) = result {
        panic!("store diverged from the model: {e}");
    }
}
