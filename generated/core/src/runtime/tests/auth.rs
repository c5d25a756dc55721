//! The password grant against a token endpoint: sign-in, refresh before expiry, refresh after a
//! 401, refusals, single-flight between concurrent requests, and secrets kept out of sight.

use std::time::Duration;

use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, header_of, requests_at, thing_json, thing_request, Thing, GET_THING, TOKEN_400};
use crate::runtime::{Client, Error, PasswordGrant};

const PASSWORD: &str = "correct horse battery staple";
const TOTP: &str = "918273";

fn grant() -> PasswordGrant {
    PasswordGrant::new("admin@example.com", PASSWORD)
}

fn token_answer(access_token: &str, refresh_token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": access_token,
        "token_type": "bearer",
        "expires_in": expires_in,
        "refresh_token": refresh_token,
    }))
}

/// Answers the password grant with `answer`.
async fn mount_password_grant(server: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=password"))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// Answers a refresh with `refresh_token` with `answer`.
async fn mount_refresh(server: &MockServer, refresh_token: &str, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains(format!("grant_type=refresh_token&refresh_token={refresh_token}")))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// Answers `GET /api/things/1` with a thing when it carries `access_token`.
async fn mount_thing_for_token(server: &MockServer, access_token: &str) {
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .and(header("Authorization", format!("Bearer {access_token}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk")))
        .mount(server)
        .await;
}

/// Answers `GET /api/things/1` with 401 when it carries `access_token`.
async fn mount_rejection_of_token(server: &MockServer, access_token: &str) {
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .and(header("Authorization", format!("Bearer {access_token}")))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "Message": "Authorization has been denied for this request."
        })))
        .mount(server)
        .await;
}

/// The `grant_type` of every request the token endpoint received, in order.
async fn grants_received(server: &MockServer) -> Vec<String> {
    requests_at(server, "/api/token")
        .await
        .iter()
        .map(|request| {
            let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&request.body).unwrap();
            form.into_iter().find(|(name, _)| name == "grant_type").map(|(_, value)| value).unwrap_or_default()
        })
        .collect()
}

async fn get_thing(client: &Client) -> crate::runtime::Result<Thing> {
    client.execute::<Thing>(&GET_THING, thing_request(1)).await
}

#[tokio::test]
async fn password_grant_signs_in_once_with_a_form_and_sends_the_token() {
    let server = MockServer::start().await;
    mount_password_grant(&server, token_answer("access-1", "refresh-1", 604_799)).await;
    mount_thing_for_token(&server, "access-1").await;
    let client = client_for(&server).password_grant(grant().totp(TOTP).client_id("my-app")).build().unwrap();

    assert_eq!(get_thing(&client).await.unwrap().name, "Desk");
    assert_eq!(get_thing(&client.clone()).await.unwrap().name, "Desk");

    let token_requests = requests_at(&server, "/api/token").await;
    assert_eq!(token_requests.len(), 1, "clones share the token");
    assert_eq!(header_of(&token_requests[0], "content-type"), "application/x-www-form-urlencoded");
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&token_requests[0].body).unwrap();
    let expected: Vec<(String, String)> = [
        ("grant_type", "password"),
        ("username", "admin@example.com"),
        ("password", PASSWORD),
        ("totp", TOTP),
        ("client_id", "my-app"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    assert_eq!(form, expected);
}

#[tokio::test]
async fn token_is_refreshed_shortly_before_it_expires() {
    let server = MockServer::start().await;
    // 30 seconds is within the minute before expiry, so the first token is replaced at once.
    mount_password_grant(&server, token_answer("access-1", "refresh-1", 30)).await;
    mount_refresh(&server, "refresh-1", token_answer("access-2", "refresh-2", 604_799)).await;
    mount_thing_for_token(&server, "access-1").await;
    mount_thing_for_token(&server, "access-2").await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    for _ in 0..3 {
        get_thing(&client).await.unwrap();
    }

    assert_eq!(grants_received(&server).await, ["password", "refresh_token"]);
    let sent: Vec<String> =
        requests_at(&server, "/api/things/1").await.iter().map(|request| header_of(request, "authorization")).collect();
    assert_eq!(sent, ["Bearer access-1", "Bearer access-2", "Bearer access-2"]);
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_once_and_the_request_sent_again() {
    let server = MockServer::start().await;
    mount_password_grant(&server, token_answer("access-1", "refresh-1", 604_799)).await;
    mount_refresh(&server, "refresh-1", token_answer("access-2", "refresh-2", 604_799)).await;
    mount_rejection_of_token(&server, "access-1").await;
    mount_thing_for_token(&server, "access-2").await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    assert_eq!(get_thing(&client).await.unwrap(), Thing { id: 1, name: "Desk".to_owned() });

    assert_eq!(grants_received(&server).await, ["password", "refresh_token"]);
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 2);
}

#[tokio::test]
async fn a_token_rejected_again_after_the_refresh_is_unauthorized() {
    let server = MockServer::start().await;
    mount_password_grant(&server, token_answer("access-1", "refresh-1", 604_799)).await;
    mount_refresh(&server, "refresh-1", token_answer("access-2", "refresh-2", 604_799)).await;
    mount_rejection_of_token(&server, "access-1").await;
    mount_rejection_of_token(&server, "access-2").await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    let error = get_thing(&client).await.unwrap_err();

    match &error {
        Error::Unauthorized { operation, message } => {
            assert_eq!(*operation, "Thing.get");
            assert_eq!(message, "Authorization has been denied for this request.");
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(grants_received(&server).await, ["password", "refresh_token"], "one refresh per operation");
    assert_eq!(requests_at(&server, "/api/things/1").await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_share_one_sign_in_and_one_refresh() {
    let server = MockServer::start().await;
    mount_password_grant(&server, token_answer("access-1", "refresh-1", 604_799)).await;
    mount_refresh(&server, "refresh-1", token_answer("access-2", "refresh-2", 604_799)).await;
    mount_rejection_of_token(&server, "access-1").await;
    mount_thing_for_token(&server, "access-2").await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { get_thing(&client).await })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.unwrap().unwrap().id, 1);
    }

    assert_eq!(grants_received(&server).await, ["password", "refresh_token"]);
}

#[tokio::test]
async fn a_refused_grant_is_an_auth_error_with_the_servers_reason() {
    let server = MockServer::start().await;
    mount_password_grant(&server, ResponseTemplate::new(400).set_body_string(TOKEN_400)).await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    let error = get_thing(&client).await.unwrap_err();

    match &error {
        Error::Auth { operation, error, description, .. } => {
            assert_eq!(*operation, "Thing.get");
            assert_eq!(error, "invalid_grant");
            assert_eq!(description, "The user name or password is incorrect.");
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert!(!error.is_retryable());
    assert_eq!(grants_received(&server).await, ["password"], "a refusal is not retried");
    assert!(requests_at(&server, "/api/things/1").await.is_empty(), "no request leaves without a token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refused_sign_in_answers_every_call_waiting_on_it() {
    let server = MockServer::start().await;
    // Slow enough that every call below is waiting while the one sign-in is under way.
    let refusal = ResponseTemplate::new(400).set_body_string(TOKEN_400).set_delay(Duration::from_millis(400));
    mount_password_grant(&server, refusal).await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get_thing(&client).await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert!(matches!(&error, Error::Auth { error, .. } if error == "invalid_grant"), "{error:?}");
    }
    assert_eq!(grants_received(&server).await, ["password"], "ten waiting calls, one sign-in");

    // A call made after the refusal tries again: the password may have been fixed meanwhile.
    let error = get_thing(&client).await.unwrap_err();
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert_eq!(grants_received(&server).await, ["password", "password"]);
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_the_password() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=password"))
        .respond_with(token_answer("access-1", "refresh-1", 30))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_password_grant(&server, token_answer("access-2", "refresh-2", 604_799)).await;
    mount_refresh(&server, "refresh-1", ResponseTemplate::new(400).set_body_string(TOKEN_400)).await;
    mount_thing_for_token(&server, "access-1").await;
    mount_thing_for_token(&server, "access-2").await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    get_thing(&client).await.unwrap();
    get_thing(&client).await.unwrap();

    assert_eq!(grants_received(&server).await, ["password", "refresh_token", "password"]);
    let last = requests_at(&server, "/api/things/1").await.pop().unwrap();
    assert_eq!(header_of(&last, "authorization"), "Bearer access-2");
}

#[tokio::test]
async fn authenticate_signs_in_ahead_of_the_first_call() {
    let server = MockServer::start().await;
    mount_password_grant(&server, token_answer("access-1", "refresh-1", 604_799)).await;
    mount_thing_for_token(&server, "access-1").await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    client.authenticate().await.unwrap();
    get_thing(&client).await.unwrap();

    assert_eq!(grants_received(&server).await, ["password"]);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output_and_error_messages() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=password"))
        .respond_with(token_answer("access-secret-1", "refresh-secret-1", 604_799))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_password_grant(&server, ResponseTemplate::new(400).set_body_string(TOKEN_400)).await;
    mount_rejection_of_token(&server, "access-secret-1").await;
    mount_refresh(&server, "refresh-secret-1", ResponseTemplate::new(400).set_body_string(TOKEN_400)).await;
    let client = client_for(&server).password_grant(grant().totp(TOTP)).build().unwrap();
    let secrets = [PASSWORD, TOTP, "access-secret-1", "refresh-secret-1"];

    // The sign-in succeeds, so the client holds both tokens; the 401 leads to a refused refresh and
    // a refused sign-in, so the error is the refusal.
    let error = get_thing(&client).await.unwrap_err();
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    for shown in [format!("{client:?}"), format!("{error:?}"), error.to_string(), format!("{:?}", grant().totp(TOTP))] {
        for secret in secrets {
            assert!(!shown.contains(secret), "{secret:?} shows in {shown}");
        }
        assert!(!shown.is_empty());
    }
    assert!(format!("{client:?}").contains("admin@example.com"), "the user stays visible: {client:?}");

    let bearer = Client::builder().bearer_token("bearer-secret").build().unwrap();
    let basic = Client::builder().basic_auth("admin@example.com", PASSWORD).build().unwrap();
    assert!(!format!("{bearer:?}").contains("bearer-secret"), "{bearer:?}");
    assert!(!format!("{basic:?}").contains(PASSWORD), "{basic:?}");
}

#[tokio::test]
async fn a_token_answer_that_does_not_decode_is_never_quoted() {
    let server = MockServer::start().await;
    mount_password_grant(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({ "access_token": 42, "refresh_token": "refresh-secret-2" })),
    )
    .await;
    let client = client_for(&server).password_grant(grant()).build().unwrap();

    let error = get_thing(&client).await.unwrap_err();

    match &error {
        Error::Decode { status, snippet, .. } => {
            assert_eq!(*status, 200);
            assert_eq!(snippet, "");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(!error.to_string().contains("refresh-secret-2"), "{error}");
}
