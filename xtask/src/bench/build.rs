//! Builds a synthetic `nexudus` crate and times it: the generated modules of a synthetic spec
//! with the real hand-written runtime, the same dependencies as `generated/Cargo.toml`, and a
//! feature per area. Dependencies are built once; each timed build cleans only the crate itself,
//! so the figures are the generated crate's own cost.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use super::stats::Samples;

/// A synthetic crate on disk.
pub struct SyntheticCrate {
    pub name: String,
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

/// Writes the crate `name` into `folder`: its manifest, a `lib.rs` like the real crate's that
/// takes the runtime from `generated/src/runtime`, and the real lock file so that dependencies
/// resolve to the versions the workspace uses. The generated modules go to `src/gen`.
pub fn write_crate(root: &Path, folder: &Path, name: &str, areas: &[String]) -> anyhow::Result<SyntheticCrate> {
    fs::create_dir_all(folder.join("src")).with_context(|| format!("creating {}", folder.display()))?;
    fs::write(folder.join("Cargo.toml"), manifest(root, name, areas)?)?;
    fs::copy(root.join("Cargo.lock"), folder.join("Cargo.lock")).context("copying Cargo.lock")?;
    let runtime = root.join("generated/src/runtime/mod.rs");
    let lib = fs::read_to_string(root.join("generated/src/lib.rs")).context("reading generated/src/lib.rs")?;
    let declaration = "pub mod runtime;";
    if !lib.contains(declaration) {
        bail!("generated/src/lib.rs no longer declares `{declaration}`; update the benchmark");
    }
    let lib = lib.replace(declaration, &format!("#[path = {:?}]\n{declaration}", runtime.display().to_string()));
    fs::write(folder.join("src/lib.rs"), lib)?;
    Ok(SyntheticCrate { name: name.to_owned(), folder: folder.to_path_buf() })
}

/// The manifest: `generated/Cargo.toml`'s dependencies with the workspace's versions filled in,
/// the workspace's profiles, and one feature per area, all on by default.
fn manifest(root: &Path, name: &str, areas: &[String]) -> anyhow::Result<String> {
    let workspace = read_toml(&root.join("Cargo.toml"))?;
    let generated = read_toml(&root.join("generated/Cargo.toml"))?;
    let shared = workspace
        .get("workspace")
        .and_then(|workspace| workspace.get("dependencies"))
        .and_then(toml::Value::as_table)
        .context("Cargo.toml has no [workspace.dependencies]")?;
    let mut dependencies = toml::Table::new();
    let wanted = generated.get("dependencies").and_then(toml::Value::as_table).context("no [dependencies]")?;
    for (dependency, spec) in wanted {
        dependencies.insert(dependency.clone(), resolve_dependency(dependency, spec, shared)?);
    }
    let mut features = toml::Table::new();
    features.insert("default".into(), toml::Value::Array(areas.iter().cloned().map(toml::Value::String).collect()));
    for area in areas {
        features.insert(area.clone(), toml::Value::Array(Vec::new()));
    }
    let mut package = toml::Table::new();
    package.insert("name".into(), name.into());
    package.insert("version".into(), "0.0.0".into());
    package.insert("edition".into(), "2021".into());
    package.insert("publish".into(), false.into());
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), package.into());
    // An empty workspace table keeps the crate out of the real workspace it sits below.
    manifest.insert("workspace".into(), toml::Table::new().into());
    manifest.insert("dependencies".into(), dependencies.into());
    manifest.insert("features".into(), features.into());
    if let Some(profile) = workspace.get("profile") {
        manifest.insert("profile".into(), profile.clone());
    }
    Ok(toml::to_string(&manifest)?)
}

/// A member's `x.workspace = true` dependency, as the workspace declares it, with the features
/// the member adds.
fn resolve_dependency(name: &str, spec: &toml::Value, shared: &toml::Table) -> anyhow::Result<toml::Value> {
    let Some(member) = spec.as_table().filter(|table| table.get("workspace") == Some(&toml::Value::Boolean(true)))
    else {
        return Ok(spec.clone());
    };
    let mut resolved = match shared.get(name).with_context(|| format!("{name} is not a workspace dependency"))? {
        toml::Value::String(version) => {
            let mut table = toml::Table::new();
            table.insert("version".into(), version.clone().into());
            table
        }
        toml::Value::Table(table) => table.clone(),
        other => bail!("workspace dependency {name} is {other}"),
    };
    if let Some(toml::Value::Array(extra)) = member.get("features") {
        let features = resolved.entry("features").or_insert_with(|| toml::Value::Array(Vec::new()));
        if let toml::Value::Array(features) = features {
            features.extend(extra.iter().cloned());
        }
    }
    Ok(resolved.into())
}

fn read_toml(path: &Path) -> anyhow::Result<toml::Table> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.parse().with_context(|| format!("parsing {}", path.display()))
}

/// Builds the crate once with every feature, so that dependencies are built, untimed.
pub fn prepare(krate: &SyntheticCrate, target: &Path, log: &Path) -> anyhow::Result<()> {
    cargo_build(krate, target, &Features::All, log).map(drop)
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
        let status = cargo(target, log)
            .args(["clean", "--quiet", "-p", &krate.name, "--manifest-path"])
            .arg(krate.folder.join("Cargo.toml"))
            .status()?;
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
