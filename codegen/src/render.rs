//! Emits and formats the generated files, spread over the machine's cores. Each spec file's
//! module is independent of the others, as is each crate's round-trip test, and formatting is
//! most of a generation's time, so a large spec is cut into one share of them per core. Token
//! streams cannot cross threads, so each thread emits and formats its own share; the output does
//! not depend on the thread count.

use std::collections::{BTreeMap, BTreeSet};
use std::thread;
use std::time::{Duration, Instant};

use crate::emit;
use crate::ir::Spec;
use crate::layout::Layout;
use crate::write::{self, RenderedFile, WriteError};

/// The rendered files, sorted by path, and the time spent emitting and formatting. With several
/// threads the two steps run interleaved: their wall time is split in the ratio of the time each
/// took, added up over the threads. `area_uses` gives, for each area, the areas whose types it
/// uses ([`crate::features::area_dependencies`]).
pub fn render_spec(
    spec: &Spec,
    layout: &Layout,
    area_uses: &BTreeMap<String, BTreeSet<String>>,
) -> Result<(Vec<RenderedFile>, Duration, Duration), WriteError> {
    let started = Instant::now();
    // The round-trip tests are a few large files: they are shared out with the modules.
    let tests = emit::round_trip_tests(spec);
    let jobs = spec.modules.len() + tests.len();
    let threads = thread::available_parallelism().map_or(1, usize::from).clamp(1, jobs.max(1));
    let shares: Vec<Vec<usize>> = (0..threads).map(|share| (share..jobs).step_by(threads).collect()).collect();
    let mut outcomes = Vec::new();
    if threads == 1 {
        outcomes.push(render_share(spec, &tests, &shares[0]));
    } else {
        thread::scope(|scope| {
            let tests = &tests;
            let workers: Vec<_> =
                shares.iter().map(|share| scope.spawn(move || render_share(spec, tests, share))).collect();
            for worker in workers {
                // A panic in a worker is a generator bug; show it as the panic it is.
                outcomes.push(worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            }
        });
    }
    let (mut emitting, mut formatting) = (Duration::ZERO, Duration::ZERO);
    let mut files = Vec::new();
    for outcome in outcomes {
        let share = outcome?;
        emitting += share.emitting;
        formatting += share.formatting;
        files.extend(share.files);
    }
    // The tying files are few and small.
    let trees = Instant::now();
    let emitted = emit::emit_module_trees(spec, layout, area_uses);
    emitting += trees.elapsed();
    let trees = Instant::now();
    files.extend(write::render_all(emitted)?);
    formatting += trees.elapsed();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let wall = started.elapsed();
    let busy = (emitting + formatting).as_secs_f64();
    let emit_share = if busy > 0.0 { emitting.as_secs_f64() / busy } else { 0.0 };
    let emit_wall = wall.mul_f64(emit_share);
    Ok((files, emit_wall, wall.saturating_sub(emit_wall)))
}

/// What one thread made.
struct Share {
    files: Vec<RenderedFile>,
    emitting: Duration,
    formatting: Duration,
}

/// Emits and formats the jobs of one share: a job below the number of modules is that module,
/// one above it a round-trip test of `tests`.
fn render_share(spec: &Spec, tests: &[emit::RoundTripTest], jobs: &[usize]) -> Result<Share, WriteError> {
    let mut share =
        Share { files: Vec::with_capacity(jobs.len()), emitting: Duration::ZERO, formatting: Duration::ZERO };
    for &index in jobs {
        let started = Instant::now();
        let emitted = match spec.modules.get(index) {
            Some(module) => emit::emit_module(spec, module),
            None => emit::emit_round_trips(spec, &tests[index - spec.modules.len()]),
        };
        let emitted_at = Instant::now();
        share.files.push(write::render(emitted)?);
        share.emitting += emitted_at - started;
        share.formatting += emitted_at.elapsed();
    }
    Ok(share)
}
