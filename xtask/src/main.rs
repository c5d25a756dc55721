//! Project tasks. `cargo xtask gen` regenerates the `nexudus` crate's modules from `spec/`;
//! `cargo xtask gen --check` fails, naming each stale file, when they are out of date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{GenerateError, Mode, RenderedFile, Target};

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
    let targets = codegen::project_targets(&workspace_root());
    // Every target is generated before any is written, so a bad spec anywhere writes nothing.
    let mut generated: Vec<(&Target, Vec<RenderedFile>)> = Vec::new();
    for target in &targets {
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
    let (mut written, mut deleted, mut unchanged) = (0, 0, 0);
    for (target, files) in &generated {
        let report = match codegen::write::write_all(&target.output, files, mode) {
            Ok(report) => report,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        };
        let (wrote, removed) = match mode {
            Mode::Write => ("wrote", "deleted"),
            Mode::Check => ("stale", "should be deleted"),
        };
        for path in &report.written {
            println!("{wrote} {}", target.output_display.join(path).display());
        }
        for path in &report.deleted {
            println!("{removed} {}", target.output_display.join(path).display());
        }
        written += report.written.len();
        deleted += report.deleted.len();
        unchanged += report.unchanged;
    }
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
