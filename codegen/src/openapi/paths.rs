//! The operations of the OpenAPI document: one per spec operation, with its parameters, body,
//! answers (the action envelope, the 400 validation answer, the list envelope) and role.

use std::collections::HashSet;

use super::json::{array, object, Json};
use super::schemas::{reference, SchemaBuilder};
use super::Dialect;
use crate::ir::{Answer, Operation, Param, Resource, Spec, Type};

/// Where shared answers live.
const RESPONSES: &str = "#/components/responses/";

/// The form date-time query parameters travel in: `YYYY-MM-DDTHH:mm`.
const FILTER_DATE_TIME: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$";
const FILTER_DATE_TIME_EXAMPLE: &str = "2025-01-15T10:30";

/// `Resource.operation`, the name the client's errors and traces give the operation too.
pub(super) fn operation_id(resource: &Resource, operation: &Operation) -> String {
    format!("{}.{}", resource.name, operation.name)
}

/// The `paths` object, and the request body schemas its operations refer to.
pub(super) fn paths(spec: &Spec, schemas: &mut SchemaBuilder<'_>) -> (Json, Vec<(String, Json)>) {
    let mut paths = object::<&str>([]);
    let mut bodies = Vec::new();
    let mut taken: HashSet<(String, &str)> = HashSet::new();
    for resource in spec.modules.iter().filter_map(|module| module.resource.as_ref()) {
        for operation in &resource.operations {
            let id = operation_id(resource, operation);
            // OpenAPI holds one operation per path and method; the API has several (a list and
            // a get-many by `?id=[..]`). A fragment, never sent, keeps the later ones apart.
            let mut key = operation.path_template.clone();
            if !taken.insert((key.clone(), operation.method.as_str())) {
                key = format!("{key}#{}", operation.name);
            }
            if let Some(body) = operation.body.as_ref().filter(|body| body.shared.is_none()) {
                bodies.push((body.rust.clone(), schemas.body_schema(body, &id)));
            }
            let item = operation_object(spec, schemas, resource, operation, &id);
            let method = operation.method.as_str().to_lowercase();
            match paths.get_mut(&key) {
                Some(path_item) => path_item.insert(method, item),
                None => paths.insert(key, object([(method, item)])),
            }
        }
    }
    for input in &spec.inputs {
        bodies.push((input.rust.clone(), schemas.input_schema(input)));
    }
    (paths, bodies)
}

fn operation_object(
    spec: &Spec,
    schemas: &mut SchemaBuilder<'_>,
    resource: &Resource,
    operation: &Operation,
    id: &str,
) -> Json {
    let mut description = operation.description.as_deref().map(crate::prose::markdown).unwrap_or_default();
    if let Some(role) = &operation.role {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&format!("Needs the `{role}` role (or a full unrestricted administrator)."));
    }
    let mut item = object([("operationId", Json::from(id)), ("summary", Json::from(&operation.summary))]);
    if !description.is_empty() {
        item.insert("description", description.into());
    }
    item.insert("tags", array([Json::from(&resource.name)]));
    if operation.deprecated.is_some() {
        item.insert("deprecated", true.into());
    }
    let mut parameters = Vec::new();
    for param in &operation.path_params {
        parameters.push(parameter(schemas, param, "path", true));
    }
    for param in &operation.query_args {
        parameters.push(parameter(schemas, param, "query", true));
    }
    for param in operation.query.iter().flat_map(|query| &query.params) {
        let mut json = parameter(schemas, param, "query", false);
        if let Some(schema) = json.get_mut("schema") {
            paging_bounds(spec, param, schema);
        }
        parameters.push(json);
    }
    if !parameters.is_empty() {
        item.insert("parameters", Json::Array(parameters));
    }
    if let Some(body) = &operation.body {
        item.insert(
            "requestBody",
            object([
                ("required", Json::from(true)),
                ("content", object([("application/json", object([("schema", reference(&body.rust))]))])),
            ]),
        );
    }
    item.insert("responses", responses(spec, schemas, operation));
    item.insert_some("x-nexudus-role", operation.role.as_deref().map(Json::from));
    item
}

/// A path or query parameter. Lists travel as one JSON array (`?id=[1,2,3]`), which OpenAPI
/// says with `content` rather than `schema`.
fn parameter(schemas: &mut SchemaBuilder<'_>, param: &Param, location: &str, required: bool) -> Json {
    let mut json = object([("name", Json::from(&param.wire)), ("in", Json::from(location))]);
    if required {
        json.insert("required", true.into());
    }
    json.insert_some("description", param.description.as_deref().map(super::described));
    match &param.ty {
        Type::List(item) => {
            let items = query_schema(schemas, item);
            let schema = object([("type", Json::from("array")), ("items", items)]);
            json.insert("content", object([("application/json", object([("schema", schema)]))]));
        }
        other => json.insert("schema", query_schema(schemas, other)),
    }
    json
}

/// The schema of a value in a path or query string; date-times take the filter form there.
fn query_schema(schemas: &mut SchemaBuilder<'_>, ty: &Type) -> Json {
    match ty {
        Type::DateTime => {
            let example = match schemas.dialect {
                Dialect::V3_1 => ("examples", array([Json::from(FILTER_DATE_TIME_EXAMPLE)])),
                Dialect::V3_0 => ("example", Json::from(FILTER_DATE_TIME_EXAMPLE)),
            };
            object([("type", Json::from("string")), ("pattern", Json::from(FILTER_DATE_TIME)), example])
        }
        other => schemas.type_schema(other, &[]),
    }
}

/// Pages are 1-based, and the API serves at most `max_size` records a page.
fn paging_bounds(spec: &Spec, param: &Param, schema: &mut Json) {
    let paging = &spec.api.paging;
    if param.wire == paging.params[paging.page].wire {
        schema.insert("minimum", Json::from(1));
    } else if param.wire == paging.params[paging.size].wire {
        schema.insert("minimum", Json::from(1));
        schema.insert("maximum", Json::from(i64::from(paging.max_size)));
    }
}

/// The answers of an operation: its own success, and the shared failures that apply to it.
fn responses(spec: &Spec, schemas: &mut SchemaBuilder<'_>, operation: &Operation) -> Json {
    let action = &spec.models[spec.api.action.model.0].name;
    let success = spec.models[spec.api.action.model.0].fields[spec.api.action.success].wire.as_str();
    let (description, schema) = match &operation.answer {
        Answer::Binary => {
            let schema = object([("type", Json::from("string")), ("format", Json::from("binary"))]);
            let content = object([("application/octet-stream", object([("schema", schema.clone())])), ("image/*", object([("schema", schema)]))]);
            let mut responses = object([(
                "200",
                object([("description", Json::from("The bytes, with their content type.")), ("content", content)]),
            )]);
            responses.insert("401", shared("Unauthorized"));
            if !operation.path_params.is_empty() {
                responses.insert("404", shared("NotFound"));
            }
            responses.insert("409", shared("Throttled"));
            responses.insert("429", shared("TooManyRequests"));
            responses.insert("500", shared("ServerError"));
            return responses;
        }
        Answer::Json(ty) => ("The answer.".to_owned(), schemas.type_schema(ty, &[])),
        Answer::Action => (
            format!("The action envelope. `{success}` is the real outcome: false means the action failed, even with HTTP 200."),
            reference(action),
        ),
        Answer::NewId => (
            format!("The action envelope; its `Value.Id` is the new record's id. `{success}` is the real outcome: false means the action failed, even with HTTP 200."),
            reference(action),
        ),
    };
    let mut responses = object([(
        "200",
        object([
            ("description", Json::from(description)),
            ("content", object([("application/json", object([("schema", schema)]))])),
        ]),
    )]);
    if operation.body.is_some() || matches!(operation.answer, Answer::Action | Answer::NewId) {
        responses.insert("400", shared("ValidationFailed"));
    }
    responses.insert("401", shared("Unauthorized"));
    if !operation.path_params.is_empty() {
        responses.insert("404", shared("NotFound"));
    }
    responses.insert("409", shared("Throttled"));
    responses.insert("429", shared("TooManyRequests"));
    responses.insert("500", shared("ServerError"));
    responses
}

fn shared(name: &str) -> Json {
    object([("$ref", Json::from(format!("{RESPONSES}{name}")))])
}

/// The failures every operation shares, as `components.responses`.
pub(super) fn shared_responses(spec: &Spec) -> Json {
    let action = &spec.models[spec.api.action.model.0];
    let success = &action.fields[spec.api.action.success].wire;
    let errors = &action.fields[spec.api.action.errors].wire;
    let message_object = object([
        ("type", Json::from("object")),
        ("properties", object([("Message", object([("type", Json::from("string"))]))])),
    ]);
    let json = |schema: Json| object([("application/json", object([("schema", schema)]))]);
    object([
        (
            "ValidationFailed",
            object([
                (
                    "description",
                    Json::from(format!(
                        "The data was refused: the action envelope with `{success}` false and the field errors in `{errors}`."
                    )),
                ),
                ("content", json(reference(&action.name))),
            ]),
        ),
        (
            "Unauthorized",
            object([
                ("description", Json::from("Bad credentials, or a role the user does not have.")),
                ("content", json(message_object.clone())),
            ]),
        ),
        (
            "NotFound",
            object([
                ("description", Json::from("No record has this id; the body is the JSON string `\"Not found\"`.")),
                ("content", json(object([("type", Json::from("string"))]))),
            ]),
        ),
        (
            "Throttled",
            object([
                (
                    "description",
                    Json::from("Throttled, as documented: the request was not processed; send it again after `Retry-After` seconds."),
                ),
                (
                    "headers",
                    object([(
                        "Retry-After",
                        object([
                            ("description", Json::from("Seconds to wait before sending the request again.")),
                            ("schema", object([("type", Json::from("integer"))])),
                        ]),
                    )]),
                ),
            ]),
        ),
        (
            "TooManyRequests",
            object([
                (
                    "description",
                    Json::from("Throttled, as seen from the live API: the request was not processed; the body says how long to wait, such as `Wait 2 seconds`."),
                ),
                ("content", object([("text/plain", object([("schema", object([("type", Json::from("string"))]))]))])),
            ]),
        ),
        (
            "ServerError",
            object([
                ("description", Json::from("A server error: `{\"Message\": \"An error has occurred.\"}` or the action envelope.")),
                ("content", json(object([("anyOf", array([message_object, reference(&action.name)]))]))),
            ]),
        ),
    ])
}
