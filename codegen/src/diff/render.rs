//! A [`Report`] as text (one change a line), Markdown (a table, for a pull request or a
//! changelog) or JSON (for tools).

use serde::Serialize;

use super::{Change, Report};

/// The forms a report prints in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl Format {
    /// The format a `--format` argument names.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The report in `format`, ending with a newline.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
    }
}

/// `3 changes: 1 major, 1 minor, 1 patch; 1 breaking on the wire`.
pub fn summary(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no changes".to_owned();
    }
    let (major, minor, patch) = report.counts();
    let total = report.changes.len();
    let breaking = report.wire_breaking().count();
    let plural = if total == 1 { "" } else { "s" };
    format!("{total} change{plural}: {major} major, {minor} minor, {patch} patch; {breaking} breaking on the wire")
}

/// One change as a line of text, without a newline.
pub fn line(change: &Change) -> String {
    let mut line = format!(
        "{:<5}  {:<11}  {} {}: {}",
        change.rust.as_str(),
        change.wire.as_str(),
        change.what.as_str(),
        change.location,
        change.how.as_str()
    );
    if !change.detail.is_empty() {
        line.push_str(&format!(" ({})", change.detail));
    }
    line
}

fn text(report: &Report) -> String {
    let mut out = summary(report);
    out.push('\n');
    for change in &report.changes {
        out.push_str(&line(change));
        out.push('\n');
    }
    out
}

fn markdown(report: &Report) -> String {
    let mut out = format!("**{}**\n", summary(report));
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("\n| Rust | wire | what | where | change |\n|---|---|---|---|---|\n");
    for change in &report.changes {
        let mut how = change.how.as_str().to_owned();
        if !change.detail.is_empty() {
            how.push_str(&format!(": {}", code(&change.detail)));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            change.rust.as_str(),
            change.wire.as_str(),
            change.what.as_str(),
            code(&change.location),
            how
        ));
    }
    out
}

/// Spec text as a Markdown code span inside a table cell: never markup or HTML. The fence is
/// longer than any run of backticks inside; a pipe is escaped, as tables require even in spans.
fn code(text: &str) -> String {
    let longest = text.split(|character| character != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let text = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    major: usize,
    minor: usize,
    patch: usize,
    wire_breaking: usize,
    changes: &'a [Change],
}

fn json(report: &Report) -> String {
    let (major, minor, patch) = report.counts();
    let document =
        JsonReport { major, minor, patch, wire_breaking: report.wire_breaking().count(), changes: &report.changes };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::code;

    fn check(input: &str, expected: &str) {
        assert_eq!(code(input), expected);
    }

    #[test]
    fn spec_text_stays_a_code_span() {
        check("Page<Sprocket>", "`Page<Sprocket>`");
        check("a|b", "`a\\|b`");
        check("x`y", "``x`y``");
        check("`x", "`` `x ``");
        check("two\nlines", "`two lines`");
    }
}
