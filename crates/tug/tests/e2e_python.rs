//! End-to-end: the official Python `kubernetes` client (pinned in scripts/test) creates,
//! lists with selectors, watches, patches, replaces (409 when stale), deletes, and sees 422
//! for invalid objects — tests/python/client_compat.py against the real binary.

mod support;

use std::process::Command;

use support::TugServer;

#[test]
fn the_official_python_client_works_against_tug() {
    let probe = Command::new("python3")
        .args(["-c", "import kubernetes; print(kubernetes.__version__)"])
        .output()
        .expect("python3 runs");
    assert!(
        probe.status.success(),
        "the Python `kubernetes` client is missing: pip install kubernetes==33.1.0 (scripts/test does)"
    );
    let tug = TugServer::start();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/python/client_compat.py"
    );
    let out = Command::new("python3")
        .arg(script)
        .arg(&tug.kubeconfig)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python client checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("python client: all checks passed"),
        "{stdout}"
    );
}
