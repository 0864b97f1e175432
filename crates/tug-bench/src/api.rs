//! API server benchmarks (issue 4, item 3): the real release `tug server` in a child process,
//! driven from this process over HTTPS with keep-alive connections and the admin client
//! certificate. Each scenario warms up, repeats, prints one line per repetition, the medians,
//! and ends with one `result: key=value ...` line.
//!
//! The client shares the machine's cores with the server, so it is kept cheap (no JSON decoding
//! on the measured paths except what a real client must do to follow a list) and its own CPU
//! time is printed beside the server's, so a reader can see when the client was the limit.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use bytes::Bytes;
use clap::Args;
use http_body_util::BodyExt;
use hyper::{Method, StatusCode};

use crate::client::{
    ACCEPT_TABLE, ApiClient, Conn, Kubeconfig, Memory, Proto, TugServer, cpu_seconds,
    describe_binary, expect_status, find_tug, wait_ready,
};

/// Where the server comes from and how clients talk to it; shared by every API scenario.
#[derive(Args, Clone)]
pub struct ServerOpts {
    /// The `tug` binary (default: `tug` next to this executable, i.e. `target/release/tug`;
    /// build it with `cargo build --release -p tug`).
    #[arg(long)]
    tug_bin: Option<PathBuf>,
    /// Where the server's temporary data directory goes (default: the system temp dir). Use
    /// a real disk: on tmpfs fsync is free and the numbers mean nothing.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// HTTP version of the client connections.
    #[arg(long, value_enum, default_value_t = Proto::Http1)]
    proto: Proto,
    /// A profiler to attach to the server for the measured part (not the fill phases), e.g.
    /// `perf record -e cpu-clock -F 999 -g -p {pid} -o perf.data`; `{pid}` is replaced by the
    /// server's pid. It is stopped with SIGINT at the end. Numbers taken while it runs are
    /// perturbed: do not record them.
    #[arg(long, value_name = "COMMAND")]
    attach: Option<String>,
}

/// A started server with a client for it.
struct Bench {
    server: TugServer,
    client: ApiClient,
}

impl Bench {
    async fn start(opts: &ServerOpts) -> Result<Bench> {
        let bin = find_tug(opts.tug_bin.as_deref())?;
        let base = opts.dir.clone().unwrap_or_else(std::env::temp_dir);
        let server = TugServer::start(&bin, &base).await?;
        let kubeconfig = Kubeconfig::load(&server.kubeconfig)?;
        let client = ApiClient::new(&kubeconfig, opts.proto)?;
        wait_ready(&client).await?;
        println!("  server pid {}", server.pid());
        Ok(Bench { server, client })
    }

    /// Starts `--attach`, if given, on the server; stop it with `Attached::stop`.
    async fn attach(&self, opts: &ServerOpts) -> Result<Option<Attached>> {
        let Some(cmd) = &opts.attach else {
            return Ok(None);
        };
        let cmd = cmd.replace("{pid}", &self.server.pid().to_string());
        let mut words = cmd.split_whitespace();
        let program = words.next().context("--attach is empty")?;
        let child = tokio::process::Command::new(program)
            .args(words)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {cmd}"))?;
        println!("  attached: {cmd}");
        // Give the profiler time to attach before the measured load starts.
        tokio::time::sleep(Duration::from_secs(1)).await;
        Ok(Some(Attached(child)))
    }

    /// Server and benchmark-client CPU seconds so far.
    fn cpu(&self) -> Result<(f64, f64)> {
        Ok((self.server.cpu_seconds()?, cpu_seconds("self")?))
    }

    async fn connect_many(&self, n: usize) -> Result<Vec<Conn>> {
        let mut conns = Vec::with_capacity(n);
        for _ in 0..n {
            conns.push(self.client.connect().await?);
        }
        Ok(conns)
    }
}

/// A profiler attached to the server.
struct Attached(tokio::process::Child);

impl Attached {
    /// Interrupts the profiler (perf writes its data on SIGINT) and waits for it.
    async fn stop(mut self) -> Result<()> {
        if let Some(pid) = self.0.id() {
            tokio::process::Command::new("kill")
                .args(["-INT", &pid.to_string()])
                .status()
                .await
                .context("interrupting the profiler")?;
        }
        self.0.wait().await.context("waiting for the profiler")?;
        Ok(())
    }
}

async fn stop_attached(attached: Option<Attached>) -> Result<()> {
    match attached {
        Some(a) => a.stop().await,
        None => Ok(()),
    }
}

fn print_header(what: &str, opts: &ServerOpts) -> Result<()> {
    let bin = find_tug(opts.tug_bin.as_deref())?;
    println!("{what}");
    println!(
        "  server: {} server --listen 127.0.0.1:0, fresh data dir in {}",
        describe_binary(&bin),
        opts.dir
            .clone()
            .unwrap_or_else(std::env::temp_dir)
            .display()
    );
    println!(
        "  client: this process, HTTPS ({:?}, keep-alive), admin client certificate; {} cores shared with the server",
        opts.proto,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    Ok(())
}

const PODS: &str = "/api/v1/namespaces/default/pods";

/// A pod as `kubectl run` leaves it on a real cluster after admission and defaulting (service
/// account token volume, default tolerations, priority), with requests, a port and env vars:
/// ~1.6 KiB of JSON. `@NAME@` and `@CLIENT@` are substituted.
const POD_TEMPLATE: &str = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"@NAME@","namespace":"default","labels":{"app":"bench","client":"c@CLIENT@","tier":"web"},"annotations":{"bench.tug.dev/purpose":"api-benchmark"}},"spec":{"containers":[{"name":"app","image":"registry.k8s.io/nginx:1.27.3","imagePullPolicy":"IfNotPresent","ports":[{"containerPort":80,"name":"http","protocol":"TCP"}],"env":[{"name":"MODE","value":"bench"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],"resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"100m","memory":"64Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","volumeMounts":[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"kube-api-access-7xk2p","readOnly":true}]}],"dnsPolicy":"ClusterFirst","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority","priority":0,"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"serviceAccount":"default","serviceAccountName":"default","terminationGracePeriodSeconds":30,"tolerations":[{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300},{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}],"volumes":[{"name":"kube-api-access-7xk2p","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}}]}}"#;

fn pod_body(name: &str, client: usize) -> Bytes {
    Bytes::from(
        POD_TEMPLATE
            .replace("@NAME@", name)
            .replace("@CLIENT@", &client.to_string()),
    )
}

async fn create_pod(conn: &mut Conn, name: &str, client: usize) -> Result<()> {
    let (status, body) = conn
        .post(PODS, pod_body(name, client))
        .await
        .with_context(|| format!("creating pod {name}"))?;
    expect_status(
        &format!("create pod {name}"),
        StatusCode::CREATED,
        status,
        &body,
    )
}

/// The value at percentile `p` (nearest rank) of sorted samples; NaN if there are none.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn median(v: &[f64]) -> f64 {
    let v = sorted(v.to_vec());
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A target's verdict for humans and for the `result:` line. Targets are stated for the
/// default parameters; other parameters are measured but not judged.
struct Verdict {
    applies: bool,
    ok: bool,
}

impl Verdict {
    fn text(&self) -> &'static str {
        match (self.applies, self.ok) {
            (false, _) => "not judged (the target is for the default parameters)",
            (true, true) => "met",
            (true, false) => "MISSED",
        }
    }

    fn key(&self) -> &'static str {
        match (self.applies, self.ok) {
            (false, _) => "n/a",
            (true, true) => "yes",
            (true, false) => "no",
        }
    }
}

/// Pods created by `create_many`.
struct Created {
    seconds: f64,
    /// When each pod's create was sent, by index.
    sent: Vec<Instant>,
    /// When each pod's create was acknowledged, by index.
    acks: Vec<Instant>,
}

impl Created {
    fn rate(&self) -> f64 {
        self.acks.len() as f64 / self.seconds
    }
}

/// Creates pods `{prefix}{i:07}` for i in `from..to` with `concurrency` clients, each on its
/// own connection, as fast as the server answers or at `rate` creates/s overall (0: no limit).
async fn create_many(
    client: &ApiClient,
    prefix: &str,
    from: usize,
    to: usize,
    concurrency: usize,
    rate: f64,
) -> Result<Created> {
    let count = to.saturating_sub(from);
    let mut conns = Vec::new();
    for _ in 0..concurrency.clamp(1, count.max(1)) {
        conns.push(client.connect().await?);
    }
    let next = Arc::new(AtomicUsize::new(from));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (c, mut conn) in conns.into_iter().enumerate() {
        let next = next.clone();
        let prefix = prefix.to_string();
        tasks.push(tokio::spawn(async move {
            let mut acks = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= to {
                    break;
                }
                if rate > 0.0 {
                    let due = start + Duration::from_secs_f64((i - from) as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                }
                let sent = Instant::now();
                create_pod(&mut conn, &format!("{prefix}{i:07}"), c).await?;
                acks.push((i - from, sent, Instant::now()));
            }
            anyhow::Ok(acks)
        }));
    }
    let mut sent = vec![start; count];
    let mut acks = vec![start; count];
    for t in tasks {
        for (i, s, a) in t.await.context("creator task")?? {
            sent[i] = s;
            acks[i] = a;
        }
    }
    Ok(Created {
        seconds: start.elapsed().as_secs_f64(),
        sent,
        acks,
    })
}

// ---------------------------------------------------------------------------------------
// api-latency

#[derive(Args, Clone)]
pub struct LatencyArgs {
    /// Concurrent clients, each with its own connection, each one request at a time.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Measured seconds per phase (create, then get) and repetition.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Warm-up seconds before each measured phase (same load, not recorded).
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Repetitions (on one server; the pods of earlier repetitions stay).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    #[command(flatten)]
    server: ServerOpts,
}

/// The target of issue 4: p99 of mutating requests at 50 clients.
const CREATE_P99_TARGET_MS: f64 = 25.0;

/// One measured phase: latencies (ms, sorted) and the CPU both processes used.
struct Phase {
    lat: Vec<f64>,
    seconds: f64,
    server_cpu: f64,
    client_cpu: f64,
}

impl Phase {
    fn rate(&self) -> f64 {
        self.lat.len() as f64 / self.seconds
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{what:<6} {:>7} req  {:>7.0} req/s  p50={:>6.2}ms  p99={:>6.2}ms  max={:>7.2}ms  server cpu {:.2} cores, client cpu {:.2} cores",
            self.lat.len(),
            self.rate(),
            pct(&self.lat, 50.0),
            pct(&self.lat, 99.0),
            self.lat.last().copied().unwrap_or(f64::NAN),
            self.server_cpu / self.seconds,
            self.client_cpu / self.seconds,
        )
    }
}

#[derive(Clone, Copy)]
enum Op {
    Create,
    Get,
}

/// Runs `op` on every connection in a closed loop: warm-up, then the measured window.
/// Returns the connections, the phase and the names created (for `Create`).
async fn run_phase(
    bench: &Bench,
    conns: Vec<Conn>,
    op: Op,
    rep: usize,
    names: Arc<Vec<String>>,
    warmup: Duration,
    measure: Duration,
) -> Result<(Vec<Conn>, Phase, Vec<String>)> {
    let measure_from = Instant::now() + warmup;
    let until = measure_from + measure;
    let mut tasks = Vec::new();
    for (c, mut conn) in conns.into_iter().enumerate() {
        let names = names.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut created = Vec::new();
            // xorshift64: a fixed, per-client sequence of pods to read.
            let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ ((c as u64 + 1) << 17);
            for n in 0usize.. {
                let started = Instant::now();
                match op {
                    Op::Create => {
                        let name = format!("lat-{rep}-{c:03}-{n:07}");
                        create_pod(&mut conn, &name, c).await?;
                        created.push(name);
                    }
                    Op::Get => {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        let name = &names[(rng % names.len() as u64) as usize];
                        let (status, body) = conn.get(&format!("{PODS}/{name}")).await?;
                        expect_status(&format!("get pod {name}"), StatusCode::OK, status, &body)?;
                    }
                }
                let done = Instant::now();
                if done >= measure_from && done <= until {
                    lat.push(ms(done - started));
                }
                if done >= until {
                    break;
                }
            }
            anyhow::Ok((conn, lat, created))
        }));
    }
    tokio::time::sleep_until(measure_from.into()).await;
    let (s0, c0) = bench.cpu()?;
    tokio::time::sleep_until(until.into()).await;
    let (s1, c1) = bench.cpu()?;
    let mut conns = Vec::new();
    let mut lat = Vec::new();
    let mut created = Vec::new();
    for t in tasks {
        let (conn, l, c) = t.await.context("client task")??;
        conns.push(conn);
        lat.extend(l);
        created.extend(c);
    }
    let phase = Phase {
        lat: sorted(lat),
        seconds: measure.as_secs_f64(),
        server_cpu: s1 - s0,
        client_cpu: c1 - c0,
    };
    Ok((conns, phase, created))
}

pub async fn latency(args: LatencyArgs) -> Result<()> {
    ensure!(
        args.clients > 0 && args.repeat > 0,
        "--clients and --repeat must be positive"
    );
    ensure!(
        args.seconds > 0.0 && args.warmup >= 0.0,
        "bad --seconds/--warmup"
    );
    print_header(
        &format!(
            "api-latency: {} clients (one connection each, closed loop); per repetition {:.0}s warm-up + {:.0}s measured of pod creates, then the same of pod gets; {} repetitions",
            args.clients, args.warmup, args.seconds, args.repeat
        ),
        &args.server,
    )?;
    let bench = Bench::start(&args.server).await?;
    let mut conns = bench.connect_many(args.clients).await?;
    let warmup = Duration::from_secs_f64(args.warmup);
    let measure = Duration::from_secs_f64(args.seconds);
    let attached = bench.attach(&args.server).await?;
    let mut creates = Vec::new();
    let mut gets = Vec::new();
    for rep in 0..args.repeat {
        let (c, create, names) = run_phase(
            &bench,
            conns,
            Op::Create,
            rep,
            Arc::new(Vec::new()),
            warmup,
            measure,
        )
        .await?;
        println!("rep {rep}: {}", create.line("create"));
        ensure!(!names.is_empty(), "no pod was created");
        let (c, get, _) =
            run_phase(&bench, c, Op::Get, rep, Arc::new(names), warmup, measure).await?;
        println!("rep {rep}: {}", get.line("get"));
        conns = c;
        creates.push(create);
        gets.push(get);
    }
    stop_attached(attached).await?;
    let med = |v: &[Phase], f: &dyn Fn(&Phase) -> f64| median(&v.iter().map(f).collect::<Vec<_>>());
    let create_p50 = med(&creates, &|p| pct(&p.lat, 50.0));
    let create_p99 = med(&creates, &|p| pct(&p.lat, 99.0));
    let create_rate = med(&creates, &Phase::rate);
    let get_p50 = med(&gets, &|p| pct(&p.lat, 50.0));
    let get_p99 = med(&gets, &|p| pct(&p.lat, 99.0));
    let get_rate = med(&gets, &Phase::rate);
    let verdict = Verdict {
        applies: args.clients == 50,
        ok: create_p99 < CREATE_P99_TARGET_MS,
    };
    println!(
        "median of {} reps: create p50={create_p50:.2}ms p99={create_p99:.2}ms {create_rate:.0}/s; get p50={get_p50:.2}ms p99={get_p99:.2}ms {get_rate:.0}/s",
        args.repeat
    );
    println!(
        "target (issue 4): mutating p99 < {CREATE_P99_TARGET_MS} ms at 50 clients: {}",
        verdict.text()
    );
    println!(
        "result: clients={} create_p50_ms={create_p50:.2} create_p99_ms={create_p99:.2} create_per_s={create_rate:.0} get_p50_ms={get_p50:.2} get_p99_ms={get_p99:.2} get_per_s={get_rate:.0} create_p99_target_met={}",
        args.clients,
        verdict.key()
    );
    drop(conns);
    bench.server.stop().await
}

// ---------------------------------------------------------------------------------------
// api-list

#[derive(Args, Clone)]
pub struct ListArgs {
    /// Pods to create before listing.
    #[arg(long, default_value_t = 10_000)]
    pods: usize,
    /// Concurrent creators (each its own connection) while filling the server.
    #[arg(long, default_value_t = 50)]
    creators: usize,
    /// Measured repetitions of each kind of LIST.
    #[arg(long, default_value_t = 5)]
    repeat: usize,
    /// Warm-up LISTs of each kind before measuring.
    #[arg(long, default_value_t = 2)]
    warmup: usize,
    /// Page size of the paginated Table LIST (what `kubectl get pods` does: --chunk-size 500).
    #[arg(long, default_value_t = 500)]
    page: usize,
    #[command(flatten)]
    server: ServerOpts,
}

const LIST_TARGET_MS: f64 = 300.0;

/// One timed LIST (all pages): time to the first byte, total time, bytes and items.
struct Listed {
    ttfb_ms: f64,
    total_ms: f64,
    bytes: usize,
    items: usize,
}

#[derive(serde::Deserialize)]
struct ListBody {
    #[serde(default)]
    items: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    rows: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    metadata: ListMeta,
}

#[derive(serde::Deserialize, Default)]
struct ListMeta {
    #[serde(default, rename = "continue")]
    continue_: Option<String>,
    #[serde(default, rename = "resourceVersion")]
    resource_version: Option<String>,
}

/// LISTs `PODS` (following continue tokens when `page > 0`), reading every byte. The clock
/// stops when the last byte is in; the body is decoded only to count items and, for pages,
/// to find the continue token (which a real client must also do).
async fn timed_list(conn: &mut Conn, accept: &str, page: usize) -> Result<Listed> {
    let started = Instant::now();
    let mut ttfb = None;
    let mut bytes = 0;
    let mut items = 0;
    let mut token: Option<String> = None;
    loop {
        let mut path = PODS.to_string();
        if page > 0 {
            path.push_str(&format!("?limit={page}"));
            if let Some(t) = &token {
                path.push_str(&format!("&continue={t}"));
            }
        }
        let resp = conn.send(Method::GET, &path, accept, Bytes::new()).await?;
        let status = resp.status();
        let mut body = resp.into_body();
        let mut buf = Vec::new();
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame?.into_data() {
                ttfb.get_or_insert_with(|| started.elapsed());
                buf.extend_from_slice(&data);
            }
        }
        let read = started.elapsed();
        expect_status("list pods", StatusCode::OK, status, &buf)?;
        bytes += buf.len();
        let list: ListBody = serde_json::from_slice(&buf).context("decoding a list")?;
        items += list.items.len() + list.rows.len();
        match list
            .metadata
            .continue_
            .filter(|t| page > 0 && !t.is_empty())
        {
            Some(t) => token = Some(t),
            None => {
                // Following pages needs each page decoded (for its token), so that is on
                // the clock; a single LIST is decoded (to count items) after it stopped.
                let total = if page > 0 { started.elapsed() } else { read };
                return Ok(Listed {
                    ttfb_ms: ms(ttfb.unwrap_or(total)),
                    total_ms: ms(total),
                    bytes,
                    items,
                });
            }
        }
    }
}

pub async fn list(args: ListArgs) -> Result<()> {
    ensure!(
        args.pods > 0 && args.repeat > 0,
        "--pods and --repeat must be positive"
    );
    print_header(
        &format!(
            "api-list: LIST of {} pods in one namespace, full response read, as JSON and as Table (one request each), and as Table in pages of {} (kubectl get's default); {} warm-up + {} measured per kind",
            args.pods, args.page, args.warmup, args.repeat
        ),
        &args.server,
    )?;
    let bench = Bench::start(&args.server).await?;
    let created = create_many(&bench.client, "list-", 0, args.pods, args.creators, 0.0).await?;
    println!(
        "created {} pods in {:.1}s ({:.0}/s with {} creators)",
        args.pods,
        created.seconds,
        created.rate(),
        args.creators
    );
    let mem = bench.server.memory()?;
    println!(
        "server rss {:.1} MB (peak {:.1} MB) after creating",
        mem.rss_mb(),
        mem.hwm_mb()
    );
    let kinds: [(&str, &str, usize); 3] = [
        ("json", "application/json", 0),
        ("table", ACCEPT_TABLE, 0),
        ("table_paged", ACCEPT_TABLE, args.page),
    ];
    let mut conn = bench.client.connect().await?;
    let attached = bench.attach(&args.server).await?;
    let mut results: Vec<Vec<Listed>> = kinds.iter().map(|_| Vec::new()).collect();
    for round in 0..args.warmup + args.repeat {
        for (k, (name, accept, page)) in kinds.iter().enumerate() {
            let (s0, c0) = bench.cpu()?;
            let l = timed_list(&mut conn, accept, *page).await?;
            let (s1, c1) = bench.cpu()?;
            ensure!(
                l.items == args.pods,
                "{name} list returned {} items, expected {}",
                l.items,
                args.pods
            );
            let tag = if round < args.warmup {
                "warm-up".to_string()
            } else {
                format!("rep {}", round - args.warmup)
            };
            println!(
                "{tag:<8} {name:<12} {:>8.1}ms (first byte {:>7.1}ms)  {:>10} bytes  {} items  server cpu {:.2}s, client cpu {:.2}s",
                l.total_ms,
                l.ttfb_ms,
                l.bytes,
                l.items,
                s1 - s0,
                c1 - c0
            );
            if round >= args.warmup {
                results[k].push(l);
            }
        }
    }
    stop_attached(attached).await?;
    let mem = bench.server.memory()?;
    println!(
        "server rss {:.1} MB (peak {:.1} MB) after the lists",
        mem.rss_mb(),
        mem.hwm_mb()
    );
    let mut line = format!("result: pods={}", args.pods);
    let mut verdicts = Vec::new();
    for ((name, _, _), r) in kinds.iter().zip(&results) {
        let total = median(&r.iter().map(|l| l.total_ms).collect::<Vec<_>>());
        let ttfb = median(&r.iter().map(|l| l.ttfb_ms).collect::<Vec<_>>());
        let bytes = r.first().map_or(0, |l| l.bytes);
        println!(
            "median {name:<12} {total:>8.1}ms (first byte {ttfb:.1}ms), {bytes} bytes ({:.0} bytes/pod)",
            bytes as f64 / args.pods as f64
        );
        line.push_str(&format!(" {name}_ms={total:.1} {name}_bytes={bytes}"));
        if *name != "table_paged" {
            verdicts.push((
                name,
                Verdict {
                    applies: args.pods == 10_000,
                    ok: total < LIST_TARGET_MS,
                },
            ));
        }
    }
    for (name, verdict) in &verdicts {
        println!(
            "target (issue 4): {name} LIST of 10,000 pods < {LIST_TARGET_MS} ms: {}",
            verdict.text()
        );
        line.push_str(&format!(" {name}_target_met={}", verdict.key()));
    }
    line.push_str(&format!(" create_per_s={:.0}", created.rate()));
    println!("{line}");
    bench.server.stop().await
}

// ---------------------------------------------------------------------------------------
// api-watch

#[derive(Args, Clone)]
pub struct WatchArgs {
    /// Watchers of all pods, each on its own connection.
    #[arg(long, default_value_t = 100)]
    watchers: usize,
    /// Pods created per measured repetition.
    #[arg(long, default_value_t = 1000)]
    pods: usize,
    /// Concurrent creators, each on its own connection.
    #[arg(long, default_value_t = 50)]
    creators: usize,
    /// Overall create rate in pods/s; 0: as fast as the server acknowledges.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Measured repetitions (fresh watchers each, from a fresh LIST's resourceVersion).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Pods of the warm-up round (same watchers and creators; not recorded).
    #[arg(long, default_value_t = 200)]
    warmup_pods: usize,
    /// How long to wait after the last create for the watchers to see every event.
    #[arg(long, default_value_t = 30.0)]
    drain_timeout: f64,
    #[command(flatten)]
    server: ServerOpts,
}

const WATCH_P99_TARGET_MS: f64 = 100.0;

/// What one watcher saw.
#[derive(Default)]
struct Seen {
    /// (pod index, when its event's last byte arrived) for each ADDED of one of our pods.
    added: Vec<(usize, Instant)>,
    /// Other events (MODIFIED, DELETED, BOOKMARK, ADDED of other pods).
    other: usize,
    /// ERROR events (e.g. 410 for a watcher cut off as too slow), with their text.
    errors: Vec<String>,
    /// Lines that could not be understood.
    unparsed: usize,
    /// The server ended the stream before the benchmark stopped it.
    ended: bool,
    bytes: usize,
}

/// Finds `"key":"VALUE"` in a watch line without decoding it: the watch line's own `type`
/// is its first or last key (encoders write keys in order or sorted), the pod's name is the
/// only `"name":"<prefix>` in it (every other `name` value in our pods differs).
fn event_type(line: &str) -> Option<&str> {
    const KEY: &str = "\"type\":\"";
    let at = if line.starts_with("{\"type\":\"") {
        1
    } else {
        line.rfind(",\"type\":\"")? + 1
    };
    let rest = &line[at + KEY.len()..];
    rest.find('"').map(|end| &rest[..end])
}

fn pod_index(line: &str, needle: &str) -> Option<usize> {
    let at = line.find(needle)? + needle.len();
    let digits = &line[at..];
    let end = digits.find('"')?;
    digits[..end].parse().ok()
}

/// Reads a watch stream until stopped, recording arrivals of our pods by index.
async fn read_watch(
    mut body: hyper::body::Incoming,
    needle: String,
    progress: Arc<AtomicUsize>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Result<Seen> {
    let mut seen = Seen::default();
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let frame = tokio::select! {
            f = body.frame() => f,
            _ = stop.changed() => break,
        };
        let Some(frame) = frame else {
            seen.ended = true;
            break;
        };
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        let now = Instant::now();
        seen.bytes += data.len();
        buf.extend_from_slice(&data);
        let mut start = 0;
        while let Some(nl) = buf[start..].iter().position(|&b| b == b'\n') {
            let line = &buf[start..start + nl];
            start += nl + 1;
            let Ok(line) = std::str::from_utf8(line) else {
                seen.unparsed += 1;
                continue;
            };
            match event_type(line) {
                Some("ADDED") => match pod_index(line, &needle) {
                    Some(i) => {
                        seen.added.push((i, now));
                        progress.fetch_add(1, Ordering::Relaxed);
                    }
                    None => seen.other += 1,
                },
                Some("ERROR") => seen.errors.push(line.chars().take(300).collect()),
                Some(_) => seen.other += 1,
                None => seen.unparsed += 1,
            }
        }
        buf.drain(..start);
    }
    Ok(seen)
}

/// One watch round's numbers.
struct Round {
    pods: usize,
    create_rate: f64,
    /// Delivery delays in ms (receive time − the create's acknowledgement), sorted; negative
    /// when the event arrived before the creator had its answer.
    delays: Vec<f64>,
    /// Receive time − the time the create was sent, sorted: an upper bound of the delivery
    /// delay that includes the create's own latency.
    since_send: Vec<f64>,
    missing: usize,
    duplicates: usize,
    errors: usize,
    unparsed: usize,
    ended: usize,
    /// From the last acknowledgement to the last delivery.
    drain_ms: f64,
    bytes: usize,
    server_cpu: f64,
    client_cpu: f64,
    seconds: f64,
}

async fn watch_round(bench: &Bench, args: &WatchArgs, tag: &str, pods: usize) -> Result<Round> {
    let prefix = format!("watch-{tag}-");
    let mut conn = bench.client.connect().await?;
    let (status, body) = conn.get("/api/v1/pods?limit=1").await?;
    expect_status("list pods", StatusCode::OK, status, &body)?;
    let list: ListBody = serde_json::from_slice(&body).context("decoding the list")?;
    let rv = list
        .metadata
        .resource_version
        .context("the list has no resourceVersion")?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut readers = Vec::new();
    let mut progress = Vec::new();
    for _ in 0..args.watchers {
        let mut conn = bench.client.connect().await?;
        let resp = conn
            .send(
                Method::GET,
                &format!("/api/v1/pods?watch=true&resourceVersion={rv}"),
                "application/json",
                Bytes::new(),
            )
            .await
            .context("starting a watch")?;
        let status = resp.status();
        if status != StatusCode::OK {
            let body = resp.into_body().collect().await?.to_bytes();
            bail!("watch pods: {status}: {}", String::from_utf8_lossy(&body));
        }
        let count = Arc::new(AtomicUsize::new(0));
        progress.push(count.clone());
        let needle = format!("\"name\":\"{prefix}");
        let stop = stop_rx.clone();
        readers.push(tokio::spawn(async move {
            let seen = read_watch(resp.into_body(), needle, count, stop).await;
            drop(conn);
            seen
        }));
    }
    let (s0, c0) = bench.cpu()?;
    let started = Instant::now();
    let created = create_many(&bench.client, &prefix, 0, pods, args.creators, args.rate).await?;
    let expected = pods * args.watchers;
    let deadline = Instant::now() + Duration::from_secs_f64(args.drain_timeout);
    while progress
        .iter()
        .map(|p| p.load(Ordering::Relaxed))
        .sum::<usize>()
        < expected
        && Instant::now() < deadline
    {
        bench.server.check_alive()?;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (s1, c1) = bench.cpu()?;
    let seconds = started.elapsed().as_secs_f64();
    stop_tx.send(true).ok();
    let last_ack = created.acks.iter().max().copied().unwrap_or(started);
    let mut round = Round {
        pods,
        create_rate: created.rate(),
        delays: Vec::with_capacity(expected),
        since_send: Vec::with_capacity(expected),
        missing: 0,
        duplicates: 0,
        errors: 0,
        unparsed: 0,
        ended: 0,
        drain_ms: 0.0,
        bytes: 0,
        server_cpu: s1 - s0,
        client_cpu: c1 - c0,
        seconds,
    };
    let mut last_delivery = last_ack;
    for r in readers {
        let seen = r.await.context("watcher task")??;
        let mut got = vec![false; pods];
        for &(i, at) in &seen.added {
            match got.get_mut(i) {
                Some(g) if !*g => {
                    *g = true;
                    let ack = created.acks[i];
                    let delay = if at >= ack {
                        ms(at - ack)
                    } else {
                        -ms(ack - at)
                    };
                    round.delays.push(delay);
                    round
                        .since_send
                        .push(ms(at.saturating_duration_since(created.sent[i])));
                    last_delivery = last_delivery.max(at);
                }
                Some(_) => round.duplicates += 1,
                None => round.unparsed += 1,
            }
        }
        round.missing += got.iter().filter(|g| !**g).count();
        round.errors += seen.errors.len();
        if let Some(e) = seen.errors.first() {
            println!("  watcher error event: {e}");
        }
        round.unparsed += seen.unparsed;
        round.ended += usize::from(seen.ended);
        round.bytes += seen.bytes;
    }
    round.drain_ms = ms(last_delivery - last_ack);
    round.delays = sorted(std::mem::take(&mut round.delays));
    round.since_send = sorted(std::mem::take(&mut round.since_send));
    Ok(round)
}

impl Round {
    fn line(&self, tag: &str, watchers: usize) -> String {
        format!(
            "{tag:<8} {} pods at {:.0}/s -> {} watchers: delivered {}/{} (missing {}, duplicates {}, error events {}, streams ended {}, unparsed {}); delay p50={:.1}ms p99={:.1}ms max={:.1}ms (since the create was sent: p50={:.1}ms p99={:.1}ms); last delivery {:.0}ms after last ack; {:.1} MB received; server cpu {:.2} cores, client cpu {:.2} cores over {:.2}s",
            self.pods,
            self.create_rate,
            watchers,
            self.delays.len(),
            self.pods * watchers,
            self.missing,
            self.duplicates,
            self.errors,
            self.ended,
            self.unparsed,
            pct(&self.delays, 50.0),
            pct(&self.delays, 99.0),
            self.delays.last().copied().unwrap_or(f64::NAN),
            pct(&self.since_send, 50.0),
            pct(&self.since_send, 99.0),
            self.drain_ms,
            self.bytes as f64 / 1e6,
            self.server_cpu / self.seconds,
            self.client_cpu / self.seconds,
            self.seconds,
        )
    }
}

pub async fn watch(args: WatchArgs) -> Result<()> {
    ensure!(
        args.watchers > 0 && args.pods > 0 && args.repeat > 0,
        "--watchers, --pods and --repeat must be positive"
    );
    print_header(
        &format!(
            "api-watch: {} watchers of all pods (GET /api/v1/pods?watch=true&resourceVersion=<list rv>, one connection each) while {} pods are created by {} clients ({}); delay = event received − create acknowledged, matched by pod name; warm-up round of {} pods, then {} repetitions",
            args.watchers,
            args.pods,
            args.creators,
            if args.rate > 0.0 {
                format!("{:.0} pods/s", args.rate)
            } else {
                "as fast as acknowledged".to_string()
            },
            args.warmup_pods,
            args.repeat
        ),
        &args.server,
    )?;
    let bench = Bench::start(&args.server).await?;
    let attached = bench.attach(&args.server).await?;
    if args.warmup_pods > 0 {
        let r = watch_round(&bench, &args, "warm", args.warmup_pods).await?;
        println!("{}", r.line("warm-up", args.watchers));
    }
    let mut rounds = Vec::new();
    for rep in 0..args.repeat {
        let r = watch_round(&bench, &args, &format!("r{rep}"), args.pods).await?;
        println!("{}", r.line(&format!("rep {rep}"), args.watchers));
        rounds.push(r);
    }
    stop_attached(attached).await?;
    let med = |f: &dyn Fn(&Round) -> f64| median(&rounds.iter().map(f).collect::<Vec<_>>());
    let p50 = med(&|r| pct(&r.delays, 50.0));
    let p99 = med(&|r| pct(&r.delays, 99.0));
    let max = med(&|r| r.delays.last().copied().unwrap_or(f64::NAN));
    let send_p99 = med(&|r| pct(&r.since_send, 99.0));
    let rate = med(&|r| r.create_rate);
    let missing: usize = rounds.iter().map(|r| r.missing).sum();
    let duplicates: usize = rounds.iter().map(|r| r.duplicates).sum();
    let errors: usize = rounds.iter().map(|r| r.errors).sum();
    let expected = args.pods * args.watchers * args.repeat;
    let all_seen = missing == 0 && duplicates == 0;
    let verdict = Verdict {
        applies: args.watchers == 100 && args.pods == 1000,
        ok: all_seen && p99 < WATCH_P99_TARGET_MS,
    };
    println!(
        "median of {} reps: delay p50={p50:.1}ms p99={p99:.1}ms max={max:.1}ms (since sent: p99={send_p99:.1}ms) at {rate:.0} creates/s; over all reps: {} of {expected} events missing, {duplicates} duplicates, {errors} error events",
        args.repeat, missing
    );
    println!(
        "target (issue 4): every watcher sees every event, p99 delay < {WATCH_P99_TARGET_MS} ms: {}",
        verdict.text()
    );
    println!(
        "result: watchers={} pods={} create_per_s={rate:.0} delay_p50_ms={p50:.1} delay_p99_ms={p99:.1} delay_max_ms={max:.1} since_send_p99_ms={send_p99:.1} missing={missing} duplicates={duplicates} error_events={errors} target_met={}",
        args.watchers,
        args.pods,
        verdict.key()
    );
    bench.server.stop().await
}

// ---------------------------------------------------------------------------------------
// api-rss

#[derive(Args, Clone)]
pub struct RssArgs {
    /// Pod counts to measure; each count gets its own fresh server per repetition.
    #[arg(long, value_delimiter = ',', default_value = "10000,150000")]
    pods: Vec<usize>,
    /// Concurrent creators, each on its own connection.
    #[arg(long, default_value_t = 50)]
    creators: usize,
    /// Repetitions (each count on a fresh server each time).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Seconds to let the server settle before each reading (idle: after start-up).
    #[arg(long, default_value_t = 5.0)]
    settle: f64,
    /// After the "holding" reading, one unpaginated LIST of all pods is also served (and
    /// memory read again) for counts up to this; above it only the paginated LIST is (an
    /// unpaginated LIST of 150,000 pods may need more memory than the machine has).
    #[arg(long, default_value_t = 10_000)]
    full_list_max: usize,
    #[command(flatten)]
    server: ServerOpts,
}

/// Targets of issue 4: idle, and per held pod count.
/// MB are 10^6 bytes, as in the issue.
const RSS_IDLE_TARGET_MB: f64 = 40.0;
const RSS_TARGETS_MB: [(usize, f64); 2] = [(10_000, 150.0), (150_000, 1500.0)];

/// One server holding `pods` pods.
struct RssRun {
    idle: Memory,
    /// After creating the pods.
    holding: Memory,
    create_rate: f64,
    disk: u64,
    /// After serving one paginated LIST of every pod (500 per page: an informer's start,
    /// `kubectl get pods`).
    paged: Memory,
    /// After serving one unpaginated LIST of every pod, if done.
    full: Option<Memory>,
}

impl RssRun {
    /// The highest reading after the lists.
    fn after_lists(&self) -> &Memory {
        match &self.full {
            Some(f) if f.rss_kib > self.paged.rss_kib => f,
            _ => &self.paged,
        }
    }
}

async fn rss_run(args: &RssArgs, rep: usize, n: usize) -> Result<RssRun> {
    let settle = Duration::from_secs_f64(args.settle);
    let bench = Bench::start(&args.server).await?;
    tokio::time::sleep(settle).await;
    let idle = bench.server.memory()?;
    let created = create_many(&bench.client, "rss-", 0, n, args.creators, 0.0).await?;
    tokio::time::sleep(settle).await;
    let holding = bench.server.memory()?;
    let disk = bench.server.disk_bytes();
    println!(
        "rep {rep} {n:>7} pods: idle rss {:>7.1} MB | holding rss {:>7.1} MB peak {:>7.1} MB ({:.1} KiB/pod over idle; created at {:.0}/s; data dir {:.1} MB)",
        idle.rss_mb(),
        holding.rss_mb(),
        holding.hwm_mb(),
        (holding.rss_kib.saturating_sub(idle.rss_kib)) as f64 / n as f64,
        created.rate(),
        disk as f64 / 1e6
    );
    let mut conn = bench.client.connect().await?;
    let listed = timed_list(&mut conn, "application/json", 500).await?;
    ensure!(
        listed.items == n,
        "paginated list: {} of {n} pods",
        listed.items
    );
    tokio::time::sleep(settle).await;
    let paged = bench.server.memory()?;
    println!(
        "rep {rep} {n:>7} pods: after a paginated LIST (500/page, {:.0} ms): rss {:>7.1} MB peak {:>7.1} MB",
        listed.total_ms,
        paged.rss_mb(),
        paged.hwm_mb()
    );
    let full = if n <= args.full_list_max {
        let listed = timed_list(&mut conn, "application/json", 0).await?;
        ensure!(listed.items == n, "full list: {} of {n} pods", listed.items);
        tokio::time::sleep(settle).await;
        let full = bench.server.memory()?;
        println!(
            "rep {rep} {n:>7} pods: after an unpaginated LIST ({:.0} ms): rss {:>7.1} MB peak {:>7.1} MB",
            listed.total_ms,
            full.rss_mb(),
            full.hwm_mb()
        );
        Some(full)
    } else {
        None
    };
    drop(conn);
    bench.server.stop().await?;
    Ok(RssRun {
        idle,
        holding,
        create_rate: created.rate(),
        disk,
        paged,
        full,
    })
}

pub async fn rss(args: RssArgs) -> Result<()> {
    ensure!(
        !args.pods.is_empty() && args.pods.iter().all(|&n| n > 0),
        "--pods needs positive counts"
    );
    ensure!(args.repeat > 0, "--repeat must be positive");
    print_header(
        &format!(
            "api-rss: server VmRSS/VmHWM idle ({:.0}s after start), holding N pods for N in {:?} (created by {} concurrent clients), then after serving one paginated LIST of them (500/page) and, for N <= {}, one unpaginated LIST; {:.0}s settle before each reading; {} repetitions, a fresh server for each N and repetition",
            args.settle, args.pods, args.creators, args.full_list_max, args.settle, args.repeat
        ),
        &args.server,
    )?;
    let mut runs: Vec<Vec<RssRun>> = args.pods.iter().map(|_| Vec::new()).collect();
    for rep in 0..args.repeat {
        for (k, &n) in args.pods.iter().enumerate() {
            runs[k].push(rss_run(&args, rep, n).await?);
        }
    }
    let med =
        |v: &[RssRun], f: &dyn Fn(&RssRun) -> f64| median(&v.iter().map(f).collect::<Vec<_>>());
    let all: Vec<f64> = runs.iter().flatten().map(|r| r.idle.rss_mb()).collect();
    let idle = median(&all);
    let idle_ok = idle < RSS_IDLE_TARGET_MB;
    let yes = |ok: bool| if ok { "yes" } else { "no" };
    let text = |ok: bool| if ok { "met" } else { "MISSED" };
    println!("median idle: rss {idle:.1} MB");
    let mut verdicts = vec![format!("idle < {RSS_IDLE_TARGET_MB} MB: {}", text(idle_ok))];
    let mut line = format!("result: idle_rss_mb={idle:.1}");
    let mut mets = vec![format!("idle_target_met={}", yes(idle_ok))];
    for (k, &n) in args.pods.iter().enumerate() {
        let v = &runs[k];
        let rss = med(v, &|r| r.holding.rss_mb());
        let hwm = med(v, &|r| r.holding.hwm_mb());
        let rate = med(v, &|r| r.create_rate);
        let disk = med(v, &|r| r.disk as f64);
        let idle_n = med(v, &|r| r.idle.rss_mb());
        let per_pod = (rss - idle_n) * 1e6 / 1024.0 / n as f64;
        let paged = med(v, &|r| r.paged.rss_mb());
        let after = med(v, &|r| r.after_lists().rss_mb());
        let after_hwm = med(v, &|r| r.after_lists().hwm_mb());
        let full = v
            .iter()
            .all(|r| r.full.is_some())
            .then(|| med(v, &|r| r.full.map_or(f64::NAN, |m| m.rss_mb())));
        println!(
            "median {n:>7} pods: holding rss {rss:.1} MB (peak {hwm:.1} MB, {per_pod:.1} KiB/pod over idle); after a paginated LIST {paged:.1} MB{}; peak {after_hwm:.1} MB; created at {rate:.0}/s; data dir {:.1} MB",
            full.map_or(String::new(), |f| format!(
                ", after an unpaginated LIST {f:.1} MB"
            )),
            disk / 1e6
        );
        line.push_str(&format!(
            " rss_{n}_mb={rss:.1} kib_per_pod_{n}={per_pod:.1} rss_{n}_after_paged_list_mb={paged:.1}"
        ));
        if let Some(f) = full {
            line.push_str(&format!(" rss_{n}_after_full_list_mb={f:.1}"));
        }
        line.push_str(&format!(
            " hwm_{n}_mb={after_hwm:.1} create_per_s_{n}={rate:.0}"
        ));
        if let Some((_, target)) = RSS_TARGETS_MB.iter().find(|(c, _)| *c == n) {
            let ok = rss < *target;
            let after_ok = after < *target;
            verdicts.push(format!("holding {n} pods < {target} MB: {}", text(ok)));
            verdicts.push(format!(
                "holding {n} pods < {target} MB after serving LISTs of them ({after:.1} MB): {}",
                text(after_ok)
            ));
            mets.push(format!("rss_{n}_target_met={}", yes(ok)));
            mets.push(format!("rss_{n}_after_lists_target_met={}", yes(after_ok)));
        }
    }
    for v in verdicts {
        println!("target (issue 4): {v}");
    }
    line.push(' ');
    line.push_str(&mets.join(" "));
    println!("{line}");
    Ok(())
}
