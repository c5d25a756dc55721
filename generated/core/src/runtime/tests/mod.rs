//! Tests of the runtime against wiremock servers on 127.0.0.1, through test operations and small
//! test types that stand in for generated ones: auth, retries, answers, timeouts and paging.

mod answers;
mod auth;
mod limits;
mod paging;
mod redirects;
mod retries;
mod secrets;
mod settings;
mod timeouts;

use std::time::Duration;

use serde::Deserialize;
use wiremock::MockServer;

use super::{
    decode_envelope, ActionEnvelope, ActionParts, Client, ClientBuilder, DateTime, FieldError, Method, Operation,
    PageEnvelope, Paging, PathSegment, QueryParams, Request,
};

/// The action envelope as a generated type reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TestActionEnvelope {
    was_successful: bool,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    value: Option<serde_json::Value>,
    #[serde(default)]
    errors: Option<Vec<TestFieldError>>,
    #[serde(default)]
    updated_on: Option<DateTime>,
    #[serde(default)]
    updated_by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TestFieldError {
    #[serde(default)]
    attempted_value: serde_json::Value,
    message: String,
    #[serde(default)]
    property_name: Option<String>,
}

impl ActionEnvelope for TestActionEnvelope {
    fn into_parts(self) -> ActionParts {
        ActionParts {
            success: self.was_successful,
            message: self.message,
            value: self.value,
            errors: self
                .errors
                .unwrap_or_default()
                .into_iter()
                .map(|error| FieldError {
                    property_name: error.property_name,
                    message: error.message,
                    attempted_value: error.attempted_value,
                })
                .collect(),
            updated_on: self.updated_on,
            updated_by: self.updated_by,
        }
    }
}

/// A record of the test resource.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Thing {
    id: i64,
    name: String,
}

/// One page of things, as a generated page type reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ThingPage {
    records: Vec<Thing>,
    #[serde(default)]
    current_page: Option<i32>,
    #[serde(default)]
    total_pages: Option<i32>,
    #[serde(default)]
    has_next_page: Option<bool>,
}

impl PageEnvelope for ThingPage {
    type Record = Thing;

    fn into_records(self) -> Vec<Thing> {
        self.records
    }

    fn current_page(&self) -> Option<i32> {
        self.current_page
    }

    fn total_pages(&self) -> Option<i32> {
        self.total_pages
    }

    fn has_next_page(&self) -> Option<bool> {
        self.has_next_page
    }
}

/// The paging parameters of the test API.
const THING_PAGING: Paging = Paging { page: "page", size: "size", max_size: 1000 };

/// A query of the test list operation, as a generated query type collects it.
fn thing_query(name: Option<&str>, size: Option<i32>) -> QueryParams {
    let mut query = QueryParams::default();
    if let Some(size) = size {
        query.set("size", &size);
    }
    if let Some(name) = name {
        query.set("Thing_Name", &name);
    }
    query
}

static GET_THING: Operation =
    Operation::new("Thing.get", Method::Get, "/api/things/{id}", decode_envelope::<TestActionEnvelope>);
static LIST_THINGS: Operation =
    Operation::new("Thing.list", Method::Get, "/api/things", decode_envelope::<TestActionEnvelope>);
static CREATE_THING: Operation =
    Operation::new("Thing.create", Method::Post, "/api/things", decode_envelope::<TestActionEnvelope>);
static UPDATE_THING: Operation =
    Operation::new("Thing.update", Method::Put, "/api/things", decode_envelope::<TestActionEnvelope>);

/// Copies of the bodies in the shared `examples/` folder, kept here so the tests stand alone.
const CREATE_200: &str = r#"{"Status": 200, "Message": "CrmOpportunity was successfully created.", "Value": {"Id": 87654322},
  "OpenInDialog": false, "OpenInWindow": false, "RedirectURL": null, "JavaScript": null,
  "UpdatedOn": "2025-01-15T10:31:12Z", "UpdatedBy": "admin@example.com", "Errors": null, "WasSuccessful": true}"#;
const CREATE_200_NOT_SUCCESSFUL: &str = r#"{"Status": 400, "Message": "CoworkerId: the customer does not exist", "Value": null,
  "OpenInDialog": false, "OpenInWindow": false, "RedirectURL": null, "JavaScript": null, "UpdatedOn": null, "UpdatedBy": null,
  "Errors": [{"AttemptedValue": 999, "Message": "the customer does not exist", "PropertyName": "CoworkerId"}],
  "WasSuccessful": false}"#;
const UPDATE_400_VALIDATION: &str = r#"{"Message": "Name: is a required field", "Value": null,
  "Errors": [{"AttemptedValue": null, "Message": "is a required field", "PropertyName": "Name"}], "WasSuccessful": false}"#;
const TOKEN_400: &str = r#"{"error": "invalid_grant", "error_description": "The user name or password is incorrect."}"#;

/// The request of `GET /api/things/{id}`.
fn thing_request(id: i64) -> Request {
    Request::new(&[PathSegment::Literal("/api/things/"), PathSegment::Param(&id)])
}

/// The path-only request of the collection, `/api/things`.
fn things_request() -> Request {
    Request::new(&[PathSegment::Literal("/api/things")])
}

fn thing_json(id: i64, name: &str) -> serde_json::Value {
    serde_json::json!({ "Id": id, "Name": name, "UniqueId": "a043e2d1-0301-429e-acb8-56fddf57ef3c" })
}

/// A client of `server` whose backoff is short, so retry tests stay quick.
fn client_for(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri()).retry_backoff(Duration::from_millis(20))
}

/// The requests `server` received at `path`, in order.
async fn requests_at(server: &MockServer, path: &str) -> Vec<wiremock::Request> {
    let received = server.received_requests().await.expect("request recording is on");
    received.into_iter().filter(|request| request.url.path() == path).collect()
}

/// The value of a header of a received request.
fn header_of(request: &wiremock::Request, name: &str) -> String {
    request.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
}
