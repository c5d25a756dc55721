//! Arbitrary and mutated specs never make the generator panic: each run ends in generated
//! code that parses as Rust, or in diagnostics. Mutations start from the real spec and from every
//! fixture, and are drawn from a fixed seed so that a failure can be replayed.

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
