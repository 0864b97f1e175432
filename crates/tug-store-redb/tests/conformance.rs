//! The shared conformance suite and model test against a file-backed `RedbBackend` with its
//! write-ahead log (the default).

mod common;

async fn store() -> std::sync::Arc<dyn tug_store::Backend> {
    common::temp_store(common::test_options())
}

tug_store::conformance_tests!(store, model_cases = 48);
