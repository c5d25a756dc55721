//! The catalogue of spec changes: every folder of `fixtures/diff/` holds a spec `before/` and
//! `after/` a change (the valid fixtures' `api.yaml` unless a side has its own), and the report of
//! the change is snapshotted in every format.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::diff::{self, Format};
use codegen::parse::SourceFile;

/// The spec files of one side of a case, with the shared `api.yaml` unless it has one.
fn side(folder: &Path) -> Vec<SourceFile> {
    let mut sources = codegen::source::read_spec_folder(folder, Path::new("spec"))
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    if !sources.iter().any(|source| source.relative_path == Path::new("api.yaml")) {
        let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/api.yaml");
        sources.push(SourceFile {
            display_path: PathBuf::from("spec/api.yaml"),
            relative_path: PathBuf::from("api.yaml"),
            text: fs::read_to_string(api).unwrap(),
        });
    }
    sources
}

/// The report of one case.
pub fn case_report(case: &Path) -> diff::Report {
    let spec = |name: &str| {
        codegen::spec_from_sources(side(&case.join(name))).unwrap_or_else(|error| panic!("{}: {error}", case.display()))
    };
    diff::compare(&spec("before"), &spec("after"))
}

#[test]
fn catalogue() {
    insta::glob!("fixtures/diff/*", |case| {
        let report = case_report(case);
        insta::assert_snapshot!("text", diff::render(&report, Format::Text));
        insta::assert_snapshot!("markdown", diff::render(&report, Format::Markdown));
        insta::assert_snapshot!("json", diff::render(&report, Format::Json));
    });
}

#[test]
fn the_catalogue_is_large_enough() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let cases = fs::read_dir(folder).unwrap().count();
    assert!(cases >= 30, "{cases} cases");
}

/// A spec compared with itself has no change: nothing in the comparison depends on order or ids.
#[test]
fn the_real_spec_has_no_change_against_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let spec = || codegen::read_spec(&root, Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    let report = diff::compare(&spec(), &spec());
    assert_eq!(diff::render(&report, Format::Text), "no changes\n");
}

/// A case whose `after` side does not validate reports the spec's problem, not a diff.
#[test]
fn an_invalid_side_is_a_spec_error() {
    let folder = tempfile::tempdir().unwrap();
    fs::create_dir_all(folder.path().join("test")).unwrap();
    fs::write(folder.path().join("test/broken.yaml"), "models:\n  Broken:\n    fields:\n      A: nosuchtype\n")
        .unwrap();
    let error = codegen::spec_from_sources(side(folder.path())).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("spec/test/broken.yaml:4:"), "{text}");
}
