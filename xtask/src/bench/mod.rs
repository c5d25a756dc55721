//! `cargo xtask bench [--quick]`: measures the generator and the generated crate on synthetic
//! specs of 1, 10, 50 and 200 resources shaped like CrmOpportunity, prints a Markdown table and,
//! for a full run, puts it into `BENCHMARKS.md`. `--quick` (N = 1 and 10) is a smoke test.
//! Where `cargo progenitor` is installed, the same APIs go through progenitor too (see [`peer`]).

mod build;
mod client;
mod command;
mod generation;
mod peer;
mod real;
mod report;
mod stats;

use std::fs;
use std::path::Path;

use anyhow::Context;

use crate::synth;
use build::{BuildFigures, Features};
use generation::GenerationFigures;
use peer::PeerFigures;

pub use real::run as run_real;

/// How much to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// N = 1, 10, 50, 200; builds at 1, 50, 200.
    Full,
    /// N = 1 and 10; builds at 1; nothing written to `BENCHMARKS.md`.
    Quick,
}

impl Scale {
    fn sizes(self) -> &'static [usize] {
        match self {
            Scale::Full => &[1, 10, 50, 200],
            Scale::Quick => &[1, 10],
        }
    }

    fn builds(self, size: usize) -> bool {
        match self {
            Scale::Full => matches!(size, 1 | 50 | 200),
            Scale::Quick => size == 1,
        }
    }

    fn generation_runs(self) -> usize {
        match self {
            Scale::Full => 15,
            Scale::Quick => 3,
        }
    }

    /// Runs of `cargo xtask gen` through cargo, each way.
    fn command_runs(self) -> usize {
        match self {
            Scale::Full => 10,
            Scale::Quick => 3,
        }
    }

    fn build_runs(self) -> usize {
        match self {
            Scale::Full => 3,
            Scale::Quick => 1,
        }
    }

    /// progenitor's crate of 200 resources takes minutes to build: fewer runs there keep a full
    /// run within a quarter of an hour.
    fn peer_build_runs(self, size: usize) -> usize {
        if size >= 200 {
            PEER_RUNS_AT_FULL_SIZE
        } else {
            self.build_runs()
        }
    }
}

/// Builds of progenitor's crate at N = 200 per full run.
pub const PEER_RUNS_AT_FULL_SIZE: usize = 2;

/// The figures of one spec size.
pub struct SizeFigures {
    pub resources: usize,
    pub generation: GenerationFigures,
    /// Builds with every area, and with the single-resource area alone.
    pub builds: Option<(BuildFigures, BuildFigures)>,
    /// progenitor on the same API, at the sizes that are built, where it is installed.
    pub peer: Option<PeerFigures>,
}

/// `cargo xtask bench`.
pub fn run(root: &Path, scale: Scale) -> anyhow::Result<()> {
    let work = root.join("target/bench");
    let target = work.join("target");
    fs::create_dir_all(&target).with_context(|| format!("creating {}", target.display()))?;
    let log = work.join("cargo.log");
    // A new log per run; cargo's own output would bury the table.
    fs::write(&log, "")?;
    let peer_installed = peer::available();
    if !peer_installed {
        eprintln!("bench: cargo progenitor is not installed; skipping the peer comparison (`{}`)", peer::INSTALL);
    }
    // The two short measurements first: a failure shows before the long builds.
    eprintln!("bench: cargo xtask gen as users run it, through cargo (no-op, --check, full)");
    let command = command::measure(root, scale.command_runs())?;
    eprintln!("bench: the client against raw reqwest (a release build of the benchmark first)");
    let client = client::measure(root, scale == Scale::Quick, &log)?;
    let mut sizes = Vec::new();
    // progenitor's crates of every size have the same dependencies: built with the first one.
    let mut peer_dependencies_built = false;
    for &resources in scale.sizes() {
        eprintln!("bench: N = {resources}: generating");
        let spec = work.join(format!("spec-{resources}"));
        synth::write_spec(&synth::synthetic_spec(root, resources)?, &spec)?;
        let crate_folder = work.join(format!("crate-{resources}"));
        let areas: Vec<String> =
            (0..resources).map(synth::area_of).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        let name = format!("synth-nexudus-{resources}");
        let krate = build::write_crate(root, &crate_folder, &name, &areas)?;
        let generation =
            generation::measure(&spec, &crate_folder, &codegen::layout::Layout::new(&name), scale.generation_runs())?;
        let builds = if scale.builds(resources) {
            eprintln!("bench: N = {resources}: building dependencies, untimed (long the first time)");
            let one_area = Features::OneArea(synth::SINGLE_RESOURCE_AREA.to_owned());
            build::prepare(&krate, &target, &one_area, &log)?;
            eprintln!("bench: N = {resources}: timing builds (every area, then one resource)");
            let all = build::measure(&krate, &target, &Features::All, scale.build_runs(), &log)?;
            let one = build::measure(&krate, &target, &one_area, scale.build_runs(), &log)?;
            Some((all, one))
        } else {
            None
        };
        let peer = if peer_installed && scale.builds(resources) {
            eprintln!("bench: N = {resources}: progenitor: exporting OpenAPI 3.0, generating, building (long)");
            let figures = peer::measure(
                &spec,
                &work.join(format!("progenitor-{resources}")),
                &format!("progenitor-synth-{resources}"),
                &target,
                &log,
                (scale.build_runs(), scale.peer_build_runs(resources)),
                !peer_dependencies_built,
            )?;
            peer_dependencies_built = true;
            Some(figures)
        } else {
            None
        };
        sizes.push(SizeFigures { resources, generation, builds, peer });
    }
    let extras = report::Extras { command, client };
    let table = report::markdown(&sizes, &extras, &report::Machine::describe(root), peer_installed);
    println!("{table}");
    if scale == Scale::Full {
        report::update_benchmarks_file(&root.join("BENCHMARKS.md"), &table)?;
        eprintln!("bench: wrote BENCHMARKS.md");
    }
    Ok(())
}
