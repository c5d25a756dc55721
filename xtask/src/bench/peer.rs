//! The peer comparison: the same synthetic API, exported as OpenAPI 3.0, turned into a crate by
//! progenitor's `cargo progenitor` where it is installed, and built the way the generated crate
//! is built (dependencies first, then `cargo clean -p` and a timed `cargo build`).
//!
//! progenitor refuses two things the export says on purpose, so it gets the document in the form
//! `cargo xtask openapi --for generators` writes (see [`crate::openapi_form`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use codegen::openapi::Dialect;

use super::build::{self, BuildFigures, Features, SyntheticCrate};
use super::stats::Samples;

/// What installs the peer, for the message shown when it is missing.
pub const INSTALL: &str = "cargo install cargo-progenitor --locked";

/// Whether `cargo progenitor` can run here.
pub fn available() -> bool {
    Command::new(cargo())
        .args(["progenitor", "--help"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// What progenitor's runs measured at one spec size.
#[derive(Debug, Default)]
pub struct PeerFigures {
    /// The progenitor version, as its crate's manifest asks for `progenitor-client`.
    pub version: String,
    /// Wall time of `cargo progenitor`, reading the document to writing the crate.
    pub generation: Samples,
    pub lines: usize,
    pub build: BuildFigures,
}

/// Exports the spec folder `spec` as OpenAPI 3.0 into `work`, has progenitor generate a crate
/// from it `runs.0` times, then builds that crate `runs.1` times, after an untimed build of its
/// dependencies when `build_dependencies` (progenitor's crates of every size share them).
pub fn measure(
    spec: &Path,
    work: &Path,
    name: &str,
    target: &Path,
    log: &Path,
    runs: (usize, usize),
    build_dependencies: bool,
) -> anyhow::Result<PeerFigures> {
    let (generation_runs, build_runs) = runs;
    fs::create_dir_all(work).with_context(|| format!("creating {}", work.display()))?;
    let document = codegen::openapi_document(spec, Path::new("spec"), Dialect::V3_0)
        .map_err(|error| anyhow::anyhow!("exporting the synthetic spec as OpenAPI 3.0: {error}"))?;
    let input = work.join("openapi.json");
    fs::write(&input, crate::openapi_form::for_generators(&document)?)?;
    let output = work.join(name);
    let mut figures = PeerFigures::default();
    for _ in 0..generation_runs {
        if output.exists() {
            fs::remove_dir_all(&output).with_context(|| format!("removing {}", output.display()))?;
        }
        let started = Instant::now();
        let run = Command::new(cargo())
            .args(["progenitor", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(&output)
            .args(["--name", name, "--version", "0.0.0"])
            .stdin(Stdio::null())
            .output()
            .context("starting cargo progenitor")?;
        figures.generation.push_duration(started.elapsed());
        if !run.status.success() {
            bail!("cargo progenitor failed on {}: {}", input.display(), String::from_utf8_lossy(&run.stderr));
        }
    }
    figures.lines = count_lines(&output.join("src"))?;
    figures.version = keep_out_of_workspace(&output.join("Cargo.toml"))?;
    let krate = SyntheticCrate { name: name.to_owned(), packages: vec![name.to_owned()], folder: output };
    if build_dependencies {
        build::prepare(&krate, target, &Features::All, log)?;
    }
    figures.build = build::measure(&krate, target, &Features::All, build_runs, log)?;
    Ok(figures)
}

/// Adds an empty `[workspace]` to the manifest progenitor wrote (the crate sits below this
/// workspace's folder but is not a member) and gives the `progenitor-client` version it asks for.
fn keep_out_of_workspace(manifest: &Path) -> anyhow::Result<String> {
    let mut text = fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let parsed: toml::Table = text.parse().with_context(|| format!("parsing {}", manifest.display()))?;
    let version = parsed
        .get("dependencies")
        .and_then(|dependencies| dependencies.get("progenitor-client"))
        .and_then(|client| client.as_str().or_else(|| client.get("version").and_then(toml::Value::as_str)))
        .unwrap_or("unknown")
        .to_owned();
    if !parsed.contains_key("workspace") {
        text.push_str("\n[workspace]\n");
        fs::write(manifest, text)?;
    }
    Ok(version)
}

/// Lines of every file in `folder`.
fn count_lines(folder: &Path) -> anyhow::Result<usize> {
    let mut lines = 0;
    for entry in fs::read_dir(folder).with_context(|| format!("reading {}", folder.display()))? {
        let path: PathBuf = entry?.path();
        if path.is_file() {
            lines += fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(lines)
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}
