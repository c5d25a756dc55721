//! The repository's README tells a new user how to write an application against this crate: its
//! first code block is the program, its `toml` block the manifest. This test builds exactly that,
//! as a cargo project outside the workspace with a path dependency on this crate, so that no
//! step the README leaves out can be needed.

#![cfg(feature = "crm")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the README's manifest expects this crate, relative to the application.
const README_PATH: &str = "path = \"../nexudus-codegen/generated\"";

#[test]
fn the_readme_application_builds_against_the_crate() {
    let crate_folder = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate_folder.parent().expect("the crate sits in the workspace");
    let readme = std::fs::read_to_string(workspace.join("README.md")).expect("README.md is readable");
    let program = code_block(&readme, "rust");
    let manifest = code_block(&readme, "toml");
    assert!(
        manifest.contains(README_PATH),
        "the README's manifest depends on the crate by `{README_PATH}`:\n{manifest}"
    );
    let manifest = manifest.replace(README_PATH, &format!("path = {:?}", crate_folder.display().to_string()));

    let application = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(application.path().join("src")).expect("src/ is created");
    std::fs::write(application.path().join("Cargo.toml"), manifest).expect("Cargo.toml is written");
    std::fs::write(application.path().join("src/main.rs"), program).expect("src/main.rs is written");
    // Not a step for users: the workspace's lock file makes an offline build pick the versions
    // already downloaded and built, and its target folder keeps the test from compiling them again.
    std::fs::copy(workspace.join("Cargo.lock"), application.path().join("Cargo.lock")).expect("Cargo.lock is copied");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(application.path())
        .env("CARGO_TARGET_DIR", target_folder(workspace))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the README's application does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The text of the first fenced code block whose info string starts with `language`.
fn code_block(markdown: &str, language: &str) -> String {
    let mut lines = markdown.lines();
    lines
        .by_ref()
        .find(|line| line.strip_prefix("```").is_some_and(|info| info.split([' ', ',']).next() == Some(language)))
        .unwrap_or_else(|| panic!("README.md has a `{language}` code block"));
    let block: Vec<&str> = lines.take_while(|line| !line.starts_with("```")).collect();
    block.join("\n") + "\n"
}

/// The workspace's target folder, or the one cargo was told to use.
fn target_folder(workspace: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), PathBuf::from)
}
