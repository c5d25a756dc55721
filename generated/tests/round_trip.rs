//! Every record, list and envelope payload the API sends decodes into the generated types and
//! encodes back to the same JSON: no field lost (fields the spec does not know included), none
//! added, null and absent kept apart, and every value with its own text (fraction digits, zone
//! form, decimal scale).

// These tests drive the `crm` area's operations; without its feature they have nothing to test.
#![cfg(feature = "crm")]

use nexudus::{
    ActionResult, CrmOpportunity, CrmOpportunityLossReason, CrmOpportunitySource, CrmOpportunityStatus, Page,
};
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap()
}

/// Decodes `name` as `T`, checks it encodes back to the same JSON value, and returns it.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let original = fixture(name);
    let decoded: T = serde_json::from_value(original.clone()).unwrap_or_else(|error| panic!("{name}: {error}"));
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded, original, "{name} does not encode back to the JSON it came from");
    decoded
}

#[test]
fn full_record() {
    let record: CrmOpportunity = round_trip("record.json");
    assert_eq!(record.id, 87654321);
    assert_eq!(record.lead_source, Some(CrmOpportunitySource::GoogleSearch));
    assert_eq!(record.status, CrmOpportunityStatus::InProgress);
    assert_eq!(record.value, Some("1250.50".parse().unwrap()));
    assert_eq!(record.team_id, Some(None), "TeamId is present and null");
    assert_eq!(record.due_date.unwrap().to_string(), "2025-02-01T09:00:00Z");
    assert_eq!(record.unique_id.to_string(), "a043e2d1-0301-429e-acb8-56fddf57ef3c");
}

#[test]
fn list_page_of_projections() {
    let page: Page<CrmOpportunity> = round_trip("list-page.json");
    assert_eq!(page.records.len(), 2);
    assert_eq!(page.records[0].team_id, None, "TeamId is absent from list projections");
    assert_eq!(page.records[1].value, Some(4800.into()));
    assert_eq!((page.current_page, page.total_pages, page.has_next_page), (Some(1), Some(3), Some(true)));
}

#[test]
fn action_envelopes() {
    for name in ["create-200.json", "update-200.json", "delete-200.json", "create-200-not-successful.json"] {
        round_trip::<ActionResult>(name);
    }
    let failure: ActionResult = round_trip("update-400-validation.json");
    assert!(!failure.was_successful);
    let errors = failure.errors.unwrap().unwrap();
    assert_eq!(errors[0].property_name.as_deref(), Some("Name"));
    assert_eq!(errors[0].attempted_value, serde_json::Value::Null);
}

#[test]
fn unknown_enum_values_and_fields_are_tolerated() {
    let mut record = fixture("record.json");
    record["LeadSource"] = 57.into();
    record["LossReason"] = 1234.into();
    record["ToStringText"] = "Two desks".into();
    record["CustomFields"] = serde_json::json!({"Floor": 3});
    let decoded: CrmOpportunity = serde_json::from_value(record).unwrap();
    assert_eq!(decoded.lead_source, Some(CrmOpportunitySource::Unknown(57)));
    assert_eq!(decoded.loss_reason, Some(CrmOpportunityLossReason::Unknown(1234)));
    assert_eq!(decoded.unknown_fields.value::<String>("ToStringText").unwrap().unwrap(), "Two desks");
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded["LeadSource"], 57, "an unknown value is sent back as it came");
    assert_eq!(encoded["CustomFields"], serde_json::json!({"Floor": 3}), "an unknown field is sent back as it came");
}

#[test]
fn date_time_forms_the_api_uses() {
    for form in ["2025-01-15T10:30:00Z", "2025-01-15T10:30:00", "2025-01-15T10:30:00.123Z", "2025-01-15T10:30:00+01:00"]
    {
        let mut record = fixture("record.json");
        record["DueDate"] = form.into();
        let decoded: CrmOpportunity = serde_json::from_value(record).unwrap_or_else(|error| panic!("{form}: {error}"));
        assert_eq!(serde_json::to_value(&decoded).unwrap()["DueDate"], form);
    }
}

#[test]
fn a_record_without_a_field_every_answer_carries_is_refused_naming_it() {
    let mut record = fixture("record.json");
    record.as_object_mut().unwrap().remove("Id");
    let error = serde_json::from_value::<CrmOpportunity>(record).unwrap_err();
    assert_eq!(error.to_string(), "missing field `Id`");
}

#[test]
fn a_nullable_field_left_out_reads_as_none() {
    let mut record = fixture("record.json");
    record.as_object_mut().unwrap().remove("Name");
    let decoded: CrmOpportunity = serde_json::from_value(record).unwrap();
    assert_eq!(decoded.name, None);
}

#[test]
fn a_record_that_is_not_an_object_is_refused() {
    let error = serde_json::from_str::<CrmOpportunity>("[1, 2]").unwrap_err();
    assert!(error.to_string().contains("expected struct CrmOpportunity"), "{error}");
}

/// A JSON document as the text of each of its values: objects by key, arrays in order, and every
/// number, string, boolean and null as it is written. Two documents are equal when every value
/// has the same text, so `100.00` differs from `100` and `Z` from `+00:00`.
#[derive(Debug, PartialEq)]
enum JsonText {
    Object(BTreeMap<String, JsonText>),
    Array(Vec<JsonText>),
    Value(String),
}

fn json_text(json: &str) -> JsonText {
    let raw: Box<RawValue> = serde_json::from_str(json).unwrap_or_else(|error| panic!("{error}: {json}"));
    let text = raw.get();
    if text.starts_with('{') {
        let members: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text).unwrap();
        JsonText::Object(members.into_iter().map(|(name, value)| (name, json_text(value.get()))).collect())
    } else if text.starts_with('[') {
        let items: Vec<Box<RawValue>> = serde_json::from_str(text).unwrap();
        JsonText::Array(items.iter().map(|item| json_text(item.get())).collect())
    } else {
        JsonText::Value(text.to_owned())
    }
}

/// Decodes the text `json` as `T` (from the text itself, as the client does, not through a
/// `serde_json::Value`, which would lose the numbers' digits), encodes it again, and checks
/// that every value kept its text. Returns the encoded text.
fn round_trip_text<T: DeserializeOwned + Serialize>(what: &str, json: &str) -> String {
    let decoded: T = serde_json::from_str(json).unwrap_or_else(|error| panic!("{what}: {error}"));
    let encoded = serde_json::to_string(&decoded).unwrap();
    assert_eq!(json_text(&encoded), json_text(json), "{what} does not encode back to the text it came from");
    encoded
}

fn fixture_text(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn every_example_goes_back_with_the_text_of_each_value() {
    round_trip_text::<CrmOpportunity>("record.json", &fixture_text("record.json"));
    round_trip_text::<Page<CrmOpportunity>>("list-page.json", &fixture_text("list-page.json"));
    for name in [
        "create-200.json",
        "create-200-not-successful.json",
        "update-200.json",
        "update-400-validation.json",
        "delete-200.json",
    ] {
        round_trip_text::<ActionResult>(name, &fixture_text(name));
    }
}

#[test]
fn date_times_keep_their_fraction_digits_and_zone_form() {
    let record = fixture_text("record.json");
    let fractions = ["", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".1234567", ".5", ".500"];
    for fraction in fractions {
        for zone in ["", "Z", "+00:00", "+01:00", "-05:00"] {
            let value = format!("2025-03-01T09:30:00{fraction}{zone}");
            let json = record.replace(r#""DueDate": "2025-02-01T09:00:00Z""#, &format!(r#""DueDate": "{value}""#));
            assert!(json.contains(&value));
            round_trip_text::<CrmOpportunity>(&value, &json);
        }
    }
}

#[test]
fn decimals_keep_their_scale() {
    let record = fixture_text("record.json");
    for value in ["100.00", "100", "100.0", "1250.50", "0.10", "-7.250", "4800", "0"] {
        let json = record.replace(r#""Value": 1250.50"#, &format!(r#""Value": {value}"#));
        let encoded = round_trip_text::<CrmOpportunity>(value, &json);
        assert!(encoded.contains(&format!(r#""Value":{value},"#)), "{value}: {encoded}");
    }
}

#[test]
fn fields_the_spec_does_not_know_go_back_unchanged_in_their_order() {
    let json = r#"{
      "NewWritableSetting": "keep me",
      "Name": "Two desks", "CrmBoardColumnId": 1240011, "CrmBoardColumnName": "Tour booked",
      "CoworkerId": 903114, "CoworkerFullName": "Ada Moreno",
      "CustomFields": {"Floor": 3, "Rate": 12.50, "Tags": ["a", null, 1e3]},
      "Notes": null, "Completed": false, "DueDate": null, "Value": 100.00, "Reminded": false,
      "LeadSource": 19, "LossReason": null, "Status": 1, "WonOn": null, "LostOn": null, "Position": 3,
      "ToStringText": "Two desks \u00e9\n", "HugeCount": 123456789012345678901234567890,
      "Id": 87654321, "UniqueId": "a043e2d1-0301-429e-acb8-56fddf57ef3c",
      "CreatedOn": "2025-01-10T08:15:00.1234567", "UpdatedOn": "2025-01-15T10:30:00+00:00",
      "UpdatedBy": "admin@example.com", "IsNew": false, "SystemId": null,
      "LocalizationDetails": null
    }"#;
    let encoded = round_trip_text::<CrmOpportunity>("a record with unknown fields", json);
    let position = |name: &str| encoded.find(&format!(r#""{name}":"#)).unwrap_or_else(|| panic!("{name}: {encoded}"));
    let unknown = ["NewWritableSetting", "CustomFields", "ToStringText", "HugeCount", "LocalizationDetails"];
    assert!(unknown.windows(2).all(|pair| position(pair[0]) < position(pair[1])), "in their order: {encoded}");
    assert!(position("SystemId") < position(unknown[0]), "after the fields the spec knows: {encoded}");
}
