//! tug's benchmarks: programs that print numbers, with a peer measured in the same run.
//!
//! `tug-bench store` — durable write throughput and latency of tug's embedded store (redb,
//! fsync on) against a local etcd started by the benchmark, at several writer counts.
//!
//! `tug-bench api-latency | api-list | api-watch | api-rss` — the API server (release `tug`
//! binary in a child process) over HTTPS: see `api.rs`.
//!
//! `tug-bench crash | power-loss` — durability: `kill -9` of the release `tug` binary during
//! write bursts, and simulated power loss under the store; see `crash.rs`, `power_loss.rs`.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use clap::{Args, Parser, Subcommand};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tug_store::{Backend, BackendExt};
use tug_store_redb::{RedbBackend, RedbOptions};

mod api;
mod client;
mod crash;
mod power_loss;

#[derive(Parser)]
#[command(name = "tug-bench", about = "tug benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Durable creates per second: tug's redb store against a local etcd.
    Store(StoreArgs),
    /// Pod create and get latency at 50 concurrent HTTPS clients.
    ApiLatency(api::LatencyArgs),
    /// LIST of 10,000 pods as JSON and as Table.
    ApiList(api::ListArgs),
    /// Watch fan-out: 100 watchers of all pods while 1,000 pods are created.
    ApiWatch(api::WatchArgs),
    /// Server RSS idle and holding 10,000 and 150,000 pods.
    ApiRss(api::RssArgs),
    /// kill -9 of the real server during write bursts: every acknowledged write survives.
    Crash(crash::CrashArgs),
    /// Simulated power loss under the redb store: every acknowledged write survives.
    PowerLoss(power_loss::PowerLossArgs),
}

#[derive(Args, Clone)]
struct StoreArgs {
    /// Writer counts to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,64")]
    writers: Vec<usize>,
    /// Measured seconds per backend and writer count (after the warm-up).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Warm-up seconds before measuring; default: a fifth of --seconds, between 0.2 and 1.
    #[arg(long)]
    warmup: Option<f64>,
    /// Bytes per value.
    #[arg(long, default_value_t = 1024)]
    value_size: usize,
    /// The etcd binary (default: `etcd` on PATH, from Debian's etcd-server package).
    #[arg(long)]
    etcd_bin: Option<PathBuf>,
    /// tug's write-ahead log size in MiB (0: no log, every batch a durable redb commit);
    /// default: the store's default.
    #[arg(long)]
    wal_mib: Option<u64>,
    /// Measure tug only, without etcd (for profiling): prints no ratios.
    #[arg(long)]
    tug_only: bool,
    /// Where the temporary data directories go (default: the system temp dir). Use a real
    /// disk: on tmpfs fsync is free and the numbers mean nothing.
    #[arg(long)]
    dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let result = match Cli::parse().command {
        Command::Store(args) => store_bench(args).await,
        Command::ApiLatency(args) => api::latency(args).await,
        Command::ApiList(args) => api::list(args).await,
        Command::ApiWatch(args) => api::watch(args).await,
        Command::ApiRss(args) => api::rss(args).await,
        Command::Crash(args) => crash::run(args).await,
        Command::PowerLoss(args) => power_loss::run(args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// What one backend did at one writer count.
struct Measured {
    writes: u64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
    note: String,
}

impl Measured {
    fn rate(&self) -> f64 {
        self.writes as f64 / self.seconds
    }
}

/// The timing of a run: warm up until `measure_from`, measure until `until`.
#[derive(Clone, Copy)]
struct Window {
    measure_from: Instant,
    until: Instant,
}

impl Window {
    fn new(warmup: Duration, measure: Duration) -> Self {
        let measure_from = Instant::now() + warmup;
        Self {
            measure_from,
            until: measure_from + measure,
        }
    }

    fn seconds(&self) -> f64 {
        (self.until - self.measure_from).as_secs_f64()
    }
}

/// Latencies of the writes that completed inside the measured window.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    /// Records a write that started at `started` and finished now; false once time is up.
    fn record(&mut self, window: &Window, started: Instant) -> bool {
        let done = Instant::now();
        if done >= window.measure_from && done <= window.until {
            self.0.push(done - started);
        }
        done < window.until
    }
}

fn summarize(mut all: Vec<Duration>, window: &Window, note: String) -> Measured {
    all.sort_unstable();
    let pct = |p: usize| {
        all.get((all.len() * p / 100).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Measured {
        writes: all.len() as u64,
        seconds: window.seconds(),
        p50: pct(50),
        p99: pct(99),
        note,
    }
}

fn key(writer: usize, n: u64) -> String {
    format!("/registry/bench/w{writer:03}/{n:010}")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_line(name: &str, writers: usize, m: &Measured) {
    println!(
        "{name:<10} writers={writers:<4} writes/s={:>9.0}  p50={:>7.2}ms  p99={:>7.2}ms  ({} writes in {:.1}s{})",
        m.rate(),
        ms(m.p50),
        ms(m.p99),
        m.writes,
        m.seconds,
        m.note
    );
}

async fn store_bench(args: StoreArgs) -> Result<()> {
    ensure!(args.seconds > 0.0, "--seconds must be positive");
    ensure!(
        !args.writers.is_empty(),
        "--writers needs at least one count"
    );
    ensure!(
        args.writers.iter().all(|&w| w > 0),
        "writer counts must be positive"
    );
    let etcd = if args.tug_only {
        None
    } else {
        let bin = find_etcd(args.etcd_bin.as_deref())?;
        let version = etcd_version(&bin).await?;
        Some((bin, version))
    };
    let measure = Duration::from_secs_f64(args.seconds);
    let warmup =
        Duration::from_secs_f64(args.warmup.unwrap_or((args.seconds / 5.0).clamp(0.2, 1.0)));
    let base_dir = args.dir.clone().unwrap_or_else(std::env::temp_dir);
    let value = Bytes::from(vec![b'x'; args.value_size]);

    println!(
        "store benchmark: creates of distinct keys, {} B values, {:.1}s warm-up + {:.1}s measured per run, data in {}",
        args.value_size,
        warmup.as_secs_f64(),
        measure.as_secs_f64(),
        base_dir.display()
    );
    println!(
        "  tug:  tug-store-redb with default options (group commit; each batch fdatasync'd in the write-ahead log, redb checkpoints), create = txn with mod_revision == 0 compare"
    );
    match &etcd {
        Some((bin, version)) => println!(
            "  etcd: {version} at {}, driven through its v3 JSON gRPC-gateway (POST /v3/kv/put, HTTP/1.1 keep-alive, one connection per writer)",
            bin.display()
        ),
        None => println!("  etcd: not measured (--tug-only)"),
    }

    let mut tug_rates = Vec::new();
    let mut etcd_rates = Vec::new();
    for &writers in &args.writers {
        let mut options = RedbOptions::default();
        if let Some(mib) = args.wal_mib {
            options.wal_size_bytes = mib * 1024 * 1024;
        }
        let tug = run_tug(writers, warmup, measure, &value, &base_dir, options).await?;
        print_line("tug", writers, &tug);
        tug_rates.push((writers, tug.rate()));
        if let Some((bin, _)) = &etcd {
            let etcd = run_etcd(bin, writers, warmup, measure, &value, &base_dir).await?;
            print_line("etcd", writers, &etcd);
            let ratio = tug.rate() / etcd.rate().max(f64::MIN_POSITIVE);
            println!("ratio      writers={writers:<4} tug/etcd={ratio:.2}x");
            etcd_rates.push((etcd.rate(), ratio));
        }
    }
    let mut line = String::from("result:");
    for (i, (w, tug)) in tug_rates.iter().enumerate() {
        line.push_str(&format!(" tug_w{w}={tug:.0}"));
        if let Some((etcd, _)) = etcd_rates.get(i) {
            line.push_str(&format!(" etcd_w{w}={etcd:.0}"));
        }
    }
    for ((w, _), (_, ratio)) in tug_rates.iter().zip(&etcd_rates) {
        line.push_str(&format!(" ratio_w{w}={ratio:.2}"));
    }
    println!("{line}");
    Ok(())
}

async fn run_tug(
    writers: usize,
    warmup: Duration,
    measure: Duration,
    value: &Bytes,
    base_dir: &Path,
    options: RedbOptions,
) -> Result<Measured> {
    let dir = tempfile::Builder::new()
        .prefix("tug-bench-redb")
        .tempdir_in(base_dir)
        .context("creating the tug data dir")?;
    let store = Arc::new(
        RedbBackend::open(&dir.path().join("bench.redb"), options)
            .context("opening the redb store")?,
    );
    let window = Window::new(warmup, measure);
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        let value = value.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Samples::default();
            for n in 0.. {
                let started = Instant::now();
                store
                    .create(&key(w, n), value.clone())
                    .await
                    .with_context(|| format!("tug create {}", key(w, n)))?;
                if !samples.record(&window, started) {
                    break;
                }
            }
            anyhow::Ok(samples.0)
        }));
    }
    tokio::time::sleep_until(window.measure_from.into()).await;
    let before = store.stats();
    tokio::time::sleep_until(window.until.into()).await;
    let after = store.stats();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.context("tug writer task")??);
    }
    let commits = after.commits - before.commits;
    let txns = after.txns - before.txns;
    let note = format!(
        "; {commits} group commits, {:.1} txns/commit, {} checkpoints",
        txns as f64 / commits.max(1) as f64,
        after.checkpoints - before.checkpoints
    );
    let revision = store.current_revision().await?;
    ensure!(revision > 0, "tug wrote nothing");
    Ok(summarize(all, &window, note))
}

fn find_etcd(explicit: Option<&Path>) -> Result<PathBuf> {
    const INSTALL: &str = "install it with `apt-get update && apt-get install -y etcd-server` \
                           (Debian's etcd 3.4), or pass --etcd-bin PATH";
    if let Some(path) = explicit {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        bail!("etcd binary {} not found; {INSTALL}", path.display());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("etcd"))
        .find(|candidate| candidate.is_file())
        .with_context(|| format!("no `etcd` binary on PATH: the store benchmark compares tug with a local etcd; {INSTALL}"))
}

async fn etcd_version(bin: &Path) -> Result<String> {
    let out = tokio::process::Command::new(bin)
        .arg("--version")
        .output()
        .await
        .with_context(|| format!("running {} --version", bin.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .next()
        .unwrap_or("etcd (unknown version)")
        .trim()
        .to_string())
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// A local single-member etcd in a temporary data dir, killed on drop.
struct Etcd {
    child: tokio::process::Child,
    client: SocketAddr,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Etcd {
    async fn start(bin: &Path, base_dir: &Path) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("tug-bench-etcd")
            .tempdir_in(base_dir)
            .context("creating the etcd data dir")?;
        let client_port = free_port()?;
        let peer_port = free_port()?;
        let client_url = format!("http://127.0.0.1:{client_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let log = dir.path().join("etcd.log");
        let log_file = std::fs::File::create(&log).context("creating the etcd log")?;
        let child = tokio::process::Command::new(bin)
            .arg("--name=tug-bench")
            .arg(format!("--data-dir={}", dir.path().join("data").display()))
            .arg(format!("--listen-client-urls={client_url}"))
            .arg(format!("--advertise-client-urls={client_url}"))
            .arg(format!("--listen-peer-urls={peer_url}"))
            .arg(format!("--initial-advertise-peer-urls={peer_url}"))
            .arg(format!("--initial-cluster=tug-bench={peer_url}"))
            .arg("--initial-cluster-state=new")
            .arg("--logger=zap")
            .arg("--log-level=warn")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let mut etcd = Etcd {
            child,
            client: SocketAddr::from(([127, 0, 0, 1], client_port)),
            log,
            _dir: dir,
        };
        etcd.wait_healthy(Duration::from_secs(30)).await?;
        Ok(etcd)
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    async fn wait_healthy(&mut self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "etcd exited during start-up ({status}):\n{}",
                    self.log_tail()
                );
            }
            if let Ok(mut conn) = connect(self.client).await
                && let Ok((status, body)) = conn.request(Method::GET, "/health", Bytes::new()).await
                && status == StatusCode::OK
                && body.windows(6).any(|w| w == b"\"true\"")
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("etcd not healthy after {timeout:?}:\n{}", self.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn stop(mut self) -> Result<()> {
        self.child.start_kill().ok();
        self.child
            .wait()
            .await
            .context("waiting for etcd to exit")?;
        Ok(())
    }
}

/// One HTTP/1.1 keep-alive connection.
struct Conn {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

async fn connect(addr: SocketAddr) -> Result<Conn> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        // Ends when the sender is dropped or the server closes; errors show up on requests.
        let _ = connection.await;
    });
    Ok(Conn {
        sender,
        host: addr.to_string(),
    })
}

impl Conn {
    async fn request(
        &mut self,
        method: Method,
        path: &str,
        body: Bytes,
    ) -> Result<(StatusCode, Bytes)> {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, &self.host)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))?;
        self.sender.ready().await?;
        let resp = self.sender.send_request(req).await?;
        let status = resp.status();
        let body = resp.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }
}

async fn run_etcd(
    bin: &Path,
    writers: usize,
    warmup: Duration,
    measure: Duration,
    value: &Bytes,
    base_dir: &Path,
) -> Result<Measured> {
    let etcd = Etcd::start(bin, base_dir).await?;
    let value_b64: Arc<str> = BASE64.encode(value).into();
    let mut conns = Vec::with_capacity(writers);
    for _ in 0..writers {
        conns.push(connect(etcd.client).await.context("connecting to etcd")?);
    }
    let window = Window::new(warmup, measure);
    let mut tasks = Vec::new();
    for (w, mut conn) in conns.into_iter().enumerate() {
        let value_b64 = value_b64.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Samples::default();
            for n in 0.. {
                let body = format!(
                    r#"{{"key":"{}","value":"{value_b64}"}}"#,
                    BASE64.encode(key(w, n))
                );
                let started = Instant::now();
                let (status, reply) = conn
                    .request(Method::POST, "/v3/kv/put", Bytes::from(body))
                    .await
                    .context("etcd put")?;
                if status != StatusCode::OK {
                    bail!(
                        "etcd put answered {status}: {}",
                        String::from_utf8_lossy(&reply)
                    );
                }
                if !samples.record(&window, started) {
                    break;
                }
            }
            anyhow::Ok(samples.0)
        }));
    }
    let mut all = Vec::new();
    let mut failure = None;
    for t in tasks {
        match t.await.context("etcd writer task").and_then(|r| r) {
            Ok(samples) => all.extend(samples),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    let tail = etcd.log_tail();
    etcd.stop().await?;
    if let Some(e) = failure {
        return Err(e.context(format!("etcd log tail:\n{tail}")));
    }
    Ok(summarize(all, &window, String::new()))
}
