//! Project tasks, a thin command line over `codegen` and the modules below:
//! `cargo xtask gen [--check]` regenerates the `nexudus` crate's modules, its OpenAPI document
//! and its README from `spec/` (or fails, naming each stale file); `cargo xtask openapi
//! [--check]` does the OpenAPI document alone, and `cargo xtask openapi --dialect 3.0 --out FILE`
//! writes it in OpenAPI 3.0 for tools that read nothing newer (`--for generators` in the form
//! code generators take, see [`openapi_form`]); `cargo xtask diff` reports what the spec's changes
//! do to users and which version bump is due; `cargo xtask synth N --out DIR` writes a
//! synthetic spec of N resources; `cargo xtask bench [--quick]` measures the generator and the
//! generated crate on synthetic specs, `cargo xtask bench --real` on `spec/` itself.

mod bench;
mod diff;
mod fingerprint;
mod gen;
mod openapi_form;
mod semver_oracle;
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::Mode;

// Generation allocates and frees millions of small token and syntax-tree nodes; with mimalloc a
// spec of 200 resources generates in about four fifths of the time the system allocator takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask gen [--check] | openapi [--check] \
                     | openapi --dialect 3.0|3.1 [--for generators] --out FILE \
                     | diff [--base REV|DIR] [--format text|markdown|json] [--fail-on breaking|wire|any] \
                     | semver-oracle [CASE...] | synth N --out DIR | bench [--quick|--real]";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let root = match std::env::current_dir().ok().and_then(|folder| find_workspace(&folder)) {
        Some(root) => root,
        None => {
            eprintln!("error: run `cargo xtask` inside the checkout: no folder here or above holds a Cargo.toml with [workspace], spec/ and generated/");
            return ExitCode::from(2);
        }
    };
    match arguments.as_slice() {
        ["gen"] => {
            let run = gen::run(&root, gen::Selection::Everything, Mode::Write);
            // A run that changed no file changed nothing for users: the summary (about a second
            // of reading and checking `HEAD`'s spec) is for runs that did.
            if run.exit == ExitCode::SUCCESS && run.changed_files {
                diff::summary_after_gen(&root);
            }
            run.exit
        }
        ["gen", "--check"] => {
            let code = gen::run(&root, gen::Selection::Everything, Mode::Check).exit;
            if code == ExitCode::SUCCESS && !diff::check_version_policy(&root) {
                return ExitCode::from(1);
            }
            code
        }
        ["diff", rest @ ..] => diff::run(&root, rest),
        ["semver-oracle", cases @ ..] => report(semver_oracle::run(&root, cases)),
        ["openapi"] => gen::run(&root, gen::Selection::OpenApi, Mode::Write).exit,
        ["openapi", "--check"] => gen::run(&root, gen::Selection::OpenApi, Mode::Check).exit,
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
        ["bench", "--real"] => report(bench::run_real(&root)),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The workspace the command works on: the nearest folder, from `start` up, whose `Cargo.toml`
/// declares a `[workspace]` and which holds `spec/` and `generated/`. It is found where the
/// command runs, not where the binary was built: two checkouts sharing one `CARGO_TARGET_DIR`
/// share one binary too.
fn find_workspace(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|folder| is_project_workspace(folder)).map(Path::to_path_buf)
}

fn is_project_workspace(folder: &Path) -> bool {
    let declares_workspace = std::fs::read_to_string(folder.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|manifest| manifest.contains_key("workspace"));
    declares_workspace && folder.join("spec").is_dir() && folder.join("generated").is_dir()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Makes the folders and files of `layout` (paths ending in `/` are folders) in a new
    /// temporary folder.
    fn tree(layout: &[(&str, &str)]) -> tempfile::TempDir {
        let folder = tempfile::tempdir().unwrap();
        for (path, text) in layout {
            let path = folder.path().join(path);
            if text.is_empty() && path.to_string_lossy().ends_with('/') {
                std::fs::create_dir_all(path).unwrap();
            } else {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        }
        folder
    }

    fn check(layout: &[(&str, &str)], start: &str, expected: Option<&str>) {
        let folder = tree(layout);
        let found = find_workspace(&folder.path().join(start));
        assert_eq!(found, expected.map(|path| folder.path().join(path)));
    }

    #[test]
    fn the_workspace_is_found_from_any_folder_inside_it() {
        let layout = [("Cargo.toml", "[workspace]\n"), ("spec/", ""), ("generated/src/gen/", "")];
        check(&layout, "", Some(""));
        check(&layout, "generated/src/gen", Some(""));
    }

    #[test]
    fn a_crate_or_a_workspace_without_spec_on_the_way_up_is_passed_over() {
        let layout = [
            ("Cargo.toml", "[workspace]\nmembers = [\"checkout/*\"]\n"),
            ("spec/", ""),
            ("generated/", ""),
            ("checkout/Cargo.toml", "[workspace]\n"),
            ("checkout/generated/Cargo.toml", "[package]\nname = \"nexudus\"\n"),
            ("checkout/generated/spec/", ""),
            ("checkout/generated/generated/", ""),
        ];
        check(&layout, "checkout/generated", Some(""));
    }

    #[test]
    fn no_workspace_outside_a_checkout() {
        check(&[("Cargo.toml", "[package]\n"), ("spec/", ""), ("generated/", "")], "spec", None);
    }
}
