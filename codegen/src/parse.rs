//! Spec files as written: the serde shapes of the YAML, and the one place that runs serde_yaml.
//! Nothing here checks meaning; `validate` does.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::diagnostic::{Diagnostics, Location};
use crate::positions::PositionIndex;

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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub api: Option<RawApi>,
    pub resource: Option<RawResource>,
    #[serde(default)]
    pub enums: IndexMap<String, RawEnum>,
    #[serde(default)]
    pub models: IndexMap<String, RawModel>,
    #[serde(default)]
    pub operations: IndexMap<String, RawOperation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    pub name: String,
    pub description: Option<String>,
    pub base_url: String,
    pub auth: RawAuth,
    pub envelopes: RawEnvelopes,
    pub paging: RawPaging,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    pub bearer: Option<RawAuthScheme>,
    pub basic: Option<RawAuthScheme>,
    pub password_grant: Option<RawPasswordGrant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthScheme {
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPasswordGrant {
    pub token_path: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvelopes {
    pub action: RawActionEnvelope,
    pub validation_error: RawValidationErrorEnvelope,
    pub list: RawListEnvelope,
}

#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawValidationErrorEnvelope {
    pub model: String,
    pub property: String,
    pub message: String,
    pub attempted_value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListEnvelope {
    pub model: String,
    pub records: String,
    pub current_page: String,
    pub total_pages: String,
    pub has_next_page: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPaging {
    pub page_param: String,
    pub size_param: String,
    pub max_size: u32,
    pub params: IndexMap<String, RawParam>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub name: String,
    pub accessor: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    pub rust_name: Option<String>,
    pub description: Option<String>,
    pub open: bool,
    pub variants: Vec<RawVariant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    pub value: RawEnumValue,
    pub name: String,
    pub rust_name: Option<String>,
    pub description: Option<String>,
}

/// An enum's wire value: an integer or a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(untagged)]
pub enum RawEnumValue {
    Integer(i64),
    String(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub rust_name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub type_params: Vec<String>,
    pub fields: IndexMap<String, RawField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub read_only: bool,
    pub rust_name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum RawMethod {
    GET,
    POST,
    PUT,
    DELETE,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub summary: String,
    pub description: Option<String>,
    pub rust_name: Option<String>,
    pub method: RawMethod,
    pub path: String,
    pub role: Option<String>,
    #[serde(default)]
    pub path_params: IndexMap<String, RawParam>,
    pub query: Option<RawQuery>,
    pub body: Option<RawBody>,
    pub answer: String,
    pub returns: Option<RawReturns>,
    pub read_with: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawReturns {
    NewId,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuery {
    #[serde(default)]
    pub paged: bool,
    #[serde(default)]
    pub params: IndexMap<String, RawParam>,
    pub filters: Option<RawFilters>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFilters {
    pub prefix: String,
    #[serde(default)]
    pub equal: IndexMap<String, RawParam>,
    #[serde(default)]
    pub range: IndexMap<String, RawParam>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    pub model: String,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub required: Vec<String>,
}

/// A parameter: either its type alone (`Name: string`) or a mapping with more.
#[derive(Debug, Default)]
pub struct RawParam {
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
