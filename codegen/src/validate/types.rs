//! Enums, models and type expressions such as `list<Page<CrmOpportunity>>`.

use std::collections::{HashMap, HashSet};

use super::{keys, Context, Symbols};
use crate::diagnostic::Location;
use crate::ir::{Enum, EnumId, EnumRepr, EnumValue, Field, Model, ModelId, Type, Variant};
use crate::naming;
use crate::parse::{ParsedFile, RawEnumValue};
use crate::positions::Step;

/// Type names the spec language has built in.
pub const BUILTIN_TYPES: &[&str] =
    &["int32", "int64", "decimal", "bool", "string", "date-time", "uuid", "json", "list"];

/// Registers every enum and model name, reporting names declared twice.
pub(crate) fn collect_symbols(cx: &mut Context<'_>) -> Symbols {
    let mut symbols =
        Symbols { enums: HashMap::new(), models: HashMap::new(), enum_order: Vec::new(), model_order: Vec::new() };
    let mut first_place: HashMap<String, Location> = HashMap::new();
    for (file, parsed) in cx.files.iter().enumerate() {
        for name in parsed.content.enums.keys() {
            let location = cx.key_at(file, &keys(&["enums", name]));
            if let Some(first) = first_place.get(name) {
                cx.error(location, format!("'{name}' is already declared at {first}"));
                continue;
            }
            first_place.insert(name.clone(), location);
            symbols.enums.insert(name.clone(), (EnumId(symbols.enum_order.len()), file));
            symbols.enum_order.push((file, name.clone()));
        }
        for name in parsed.content.models.keys() {
            let location = cx.key_at(file, &keys(&["models", name]));
            if let Some(first) = first_place.get(name) {
                cx.error(location, format!("'{name}' is already declared at {first}"));
                continue;
            }
            first_place.insert(name.clone(), location);
            symbols.models.insert(name.clone(), (ModelId(symbols.model_order.len()), file));
            symbols.model_order.push((file, name.clone()));
        }
    }
    symbols
}

pub(crate) fn enum_rust_name(file: &ParsedFile, name: &str) -> String {
    file.content.enums[name].rust_name.clone().unwrap_or_else(|| naming::enum_type(name))
}

pub(crate) fn model_rust_name(file: &ParsedFile, name: &str) -> String {
    file.content.models[name].rust_name.clone().unwrap_or_else(|| naming::camel(name))
}

/// Builds every enum; `None` stands for one with problems (already reported).
pub(crate) fn build_enums(cx: &mut Context<'_>, symbols: &Symbols) -> Vec<Option<Enum>> {
    symbols.enum_order.iter().map(|(file, name)| build_enum(cx, *file, name)).collect()
}

fn build_enum(cx: &mut Context<'_>, file: usize, name: &str) -> Option<Enum> {
    let raw = &cx.files[file].content.enums[name];
    let base = keys(&["enums", name]);
    let rust = enum_rust_name(&cx.files[file], name);
    let mut ok = cx.check_identifier(cx.key_at(file, &base), &rust);
    if raw.variants.is_empty() {
        cx.error(
            cx.key_at(file, &[base.clone(), keys(&["variants"])].concat()),
            format!("enum '{name}' has no variants"),
        );
        return None;
    }
    let repr = match raw.variants[0].value {
        RawEnumValue::Integer(_) => EnumRepr::Integer,
        RawEnumValue::String(_) => EnumRepr::String,
    };
    let mut variants = Vec::new();
    let mut values: HashMap<EnumValue, String> = HashMap::new();
    let mut rust_names: HashMap<String, String> = HashMap::new();
    for (index, variant) in raw.variants.iter().enumerate() {
        let path = [base.clone(), keys(&["variants"]), vec![Step::Index(index)]].concat();
        let value = match &variant.value {
            RawEnumValue::Integer(value) => EnumValue::Integer(*value),
            RawEnumValue::String(value) => EnumValue::String(value.clone()),
        };
        let value_at = cx.value_at(file, &[path.clone(), keys(&["value"])].concat());
        if matches!(value, EnumValue::Integer(_)) != (repr == EnumRepr::Integer) {
            cx.error(value_at.clone(), format!("enum '{name}' mixes integer and string values"));
            ok = false;
        }
        if let Some(first) = values.insert(value.clone(), variant.name.clone()) {
            cx.error(
                value_at,
                format!("value {} of '{}' is already used by '{first}'", show_value(&value), variant.name),
            );
            ok = false;
        }
        let variant_rust = variant.rust_name.clone().unwrap_or_else(|| naming::camel(&variant.name));
        let name_at = cx.value_at(file, &[path, keys(&["name"])].concat());
        ok &= cx.check_identifier(name_at.clone(), &variant_rust);
        if raw.open && variant_rust == "Unknown" {
            cx.error_with_hint(
                name_at.clone(),
                format!(
                    "variant '{}' of open enum '{name}' collides with the variant that keeps unknown values",
                    variant.name
                ),
                "give it another `rust_name`",
            );
            ok = false;
        }
        if let Some(first) = rust_names.insert(variant_rust.clone(), variant.name.clone()) {
            let message = if first == variant.name {
                format!("variant '{first}' is declared twice")
            } else {
                format!("variants '{first}' and '{}' both become '{variant_rust}' in Rust", variant.name)
            };
            cx.error(name_at, message);
            ok = false;
        }
        variants.push(Variant {
            name: variant.name.clone(),
            rust: variant_rust,
            value,
            description: variant.description.clone(),
            deprecated: deprecation(&variant.deprecated),
        });
    }
    ok.then(|| Enum {
        name: name.to_owned(),
        rust,
        description: raw.description.clone(),
        open: raw.open,
        repr,
        variants,
    })
}

fn show_value(value: &EnumValue) -> String {
    match value {
        EnumValue::Integer(value) => value.to_string(),
        EnumValue::String(value) => format!("{value:?}"),
    }
}

/// Builds every model; `None` stands for one with problems (already reported).
pub(crate) fn build_models(cx: &mut Context<'_>, symbols: &Symbols) -> Vec<Option<Model>> {
    symbols.model_order.iter().map(|(file, name)| build_model(cx, symbols, *file, name)).collect()
}

pub(crate) fn build_model(cx: &mut Context<'_>, symbols: &Symbols, file: usize, name: &str) -> Option<Model> {
    let raw = &cx.files[file].content.models[name];
    let base = keys(&["models", name]);
    let rust = model_rust_name(&cx.files[file], name);
    let mut ok = cx.check_identifier(cx.key_at(file, &base), &rust);
    let mut type_params = Vec::new();
    for (index, param) in raw.type_params.iter().enumerate() {
        let at = cx.value_at(file, &[base.clone(), keys(&["type_params"]), vec![Step::Index(index)]].concat());
        if BUILTIN_TYPES.contains(&param.as_str())
            || symbols.enums.contains_key(param)
            || symbols.models.contains_key(param)
        {
            cx.error(at, format!("type parameter '{param}' shadows a type of the same name"));
            ok = false;
        } else if naming::camel(param) != *param {
            cx.error(at, format!("type parameter '{param}' must be UpperCamelCase"));
            ok = false;
        } else if !cx.check_identifier(at.clone(), param) {
            ok = false;
        } else if let Some(reason) = super::taken_type_name(param) {
            cx.error(at, format!("type parameter '{param}' would shadow {reason}"));
            ok = false;
        }
        type_params.push(param.clone());
    }
    if raw.fields.is_empty() {
        cx.error(cx.key_at(file, &[base.clone(), keys(&["fields"])].concat()), format!("model '{name}' has no fields"));
        ok = false;
    }
    let mut fields = Vec::new();
    let mut rust_names: HashMap<String, String> = HashMap::new();
    for (wire, field) in &raw.fields {
        let path = [base.clone(), keys(&["fields", wire])].concat();
        let field_rust = match &field.rust_name {
            Some(rust_name) => rust_name.clone(),
            None => naming::snake(wire),
        };
        let key_at = cx.key_at(file, &path);
        ok &= cx.check_identifier(key_at.clone(), &field_rust);
        if field_rust == "new" {
            cx.error_with_hint(
                key_at.clone(),
                format!("field '{wire}' would become 'new', the name of the constructor of request types, whose setters are named by field"),
                "give it a `rust_name`",
            );
            ok = false;
        }
        if field_rust == super::UNKNOWN_FIELDS {
            cx.error_with_hint(
                key_at.clone(),
                format!("field '{wire}' would become '{field_rust}', the field that keeps what the spec does not list"),
                "give it another `rust_name`",
            );
            ok = false;
        }
        if let Some(first) = rust_names.insert(field_rust.clone(), wire.clone()) {
            cx.error_with_hint(
                key_at,
                format!("fields '{first}' and '{wire}' both become '{field_rust}' in Rust"),
                "give one of them a `rust_name`",
            );
            ok = false;
        }
        let type_at = cx.value_at(file, &[path, keys(&["type"])].concat());
        let ty = resolve_type(cx, symbols, &type_params, &field.ty, type_at);
        ok &= ty.is_some();
        fields.push(Field {
            wire: wire.clone(),
            rust: field_rust,
            ty: ty.unwrap_or(Type::Json),
            required: field.required,
            nullable: field.nullable.unwrap_or(false),
            write: write_mode(field.write),
            get_only: field.get_only,
            input: None,
            description: field.description.clone(),
            deprecated: deprecation(&field.deprecated),
        });
    }
    ok.then(|| Model {
        name: name.to_owned(),
        rust,
        description: raw.description.clone(),
        type_params,
        fields,
        input: None,
    })
}

/// The IR's write mode of a spec field.
fn write_mode(raw: crate::parse::RawWrite) -> crate::ir::WriteMode {
    use crate::ir::WriteMode;
    use crate::parse::RawWrite;
    match raw {
        RawWrite::ReadWrite => WriteMode::ReadWrite,
        RawWrite::ReadOnly => WriteMode::ReadOnly,
        RawWrite::CreateOnly => WriteMode::CreateOnly,
        RawWrite::UpdateOnly => WriteMode::UpdateOnly,
        RawWrite::WriteOnly => WriteMode::WriteOnly,
    }
}

/// Parses and resolves a type expression, reporting problems at `at`.
pub(crate) fn resolve_type(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    type_params: &[String],
    text: &str,
    at: Location,
) -> Option<Type> {
    let tokens = tokenize(text);
    let mut parser = TypeParser { tokens: &tokens, position: 0, depth: 0, too_deep: false };
    let expression = parser.expression();
    if parser.too_deep {
        cx.error(at, format!("the type '{}' nests generics more than {MAX_TYPE_NESTING} deep", shortened(text)));
        return None;
    }
    let Some(expression) = expression.filter(|_| parser.position == tokens.len()) else {
        cx.error_with_hint(
            at,
            format!("cannot read the type '{text}'"),
            "write a name such as `int64` or `list<CrmOpportunity>`",
        );
        return None;
    };
    resolve_expression(cx, symbols, type_params, &expression, &at)
}

/// A parsed type expression: a name with optional arguments.
struct Expression {
    name: String,
    arguments: Vec<Expression>,
}

fn resolve_expression(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    type_params: &[String],
    expression: &Expression,
    at: &Location,
) -> Option<Type> {
    let name = expression.name.as_str();
    let arity = |cx: &mut Context<'_>, expected: usize| {
        if expression.arguments.len() == expected {
            true
        } else {
            cx.error(
                at.clone(),
                format!("'{name}' takes {expected} type argument(s), not {}", expression.arguments.len()),
            );
            false
        }
    };
    let scalar = match name {
        "int32" => Some(Type::Int32),
        "int64" => Some(Type::Int64),
        "decimal" => Some(Type::Decimal),
        "bool" => Some(Type::Bool),
        "string" => Some(Type::String),
        "date-time" => Some(Type::DateTime),
        "uuid" => Some(Type::Uuid),
        "json" => Some(Type::Json),
        _ => None,
    };
    if let Some(scalar) = scalar {
        return arity(cx, 0).then_some(scalar);
    }
    if name == "list" {
        if !arity(cx, 1) {
            return None;
        }
        let item = resolve_expression(cx, symbols, type_params, &expression.arguments[0], at)?;
        return Some(Type::List(Box::new(item)));
    }
    if let Some(index) = type_params.iter().position(|param| param == name) {
        return arity(cx, 0).then_some(Type::Param(index));
    }
    if let Some((id, _)) = symbols.enums.get(name) {
        return arity(cx, 0).then_some(Type::Enum(*id));
    }
    if let Some((id, file)) = symbols.models.get(name) {
        let expected = cx.files[*file].content.models[name].type_params.len();
        if !arity(cx, expected) {
            return None;
        }
        let mut arguments = Vec::new();
        for argument in &expression.arguments {
            arguments.push(resolve_expression(cx, symbols, type_params, argument, at)?);
        }
        return Some(Type::Model(*id, arguments));
    }
    let is_enum = name.starts_with('e') && name.chars().nth(1).is_some_and(|c| c.is_ascii_uppercase());
    let what = if is_enum { "enum" } else { "type" };
    let hint = unknown_type_hint(cx, symbols, type_params, name, is_enum);
    cx.error_with_hint(at.clone(), format!("unknown {what} '{name}'"), hint);
    None
}

/// How many declared names a hint lists before it only counts the rest.
const LISTED_NAMES: usize = 30;

/// What an unknown type name could have been: the close one where there is one, else every
/// type the spec knows: the built-ins, the type parameters in scope, the enums and models
/// declared (a generic model with its parameters, `Page<T>`). An enum-like name (`eX`) lists
/// the enums only.
fn unknown_type_hint(cx: &Context<'_>, symbols: &Symbols, type_params: &[String], name: &str, is_enum: bool) -> String {
    let builtins = BUILTIN_TYPES.iter().map(|builtin| if *builtin == "list" { "list<T>" } else { builtin });
    let builtins = builtins.collect::<Vec<_>>().join(", ");
    let candidates = BUILTIN_TYPES
        .iter()
        .copied()
        .chain(symbols.enums.keys().map(String::as_str))
        .chain(symbols.models.keys().map(String::as_str))
        .chain(type_params.iter().map(String::as_str));
    if let Some(close) = crate::diagnostic::did_you_mean(name, candidates) {
        return match is_enum {
            true => format!("did you mean '{close}'?"),
            false => format!("did you mean '{close}'? (built-in types: {builtins})"),
        };
    }
    let mut declared: Vec<String> = symbols.enums.keys().cloned().collect();
    if is_enum {
        declared.sort();
        return match declared.is_empty() {
            true => "the spec declares no enum".to_owned(),
            false => format!("the spec declares the enums {}", listed(&declared)),
        };
    }
    declared.extend(symbols.models.iter().map(|(model, (_, file))| {
        let params = &cx.files[*file].content.models[model].type_params;
        match params.is_empty() {
            true => model.clone(),
            false => format!("{model}<{}>", params.join(", ")),
        }
    }));
    declared.sort();
    let mut hint = format!("the built-in types are {builtins}");
    if !type_params.is_empty() {
        hint.push_str(&format!("; the model's type parameters are {}", type_params.join(", ")));
    }
    if !declared.is_empty() {
        hint.push_str(&format!("; the spec declares {}", listed(&declared)));
    }
    hint
}

/// Names joined by commas, the first [`LISTED_NAMES`] of them and then how many more.
fn listed(names: &[String]) -> String {
    let shown = names[..names.len().min(LISTED_NAMES)].join(", ");
    match names.len().saturating_sub(LISTED_NAMES) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            current.push(c);
        } else {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// How deep generic type expressions may nest (`list<list<int32>>` is 2); deeper ones are
/// refused before they cost the parser its stack or rustc its recursion limit.
pub const MAX_TYPE_NESTING: usize = 8;

/// How deep models may hold models, directly or through lists; rustc's trait checks recurse
/// through every level and overflow well before 200.
pub const MAX_MODEL_NESTING: usize = 16;

/// The start of a long text, to quote in a message.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

struct TypeParser<'a> {
    tokens: &'a [String],
    position: usize,
    depth: usize,
    too_deep: bool,
}

impl TypeParser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.position).map(String::as_str)
    }

    fn expression(&mut self) -> Option<Expression> {
        let name =
            self.peek().filter(|token| token.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'))?.to_owned();
        self.position += 1;
        let mut arguments = Vec::new();
        if self.peek() == Some("<") {
            self.position += 1;
            self.depth += 1;
            if self.depth > MAX_TYPE_NESTING {
                self.too_deep = true;
                return None;
            }
            loop {
                arguments.push(self.expression()?);
                match self.peek() {
                    Some(",") => self.position += 1,
                    Some(">") => {
                        self.position += 1;
                        self.depth -= 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        Some(Expression { name, arguments })
    }
}

/// Reports models that contain themselves other than through a list: such a type has no size.
pub(crate) fn check_cycles(cx: &mut Context<'_>, symbols: &Symbols, models: &[Option<Model>]) {
    let edges: Vec<Vec<(ModelId, String)>> = models
        .iter()
        .map(|model| {
            let mut out = Vec::new();
            for field in model.iter().flat_map(|model| &model.fields) {
                direct_models(&field.ty, &mut |id| out.push((id, field.wire.clone())));
            }
            out
        })
        .collect();
    let mut reported = HashSet::new();
    for start in 0..models.len() {
        let mut stack = vec![(ModelId(start), Vec::<(ModelId, String)>::new())];
        let mut visited = HashSet::new();
        while let Some((node, trail)) = stack.pop() {
            for (next, field) in &edges[node.0] {
                let mut trail = trail.clone();
                trail.push((node, field.clone()));
                if next.0 == start {
                    let mut members: Vec<usize> = trail.iter().map(|(id, _)| id.0).collect();
                    members.sort_unstable();
                    if reported.insert(members) {
                        let (file, name) = &symbols.model_order[start];
                        let chain: Vec<String> = trail
                            .iter()
                            .map(|(id, field)| format!("{}.{field}", symbols.model_order[id.0].1))
                            .collect();
                        let at = cx.key_at(*file, &keys(&["models", name, "fields", &trail[0].1]));
                        cx.error_with_hint(
                            at,
                            format!("model '{name}' contains itself through {}", chain.join(" -> ")),
                            "break the cycle with a list or an id field",
                        );
                    }
                } else if visited.insert(*next) {
                    stack.push((*next, trail));
                }
            }
        }
    }
}

/// Reports models that hold models more than [`MAX_MODEL_NESTING`] deep, directly or through
/// lists, once per chain, at the model where the chain passes the limit. The walk keeps its own
/// stack, so that a chain of any length costs no native stack.
pub(crate) fn check_nesting(cx: &mut Context<'_>, symbols: &Symbols, models: &[Option<Model>]) {
    let edges: Vec<Vec<ModelId>> = models
        .iter()
        .map(|model| {
            let mut out = Vec::new();
            for field in model.iter().flat_map(|model| &model.fields) {
                held_models(&field.ty, &mut |id| out.push(id));
            }
            out
        })
        .collect();
    let mut depth: Vec<Option<usize>> = vec![None; models.len()];
    let mut on_stack = vec![false; models.len()];
    for start in 0..models.len() {
        if depth[start].is_some() {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        on_stack[start] = true;
        while let Some((node, next_edge)) = stack.last_mut() {
            let node = *node;
            if let Some(child) = edges[node].get(*next_edge) {
                *next_edge += 1;
                if depth[child.0].is_none() && !on_stack[child.0] {
                    on_stack[child.0] = true;
                    stack.push((child.0, 0));
                }
            } else {
                // A model still on the stack is held through a list (a cycle): it adds no depth.
                let deepest = edges[node].iter().filter_map(|child| depth[child.0]).max().unwrap_or(0);
                depth[node] = Some(deepest + 1);
                on_stack[node] = false;
                stack.pop();
            }
        }
    }
    for (index, level) in depth.iter().enumerate() {
        if *level == Some(MAX_MODEL_NESTING + 1) {
            let (file, name) = &symbols.model_order[index];
            let at = cx.key_at(*file, &keys(&["models", name]));
            cx.error_with_hint(
                at,
                format!("model '{name}' holds models more than {MAX_MODEL_NESTING} levels deep"),
                "hold a deep part by id, or as `json`",
            );
        }
    }
}

/// Every model a type holds, by value or inside lists.
fn held_models(ty: &Type, found: &mut impl FnMut(ModelId)) {
    match ty {
        Type::Model(id, arguments) => {
            found(*id);
            for argument in arguments {
                held_models(argument, found);
            }
        }
        Type::List(item) => held_models(item, found),
        _ => {}
    }
}

/// Models a type holds by value (not inside a list).
fn direct_models(ty: &Type, found: &mut impl FnMut(ModelId)) {
    if let Type::Model(id, arguments) = ty {
        found(*id);
        for argument in arguments {
            direct_models(argument, found);
        }
    }
}

/// What `deprecated:` says: nothing for `false`, a deprecation with or without a note otherwise.
pub(crate) fn deprecation(raw: &Option<crate::parse::RawDeprecated>) -> Option<crate::ir::Deprecation> {
    match raw {
        None | Some(crate::parse::RawDeprecated::Flag(false)) => None,
        Some(crate::parse::RawDeprecated::Flag(true)) => Some(crate::ir::Deprecation { note: None }),
        Some(crate::parse::RawDeprecated::Note(note)) => Some(crate::ir::Deprecation { note: Some(note.clone()) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(count: usize, expected_end: &str) {
        let names: Vec<String> = (0..count).map(|index| format!("M{index:02}")).collect();
        let text = listed(&names);
        assert!(text.ends_with(expected_end), "{text}");
    }

    #[test]
    fn long_lists_of_names_are_cut_and_counted() {
        check(3, "M00, M01, M02");
        check(LISTED_NAMES, &format!("M{:02}", LISTED_NAMES - 1));
        check(LISTED_NAMES + 12, &format!("M{:02} and 12 more", LISTED_NAMES - 1));
    }
}
