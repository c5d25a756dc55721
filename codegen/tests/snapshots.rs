//! Snapshots of what the generator makes: the code for the real spec and for each valid fixture
//! spec, and the diagnostics for each invalid fixture spec.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::parse::SourceFile;
use codegen::GenerateError;

/// A fixture spec. A fixture is one file, placed at `spec/test/<name>.yaml`, or several files,
/// each introduced by a line `#== <path inside spec/>`. The shared `fixtures/valid/api.yaml` is added
/// unless the fixture has its own `api.yaml` or opens with `# without api.yaml`. The valid
/// fixtures form one spec folder, `fixtures/valid`, which `cargo xtask gen` also turns into the
/// `fixture-client` crate so that their output is compiled and linted like the real crate's.
fn fixture_sources(path: &Path) -> Vec<SourceFile> {
    let text = fs::read_to_string(path).unwrap();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for line in text.lines() {
        match line.strip_prefix("#== ") {
            Some(name) => files.push((PathBuf::from(name), String::new())),
            None => {
                if files.is_empty() {
                    files.push((Path::new("test").join(path.file_name().unwrap()), String::new()));
                }
                let current = &mut files.last_mut().unwrap().1;
                current.push_str(line);
                current.push('\n');
            }
        }
    }
    let has_api = files.iter().any(|(path, _)| path == Path::new("api.yaml"));
    if !has_api && !text.starts_with("# without api.yaml") {
        let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/api.yaml");
        files.push((PathBuf::from("api.yaml"), fs::read_to_string(api).unwrap()));
    }
    files
        .into_iter()
        .map(|(relative, text)| SourceFile {
            display_path: Path::new("spec").join(&relative),
            relative_path: relative,
            text,
        })
        .collect()
}

/// The real spec's output for one area (`crm`, whose resource the spec started from), the core
/// crate, the facade and the README. The whole API is some 10 MB of code: every file of it is
/// committed in `generated/`, where `git diff` shows a change and the freshness test catches a
/// stale one, so a second copy as snapshots would only double what a reviewer reads.
#[test]
fn real_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let files = codegen::generate(&root, Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    let snapshotted = |path: &Path| ["core", "src", "areas/crm"].iter().any(|folder| path.starts_with(folder));
    for file in files.modules.iter().filter(|file| snapshotted(&file.path)) {
        let name = file.path.display().to_string().replace(['/', '\\'], "__");
        insta::assert_snapshot!(format!("real__{name}"), file.text);
    }
    let readme = files.documents.iter().find(|file| file.path == Path::new(codegen::README_FILE));
    insta::assert_snapshot!("real__README.md", readme.expect("the documents hold the README").text);
}

#[test]
fn valid_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let files = codegen::generate(&root, Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    let area = Path::new("areas/test/src");
    let tying = |file: &&codegen::RenderedFile| file.path.ends_with("lib.rs") || file.path.ends_with("round_trips.rs");
    let modules: Vec<_> = files.modules.iter().filter(|file| file.path.starts_with(area) && !tying(file)).collect();
    assert_eq!(modules.len(), 5, "one module per valid fixture file of spec/test/");
    for file in modules {
        let name = file.path.file_stem().unwrap().to_string_lossy();
        insta::assert_snapshot!(format!("valid__{name}"), file.text);
    }
    // The documents of every model of the fixtures, and the tests that read them.
    for path in ["areas/test/src/round_trips.rs", "src/gen/round_trips.rs"] {
        let file = files.modules.iter().find(|file| file.path == Path::new(path)).unwrap();
        insta::assert_snapshot!(format!("valid__{}", path.replace('/', "__")), file.text);
    }
    // The core's module tree carries the spec's base URL and token path, the client's defaults.
    let core_tree = files.modules.iter().find(|file| file.path == Path::new("core/src/gen/mod.rs")).unwrap();
    insta::assert_snapshot!("valid__core_gen_mod", core_tree.text);
}

#[test]
fn invalid_fixtures() {
    insta::glob!("fixtures/invalid/*.yaml", |path| {
        match codegen::generate_from_sources(fixture_sources(path)) {
            Err(GenerateError::Spec(diagnostics)) => insta::assert_snapshot!(diagnostics.to_string()),
            Err(other) => panic!("expected spec diagnostics, got {other}"),
            Ok(_) => panic!("{} should not validate", path.display()),
        }
    });
}

#[test]
fn folder_problems() {
    let empty = tempfile::tempdir().unwrap();
    match codegen::generate(empty.path(), Path::new("spec")) {
        Err(GenerateError::Spec(diagnostics)) => insta::assert_snapshot!("empty_folder", diagnostics.to_string()),
        other => panic!("an empty folder must be a spec error, got {other:?}"),
    }

    let unreadable = tempfile::tempdir().unwrap();
    fs::write(unreadable.path().join("api.yaml"), [0xff, 0xfe, 0x00]).unwrap();
    match codegen::generate(unreadable.path(), Path::new("spec")) {
        Err(GenerateError::Read(diagnostics)) => {
            let text = diagnostics.to_string();
            assert!(text.starts_with("spec/api.yaml:1:1: cannot read the file"), "{text}");
        }
        other => panic!("a file that is not UTF-8 must be a read error, got {other:?}"),
    }
}

/// Links to folders are not followed: two links back to the spec folder made the walk endless.
#[cfg(unix)]
#[test]
fn folder_links_are_not_followed() {
    let spec = tempfile::tempdir().unwrap();
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/api.yaml");
    fs::copy(api, spec.path().join("api.yaml")).unwrap();
    std::os::unix::fs::symlink(spec.path(), spec.path().join("loop_a")).unwrap();
    std::os::unix::fs::symlink(spec.path(), spec.path().join("loop_b")).unwrap();
    match codegen::generate(spec.path(), Path::new("spec")) {
        Err(GenerateError::Read(diagnostics)) => insta::assert_snapshot!("folder_links", diagnostics.to_string()),
        other => panic!("links to folders must be refused, got {other:?}"),
    }
}
