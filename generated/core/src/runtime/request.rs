//! What a generated operation hands to the client: its static description, the path with its
//! parameters, the encoded query and the JSON body.

use std::fmt::Display;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::envelope::ActionParts;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }

    /// The method's name as HTTP writes it, for traces.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending the request twice does no more than sending it once, so a failure whose
    /// outcome is unknown (a 5xx, a broken connection) may be retried. POST creates and runs
    /// commands, so it never is.
    pub(crate) fn is_idempotent(self) -> bool {
        match self {
            Method::Get | Method::Put | Method::Delete => true,
            Method::Post => false,
        }
    }
}

/// The fixed description of one operation, one `static` per generated method.
#[derive(Debug)]
pub struct Operation {
    /// `Resource.operation`, as errors and traces name it.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// The path template as the spec writes it.
    pub path: &'static str,
    /// Decodes the API's action envelope, to read failures out of an answer.
    pub(crate) envelope: fn(&[u8]) -> Option<ActionParts>,
}

impl Operation {
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        method: Method,
        path: &'static str,
        envelope: fn(&[u8]) -> Option<ActionParts>,
    ) -> Self {
        Operation { name, method, path, envelope }
    }
}

/// One piece of a path: fixed text or a parameter to percent-encode.
pub enum PathSegment<'a> {
    /// Text sent as it is.
    Literal(&'static str),
    /// A value, percent-encoded.
    Param(&'a dyn Display),
}

/// Characters a path parameter keeps as they are.
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A request ready to send, less the base URL and credentials.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) body: Option<Vec<u8>>,
    /// Why the request cannot be sent, found while building it.
    pub(crate) unsendable: Option<String>,
}

impl Request {
    /// A request to the path the segments make, without query or body. Each parameter is
    /// percent-encoded, so it stays one path segment; an empty one, `.` or `..` would still
    /// change which path is asked for, so the request is refused when it is sent.
    pub fn new(segments: &[PathSegment<'_>]) -> Self {
        let mut path = String::new();
        let mut unsendable = None;
        for segment in segments {
            match segment {
                PathSegment::Literal(text) => path.push_str(text),
                PathSegment::Param(value) => {
                    let value = value.to_string();
                    if matches!(value.as_str(), "" | "." | "..") {
                        unsendable = Some(format!("the path parameter {value:?} would change the path asked for"));
                    }
                    path.extend(utf8_percent_encode(&value, PATH_PARAM));
                }
            }
        }
        Request { path, unsendable, ..Request::default() }
    }

    /// Adds one query parameter given as a method argument.
    pub fn query_value(mut self, name: &str, value: &dyn QueryValue) -> Self {
        // A one-pair slice is encoded exactly as a form field; it cannot fail for strings.
        if let Ok(pair) = serde_urlencoded::to_string([(name, value.to_query_value())]) {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            self.query.push_str(&pair);
        }
        self
    }

    /// Adds the parameters a generated query type collected, in the order they were set.
    pub fn query_params(mut self, params: &QueryParams) -> Self {
        for (name, value) in &params.pairs {
            self = self.query_value(name, value);
        }
        self
    }

    /// Sets the JSON body. A body that cannot be encoded makes the request fail when it is sent,
    /// so that a generated method stays a plain function that hands the runtime's future back.
    pub fn json<B: serde::Serialize>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(error) => self.unsendable = Some(error.to_string()),
        }
        self
    }
}

/// The URL of `request` below `base`: the base URL's path, then the request's path and query.
/// What a path cannot hold as it is (a space, `?`, `#`) is percent-encoded, so nothing ends the
/// path early; and a path that leaves the base URL's path once `.` and `..` segments are resolved
/// is refused, whatever wrote it.
pub(crate) fn request_url(base: &reqwest::Url, request: &Request) -> Result<reqwest::Url, String> {
    if !request.path.starts_with('/') {
        return Err(format!("the path '{}' must start with '/'", request.path));
    }
    let base_path = base.path().trim_end_matches('/');
    let mut url = base.clone();
    url.set_path(&format!("{base_path}{}", request.path));
    let below_base = url.path().strip_prefix(base_path).is_some_and(|rest| rest.starts_with('/'));
    if !below_base {
        return Err(format!("the path '{}' leaves the base URL's path", request.path));
    }
    url.set_query((!request.query.is_empty()).then_some(request.query.as_str()));
    Ok(url)
}

/// The optional query parameters of one operation, as a generated query type collects them:
/// each wire name once, with its encoded value, in the order they were first set. Unset
/// parameters are not sent. One type for every operation, so that no query type needs its own
/// serializer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryParams {
    pairs: Vec<(&'static str, String)>,
}

impl QueryParams {
    /// Sets the parameter `name`, replacing the value it had.
    pub fn set(&mut self, name: &'static str, value: &dyn QueryValue) {
        let value = value.to_query_value();
        match self.pairs.iter_mut().find(|(existing, _)| *existing == name) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((name, value)),
        }
    }

    /// The encoded value of `name`, if it is set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(existing, _)| *existing == name).map(|(_, value)| value.as_str())
    }

    /// Leaves `name` unset.
    pub fn remove(&mut self, name: &str) {
        self.pairs.retain(|(existing, _)| *existing != name);
    }
}

/// A value that can stand as a query parameter given as a method argument.
pub trait QueryValue {
    /// The value as the query string carries it, before percent-encoding.
    fn to_query_value(&self) -> String;
}

macro_rules! display_query_value {
    ($($ty:ty),*) => {$(
        impl QueryValue for $ty {
            fn to_query_value(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_query_value!(i32, i64, bool, str, String, uuid::Uuid, rust_decimal::Decimal);

impl QueryValue for super::DateTime {
    fn to_query_value(&self) -> String {
        self.to_filter_string()
    }
}

/// Lists travel as JSON arrays, as in `?id=[1,2,3]`.
impl<T: QueryValue> QueryValue for [T] {
    fn to_query_value(&self) -> String {
        let items: Vec<String> = self.iter().map(QueryValue::to_query_value).collect();
        format!("[{}]", items.join(","))
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn to_query_value(&self) -> String {
        (**self).to_query_value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_are_percent_encoded() {
        let request = Request::new(&[PathSegment::Literal("/api/things/"), PathSegment::Param(&"a b/c")]);
        assert_eq!(request.path, "/api/things/a%20b%2Fc");
        let request = Request::new(&[PathSegment::Literal("/api/things/"), PathSegment::Param(&"7 x?y=1#z%2e")]);
        assert_eq!(request.path, "/api/things/7%20x%3Fy%3D1%23z%252e");
        assert_eq!(request.unsendable, None);
    }

    #[test]
    fn a_path_param_that_would_change_the_path_is_refused() {
        for value in ["", ".", ".."] {
            let request = Request::new(&[PathSegment::Literal("/api/things/"), PathSegment::Param(&value)]);
            let refusal = request.unsendable.unwrap_or_else(|| panic!("{value:?} is sent as {}", request.path));
            assert!(refusal.contains("path parameter"), "{refusal}");
        }
    }

    fn check_url(base: &str, path: &str, query: &str, expected: Result<&str, &str>) {
        let base = reqwest::Url::parse(base).unwrap();
        let request = Request { path: path.to_owned(), query: query.to_owned(), ..Request::default() };
        let url = request_url(&base, &request);
        match expected {
            Ok(expected) => assert_eq!(url.as_ref().map(reqwest::Url::as_str), Ok(expected), "{path}"),
            Err(contains) => {
                let refusal = url.expect_err(path);
                assert!(refusal.contains(contains), "{path}: {refusal}");
            }
        }
    }

    #[test]
    fn a_path_stays_below_the_base_urls_path() {
        let base = "http://127.0.0.1:9/prefix";
        check_url(base, "/api/things/1", "", Ok("http://127.0.0.1:9/prefix/api/things/1"));
        check_url(base, "/api/things", "size=2", Ok("http://127.0.0.1:9/prefix/api/things?size=2"));
        check_url("http://127.0.0.1:9/prefix/", "/api/things", "", Ok("http://127.0.0.1:9/prefix/api/things"));
        check_url("http://127.0.0.1:9", "/api/things", "", Ok("http://127.0.0.1:9/api/things"));
        // What a path cannot hold as it is is encoded, so nothing ends the path early.
        check_url(base, "/api/7 x?y=1#z", "", Ok("http://127.0.0.1:9/prefix/api/7%20x%3Fy=1%23z"));
        check_url(base, "/../admin/7", "", Err("leaves the base URL's path"));
        check_url(base, "/api/../../admin", "", Err("leaves the base URL's path"));
        check_url(base, "/%2e%2E/admin", "", Err("leaves the base URL's path"));
        check_url(base, "/../prefix2/x", "", Err("leaves the base URL's path"));
        check_url(base, "api/things", "", Err("must start with '/'"));
    }

    #[test]
    fn query_params_keep_the_first_order_and_the_last_value() {
        let mut params = QueryParams::default();
        params.set("size", &50);
        params.set("Thing_Name", &"Desk & chair");
        params.set("size", &20);
        assert_eq!(params.get("size"), Some("20"));
        let request = Request::new(&[]).query_params(&params);
        assert_eq!(request.query, "size=20&Thing_Name=Desk+%26+chair");
        params.remove("size");
        assert_eq!(params.get("size"), None);
    }

    #[test]
    fn list_arguments_are_json_arrays() {
        let request = Request::new(&[]).query_value("id", &&[1_i64, 2, 3][..]);
        assert_eq!(request.query, "id=%5B1%2C2%2C3%5D");
    }
}
