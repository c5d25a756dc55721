//! Times the generator on a synthetic spec, step by step, the way `cargo xtask gen` runs it: a
//! full generation into an empty folder, then regenerations where nothing changed, which must
//! leave every file untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context};
use codegen::layout::Layout;
use codegen::{Mode, Target};

use super::stats::Samples;
use crate::fingerprint;

/// What repeated generations of one spec measured.
#[derive(Debug, Default)]
pub struct GenerationFigures {
    pub operations: usize,
    pub lines: usize,
    pub files: usize,
    /// Reading and parsing the spec files.
    pub parse: Samples,
    pub validate: Samples,
    pub emit: Samples,
    pub format: Samples,
    pub write: Samples,
    /// Wall time of the whole generation, from reading the spec to the last file written.
    pub total: Samples,
    /// Wall time of a regeneration over an up-to-date folder, as `cargo xtask gen` runs it: the
    /// fingerprint shows nothing changed.
    pub no_op: Samples,
    /// Wall time of the whole pipeline over an up-to-date folder (no stamp): every file generated
    /// and compared, none written.
    pub unchanged_full: Samples,
}

/// Generates `spec` into the crate folder `root` `runs` times from empty generated folders,
/// then `runs` times again over the result as `cargo xtask gen` does (its fingerprint shows
/// nothing changed), then `runs` times the whole pipeline over the result, checking that those
/// later runs change no file and touch no modification time. Leaves the generated files in
/// place.
pub fn measure(spec: &Path, root: &Path, layout: &Layout, runs: usize) -> anyhow::Result<GenerationFigures> {
    let mut figures = GenerationFigures::default();
    let mut written = Vec::new();
    for _ in 0..runs {
        for folder in Layout::owned_folders() {
            let folder = root.join(folder);
            if folder.exists() {
                fs::remove_dir_all(&folder).with_context(|| format!("removing {}", folder.display()))?;
            }
        }
        let started = Instant::now();
        let generated =
            codegen::generate_as(spec, Path::new("spec"), layout).map_err(|error| anyhow::anyhow!("{error}"))?;
        let writing = Instant::now();
        let report = codegen::write::write_crates(root, &generated.modules, Mode::Write)?;
        let finished = Instant::now();
        if report.written.len() != generated.modules.len() {
            bail!(
                "a generation into an empty folder wrote {} of {} files",
                report.written.len(),
                generated.modules.len()
            );
        }
        let timings = generated.timings;
        figures.parse.push_duration(timings.read + timings.parse);
        figures.validate.push_duration(timings.validate);
        figures.emit.push_duration(timings.emit);
        figures.format.push_duration(timings.format);
        figures.write.push_duration(finished - writing);
        figures.total.push_duration(finished - started);
        figures.operations = generated.operations;
        figures.files = generated.modules.len();
        figures.lines = generated.modules.iter().map(|file| file.text.lines().count()).sum();
        written = generated.modules;
    }
    let before = modification_times(root)?;
    let target = synthetic_target(spec, root, layout);
    record_stamp(&target, &written)?;
    for _ in 0..runs {
        let started = Instant::now();
        let skipped = no_op_run(&target);
        figures.no_op.push_duration(started.elapsed());
        if skipped.is_none() {
            bail!("a regeneration of an unchanged spec did not find its stamp up to date");
        }
    }
    for _ in 0..runs {
        let started = Instant::now();
        let generated =
            codegen::generate_as(spec, Path::new("spec"), layout).map_err(|error| anyhow::anyhow!("{error}"))?;
        let report = codegen::write::write_crates(root, &generated.modules, Mode::Write)?;
        figures.unchanged_full.push_duration(started.elapsed());
        if !report.is_clean() {
            bail!("regenerating an unchanged spec changed {:?} and deleted {:?}", report.written, report.deleted);
        }
    }
    if modification_times(root)? != before {
        bail!("regenerating an unchanged spec touched files in {}", root.display());
    }
    Ok(figures)
}

/// The synthetic spec and crate folder as `cargo xtask gen` sees a target.
fn synthetic_target(spec: &Path, root: &Path, layout: &Layout) -> Target {
    Target {
        spec: spec.to_path_buf(),
        spec_display: PathBuf::from("spec"),
        root: root.to_path_buf(),
        root_display: PathBuf::from("crate"),
        package: layout.package.clone(),
        documents: false,
    }
}

/// Records the stamp that `cargo xtask gen` leaves after a run.
fn record_stamp(target: &Target, files: &[codegen::RenderedFile]) -> anyhow::Result<()> {
    let generator = fingerprint::generator_digest().context("hashing the running generator")?;
    let inputs = fingerprint::inputs_digest(target, generator).context("hashing the synthetic spec")?;
    fingerprint::record(target, inputs, files).context("writing the stamp")
}

/// What `cargo xtask gen` does when nothing changed: hash itself and the inputs, check every
/// output against the stamp. The number of files found up to date; `None` when it would
/// generate.
fn no_op_run(target: &Target) -> Option<usize> {
    let generator = fingerprint::generator_digest()?;
    let inputs = fingerprint::inputs_digest(target, generator)?;
    fingerprint::fresh_file_count(target, inputs)
}

/// The modification time of every file of the generated folders of the crate folder `root`.
fn modification_times(root: &Path) -> anyhow::Result<BTreeMap<PathBuf, SystemTime>> {
    let mut times = BTreeMap::new();
    let mut folders: Vec<PathBuf> = Layout::owned_folders().iter().map(|folder| root.join(folder)).collect();
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let modified = fs::metadata(&path)?.modified()?;
                times.insert(path, modified);
            }
        }
    }
    Ok(times)
}
