//! The client and its builder: one shared connection pool, credentials, retry and timeout
//! settings, and the calls generated operations make (`execute`, `execute_action`,
//! `execute_create`), each traced, retried, authenticated and bounded in time.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::header::{HeaderValue, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::{AccessToken, Credentials, PasswordGrant, Secret, TokenEndpoint, TokenSession};
use super::envelope::ActionOutcome;
use super::request::{request_url, Method, Operation, Request};
use super::retry::{send_with_retries, Deadlines, RetryPolicy};
use super::transport::{answer_error, decode, exchange, validation_error, Answer, USER_AGENT_VALUE};
use super::{Error, Result};

/// Where the API lives and where it signs in, as its spec says (`api.base_url`,
/// `api.auth.password_grant.token_path`): the defaults of a client. Generated code gives the
/// spec's (`crate::gen::API_DEFAULTS`), which `Client::builder()` starts from.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiDefaults {
    /// The base URL requests go to unless the builder sets one.
    pub base_url: &'static str,
    /// The path of the password grant's token endpoint below the base URL; `None` when the API
    /// has no password grant.
    pub token_path: Option<&'static str>,
}

/// How long one attempt may take, from connecting to the end of the answer, unless set.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one operation may take, retries and their waits included, unless set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The largest answer body the client reads, unless set: 64 MiB, some forty times the largest page
/// the API serves (1000 full records of about 1.5 KiB).
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// A client of the Nexudus API. Cheap to clone: clones share one connection pool and, with the
/// password grant, one token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// `base_url`, parsed: every request's URL is a path below it.
    base: reqwest::Url,
    /// The token endpoint; set whenever the credentials are the password grant.
    token_url: Option<String>,
    credentials: Credentials,
    retry: RetryPolicy,
    attempt_timeout: Duration,
    timeout: Duration,
    max_answer_bytes: usize,
}

/// Generated resource types take anything that gives a [`Client`]; the client gives itself.
impl AsRef<Client> for Client {
    fn as_ref(&self) -> &Client {
        self
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("timeout", &self.inner.timeout)
            .field("max_answer_bytes", &self.inner.max_answer_bytes)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`Client`].
///
/// ```
/// # use nexudus_core as nexudus; // The example as applications, which use `nexudus`, write it.
/// use std::time::Duration;
/// use nexudus::runtime::PasswordGrant;
///
/// let client = nexudus::Client::builder()
///     .password_grant(PasswordGrant::new("admin@example.com", "secret"))
///     .max_attempts(3)
///     .timeout(Duration::from_secs(30))
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("secret"));
/// ```
///
/// `C` is what [`ClientBuilder::build`] hands back: the runtime's [`Client`], or the `nexudus`
/// crate's client, which wraps it.
pub struct ClientBuilder<C = Client> {
    defaults: ApiDefaults,
    base_url: Option<String>,
    token_path: Option<String>,
    http: Option<reqwest::Client>,
    credentials: Option<Credentials>,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_answer_bytes: Option<usize>,
    builds: PhantomData<fn() -> C>,
}

/// A builder with the defaults of the API's spec.
impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::for_api(crate::gen::API_DEFAULTS)
    }
}

impl<C> ClientBuilder<C> {
    /// A builder whose unset base URL and token path are `defaults`.
    #[doc(hidden)]
    pub fn for_api(defaults: ApiDefaults) -> Self {
        ClientBuilder {
            defaults,
            base_url: None,
            token_path: None,
            http: None,
            credentials: None,
            retry: RetryPolicy::default(),
            attempt_timeout: None,
            timeout: None,
            max_answer_bytes: None,
            builds: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("defaults", &self.defaults)
            .field("base_url", &self.base_url.as_deref().map(without_password))
            .field("token_path", &self.token_path)
            .field("http", &self.http)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("timeout", &self.timeout)
            .field("max_answer_bytes", &self.max_answer_bytes)
            .finish()
    }
}

/// A URL as `Debug` may show it: without the password it may carry, which `build` refuses.
fn without_password(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "<not a URL>".to_owned(),
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// The base URL: the API's own (its spec's `api.base_url`) unless set. Every path, the token
    /// endpoint's included, goes below it.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Bearer(Secret::new(token)));
        self
    }

    /// Sends HTTP Basic credentials with every request (for users with "API access" enabled).
    pub fn basic_auth(mut self, email: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic { email: email.into(), password: Secret::new(password) });
        self
    }

    /// Signs in at the token endpoint (`POST`, [`ClientBuilder::token_path`] below the base URL)
    /// before the first request, and sends the access token it gives. The token is refreshed a
    /// minute before it expires and once after a 401.
    pub fn password_grant(mut self, grant: PasswordGrant) -> Self {
        self.credentials = Some(Credentials::PasswordGrant(Box::new(TokenSession::new(grant))));
        self
    }

    /// The path of the password grant's token endpoint below the base URL: the API's own (its
    /// spec's `api.auth.password_grant.token_path`) unless set.
    pub fn token_path(mut self, path: impl Into<String>) -> Self {
        self.token_path = Some(path.into());
        self
    }

    /// Uses this HTTP client (and its connection pool) instead of a new one. Build it with
    /// `redirect(reqwest::redirect::Policy::none())`: the API does not redirect, and an HTTP client
    /// that follows redirects sends the password grant's form or a request's body to wherever a
    /// redirect points before this client can refuse the answer ([`Error::Redirect`]).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Attempts in all for one operation, the first one included: 4 unless set, at least 1.
    /// Throttled requests are sent again whatever their method; after a server error or a broken
    /// connection only GET, PUT and DELETE are.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// The most one operation waits between its attempts, added up: 60 seconds unless set. When
    /// the next wait would pass it, the operation fails with the last error instead.
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.retry.max_total_wait = wait;
        self
    }

    /// The backoff before the second attempt when the server did not say how long to wait:
    /// 500 ms unless set. It doubles with each further attempt, up to 10 seconds, with jitter.
    pub fn retry_backoff(mut self, first_wait: Duration) -> Self {
        self.retry.first_backoff = first_wait;
        self
    }

    /// How long one attempt may take, from connecting to the end of the answer: 30 seconds
    /// unless set.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// How long one operation may take, sign-in, retries and waits included: 120 seconds unless
    /// set. A wait before a retry that would end past it is not begun: the operation fails with
    /// [`Error::Timeout`] at once.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest answer body the client reads, in bytes: 64 MiB unless set. A larger one fails
    /// with [`Error::AnswerTooLarge`] as soon as it is announced (`Content-Length`) or, while
    /// streaming in, as soon as it passes the limit; the client never holds more.
    pub fn max_answer_bytes(mut self, bytes: usize) -> Self {
        self.max_answer_bytes = Some(bytes);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C> {
        const OPERATION: &str = "Client.build";
        let base_url =
            self.base_url.unwrap_or_else(|| self.defaults.base_url.to_owned()).trim_end_matches('/').to_owned();
        // The URL itself is not quoted: it may carry credentials.
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|error| Error::Config { setting: "base_url", message: format!("not a URL: {error}") })?;
        if parsed.query().is_some() || parsed.fragment().is_some() || parsed.cannot_be_a_base() {
            return Err(Error::Config {
                setting: "base_url",
                message: "a base URL is a scheme, a host and a path, with no query or fragment".to_owned(),
            });
        }
        // Credentials in the URL would show wherever the URL does (`Debug`, errors, traces).
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Error::Config {
                setting: "base_url",
                message: "the URL carries a user name or password; give credentials with basic_auth (or another scheme) instead".to_owned(),
            });
        }
        let credentials = self.credentials.unwrap_or(Credentials::None);
        credentials.check()?;
        let token_path = self.token_path.or_else(|| self.defaults.token_path.map(str::to_owned));
        // The token endpoint is a path below the base URL, as every operation's is.
        let token_url = match (&credentials, token_path) {
            (Credentials::PasswordGrant(_), Some(path)) => {
                let endpoint = Request { path, ..Request::default() };
                let url = request_url(&parsed, &endpoint)
                    .map_err(|message| Error::Config { setting: "token_path", message })?;
                Some(url.to_string())
            }
            (Credentials::PasswordGrant(_), None) => {
                return Err(Error::Config {
                    setting: "password_grant",
                    message: "this API has no token endpoint (its spec has no `api.auth.password_grant`); give one with token_path".to_owned(),
                });
            }
            (_, _) => None,
        };
        let http = match self.http {
            Some(http) => http,
            // The API does not redirect; a redirect followed would carry the password or a body to
            // wherever the server says.
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|source| Error::Transport { operation: OPERATION, source })?,
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                http,
                token_url,
                base_url,
                base: parsed,
                credentials,
                retry: self.retry,
                attempt_timeout: self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                max_answer_bytes: self.max_answer_bytes.unwrap_or(DEFAULT_MAX_ANSWER_BYTES),
            }),
        }))
    }
}

/// An answer that is bytes rather than JSON: an image or a file, with its content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    /// The `Content-Type` the server sent (`image/png`), if any.
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
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

    /// Signs in now with the password grant, so bad credentials show at start-up rather than at
    /// the first call. Does nothing with other credentials, and nothing while the token is fresh.
    pub async fn authenticate(&self) -> Result<()> {
        const OPERATION: &str = "Client.authenticate";
        let Credentials::PasswordGrant(session) = &self.inner.credentials else {
            return Ok(());
        };
        // The token endpoint takes a POST: only throttled answers are worth sending again.
        send_with_retries(&self.inner.retry, Method::Post, OPERATION, self.deadlines(), move |_attempt| async move {
            session.access_token(&self.token_endpoint(OPERATION)).await.map(drop)
        })
        .await
    }

    /// Sends a request and decodes a JSON answer. Only the decoding depends on the answer type:
    /// the sending is boxed, so that its code is compiled once for the whole API rather than once
    /// per answer type.
    #[doc(hidden)]
    pub fn execute<T: DeserializeOwned>(&self, operation: &'static Operation, request: Request) -> Decoded<'_, T> {
        Decoded { answer: Box::pin(self.send(operation, request)), operation: operation.name, decoded: PhantomData }
    }

    /// Sends a request whose answer is the action envelope, and fails when it says so, since
    /// business-rule failures come back as HTTP 200 with `WasSuccessful` false.
    #[doc(hidden)]
    pub async fn execute_action(&self, operation: &'static Operation, request: Request) -> Result<ActionOutcome> {
        let answer = self.send(operation, request).await?;
        let parts = (operation.envelope)(&answer.body).ok_or_else(|| Error::Decode {
            operation: operation.name,
            status: answer.status.as_u16(),
            message: "not an action answer".to_owned(),
            snippet: answer.redactor.snippet(&answer.body),
        })?;
        if !parts.success {
            return Err(validation_error(operation.name, answer.status, parts, &answer.redactor));
        }
        Ok(parts.into())
    }

    /// Like [`Client::execute_action`], returning the new record's id from `Value.Id`.
    #[doc(hidden)]
    pub async fn execute_create(&self, operation: &'static Operation, request: Request) -> Result<i64> {
        let outcome = self.execute_action(operation, request).await?;
        outcome.id.ok_or_else(|| Error::Decode {
            operation: operation.name,
            status: StatusCode::OK.as_u16(),
            message: "the answer carries no `Value.Id`".to_owned(),
            snippet: String::new(),
        })
    }

    /// Sends a request whose answer is bytes (an image, a file), and hands them back with their
    /// content type.
    #[doc(hidden)]
    pub async fn execute_binary(&self, operation: &'static Operation, request: Request) -> Result<Binary> {
        let answer = self.send(operation, request).await?;
        Ok(Binary { content_type: answer.content_type, bytes: answer.body })
    }

    /// Sends a request with retries, within the operation's timeout; answers a successful answer,
    /// or the error the last attempt stands for.
    pub(crate) async fn send(&self, operation: &'static Operation, request: Request) -> Result<Answer> {
        if let Some(message) = request.unsendable {
            return Err(Error::Request { operation: operation.name, message });
        }
        let url = request_url(&self.inner.base, &request)
            .map_err(|message| Error::Request { operation: operation.name, message })?;
        let span = tracing::info_span!(
            "nexudus_request",
            operation = operation.name,
            method = operation.method.as_str(),
            path = %request.path,
        );
        let refreshed_after_rejection = AtomicBool::new(false);
        let attempts =
            send_with_retries(&self.inner.retry, operation.method, operation.name, self.deadlines(), |attempt| {
                self.send_attempt(operation, &url, &request, attempt, &refreshed_after_rejection)
            });
        attempts.instrument(span).await
    }

    /// One attempt: a token when the password grant is in use, the request, and, the first time
    /// in an operation that a token is rejected with 401, a new token and the request again.
    async fn send_attempt(
        &self,
        operation: &'static Operation,
        url: &reqwest::Url,
        request: &Request,
        attempt: u32,
        refreshed_after_rejection: &AtomicBool,
    ) -> Result<Answer> {
        let span = tracing::info_span!(
            "nexudus_attempt",
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async move {
            let token = self.access_token(operation.name).await?;
            let redactor = self.inner.credentials.redactor(token.as_ref().map(|token| &token.value));
            let sent = self.http_request(operation, url, request, token.as_ref());
            let mut answer = exchange(operation.name, sent, self.inner.max_answer_bytes, redactor).await?;
            if answer.status == StatusCode::UNAUTHORIZED {
                if let (Credentials::PasswordGrant(session), Some(rejected)) = (&self.inner.credentials, &token) {
                    if !refreshed_after_rejection.swap(true, Ordering::SeqCst) {
                        tracing::debug!("the access token was rejected; replacing it and sending again once");
                        let replacement =
                            session.replace_rejected(rejected, &self.token_endpoint(operation.name)).await?;
                        let redactor = self.inner.credentials.redactor(Some(&replacement.value));
                        let sent = self.http_request(operation, url, request, Some(&replacement));
                        answer = exchange(operation.name, sent, self.inner.max_answer_bytes, redactor).await?;
                    }
                }
            }
            if answer.status.is_success() {
                Ok(answer)
            } else {
                Err(answer_error(operation.name, operation.envelope, &answer))
            }
        }
        .instrument(span)
        .await
    }

    /// The token to send with the password grant; `None` with other credentials.
    async fn access_token(&self, operation: &'static str) -> Result<Option<AccessToken>> {
        match &self.inner.credentials {
            Credentials::PasswordGrant(session) => {
                Ok(Some(session.access_token(&self.token_endpoint(operation)).await?))
            }
            Credentials::None | Credentials::Bearer(_) | Credentials::Basic { .. } => Ok(None),
        }
    }

    fn token_endpoint(&self, operation: &'static str) -> TokenEndpoint<'_> {
        TokenEndpoint {
            http: &self.inner.http,
            // `build` gives every client with the password grant a token URL.
            url: self.inner.token_url.as_deref().unwrap_or_default(),
            attempt_timeout: self.inner.attempt_timeout,
            max_answer_bytes: self.inner.max_answer_bytes,
            operation,
        }
    }

    /// The HTTP request of one attempt, with its headers, credentials and body; its time is bounded
    /// by [`send_with_retries`].
    fn http_request(
        &self,
        operation: &Operation,
        url: &reqwest::Url,
        request: &Request,
        token: Option<&AccessToken>,
    ) -> reqwest::RequestBuilder {
        let mut builder = self
            .inner
            .http
            .request(operation.method.to_reqwest(), url.clone())
            .header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        // reqwest marks both authorization headers sensitive, which keeps them out of its logs.
        builder = match (&self.inner.credentials, token) {
            (_, Some(token)) => builder.bearer_auth(token.value.expose()),
            (Credentials::Bearer(token), None) => builder.bearer_auth(token.expose()),
            (Credentials::Basic { email, password }, None) => builder.basic_auth(email, Some(password.expose())),
            (Credentials::None | Credentials::PasswordGrant(_), None) => builder,
        };
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.clone());
        }
        builder
    }

    /// The deadlines of an operation that starts now.
    fn deadlines(&self) -> Deadlines {
        Deadlines::starting_now(self.inner.timeout, self.inner.attempt_timeout)
    }
}

/// The future of [`Client::execute`]: the answer, then its decoding as `T`.
pub struct Decoded<'a, T> {
    answer: Pin<Box<dyn Future<Output = Result<Answer>> + Send + 'a>>,
    operation: &'static str,
    decoded: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Future for Decoded<'_, T> {
    type Output = Result<T>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Result<T>> {
        let this = &mut *self;
        this.answer.as_mut().poll(context).map(|answer| answer.and_then(|answer| decode(this.operation, &answer)))
    }
}
