//! The fingerprint that lets `cargo xtask gen [--check]` skip a generation when nothing that
//! decides its output changed. After a run that left a target's crate folder up to date, the
//! stamp file [`STAMP_FILE`] in that folder records a digest of the inputs (the generator's own
//! binary, every spec file with its path, the crate's manifest) and a digest of every generated
//! file. A later run whose inputs have the same digest, and whose generated files all still have
//! theirs, with no other generated file beside them, has nothing to do: its outcome would be
//! the same. Anything else (a changed input, a file edited by hand, deleted or added, a stamp
//! missing or unreadable) is a full generation. The stamp is a local cache, not a generated
//! file: it names this machine's binary, so it is never committed.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::{RenderedFile, Target};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// The stamp's name, in the target's crate folder.
pub const STAMP_FILE: &str = ".gen-fingerprint";

/// The first line of a stamp; a stamp of another format is not read.
const STAMP_VERSION: &str = "cargo xtask gen fingerprint 1";

/// A 128-bit digest (XXH3): enough that an edit cannot go unseen by chance.
pub type Digest = u128;

/// The digest of the running generator: the bytes of its own executable, so that any change to
/// the generator, its dependencies or its compiler regenerates. `None` when it cannot be read
/// (then no run is skipped).
pub fn generator_digest() -> Option<Digest> {
    let executable = std::env::current_exe().ok()?;
    fs::read(executable).ok().map(|bytes| xxh3_128(&bytes))
}

/// The digest of every input that decides the output of `target` for the generator `generator`:
/// the spec files, each with its path, and the crate's manifest. `None` when one cannot be read
/// (a full run then reports it).
pub fn inputs_digest(target: &Target, generator: Digest) -> Option<Digest> {
    let sources = codegen::source::read_spec_folder(&target.spec, &target.spec_display).ok()?;
    let manifest = fs::read(target.manifest()).ok()?;
    let mut hasher = Xxh3::new();
    hasher.update(&generator.to_le_bytes());
    hasher.update(target.package.as_bytes());
    hasher.update(&[u8::from(target.documents)]);
    for source in &sources {
        add_framed(&mut hasher, source.relative_path.to_string_lossy().as_bytes());
        add_framed(&mut hasher, source.text.as_bytes());
    }
    add_framed(&mut hasher, &manifest);
    Some(hasher.digest128())
}

/// Adds `bytes` with their length, so that no two lists of texts hash alike by moving a boundary.
fn add_framed(hasher: &mut Xxh3, bytes: &[u8]) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// How many generated files a target has, when its stamp shows it up to date for `inputs`:
/// the stamp's inputs digest is `inputs`, every file it lists has its digest, and no other
/// generated file lies in the crate's generated folders. `None` otherwise.
pub fn fresh_file_count(target: &Target, inputs: Digest) -> Option<usize> {
    let stamp = String::from_utf8(codegen::write::read_output(&target.root, Path::new(STAMP_FILE))?).ok()?;
    let (recorded_inputs, files) = parse_stamp(&stamp)?;
    if recorded_inputs != inputs {
        return None;
    }
    for (path, digest) in &files {
        let text = codegen::write::read_output(&target.root, path)?;
        if xxh3_128(&text) != *digest {
            return None;
        }
    }
    let on_disk = codegen::write::generated_crate_files(&target.root).ok()?;
    if on_disk.iter().any(|path| !files.iter().any(|(listed, _)| listed == path)) {
        return None;
    }
    Some(files.len())
}

/// Records that the crate folder of `target` holds exactly `files` (paths inside it), generated
/// from inputs of digest `inputs`.
pub fn record(target: &Target, inputs: Digest, files: &[RenderedFile]) -> Result<(), codegen::write::WriteError> {
    let mut stamp = format!("{STAMP_VERSION}\ninputs {inputs:032x}\n");
    for file in files {
        let _ = writeln!(stamp, "{:032x} {}", xxh3_128(file.text.as_bytes()), file.path.display());
    }
    // The last line says the stamp is whole: a stamp cut short lists too few files to check.
    let _ = writeln!(stamp, "end {}", files.len());
    codegen::write::write_one(&target.root, Path::new(STAMP_FILE), &stamp)
}

/// The inputs digest and the listed files of a stamp; `None` when it is not a whole stamp of
/// this format.
fn parse_stamp(stamp: &str) -> Option<(Digest, Vec<(PathBuf, Digest)>)> {
    let mut lines = stamp.lines();
    if lines.next()? != STAMP_VERSION {
        return None;
    }
    let inputs = Digest::from_str_radix(lines.next()?.strip_prefix("inputs ")?, 16).ok()?;
    let mut files = Vec::new();
    for line in lines {
        if let Some(count) = line.strip_prefix("end ") {
            return (count.parse::<usize>().ok()? == files.len()).then_some((inputs, files));
        }
        let (digest, path) = line.split_once(' ')?;
        files.push((Path::new(path).to_path_buf(), Digest::from_str_radix(digest, 16).ok()?));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use codegen::Mode;

    use super::*;
    use crate::gen::{run_targets, Selection};

    /// The generator digest the tests run as.
    const GENERATOR: Digest = 1;

    /// A crate folder generated from a copy of the valid fixture specs, with documents, in a
    /// temporary folder (kept alive by the first value).
    fn generated_fixture() -> (tempfile::TempDir, Target) {
        let folder = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        copy_folder(&root.join("codegen/tests/fixtures/valid"), &folder.path().join("spec"));
        fs::create_dir_all(folder.path().join("crate")).unwrap();
        fs::copy(root.join("codegen/fixture_client/Cargo.toml"), folder.path().join("crate/Cargo.toml")).unwrap();
        let target = Target {
            spec: folder.path().join("spec"),
            spec_display: PathBuf::from("spec"),
            root: folder.path().join("crate"),
            root_display: PathBuf::from("crate"),
            package: "fixture-client".to_owned(),
            documents: true,
        };
        assert_eq!(run(&target, Mode::Write), ExitCode::SUCCESS);
        (folder, target)
    }

    fn copy_folder(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let destination = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy_folder(&path, &destination);
            } else {
                fs::copy(&path, destination).unwrap();
            }
        }
    }

    fn run(target: &Target, mode: Mode) -> ExitCode {
        run_targets(std::slice::from_ref(target), Selection::Everything, mode, Some(GENERATOR)).exit
    }

    /// Whether a run of the generator `generator` would be skipped.
    fn skipped(target: &Target, generator: Digest) -> bool {
        inputs_digest(target, generator).and_then(|inputs| fresh_file_count(target, inputs)).is_some()
    }

    fn append(path: &Path, text: &str) {
        let mut content = fs::read_to_string(path).unwrap();
        content.push_str(text);
        fs::write(path, content).unwrap();
    }

    /// A generated module of the crate folder.
    fn some_module(target: &Target) -> PathBuf {
        let files = codegen::write::generated_crate_files(&target.root).unwrap();
        target.root.join(files.iter().find(|path| path.extension().is_some_and(|e| e == "rs")).unwrap())
    }

    #[test]
    fn a_run_with_nothing_changed_is_skipped_and_a_change_to_any_input_is_not() {
        let (_folder, target) = generated_fixture();
        assert!(skipped(&target, GENERATOR), "nothing changed, yet the run would generate");
        assert!(!skipped(&target, GENERATOR + 1), "another generator would not regenerate");

        append(&target.spec.join("api.yaml"), "# a comment\n");
        assert!(!skipped(&target, GENERATOR), "a changed spec file would not regenerate");
        assert_eq!(run(&target, Mode::Write), ExitCode::SUCCESS);
        assert!(skipped(&target, GENERATOR));

        append(&target.manifest(), "# a comment\n");
        assert!(!skipped(&target, GENERATOR), "a changed manifest would not regenerate");
        assert_eq!(run(&target, Mode::Write), ExitCode::SUCCESS);
        assert!(skipped(&target, GENERATOR));

        let resource =
            fs::read_dir(&target.spec).unwrap().map(|entry| entry.unwrap().path()).find(|path| path.is_dir());
        let resource = fs::read_dir(resource.unwrap()).unwrap().next().unwrap().unwrap().path();
        fs::rename(&resource, resource.with_extension("yml")).unwrap();
        assert!(!skipped(&target, GENERATOR), "a renamed spec file would not regenerate");
    }

    #[test]
    fn a_run_says_whether_it_changed_a_file() {
        let (_folder, target) = generated_fixture();
        let changed = |generator| {
            run_targets(std::slice::from_ref(&target), Selection::Everything, Mode::Write, Some(generator))
                .changed_files
        };
        assert!(!changed(GENERATOR), "a skipped run changed files");
        assert!(!changed(GENERATOR + 1), "a full run that wrote nothing changed files");
        append(&some_module(&target), "// edited\n");
        assert!(changed(GENERATOR), "a run that restored a module changed none");
    }

    #[test]
    fn a_generated_file_edited_deleted_or_added_by_hand_is_caught() {
        let (_folder, target) = generated_fixture();
        let module = some_module(&target);
        let original = fs::read_to_string(&module).unwrap();

        append(&module, "// edited\n");
        assert!(!skipped(&target, GENERATOR), "an edited module would go unseen");
        assert_eq!(run(&target, Mode::Check), ExitCode::from(1));
        assert_eq!(run(&target, Mode::Write), ExitCode::SUCCESS);
        assert_eq!(fs::read_to_string(&module).unwrap(), original);
        assert_eq!(run(&target, Mode::Check), ExitCode::SUCCESS);

        fs::remove_file(&module).unwrap();
        assert!(!skipped(&target, GENERATOR), "a deleted module would go unseen");
        assert_eq!(run(&target, Mode::Check), ExitCode::from(1));
        assert_eq!(run(&target, Mode::Write), ExitCode::SUCCESS);

        append(&target.root.join(codegen::README_FILE), "edited\n");
        assert!(!skipped(&target, GENERATOR), "an edited document would go unseen");
        assert_eq!(run(&target, Mode::Check), ExitCode::from(1));
        assert_eq!(run(&target, Mode::Write), ExitCode::SUCCESS);

        let stray = module.with_file_name("stray.rs");
        fs::write(&stray, format!("{} from spec/gone.yaml. Do not edit.\n", codegen::write::HEADER_PREFIX)).unwrap();
        assert!(!skipped(&target, GENERATOR), "a stale generated file would go unseen");
        assert_eq!(run(&target, Mode::Check), ExitCode::from(1));
        assert_eq!(run(&target, Mode::Write), ExitCode::SUCCESS);
        assert!(!stray.exists());
        assert!(skipped(&target, GENERATOR));

        fs::write(target.root.join(STAMP_FILE), "not a stamp\n").unwrap();
        assert!(!skipped(&target, GENERATOR), "a damaged stamp was trusted");
    }

    fn check(stamp: &str, expected: Option<usize>) {
        assert_eq!(parse_stamp(stamp).map(|(_, files)| files.len()), expected, "{stamp:?}");
    }

    #[test]
    fn only_a_whole_stamp_of_this_format_is_read() {
        let digest = format!("{:032x}", 7u128);
        check(&format!("{STAMP_VERSION}\ninputs {digest}\n{digest} a.rs\n{digest} b/c.rs\nend 2\n"), Some(2));
        check(&format!("{STAMP_VERSION}\ninputs {digest}\nend 0\n"), Some(0));
        check(&format!("{STAMP_VERSION}\ninputs {digest}\n{digest} a.rs\n"), None);
        check(&format!("{STAMP_VERSION}\ninputs {digest}\n{digest} a.rs\nend 2\n"), None);
        check(&format!("cargo xtask gen fingerprint 0\ninputs {digest}\nend 0\n"), None);
        check(&format!("{STAMP_VERSION}\ninputs zz\nend 0\n"), None);
        check("", None);
    }
}
