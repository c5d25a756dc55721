//! The OpenAPI description of the spec, built from the IR, for tools and clients in other
//! languages: OpenAPI 3.1 in `generated/openapi.json`, and on request OpenAPI 3.0 for the many
//! tools that read nothing newer (`cargo xtask openapi --dialect 3.0 --out FILE`).
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

/// The OpenAPI version `generated/openapi.json` follows.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// Which OpenAPI version a document follows. The two differ, for this API, only in how a schema
/// allows null and how it gives an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.1 (JSON Schema 2020-12): `type: [X, "null"]`, `examples`.
    V3_1,
    /// OpenAPI 3.0: `nullable: true`, `example`; what generators such as progenitor read.
    V3_0,
}

impl Dialect {
    /// The `openapi` field of a document in this dialect.
    pub fn version(self) -> &'static str {
        match self {
            Dialect::V3_1 => OPENAPI_VERSION,
            Dialect::V3_0 => "3.0.3",
        }
    }
}

/// The OpenAPI 3.1 document of the spec.
pub fn document(spec: &Spec) -> Json {
    document_in(spec, Dialect::V3_1)
}

/// The OpenAPI document of the spec in `dialect`.
pub fn document_in(spec: &Spec, dialect: Dialect) -> Json {
    let api = &spec.api;
    let mut schemas = SchemaBuilder::new(spec, dialect);
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
    info.insert_some("description", api.description.as_deref().map(described));
    // The API publishes no version number of its own.
    info.insert("version", "unversioned".into());

    let mut document = object([
        ("openapi", Json::from(dialect.version())),
        ("info", info),
        ("servers", array([object([("url", Json::from(&api.base_url))])])),
    ]);
    let (security_schemes, security) = security(spec);
    if !security.is_empty() {
        document.insert("security", Json::Array(security));
    }
    let tags = spec.modules.iter().filter_map(|module| module.resource.as_ref()).map(|resource| {
        let mut tag = object([("name", Json::from(&resource.name))]);
        tag.insert_some("description", resource.description.as_deref().map(described));
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
        scheme.insert_some("description", description.map(|text| described(text)));
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
        // Tools read `tokenUrl` as an absolute URL, though OpenAPI 3.1 allows a relative one (3.0
        // does not).
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

/// The OpenAPI 3.1 document as the text of `openapi.json`.
pub fn render(spec: &Spec) -> String {
    document(spec).to_pretty_text()
}

/// The document in `dialect`, as text.
pub fn render_in(spec: &Spec, dialect: Dialect) -> String {
    document_in(spec, dialect).to_pretty_text()
}

/// A spec description as an OpenAPI description: CommonMark that tools render as text, with no
/// live HTML and no code block taken for code.
fn described(text: &str) -> Json {
    Json::from(crate::prose::markdown(text))
}
