//! `cargo test` fails when generated code was not regenerated after a change to its spec, or
//! when a crate's `Cargo.toml` lacks the feature of an area of its spec.

use std::path::Path;

use codegen::Mode;

#[test]
fn generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for target in codegen::project_targets(&root) {
        let generated = codegen::generate_target(&target).unwrap_or_else(|error| panic!("{error}"));
        let report = codegen::write::write_all(&target.output, &generated.files, Mode::Check).unwrap();
        assert!(
            report.is_clean(),
            "{} is out of date with its spec: run `cargo xtask gen`\nstale: {:?}\nno longer generated: {:?}",
            target.output_display.display(),
            report.written,
            report.deleted
        );
    }
}
