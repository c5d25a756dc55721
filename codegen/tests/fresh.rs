//! `cargo test` fails when generated code, the OpenAPI document or the README was not
//! regenerated after a change to its spec, or when a crate's `Cargo.toml` lacks the feature of
//! an area of its spec.

use std::path::Path;

use codegen::Mode;

#[test]
fn generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for target in codegen::project_targets(&root) {
        let generated = codegen::generate_target(&target).unwrap_or_else(|error| panic!("{error}"));
        let report = codegen::write::write_crates(&target.root, &generated.modules, Mode::Check).unwrap();
        assert!(
            report.is_clean(),
            "{} is out of date with its spec: run `cargo xtask gen`\nstale: {:?}\nno longer generated: {:?}",
            target.root_display.display(),
            report.written,
            report.deleted
        );
        if target.documents {
            let report = codegen::write::write_listed(&target.root, &generated.documents, Mode::Check).unwrap();
            assert!(
                report.is_clean(),
                "documents in {} are out of date with their spec: run `cargo xtask gen`\nstale: {:?}",
                target.root_display.display(),
                report.written
            );
        }
    }
}

#[test]
fn a_manifest_without_an_area_feature_stops_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("Cargo.toml"), "[package]\nname = \"nexudus\"\n").unwrap();
    let mut target = codegen::project_targets(&root).remove(0);
    target.root = folder.path().to_path_buf();
    match codegen::generate_target(&target) {
        Err(error @ codegen::GenerateError::Manifest(_)) => {
            let message = error.to_string();
            assert!(
                message.contains("generated/Cargo.toml:1:1: no cargo feature 'crm' for the API area spec/crm/"),
                "{message}"
            );
            assert!(
                message.ends_with("the crate's [dependencies] and [features] do not match the spec's areas"),
                "{message}"
            );
        }
        other => panic!("expected a manifest error, got {other:?}"),
    }
}

/// The spec check that keeps resource accessors off the client's own methods knows every one of
/// them: each method of the hand-written client (`generated/src/client.rs`) is in its list.
#[test]
fn the_reserved_accessors_cover_the_client_methods() {
    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/client.rs");
    let text = std::fs::read_to_string(client).unwrap();
    let methods: Vec<&str> = text
        .lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("pub ").unwrap_or(line);
            let line = line.strip_prefix("async ").unwrap_or(line);
            line.strip_prefix("fn ")?.split(['(', '<']).next()
        })
        .collect();
    assert_eq!(methods, ["builder", "base_url", "authenticate", "runtime", "as_ref", "from"]);
    for method in methods {
        assert!(codegen::validate::CLIENT_METHODS.contains(&method), "'{method}' is missing from CLIENT_METHODS");
    }
}
