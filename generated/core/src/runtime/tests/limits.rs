//! The answer size cap: a body larger than `max_answer_bytes` is an error, found from
//! `Content-Length` before anything is read, or while the body streams in, so that memory stays
//! bounded whatever a server sends.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, thing_json, thing_request, Thing, GET_THING};
use crate::runtime::{Client, Error};

const LIMIT: usize = 1024 * 1024;

/// A server on 127.0.0.1 that answers every connection with a chunked 200 whose body never ends,
/// and counts the body bytes it managed to write.
async fn endless_body_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = [0_u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk, b"\r\n".to_vec()].concat();
                while socket.write_all(&framed).await.is_ok() {
                    counter.fetch_add(64 * 1024, Ordering::SeqCst);
                }
            });
        }
    });
    (format!("http://{address}"), written)
}

#[tokio::test]
async fn a_body_that_never_ends_is_cut_at_the_limit() {
    let (base_url, written) = endless_body_server().await;
    let client = Client::builder()
        .base_url(base_url)
        .max_answer_bytes(LIMIT)
        .attempt_timeout(Duration::from_secs(20))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::AnswerTooLarge { operation: "Thing.get", limit: LIMIT, .. }), "{error:?}");
    assert!(!error.is_retryable(), "the same answer would come again");
    assert!(started.elapsed() < Duration::from_secs(10), "it does not wait for the attempt timeout");
    // Give the server a moment to notice the closed connection, then check it stopped early:
    // what it wrote beyond the limit is what sat in socket buffers, not what the client kept.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(written.load(Ordering::SeqCst), sent, "the client closed the connection");
    assert!(sent < 32 * LIMIT, "the server could write {sent} bytes");
}

#[tokio::test]
async fn a_body_announced_larger_than_the_limit_is_refused_before_it_is_read() {
    let server = MockServer::start().await;
    let body = format!(r#"{{"Id": 1, "Name": "{}"}}"#, "x".repeat(LIMIT));
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = client_for(&server).max_answer_bytes(LIMIT).build().unwrap();

    let error = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap_err();

    assert!(matches!(error, Error::AnswerTooLarge { limit: LIMIT, .. }), "{error:?}");
    assert!(error.to_string().contains("1048576"), "the message names the limit: {error}");
}

#[tokio::test]
async fn a_body_within_the_limit_is_read() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(1, "Desk")))
        .mount(&server)
        .await;
    let client = client_for(&server).max_answer_bytes(128).build().unwrap();

    let thing = client.execute::<Thing>(&GET_THING, thing_request(1)).await.unwrap();
    assert_eq!(thing.name, "Desk");
}
