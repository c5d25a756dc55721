//! `cargo test` fails when generated code, the OpenAPI document or the README was not
//! regenerated after a change to its spec.

use std::path::Path;

use codegen::Mode;

#[test]
fn generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for target in codegen::project_targets(&root) {
        let files = codegen::generate(&target.spec, &target.spec_display).unwrap_or_else(|error| panic!("{error}"));
        let report = codegen::write::write_all(&target.output, &files.modules, Mode::Check).unwrap();
        assert!(
            report.is_clean(),
            "{} is out of date with its spec: run `cargo xtask gen`\nstale: {:?}\nno longer generated: {:?}",
            target.output_display.display(),
            report.written,
            report.deleted
        );
        if let Some((folder, display)) = &target.documents {
            let report = codegen::write::write_listed(folder, &files.documents, Mode::Check).unwrap();
            assert!(
                report.is_clean(),
                "documents in {} are out of date with their spec: run `cargo xtask gen`\nstale: {:?}",
                display.display(),
                report.written
            );
        }
    }
}
