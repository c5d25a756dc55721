//! `cargo xtask gen` as users run it: the whole command through cargo, on the real spec, with
//! nothing changed (the fingerprint shows it: a no-op) and with no stamp (the whole pipeline,
//! every file generated and compared), interleaved. Nothing is written: the real `generated/`
//! must be up to date, or nothing is measured.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};

use super::stats::Samples;
use crate::fingerprint::STAMP_FILE;

/// Wall times of the whole command.
#[derive(Debug, Default)]
pub struct CommandFigures {
    /// `cargo xtask gen` with nothing changed.
    pub no_op: Samples,
    /// `cargo xtask gen --check` with nothing changed.
    pub check_no_op: Samples,
    /// `cargo xtask gen` without a stamp: a full generation that writes nothing.
    pub full: Samples,
}

/// Times the command `runs` times each way; `None`, saying why, when `generated/` is stale.
pub fn measure(root: &Path, runs: usize) -> anyhow::Result<Option<CommandFigures>> {
    if !gen(root, &["--check"])? {
        eprintln!("bench: generated/ is out of date; `cargo xtask gen` as users run it is not measured");
        return Ok(None);
    }
    // Up to date: this run writes nothing but the stamps.
    if !gen(root, &[])? {
        bail!("cargo xtask gen failed over an up-to-date generated/");
    }
    let mut figures = CommandFigures::default();
    for _ in 0..runs {
        figures.no_op.push_duration(timed(|| gen(root, &[]))?);
        figures.check_no_op.push_duration(timed(|| gen(root, &["--check"]))?);
        for target in codegen::project_targets(root) {
            let _ = fs::remove_file(target.root.join(STAMP_FILE));
        }
        figures.full.push_duration(timed(|| gen(root, &[]))?);
    }
    Ok(Some(figures))
}

/// The wall time of `run`, which must succeed.
fn timed(run: impl FnOnce() -> anyhow::Result<bool>) -> anyhow::Result<std::time::Duration> {
    let started = Instant::now();
    if !run()? {
        bail!("cargo xtask gen failed while timed");
    }
    Ok(started.elapsed())
}

/// Runs `cargo xtask gen` with `arguments`; whether it succeeded.
fn gen(root: &Path, arguments: &[&str]) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["xtask", "gen"])
        .args(arguments)
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("running cargo xtask gen")?;
    Ok(status.success())
}
