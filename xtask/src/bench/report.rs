//! The benchmark's Markdown: the machine, a generation table, a build table, the comparison with
//! progenitor, and whether each target of the performance issue holds; and its place in
//! `BENCHMARKS.md`, between two marker lines, so that notes written by hand around it stay.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::Context;

use super::build::BuildFigures;
use super::command::CommandFigures;
use super::stats::{round, Samples};
use super::{peer, SizeFigures, PEER_RUNS_AT_FULL_SIZE};

/// The lines that enclose the table in `BENCHMARKS.md`.
const BEGIN: &str = "<!-- cargo xtask bench: begin (this part is rewritten by every full run) -->";
const END: &str = "<!-- cargo xtask bench: end -->";

/// progenitor 0.15 on the same API shape, measured on 2 cores (the performance issue): compile
/// time and peak memory per operation of the generated crate, at N = 50 and N = 200. The targets
/// use them where this run did not measure progenitor itself.
const PROGENITOR_SECONDS_PER_OPERATION: f64 = 0.175;
const PROGENITOR_BYTES_PER_OPERATION: f64 = 5.0 * MIB;
const MIB: f64 = 1024.0 * 1024.0;

/// Where the figures come from.
pub struct Machine {
    pub cores: usize,
    pub memory: String,
    pub rustc: String,
    pub commit: String,
    /// The 1-minute load average, from `/proc/loadavg`.
    pub load: String,
}

impl Machine {
    /// The line that opens a report: where and when its figures were measured.
    pub fn heading(&self) -> String {
        format!(
            "Measured on {} cores, {} of memory, {}, at commit {}, load average {} at the start of the report. Each figure: median (min–max).\n\n",
            self.cores, self.memory, self.rustc, self.commit, self.load
        )
    }

    pub fn describe(root: &Path) -> Machine {
        let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
        let memory = fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| {
                let line = text.lines().find(|line| line.starts_with("MemTotal:"))?;
                let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(format!("{:.1} GiB", kib / (1024.0 * 1024.0)))
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let output = |program: &str, arguments: &[&str]| {
            Command::new(program)
                .args(arguments)
                .current_dir(root)
                .output()
                .ok()
                .filter(|output| output.status.success())
                .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
                .unwrap_or_else(|| "unknown".to_owned())
        };
        Machine {
            cores,
            memory,
            rustc: output("rustc", &["--version"]),
            commit: output("git", &["rev-parse", "--short", "HEAD"]),
            load: fs::read_to_string("/proc/loadavg")
                .ok()
                .and_then(|text| text.split_whitespace().next().map(str::to_owned))
                .unwrap_or_else(|| "unknown".to_owned()),
        }
    }
}

/// What a run measures beside the synthetic specs.
pub struct Extras {
    /// `cargo xtask gen` through cargo on the real spec; `None` when `generated/` was stale.
    pub command: Option<CommandFigures>,
    /// The client benchmark's table.
    pub client: String,
}

/// The whole report.
pub fn markdown(sizes: &[SizeFigures], extras: &Extras, machine: &Machine, peer_installed: bool) -> String {
    let mut out = String::new();
    out.push_str(&machine.heading());
    out.push_str("### The performance issue's figures, with their references\n\n");
    out.push_str(&issue_figures(sizes, extras));
    out.push_str("\n### `cargo xtask gen` as users run it (the whole command through cargo, real spec)\n\n");
    out.push_str(&command_table(extras.command.as_ref()));
    out.push_str("\n### The generated client against raw reqwest (release build, loopback, keep-alive)\n\n");
    out.push_str(&extras.client);
    out.push_str(
        "\nEvery row of a case comes from the same rounds: in each round every way of asking times one batch of requests (50 `get`s, or one page), in an order that rotates from round to round; the wall-time ratio is taken round by round and shown as median (first quartile–third quartile). CPU time is the whole process's (server included, the same for every way), per request, and its ratio that of the totals. Server and client share the process and the two cores.\n\n",
    );
    out.push_str("### Generation\n\n");
    out.push_str(
        "| N | operations | files | lines | parse | validate | emit | format | write | total | no-op regeneration | unchanged, whole pipeline |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for size in sizes {
        let figures = &size.generation;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            size.resources,
            figures.operations,
            figures.files,
            figures.lines,
            figures.parse.show_milliseconds(),
            figures.validate.show_milliseconds(),
            figures.emit.show_milliseconds(),
            figures.format.show_milliseconds(),
            figures.write.show_milliseconds(),
            figures.total.show_milliseconds(),
            figures.no_op.show_milliseconds(),
            figures.unchanged_full.show_milliseconds(),
        );
    }
    out.push_str(
        "\nparse includes reading the files. A no-op regeneration is what `cargo xtask gen` (or `gen --check`) does when nothing changed: hash its own binary, the spec and the manifest, and every generated file against the stamp of the last run. The whole pipeline over an unchanged folder (no stamp) generates every file and compares it; neither changes a file or a modification time (checked).\n",
    );
    out.push_str("\n### Debug build of the generated crate alone (dependencies already built)\n\n");
    out.push_str(
        "| N | features | operations | build time | CPU time | peak memory | time per operation | memory per operation |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for size in sizes {
        let Some((all, one)) = &size.builds else { continue };
        let operations = size.generation.operations;
        let per_resource = operations / size.resources.max(1);
        for (features, figures, operations) in
            [("every area", all, operations), ("one resource (`area0` alone)", one, per_resource)]
        {
            let _ = writeln!(
                out,
                "| {} | {features} | {operations} | {} |",
                size.resources,
                build_cells(figures, operations)
            );
        }
    }
    out.push_str("\n### Peer comparison: progenitor on the same API\n\n");
    out.push_str(&peer_table(sizes, peer_installed));
    out.push_str("\n### Targets\n\n");
    out.push_str(&targets(sizes));
    out
}

/// The four figures of the performance issue, each beside its reference of the same run.
fn issue_figures(sizes: &[SizeFigures], extras: &Extras) -> String {
    let mut out = String::from("| figure | measured | reference | goal | verdict |\n|---|---|---|---|---|\n");
    let verdict = |holds: bool| if holds { "holds" } else { "**misses**" };
    for (case, name) in [("one record", "one `get`"), ("a page of 1,000", "one 1,000-record page")] {
        match client_ratio(&extras.client, case) {
            Some((cell, median)) => {
                let _ = writeln!(
                    out,
                    "| {name}, generated client / raw reqwest into the same type | {cell} | raw reqwest, same run | at most 1.05x | {} |",
                    if median <= 1.05 {
                        verdict(true).to_owned()
                    } else {
                        format!("**misses** by {:.0} points", (median - 1.05) * 100.0)
                    }
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "| {name}, generated client / raw reqwest into the same type | not measured | | at most 1.05x | |"
                );
            }
        }
    }
    let largest = sizes.iter().find(|size| size.resources == 200);
    match largest {
        Some(size) => {
            let figures = &size.generation;
            let _ = writeln!(
                out,
                "| no-op regeneration, N = 200, in the process | {} | whole pipeline over the unchanged folder: {} | under 100 ms | {} |",
                figures.no_op.show_milliseconds(),
                figures.unchanged_full.show_milliseconds(),
                verdict(figures.no_op.median() < 0.1)
            );
            let total = figures.total.median();
            let full_verdict = if total < 0.5 {
                verdict(true).to_owned()
            } else {
                // Where the time goes, from the phase medians of the same runs.
                let share = |phase: &Samples| round(phase.median() * 100.0 / total);
                format!(
                    "**misses**, {:.1}x the goal; of the total: parse {}%, validate {}%, emit {}%, format {}%, write {}%",
                    total / 0.5,
                    share(&figures.parse),
                    share(&figures.validate),
                    share(&figures.emit),
                    share(&figures.format),
                    share(&figures.write),
                )
            };
            let _ = writeln!(
                out,
                "| full generation, N = 200, in the process | {} | 1.25 s when the issue was filed | under 0.5 s | {full_verdict} |",
                figures.total.show_milliseconds(),
            );
        }
        None => out.push_str("| generation at N = 200 | not measured by a quick run | | | |\n"),
    }
    out
}

/// The ratio cell of the generated client's row of a case of the client table, and its median.
fn client_ratio(table: &str, case: &str) -> Option<(String, f64)> {
    let line = table.lines().find(|line| line.contains(case) && line.contains("| generated client |"))?;
    let cell = line.split('|').nth(5)?.trim().to_owned();
    let median = cell.split('x').next()?.trim().parse().ok()?;
    Some((cell, median))
}

/// `cargo xtask gen` through cargo, no-op and full.
fn command_table(figures: Option<&CommandFigures>) -> String {
    let Some(figures) = figures else {
        return "Not measured: `generated/` was not up to date.\n".to_owned();
    };
    let mut out = String::from("| command | what it does | wall time |\n|---|---|---|\n");
    for (command, what, samples) in [
        ("`cargo xtask gen`", "nothing changed: the fingerprint says so", &figures.no_op),
        ("`cargo xtask gen --check`", "nothing changed: the fingerprint says so", &figures.check_no_op),
        ("`cargo xtask gen`", "no stamp: every file generated and compared, none written", &figures.full),
    ] {
        let _ = writeln!(out, "| {command} | {what} | {} |", samples.show_milliseconds());
    }
    out.push_str("\nThe three run interleaved; each time includes cargo checking that `xtask` is built, and both targets (`generated/` and the fixture client).\n");
    out
}

/// The cells of a build: time, CPU time, peak memory, and time and memory per operation.
fn build_cells(build: &BuildFigures, operations: usize) -> String {
    format!(
        "{} | {} | {} | {} ms | {} MiB",
        build.seconds.show_seconds(),
        build.cpu_seconds.show_seconds(),
        build.peak_bytes.show_mebibytes(),
        round(build.seconds.median() * 1000.0 / operations as f64),
        round(build.peak_bytes.median() / operations as f64 / MIB),
    )
}

/// Our figures and progenitor's, size by size, with their ratio.
fn peer_table(sizes: &[SizeFigures], peer_installed: bool) -> String {
    let mut out = String::new();
    if !peer_installed {
        let _ = writeln!(
            out,
            "`cargo progenitor` was not installed where this ran (`{}`); no comparison in this run.",
            peer::INSTALL
        );
        return out;
    }
    out.push_str("| N | operations | generator | generation | lines | build time | CPU time | peak memory | time per operation | memory per operation |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for size in sizes {
        let (Some((ours, _)), Some(theirs)) = (&size.builds, &size.peer) else { continue };
        let operations = size.generation.operations;
        let ours_lines = size.generation.lines;
        let progenitor = format!("progenitor {}", theirs.version);
        for (generator, generation, lines, build) in [
            ("nexudus (this generator)", &size.generation.total, ours_lines, ours),
            (progenitor.as_str(), &theirs.generation, theirs.lines, &theirs.build),
        ] {
            let _ = writeln!(
                out,
                "| {} | {operations} | {generator} | {} | {lines} | {} |",
                size.resources,
                generation.show_milliseconds(),
                build_cells(build, operations),
            );
        }
        let ratio = |ours: &Samples, theirs: &Samples| fraction(ours.median() / theirs.median());
        let _ = writeln!(
            out,
            "| {} | {operations} | nexudus / progenitor | {} | {} | {} | {} | {} | {} | {} |",
            size.resources,
            ratio(&size.generation.total, &theirs.generation),
            fraction(ours_lines as f64 / theirs.lines as f64),
            ratio(&ours.seconds, &theirs.build.seconds),
            ratio(&ours.cpu_seconds, &theirs.build.cpu_seconds),
            ratio(&ours.peak_bytes, &theirs.build.peak_bytes),
            ratio(&ours.seconds, &theirs.build.seconds),
            ratio(&ours.peak_bytes, &theirs.build.peak_bytes),
        );
    }
    let _ = writeln!(
        out,
        "\nprogenitor gets the synthetic spec as exported in OpenAPI 3.0 (`cargo xtask openapi --dialect 3.0`), adapted where it refuses the export (see `xtask/src/bench/peer.rs`); its generation time is the whole `cargo progenitor` command. Its crate is built like ours, with its own dependencies built first; at N = 200 from {PEER_RUNS_AT_FULL_SIZE} builds."
    );
    out
}

/// One line per target of the issue that the measured sizes can decide.
fn targets(sizes: &[SizeFigures]) -> String {
    let mut out = String::new();
    let size = |resources: usize| sizes.iter().find(|size| size.resources == resources);
    let verdict = |holds: bool| if holds { "holds" } else { "**misses**" };
    if let Some(largest) = size(200) {
        let seconds = largest.generation.total.median();
        let _ = writeln!(out, "- Generation of N = 200 under 1 s: {} s, {}.", round(seconds), verdict(seconds < 1.0));
    }
    if let (Some(large), Some(medium)) = (size(200), size(50)) {
        let ratio = large.generation.total.median() / medium.generation.total.median();
        let _ = writeln!(
            out,
            "- Linear generation, time(200) / time(50) at most 4.5: {}, {}.",
            round(ratio),
            verdict(ratio <= 4.5)
        );
    }
    for resources in [50, 200] {
        let Some(size) = size(resources) else { continue };
        let Some((all, _)) = &size.builds else { continue };
        let operations = size.generation.operations as f64;
        let seconds = all.seconds.median() / operations;
        let bytes = all.peak_bytes.median() / operations;
        let (peer_seconds, peer_bytes, source) = match &size.peer {
            Some(peer) => (
                peer.build.seconds.median() / operations,
                peer.build.peak_bytes.median() / operations,
                "as measured in this run",
            ),
            None => (PROGENITOR_SECONDS_PER_OPERATION, PROGENITOR_BYTES_PER_OPERATION, "as the issue gives them"),
        };
        let _ = writeln!(
            out,
            "- Compile cost per operation at N = {resources}, at most a third of progenitor's ({} ms, {} MiB, {source}): {} ms ({} of progenitor's), {}; {} MiB ({}), {}.",
            round(peer_seconds * 1000.0),
            round(peer_bytes / MIB),
            round(seconds * 1000.0),
            fraction(seconds / peer_seconds),
            verdict(seconds * 3.0 <= peer_seconds),
            round(bytes / MIB),
            fraction(bytes / peer_bytes),
            verdict(bytes * 3.0 <= peer_bytes),
        );
    }
    if out.is_empty() {
        out.push_str("- A quick run measures too few sizes to decide the targets.\n");
    }
    out
}

/// A ratio as a percentage: `0.12` as `12%`.
fn fraction(ratio: f64) -> String {
    format!("{}%", round(ratio * 100.0))
}

/// Replaces the table between the markers of `BENCHMARKS.md`, or starts the file.
pub fn update_benchmarks_file(path: &Path, table: &str) -> anyhow::Result<()> {
    update_section(path, (BEGIN, END), table)
}

/// Replaces the text between the marker lines `markers` of the file at `path`, or puts them,
/// around `table`, on top of it.
pub fn update_section(path: &Path, markers: (&str, &str), table: &str) -> anyhow::Result<()> {
    let current = fs::read_to_string(path).unwrap_or_default();
    fs::write(path, splice(&current, markers, table)).with_context(|| format!("writing {}", path.display()))
}

/// `current` with `table` between the markers, the text around them kept.
fn splice(current: &str, (begin_marker, end_marker): (&str, &str), table: &str) -> String {
    let block = format!("{begin_marker}\n{table}{end_marker}");
    match (current.find(begin_marker), current.find(end_marker)) {
        (Some(begin), Some(end)) if begin < end => {
            format!("{}{block}{}", &current[..begin], &current[end + end_marker.len()..])
        }
        _ => format!("# Benchmarks\n\n`cargo xtask bench` writes the parts between the markers.\n\n{block}\n{current}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_table_replaces_the_old_one_and_keeps_the_notes_around_it() {
        let current = format!("# Notes\nbefore\n{BEGIN}\nold table\n{END}\nafter\n");
        assert_eq!(
            splice(&current, (BEGIN, END), "new table\n"),
            format!("# Notes\nbefore\n{BEGIN}\nnew table\n{END}\nafter\n")
        );
    }

    #[test]
    fn a_file_without_markers_gets_them_on_top() {
        let spliced = splice("hand-written\n", (BEGIN, END), "table\n");
        assert!(spliced.starts_with("# Benchmarks\n"));
        assert!(spliced.contains(&format!("{BEGIN}\ntable\n{END}\nhand-written\n")));
    }
}
