//! The API benchmarks' view of tug: the real release `tug server` in a child process, and an
//! HTTPS client (hyper 1 over tokio-rustls, admin client certificate from the kubeconfig the
//! server writes) with one keep-alive connection per simulated client.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{ACCEPT, CONTENT_TYPE, HOST, USER_AGENT};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::AsyncBufReadExt;

/// What a kubeconfig written by `tug server` says: where the server is and who we are.
pub struct Kubeconfig {
    /// `https://HOST:PORT`.
    pub server: String,
    ca_pem: Vec<u8>,
    cert_pem: Vec<u8>,
    key_pem: Vec<u8>,
}

impl Kubeconfig {
    /// Reads the admin kubeconfig. Only the flat layout tug writes is understood (one cluster,
    /// one user, certificate data inline), which is all the benchmarks need.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the kubeconfig {}", path.display()))?;
        let field = |name: &str| -> Result<String> {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(name))
                .map(|v| v.trim().to_string())
                .with_context(|| format!("{} has no `{name}` line", path.display()))
        };
        let data = |name: &str| -> Result<Vec<u8>> {
            BASE64
                .decode(field(name)?)
                .with_context(|| format!("{name} in {} is not base64", path.display()))
        };
        Ok(Self {
            server: field("server:")?,
            ca_pem: data("certificate-authority-data:")?,
            cert_pem: data("client-certificate-data:")?,
            key_pem: data("client-key-data:")?,
        })
    }
}

/// The HTTP version the benchmark clients speak (the server offers both by ALPN).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Proto {
    /// HTTP/1.1 with keep-alive: one request at a time per connection.
    Http1,
    /// HTTP/2 (what client-go negotiates by default).
    Http2,
}

/// Opens authenticated HTTPS connections to one server.
#[derive(Clone)]
pub struct ApiClient {
    addr: SocketAddr,
    authority: String,
    server_name: ServerName<'static>,
    connector: tokio_rustls::TlsConnector,
    proto: Proto,
}

impl ApiClient {
    /// A client for the server and identity of `kubeconfig`.
    pub fn new(kubeconfig: &Kubeconfig, proto: Proto) -> Result<Self> {
        let authority = kubeconfig
            .server
            .strip_prefix("https://")
            .with_context(|| format!("server {} is not https://", kubeconfig.server))?
            .trim_end_matches('/')
            .to_string();
        let addr: SocketAddr = authority
            .parse()
            .with_context(|| format!("server address {authority} is not IP:PORT"))?;
        let server_name = ServerName::from(addr.ip());
        let mut roots = rustls::RootCertStore::empty();
        for ca in CertificateDer::pem_slice_iter(&kubeconfig.ca_pem) {
            roots.add(ca.context("the kubeconfig's CA certificate")?)?;
        }
        let certs = CertificateDer::pem_slice_iter(&kubeconfig.cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .context("the kubeconfig's client certificate")?;
        let key = PrivateKeyDer::from_pem_slice(&kubeconfig.key_pem)
            .context("the kubeconfig's client key")?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_client_auth_cert(certs, key)?;
        config.alpn_protocols = match proto {
            Proto::Http1 => vec![b"http/1.1".to_vec()],
            Proto::Http2 => vec![b"h2".to_vec()],
        };
        Ok(Self {
            addr,
            authority,
            server_name,
            connector: tokio_rustls::TlsConnector::from(Arc::new(config)),
            proto,
        })
    }

    /// A new TCP + TLS connection (full handshake, client certificate) ready for requests.
    pub async fn connect(&self) -> Result<Conn> {
        let tcp = tokio::net::TcpStream::connect(self.addr)
            .await
            .with_context(|| format!("connecting to {}", self.addr))?;
        tcp.set_nodelay(true)?;
        let tls = self
            .connector
            .connect(self.server_name.clone(), tcp)
            .await
            .context("TLS handshake with tug")?;
        let io = TokioIo::new(tls);
        let sender = match self.proto {
            Proto::Http1 => {
                let (sender, conn) = hyper::client::conn::http1::handshake(io).await?;
                tokio::spawn(async move {
                    // Ends when the sender is dropped or the server closes; errors surface
                    // on the requests.
                    let _ = conn.await;
                });
                Sender::H1(sender)
            }
            Proto::Http2 => {
                let (sender, conn) =
                    hyper::client::conn::http2::handshake(TokioExecutor::new(), io).await?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                Sender::H2(sender)
            }
        };
        Ok(Conn {
            sender,
            authority: self.authority.clone(),
        })
    }
}

enum Sender {
    H1(hyper::client::conn::http1::SendRequest<Full<Bytes>>),
    H2(hyper::client::conn::http2::SendRequest<Full<Bytes>>),
}

/// One keep-alive connection; one request at a time.
pub struct Conn {
    sender: Sender,
    authority: String,
}

/// `Accept` of `kubectl get`: a server-side printed Table.
pub const ACCEPT_TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io";

impl Conn {
    fn request(
        &self,
        method: Method,
        path: &str,
        accept: &str,
        body: Bytes,
    ) -> Result<Request<Full<Bytes>>> {
        let builder = match self.sender {
            // HTTP/2 needs the scheme and authority in the URI (the :scheme and :authority
            // pseudo-headers); HTTP/1.1 takes the origin form and a Host header.
            Sender::H2(_) => Request::builder().uri(format!("https://{}{path}", self.authority)),
            Sender::H1(_) => Request::builder().uri(path).header(HOST, &self.authority),
        };
        let mut builder = builder
            .method(method)
            .header(ACCEPT, accept)
            .header(USER_AGENT, concat!("tug-bench/", env!("CARGO_PKG_VERSION")));
        if !body.is_empty() {
            builder = builder.header(CONTENT_TYPE, "application/json");
        }
        Ok(builder.body(Full::new(body))?)
    }

    /// Sends a request and returns once the response head is in; the body streams.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        accept: &str,
        body: Bytes,
    ) -> Result<Response<Incoming>> {
        let req = self.request(method, path, accept, body)?;
        let resp = match &mut self.sender {
            Sender::H1(s) => {
                s.ready().await?;
                s.send_request(req).await?
            }
            Sender::H2(s) => {
                s.ready().await?;
                s.send_request(req).await?
            }
        };
        Ok(resp)
    }

    /// A request whose whole response body is read.
    pub async fn call(
        &mut self,
        method: Method,
        path: &str,
        accept: &str,
        body: Bytes,
    ) -> Result<(StatusCode, Bytes)> {
        let resp = self.send(method, path, accept, body).await?;
        let status = resp.status();
        let body = resp.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }

    /// GET as JSON.
    pub async fn get(&mut self, path: &str) -> Result<(StatusCode, Bytes)> {
        self.call(Method::GET, path, "application/json", Bytes::new())
            .await
    }

    /// POST of a JSON body.
    pub async fn post(&mut self, path: &str, body: Bytes) -> Result<(StatusCode, Bytes)> {
        self.call(Method::POST, path, "application/json", body)
            .await
    }
}

/// Fails with the server's answer unless the status is `want`.
pub fn expect_status(what: &str, want: StatusCode, got: StatusCode, body: &[u8]) -> Result<()> {
    if got != want {
        let text = String::from_utf8_lossy(&body[..body.len().min(600)]);
        bail!("{what}: expected {want}, got {got}: {text}");
    }
    Ok(())
}

/// Where the `tug` binary is: `--tug-bin`, else next to this benchmark's executable (cargo
/// puts both in `target/release`).
pub fn find_tug(explicit: Option<&Path>) -> Result<PathBuf> {
    const BUILD: &str = "build it with `cargo build --release -p tug` (the API benchmarks drive the \
                         release server binary), or pass --tug-bin PATH";
    if let Some(path) = explicit {
        ensure!(
            path.is_file(),
            "tug binary {} not found; {BUILD}",
            path.display()
        );
        return Ok(path.to_path_buf());
    }
    let exe = std::env::current_exe().context("locating the tug-bench executable")?;
    let candidate = exe
        .parent()
        .context("the tug-bench executable has no directory")?
        .join("tug");
    ensure!(
        candidate.is_file(),
        "no tug binary at {}; {BUILD}",
        candidate.display()
    );
    Ok(candidate)
}

/// A description of the server binary for the report: its path and age, so a stale build is
/// visible (`cargo run -p tug-bench` does not rebuild `tug`).
pub fn describe_binary(path: &Path) -> String {
    let age = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .map(|d| format!("built {} min ago", d.as_secs() / 60))
        .unwrap_or_else(|| "age unknown".to_string());
    format!("{} ({age})", path.display())
}

/// Memory of a process from `/proc/PID/status`.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    /// Resident set size now (VmRSS), KiB.
    pub rss_kib: u64,
    /// Peak resident set size (VmHWM), KiB.
    pub hwm_kib: u64,
}

impl Memory {
    pub fn of(pid: u32) -> Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .with_context(|| format!("reading /proc/{pid}/status"))?;
        let field = |name: &str| -> Result<u64> {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .with_context(|| format!("/proc/{pid}/status has no {name}"))
        };
        Ok(Memory {
            rss_kib: field("VmRSS:")?,
            hwm_kib: field("VmHWM:")?,
        })
    }

    /// VmRSS in MB (10^6 bytes).
    pub fn rss_mb(&self) -> f64 {
        self.rss_kib as f64 * 1024.0 / 1e6
    }

    /// VmHWM in MB (10^6 bytes).
    pub fn hwm_mb(&self) -> f64 {
        self.hwm_kib as f64 * 1024.0 / 1e6
    }
}

/// User + system CPU seconds a process has used (`/proc/PID/stat`; `self` for this one).
pub fn cpu_seconds(pid: &str) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    // The command name (field 2) is in parentheses and may contain spaces: count from after it.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .context("malformed /proc stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let ticks = |i: usize| -> Result<f64> {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .context("malformed /proc stat")
    };
    // USER_HZ is 100 on every Linux architecture we run on.
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// `tug server` started by the benchmark on 127.0.0.1 with a fresh temporary data directory;
/// killed on drop.
pub struct TugServer {
    child: tokio::process::Child,
    pid: u32,
    /// The admin kubeconfig the server wrote.
    pub kubeconfig: PathBuf,
    log: PathBuf,
    dir: tempfile::TempDir,
}

impl TugServer {
    /// Starts the server and waits for its `export KUBECONFIG=` line (printed once it serves).
    pub async fn start(bin: &Path, base_dir: &Path) -> Result<TugServer> {
        let dir = tempfile::Builder::new()
            .prefix("tug-bench-api")
            .tempdir_in(base_dir)
            .context("creating the server's data dir")?;
        let log = dir.path().join("server.log");
        let log_file = std::fs::File::create(&log).context("creating the server log")?;
        let mut child = tokio::process::Command::new(bin)
            .arg("server")
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .arg("--listen")
            .arg("127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("no stdout pipe")?;
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let deadline = Duration::from_secs(60);
        let kubeconfig = tokio::time::timeout(deadline, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(path) = line.trim().strip_prefix("export KUBECONFIG=") {
                    return Ok(Some(PathBuf::from(path)));
                }
            }
            anyhow::Ok(None)
        })
        .await;
        let tail = || log_tail(&log);
        let kubeconfig = match kubeconfig {
            Ok(Ok(Some(path))) => path,
            Ok(Ok(None)) => bail!("tug server exited before serving:\n{}", tail()),
            Ok(Err(e)) => return Err(e.context(format!("reading tug's stdout\n{}", tail()))),
            Err(_) => bail!(
                "tug server did not announce itself in {deadline:?}:\n{}",
                tail()
            ),
        };
        // Keep draining stdout so a late write never blocks the server on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(TugServer {
            child,
            pid,
            kubeconfig,
            log,
            dir,
        })
    }

    /// The server's process id (for `/proc`, and for attaching a profiler).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn memory(&self) -> Result<Memory> {
        self.check_alive()?;
        Memory::of(self.pid)
    }

    pub fn cpu_seconds(&self) -> Result<f64> {
        cpu_seconds(&self.pid.to_string())
    }

    /// Bytes of the data directory's files (store, log, certificates).
    pub fn disk_bytes(&self) -> u64 {
        fn walk(dir: &Path) -> u64 {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return 0;
            };
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        }
        walk(self.dir.path())
    }

    /// Fails with the log tail if the server has exited.
    pub fn check_alive(&self) -> Result<()> {
        if std::fs::metadata(format!("/proc/{}", self.pid)).is_err() {
            bail!("tug server exited:\n{}", log_tail(&self.log));
        }
        Ok(())
    }

    /// Kills the server and removes its data directory.
    pub async fn stop(mut self) -> Result<()> {
        self.child.start_kill().ok();
        self.child.wait().await.context("waiting for tug to exit")?;
        Ok(())
    }
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Waits until the server answers `/readyz` and the `default` namespace exists.
pub async fn wait_ready(client: &ApiClient) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let attempt = async {
            let mut conn = client.connect().await?;
            let (status, _) = conn.get("/readyz").await?;
            ensure!(status == StatusCode::OK, "/readyz answered {status}");
            let (status, _) = conn.get("/api/v1/namespaces/default").await?;
            ensure!(status == StatusCode::OK, "namespace default: {status}");
            Ok(())
        };
        match attempt.await {
            Ok(()) => return Ok(()),
            Err(e) if Instant::now() > deadline => return Err(e.context("server not ready")),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}
