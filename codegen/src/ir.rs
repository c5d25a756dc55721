//! The checked, typed form of the spec that emitters read: names are resolved, references are
//! ids, paths are parsed, and every Rust name is already safe.

use std::path::PathBuf;

/// Index of an enum in [`Spec::enums`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub usize);

/// Index of a model in [`Spec::models`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelId(pub usize);

/// Index of a request-shaped input type in [`Spec::inputs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InputId(pub usize);

/// The whole API.
#[derive(Debug)]
pub struct Spec {
    pub api: Api,
    pub enums: Vec<Enum>,
    pub models: Vec<Model>,
    /// Request-shaped types of models: inline children and shared bodies.
    pub inputs: Vec<Input>,
    /// One per spec file, sorted by output path.
    pub modules: Vec<Module>,
}

impl Spec {
    /// How many operations the resources declare.
    pub fn operation_count(&self) -> usize {
        self.modules
            .iter()
            .filter_map(|module| module.resource.as_ref())
            .map(|resource| resource.operations.len())
            .sum()
    }

    /// Resources and operations per area, in the order of the modules (areas sorted by name);
    /// modules outside an area count under `-`.
    pub fn area_summary(&self) -> Vec<AreaSummary> {
        let mut summary: Vec<AreaSummary> = Vec::new();
        for module in &self.modules {
            let Some(resource) = &module.resource else { continue };
            let area = module.area.as_deref().unwrap_or("-");
            if summary.last().map_or(true, |last| last.area != area) {
                summary.push(AreaSummary { area: area.to_owned(), resources: 0, operations: 0 });
            }
            if let Some(last) = summary.last_mut() {
                last.resources += 1;
                last.operations += resource.operations.len();
            }
        }
        summary
    }
}

/// How much of the API one area covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaSummary {
    pub area: String,
    pub resources: usize,
    pub operations: usize,
}

#[derive(Debug)]
pub struct Api {
    pub name: String,
    pub description: Option<String>,
    pub base_url: String,
    pub auth: Auth,
    pub action: ActionEnvelope,
    pub validation_error: ValidationErrorEnvelope,
    pub list: ListEnvelope,
    pub paging: Paging,
}

/// The ways the API accepts to authenticate; each is optional in the spec.
#[derive(Debug, Default)]
pub struct Auth {
    /// `Authorization: Bearer <token>`.
    pub bearer: Option<AuthScheme>,
    /// HTTP Basic with the user's email and password.
    pub basic: Option<AuthScheme>,
    /// OAuth2 password grant at a token endpoint of the API.
    pub password_grant: Option<PasswordGrant>,
}

#[derive(Debug)]
pub struct AuthScheme {
    pub description: Option<String>,
}

#[derive(Debug)]
pub struct PasswordGrant {
    /// Path of the token endpoint below the base URL, such as `/api/token`.
    pub token_path: String,
    pub description: Option<String>,
}

/// Which fields of which model make the action envelope (field indexes).
#[derive(Debug)]
pub struct ActionEnvelope {
    pub model: ModelId,
    pub success: usize,
    pub message: usize,
    pub value: usize,
    pub errors: usize,
    pub updated_on: usize,
    pub updated_by: usize,
}

#[derive(Debug)]
pub struct ValidationErrorEnvelope {
    pub model: ModelId,
    pub property: usize,
    pub message: usize,
    pub attempted_value: usize,
}

#[derive(Debug)]
pub struct ListEnvelope {
    pub model: ModelId,
    pub records: usize,
    pub current_page: usize,
    pub total_pages: usize,
    pub has_next_page: usize,
}

/// The query parameters every paged list takes.
#[derive(Debug)]
pub struct Paging {
    pub params: Vec<Param>,
    /// Index of the page number in `params`.
    pub page: usize,
    /// Index of the page size in `params`.
    pub size: usize,
    pub max_size: u32,
}

/// One output file: what one spec file declares.
#[derive(Debug)]
pub struct Module {
    /// The spec file, as headers name it.
    pub source: PathBuf,
    /// The folder it sits in inside the spec folder (its API area), if any.
    pub area: Option<String>,
    /// Snake-case module name, from the file name.
    pub name: String,
    pub enums: Vec<EnumId>,
    pub models: Vec<ModelId>,
    /// The input types the file declares.
    pub inputs: Vec<InputId>,
    pub resource: Option<Resource>,
}

#[derive(Debug)]
pub struct Enum {
    pub name: String,
    pub rust: String,
    pub description: Option<String>,
    /// Whether values the spec does not list are kept (in an `Unknown` variant).
    pub open: bool,
    pub repr: EnumRepr,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    Integer,
    String,
}

#[derive(Debug)]
pub struct Variant {
    pub name: String,
    pub rust: String,
    pub value: EnumValue,
    pub description: Option<String>,
    pub deprecated: Option<Deprecation>,
}

/// An item the spec marks `deprecated`, with the note saying what to use instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumValue {
    Integer(i64),
    String(String),
}

#[derive(Debug)]
pub struct Model {
    pub name: String,
    pub rust: String,
    pub description: Option<String>,
    pub type_params: Vec<String>,
    pub fields: Vec<Field>,
    /// The model's own request-shaped type (`input:` on the model).
    pub input: Option<InputId>,
}

impl Model {
    /// The fields answers carry: every field but the write-only ones.
    pub fn answer_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|field| field.write.in_answers())
    }
}

#[derive(Debug)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Type,
    /// Always present in answers.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// Which requests carry it, and whether answers do.
    pub write: WriteMode,
    /// List answers leave it out; reading one record gives it.
    pub get_only: bool,
    /// For inline children: the request-shaped type bodies send for the field's model.
    pub input: Option<InputId>,
    pub description: Option<String>,
    pub deprecated: Option<Deprecation>,
}

/// Which messages carry a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Answers, create and update.
    ReadWrite,
    /// Answers only.
    ReadOnly,
    /// Answers and create bodies.
    CreateOnly,
    /// Answers and update bodies.
    UpdateOnly,
    /// Create and update bodies, never answers.
    WriteOnly,
}

impl WriteMode {
    /// Whether answers (the record type) carry the field.
    pub fn in_answers(self) -> bool {
        self != WriteMode::WriteOnly
    }

    /// Whether a body of `kind` carries the field unless told otherwise.
    pub fn in_body(self, kind: BodyKind) -> bool {
        match (self, kind) {
            (WriteMode::ReadWrite | WriteMode::WriteOnly, _) => true,
            (WriteMode::ReadOnly, _) => false,
            (WriteMode::CreateOnly, BodyKind::Create) | (WriteMode::UpdateOnly, BodyKind::Update) => true,
            (WriteMode::CreateOnly | WriteMode::UpdateOnly, _) => false,
        }
    }

    /// How the spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            WriteMode::ReadWrite => "read_write",
            WriteMode::ReadOnly => "read_only",
            WriteMode::CreateOnly => "create_only",
            WriteMode::UpdateOnly => "update_only",
            WriteMode::WriteOnly => "write_only",
        }
    }
}

/// Whether a body creates a record (POST) or replaces one (PUT); it decides which write modes
/// it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Create,
    Update,
}

/// Whether a request type can be filled from a record of its model: every required field is
/// always in answers, and every field holding models sends an input that can be filled in turn.
/// `model` and `input` look the ids up (validation holds models that may have failed).
pub fn fillable_from_record<'a>(
    fields: &[BodyField],
    model: &'a Model,
    lookup_model: &dyn Fn(ModelId) -> Option<&'a Model>,
    lookup_input: &dyn Fn(InputId) -> Option<&'a Input>,
    depth: usize,
) -> bool {
    if depth > 16 {
        return false;
    }
    fields.iter().all(|body_field| {
        let field = &model.fields[body_field.field];
        if body_field.required && (field.presence() != Presence::Always || !field.write.in_answers()) {
            return false;
        }
        let element = match &field.ty {
            Type::Model(id, _) => Some(*id),
            Type::List(item) => match &**item {
                Type::Model(id, _) => Some(*id),
                _ => None,
            },
            _ => None,
        };
        let Some(element) = element else { return true };
        let Some(element_model) = lookup_model(element) else { return false };
        let Some(input) = field.input.or(element_model.input).and_then(lookup_input) else { return false };
        let Some(input_model) = lookup_model(input.model) else { return false };
        fillable_from_record(&input.fields, input_model, lookup_model, lookup_input, depth + 1)
    })
}

/// A request-shaped type of a model: plain optional fields with setters, the required ones as
/// constructor arguments; inline children and shared bodies (entity commands) use it.
#[derive(Debug)]
pub struct Input {
    pub rust: String,
    pub model: ModelId,
    pub description: Option<String>,
    pub fields: Vec<BodyField>,
}

impl Field {
    /// How the field's value is held in an answer type.
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Always,
            (true, true) => Presence::Nullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

/// Whether a field may be absent and whether it may be null, which decides its Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`.
    Always,
    /// `Option<T>`, always sent, `None` is null.
    Nullable,
    /// `Option<T>`, `None` is absent.
    Optional,
    /// `Option<Option<T>>`: absent, null, or a value.
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Int32,
    Int64,
    Decimal,
    Bool,
    String,
    DateTime,
    Uuid,
    Json,
    Enum(EnumId),
    Model(ModelId, Vec<Type>),
    List(Box<Type>),
    /// The model's type parameter with this index.
    Param(usize),
}

impl Type {
    /// The type with the type parameters of the enclosing model replaced by `arguments` (`json`
    /// for one without an argument).
    pub fn substitute(&self, arguments: &[Type]) -> Type {
        match self {
            Type::Param(index) => arguments.get(*index).cloned().unwrap_or(Type::Json),
            Type::List(item) => Type::List(Box::new(item.substitute(arguments))),
            Type::Model(id, inner) => {
                Type::Model(*id, inner.iter().map(|argument| argument.substitute(arguments)).collect())
            }
            other => other.clone(),
        }
    }
}

#[derive(Debug)]
pub struct Resource {
    pub name: String,
    /// Handle type, such as `CrmOpportunities`.
    pub handle: String,
    /// Accessor method on the client, such as `crm_opportunities`.
    pub accessor: String,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug)]
pub struct Operation {
    pub name: String,
    pub rust: String,
    pub summary: String,
    pub description: Option<String>,
    pub role: Option<String>,
    pub method: Method,
    pub path_template: String,
    pub path: Vec<PathSegment>,
    pub path_params: Vec<Param>,
    /// Required query parameters, taken as method arguments.
    pub query_args: Vec<Param>,
    pub query: Option<Query>,
    pub body: Option<Body>,
    pub answer: Answer,
    /// Index of the operation that reads the record this one writes back (safe update).
    pub read_with: Option<usize>,
    pub deprecated: Option<Deprecation>,
}

impl Operation {
    /// The type of the answer's body as the spec declares it.
    pub fn answer_type(&self) -> Type {
        match &self.answer {
            Answer::Json(ty) => ty.clone(),
            Answer::Action | Answer::NewId | Answer::Binary => Type::Json,
        }
    }

    /// The record type of a paged list that also gets a `list_all` stream: a paged query, the
    /// list envelope as the answer, and no required query argument.
    pub fn streamed_record(&self, api: &Api) -> Option<&Type> {
        self.query.as_ref().filter(|query| query.paging.is_some())?;
        match &self.answer {
            Answer::Json(Type::Model(id, arguments)) if *id == api.list.model && self.query_args.is_empty() => {
                arguments.first()
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    /// The name of the runtime's `Method` variant (`Get`).
    pub fn variant_name(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Delete => "Delete",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into the operation's `path_params`.
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    pub ty: Type,
    pub required: bool,
    pub description: Option<String>,
    /// Which end of a range filter the parameter is; `None` for every other parameter.
    pub range: Option<RangeBound>,
}

/// The ends of a range filter, both inclusive. A date-time range is rounded outward to the minute
/// the API's filters take, so that it still holds every record the caller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeBound {
    /// `from_...`: at or after; rounded down.
    From,
    /// `to_...`: at or before; rounded up.
    To,
}

/// The optional query parameters of an operation, as one generated type.
#[derive(Debug)]
pub struct Query {
    pub rust: String,
    pub params: Vec<Param>,
    /// Indexes of the page and size parameters, for paged lists.
    pub paging: Option<(usize, usize)>,
}

#[derive(Debug)]
pub struct Body {
    pub rust: String,
    pub model: ModelId,
    pub kind: BodyKind,
    pub description: Option<String>,
    pub fields: Vec<BodyField>,
    /// Set when the body is a model's shared input type rather than a type of its own.
    pub shared: Option<InputId>,
}

#[derive(Debug, Clone, Copy)]
pub struct BodyField {
    /// Index into the model's fields.
    pub field: usize,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The body decoded as this type.
    Json(Type),
    /// The action envelope, checked; the method returns the outcome.
    Action,
    /// The action envelope, checked; the method returns `Value.Id`.
    NewId,
    /// Bytes with their content type (images, files).
    Binary,
}
