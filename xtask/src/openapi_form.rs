//! The OpenAPI document in the form code generators take, which `cargo xtask openapi --for
//! generators` writes and the benchmark gives progenitor. progenitor 0.15 and
//! openapi-python-client 0.29 refuse or drop two things the export says on purpose; this form
//! changes neither the operations nor the types they generate code for:
//! - a query parameter that travels as JSON (`?id=[1,2,3]`, described with `content`) becomes a
//!   string parameter, which the caller fills with the JSON text (openapi-python-client drops a
//!   `content` parameter, required or not; progenitor stops with `UnexpectedFormat`);
//! - the shared failure answers lose their bodies (progenitor takes one error type per operation
//!   and asserts it; the export gives the 400, 401, 404, 429 and 500 answers each their own).

use anyhow::Context;
use serde_json::Value;

/// The document in the form code generators take (see the module documentation).
pub fn for_generators(document: &str) -> anyhow::Result<String> {
    let mut document: Value = serde_json::from_str(document).context("reading the exported document")?;
    for item in
        document.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|paths| paths.values_mut())
    {
        for operation in item.as_object_mut().into_iter().flat_map(|item| item.values_mut()) {
            let parameters = operation.get_mut("parameters").and_then(Value::as_array_mut);
            for parameter in parameters.into_iter().flatten() {
                let Some(parameter) = parameter.as_object_mut() else { continue };
                if parameter.remove("content").is_some() {
                    parameter.insert("schema".into(), serde_json::json!({ "type": "string" }));
                }
            }
        }
    }
    let responses = document.pointer_mut("/components/responses").and_then(Value::as_object_mut);
    for response in responses.into_iter().flat_map(|responses| responses.values_mut()) {
        if let Some(response) = response.as_object_mut() {
            response.remove("content");
            response.remove("headers");
        }
    }
    Ok(serde_json::to_string_pretty(&document)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_parameters_become_strings_and_shared_failures_lose_their_bodies() {
        let document = serde_json::json!({
            "paths": {"/things": {"get": {"parameters": [
                {"name": "id", "in": "query", "content": {"application/json": {"schema": {"type": "array"}}}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
            ]}}},
            "components": {"responses": {"NotFound": {
                "description": "No record.",
                "content": {"application/json": {"schema": {"type": "string"}}},
                "headers": {"Retry-After": {}},
            }}},
        });
        let adapted: Value = serde_json::from_str(&for_generators(&document.to_string()).unwrap()).unwrap();
        assert_eq!(
            adapted["paths"]["/things"]["get"]["parameters"],
            serde_json::json!([
                {"name": "id", "in": "query", "schema": {"type": "string"}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
            ])
        );
        assert_eq!(adapted["components"]["responses"]["NotFound"], serde_json::json!({"description": "No record."}));
    }
}
