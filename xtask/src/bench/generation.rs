//! Times the generator on a synthetic spec, step by step, the way `cargo xtask gen` runs it: a
//! full generation into an empty folder, then regenerations where nothing changed, which must
//! leave every file untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context};
use codegen::layout::Layout;
use codegen::Mode;

use super::stats::Samples;

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
    /// Wall time of a generation over an up-to-date folder.
    pub no_op: Samples,
}

/// Generates `spec` into the crate folder `root` `runs` times from empty generated folders,
/// then `runs` times again over the result, checking that those later runs change no file and
/// touch no modification time. Leaves the generated files in place.
pub fn measure(spec: &Path, root: &Path, layout: &Layout, runs: usize) -> anyhow::Result<GenerationFigures> {
    let mut figures = GenerationFigures::default();
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
    }
    let before = modification_times(root)?;
    for _ in 0..runs {
        let started = Instant::now();
        let generated =
            codegen::generate_as(spec, Path::new("spec"), layout).map_err(|error| anyhow::anyhow!("{error}"))?;
        let report = codegen::write::write_crates(root, &generated.modules, Mode::Write)?;
        figures.no_op.push_duration(started.elapsed());
        if !report.is_clean() {
            bail!("regenerating an unchanged spec changed {:?} and deleted {:?}", report.written, report.deleted);
        }
    }
    if modification_times(root)? != before {
        bail!("regenerating an unchanged spec touched files in {}", root.display());
    }
    Ok(figures)
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
