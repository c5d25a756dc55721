//! The benchmark's Markdown: the machine, a generation table, a build table, and whether each
//! target of the performance issue holds; and its place in `BENCHMARKS.md`, between two marker
//! lines, so that notes written by hand around it stay.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::Context;

use super::stats::round;
use super::SizeFigures;

/// The lines that enclose the table in `BENCHMARKS.md`.
const BEGIN: &str = "<!-- cargo xtask bench: begin (this part is rewritten by every full run) -->";
const END: &str = "<!-- cargo xtask bench: end -->";

/// progenitor 0.15 on the same API shape, measured on 2 cores (the performance issue): compile
/// time and peak memory per operation of the generated crate, at N = 50 and N = 200.
const PROGENITOR_SECONDS_PER_OPERATION: f64 = 0.175;
const PROGENITOR_BYTES_PER_OPERATION: f64 = 5.0 * 1024.0 * 1024.0;

/// Where the figures come from.
pub struct Machine {
    pub cores: usize,
    pub memory: String,
    pub rustc: String,
    pub commit: String,
}

impl Machine {
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
        }
    }
}

/// The whole report.
pub fn markdown(sizes: &[SizeFigures], machine: &Machine) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Measured on {} cores, {} of memory, {}, at commit {}. Each figure: median (min–max).\n",
        machine.cores, machine.memory, machine.rustc, machine.commit
    );
    out.push_str("### Generation\n\n");
    out.push_str(
        "| N | operations | files | lines | parse | validate | emit | format | write | total | no-op regeneration |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for size in sizes {
        let figures = &size.generation;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
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
        );
    }
    out.push_str(
        "\nparse includes reading the files; a no-op regeneration changes no file and no modification time (checked).\n",
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
                "| {} | {} | {} | {} | {} | {} | {} ms | {} MiB |",
                size.resources,
                features,
                operations,
                figures.seconds.show_seconds(),
                figures.cpu_seconds.show_seconds(),
                figures.peak_bytes.show_mebibytes(),
                round(figures.seconds.median() * 1000.0 / operations as f64),
                round(figures.peak_bytes.median() / operations as f64 / (1024.0 * 1024.0)),
            );
        }
    }
    out.push_str("\n### Targets\n\n");
    out.push_str(&targets(sizes));
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
        let Some(Some((all, _))) = size(resources).map(|size| &size.builds) else { continue };
        let operations = size(resources).map_or(1, |size| size.generation.operations) as f64;
        let seconds = all.seconds.median() / operations;
        let bytes = all.peak_bytes.median() / operations;
        let _ = writeln!(
            out,
            "- Compile cost per operation at N = {resources}, at most a third of progenitor's (175 ms, 5 MiB): {} ms ({} of progenitor's), {}; {} MiB ({}), {}.",
            round(seconds * 1000.0),
            fraction(seconds / PROGENITOR_SECONDS_PER_OPERATION),
            verdict(seconds * 3.0 <= PROGENITOR_SECONDS_PER_OPERATION),
            round(bytes / (1024.0 * 1024.0)),
            fraction(bytes / PROGENITOR_BYTES_PER_OPERATION),
            verdict(bytes * 3.0 <= PROGENITOR_BYTES_PER_OPERATION),
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
    let current = fs::read_to_string(path).unwrap_or_default();
    fs::write(path, splice(&current, table)).with_context(|| format!("writing {}", path.display()))
}

/// `current` with `table` between the markers, the text around them kept.
fn splice(current: &str, table: &str) -> String {
    let block = format!("{BEGIN}\n{table}{END}");
    match (current.find(BEGIN), current.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!("{}{block}{}", &current[..begin], &current[end + END.len()..])
        }
        _ => format!("# Benchmarks\n\n`cargo xtask bench` writes the part between the markers.\n\n{block}\n{current}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_table_replaces_the_old_one_and_keeps_the_notes_around_it() {
        let current = format!("# Notes\nbefore\n{BEGIN}\nold table\n{END}\nafter\n");
        assert_eq!(splice(&current, "new table\n"), format!("# Notes\nbefore\n{BEGIN}\nnew table\n{END}\nafter\n"));
    }

    #[test]
    fn a_file_without_markers_gets_them_on_top() {
        let spliced = splice("hand-written\n", "table\n");
        assert!(spliced.starts_with("# Benchmarks\n"));
        assert!(spliced.contains(&format!("{BEGIN}\ntable\n{END}\nhand-written\n")));
    }
}
