//! Keeps the client's own secrets out of what errors and logs quote from a server's answer. A
//! server may echo what it received (a token, a password, the sign-in form), so every text taken
//! from an answer goes through the [`Redactor`] of the exchange that brought it, which knows the
//! secrets that exchange sent, in the forms they travel in.

use std::fmt;

use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

/// What replaces a secret in quoted text.
const REDACTED: &str = "<redacted>";

/// How much of a body an error quotes, in bytes.
const SNIPPET_BYTES: usize = 200;

/// The secrets one exchange sent, each in every form a server could echo it in.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Longest first, so that a form containing another is replaced whole.
    patterns: Vec<String>,
}

impl Redactor {
    /// A redactor of `secrets`: as they are, JSON-escaped, percent-encoded and form-encoded.
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut redactor = Redactor::default();
        for secret in secrets {
            redactor.add(secret);
        }
        redactor
    }

    /// Adds a secret in each of its forms.
    pub(crate) fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        // The JSON string without its two quotes (a secret that ends in a quote keeps its own).
        let quoted = serde_json::to_string(secret).unwrap_or_default();
        let json = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default().to_owned();
        let percent = utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string();
        let form = percent.replace("%20", "+");
        self.patterns.extend([secret.to_owned(), json, percent, form]);
        self.patterns.retain(|pattern| !pattern.is_empty());
        self.patterns.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.patterns.dedup();
    }

    /// Adds HTTP Basic credentials, as the `Authorization` header carries them (Base64) and as
    /// they are.
    pub(crate) fn add_basic(&mut self, email: &str, password: &str) {
        self.add(password);
        self.add(&base64::engine::general_purpose::STANDARD.encode(format!("{email}:{password}")));
    }

    /// `text` with every secret replaced.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for pattern in &self.patterns {
            if text.contains(pattern.as_str()) {
                text = text.replace(pattern.as_str(), REDACTED);
            }
        }
        text
    }

    /// The first 200 bytes of a body, secrets replaced. The body is redacted before it is cut, so
    /// a secret that the cut would halve does not show in part.
    pub(crate) fn snippet(&self, body: &[u8]) -> String {
        let longest = self.patterns.first().map_or(0, String::len);
        let looked_at = &body[..body.len().min(SNIPPET_BYTES + longest)];
        let redacted = self.redact(&String::from_utf8_lossy(looked_at));
        let mut end = redacted.len().min(SNIPPET_BYTES);
        while !redacted.is_char_boundary(end) {
            end -= 1;
        }
        redacted[..end].to_owned()
    }
}

/// Shows how many forms it knows, never the secrets.
impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} forms)", self.patterns.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(secrets: &[&str], text: &str, expected: &str) {
        assert_eq!(Redactor::new(secrets.iter().copied()).redact(text), expected);
    }

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        check(&["p@ss word"], "p@ss word", "<redacted>");
        check(&["p@ss word"], "password=p%40ss+word&x=1", "password=<redacted>&x=1");
        check(&["p@ss word"], "p%40ss%20word", "<redacted>");
        check(&["say \"hi\""], r#"{"Message": "say \"hi\""}"#, r#"{"Message": "<redacted>"}"#);
        check(&["a", ""], "banana", "b<redacted>n<redacted>n<redacted>");
        check(&[], "nothing to hide", "nothing to hide");
    }

    #[test]
    fn basic_credentials_are_replaced_as_the_header_carries_them() {
        let mut redactor = Redactor::default();
        redactor.add_basic("admin@example.com", "secret");
        assert_eq!(redactor.redact("Basic YWRtaW5AZXhhbXBsZS5jb206c2VjcmV0"), "Basic <redacted>");
        assert_eq!(redactor.redact("admin@example.com"), "admin@example.com", "the user stays visible");
    }

    #[test]
    fn a_snippet_is_cut_after_redaction() {
        let redactor = Redactor::new(["0123456789"]);
        let body = format!("{}0123456789{}", "x".repeat(195), "y".repeat(50));
        let snippet = redactor.snippet(body.as_bytes());
        assert!(!snippet.contains("01234"), "{snippet}");
        assert!(snippet.len() <= 200, "{}", snippet.len());
        assert_eq!(Redactor::default().snippet(b"short"), "short");
        assert_eq!(Redactor::default().snippet("é".repeat(150).as_bytes()).chars().count(), 100);
    }
}
