//! The OpenAPI 3.1 description of the spec (`generated/openapi.json`), built from the IR, for
//! tools and clients in other languages.
//!
//! One operation per spec operation (`operationId` is `Resource.operation`, as the Rust client's
//! errors name it), one schema per enum, model, request body and use of a generic model, the
//! answers every operation shares, and the authentication schemes.

mod json;
mod paths;
mod schemas;

pub use json::Json;

use json::{array, object};
use schemas::SchemaBuilder;

use crate::ir::Spec;

/// The OpenAPI version the document follows.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The OpenAPI document of the spec.
pub fn document(spec: &Spec) -> Json {
    let api = &spec.api;
    let mut schemas = SchemaBuilder::new(spec);
    let (paths, bodies) = paths::paths(spec, &mut schemas);
    let mut components = Vec::new();
    for module in &spec.modules {
        for id in &module.enums {
            components.push((spec.enums[id.0].name.clone(), schemas::enum_schema(&spec.enums[id.0])));
        }
        for id in &module.models {
            // A generic model has no schema of its own, only one per use.
            if spec.models[id.0].type_params.is_empty() {
                components.push((spec.models[id.0].name.clone(), schemas.model_schema(*id, &[])));
            }
        }
    }
    components.extend(bodies);
    components.extend(schemas.take_instances());

    let mut info = object([("title", Json::from(format!("{} admin REST API", api.name)))]);
    info.insert_some("description", api.description.as_deref().map(Json::from));
    // The API publishes no version number of its own.
    info.insert("version", "unversioned".into());

    let mut document = object([
        ("openapi", Json::from(OPENAPI_VERSION)),
        ("info", info),
        ("servers", array([object([("url", Json::from(&api.base_url))])])),
    ]);
    let (security_schemes, security) = security(spec);
    if !security.is_empty() {
        document.insert("security", Json::Array(security));
    }
    let tags = spec.modules.iter().filter_map(|module| module.resource.as_ref()).map(|resource| {
        let mut tag = object([("name", Json::from(&resource.name))]);
        tag.insert_some("description", resource.description.as_deref().map(Json::from));
        tag
    });
    document.insert("tags", array(tags));
    document.insert("paths", paths);
    let mut components_object = object([("schemas", object(components)), ("responses", paths::shared_responses(spec))]);
    if let Json::Object(entries) = &security_schemes {
        if !entries.is_empty() {
            components_object.insert("securitySchemes", security_schemes);
        }
    }
    document.insert("components", components_object);
    document
}

/// `components.securitySchemes` and the top-level `security`: any one of the schemes will do.
fn security(spec: &Spec) -> (Json, Vec<Json>) {
    let auth = &spec.api.auth;
    let mut schemes = object::<&str>([]);
    let describe = |scheme: &mut Json, description: Option<&String>| {
        scheme.insert_some("description", description.map(Json::from));
    };
    if let Some(bearer) = &auth.bearer {
        let mut scheme = object([("type", Json::from("http")), ("scheme", Json::from("bearer"))]);
        describe(&mut scheme, bearer.description.as_ref());
        schemes.insert("bearer", scheme);
    }
    if let Some(basic) = &auth.basic {
        let mut scheme = object([("type", Json::from("http")), ("scheme", Json::from("basic"))]);
        describe(&mut scheme, basic.description.as_ref());
        schemes.insert("basic", scheme);
    }
    if let Some(grant) = &auth.password_grant {
        let mut scheme = object([("type", Json::from("oauth2"))]);
        describe(&mut scheme, grant.description.as_ref());
        // Tools read `tokenUrl` as an absolute URL, though OpenAPI 3.1 allows a relative one.
        let token_url = format!("{}{}", spec.api.base_url.trim_end_matches('/'), grant.token_path);
        let flow = object([("tokenUrl", Json::from(token_url)), ("scopes", object::<&str>([]))]);
        scheme.insert("flows", object([("password", flow)]));
        schemes.insert("password", scheme);
    }
    let requirements = match &schemes {
        Json::Object(entries) => entries.iter().map(|(name, _)| object([(name.clone(), array([]))])).collect(),
        _ => Vec::new(),
    };
    (schemes, requirements)
}

/// The document as the text of `openapi.json`.
pub fn render(spec: &Spec) -> String {
    document(spec).to_pretty_text()
}
