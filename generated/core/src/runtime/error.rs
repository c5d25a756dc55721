//! The one error type of the client; every variant names the operation that failed.

use std::time::Duration;

use super::envelope::FieldError;

/// Result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed. Every variant carries the operation's name, such as
/// `CrmOpportunity.update`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `ClientBuilder::build` refused a setting; the message names it and never quotes a secret.
    #[error("Client.build: {setting}: {message}")]
    Config {
        /// The builder setting at fault, such as `bearer_token` or `base_url`.
        setting: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The request could not be built (a query or body that does not serialize, a bad base URL).
    #[error("{operation}: could not build the request: {message}")]
    Request {
        /// The operation that failed.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The request did not reach the server or its answer did not come back; `source()` says why.
    #[error("{operation}: transport error")]
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The server did not answer in time: an attempt passed the attempt timeout, or the
    /// operation's timeout came, or would have come before the next attempt could start.
    #[error("{operation}: timed out")]
    Timeout {
        /// The operation that failed.
        operation: &'static str,
    },
    /// The token endpoint refused the password grant (or a refresh and then the password grant),
    /// answering `{"error": .., "error_description": ..}`.
    #[error("{operation}: sign-in refused: {error}: {description}")]
    Auth {
        /// The operation that needed the token.
        operation: &'static str,
        /// HTTP status of the token endpoint's answer (400 as documented).
        status: u16,
        /// The OAuth error code, such as `invalid_grant` or `unsupported_grant_type`.
        error: String,
        /// The server's explanation, empty when it gave none.
        description: String,
    },
    /// HTTP 401: bad credentials, or a role the user does not have.
    #[error("{operation}: unauthorized (HTTP 401): {message}")]
    Unauthorized {
        /// The operation that failed.
        operation: &'static str,
        /// The server's message.
        message: String,
    },
    /// HTTP 404.
    #[error("{operation}: not found (HTTP 404)")]
    NotFound {
        /// The operation that failed.
        operation: &'static str,
    },
    /// The server refused the data: HTTP 400, or an action answer whose `WasSuccessful` is false.
    #[error("{operation}: validation failed (HTTP {status}): {message}")]
    Validation {
        /// The operation that failed.
        operation: &'static str,
        /// HTTP status of the answer (400, or 200 for a business-rule failure).
        status: u16,
        /// The server's summary message.
        message: String,
        /// Every field error the server listed.
        errors: Vec<FieldError>,
    },
    /// The server kept throttling the request until the retries ran out.
    #[error("{operation}: throttled (HTTP {status}); {}", wait_asked(*retry_after))]
    Throttled {
        /// The operation that failed.
        operation: &'static str,
        /// HTTP status of the last answer (409 or 429).
        status: u16,
        /// The last wait the server asked for, if it said.
        retry_after: Option<Duration>,
    },
    /// The server answered with a redirect (HTTP 3xx). The API does not redirect, and following one
    /// would send credentials or a body to where the server says, so the client never does.
    #[error("{operation}: redirected (HTTP {status}) to {}; the client does not follow redirects", location.as_deref().unwrap_or("no location"))]
    Redirect {
        /// The operation that failed.
        operation: &'static str,
        /// HTTP status of the redirect; when an HTTP client given to the builder followed it
        /// itself, the status of the answer it ended at.
        status: u16,
        /// Where the server redirected to (its `Location` header, or the address the given HTTP
        /// client ended at).
        location: Option<String>,
    },
    /// The answer's body was larger than the client reads (`ClientBuilder::max_answer_bytes`,
    /// 64 MiB unless set): found from `Content-Length` before reading, or while reading, so the
    /// client never holds more than the limit.
    #[error("{operation}: the answer (HTTP {status}) is larger than the limit of {limit} bytes")]
    AnswerTooLarge {
        /// The operation that failed.
        operation: &'static str,
        /// HTTP status of the answer.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// Any other unsuccessful HTTP status: a server error (5xx), whatever its body, or a client
    /// error without the action envelope.
    #[error("{operation}: HTTP {status}: {message}")]
    Status {
        /// The operation that failed.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The server's `Message` (of the action envelope or of a JSON body), or else the body's
        /// first bytes.
        message: String,
    },
    /// The answer's body did not have the expected shape.
    #[error("{operation}: could not decode the answer (HTTP {status}): {message}; body starts with {snippet:?}")]
    Decode {
        /// The operation that failed.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// What did not match.
        message: String,
        /// The first bytes of the body.
        snippet: String,
    },
}

impl Error {
    /// The operation that failed, such as `CrmOpportunity.update`.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Config { .. } => "Client.build",
            Error::Request { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation }
            | Error::Auth { operation, .. }
            | Error::Unauthorized { operation, .. }
            | Error::NotFound { operation }
            | Error::Validation { operation, .. }
            | Error::Throttled { operation, .. }
            | Error::Redirect { operation, .. }
            | Error::AnswerTooLarge { operation, .. }
            | Error::Status { operation, .. }
            | Error::Decode { operation, .. } => operation,
        }
    }

    /// A copy of this error for another `operation`, where the error can be copied: every
    /// variant but `Transport`, whose underlying error cannot. Used to give one refused sign-in
    /// to every call that waited on it.
    pub(crate) fn shared_copy(&self, operation: &'static str) -> Option<Error> {
        Some(match self {
            Error::Config { setting, message } => Error::Config { setting, message: message.clone() },
            Error::Request { message, .. } => Error::Request { operation, message: message.clone() },
            Error::Transport { .. } => return None,
            Error::Timeout { .. } => Error::Timeout { operation },
            Error::Auth { status, error, description, .. } => {
                Error::Auth { operation, status: *status, error: error.clone(), description: description.clone() }
            }
            Error::Unauthorized { message, .. } => Error::Unauthorized { operation, message: message.clone() },
            Error::NotFound { .. } => Error::NotFound { operation },
            Error::Validation { status, message, errors, .. } => {
                Error::Validation { operation, status: *status, message: message.clone(), errors: errors.clone() }
            }
            Error::Throttled { status, retry_after, .. } => {
                Error::Throttled { operation, status: *status, retry_after: *retry_after }
            }
            Error::Redirect { status, location, .. } => {
                Error::Redirect { operation, status: *status, location: location.clone() }
            }
            Error::AnswerTooLarge { status, limit, .. } => {
                Error::AnswerTooLarge { operation, status: *status, limit: *limit }
            }
            Error::Status { status, message, .. } => {
                Error::Status { operation, status: *status, message: message.clone() }
            }
            Error::Decode { status, message, snippet, .. } => {
                Error::Decode { operation, status: *status, message: message.clone(), snippet: snippet.clone() }
            }
        })
    }

    /// The HTTP status of the answer the error comes from; `None` when there was no answer
    /// (a transport failure, a timeout, a request or setting refused before sending).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Unauthorized { .. } => Some(401),
            Error::NotFound { .. } => Some(404),
            Error::Auth { status, .. }
            | Error::Validation { status, .. }
            | Error::Throttled { status, .. }
            | Error::Redirect { status, .. }
            | Error::AnswerTooLarge { status, .. }
            | Error::Status { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Config { .. } | Error::Request { .. } | Error::Transport { .. } | Error::Timeout { .. } => None,
        }
    }

    /// The field errors of a validation failure; empty for every other error.
    pub fn validation_errors(&self) -> &[FieldError] {
        match self {
            Error::Validation { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Whether sending the same request again later may succeed. The client has already retried
    /// what it safely could; this tells a caller whether a later try of its own makes sense.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } | Error::Throttled { .. } => true,
            Error::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// The end of a throttled error's message: the last wait the server asked for, if it said.
fn wait_asked(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!("the server last asked to wait {wait:?}"),
        None => "the server did not say how long to wait".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::time::Duration;

    use super::*;

    fn check_status(error: Error, expected: Option<u16>) {
        assert_eq!(error.status(), expected, "{error:?}");
    }

    #[test]
    fn status_is_the_http_status_where_there_was_one() {
        let operation = "Thing.get";
        check_status(Error::Status { operation, status: 503, message: String::new() }, Some(503));
        check_status(Error::NotFound { operation }, Some(404));
        check_status(Error::Unauthorized { operation, message: String::new() }, Some(401));
        check_status(Error::Throttled { operation, status: 429, retry_after: None }, Some(429));
        check_status(
            Error::Validation { operation, status: 200, message: String::new(), errors: Vec::new() },
            Some(200),
        );
        check_status(Error::Redirect { operation, status: 307, location: None }, Some(307));
        check_status(Error::Timeout { operation }, None);
        check_status(Error::Request { operation, message: String::new() }, None);
        check_status(Error::Config { setting: "base_url", message: String::new() }, None);
    }

    #[test]
    fn a_throttled_error_says_the_wait_in_words() {
        let throttled = |retry_after| Error::Throttled { operation: "Thing.get", status: 409, retry_after };
        assert_eq!(
            throttled(Some(Duration::from_millis(1500))).to_string(),
            "Thing.get: throttled (HTTP 409); the server last asked to wait 1.5s"
        );
        assert_eq!(
            throttled(None).to_string(),
            "Thing.get: throttled (HTTP 409); the server did not say how long to wait"
        );
    }

    #[tokio::test]
    async fn a_transport_error_says_what_failed_and_leaves_why_to_its_source() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let source = reqwest::get(format!("http://127.0.0.1:{port}/")).await.unwrap_err();
        let cause = source.to_string();
        let error = Error::Transport { operation: "Thing.get", source };

        let display = error.to_string();
        assert!(!display.contains(&cause), "the cause is printed once, by source(): {display}");
        assert_eq!(error.source().map(ToString::to_string), Some(cause));
    }
}
