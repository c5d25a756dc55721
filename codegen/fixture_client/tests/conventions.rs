//! What the conventions generate, sent to a real HTTP server on 127.0.0.1: write modes decide
//! which body carries a field, inline children travel in their input shape and survive
//! `update_with`, entity commands share one request type, and binary answers come back as bytes.

use fixture_client::{Client, CommandParameterValue, RunCommandRequest, SprocketCreate, SprocketPartInput};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).bearer_token("test-token").build().unwrap()
}

fn action(id: i64) -> serde_json::Value {
    json!({ "Status": 200, "Message": "done", "Value": { "Id": id }, "WasSuccessful": true, "Errors": null })
}

#[tokio::test]
async fn create_carries_create_only_fields_and_children_in_their_input_shape() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/test/sprockets"))
        .and(body_json(json!({
            "Name": "Big",
            "Teeth": 42,
            "Serial": "S-1",
            "Parts": [{ "PartNumber": "P-7", "Quantity": 2 }]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(action(5)))
        .expect(1)
        .mount(&server)
        .await;
    let request = SprocketCreate::new("Big".into(), 42)
        .serial("S-1")
        .parts(vec![SprocketPartInput::new("P-7".into()).quantity(2)]);
    assert_eq!(client(&server).sprockets().create(&request).await.unwrap(), 5);
}

#[tokio::test]
async fn update_with_leaves_create_only_fields_out_and_sends_children_back() {
    let server = MockServer::start().await;
    let record = json!({
        "Id": 5, "UniqueId": "6f1c2b0e-8e1a-4c43-9d3e-1f2a3b4c5d6e", "CreatedOn": "2025-01-01T00:00:00Z",
        "UpdatedOn": "2025-01-02T00:00:00Z", "UpdatedBy": "a@example.com", "IsNew": false, "SystemId": "",
        "Name": "Big", "Teeth": 42, "Serial": "S-1", "Retired": false, "OwnerFullName": "Ann",
        "Parts": [{ "PartNumber": "P-7", "Quantity": 2, "Weight": 1.5 }]
    });
    Mock::given(method("GET"))
        .and(path("/api/test/sprockets/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(record))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/test/sprockets"))
        .and(body_json(json!({
            "Id": 5,
            "Name": "Big",
            "Teeth": 42,
            "Retired": true,
            "Parts": [{ "PartNumber": "P-7", "Quantity": 2 }]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(action(5)))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).sprockets().update_with(5, |request| request.retired = Some(true)).await.unwrap();
}

#[tokio::test]
async fn commands_and_run_command_use_the_shared_types() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/test/gizmo-items/commands"))
        .and(query_param("id", "9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "Key": "ARCHIVE", "Name": "Archive", "NeedsEntitiesToRun": true,
              "RequiresParameters": [{ "Name": "Reason", "Type": "string" }] }
        ])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/test/gizmo-items/runcommand"))
        .and(body_json(json!({ "Key": "ARCHIVE", "Ids": [9], "Parameters": [{ "Name": "Reason", "Value": "old" }] })))
        .respond_with(ResponseTemplate::new(200).set_body_json(action(9)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let query = fixture_client::GizmoCommandsQuery::new().id(9);
    let commands = client.gizmos().commands(&query).await.unwrap();
    assert_eq!(commands[0].key, "ARCHIVE");
    let request = RunCommandRequest::new(
        "ARCHIVE".into(),
        vec![9],
        vec![CommandParameterValue::new("Reason".into(), "old".into())],
    );
    let outcome = client.gizmos().run_command(&request).await.unwrap();
    assert_eq!(outcome.id, Some(9));
}

#[tokio::test]
async fn a_binary_answer_gives_the_bytes_and_their_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/test/gizmo-items/3/picture"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0x89, b'P', b'N', b'G', 0, 255], "image/png"))
        .mount(&server)
        .await;
    let picture = client(&server).gizmos().picture(3).await.unwrap();
    assert_eq!(picture.content_type.as_deref(), Some("image/png"));
    assert_eq!(picture.bytes, vec![0x89, b'P', b'N', b'G', 0, 255]);
}
