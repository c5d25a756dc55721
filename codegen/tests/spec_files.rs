//! The reader's file-system rules: a spec file or folder that is a symbolic link out of the spec
//! folder is refused unread, a link back into a folder already read ends the walk, and a parse
//! error quotes at most the line it points at.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// A spec folder holding the valid fixtures' `api.yaml`, and a folder beside it.
fn spec_folder_and_outside() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let spec = folder.path().join("spec");
    let outside = folder.path().join("outside");
    fs::create_dir_all(spec.join("crm")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/api.yaml");
    fs::copy(api, spec.join("api.yaml")).unwrap();
    (folder, spec, outside)
}

#[test]
fn a_spec_file_linking_out_of_the_spec_folder_is_refused_unread() {
    let (_folder, spec, outside) = spec_folder_and_outside();
    fs::write(outside.join(".env"), "DATABASE_PASSWORD=hunter2\n").unwrap();
    symlink(outside.join(".env"), spec.join("crm/secrets.yaml")).unwrap();

    let error = codegen::generate(&spec, Path::new("spec")).unwrap_err().to_string();

    assert!(error.contains("spec/crm/secrets.yaml:1:1:") && error.contains("symbolic link"), "{error}");
    assert!(!error.contains("hunter2"), "the linked file was quoted: {error}");
}

#[test]
fn a_spec_folder_linking_out_of_the_spec_folder_is_refused() {
    let (_folder, spec, outside) = spec_folder_and_outside();
    fs::write(outside.join("other.yaml"), "resource: [\n").unwrap();
    symlink(&outside, spec.join("billing")).unwrap();

    let error = codegen::generate(&spec, Path::new("spec")).unwrap_err().to_string();

    assert!(error.contains("spec/billing:1:1:") && error.contains("symbolic link"), "{error}");
    assert!(!error.contains("other.yaml"), "the linked folder was read: {error}");
}

#[test]
fn a_symlink_inside_the_spec_folder_is_read_and_a_loop_ends() {
    let (_folder, spec, _outside) = spec_folder_and_outside();
    symlink(&spec, spec.join("crm/again")).unwrap();

    let error = codegen::generate(&spec, Path::new("spec")).unwrap_err().to_string();

    assert!(error.contains("spec/crm/again:1:1:") && error.contains("already read"), "{error}");
}

#[test]
fn a_parse_error_quotes_at_most_the_offending_line() {
    let (_folder, spec, _outside) = spec_folder_and_outside();
    let text = "FIRST_SECRET=one\nSECOND_SECRET=two\nTHIRD_SECRET=three\n";
    fs::write(spec.join("crm/notes.yaml"), text).unwrap();

    let error = codegen::generate(&spec, Path::new("spec")).unwrap_err().to_string();

    assert!(error.contains("spec/crm/notes.yaml:1:1:"), "{error}");
    assert!(!error.contains("SECOND_SECRET") && !error.contains("THIRD_SECRET"), "more than one line quoted: {error}");
}
