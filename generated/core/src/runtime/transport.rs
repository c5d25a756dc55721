//! One HTTP exchange and what its answer means: sends a built request, reads the whole answer,
//! and turns an unsuccessful status into the matching [`Error`].

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::envelope::ActionParts;
use super::redact::Redactor;
use super::retry::{parse_retry_after, parse_wait_from_body};
use super::{Error, Result};

/// The `User-Agent` of every request: the crate and its version.
pub(crate) const USER_AGENT_VALUE: &str = concat!("nexudus-rust/", env!("CARGO_PKG_VERSION"));

/// The parts of an answer the client looks at.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    /// The wait asked by a `Retry-After` header.
    pub(crate) retry_after: Option<Duration>,
    /// The `Content-Type` header, for answers that are bytes rather than JSON.
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
    /// The secrets the exchange sent, to keep out of whatever is quoted from the body.
    pub(crate) redactor: Redactor,
}

/// Sends one request and reads its whole answer, whatever the status. The status and duration go
/// into the current span (the attempt's), so traces show every exchange.
///
/// A redirect is an error: the API does not redirect, and following one would carry credentials
/// or a body to wherever the server says. The client's own HTTP client follows none; an answer
/// that a given HTTP client fetched from another address than the one asked is refused too.
///
/// The body is read a chunk at a time up to `max_answer_bytes`; past it, or when `Content-Length`
/// announces more, the answer is [`Error::AnswerTooLarge`] and the connection is dropped.
///
/// `redactor` knows the secrets the request carries; the answer keeps it, so that nothing quoted
/// from the body shows them.
pub(crate) async fn exchange(
    operation: &'static str,
    request: reqwest::RequestBuilder,
    max_answer_bytes: usize,
    redactor: Redactor,
) -> Result<Answer> {
    let started = Instant::now();
    let (http, request) = request.build_split();
    let request = request.map_err(|source| transport_error(operation, source))?;
    let asked = request.url().clone();
    let response = http.execute(request).await.map_err(|source| transport_error(operation, source))?;
    let status = response.status();
    if status.is_redirection() {
        let location =
            response.headers().get(LOCATION).map(|value| redactor.redact(&String::from_utf8_lossy(value.as_bytes())));
        return Err(Error::Redirect { operation, status: status.as_u16(), location });
    }
    if *response.url() != asked {
        let location = Some(redactor.redact(response.url().as_str()));
        return Err(Error::Redirect { operation, status: status.as_u16(), location });
    }
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, SystemTime::now()));
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let body = read_body(operation, response, max_answer_bytes).await?;
    let span = tracing::Span::current();
    span.record("status", status.as_u16());
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    tracing::debug!(status = status.as_u16(), body_bytes = body.len(), "answer received");
    Ok(Answer { status, retry_after, content_type, body, redactor })
}

/// The whole body of `response`, or [`Error::AnswerTooLarge`] as soon as it passes `limit`.
async fn read_body(operation: &'static str, mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>> {
    let status = response.status().as_u16();
    let too_large = || Error::AnswerTooLarge { operation, status, limit };
    let announced = response.content_length().map(|length| usize::try_from(length).unwrap_or(usize::MAX));
    if announced.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(announced.unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(|source| transport_error(operation, source))? {
        if chunk.len() > limit - body.len() {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The error a reqwest failure stands for: a timeout, a request that could not be built, or a
/// transport failure.
pub(crate) fn transport_error(operation: &'static str, source: reqwest::Error) -> Error {
    if source.is_timeout() {
        Error::Timeout { operation }
    } else if source.is_builder() {
        Error::Request { operation, message: source.to_string() }
    } else {
        Error::Transport { operation, source }
    }
}

/// The error an unsuccessful answer stands for. `envelope` reads an action envelope out of the
/// body.
///
/// The status decides first: 401, 404, and 409 or 429 (throttling) have errors of their own. A
/// client error (4xx) that carries the action envelope is a validation failure, whatever its
/// status. A server error (5xx) is [`Error::Status`], which a later try may get past, even when
/// its body is the envelope with `WasSuccessful` false (one of the two ways the API answers a
/// server error); it carries the envelope's or the body's `Message`.
pub(crate) fn answer_error(
    operation: &'static str,
    envelope: fn(&[u8]) -> Option<ActionParts>,
    answer: &Answer,
) -> Error {
    let Answer { status, retry_after, body, redactor, .. } = answer;
    match *status {
        StatusCode::UNAUTHORIZED => Error::Unauthorized { operation, message: server_message(body, redactor) },
        StatusCode::NOT_FOUND => Error::NotFound { operation },
        // The documented throttling answer is 409 with `Retry-After`; the one seen live is 429 with
        // a body such as `Wait 2 seconds`. Either may carry its wait either way.
        StatusCode::CONFLICT | StatusCode::TOO_MANY_REQUESTS => Error::Throttled {
            operation,
            status: status.as_u16(),
            retry_after: retry_after.or_else(|| parse_wait_from_body(body)),
        },
        client_error if client_error.is_client_error() => match envelope(body) {
            Some(parts) => validation_error(operation, *status, parts, redactor),
            None => Error::Status { operation, status: status.as_u16(), message: server_message(body, redactor) },
        },
        _ => {
            let message = match envelope(body).and_then(|parts| parts.message) {
                Some(message) => redactor.redact(&message),
                None => server_message(body, redactor),
            };
            Error::Status { operation, status: status.as_u16(), message }
        }
    }
}

/// The error of an action answer whose `WasSuccessful` is false, its texts redacted.
pub(crate) fn validation_error(
    operation: &'static str,
    status: StatusCode,
    parts: ActionParts,
    redactor: &Redactor,
) -> Error {
    let errors = parts
        .errors
        .into_iter()
        .map(|mut error| {
            error.message = redactor.redact(&error.message);
            error.property_name = error.property_name.map(|property| redactor.redact(&property));
            if let serde_json::Value::String(value) = &error.attempted_value {
                error.attempted_value = serde_json::Value::String(redactor.redact(value));
            }
            error
        })
        .collect();
    Error::Validation {
        operation,
        status: status.as_u16(),
        message: redactor.redact(&parts.message.unwrap_or_default()),
        errors,
    }
}

/// Decodes a JSON answer, keeping the status and the body's first bytes when it does not fit.
pub(crate) fn decode<T: DeserializeOwned>(operation: &'static str, answer: &Answer) -> Result<T> {
    serde_json::from_slice(&answer.body).map_err(|error| Error::Decode {
        operation,
        status: answer.status.as_u16(),
        message: answer.redactor.redact(&error.to_string()),
        snippet: answer.redactor.snippet(&answer.body),
    })
}

/// The `Message` of a JSON error body, a JSON string body, or the body's first bytes, redacted.
fn server_message(body: &[u8], redactor: &Redactor) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::String(message)) => redactor.redact(&message),
        Ok(serde_json::Value::Object(object)) => match object.get("Message") {
            Some(serde_json::Value::String(message)) => redactor.redact(message),
            _ => redactor.snippet(body),
        },
        _ => redactor.snippet(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_envelope(_: &[u8]) -> Option<ActionParts> {
        None
    }

    fn check(status: u16, retry_after: Option<u64>, body: &str, expected: &str) {
        let answer = Answer {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: retry_after.map(Duration::from_secs),
            content_type: None,
            body: body.as_bytes().to_vec(),
            redactor: Redactor::default(),
        };
        assert_eq!(answer_error("Thing.get", no_envelope, &answer).to_string(), expected);
    }

    #[test]
    fn statuses_become_errors_naming_the_operation() {
        check(
            401,
            None,
            r#"{"Message": "Authorization has been denied for this request."}"#,
            "Thing.get: unauthorized (HTTP 401): Authorization has been denied for this request.",
        );
        check(404, None, r#""Not found""#, "Thing.get: not found (HTTP 404)");
        check(409, Some(1), "", "Thing.get: throttled (HTTP 409); the server last asked to wait 1s");
        check(429, None, "Wait 2 seconds", "Thing.get: throttled (HTTP 429); the server last asked to wait 2s");
        check(429, Some(3), "Wait 2 seconds", "Thing.get: throttled (HTTP 429); the server last asked to wait 3s");
        check(409, None, "", "Thing.get: throttled (HTTP 409); the server did not say how long to wait");
        check(500, None, r#"{"Message": "An error has occurred."}"#, "Thing.get: HTTP 500: An error has occurred.");
        check(503, None, "<html>down</html>", "Thing.get: HTTP 503: <html>down</html>");
        check(400, None, "<html>bad</html>", "Thing.get: HTTP 400: <html>bad</html>");
    }
}
