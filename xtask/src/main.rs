//! Project tasks. `cargo xtask gen` regenerates the `nexudus` crate's modules from `spec/`;
//! `cargo xtask gen --check` fails, naming each stale file, when they are out of date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{GenerateError, Mode};

const USAGE: &str = "usage: cargo xtask gen [--check]";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    match arguments.as_slice() {
        ["gen"] => generate(Mode::Write),
        ["gen", "--check"] => generate(Mode::Check),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn generate(mode: Mode) -> ExitCode {
    let root = workspace_root();
    let output = Path::new("generated/src/gen");
    let files = match codegen::generate(&root.join("spec"), Path::new("spec")) {
        Ok(files) => files,
        Err(GenerateError::Spec(diagnostics)) => {
            eprintln!("{diagnostics}");
            eprintln!("nothing was written");
            return ExitCode::from(1);
        }
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let report = match codegen::write::write_all(&root.join(output), &files, mode) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let (wrote, deleted) = match mode {
        Mode::Write => ("wrote", "deleted"),
        Mode::Check => ("stale", "should be deleted"),
    };
    for path in &report.written {
        println!("{wrote} {}", output.join(path).display());
    }
    for path in &report.deleted {
        println!("{deleted} {}", output.join(path).display());
    }
    println!(
        "{} written, {} deleted, {} unchanged",
        if mode == Mode::Check { 0 } else { report.written.len() },
        if mode == Mode::Check { 0 } else { report.deleted.len() },
        report.unchanged
    );
    if mode == Mode::Check && !report.is_clean() {
        eprintln!("generated/ is out of date with spec/: run `cargo xtask gen`");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
