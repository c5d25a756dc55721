//! The check behind the generated round-trip tests: every area crate has a table, written by
//! `cargo xtask gen` from the spec, of JSON documents for each of its models, and this module
//! decodes each into its type, encodes it again and compares the text. One generic function per
//! model and one non-generic check keep the tables cheap to compile.

use std::fmt::Write as _;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

/// One document of a model and the text it must be written back as.
pub struct Case {
    model: &'static str,
    case: &'static str,
    json: &'static str,
    written: Option<&'static str>,
    round_trip: fn(&str) -> Result<String, String>,
}

impl Case {
    /// `json` read as `T` must be written back as the same text.
    pub fn new<T: DeserializeOwned + Serialize>(model: &'static str, case: &'static str, json: &'static str) -> Self {
        Case { model, case, json, written: None, round_trip: decode_and_encode::<T> }
    }

    /// The text the document must be written back as, where it differs from the document: the
    /// fields the type does not know are written after those it knows.
    pub fn written_as(self, written: &'static str) -> Self {
        Case { written: Some(written), ..self }
    }
}

/// Runs every case and panics naming each one that failed and where its text first differs.
pub fn check_all(cases: &[Case]) {
    let mut failures = String::new();
    let mut failed = 0;
    for case in cases {
        if let Err(problem) = check(case) {
            failed += 1;
            let _ = writeln!(failures, "{} ({}): {problem}\n  document: {}", case.model, case.case, case.json);
        }
    }
    assert!(failed == 0, "{failed} of {} round trips failed:\n{failures}", cases.len());
}

fn check(case: &Case) -> Result<(), String> {
    let written = (case.round_trip)(case.json)?;
    let expected = case.written.unwrap_or(case.json);
    if written == expected {
        return Ok(());
    }
    let difference =
        first_difference("$", expected, &written).unwrap_or_else(|| "the same values with other spacing".to_owned());
    Err(format!("written back differently: {difference}\n  written:  {written}"))
}

/// Reads and writes as the client does: answers from their bytes, bodies to bytes. Through a
/// `serde_json::Value`, numbers would already have lost their digits.
fn decode_and_encode<T: DeserializeOwned + Serialize>(json: &str) -> Result<String, String> {
    let value: T = serde_json::from_slice(json.as_bytes()).map_err(|error| format!("does not decode: {error}"))?;
    let bytes = serde_json::to_vec(&value).map_err(|error| format!("does not encode: {error}"))?;
    String::from_utf8(bytes).map_err(|error| format!("does not encode as UTF-8: {error}"))
}

/// Where the JSON text `written` first differs from `expected`, as a path and both texts:
/// objects member by member in order, arrays item by item, every other value as its text.
fn first_difference(path: &str, expected: &str, written: &str) -> Option<String> {
    let (Some(expected_tree), Some(written_tree)) = (Tree::read(expected), Tree::read(written)) else {
        return Some(format!("{path}: expected `{expected}`, got `{written}`"));
    };
    match (expected_tree, written_tree) {
        (Tree::Object(expected_members), Tree::Object(written_members)) => {
            let names = |members: &[(String, Box<RawValue>)]| members.iter().map(|(name, _)| name.clone()).collect();
            let (expected_names, written_names): (Vec<String>, Vec<String>) =
                (names(&expected_members), names(&written_members));
            if expected_names != written_names {
                let lost: Vec<&String> = expected_names.iter().filter(|name| !written_names.contains(name)).collect();
                let added: Vec<&String> = written_names.iter().filter(|name| !expected_names.contains(name)).collect();
                return Some(match (lost.is_empty(), added.is_empty()) {
                    (true, true) => {
                        format!("{path}: members in the order {written_names:?}, expected {expected_names:?}")
                    }
                    _ => format!("{path}: members lost {lost:?}, added {added:?}"),
                });
            }
            expected_members.iter().zip(&written_members).find_map(|((name, expected), (_, written))| {
                first_difference(&format!("{path}.{name}"), expected.get(), written.get())
            })
        }
        (Tree::Array(expected_items), Tree::Array(written_items)) if expected_items.len() == written_items.len() => {
            expected_items.iter().zip(&written_items).enumerate().find_map(|(index, (expected, written))| {
                first_difference(&format!("{path}[{index}]"), expected.get(), written.get())
            })
        }
        _ if expected.trim() == written.trim() => None,
        _ => Some(format!("{path}: expected `{}`, got `{}`", expected.trim(), written.trim())),
    }
}

/// One level of a JSON document, its members and items still as text.
enum Tree {
    Object(Vec<(String, Box<RawValue>)>),
    Array(Vec<Box<RawValue>>),
    Other,
}

impl Tree {
    fn read(text: &str) -> Option<Tree> {
        match text.trim_start().as_bytes().first()? {
            b'{' => serde_json::from_str::<Members>(text).ok().map(|members| Tree::Object(members.0)),
            b'[' => serde_json::from_str(text).ok().map(Tree::Array),
            _ => Some(Tree::Other),
        }
    }
}

/// An object's members in the order they are written (a map would sort them).
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = Members;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Members, M::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loses `Y` on the way back, as a type whose `Serialize` drops a field would.
    #[derive(Serialize, Deserialize)]
    struct Point {
        #[serde(rename = "X")]
        x: i32,
        #[serde(rename = "Y", skip_serializing)]
        _y: i32,
    }

    fn problem(case: Case) -> String {
        check(&case).unwrap_err()
    }

    #[test]
    fn a_document_written_back_as_it_came_passes() {
        check_all(&[Case::new::<Vec<i64>>("Vec<i64>", "values", "[1,-2,9223372036854775807]")]);
    }

    #[test]
    fn a_lost_field_is_named() {
        let problem = problem(Case::new::<Point>("Point", "values", r#"{"X":1,"Y":2}"#));
        assert!(problem.starts_with(r#"written back differently: $: members lost ["Y"], added []"#), "{problem}");
    }

    #[test]
    fn a_value_with_other_text_is_named_with_its_path() {
        let problem = problem(Case::new::<Vec<f64>>("Vec<f64>", "values", "[1.5,100.00]"));
        assert!(problem.starts_with("written back differently: $[1]: expected `100.00`, got `100.0`"), "{problem}");
    }

    #[derive(Serialize, Deserialize)]
    struct Pair {
        #[serde(rename = "A")]
        a: i32,
        #[serde(rename = "B")]
        b: i32,
    }

    #[test]
    fn members_in_another_order_fail_unless_expected() {
        let problem = problem(Case::new::<Pair>("Pair", "unknown", r#"{"B":1,"A":2}"#));
        assert!(problem.contains(r#"members in the order ["A", "B"], expected ["B", "A"]"#), "{problem}");
        let case = Case::new::<Pair>("Pair", "unknown", r#"{"B":1,"A":2}"#).written_as(r#"{"A":2,"B":1}"#);
        assert!(check(&case).is_ok());
    }

    #[test]
    fn a_document_that_does_not_decode_fails() {
        assert!(problem(Case::new::<Point>("Point", "values", r#"{"X":"one"}"#)).starts_with("does not decode"));
    }

    #[test]
    #[should_panic(expected = "1 of 2 round trips failed")]
    fn check_all_reports_every_failure() {
        check_all(&[Case::new::<i32>("i32", "values", "7"), Case::new::<i32>("i32", "values", "7.0")]);
    }
}
