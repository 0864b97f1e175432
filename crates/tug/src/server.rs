//! `tug server`: opens the data directory (one server per directory), the durable store and
//! the API server, prints the kubeconfig export line, and runs until SIGINT or SIGTERM.

use std::fs::File;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use tug_apiserver::ServiceNetwork;
use tug_store_redb::{RedbBackend, RedbOptions};

#[derive(Args, Debug)]
pub struct ServerArgs {
    /// Where state, certificates and the admin kubeconfig live
    /// [default: /var/lib/tug for root, else $XDG_DATA_HOME/tug or ~/.local/share/tug]
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Address and port of the HTTPS API; port 0 picks a free one.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:6443")]
    listen: SocketAddr,
    /// Do not run a node agent for this machine (the agent is not built yet; accepted for
    /// forward compatibility).
    #[arg(long)]
    no_agent: bool,
    /// The network Service ClusterIPs are allocated from.
    #[arg(long, value_name = "CIDR", default_value = "10.96.0.0/12")]
    service_cidr: String,
    /// The range NodePorts are allocated from.
    #[arg(long, value_name = "LOW-HIGH", default_value = "30000-32767")]
    service_node_port_range: String,
    /// The store's page cache in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    store_cache_mib: usize,
}

fn default_data_dir() -> anyhow::Result<PathBuf> {
    if rustix_is_root() {
        return Ok(PathBuf::from("/var/lib/tug"));
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return Ok(PathBuf::from(x).join("tug"));
    }
    let home = std::env::var_os("HOME")
        .context("neither XDG_DATA_HOME nor HOME is set; pass --data-dir")?;
    Ok(PathBuf::from(home).join(".local/share/tug"))
}

/// Whether we run as root, from /proc (no libc call needed).
fn rustix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

fn parse_port_range(s: &str) -> anyhow::Result<(u16, u16)> {
    let (a, b) = s
        .split_once('-')
        .with_context(|| format!("--service-node-port-range {s:?}: expected LOW-HIGH"))?;
    let a: u16 = a
        .trim()
        .parse()
        .with_context(|| format!("--service-node-port-range {s:?}: bad low port"))?;
    let b: u16 = b
        .trim()
        .parse()
        .with_context(|| format!("--service-node-port-range {s:?}: bad high port"))?;
    if a == 0 || a > b {
        bail!("--service-node-port-range {s:?}: the range is empty");
    }
    Ok((a, b))
}

pub fn run(args: ServerArgs) -> anyhow::Result<()> {
    let _ = args.no_agent;
    let filter = tracing_subscriber::EnvFilter::try_from_env("TUG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let data_dir = match args.data_dir {
        Some(d) => d,
        None => default_data_dir()?,
    };
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let lock_path = data_dir.join("tug.lock");
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another tug server is already running with data directory {} (it holds {})",
            data_dir.display(),
            lock_path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", lock_path.display()));
        }
    }
    let services = ServiceNetwork::parse_cidr(
        &args.service_cidr,
        parse_port_range(&args.service_node_port_range)?,
    )
    .map_err(anyhow::Error::msg)
    .context("--service-cidr")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        // Signal handlers first, so a SIGTERM right after the kubeconfig line is printed
        // still stops the server cleanly.
        let signals = Signals::install()?;
        let store_path = data_dir.join("store.redb");
        let options = RedbOptions {
            cache_size_bytes: args.store_cache_mib * 1024 * 1024,
            ..RedbOptions::default()
        };
        let store = RedbBackend::open(&store_path, options)
            .with_context(|| format!("cannot open the store {}", store_path.display()))?;
        let store: Arc<dyn tug_store::Backend> = Arc::new(store);
        let running = tug_apiserver::start(
            tug_apiserver::Config {
                data_dir: data_dir.clone(),
                listen: args.listen,
                services,
            },
            store.clone(),
        )
        .await
        .context("cannot start the API server")?;
        tracing::info!("tug API server listening on https://{}", running.addr);
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "export KUBECONFIG={}", running.kubeconfig.display())?;
            out.flush()?;
        }
        signals.wait().await;
        tracing::info!("shutting down");
        running.stop().await;
        drop(store);
        anyhow::Ok(())
    })?;
    drop(lock);
    Ok(())
}

/// SIGTERM and SIGINT, installed before the server announces itself.
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> anyhow::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?,
            int: signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}
