//! Where problems of the conventions' operation templates are reported: a problem of the
//! template's own text once, at the template in `api.yaml` (the `template_problems` snapshot);
//! what depends on the resource, with the resource. These specs are small variations of the
//! valid fixtures' `api.yaml`, built in memory.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::parse::SourceFile;
use codegen::GenerateError;

/// The valid fixtures' `api.yaml` with one more operation template, and resource files.
fn spec(template: &str, resources: &[(&str, &str)]) -> Vec<SourceFile> {
    let api = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/api.yaml")).unwrap();
    let marker = "    templates:\n";
    let at = api.find(marker).expect("the fixture api.yaml has templates") + marker.len();
    let api = format!("{}{template}{}", &api[..at], &api[at..]);
    let mut files = vec![(PathBuf::from("api.yaml"), api)];
    files.extend(resources.iter().map(|(path, text)| (PathBuf::from(path), (*text).to_owned())));
    files
        .into_iter()
        .map(|(relative, text)| SourceFile {
            display_path: Path::new("spec").join(&relative),
            relative_path: relative,
            text,
        })
        .collect()
}

fn problems(sources: Vec<SourceFile>) -> String {
    match codegen::generate_from_sources(sources) {
        Err(GenerateError::Spec(diagnostics)) => diagnostics.to_string(),
        Err(other) => panic!("expected spec problems, got {other}"),
        Ok(_) => panic!("the spec should have problems"),
    }
}

const SUMMARY: &str = r#"      summary:
        summary: Gets a {label} in short.
        method: GET
        path: "{path}/{id}/summary"
        path_params:
          id: int64
        answer: "{Entity}Summary"
"#;

#[test]
fn a_type_named_after_the_resource_is_looked_up_for_each_resource() {
    let thing = "resource:\n  name: Thing\n  operations: [get, summary]\nmodels:\n  Thing:\n    fields:\n      Label: string\n  ThingSummary:\n    fields:\n      Label: string\n";
    let sources = spec(SUMMARY, &[("test/thing.yaml", thing)]);
    if let Err(error) = codegen::generate_from_sources(sources) {
        panic!("`{{Entity}}Summary` names a model every resource with the template declares: {error}");
    }

    // A resource without it is told so, at the resource.
    let widget = "resource:\n  name: Widget\n  operations: [get, summary]\nmodels:\n  Widget:\n    fields:\n      Label: string\n";
    let text = problems(spec(SUMMARY, &[("test/thing.yaml", thing), ("test/widget.yaml", widget)]));
    assert!(text.starts_with("spec/test/widget.yaml:3:21: unknown type 'WidgetSummary'"), "{text}");
    assert!(text.ends_with("1 problem in the spec"), "{text}");
}

#[test]
fn a_field_a_template_requires_is_looked_up_in_each_record() {
    let rename = r#"      rename:
        summary: Renames a {label}.
        method: PUT
        path: "{path}/rename"
        body: { model: "{Entity}", name: "{Entity}Rename", include: [Id], required: [Id, Label] }
        answer: ActionResult
"#;
    let thing =
        "resource:\n  name: Thing\n  operations: [rename]\nmodels:\n  Thing:\n    fields:\n      Label: string\n";
    let widget =
        "resource:\n  name: Widget\n  operations: [rename]\nmodels:\n  Widget:\n    fields:\n      Name: string\n";
    let text = problems(spec(rename, &[("test/thing.yaml", thing), ("test/widget.yaml", widget)]));
    assert!(text.starts_with("spec/test/widget.yaml:3:16: unknown field of 'Widget': 'Label'"), "{text}");
    assert!(text.ends_with("1 problem in the spec"), "{text}");
}

#[test]
fn a_problem_of_the_template_itself_is_reported_once_at_the_template() {
    let broken = SUMMARY.replace("answer: \"{Entity}Summary\"", "answer: \"list<{Entity}\"");
    let thing =
        "resource:\n  name: Thing\n  operations: [get, summary]\nmodels:\n  Thing:\n    fields:\n      Label: string\n";
    let widget = thing.replace("Thing", "Widget");
    let text = problems(spec(&broken, &[("test/thing.yaml", thing), ("test/widget.yaml", &widget)]));
    assert!(text.starts_with("spec/api.yaml:80:17: cannot read the type 'list<Entity'"), "{text}");
    assert!(text.ends_with("1 problem in the spec"), "{text}");
}
