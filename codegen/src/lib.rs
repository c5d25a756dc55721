//! The generator behind `cargo xtask gen`: reads the YAML description of the Nexudus API in
//! `spec/` and produces the Rust modules of the `nexudus` crate.
//!
//! The pipeline, one module per step: [`source`] reads the spec folder, [`parse`] turns YAML
//! into serde shapes (recording positions), [`validate`] checks them and builds the typed
//! [`ir`], [`emit`] turns the IR into tokens, and [`write`] formats and writes the files.

pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod naming;
pub mod parse;
pub mod positions;
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

/// One spec folder and the folder its modules are generated into.
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
}

/// What `cargo xtask gen` generates in the workspace at `root`: the `nexudus` crate from
/// `spec/`, and the `fixture-client` crate from the valid fixture specs.
pub fn project_targets(root: &Path) -> Vec<Target> {
    [("spec", "spec", "generated/src/gen"), ("codegen/tests/fixtures/valid", "spec", "codegen/fixture_client/src/gen")]
        .into_iter()
        .map(|(spec, spec_display, output)| Target {
            spec: root.join(spec),
            spec_display: PathBuf::from(spec_display),
            output: root.join(output),
            output_display: PathBuf::from(output),
        })
        .collect()
}

/// Reads, checks and renders the spec folder `spec_dir` into the text of every generated file.
/// `display_prefix` is how messages and headers name the folder (such as `spec`).
pub fn generate(spec_dir: &Path, display_prefix: &Path) -> Result<Vec<RenderedFile>, GenerateError> {
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
    generate_from_sources(sources)
}

/// Like [`generate`], for spec files already in memory.
pub fn generate_from_sources(mut sources: Vec<parse::SourceFile>) -> Result<Vec<RenderedFile>, GenerateError> {
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
    let spec = match spec {
        Some(spec) if diagnostics.is_empty() => spec,
        _ => return Err(GenerateError::Spec(diagnostics.finish())),
    };
    let files = emit::emit(&spec);
    Ok(files.iter().map(write::render).collect::<Result<_, _>>()?)
}
