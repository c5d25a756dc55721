//! Project tasks. `cargo xtask gen` regenerates the `nexudus` crate's modules, its OpenAPI
//! document and its README from `spec/`; `cargo xtask openapi` regenerates only the OpenAPI
//! document. With `--check`, either writes nothing and fails, naming each stale file, when the
//! files are out of date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{GenerateError, Generated, Mode, RenderedFile, Target, WriteReport};

const USAGE: &str = "usage: cargo xtask gen [--check]\n       cargo xtask openapi [--check]";

/// Which generated files a command looks after.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Selection {
    /// The modules of every target, and the documents of those that have them.
    Everything,
    /// Only `openapi.json`.
    OpenApi,
}

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    match arguments.as_slice() {
        ["gen"] => generate(Selection::Everything, Mode::Write),
        ["gen", "--check"] => generate(Selection::Everything, Mode::Check),
        ["openapi"] => generate(Selection::OpenApi, Mode::Write),
        ["openapi", "--check"] => generate(Selection::OpenApi, Mode::Check),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn generate(selection: Selection, mode: Mode) -> ExitCode {
    let targets = codegen::project_targets(&workspace_root());
    // Every target is generated before any is written, so a bad spec anywhere writes nothing.
    let mut generated: Vec<(&Target, Generated)> = Vec::new();
    for target in &targets {
        if selection == Selection::OpenApi && target.documents.is_none() {
            continue;
        }
        match codegen::generate(&target.spec, &target.spec_display) {
            Ok(files) => generated.push((target, files)),
            Err(GenerateError::Spec(diagnostics)) => {
                eprintln!("{diagnostics}");
                eprintln!("nothing was written");
                return ExitCode::from(1);
            }
            Err(GenerateError::Read(diagnostics)) => {
                eprintln!("{diagnostics}");
                eprintln!("nothing was written");
                return ExitCode::from(2);
            }
            Err(error) => {
                eprintln!("error: {error}");
                eprintln!("nothing was written");
                return ExitCode::from(2);
            }
        }
    }
    let mut total = WriteReport::default();
    for (target, files) in &generated {
        if selection == Selection::Everything {
            let report = codegen::write::write_all(&target.output, &files.modules, mode);
            if !report_on(report, &target.output_display, mode, &mut total) {
                return ExitCode::from(2);
            }
        }
        if let Some((folder, display)) = &target.documents {
            let documents: Vec<RenderedFile> = files
                .documents
                .iter()
                .filter(|file| selection == Selection::Everything || file.path == Path::new(codegen::OPENAPI_FILE))
                .cloned()
                .collect();
            let report = codegen::write::write_listed(folder, &documents, mode);
            if !report_on(report, display, mode, &mut total) {
                return ExitCode::from(2);
            }
        }
    }
    let (written, deleted, unchanged) = (total.written.len(), total.deleted.len(), total.unchanged);
    match mode {
        Mode::Write => println!("{written} written, {deleted} deleted, {unchanged} unchanged"),
        Mode::Check if written + deleted == 0 => println!("{unchanged} generated files are up to date"),
        Mode::Check => {
            eprintln!("{} generated files are out of date with their spec: run `cargo xtask gen`", written + deleted);
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// Prints what one write did, one line per file, and adds it to `total`; false after an error.
fn report_on(
    report: Result<WriteReport, codegen::write::WriteError>,
    display: &Path,
    mode: Mode,
    total: &mut WriteReport,
) -> bool {
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return false;
        }
    };
    let (wrote, removed) = match mode {
        Mode::Write => ("wrote", "deleted"),
        Mode::Check => ("stale", "should be deleted"),
    };
    for path in &report.written {
        println!("{wrote} {}", display.join(path).display());
        total.written.push(display.join(path));
    }
    for path in &report.deleted {
        println!("{removed} {}", display.join(path).display());
        total.deleted.push(display.join(path));
    }
    total.unchanged += report.unchanged;
    true
}
