//! Cargo features of the generated crate: one per API area, so that a user who needs one area
//! compiles only that one. Each area is a crate of its own (see [`crate::layout`]), an optional
//! dependency of the application-facing crate, whose generated `mod.rs` re-exports it behind its
//! feature. That crate's `Cargo.toml` stays hand-owned, and this module checks that it declares
//! every area's crate as an optional dependency and every area's feature, that each feature
//! enables its crate and the areas whose types its area uses, and that `default` enables them
//! all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostic::{Diagnostics, Location};
use crate::ir::{Answer, EnumId, ModelId, Module, Spec, Type};
use crate::layout::{Layout, AREAS_FOLDER};

/// For each area, the other areas whose types it uses, so its feature must enable theirs.
pub fn area_dependencies(spec: &Spec) -> BTreeMap<String, BTreeSet<String>> {
    let mut enum_area = BTreeMap::new();
    let mut model_area = BTreeMap::new();
    for module in &spec.modules {
        for id in &module.enums {
            enum_area.insert(*id, module.area.as_deref());
        }
        for id in &module.models {
            model_area.insert(*id, module.area.as_deref());
        }
    }
    let mut dependencies: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &spec.modules {
        let Some(area) = &module.area else { continue };
        let (enums, models) = types_used_by(spec, module);
        let others = enums
            .iter()
            .filter_map(|id| enum_area.get(id).copied().flatten())
            .chain(models.iter().filter_map(|id| model_area.get(id).copied().flatten()));
        let needed = dependencies.entry(area.clone()).or_default();
        needed.extend(others.filter(|other| *other != area).map(str::to_owned));
    }
    dependencies
}

/// The enums and models a module's items mention, nested ones included.
fn types_used_by(spec: &Spec, module: &Module) -> (BTreeSet<EnumId>, BTreeSet<ModelId>) {
    let mut stack: Vec<&Type> = Vec::new();
    let mut models = BTreeSet::new();
    for id in &module.models {
        stack.extend(spec.models[id.0].fields.iter().map(|field| &field.ty));
    }
    for operation in module.resource.iter().flat_map(|resource| &resource.operations) {
        stack.extend(operation.path_params.iter().chain(&operation.query_args).map(|param| &param.ty));
        stack.extend(operation.query.iter().flat_map(|query| &query.params).map(|param| &param.ty));
        if let Answer::Json(ty) = &operation.answer {
            stack.push(ty);
        }
        if let Some(body) = &operation.body {
            // A body converts from its model's record type, wherever that model is declared.
            models.insert(body.model);
            let model = &spec.models[body.model.0];
            stack.extend(body.fields.iter().map(|field| &model.fields[field.field].ty));
        }
    }
    let mut enums = BTreeSet::new();
    while let Some(ty) = stack.pop() {
        match ty {
            Type::Enum(id) => {
                enums.insert(*id);
            }
            Type::Model(id, arguments) => {
                models.insert(*id);
                stack.extend(arguments);
            }
            Type::List(item) => stack.push(item),
            _ => {}
        }
    }
    (enums, models)
}

/// Checks the `[features]` and `[dependencies]` of the crate's manifest (`text`, named
/// `display` in messages) against the areas of the spec.
pub fn check_manifest(
    text: &str,
    display: &Path,
    layout: &Layout,
    dependencies: &BTreeMap<String, BTreeSet<String>>,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let line_of = |header: &str| text.lines().position(|line| line.trim() == header).map_or(1, |index| index + 1);
    let at = Location { file: display.to_path_buf(), line: line_of("[features]"), column: 1 };
    let at_dependencies = Location { line: line_of("[dependencies]"), ..at.clone() };
    let manifest: toml::Table = match text.parse() {
        Ok(manifest) => manifest,
        Err(error) => {
            diagnostics.push(Location { line: 1, ..at }, format!("cannot read the manifest: {error}"));
            return diagnostics;
        }
    };
    let empty = toml::Table::new();
    let features = manifest.get("features").and_then(toml::Value::as_table).unwrap_or(&empty);
    let crates = manifest.get("dependencies").and_then(toml::Value::as_table).unwrap_or(&empty);
    let enabled = |feature: &str| -> Option<BTreeSet<&str>> {
        let list = features.get(feature)?.as_array()?;
        Some(list.iter().filter_map(toml::Value::as_str).collect())
    };
    let default = enabled("default").unwrap_or_default();
    for (area, needed) in dependencies {
        let package = layout.area_package(area);
        let wanted: Vec<String> = std::iter::once(format!("dep:{package}")).chain(needed.iter().cloned()).collect();
        let wanted_list = wanted.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ");
        // Manifests write paths with `/` on every platform.
        let path = format!("{AREAS_FOLDER}/{area}");
        let declared = crates.get(&package).and_then(toml::Value::as_table);
        let optional = declared.and_then(|table| table.get("optional")).and_then(toml::Value::as_bool) == Some(true);
        let right_path =
            declared.and_then(|table| table.get("path")).and_then(toml::Value::as_str) == Some(path.as_str());
        if !(optional && right_path) {
            diagnostics.push_with_hint(
                at_dependencies.clone(),
                format!("the crate of the API area spec/{area}/ is not an optional dependency at {path}"),
                format!("write `{package} = {{ path = \"{path}\", optional = true }}` under [dependencies]"),
            );
        }
        match enabled(area) {
            None => diagnostics.push_with_hint(
                at.clone(),
                format!("no cargo feature '{area}' for the API area spec/{area}/"),
                format!("add `{area} = [{wanted_list}]` under [features], and \"{area}\" to `default`"),
            ),
            Some(enables) => {
                let missing: Vec<&str> =
                    wanted.iter().map(String::as_str).filter(|other| !enables.contains(other)).collect();
                if !missing.is_empty() {
                    diagnostics.push_with_hint(
                        at.clone(),
                        format!(
                            "feature '{area}' must enable {}: the area's crate and the areas whose types it uses",
                            quoted(&missing)
                        ),
                        format!("write `{area} = [{wanted_list}]`"),
                    );
                }
            }
        }
        if !default.contains(area.as_str()) {
            diagnostics.push_with_hint(
                at.clone(),
                format!("feature 'default' does not enable '{area}'"),
                format!("add \"{area}\" to `default`: every area is on unless a user turns it off"),
            );
        }
    }
    // An area crate of an area the spec no longer has: `cargo xtask gen` has just deleted its
    // folder, and cargo will not load the workspace until the line goes.
    let area_crates = Path::new(AREAS_FOLDER);
    for (package, declared) in crates {
        let path = declared.get("path").and_then(toml::Value::as_str).map(Path::new);
        let Some(area) = path.and_then(|path| path.strip_prefix(area_crates).ok()) else { continue };
        let area = area.display().to_string();
        if !dependencies.contains_key(&area) {
            diagnostics.push_with_hint(
                at_dependencies.clone(),
                format!("the crate '{package}' is of an area the spec no longer has (spec/{area}/)"),
                format!("remove `{package}` from [dependencies] and the feature '{area}' from [features]"),
            );
        }
    }
    // In the order of the areas: each area's problems together, the missing feature first.
    diagnostics
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|name| format!("'{name}'")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::SourceFile;

    fn areas(entries: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        entries
            .iter()
            .map(|(area, needed)| (area.to_string(), needed.iter().map(|other| other.to_string()).collect()))
            .collect()
    }

    /// The messages (with hints) the check gives for `manifest`.
    fn check(manifest: &str, dependencies: &[(&str, &[&str])], expected: &[&str]) {
        let layout = Layout::new("x");
        let diagnostics = check_manifest(manifest, Path::new("generated/Cargo.toml"), &layout, &areas(dependencies));
        let shown: Vec<String> = diagnostics.items().iter().map(ToString::to_string).collect();
        let shown = shown.join("\n");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines, expected);
    }

    const CRATES: &str = "[dependencies]\nx-crm = { path = \"areas/crm\", optional = true }\nx-billing = { path = \"areas/billing\", optional = true }\n\n";

    #[test]
    fn a_manifest_with_every_area_passes() {
        let manifest = format!(
            "[package]\nname = \"x\"\n\n{CRATES}[features]\ndefault = [\"crm\", \"billing\"]\ncrm = [\"dep:x-crm\"]\nbilling = [\"dep:x-billing\", \"crm\"]\nextra = []\n"
        );
        check(&manifest, &[("crm", &[]), ("billing", &["crm"])], &[]);
    }

    #[test]
    fn a_missing_area_feature_and_crate_are_named_with_the_lines_to_add() {
        check(
            "[package]\nname = \"x\"\n\n[dependencies]\nx-crm = { path = \"areas/crm\", optional = true }\n\n[features]\ndefault = [\"crm\"]\ncrm = [\"dep:x-crm\"]\n",
            &[("crm", &[]), ("billing", &["crm"])],
            &[
                "generated/Cargo.toml:4:1: the crate of the API area spec/billing/ is not an optional dependency at areas/billing",
                "  hint: write `x-billing = { path = \"areas/billing\", optional = true }` under [dependencies]",
                "generated/Cargo.toml:7:1: no cargo feature 'billing' for the API area spec/billing/",
                "  hint: add `billing = [\"dep:x-billing\", \"crm\"]` under [features], and \"billing\" to `default`",
                "generated/Cargo.toml:7:1: feature 'default' does not enable 'billing'",
                "  hint: add \"billing\" to `default`: every area is on unless a user turns it off",
            ],
        );
    }

    #[test]
    fn an_area_feature_must_enable_its_crate_and_the_areas_it_uses() {
        check(
            &format!("{CRATES}[features]\ndefault = [\"crm\", \"billing\"]\ncrm = [\"dep:x-crm\"]\nbilling = []\n"),
            &[("crm", &[]), ("billing", &["crm"])],
            &[
                "generated/Cargo.toml:5:1: feature 'billing' must enable 'dep:x-billing', 'crm': the area's crate and the areas whose types it uses",
                "  hint: write `billing = [\"dep:x-billing\", \"crm\"]`",
            ],
        );
    }

    #[test]
    fn the_crate_of_a_removed_area_is_named() {
        check(
            &format!("{CRATES}[features]\ndefault = [\"crm\"]\ncrm = [\"dep:x-crm\"]\nbilling = [\"dep:x-billing\"]\n"),
            &[("crm", &[])],
            &[
                "generated/Cargo.toml:1:1: the crate 'x-billing' is of an area the spec no longer has (spec/billing/)",
                "  hint: remove `x-billing` from [dependencies] and the feature 'billing' from [features]",
            ],
        );
    }

    #[test]
    fn an_area_crate_must_be_optional() {
        check(
            "[dependencies]\nx-crm = { path = \"areas/crm\" }\n\n[features]\ndefault = [\"crm\"]\ncrm = [\"dep:x-crm\"]\n",
            &[("crm", &[])],
            &[
                "generated/Cargo.toml:1:1: the crate of the API area spec/crm/ is not an optional dependency at areas/crm",
                "  hint: write `x-crm = { path = \"areas/crm\", optional = true }` under [dependencies]",
            ],
        );
    }

    #[test]
    fn a_manifest_without_features_names_every_area() {
        check(
            "[package]\nname = \"x\"\n",
            &[("crm", &[])],
            &[
                "generated/Cargo.toml:1:1: the crate of the API area spec/crm/ is not an optional dependency at areas/crm",
                "  hint: write `x-crm = { path = \"areas/crm\", optional = true }` under [dependencies]",
                "generated/Cargo.toml:1:1: no cargo feature 'crm' for the API area spec/crm/",
                "  hint: add `crm = [\"dep:x-crm\"]` under [features], and \"crm\" to `default`",
                "generated/Cargo.toml:1:1: feature 'default' does not enable 'crm'",
                "  hint: add \"crm\" to `default`: every area is on unless a user turns it off",
            ],
        );
    }

    #[test]
    fn an_unreadable_manifest_is_reported() {
        let diagnostics =
            check_manifest("[features\n", Path::new("Cargo.toml"), &Layout::new("x"), &areas(&[("crm", &[])]));
        assert!(diagnostics.to_string().starts_with("Cargo.toml:1:1: cannot read the manifest"), "{diagnostics}");
    }

    fn source(path: &str, text: &str) -> SourceFile {
        SourceFile { display_path: Path::new("spec").join(path), relative_path: path.into(), text: text.to_owned() }
    }

    #[test]
    fn areas_depend_on_the_areas_whose_types_they_use() {
        let sources = vec![
            source("api.yaml", include_str!("../tests/fixtures/valid/api.yaml")),
            source(
                "crm/colour.yaml",
                "enums:\n  eColour:\n    open: true\n    variants:\n      - { value: 1, name: Red }\n",
            ),
            source(
                "billing/paint.yaml",
                "models:\n  Paint:\n    fields:\n      Colour: { type: list<eColour>, required: true }\n",
            ),
            source("rooms/room.yaml", "models:\n  Room:\n    fields:\n      Name: { type: string, required: true }\n"),
        ];
        let generated = crate::generate_from_sources(sources).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(generated.areas, areas(&[("billing", &["crm"]), ("crm", &[]), ("rooms", &[])]));
    }
}
