//! Project tasks, a thin command line over `codegen` and the modules below:
//! `cargo xtask gen [--check]` regenerates the `nexudus` crate's modules, its OpenAPI document
//! and its README from `spec/` (or fails, naming each stale file); `cargo xtask openapi
//! [--check]` does the OpenAPI document alone, and `cargo xtask openapi --dialect 3.0 --out FILE`
//! writes it in OpenAPI 3.0 for tools that read nothing newer (`--for generators` in the form
//! code generators take, see [`openapi_form`]); `cargo xtask synth N --out DIR` writes a
//! synthetic spec of N resources; `cargo xtask bench [--quick]` measures the generator and the
//! generated crate.

mod bench;
mod gen;
mod openapi_form;
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::Mode;

// Generation allocates and frees millions of small token and syntax-tree nodes; with mimalloc a
// spec of 200 resources generates in about four fifths of the time the system allocator takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: cargo xtask gen [--check] | openapi [--check] | openapi --dialect 3.0|3.1 [--for generators] --out FILE \
                     | synth N --out DIR | bench [--quick]";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let root = workspace_root();
    match arguments.as_slice() {
        ["gen"] => gen::run(&root, gen::Selection::Everything, Mode::Write),
        ["gen", "--check"] => gen::run(&root, gen::Selection::Everything, Mode::Check),
        ["openapi"] => gen::run(&root, gen::Selection::OpenApi, Mode::Write),
        ["openapi", "--check"] => gen::run(&root, gen::Selection::OpenApi, Mode::Check),
        ["openapi", "--dialect", dialect, "--out", out] => match gen::dialect(dialect) {
            Some(dialect) => gen::export_openapi(&root, dialect, gen::Form::AsExported, Path::new(out)),
            None => {
                eprintln!("unknown OpenAPI dialect {dialect:?}: use 3.0 or 3.1");
                ExitCode::from(2)
            }
        },
        ["openapi", "--dialect", dialect, "--for", "generators", "--out", out] => match gen::dialect(dialect) {
            Some(dialect) => gen::export_openapi(&root, dialect, gen::Form::ForGenerators, Path::new(out)),
            None => {
                eprintln!("unknown OpenAPI dialect {dialect:?}: use 3.0 or 3.1");
                ExitCode::from(2)
            }
        },
        ["synth", count, "--out", out] => report(synth::run(&root, count, Path::new(out))),
        ["bench"] => report(bench::run(&root, bench::Scale::Full)),
        ["bench", "--quick"] => report(bench::run(&root, bench::Scale::Quick)),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Prints a task's error with its causes.
fn report(outcome: anyhow::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
