//! `tug-bench crash`: many rounds of `kill -9` of the real `tug server` during a concurrent
//! write burst over HTTPS, each followed by a restart and a check that every acknowledged
//! write is there. The rounds and checks are those of the end-to-end crash test
//! (`crates/tug/tests/crash/harness.rs`, compiled into this module), only more of them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use clap::Args;

#[path = "../../tug/tests/crash/harness.rs"]
mod harness;

#[derive(Args, Clone)]
pub struct CrashArgs {
    /// Kill/restart rounds, all on one data directory.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// Concurrent writers (one HTTPS keep-alive connection each).
    #[arg(long, default_value_t = 8)]
    writers: usize,
    /// The kill comes a random number of milliseconds after the burst starts, in LOW-HIGH.
    #[arg(long, value_name = "LOW-HIGH", default_value = "100-400")]
    kill_after_ms: String,
    /// The `tug` binary (default: `tug` next to this benchmark, i.e. target/release/tug
    /// after `cargo build --release -p tug`).
    #[arg(long)]
    tug_bin: Option<PathBuf>,
    /// Where the data directory goes (default: the system temp dir). It is kept after a
    /// failure.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Seed of the random choices (default: random; printed).
    #[arg(long)]
    seed: Option<u64>,
}

fn tug_binary(explicit: Option<&Path>) -> Result<PathBuf> {
    const BUILD: &str = "build it with `cargo build --release -p tug`, or pass --tug-bin PATH";
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => std::env::current_exe()
            .context("locating the benchmark binary")?
            .with_file_name("tug"),
    };
    if !path.is_file() {
        bail!("the tug binary {} does not exist: {BUILD}", path.display());
    }
    Ok(path)
}

/// Starts `bin server` on `dir` and reads its `export KUBECONFIG=` line (as the end-to-end
/// tests' `spawn_server` does with the test build).
fn spawn_server(bin: &Path, dir: &Path) -> Result<(Child, PathBuf), String> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .map_err(|e| format!("cannot open server.log: {e}"))?;
    let mut child = Command::new(bin)
        .args(["server", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("reading tug's stdout: {e}"))?;
    match line.trim().strip_prefix("export KUBECONFIG=") {
        Some(path) => Ok((child, PathBuf::from(path))),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Err(format!(
                "tug server printed {line:?} instead of the kubeconfig line; see {}",
                dir.join("server.log").display()
            ))
        }
    }
}

fn parse_range(s: &str) -> Result<(u64, u64)> {
    let (lo, hi) = s
        .split_once('-')
        .with_context(|| format!("--kill-after-ms {s:?}: expected LOW-HIGH"))?;
    let (lo, hi): (u64, u64) = (lo.trim().parse()?, hi.trim().parse()?);
    ensure!(lo <= hi, "--kill-after-ms {s:?}: LOW above HIGH");
    Ok((lo, hi))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn run(args: CrashArgs) -> Result<()> {
    ensure!(
        args.rounds > 0 && args.writers > 0,
        "--rounds and --writers must be positive"
    );
    let bin = tug_binary(args.tug_bin.as_deref())?;
    let kill_after_ms = parse_range(&args.kill_after_ms)?;
    let seed = args.seed.unwrap_or_else(rand::random);
    let base = args.dir.clone().unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new()
        .prefix("tug-bench-crash")
        .tempdir_in(&base)
        .context("creating the data dir")?;
    println!(
        "crash: {} rounds of {} concurrent writers (ConfigMap create/update/delete over HTTPS), \
         kill -9 after {}-{} ms, restart, check every acknowledged write; {} on {} (seed {seed})",
        args.rounds,
        args.writers,
        kill_after_ms.0,
        kill_after_ms.1,
        bin.display(),
        dir.path().display()
    );
    let started = Instant::now();
    let spawn: harness::Spawn = {
        let bin = bin.clone();
        Arc::new(move |dir: &Path| spawn_server(&bin, dir))
    };
    let config = harness::Config {
        writers: args.writers,
        kill_after_ms,
        seed,
    };
    let mut crash = harness::Crash::start(spawn, dir.path(), config).await?;
    let (mut acknowledged, mut creates, mut updates, mut deletes, mut lost) = (0, 0, 0, 0, 0);
    let mut problems = Vec::new();
    let mut restarts = Vec::new();
    let mut done = 0;
    let mut failure = None;
    for i in 1..=args.rounds {
        match crash.round().await {
            Ok(r) => {
                println!(
                    "round {i:>3}/{}: killed after {:>3} ms: {:>5} acknowledged ({} creates, {} updates, {} deletes), \
                     restart {:>6.1} ms, {:>6} objects checked, max acked rv {} -> next {}, lost {}",
                    args.rounds,
                    r.kill_after.as_millis(),
                    r.acknowledged,
                    r.creates,
                    r.updates,
                    r.deletes,
                    ms(r.restart),
                    r.checked,
                    r.max_acked_rv,
                    r.probe_rv,
                    r.lost
                );
                for p in &r.problems {
                    println!("  problem: {p}");
                }
                acknowledged += r.acknowledged;
                creates += r.creates;
                updates += r.updates;
                deletes += r.deletes;
                lost += r.lost;
                problems.extend(r.problems);
                restarts.push(r.restart);
                done += 1;
            }
            Err(e) => {
                println!("round {i:>3}/{}: FAILED: {e:#}", args.rounds);
                failure = Some(e);
                break;
            }
        }
    }
    crash.stop();
    restarts.sort_unstable();
    let restart_p50 = restarts
        .get(restarts.len() / 2)
        .copied()
        .unwrap_or_default();
    let restart_max = restarts.last().copied().unwrap_or_default();
    println!(
        "result: rounds={done} acknowledged={acknowledged} lost={lost} problems={} creates={creates} \
         updates={updates} deletes={deletes} restart_p50_ms={:.0} restart_max_ms={:.0} seconds={:.1}{}",
        problems.len(),
        ms(restart_p50),
        ms(restart_max),
        started.elapsed().as_secs_f64(),
        if failure.is_some() { " failed=1" } else { "" }
    );
    if failure.is_some() || lost > 0 || !problems.is_empty() {
        let kept = dir.keep();
        let why = match failure {
            Some(e) => format!("{e:#}"),
            None => format!(
                "{lost} acknowledged writes lost, {} problems",
                problems.len()
            ),
        };
        bail!(
            "{why} (data directory kept: {}; seed {seed})",
            kept.display()
        );
    }
    Ok(())
}
