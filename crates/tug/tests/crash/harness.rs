//! `kill -9` crash harness for the real `tug server`, shared by `tests/e2e_crash.rs` (a few
//! rounds in the test suite) and `tug-bench crash` (many rounds), which includes this file.
//!
//! A round: concurrent writers create, update and delete ConfigMaps over HTTPS (the admin
//! client certificate of the kubeconfig, one keep-alive connection each); after a random delay
//! the server is killed with SIGKILL in the middle of the burst; it is started again on the
//! same data directory, and every write that got a 2xx answer must be there:
//!
//! * an acknowledged create or update is visible with at least its content and
//!   resourceVersion (each object carries a sequence number in its data; a later, unanswered
//!   update may also have landed, never one that was not sent), the same through LIST and GET;
//! * an acknowledged delete stays deleted; no object appears that was never sent;
//! * resourceVersions keep increasing: a write after the restart gets a resourceVersion above
//!   every one acknowledged before.
//!
//! Rounds chain on one data directory, so every round also checks all earlier ones.
//!
//! A `kill -9` keeps the page cache, so it cannot reveal a missing fsync (the store's
//! power-loss test does); it proves that an answer is only sent for a committed write, that
//! recovery replays the write-ahead log of a killed process, and that the API server serves
//! exactly what the store recovered.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::{Value, json};
use tokio_rustls::TlsConnector;

/// Starts `tug server` on a data directory; returns the process and its kubeconfig path once
/// the server accepts requests.
pub type Spawn = Arc<dyn Fn(&Path) -> Result<(Child, PathBuf), String> + Send + Sync>;

const NAMESPACE: &str = "default";
const PREFIX: &str = "crash-";

fn collection() -> String {
    format!("/api/v1/namespaces/{NAMESPACE}/configmaps")
}

fn object_path(name: &str) -> String {
    format!("{}/{name}", collection())
}

/// An HTTPS client for the server of a kubeconfig written by `tug server`.
#[derive(Clone)]
pub struct Client {
    addr: SocketAddr,
    host: String,
    server_name: ServerName<'static>,
    tls: TlsConnector,
}

/// The value of `key: value` lines in tug's kubeconfig (flat YAML, one occurrence each).
fn kubeconfig_field<'a>(text: &'a str, key: &str) -> Result<&'a str> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
        .with_context(|| format!("no `{key}` in the kubeconfig"))
}

impl Client {
    /// Reads the server URL, the cluster CA and the admin client certificate of `path`.
    pub fn from_kubeconfig(path: &Path) -> Result<Client> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the kubeconfig {}", path.display()))?;
        let pem = |key: &str| -> Result<Vec<u8>> {
            BASE64
                .decode(kubeconfig_field(&text, key)?)
                .with_context(|| format!("{key} is not base64"))
        };
        let server = kubeconfig_field(&text, "server")?;
        let authority = server
            .strip_prefix("https://")
            .with_context(|| format!("server {server} is not https://"))?;
        let addr: SocketAddr = authority
            .parse()
            .with_context(|| format!("server {server}: expected https://IP:PORT"))?;
        let ca = CertificateDer::from_pem_slice(&pem("certificate-authority-data")?)
            .context("certificate-authority-data")?;
        let certs = CertificateDer::pem_slice_iter(&pem("client-certificate-data")?)
            .collect::<Result<Vec<_>, _>>()
            .context("client-certificate-data")?;
        let key =
            PrivateKeyDer::from_pem_slice(&pem("client-key-data")?).context("client-key-data")?;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca).context("the cluster CA")?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_client_auth_cert(certs, key)
            .context("the admin client certificate")?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Client {
            addr,
            host: authority.to_string(),
            server_name: ServerName::from(addr.ip()),
            tls: TlsConnector::from(Arc::new(config)),
        })
    }

    /// One HTTP/1.1 keep-alive connection.
    pub async fn connect(&self) -> Result<Conn> {
        let tcp = tokio::net::TcpStream::connect(self.addr)
            .await
            .with_context(|| format!("connecting to {}", self.addr))?;
        tcp.set_nodelay(true)?;
        let tls = self
            .tls
            .connect(self.server_name.clone(), tcp)
            .await
            .context("TLS handshake")?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .context("HTTP/1.1 handshake")?;
        tokio::spawn(async move {
            // Ends when the sender is dropped or the server goes away; errors show on requests.
            let _ = connection.await;
        });
        Ok(Conn {
            sender,
            host: self.host.clone(),
        })
    }
}

/// One connection to the API server.
pub struct Conn {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Conn {
    /// Sends a JSON request; returns the status and the JSON body (Null if empty or not JSON).
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Value)> {
        let body = match body {
            Some(v) => Bytes::from(serde_json::to_vec(v)?),
            None => Bytes::new(),
        };
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, &self.host)
            .header(hyper::header::ACCEPT, "application/json")
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))?;
        self.sender.ready().await?;
        let resp = self.sender.send_request(req).await?;
        let status = resp.status();
        let bytes = resp.into_body().collect().await?.to_bytes();
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }
}

/// A `tug server` process, killed on drop.
struct Server {
    child: Option<Child>,
    client: Client,
}

impl Server {
    fn start(spawn: &Spawn, dir: &Path) -> Result<Server> {
        let (child, kubeconfig) = spawn(dir).map_err(anyhow::Error::msg)?;
        let mut server = Server {
            child: Some(child),
            client: Client::from_kubeconfig(&kubeconfig).map_err(|e| anyhow::anyhow!("{e:#}"))?,
        };
        if !server.alive() {
            bail!("tug server exited right after start-up");
        }
        Ok(server)
    }

    fn alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }

    /// SIGKILL, then reap.
    fn kill9(&mut self) -> Result<()> {
        let mut child = self.child.take().context("the server is not running")?;
        // `Child::kill` is SIGKILL on Unix: no handler, no flush, no clean store shutdown.
        child.kill().context("SIGKILL")?;
        let status = child.wait().context("reaping the killed server")?;
        if status.code().is_some() {
            bail!("tug server had already exited ({status}) before the kill");
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Deletion {
    None,
    Sent,
    Acked,
}

/// What was sent to and acknowledged for one ConfigMap.
#[derive(Clone, Copy, Debug)]
struct Obj {
    /// The last acknowledged (or, after a check, observed) sequence and resourceVersion.
    acked: Option<(u64, u64)>,
    /// The highest sequence sent.
    sent: u64,
    deletion: Deletion,
}

/// The filler of an object's data at a sequence, so the whole content is checked.
fn pad(name: &str, seq: u64) -> String {
    let h = name
        .bytes()
        .fold(seq.wrapping_mul(0x9E37_79B9_7F4A_7C15), |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
        });
    "x".repeat((h % 700) as usize)
}

fn configmap(name: &str, seq: u64, rv: Option<u64>) -> Value {
    let mut metadata = json!({ "name": name, "namespace": NAMESPACE });
    if let Some(rv) = rv {
        metadata["resourceVersion"] = json!(rv.to_string());
    }
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": metadata,
        "data": { "seq": seq.to_string(), "pad": pad(name, seq) },
    })
}

fn resource_version(obj: &Value) -> Option<u64> {
    obj.pointer("/metadata/resourceVersion")?
        .as_str()?
        .parse()
        .ok()
}

/// The (sequence, resourceVersion) of a ConfigMap written by the harness, if intact.
fn seen(obj: &Value) -> Result<(u64, u64), String> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let rv = resource_version(obj).ok_or_else(|| format!("{name}: no resourceVersion"))?;
    let seq: u64 = obj
        .pointer("/data/seq")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{name}: no data.seq"))?;
    let filler = obj.pointer("/data/pad").and_then(Value::as_str);
    if filler != Some(pad(name, seq).as_str()) {
        return Err(format!(
            "{name}: the content of sequence {seq} is not what was written"
        ));
    }
    Ok((seq, rv))
}

/// What one writer did in a round.
#[derive(Default)]
struct WriterRun {
    objects: BTreeMap<String, Obj>,
    acked: u64,
    creates: u64,
    updates: u64,
    deletes: u64,
    /// resourceVersions of this writer's acknowledged writes, in order.
    rvs: Vec<u64>,
    /// The objects it sent a write for.
    touched: HashSet<String>,
    problems: Vec<String>,
}

async fn writer(
    client: Client,
    w: usize,
    round: u32,
    seed: u64,
    killed: Arc<AtomicBool>,
    objects: BTreeMap<String, Obj>,
    ready: Arc<tokio::sync::Barrier>,
) -> WriterRun {
    let mut run = WriterRun {
        objects,
        ..WriterRun::default()
    };
    let mut rng = StdRng::seed_from_u64(seed);
    let conn = client.connect().await;
    // The burst (and the kill timer) starts once every writer is connected.
    ready.wait().await;
    let mut conn = match conn {
        Ok(c) => c,
        Err(e) => {
            if !killed.load(Ordering::SeqCst) {
                run.problems.push(format!("writer {w}: {e:#}"));
            }
            return run;
        }
    };
    let mut next = 0u32;
    loop {
        let live: Vec<(String, u64, u64)> = run
            .objects
            .iter()
            .filter(|(_, o)| o.deletion == Deletion::None)
            .filter_map(|(n, o)| o.acked.map(|(s, rv)| (n.clone(), s, rv)))
            .collect();
        let pick = rng.random_range(0..100);
        let (what, result) = if pick < 55 || live.is_empty() {
            let name = format!("{PREFIX}r{round:03}-w{w:02}-{next:05}");
            next += 1;
            run.objects.insert(
                name.clone(),
                Obj {
                    acked: None,
                    sent: 0,
                    deletion: Deletion::None,
                },
            );
            let r = conn
                .send(
                    Method::POST,
                    &collection(),
                    Some(&configmap(&name, 0, None)),
                )
                .await;
            (format!("create {name}"), r.map(|r| (r, name, 0, false)))
        } else if pick < 88 {
            let (name, seq, rv) = live[rng.random_range(0..live.len())].clone();
            let seq = seq + 1;
            if let Some(o) = run.objects.get_mut(&name) {
                o.sent = o.sent.max(seq);
            }
            let r = conn
                .send(
                    Method::PUT,
                    &object_path(&name),
                    Some(&configmap(&name, seq, Some(rv))),
                )
                .await;
            (
                format!("update {name} to {seq}"),
                r.map(|r| (r, name, seq, false)),
            )
        } else {
            let (name, _, _) = live[rng.random_range(0..live.len())].clone();
            if let Some(o) = run.objects.get_mut(&name) {
                o.deletion = Deletion::Sent;
            }
            let r = conn.send(Method::DELETE, &object_path(&name), None).await;
            (format!("delete {name}"), r.map(|r| (r, name, 0, true)))
        };
        if let Ok((_, name, ..)) = &result {
            run.touched.insert(name.clone());
        }
        match result {
            Ok(((status, body), name, seq, delete)) if status.is_success() => {
                run.acked += 1;
                let o = run.objects.get_mut(&name).expect("known object");
                if delete {
                    o.deletion = Deletion::Acked;
                    run.deletes += 1;
                    continue;
                }
                match resource_version(&body) {
                    Some(rv) => {
                        o.acked = Some((seq, rv));
                        run.rvs.push(rv);
                    }
                    None => {
                        run.problems.push(format!(
                            "writer {w}: {what} answered {status} without a resourceVersion: {body}"
                        ));
                        return run;
                    }
                }
                if seq == 0 {
                    run.creates += 1;
                } else {
                    run.updates += 1;
                }
            }
            Ok(((status, body), ..)) => {
                run.problems
                    .push(format!("writer {w}: {what} answered {status}: {body}"));
                return run;
            }
            Err(e) => {
                if !killed.load(Ordering::SeqCst) {
                    run.problems
                        .push(format!("writer {w}: {what} failed before the kill: {e:#}"));
                }
                return run;
            }
        }
    }
}

/// How the crash rounds run.
#[derive(Clone, Debug)]
pub struct Config {
    pub writers: usize,
    /// The kill comes this many milliseconds (drawn uniformly) after the burst starts.
    pub kill_after_ms: (u64, u64),
    pub seed: u64,
}

/// What one round did.
#[derive(Debug, Default)]
pub struct Round {
    /// Writes answered with 2xx during the burst.
    pub acknowledged: u64,
    pub creates: u64,
    pub updates: u64,
    pub deletes: u64,
    /// Acknowledged writes (of this round or an earlier one) missing after the restart.
    pub lost: u64,
    /// Everything wrong, lost writes included.
    pub problems: Vec<String>,
    pub kill_after: Duration,
    /// From the kill until the restarted server accepted requests.
    pub restart: Duration,
    /// The highest resourceVersion acknowledged so far, and the one the first write after the
    /// restart got.
    pub max_acked_rv: u64,
    pub probe_rv: u64,
    /// Objects checked after the restart (all rounds).
    pub checked: usize,
    pub elapsed: Duration,
}

/// Crash rounds against one data directory.
pub struct Crash {
    spawn: Spawn,
    dir: PathBuf,
    config: Config,
    rng: StdRng,
    server: Option<Server>,
    objects: BTreeMap<String, Obj>,
    max_acked_rv: u64,
    round: u32,
}

impl Crash {
    /// Starts the server on `dir` (empty or not).
    pub async fn start(spawn: Spawn, dir: &Path, config: Config) -> Result<Crash> {
        let server = start_server(&spawn, dir).await?;
        Ok(Crash {
            spawn,
            dir: dir.to_path_buf(),
            rng: StdRng::seed_from_u64(config.seed),
            config,
            server: Some(server),
            objects: BTreeMap::new(),
            max_acked_rv: 0,
            round: 0,
        })
    }

    /// The tail of the server's log (`server.log` in the data directory), for failures.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// A write burst, `kill -9` in its middle, a restart, and the check of everything
    /// acknowledged so far. Err when the server cannot be restarted or checked at all.
    pub async fn round(&mut self) -> Result<Round> {
        let started = Instant::now();
        self.round += 1;
        let mut report = Round::default();
        let mut server = self.server.take().context("no server running")?;
        let killed = Arc::new(AtomicBool::new(false));
        let ready = Arc::new(tokio::sync::Barrier::new(self.config.writers + 1));
        let mut tasks = Vec::new();
        for w in 0..self.config.writers {
            // Each writer also updates and deletes its objects of earlier rounds, which went
            // through crashes and recoveries.
            let mine = format!("-w{w:02}-");
            let (own, rest): (BTreeMap<_, _>, BTreeMap<_, _>) = std::mem::take(&mut self.objects)
                .into_iter()
                .partition(|(name, _)| name.contains(&mine));
            self.objects = rest;
            tasks.push(tokio::spawn(writer(
                server.client.clone(),
                w,
                self.round,
                self.rng.random(),
                killed.clone(),
                own,
                ready.clone(),
            )));
        }
        ready.wait().await;
        let (lo, hi) = self.config.kill_after_ms;
        report.kill_after = Duration::from_millis(self.rng.random_range(lo..=hi.max(lo)));
        tokio::time::sleep(report.kill_after).await;
        if !server.alive() {
            bail!("tug server died during the burst:\n{}", self.log_tail());
        }
        killed.store(true, Ordering::SeqCst);
        server.kill9()?;
        let killed_at = Instant::now();
        let mut rvs_all = Vec::new();
        let mut touched = HashSet::new();
        for task in tasks {
            let run = tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .context("a writer still runs 30 s after the kill")?
                .context("a writer task failed")?;
            report.acknowledged += run.acked;
            report.creates += run.creates;
            report.updates += run.updates;
            report.deletes += run.deletes;
            report.problems.extend(run.problems);
            if run.rvs.windows(2).any(|p| p[0] >= p[1]) {
                report.problems.push(format!(
                    "a writer's acknowledged resourceVersions do not increase: {:?}",
                    run.rvs
                ));
            }
            rvs_all.extend(run.rvs);
            self.objects.extend(run.objects);
            touched.extend(run.touched);
        }
        let n = rvs_all.len();
        rvs_all.sort_unstable();
        rvs_all.dedup();
        if rvs_all.len() != n {
            report.problems.push(format!(
                "{} acknowledged writes share a resourceVersion with another",
                n - rvs_all.len()
            ));
        }
        if let Some(&max) = rvs_all.last() {
            self.max_acked_rv = self.max_acked_rv.max(max);
        }
        report.max_acked_rv = self.max_acked_rv;
        // Restart on the same data directory.
        let server = start_server(&self.spawn, &self.dir)
            .await
            .with_context(|| format!("restarting after the kill:\n{}", self.log_tail()))?;
        report.restart = killed_at.elapsed();
        self.check(&server.client, &touched, &mut report).await?;
        self.server = Some(server);
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Checks the restarted server against everything sent and acknowledged, brings the model
    /// to what the server holds, and writes a probe.
    async fn check(
        &mut self,
        client: &Client,
        touched: &HashSet<String>,
        report: &mut Round,
    ) -> Result<()> {
        let mut conn = client.connect().await?;
        let (status, list) = conn.send(Method::GET, &collection(), None).await?;
        if status != StatusCode::OK {
            bail!("LIST after the restart answered {status}: {list}");
        }
        let list_rv = resource_version(&list).unwrap_or(0);
        let mut found: BTreeMap<String, Value> = BTreeMap::new();
        for item in list
            .get("items")
            .and_then(Value::as_array)
            .context("LIST without items")?
        {
            let name = item
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if name.starts_with(PREFIX) {
                found.insert(name.to_string(), item.clone());
            }
        }
        if list_rv < self.max_acked_rv {
            report.problems.push(format!(
                "LIST after the restart is at resourceVersion {list_rv}, below the acknowledged {}",
                self.max_acked_rv
            ));
        }
        let mut gone = Vec::new();
        for (name, o) in self.objects.iter_mut() {
            let item = found.remove(name);
            let observed = match item.as_ref().map(seen) {
                None => None,
                Some(Ok(s)) => Some(s),
                Some(Err(problem)) => {
                    report.problems.push(problem);
                    continue;
                }
            };
            report.checked += 1;
            match (o.acked, o.deletion, observed) {
                (_, Deletion::Acked, Some((_, rv))) => {
                    report.lost += 1;
                    report.problems.push(format!(
                        "{name}: deleted (acknowledged) but back at resourceVersion {rv}"
                    ));
                }
                (Some((seq, rv)), Deletion::None, None) => {
                    report.lost += 1;
                    report.problems.push(format!(
                        "{name}: sequence {seq} acknowledged at resourceVersion {rv}, but the object is gone"
                    ));
                    gone.push(name.clone());
                }
                (_, _, None) => gone.push(name.clone()),
                (acked, _, Some((seq, rv))) => {
                    if seq > o.sent {
                        report.problems.push(format!(
                            "{name}: shows sequence {seq}, never sent (highest sent {})",
                            o.sent
                        ));
                    }
                    if let Some((aseq, arv)) = acked
                        && (seq < aseq || rv < arv || (seq == aseq && rv != arv))
                    {
                        report.lost += 1;
                        report.problems.push(format!(
                            "{name}: sequence {aseq} acknowledged at resourceVersion {arv}, but the server shows sequence {seq} at {rv}"
                        ));
                    }
                    *o = Obj {
                        acked: Some((seq, rv)),
                        sent: seq,
                        deletion: Deletion::None,
                    };
                }
            }
            // GET agrees with LIST for the objects written in this round.
            if touched.contains(name) {
                let (status, obj) = conn.send(Method::GET, &object_path(name), None).await?;
                let listed = o.acked.filter(|_| !gone.contains(name)).map(|(_, rv)| rv);
                let got = (status == StatusCode::OK)
                    .then(|| resource_version(&obj))
                    .flatten();
                let absent = status == StatusCode::NOT_FOUND;
                if got != listed || (listed.is_none() && !absent) {
                    report.problems.push(format!(
                        "{name}: GET answered {status} ({got:?}) but LIST showed {listed:?}"
                    ));
                }
            }
        }
        for name in gone {
            self.objects.remove(&name);
        }
        for name in found.keys() {
            report
                .problems
                .push(format!("{name}: present after the restart but never sent"));
        }
        // The next write gets a higher resourceVersion than everything before the kill.
        let probe = format!("{PREFIX}probe-{:04}", self.round);
        let (status, body) = conn
            .send(
                Method::POST,
                &collection(),
                Some(&configmap(&probe, 0, None)),
            )
            .await?;
        match (status.is_success(), resource_version(&body)) {
            (true, Some(rv)) => {
                report.probe_rv = rv;
                if rv <= self.max_acked_rv.max(list_rv) {
                    report.problems.push(format!(
                        "the first write after the restart got resourceVersion {rv}, not above {}",
                        self.max_acked_rv.max(list_rv)
                    ));
                }
                self.max_acked_rv = self.max_acked_rv.max(rv);
                self.objects.insert(
                    probe,
                    Obj {
                        acked: Some((0, rv)),
                        sent: 0,
                        deletion: Deletion::None,
                    },
                );
            }
            _ => report.problems.push(format!(
                "the first write after the restart answered {status}: {body}"
            )),
        }
        Ok(())
    }

    /// Stops the server (SIGKILL) at the end.
    pub fn stop(mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill9();
        }
    }
}

async fn start_server(spawn: &Spawn, dir: &Path) -> Result<Server> {
    let spawn = spawn.clone();
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || Server::start(&spawn, &dir))
        .await
        .context("the start-up task failed")?
}
