//! The writer's file-system rules, in one place: no symbolic link in an output folder is
//! followed or replaced, every output is checked writable before any is written, files are
//! written through unique temporary files created exclusively beside them, temporary files a
//! killed run left are recognised by their prefix, and one run at a time holds the lock.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::WriteError;

/// How the names of the writer's temporary files start; a file of that name in an output folder
/// is left by a run that was killed, since the lock lets no other run write at the same time.
pub const TEMPORARY_PREFIX: &str = ".xtask-gen-";

/// The lock file's name, in the crate folder of the main target (`generated/`).
pub const LOCK_FILE: &str = ".gen.lock";

/// What is at a path, looked at without following a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    Missing,
    File,
    Folder,
}

/// What is at `path`, refusing a symbolic link.
pub(super) fn entry_at(path: &Path) -> Result<Entry, WriteError> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(refused(path, SYMLINK)),
        Ok(metadata) if metadata.is_dir() => Ok(Entry::Folder),
        Ok(_) => Ok(Entry::File),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Entry::Missing),
        Err(source) => Err(WriteError::Io { path: path.to_path_buf(), source }),
    }
}

const SYMLINK: &str = "is a symbolic link: the generator neither follows nor replaces symbolic links in its output \
                       folders; remove it and run `cargo xtask gen` again";

/// An output path that the rules forbid to write.
pub(super) fn refused(path: &Path, problem: &'static str) -> WriteError {
    WriteError::Refused { path: path.to_path_buf(), problem }
}

/// Checks the folders from `root` down to the file `relative` inside it: each one that exists is
/// a real folder, and the file itself, if it exists, is a real file. `root` itself may be
/// anything the user chose (a checkout reached through a link, say).
pub(super) fn check_output_path(root: &Path, relative: &Path) -> Result<Entry, WriteError> {
    let folder = relative.parent().unwrap_or(Path::new(""));
    if check_output_folder(root, folder)? == Entry::Missing {
        return Ok(Entry::Missing);
    }
    let path = root.join(relative);
    match entry_at(&path)? {
        Entry::Folder => Err(refused(&path, "is a folder where a generated file goes: remove it")),
        entry => Ok(entry),
    }
}

/// Checks the folders from `root` down to the folder `relative` inside it: each one that exists
/// is a real folder. [`Entry::Missing`] when one does not exist.
pub(super) fn check_output_folder(root: &Path, relative: &Path) -> Result<Entry, WriteError> {
    let mut path = root.to_path_buf();
    for component in relative.components() {
        path.push(component);
        match entry_at(&path)? {
            Entry::Missing => return Ok(Entry::Missing),
            Entry::File => return Err(refused(&path, "is not a folder, and generated files go inside it: remove it")),
            Entry::Folder => {}
        }
    }
    Ok(Entry::Folder)
}

/// Checks that a file can be created in `folder`, or, where it does not exist yet, in the
/// nearest folder above it (which [`write_file`] creates it in): creates a temporary file there
/// and removes it.
pub(super) fn check_can_create_in(folder: &Path) -> Result<(), WriteError> {
    let mut existing = folder;
    while entry_at(existing)? == Entry::Missing {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => break,
        }
    }
    temporary_file_in(existing).map(drop)
}

/// Writes `text` to `target` through a temporary file of a unique name, created exclusively in
/// the same folder and renamed over the target, so an interrupted run leaves no half file and a
/// file planted at a temporary name is never written through. Creates missing folders.
pub(super) fn write_file(target: &Path, text: &str) -> Result<(), WriteError> {
    let folder = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(|source| WriteError::Io { path: folder.to_path_buf(), source })?;
    let mut temporary = temporary_file_in(folder)?;
    let path = temporary.path().to_path_buf();
    temporary.write_all(text.as_bytes()).map_err(|source| WriteError::Io { path, source })?;
    temporary.persist(target).map_err(|error| WriteError::Io { path: target.to_path_buf(), source: error.error })?;
    Ok(())
}

fn temporary_file_in(folder: &Path) -> Result<tempfile::NamedTempFile, WriteError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX);
    // Generated files are read like any other source file: the usual mode, less the umask,
    // rather than the owner-only mode temporary files get.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(folder).map_err(|source| WriteError::Io { path: folder.to_path_buf(), source })
}

/// Whether `path` names one of the writer's temporary files.
pub(super) fn is_temporary(path: &Path) -> bool {
    path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with(TEMPORARY_PREFIX))
}

/// The fixed-name temporary file an earlier writer used for `path` (`api.rs.tmp`).
pub(super) fn former_temporary_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Whether `path` is the fixed-name temporary file of an earlier writer (`api.rs.tmp` beside
/// `api.rs`), which a killed run of it left: `is_generated` tells the names of generated files.
pub(super) fn is_former_temporary(path: &Path, is_generated: impl Fn(&Path) -> bool) -> bool {
    path.extension().is_some_and(|extension| extension == "tmp") && is_generated(&path.with_extension(""))
}

/// The writer's temporary files directly inside `folder` (none if it does not exist).
pub(super) fn temporary_files_in(folder: &Path) -> Result<Vec<PathBuf>, WriteError> {
    if entry_at(folder)? != Entry::Folder {
        return Ok(Vec::new());
    }
    let entries = fs::read_dir(folder).map_err(|source| WriteError::Io { path: folder.to_path_buf(), source })?;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.map_err(|source| WriteError::Io { path: folder.to_path_buf(), source })?.path();
        if is_temporary(&path) {
            found.push(path);
        }
    }
    Ok(found)
}

/// Held while a run reads the spec and writes its output; dropping it lets the next run go.
#[derive(Debug)]
pub struct Lock {
    _file: fs::File,
}

/// Takes the exclusive lock of the output folder `folder` (a lock on its [`LOCK_FILE`]),
/// calling `on_wait` first if another run holds it, then waiting for that run to end. The lock
/// is the operating system's (`flock`, `LockFileEx`): a killed run releases it.
pub fn lock(folder: &Path, on_wait: impl FnOnce()) -> Result<Lock, WriteError> {
    let path = folder.join(LOCK_FILE);
    entry_at(&path)?;
    let io_error = |source| WriteError::Io { path: path.clone(), source };
    let file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io_error)?;
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => {}
        Err(fs4::TryLockError::WouldBlock) => {
            on_wait();
            fs4::FileExt::lock(&file).map_err(io_error)?;
        }
        Err(fs4::TryLockError::Error(source)) => return Err(io_error(source)),
    }
    Ok(Lock { _file: file })
}
