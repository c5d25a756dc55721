//! `cargo xtask gen [--check]`: regenerates every generated folder of the workspace, or only
//! reports what is stale.

use std::path::Path;
use std::process::ExitCode;

use codegen::{GenerateError, Mode, RenderedFile, Target};

pub fn run(root: &Path, mode: Mode) -> ExitCode {
    let targets = codegen::project_targets(root);
    // Every target is generated before any is written, so a bad spec anywhere writes nothing.
    let mut generated: Vec<(&Target, Vec<RenderedFile>)> = Vec::new();
    for target in &targets {
        match codegen::generate_target(target) {
            Ok(output) => generated.push((target, output.files)),
            Err(error @ GenerateError::Manifest(_)) => {
                eprintln!("{error}");
                eprintln!("nothing was written");
                return ExitCode::from(1);
            }
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
