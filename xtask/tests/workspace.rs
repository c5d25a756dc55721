//! `cargo xtask` works on the checkout it runs in, not on the one its binary was built from:
//! with one `CARGO_TARGET_DIR` for two checkouts, both run the same binary. Two runs that write
//! take turns.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// A checkout whose spec has an error at `spec/api.yaml:1:6`.
fn checkout_with_a_bad_spec() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let checkout = folder.path();
    fs::write(checkout.join("Cargo.toml"), "[workspace]\n").unwrap();
    fs::create_dir_all(checkout.join("spec")).unwrap();
    fs::create_dir_all(checkout.join("generated/src")).unwrap();
    fs::write(checkout.join("spec/api.yaml"), "api: [\n").unwrap();
    folder
}

#[test]
fn gen_checks_the_checkout_it_runs_in() {
    let folder = checkout_with_a_bad_spec();
    let checkout = folder.path();

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["gen", "--check"])
        .current_dir(checkout.join("generated/src"))
        .output()
        .unwrap();

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stdout: {}\nstderr: {stderr}", String::from_utf8_lossy(&output.stdout));
    assert!(stderr.contains("spec/api.yaml:"), "{stderr}");
}

#[test]
fn outside_a_checkout_it_says_where_to_run() {
    let folder = tempfile::tempdir().unwrap();
    let output =
        Command::new(env!("CARGO_BIN_EXE_xtask")).args(["gen", "--check"]).current_dir(folder.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("inside the checkout"), "{stderr}");
}

#[test]
fn a_second_gen_waits_for_the_first_and_says_so() {
    let folder = checkout_with_a_bad_spec();
    let generated = folder.path().join("generated");
    let first = codegen::write::lock(&generated, || panic!("nothing else holds the lock")).unwrap();

    let mut second = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("gen")
        .current_dir(folder.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(second.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.starts_with("waiting for another `cargo xtask gen` to finish"), "{line}");
    // Only once the first run lets go does the second read the spec.
    drop(first);
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("spec/api.yaml:1:"), "{rest}");
    assert_eq!(second.wait().unwrap().code(), Some(1));
}
