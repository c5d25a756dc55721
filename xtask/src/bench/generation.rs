//! Times the generator on a synthetic spec, step by step, the way `cargo xtask gen` runs it: a
//! full generation into an empty folder, then regenerations where nothing changed, which must
//! leave every file untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context};
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

/// Generates `spec` into `output` `runs` times from an empty folder, then `runs` times again
/// over the result, checking that those later runs change no file and touch no modification
/// time. Leaves `output` holding the generated files.
pub fn measure(spec: &Path, output: &Path, runs: usize) -> anyhow::Result<GenerationFigures> {
    let mut figures = GenerationFigures::default();
    for _ in 0..runs {
        if output.exists() {
            fs::remove_dir_all(output).with_context(|| format!("removing {}", output.display()))?;
        }
        let started = Instant::now();
        let generated = codegen::generate(spec, Path::new("spec")).map_err(|error| anyhow::anyhow!("{error}"))?;
        let writing = Instant::now();
        let report = codegen::write::write_all(output, &generated.modules, Mode::Write)?;
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
    let before = modification_times(output)?;
    for _ in 0..runs {
        let started = Instant::now();
        let generated = codegen::generate(spec, Path::new("spec")).map_err(|error| anyhow::anyhow!("{error}"))?;
        let report = codegen::write::write_all(output, &generated.modules, Mode::Write)?;
        figures.no_op.push_duration(started.elapsed());
        if !report.is_clean() {
            bail!("regenerating an unchanged spec changed {:?} and deleted {:?}", report.written, report.deleted);
        }
    }
    if modification_times(output)? != before {
        bail!("regenerating an unchanged spec touched files in {}", output.display());
    }
    Ok(figures)
}

/// The modification time of every file below `folder`.
fn modification_times(folder: &Path) -> anyhow::Result<BTreeMap<PathBuf, SystemTime>> {
    let mut times = BTreeMap::new();
    let mut folders = vec![folder.to_path_buf()];
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
