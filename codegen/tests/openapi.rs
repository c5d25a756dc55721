//! The OpenAPI document of the real spec: it parses as OpenAPI 3.1 with the `oas3` crate, every
//! reference in it resolves, and it holds exactly the operations, parameters, fields, required
//! sets and enum values that the spec's YAML declares. The spec is read here as plain YAML,
//! apart from the generator's IR, so that a mistake in the IR cannot hide itself. The text
//! itself is guarded by the `real__openapi.json` snapshot of `snapshots.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use oas3::spec::{ObjectOrReference, ObjectSchema, ParameterIn, SchemaType, SchemaTypeSet, SecurityScheme};
use serde_json::Value as JsonValue;
use serde_yaml::Value as Yaml;

fn spec_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// The text of `openapi.json` for the real spec.
fn openapi_text() -> String {
    let generated = codegen::generate(&spec_folder(), Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    let document = generated.documents.iter().find(|file| file.path == Path::new(codegen::OPENAPI_FILE));
    document.expect("the documents hold openapi.json").text.clone()
}

fn parsed() -> oas3::Spec {
    oas3::from_json(openapi_text())
        .unwrap_or_else(|error| panic!("openapi.json does not parse as OpenAPI 3.1: {error}"))
}

/// Every spec file, as YAML, with the conventions written out as the generator's checks see
/// them (templates, base fields, derived filters): what the spec says, before any IR.
fn spec_files() -> Vec<Yaml> {
    let files = codegen::expanded_files(&spec_folder(), Path::new("spec")).unwrap_or_else(|error| panic!("{error}"));
    files.iter().map(|file| serde_yaml::to_value(file).unwrap()).collect()
}

fn map(value: &Yaml) -> Vec<(String, &Yaml)> {
    value
        .as_mapping()
        .map(|mapping| mapping.iter().map(|(key, value)| (key.as_str().unwrap().to_owned(), value)).collect())
        .unwrap_or_default()
}

fn text(value: &Yaml, key: &str) -> Option<String> {
    value.get(key).and_then(Yaml::as_str).map(str::to_owned)
}

fn flag(value: &Yaml, key: &str) -> bool {
    value.get(key).and_then(Yaml::as_bool).unwrap_or(false)
}

fn strings(value: Option<&Yaml>) -> BTreeSet<String> {
    value.and_then(Yaml::as_sequence).into_iter().flatten().map(|item| item.as_str().unwrap().to_owned()).collect()
}

/// The schema a reference or inline schema stands for.
fn resolve(spec: &oas3::Spec, schema: &ObjectOrReference<ObjectSchema>) -> ObjectSchema {
    schema.resolve(spec).unwrap_or_else(|error| panic!("a schema reference does not resolve: {error}"))
}

fn component(spec: &oas3::Spec, name: &str) -> ObjectSchema {
    let components = spec.components.as_ref().expect("components");
    let schema = components.schemas.get(name).unwrap_or_else(|| panic!("no schema '{name}'"));
    resolve(spec, schema)
}

/// Whether a property schema allows null: `type: [X, "null"]`, or `anyOf` with a null schema.
fn allows_null(spec: &oas3::Spec, schema: &ObjectSchema) -> bool {
    match &schema.schema_type {
        Some(SchemaTypeSet::Multiple(types)) => types.contains(&SchemaType::Null),
        Some(SchemaTypeSet::Single(single)) => *single == SchemaType::Null,
        None => schema.any_of.iter().any(|option| allows_null(spec, &resolve(spec, option))),
    }
}

#[test]
fn document_parses_as_openapi_3_1_and_every_reference_resolves() {
    let spec = parsed();
    assert_eq!(spec.validate_version().unwrap().to_string(), "3.1.0");
    let raw: JsonValue = serde_json::from_str(&openapi_text()).unwrap();
    let mut references = Vec::new();
    collect_references(&raw, &mut references);
    assert!(references.len() > 20, "only {} references", references.len());
    for reference in references {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("'{reference}' is not local"));
        assert!(raw.pointer(pointer).is_some(), "'{reference}' points at nothing");
    }
}

fn collect_references(value: &JsonValue, found: &mut Vec<String>) {
    match value {
        JsonValue::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$ref", JsonValue::String(reference)) => found.push(reference.clone()),
                    _ => collect_references(value, found),
                }
            }
        }
        JsonValue::Array(items) => items.iter().for_each(|item| collect_references(item, found)),
        _ => {}
    }
}

#[test]
fn security_schemes_are_basic_bearer_and_the_password_grant() {
    let spec = parsed();
    let schemes = &spec.components.as_ref().unwrap().security_schemes;
    let resolved = |name: &str| schemes[name].resolve(&spec).unwrap();
    assert!(matches!(resolved("basic"), SecurityScheme::Http { scheme, .. } if scheme == "basic"));
    assert!(matches!(resolved("bearer"), SecurityScheme::Http { scheme, .. } if scheme == "bearer"));
    match resolved("password") {
        SecurityScheme::OAuth2 { flows, .. } => {
            let password = flows.password.expect("a password flow");
            assert_eq!(password.token_url.as_str(), "https://spaces.nexudus.com/api/token");
        }
        other => panic!("the password grant is not OAuth2: {other:?}"),
    }
    let alternatives: BTreeSet<String> =
        spec.security.iter().flat_map(|requirement| requirement.0.keys().cloned()).collect();
    assert_eq!(alternatives, ["basic", "bearer", "password"].map(String::from).into());
}

/// What the spec's YAML says about one operation.
struct SpecOperation {
    method: String,
    path: String,
    role: Option<String>,
    /// (name, location, required).
    parameters: BTreeSet<(String, &'static str, bool)>,
    /// (body type, its fields, its required fields).
    body: Option<(String, BTreeSet<String>, BTreeSet<String>)>,
    answer: String,
}

fn spec_operations() -> BTreeMap<String, SpecOperation> {
    let files = spec_files();
    let api = files.iter().find_map(|file| file.get("api")).expect("an api section");
    let paging: Vec<String> = map(&api["paging"]["params"]).into_iter().map(|(name, _)| name).collect();
    let required_param = |param: &Yaml| flag(param, "required");
    let mut models: BTreeMap<String, Yaml> = BTreeMap::new();
    for file in &files {
        for (name, model) in map(&file["models"]) {
            models.insert(name, model.clone());
        }
    }
    let mut operations = BTreeMap::new();
    for file in &files {
        let Some(resource) = text(&file["resource"], "name") else { continue };
        for (name, operation) in map(&file["operations"]) {
            let mut parameters = BTreeSet::new();
            for (param, _) in map(&operation["path_params"]) {
                parameters.insert((param, "path", true));
            }
            let query = &operation["query"];
            if flag(query, "paged") {
                parameters.extend(paging.iter().map(|param| (param.clone(), "query", false)));
            }
            for (param, value) in map(&query["params"]) {
                parameters.insert((param, "query", required_param(value)));
            }
            let filters = &query["filters"];
            let prefix = text(filters, "prefix").unwrap_or_default();
            for (field, _) in map(&filters["equal"]) {
                parameters.insert((format!("{prefix}_{field}"), "query", false));
            }
            for (field, _) in map(&filters["range"]) {
                parameters.insert((format!("from_{prefix}_{field}"), "query", false));
                parameters.insert((format!("to_{prefix}_{field}"), "query", false));
            }
            let method = text(operation, "method").unwrap();
            let body = operation.get("body").map(|body| {
                // A body that is a model's shared input type: its fields and required set.
                if let Some(shared) = text(body, "input") {
                    let input = &models[&shared]["input"];
                    let fields = match input.get("fields").filter(|fields| !fields.is_null()) {
                        Some(fields) => strings(Some(fields)),
                        None => map(&models[&shared]["fields"])
                            .into_iter()
                            .filter(|(_, value)| text(value, "write").as_deref() != Some("read_only"))
                            .map(|(field, _)| field)
                            .collect(),
                    };
                    return (
                        text(input, "name").unwrap_or(format!("{shared}Input")),
                        fields,
                        strings(input.get("required")),
                    );
                }
                let model = &models[&text(body, "model").unwrap()];
                let include = strings(body.get("include"));
                // Which write modes a body carries: a POST creates, a PUT replaces.
                let left_out = if method == "POST" { "update_only" } else { "create_only" };
                let fields = map(&model["fields"])
                    .into_iter()
                    .filter(|(field, value)| {
                        let write = text(value, "write").unwrap();
                        (write != "read_only" && write != left_out) || include.contains(field)
                    })
                    .map(|(field, _)| field)
                    .collect();
                (text(body, "name").unwrap(), fields, strings(body.get("required")))
            });
            operations.insert(
                format!("{resource}.{name}"),
                SpecOperation {
                    method,
                    path: text(operation, "path").unwrap(),
                    role: text(operation, "role"),
                    parameters,
                    body,
                    answer: text(operation, "answer").unwrap(),
                },
            );
        }
    }
    operations
}

#[test]
fn operations_match_the_spec() {
    let spec = parsed();
    let expected = spec_operations();
    let mut found = BTreeSet::new();
    for (path, method, operation) in spec.operations() {
        let id = operation.operation_id.clone().expect("every operation has an operationId");
        let wanted = expected.get(&id).unwrap_or_else(|| panic!("'{id}' is not in the spec"));
        assert!(found.insert(id.clone()), "'{id}' appears twice");
        // A fragment keeps apart operations that share a path and method; it is never sent.
        let path = path.split('#').next().unwrap();
        assert_eq!((method.as_str(), path), (wanted.method.as_str(), wanted.path.as_str()), "{id}");
        assert_eq!(
            operation.extensions.get("nexudus-role").and_then(JsonValue::as_str),
            wanted.role.as_deref(),
            "{id}"
        );
        if let Some(role) = &wanted.role {
            assert!(operation.description.as_deref().unwrap_or_default().contains(role.as_str()), "{id}: role");
        }

        let parameters: BTreeSet<(String, &'static str, bool)> = operation
            .parameters(&spec)
            .unwrap()
            .into_iter()
            .map(|parameter| {
                let location = match parameter.location {
                    ParameterIn::Path => "path",
                    ParameterIn::Query => "query",
                    other => panic!("{id}: a parameter in {other:?}"),
                };
                assert!(parameter.schema.is_some() != parameter.content.is_some(), "{id}: schema or content");
                (parameter.name, location, parameter.required.unwrap_or(false))
            })
            .collect();
        assert_eq!(parameters, wanted.parameters, "{id}: parameters");

        let body = operation.request_body(&spec).unwrap();
        match (&wanted.body, body) {
            (None, None) => {}
            (Some((name, fields, required)), Some(body)) => {
                let schema = &body.content["application/json"].schema.as_ref().expect("a body schema");
                let schema = match schema {
                    ObjectOrReference::Ref { ref_path, .. } => {
                        assert_eq!(ref_path, &format!("#/components/schemas/{name}"), "{id}");
                        component(&spec, name)
                    }
                    ObjectOrReference::Object(_) => panic!("{id}: the body schema is not a component"),
                };
                assert_eq!(&schema.properties.keys().cloned().collect::<BTreeSet<_>>(), fields, "{id}: body fields");
                assert_eq!(&schema.required.iter().cloned().collect::<BTreeSet<_>>(), required, "{id}: required");
            }
            (wanted, found) => panic!("{id}: body {wanted:?} in the spec, {:?} in the document", found.is_some()),
        }

        let responses = operation.responses(&spec);
        let success = &responses["200"].content["application/json"];
        let schema = success.schema.as_ref().expect("a success schema");
        let is_action = wanted.answer == "ActionResult";
        if is_action {
            assert!(
                matches!(schema, ObjectOrReference::Ref { ref_path, .. } if ref_path.ends_with("/ActionResult")),
                "{id}"
            );
            let failure = &responses["400"].content["application/json"];
            assert!(
                matches!(&failure.schema, Some(ObjectOrReference::Ref { ref_path, .. }) if ref_path.ends_with("/ActionResult")),
                "{id}: the 400 answer is the action envelope"
            );
        }
        if let Some(record) = wanted.answer.strip_prefix("Page<").and_then(|rest| rest.strip_suffix('>')) {
            let page = format!("Page_{record}");
            assert!(
                matches!(schema, ObjectOrReference::Ref { ref_path, .. } if ref_path.ends_with(&format!("/{page}"))),
                "{id}"
            );
            let records = resolve(&spec, &component(&spec, &page).properties["Records"]);
            assert!(records.items.is_some(), "{id}: the page holds a list of records");
        }
        for status in ["401", "409", "429"] {
            assert!(responses.contains_key(status), "{id}: no {status} answer");
        }
    }
    assert_eq!(found, expected.keys().cloned().collect(), "operations");
}

#[test]
fn models_and_enums_match_the_spec() {
    let spec = parsed();
    let files = spec_files();
    let mut checked = 0;
    for file in &files {
        for (name, model) in map(&file["models"]) {
            // A generic model has a schema per use; the list envelope's is `Page_<record>`.
            let generic = model.get("type_params").and_then(Yaml::as_sequence).is_some_and(|params| !params.is_empty());
            let schema_name = if generic { format!("{name}_CrmOpportunity") } else { name };
            let schema = component(&spec, &schema_name);
            let fields = map(&model["fields"]);
            let names: BTreeSet<String> = fields.iter().map(|(field, _)| field.clone()).collect();
            assert_eq!(schema.properties.keys().cloned().collect::<BTreeSet<_>>(), names, "{schema_name}: fields");
            let required: BTreeSet<String> =
                fields.iter().filter(|(_, value)| flag(value, "required")).map(|(field, _)| field.clone()).collect();
            assert_eq!(schema.required.iter().cloned().collect::<BTreeSet<_>>(), required, "{schema_name}: required");
            for (field, value) in &fields {
                let property = resolve(&spec, &schema.properties[field]);
                let is_json = text(value, "type").as_deref() == Some("json");
                // A `json` field allows anything, null included, whatever the spec says.
                if !is_json {
                    assert_eq!(
                        allows_null(&spec, &property),
                        flag(value, "nullable"),
                        "{schema_name}.{field}: nullable"
                    );
                }
                let write = text(value, "write").unwrap();
                assert_eq!(property.read_only == Some(true), write == "read_only", "{schema_name}.{field}: read-only");
                assert_eq!(
                    property.write_only == Some(true),
                    write == "write_only",
                    "{schema_name}.{field}: write-only"
                );
                checked += 1;
            }
        }
        for (name, spec_enum) in map(&file["enums"]) {
            let schema = component(&spec, &name);
            let variants = spec_enum["variants"].as_sequence().unwrap();
            let values: Vec<JsonValue> =
                variants.iter().map(|variant| serde_json::to_value(&variant["value"]).unwrap()).collect();
            assert_eq!(schema.enum_values, values, "{name}: values");
            let names: Vec<JsonValue> =
                variants.iter().map(|variant| JsonValue::from(text(variant, "name").unwrap())).collect();
            assert_eq!(schema.extensions.get("enum-varnames"), Some(&JsonValue::Array(names)), "{name}: names");
            let descriptions = schema.extensions.get("enum-descriptions").and_then(JsonValue::as_array);
            assert_eq!(descriptions.map(Vec::len), Some(variants.len()), "{name}: descriptions");
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} fields and enums checked");
}
