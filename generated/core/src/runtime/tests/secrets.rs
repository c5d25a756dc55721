//! The client's own secrets (tokens, passwords, a two-factor code) never show: not in `Debug`
//! output, and not in the parts of a server's answer that errors and logs quote, where a server
//! may echo what the client sent.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, thing_request, things_request, Thing, GET_THING, UPDATE_THING};
use crate::runtime::{Client, Error, PasswordGrant};

const PASSWORD: &str = "correct horse battery staple";
const BEARER: &str = "bearer-secret-123";

/// Checks that no form of `secret` shows in `error`, its `Debug`, or its source chain.
fn assert_hidden(error: &Error, secrets: &[&str]) {
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&cause.to_string());
        source = cause.source();
    }
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret:?} shows in {shown}");
    }
}

async fn answer_get_with(server: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("GET")).and(path("/api/things/1")).respond_with(answer).mount(server).await;
}

#[tokio::test]
async fn a_bearer_token_echoed_by_the_server_is_redacted_from_the_error() {
    let server = MockServer::start().await;
    let echo = format!(r#"{{"Message": "Authorization header 'Bearer {BEARER}' could not be read"}}"#);
    answer_get_with(&server, ResponseTemplate::new(500).set_body_string(echo)).await;
    let client = client_for(&server).bearer_token(BEARER).max_attempts(1).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Status { status: 500, .. }), "{error:?}");
    assert_hidden(&error, &[BEARER]);
    assert!(error.to_string().contains("<redacted>"), "{error}");
}

#[tokio::test]
async fn basic_credentials_echoed_in_any_encoding_are_redacted() {
    let server = MockServer::start().await;
    // `admin@example.com:correct horse battery staple` in Base64, as the Authorization header has it.
    let encoded = "YWRtaW5AZXhhbXBsZS5jb206Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==";
    let echo = format!(
        r#"{{"Message": "denied for Basic {encoded}; password={}, {}"}}"#,
        "correct+horse+battery+staple", "correct%20horse%20battery%20staple"
    );
    answer_get_with(&server, ResponseTemplate::new(401).set_body_string(echo)).await;
    let client = client_for(&server).basic_auth("admin@example.com", PASSWORD).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_hidden(&error, &[encoded, "correct+horse", "correct%20horse", "horse"]);
}

#[tokio::test]
async fn the_password_grant_form_echoed_by_the_token_endpoint_is_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant",
            "error_description": format!("no user with the password '{PASSWORD}' and code 918273")
        })))
        .mount(&server)
        .await;
    let grant = PasswordGrant::new("admin@example.com", PASSWORD).totp("918273");
    let client = client_for(&server).password_grant(grant).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert_hidden(&error, &[PASSWORD, "918273"]);
}

#[tokio::test]
async fn an_access_token_echoed_with_a_validation_failure_is_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "access-secret-456", "token_type": "bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/things"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "WasSuccessful": false,
            "Message": "Token access-secret-456 may not edit",
            "Errors": [{"PropertyName": "Name", "Message": "access-secret-456 may not edit", "AttemptedValue": "x access-secret-456"}]
        })))
        .mount(&server)
        .await;
    let client = client_for(&server).password_grant(PasswordGrant::new("admin@example.com", PASSWORD)).build().unwrap();

    let error = client.execute_action(&UPDATE_THING, things_request().json(&1)).await.unwrap_err();

    assert!(matches!(error, Error::Validation { .. }), "{error:?}");
    assert_hidden(&error, &["access-secret-456"]);
}

#[tokio::test]
async fn a_secret_cut_by_the_end_of_a_snippet_does_not_show_in_part() {
    let server = MockServer::start().await;
    // The snippet keeps 200 bytes: the token starts 190 bytes in, so a cut would keep 10 of them.
    let body = format!("{}{BEARER}{}", "x".repeat(190), "y".repeat(100));
    answer_get_with(&server, ResponseTemplate::new(200).set_body_string(body)).await;
    let client = client_for(&server).bearer_token(BEARER).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_hidden(&error, &["bearer-sec"]);
}

#[test]
fn a_base_url_with_a_password_is_refused_and_never_shown() {
    let builder = Client::builder().base_url("https://admin:url-secret@spaces.example.com");
    assert!(!format!("{builder:?}").contains("url-secret"), "{builder:?}");

    let error = builder.build().unwrap_err();

    assert!(matches!(error, Error::Config { setting: "base_url", .. }), "{error:?}");
    assert_hidden(&error, &["url-secret"]);
    assert!(error.to_string().contains("basic_auth"), "the message says what to use instead: {error}");
}
