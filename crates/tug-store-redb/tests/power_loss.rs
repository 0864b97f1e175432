//! Power loss under concurrent writes: the database file and its write-ahead log both lose
//! whatever was not synced, at one random instant, and every acknowledged write must come
//! back whole. The harness (shared with `tug-bench power-loss`, which runs many more rounds)
//! says what exactly is simulated and checked.
//!
//! `TUG_POWER_LOSS_SEED=N` replays the random choices of a failed run (the interleaving of
//! threads still varies).

#[path = "power_loss/harness.rs"]
mod harness;

use harness::{Chain, Config, Loss, Round};

/// Rounds per chain: each reopens what the last cut left, checks it, and writes until the next
/// cut; the losses alternate.
const ROUNDS: usize = 4;

fn seed() -> u64 {
    std::env::var("TUG_POWER_LOSS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random)
}

async fn chain_survives_power_loss(config: Config) {
    let seed = seed();
    let name = config.name;
    let mut chain = Chain::new(config, seed);
    let mut rounds: Vec<Round> = Vec::new();
    for i in 0..ROUNDS {
        let loss = if i % 2 == 0 {
            Loss::DropUnsynced
        } else {
            Loss::PartialWriteback
        };
        rounds.push(chain.round(loss).await);
    }
    rounds.push(chain.finish().await);
    let acknowledged: u64 = rounds.iter().map(|r| r.acknowledged).sum();
    let lost: u64 = rounds.iter().map(|r| r.lost).sum();
    let problems: Vec<&String> = rounds.iter().flat_map(|r| &r.problems).collect();
    let summary: Vec<String> = rounds
        .iter()
        .map(|r| {
            let reopened = if r.checked {
                format!("reopened at revision {}, lost {}", r.revision, r.lost)
            } else {
                "power cut during recovery".to_string()
            };
            format!(
                "{reopened}; then {} acknowledged, power cut after {} storage ops ({})",
                r.acknowledged,
                r.cut_at,
                r.loss.map_or("none", Loss::name),
            )
        })
        .collect();
    assert!(
        lost == 0 && problems.is_empty(),
        "{name}: {lost} of {acknowledged} acknowledged writes lost; {} problems (first 40):\n  {}\n\
         rounds:\n  {}\n(replay the random choices with TUG_POWER_LOSS_SEED={seed})",
        problems.len(),
        problems
            .iter()
            .take(40)
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        summary.join("\n  ")
    );
    // Rounds cut early (even during recovery) acknowledge nothing; the chain as a whole must.
    assert!(
        acknowledged >= 100,
        "{name}: too little was written to prove anything ({acknowledged} acknowledged; rounds: {summary:#?}; seed {seed})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_loss_with_a_small_log_that_keeps_checkpointing_loses_no_acknowledged_write() {
    chain_survives_power_loss(Config::small_log()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_loss_between_idle_checkpoints_loses_no_acknowledged_write() {
    chain_survives_power_loss(Config::idle_checkpoints()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_loss_without_a_log_loses_no_acknowledged_write() {
    chain_survives_power_loss(Config::no_log()).await;
}
