//! What the client makes of the API's answers: action envelopes that succeed or fail, 404, and
//! bodies that are not what was expected; and what it sends.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{
    client_for, header_of, requests_at, thing_json, thing_request, things_request, Thing, CREATE_200,
    CREATE_200_NOT_SUCCESSFUL, CREATE_THING, GET_THING, UPDATE_400_VALIDATION, UPDATE_THING,
};
use crate::runtime::{Error, FieldError};

async fn mount(server: &MockServer, http_method: &str, at: &str, answer: ResponseTemplate) {
    Mock::given(method(http_method)).and(path(at)).respond_with(answer).mount(server).await;
}

#[tokio::test]
async fn http_400_with_the_envelope_is_a_validation_error_with_every_field_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PUT",
        "/api/things",
        ResponseTemplate::new(400).set_body_raw(UPDATE_400_VALIDATION, "application/json"),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let request = things_request().json(&thing_json(1, ""));
    let error = client.execute_action(&UPDATE_THING, request).await.unwrap_err();

    match &error {
        Error::Validation { operation, status, message, errors } => {
            assert_eq!(*operation, "Thing.update");
            assert_eq!(*status, 400);
            assert_eq!(message, "Name: is a required field");
            assert_eq!(
                errors,
                &[FieldError {
                    property_name: Some("Name".to_owned()),
                    message: "is a required field".to_owned(),
                    attempted_value: serde_json::Value::Null,
                }]
            );
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    assert_eq!(error.validation_errors().len(), 1);
    assert!(!error.is_retryable());
    assert_eq!(requests_at(&server, "/api/things").await.len(), 1, "a refusal is final");
}

#[tokio::test]
async fn http_200_that_was_not_successful_is_a_validation_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        "/api/things",
        ResponseTemplate::new(200).set_body_raw(CREATE_200_NOT_SUCCESSFUL, "application/json"),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let request = things_request().json(&thing_json(0, "Desk"));
    let error = client.execute_create(&CREATE_THING, request).await.unwrap_err();

    match &error {
        Error::Validation { operation, status, message, errors } => {
            assert_eq!(*operation, "Thing.create");
            assert_eq!(*status, 200);
            assert_eq!(message, "CoworkerId: the customer does not exist");
            assert_eq!(
                errors,
                &[FieldError {
                    property_name: Some("CoworkerId".to_owned()),
                    message: "the customer does not exist".to_owned(),
                    attempted_value: serde_json::json!(999),
                }]
            );
        }
        other => panic!("expected Validation, got {other:?}"),
    }
}

#[tokio::test]
async fn create_answers_the_new_id_and_sends_json_with_the_user_agent() {
    let server = MockServer::start().await;
    mount(&server, "POST", "/api/things", ResponseTemplate::new(200).set_body_raw(CREATE_200, "application/json"))
        .await;
    let client = client_for(&server).bearer_token("fixed-token").build().unwrap();

    let request = things_request().json(&thing_json(0, "Desk"));
    assert_eq!(client.execute_create(&CREATE_THING, request).await.unwrap(), 87_654_322);

    let sent = requests_at(&server, "/api/things").await.pop().unwrap();
    assert_eq!(header_of(&sent, "authorization"), "Bearer fixed-token");
    assert_eq!(header_of(&sent, "content-type"), "application/json");
    assert_eq!(header_of(&sent, "user-agent"), concat!("nexudus-rust/", env!("CARGO_PKG_VERSION")));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&sent.body).unwrap(), thing_json(0, "Desk"));
}

#[tokio::test]
async fn basic_credentials_go_with_every_request() {
    let server = MockServer::start().await;
    mount(&server, "GET", "/api/things/1", ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk"))).await;
    let client = client_for(&server).basic_auth("admin@example.com", "pw").build().unwrap();

    client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap();

    let sent = requests_at(&server, "/api/things/1").await.pop().unwrap();
    // base64("admin@example.com:pw")
    assert_eq!(header_of(&sent, "authorization"), "Basic YWRtaW5AZXhhbXBsZS5jb206cHc=");
}

#[tokio::test]
async fn not_found_is_its_own_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/api/things/1",
        ResponseTemplate::new(404).set_body_raw(r#""Not found""#, "application/json"),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::NotFound { operation: "Thing.get" }), "{error:?}");
    assert_eq!(error.to_string(), "Thing.get: not found (HTTP 404)");
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 1);
}

#[tokio::test]
async fn an_html_page_is_a_decode_error_with_status_and_snippet() {
    let page = "<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon</body></html>";
    let server = MockServer::start().await;
    mount(&server, "GET", "/api/things/1", ResponseTemplate::new(200).set_body_raw(page, "text/html")).await;
    mount(&server, "PUT", "/api/things", ResponseTemplate::new(200).set_body_raw(page, "text/html")).await;
    let client = client_for(&server).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();
    match &error {
        Error::Decode { operation, status, snippet, .. } => {
            assert_eq!(*operation, "Thing.get");
            assert_eq!(*status, 200);
            assert_eq!(snippet, page);
        }
        other => panic!("expected Decode, got {other:?}"),
    }

    let request = things_request().json(&thing_json(1, "Desk"));
    let error = client.execute_action(&UPDATE_THING, request).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { status: 200, snippet, .. } if snippet.starts_with("<!DOCTYPE html>")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_long_body_is_cut_to_a_snippet() {
    let body = "x".repeat(5000);
    let server = MockServer::start().await;
    mount(&server, "GET", "/api/things/1", ResponseTemplate::new(502).set_body_string(body)).await;
    let client = client_for(&server).max_attempts(1).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    match error {
        Error::Status { status: 502, message, .. } => assert_eq!(message.len(), 200),
        other => panic!("expected Status, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_cannot_be_encoded_fails_when_sent_without_reaching_the_server() {
    let server = MockServer::start().await;
    let client = client_for(&server).build().unwrap();
    // JSON object keys must be strings.
    let body: std::collections::BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into();

    let error = client.execute_action(&CREATE_THING, things_request().json(&body)).await.unwrap_err();

    match &error {
        Error::Request { operation, message } => {
            assert_eq!(*operation, "Thing.create");
            assert!(message.contains("key must be a string"), "{message}");
        }
        other => panic!("expected a request error, got {other:?}"),
    }
    assert!(requests_at(&server, "/api/things").await.is_empty(), "nothing was sent");
}
