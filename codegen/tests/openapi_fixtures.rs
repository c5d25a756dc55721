//! The OpenAPI documents of the valid fixture spec, whose resources have what the real spec does
//! not have yet: write modes, fields only `get` returns, inline children with an input type,
//! entity commands and a binary answer. Both dialects parse (3.1 with `oas3`, 3.0 with
//! `openapiv3`), every reference resolves, and each of those shapes is described: read-only and
//! write-only record properties, create-only fields only in create bodies and update-only ones
//! only in update bodies, children sent as their input type, the shared run-command body, the
//! commands as operations and bytes as `application/octet-stream`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::openapi::Dialect;
use serde_json::{json, Value};
use serde_yaml::Value as Yaml;

const DIALECTS: [Dialect; 2] = [Dialect::V3_1, Dialect::V3_0];

fn fixture_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid")
}

fn text(dialect: Dialect) -> String {
    codegen::openapi_document(&fixture_folder(), Path::new("spec"), dialect).unwrap_or_else(|error| panic!("{error}"))
}

fn document(dialect: Dialect) -> Value {
    serde_json::from_str(&text(dialect)).unwrap()
}

/// The fixture spec's files as YAML, with the conventions written out.
fn spec_files() -> Vec<Yaml> {
    let files = codegen::expanded_files(&fixture_folder(), Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    files.iter().map(|file| serde_yaml::to_value(file).unwrap()).collect()
}

fn entries(value: &Yaml) -> Vec<(String, &Yaml)> {
    value
        .as_mapping()
        .map(|mapping| mapping.iter().map(|(key, value)| (key.as_str().unwrap().to_owned(), value)).collect())
        .unwrap_or_default()
}

fn yaml_text(value: &Yaml, key: &str) -> Option<String> {
    value.get(key).and_then(Yaml::as_str).map(str::to_owned)
}

fn yaml_strings(value: Option<&Yaml>) -> BTreeSet<String> {
    value.and_then(Yaml::as_sequence).into_iter().flatten().map(|item| item.as_str().unwrap().to_owned()).collect()
}

fn component<'a>(document: &'a Value, name: &str) -> &'a Value {
    document.pointer(&format!("/components/schemas/{name}")).unwrap_or_else(|| panic!("no schema '{name}'"))
}

/// The component a `$ref` names, seen through the forms that also allow null (`anyOf` with
/// null in 3.1, `allOf` of one in 3.0).
fn referenced(schema: &Value) -> Option<&str> {
    if let Some(Value::String(reference)) = schema.get("$ref") {
        return reference.strip_prefix("#/components/schemas/");
    }
    let wrapped = schema.get("anyOf").or_else(|| schema.get("allOf"))?.as_array()?;
    wrapped.iter().find_map(referenced)
}

/// The operation with this `operationId`.
fn operation<'a>(document: &'a Value, id: &str) -> (&'a str, &'a str, &'a Value) {
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation["operationId"] == id {
                return (path.as_str(), method.as_str(), operation);
            }
        }
    }
    panic!("no operation '{id}'")
}

/// The ids of the operations whose id ends with `suffix`: the template's operation in every
/// resource that has it (the fixture's `Gizmo` at least).
fn operation_ids(document: &Value, suffix: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let id = operation["operationId"].as_str().unwrap();
            if id.ends_with(suffix) {
                ids.push(id.to_owned());
            }
        }
    }
    assert!(ids.contains(&format!("Gizmo{suffix}")), "no Gizmo{suffix} among {ids:?}");
    ids
}

/// The component schema an operation's JSON body refers to.
fn body_schema(document: &Value, id: &str) -> String {
    let (_, _, operation) = operation(document, id);
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    referenced(schema).unwrap_or_else(|| panic!("{id}: the body is not a component: {schema}")).to_owned()
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema["properties"].as_object().map(|properties| properties.keys().cloned().collect()).unwrap_or_default()
}

fn required_names(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|name| name.as_str().unwrap().to_owned())
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|name| (*name).to_owned()).collect()
}

#[test]
fn the_3_1_document_parses_with_oas3() {
    let spec = oas3::from_json(text(Dialect::V3_1)).unwrap_or_else(|error| panic!("not OpenAPI 3.1: {error}"));
    assert_eq!(spec.validate_version().unwrap().to_string(), "3.1.0");
    // Every operation's parameters, body and answers resolve through the parser's own lookups.
    for (_, _, operation) in spec.operations() {
        operation.parameters(&spec).unwrap();
        operation.request_body(&spec).unwrap();
        operation.responses(&spec);
    }
}

#[test]
fn the_3_0_document_parses_with_openapiv3() {
    let parsed: openapiv3::OpenAPI = serde_json::from_str(&text(Dialect::V3_0))
        .unwrap_or_else(|error| panic!("not OpenAPI 3.0 as openapiv3 reads it: {error}"));
    assert_eq!(parsed.openapi, "3.0.3");
    assert!(parsed.paths.paths.len() > 5);
}

#[test]
fn every_reference_resolves_in_both_dialects() {
    for dialect in DIALECTS {
        let document = document(dialect);
        let mut references = Vec::new();
        collect_references(&document, &mut references);
        assert!(references.len() > 20, "{dialect:?}: only {} references", references.len());
        for reference in references {
            let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("'{reference}' is not local"));
            assert!(document.pointer(pointer).is_some(), "{dialect:?}: '{reference}' points at nothing");
        }
    }
}

fn collect_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => found.push(reference.clone()),
                    _ => collect_references(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_references(item, found)),
        _ => {}
    }
}

/// The write mode of every field of every model that has a schema of its own, by model.
fn write_modes() -> BTreeMap<String, Vec<(String, String)>> {
    let mut models = BTreeMap::new();
    for file in spec_files() {
        for (name, model) in entries(&file["models"]) {
            if model.get("type_params").and_then(Yaml::as_sequence).is_some_and(|params| !params.is_empty()) {
                continue;
            }
            let fields = entries(&model["fields"])
                .into_iter()
                .map(|(field, value)| (field, yaml_text(value, "write").unwrap()))
                .collect();
            models.insert(name, fields);
        }
    }
    models
}

#[test]
fn record_properties_are_read_only_or_write_only_as_their_write_mode_says_in_3_1() {
    // 3.1 takes keywords beside a `$ref`, so the flags are read as written.
    let document = document(Dialect::V3_1);
    let mut checked = 0;
    for (model, fields) in write_modes() {
        let schema = component(&document, &model);
        for (field, write) in fields {
            let property = &schema["properties"][&field];
            assert_eq!(property["readOnly"] == true, write == "read_only", "{model}.{field}: readOnly");
            assert_eq!(property["writeOnly"] == true, write == "write_only", "{model}.{field}: writeOnly");
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} fields checked");
}

#[test]
fn record_properties_are_read_only_or_write_only_as_their_write_mode_says_in_3_0() {
    let parsed: openapiv3::OpenAPI = serde_json::from_str(&text(Dialect::V3_0)).unwrap();
    let schemas = &parsed.components.as_ref().unwrap().schemas;
    let mut checked = 0;
    for (model, fields) in write_modes() {
        let Some(openapiv3::ReferenceOr::Item(schema)) = schemas.get(&model) else { panic!("no schema {model}") };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind else {
            panic!("{model} is not an object schema")
        };
        for (field, write) in fields {
            // 3.0 ignores whatever stands beside a `$ref`: a flag must sit on a schema.
            let (read_only, write_only) = match &object.properties[&field] {
                openapiv3::ReferenceOr::Item(property) => {
                    (property.schema_data.read_only, property.schema_data.write_only)
                }
                openapiv3::ReferenceOr::Reference { .. } => (false, false),
            };
            assert_eq!(read_only, write == "read_only", "{model}.{field}: readOnly");
            assert_eq!(write_only, write == "write_only", "{model}.{field}: writeOnly");
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} fields checked");
}

#[test]
fn no_reference_has_siblings_in_3_0() {
    let document = document(Dialect::V3_0);
    let mut found = Vec::new();
    find_reference_siblings(&document, "", &mut found);
    assert!(found.is_empty(), "3.0 ignores these siblings of `$ref`: {found:?}");
}

fn find_reference_siblings(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if object.contains_key("$ref") && object.len() > 1 {
                found.push(format!("{at}: {:?}", object.keys().filter(|key| *key != "$ref").collect::<Vec<_>>()));
            }
            for (key, child) in object {
                find_reference_siblings(child, &format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_reference_siblings(item, &format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// The fields each operation's body carries by the spec: a POST the fields written on create, a
/// PUT those written on update, with `include`; a body of an `input` that input's fields.
fn spec_bodies() -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let files = spec_files();
    let mut models: BTreeMap<String, Yaml> = BTreeMap::new();
    for file in &files {
        for (name, model) in entries(&file["models"]) {
            models.insert(name, model.clone());
        }
    }
    let mut bodies = BTreeMap::new();
    for file in &files {
        let Some(resource) = yaml_text(&file["resource"], "name") else { continue };
        for (name, operation) in entries(&file["operations"]) {
            let Some(body) = operation.get("body") else { continue };
            let expected = match (yaml_text(body, "model"), yaml_text(body, "input")) {
                (Some(model), _) => {
                    let left_out =
                        if yaml_text(operation, "method").unwrap() == "POST" { "update_only" } else { "create_only" };
                    let include = yaml_strings(body.get("include"));
                    let fields = entries(&models[&model]["fields"])
                        .into_iter()
                        .filter(|(field, value)| {
                            let write = yaml_text(value, "write").unwrap();
                            (write != "read_only" && write != left_out) || include.contains(field)
                        })
                        .map(|(field, _)| field)
                        .collect();
                    (fields, yaml_strings(body.get("required")))
                }
                (None, Some(input)) => {
                    let input = &models[&input]["input"];
                    (yaml_strings(input.get("fields")), yaml_strings(input.get("required")))
                }
                (None, None) => panic!("{resource}.{name}: a body of neither a model nor an input"),
            };
            bodies.insert(format!("{resource}.{name}"), expected);
        }
    }
    bodies
}

#[test]
fn bodies_carry_the_fields_of_their_write_modes() {
    let bodies = spec_bodies();
    assert!(bodies.contains_key("Sprocket.create") && bodies.contains_key("Sprocket.update"));
    for dialect in DIALECTS {
        let document = document(dialect);
        for (id, (fields, required)) in &bodies {
            let schema = component(&document, &body_schema(&document, id));
            // A shared input lists all its model's writable fields when it names none.
            if !fields.is_empty() {
                assert_eq!(&property_names(schema), fields, "{dialect:?} {id}: body fields");
            }
            assert_eq!(&required_names(schema), required, "{dialect:?} {id}: required");
        }
        let create = component(&document, "SprocketCreate");
        let update = component(&document, "SprocketUpdate");
        assert!(property_names(create).contains("Serial") && !property_names(update).contains("Serial"));
        assert!(property_names(update).contains("Retired") && !property_names(create).contains("Retired"));
        for body in [create, update] {
            assert!(property_names(body).contains("NewPictureUrl"), "{dialect:?}: write-only fields are sent");
            assert!(!property_names(body).contains("OwnerFullName"), "{dialect:?}: read-only fields are not");
        }
    }
}

#[test]
fn children_in_a_body_are_sent_as_their_input() {
    for dialect in DIALECTS {
        let document = document(dialect);
        for body in ["SprocketCreate", "SprocketUpdate"] {
            let parts = &component(&document, body)["properties"]["Parts"];
            assert_eq!(parts["type"], "array", "{dialect:?} {body}.Parts");
            assert_eq!(referenced(&parts["items"]), Some("SprocketPartInput"), "{dialect:?} {body}.Parts");
        }
        // The record itself holds the children as they are read.
        let record = &component(&document, "Sprocket")["properties"]["Parts"];
        assert_eq!(referenced(&record["items"]), Some("SprocketPart"), "{dialect:?}");
        let input = component(&document, "SprocketPartInput");
        assert_eq!(property_names(input), names(&["PartNumber", "Quantity"]), "{dialect:?}");
        assert_eq!(required_names(input), names(&["PartNumber"]), "{dialect:?}");
    }
}

#[test]
fn run_command_sends_the_shared_request() {
    for dialect in DIALECTS {
        let document = document(dialect);
        for id in operation_ids(&document, ".run_command") {
            let (path, method, _) = operation(&document, &id);
            assert_eq!(method, "post", "{dialect:?} {id}");
            assert!(path.ends_with("/runcommand"), "{dialect:?} {id}: {path}");
            assert_eq!(body_schema(&document, &id), "RunCommandRequest", "{dialect:?} {id}");
        }
        let request = component(&document, "RunCommandRequest");
        assert_eq!(required_names(request), names(&["Key", "Ids", "Parameters"]), "{dialect:?}");
        assert_eq!(referenced(&request["properties"]["Parameters"]["items"]), Some("CommandParameterValue"));
        assert_eq!(property_names(component(&document, "CommandParameterValue")), names(&["Name", "Value"]));
    }
}

#[test]
fn commands_are_operations_answering_a_list_of_entity_commands() {
    for dialect in DIALECTS {
        let document = document(dialect);
        for id in operation_ids(&document, ".commands") {
            let (path, method, operation) = operation(&document, &id);
            assert_eq!(method, "get", "{dialect:?} {id}");
            assert!(path.ends_with("/commands"), "{dialect:?} {id}: {path}");
            let parameters = operation["parameters"].as_array().unwrap();
            assert_eq!(parameters.len(), 1, "{dialect:?} {id}");
            assert_eq!((&parameters[0]["name"], &parameters[0]["in"]), (&json!("id"), &json!("query")));
            assert_ne!(parameters[0]["required"], true, "{dialect:?} {id}: the id is optional");
            let answer = &operation["responses"]["200"]["content"]["application/json"]["schema"];
            assert_eq!(answer["type"], "array", "{dialect:?} {id}");
            assert_eq!(referenced(&answer["items"]), Some("EntityCommand"), "{dialect:?} {id}");
        }
    }
}

#[test]
fn a_binary_answer_is_bytes() {
    for dialect in DIALECTS {
        let document = document(dialect);
        let (path, method, operation) = operation(&document, "Gizmo.picture");
        assert_eq!((path, method), ("/api/test/gizmo-items/{id}/picture", "get"));
        let success = &operation["responses"]["200"];
        assert_eq!(
            success["content"]["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"}),
            "{dialect:?}"
        );
        assert!(success["content"].get("application/json").is_none(), "{dialect:?}: bytes are not JSON");
        assert!(operation.get("requestBody").is_none());
        assert!(operation["responses"].get("404").is_some(), "{dialect:?}: a missing gizmo");
    }
}
