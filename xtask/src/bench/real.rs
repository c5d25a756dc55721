//! `cargo xtask bench --real`: the same measures on the real spec rather than a synthetic one:
//! generation of `spec/` in the process (full and no-op), debug builds of the checked-in
//! `generated/` crates with every area and with each area alone, and progenitor on the real
//! spec's OpenAPI 3.0 export where it is installed. The table goes to `BENCHMARKS.md` between
//! its own markers.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context;

use super::build::{self, BuildFigures, Features, SyntheticCrate};
use super::generation::{self, GenerationFigures};
use super::peer::{self, PeerFigures};
use super::report::{self, Machine};
use super::stats::round;

/// The lines that enclose the real spec's table in `BENCHMARKS.md`.
const BEGIN: &str = "<!-- cargo xtask bench --real: begin (this part is rewritten by every run) -->";
const END: &str = "<!-- cargo xtask bench --real: end -->";

/// Generations of the real spec per run, full and no-op each.
const GENERATION_RUNS: usize = 15;
/// Timed builds with every area; each area alone is built once.
const ALL_AREAS_BUILD_RUNS: usize = 2;
/// progenitor's generations, then builds (each takes minutes and gigabytes).
const PEER_RUNS: (usize, usize) = (1, 1);

/// What one run measured.
struct RealFigures {
    resources: usize,
    generation: GenerationFigures,
    all_areas: BuildFigures,
    /// Each area alone, with its resource and operation counts.
    areas: Vec<(String, usize, usize, BuildFigures)>,
    /// progenitor's figures, or why there are none.
    peer: Result<PeerFigures, String>,
}

/// `cargo xtask bench --real`.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let work = root.join("target/bench");
    let target = work.join("target");
    fs::create_dir_all(&target).with_context(|| format!("creating {}", target.display()))?;
    let log = work.join("cargo.log");
    fs::write(&log, "")?;
    let real = codegen::project_targets(root)
        .into_iter()
        .find(|target| target.documents)
        .context("the workspace names no target with documents (the real spec)")?;
    let layout = real.layout();

    eprintln!("bench --real: generating spec/ {GENERATION_RUNS} times, then {GENERATION_RUNS} no-op regenerations");
    // The generation writes into a folder of its own, beside a copy of the real manifest (an input
    // of the fingerprint that a run records, as `cargo xtask gen` does).
    let generated = work.join("real-generated");
    fs::create_dir_all(&generated).with_context(|| format!("creating {}", generated.display()))?;
    fs::copy(real.manifest(), generated.join("Cargo.toml")).context("copying the real manifest")?;
    let generation = generation::measure(&real.spec, &generated, &layout, GENERATION_RUNS)?;

    let area_counts = area_counts(&real.spec)?;
    let mut packages = vec![layout.package.clone(), layout.core_package()];
    packages.extend(area_counts.iter().map(|(area, _, _)| layout.area_package(area)));
    let krate = SyntheticCrate { name: layout.package.clone(), packages, folder: real.root.clone() };
    let smallest = area_counts.iter().min_by_key(|(_, _, operations)| *operations).context("spec/ has no area")?;
    eprintln!("bench --real: building dependencies, untimed (long the first time)");
    build::prepare(&krate, &target, &Features::OneArea(smallest.0.clone()), &log)?;
    eprintln!("bench --real: timing {ALL_AREAS_BUILD_RUNS} builds with every area");
    let all_areas = build::measure(&krate, &target, &Features::All, ALL_AREAS_BUILD_RUNS, &log)?;
    let mut areas = Vec::new();
    for (area, resources, operations) in area_counts {
        eprintln!("bench --real: timing a build of area {area} alone");
        let figures = build::measure(&krate, &target, &Features::OneArea(area.clone()), 1, &log)?;
        areas.push((area, resources, operations, figures));
    }

    let peer = if peer::available() {
        eprintln!("bench --real: progenitor: exporting OpenAPI 3.0, generating, building (long)");
        peer::measure(&real.spec, &work.join("progenitor-real"), "progenitor-nexudus", &target, &log, PEER_RUNS, true)
            .map_err(|error| format!("{error:#}"))
    } else {
        Err(format!("`cargo progenitor` is not installed (`{}`)", peer::INSTALL))
    };
    let resources = areas.iter().map(|(_, resources, _, _)| resources).sum();
    let figures = RealFigures { resources, generation, all_areas, areas, peer };
    let table = markdown(&figures, &Machine::describe(root));
    println!("{table}");
    report::update_section(&root.join("BENCHMARKS.md"), (BEGIN, END), &table)?;
    eprintln!("bench --real: wrote BENCHMARKS.md");
    Ok(())
}

/// Every area of the spec folder with its resources and operations, from the validated spec.
fn area_counts(spec: &Path) -> anyhow::Result<Vec<(String, usize, usize)>> {
    let spec = codegen::read_spec(spec, Path::new("spec")).map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(spec.area_summary().into_iter().map(|area| (area.area, area.resources, area.operations)).collect())
}

/// The real spec's report.
fn markdown(figures: &RealFigures, machine: &Machine) -> String {
    let mut out = String::new();
    let generation = &figures.generation;
    out.push_str(&machine.heading());
    let _ = writeln!(
        out,
        "`spec/`: {} resources, {} operations; {} generated files of {} lines.\n",
        figures.resources, generation.operations, generation.files, generation.lines
    );
    out.push_str("| generation | parse | validate | emit | format | write | total | no-op regeneration |\n");
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    let _ = writeln!(
        out,
        "| in the process, {GENERATION_RUNS} runs | {} | {} | {} | {} | {} | {} | {} |",
        generation.parse.show_milliseconds(),
        generation.validate.show_milliseconds(),
        generation.emit.show_milliseconds(),
        generation.format.show_milliseconds(),
        generation.write.show_milliseconds(),
        generation.total.show_milliseconds(),
        generation.no_op.show_milliseconds(),
    );
    let goal = if generation.total.median() < 1.0 { "holds" } else { "**misses**" };
    let _ = writeln!(out, "\nGoal, generation of the real spec under 1 s (median): {goal}.\n");

    out.push_str(
        "| debug build (dependencies built) | resources | operations | build time | CPU time | peak memory |\n",
    );
    out.push_str("|---|---|---|---|---|---|\n");
    let _ = writeln!(
        out,
        "| every area, {ALL_AREAS_BUILD_RUNS} runs | {} | {} | {} |",
        figures.resources,
        generation.operations,
        build_cells(&figures.all_areas)
    );
    for (area, resources, operations, build) in &figures.areas {
        let _ = writeln!(out, "| `{area}` alone | {resources} | {operations} | {} |", build_cells(build));
    }

    out.push_str("\n### progenitor on the real spec's OpenAPI 3.0 export\n\n");
    match &figures.peer {
        Ok(peer) => {
            out.push_str("| generator | generation | lines | build time | CPU time | peak memory |\n");
            out.push_str("|---|---|---|---|---|---|\n");
            let ours = &figures.all_areas;
            let _ = writeln!(
                out,
                "| nexudus (this generator) | {} | {} | {} |",
                generation.total.show_milliseconds(),
                generation.lines,
                build_cells(ours)
            );
            let _ = writeln!(
                out,
                "| progenitor {} | {} | {} | {} |",
                peer.version,
                peer.generation.show_milliseconds(),
                peer.lines,
                build_cells(&peer.build)
            );
            let ratio = |ours: f64, theirs: f64| format!("{}%", round(ours / theirs * 100.0));
            let _ = writeln!(
                out,
                "| nexudus / progenitor | {} | {} | {} | {} | {} |",
                ratio(generation.total.median(), peer.generation.median()),
                ratio(generation.lines as f64, peer.lines as f64),
                ratio(ours.seconds.median(), peer.build.seconds.median()),
                ratio(ours.cpu_seconds.median(), peer.build.cpu_seconds.median()),
                ratio(ours.peak_bytes.median(), peer.build.peak_bytes.median()),
            );
            let (generations, builds) = PEER_RUNS;
            let _ = writeln!(
                out,
                "\nprogenitor: the export in the form for code generators (`cargo xtask openapi --for \
                 generators`), as for the synthetic specs; runs: generation {generations} (the whole \
                 `cargo progenitor` command), build {builds}."
            );
        }
        Err(reason) => {
            let _ = writeln!(out, "Not measured: {reason}.");
        }
    }
    out
}

/// Build time, CPU time and peak memory.
fn build_cells(build: &BuildFigures) -> String {
    format!(
        "{} | {} | {}",
        build.seconds.show_seconds(),
        build.cpu_seconds.show_seconds(),
        build.peak_bytes.show_mebibytes()
    )
}
