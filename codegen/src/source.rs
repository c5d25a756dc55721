//! Reads the spec folder (every `.yaml` file below it, in a stable order) and the manifest of
//! the crate it is generated into.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostics, Location};
use crate::parse::SourceFile;

/// Reads every `.yaml` file below `folder`. Files and folders that cannot be read are reported
/// together, each as a diagnostic naming it.
pub fn read_spec_folder(folder: &Path, display_prefix: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut paths = Vec::new();
    collect_yaml(folder, folder, display_prefix, &mut paths, &mut diagnostics);
    paths.sort();
    let mut sources = Vec::new();
    for relative in paths {
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

fn collect_yaml(
    root: &Path,
    folder: &Path,
    display_prefix: &Path,
    found: &mut Vec<PathBuf>,
    diagnostics: &mut Diagnostics,
) {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) => {
            let relative = folder.strip_prefix(root).unwrap_or(folder);
            let file = display_prefix.join(relative);
            diagnostics.push(Location { file, line: 1, column: 1 }, format!("cannot read the folder: {error}"));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_link = entry.file_type().is_ok_and(|kind| kind.is_symlink());
        if is_link && path.is_dir() {
            // A link to a folder can lead back to the spec folder itself, and the walk would not
            // end; spec folders are plain folders.
            let file = display_prefix.join(path.strip_prefix(root).unwrap_or(&path));
            diagnostics.push(
                Location { file, line: 1, column: 1 },
                "a symbolic link to a folder, which the spec walk does not follow; make it a folder",
            );
        } else if path.is_dir() {
            collect_yaml(root, &path, display_prefix, found, diagnostics);
        } else if path.extension().is_some_and(|extension| extension == "yaml" || extension == "yml") {
            found.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
}
