//! Redirects: the API never redirects, so a redirect is an error that names the operation and
//! the target, and neither a password nor a body follows it to another host.

use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, requests_at, thing_json, thing_request, things_request, Thing, CREATE_THING, GET_THING};
use crate::runtime::{Error, PasswordGrant};

const PASSWORD: &str = "correct horse battery staple";

/// A server that records what reaches it, standing for the host a redirect names.
async fn elsewhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(9, "Elsewhere")))
        .mount(&server)
        .await;
    server
}

fn redirect_to(target: &str) -> ResponseTemplate {
    ResponseTemplate::new(307).insert_header("Location", target)
}

#[tokio::test]
async fn a_redirect_from_the_token_endpoint_does_not_carry_the_password_away() {
    let server = MockServer::start().await;
    let thief = elsewhere().await;
    let target = format!("{}/collect", thief.uri());
    Mock::given(method("POST")).and(path("/api/token")).respond_with(redirect_to(&target)).mount(&server).await;
    let client = client_for(&server).password_grant(PasswordGrant::new("admin@example.com", PASSWORD)).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    match &error {
        Error::Redirect { operation, status, location } => {
            assert_eq!((*operation, *status), ("Thing.get", 307));
            assert_eq!(location.as_deref(), Some(target.as_str()));
        }
        other => panic!("expected Redirect, got {other:?}"),
    }
    assert!(error.to_string().contains(&target), "the error names the target: {error}");
    assert!(!error.is_retryable());
    assert!(thief.received_requests().await.unwrap().is_empty(), "nothing reached the other host");
    assert_eq!(requests_at(&server, "/api/token").await.len(), 1, "a redirect is not retried");
}

#[tokio::test]
async fn a_redirected_create_does_not_post_its_body_elsewhere() {
    let server = MockServer::start().await;
    let thief = elsewhere().await;
    let target = format!("{}/api/things", thief.uri());
    Mock::given(method("POST")).and(path("/api/things")).respond_with(redirect_to(&target)).mount(&server).await;
    let client = client_for(&server).bearer_token("bearer-secret").build().unwrap();

    let request = things_request().json(&thing_json(0, "Desk"));
    let error = client.execute_create(&CREATE_THING, request).await.unwrap_err();

    assert!(
        matches!(&error, Error::Redirect { operation: "Thing.create", status: 307, location: Some(l) } if *l == target),
        "{error:?}"
    );
    assert!(thief.received_requests().await.unwrap().is_empty(), "nothing reached the other host");
}

#[tokio::test]
async fn a_redirect_on_the_same_host_is_not_followed_either() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(redirect_to("/api/things/2"))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(&error, Error::Redirect { status: 307, .. }), "{error:?}");
    assert!(requests_at(&server, "/api/things/2").await.is_empty());
}

#[tokio::test]
async fn an_answer_that_a_supplied_http_client_fetched_from_elsewhere_is_refused() {
    let server = MockServer::start().await;
    let other = elsewhere().await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(redirect_to(&format!("{}/api/things/9", other.uri())))
        .mount(&server)
        .await;
    // A client built without `redirect(Policy::none())` follows the redirect itself; the answer it
    // comes back with is not the one asked for.
    let client = client_for(&server).http_client(reqwest::Client::new()).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    match &error {
        Error::Redirect { operation, location, .. } => {
            assert_eq!(*operation, "Thing.get");
            assert_eq!(location.as_deref(), Some(format!("{}/api/things/9", other.uri()).as_str()));
        }
        other => panic!("expected Redirect, got {other:?}"),
    }
}
