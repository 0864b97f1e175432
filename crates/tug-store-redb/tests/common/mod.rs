//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::sync::Arc;

use async_trait::async_trait;
use tempfile::TempDir;
use tug_store::{
    Backend, KeyValue, ListRequest, ListResponse, Result, Revision, Txn, TxnResponse, WatchStream,
};
use tug_store_redb::{RedbBackend, RedbOptions};

/// Small caches and logs, so that tests exercise eviction and log wrap-around.
pub fn test_options() -> RedbOptions {
    RedbOptions {
        cache_size_bytes: 4 * 1024 * 1024,
        wal_size_bytes: 1024 * 1024,
        ..RedbOptions::default()
    }
}

/// A store in a temporary directory that lives as long as the store.
pub struct TempRedb {
    store: RedbBackend,
    _dir: TempDir,
}

/// A fresh store in a new temporary directory.
pub fn temp_store(options: RedbOptions) -> Arc<dyn Backend> {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbBackend::open(&dir.path().join("tug.redb"), options).expect("open");
    Arc::new(TempRedb { store, _dir: dir })
}

#[async_trait]
impl Backend for TempRedb {
    async fn txn(&self, txn: Txn) -> Result<TxnResponse> {
        self.store.txn(txn).await
    }
    async fn get(&self, key: &str, revision: Revision) -> Result<(Option<KeyValue>, Revision)> {
        self.store.get(key, revision).await
    }
    async fn list(&self, req: ListRequest) -> Result<ListResponse> {
        self.store.list(req).await
    }
    async fn count(&self, prefix: &str) -> Result<u64> {
        self.store.count(prefix).await
    }
    async fn watch(&self, prefix: &str, after: Revision) -> Result<WatchStream> {
        self.store.watch(prefix, after).await
    }
    async fn current_revision(&self) -> Result<Revision> {
        self.store.current_revision().await
    }
    async fn compacted_revision(&self) -> Result<Revision> {
        self.store.compacted_revision().await
    }
    async fn compact(&self, revision: Revision) -> Result<()> {
        self.store.compact(revision).await
    }
}
