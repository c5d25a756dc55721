//! Emits and formats the generated files, spread over the machine's cores. Each spec file's
//! module is independent of the others, and formatting is most of a generation's time, so a
//! large spec is cut into one share of modules per core. Token streams cannot cross threads, so
//! each thread emits and formats its own share; the output does not depend on the thread count.

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
    let threads = thread::available_parallelism().map_or(1, usize::from).clamp(1, spec.modules.len().max(1));
    let shares: Vec<Vec<usize>> =
        (0..threads).map(|share| (share..spec.modules.len()).step_by(threads).collect()).collect();
    let mut outcomes = Vec::new();
    if threads == 1 {
        outcomes.push(render_share(spec, &shares[0]));
    } else {
        thread::scope(|scope| {
            let workers: Vec<_> = shares.iter().map(|share| scope.spawn(move || render_share(spec, share))).collect();
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

fn render_share(spec: &Spec, modules: &[usize]) -> Result<Share, WriteError> {
    let mut share =
        Share { files: Vec::with_capacity(modules.len()), emitting: Duration::ZERO, formatting: Duration::ZERO };
    for &index in modules {
        let started = Instant::now();
        let emitted = emit::emit_module(spec, &spec.modules[index]);
        let emitted_at = Instant::now();
        share.files.push(write::render(emitted)?);
        share.emitting += emitted_at - started;
        share.formatting += emitted_at.elapsed();
    }
    Ok(share)
}
