//! End-to-end test support: the real `tug` binary on a temporary data directory, and the
//! real versioned kubectl binaries, each invocation with a fresh `--cache-dir`.
//!
//! Nothing here skips: a missing kubectl fails the test with what to install.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The versioned kubectl binary for `1.MINOR`, found through the kubectl package's file
/// list (the `kubectl` on PATH is a dispatcher that silently picks another version when
/// `/version` fails, so tests never use it).
pub fn kubectl_binary(minor: u32) -> PathBuf {
    let want = format!("kubectl.1.{minor}");
    let listed = Command::new("dpkg").args(["-L", "kubectl"]).output();
    if let Ok(out) = listed {
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if line.ends_with(&format!("/bin/{want}")) && Path::new(line).exists() {
                return PathBuf::from(line);
            }
        }
    }
    for dir in [
        "/usr/lib/google-cloud-sdk/bin",
        "/usr/bin",
        "/usr/local/bin",
    ] {
        let p = Path::new(dir).join(&want);
        if p.exists() {
            return p;
        }
    }
    panic!(
        "{want} not found: the end-to-end tests need the versioned kubectl binaries of the \
         Debian `kubectl` package (Google Cloud SDK), kubectl 1.27–1.33"
    );
}

/// The older kubectl minor versions every end-to-end suite also runs with.
pub const OLDER_KUBECTL_MINORS: std::ops::RangeInclusive<u32> = 27..=32;

/// The environment variable that makes a test binary run its suite with another kubectl
/// minor version (see [`rerun_with_kubectl`]).
pub const KUBECTL_MINOR_ENV: &str = "TUG_TEST_KUBECTL_MINOR";

/// The kubectl minor version the suite runs with: 33 unless [`KUBECTL_MINOR_ENV`] says
/// otherwise.
pub fn suite_kubectl_minor() -> u32 {
    std::env::var(KUBECTL_MINOR_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(33)
}

/// Runs every test of the current test binary again with kubectl `1.minor` (the binary
/// re-executes itself with [`KUBECTL_MINOR_ENV`] set, skipping the test named `skip`, which is
/// the caller) and panics with the output if any fails. Returns the summary line.
pub fn rerun_with_kubectl(minor: u32, skip: &str) -> String {
    let exe = std::env::current_exe().expect("test binary path");
    let out = Command::new(exe)
        .env(KUBECTL_MINOR_ENV, minor.to_string())
        .args(["--skip", skip, "--test-threads", "4"])
        .output()
        .expect("test binary re-runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the suite fails with kubectl 1.{minor}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find(|l| l.starts_with("test result:"))
        .unwrap_or("")
        .to_string()
}

/// A running `tug server` on a temporary data directory; killed on drop.
pub struct TugServer {
    pub dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
    child: Option<Child>,
}

impl TugServer {
    /// Starts `tug server --listen 127.0.0.1:0` and waits for its kubeconfig line.
    pub fn start() -> TugServer {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start_in(dir)
    }

    /// Starts a server on an existing data directory (restarts).
    pub fn start_in(dir: tempfile::TempDir) -> TugServer {
        let (child, kubeconfig) = spawn_server(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        TugServer {
            dir,
            kubeconfig,
            child: Some(child),
        }
    }

    /// Stops the server with SIGTERM and waits for it; returns the data directory.
    pub fn stop(mut self) -> (tempfile::TempDir, std::process::ExitStatus) {
        let mut child = self.child.take().expect("running");
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let status = wait_timeout(&mut child, Duration::from_secs(10));
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"));
        (dir, status)
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }

    /// Runs the suite's kubectl ([`suite_kubectl_minor`], 1.33 by default) against this server.
    pub fn kubectl(&self, args: &[&str]) -> Output {
        self.kubectl_version(suite_kubectl_minor(), args, None)
    }

    /// Runs the suite's kubectl with `stdin` as standard input.
    pub fn kubectl_stdin(&self, args: &[&str], stdin: &str) -> Output {
        self.kubectl_version(suite_kubectl_minor(), args, Some(stdin))
    }

    /// Runs kubectl `1.minor` with a fresh cache directory.
    pub fn kubectl_version(&self, minor: u32, args: &[&str], stdin: Option<&str>) -> Output {
        let cache = tempfile::tempdir().expect("cache dir");
        let mut cmd = Command::new(kubectl_binary(minor));
        cmd.arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(cache.path())
            .args(args)
            .env_remove("KUBECONFIG")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("kubectl starts");
        if let Some(input) = stdin {
            use std::io::Write;
            let mut si = child.stdin.take().expect("stdin piped");
            si.write_all(input.as_bytes()).expect("write stdin");
        }
        child.wait_with_output().expect("kubectl runs")
    }

    /// Runs kubectl and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.kubectl(args);
        assert!(
            out.status.success(),
            "kubectl {} failed ({}):\nstdout: {}\nstderr: {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs kubectl and asserts failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.kubectl(args);
        assert!(
            !out.status.success(),
            "kubectl {} unexpectedly succeeded:\nstdout: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Runs `kubectl describe TYPE/NAME` for every `TYPE/NAME created` line of a `create`'s
    /// output and checks each prints the object (`Name:` and its name). Returns how many.
    pub fn describe_each_created(&self, create_output: &str) -> usize {
        let mut n = 0;
        for line in create_output.lines() {
            let Some(obj) = line.trim().strip_suffix(" created") else {
                continue;
            };
            let name = obj.rsplit('/').next().unwrap_or(obj);
            let out = self.ok(&["describe", obj]);
            assert!(
                out.contains("Name:") && out.contains(name),
                "kubectl describe {obj}:\n{out}"
            );
            n += 1;
        }
        n
    }

    /// Writes a manifest into the data directory's scratch folder and returns its path.
    pub fn manifest(&self, name: &str, yaml: &str) -> String {
        let p = self.dir.path().join("manifests");
        std::fs::create_dir_all(&p).expect("mkdir");
        let f = p.join(name);
        std::fs::write(&f, yaml).expect("write manifest");
        f.display().to_string()
    }
}

impl Drop for TugServer {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn wait_timeout(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Ok(Some(s)) = child.try_wait() {
            return s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            return child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Spawns `tug server` on `dir` and reads its `export KUBECONFIG=` line.
pub fn spawn_server(dir: &Path) -> Result<(Child, PathBuf), String> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .map_err(|e| format!("cannot open server.log: {e}"))?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tug"))
        .args(["server", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .map_err(|e| format!("cannot start tug: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("reading tug's stdout: {e}"))?;
    let Some(path) = line.trim().strip_prefix("export KUBECONFIG=") else {
        let _ = child.kill();
        let _ = child.wait();
        let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
        return Err(format!(
            "tug server printed {line:?} instead of the kubeconfig line; its log: {log}"
        ));
    };
    Ok((child, PathBuf::from(path)))
}

/// Retries `f` until it returns true or `limit` passes.
pub fn eventually(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}
