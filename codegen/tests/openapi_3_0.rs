//! The OpenAPI 3.0 export of the real spec: it parses with the `openapiv3` crate (what
//! progenitor and other generators read), and it says what the 3.1 document says, apart from
//! the forms 3.0 spells differently: null (`nullable: true` instead of a `"null"` type),
//! examples (`example` instead of `examples`) and keywords beside a `$ref` (which 3.0 ignores, so
//! the reference goes into an `allOf` of one, and a nullable one takes its target's `type`).

use std::path::Path;

use codegen::openapi::Dialect;
use serde_json::{json, Value};

fn document(dialect: Dialect) -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    codegen::openapi_document(&spec, Path::new("spec"), dialect).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn the_3_0_document_parses_as_openapi_3_0() {
    let text = document(Dialect::V3_0);
    let parsed: openapiv3::OpenAPI =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("not OpenAPI 3.0 as openapiv3 reads it: {error}"));
    assert_eq!(parsed.openapi, "3.0.3");
    let record = parsed.components.as_ref().and_then(|components| components.schemas.get("CrmOpportunity"));
    let Some(openapiv3::ReferenceOr::Item(record)) = record else { panic!("no CrmOpportunity schema") };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(record)) = &record.schema_kind else {
        panic!("CrmOpportunity is not an object schema")
    };
    // `Name` may be null, `CrmBoardColumnId` may not (spec/crm/crm_opportunity.yaml).
    let nullable = |field: &str| match record.properties.get(field) {
        Some(openapiv3::ReferenceOr::Item(schema)) => schema.schema_data.nullable,
        other => panic!("{field}: {other:?}"),
    };
    assert!(nullable("Name"));
    assert!(!nullable("CrmBoardColumnId"));
}

#[test]
fn the_3_0_document_says_what_the_3_1_document_says() {
    let newer: Value = serde_json::from_str(&document(Dialect::V3_1)).unwrap();
    let older: Value = serde_json::from_str(&document(Dialect::V3_0)).unwrap();
    assert_ne!(newer, older);
    let mut converted = newer.clone();
    to_3_0(&mut converted, &newer["components"]["schemas"]);
    assert_eq!(converted, older);
}

#[test]
fn no_3_1_form_is_left_in_the_3_0_document() {
    let older: Value = serde_json::from_str(&document(Dialect::V3_0)).unwrap();
    let mut found = Vec::new();
    find_3_1_forms(&older, "", &mut found);
    assert!(found.is_empty(), "3.1 forms in the 3.0 document: {found:?}");
}

/// Rewrites a 3.1 document into 3.0 the way the dialects are documented to differ; `schemas` are
/// the document's named schemas, whose `type` a nullable reference takes.
fn to_3_0(value: &mut Value, schemas: &Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(version)) = object.get_mut("openapi") {
                *version = "3.0.3".to_owned();
            }
            if let Some(Value::Array(types)) = object.get("type").cloned() {
                let kept: Vec<Value> = types.into_iter().filter(|kind| kind != "null").collect();
                assert_eq!(kept.len(), 1, "a type list other than [X, null]: {value}");
                object.insert("type".into(), kept[0].clone());
                object.insert("nullable".into(), Value::Bool(true));
            }
            if let Some(Value::Array(alternatives)) = object.get("anyOf").cloned() {
                if alternatives.len() == 2 && alternatives[1] == json!({"type": "null"}) {
                    object.remove("anyOf");
                    let target = alternatives[0]["$ref"].as_str().and_then(|target| target.rsplit('/').next());
                    let target_type = target.map(|name| schemas[name]["type"].clone()).unwrap_or_default();
                    if !target_type.is_null() {
                        object.insert("type".into(), target_type);
                    }
                    object.insert("allOf".into(), Value::Array(vec![alternatives[0].clone()]));
                    object.insert("nullable".into(), Value::Bool(true));
                }
            }
            if object.len() > 1 {
                if let Some(target) = object.remove("$ref") {
                    object.insert("allOf".into(), json!([{ "$ref": target }]));
                }
            }
            if let Some(Value::Array(examples)) = object.remove("examples") {
                object.insert("example".into(), examples[0].clone());
            }
            for child in object.values_mut() {
                to_3_0(child, schemas);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| to_3_0(item, schemas)),
        _ => {}
    }
}

fn find_3_1_forms(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if object.get("type").is_some_and(Value::is_array) {
                found.push(format!("{at}: type list"));
            }
            if object.contains_key("examples") && !at.ends_with("/content/application~1json") {
                found.push(format!("{at}: examples"));
            }
            if object.get("type") == Some(&json!("null")) {
                found.push(format!("{at}: null type"));
            }
            // 3.0 gives `nullable` no meaning without a `type` beside it (Redocly's
            // `nullable-type-sibling` rule).
            if object.contains_key("nullable") && !object.contains_key("type") {
                found.push(format!("{at}: nullable without a type"));
            }
            if object.contains_key("$ref") && object.len() > 1 {
                found.push(format!("{at}: keywords beside a $ref"));
            }
            for (key, child) in object {
                find_3_1_forms(child, &format!("{at}/{}", key.replace('/', "~1")), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_3_1_forms(item, &format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}
