//! `cargo xtask gen [--check]` and `cargo xtask openapi [--check]`: regenerate every generated
//! folder and document of the workspace (or only the OpenAPI document), or only report what is
//! stale; `cargo xtask openapi --dialect D --out FILE` writes the OpenAPI document of `spec/` in
//! another dialect to a file of the user's.

use std::path::Path;
use std::process::ExitCode;

use codegen::openapi::Dialect;
use codegen::{GenerateError, Generated, Mode, RenderedFile, Target, WriteReport};

/// Which generated files a command looks after.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The modules of every target, and the documents of those that have them.
    Everything,
    /// Only `openapi.json`.
    OpenApi,
}

pub fn run(root: &Path, selection: Selection, mode: Mode) -> ExitCode {
    let targets = codegen::project_targets(root);
    // Every target is generated before any is written, so a bad spec anywhere writes nothing.
    let mut generated: Vec<(&Target, Generated)> = Vec::new();
    for target in &targets {
        if selection == Selection::OpenApi && !target.documents {
            continue;
        }
        match codegen::generate_target_unchecked(target) {
            Ok(output) => generated.push((target, output)),
            Err(error) => return stop_on(error),
        }
    }
    let mut total = WriteReport::default();
    for (target, files) in &generated {
        if selection == Selection::Everything {
            let report = codegen::write::write_crates(&target.root, &files.modules, mode);
            if !report_on(report, &target.root_display, mode, &mut total) {
                return ExitCode::from(2);
            }
        }
        if target.documents {
            let (folder, display) = (&target.root, &target.root_display);
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
    // Manifests are checked after writing: a new area's crate must exist before the manifest line
    // that names it can be added (cargo loads no workspace with a missing member).
    let mut manifest_problems = false;
    for (target, files) in &generated {
        match codegen::check_target_manifest(target, files) {
            Ok(diagnostics) if diagnostics.is_empty() => {}
            Ok(diagnostics) => {
                eprintln!("{}", GenerateError::Manifest(diagnostics));
                manifest_problems = true;
            }
            Err(error) => {
                eprintln!("{error}");
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
    if manifest_problems {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The dialect a `--dialect` argument names.
pub fn dialect(name: &str) -> Option<Dialect> {
    match name {
        "3.0" => Some(Dialect::V3_0),
        "3.1" => Some(Dialect::V3_1),
        _ => None,
    }
}

/// The form an exported document takes.
#[derive(Clone, Copy, Debug)]
pub enum Form {
    /// What the API does, in full (`generated/openapi.json` in 3.1).
    AsExported,
    /// The form code generators take ([`crate::openapi_form`]).
    ForGenerators,
}

/// Writes the real spec's OpenAPI document in `dialect` to `out`.
pub fn export_openapi(root: &Path, dialect: Dialect, form: Form, out: &Path) -> ExitCode {
    let document = match codegen::openapi_document(&root.join("spec"), Path::new("spec"), dialect) {
        Ok(document) => document,
        Err(error) => return stop_on(error),
    };
    let document = match form {
        Form::AsExported => document,
        Form::ForGenerators => match crate::openapi_form::for_generators(&document) {
            Ok(document) => document,
            Err(error) => return stop(&format!("error: {error:#}"), 1),
        },
    };
    match std::fs::write(out, document) {
        Ok(()) => {
            println!("wrote {} (OpenAPI {})", out.display(), dialect.version());
            ExitCode::SUCCESS
        }
        Err(error) => stop(&format!("error: writing {}: {error}", out.display()), 2),
    }
}

/// Prints why generation failed, that nothing was written, and gives the exit code: 1 for the
/// spec (or the manifest), 2 for files that cannot be read or written.
fn stop_on(error: GenerateError) -> ExitCode {
    match error {
        GenerateError::Spec(diagnostics) => stop(&diagnostics, 1),
        error @ GenerateError::Manifest(_) => stop(&error, 1),
        GenerateError::Read(diagnostics) => stop(&diagnostics, 2),
        error => stop(&format!("error: {error}"), 2),
    }
}

/// Prints why nothing was written and gives the exit code.
fn stop(problem: &dyn std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("{problem}");
    eprintln!("nothing was written");
    ExitCode::from(code)
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
