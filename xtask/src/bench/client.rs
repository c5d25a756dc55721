//! The client benchmark, `generated/benches/client.rs`: the generated client against raw
//! reqwest on a local keep-alive server, built in release mode through cargo; its Markdown table
//! as it prints it.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context};

/// The arguments of `cargo bench` that select the benchmark: the `crm` area alone, which holds
/// the resource it asks for.
const BENCH: [&str; 7] = ["bench", "--package", "nexudus", "--bench", "client", "--no-default-features", "--features"];

/// Builds the benchmark (its output into `log`), then runs it and gives its table. `quick`
/// takes fewer rounds and smaller batches.
pub fn measure(root: &Path, quick: bool, log: &Path) -> anyhow::Result<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = |log: &Path| -> anyhow::Result<Stdio> {
        let file = File::options().append(true).create(true).open(log)?;
        Ok(Stdio::from(file))
    };
    let built = Command::new(&cargo)
        .args(BENCH)
        .args(["crm", "--no-run"])
        .current_dir(root)
        .stdout(output(log)?)
        .stderr(output(log)?)
        .status()
        .context("running cargo bench --no-run")?;
    if !built.success() {
        bail!("building the client benchmark failed; see {}", log.display());
    }
    let mut run = Command::new(&cargo);
    run.args(BENCH).args(["crm", "--"]).current_dir(root).stderr(output(log)?);
    if quick {
        run.arg("--quick");
    }
    let ran = run.output().context("running the client benchmark")?;
    if !ran.status.success() {
        bail!("the client benchmark failed; see {}", log.display());
    }
    Ok(String::from_utf8_lossy(&ran.stdout).into_owned())
}
