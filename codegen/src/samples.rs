//! JSON documents of every model, made from the spec alone, that the generated round-trip tests
//! decode into the generated types and expect back as the same text (`emit::round_trips`).
//!
//! Each model gets one document per [`Case`]: every field with a value, the nullable ones null,
//! the optional ones absent, and fields and enum values the spec does not know. Values cycle
//! through the forms the API writes (decimal scales, date-time fraction digits and zones, integer
//! extremes, strings with escapes), in the order the fields come, starting over for each model:
//! the documents are a pure function of the spec, and a change to one model changes only its own.

use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::ir::{EnumRepr, EnumValue, ModelId, Spec, Type};

/// What a document of a model holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Every field the answers carry, each with a value.
    Values,
    /// The nullable fields null, every other one with a value.
    Nulls,
    /// The optional fields left out, the others with a value; lists are empty.
    Absent,
    /// Every field with a value, fields the spec does not list before, among and after them, and
    /// values open enums do not list.
    Unknown,
}

impl Case {
    /// How test failures name the case.
    pub fn name(self) -> &'static str {
        match self {
            Case::Values => "values",
            Case::Nulls => "nulls",
            Case::Absent => "absent",
            Case::Unknown => "unknown",
        }
    }
}

/// One document of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub case: Case,
    /// The document, as compact JSON text.
    pub json: String,
    /// The text the generated type writes it back as, where it differs from `json`: the fields
    /// the spec does not list move after those it lists, in the order they came.
    pub written: Option<String>,
}

/// The documents of model `id`, its type parameters bound to `arguments` (concrete types), one
/// per case that says something about it: `Nulls` only for a model with a nullable field,
/// `Absent` only for one with an optional field or a list.
pub fn model_samples(spec: &Spec, id: ModelId, arguments: &[Type]) -> Vec<Sample> {
    let model = &spec.models[id.0];
    let has_nullable = model.answer_fields().any(|field| field.nullable);
    let has_absent = model.answer_fields().any(|field| !field.required || matches!(field.ty, Type::List(_)));
    let cases = [(Case::Values, true), (Case::Nulls, has_nullable), (Case::Absent, has_absent), (Case::Unknown, true)];
    let mut maker = Maker { spec, next: [0; KINDS] };
    cases
        .into_iter()
        .filter(|(_, applies)| *applies)
        .map(|(case, _)| {
            let document = maker.object(id, arguments, case, 0);
            let json = document.to_text();
            let written = document.written().to_text();
            Sample { case, written: (written != json).then_some(written), json }
        })
        .collect()
}

/// Lists of models this deep in a document are empty: a model may hold a list of itself.
const MAX_LIST_DEPTH: usize = 2;

/// How many items a list holds in a document that is not [`Case::Absent`].
const LIST_ITEMS: usize = 2;

// The forms of each type, taken in turn. Decimals keep their scale (`100.00`, `0.00`) and reach
// the largest and smallest a .NET decimal holds; date-times come with and without a zone and with
// no to seven fraction digits, the forms a value made in Rust would be written in alternating
// with others (trailing zeros, `+00:00`); strings need escapes; json values are in the form
// `serde_json::Value` writes (keys sorted, numbers as it prints them), which is what it keeps.
const INT32: [&str; 4] = ["2147483647", "-2147483648", "0", "42"];
const INT64: [&str; 4] = ["9223372036854775807", "-9223372036854775808", "0", "87654321"];
const DECIMAL: [&str; 8] = [
    "100.00",
    "1250.50",
    "-7.250",
    "4800",
    "0.00",
    "0.1",
    "79228162514264337593543950335",
    "-0.0000000000000000000000000001",
];
const BOOL: [&str; 2] = ["true", "false"];
const STRING: [&str; 4] =
    ["Two desks", "Line one\nLine \"two\"\t\\ caf\u{e9} \u{2615}", "", "Ada <ada@example.com> & co"];
const DATE_TIME: [&str; 14] = [
    // .NET's round-trip form: seven fraction digits, trailing zeros kept.
    "2025-03-01T09:30:00.0000000Z",
    "2025-03-01T09:30:00.1",
    "2025-03-01T09:30:00+00:00",
    "2025-03-01T09:30:00.12Z",
    "2025-03-01T09:30:00.1230000",
    "2025-03-01T09:30:00.123+02:00",
    "2025-03-01T09:30:00.500+00:00",
    "2025-03-01T09:30:00.1234",
    "2025-03-01T09:30:00",
    "2025-03-01T09:30:00.12345Z",
    "2025-03-01T09:30:00.123456-05:00",
    "2025-03-01T09:30:00.1234567",
    "2025-03-01T09:30:00Z",
    "2025-03-01T09:30:00.1234567+02:00",
];
const UUID: [&str; 3] = [
    "a043e2d1-0301-429e-acb8-56fddf57ef3c",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
];
const JSON: [&str; 5] =
    [r#"{"Id":87654321}"#, r#"[1,"two",true,null,{"Three":0.5}]"#, r#""text""#, "-12", r#"{"A":{"B":[]},"Z":false}"#];

/// Fields no model lists, with values whose text a parse and print would change (spacing, a
/// decimal's scale, an exponent, an escape): the runtime keeps them as text, in this order, which
/// is not the order of their names.
const UNKNOWN_FIELDS: [(&str, &str); 3] = [
    ("Unlisted3", r#"{"Floor": 3, "Rate": 12.50, "Tags": ["a", null, 1e3]}"#),
    ("Unlisted1", r#""caf\u00e9 \/""#),
    ("Unlisted2", "100.00"),
];

/// The kinds of value that take their forms in turn, each with its own counter.
#[derive(Clone, Copy)]
enum Kind {
    Int32,
    Int64,
    Decimal,
    Bool,
    String,
    DateTime,
    Uuid,
    Json,
    Enum,
}

const KINDS: usize = 9;

/// Makes the documents of one model, counting the values of each kind it has used.
struct Maker<'a> {
    spec: &'a Spec,
    next: [usize; KINDS],
}

impl Maker<'_> {
    /// The next form of `kind` from `forms`.
    fn take(&mut self, kind: Kind, forms: &[&str]) -> Json {
        let index = self.take_index(kind, forms.len());
        Json::Text(forms[index].to_owned())
    }

    fn take_index(&mut self, kind: Kind, count: usize) -> usize {
        let counter = &mut self.next[kind as usize];
        let index = *counter % count;
        *counter += 1;
        index
    }

    /// An object of model `id` for `case`; `depth` counts the models around it.
    fn object(&mut self, id: ModelId, arguments: &[Type], case: Case, depth: usize) -> Json {
        let model = &self.spec.models[id.0];
        let mut members = Vec::new();
        for field in model.answer_fields() {
            let value = match case {
                Case::Absent if !field.required => continue,
                Case::Nulls if field.nullable => Json::Text("null".to_owned()),
                _ => self.value(&field.ty, arguments, case, depth),
            };
            members.push(Member { name: field.wire.clone(), value, known: true });
        }
        if case == Case::Unknown {
            let known = members.len();
            let names: Vec<String> = UNKNOWN_FIELDS.iter().map(|(name, _)| unused_name(name, &members)).collect();
            // Before the first field, among them and after the last.
            for ((name, (_, text)), at) in names.into_iter().zip(UNKNOWN_FIELDS).zip([0, known / 2 + 1, known + 2]) {
                members.insert(at, Member { name, value: Json::Text(text.to_owned()), known: false });
            }
        }
        Json::Object(members)
    }

    /// A value of type `ty`, in which `Param(i)` stands for `arguments[i]`.
    fn value(&mut self, ty: &Type, arguments: &[Type], case: Case, depth: usize) -> Json {
        match ty {
            Type::Int32 => self.take(Kind::Int32, &INT32),
            Type::Int64 => self.take(Kind::Int64, &INT64),
            Type::Decimal => self.take(Kind::Decimal, &DECIMAL),
            Type::Bool => self.take(Kind::Bool, &BOOL),
            Type::String => {
                let index = self.take_index(Kind::String, STRING.len());
                Json::String(STRING[index].to_owned())
            }
            Type::DateTime => {
                let index = self.take_index(Kind::DateTime, DATE_TIME.len());
                Json::String(DATE_TIME[index].to_owned())
            }
            Type::Uuid => {
                let index = self.take_index(Kind::Uuid, UUID.len());
                Json::String(UUID[index].to_owned())
            }
            Type::Json => self.take(Kind::Json, &JSON),
            Type::Enum(id) => {
                let spec_enum = &self.spec.enums[id.0];
                let value = if case == Case::Unknown && spec_enum.open {
                    unlisted_value(spec_enum.repr, &spec_enum.variants)
                } else {
                    let index = self.take_index(Kind::Enum, spec_enum.variants.len());
                    spec_enum.variants[index].value.clone()
                };
                match value {
                    EnumValue::Integer(value) => Json::Text(value.to_string()),
                    EnumValue::String(value) => Json::String(value),
                }
            }
            Type::Model(id, model_arguments) => {
                let bound: Vec<Type> = model_arguments.iter().map(|argument| argument.substitute(arguments)).collect();
                self.object(*id, &bound, case, depth + 1)
            }
            Type::List(item) => {
                let items = if case == Case::Absent || depth >= MAX_LIST_DEPTH { 0 } else { LIST_ITEMS };
                Json::Array((0..items).map(|_| self.value(item, arguments, case, depth)).collect())
            }
            Type::Param(_) => self.value(&ty.substitute(arguments), &[], case, depth),
        }
    }
}

/// `name`, with underscores added until no member has it.
fn unused_name(name: &str, members: &[Member]) -> String {
    let mut name = name.to_owned();
    while members.iter().any(|member| member.name == name) {
        name.push('_');
    }
    name
}

/// A value of an enum that none of its variants has.
fn unlisted_value(repr: EnumRepr, variants: &[crate::ir::Variant]) -> EnumValue {
    let listed = |value: &EnumValue| variants.iter().any(|variant| variant.value == *value);
    let mut value = match repr {
        EnumRepr::Integer => EnumValue::Integer(57),
        EnumRepr::String => EnumValue::String("unlisted".to_owned()),
    };
    while listed(&value) {
        value = match value {
            EnumValue::Integer(number) => EnumValue::Integer(number + 1),
            EnumValue::String(text) => EnumValue::String(text + "_"),
        };
    }
    value
}

/// A document being made: members keep their order, and values their text.
#[derive(Debug, Clone)]
enum Json {
    /// A number, `true`, `false`, `null` or any JSON, written as this text.
    Text(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone)]
struct Member {
    name: String,
    value: Json,
    /// Whether the model lists the field.
    known: bool,
}

impl Json {
    /// The document as the generated types write it: in every object of a model, the fields it
    /// lists, then the others, each group in its order.
    fn written(&self) -> Json {
        match self {
            Json::Object(members) => {
                let (known, unknown): (Vec<&Member>, Vec<&Member>) = members.iter().partition(|member| member.known);
                let members = known.into_iter().chain(unknown).map(|member| Member {
                    name: member.name.clone(),
                    value: member.value.written(),
                    known: member.known,
                });
                Json::Object(members.collect())
            }
            Json::Array(items) => Json::Array(items.iter().map(Json::written).collect()),
            other => other.clone(),
        }
    }

    /// Compact JSON text, as `serde_json` writes it.
    fn to_text(&self) -> String {
        // Every `Text` is one of this module's valid JSON texts.
        serde_json::to_string(self).expect("sample documents are valid JSON")
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Text(text) => RawValue::from_string(text.clone()).map_err(S::Error::custom)?.serialize(serializer),
            Json::String(text) => serializer.serialize_str(text),
            Json::Array(items) => {
                let mut sequence = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    sequence.serialize_element(item)?;
                }
                sequence.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for member in members {
                    map.serialize_entry(&member.name, &member.value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documents of the model `name` of the spec file `test/thing.yaml` whose text is `yaml`,
    /// each as (case, json, written).
    fn documents(yaml: &str, name: &str) -> Vec<(&'static str, String, Option<String>)> {
        let spec = crate::spec_for_tests(&[("test/thing.yaml", yaml)]);
        let id = spec.models.iter().position(|model| model.name == name).expect("the model is declared");
        model_samples(&spec, ModelId(id), &[])
            .into_iter()
            .map(|sample| (sample.case.name(), sample.json, sample.written))
            .collect()
    }

    fn check(yaml: &str, name: &str, expected: &[(&str, &str, Option<&str>)]) {
        let expected: Vec<_> = expected
            .iter()
            .map(|(case, json, written)| (*case, (*json).to_owned(), written.map(str::to_owned)))
            .collect();
        assert_eq!(documents(yaml, name), expected);
    }

    #[test]
    fn each_presence_gets_its_cases() {
        check(
            "models:\n  Thing:\n    fields:\n      A: { type: int32, required: true }\n      B: { type: int32, required: true, nullable: true }\n      C: { type: int32 }\n      D: { type: int32, nullable: true }\n",
            "Thing",
            &[
                ("values", r#"{"A":2147483647,"B":-2147483648,"C":0,"D":42}"#, None),
                ("nulls", r#"{"A":2147483647,"B":null,"C":-2147483648,"D":null}"#, None),
                ("absent", r#"{"A":0,"B":42}"#, None),
                (
                    "unknown",
                    r#"{"Unlisted3":{"Floor": 3, "Rate": 12.50, "Tags": ["a", null, 1e3]},"A":2147483647,"B":-2147483648,"Unlisted1":"caf\u00e9 \/","C":0,"D":42,"Unlisted2":100.00}"#,
                    Some(
                        r#"{"A":2147483647,"B":-2147483648,"C":0,"D":42,"Unlisted3":{"Floor": 3, "Rate": 12.50, "Tags": ["a", null, 1e3]},"Unlisted1":"caf\u00e9 \/","Unlisted2":100.00}"#,
                    ),
                ),
            ],
        );
    }

    #[test]
    fn a_model_without_nullable_or_optional_fields_has_only_values_and_unknown() {
        let cases: Vec<_> =
            documents("models:\n  Thing:\n    fields:\n      A: { type: bool, required: true }\n", "Thing")
                .into_iter()
                .map(|(case, _, _)| case)
                .collect();
        assert_eq!(cases, ["values", "unknown"]);
    }

    #[test]
    fn values_take_every_form_in_turn_and_start_over_for_each_model() {
        let fields: String =
            (0..15).map(|index| format!("      F{index}: {{ type: date-time, required: true }}\n")).collect();
        let yaml = format!("models:\n  Thing:\n    fields:\n{fields}  Other:\n    fields:\n      F: {{ type: date-time, required: true }}\n");
        let (_, values, _) = &documents(&yaml, "Thing")[0];
        let forms: Vec<String> = DATE_TIME.iter().chain(&DATE_TIME[..1]).map(|form| format!("\"{form}\"")).collect();
        for (index, form) in forms.iter().enumerate() {
            assert!(values.contains(&format!("\"F{index}\":{form}")), "F{index} is {form}: {values}");
        }
        let (_, other, _) = &documents(&yaml, "Other")[0];
        assert_eq!(other, &format!(r#"{{"F":"{}"}}"#, DATE_TIME[0]));
    }

    #[test]
    fn decimals_keep_their_scale_and_strings_their_escapes() {
        let yaml = "models:\n  Thing:\n    fields:\n      A: { type: decimal, required: true }\n      B: { type: decimal, required: true }\n      S: { type: string, required: true }\n      T: { type: string, required: true }\n";
        let (_, values, _) = &documents(yaml, "Thing")[0];
        assert_eq!(values, r#"{"A":100.00,"B":1250.50,"S":"Two desks","T":"Line one\nLine \"two\"\t\\ café ☕"}"#);
    }

    #[test]
    fn open_enums_take_a_value_they_do_not_list_in_the_unknown_case_only() {
        let yaml = "enums:\n  eOpen:\n    open: true\n    variants:\n      - { value: 57, name: A }\n      - { value: 58, name: B }\n  eClosed:\n    open: false\n    variants:\n      - { value: x, name: X }\n  eOpenText:\n    open: true\n    variants:\n      - { value: unlisted, name: U }\nmodels:\n  Thing:\n    fields:\n      O: { type: eOpen, required: true }\n      C: { type: eClosed, required: true }\n      T: { type: eOpenText, required: true }\n";
        let documents = documents(yaml, "Thing");
        assert_eq!(documents[0].1, r#"{"O":57,"C":"x","T":"unlisted"}"#);
        assert!(documents[1].1.contains(r#""O":59,"#), "{}", documents[1].1);
        assert!(documents[1].1.contains(r#""C":"x","#), "{}", documents[1].1);
        assert!(documents[1].1.contains(r#""T":"unlisted_""#), "{}", documents[1].1);
    }

    #[test]
    fn lists_hold_two_items_empty_when_absent_and_stop_where_a_model_holds_itself() {
        let yaml = "models:\n  Thing:\n    fields:\n      N: { type: int32, required: true }\n      Children: { type: list<Thing>, required: true }\n";
        let documents = documents(yaml, "Thing");
        let (case, values, _) = &documents[0];
        assert_eq!(*case, "values");
        // The document, its children and their children: lists two models deep are empty.
        assert_eq!(values.matches(r#""Children":[]"#).count(), 4, "{values}");
        assert_eq!(values.matches(r#""N":"#).count(), 7, "{values}");
        let (case, absent, _) = &documents[1];
        assert_eq!((*case, absent.as_str()), ("absent", r#"{"N":42,"Children":[]}"#));
    }

    #[test]
    fn unknown_field_names_avoid_the_models_own() {
        let yaml = "models:\n  Thing:\n    fields:\n      Unlisted1: { type: bool, required: true }\n";
        let (case, unknown, _) = &documents(yaml, "Thing")[1];
        assert_eq!(*case, "unknown");
        assert!(unknown.contains(r#""Unlisted1_":"caf\u00e9 \/","Unlisted1":false,"#), "{unknown}");
    }

    #[test]
    fn a_generic_model_reads_its_arguments() {
        let spec = crate::spec_for_tests(&[(
            "test/thing.yaml",
            "models:\n  Box:\n    type_params: [T]\n    fields:\n      Item: { type: T, required: true }\n",
        )]);
        let id = ModelId(spec.models.iter().position(|model| model.name == "Box").unwrap());
        let samples = model_samples(&spec, id, &[Type::List(Box::new(Type::Uuid))]);
        assert_eq!(samples[0].json, format!(r#"{{"Item":["{}","{}"]}}"#, UUID[0], UUID[1]));
    }
}
