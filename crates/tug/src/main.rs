//! `tug`: the one binary. `main` only parses the command line and dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod server;

/// tug — a container orchestrator that speaks the Kubernetes API.
#[derive(Parser, Debug)]
#[command(name = "tug", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Runs the control plane: store, API server (and later scheduler, controllers, agent).
    Server(server::ServerArgs),
    /// Prints tug's version and the Kubernetes API version it serves.
    Version,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Version => {
            println!(
                "tug {} (Kubernetes API {})",
                env!("CARGO_PKG_VERSION"),
                tug_apiserver::router::KUBE_GIT_VERSION
            );
            ExitCode::SUCCESS
        }
        Command::Server(args) => match server::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tug server: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}
