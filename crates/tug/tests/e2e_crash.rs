//! `kill -9` of the real `tug server` in the middle of a concurrent write burst over HTTPS,
//! restart on the same data directory, and every acknowledged write is there, several rounds.
//! The harness (shared with `tug-bench crash`, which runs many more rounds) says what exactly
//! is checked. A kill keeps the page cache: the missing-fsync case is the store's power-loss
//! test (`crates/tug-store-redb/tests/power_loss.rs`).
//!
//! `TUG_CRASH_SEED=N` replays the random choices of a failed run (timing still varies).

mod support;

#[path = "crash/harness.rs"]
mod harness;

use std::sync::Arc;
use std::time::Instant;

const ROUNDS: usize = 5;

#[test]
fn acknowledged_writes_survive_kill_9_during_a_concurrent_write_burst() {
    let seed = std::env::var("TUG_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let spawn: harness::Spawn = Arc::new(support::spawn_server);
    let config = harness::Config {
        writers: 8,
        kill_after_ms: (100, 400),
        seed,
    };
    let (rounds, failure) = rt.block_on(async {
        let mut crash = harness::Crash::start(spawn, dir.path(), config)
            .await
            .unwrap_or_else(|e| panic!("tug server does not start: {e:#}"));
        let mut rounds = Vec::new();
        let mut failure = None;
        for _ in 0..ROUNDS {
            match crash.round().await {
                Ok(round) => rounds.push(round),
                Err(e) => {
                    failure = Some(format!("{e:#}"));
                    break;
                }
            }
        }
        crash.stop();
        (rounds, failure)
    });
    let summary: Vec<String> = rounds
        .iter()
        .enumerate()
        .map(|(i, r)| {
            format!(
                "round {}: killed after {:?}: {} acknowledged ({} creates, {} updates, {} deletes), \
                 restart {:?}, {} objects checked, max acked rv {}, next rv {}, {} lost",
                i + 1,
                r.kill_after,
                r.acknowledged,
                r.creates,
                r.updates,
                r.deletes,
                r.restart,
                r.checked,
                r.max_acked_rv,
                r.probe_rv,
                r.lost
            )
        })
        .collect();
    let summary = summary.join("\n  ");
    if let Some(e) = failure {
        panic!("crash round failed: {e}\nrounds so far:\n  {summary}\n(seed {seed})");
    }
    let acknowledged: u64 = rounds.iter().map(|r| r.acknowledged).sum();
    let lost: u64 = rounds.iter().map(|r| r.lost).sum();
    let problems: Vec<&String> = rounds.iter().flat_map(|r| &r.problems).collect();
    assert!(
        lost == 0 && problems.is_empty(),
        "{lost} of {acknowledged} acknowledged writes lost; {} problems (first 40):\n  {}\nrounds:\n  {summary}\n\
         (replay the random choices with TUG_CRASH_SEED={seed})",
        problems.len(),
        problems
            .iter()
            .take(40)
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    // Rounds that wrote nothing would prove nothing (one may, on a very busy machine).
    let writing = rounds.iter().filter(|r| r.acknowledged > 0).count();
    assert!(
        writing + 1 >= ROUNDS && acknowledged >= 50,
        "too few writes were acknowledged before the kills to prove anything:\n  {summary}"
    );
    eprintln!(
        "{ROUNDS} crash rounds in {:?}, {acknowledged} acknowledged writes, none lost:\n  {summary}",
        started.elapsed()
    );
}
