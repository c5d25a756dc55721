//! The generator behind `cargo xtask gen`: reads the YAML description of the Nexudus API in
//! `spec/` and produces the Rust modules of the `nexudus` crate.
//!
//! The pipeline, one module per step: [`source`] reads the spec folder, [`parse`] turns YAML
//! into serde shapes (recording positions), [`validate`] checks them and builds the typed
//! [`ir`], [`emit`] turns the IR into tokens, [`render`] formats them (one share of the modules
//! per core), and [`write`](mod@write) writes the files. Beside the Rust modules, [`openapi`]
//! describes the API as an OpenAPI 3.1 document and [`readme`] writes the crate's README, both
//! from the same IR.

pub mod diagnostic;
pub mod emit;
pub mod features;
pub mod ir;
pub mod naming;
pub mod openapi;
pub mod parse;
pub mod positions;
pub mod readme;
pub mod render;
pub mod source;
pub mod validate;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diagnostic::{Diagnostic, Diagnostics};
pub use write::{Mode, RenderedFile, WriteReport};

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems; nothing was written.
    #[error("{0}")]
    Spec(Diagnostics),
    /// The generated crate's `Cargo.toml` lacks a feature the spec's areas need; nothing was
    /// written.
    #[error("{}", manifest_problems(.0))]
    Manifest(Diagnostics),
    /// Spec files or folders could not be read; nothing was written.
    #[error("{0}")]
    Read(Diagnostics),
    /// A file could not be read or written, or generated code did not parse.
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// Manifest problems, one a line, then what they mean.
fn manifest_problems(diagnostics: &Diagnostics) -> String {
    let mut text = String::new();
    for item in diagnostics.items() {
        text.push_str(&format!("{item}\n"));
    }
    text.push_str("the crate's [features] do not match the spec's areas");
    text
}

/// The OpenAPI document's file name, in the crate folder.
pub const OPENAPI_FILE: &str = "openapi.json";

/// The README's file name, in the crate folder.
pub const README_FILE: &str = "README.md";

/// One spec folder and the folders its files are generated into.
#[derive(Debug, Clone)]
pub struct Target {
    /// The spec folder.
    pub spec: PathBuf,
    /// How messages and headers name the spec folder.
    pub spec_display: PathBuf,
    /// The generated modules folder.
    pub output: PathBuf,
    /// How messages name the output folder.
    pub output_display: PathBuf,
    /// The crate folder that receives the documents ([`OPENAPI_FILE`], [`README_FILE`]), with
    /// how messages name it; `None` where nobody reads them.
    pub documents: Option<(PathBuf, PathBuf)>,
    /// The `Cargo.toml` of the crate the modules belong to, which declares the area features.
    pub manifest: PathBuf,
    /// How messages name the manifest.
    pub manifest_display: PathBuf,
}

/// What `cargo xtask gen` generates in the workspace at `root`: the `nexudus` crate and its
/// documents from `spec/`, and the `fixture-client` crate from the valid fixture specs.
pub fn project_targets(root: &Path) -> Vec<Target> {
    // The fixtures exist to prove that every spec feature compiles; a README or OpenAPI
    // document of them would describe no real API.
    [("spec", "generated", true), ("codegen/tests/fixtures/valid", "codegen/fixture_client", false)]
        .into_iter()
        .map(|(spec, krate, documents)| Target {
            spec: root.join(spec),
            spec_display: PathBuf::from("spec"),
            output: root.join(krate).join("src/gen"),
            output_display: Path::new(krate).join("src/gen"),
            documents: documents.then(|| (root.join(krate), PathBuf::from(krate))),
            manifest: root.join(krate).join("Cargo.toml"),
            manifest_display: Path::new(krate).join("Cargo.toml"),
        })
        .collect()
}

/// Generates a target's modules, and checks that its crate's manifest declares the feature of
/// every area (see [`features`]).
pub fn generate_target(target: &Target) -> Result<Generated, GenerateError> {
    let generated = generate(&target.spec, &target.spec_display)?;
    let manifest = source::read_manifest(&target.manifest, &target.manifest_display).map_err(GenerateError::Read)?;
    let diagnostics = features::check_manifest(&manifest, &target.manifest_display, &generated.areas);
    if diagnostics.is_empty() {
        Ok(generated)
    } else {
        Err(GenerateError::Manifest(diagnostics))
    }
}

/// How long each step of one generation took; `cargo xtask bench` reports them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PhaseTimings {
    /// Reading the spec files.
    pub read: Duration,
    /// Parsing YAML into the serde shapes, with positions.
    pub parse: Duration,
    /// Checking the spec and building the IR.
    pub validate: Duration,
    /// Turning the IR into token streams.
    pub emit: Duration,
    /// Parsing the tokens back and printing them with prettyplease.
    pub format: Duration,
}

/// The outcome of a generation: the files to write and how long each step took.
#[derive(Debug)]
pub struct Generated {
    /// The Rust modules, sorted by path inside the generated modules folder.
    pub modules: Vec<RenderedFile>,
    /// [`OPENAPI_FILE`] and [`README_FILE`]; paths inside the crate folder.
    pub documents: Vec<RenderedFile>,
    /// The API areas (spec folders), each a cargo feature of the generated crate, with the other
    /// areas whose types it uses.
    pub areas: BTreeMap<String, BTreeSet<String>>,
    /// How many operations the spec declares.
    pub operations: usize,
    pub timings: PhaseTimings,
}

/// Reads, checks and renders the spec folder `spec_dir` into the text of every generated file.
/// `display_prefix` is how messages and headers name the folder (such as `spec`).
/// The outcome also gives the areas and the time each step took.
pub fn generate(spec_dir: &Path, display_prefix: &Path) -> Result<Generated, GenerateError> {
    let started = Instant::now();
    let sources = source::read_spec_folder(spec_dir, display_prefix).map_err(GenerateError::Read)?;
    if sources.is_empty() {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push_with_hint(
            diagnostic::Location { file: display_prefix.to_path_buf(), line: 1, column: 1 },
            "the spec folder holds no .yaml file",
            "start with api.yaml; spec/README.md describes the format",
        );
        return Err(GenerateError::Spec(diagnostics));
    }
    let read = started.elapsed();
    let mut generated = generate_from_sources(sources)?;
    generated.timings.read = read;
    Ok(generated)
}

/// The OpenAPI document of the spec folder `spec_dir` in `dialect`, as text; nothing else is
/// rendered. `display_prefix` names the folder in messages, as for [`generate`].
pub fn openapi_document(
    spec_dir: &Path,
    display_prefix: &Path,
    dialect: openapi::Dialect,
) -> Result<String, GenerateError> {
    let sources = source::read_spec_folder(spec_dir, display_prefix).map_err(GenerateError::Read)?;
    let spec = checked_spec(sources, &mut PhaseTimings::default())?;
    Ok(openapi::render_in(&spec, dialect))
}

/// Parses and checks the spec files into the IR, timing both steps.
fn checked_spec(mut sources: Vec<parse::SourceFile>, timings: &mut PhaseTimings) -> Result<ir::Spec, GenerateError> {
    let started = Instant::now();
    sources.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
    let mut diagnostics = Diagnostics::default();
    let source_count = sources.len();
    let parsed = parse::parse_files(sources, &mut diagnostics);
    timings.parse = started.elapsed();
    // Checking meaning across files that did not all parse would only add echoes of the
    // syntax errors (unknown names declared in the unreadable file).
    if parsed.len() < source_count {
        return Err(GenerateError::Spec(diagnostics.finish()));
    }
    let spec = validate::validate(&parsed, &mut diagnostics);
    let spec = match spec {
        Some(spec) if diagnostics.is_empty() => spec,
        _ => return Err(GenerateError::Spec(diagnostics.finish())),
    };
    timings.validate = started.elapsed() - timings.parse;
    Ok(spec)
}

/// Like [`generate`], for spec files already in memory; the `read` timing stays zero.
pub fn generate_from_sources(sources: Vec<parse::SourceFile>) -> Result<Generated, GenerateError> {
    let mut timings = PhaseTimings::default();
    let spec = checked_spec(sources, &mut timings)?;
    let (modules, emitting, formatting) = render::render_spec(&spec)?;
    let documents_started = Instant::now();
    let documents = vec![
        RenderedFile { path: PathBuf::from(OPENAPI_FILE), text: openapi::render(&spec) },
        RenderedFile { path: PathBuf::from(README_FILE), text: readme::render(&spec) },
    ];
    // The documents are emitted and printed in one go; they count as emission.
    timings.emit = emitting + documents_started.elapsed();
    timings.format = formatting;
    Ok(Generated {
        modules,
        documents,
        areas: features::area_dependencies(&spec),
        operations: spec.operation_count(),
        timings,
    })
}
