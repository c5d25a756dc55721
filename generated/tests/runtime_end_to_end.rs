//! The runtime seen through the public API only, against a real HTTP server on 127.0.0.1: the
//! password grant in front of a generated operation, a refused sign-in, a generated `list_all`
//! walking three pages, and the two ways the API answers a server error. The runtime's finer
//! cases are tested inside `nexudus-core` (`core/src/runtime/tests/`), where the operations it
//! serves can be made up.

// These tests drive the `crm` area's operations; without its feature they have nothing to test.
#![cfg(feature = "crm")]

use futures_util::StreamExt;
use nexudus::runtime::PasswordGrant;
use nexudus::{Client, CrmOpportunityListQuery, Error};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "correct horse battery staple";

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn password_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .password_grant(PasswordGrant::new("admin@example.com", PASSWORD))
        .build()
        .unwrap()
}

/// Page `page` of three, holding the fixture's two records renumbered from `first_id`.
fn list_page(page: i64, first_id: i64) -> serde_json::Value {
    let mut body = fixture("list-page.json");
    for (offset, record) in body["Records"].as_array_mut().unwrap().iter_mut().enumerate() {
        record["Id"] = json!(first_id + offset as i64);
    }
    body["CurrentPage"] = json!(page);
    body["HasNextPage"] = json!(page < 3);
    body["HasPreviousPage"] = json!(page > 1);
    body
}

#[tokio::test]
async fn a_generated_operation_signs_in_with_the_password_grant_first() {
    let server = MockServer::start().await;
    let token = fixture("token-200.json");
    let access_token = token["access_token"].as_str().unwrap().to_owned();
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=password&username=admin%40example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&token))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/crm/crmopportunities/87654321"))
        .and(header("authorization", format!("Bearer {access_token}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("record.json")))
        .expect(2)
        .mount(&server)
        .await;
    let client = password_client(&server);

    for _ in 0..2 {
        let record = client.crm_opportunities().get(87_654_321).await.unwrap();
        assert_eq!(record.id, 87_654_321);
    }

    let shown = format!("{client:?}");
    assert!(!shown.contains(PASSWORD) && !shown.contains(&access_token), "{shown}");
}

#[tokio::test]
async fn a_refused_sign_in_is_an_auth_error_that_shows_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(fixture("token-400.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = password_client(&server);

    let error = client.authenticate().await.unwrap_err();

    match &error {
        Error::Auth { operation, error, description, .. } => {
            assert_eq!(*operation, "Client.authenticate");
            assert_eq!(error, "invalid_grant");
            assert_eq!(description, "The user name or password is incorrect.");
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "Client.authenticate: sign-in refused: invalid_grant: The user name or password is incorrect."
    );
    assert!(!format!("{error:?}").contains(PASSWORD));
}

#[tokio::test]
async fn list_all_walks_three_pages_and_yields_every_record_once_in_order() {
    let server = MockServer::start().await;
    for (page, first_id) in [(1, 101), (2, 201), (3, 301)] {
        Mock::given(method("GET"))
            .and(path("/api/crm/crmopportunities"))
            .and(query_param("page", page.to_string()))
            .and(query_param("size", "1000"))
            .respond_with(ResponseTemplate::new(200).set_body_json(list_page(page, first_id)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::builder().base_url(server.uri()).bearer_token("test-token").build().unwrap();

    let records: Vec<_> = client.crm_opportunities().list_all(&CrmOpportunityListQuery::new()).collect().await;

    let ids: Vec<i64> = records.into_iter().map(|record| record.unwrap().id).collect();
    assert_eq!(ids, [101, 102, 201, 202, 301, 302]);
}

/// Both server-error answers the API gives, with the message each carries.
const SERVER_ERRORS: [(&str, &str); 2] = [
    ("server-error-500.json", "An error has occurred."),
    ("server-error-500-envelope.json", "An error occurred while saving the entity changes."),
];

#[tokio::test]
async fn a_server_error_is_a_retryable_status_error_with_the_servers_message_in_both_readings() {
    for (body, message) in SERVER_ERRORS {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/crm/crmopportunities"))
            .respond_with(ResponseTemplate::new(500).set_body_json(fixture(body)))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).bearer_token("test-token").build().unwrap();

        let request = nexudus::CrmOpportunityCreate::new(1, 2, 0, nexudus::CrmOpportunityStatus::InProgress);
        let error = client.crm_opportunities().create(&request).await.unwrap_err();

        assert_eq!(error.status(), Some(500), "{body}: {error:?}");
        assert!(matches!(error, Error::Status { status: 500, .. }), "{body}: {error:?}");
        assert_eq!(error.to_string(), format!("CrmOpportunity.create: HTTP 500: {message}"), "{body}");
        assert!(error.is_retryable(), "{body}: a later try may succeed");
        // The expectation of one request checks that the POST was not sent again.
    }
}

#[tokio::test]
async fn a_server_error_on_an_update_is_sent_again_in_both_readings() {
    for (body, _) in SERVER_ERRORS {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path("/api/crm/crmopportunities"))
            .respond_with(ResponseTemplate::new(500).set_body_json(fixture(body)))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/api/crm/crmopportunities"))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture("update-200.json")))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token("test-token")
            .retry_backoff(std::time::Duration::from_millis(10))
            .build()
            .unwrap();

        let request = nexudus::CrmOpportunityUpdate::new(87654321, 1240011, 903114, 3);
        let outcome = client.crm_opportunities().update(&request).await.unwrap();
        assert_eq!(outcome.id, Some(87654321), "{body}");
    }
}

#[tokio::test]
async fn a_client_error_with_the_action_envelope_is_a_validation_error_whatever_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/crm/crmopportunities"))
        .respond_with(ResponseTemplate::new(422).set_body_json(fixture("create-200-not-successful.json")))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).bearer_token("test-token").build().unwrap();

    let request = nexudus::CrmOpportunityCreate::new(1, 999, 0, nexudus::CrmOpportunityStatus::InProgress);
    let error = client.crm_opportunities().create(&request).await.unwrap_err();

    assert!(matches!(error, Error::Validation { status: 422, .. }), "{error:?}");
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.validation_errors()[0].property_name.as_deref(), Some("CoworkerId"));
}
