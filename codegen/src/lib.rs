//! The generator behind `cargo xtask gen`: reads the YAML description of the Nexudus API in
//! `spec/` and produces the Rust modules of the `nexudus` crate.
//!
//! The pipeline, one module per step: [`source`] reads the spec folder, [`parse`] turns YAML
//! into serde shapes (recording positions), [`validate`] checks them and builds the typed
//! [`ir`], [`emit`] turns the IR into tokens, and [`write`](mod@write) formats and writes the files.
//! Beside the Rust modules, [`openapi`] describes the API as an OpenAPI 3.1 document and
//! [`readme`] writes the crate's README, both from the same IR.

pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod naming;
pub mod openapi;
pub mod parse;
pub mod positions;
pub mod readme;
pub mod source;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Diagnostics};
pub use write::{Mode, RenderedFile, WriteReport};

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems; nothing was written.
    #[error("{0}")]
    Spec(Diagnostics),
    /// Spec files or folders could not be read; nothing was written.
    #[error("{0}")]
    Read(Diagnostics),
    /// A file could not be read or written, or generated code did not parse.
    #[error(transparent)]
    Write(#[from] write::WriteError),
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
}

/// What `cargo xtask gen` generates in the workspace at `root`: the `nexudus` crate and its
/// documents from `spec/`, and the `fixture-client` crate from the valid fixture specs.
pub fn project_targets(root: &Path) -> Vec<Target> {
    let real = Target {
        spec: root.join("spec"),
        spec_display: PathBuf::from("spec"),
        output: root.join("generated/src/gen"),
        output_display: PathBuf::from("generated/src/gen"),
        documents: Some((root.join("generated"), PathBuf::from("generated"))),
    };
    // The fixtures exist to prove that every spec feature compiles; a README or OpenAPI
    // document of them would describe no real API.
    let fixtures = Target {
        spec: root.join("codegen/tests/fixtures/valid"),
        spec_display: PathBuf::from("spec"),
        output: root.join("codegen/fixture_client/src/gen"),
        output_display: PathBuf::from("codegen/fixture_client/src/gen"),
        documents: None,
    };
    vec![real, fixtures]
}

/// Everything generated from one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The Rust modules; paths inside the generated modules folder.
    pub modules: Vec<RenderedFile>,
    /// [`OPENAPI_FILE`] and [`README_FILE`]; paths inside the crate folder.
    pub documents: Vec<RenderedFile>,
}

/// Reads, checks and renders the spec folder `spec_dir` into the text of every generated file.
/// `display_prefix` is how messages and headers name the folder (such as `spec`).
pub fn generate(spec_dir: &Path, display_prefix: &Path) -> Result<Generated, GenerateError> {
    let spec = load(spec_dir, display_prefix)?;
    Ok(render(&spec)?)
}

/// Reads and checks the spec folder `spec_dir` into the IR.
pub fn load(spec_dir: &Path, display_prefix: &Path) -> Result<ir::Spec, GenerateError> {
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
    load_from_sources(sources)
}

/// Like [`generate`], for spec files already in memory.
pub fn generate_from_sources(sources: Vec<parse::SourceFile>) -> Result<Generated, GenerateError> {
    let spec = load_from_sources(sources)?;
    Ok(render(&spec)?)
}

/// Like [`load`], for spec files already in memory.
pub fn load_from_sources(mut sources: Vec<parse::SourceFile>) -> Result<ir::Spec, GenerateError> {
    sources.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
    let mut diagnostics = Diagnostics::default();
    let source_count = sources.len();
    let parsed = parse::parse_files(sources, &mut diagnostics);
    // Checking meaning across files that did not all parse would only add echoes of the
    // syntax errors (unknown names declared in the unreadable file).
    if parsed.len() < source_count {
        return Err(GenerateError::Spec(diagnostics.finish()));
    }
    let spec = validate::validate(&parsed, &mut diagnostics);
    match spec {
        Some(spec) if diagnostics.is_empty() => Ok(spec),
        _ => Err(GenerateError::Spec(diagnostics.finish())),
    }
}

/// Renders the checked spec into the text of every generated file.
pub fn render(spec: &ir::Spec) -> Result<Generated, write::WriteError> {
    let modules = emit::emit(spec).iter().map(write::render).collect::<Result<_, _>>()?;
    let documents = vec![
        RenderedFile { path: PathBuf::from(OPENAPI_FILE), text: openapi::render(spec) },
        RenderedFile { path: PathBuf::from(README_FILE), text: readme::render(spec) },
    ];
    Ok(Generated { modules, documents })
}
