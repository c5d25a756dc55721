//! `cargo test` fails when `generated/` was not regenerated after a change to `spec/`.

use std::path::Path;

use codegen::Mode;

#[test]
fn generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = codegen::generate(&root.join("spec"), Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    let report = codegen::write::write_all(&root.join("generated/src/gen"), &files, Mode::Check).unwrap();
    assert!(
        report.is_clean(),
        "generated/src/gen is out of date with spec/: run `cargo xtask gen`\nstale: {:?}\nno longer generated: {:?}",
        report.written,
        report.deleted
    );
}
