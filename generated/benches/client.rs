//! The client benchmark: what the generated client costs per request over raw reqwest.
//!
//! A keep-alive HTTP/1.1 server on 127.0.0.1, in this process, answers one CrmOpportunity record
//! (`get`) and a page of 1,000 of them (`list`). Three ways of asking run interleaved, a batch
//! each in turn, the order rotating from round to round: the generated client; raw reqwest
//! decoding the same body into the same generated type; raw reqwest decoding into
//! `serde_json::Value`. Each round gives one ratio to raw reqwest into the same type, so that a
//! slower moment of a shared machine weighs on both sides of the ratio alike. Figures are the
//! median over the rounds with the first and third quartiles.
//!
//! `cargo bench -p nexudus --bench client --no-default-features --features crm [-- --quick]`
//! (`cargo xtask bench` runs it) prints a Markdown table.

use std::convert::Infallible;
use std::future::Future;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response};
use nexudus::{Client, CrmOpportunity, CrmOpportunityListQuery, Page};

/// Records in the page of the `list` case.
const PAGE_RECORDS: usize = 1000;

/// The bearer token every request carries, as the generated client sends one.
const TOKEN: &str = "benchmark-token";

/// The ways of asking for the same answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Generated,
    RawTyped,
    RawValue,
}

const MODES: [Mode; 3] = [Mode::Generated, Mode::RawTyped, Mode::RawValue];

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::Generated => "generated client",
            Mode::RawTyped => "raw reqwest, same generated type",
            Mode::RawValue => "raw reqwest, `serde_json::Value`",
        }
    }
}

/// One case: what is asked, how many requests a timed batch holds, how many rounds.
struct Case {
    name: &'static str,
    body_bytes: usize,
    batch: usize,
    rounds: usize,
}

fn main() {
    let quick = std::env::args().any(|argument| argument == "--quick");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run(quick));
}

async fn run(quick: bool) {
    let record = record_body();
    let page = page_body(&record);
    let address = serve(Bytes::from(record.clone()), Bytes::from(page.clone())).await;
    let base = format!("http://{address}");
    let client = Client::builder().base_url(&base).bearer_token(TOKEN).build().unwrap();
    let raw = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    // Short batches and many rounds: a slow moment of a shared machine then spoils a few rounds,
    // which the quartiles leave out, rather than a whole mode.
    let (single_rounds, page_rounds) = if quick { (60, 40) } else { (300, 150) };
    // `--only N`: mode N of one case alone, over and over, for a profiler to look at.
    let only: Option<usize> =
        std::env::args().skip_while(|argument| argument != "--only").nth(1).and_then(|n| n.parse().ok());
    let cases = [
        Case { name: "one record (`get`)", body_bytes: record.len(), batch: 50, rounds: single_rounds },
        Case { name: "a page of 1,000 records (`list`)", body_bytes: page.len(), batch: 1, rounds: page_rounds },
    ];
    println!(
        "| case | body | way of asking | per request | ratio to raw reqwest, same type | CPU per request | CPU ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (index, case) in cases.iter().enumerate() {
        let single = index == 0;
        if let Some(only) = only {
            if only / MODES.len() == index {
                let mode = MODES[only % MODES.len()];
                for _ in 0..case.batch * case.rounds * 3 {
                    request_once(single, mode, &client, &raw, &base).await;
                }
            }
            continue;
        }
        let times = measure(case, |mode| {
            let (client, raw, base) = (&client, &raw, base.as_str());
            request_once(single, mode, client, raw, base)
        })
        .await;
        print_case(case, &times);
    }
}

async fn request_once(single: bool, mode: Mode, client: &Client, raw: &reqwest::Client, base: &str) {
    match (single, mode) {
        (true, Mode::Generated) => drop(black_box(client.crm_opportunities().get(42).await.unwrap())),
        (true, Mode::RawTyped) => drop(black_box(raw_get::<CrmOpportunity>(raw, base).await)),
        (true, Mode::RawValue) => drop(black_box(raw_get::<serde_json::Value>(raw, base).await)),
        (false, Mode::Generated) => {
            let query = CrmOpportunityListQuery::new().size(PAGE_RECORDS as i32);
            drop(black_box(client.crm_opportunities().list(&query).await.unwrap()))
        }
        (false, Mode::RawTyped) => drop(black_box(raw_list::<Page<CrmOpportunity>>(raw, base).await)),
        (false, Mode::RawValue) => drop(black_box(raw_list::<serde_json::Value>(raw, base).await)),
    }
}

/// Per-request wall and CPU times of every round, by mode, in the order of [`MODES`].
async fn measure<F, Fut>(case: &Case, mut request: F) -> [Vec<(Duration, Duration)>; 3]
where
    F: FnMut(Mode) -> Fut,
    Fut: Future<Output = ()>,
{
    // Connections, buffers and allocator pools warmed up on every side first.
    for mode in MODES {
        for _ in 0..case.batch * 5 {
            request(mode).await;
        }
    }
    let mut times: [Vec<(Duration, Duration)>; 3] = Default::default();
    for round in 0..case.rounds {
        for turn in 0..MODES.len() {
            let slot = (round + turn) % MODES.len();
            let (started, cpu_started) = (Instant::now(), process_cpu_time());
            for _ in 0..case.batch {
                request(MODES[slot]).await;
            }
            let batch = case.batch as u32;
            times[slot].push((started.elapsed() / batch, process_cpu_time().saturating_sub(cpu_started) / batch));
        }
    }
    times
}

/// The CPU time of the whole process, user and system, every thread (the server's included: it
/// does the same work for every mode).
fn process_cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let time = |value: libc::timeval| Duration::new(value.tv_sec as u64, value.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn print_case(case: &Case, times: &[Vec<(Duration, Duration)>; 3]) {
    let reference = &times[1];
    for (slot, mode) in MODES.iter().enumerate() {
        let ratio_of = |pick: fn(&(Duration, Duration)) -> Duration| -> Vec<f64> {
            times[slot]
                .iter()
                .zip(reference)
                .map(|(time, raw)| pick(time).as_secs_f64() / pick(raw).as_secs_f64().max(1e-9))
                .collect()
        };
        let wall: Vec<f64> = times[slot].iter().map(|(wall, _)| wall.as_secs_f64()).collect();
        let cpu: Vec<f64> = times[slot].iter().map(|(_, cpu)| cpu.as_secs_f64()).collect();
        let (wall_ratio, cpu_ratio) = if *mode == Mode::RawTyped {
            ("1 (reference)".to_owned(), "1 (reference)".to_owned())
        } else {
            (spread(&ratio_of(|time| time.0), "x", 3), ratio_of_totals(&cpu, reference))
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            case.name,
            body_size(case.body_bytes),
            mode.label(),
            duration_spread(&wall),
            wall_ratio,
            duration_spread(&cpu),
            cpu_ratio
        );
    }
}

/// The ratio of the CPU time of all rounds to that of the reference: CPU time is counted in
/// whole microseconds or coarser, too coarse for one round of short requests.
fn ratio_of_totals(cpu: &[f64], reference: &[(Duration, Duration)]) -> String {
    let total: f64 = cpu.iter().sum();
    let reference: f64 = reference.iter().map(|(_, cpu)| cpu.as_secs_f64()).sum();
    format!("{:.3}x", total / reference.max(1e-9))
}

/// `median (first quartile–third quartile)` of durations in seconds, in µs or ms.
fn duration_spread(seconds: &[f64]) -> String {
    let largest = seconds.iter().copied().fold(0.0, f64::max);
    let (scale, unit) = if largest >= 1e-3 { (1e3, " ms") } else { (1e6, " µs") };
    let scaled: Vec<f64> = seconds.iter().map(|value| value * scale).collect();
    spread(&scaled, unit, if largest >= 1e-3 { 2 } else { 1 })
}

/// `median (first quartile–third quartile)` of `values`.
fn spread(values: &[f64], unit: &str, decimals: usize) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let (low, high) = (sorted[sorted.len() / 4], sorted[sorted.len() * 3 / 4]);
    format!("{median:.decimals$}{unit} ({low:.decimals$}–{high:.decimals$})")
}

fn body_size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.2} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

async fn raw_get<T: serde::de::DeserializeOwned>(http: &reqwest::Client, base: &str) -> T {
    raw_decode(http.get(format!("{base}/api/crm/crmopportunities/42"))).await
}

async fn raw_list<T: serde::de::DeserializeOwned>(http: &reqwest::Client, base: &str) -> T {
    raw_decode(http.get(format!("{base}/api/crm/crmopportunities")).query(&[("size", PAGE_RECORDS)])).await
}

/// The request a program would write by hand: send, check the status, read, decode.
async fn raw_decode<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    let response = request.bearer_auth(TOKEN).send().await.unwrap().error_for_status().unwrap();
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

/// One full record, as the API sends it (the HTTP tests' fixture).
fn record_body() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/record.json");
    let record: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    serde_json::to_vec(&record).unwrap()
}

/// A list answer of [`PAGE_RECORDS`] full records, each with an id of its own, around the
/// paging fields of the HTTP tests' page fixture.
fn page_body(record: &[u8]) -> Vec<u8> {
    let record: serde_json::Value = serde_json::from_slice(record).unwrap();
    let records: Vec<serde_json::Value> = (0..PAGE_RECORDS)
        .map(|index| {
            let mut record = record.clone();
            record["Id"] = serde_json::Value::from(1_000_000 + index as i64);
            record
        })
        .collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/list-page.json");
    let mut page: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    page["Records"] = serde_json::Value::Array(records);
    serde_json::to_vec(&page).unwrap()
}

/// Starts the server on a free port of 127.0.0.1: a path ending in a digit gets the record,
/// any other the page.
async fn serve(record: Bytes, page: Bytes) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let _ = stream.set_nodelay(true);
            let (record, page) = (record.clone(), page.clone());
            let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                let single = request.uri().path().ends_with(|c: char| c.is_ascii_digit());
                let body = if single { record.clone() } else { page.clone() };
                async move {
                    let response = Response::builder().header("content-type", "application/json; charset=utf-8");
                    Ok::<_, Infallible>(response.body(Full::new(body)).unwrap())
                }
            });
            tokio::spawn(async move {
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    address
}
