//! Snapshots of what the generator makes: the code for the real spec and for each valid fixture
//! spec, and the diagnostics for each invalid fixture spec.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::parse::SourceFile;
use codegen::GenerateError;

/// A fixture spec: the fixture file as `spec/test/<name>.yaml`, plus the shared `api.yaml`
/// unless the fixture has its own `api` section.
fn fixture_sources(path: &Path) -> Vec<SourceFile> {
    let text = fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap();
    let mut sources = vec![SourceFile {
        display_path: Path::new("spec/test").join(name),
        relative_path: Path::new("test").join(name),
        text: text.clone(),
    }];
    if !text.lines().any(|line| line.starts_with("api:")) {
        let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/api.yaml");
        sources.push(SourceFile {
            display_path: PathBuf::from("spec/api.yaml"),
            relative_path: PathBuf::from("api.yaml"),
            text: fs::read_to_string(api).unwrap(),
        });
    }
    sources
}

fn joined(files: &[codegen::RenderedFile]) -> String {
    files.iter().map(|file| format!("==> {}\n{}", file.path.display(), file.text)).collect::<Vec<_>>().join("\n")
}

#[test]
fn real_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let files = codegen::generate(&root, Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    for file in &files {
        let name = file.path.display().to_string().replace(['/', '\\'], "__");
        insta::assert_snapshot!(format!("real__{name}"), file.text);
    }
}

#[test]
fn valid_fixtures() {
    insta::glob!("fixtures/valid/*.yaml", |path| {
        let files = codegen::generate_from_sources(fixture_sources(path)).unwrap_or_else(|error| panic!("{error}"));
        insta::assert_snapshot!(joined(&files));
    });
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
