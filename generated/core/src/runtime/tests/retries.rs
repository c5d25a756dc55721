//! Throttling (409 with `Retry-After`, 429 with `Wait N seconds`) and server errors: what is
//! sent again, after how long, and what is reported when the attempts run out.

use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{
    client_for, requests_at, thing_json, thing_request, things_request, Thing, CREATE_200, CREATE_THING, GET_THING,
    UPDATE_THING,
};
use crate::runtime::Error;

/// Answers `method path` with `answer` the first `times` times only.
async fn mount_first(server: &MockServer, http_method: &str, at: &str, answer: ResponseTemplate, times: u64) {
    Mock::given(method(http_method)).and(path(at)).respond_with(answer).up_to_n_times(times).mount(server).await;
}

async fn mount_always(server: &MockServer, http_method: &str, at: &str, answer: ResponseTemplate) {
    Mock::given(method(http_method)).and(path(at)).respond_with(answer).mount(server).await;
}

fn thing_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk"))
}

fn create_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(CREATE_200, "application/json")
}

#[tokio::test]
async fn conflict_with_retry_after_is_waited_out_and_sent_again() {
    let server = MockServer::start().await;
    mount_first(&server, "GET", "/api/things/1", ResponseTemplate::new(409).insert_header("Retry-After", "1"), 1).await;
    mount_always(&server, "GET", "/api/things/1", thing_answer()).await;
    let client = client_for(&server).build().unwrap();

    let started = Instant::now();
    let thing = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap();

    assert_eq!(thing.name, "Desk");
    assert!(started.elapsed() >= Duration::from_millis(900), "waited only {:?}", started.elapsed());
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 2);
}

#[tokio::test]
async fn too_many_requests_with_a_wait_in_the_body_is_waited_out_even_for_post() {
    let server = MockServer::start().await;
    mount_first(&server, "POST", "/api/things", ResponseTemplate::new(429).set_body_string("Wait 1 seconds"), 1).await;
    mount_always(&server, "POST", "/api/things", create_answer()).await;
    let client = client_for(&server).build().unwrap();

    let started = Instant::now();
    let request = things_request().json(&thing_json(0, "Desk"));
    let id = client.execute_create(&CREATE_THING, request).await.unwrap();

    assert_eq!(id, 87_654_322);
    assert!(started.elapsed() >= Duration::from_millis(900), "waited only {:?}", started.elapsed());
    let received = requests_at(&server, "/api/things").await;
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body, "the same body is sent again");
}

#[tokio::test]
async fn throttled_until_the_attempts_run_out_reports_the_last_wait() {
    let server = MockServer::start().await;
    mount_always(&server, "GET", "/api/things/1", ResponseTemplate::new(429).set_body_string("Wait 1 seconds")).await;
    let client = client_for(&server).max_attempts(2).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    match &error {
        Error::Throttled { operation, status, retry_after } => {
            assert_eq!(*operation, "Thing.get");
            assert_eq!(*status, 429);
            assert_eq!(*retry_after, Some(Duration::from_secs(1)));
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 2);
}

#[tokio::test]
async fn a_wait_longer_than_the_retry_budget_is_not_waited() {
    let server = MockServer::start().await;
    mount_always(&server, "GET", "/api/things/1", ResponseTemplate::new(409).insert_header("Retry-After", "120")).await;
    let client = client_for(&server).max_retry_wait(Duration::from_secs(60)).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    match error {
        Error::Throttled { status: 409, retry_after, .. } => assert_eq!(retry_after, Some(Duration::from_secs(120))),
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 1);
}

#[tokio::test]
async fn server_error_on_get_is_sent_again() {
    let server = MockServer::start().await;
    let server_error =
        ResponseTemplate::new(500).set_body_json(serde_json::json!({ "Message": "An error has occurred." }));
    mount_first(&server, "GET", "/api/things/1", server_error, 1).await;
    mount_always(&server, "GET", "/api/things/1", thing_answer()).await;
    let client = client_for(&server).build().unwrap();

    let thing = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap();

    assert_eq!(thing.id, 1);
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 2);
}

#[tokio::test]
async fn server_error_on_post_is_never_sent_again() {
    let server = MockServer::start().await;
    let server_error =
        ResponseTemplate::new(500).set_body_json(serde_json::json!({ "Message": "An error has occurred." }));
    mount_first(&server, "POST", "/api/things", server_error, 1).await;
    mount_always(&server, "POST", "/api/things", create_answer()).await;
    let client = client_for(&server).build().unwrap();

    let request = things_request().json(&thing_json(0, "Desk"));
    let error = client.execute_create(&CREATE_THING, request).await.unwrap_err();

    match &error {
        Error::Status { operation, status, message } => {
            assert_eq!(*operation, "Thing.create");
            assert_eq!(*status, 500);
            assert_eq!(message, "An error has occurred.");
        }
        other => panic!("expected Status, got {other:?}"),
    }
    assert_eq!(requests_at(&server, "/api/things").await.len(), 1, "a POST reaches the server once");
}

#[tokio::test]
async fn server_errors_on_put_are_sent_again_until_the_attempts_run_out() {
    let server = MockServer::start().await;
    mount_always(&server, "PUT", "/api/things", ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .await;
    let client = client_for(&server).max_attempts(3).build().unwrap();

    let request = things_request().json(&thing_json(1, "Desk"));
    let error = client.execute_action(&UPDATE_THING, request).await.unwrap_err();

    assert!(matches!(error, Error::Status { status: 503, .. }), "{error:?}");
    assert_eq!(requests_at(&server, "/api/things").await.len(), 3);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was just free and is closed again: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = crate::runtime::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_backoff(Duration::from_millis(10))
        .max_attempts(2)
        .build()
        .unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Transport { operation: "Thing.get", .. }), "{error:?}");
    assert!(error.is_retryable());
}
