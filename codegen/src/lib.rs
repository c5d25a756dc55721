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

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use write::{Mode, RenderedFile, WriteReport};

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems; nothing was written.
    #[error("{0}")]
    Spec(Diagnostics),
    /// A file could not be read or written, or generated code did not parse.
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// Reads, checks and renders the spec folder `spec_dir` into the text of every generated file.
/// `display_prefix` is how messages and headers name the folder (such as `spec`).
pub fn generate(spec_dir: &Path, display_prefix: &Path) -> Result<Vec<RenderedFile>, GenerateError> {
    let sources = source::read_spec_folder(spec_dir, display_prefix).map_err(GenerateError::Spec)?;
    generate_from_sources(sources)
}

/// Like [`generate`], for spec files already in memory.
pub fn generate_from_sources(sources: Vec<parse::SourceFile>) -> Result<Vec<RenderedFile>, GenerateError> {
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
