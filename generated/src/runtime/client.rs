//! The client: one shared connection pool, credentials, and the calls generated operations make.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::envelope::{ActionOutcome, ActionParts};
use super::error::snippet;
use super::request::{Operation, Request};
use super::{Error, Result};

/// The default base URL of the API.
pub const DEFAULT_BASE_URL: &str = "https://spaces.nexudus.com";

/// A client of the Nexudus API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
}

/// How requests authenticate. Secrets never appear in `Debug` output.
#[derive(Clone)]
enum Credentials {
    None,
    Bearer(String),
    Basic { email: String, password: String },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::Basic { email, .. } => write!(f, "Basic {{ email: {email:?}, password: <redacted> }}"),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    credentials: Option<Credentials>,
}

impl ClientBuilder {
    /// The base URL, `https://spaces.nexudus.com` unless set.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Bearer(token.into()));
        self
    }

    /// Sends HTTP Basic credentials with every request.
    pub fn basic_auth(mut self, email: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic { email: email.into(), password: password.into() });
        self
    }

    /// Uses this HTTP client (and its connection pool) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|source| Error::Transport { operation: "Client.build", source })?,
        };
        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                credentials: self.credentials.unwrap_or(Credentials::None),
            }),
        })
    }
}

impl Client {
    /// Starts setting up a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and decodes a JSON answer.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, operation: &'static Operation, request: Request) -> Result<T> {
        let (status, body) = self.send(operation, request).await?;
        decode(operation, status, &body)
    }

    /// Sends a request whose answer is the action envelope, and fails when it says so.
    pub(crate) async fn execute_action(&self, operation: &'static Operation, request: Request) -> Result<ActionOutcome> {
        let (status, body) = self.send(operation, request).await?;
        let parts = (operation.envelope)(&body).ok_or_else(|| Error::Decode {
            operation: operation.name,
            status: status.as_u16(),
            message: "not an action answer".to_owned(),
            snippet: snippet(&body),
        })?;
        if !parts.success {
            return Err(validation_error(operation, status, parts));
        }
        Ok(parts.into())
    }

    /// Like [`Client::execute_action`], returning the new record's id from `Value.Id`.
    pub(crate) async fn execute_create(&self, operation: &'static Operation, request: Request) -> Result<i64> {
        let outcome = self.execute_action(operation, request).await?;
        outcome.id.ok_or_else(|| Error::Decode {
            operation: operation.name,
            status: StatusCode::OK.as_u16(),
            message: "the answer carries no `Value.Id`".to_owned(),
            snippet: String::new(),
        })
    }

    /// Sends one request; answers the body of a successful status, or the error it stands for.
    async fn send(&self, operation: &'static Operation, request: Request) -> Result<(StatusCode, Vec<u8>)> {
        let mut url = format!("{}{}", self.inner.base_url, request.path);
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(&request.query);
        }
        let mut builder = self
            .inner
            .http
            .request(operation.method.to_reqwest(), url)
            .header(USER_AGENT, HeaderValue::from_static(concat!("nexudus-rust/", env!("CARGO_PKG_VERSION"))));
        builder = match &self.inner.credentials {
            Credentials::None => builder,
            Credentials::Bearer(token) => builder.header(AUTHORIZATION, format!("Bearer {token}")),
            Credentials::Basic { email, password } => builder.basic_auth(email, Some(password)),
        };
        if let Some(body) = request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body);
        }
        let transport = |source: reqwest::Error| {
            if source.is_timeout() {
                Error::Timeout { operation: operation.name }
            } else {
                Error::Transport { operation: operation.name, source }
            }
        };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        if status.is_success() {
            return Ok((status, body));
        }
        Err(status_error(operation, status, &body))
    }
}

/// The error an unsuccessful status stands for.
fn status_error(operation: &'static Operation, status: StatusCode, body: &[u8]) -> Error {
    match status {
        StatusCode::UNAUTHORIZED => Error::Unauthorized { operation: operation.name, message: server_message(body) },
        StatusCode::NOT_FOUND => Error::NotFound { operation: operation.name },
        StatusCode::BAD_REQUEST => match (operation.envelope)(body) {
            Some(parts) => validation_error(operation, status, parts),
            None => Error::Status { operation: operation.name, status: status.as_u16(), snippet: snippet(body) },
        },
        StatusCode::CONFLICT | StatusCode::TOO_MANY_REQUESTS => {
            Error::Throttled { operation: operation.name, status: status.as_u16(), retry_after: None }
        }
        _ => Error::Status { operation: operation.name, status: status.as_u16(), snippet: snippet(body) },
    }
}

fn validation_error(operation: &'static Operation, status: StatusCode, parts: ActionParts) -> Error {
    Error::Validation {
        operation: operation.name,
        status: status.as_u16(),
        message: parts.message.unwrap_or_default(),
        errors: parts.errors,
    }
}

/// The `Message` of a JSON error body, a JSON string body, or the body's first bytes.
fn server_message(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::String(message)) => message,
        Ok(serde_json::Value::Object(object)) => match object.get("Message") {
            Some(serde_json::Value::String(message)) => message.clone(),
            _ => snippet(body),
        },
        _ => snippet(body),
    }
}

fn decode<T: DeserializeOwned>(operation: &'static Operation, status: StatusCode, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|error| Error::Decode {
        operation: operation.name,
        status: status.as_u16(),
        message: error.to_string(),
        snippet: snippet(body),
    })
}
