//! Credentials, and the password grant's token session: obtaining an access token from the API's
//! token endpoint, refreshing it shortly before it expires or once after a 401, and sharing one
//! refresh between concurrent requests. Secrets never reach `Debug` output, errors or traces.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use tracing::Instrument;

use super::redact::Redactor;
use super::transport::{answer_error, exchange, Answer, USER_AGENT_VALUE};
use super::{Error, Result};

/// How long before its announced expiry an access token is replaced, so a request never leaves
/// with a token that lapses on the way.
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(60);

/// Sign-in with the user's email and password (`grant_type=password`), with the options the
/// token endpoint takes.
///
/// ```
/// # use nexudus_core as nexudus; // The example as applications, which use `nexudus`, write it.
/// use nexudus::runtime::PasswordGrant;
///
/// let grant = PasswordGrant::new("admin@example.com", "secret").totp("123456");
/// assert!(!format!("{grant:?}").contains("secret"));
/// ```
#[derive(Clone)]
pub struct PasswordGrant {
    email: String,
    password: Secret,
    totp: Option<Secret>,
    client_id: Option<String>,
}

impl PasswordGrant {
    /// Signs in as this user.
    pub fn new(email: impl Into<String>, password: impl Into<String>) -> Self {
        PasswordGrant { email: email.into(), password: Secret(password.into()), totp: None, client_id: None }
    }

    /// The current two-factor code, for accounts that have two-factor authentication.
    pub fn totp(mut self, code: impl Into<String>) -> Self {
        self.totp = Some(Secret(code.into()));
        self
    }

    /// The `client_id` to send when signing in and refreshing.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }
}

impl fmt::Debug for PasswordGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordGrant")
            .field("email", &self.email)
            .field("password", &self.password)
            .field("totp", &self.totp)
            .field("client_id", &self.client_id)
            .finish()
    }
}

/// A password or token: its `Debug` form never shows it.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, only for putting it on the wire.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests authenticate.
#[derive(Debug)]
pub(crate) enum Credentials {
    None,
    Bearer(Secret),
    Basic { email: String, password: Secret },
    // Boxed: the session holds its lock and the last failure, much more than the other variants.
    PasswordGrant(Box<TokenSession>),
}

impl Credentials {
    /// Refuses, naming the setting, what could not go into a request: a token or `client_id` that
    /// is no HTTP header value (a line break read from a file) would otherwise fail every call.
    pub(crate) fn check(&self) -> Result<()> {
        let refused = |setting: &'static str, what: &str| Error::Config {
            setting,
            message: format!(
                "{what} is not a valid HTTP header value (it holds a line break or another control character)"
            ),
        };
        match self {
            Credentials::Bearer(token) if !is_header_value(&format!("Bearer {}", token.expose())) => {
                Err(refused("bearer_token", "the token"))
            }
            Credentials::PasswordGrant(session)
                if session.grant.client_id.as_deref().is_some_and(|client_id| !is_header_value(client_id)) =>
            {
                Err(refused("password_grant.client_id", "the client id"))
            }
            _ => Ok(()),
        }
    }
}

impl Credentials {
    /// What keeps the secrets of a request out of what is quoted from its answer: the
    /// credentials' own, and the access token `sent` with it.
    pub(crate) fn redactor(&self, sent: Option<&Secret>) -> Redactor {
        let mut redactor = Redactor::new(sent.map(Secret::expose));
        match self {
            Credentials::None => {}
            Credentials::Bearer(token) => redactor.add(token.expose()),
            Credentials::Basic { email, password } => redactor.add_basic(email, password.expose()),
            Credentials::PasswordGrant(session) => session.grant.add_secrets(&mut redactor),
        }
        redactor
    }
}

impl PasswordGrant {
    /// Adds the grant's secrets (password, two-factor code) to `redactor`.
    fn add_secrets(&self, redactor: &mut Redactor) {
        redactor.add(self.password.expose());
        if let Some(totp) = &self.totp {
            redactor.add(totp.expose());
        }
    }
}

/// Whether `text` can be sent as the value of an HTTP header.
pub(crate) fn is_header_value(text: &str) -> bool {
    HeaderValue::from_str(text).is_ok()
}

/// The token endpoint and how to reach it, lent by the client for each sign-in or refresh.
pub(crate) struct TokenEndpoint<'a> {
    pub(crate) http: &'a reqwest::Client,
    /// The token endpoint: the base URL and the API's token path.
    pub(crate) url: &'a str,
    pub(crate) attempt_timeout: Duration,
    pub(crate) max_answer_bytes: usize,
    /// The operation that needs the token, as errors name it.
    pub(crate) operation: &'static str,
}

/// The access token a request carries, with the number of the sign-in or refresh that produced it,
/// so a request rejected with 401 can tell whether someone else has replaced it already.
#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub(crate) value: Secret,
    generation: u64,
}

/// The password grant's tokens, shared by every clone of a client. The lock is held across a
/// sign-in or refresh, so concurrent requests wait for that one exchange instead of each starting
/// their own.
pub(crate) struct TokenSession {
    grant: PasswordGrant,
    state: tokio::sync::Mutex<TokenState>,
    /// Renewals finished, read before waiting for the lock: a failure that finishes after a call
    /// began waiting answers that call too, so that a refused sign-in is not repeated by every
    /// call queued behind it (account lockout, rate limits).
    renewals_finished: AtomicU64,
}

#[derive(Default)]
struct TokenState {
    current: Option<Tokens>,
    generations: u64,
    /// How the last renewal failed, with its number among the renewals; cleared by a success.
    last_failure: Option<(u64, Error)>,
}

struct Tokens {
    access: AccessToken,
    refresh_token: Option<Secret>,
    /// When to replace the token before using it again; `None` when the server gave no expiry.
    refresh_at: Option<Instant>,
}

impl fmt::Debug for TokenSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSession").field("grant", &self.grant).finish_non_exhaustive()
    }
}

impl TokenSession {
    pub(crate) fn new(grant: PasswordGrant) -> Self {
        TokenSession {
            grant,
            state: tokio::sync::Mutex::new(TokenState::default()),
            renewals_finished: AtomicU64::new(0),
        }
    }

    /// A token to send: the current one, or a new one when there is none yet or it is about to
    /// expire.
    pub(crate) async fn access_token(&self, endpoint: &TokenEndpoint<'_>) -> Result<AccessToken> {
        let waiting_since = self.renewals_finished.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if let Some(tokens) = &state.current {
            let due = tokens.refresh_at.is_some_and(|refresh_at| Instant::now() >= refresh_at);
            if !due {
                return Ok(tokens.access.clone());
            }
        }
        self.renew(&mut state, endpoint, waiting_since).await
    }

    /// A token to send again after the server rejected `rejected` with 401: a new one, unless a
    /// concurrent request has already replaced it.
    pub(crate) async fn replace_rejected(
        &self,
        rejected: &AccessToken,
        endpoint: &TokenEndpoint<'_>,
    ) -> Result<AccessToken> {
        let waiting_since = self.renewals_finished.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if let Some(tokens) = &state.current {
            if tokens.access.generation != rejected.generation {
                return Ok(tokens.access.clone());
            }
        }
        self.renew(&mut state, endpoint, waiting_since).await
    }

    /// Refreshes with the refresh token when there is one, falling back to the password when the
    /// server refuses it (refresh tokens expire and are revoked by use), and stores the result.
    /// On failure the old tokens stay, so a transient failure costs nothing.
    ///
    /// A renewal that failed after the caller began waiting (`waiting_since` renewals had
    /// finished then) answers the caller with its error instead of a renewal of its own; calls
    /// made after that failure renew again. A failure to reach the token endpoint at all is not
    /// shared: the next caller tries it.
    async fn renew(
        &self,
        state: &mut TokenState,
        endpoint: &TokenEndpoint<'_>,
        waiting_since: u64,
    ) -> Result<AccessToken> {
        if let Some((renewal, failure)) = &state.last_failure {
            if *renewal > waiting_since {
                if let Some(shared) = failure.shared_copy(endpoint.operation) {
                    return Err(shared);
                }
            }
        }
        let outcome = self.exchange_tokens(state, endpoint).await;
        let renewal = self.renewals_finished.fetch_add(1, Ordering::SeqCst) + 1;
        state.last_failure =
            outcome.as_ref().err().and_then(|error| error.shared_copy(error.operation())).map(|error| (renewal, error));
        outcome
    }

    /// One renewal: the exchanges with the token endpoint, and the tokens stored.
    async fn exchange_tokens(&self, state: &mut TokenState, endpoint: &TokenEndpoint<'_>) -> Result<AccessToken> {
        let refresh_token = state.current.as_ref().and_then(|tokens| tokens.refresh_token.clone());
        let answer = match refresh_token {
            Some(refresh_token) => match self.request_tokens(endpoint, GrantKind::Refresh(&refresh_token)).await {
                Err(Error::Auth { error, .. }) => {
                    tracing::debug!(%error, "the refresh token was refused; signing in with the password");
                    self.request_tokens(endpoint, GrantKind::Password).await?
                }
                other => other?,
            },
            None => self.request_tokens(endpoint, GrantKind::Password).await?,
        };
        state.generations += 1;
        let tokens = Tokens {
            access: AccessToken { value: Secret(answer.access_token), generation: state.generations },
            refresh_token: answer.refresh_token.map(Secret),
            refresh_at: answer.expires_in.and_then(|seconds| {
                Instant::now().checked_add(Duration::from_secs(seconds).saturating_sub(REFRESH_BEFORE_EXPIRY))
            }),
        };
        let access = tokens.access.clone();
        state.current = Some(tokens);
        Ok(access)
    }

    /// One exchange with the token endpoint.
    async fn request_tokens(&self, endpoint: &TokenEndpoint<'_>, kind: GrantKind<'_>) -> Result<TokenAnswer> {
        let form = self.form(&kind);
        let body = serde_urlencoded::to_string(&form)
            .map_err(|error| Error::Request { operation: endpoint.operation, message: error.to_string() })?;
        let mut request = endpoint
            .http
            .post(endpoint.url)
            .header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .timeout(endpoint.attempt_timeout)
            .body(body);
        // The documentation asks for `client_id` as a header on refresh when one was used to sign in.
        if let (GrantKind::Refresh(_), Some(client_id)) = (&kind, &self.grant.client_id) {
            request = request.header("client_id", client_id.as_str());
        }
        let span = tracing::info_span!(
            "nexudus_token",
            operation = endpoint.operation,
            grant_type = kind.grant_type(),
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let mut redactor = Redactor::default();
        self.grant.add_secrets(&mut redactor);
        if let GrantKind::Refresh(refresh_token) = &kind {
            redactor.add(refresh_token.expose());
        }
        let answer =
            exchange(endpoint.operation, request, endpoint.max_answer_bytes, redactor).instrument(span).await?;
        token_answer(endpoint.operation, &answer)
    }

    /// The form fields of a grant; secrets are only ever put here.
    fn form<'a>(&'a self, kind: &GrantKind<'a>) -> Vec<(&'static str, &'a str)> {
        let mut form = match kind {
            GrantKind::Password => {
                let mut form = vec![
                    ("grant_type", "password"),
                    ("username", self.grant.email.as_str()),
                    ("password", self.grant.password.expose()),
                ];
                if let Some(totp) = &self.grant.totp {
                    form.push(("totp", totp.expose()));
                }
                form
            }
            GrantKind::Refresh(refresh_token) => {
                vec![("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose())]
            }
        };
        if let Some(client_id) = &self.grant.client_id {
            form.push(("client_id", client_id.as_str()));
        }
        form
    }
}

enum GrantKind<'a> {
    Password,
    Refresh(&'a Secret),
}

impl GrantKind<'_> {
    fn grant_type(&self) -> &'static str {
        match self {
            GrantKind::Password => "password",
            GrantKind::Refresh(_) => "refresh_token",
        }
    }
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(serde::Deserialize)]
struct TokenFailure {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// The tokens of a successful answer, or the error of a failed one.
fn token_answer(operation: &'static str, answer: &Answer) -> Result<TokenAnswer> {
    if answer.status == StatusCode::OK {
        // The body holds the tokens, so a body that does not fit is never quoted.
        let unusable = |message: String| Error::Decode {
            operation,
            status: answer.status.as_u16(),
            message,
            snippet: String::new(),
        };
        let tokens: TokenAnswer = serde_json::from_slice(&answer.body)
            .map_err(|error| unusable(format!("not a token answer: {}", json_error_kind(&error))))?;
        if !is_header_value(&format!("Bearer {}", tokens.access_token)) {
            return Err(unusable("the access token is not a valid HTTP header value".to_owned()));
        }
        return Ok(tokens);
    }
    if answer.status.is_client_error() {
        if let Ok(failure) = serde_json::from_slice::<TokenFailure>(&answer.body) {
            return Err(Error::Auth {
                operation,
                status: answer.status.as_u16(),
                error: answer.redactor.redact(&failure.error),
                description: answer.redactor.redact(&failure.error_description.unwrap_or_default()),
            });
        }
    }
    Err(answer_error(operation, |_| None, answer))
}

/// Names a JSON error's kind without its text, which may quote the body.
fn json_error_kind(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "missing or mistyped fields",
        serde_json::error::Category::Eof => "cut short",
    }
}
