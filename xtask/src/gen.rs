//! `cargo xtask gen [--check]` and `cargo xtask openapi [--check]`: regenerate every generated
//! folder and document of the workspace (or only the OpenAPI document), or only report what is
//! stale; `cargo xtask openapi --dialect D --out FILE` writes the OpenAPI document of `spec/` in
//! another dialect to a file of the user's.

use std::path::Path;
use std::process::ExitCode;

use codegen::openapi::Dialect;
use codegen::{GenerateError, Generated, Mode, RenderedFile, Target, WriteReport};

use crate::fingerprint::{self, Digest};

/// Which generated files a command looks after.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The modules of every target, and the documents of those that have them.
    Everything,
    /// Only `openapi.json`.
    OpenApi,
}

/// What a run did: its exit code, and whether it wrote or deleted a file.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub exit: ExitCode,
    pub changed_files: bool,
}

impl From<ExitCode> for Run {
    fn from(exit: ExitCode) -> Self {
        Run { exit, changed_files: false }
    }
}

pub fn run(root: &Path, selection: Selection, mode: Mode) -> Run {
    // Two runs writing at once would each see the other's half-done output; a check only reads.
    let _lock = match mode {
        Mode::Write => match lock(root) {
            Ok(lock) => Some(lock),
            Err(error) => return stop(&format!("error: {error}"), 2).into(),
        },
        Mode::Check => None,
    };
    run_targets(&codegen::project_targets(root), selection, mode, fingerprint::generator_digest())
}

/// `run` over `targets`, for the generator of digest `generator` (`None`: unknown, so that no
/// run is skipped). With every file selected, a run whose targets all have a stamp showing them
/// up to date does nothing (see [`fingerprint`]), and a successful run that leaves every target
/// up to date records their stamps.
pub fn run_targets(targets: &[Target], selection: Selection, mode: Mode, generator: Option<Digest>) -> Run {
    let inputs = match generator {
        Some(generator) if selection == Selection::Everything => {
            targets.iter().map(|target| fingerprint::inputs_digest(target, generator)).collect::<Option<Vec<Digest>>>()
        }
        _ => None,
    };
    if let Some(unchanged) = inputs.as_deref().and_then(|inputs| fresh_file_count(targets, inputs)) {
        print_summary(mode, &WriteReport { unchanged, ..WriteReport::default() });
        return ExitCode::SUCCESS.into();
    }
    let code = generate_and_write(targets, selection, mode);
    if let Some(inputs) = inputs {
        if mode == Mode::Write {
            record_stamps(targets, &inputs, &code);
        }
    }
    Run { exit: code.exit, changed_files: code.changed_files }
}

/// How many generated files `targets` have, when the stamp of each shows it up to date for its
/// `inputs` digest.
fn fresh_file_count(targets: &[Target], inputs: &[Digest]) -> Option<usize> {
    targets.iter().zip(inputs).map(|(target, inputs)| fingerprint::fresh_file_count(target, *inputs)).sum()
}

/// Records each target's stamp after a run that left it up to date. Nothing else is needed
/// after other runs: a stamp is trusted only while the files it lists still have its digests.
/// A stamp that cannot be written only costs the next run its shortcut.
fn record_stamps(targets: &[Target], inputs: &[Digest], outcome: &Outcome) {
    if outcome.exit != ExitCode::SUCCESS {
        return;
    }
    for ((target, inputs), files) in targets.iter().zip(inputs).zip(&outcome.files) {
        let _ = fingerprint::record(target, *inputs, files);
    }
}

/// What a full run did: its exit code, whether it wrote or deleted a file (or, checking, found
/// one stale) and, when it got that far, every file of each target.
struct Outcome {
    exit: ExitCode,
    changed_files: bool,
    files: Vec<Vec<RenderedFile>>,
}

impl From<ExitCode> for Outcome {
    fn from(exit: ExitCode) -> Self {
        Outcome { exit, changed_files: false, files: Vec::new() }
    }
}

/// Generates every target and writes (or checks) its files.
fn generate_and_write(targets: &[Target], selection: Selection, mode: Mode) -> Outcome {
    // Every target is generated before any is written, so a bad spec anywhere writes nothing.
    let mut generated: Vec<(&Target, Generated)> = Vec::new();
    for target in targets {
        if selection == Selection::OpenApi && !target.documents {
            continue;
        }
        match codegen::generate_target_unchecked(target) {
            Ok(output) => generated.push((target, output)),
            Err(error) => return stop_on(error).into(),
        }
    }
    let total = match write_targets(&generated, selection, mode) {
        Ok(total) => total,
        Err(code) => return code.into(),
    };
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
                return ExitCode::from(2).into();
            }
        }
    }
    if !print_summary(mode, &total) || manifest_problems {
        return ExitCode::from(1).into();
    }
    // A target without documents is given them too, but they are not its files.
    let files = generated
        .into_iter()
        .map(|(target, generated)| {
            let documents = if target.documents { generated.documents } else { Vec::new() };
            generated.modules.into_iter().chain(documents).collect()
        })
        .collect();
    Outcome { exit: ExitCode::SUCCESS, changed_files: !total.is_clean(), files }
}

/// Prints the line that ends a run; false when check mode found stale files.
fn print_summary(mode: Mode, total: &WriteReport) -> bool {
    let (written, deleted, unchanged) = (total.written.len(), total.deleted.len(), total.unchanged);
    match mode {
        Mode::Write => println!("{written} written, {deleted} deleted, {unchanged} unchanged"),
        Mode::Check if written + deleted == 0 => println!("{unchanged} generated files are up to date"),
        Mode::Check => {
            eprintln!("{} generated files are out of date with their spec: run `cargo xtask gen`", written + deleted);
            return false;
        }
    }
    true
}

/// Takes the lock of the workspace's generated folders, saying so when another run holds it.
fn lock(root: &Path) -> Result<codegen::write::Lock, codegen::write::WriteError> {
    let folder = root.join("generated");
    codegen::write::lock(&folder, || {
        let path = Path::new("generated").join(codegen::write::LOCK_FILE);
        eprintln!("waiting for another `cargo xtask gen` to finish (it holds {})", path.display());
    })
}

/// Plans the files of every target, checks that all of them can be written, and then (in
/// [`Mode::Write`]) writes them: a file that cannot be written anywhere writes nothing. Prints
/// what changed, one line per file; the exit code after an error.
fn write_targets(
    generated: &[(&Target, Generated)],
    selection: Selection,
    mode: Mode,
) -> Result<WriteReport, ExitCode> {
    let documents: Vec<Vec<RenderedFile>> = generated
        .iter()
        .map(|(_, files)| {
            let wanted = |file: &&RenderedFile| {
                selection == Selection::Everything || file.path == Path::new(codegen::OPENAPI_FILE)
            };
            files.documents.iter().filter(wanted).cloned().collect()
        })
        .collect();
    let unwritable = |error| stop(&format!("error: {error}"), 2);
    let (mut plans, mut displays) = (Vec::new(), Vec::new());
    for ((target, files), documents) in generated.iter().zip(&documents) {
        if selection == Selection::Everything {
            plans.push(codegen::write::plan_crates(&target.root, &files.modules).map_err(unwritable)?);
            displays.push(&target.root_display);
        }
        if target.documents {
            plans.push(codegen::write::plan_listed(&target.root, documents).map_err(unwritable)?);
            displays.push(&target.root_display);
        }
    }
    if mode == Mode::Write {
        codegen::write::check_all(&plans).map_err(unwritable)?;
        codegen::write::apply_all(&plans).map_err(|error| {
            eprintln!("error: {error}");
            ExitCode::from(2)
        })?;
    }
    let mut total = WriteReport::default();
    for (plan, display) in plans.iter().zip(displays) {
        report_on(plan.report(), display, mode, &mut total);
    }
    Ok(total)
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

/// Prints what one write did (or, in check mode, would do), one line per file, and adds it to
/// `total`.
fn report_on(report: &WriteReport, display: &Path, mode: Mode, total: &mut WriteReport) {
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
}
