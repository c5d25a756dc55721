//! The change report's Rust verdicts against cargo-semver-checks, case by case of the catalogue
//! (`cargo xtask semver-oracle`). It installs cargo-semver-checks if missing and builds the
//! rustdoc of two crates per case, which takes many minutes, so it runs only when asked:
//! `NEXUDUS_SEMVER_ORACLE=1 cargo test -p xtask --test semver_oracle`. Otherwise it passes at once
//! and says so.

use std::path::Path;
use std::process::Command;

#[test]
fn the_report_agrees_with_cargo_semver_checks() {
    if std::env::var_os("NEXUDUS_SEMVER_ORACLE").is_none() {
        eprintln!("skipped: set NEXUDUS_SEMVER_ORACLE=1 to run cargo-semver-checks over the catalogue");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["run", "--quiet", "--package", "xtask", "--", "semver-oracle"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo xtask semver-oracle found a disagreement nobody explained");
}
