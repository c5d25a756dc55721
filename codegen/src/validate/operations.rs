//! A resource and its operations: path templates, parameters, bodies and answers.

use std::collections::HashMap;

use super::types::resolve_type;
use super::{keys, Context, Symbols};
use crate::ir::{
    Answer, Api, Body, BodyField, BodyKind, Input, InputId, Method, Model, Operation, Param, PathSegment, Query,
    RangeBound, Resource, Type, WriteMode,
};
use crate::naming;
use crate::parse::{RawMethod, RawOperation, RawParam, RawReturns};
use crate::positions::Step;

/// Builds the resource of file `file`, if it declares one.
/// The method that makes a resource's handle from a client; no operation may take its name.
const HANDLE_CONSTRUCTOR: &str = "new";

pub(crate) fn build_resource(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    models: &[Option<Model>],
    inputs: &[Input],
    api: Option<&Api>,
    file: usize,
) -> Option<Resource> {
    let files = cx.files;
    let content = &files[file].content;
    let Some(raw) = &content.resource else {
        if let Some(name) = content.operations.keys().next() {
            let at = cx.key_at(file, &keys(&["operations", name]));
            cx.error_with_hint(
                at,
                "operations need a `resource` section in the same file",
                "add `resource: { name: ... }`",
            );
        }
        return None;
    };
    let handle = naming::plural_camel(&raw.name);
    let accessor = raw.accessor.clone().unwrap_or_else(|| naming::plural_snake(&raw.name));
    // The name is checked first: the accessor made from a bad name would only say it again.
    let mut ok = cx.check_identifier(cx.value_at(file, &keys(&["resource", "name"])), &handle);
    if ok || raw.accessor.is_some() {
        ok &= cx.check_identifier(cx.value_at(file, &keys(&["resource", "accessor"])), &accessor);
    }
    if content.operations.is_empty() {
        cx.error(cx.key_at(file, &keys(&["resource"])), format!("resource '{}' has no operations", raw.name));
        ok = false;
    }
    let mut operations = Vec::new();
    let mut rust_names: HashMap<String, String> = HashMap::new();
    for (name, operation) in &content.operations {
        let at = cx.key_at(file, &keys(&["operations", name]));
        let rust = operation.rust_name.clone().unwrap_or_else(|| naming::snake(name));
        ok &= cx.check_identifier(at.clone(), &rust);
        if rust == HANDLE_CONSTRUCTOR {
            cx.error_with_hint(
                at.clone(),
                format!("operation '{name}' would become the method '{rust}', which makes the resource's handle"),
                "give the operation another `rust_name`",
            );
            ok = false;
        }
        if let Some(first) = rust_names.insert(rust.clone(), name.clone()) {
            cx.error(at, format!("operations '{first}' and '{name}' both become the method '{rust}'"));
            ok = false;
        }
        match build_operation(cx, symbols, models, inputs, api, file, &raw.name, name, operation) {
            Some(built) => operations.push(built),
            None => ok = false,
        }
    }
    if ok {
        super::read_with::resolve_read_with(cx, symbols, models, inputs, file, &mut operations);
        if let Some(api) = api {
            ok &= check_derived_methods(cx, file, api, &operations, &rust_names);
        }
    }
    ok.then(|| Resource { name: raw.name.clone(), handle, accessor, description: raw.description.clone(), operations })
}

/// Names a generated method gives its own arguments and locals (the body, the query, the change
/// of `update_with`, the paging of `list_all`), which no path parameter or required query
/// parameter may take.
const METHOD_LOCALS: [&str; 4] = ["request", "query", "change", "paging"];

/// Methods the generator adds beside an operation (`list_all` beside a paged `list`,
/// `update_with` beside an update with `read_with`) may not take the name of another operation.
fn check_derived_methods(
    cx: &mut Context<'_>,
    file: usize,
    api: &Api,
    operations: &[Operation],
    rust_names: &HashMap<String, String>,
) -> bool {
    let mut ok = true;
    for operation in operations {
        let stem = operation.rust.trim_start_matches("r#");
        let derived = [
            operation.streamed_record(api).map(|_| (format!("{stem}_all"), "the stream of every record of the paged")),
            operation.read_with.map(|_| (format!("{stem}_with"), "the read-modify-write method of")),
        ];
        for (method, what) in derived.into_iter().flatten() {
            if let Some(other) = rust_names.get(&method) {
                let at = cx.key_at(file, &keys(&["operations", other]));
                cx.error_with_hint(
                    at,
                    format!(
                        "operation '{other}' would become the method '{method}', which is {what} operation '{}'",
                        operation.name
                    ),
                    "give the operation another `rust_name`",
                );
                ok = false;
            }
        }
    }
    ok
}

#[allow(clippy::too_many_arguments)]
fn build_operation(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    models: &[Option<Model>],
    inputs: &[Input],
    api: Option<&Api>,
    file: usize,
    resource: &str,
    name: &str,
    raw: &RawOperation,
) -> Option<Operation> {
    let base = keys(&["operations", name]);
    let method = match raw.method {
        RawMethod::GET => Method::Get,
        RawMethod::POST => Method::Post,
        RawMethod::PUT => Method::Put,
        RawMethod::DELETE => Method::Delete,
    };
    let mut ok = true;
    if let Some(role) = &raw.role {
        if role.is_empty() || !role.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            cx.error_with_hint(
                cx.value_at(file, &[base.clone(), keys(&["role"])].concat()),
                format!("role '{}' is not a role name", role.escape_debug()),
                "a role name takes ASCII letters, digits, '-', '_' and '.' (`CrmOpportunity-List`)",
            );
            ok = false;
        }
    }

    let mut path_params = Vec::new();
    for (wire, param) in &raw.path_params {
        let path = [base.clone(), keys(&["path_params", wire])].concat();
        match build_param(cx, symbols, file, &path, wire, param, None) {
            Some(mut param) => {
                if METHOD_LOCALS.contains(&param.rust.as_str()) {
                    cx.error_with_hint(
                        cx.key_at(file, &path),
                        format!(
                            "path parameter '{wire}' would become the argument '{}', a name the generated method uses itself",
                            param.rust
                        ),
                        "give it a `rust_name`",
                    );
                    ok = false;
                }
                if !is_path_type(&param.ty) {
                    let at = cx.value_at(file, &[path, keys(&["type"])].concat());
                    cx.error(at, format!("path parameter '{wire}' must be int32, int64, string or uuid"));
                    ok = false;
                }
                param.required = true;
                path_params.push(param);
            }
            None => ok = false,
        }
    }
    let path_at = cx.value_at(file, &[base.clone(), keys(&["path"])].concat());
    let path = parse_path(cx, &raw.path, &path_params, path_at);
    ok &= path.is_some();

    let (query_args, query) = build_query(cx, symbols, api, file, resource, name, raw)?;

    let body = match &raw.body {
        Some(_) if matches!(method, Method::Get | Method::Delete) => {
            let at = cx.key_at(file, &[base.clone(), keys(&["body"])].concat());
            cx.error(at, format!("a {} operation cannot have a body", method.as_str()));
            None
        }
        Some(raw_body) => {
            let kind = if method == Method::Post { BodyKind::Create } else { BodyKind::Update };
            let built = build_body(cx, symbols, models, inputs, file, name, kind, raw_body);
            ok &= built.is_some();
            built
        }
        None => None,
    };

    let answer_at = cx.value_at(file, &[base.clone(), keys(&["answer"])].concat());
    if raw.answer == BINARY_ANSWER && (method != Method::Get || raw.returns.is_some()) {
        cx.error(answer_at, "`answer: binary` is for GET operations, which answer bytes and return nothing else");
        return None;
    }
    let answer_type = if raw.answer == BINARY_ANSWER {
        Some(Type::Json)
    } else {
        resolve_type(cx, symbols, &[], &raw.answer, answer_at.clone())
    };
    let is_action = matches!((&answer_type, api), (Some(Type::Model(id, _)), Some(api)) if *id == api.action.model);
    let answer = match (answer_type, raw.returns) {
        (None, _) => None,
        (Some(_), Some(RawReturns::NewId)) if is_action => Some(Answer::NewId),
        (Some(_), Some(RawReturns::NewId)) => {
            let at = cx.value_at(file, &[base.clone(), keys(&["returns"])].concat());
            cx.error(at, "`returns: new_id` needs the action envelope as the answer");
            None
        }
        (Some(_), None) if raw.answer == BINARY_ANSWER => Some(Answer::Binary),
        (Some(_), None) if is_action => Some(Answer::Action),
        (Some(ty), None) => Some(Answer::Json(ty)),
    };
    ok &= answer.is_some();

    let operation = Operation {
        name: name.to_owned(),
        rust: raw.rust_name.clone().unwrap_or_else(|| naming::snake(name)),
        summary: raw.summary.clone(),
        description: raw.description.clone(),
        role: raw.role.clone(),
        method,
        path_template: raw.path.clone(),
        path: path?,
        path_params,
        query_args,
        query,
        body,
        answer: answer?,
        read_with: None,
        deprecated: super::types::deprecation(&raw.deprecated),
    };
    ok.then_some(operation)
}

/// The answer type of operations that answer bytes rather than JSON.
const BINARY_ANSWER: &str = "binary";

fn is_path_type(ty: &Type) -> bool {
    matches!(ty, Type::Int32 | Type::Int64 | Type::String | Type::Uuid)
}

/// Parses `/api/x/{id}` into segments, checking every `{name}` against the path parameters.
fn parse_path(
    cx: &mut Context<'_>,
    template: &str,
    params: &[Param],
    at: crate::diagnostic::Location,
) -> Option<Vec<PathSegment>> {
    if !template.starts_with('/') {
        cx.error(at, format!("path '{template}' must start with '/'"));
        return None;
    }
    if let Some((message, hint)) = super::path_problem(template) {
        cx.error_with_hint(at, message, hint);
        return None;
    }
    let mut segments = Vec::new();
    let mut used = vec![false; params.len()];
    let mut rest = template;
    let mut ok = true;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(open) => {
                if open > 0 {
                    segments.push(PathSegment::Literal(rest[..open].to_owned()));
                }
                let Some(close) = rest[open..].find('}') else {
                    cx.error(at.clone(), format!("path '{template}' has a '{{' with no '}}'"));
                    return None;
                };
                let name = &rest[open + 1..open + close];
                match params.iter().position(|param| param.wire == name) {
                    Some(index) => {
                        used[index] = true;
                        segments.push(PathSegment::Param(index));
                    }
                    None => {
                        cx.unknown(at.clone(), "path parameter", name, params.iter().map(|p| p.wire.as_str()));
                        ok = false;
                    }
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                if rest.contains('}') {
                    cx.error(at.clone(), format!("path '{template}' has a '}}' with no '{{'"));
                    return None;
                }
                segments.push(PathSegment::Literal(rest.to_owned()));
                rest = "";
            }
        }
    }
    for (param, used) in params.iter().zip(used) {
        if !used {
            cx.error(at.clone(), format!("path parameter '{}' does not appear in the path '{template}'", param.wire));
            ok = false;
        }
    }
    ok.then_some(segments)
}

/// Builds one parameter; `prefix` is put before the Rust name (`from_`, `to_`) for range filters.
pub(crate) fn build_param(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    file: usize,
    path: &[Step],
    wire: &str,
    raw: &RawParam,
    rust_override: Option<String>,
) -> Option<Param> {
    let rust = raw.rust_name.clone().or(rust_override).unwrap_or_else(|| naming::snake(wire));
    let key_at = cx.key_at(file, path);
    let ok = cx.check_identifier(key_at, &rust);
    // A short form (`Name: string`) has its type where the mapping would be.
    let type_at = cx.value_at(file, &[path.to_vec(), keys(&["type"])].concat());
    let ty = resolve_type(cx, symbols, &[], &raw.ty, type_at)?;
    ok.then(|| Param {
        wire: wire.to_owned(),
        rust,
        ty,
        required: raw.required,
        description: raw.description.clone(),
        range: None,
    })
}

type QueryParts = (Vec<Param>, Option<Query>);

fn build_query(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    api: Option<&Api>,
    file: usize,
    resource: &str,
    name: &str,
    raw: &RawOperation,
) -> Option<QueryParts> {
    let Some(query) = &raw.query else { return Some((Vec::new(), None)) };
    let base = keys(&["operations", name, "query"]);
    let mut params: Vec<(Param, Vec<Step>)> = Vec::new();
    let mut ok = true;
    let mut paging = None;
    if query.paged {
        let api = api?;
        paging = Some((api.paging.page, api.paging.size));
        let paged_at = [base.clone(), keys(&["paged"])].concat();
        params.extend(api.paging.params.iter().map(|param| (param.clone(), paged_at.clone())));
    }
    for (wire, param) in &query.params {
        let path = [base.clone(), keys(&["params", wire])].concat();
        match build_param(cx, symbols, file, &path, wire, param, None) {
            Some(param) => params.push((param, path)),
            None => ok = false,
        }
    }
    if let Some(filters) = &query.filters {
        for (field, param) in &filters.equal {
            let path = [base.clone(), keys(&["filters", "equal", field])].concat();
            let wire = format!("{}_{field}", filters.prefix);
            match build_param(cx, symbols, file, &path, &wire, param, Some(naming::snake(field))) {
                Some(param) => params.push((param, path)),
                None => ok = false,
            }
        }
        for (field, param) in &filters.range {
            let path = [base.clone(), keys(&["filters", "range", field])].concat();
            for (bound, range) in [("from", RangeBound::From), ("to", RangeBound::To)] {
                let wire = format!("{bound}_{}_{field}", filters.prefix);
                let rust = naming::safe_snake(format!("{bound}_{}", naming::snake(field).trim_start_matches("r#")));
                match build_param(cx, symbols, file, &path, &wire, param, Some(rust)) {
                    Some(mut param) => {
                        param.range = Some(range);
                        let what = match range {
                            RangeBound::From => "At or after",
                            RangeBound::To => "At or before",
                        };
                        param.description = Some(match &param.description {
                            Some(text) => format!("{what} this value (inclusive): {text}"),
                            None => format!("{what} this `{field}` (inclusive)."),
                        });
                        params.push((param, path.clone()));
                    }
                    None => ok = false,
                }
            }
        }
    }
    let mut seen_rust: HashMap<String, String> = HashMap::new();
    let mut seen_wire: HashMap<String, ()> = HashMap::new();
    for (param, path) in &params {
        let at = cx.key_at(file, path);
        if seen_wire.insert(param.wire.clone(), ()).is_some() {
            cx.error(at.clone(), format!("query parameter '{}' is declared twice", param.wire));
            ok = false;
        } else if let Some(first) = seen_rust.insert(param.rust.clone(), param.wire.clone()) {
            cx.error_with_hint(
                at.clone(),
                format!("query parameters '{first}' and '{}' both become '{}' in Rust", param.wire, param.rust),
                "give one of them a `rust_name`",
            );
            ok = false;
        }
        if param.required && METHOD_LOCALS.contains(&param.rust.as_str()) {
            cx.error_with_hint(
                at.clone(),
                format!(
                    "query parameter '{}' would become the argument '{}', a name the generated method uses itself",
                    param.wire, param.rust
                ),
                "give it a `rust_name`",
            );
            ok = false;
        } else if !param.required && param.rust == HANDLE_CONSTRUCTOR {
            cx.error_with_hint(
                at.clone(),
                format!("query parameter '{}' would become the setter 'new', which makes the query type", param.wire),
                "give it a `rust_name`",
            );
            ok = false;
        }
        if param.required && !is_argument_type(&param.ty) {
            cx.error(at, format!("required query parameter '{}' must be a scalar or a list of scalars", param.wire));
            ok = false;
        } else if !param.required && !is_optional_query_type(&param.ty) {
            cx.error(at, format!("optional query parameter '{}' must be a scalar or an enum", param.wire));
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let (args, optional): (Vec<Param>, Vec<Param>) =
        params.into_iter().map(|(param, _)| param).partition(|param| param.required);
    let query = (!optional.is_empty()).then(|| Query {
        rust: format!("{}{}Query", naming::camel(resource), naming::camel(name)),
        paging: paging.filter(|_| query.paged),
        params: optional,
    });
    Some((args, query))
}

fn is_optional_query_type(ty: &Type) -> bool {
    matches!(ty, Type::Enum(_)) || (is_argument_type(ty) && !matches!(ty, Type::List(_)))
}

fn is_argument_type(ty: &Type) -> bool {
    match ty {
        Type::Int32 | Type::Int64 | Type::Bool | Type::String | Type::Uuid | Type::Decimal | Type::DateTime => true,
        Type::List(item) => is_argument_type(item) && !matches!(**item, Type::List(_)),
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn build_body(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    models: &[Option<Model>],
    inputs: &[Input],
    file: usize,
    operation: &str,
    kind: BodyKind,
    raw: &crate::parse::RawBody,
) -> Option<Body> {
    let base = keys(&["operations", operation, "body"]);
    let (model_name, key) = match (&raw.model, &raw.input) {
        (Some(model), None) => (model, "model"),
        (None, Some(input)) => (input, "input"),
        _ => {
            let at = cx.key_at(file, &base);
            cx.error(
                at,
                "a body names either the `model` whose writable fields it carries or the model whose `input` it sends",
            );
            return None;
        }
    };
    let model_at = cx.value_at(file, &[base.clone(), keys(&[key])].concat());
    let Some((model_id, _)) = symbols.models.get(model_name) else {
        cx.unknown(model_at, "model", model_name, symbols.models.keys().map(String::as_str));
        return None;
    };
    let model = models[model_id.0].as_ref()?;
    if !model.type_params.is_empty() {
        cx.error(model_at, format!("a body cannot be built from the generic model '{}'", model.name));
        return None;
    }
    if raw.input.is_some() {
        let Some(input) = model.input else {
            cx.error_with_hint(
                model_at,
                format!("model '{}' has no `input` for the body to send", model.name),
                "declare `input:` on the model, or name it with `model:` for a body type of the operation's own",
            );
            return None;
        };
        let shared = &inputs[input.0];
        return Some(Body {
            rust: shared.rust.clone(),
            model: *model_id,
            kind,
            description: raw.description.clone(),
            fields: shared.fields.clone(),
            shared: Some(input),
        });
    }
    let mut ok = true;
    let mut check_names = |cx: &mut Context<'_>, list: &str, names: &[String]| {
        for (index, wire) in names.iter().enumerate() {
            if !model.fields.iter().any(|field| field.wire == *wire) {
                let at = cx.value_at(file, &[base.clone(), keys(&[list]), vec![Step::Index(index)]].concat());
                cx.unknown_field(at, &model.name, wire, model.fields.iter().map(|f| f.wire.as_str()));
                ok = false;
            }
        }
    };
    check_names(cx, "include", &raw.include);
    check_names(cx, "required", &raw.required);
    let mut fields = Vec::new();
    for (index, field) in model.fields.iter().enumerate() {
        let included = field.write.in_body(kind) || raw.include.contains(&field.wire);
        let required = raw.required.contains(&field.wire);
        if required && !included {
            let position = raw.required.iter().position(|wire| *wire == field.wire).unwrap_or(0);
            let at = cx.value_at(file, &[base.clone(), keys(&["required"]), vec![Step::Index(position)]].concat());
            let (why, hint) = match field.write {
                WriteMode::CreateOnly => ("create-only, so an update body", "remove it from this body's `required`"),
                WriteMode::UpdateOnly => ("update-only, so a create body", "remove it from this body's `required`"),
                _ => ("read-only, so the body", "add it to `include`"),
            };
            cx.error_with_hint(at, format!("required field '{}' is {why} does not carry it", field.wire), hint);
            ok = false;
        }
        if included && super::inputs::holds_model(&field.ty) && input_of(models, field).is_none() {
            let at = cx.key_at(file, &keys(&["models", &model.name, "fields", &field.wire]));
            cx.error_with_hint(
                at,
                format!("the body of '{operation}' carries '{}', a model, which has no request-shaped `input`", field.wire),
                "declare the children's writable fields with `input: { fields: [..] }` on the field, or make it `write: read_only`",
            );
            ok = false;
        }
        if included {
            fields.push(BodyField { field: index, required });
        }
    }
    // Required fields come first, in the order the spec lists them: that is the order of the
    // constructor's arguments, so the spec decides it rather than the model's layout.
    fields.sort_by_key(|body_field| {
        let wire = &model.fields[body_field.field].wire;
        raw.required.iter().position(|required| required == wire).unwrap_or(usize::MAX)
    });
    let rust = raw.name.clone().unwrap_or_else(|| format!("{}{}", model.rust, naming::camel(operation)));
    let name_at = cx.value_at(file, &[base, keys(&["name"])].concat());
    ok &= cx.check_identifier(name_at, &rust);
    ok.then(|| Body { rust, model: *model_id, kind, description: raw.description.clone(), fields, shared: None })
}

/// The input type a body sends for a field that holds models: the field's own (inline
/// children), else its model's.
pub(crate) fn input_of(models: &[Option<Model>], field: &crate::ir::Field) -> Option<InputId> {
    field.input.or_else(|| {
        let element = match &field.ty {
            Type::Model(id, _) => *id,
            Type::List(item) => match &**item {
                Type::Model(id, _) => *id,
                _ => return None,
            },
            _ => return None,
        };
        models[element.0].as_ref().and_then(|model| model.input)
    })
}
