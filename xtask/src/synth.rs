//! `cargo xtask synth N --out DIR`: a spec of N resources shaped like the real CrmOpportunity,
//! each renamed so that every name the generator derives stays unique, spread over API areas.
//! It measures the generator and the generated crate at the API's real scale (about 215
//! resources) without checking in a made-up spec.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// How many areas a synthetic spec spreads its resources over, at most.
pub const AREA_COUNT: usize = 10;

/// The area that holds only the first resource, so that building with that area's feature alone
/// measures a crate with a single resource.
pub const SINGLE_RESOURCE_AREA: &str = "area0";

/// The real spec file every synthetic resource copies.
const TEMPLATE: &str = "spec/crm/crm_opportunity.yaml";

/// One file of a synthetic spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// Path inside the spec folder, such as `area3/synth012_crm_opportunity.yaml`.
    pub relative_path: PathBuf,
    pub text: String,
}

/// `cargo xtask synth N --out DIR`.
pub fn run(root: &Path, count: &str, out: &Path) -> anyhow::Result<()> {
    let count: usize = count.parse().with_context(|| format!("N must be a positive number, not {count:?}"))?;
    if count == 0 {
        bail!("N must be at least 1");
    }
    let files = synthetic_spec(root, count)?;
    write_spec(&files, out)?;
    println!("wrote a spec of {count} resources in {} files to {}", files.len(), out.display());
    Ok(())
}

/// The files of a spec of `count` resources: the real `api.yaml`, and resource k a copy of
/// the CrmOpportunity spec whose resource, enums, models, bodies, accessor, paths, roles and
/// filter prefix carry the prefix `Synth<k>`.
pub fn synthetic_spec(root: &Path, count: usize) -> anyhow::Result<Vec<SpecFile>> {
    let api = fs::read_to_string(root.join("spec/api.yaml")).context("reading spec/api.yaml")?;
    let template = fs::read_to_string(root.join(TEMPLATE)).with_context(|| format!("reading {TEMPLATE}"))?;
    let mut files = vec![SpecFile { relative_path: PathBuf::from("api.yaml"), text: api }];
    for index in 0..count {
        let area = area_of(index);
        let tag = resource_tag(index, count);
        let text = rename_resource(&template, &tag)?;
        files.push(SpecFile { relative_path: Path::new(&area).join(format!("{tag}_crm_opportunity.yaml")), text });
    }
    Ok(files)
}

/// The area of resource `index`: the first has one of its own, the others go round the rest.
pub fn area_of(index: usize) -> String {
    match index {
        0 => SINGLE_RESOURCE_AREA.to_owned(),
        _ => format!("area{}", 1 + (index - 1) % (AREA_COUNT - 1)),
    }
}

/// Writes the files below `out`, replacing what a previous run left there.
pub fn write_spec(files: &[SpecFile], out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    for file in files {
        let path = out.join(&file.relative_path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, &file.text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// `synth007`: zero-padded so that files sort in resource order.
fn resource_tag(index: usize, count: usize) -> String {
    let width = (count - 1).max(1).to_string().len().max(3);
    format!("synth{index:0width$}")
}

/// The template with every name that must be unique across the spec made distinct. The names
/// the generator derives (query and handle types, modules) follow from these.
fn rename_resource(template: &str, tag: &str) -> anyhow::Result<String> {
    let type_prefix = capitalised(tag);
    // The resource, enum (`eCrmOpportunitySource`) and model names; the conventions derive the
    // rest from them and from the file's folder, the area: the path
    // `/api/{area}/{tag}crmopportunities`, the accessor, roles, body and filter names.
    let replacements = [("CrmOpportunity".to_owned(), format!("{type_prefix}CrmOpportunity"))];
    let mut text = template.to_owned();
    for (from, to) in &replacements {
        // A template that lost a name would silently give a spec with clashing names.
        if !text.contains(from.as_str()) {
            bail!("{TEMPLATE} no longer contains {from:?}; update the synthetic spec");
        }
        text = text.replace(from.as_str(), to);
    }
    Ok(text)
}

/// `synth007` as a type-name prefix: `Synth007`.
fn capitalised(tag: &str) -> String {
    let mut characters = tag.chars();
    match characters.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + characters.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn sources(files: Vec<SpecFile>) -> Vec<codegen::parse::SourceFile> {
        files
            .into_iter()
            .map(|file| codegen::parse::SourceFile {
                display_path: Path::new("spec").join(&file.relative_path),
                relative_path: file.relative_path,
                text: file.text,
            })
            .collect()
    }

    #[test]
    fn a_synthetic_spec_validates_with_every_resource_distinct() {
        let files = synthetic_spec(&workspace_root(), 12).unwrap();
        assert_eq!(files.len(), 13);
        let generated = codegen::generate_from_sources(sources(files)).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(generated.operations, 12 * 6);
        let expected_areas: Vec<String> = (0..AREA_COUNT).map(|area| format!("area{area}")).collect();
        assert_eq!(generated.areas.keys().cloned().collect::<Vec<_>>(), expected_areas);
        assert!(generated.areas.values().all(|needed| needed.is_empty()), "synthetic areas use only shared types");
        let module = generated
            .modules
            .iter()
            .find(|file| file.path == Path::new("areas/area3/src/synth003_crm_opportunity.rs"))
            .expect("resource 3 sits in the crate of area 3");
        for name in [
            "pub struct Synth003CrmOpportunity ",
            "Synth003CrmOpportunityListQuery",
            "pub struct Synth003CrmOpportunities",
        ] {
            assert!(module.text.contains(name), "{name} missing");
        }
        let facade = generated.modules.iter().find(|file| file.path == Path::new("src/gen/mod.rs")).unwrap();
        assert!(facade.text.contains("pub fn synth003_crm_opportunities("));
        assert!(module.text.contains("/api/area3/synth003crmopportunities"));
        assert!(!module.text.contains("/api/crm/"));
    }

    #[test]
    fn only_the_first_resource_sits_in_the_single_resource_area() {
        let areas: Vec<String> = (0..30).map(area_of).collect();
        assert_eq!(areas.iter().filter(|area| *area == SINGLE_RESOURCE_AREA).count(), 1);
        assert_eq!(areas[1], "area1");
        assert_eq!(areas[9], "area9");
        assert_eq!(areas[10], "area1");
    }

    #[test]
    fn tags_are_padded_to_sort_in_order() {
        assert_eq!(resource_tag(7, 200), "synth007");
        assert_eq!(resource_tag(0, 1), "synth000");
        assert_eq!(resource_tag(1234, 2000), "synth1234");
    }

    #[test]
    fn a_template_without_the_names_is_refused() {
        let error = rename_resource("resource:\n  name: Other\n", "synth001").unwrap_err();
        assert!(error.to_string().contains("no longer contains"), "{error}");
    }
}
