//! `tug-bench power-loss`: many rounds of simulated power loss under tug's redb store (the
//! database file and its write-ahead log lose everything not synced, at one random instant,
//! during concurrent writes), each followed by a reopen and a check that every acknowledged
//! write is there and no transaction is partly applied. The rounds and checks are those of
//! the store's power-loss test (`crates/tug-store-redb/tests/power_loss/harness.rs`, compiled
//! into this module), only more of them.

use std::time::Instant;

use anyhow::{Result, bail, ensure};
use clap::Args;

#[path = "../../tug-store-redb/tests/power_loss/harness.rs"]
mod harness;

use harness::{Chain, Config, Loss, Round};

#[derive(Args, Clone)]
pub struct PowerLossArgs {
    /// Power cuts in all, spread over the store configurations (a 64 KiB log that keeps
    /// checkpointing, a 1 MiB log with idle checkpoints, no log), one chain of rounds each.
    #[arg(long, default_value_t = 30)]
    rounds: usize,
    /// Seed of the random choices (default: random; printed).
    #[arg(long)]
    seed: Option<u64>,
}

fn print_round(config: &str, label: &str, r: &Round) {
    let cut = match r.loss {
        Some(loss) => format!(
            "then {:>5} acknowledged, power cut after {:>5} storage ops ({})",
            r.acknowledged,
            r.cut_at,
            loss.name()
        ),
        None => "power stays on".to_string(),
    };
    let reopened = if r.checked {
        format!("reopened at revision {:>6}, lost {}", r.revision, r.lost)
    } else {
        "power cut during recovery".to_string()
    };
    println!(
        "{config:<16} {label:>13}: {reopened}; {cut} ({:.0} ms)",
        r.elapsed.as_secs_f64() * 1000.0
    );
    for p in &r.problems {
        println!("  problem: {p}");
    }
}

pub async fn run(args: PowerLossArgs) -> Result<()> {
    ensure!(args.rounds > 0, "--rounds must be positive");
    let seed = args.seed.unwrap_or_else(rand::random);
    let configs = Config::all();
    println!(
        "power-loss: {} power cuts under concurrent writes to the redb store, alternating \
         drop-unsynced and partial-writeback, over {} store configurations (seed {seed})",
        args.rounds,
        configs.len()
    );
    let started = Instant::now();
    let (mut acknowledged, mut lost, mut problems, mut in_recovery) = (0u64, 0u64, 0usize, 0usize);
    let mut rounds_done = 0;
    let k = configs.len();
    for (c, config) in configs.into_iter().enumerate() {
        // Spread the rounds: the first configurations take the remainder.
        let n = args.rounds / k + usize::from(c < args.rounds % k);
        if n == 0 {
            continue;
        }
        let name = config.name;
        let mut chain = Chain::new(config, seed.wrapping_add(c as u64));
        let mut reports = Vec::new();
        for i in 0..n {
            let loss = if i % 2 == 0 {
                Loss::DropUnsynced
            } else {
                Loss::PartialWriteback
            };
            let r = chain.round(loss).await;
            print_round(name, &format!("round {}/{n}", i + 1), &r);
            reports.push(r);
        }
        let last = chain.finish().await;
        print_round(name, "final reopen", &last);
        reports.push(last);
        for r in &reports {
            acknowledged += r.acknowledged;
            lost += r.lost;
            problems += r.problems.len();
            in_recovery += usize::from(r.loss.is_some() && !r.checked);
        }
        rounds_done += n;
    }
    println!(
        "result: rounds={rounds_done} acknowledged={acknowledged} lost={lost} problems={problems} \
         cuts_during_recovery={in_recovery} seconds={:.1}",
        started.elapsed().as_secs_f64()
    );
    if lost > 0 || problems > 0 {
        bail!("{lost} acknowledged writes lost, {problems} problems (seed {seed})");
    }
    Ok(())
}
