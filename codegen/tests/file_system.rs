//! The writer's file-system rules: nothing is written outside the output folders (no symbolic
//! link is followed or replaced there, temporary files are unique and made exclusively), nothing
//! is written when any output cannot be, stray temporary files of a killed run are cleaned, and
//! two runs take turns.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use codegen::write::{self, Mode, RenderedFile};

fn file(path: &str, text: &str) -> RenderedFile {
    RenderedFile { path: PathBuf::from(path), text: text.to_owned() }
}

fn generated(text: &str) -> String {
    format!("{} from spec/api.yaml. Do not edit.\n\n{text}", write::HEADER_PREFIX)
}

/// A crate folder with one generated module, and a folder beside it that stands for the rest of
/// the machine.
fn crate_folder_and_outside() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("crate");
    let outside = folder.path().join("outside");
    fs::create_dir_all(root.join("core/src/gen")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(root.join("core/src/gen/api.rs"), generated("//! Old.\n")).unwrap();
    fs::write(outside.join("precious.txt"), "precious\n").unwrap();
    (folder, root, outside)
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink())
}

#[test]
fn a_symlink_at_the_old_temporary_name_is_refused_and_not_written_through() {
    let (_folder, root, outside) = crate_folder_and_outside();
    symlink(outside.join("precious.txt"), root.join("core/src/gen/api.rs.tmp")).unwrap();

    let files = [file("core/src/gen/api.rs", &generated("//! New.\n"))];
    let error = write::write_crates(&root, &files, Mode::Write).unwrap_err().to_string();

    assert!(error.contains("core/src/gen/api.rs.tmp") && error.contains("symbolic link"), "{error}");
    assert_eq!(fs::read_to_string(outside.join("precious.txt")).unwrap(), "precious\n");
    assert!(!is_symlink(&root.join("core/src/gen/api.rs")), "the generated file became a symbolic link");
    assert_eq!(fs::read_to_string(root.join("core/src/gen/api.rs")).unwrap(), generated("//! Old.\n"));
}

#[test]
fn a_symlink_at_an_output_path_is_refused_and_left_alone() {
    let (_folder, root, outside) = crate_folder_and_outside();
    fs::remove_file(root.join("core/src/gen/api.rs")).unwrap();
    symlink(outside.join("precious.txt"), root.join("core/src/gen/api.rs")).unwrap();

    let files = [file("core/src/gen/api.rs", &generated("//! New.\n"))];
    let error = write::write_crates(&root, &files, Mode::Write).unwrap_err().to_string();

    assert!(error.contains("core/src/gen/api.rs") && error.contains("symbolic link"), "{error}");
    assert_eq!(fs::read_to_string(outside.join("precious.txt")).unwrap(), "precious\n");
    assert!(is_symlink(&root.join("core/src/gen/api.rs")), "the symbolic link was replaced");
}

#[test]
fn a_symlinked_output_folder_is_refused_and_nothing_is_written_through_it() {
    let (_folder, root, outside) = crate_folder_and_outside();
    symlink(&outside, root.join("areas")).unwrap();

    let files = [file("areas/crm/src/lib.rs", &generated("//! Crm.\n")), file("core/src/gen/api.rs", "//! New.\n")];
    let error = write::write_crates(&root, &files, Mode::Write).unwrap_err().to_string();

    assert!(error.contains("areas") && error.contains("symbolic link"), "{error}");
    assert!(!outside.join("crm").exists(), "a file was written through the symbolic link");
    assert_eq!(fs::read_to_string(root.join("core/src/gen/api.rs")).unwrap(), generated("//! Old.\n"));
}

#[test]
fn stale_file_deletion_does_not_follow_a_symlinked_folder() {
    let (_folder, root, outside) = crate_folder_and_outside();
    fs::write(outside.join("stale.rs"), generated("//! Looks generated.\n")).unwrap();
    symlink(&outside, root.join("core/src/gen/elsewhere")).unwrap();

    let files = [file("core/src/gen/api.rs", &generated("//! Old.\n"))];
    let outcome = write::write_crates(&root, &files, Mode::Write);

    assert!(outside.join("stale.rs").exists(), "a file outside the output folders was deleted");
    let error = outcome.unwrap_err().to_string();
    assert!(error.contains("core/src/gen/elsewhere") && error.contains("symbolic link"), "{error}");
}

#[test]
fn a_generated_file_replaced_by_a_folder_writes_nothing() {
    let (_folder, root, _outside) = crate_folder_and_outside();
    fs::create_dir_all(root.join("src/gen/mod.rs")).unwrap();

    // Sorted as the generator sorts them: the good file comes first.
    let files = [file("core/src/gen/api.rs", &generated("//! New.\n")), file("src/gen/mod.rs", "//! Top.\n")];
    let error = write::write_crates(&root, &files, Mode::Write).unwrap_err().to_string();

    assert!(error.contains("src/gen/mod.rs") && error.contains("folder"), "{error}");
    assert_eq!(fs::read_to_string(root.join("core/src/gen/api.rs")).unwrap(), generated("//! Old.\n"));
}

#[test]
fn an_output_folder_replaced_by_a_file_writes_nothing() {
    let (_folder, root, _outside) = crate_folder_and_outside();
    fs::create_dir_all(root.join("src")).unwrap();
    fs::write(root.join("src/gen"), "not a folder\n").unwrap();

    let files = [file("core/src/gen/api.rs", &generated("//! New.\n")), file("src/gen/mod.rs", "//! Top.\n")];
    let error = write::write_crates(&root, &files, Mode::Write).unwrap_err().to_string();

    assert!(error.contains("src/gen") && error.contains("not a folder"), "{error}");
    assert_eq!(fs::read_to_string(root.join("core/src/gen/api.rs")).unwrap(), generated("//! Old.\n"));
}

#[test]
fn a_read_only_output_folder_writes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let (_folder, root, _outside) = crate_folder_and_outside();
    fs::create_dir_all(root.join("src/gen")).unwrap();
    fs::set_permissions(root.join("src/gen"), fs::Permissions::from_mode(0o555)).unwrap();
    // The superuser writes into read-only folders; there the run must simply succeed.
    let enforced = fs::write(root.join("src/gen/probe"), "").is_err();
    let _ = fs::remove_file(root.join("src/gen/probe"));

    let files = [file("core/src/gen/api.rs", &generated("//! New.\n")), file("src/gen/mod.rs", "//! Top.\n")];
    let outcome = write::write_crates(&root, &files, Mode::Write);
    fs::set_permissions(root.join("src/gen"), fs::Permissions::from_mode(0o755)).unwrap();

    if enforced {
        let error = outcome.unwrap_err().to_string();
        assert!(error.contains("src/gen"), "{error}");
        assert_eq!(fs::read_to_string(root.join("core/src/gen/api.rs")).unwrap(), generated("//! Old.\n"));
    } else {
        outcome.unwrap();
        assert_eq!(fs::read_to_string(root.join("src/gen/mod.rs")).unwrap(), "//! Top.\n");
    }
}

#[test]
fn every_target_is_checked_before_any_is_written() {
    let (_folder, root, _outside) = crate_folder_and_outside();
    fs::create_dir_all(root.join("README.md")).unwrap();

    let modules = [file("core/src/gen/api.rs", &generated("//! New.\n"))];
    let documents = [file("README.md", "# New\n")];
    // How `cargo xtask gen` writes: every target planned, then all checked, then all written.
    let outcome = write::plan_crates(&root, &modules).and_then(|crates| {
        let documents = write::plan_listed(&root, &documents)?;
        write::apply_all(&[crates, documents])
    });
    let error = outcome.unwrap_err().to_string();

    assert!(error.contains("README.md") && error.contains("folder"), "{error}");
    assert_eq!(fs::read_to_string(root.join("core/src/gen/api.rs")).unwrap(), generated("//! Old.\n"));
}

#[test]
fn stray_temporary_files_of_a_killed_run_are_cleaned() {
    let (_folder, root, _outside) = crate_folder_and_outside();
    let stray = root.join("core/src/gen").join(format!("{}api.rs.k1ll3d", write::TEMPORARY_PREFIX));
    fs::write(&stray, "half a file").unwrap();
    // The fixed names of the earlier writer, for a module and for a listed document.
    fs::write(root.join("core/src/gen/api.rs.tmp"), "half a file").unwrap();
    fs::write(root.join("README.md.tmp"), "half a file").unwrap();
    fs::write(root.join("core/src/gen/notes.tmp"), "a person's file\n").unwrap();
    fs::write(root.join("notes.md.tmp"), "a person's file\n").unwrap();

    let files = [file("core/src/gen/api.rs", &generated("//! Old.\n"))];
    let report = write::write_crates(&root, &files, Mode::Write).unwrap();
    let documents = [file("README.md", "# Readme\n")];
    write::write_listed(&root, &documents, Mode::Write).unwrap();

    assert!(report.is_clean(), "{report:?}");
    assert!(!stray.exists(), "the stray temporary file stayed");
    assert!(!root.join("core/src/gen/api.rs.tmp").exists() && !root.join("README.md.tmp").exists());
    assert!(root.join("core/src/gen/notes.tmp").exists(), "a file that is not the generator's was deleted");
    assert!(root.join("notes.md.tmp").exists(), "a file that is not the generator's was deleted");
}

#[test]
fn a_second_run_waits_for_the_lock_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let first = write::lock(folder.path(), || panic!("the first run had to wait")).unwrap();

    let (said_waiting, waited) = std::sync::mpsc::channel();
    let (locked, took_lock) = std::sync::mpsc::channel();
    let path = folder.path().to_path_buf();
    let second = std::thread::spawn(move || {
        let lock = write::lock(&path, move || said_waiting.send(()).unwrap()).unwrap();
        locked.send(()).unwrap();
        drop(lock);
    });

    waited.recv_timeout(std::time::Duration::from_secs(10)).expect("the second run did not say it waits");
    assert!(
        took_lock.recv_timeout(std::time::Duration::from_millis(200)).is_err(),
        "the second run took the lock while the first held it"
    );
    drop(first);
    took_lock.recv_timeout(std::time::Duration::from_secs(10)).expect("the second run never took the lock");
    second.join().unwrap();
}

#[test]
fn a_symlink_at_the_lock_file_is_refused() {
    let (folder, root, outside) = crate_folder_and_outside();
    symlink(outside.join("precious.txt"), root.join(write::LOCK_FILE)).unwrap();
    let error = write::lock(&root, || {}).unwrap_err().to_string();
    assert!(error.contains(write::LOCK_FILE) && error.contains("symbolic link"), "{error}");
    assert_eq!(fs::read_to_string(outside.join("precious.txt")).unwrap(), "precious\n");
    drop(folder);
}
