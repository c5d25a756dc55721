//! Every record, list and envelope payload the API sends decodes into the generated types and
//! encodes back to the same JSON value: no field lost, none added, null and absent kept apart.

// These tests drive the `crm` area's operations; without its feature they have nothing to test.
#![cfg(feature = "crm")]

use nexudus::{
    ActionResult, CrmOpportunity, CrmOpportunityLossReason, CrmOpportunitySource, CrmOpportunityStatus, Page,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

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
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded["LeadSource"], 57, "an unknown value is sent back as it came");
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
