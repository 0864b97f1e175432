//! The shared conformance suite and model test against a `RedbBackend` without a write-ahead
//! log (every batch a durable redb commit).

mod common;

async fn store() -> std::sync::Arc<dyn tug_store::Backend> {
    common::temp_store(tug_store_redb::RedbOptions {
        wal_size_bytes: 0,
        ..common::test_options()
    })
}

tug_store::conformance_tests!(store, model_cases = 32);
