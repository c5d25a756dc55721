//! `cargo xtask semver-oracle [CASE...]`: checks the change report's Rust verdicts against
//! cargo-semver-checks. For every case of the catalogue (`codegen/tests/fixtures/diff/`), it
//! generates the fixture crates before and after the change, runs cargo-semver-checks on them,
//! and writes the table of both verdicts to `docs/semver-oracle.md`. cargo-semver-checks is
//! installed when missing; it builds the rustdoc of both crates, so a run takes minutes.
//!
//! Only "breaking or not" is compared: cargo-semver-checks reports what needs a major version and
//! a few deprecations, not additions, so the report's `minor` and `patch` both read as "not
//! breaking" on its side.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use codegen::diff::{self, RustVerdict};
use codegen::layout::Layout;
use codegen::parse::SourceFile;
use codegen::Mode;

/// The package name of the crates each case generates; the fixture crate's hand-written files
/// fit it.
const PACKAGE: &str = "fixture-client";

/// Why the report and cargo-semver-checks disagree, by case, where they do: the report is right
/// and cargo-semver-checks has no lint for the change. Written from the lints cargo-semver-checks
/// lists; a reason only shows in the table where a run finds the disagreement, and a
/// disagreement without one fails the run.
const EXPLAINED: &[(&str, &str)] = &[
    ("field_type_widened", "no lint for a public field whose type changes; `widget.size: i32` code no longer compiles"),
    ("field_type_narrowed", "no lint for a public field whose type changes"),
    ("field_type_to_json", "no lint for a public field whose type changes"),
    ("field_became_required", "no lint for a public field whose type changes (`Option<String>` -> `String`)"),
    ("field_became_optional", "no lint for a public field whose type changes (`String` -> `Option<String>`)"),
    ("nullable_added", "no lint for a public field whose type changes (`Option<T>` -> `Option<Option<T>>`)"),
    ("nullable_removed", "no lint for a public field whose type changes (`Option<Option<T>>` -> `Option<T>`)"),
    (
        "query_parameter_type_changed",
        "no lint for a setter whose argument type changes (`impl Into<String>` -> `impl Into<i32>`)",
    ),
    ("path_parameter_type_narrowed", "no lint for a method whose argument type changes (`i64` -> `i32`)"),
    ("answer_changed", "no lint for a method whose return type changes"),
];

pub fn run(root: &Path, only: &[&str]) -> anyhow::Result<()> {
    ensure_installed()?;
    let catalogue = root.join("codegen/tests/fixtures/diff");
    let mut cases: Vec<PathBuf> = fs::read_dir(&catalogue)
        .with_context(|| format!("reading {}", catalogue.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .filter(|path| only.is_empty() || only.iter().any(|name| path.ends_with(name)))
        .collect();
    cases.sort();
    // One scratch workspace, reused case after case, so that cargo-semver-checks builds the
    // dependencies' rustdoc once.
    let scratch = root.join("target/semver-oracle");
    let mut rows = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let report = diff::compare(&spec_of(root, &case.join("before"))?, &spec_of(root, &case.join("after"))?);
        let ours = report.rust_verdict().map_or("none", RustVerdict::as_str);
        let ours_breaking = report.rust_verdict() == Some(RustVerdict::Major);
        write_crate(root, &case.join("before"), &scratch.join("before"))?;
        write_crate(root, &case.join("after"), &scratch.join("after"))?;
        let theirs = semver_checks(&scratch)?;
        let agree = ours_breaking == (theirs == "major");
        let why = EXPLAINED.iter().find(|(case, _)| *case == name).map_or("", |(_, why)| *why);
        println!("{name}: report {ours}, cargo-semver-checks {theirs}{}", if agree { "" } else { " (disagree)" });
        rows.push((name, ours, theirs, agree, why));
    }
    if only.is_empty() {
        let mut document = String::from(
            "# The change report against cargo-semver-checks\n\n\
             Written by `cargo xtask semver-oracle`, which generates the fixture crates before and after \
             every case of `codegen/tests/fixtures/diff/` and runs cargo-semver-checks on the area crate \
             and the facade. Only \"breaking or not\" is compared: cargo-semver-checks reports what needs \
             a new major version, not additions. Where the two disagree, the last column says why the \
             report is right.\n\n\
             | case | report | cargo-semver-checks | agree | why they differ |\n|---|---|---|---|---|\n",
        );
        for (name, ours, theirs, agree, why) in &rows {
            let _ =
                writeln!(document, "| `{name}` | {ours} | {theirs} | {} | {why} |", if *agree { "yes" } else { "no" });
        }
        fs::create_dir_all(root.join("docs"))?;
        fs::write(root.join("docs/semver-oracle.md"), document)?;
        println!("wrote docs/semver-oracle.md");
    }
    let unexplained: Vec<_> = rows.iter().filter(|row| !row.3 && row.4.is_empty()).map(|row| row.0.as_str()).collect();
    if !unexplained.is_empty() {
        bail!("the report and cargo-semver-checks disagree, with no reason on record, on: {}", unexplained.join(", "));
    }
    Ok(())
}

fn ensure_installed() -> anyhow::Result<()> {
    let installed =
        Command::new("cargo").args(["semver-checks", "--version"]).output().is_ok_and(|output| output.status.success());
    if installed {
        return Ok(());
    }
    println!("installing cargo-semver-checks (several minutes)");
    let status = Command::new("cargo").args(["install", "cargo-semver-checks", "--locked"]).status()?;
    if !status.success() {
        bail!("cargo install cargo-semver-checks failed");
    }
    Ok(())
}

/// The spec files of one side of a case, with the valid fixtures' `api.yaml` unless it has one.
fn sources_of(root: &Path, folder: &Path) -> anyhow::Result<Vec<SourceFile>> {
    let mut sources = codegen::source::read_spec_folder(folder, Path::new("spec"))
        .map_err(|problems| anyhow::anyhow!("{problems}"))?;
    if !sources.iter().any(|source| source.relative_path == Path::new("api.yaml")) {
        sources.push(SourceFile {
            display_path: PathBuf::from("spec/api.yaml"),
            relative_path: PathBuf::from("api.yaml"),
            text: fs::read_to_string(root.join("codegen/tests/fixtures/valid/api.yaml"))?,
        });
    }
    Ok(sources)
}

fn spec_of(root: &Path, folder: &Path) -> anyhow::Result<codegen::ir::Spec> {
    codegen::spec_from_sources(sources_of(root, folder)?)
        .map_err(|error| anyhow::anyhow!("{}: {error}", folder.display()))
}

/// Generates one side's crates into `out`, a workspace of its own laid out like
/// `codegen/fixture_client`, with its hand-written files pointing at the real runtime.
fn write_crate(root: &Path, spec: &Path, out: &Path) -> anyhow::Result<()> {
    let generated = codegen::generate_from_sources_as(sources_of(root, spec)?, &Layout::new(PACKAGE))
        .map_err(|error| anyhow::anyhow!("{}: {error}", spec.display()))?;
    let krate = out.join("fixture_client");
    codegen::write::write_crates(&krate, &generated.modules, Mode::Write)?;
    let fixture = root.join("codegen/fixture_client");
    for file in ["Cargo.toml", "core/Cargo.toml", "core/src/lib.rs", "src/lib.rs"] {
        let text = fs::read_to_string(fixture.join(file))?;
        // The hand-written modules name the runtime and client by paths relative to the fixture
        // crate; here they sit elsewhere.
        let text = text
            .replace("../../../../generated/", &format!("{}/", root.join("generated").display()))
            .replace("../../../generated/", &format!("{}/", root.join("generated").display()))
            // At 0.0.x every change is breaking to cargo-semver-checks; at 1.0.0 it tells major
            // from minor.
            .replace("version = \"0.0.0\"", "version = \"1.0.0\"");
        let path = krate.join(file);
        fs::create_dir_all(path.parent().unwrap_or(out))?;
        fs::write(path, strip_dev_dependencies(&text))?;
    }
    fs::write(out.join("Cargo.toml"), workspace_manifest(root)?)?;
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))?;
    Ok(())
}

/// The manifest without its dev-dependencies (the tests are not built here).
fn strip_dev_dependencies(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = line.starts_with("[dev-dependencies");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A workspace of the fixture crates with the real workspace's package fields and dependencies,
/// at version 1.0.0 so that cargo-semver-checks tells major from minor.
fn workspace_manifest(root: &Path) -> anyhow::Result<String> {
    let text = fs::read_to_string(root.join("Cargo.toml"))?;
    let real: toml::Table = text.parse()?;
    let workspace = real.get("workspace").and_then(toml::Value::as_table).context("no [workspace]")?;
    let mut package = workspace.get("package").and_then(toml::Value::as_table).cloned().unwrap_or_default();
    package.insert("version".to_owned(), toml::Value::String("1.0.0".to_owned()));
    let mut scratch = toml::Table::new();
    scratch.insert("resolver".to_owned(), toml::Value::String("2".to_owned()));
    scratch.insert(
        "members".to_owned(),
        toml::Value::Array(
            ["fixture_client", "fixture_client/core", "fixture_client/areas/*"]
                .iter()
                .map(|member| toml::Value::String((*member).to_owned()))
                .collect(),
        ),
    );
    scratch.insert("package".to_owned(), toml::Value::Table(package));
    if let Some(dependencies) = workspace.get("dependencies") {
        scratch.insert("dependencies".to_owned(), dependencies.clone());
    }
    let mut manifest = toml::Table::new();
    manifest.insert("workspace".to_owned(), toml::Value::Table(scratch));
    Ok(toml::to_string(&manifest)?)
}

/// cargo-semver-checks' verdict on `after` against `before`: `major`, or `none` when it finds
/// nothing that needs a new major version.
fn semver_checks(scratch: &Path) -> anyhow::Result<&'static str> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--package", "fixture-client-test", "--package", PACKAGE])
        .arg("--manifest-path")
        .arg(scratch.join("after/Cargo.toml"))
        .arg("--baseline-root")
        .arg(scratch.join("before"))
        .output()
        .context("running cargo semver-checks")?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if text.contains("requires new major version") {
        Ok("major")
    } else if output.status.success() {
        Ok("none")
    } else {
        bail!("cargo semver-checks failed:\n{text}")
    }
}
