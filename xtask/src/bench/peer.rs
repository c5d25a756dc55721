//! The peer comparison: the same synthetic API, exported as OpenAPI 3.0, turned into a crate by
//! progenitor's `cargo progenitor` where it is installed, and built the way the generated crate
//! is built (dependencies first, then `cargo clean -p` and a timed `cargo build`).
//!
//! progenitor refuses two things the export says on purpose, so the document it gets is adapted,
//! without changing the operations, types or parameters it generates code for: a query parameter
//! that travels as JSON (`?id=[1,2,3]`, described with `content`) becomes a string parameter, and
//! the shared failure answers lose their bodies (progenitor takes one error type per operation;
//! the export gives the 400, 401, 404, 429 and 500 answers each their own).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use codegen::openapi::Dialect;
use serde_json::Value;

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
    fs::write(&input, adapt(&document)?)?;
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

/// The document as progenitor takes it (see the module documentation).
fn adapt(document: &str) -> anyhow::Result<String> {
    let mut document: Value = serde_json::from_str(document).context("reading the exported document")?;
    for item in
        document.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|paths| paths.values_mut())
    {
        for operation in item.as_object_mut().into_iter().flat_map(|item| item.values_mut()) {
            let parameters = operation.get_mut("parameters").and_then(Value::as_array_mut);
            for parameter in parameters.into_iter().flatten() {
                let Some(parameter) = parameter.as_object_mut() else { continue };
                if parameter.remove("content").is_some() {
                    parameter.insert("schema".into(), serde_json::json!({ "type": "string" }));
                }
            }
        }
    }
    let responses = document.pointer_mut("/components/responses").and_then(Value::as_object_mut);
    for response in responses.into_iter().flat_map(|responses| responses.values_mut()) {
        if let Some(response) = response.as_object_mut() {
            response.remove("content");
            response.remove("headers");
        }
    }
    Ok(serde_json::to_string_pretty(&document)?)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_parameters_become_strings_and_shared_failures_lose_their_bodies() {
        let document = serde_json::json!({
            "paths": {"/things": {"get": {"parameters": [
                {"name": "id", "in": "query", "content": {"application/json": {"schema": {"type": "array"}}}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
            ]}}},
            "components": {"responses": {"NotFound": {
                "description": "No record.",
                "content": {"application/json": {"schema": {"type": "string"}}},
                "headers": {"Retry-After": {}},
            }}},
        });
        let adapted: Value = serde_json::from_str(&adapt(&document.to_string()).unwrap()).unwrap();
        assert_eq!(
            adapted["paths"]["/things"]["get"]["parameters"],
            serde_json::json!([
                {"name": "id", "in": "query", "schema": {"type": "string"}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
            ])
        );
        assert_eq!(adapted["components"]["responses"]["NotFound"], serde_json::json!({"description": "No record."}));
    }
}
