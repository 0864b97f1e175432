//! The tug API server: HTTPS, authentication, discovery, OpenAPI, and one generic REST
//! implementation of every served kind over a [`tug_store::Backend`].
//!
//! Data path of a write: TLS (client certificate → user) → [`router`] → decode
//! ([`decode`], strict fields) → [`registry::Strategy::admit`] (defaulting, preparation,
//! validation) → [`rest::Ctx`] (system metadata, allocation, one store transaction).
//! Reads: store → JSON or [`table`]; watches: the store's watch → [`watch`].

pub mod apply;
pub mod bootstrap;
pub mod convert_events;
pub mod convert_hpa;
pub mod decode;
pub mod delete;
pub mod discovery;
pub mod events;
pub mod filter;
pub mod gc;
pub mod list;
pub mod managed_fields;
pub mod namespaces;
pub mod object;
pub mod openapi;
pub mod openapi_v2;
pub mod patch;
pub mod pki;
pub mod priority;
pub mod protobuf;
pub mod query;
pub mod registry;
pub mod reply;
pub mod rest;
pub mod router;
pub mod server;
pub mod services;
pub mod subresources;
pub mod table;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tug_store::Backend;

pub use pki::Pki;
pub use rest::Ctx;
pub use services::ServiceNetwork;

/// How to run the API server.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the PKI and the admin kubeconfig live.
    pub data_dir: PathBuf,
    /// The address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The service network and node port range.
    pub services: ServiceNetwork,
}

/// Errors starting the API server.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Pki(#[from] pki::PkiError),
    #[error(transparent)]
    Tls(#[from] server::TlsError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("creating the built-in objects failed: {0}")]
    Bootstrap(tug_api::status::ApiError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A running API server.
pub struct Running {
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// `DIR/admin.kubeconfig`.
    pub kubeconfig: PathBuf,
    /// The shared request context (for in-process callers and tests).
    pub ctx: Arc<Ctx>,
    /// The cluster PKI.
    pub pki: Pki,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Running {
    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

fn advertise_ip(listen: &SocketAddr) -> IpAddr {
    if !listen.ip().is_unspecified() {
        return listen.ip();
    }
    if let Ok(ifs) = if_addrs::get_if_addrs()
        && let Some(i) = ifs.iter().find(|i| !i.is_loopback() && i.ip().is_ipv4())
    {
        return i.ip();
    }
    IpAddr::from([127, 0, 0, 1])
}

/// Starts the API server on `store`: PKI, listener, built-in objects, the system loops,
/// and the admin kubeconfig. Returns once the server accepts requests.
pub async fn start(config: Config, store: Arc<dyn Backend>) -> Result<Running, StartError> {
    let first_ip = IpAddr::V4(config.services.first_ip());
    let pki = Pki::load_or_create(&config.data_dir, &[first_ip])?;
    let tls = server::tls_config(&pki)?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: config.listen,
        source,
    })?;
    let ctx = Arc::new(Ctx {
        store,
        registry: registry::Registry::builtin(),
        services: config.services.clone(),
    });
    let adv = advertise_ip(&addr);
    bootstrap::ensure_builtin(&ctx, &adv.to_string(), addr.port())
        .await
        .map_err(StartError::Bootstrap)?;
    tokio::spawn(bootstrap::service_account_loop(ctx.clone()));
    tokio::spawn(gc::run(ctx.clone()));
    tokio::spawn(namespaces::run(ctx.clone()));
    let client_host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        }
    };
    let server_address = format!("{client_host}:{}", addr.port());
    let app = router::router(Arc::new(router::App {
        ctx: ctx.clone(),
        server_address: server_address.clone(),
    }));
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(server::serve(listener, tls, app, async {
        let _ = rx.await;
    }));
    let kubeconfig = config.data_dir.join("admin.kubeconfig");
    write_kubeconfig(&kubeconfig, &format!("https://{server_address}"), &pki)?;
    Ok(Running {
        addr,
        kubeconfig,
        ctx,
        pki,
        shutdown: Some(tx),
        task,
    })
}

/// The admin kubeconfig: the cluster CA, the server URL and the admin client certificate,
/// embedded, in a context named `tug`.
pub fn kubeconfig_yaml(server: &str, pki: &Pki) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: tug\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\nusers:\n- name: tug-admin\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\ncontexts:\n- name: tug\n  context:\n    cluster: tug\n    user: tug-admin\n    namespace: default\ncurrent-context: tug\npreferences: {{}}\n",
        ca = b64(&pki.ca.cert_pem),
        cert = b64(&pki.admin.cert_pem),
        key = b64(&pki.admin.key_pem),
    )
}

fn write_kubeconfig(path: &Path, server: &str, pki: &Pki) -> Result<(), StartError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let io = |source| StartError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(io)?;
    f.write_all(kubeconfig_yaml(server, pki).as_bytes())
        .map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}
