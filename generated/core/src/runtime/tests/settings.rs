//! Settings the builder refuses: `build()` fails naming the setting, never quoting a secret, so
//! that no call fails later for a reason known at start-up.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, thing_request, Thing, GET_THING};
use crate::runtime::{ApiDefaults, Client, ClientBuilder, Error, PasswordGrant};

fn refused_setting(built: crate::runtime::Result<Client>) -> (&'static str, String) {
    match built {
        Err(error @ Error::Config { .. }) => {
            let Error::Config { setting, .. } = &error else { unreachable!() };
            (*setting, error.to_string())
        }
        Err(other) => panic!("expected Config, got {other:?}"),
        Ok(client) => panic!("expected Config, got a client: {client:?}"),
    }
}

#[test]
fn a_bearer_token_that_cannot_be_a_header_value_is_refused_at_build() {
    for token in ["s3cr3t\n", "s3cr3t\r\nX-Injected: 1", "s3c\u{0}r3t"] {
        let (setting, message) = refused_setting(Client::builder().bearer_token(token).build());
        assert_eq!(setting, "bearer_token");
        assert!(!message.contains("s3c"), "the secret stays out: {message}");
        assert_eq!(Client::builder().bearer_token(token).build().unwrap_err().operation(), "Client.build");
    }
}

#[test]
fn a_client_id_that_cannot_be_a_header_value_is_refused_at_build() {
    let grant = PasswordGrant::new("admin@example.com", "secret").client_id("app\nX-Injected: 1");
    let (setting, _) = refused_setting(Client::builder().password_grant(grant).build());
    assert_eq!(setting, "password_grant.client_id");
}

#[test]
fn a_bad_base_url_is_refused_naming_the_setting() {
    let (setting, _) = refused_setting(Client::builder().base_url("not a url").build());
    assert_eq!(setting, "base_url");
}

#[tokio::test]
async fn an_access_token_that_cannot_be_a_header_value_is_a_decode_error_that_does_not_quote_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "access-secret\nX-Injected: 1", "token_type": "bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    let client = client_for(&server).password_grant(PasswordGrant::new("admin@example.com", "secret")).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::Decode { status: 200, .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("access-secret"), "{error:?}");
}

#[tokio::test]
async fn the_api_defaults_give_the_base_url_and_the_token_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/prefix/oauth/v2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "access-1", "token_type": "bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/prefix/api/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(super::thing_json(1, "Desk")))
        .expect(1)
        .mount(&server)
        .await;
    let base_url: &'static str = Box::leak(format!("{}/prefix", server.uri()).into_boxed_str());
    let defaults = ApiDefaults { base_url, token_path: Some("/oauth/v2/token") };

    let client: Client = ClientBuilder::for_api(defaults)
        .password_grant(PasswordGrant::new("admin@example.com", "secret"))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), base_url);
    client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap();
}

#[test]
fn the_spec_gives_the_default_base_url() {
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url(), crate::gen::API_DEFAULTS.base_url);
    assert_eq!(crate::gen::API_DEFAULTS.token_path, Some("/api/token"), "spec/api.yaml's token_path");
}

#[test]
fn the_password_grant_needs_a_token_endpoint() {
    let defaults = ApiDefaults { base_url: "https://api.example.com", token_path: None };
    let built: crate::runtime::Result<Client> =
        ClientBuilder::for_api(defaults).password_grant(PasswordGrant::new("admin@example.com", "secret")).build();
    let (setting, _) = refused_setting(built);
    assert_eq!(setting, "password_grant");

    let built: crate::runtime::Result<Client> = ClientBuilder::for_api(defaults)
        .token_path("/token")
        .password_grant(PasswordGrant::new("admin@example.com", "secret"))
        .build();
    assert!(built.is_ok(), "{built:?}");
}

#[tokio::test]
async fn a_path_that_would_leave_the_base_urls_path_is_never_sent() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(super::thing_json(1, "Desk")))
        .mount(&server)
        .await;
    let client = client_for(&server).base_url(format!("{}/prefix", server.uri())).build().unwrap();
    static ESCAPING: crate::runtime::Operation = crate::runtime::Operation::new(
        "Thing.escape",
        crate::runtime::Method::Get,
        "/../admin/{id}",
        crate::runtime::decode_envelope::<super::TestActionEnvelope>,
    );

    let request = crate::runtime::Request::new(&[
        crate::runtime::PathSegment::Literal("/../admin/"),
        crate::runtime::PathSegment::Param(&"7 x?y=1"),
    ]);
    let error = client.execute::<Thing>(&ESCAPING, request).await.unwrap_err();

    assert!(matches!(error, Error::Request { operation: "Thing.escape", .. }), "{error:?}");
    let dots = crate::runtime::Request::new(&[
        crate::runtime::PathSegment::Literal("/api/things/"),
        crate::runtime::PathSegment::Param(&".."),
    ]);
    let error = client.execute::<Thing>(&GET_THING, dots).await.unwrap_err();
    assert!(matches!(error, Error::Request { operation: "Thing.get", .. }), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

#[test]
fn a_token_path_that_would_leave_the_base_urls_path_is_refused() {
    for path in ["/../token", "token", "/api/%2e%2e/%2e%2e/token"] {
        let built: crate::runtime::Result<Client> = Client::builder()
            .base_url("https://api.example.com/prefix")
            .token_path(path)
            .password_grant(PasswordGrant::new("admin@example.com", "secret"))
            .build();
        let (setting, _) = refused_setting(built);
        assert_eq!(setting, "token_path", "{path}");
    }
}
