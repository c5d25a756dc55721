//! `cargo xtask diff [--base REV|DIR] [--format text|markdown|json] [--fail-on breaking|wire|any]`:
//! what the working tree's `spec/` changes for users against the spec at a git revision (default
//! `HEAD`) or in a folder, and which version bump is due. `cargo xtask gen` prints a summary of the
//! same report, and `gen --check` applies the version policy against the last release tag.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use codegen::diff::{self, Bump, Format, Report, Version};
use codegen::GenerateError;

/// The prefix of release tags: a release of version 0.2.0 is tagged `nexudus-v0.2.0`.
pub const RELEASE_TAG_PREFIX: &str = "nexudus-v";

/// What `--fail-on` makes the command fail on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FailOn {
    Nothing,
    /// A change that breaks Rust code (a major change).
    Breaking,
    /// A change that breaks old clients on the wire.
    Wire,
    /// Any change.
    Any,
}

/// Where the old spec comes from.
enum Base {
    Revision(String),
    Folder(PathBuf),
}

struct Options {
    base: Base,
    format: Format,
    fail_on: FailOn,
    timings: bool,
}

fn options(arguments: &[&str]) -> anyhow::Result<Options> {
    let mut options = Options {
        base: Base::Revision("HEAD".to_owned()),
        format: Format::Text,
        fail_on: FailOn::Nothing,
        timings: false,
    };
    let mut rest = arguments.iter();
    while let Some(argument) = rest.next() {
        let mut value = || rest.next().copied().with_context(|| format!("{argument} needs a value"));
        match *argument {
            "--base" => {
                let base = value()?;
                options.base = if Path::new(base).is_dir() {
                    Base::Folder(PathBuf::from(base))
                } else {
                    Base::Revision(base.to_owned())
                };
            }
            "--format" => {
                let name = value()?;
                options.format = Format::parse(name)
                    .with_context(|| format!("unknown format {name:?}: use text, markdown or json"))?;
            }
            "--fail-on" => {
                options.fail_on = match value()? {
                    "breaking" => FailOn::Breaking,
                    "wire" => FailOn::Wire,
                    "any" => FailOn::Any,
                    other => bail!("unknown --fail-on {other:?}: use breaking, wire or any"),
                }
            }
            "--timings" => options.timings = true,
            other => bail!("unknown argument {other:?}"),
        }
    }
    Ok(options)
}

pub fn run(root: &Path, arguments: &[&str]) -> ExitCode {
    let options = match options(arguments) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error:#}\nusage: cargo xtask diff [--base REV|DIR] [--format text|markdown|json] [--fail-on breaking|wire|any]");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let (report, compared) = match report_against(root, &options.base) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("{error:#}");
            return ExitCode::from(2);
        }
    };
    let mut out = diff::render(&report, options.format);
    let bump = bump_line(root, &report);
    match options.format {
        Format::Json => eprintln!("{bump}"),
        Format::Markdown => out.push_str(&format!("\n{bump}\n")),
        Format::Text => out.push_str(&format!("{bump}\n")),
    }
    print!("{out}");
    if options.timings {
        eprintln!("compared in {:.1} ms ({:.1} ms in all)", compared * 1e3, started.elapsed().as_secs_f64() * 1e3);
    }
    let failed = match options.fail_on {
        FailOn::Nothing => false,
        FailOn::Breaking => report.rust_breaking().next().is_some(),
        FailOn::Wire => report.wire_breaking().next().is_some(),
        FailOn::Any => !report.changes.is_empty(),
    };
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The report of the working tree's spec against `base`, and the seconds the comparison itself
/// took (reading and checking both specs aside).
fn report_against(root: &Path, base: &Base) -> anyhow::Result<(Report, f64)> {
    let checkout;
    let (folder, display) = match base {
        Base::Folder(folder) => {
            // A workspace or a spec folder.
            let spec = if folder.join("spec/api.yaml").is_file() { folder.join("spec") } else { folder.clone() };
            (spec, folder.display().to_string())
        }
        Base::Revision(revision) => {
            checkout = spec_at_revision(root, revision)?;
            (checkout.path().join("spec"), format!("{revision}:spec"))
        }
    };
    let old = codegen::read_spec(&folder, Path::new(&display)).map_err(|error| spec_error("the base spec", error))?;
    let new = codegen::read_spec(&root.join("spec"), Path::new("spec"))
        .map_err(|error| spec_error("the working tree's spec", error))?;
    let started = Instant::now();
    let report = diff::compare(&old, &new);
    Ok((report, started.elapsed().as_secs_f64()))
}

fn spec_error(which: &str, error: GenerateError) -> anyhow::Error {
    anyhow::anyhow!("{error}\n{which} does not validate: no report")
}

/// `spec/` as it was at `revision`, extracted with `git archive` into a temporary folder.
fn spec_at_revision(root: &Path, revision: &str) -> anyhow::Result<tempfile::TempDir> {
    let folder = tempfile::tempdir().context("creating a temporary folder")?;
    let mut archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", revision, "--", "spec"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running git archive")?;
    let tar_input = archive.stdout.take().context("git archive gave no output")?;
    let untar = Command::new("tar")
        .current_dir(folder.path())
        .args(["-x", "-f", "-"])
        .stdin(tar_input)
        .output()
        .context("running tar")?;
    let archived = archive.wait_with_output().context("running git archive")?;
    if !archived.status.success() {
        bail!("git archive {revision}: {}", String::from_utf8_lossy(&archived.stderr).trim());
    }
    if !untar.status.success() {
        bail!("extracting the spec of {revision}: {}", String::from_utf8_lossy(&untar.stderr).trim());
    }
    Ok(folder)
}

/// `version 0.1.0: a minor bump is due (below 1.0 a breaking change bumps the minor number)`.
fn bump_line(root: &Path, report: &Report) -> String {
    match crate_version(root) {
        Ok(version) => match report.bump_due(&version) {
            Bump::None => format!("version {version}: no bump is due"),
            Bump::Minor if version.major == 0 && report.rust_breaking().next().is_some() => {
                format!("version {version}: a minor bump is due (below 1.0 a breaking change bumps the minor number)")
            }
            bump => format!("version {version}: a {} bump is due", bump.as_str()),
        },
        Err(error) => format!("the crate's version is unknown: {error:#}"),
    }
}

/// The version of the `nexudus` crate: `generated/Cargo.toml`'s, or the workspace's when it
/// inherits it.
pub fn crate_version(root: &Path) -> anyhow::Result<Version> {
    let read = |path: &Path| -> anyhow::Result<toml::Table> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        text.parse::<toml::Table>().with_context(|| format!("reading {}", path.display()))
    };
    let manifest = read(&root.join("generated/Cargo.toml"))?;
    let version = &manifest["package"]["version"];
    let text = match version {
        toml::Value::String(text) => text.clone(),
        _ => {
            let workspace = read(&root.join("Cargo.toml"))?;
            workspace
                .get("workspace")
                .and_then(|workspace| workspace.get("package"))
                .and_then(|package| package.get("version"))
                .and_then(toml::Value::as_str)
                .context("the workspace declares no package version")?
                .to_owned()
        }
    };
    Version::parse(&text).with_context(|| format!("version {text:?} is not major.minor.patch"))
}

/// What `cargo xtask gen` says after writing: the summary of the report against `HEAD`'s spec and
/// its breaking lines. It is advice: a failure to read `HEAD` only says so.
pub fn summary_after_gen(root: &Path) {
    match report_against(root, &Base::Revision("HEAD".to_owned())) {
        Ok((report, _)) => {
            println!("spec changes against HEAD: {}", diff::summary(&report));
            for change in report.changes.iter().filter(|change| is_breaking(change)) {
                println!("  {}", diff::line(change));
            }
            if !report.changes.is_empty() {
                println!("  (`cargo xtask diff` lists every change)");
            }
        }
        Err(error) => println!("no report of the spec changes against HEAD: {}", first_line(&error)),
    }
}

fn is_breaking(change: &diff::Change) -> bool {
    change.rust == diff::RustVerdict::Major || change.wire == diff::WireVerdict::Breaks
}

fn first_line(error: &anyhow::Error) -> String {
    format!("{error:#}").lines().next().unwrap_or_default().to_owned()
}

/// The version policy `gen --check` applies: when the spec has changed since the last release
/// tag (`nexudus-v<version>`), the crate's version must have gone up at least as far as the
/// changes call for. Without a release tag there is nothing to compare with, and it passes.
pub fn check_version_policy(root: &Path) -> bool {
    let tag = match last_release_tag(root) {
        Some(tag) => tag,
        None => {
            println!("version policy: no release tag {RELEASE_TAG_PREFIX}* yet, nothing to check");
            return true;
        }
    };
    let Some(released) = Version::parse(&tag[RELEASE_TAG_PREFIX.len()..]) else {
        eprintln!("version policy: release tag {tag} does not name a version major.minor.patch");
        return false;
    };
    let current = match crate_version(root) {
        Ok(version) => version,
        Err(error) => {
            eprintln!("version policy: {error:#}");
            return false;
        }
    };
    let report = match report_against(root, &Base::Revision(tag.clone())) {
        Ok((report, _)) => report,
        Err(error) => {
            eprintln!("version policy: {error:#}");
            return false;
        }
    };
    let (due, done) = (report.bump_due(&released), released.bump_to(&current));
    if done >= due {
        println!("version policy: {current} against release {tag}: {} bump due, {} done", due.as_str(), done.as_str());
        return true;
    }
    eprintln!(
        "version policy: the spec changed since release {tag} ({}), which calls for a {} bump from {released}, but the \
         version is {current}: raise [workspace.package] version in Cargo.toml",
        diff::summary(&report),
        due.as_str()
    );
    for change in report.rust_breaking() {
        eprintln!("  {}", diff::line(change));
    }
    false
}

/// The newest release tag reachable from `HEAD`, if any.
fn last_release_tag(root: &Path) -> Option<String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["describe", "--tags", "--abbrev=0", "--match", &format!("{RELEASE_TAG_PREFIX}*")])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let tag = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !tag.is_empty()).then_some(tag)
}
