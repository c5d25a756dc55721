//! Generated methods against a real HTTP server on 127.0.0.1: the request each sends (method,
//! path, query, headers, JSON body) and how each reads the answer.

// These tests drive the `crm` area's operations; without its feature they have nothing to test.
#![cfg(feature = "crm")]

use nexudus::{
    Client, CrmOpportunityCreate, CrmOpportunityListQuery, CrmOpportunitySource, CrmOpportunityStatus,
    CrmOpportunityUpdate, SortDirection,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).bearer_token("test-token").build().unwrap()
}

#[tokio::test]
async fn update_sends_put_with_bearer_token_and_only_set_fields() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/crm/crmopportunities"))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "Id": 87654321,
            "CrmBoardColumnId": 1240011,
            "CoworkerId": 903114,
            "Position": 3,
            "Name": "Two desks",
            "LeadSource": 19,
            "Value": 1250.5
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("update-200.json")))
        .expect(1)
        .mount(&server)
        .await;

    let request = CrmOpportunityUpdate::new(87654321, 1240011, 903114, 3)
        .name("Two desks")
        .lead_source(CrmOpportunitySource::GoogleSearch)
        .value("1250.50".parse::<nexudus::Decimal>().unwrap());
    let outcome = client(&server).crm_opportunities().update(&request).await.unwrap();

    assert_eq!(outcome.id, Some(87654321));
    assert_eq!(outcome.updated_by.as_deref(), Some("admin@example.com"));
    assert_eq!(outcome.message.as_deref(), Some("CrmOpportunity was successfully updated."));
}

#[tokio::test]
async fn create_posts_the_body_and_returns_the_new_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/crm/crmopportunities"))
        .and(body_json(json!({"CrmBoardColumnId": 1, "CoworkerId": 2, "Status": 1, "Position": 0})))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("create-200.json")))
        .expect(1)
        .mount(&server)
        .await;

    let request = CrmOpportunityCreate::new(1, 2, 0, CrmOpportunityStatus::InProgress);
    let id = client(&server).crm_opportunities().create(&request).await.unwrap();
    assert_eq!(id, 87654322);
}

#[tokio::test]
async fn get_puts_the_id_in_the_path_and_decodes_the_record() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities/87654321"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("record.json")))
        .expect(1)
        .mount(&server)
        .await;

    let record = client(&server).crm_opportunities().get(87654321).await.unwrap();
    assert_eq!(record.name.as_deref(), Some("Two desks from March"));
    assert_eq!(record.coworker_id, 903114);
}

#[tokio::test]
async fn list_sends_typed_filters_and_paging() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities"))
        .and(query_param("page", "2"))
        .and(query_param("size", "50"))
        .and(query_param("dir", "-1"))
        .and(query_param("CrmOpportunity_Status", "2"))
        .and(query_param("CrmOpportunity_Coworker_FullName", "Ada Moreno"))
        .and(query_param("from_CrmOpportunity_UpdatedOn", "2025-01-01T00:00"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("list-page.json")))
        .expect(1)
        .mount(&server)
        .await;

    let query = CrmOpportunityListQuery::new()
        .page(2)
        .size(50)
        .dir(SortDirection::Descending)
        .status(CrmOpportunityStatus::Won)
        .coworker_full_name("Ada Moreno")
        .from_updated_on("2025-01-01T00:00:00Z".parse::<nexudus::DateTime>().unwrap());
    let page = client(&server).crm_opportunities().list(&query).await.unwrap();
    assert_eq!(page.records.len(), 2);

    let requests = server.received_requests().await.unwrap();
    let sent = requests[0].url.query().unwrap_or_default().to_owned();
    assert!(!sent.contains("CrmOpportunity_Name"), "unset filters are not sent: {sent}");
}

#[tokio::test]
async fn get_many_sends_ids_as_a_json_array() {
    let server = MockServer::start().await;
    let records = json!([fixture("record.json")]);
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities"))
        .and(query_param("id", "[1,2,3]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(records))
        .expect(1)
        .mount(&server)
        .await;

    let records = client(&server).crm_opportunities().get_many(&[1, 2, 3]).await.unwrap();
    assert_eq!(records.len(), 1);
}

#[tokio::test]
async fn delete_puts_the_id_in_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/crm/crmopportunities/87654321"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("delete-200.json")))
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server).crm_opportunities().delete(87654321).await.unwrap();
    assert_eq!(outcome.id, Some(87654321));
}

#[tokio::test]
async fn update_with_sends_back_every_writable_field_it_read() {
    let server = MockServer::start().await;
    let record = fixture("record.json");
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities/87654321"))
        .respond_with(ResponseTemplate::new(200).set_body_json(record.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/crm/crmopportunities"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("update-200.json")))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .crm_opportunities()
        .update_with(87654321, |request| request.notes = Some("Signed".to_owned()))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    let writable = [
        "Name",
        "CrmBoardColumnId",
        "CoworkerId",
        "OpportunityTypeId",
        "ResponsibleId",
        "Completed",
        "DueDate",
        "Value",
        "Reminded",
        "LeadSource",
        "Status",
        "Position",
        "UtmSource",
        "UtmMedium",
        "UtmCampaign",
        "UtmTerm",
        "Id",
    ];
    for field in writable {
        assert_eq!(sent[field], record[field], "{field} must be sent back as read");
    }
    assert_eq!(sent["Notes"], "Signed", "the change is sent");
    for read_only in ["CrmBoardColumnName", "CoworkerFullName", "UniqueId", "CreatedOn", "UpdatedBy"] {
        assert!(sent.get(read_only).is_none(), "{read_only} is read-only and not sent");
    }
}

#[tokio::test]
async fn unknown_enum_values_and_extra_fields_in_an_answer_are_not_fatal() {
    let server = MockServer::start().await;
    let mut record = fixture("record.json");
    record["Status"] = 7.into();
    record["ToStringText"] = "Two desks from March".into();
    record["LocalizationDetails"] = json!({"Culture": "en-GB"});
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities/87654321"))
        .respond_with(ResponseTemplate::new(200).set_body_json(record))
        .expect(1)
        .mount(&server)
        .await;

    let record = client(&server).crm_opportunities().get(87654321).await.unwrap();
    assert_eq!(record.status, CrmOpportunityStatus::Unknown(7));
    assert_eq!(i64::from(record.status), 7, "the unknown value is kept to be sent back");
}

#[tokio::test]
async fn update_with_sends_back_fields_the_spec_does_not_know_and_every_value_as_it_came() {
    let server = MockServer::start().await;
    // The answer as text: a JSON value would lose the digits this test is about.
    let answer = std::fs::read_to_string(format!("{}/tests/fixtures/record.json", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .replace(r#""DueDate": "2025-02-01T09:00:00Z""#, r#""DueDate": "2025-03-01T09:30:00.1234567""#)
        .replace(r#""WonOn": null"#, r#""WonOn": "2025-01-19T15:45:00.5+00:00""#)
        .replace(r#""Value": 1250.50"#, r#""Value": 100.00"#)
        .replace(
            r#""Name": "Two desks from March","#,
            r#""Name": "Two desks from March", "NewWritableSetting": "keep me","#,
        );
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities/87654321"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(answer, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/crm/crmopportunities"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("update-200.json")))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).crm_opportunities().update_with(87654321, |_| {}).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let sent = String::from_utf8(requests[1].body.clone()).unwrap();
    for kept in [
        r#""NewWritableSetting":"keep me""#,
        r#""DueDate":"2025-03-01T09:30:00.1234567""#,
        r#""WonOn":"2025-01-19T15:45:00.5+00:00""#,
        r#""Value":100.00"#,
    ] {
        assert!(sent.contains(kept), "{kept} must be sent back as it came: {sent}");
    }
    assert!(!sent.contains("CrmBoardColumnName"), "read-only fields stay out: {sent}");
}

#[tokio::test]
async fn date_time_ranges_are_rounded_outward_to_the_minute_and_sent_in_utc() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities"))
        .and(query_param("from_CrmOpportunity_UpdatedOn", "2025-01-15T00:00"))
        .and(query_param("to_CrmOpportunity_UpdatedOn", "2025-01-16T00:00"))
        .and(query_param("from_CrmOpportunity_CreatedOn", "2025-01-14T22:30"))
        .and(query_param("to_CrmOpportunity_CreatedOn", "2025-01-15T10:30"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("list-page.json")))
        .expect(1)
        .mount(&server)
        .await;
    let at = |text: &str| text.parse::<nexudus::DateTime>().unwrap();

    // A day in UTC, to the second: the minute 23:59 must not be cut off.
    let query = CrmOpportunityListQuery::new()
        .from_updated_on(at("2025-01-15T00:00:30Z"))
        .to_updated_on(at("2025-01-15T23:59:59Z"))
        .from_created_on(at("2025-01-15T00:30:00+02:00"))
        .to_created_on(at("2025-01-15T10:30:00"));
    client(&server).crm_opportunities().list(&query).await.unwrap();
}
