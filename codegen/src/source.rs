//! Reads the spec folder (every `.yaml` file below it, in a stable order) and the manifest of
//! the crate it is generated into. A symbolic link in the spec folder is followed only while it
//! stays inside the folder: a link out of it (to a password file, say) is refused unread, and a
//! link back to a folder already read is refused rather than read again (or forever).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostics, Location};
use crate::parse::SourceFile;

/// Reads every `.yaml` file below `folder`. Files and folders that cannot be read, or that are
/// symbolic links leading out of `folder`, are reported together, each as a diagnostic naming
/// it.
pub fn read_spec_folder(folder: &Path, display_prefix: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let mut walk = Walk {
        root: folder,
        canonical_root: PathBuf::new(),
        display_prefix,
        read_folders: BTreeMap::new(),
        found: Vec::new(),
        diagnostics: Diagnostics::default(),
    };
    match fs::canonicalize(folder) {
        Ok(canonical_root) => {
            walk.canonical_root = canonical_root;
            walk.collect_yaml(Path::new(""));
        }
        Err(error) => walk.report(Path::new(""), format!("cannot read the folder: {error}")),
    }
    let Walk { mut found, mut diagnostics, .. } = walk;
    found.sort();
    let mut sources = Vec::new();
    for relative in found {
        let display_path = display_prefix.join(&relative);
        match fs::read_to_string(folder.join(&relative)) {
            Ok(text) => sources.push(SourceFile { display_path, relative_path: relative, text }),
            Err(error) => diagnostics
                .push(Location { file: display_path, line: 1, column: 1 }, format!("cannot read the file: {error}")),
        }
    }
    if diagnostics.is_empty() {
        Ok(sources)
    } else {
        Err(diagnostics.finish())
    }
}

/// Reads the `Cargo.toml` of the crate the modules are generated into.
pub fn read_manifest(path: &Path, display: &Path) -> Result<String, Diagnostics> {
    fs::read_to_string(path).map_err(|error| {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            Location { file: display.to_path_buf(), line: 1, column: 1 },
            format!("cannot read the file: {error}"),
        );
        diagnostics
    })
}

/// The state of one walk of the spec folder.
struct Walk<'a> {
    root: &'a Path,
    /// The spec folder with every link resolved: what a link must stay inside.
    canonical_root: PathBuf,
    display_prefix: &'a Path,
    /// Every folder read so far, resolved, with the path it was read as.
    read_folders: BTreeMap<PathBuf, PathBuf>,
    /// The `.yaml` files, relative to the spec folder.
    found: Vec<PathBuf>,
    diagnostics: Diagnostics,
}

impl Walk<'_> {
    /// Collects the `.yaml` files of the folder `relative`, and of the folders inside it.
    fn collect_yaml(&mut self, relative: &Path) {
        let Some(canonical) = self.inside_spec_folder(relative, "folder") else { return };
        if let Some(first) = self.read_folders.get(&canonical) {
            let first = self.display_prefix.join(first);
            let message = format!("is a symbolic link to the folder {} already read: remove it", first.display());
            self.report(relative, message);
            return;
        }
        self.read_folders.insert(canonical, relative.to_path_buf());
        let entries = match fs::read_dir(self.root.join(relative)) {
            Ok(entries) => entries,
            Err(error) => return self.report(relative, format!("cannot read the folder: {error}")),
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let path = relative.join(entry.file_name());
            let is_link = entry.file_type().is_ok_and(|kind| kind.is_symlink());
            // `metadata` follows a link: a link to a folder is walked like a folder, once it is
            // known to stay inside the spec folder.
            let is_folder = fs::metadata(entry.path()).is_ok_and(|metadata| metadata.is_dir());
            if is_folder {
                self.collect_yaml(&path);
            } else if path.extension().is_some_and(|extension| extension == "yaml" || extension == "yml") {
                if is_link && self.inside_spec_folder(&path, "file").is_none() {
                    continue;
                }
                self.found.push(path);
            }
        }
    }

    /// The resolved path of the file or folder `relative`; `None`, with a diagnostic, when it
    /// cannot be resolved or lies outside the spec folder.
    fn inside_spec_folder(&mut self, relative: &Path, kind: &str) -> Option<PathBuf> {
        match fs::canonicalize(self.root.join(relative)) {
            Ok(canonical) if canonical.starts_with(&self.canonical_root) => Some(canonical),
            Ok(_) => {
                let message = format!(
                    "is a symbolic link to a {kind} outside the spec folder, which is not read: spec files lie \
                     inside it"
                );
                self.report(relative, message);
                None
            }
            Err(error) => {
                self.report(relative, format!("cannot read the {kind}: {error}"));
                None
            }
        }
    }

    fn report(&mut self, relative: &Path, message: String) {
        let file = self.display_prefix.join(relative);
        self.diagnostics.push(Location { file, line: 1, column: 1 }, message);
    }
}
