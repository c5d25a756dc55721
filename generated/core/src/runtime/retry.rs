//! When to send a request again and how long to wait first: the wait the server asks for
//! (`Retry-After`, a body such as `Wait 2 seconds`), else exponential backoff with jitter, and the
//! loop that applies both within a number of attempts, a total wait and the operation's deadline.

use std::future::Future;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::request::Method;
use super::{Error, Result};

/// How many times and how long the client keeps trying one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Attempts in all, the first one included; at least 1.
    pub(crate) max_attempts: u32,
    /// The most the client waits between attempts, added up over one operation.
    pub(crate) max_total_wait: Duration,
    /// The backoff before the second attempt; it doubles with each further one.
    pub(crate) first_backoff: Duration,
    /// The longest single backoff, however many attempts came before.
    pub(crate) max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
        }
    }
}

/// When an operation must be over, and how long each of its attempts may take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadlines {
    /// The operation's end: no attempt runs and no wait lasts past it.
    pub(crate) operation: Instant,
    /// How long one attempt may take, from connecting to the end of the answer.
    pub(crate) attempt: Duration,
}

impl Deadlines {
    /// Deadlines for an operation starting now.
    pub(crate) fn starting_now(timeout: Duration, attempt_timeout: Duration) -> Deadlines {
        Deadlines { operation: Instant::now() + timeout, attempt: attempt_timeout }
    }
}

/// Runs `send_attempt` (given the 1-based attempt number) until it succeeds, fails in a way that
/// is not worth retrying for this method, or the policy's attempts or total wait run out; the
/// last error is returned as it is, so a throttled operation ends in `Error::Throttled` with the
/// last wait the server asked for.
///
/// Time is bounded by one timer at a time: each attempt runs until the earlier of its own
/// deadline and the operation's, and a wait that would end past the operation's deadline is not
/// begun. Either way the operation ends in `Error::Timeout`. (Two nested timers, one for the
/// operation and one for each attempt, cost a measurable share of a fast request.)
pub(crate) async fn send_with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    method: Method,
    operation: &'static str,
    deadlines: Deadlines,
    mut send_attempt: F,
) -> Result<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut waited = Duration::ZERO;
    let mut attempts_made = 0;
    loop {
        attempts_made += 1;
        let attempt_deadline = deadlines.operation.min(Instant::now() + deadlines.attempt);
        let attempt = tokio::time::timeout_at(attempt_deadline, send_attempt(attempts_made));
        let error = match attempt.await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(error)) => error,
            Err(_elapsed) => Error::Timeout { operation },
        };
        let Some(wait) = wait_before_retry(policy, method, &error, attempts_made, waited, fastrand::f64()) else {
            return Err(error);
        };
        if Instant::now() + wait >= deadlines.operation {
            return Err(Error::Timeout { operation });
        }
        tracing::warn!(attempt = attempts_made, wait_ms = wait.as_millis() as u64, %error, "sending again after a wait");
        tokio::time::sleep(wait).await;
        waited += wait;
    }
}

/// The wait before the next attempt, or `None` when the error is final.
///
/// A throttled request was not processed, so it is sent again whatever its method; a server error
/// or a broken connection leaves the outcome unknown, so only idempotent methods are sent again.
/// `random_fraction` in `[0, 1)` is the jitter's draw, a parameter so the bounds can be tested.
pub(crate) fn wait_before_retry(
    policy: &RetryPolicy,
    method: Method,
    error: &Error,
    attempts_made: u32,
    waited_so_far: Duration,
    random_fraction: f64,
) -> Option<Duration> {
    if attempts_made >= policy.max_attempts {
        return None;
    }
    let wait = match error {
        Error::Throttled { retry_after: Some(asked), .. } => *asked,
        Error::Throttled { retry_after: None, .. } => backoff(policy, attempts_made, random_fraction),
        Error::Transport { .. } | Error::Timeout { .. } | Error::Status { .. }
            if method.is_idempotent() && error.is_retryable() =>
        {
            backoff(policy, attempts_made, random_fraction)
        }
        _ => return None,
    };
    if waited_so_far.saturating_add(wait) > policy.max_total_wait {
        return None;
    }
    Some(wait)
}

/// Exponential backoff with "equal jitter": the ceiling doubles with each attempt up to
/// `max_backoff`, and the wait is half the ceiling plus a random share of the other half, so
/// clients that failed together do not all come back at the same moment.
pub(crate) fn backoff(policy: &RetryPolicy, attempts_made: u32, random_fraction: f64) -> Duration {
    let doublings = attempts_made.saturating_sub(1).min(30);
    let ceiling = policy.first_backoff.saturating_mul(1 << doublings).min(policy.max_backoff);
    let half = ceiling / 2;
    half + half.mul_f64(random_fraction.clamp(0.0, 1.0))
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date (then the time left until
/// it, zero when it has passed).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Some(seconds) = parse_seconds(value) {
        return Some(seconds);
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(now);
    Some((date.with_timezone(&chrono::Utc) - now).to_std().unwrap_or(Duration::ZERO))
}

/// The wait a throttling body asks for, such as `Wait 2 seconds` (seen as plain text, as a JSON
/// string, or inside a JSON message). A number without a unit counts as seconds.
pub(crate) fn parse_wait_from_body(body: &[u8]) -> Option<Duration> {
    const LOOKED_AT: usize = 500;
    let text = String::from_utf8_lossy(&body[..body.len().min(LOOKED_AT)]).to_lowercase();
    let words: Vec<&str> = text
        .split(|character: char| !(character.is_alphanumeric() || character == '.'))
        .filter(|word| !word.is_empty())
        .collect();
    let wait_word = words.iter().position(|word| *word == "wait")?;
    let amount: f64 = words.get(wait_word + 1)?.trim_end_matches('.').parse().ok()?;
    if !amount.is_finite() || amount < 0.0 {
        return None;
    }
    let unit = words.get(wait_word + 2).copied().unwrap_or("seconds");
    let seconds = if unit == "ms" || unit.starts_with("millisecond") {
        amount / 1000.0
    } else if unit.starts_with("minute") {
        amount * 60.0
    } else {
        amount
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// A non-negative number of seconds, whole or not.
fn parse_seconds(value: &str) -> Option<Duration> {
    if !value.bytes().all(|byte| byte.is_ascii_digit() || byte == b'.') {
        return None;
    }
    let seconds: f64 = value.parse().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_body(body: &str, expected: Option<Duration>) {
        assert_eq!(parse_wait_from_body(body.as_bytes()), expected, "body {body:?}");
    }

    fn check_header(value: &str, expected: Option<Duration>) {
        // 2015-10-21T07:28:00Z, the instant the dates below are measured from.
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(parse_retry_after(value, now), expected, "header {value:?}");
    }

    fn check_backoff(attempts_made: u32, expected_bounds: (Duration, Duration)) {
        let policy = RetryPolicy::default();
        let (lowest, highest) = expected_bounds;
        assert_eq!(backoff(&policy, attempts_made, 0.0), lowest, "attempt {attempts_made}, no jitter");
        assert_eq!(backoff(&policy, attempts_made, 1.0), highest, "attempt {attempts_made}, full jitter");
        let drawn = backoff(&policy, attempts_made, fastrand::f64());
        assert!(drawn >= lowest && drawn <= highest, "attempt {attempts_made}: {drawn:?}");
    }

    fn millis(value: u64) -> Duration {
        Duration::from_millis(value)
    }

    #[test]
    fn reads_the_wait_from_a_throttling_body() {
        check_body("Wait 2 seconds", Some(Duration::from_secs(2)));
        check_body("Wait 1 second", Some(Duration::from_secs(1)));
        check_body("\"Wait 3 seconds\"", Some(Duration::from_secs(3)));
        check_body(r#"{"Message": "Too many requests. Wait 5 seconds."}"#, Some(Duration::from_secs(5)));
        check_body("wait 1.5 seconds", Some(millis(1500)));
        check_body("Wait 250 ms", Some(millis(250)));
        check_body("Wait 2 minutes", Some(Duration::from_secs(120)));
        check_body("Wait 4", Some(Duration::from_secs(4)));
        check_body("", None);
        check_body("Too many requests", None);
        check_body("Wait a moment", None);
    }

    #[test]
    fn reads_retry_after_as_seconds_or_date() {
        check_header("1", Some(Duration::from_secs(1)));
        check_header(" 120 ", Some(Duration::from_secs(120)));
        check_header("0.5", Some(millis(500)));
        check_header("Wed, 21 Oct 2015 07:28:30 GMT", Some(Duration::from_secs(30)));
        check_header("Wed, 21 Oct 2015 07:27:00 GMT", Some(Duration::ZERO));
        check_header("-1", None);
        check_header("soon", None);
        check_header("", None);
    }

    #[test]
    fn backoff_doubles_within_jitter_bounds_up_to_the_cap() {
        check_backoff(1, (millis(250), millis(500)));
        check_backoff(2, (millis(500), millis(1000)));
        check_backoff(3, (millis(1000), millis(2000)));
        check_backoff(6, (millis(5000), millis(10_000)));
        check_backoff(40, (millis(5000), millis(10_000)));
    }

    #[test]
    fn throttling_is_retried_for_every_method_server_errors_only_for_idempotent_ones() {
        let policy = RetryPolicy::default();
        let throttled = Error::Throttled { operation: "Thing.create", status: 429, retry_after: Some(millis(1500)) };
        let server_error = Error::Status { operation: "Thing.create", status: 500, message: String::new() };
        let not_found = Error::NotFound { operation: "Thing.get" };
        let wait = |method, error: &Error| wait_before_retry(&policy, method, error, 1, Duration::ZERO, 0.0);
        assert_eq!(wait(Method::Post, &throttled), Some(millis(1500)));
        assert_eq!(wait(Method::Post, &server_error), None);
        assert_eq!(wait(Method::Get, &server_error), Some(millis(250)));
        assert_eq!(wait(Method::Put, &server_error), Some(millis(250)));
        assert_eq!(wait(Method::Delete, &server_error), Some(millis(250)));
        assert_eq!(wait(Method::Get, &not_found), None);
    }

    #[test]
    fn gives_up_when_attempts_or_total_wait_run_out() {
        let policy = RetryPolicy { max_attempts: 3, max_total_wait: Duration::from_secs(10), ..RetryPolicy::default() };
        let throttled =
            Error::Throttled { operation: "Thing.list", status: 409, retry_after: Some(Duration::from_secs(4)) };
        let wait =
            |attempts_made, waited| wait_before_retry(&policy, Method::Get, &throttled, attempts_made, waited, 0.0);
        assert_eq!(wait(2, Duration::from_secs(4)), Some(Duration::from_secs(4)));
        assert_eq!(wait(3, Duration::from_secs(8)), None);
        assert_eq!(wait(2, Duration::from_secs(7)), None);
    }
}
