//! Resource conventions: writes out what `api.conventions` says once for every resource. Each
//! resource file gets the operation templates it names (with `{Entity}`, `{path}`, `{label}` and
//! `{labels}` filled in), its record gets the base fields, and its list gets the filters its
//! fields imply. Validation then sees every operation written out, as if the file had said it,
//! and problems still point into the resource file.

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::diagnostic::{Diagnostics, Location};
use crate::naming;
use crate::parse::{
    ParsedFile, RawConventions, RawField, RawFile, RawInput, RawModel, RawOperation, RawParam, RawResource, RawWrite,
    SourceFile,
};
use crate::positions::{PositionIndex, Step};

/// Applies the conventions of the spec's `api` section to every resource file, and the spec's
/// default of `nullable` to every field that does not say.
pub fn expand(files: &mut [ParsedFile], diagnostics: &mut Diagnostics) {
    let conventions = files.iter().find_map(|file| file.content.api.as_ref().and_then(|api| api.conventions.clone()));
    let nullable_default = conventions.as_ref().is_some_and(|conventions| conventions.nullable);
    let enums: HashSet<String> = files.iter().flat_map(|file| file.content.enums.keys().cloned()).collect();
    // Rust names a derived filter may not take: the paging parameters every list has.
    let reserved: HashSet<String> = files
        .iter()
        .filter_map(|file| file.content.api.as_ref())
        .flat_map(|api| api.paging.params.iter())
        .map(|(wire, param)| param.rust_name.clone().unwrap_or_else(|| naming::snake(wire)))
        .collect();
    let known = Known { enums, reserved };
    for file in files.iter_mut() {
        match &conventions {
            Some(conventions) => expand_file(file, conventions, &known, diagnostics),
            None => refuse_convention_keys(file, diagnostics),
        }
        // The facts of resources are often silent about null; shared types are described exactly.
        let default = nullable_default && file.content.resource.is_some();
        for model in file.content.models.values_mut() {
            for field in model.fields.values_mut() {
                field.nullable.get_or_insert(default);
            }
        }
    }
}

/// The name of the resource [`placeholder_resource`] makes, unless the spec uses it already.
const PLACEHOLDER: &str = "Entity";

/// A resource that has every operation template of the conventions, written out as [`expand`]
/// writes out a real resource's, and a record of the base fields. Checking it checks what the
/// templates and base fields say themselves, once rather than once per resource, and its
/// positions point into `api.yaml`, at the template or base field each part comes from.
///
/// The record also has the fields template bodies name (`required: [Id, Name]`), as fields every
/// answer carries, and each type a template names from `{Entity}` (`{Entity}Summary`) is a
/// model like it: what only some resources have is checked with those resources. `None` when the
/// spec declares no templates.
pub fn placeholder_resource(files: &[ParsedFile]) -> Option<ParsedFile> {
    let api_file = files.iter().find(|file| file.content.api.as_ref().is_some_and(|api| api.conventions.is_some()))?;
    let conventions = api_file.content.api.as_ref()?.conventions.as_ref()?;
    if conventions.templates.is_empty() {
        return None;
    }
    let taken: HashSet<&str> = files
        .iter()
        .flat_map(|file| file.content.models.keys().chain(file.content.enums.keys()))
        .map(String::as_str)
        .collect();
    let name = (1..)
        .map(|number| if number == 1 { PLACEHOLDER.to_owned() } else { format!("{PLACEHOLDER}{number}") })
        .find(|candidate| !taken.contains(candidate.as_str()))?;
    // `/api/area/collection`: a path that reads as the pattern it stands for.
    let words =
        Placeholders::new(&name, conventions.path.replace("{area}", "area").replace("{collection}", "collection"));
    let operations: IndexMap<String, RawOperation> = conventions
        .templates
        .iter()
        .map(|(template, operation)| (template.clone(), words.fill_operation(operation)))
        .collect();

    let mut fields = conventions.base_fields.clone();
    let named = operations
        .values()
        .flat_map(|operation| operation.body.iter())
        .flat_map(|body| body.include.iter().chain(&body.required));
    for wire in named {
        if !fields.contains_key(wire) {
            let always =
                RawField { ty: "string".to_owned(), required: true, nullable: Some(false), ..RawField::default() };
            fields.insert(wire.clone(), always);
        }
    }
    if fields.is_empty() {
        // A model has at least one field; a resource's record always has its own.
        fields.insert("Name".to_owned(), RawField { ty: "string".to_owned(), ..RawField::default() });
    }
    for field in fields.values_mut() {
        field.nullable.get_or_insert(conventions.nullable);
    }
    let record = |input: bool| RawModel {
        rust_name: None,
        description: None,
        type_params: Vec::new(),
        fields: fields.clone(),
        input: input.then(RawInput::default),
    };
    let mut made: IndexMap<String, bool> = IndexMap::from([(name.clone(), false)]);
    for template in conventions.templates.values() {
        for text in type_texts(template) {
            for word in entity_words(text) {
                made.entry(words.fill(word)).or_insert(false);
            }
        }
        if let Some(input) = template.body.as_ref().and_then(|body| body.input.as_deref()) {
            if let Some(sends) = made.get_mut(&words.fill(input)) {
                *sends = true;
            }
        }
    }
    let models = made.into_iter().map(|(model, input)| (model, record(input))).collect();

    let mut positions = PositionIndex::default();
    let conventions_path = path(&["api", "conventions"]);
    positions.alias_key(Vec::new(), api_file.positions.key(&conventions_path));
    positions.copy_subtree(
        &api_file.positions,
        &[conventions_path.clone(), path(&["templates"])].concat(),
        &path(&["operations"]),
    );
    positions.copy_subtree(
        &api_file.positions,
        &[conventions_path.clone(), path(&["base_fields"])].concat(),
        &path(&["models", &name, "fields"]),
    );
    positions.alias_key(
        path(&["models", &name]),
        api_file.positions.key(&[conventions_path, path(&["base_fields"])].concat()),
    );

    let resource = RawResource {
        name,
        accessor: None,
        description: None,
        collection: None,
        operations: None,
        required: IndexMap::new(),
        filters: None,
    };
    let content = RawFile { api: None, resource: Some(resource), enums: IndexMap::new(), models, operations };
    let source = SourceFile { text: String::new(), ..api_file.source.clone() };
    Some(ParsedFile { source, content, positions })
}

/// The type expressions and model names of a template, before `{Entity}` is filled in.
fn type_texts(template: &RawOperation) -> Vec<&str> {
    let mut texts = vec![template.answer.as_str()];
    let params = template.path_params.values().chain(template.query.iter().flat_map(|query| {
        let filters = query.filters.iter().flat_map(|filters| filters.equal.values().chain(filters.range.values()));
        query.params.values().chain(filters)
    }));
    texts.extend(params.map(|param| param.ty.as_str()));
    if let Some(body) = &template.body {
        texts.extend(body.model.as_deref());
        texts.extend(body.input.as_deref());
    }
    texts
}

/// The names in a type expression that hold `{Entity}` (`{Entity}`, `{Entity}Summary`).
fn entity_words(text: &str) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '{' || c == '}';
    text.split(|c: char| !is_word(c)).filter(|word| word.contains("{Entity}")).collect()
}

/// The keys that only make sense with conventions, in a spec that has none.
fn refuse_convention_keys(file: &ParsedFile, diagnostics: &mut Diagnostics) {
    let Some(resource) = &file.content.resource else { return };
    let keys = [
        ("operations", resource.operations.is_some()),
        ("collection", resource.collection.is_some()),
        ("required", !resource.required.is_empty()),
        ("filters", resource.filters.is_some()),
    ];
    for (key, present) in keys {
        if present {
            diagnostics.push_with_hint(
                key_location(file, &path(&["resource", key])),
                format!("`resource.{key}` needs operation templates, and the spec declares none"),
                "declare them under `api.conventions` in api.yaml",
            );
        }
    }
}

/// What expansion needs to know of the whole spec.
struct Known {
    enums: HashSet<String>,
    reserved: HashSet<String>,
}

fn expand_file(file: &mut ParsedFile, conventions: &RawConventions, known: &Known, diagnostics: &mut Diagnostics) {
    let Some(resource) = file.content.resource.clone() else { return };
    let name = resource.name.clone();
    let listed = resource.operations.is_some();
    let templates: Vec<String> = resource.operations.clone().unwrap_or_else(|| conventions.default.clone());
    let mut ok = true;
    for (index, template) in templates.iter().enumerate() {
        if !conventions.templates.contains_key(template) {
            let at = value_location(file, &[path(&["resource", "operations"]), vec![Step::Index(index)]].concat());
            let message = format!("unknown operation template '{template}'");
            match crate::diagnostic::did_you_mean(template, conventions.templates.keys().map(String::as_str)) {
                Some(close) => diagnostics.push_with_hint(at, message, format!("did you mean '{close}'?")),
                None => diagnostics.push_with_hint(
                    at,
                    message,
                    format!(
                        "the templates are {}",
                        conventions.templates.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
                    ),
                ),
            }
            ok = false;
        }
    }
    for (template, _) in &resource.required {
        if !templates.contains(template) {
            let at = key_location(file, &path(&["resource", "required", template]));
            diagnostics.push(
                at,
                format!("`required` names '{template}', which is not an operation template of this resource"),
            );
            ok = false;
        }
    }
    for explicit in file.content.operations.keys() {
        if templates.contains(explicit) {
            let at = key_location(file, &path(&["operations", explicit]));
            let hint = if listed {
                "remove it from `resource.operations` to write it out here"
            } else {
                "list the templates the resource has in `resource.operations`, without this one"
            };
            diagnostics.push_with_hint(
                at,
                format!("operation '{explicit}' is also an operation template this resource has"),
                hint,
            );
            ok = false;
        }
    }
    if !ok {
        return;
    }
    let uses_path = file.content.operations.values().any(|operation| operation.path.contains("{path}"));
    if templates.is_empty() && !uses_path {
        return;
    }
    let Some(area) = area_of(file) else {
        let at = key_location(file, &path(&["resource"]));
        diagnostics.push_with_hint(
            at,
            "a resource outside an area folder cannot take operation templates: their path names the area",
            "move the file into spec/<area>/",
        );
        return;
    };
    let collection = resource.collection.clone().unwrap_or_else(|| naming::plural_camel(&name).to_ascii_lowercase());
    let collection_path = conventions.path.replace("{area}", &area).replace("{collection}", &collection);
    for operation in file.content.operations.values_mut() {
        operation.path = operation.path.replace("{path}", &collection_path);
    }
    if templates.is_empty() {
        return;
    }
    if !file.content.models.contains_key(&name) {
        let at = value_location(file, &path(&["resource", "name"]));
        diagnostics.push_with_hint(
            at,
            format!("resource '{name}' has no model '{name}' for its operation templates to read and write"),
            format!("declare its record under `models: {name}:` in this file"),
        );
        return;
    }

    // The record gets the base fields it does not declare itself, after its own.
    let record_at = key_location_at(file, &path(&["models", &name]));
    let record = file.content.models.get_mut(&name).expect("checked above");
    for (wire, field) in &conventions.base_fields {
        if !record.fields.contains_key(wire) {
            record.fields.insert(wire.clone(), field.clone());
            file.positions.alias_key(path(&["models", &name, "fields", wire]), record_at);
        }
    }

    let words = Placeholders::new(&name, collection_path);
    let record_fields = file.content.models[&name].fields.clone();
    let mut operations = IndexMap::new();
    let mut aliases = Vec::new();
    for (index, template_name) in templates.iter().enumerate() {
        let template = &conventions.templates[template_name];
        let mut operation = words.fill_operation(template);
        let operation_path = path(&["operations", template_name]);
        let named_at = if listed {
            value_location_at(file, &[path(&["resource", "operations"]), vec![Step::Index(index)]].concat())
        } else {
            value_location_at(file, &path(&["resource", "name"]))
        };
        aliases.push((operation_path.clone(), named_at));
        if let (Some(body), Some(extra)) = (operation.body.as_mut(), resource.required.get(template_name)) {
            let own = body.required.len();
            for (position, wire) in extra.iter().enumerate() {
                let from =
                    [operation_path.clone(), path(&["body", "required"]), vec![Step::Index(own + position)]].concat();
                let to = [path(&["resource", "required", template_name]), vec![Step::Index(position)]].concat();
                aliases.push((from, value_location_at(file, &to)));
                body.required.push(wire.clone());
            }
        }
        let derive = operation.query.as_ref().and_then(|query| query.filters.as_ref()).is_some_and(|f| f.derive);
        if derive {
            let filters = operation.query.as_mut().and_then(|query| query.filters.as_mut()).expect("checked above");
            let filters_path = [operation_path.clone(), path(&["query", "filters"])].concat();
            for (wire, field) in &record_fields {
                let Some((equal, range)) = derived_filters(wire, field, &known.enums) else { continue };
                let field_at = key_location_at(file, &path(&["models", &name, "fields", wire]));
                let param =
                    RawParam { ty: field.ty.clone(), description: field.description.clone(), ..RawParam::default() };
                // A filter named like a paging parameter (`Size`) keeps the setter apart: `size_eq`.
                let rust_name = naming::snake(&equal);
                let equal_param =
                    match known.reserved.contains(&rust_name) || rust_name == "id" || rust_name == "unique_id" {
                        true => RawParam { rust_name: Some(format!("{rust_name}_eq")), ..param.clone() },
                        false => param.clone(),
                    };
                if !filters.equal.contains_key(&equal) {
                    aliases.push(([filters_path.clone(), path(&["equal", &equal])].concat(), field_at));
                    filters.equal.insert(equal, equal_param);
                }
                if range && !filters.range.contains_key(wire) {
                    aliases.push(([filters_path.clone(), path(&["range", wire])].concat(), field_at));
                    filters.range.insert(wire.clone(), param);
                }
            }
            if let Some(extra) = &resource.filters {
                for (kind, extra) in [("equal", &extra.equal), ("range", &extra.range)] {
                    let target = if kind == "equal" { &mut filters.equal } else { &mut filters.range };
                    for (filter, param) in extra {
                        let at = key_location_at(file, &path(&["resource", "filters", kind, filter]));
                        if target.contains_key(filter) {
                            diagnostics.push_with_hint(
                                key_location(file, &path(&["resource", "filters", kind, filter])),
                                format!("the {kind} filter '{filter}' is already derived from the record's fields"),
                                "remove it here; `filter: false` on a field drops a derived filter",
                            );
                            continue;
                        }
                        aliases.push(([filters_path.clone(), path(&[kind, filter])].concat(), at));
                        target.insert(filter.clone(), param.clone());
                    }
                }
            }
        }
        operations.insert(template_name.clone(), operation);
    }
    if !resource.filters.as_ref().map_or(true, |f| f.equal.is_empty() && f.range.is_empty())
        && !templates
            .iter()
            .any(|t| conventions.templates[t].query.as_ref().and_then(|q| q.filters.as_ref()).is_some_and(|f| f.derive))
    {
        diagnostics.push(
            key_location(file, &path(&["resource", "filters"])),
            "`resource.filters` needs an operation template that derives filters (`list`)",
        );
    }
    for (name, operation) in std::mem::take(&mut file.content.operations) {
        operations.insert(name, operation);
    }
    file.content.operations = operations;
    for (from, to) in aliases {
        file.positions.alias_key(from, to);
    }
}

/// The equality filter name a field gives, and whether it also gives a range, or `None` when
/// the list derives no filter from it.
fn derived_filters(wire: &str, field: &RawField, enums: &HashSet<String>) -> Option<(String, bool)> {
    let default = matches!(field.write, RawWrite::ReadWrite | RawWrite::CreateOnly | RawWrite::UpdateOnly);
    if field.write == RawWrite::WriteOnly || !field.filter.unwrap_or(default) {
        return None;
    }
    let ty = field.ty.trim();
    let scalar = matches!(ty, "int32" | "int64" | "decimal" | "bool" | "string" | "date-time" | "uuid");
    if !scalar && !enums.contains(ty) {
        return None;
    }
    // A foreign key filters by the id under the navigation's name: `CoworkerId` -> `Coworker`.
    let equal = match wire.strip_suffix("Id") {
        Some(navigation) if ty == "int64" && !navigation.is_empty() => navigation.to_owned(),
        _ => wire.to_owned(),
    };
    Some((equal, matches!(ty, "int32" | "decimal" | "date-time")))
}

/// The words a template's text may name.
struct Placeholders {
    entity: String,
    path: String,
    label: String,
    labels: String,
    /// The label with its indefinite article: "an invoice", "a booking".
    a_label: String,
}

impl Placeholders {
    /// The words of the resource `entity`, whose collection path is `path`.
    fn new(entity: &str, path: String) -> Self {
        let label = naming::snake(entity).replace('_', " ");
        Placeholders {
            entity: entity.to_owned(),
            path,
            labels: naming::plural_snake(entity).replace('_', " "),
            a_label: with_article(&label),
            label,
        }
    }

    fn fill(&self, text: &str) -> String {
        text.replace("{Entity}", &self.entity)
            .replace("{path}", &self.path)
            .replace("{labels}", &self.labels)
            .replace("{a_label}", &self.a_label)
            .replace("{label}", &self.label)
    }

    fn fill_option(&self, text: &Option<String>) -> Option<String> {
        text.as_deref().map(|text| self.fill(text))
    }

    fn fill_param(&self, param: &RawParam) -> RawParam {
        RawParam {
            ty: self.fill(&param.ty),
            required: param.required,
            rust_name: param.rust_name.clone(),
            description: self.fill_option(&param.description),
        }
    }

    fn fill_params(&self, params: &IndexMap<String, RawParam>) -> IndexMap<String, RawParam> {
        params.iter().map(|(name, param)| (name.clone(), self.fill_param(param))).collect()
    }

    fn fill_operation(&self, template: &RawOperation) -> RawOperation {
        let mut operation = template.clone();
        operation.summary = self.fill(&template.summary);
        operation.description = self.fill_option(&template.description);
        operation.path = self.fill(&template.path);
        operation.role = self.fill_option(&template.role);
        operation.answer = self.fill(&template.answer);
        operation.path_params = self.fill_params(&template.path_params);
        if let Some(query) = operation.query.as_mut() {
            query.params = self.fill_params(&query.params);
            if let Some(filters) = query.filters.as_mut() {
                filters.prefix = self.fill(&filters.prefix);
                filters.equal = self.fill_params(&filters.equal);
                filters.range = self.fill_params(&filters.range);
            }
        }
        if let Some(body) = operation.body.as_mut() {
            body.model = self.fill_option(&body.model);
            body.input = self.fill_option(&body.input);
            body.name = self.fill_option(&body.name);
            body.description = self.fill_option(&body.description);
        }
        operation
    }
}

/// "an invoice", "a booking", "a user": the article goes by the first letter, `u` counting as a
/// consonant as in every name of the API that starts with it (user, ui module).
fn with_article(label: &str) -> String {
    let article = if label.starts_with(['a', 'e', 'i', 'o']) { "an" } else { "a" };
    format!("{article} {label}")
}

/// The area folder of a file, if it sits in one.
fn area_of(file: &ParsedFile) -> Option<String> {
    let parent = file.source.relative_path.parent()?;
    let folder = parent.components().next()?;
    Some(folder.as_os_str().to_string_lossy().into_owned())
}

fn path(parts: &[&str]) -> Vec<Step> {
    parts.iter().map(|part| Step::Key((*part).to_owned())).collect()
}

fn key_location_at(file: &ParsedFile, at: &[Step]) -> crate::positions::LineColumn {
    file.positions.key(at)
}

fn value_location_at(file: &ParsedFile, at: &[Step]) -> crate::positions::LineColumn {
    file.positions.value(at)
}

fn key_location(file: &ParsedFile, at: &[Step]) -> Location {
    let at = file.positions.key(at);
    Location { file: file.source.display_path.clone(), line: at.line, column: at.column }
}

fn value_location(file: &ParsedFile, at: &[Step]) -> Location {
    let at = file.positions.value(at);
    Location { file: file.source.display_path.clone(), line: at.line, column: at.column }
}
