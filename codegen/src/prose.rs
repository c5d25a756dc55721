//! Spec prose made safe for each output: Markdown that rustdoc and OpenAPI tools render as text
//! (no code block that could run as a doc test, no live HTML), and one-line README table cells.
//! Spec text is data: whatever a description holds, it never becomes code or markup.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// Markdown whose every code block is a fenced `text` block and whose HTML is escaped, for doc
/// comments and OpenAPI descriptions. Fenced and indented code blocks are rewritten as text
/// fences (rustdoc runs only Rust blocks as doc tests); HTML tags become text (`&lt;script>`).
/// Where the rewrite would not stand on its own (a code block inside a list item or a quote),
/// the whole text becomes one text block: plainer, but never code.
pub fn markdown(text: &str) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
    let rewritten = rewrite(text);
    if is_inert(&rewritten) {
        rewritten
    } else {
        text_block(text)
    }
}

/// A description on one line for a Markdown table cell or list item: whitespace runs (line
/// breaks included) become one space, HTML is escaped and `|` cannot end the cell.
pub fn table_cell(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let escaped = rewrite(&one_line);
    let mut cell = String::with_capacity(escaped.len());
    let mut backslashes = 0;
    for character in escaped.chars() {
        if character == '|' && backslashes % 2 == 0 {
            cell.push('\\');
        }
        backslashes = if character == '\\' { backslashes + 1 } else { 0 };
        cell.push(character);
    }
    cell
}

/// The extensions rustdoc turns on, so that blocks are found where rustdoc finds them.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether `text` has nothing that opens a code block or HTML: no three backticks or tildes in
/// a row (a fence needs three; code spans such as `` `Name` `` are fine), no `<` (tags, comments,
/// autolinks), no tab and no four spaces in a row (an indented block needs four columns of
/// indentation, inside a list item or a quote too). Most descriptions are such sentences; for
/// them the Markdown parser's answer is known without running it, and generation parses every
/// description several times (each field's is on its record, create and update types and its
/// query setter).
fn is_plain(text: &str) -> bool {
    !text.contains(['<', '\t']) && !text.contains("```") && !text.contains("~~~") && !text.contains("    ")
}

/// Rewrites each code block as a text fence and escapes each HTML tag, leaving the rest as it is.
fn rewrite(text: &str) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut events = Parser::new_ext(text, options()).into_offset_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                let mut code = String::new();
                for (event, _) in events.by_ref() {
                    match event {
                        Event::Text(content) => code.push_str(&content),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let mut block = text_block(&code);
                if text[range.clone()].ends_with('\n') {
                    block.push('\n');
                }
                // The block's indentation goes too: an indented fence would be indented code.
                let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
                let start = if text[line_start..range.start].trim().is_empty() { line_start } else { range.start };
                edits.push((start..range.end, block));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                edits.push((range.clone(), text[range].replace('<', "&lt;")));
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut done = 0;
    for (range, replacement) in edits {
        if range.start < done {
            continue;
        }
        out.push_str(&text[done..range.start]);
        out.push_str(&replacement);
        done = range.end;
    }
    out.push_str(&text[done..]);
    out
}

/// `text` as one fenced `text` block, its fence longer than any backtick run inside.
fn text_block(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    let body = text.trim_end_matches('\n');
    format!("{fence}text\n{body}\n{fence}")
}

/// Whether every code block of `text` is a fenced `text` block and no HTML is live.
fn is_inert(text: &str) -> bool {
    Parser::new_ext(text, options()).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.trim() == "text",
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) | Event::Html(_) | Event::InlineHtml(_) => false,
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let actual = markdown(input);
        assert_eq!(actual, expected);
        assert!(is_inert(&actual), "{actual}");
    }

    #[test]
    fn fenced_blocks_become_text() {
        check("Run:\n\n```\npanic!(\"RAN\");\n```\n\nDone.", "Run:\n\n```text\npanic!(\"RAN\");\n```\n\nDone.");
        check("```rust,should_panic\npanic!()\n```", "```text\npanic!()\n```");
        check("~~~\nx\n~~~", "```text\nx\n```");
        check("```\nunclosed", "```text\nunclosed\n```");
        check("````\n```\n````", "````text\n```\n````");
    }

    #[test]
    fn indented_blocks_become_text() {
        check("Text.\n\n    panic!(\"RAN\");\n\nMore.", "Text.\n\n```text\npanic!(\"RAN\");\n```\n\nMore.");
    }

    #[test]
    fn html_becomes_text() {
        check("a <script>alert(1)</script> b", "a &lt;script>alert(1)&lt;/script> b");
        check("<div>\nblock\n</div>", "&lt;div>\nblock\n&lt;/div>");
        check("keeps `Option<T>` and 1 < 2", "keeps `Option<T>` and 1 < 2");
    }

    #[test]
    fn blocks_inside_containers_stay_text() {
        for input in ["- item\n\n  ```\n  panic!()\n  ```\n", "> ```\n> panic!()\n> ```", "- a\n\n      code\n"] {
            let output = markdown(input);
            assert!(is_inert(&output), "{input:?} gave {output:?}");
        }
    }

    #[test]
    fn text_after_a_prefix_cannot_open_a_fence() {
        // Generated text before a description: the description's closing fence would open one.
        let output = markdown("Sets `Name`: ```\npanic!()\n```.\n\nWire name `Name`.");
        assert!(is_inert(&output), "{output}");
    }

    #[test]
    fn plain_text_is_what_the_parser_leaves_as_it_is() {
        // The shortcut must agree with the parser: each of these goes both ways.
        let plain = [
            "A sentence.",
            "Two\nlines, *emphasis*, **strong**, [a link](https://example.com) & 1 > 0.",
            "- a list\n- of items\n\n1. numbered\n2. items",
            "> a quote\n>\n> with two paragraphs",
            "# A heading\n\nText   with three spaces\n   and three spaces in front.",
            "-   three spaces after the marker\n\n   > and a quote",
            "| a | table |\n|---|---|\n| 1 | 2 |",
            "Footnote[^1].\n\n[^1]: The note.",
            "Code spans: `Name`, ``a ` b``, and ~tildes~ ~~struck~~.\n- `In` a list\n> `and` a quote",
        ];
        for text in plain {
            let parsed = rewrite_with_parser(text);
            assert!(is_plain(text), "{text:?}");
            assert!(is_inert(text), "{text:?}");
            assert_eq!(parsed, text, "the parser changes {text:?}, which the shortcut leaves as it is");
        }
        assert!(!is_plain("-     code in a list item"));
        assert!(!is_plain("a\tb"));
        assert!(!is_plain("1 < 2"));
        assert!(!is_plain("- ```\n  fenced in a list\n  ```"));
        assert!(!is_plain("> ~~~\n> fenced in a quote"));
    }

    /// The parser's rewrite, without the shortcut.
    fn rewrite_with_parser(text: &str) -> String {
        // One character the shortcut refuses, added and taken off again, forces the parser.
        let forced = format!("{text}\n\n<x>");
        let rewritten = rewrite(&forced);
        rewritten.strip_suffix("\n\n&lt;x>").map_or(rewritten.clone(), str::to_owned)
    }

    #[test]
    fn table_cells_are_one_line() {
        assert_eq!(table_cell("two\nlines | and <b>bold</b>"), "two lines \\| and &lt;b>bold&lt;/b>");
        assert_eq!(table_cell("kept \\| escaped"), "kept \\| escaped");
    }
}
