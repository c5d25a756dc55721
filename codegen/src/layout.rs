//! Where generated files go: the crate folder of a target holds the application-facing crate
//! (`nexudus`), `core/` (the hand-written runtime, with the shared types of `api.yaml` generated
//! into `core/src/gen`), and `areas/<area>/`, one generated crate per API area. Splitting the
//! API into crates bounds what one compiler process holds to one area, and lets areas build in
//! parallel.

use std::path::{Path, PathBuf};

/// The generated modules of the application-facing crate: re-exports and resource methods.
pub const FACADE_FOLDER: &str = "src/gen";
/// The generated modules of the core crate: the spec files outside any area.
pub const CORE_FOLDER: &str = "core/src/gen";
/// One folder per area crate below this one; everything in an area folder is generated.
pub const AREAS_FOLDER: &str = "areas";

/// The package names of a target's crates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The application-facing crate (`nexudus`); the others are named after it.
    pub package: String,
}

impl Layout {
    pub fn new(package: impl Into<String>) -> Self {
        Layout { package: package.into() }
    }

    /// `nexudus-core`.
    pub fn core_package(&self) -> String {
        format!("{}-core", self.package)
    }

    /// `nexudus-crm`.
    pub fn area_package(&self, area: &str) -> String {
        format!("{}-{area}", self.package)
    }

    /// `areas/crm`, inside the crate folder.
    pub fn area_folder(area: &str) -> PathBuf {
        Path::new(AREAS_FOLDER).join(area)
    }

    /// The folders whose generated files a run owns (and may delete when stale), inside the
    /// crate folder.
    pub fn owned_folders() -> [&'static str; 3] {
        [FACADE_FOLDER, CORE_FOLDER, AREAS_FOLDER]
    }
}

/// A package name as Rust names the crate: `nexudus-crm` as `nexudus_crm`.
pub fn crate_name(package: &str) -> String {
    package.replace('-', "_")
}
