//! Builds a synthetic `nexudus` crate and times it: a workspace laid out like `generated/` (the
//! application-facing crate, its core crate with the real hand-written runtime, and one
//! generated crate per area of a synthetic spec), with the same dependencies and a feature per
//! area. Dependencies are built once; each timed build cleans only the generated crates (core
//! included), so the figures are the generated code's own cost.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use codegen::layout::{crate_name, Layout};

use super::stats::Samples;

/// A synthetic crate on disk.
pub struct SyntheticCrate {
    /// The package a build asks for.
    pub name: String,
    /// The packages a timed build cleans first: those whose code is generated.
    pub packages: Vec<String>,
    pub folder: PathBuf,
}

/// Which features a build enables.
#[derive(Debug, Clone)]
pub enum Features {
    /// The default: every area.
    All,
    /// `--no-default-features --features <area>`.
    OneArea(String),
}

/// Time and peak memory of repeated builds of one configuration.
#[derive(Debug, Default)]
pub struct BuildFigures {
    pub seconds: Samples,
    /// User and system time of every process of the build, in seconds: less sensitive than the
    /// wall time to other work on the machine.
    pub cpu_seconds: Samples,
    /// Peak resident memory of the largest process of the build (rustc), in bytes.
    pub peak_bytes: Samples,
}

/// Writes the crate `name` into `folder`, laid out like `generated/`: its manifest, which is also
/// the workspace's (with the real workspace's shared dependencies and profiles), a `lib.rs` like
/// the real one, and `core/` with the real core crate's manifest and `lib.rs`, which take the
/// runtime from `generated/core/src/runtime`; the real lock file comes along so that
/// dependencies resolve to the versions the workspace uses. `cargo xtask gen`'s output for the
/// synthetic spec goes to `src/gen`, `core/src/gen` and `areas/`.
pub fn write_crate(root: &Path, folder: &Path, name: &str, areas: &[String]) -> anyhow::Result<SyntheticCrate> {
    let layout = Layout::new(name);
    fs::create_dir_all(folder.join("src")).with_context(|| format!("creating {}", folder.display()))?;
    fs::create_dir_all(folder.join("core/src")).with_context(|| format!("creating {}", folder.display()))?;
    fs::write(folder.join("Cargo.toml"), manifest(root, &layout, areas)?)?;
    fs::copy(root.join("Cargo.lock"), folder.join("Cargo.lock")).context("copying Cargo.lock")?;

    // The real `lib.rs` files, with the hand-written modules taken from where they are.
    let client = root.join("generated/src/client.rs");
    let core = crate_name(&layout.core_package());
    let lib = patched(
        root,
        "generated/src/lib.rs",
        &[("mod client;", &format!("#[path = {client:?}]\nmod client;")), ("nexudus_core::", &format!("{core}::"))],
    )?;
    fs::write(folder.join("src/lib.rs"), lib)?;
    let runtime = root.join("generated/core/src/runtime/mod.rs");
    let declaration = "pub mod runtime;";
    let core_lib =
        patched(root, "generated/core/src/lib.rs", &[(declaration, &format!("#[path = {runtime:?}]\n{declaration}"))])?;
    fs::write(folder.join("core/src/lib.rs"), core_lib)?;

    let mut core_manifest = read_toml(&root.join("generated/core/Cargo.toml"))?;
    if let Some(package) = core_manifest.get_mut("package").and_then(toml::Value::as_table_mut) {
        package.insert("name".into(), layout.core_package().into());
    }
    fs::write(folder.join("core/Cargo.toml"), toml::to_string(&core_manifest)?)?;

    let mut packages = vec![name.to_owned(), layout.core_package()];
    packages.extend(areas.iter().map(|area| layout.area_package(area)));
    Ok(SyntheticCrate { name: name.to_owned(), packages, folder: folder.to_path_buf() })
}

/// The text of the workspace file `relative` with each `(from, to)` replaced; fails when the file
/// no longer holds a `from`, so that the benchmark cannot drift from the real crate unnoticed.
fn patched(root: &Path, relative: &str, replacements: &[(&str, &str)]) -> anyhow::Result<String> {
    let mut text = fs::read_to_string(root.join(relative)).with_context(|| format!("reading {relative}"))?;
    for (from, to) in replacements {
        if !text.contains(from) {
            bail!("{relative} no longer holds `{from}`; update the benchmark");
        }
        text = text.replace(from, to);
    }
    Ok(text)
}

/// The manifest: the application-facing package with the core crate and one optional area crate
/// per area, a feature per area (all on by default), and the workspace: its members and the real
/// workspace's package fields, shared dependencies and profiles.
fn manifest(root: &Path, layout: &Layout, areas: &[String]) -> anyhow::Result<String> {
    let workspace = read_toml(&root.join("Cargo.toml"))?;
    let real = workspace.get("workspace").and_then(toml::Value::as_table).context("Cargo.toml has no [workspace]")?;
    let path = |path: &str| {
        let mut table = toml::Table::new();
        table.insert("path".into(), path.into());
        table
    };
    let mut dependencies = toml::Table::new();
    dependencies.insert(layout.core_package(), path("core").into());
    let mut features = toml::Table::new();
    features.insert("default".into(), toml::Value::Array(areas.iter().cloned().map(toml::Value::String).collect()));
    for area in areas {
        let mut dependency = path(&format!("areas/{area}"));
        dependency.insert("optional".into(), true.into());
        dependencies.insert(layout.area_package(area), dependency.into());
        let enables = vec![toml::Value::String(format!("dep:{}", layout.area_package(area)))];
        features.insert(area.clone(), toml::Value::Array(enables));
    }
    let mut package = toml::Table::new();
    package.insert("name".into(), layout.package.clone().into());
    package.insert("version".into(), "0.0.0".into());
    package.insert("edition".into(), "2021".into());
    package.insert("publish".into(), false.into());
    let mut members = toml::Table::new();
    members.insert("resolver".into(), "2".into());
    members.insert("members".into(), toml::Value::Array(vec![".".into(), "core".into(), "areas/*".into()]));
    for shared in ["package", "dependencies"] {
        if let Some(value) = real.get(shared) {
            members.insert(shared.into(), value.clone());
        }
    }
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), package.into());
    manifest.insert("workspace".into(), members.into());
    manifest.insert("dependencies".into(), dependencies.into());
    manifest.insert("features".into(), features.into());
    if let Some(profile) = workspace.get("profile") {
        manifest.insert("profile".into(), profile.clone());
    }
    Ok(toml::to_string(&manifest)?)
}

fn read_toml(path: &Path) -> anyhow::Result<toml::Table> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.parse().with_context(|| format!("parsing {}", path.display()))
}

/// Builds the crate once, untimed, so that its dependencies are built; `features` as small as
/// will build them all.
pub fn prepare(krate: &SyntheticCrate, target: &Path, features: &Features, log: &Path) -> anyhow::Result<()> {
    cargo_build(krate, target, features, log).map(drop)
}

/// Cleans the crate alone and builds it again, `runs` times.
pub fn measure(
    krate: &SyntheticCrate,
    target: &Path,
    features: &Features,
    runs: usize,
    log: &Path,
) -> anyhow::Result<BuildFigures> {
    let mut figures = BuildFigures::default();
    for _ in 0..runs {
        let mut clean = cargo(target, log);
        clean.args(["clean", "--quiet"]);
        for package in &krate.packages {
            clean.args(["-p", package]);
        }
        let status = clean.arg("--manifest-path").arg(krate.folder.join("Cargo.toml")).status()?;
        if !status.success() {
            bail!("cargo clean -p {} failed; see {}", krate.name, log.display());
        }
        let build = cargo_build(krate, target, features, log)?;
        figures.seconds.push_duration(build.elapsed);
        if let Some(usage) = build.usage {
            figures.cpu_seconds.push(usage.cpu_seconds);
            figures.peak_bytes.push(usage.peak_bytes as f64);
        }
    }
    Ok(figures)
}

/// What one build took.
struct Build {
    elapsed: Duration,
    usage: Option<Usage>,
}

/// What the processes of a build used, where the platform tells.
struct Usage {
    cpu_seconds: f64,
    peak_bytes: u64,
}

/// `cargo build` of the crate: its wall time, CPU time and the peak memory of its largest process.
fn cargo_build(krate: &SyntheticCrate, target: &Path, features: &Features, log: &Path) -> anyhow::Result<Build> {
    let mut command = cargo(target, log);
    command.args(["build", "--manifest-path"]).arg(krate.folder.join("Cargo.toml")).args(["-p", &krate.name]);
    if let Features::OneArea(area) = features {
        command.args(["--no-default-features", "--features", area]);
    }
    let started = Instant::now();
    let child = command.spawn().context("starting cargo")?;
    let (success, usage) = wait_with_usage(child)?;
    let elapsed = started.elapsed();
    if !success {
        bail!("building {} ({features:?}) failed; see {}", krate.name, log.display());
    }
    Ok(Build { elapsed, usage })
}

/// A cargo command on the benchmark's own target folder, its output appended to `log`.
fn cargo(target: &Path, log: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.env("CARGO_TARGET_DIR", target).env_remove("RUSTFLAGS").stdin(Stdio::null());
    let output = File::options().create(true).append(true).open(log);
    if let Ok(output) = output {
        if let Ok(error_output) = output.try_clone() {
            command.stdout(output).stderr(error_output);
        }
    }
    command
}

/// Waits for `child` and gives whether it succeeded, the CPU time of its process tree and the
/// largest resident memory any process of it reached (Linux counts the descendants it waited
/// for).
#[cfg(unix)]
fn wait_with_usage(child: std::process::Child) -> anyhow::Result<(bool, Option<Usage>)> {
    let pid = libc::pid_t::try_from(child.id())?;
    let mut status: libc::c_int = 0;
    // SAFETY: both pointers are to live, writable locals of the right types; `rusage` is plain
    // data for which all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        bail!("waiting for cargo: {}", std::io::Error::last_os_error());
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    // Linux reports kibibytes, macOS bytes.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    let usage = u64::try_from(usage.ru_maxrss)
        .ok()
        .map(|peak| Usage { cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), peak_bytes: peak * unit });
    Ok((success, usage))
}

#[cfg(not(unix))]
fn wait_with_usage(mut child: std::process::Child) -> anyhow::Result<(bool, Option<Usage>)> {
    Ok((child.wait()?.success(), None))
}
