//! Timeouts: one attempt that takes too long, and a whole operation whose retries take too long.

use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, requests_at, thing_json, thing_request, things_request, Thing, CREATE_THING, GET_THING};
use crate::runtime::Error;

#[tokio::test]
async fn a_server_slower_than_the_attempt_timeout_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_for(&server).attempt_timeout(Duration::from_millis(300)).build().unwrap();

    let request = things_request().json(&thing_json(0, "Desk"));
    let error = client.execute_create(&CREATE_THING, request).await.unwrap_err();

    assert!(matches!(error, Error::Timeout { operation: "Thing.create" }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(requests_at(&server, "/api/things").await.len(), 1, "a POST that timed out is not sent again");
}

#[tokio::test]
async fn a_get_that_times_out_is_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk")).set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk")))
        .mount(&server)
        .await;
    let client = client_for(&server).attempt_timeout(Duration::from_millis(300)).build().unwrap();

    let thing = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap();

    assert_eq!(thing.name, "Desk");
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 2);
}

#[tokio::test]
async fn the_operation_timeout_bounds_retries_and_their_waits() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(ResponseTemplate::new(409).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let client = client_for(&server).max_attempts(10).timeout(Duration::from_millis(1500)).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Timeout { operation: "Thing.get" }), "{error:?}");
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 2, "sent at 0 s and 1 s, cut off before 2 s");
}

#[tokio::test]
async fn a_wait_that_would_pass_the_operation_timeout_ends_the_operation_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(ResponseTemplate::new(409).insert_header("Retry-After", "5"))
        .mount(&server)
        .await;
    let client = client_for(&server).max_attempts(10).timeout(Duration::from_secs(3)).build().unwrap();

    let started = std::time::Instant::now();
    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Timeout { operation: "Thing.get" }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "idled {:?} in a wait that could not end in time",
        started.elapsed()
    );
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 1);
}

#[tokio::test]
async fn an_attempt_is_cut_at_the_operation_deadline_when_that_comes_first() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_for(&server)
        .attempt_timeout(Duration::from_secs(30))
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();

    let started = std::time::Instant::now();
    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Timeout { operation: "Thing.get" }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 1, "no attempt starts after the deadline");
}
