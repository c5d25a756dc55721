//! Walking pages: every record once and in order, the three ways a walk ends, the page size, and
//! the end after an error.

use futures_util::StreamExt;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{
    client_for, requests_at, thing_json, thing_query, things_request, Thing, ThingPage, LIST_THINGS, THING_PAGING,
};
use crate::runtime::{Client, Error, QueryParams, Result};

/// Answers page `page` of `/api/things` with things `ids` and the given paging fields.
async fn mount_page(server: &MockServer, page: u32, ids: &[i64], paging: serde_json::Value) {
    let mut body = serde_json::json!({
        "Records": ids.iter().map(|id| thing_json(*id, &format!("Thing {id}"))).collect::<Vec<_>>(),
        "CurrentPageSize": ids.len(),
        "CurrentOrderField": "Id",
        "CurrentSortDirection": 1,
    });
    body.as_object_mut().unwrap().extend(paging.as_object().unwrap().clone());
    Mock::given(method("GET"))
        .and(path("/api/things"))
        .and(query_param("page", page.to_string()))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

async fn walk(client: &Client, query: QueryParams) -> Vec<Result<Thing>> {
    client.paginate::<ThingPage>(&LIST_THINGS, things_request(), query, THING_PAGING).collect().await
}

fn ids(items: &[Result<Thing>]) -> Vec<i64> {
    items.iter().map(|item| item.as_ref().expect("no error").id).collect()
}

/// The `page` and `size` parameters of every list request, in order.
async fn pages_asked(server: &MockServer) -> Vec<(String, String)> {
    requests_at(server, "/api/things")
        .await
        .iter()
        .map(|request| {
            let parameter = |name: &str| {
                request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
            };
            (parameter("page").unwrap_or_default(), parameter("size").unwrap_or_default())
        })
        .collect()
}

#[tokio::test]
async fn three_pages_yield_every_record_once_in_order() {
    let server = MockServer::start().await;
    let totals = |page: u32, has_next: bool| serde_json::json!({ "CurrentPage": page, "TotalPages": 3, "TotalItems": 7, "HasNextPage": has_next });
    mount_page(&server, 1, &[1, 2, 3], totals(1, true)).await;
    mount_page(&server, 2, &[4, 5, 6], totals(2, true)).await;
    mount_page(&server, 3, &[7], totals(3, false)).await;
    let client = client_for(&server).build().unwrap();

    let query = thing_query(Some("Desk"), None);
    let items = walk(&client, query).await;

    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6, 7]);
    let size = |page: &str| (page.to_owned(), "1000".to_owned());
    assert_eq!(pages_asked(&server).await, [size("1"), size("2"), size("3")]);
    let first = requests_at(&server, "/api/things").await.remove(0);
    assert_eq!(first.url.query(), Some("page=1&size=1000&Thing_Name=Desk"), "the filter goes with every page");
}

#[tokio::test]
async fn current_page_reaching_total_pages_ends_the_walk() {
    let server = MockServer::start().await;
    mount_page(&server, 1, &[1], serde_json::json!({ "CurrentPage": 1, "TotalPages": 2 })).await;
    mount_page(&server, 2, &[2], serde_json::json!({ "CurrentPage": 2, "TotalPages": 2 })).await;
    mount_page(&server, 3, &[3], serde_json::json!({ "CurrentPage": 3, "TotalPages": 2 })).await;
    let client = client_for(&server).build().unwrap();

    assert_eq!(ids(&walk(&client, QueryParams::default()).await), [1, 2]);
    assert_eq!(pages_asked(&server).await.len(), 2);
}

#[tokio::test]
async fn has_next_page_false_ends_the_walk() {
    let server = MockServer::start().await;
    mount_page(&server, 1, &[1, 2], serde_json::json!({ "HasNextPage": true })).await;
    mount_page(&server, 2, &[3], serde_json::json!({ "HasNextPage": false })).await;
    mount_page(&server, 3, &[4], serde_json::json!({ "HasNextPage": false })).await;
    let client = client_for(&server).build().unwrap();

    assert_eq!(ids(&walk(&client, QueryParams::default()).await), [1, 2, 3]);
    assert_eq!(pages_asked(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_page_ends_a_walk_the_server_says_nothing_about() {
    let server = MockServer::start().await;
    mount_page(&server, 1, &[1, 2], serde_json::json!({})).await;
    mount_page(&server, 2, &[3], serde_json::json!({})).await;
    mount_page(&server, 3, &[], serde_json::json!({})).await;
    mount_page(&server, 4, &[4], serde_json::json!({})).await;
    let client = client_for(&server).build().unwrap();

    assert_eq!(ids(&walk(&client, QueryParams::default()).await), [1, 2, 3]);
    assert_eq!(pages_asked(&server).await.len(), 3);
}

#[tokio::test]
async fn the_page_size_is_kept_within_what_the_api_serves() {
    let server = MockServer::start().await;
    mount_page(&server, 1, &[1], serde_json::json!({ "CurrentPage": 1, "TotalPages": 1 })).await;
    let client = client_for(&server).build().unwrap();

    walk(&client, thing_query(None, Some(50))).await;
    walk(&client, thing_query(None, Some(5000))).await;
    walk(&client, thing_query(None, Some(0))).await;

    let sizes: Vec<String> = pages_asked(&server).await.into_iter().map(|(_, size)| size).collect();
    assert_eq!(sizes, ["50", "1000", "1"]);
}

#[tokio::test]
async fn the_walk_ends_after_the_first_error() {
    let server = MockServer::start().await;
    mount_page(&server, 1, &[1, 2], serde_json::json!({ "CurrentPage": 1, "TotalPages": 3 })).await;
    Mock::given(method("GET"))
        .and(path("/api/things"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(r#""Not found""#, "application/json"))
        .mount(&server)
        .await;
    mount_page(&server, 3, &[5], serde_json::json!({ "CurrentPage": 3, "TotalPages": 3 })).await;
    let client = client_for(&server).build().unwrap();

    let items = walk(&client, QueryParams::default()).await;

    assert_eq!(items.len(), 3);
    assert_eq!(ids(&items[..2]), [1, 2]);
    assert!(matches!(items[2], Err(Error::NotFound { operation: "Thing.list" })), "{:?}", items[2]);
    assert_eq!(pages_asked(&server).await.len(), 2);
}
