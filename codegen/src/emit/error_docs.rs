//! The `# Errors` section of every generated method's documentation: which `Error` variants an
//! operation can end with, and when. It is written here, once, from what the runtime does with
//! an operation of that shape (its retries, its envelope checks, its decoding), so that the
//! documentation of 1,600 methods changes with the runtime in one place.

use crate::ir::{Answer, Api, Method, Operation};

/// How the method reaches its answer: a single call, or a stream of pages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Calling {
    /// The method's future resolves to the answer or the error.
    Once,
    /// `list_all`: each item of the stream is a record or the error that ended it.
    Stream,
    /// `update_with`: a read, then a write.
    ReadThenWrite,
}

/// The `# Errors` section (with a `# Paging` section first for a paged list), as Markdown.
pub fn errors_section(api: &Api, operation: &Operation, calling: Calling) -> String {
    let mut text = String::new();
    if calling == Calling::Once && operation.streamed_record(api).is_some() {
        let paging = &api.paging;
        text.push_str(&format!(
            "\n\n# Paging\n\nOne call answers one page: the query's `{page}` (from 1) chooses it and `{size}` its length (at most {max} records). The `Page` answer holds the records and the totals the API gives; `{list}_all` walks every page.",
            page = paging.params[paging.page].rust,
            size = paging.params[paging.size].rust,
            max = paging.max_size,
            list = operation.rust.trim_start_matches("r#"),
        ));
    }
    let lead = match calling {
        Calling::Once => "The future fails with",
        Calling::Stream => "The stream ends with an item that is",
        Calling::ReadThenWrite => "Either call can fail with",
    };
    text.push_str(&format!("\n\n# Errors\n\n{lead}:"));
    let resent = match operation.method {
        Method::Get | Method::Put | Method::Delete => "after the client's retries with backoff",
        // A POST may have created something before it failed: it is never sent twice.
        Method::Post => "at once (a POST is not sent again)",
    };
    let mut item = |variant: &str, when: &str| {
        let gap = if when.starts_with(':') { "" } else { " " };
        text.push_str(&format!("\n- `Error::{variant}`{gap}{when}"));
    };
    item("Unauthorized", "(HTTP 401): bad credentials, or a role the user does not have;");
    if !operation.path_params.is_empty() || calling == Calling::ReadThenWrite {
        item("NotFound", "(HTTP 404): no record has this id;");
    }
    let writes = operation.body.is_some() || matches!(operation.answer, Answer::Action | Answer::NewId);
    if writes || calling == Calling::ReadThenWrite {
        item(
            "Validation",
            "(HTTP 400, or an answer whose `WasSuccessful` is false): the server refused the data; `Error::validation_errors` lists why;",
        );
    }
    item("Throttled", "(HTTP 409 or 429): the server kept throttling until the retries ran out;");
    item("Status", &format!("for any other status, such as a server error (5xx), {resent};"));
    item("Transport", &format!("or `Error::Timeout`: the request or its answer did not get through, {resent};"));
    item("Auth", "with the password grant: the token endpoint refused to sign in;");
    if operation.body.is_some() || operation.query.is_some() || !operation.query_args.is_empty() {
        item("Request", ": the query or the body could not be written;");
    }
    item("Redirect", "or `Error::AnswerTooLarge`: the server redirected, or its answer passed `max_answer_bytes`;");
    if operation.answer != Answer::Binary {
        item("Decode", ": the answer is not the JSON the spec describes;");
    }
    // The list's last item ends the sentence.
    text.pop();
    text.push('.');
    text
}
