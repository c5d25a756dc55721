//! Arbitrary and mutated specs never make the generator panic: each run ends in generated
//! code that parses as Rust, or in diagnostics. Mutations start from the real spec and from every
//! fixture, and are drawn from a fixed seed so that a failure can be replayed. Beside them, the
//! names, texts and depths that once got through (`TARGETED`) and a sample of accepted mutants
//! are compiled with one `cargo check`: an accepted spec must build.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codegen::parse::SourceFile;
use codegen::GenerateError;

const CASES: usize = 10_000;

/// How many valid fixture files `seeds` puts right after the two whole-folder seeds.
const VALID_FIXTURES: usize = 5;

/// Pieces a maintainer might type in the wrong place.
const TOKENS: &[&str] = &[
    "type",
    "required",
    "nullable",
    "write",
    "read_only",
    "create_only",
    "get_only",
    "input",
    "conventions",
    "rust_name",
    "description",
    "fields",
    "models",
    "enums",
    "operations",
    "variants",
    "value",
    "name",
    "open",
    "path",
    "method",
    "GET",
    "PUT",
    "DELETE",
    "PATCH",
    "answer",
    "body",
    "query",
    "paged",
    "filters",
    "prefix",
    "equal",
    "range",
    "path_params",
    "params",
    "returns",
    "new_id",
    "read_with",
    "include",
    "int32",
    "int64",
    "decimal",
    "bool",
    "string",
    "date-time",
    "uuid",
    "json",
    "list<",
    ">",
    "<",
    "Page<",
    "ActionResult",
    "CrmOpportunity",
    "eCrmOpportunityStatus",
    "T",
    "self",
    "Self",
    "crate",
    "type",
    "3d",
    "Unknown",
    "{id}",
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    "- ",
    ",",
    "\"",
    "'",
    "#",
    "&a",
    "*a",
    "!!str",
    "~",
    "null",
    "true",
    "-1",
    "99999999999999999999",
    "0x1F",
    "é",
    "😀",
    "\t",
    "\\",
    "/",
    "-",
    "_",
    "",
    "  ",
    "\n",
    // Names the checks must refuse, or the emitted code must survive.
    "new",
    "request",
    "list_all",
    "update_with",
    "Fields",
    "i64",
    "match",
    "r#match",
    "runtime",
    "Evil½",
    // Text that must stay text.
    "```",
    "    panic!()",
    "<script>",
    "\\r",
    "\\u202E",
    "list<list<list<list<list<list<list<list<list<",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
];

fn spec_files(folder: &Path, display: &Path) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(relative) = folders.pop() {
        for entry in fs::read_dir(folder.join(&relative)).unwrap() {
            let entry = entry.unwrap();
            let path = relative.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "yaml") {
                let text = fs::read_to_string(folder.join(&path)).unwrap();
                files.push(SourceFile { display_path: display.join(&path), relative_path: path, text });
            }
        }
    }
    files.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
    files
}

/// Files of the real spec that seed the mutations: the shared types and conventions, the first
/// resource, and one with inline children from two areas. The whole API (some 200 files) would
/// make each case a full generation of it; these cover its shapes.
const REAL_SEED_FILES: &[&str] =
    &["api.yaml", "crm/crm_opportunity.yaml", "spaces/booking.yaml", "billing/booking_product.yaml"];

/// Starting points: part of the real spec, the valid fixtures, and each invalid fixture with the
/// fixtures' `api.yaml`.
fn seeds() -> Vec<Vec<SourceFile>> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let valid = spec_files(&manifest.join("tests/fixtures/valid"), Path::new("spec"));
    let api: Vec<SourceFile> =
        valid.iter().filter(|file| file.relative_path == Path::new("api.yaml")).cloned().collect();
    let real: Vec<SourceFile> = spec_files(&manifest.join("../spec"), Path::new("spec"))
        .into_iter()
        .filter(|file| REAL_SEED_FILES.iter().any(|seed| file.relative_path == Path::new(seed)))
        .collect();
    assert_eq!(real.len(), REAL_SEED_FILES.len(), "a seed file of the real spec is missing");
    codegen::generate_from_sources(real.clone()).unwrap_or_else(|error| panic!("the real seed files: {error}"));
    let mut seeds = vec![real, valid.clone()];
    for fixture in valid.iter().filter(|file| file.relative_path != Path::new("api.yaml")) {
        seeds.push([api.clone(), vec![fixture.clone()]].concat());
    }
    assert_eq!(seeds.len(), 2 + VALID_FIXTURES, "update VALID_FIXTURES");
    for invalid in spec_files(&manifest.join("tests/fixtures/invalid"), Path::new("spec/test")) {
        seeds.push([api.clone(), vec![invalid]].concat());
    }
    seeds
}

fn mutate(text: &str, rng: &mut fastrand::Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..rng.usize(1..=2) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let at = rng.usize(..lines.len());
        match rng.u8(..8) {
            0 => {
                lines.remove(at);
            }
            1 => {
                let copy = lines[at].clone();
                lines.insert(at, copy);
            }
            2 => {
                let other = rng.usize(..lines.len());
                lines.swap(at, other);
            }
            3 => {
                let line = &mut lines[at];
                let cut = floor_char_boundary(line, rng.usize(..=line.len()));
                line.truncate(cut);
            }
            4 => {
                let line = &mut lines[at];
                let position = floor_char_boundary(line, rng.usize(..=line.len()));
                line.insert_str(position, TOKENS[rng.usize(..TOKENS.len())]);
            }
            5 => {
                // Replace one word with a token.
                let words: Vec<&str> = lines[at].split(' ').collect();
                let pick = rng.usize(..words.len());
                let replaced: Vec<&str> = words
                    .iter()
                    .enumerate()
                    .map(|(index, word)| if index == pick { TOKENS[rng.usize(..TOKENS.len())] } else { word })
                    .collect();
                lines[at] = replaced.join(" ");
            }
            6 => {
                let indent = " ".repeat(rng.usize(..6));
                let trimmed = lines[at].trim_start().to_owned();
                lines[at] = format!("{indent}{trimmed}");
            }
            _ => {
                let bytes: String = (0..rng.usize(1..8)).map(|_| rng.char('\u{0}'..='\u{2FF}')).collect();
                lines.insert(at, bytes);
            }
        }
    }
    lines.join("\n")
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[test]
fn mutated_specs_give_code_or_diagnostics_never_a_panic() {
    let seeds = seeds();
    let mut rng = fastrand::Rng::with_seed(0x5EED_CAFE);
    let (mut generated, mut rejected) = (0, 0);
    for case in 0..CASES {
        // Most cases start from a valid spec, so that many mutants still reach emission.
        let valid_seeds = 2 + VALID_FIXTURES;
        let seed = if rng.u8(..10) < 7 { rng.usize(..valid_seeds) } else { rng.usize(..seeds.len()) };
        let mut sources = seeds[seed].clone();
        let victim = rng.usize(..sources.len());
        sources[victim].text = mutate(&sources[victim].text, &mut rng);
        let replay = sources[victim].text.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| codegen::generate_from_sources(sources)));
        match outcome {
            Ok(Ok(_)) => generated += 1,
            Ok(Err(GenerateError::Spec(diagnostics))) => {
                assert!(!diagnostics.items().is_empty(), "case {case}: an error without a diagnostic");
                rejected += 1;
            }
            Ok(Err(other)) => {
                panic!("case {case}: emitted code that is not Rust: {other}\n--- mutated file ---\n{replay}")
            }
            Err(_) => panic!("case {case}: the generator panicked\n--- mutated file ---\n{replay}"),
        }
    }
    // Both outcomes must be exercised, or the mutations are too weak or too strong to test much.
    println!("{generated} mutated specs generated code, {rejected} were rejected");
    assert!(generated > CASES / 20, "only {generated} of {CASES} mutated specs still generated code");
    assert!(rejected > CASES / 5, "only {rejected} of {CASES} mutated specs were rejected");
}

#[test]
fn arbitrary_text_gives_diagnostics() {
    let mut rng = fastrand::Rng::with_seed(7);
    for case in 0..1_000 {
        let text: String =
            (0..rng.usize(0..200)).map(|_| TOKENS[rng.usize(..TOKENS.len())]).collect::<Vec<_>>().join(" ");
        let sources = vec![SourceFile {
            display_path: PathBuf::from("spec/api.yaml"),
            relative_path: PathBuf::from("api.yaml"),
            text: text.clone(),
        }];
        let outcome = catch_unwind(AssertUnwindSafe(|| codegen::generate_from_sources(sources)));
        assert!(
            matches!(outcome, Ok(Err(GenerateError::Spec(_)))),
            "case {case}: arbitrary text must give diagnostics\n{text}"
        );
    }
}

/// Files added to the valid fixture spec, one at a time: the names, texts and depths that once
/// got through the checks and then failed to build or ran as code. Each must be refused with a
/// diagnostic, or generate code that builds.
const TARGETED: &[(&str, &str)] = &[
    ("model named Fields", "models:\n  Fields:\n    fields:\n      Name: string\n"),
    ("model named M", "models:\n  M:\n    fields:\n      Name: string\n"),
    ("model named C", "models:\n  C:\n    fields:\n      Name: string\n"),
    ("model named i64", "models:\n  Count:\n    rust_name: i64\n    fields:\n      Name: string\n"),
    ("model named bool", "models:\n  Flag:\n    rust_name: bool\n    fields:\n      Name: string\n"),
    ("type parameter Option", "models:\n  Box1:\n    type_params: [Option]\n    fields:\n      Item: Option\n"),
    ("type parameter T½", "models:\n  Box2:\n    type_params: [T½]\n    fields:\n      Item: T½\n"),
    ("field rust_name match", "models:\n  Kw:\n    fields:\n      Kind: { type: string, rust_name: match }\n"),
    ("field rust_name r#match", "models:\n  Kw:\n    fields:\n      Kind: { type: string, rust_name: r#match }\n"),
    ("field rust_name self", "models:\n  Kw:\n    fields:\n      Kind: { type: string, rust_name: self }\n"),
    ("field named New", "models:\n  Nw:\n    fields:\n      New: bool\n"),
    ("field named Self", "models:\n  Sf:\n    fields:\n      Self: bool\n      Super: bool\n      Crate: int32\n"),
    ("resource Evil½", RESOURCE_EVIL),
    ("accessor type", RESOURCE_ACCESSOR_TYPE),
    ("accessor r#type", RESOURCE_ACCESSOR_RAW_TYPE),
    ("operation list_all beside a paged list", RESOURCE_LIST_ALL),
    ("path parameter request with a body", RESOURCE_PATH_REQUEST),
    ("fenced description", "models:\n  Doc1:\n    description: \"Run:\\n\\n```\\npanic!(\\\"RAN\\\");\\n```\"\n    fields:\n      Name: { type: string, description: \"```rust\\npanic!()\" }\n"),
    ("indented description", "models:\n  Doc2:\n    description: \"Text.\\n\\n    panic!(\\\"RAN\\\");\\n\"\n    fields:\n      Name: string\n"),
    ("html description", "models:\n  Doc3:\n    description: \"<script>alert(1)</script> <b>bold\"\n    fields:\n      Name: string\n"),
    ("bare carriage return", "models:\n  Doc4:\n    description: \"one\\rtwo\"\n    fields:\n      Name: string\n"),
    ("text direction control", "models:\n  Doc5:\n    description: \"a \\u202E b\"\n    fields:\n      Name: string\n"),
    ("list 8 deep", "models:\n  Deep1:\n    fields:\n      Items: list<list<list<list<list<list<list<list<int32>>>>>>>>\n"),
    ("list 300 deep", ""),
    ("models 16 deep", ""),
    ("models 200 deep", ""),
    ("yaml 150000 deep", ""),
    ("flow sequence of 50 MB", ""),
    ("description of 50 MB", ""),
    ("model of 700000 fields", ""),
];

const RESOURCE_EVIL: &str = "resource:\n  name: Evil½\n  operations: []\nmodels:\n  Evil½:\n    fields:\n      Name: string\noperations:\n  get:\n    summary: Gets one.\n    method: GET\n    path: /api/test/evil/{id}\n    path_params:\n      id: int64\n    answer: Evil½\n";
const RESOURCE_ACCESSOR_TYPE: &str = "resource:\n  name: Typed\n  accessor: type\n  operations: []\nmodels:\n  Typed:\n    fields:\n      Name: string\noperations:\n  get:\n    summary: Gets one.\n    method: GET\n    path: /api/test/typed/{id}\n    path_params:\n      id: int64\n    answer: Typed\n";
const RESOURCE_ACCESSOR_RAW_TYPE: &str = "resource:\n  name: Typed\n  accessor: r#type\n  operations: []\nmodels:\n  Typed:\n    fields:\n      Name: string\noperations:\n  get:\n    summary: Gets one.\n    method: GET\n    path: /api/test/typed/{id}\n    path_params:\n      id: int64\n    answer: Typed\n";
const RESOURCE_LIST_ALL: &str = "resource:\n  name: Listed\n  operations: []\nmodels:\n  Listed:\n    fields:\n      Name: string\noperations:\n  list:\n    summary: Lists.\n    method: GET\n    path: /api/test/listed\n    query:\n      paged: true\n    answer: Page<Listed>\n  list_all:\n    summary: Lists all.\n    method: GET\n    path: /api/test/listed/all\n    answer: list<Listed>\n";
const RESOURCE_PATH_REQUEST: &str = "resource:\n  name: Posted\n  operations: []\nmodels:\n  Posted:\n    fields:\n      Id: { type: int64, required: true, write: read_only }\n      Name: string\noperations:\n  update:\n    summary: Updates.\n    method: PUT\n    path: /api/test/posted/{request}\n    path_params:\n      request: int64\n    body:\n      model: Posted\n    answer: ActionResult\n";

/// The text of a targeted case; the deep ones are made here rather than written out.
fn targeted_text(label: &str, text: &str) -> String {
    let nested_models = |count: usize| {
        let mut text = String::from("models:\n");
        for level in 0..count {
            let next = if level % 2 == 0 { format!("Level{}", level + 1) } else { format!("list<Level{}>", level + 1) };
            text.push_str(&format!("  Level{level}:\n    fields:\n      Next: {next}\n"));
        }
        text.push_str(&format!("  Level{count}:\n    fields:\n      Name: string\n"));
        text
    };
    match label {
        "list 300 deep" => {
            format!("models:\n  Deep2:\n    fields:\n      Items: {}int32{}\n", "list<".repeat(300), ">".repeat(300))
        }
        "models 16 deep" => nested_models(15),
        "models 200 deep" => nested_models(200),
        "yaml 150000 deep" => format!("models: {}{}\n", "[".repeat(150_000), "]".repeat(150_000)),
        "flow sequence of 50 MB" => format!("models: [{}1]\n", "1,".repeat(25_000_000)),
        "description of 50 MB" => {
            format!(
                "models:\n  Big:\n    description: \"{}\"\n    fields:\n      Name: string\n",
                "word ".repeat(10_000_000)
            )
        }
        "model of 700000 fields" => {
            let fields: String = (0..700_000).map(|index| format!("      F{index}: string\n")).collect();
            format!("models:\n  Big:\n    fields:\n{fields}")
        }
        _ => text.to_owned(),
    }
}

/// How many accepted mutants the build check compiles at least.
const BUILT_MUTANTS: usize = 20;

/// Accepted specs build: the targeted cases and a sample of randomly mutated resource files of the
/// valid fixtures are generated, and every one that is accepted is compiled, each as an area
/// crate on the fixture client's core, by one `cargo check` over a workspace of them all.
#[test]
fn accepted_mutants_build() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let valid = spec_files(&manifest.join("tests/fixtures/valid"), Path::new("spec"));
    let layout = codegen::layout::Layout::new("fixture-client");
    let core_folder = manifest.join("fixture_client/core");
    // A mutant builds on the checked-in core only if its core is the same.
    let same_core = |generated: &codegen::Generated| {
        generated.modules.iter().filter(|file| file.path.starts_with("core")).all(|file| {
            fs::read_to_string(manifest.join("fixture_client").join(&file.path)).is_ok_and(|text| text == file.text)
        })
    };
    let mut accepted: Vec<(String, codegen::Generated)> = Vec::new();
    for (label, text) in TARGETED {
        let mut sources = valid.clone();
        let text = targeted_text(label, text);
        sources.push(SourceFile {
            display_path: PathBuf::from("spec/test/mutant.yaml"),
            relative_path: PathBuf::from("test/mutant.yaml"),
            text: text.clone(),
        });
        let started = std::time::Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| codegen::generate_from_sources_as(sources, &layout)));
        assert!(started.elapsed().as_secs() < 10, "{label}: took {:?}", started.elapsed());
        match outcome {
            Ok(Ok(generated)) => accepted.push(((*label).to_owned(), generated)),
            Ok(Err(GenerateError::Spec(diagnostics))) => {
                assert!(!diagnostics.items().is_empty(), "{label}: an error without a diagnostic")
            }
            Ok(Err(other)) => panic!("{label}: {other}"),
            Err(_) => panic!("{label}: the generator panicked"),
        }
    }
    let targeted = accepted.len();
    let mut rng = fastrand::Rng::with_seed(0xB01D);
    let resource_files: Vec<usize> =
        (0..valid.len()).filter(|&index| valid[index].relative_path.starts_with("test")).collect();
    let mut tries = 0;
    while accepted.len() < targeted + BUILT_MUTANTS {
        tries += 1;
        assert!(tries < 2_000, "too few mutants of the resource files are accepted");
        let mut sources = valid.clone();
        let victim = resource_files[rng.usize(..resource_files.len())];
        sources[victim].text = mutate(&sources[victim].text, &mut rng);
        if let Ok(generated) = codegen::generate_from_sources_as(sources, &layout) {
            if same_core(&generated) {
                accepted.push((format!("mutant {tries} of {}", valid[victim].relative_path.display()), generated));
            }
        }
    }
    check_builds(&core_folder, &accepted);
}

/// Writes each generated area crate into one workspace and runs `cargo check` over it once.
fn check_builds(core_folder: &Path, crates: &[(String, codegen::Generated)]) {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workspace = tempfile::tempdir().unwrap();
    let root: toml::Table = fs::read_to_string(repository.join("Cargo.toml")).unwrap().parse().unwrap();
    let mut inherited = toml::Table::new();
    inherited.insert("members".into(), toml::Value::Array(vec!["mutant_*".into()]));
    inherited.insert("resolver".into(), "2".into());
    inherited.insert("package".into(), root["workspace"]["package"].clone());
    inherited.insert("dependencies".into(), root["workspace"]["dependencies"].clone());
    let mut manifest = toml::Table::new();
    manifest.insert("workspace".into(), toml::Value::Table(inherited));
    fs::write(workspace.path().join("Cargo.toml"), toml::to_string(&manifest).unwrap()).unwrap();
    fs::copy(repository.join("Cargo.lock"), workspace.path().join("Cargo.lock")).unwrap();
    let mut labels = Vec::new();
    for (index, (label, generated)) in crates.iter().enumerate() {
        let folder = workspace.path().join(format!("mutant_{index}"));
        for file in generated.modules.iter().filter(|file| file.path.starts_with("areas/test")) {
            let relative = file.path.strip_prefix("areas/test").unwrap();
            let path = folder.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = if relative == Path::new("Cargo.toml") {
                let mut crate_manifest: toml::Table = file.text.parse().unwrap();
                crate_manifest["package"]["name"] = format!("mutant-{index}").into();
                crate_manifest["dependencies"]["fixture-client-core"]["path"] =
                    core_folder.display().to_string().into();
                toml::to_string(&crate_manifest).unwrap()
            } else {
                file.text.clone()
            };
            fs::write(path, text).unwrap();
        }
        labels.push(format!("mutant_{index}: {label}"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(["check", "--workspace", "--all-targets", "--offline", "--quiet", "--message-format", "short"])
        .arg("--target-dir")
        .arg(repository.join("target/robustness-check"))
        .current_dir(workspace.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("warning"),
        "accepted specs must build with no warning:\n{stderr}\n{}",
        labels.join("\n")
    );
    println!("{} accepted specs built:\n{}", crates.len(), labels.join("\n"));
}
