//! Checks the parsed spec and builds the IR, gathering every problem with its place instead of
//! stopping at the first.

mod api;
mod inputs;
mod operations;
mod read_with;
mod templates;
mod types;

pub use templates::check_templates;

use std::collections::HashMap;

use crate::diagnostic::{did_you_mean, Diagnostics, Location};
use crate::ir::{EnumId, Input, InputId, ModelId, Module, Spec};
use crate::naming;
use crate::parse::ParsedFile;
use crate::positions::Step;

/// Builds the IR, or returns `None` after recording every problem in `diagnostics`.
pub fn validate(files: &[ParsedFile], diagnostics: &mut Diagnostics) -> Option<Spec> {
    let mut cx = Context { diagnostics, files };
    if files.is_empty() {
        return None;
    }
    let symbols = types::collect_symbols(&mut cx);
    let enums = types::build_enums(&mut cx, &symbols);
    let mut models = types::build_models(&mut cx, &symbols);
    let (inputs, input_places) = inputs::build_inputs(&mut cx, &symbols, &mut models);
    let api = api::build_api(&mut cx, &symbols, &models);
    let mut modules = Vec::new();
    for (file_index, file) in files.iter().enumerate() {
        let resource = operations::build_resource(&mut cx, &symbols, &models, &inputs, api.as_ref(), file_index);
        let (area, name) = module_path(&mut cx, file_index);
        modules.push(Module {
            source: file.source.display_path.clone(),
            area,
            name,
            enums: symbols.enums_of_file(file_index),
            models: symbols.models_of_file(file_index),
            inputs: (0..inputs.len()).filter(|&id| input_places[id].file == file_index).map(InputId).collect(),
            resource,
        });
    }
    modules.sort_by(|a, b| (&a.area, &a.name).cmp(&(&b.area, &b.name)));
    check_module_names(&mut cx, &modules);
    types::check_cycles(&mut cx, &symbols, &models);
    types::check_nesting(&mut cx, &symbols, &models);
    check_type_names(&mut cx, &symbols, &modules, &inputs, &input_places);
    let api = api?;
    if !cx.diagnostics.is_empty() {
        return None;
    }
    Some(Spec {
        api,
        enums: enums.into_iter().collect::<Option<_>>()?,
        models: models.into_iter().collect::<Option<_>>()?,
        inputs,
        modules,
    })
}

/// What every check needs: where to report, and the files to point into.
pub(crate) struct Context<'a> {
    pub diagnostics: &'a mut Diagnostics,
    pub files: &'a [ParsedFile],
}

impl Context<'_> {
    /// The place of the key at `path` in file `file`.
    pub fn key_at(&self, file: usize, path: &[Step]) -> Location {
        let source = &self.files[file];
        let at = source.positions.key(path);
        Location { file: source.source.display_path.clone(), line: at.line, column: at.column }
    }

    /// The place of the value at `path` in file `file`.
    pub fn value_at(&self, file: usize, path: &[Step]) -> Location {
        let source = &self.files[file];
        let at = source.positions.value(path);
        Location { file: source.source.display_path.clone(), line: at.line, column: at.column }
    }

    pub fn error(&mut self, location: Location, message: impl Into<String>) {
        self.diagnostics.push(location, message);
    }

    pub fn error_with_hint(&mut self, location: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.diagnostics.push_with_hint(location, message, hint);
    }

    /// Reports an unknown name with a did-you-mean hint when one candidate is close.
    pub fn unknown<'c>(
        &mut self,
        location: Location,
        what: &str,
        name: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) {
        self.error_with_suggestion(location, format!("unknown {what} '{name}'"), name, candidates);
    }

    /// Reports a field name that model `owner` does not have.
    pub fn unknown_field<'c>(
        &mut self,
        location: Location,
        owner: &str,
        name: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) {
        self.error_with_suggestion(location, format!("unknown field of '{owner}': '{name}'"), name, candidates);
    }

    /// Reports `message`, with a did-you-mean hint when one candidate is close to `name`.
    fn error_with_suggestion<'c>(
        &mut self,
        location: Location,
        message: String,
        name: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) {
        match did_you_mean(name, candidates) {
            Some(close) => self.error_with_hint(location, message, format!("did you mean '{close}'?")),
            None => self.error(location, message),
        }
    }

    /// Checks that a Rust name, taken from `rust_name` or made from a spec name, can be emitted:
    /// an ASCII identifier, and a keyword only where a raw identifier can stand.
    pub fn check_identifier(&mut self, location: Location, name: &str) -> bool {
        if !naming::is_identifier(name) {
            self.error_with_hint(
                location,
                format!("'{name}' is not a Rust identifier"),
                "Rust names take ASCII letters, digits and '_', and do not start with a digit",
            );
            return false;
        }
        if let Some((message, hint)) = naming::keyword_problem(name) {
            self.error_with_hint(location, message, hint);
            return false;
        }
        true
    }
}

/// Methods the client has of its own (`generated/src/client.rs`, and those of the traits it
/// implements), which no resource accessor may take.
pub const CLIENT_METHODS: [&str; 8] =
    ["as_ref", "authenticate", "base_url", "builder", "clone", "fmt", "from", "runtime"];

/// The Rust field of every generated model and body that keeps the JSON fields the spec does not
/// list; no spec field may take its name.
pub const UNKNOWN_FIELDS: &str = "unknown_fields";

/// What is wrong with a URL path the spec gives (an operation's, with `{param}`s, or the token
/// endpoint's), with a hint: a character a path cannot carry as it is (a space, `?`, `#`, `%`),
/// or a `.` or `..` segment. Either would send requests somewhere other than the path written,
/// out of the base URL's path or into the query; the runtime refuses such URLs too.
pub(crate) fn path_problem(path: &str) -> Option<(String, &'static str)> {
    let mut in_param = false;
    for character in path.chars() {
        match character {
            '{' if !in_param => in_param = true,
            '}' if in_param => in_param = false,
            _ if in_param => {}
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => {}
            other => {
                let hint = match other {
                    '?' => "a path ends before its query; an operation's query parameters go under `query`",
                    _ => "a path takes letters, digits, '-', '.', '_', '~' and '/'",
                };
                return Some((format!("path '{path}' has {other:?}, which a URL path cannot carry as it is"), hint));
            }
        }
    }
    let dots = path.split('/').find(|segment| matches!(*segment, "." | ".."))?;
    Some((
        format!("path '{path}' has the segment '{dots}', which moves the request to another path"),
        "write the path the request goes to",
    ))
}

/// Builds a path of keys.
pub(crate) fn keys(parts: &[&str]) -> Vec<Step> {
    parts.iter().map(|part| Step::Key((*part).to_owned())).collect()
}

/// Where every enum and model is declared, by spec name.
pub(crate) struct Symbols {
    pub enums: HashMap<String, (EnumId, usize)>,
    pub models: HashMap<String, (ModelId, usize)>,
    /// (file, spec name) in declaration order, so ids follow file order.
    pub enum_order: Vec<(usize, String)>,
    pub model_order: Vec<(usize, String)>,
}

impl Symbols {
    fn enums_of_file(&self, file: usize) -> Vec<EnumId> {
        self.enum_order.iter().enumerate().filter(|(_, (f, _))| *f == file).map(|(id, _)| EnumId(id)).collect()
    }

    fn models_of_file(&self, file: usize) -> Vec<ModelId> {
        self.model_order.iter().enumerate().filter(|(_, (f, _))| *f == file).map(|(id, _)| ModelId(id)).collect()
    }
}

/// The module path of a file: its folder (the area) and its stem.
fn module_path(cx: &mut Context<'_>, file: usize) -> (Option<String>, String) {
    let relative = cx.files[file].source.relative_path.clone();
    let stem = relative.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let folders: Vec<String> = relative
        .parent()
        .map(|parent| parent.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let location = cx.key_at(file, &[]);
    if folders.len() > 1 {
        cx.error(location.clone(), "spec files sit in spec/ or one folder below it (the folder is the API area)");
    }
    let name = naming::snake(&stem);
    if let Some(problem) = module_name_problem(&stem) {
        cx.error(location.clone(), format!("file name '{stem}' {problem}"));
    } else if name != stem {
        cx.error(location.clone(), format!("file name '{stem}' is not snake_case; name it '{name}.yaml'"));
    }
    let area = folders.first().map(|folder| {
        let area = naming::snake(folder);
        if let Some(problem) = module_name_problem(folder) {
            cx.error(location.clone(), format!("folder name '{folder}' {problem}"));
        } else if &area != folder {
            cx.error(location.clone(), format!("folder name '{folder}' is not snake_case; name it '{area}'"));
        } else if RESERVED_AREAS.contains(&folder.as_str()) {
            cx.error(
                location.clone(),
                format!("the area name '{folder}' is taken: the crate has a module `{folder}` of its own"),
            );
        }
        area
    });
    (area, name)
}

/// Area names the application-facing crate uses for modules of its own (`nexudus::runtime`),
/// which an area's module of the same name would clash with.
const RESERVED_AREAS: [&str; 3] = ["runtime", "gen", "client"];

/// File names an area's crate uses for files of its own (its root, its round-trip test) or for a
/// module its generated code refers to (`crate::runtime`).
const RESERVED_AREA_FILES: [&str; 3] = ["lib", crate::emit::ROUND_TRIPS_MODULE, "runtime"];

/// File names the core crate's generated folder uses itself (`gen/mod.rs`) or that would shadow
/// one of its modules.
const RESERVED_CORE_FILES: [&str; 4] = ["mod", "lib", "runtime", "gen"];

/// Why a file or folder name cannot name a Rust module (and, for a folder, a crate and a cargo
/// feature), if it cannot.
fn module_name_problem(name: &str) -> Option<&'static str> {
    let bare = naming::snake(name);
    if !naming::is_identifier(&bare) || !name.is_ascii() {
        Some("cannot name a Rust module: names take ASCII letters, digits and '_'")
    } else if bare.starts_with("r#") || bare.ends_with('_') && !name.ends_with('_') {
        Some("is a Rust keyword, which cannot name a module file")
    } else {
        None
    }
}

fn check_module_names(cx: &mut Context<'_>, modules: &[Module]) {
    for pair in modules.windows(2) {
        if pair[0].area == pair[1].area && pair[0].name == pair[1].name {
            let location = Location { file: pair[1].source.clone(), line: 1, column: 1 };
            cx.error(location, format!("two spec files make the module '{}'", pair[1].name));
        }
    }
    // An area crate's folder also holds its root and its round-trip test, which the generator
    // writes.
    for module in modules.iter().filter(|m| m.area.is_some()) {
        if RESERVED_AREA_FILES.contains(&module.name.as_str()) {
            let location = Location { file: module.source.clone(), line: 1, column: 1 };
            cx.error(
                location,
                format!(
                    "the file name '{0}' is taken: the area's crate has a generated src/{0}.rs or a module `{0}` of its own",
                    module.name
                ),
            );
        }
    }
    for module in modules.iter().filter(|m| m.area.is_none()) {
        if RESERVED_CORE_FILES.contains(&module.name.as_str()) {
            let location = Location { file: module.source.clone(), line: 1, column: 1 };
            cx.error(
                location,
                format!(
                    "the file name '{}' is taken: the core crate has a module or a generated file of that name",
                    module.name
                ),
            );
        }
    }
    let areas: Vec<&str> = modules.iter().filter_map(|m| m.area.as_deref()).collect();
    for module in modules.iter().filter(|m| m.area.is_none()) {
        if areas.contains(&module.name.as_str()) {
            let location = Location { file: module.source.clone(), line: 1, column: 1 };
            cx.error(location, format!("the file name '{}' is also an area folder's name", module.name));
        }
    }
}

/// Names the crate root re-exports from the runtime; generated types may not take them.
const RUNTIME_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "Result",
    "DateTime",
    "Decimal",
    "Uuid",
    "ActionOutcome",
    "Binary",
    "FieldError",
    "PasswordGrant",
];

/// Prelude names generated code writes bare (`Option<String>` rather than
/// `::std::option::Option<::std::string::String>`), which keeps the output a third smaller and
/// faster to format and compile; generated types may not shadow them.
const PRELUDE_NAMES: &[&str] = &["Option", "Some", "None", "String", "Vec", "From", "Into"];

/// Rust's primitive types, which generated code writes bare (`i64`, `bool`); a generated type of
/// the same name would take their place.
const PRIMITIVE_NAMES: &[&str] = &[
    "bool", "char", "str", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64",
];

/// Why no generated type (or type parameter) may be named `name`, if it may not: the runtime, the
/// prelude and the primitive types own some names that generated code uses.
pub(crate) fn taken_type_name(name: &str) -> Option<&'static str> {
    if RUNTIME_NAMES.contains(&name) {
        Some("a name of the client runtime")
    } else if PRELUDE_NAMES.contains(&name) {
        Some("a name of the Rust prelude, which generated code uses")
    } else if PRIMITIVE_NAMES.contains(&name) {
        Some("a Rust primitive type, which generated code uses")
    } else {
        None
    }
}

/// Every generated type is re-exported at the crate root, so Rust type names must be unique.
fn check_type_names(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    modules: &[Module],
    inputs: &[Input],
    input_places: &[inputs::InputPlace],
) {
    let mut seen: HashMap<String, Location> = HashMap::new();
    let mut claim = |cx: &mut Context<'_>, name: &str, location: Location, rename: &str| {
        if RUNTIME_NAMES.contains(&name) {
            cx.error(location, format!("the Rust name '{name}' is taken by the client runtime"));
        } else if PRELUDE_NAMES.contains(&name) {
            cx.error(
                location,
                format!("the Rust name '{name}' is taken by the Rust prelude, which generated code uses"),
            );
        } else if PRIMITIVE_NAMES.contains(&name) {
            cx.error(
                location,
                format!("the Rust name '{name}' is taken by a Rust primitive type, which generated code uses"),
            );
        } else if let Some(first) = seen.get(name) {
            cx.error_with_hint(
                location,
                format!("the Rust name '{name}' is already used at {first}"),
                rename.to_owned(),
            );
        } else {
            seen.insert(name.to_owned(), location);
        }
    };
    for (file, name) in &symbols.enum_order {
        let rust = types::enum_rust_name(&cx.files[*file], name);
        let location = cx.key_at(*file, &keys(&["enums", name]));
        claim(cx, &rust, location, "give one of them a `rust_name`");
    }
    for (file, name) in &symbols.model_order {
        let rust = types::model_rust_name(&cx.files[*file], name);
        let location = cx.key_at(*file, &keys(&["models", name]));
        claim(cx, &rust, location, "give one of them a `rust_name`");
    }
    for (input, place) in inputs.iter().zip(input_places) {
        let location = cx.key_at(place.file, &place.path);
        claim(cx, &input.rust, location, "give the input another `name`");
    }
    let mut accessors: HashMap<String, Location> = HashMap::new();
    let mut resources: HashMap<String, Location> = HashMap::new();
    for module in modules {
        let Some(resource) = &module.resource else { continue };
        let file = cx.files.iter().position(|f| f.source.display_path == module.source).unwrap_or(0);
        let name_at = cx.value_at(file, &keys(&["resource", "name"]));
        if let Some(first) = resources.get(&resource.name) {
            cx.error(name_at, format!("resource '{}' is already declared at {first}", resource.name));
            continue;
        }
        resources.insert(resource.name.clone(), name_at.clone());
        claim(cx, &resource.handle, name_at, "give one of the resources another `name`");
        let accessor_at = cx.value_at(file, &keys(&["resource", "accessor"]));
        if CLIENT_METHODS.contains(&resource.accessor.as_str()) {
            cx.error_with_hint(
                accessor_at,
                format!("the client method '{}' is the client's own", resource.accessor),
                "give the resource another `accessor`",
            );
        } else if let Some(first) = accessors.get(&resource.accessor) {
            cx.error(accessor_at, format!("the client method '{}' is already used at {first}", resource.accessor));
        } else {
            accessors.insert(resource.accessor.clone(), accessor_at);
        }
        for operation in &resource.operations {
            let at = cx.key_at(file, &keys(&["operations", &operation.name]));
            if let Some(query) = &operation.query {
                claim(cx, &query.rust, at.clone(), "rename the operation with `rust_name`");
            }
            if let Some(body) = operation.body.as_ref().filter(|body| body.shared.is_none()) {
                let body_at = cx.key_at(file, &keys(&["operations", &operation.name, "body"]));
                claim(cx, &body.rust, body_at, "give the body another `name` (`body.name`)");
            }
        }
    }
}
