//! The `Cargo.toml` of each area crate. Area crates are generated whole: their manifest names
//! the core crate and the areas whose types the area uses, and takes every other dependency
//! from the workspace, so that versions are set in one place.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::Spec;
use crate::layout::Layout;
use crate::write::{RenderedFile, MANIFEST_HEADER_PREFIX};

/// The crates generated code names besides the core and area crates: serde's derives need their
/// crate by name; every other type (decimals, uuids, JSON values) comes through the core
/// crate's runtime, so an area crate lists nothing it does not use.
const DEPENDENCIES: [&str; 1] = ["serde"];

/// One manifest per area, at `areas/<area>/Cargo.toml`.
pub fn area_manifests(
    spec: &Spec,
    layout: &Layout,
    area_uses: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<RenderedFile> {
    area_uses
        .iter()
        .map(|(area, uses)| {
            let mut text = format!("{MANIFEST_HEADER_PREFIX} from spec/{area}/. Do not edit.\n\n");
            text.push_str("[package]\n");
            text.push_str(&format!("name = {}\n", quoted(&layout.area_package(area))));
            let description = format!(
                "The `{area}` area of the {} API client, as a crate of its own; use it through `{}`.",
                spec.api.name, layout.package
            );
            text.push_str(&format!("description = {}\n", quoted(&description)));
            for inherited in ["version", "edition", "rust-version", "license"] {
                text.push_str(&format!("{inherited}.workspace = true\n"));
            }
            text.push_str("publish = false\n\n[lib]\n# Generated documentation holds no examples.\ndoctest = false\n\n[dependencies]\n");
            text.push_str(&format!("{} = {{ path = \"../../core\" }}\n", layout.core_package()));
            for other in uses {
                text.push_str(&format!("{} = {{ path = \"../{other}\" }}\n", layout.area_package(other)));
            }
            for dependency in DEPENDENCIES {
                text.push_str(&format!("{dependency}.workspace = true\n"));
            }
            RenderedFile { path: Layout::area_folder(area).join("Cargo.toml"), text }
        })
        .collect()
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
