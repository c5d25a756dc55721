//! Spec files as written: the serde shapes of the YAML, and the one place that runs serde_yaml.
//! Nothing here checks meaning; `validate` does.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostics, Location};
use crate::positions::PositionIndex;

mod quoting;

/// One spec file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown in messages and headers, such as `spec/crm/crm_opportunity.yaml`.
    pub display_path: PathBuf,
    /// Path inside the spec folder, such as `crm/crm_opportunity.yaml`.
    pub relative_path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// One spec file, parsed.
#[derive(Debug)]
pub struct ParsedFile {
    /// Where it came from.
    pub source: SourceFile,
    /// Its content.
    pub content: RawFile,
    /// Positions of its keys and values.
    pub positions: PositionIndex,
}

/// Parses every file, gathering every syntax and shape error.
pub fn parse_files(sources: Vec<SourceFile>, diagnostics: &mut Diagnostics) -> Vec<ParsedFile> {
    // Files parse independently, so a large spec is parsed one share per core; the results are
    // put back in the order of the files.
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, sources.len().max(1));
    let mut shares: Vec<Vec<(usize, SourceFile)>> = (0..threads).map(|_| Vec::new()).collect();
    for (index, source) in sources.into_iter().enumerate() {
        shares[index % threads].push((index, source));
    }
    let parse_share = |share: Vec<(usize, SourceFile)>| {
        let mut share_diagnostics = Diagnostics::default();
        let parsed: Vec<(usize, ParsedFile)> = share
            .into_iter()
            .filter_map(|(index, source)| parse_file(source, &mut share_diagnostics).map(|file| (index, file)))
            .collect();
        (parsed, share_diagnostics)
    };
    let outcomes: Vec<_> = if threads == 1 {
        shares.into_iter().map(parse_share).collect()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = shares.into_iter().map(|share| scope.spawn(move || parse_share(share))).collect();
            workers
                .into_iter()
                .map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        })
    };
    let mut parsed = Vec::new();
    for (share, share_diagnostics) in outcomes {
        parsed.extend(share);
        diagnostics.extend(share_diagnostics);
    }
    parsed.sort_by_key(|(index, _)| *index);
    parsed.into_iter().map(|(_, file)| file).collect()
}

/// Parses one file, recording its problems; `None` when it is not readable YAML of the format.
fn parse_file(source: SourceFile, diagnostics: &mut Diagnostics) -> Option<ParsedFile> {
    let positions = PositionIndex::new(&source.text);
    for (path, at) in positions.duplicate_keys() {
        let name = match path.last() {
            Some(crate::positions::Step::Key(key)) => key.as_str(),
            _ => "",
        };
        diagnostics.push(
            Location { file: source.display_path.clone(), line: at.line, column: at.column },
            format!("duplicate key '{name}'"),
        );
    }
    for (at, problem) in positions.problems() {
        diagnostics
            .push(Location { file: source.display_path.clone(), line: at.line, column: at.column }, problem.clone());
    }
    if positions.too_deep() {
        return None;
    }
    match serde_yaml::from_str::<RawFile>(&source.text) {
        Ok(content) => Some(ParsedFile { source, content, positions }),
        Err(error) => {
            let (line, column) = error.location().map_or((1, 1), |at| (at.line(), at.column()));
            let location = Location { file: source.display_path.clone(), line, column };
            let message = error.to_string();
            // serde_yaml appends " at line L column C"; the location already says it.
            let message = match message.find(" at line ") {
                Some(cut) => message[..cut].to_owned(),
                None => message,
            };
            let hint = unknown_field_hint(&message);
            let line_text = source.text.lines().nth(line.saturating_sub(1)).unwrap_or("");
            let message = quoting::at_most_the_line(&message, line_text);
            match hint {
                Some(hint) => diagnostics.push_with_hint(location, message, hint),
                None => diagnostics.push(location, message),
            }
            None
        }
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the closest expected name.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.split("unknown field `").nth(1))?;
    let (wrong, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    crate::diagnostic::did_you_mean(wrong, candidates).map(|name| format!("did you mean '{name}'?"))
}

/// A spec file: the API section (only in `api.yaml`), a resource, and the types it declares.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<RawApi>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<RawResource>,
    #[serde(default)]
    pub enums: IndexMap<String, RawEnum>,
    #[serde(default)]
    pub models: IndexMap<String, RawModel>,
    #[serde(default)]
    pub operations: IndexMap<String, RawOperation>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    pub name: String,
    pub description: Option<String>,
    pub base_url: String,
    pub auth: RawAuth,
    pub envelopes: RawEnvelopes,
    pub paging: RawPaging,
    pub conventions: Option<RawConventions>,
}

/// What every resource shares: the collection path, the base fields of every record, and the
/// operation templates a resource names instead of writing them out.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConventions {
    /// The collection path, with `{area}` and `{collection}` placeholders.
    pub path: String,
    /// The default of `nullable` for the fields of resource files that do not say.
    #[serde(default)]
    pub nullable: bool,
    /// Fields every resource's record carries, appended to it.
    #[serde(default)]
    pub base_fields: IndexMap<String, RawField>,
    /// Operation templates by name; strings may hold `{Entity}`, `{path}`, `{label}`, `{labels}`, `{a_label}`.
    pub templates: IndexMap<String, RawOperation>,
    /// The templates of a resource that does not list its own.
    pub default: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    pub bearer: Option<RawAuthScheme>,
    pub basic: Option<RawAuthScheme>,
    pub password_grant: Option<RawPasswordGrant>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthScheme {
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPasswordGrant {
    pub token_path: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvelopes {
    pub action: RawActionEnvelope,
    pub validation_error: RawValidationErrorEnvelope,
    pub list: RawListEnvelope,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionEnvelope {
    pub model: String,
    pub success: String,
    pub message: String,
    pub value: String,
    pub errors: String,
    pub updated_on: String,
    pub updated_by: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawValidationErrorEnvelope {
    pub model: String,
    pub property: String,
    pub message: String,
    pub attempted_value: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawListEnvelope {
    pub model: String,
    pub records: String,
    pub current_page: String,
    pub total_pages: String,
    pub has_next_page: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPaging {
    pub page_param: String,
    pub size_param: String,
    pub max_size: u32,
    pub params: IndexMap<String, RawParam>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub name: String,
    pub accessor: Option<String>,
    pub description: Option<String>,
    /// The last segment of the collection path (default: the lowercase plural of `name`).
    pub collection: Option<String>,
    /// The operation templates the resource has (default: `conventions.default`).
    pub operations: Option<Vec<String>>,
    /// Body fields each template's body requires besides the template's own, by template.
    #[serde(default)]
    pub required: IndexMap<String, Vec<String>>,
    /// List filters no field gives (flattened lookups).
    pub filters: Option<RawResourceFilters>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawResourceFilters {
    #[serde(default)]
    pub equal: IndexMap<String, RawParam>,
    #[serde(default)]
    pub range: IndexMap<String, RawParam>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    pub rust_name: Option<String>,
    pub description: Option<String>,
    pub open: bool,
    pub variants: Vec<RawVariant>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    pub value: RawEnumValue,
    pub name: String,
    pub rust_name: Option<String>,
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<RawDeprecated>,
}

/// `deprecated: true`, or the note that says what to use instead (`deprecated: Use X.`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawDeprecated {
    Flag(bool),
    Note(String),
}

/// An enum's wire value: an integer or a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawEnumValue {
    Integer(i64),
    String(String),
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub rust_name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub type_params: Vec<String>,
    pub fields: IndexMap<String, RawField>,
    /// A request-shaped type of the model, which bodies can send (`body.input`).
    pub input: Option<RawInput>,
}

/// A request-shaped type built from some of a model's fields: plain optional fields with
/// setters, the required ones as constructor arguments.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    /// The Rust type name (default: the model's Rust name and `Input`).
    pub name: Option<String>,
    /// The fields it carries (default: every field that is not read-only).
    pub fields: Option<Vec<String>>,
    /// The fields that must be set, in constructor order.
    #[serde(default)]
    pub required: Vec<String>,
    pub description: Option<String>,
}

/// A field: either its type alone (`Name: string`) or a mapping with more.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RawField {
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    /// `None` takes the spec's default (`conventions.nullable`, else false).
    pub nullable: Option<bool>,
    pub write: RawWrite,
    /// List answers leave the field out; reading one record gives it.
    pub get_only: bool,
    /// Overrides whether the list template derives a filter from the field.
    pub filter: Option<bool>,
    /// Inline children: the request-shaped type create and update send for each element.
    pub input: Option<RawInput>,
    pub rust_name: Option<String>,
    pub description: Option<String>,
    pub deprecated: Option<RawDeprecated>,
}

/// Which requests carry a field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RawWrite {
    /// Answers, create and update.
    #[default]
    ReadWrite,
    /// Answers only.
    ReadOnly,
    /// Answers and create.
    CreateOnly,
    /// Answers and update.
    UpdateOnly,
    /// Create and update, never answers.
    WriteOnly,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFieldMapping {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    required: bool,
    nullable: Option<bool>,
    #[serde(default)]
    write: RawWrite,
    #[serde(default)]
    get_only: bool,
    filter: Option<bool>,
    input: Option<RawInput>,
    rust_name: Option<String>,
    description: Option<String>,
    deprecated: Option<RawDeprecated>,
}

impl<'de> Deserialize<'de> for RawField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = RawField;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a type name or a mapping with `type`")
            }
            fn visit_str<E: de::Error>(self, ty: &str) -> Result<RawField, E> {
                Ok(RawField { ty: ty.to_owned(), ..RawField::default() })
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<RawField, M::Error> {
                let m = RawFieldMapping::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawField {
                    ty: m.ty,
                    required: m.required,
                    nullable: m.nullable,
                    write: m.write,
                    get_only: m.get_only,
                    filter: m.filter,
                    input: m.input,
                    rust_name: m.rust_name,
                    description: m.description,
                    deprecated: m.deprecated,
                })
            }
        }
        deserializer.deserialize_any(FieldVisitor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum RawMethod {
    GET,
    POST,
    PUT,
    DELETE,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    pub method: RawMethod,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default)]
    pub path_params: IndexMap<String, RawParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<RawQuery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<RawBody>,
    pub answer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returns: Option<RawReturns>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_with: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<RawDeprecated>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RawReturns {
    NewId,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuery {
    #[serde(default)]
    pub paged: bool,
    #[serde(default)]
    pub params: IndexMap<String, RawParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<RawFilters>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFilters {
    pub prefix: String,
    /// Derive equality and range filters from the answer's record fields (templates).
    #[serde(default)]
    pub derive: bool,
    #[serde(default)]
    pub equal: IndexMap<String, RawParam>,
    #[serde(default)]
    pub range: IndexMap<String, RawParam>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    /// The model whose writable fields the body carries (a type of its own per operation)...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// ...or a model whose shared request type (`models.X.input`) the body is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub required: Vec<String>,
}

/// A parameter: either its type alone (`Name: string`) or a mapping with more.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RawParam {
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    pub rust_name: Option<String>,
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParamMapping {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    required: bool,
    rust_name: Option<String>,
    description: Option<String>,
}

impl<'de> Deserialize<'de> for RawParam {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParamVisitor;
        impl<'de> Visitor<'de> for ParamVisitor {
            type Value = RawParam;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a type name or a mapping with `type`")
            }
            fn visit_str<E: de::Error>(self, ty: &str) -> Result<RawParam, E> {
                Ok(RawParam { ty: ty.to_owned(), ..RawParam::default() })
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<RawParam, M::Error> {
                let mapping = RawParamMapping::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawParam {
                    ty: mapping.ty,
                    required: mapping.required,
                    rust_name: mapping.rust_name,
                    description: mapping.description,
                })
            }
        }
        deserializer.deserialize_any(ParamVisitor)
    }
}
