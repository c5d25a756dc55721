//! The generator behind `cargo xtask gen`: reads the YAML description of the Nexudus API in
//! `spec/` and produces the Rust code of the `nexudus` crate: one crate per API area, the shared
//! types in its core crate, and the re-exports and resource methods of `nexudus` itself
//! ([`layout`] says where each file goes).
//!
//! The pipeline, one module per step: [`source`] reads the spec folder, [`parse`] turns YAML
//! into serde shapes (recording positions), [`validate`] checks them and builds the typed
//! [`ir`], [`emit`] turns the IR into tokens, [`render`] formats them (one share of the modules
//! per core), and [`write`](mod@write) writes the files. Beside the Rust modules, [`manifests`]
//! writes the area crates' `Cargo.toml`, [`openapi`] describes the API as an OpenAPI document
//! and [`readme`] writes the crate's README, all from the same IR.

pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod expand;
pub mod features;
pub mod ir;
pub mod layout;
pub mod manifests;
pub mod naming;
pub mod openapi;
pub mod parse;
pub mod positions;
pub mod prose;
pub mod readme;
pub mod render;
pub mod samples;
pub mod source;
pub mod validate;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use layout::Layout;

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
    text.push_str("the crate's [dependencies] and [features] do not match the spec's areas");
    text
}

/// The OpenAPI document's file name, in the crate folder.
pub const OPENAPI_FILE: &str = "openapi.json";

/// The README's file name, in the crate folder.
pub const README_FILE: &str = "README.md";

/// One spec folder and the crate folder its files are generated into.
#[derive(Debug, Clone)]
pub struct Target {
    /// The spec folder.
    pub spec: PathBuf,
    /// How messages and headers name the spec folder.
    pub spec_display: PathBuf,
    /// The folder of the application-facing crate; the core and area crates sit inside it
    /// (see [`layout`]).
    pub root: PathBuf,
    /// How messages name the crate folder.
    pub root_display: PathBuf,
    /// The application-facing crate's package name; the other crates are named after it.
    pub package: String,
    /// Whether the crate gets the documents ([`OPENAPI_FILE`], [`README_FILE`]).
    pub documents: bool,
}

impl Target {
    /// The `Cargo.toml` of the application-facing crate, which declares the area features.
    pub fn manifest(&self) -> PathBuf {
        self.root.join("Cargo.toml")
    }

    /// How messages name the manifest.
    pub fn manifest_display(&self) -> PathBuf {
        self.root_display.join("Cargo.toml")
    }

    /// The names of the target's crates.
    pub fn layout(&self) -> Layout {
        Layout::new(&self.package)
    }
}

/// What `cargo xtask gen` generates in the workspace at `root`: the `nexudus` crates and their
/// documents from `spec/`, and the `fixture-client` crates from the valid fixture specs.
pub fn project_targets(root: &Path) -> Vec<Target> {
    // The fixtures exist to prove that every spec feature compiles; a README or OpenAPI
    // document of them would describe no real API.
    [
        ("spec", "generated", "nexudus", true),
        ("codegen/tests/fixtures/valid", "codegen/fixture_client", "fixture-client", false),
    ]
    .into_iter()
    .map(|(spec, krate, package, documents)| Target {
        spec: root.join(spec),
        spec_display: PathBuf::from("spec"),
        root: root.join(krate),
        root_display: PathBuf::from(krate),
        package: package.to_owned(),
        documents,
    })
    .collect()
}

/// Generates a target's modules, and checks that its crate's manifest declares the crate and
/// the feature of every area (see [`features`]).
pub fn generate_target(target: &Target) -> Result<Generated, GenerateError> {
    let generated = generate_target_unchecked(target)?;
    let diagnostics = check_target_manifest(target, &generated)?;
    if diagnostics.is_empty() {
        Ok(generated)
    } else {
        Err(GenerateError::Manifest(diagnostics))
    }
}

/// Generates a target's modules without looking at its manifest. `cargo xtask gen` writes them
/// before it checks the manifest: cargo cannot load a workspace whose manifest names an area
/// crate that was never generated, so a new area's crate must exist before its line is added.
pub fn generate_target_unchecked(target: &Target) -> Result<Generated, GenerateError> {
    generate_as(&target.spec, &target.spec_display, &target.layout())
}

/// What the target's manifest lacks for the areas of `generated` (empty when nothing).
pub fn check_target_manifest(target: &Target, generated: &Generated) -> Result<Diagnostics, GenerateError> {
    let manifest =
        source::read_manifest(&target.manifest(), &target.manifest_display()).map_err(GenerateError::Read)?;
    Ok(features::check_manifest(&manifest, &target.manifest_display(), &target.layout(), &generated.areas))
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
    /// The Rust modules and the area crates' manifests, sorted by path inside the crate folder;
    /// each lies in one of [`layout::Layout::owned_folders`].
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

/// Reads, checks and renders the spec folder `spec_dir` into the text of every generated file,
/// for crates named after the API (`nexudus`). `display_prefix` is how messages and headers name
/// the folder (such as `spec`). The outcome also gives the areas and the time each step took.
pub fn generate(spec_dir: &Path, display_prefix: &Path) -> Result<Generated, GenerateError> {
    generate_as(spec_dir, display_prefix, &Layout::new(DEFAULT_PACKAGE))
}

/// The package name of the application-facing crate unless a target names another.
pub const DEFAULT_PACKAGE: &str = "nexudus";

/// Like [`generate`], for crates named as `layout` says.
pub fn generate_as(spec_dir: &Path, display_prefix: &Path, layout: &Layout) -> Result<Generated, GenerateError> {
    let started = Instant::now();
    let sources = read_sources(spec_dir, display_prefix)?;
    let read = started.elapsed();
    let mut generated = generate_from_sources_as(sources, layout)?;
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
    let spec = checked_spec(read_sources(spec_dir, display_prefix)?, &mut PhaseTimings::default())?;
    Ok(openapi::render_in(&spec, dialect))
}

/// The checked IR of the spec folder `spec_dir`, built as generation builds it; `cargo xtask
/// diff` compares two of them ([`diff::compare`]). `display_prefix` names the folder in messages.
pub fn read_spec(spec_dir: &Path, display_prefix: &Path) -> Result<ir::Spec, GenerateError> {
    spec_from_sources(read_sources(spec_dir, display_prefix)?)
}

/// Like [`read_spec`], for spec files already in memory.
pub fn spec_from_sources(sources: Vec<parse::SourceFile>) -> Result<ir::Spec, GenerateError> {
    checked_spec(sources, &mut PhaseTimings::default())
}

/// The spec files of `spec_dir`; an empty folder is a spec error.
fn read_sources(spec_dir: &Path, display_prefix: &Path) -> Result<Vec<parse::SourceFile>, GenerateError> {
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
    Ok(sources)
}

/// The spec files of `spec_dir` as the checks see them: parsed, with the conventions written
/// out (operation templates, base fields, derived filters, the default of `nullable`). Tests use
/// it to compare what the spec says with what the documents say, apart from the IR.
pub fn expanded_files(spec_dir: &Path, display_prefix: &Path) -> Result<Vec<parse::RawFile>, GenerateError> {
    let mut sources = read_sources(spec_dir, display_prefix)?;
    sources.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
    let mut diagnostics = Diagnostics::default();
    let mut parsed = parse::parse_files(sources, &mut diagnostics);
    expand::expand(&mut parsed, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(GenerateError::Spec(diagnostics.finish()));
    }
    Ok(parsed.into_iter().map(|file| file.content).collect())
}

/// Parses and checks the spec files into the IR, timing both steps.
fn checked_spec(mut sources: Vec<parse::SourceFile>, timings: &mut PhaseTimings) -> Result<ir::Spec, GenerateError> {
    let started = Instant::now();
    sources.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
    let mut diagnostics = Diagnostics::default();
    let source_count = sources.len();
    let mut parsed = parse::parse_files(sources, &mut diagnostics);
    timings.parse = started.elapsed();
    // Checking meaning across files that did not all parse would only add echoes of the
    // syntax errors (unknown names declared in the unreadable file).
    if parsed.len() < source_count {
        return Err(GenerateError::Spec(diagnostics.finish()));
    }
    // The templates and base fields of the conventions are checked once, where they are
    // written; a problem there would echo in every resource that uses them, so it stops the run.
    let before = diagnostics.items().len();
    if let Some(placeholder) = expand::placeholder_resource(&parsed) {
        parsed.push(placeholder);
        validate::check_templates(&parsed, &mut diagnostics);
        parsed.pop();
    }
    if diagnostics.items().len() > before {
        return Err(GenerateError::Spec(diagnostics.finish()));
    }
    // The conventions write out what resources leave to them; a problem there would echo as
    // missing operations, so it stops the run before the checks of meaning.
    expand::expand(&mut parsed, &mut diagnostics);
    if diagnostics.items().len() > before {
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

/// The IR of spec files in memory (paths inside the spec folder, texts), with the valid
/// fixtures' `api.yaml` unless they give one: what the generator's unit tests start from.
#[cfg(test)]
pub(crate) fn spec_for_tests(files: &[(&str, &str)]) -> ir::Spec {
    let mut sources: Vec<parse::SourceFile> = files
        .iter()
        .map(|(path, text)| parse::SourceFile {
            display_path: Path::new("spec").join(path),
            relative_path: PathBuf::from(path),
            text: (*text).to_owned(),
        })
        .collect();
    if !files.iter().any(|(path, _)| *path == "api.yaml") {
        sources.push(parse::SourceFile {
            display_path: PathBuf::from("spec/api.yaml"),
            relative_path: PathBuf::from("api.yaml"),
            text: include_str!("../tests/fixtures/valid/api.yaml").to_owned(),
        });
    }
    checked_spec(sources, &mut PhaseTimings::default()).unwrap_or_else(|error| panic!("{error}"))
}

/// Like [`generate`], for spec files already in memory; the `read` timing stays zero.
pub fn generate_from_sources(sources: Vec<parse::SourceFile>) -> Result<Generated, GenerateError> {
    generate_from_sources_as(sources, &Layout::new(DEFAULT_PACKAGE))
}

/// Like [`generate_as`], for spec files already in memory.
pub fn generate_from_sources_as(sources: Vec<parse::SourceFile>, layout: &Layout) -> Result<Generated, GenerateError> {
    let mut timings = PhaseTimings::default();
    let spec = checked_spec(sources, &mut timings)?;
    let areas = features::area_dependencies(&spec);
    let (mut modules, emitting, formatting) = render::render_spec(&spec, layout, &areas)?;
    modules.extend(manifests::area_manifests(&spec, layout, &areas));
    modules.sort_by(|a, b| a.path.cmp(&b.path));
    let documents_started = Instant::now();
    let documents = vec![
        RenderedFile { path: PathBuf::from(OPENAPI_FILE), text: openapi::render(&spec) },
        RenderedFile { path: PathBuf::from(README_FILE), text: readme::render(&spec) },
    ];
    // The documents are emitted and printed in one go; they count as emission.
    timings.emit = emitting + documents_started.elapsed();
    timings.format = formatting;
    Ok(Generated { modules, documents, areas, operations: spec.operation_count(), timings })
}
