//! What of a spec file a parse error may quote: at most the line it points at. serde quotes the
//! whole value it could not use (`invalid type: string "..."`), and a file that is not YAML of
//! the format (a `.env` of passwords, say) is one plain value running over every line.

/// The messages whose first quoted part is a value from the file, with the quote that opens it.
const QUOTING_MESSAGES: [(&str, char); 3] = [("string \"", '"'), ("unknown variant `", '`'), ("unknown field `", '`')];

/// `message` with the value it quotes cut to the longest start of it that `line` (the text of
/// the line the message points at) holds, followed by `…` where it was cut.
pub(super) fn at_most_the_line(message: &str, line: &str) -> String {
    for (opening, quote) in QUOTING_MESSAGES {
        let Some(at) = message.find(opening) else { continue };
        let start = at + opening.len();
        let Some(length) = quoted_length(&message[start..], quote) else { continue };
        let value = &message[start..start + length];
        let kept = longest_start_within(value, line);
        if kept.len() == value.len() {
            return message.to_owned();
        }
        return format!("{}{kept}…{}", &message[..start], &message[start + length..]);
    }
    message.to_owned()
}

/// The length of the quoted text at the start of `text`, up to the closing `quote`; a `"` quote
/// is Rust's debug form, where `\"` does not close it.
fn quoted_length(text: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (index, character) in text.char_indices() {
        match character {
            _ if escaped => escaped = false,
            '\\' if quote == '"' => escaped = true,
            _ if character == quote => return Some(index),
            _ => {}
        }
    }
    None
}

/// The longest start of `value` that occurs in `line`.
fn longest_start_within<'a>(value: &'a str, line: &str) -> &'a str {
    // A start longer than the line cannot occur in it (and a value may be megabytes long).
    let ends: Vec<usize> = value
        .char_indices()
        .map(|(index, _)| index)
        .skip(1)
        .chain([value.len()])
        .take_while(|&end| end <= line.len())
        .collect();
    // Whether a start occurs only gets harder as it grows: search for the first that does not.
    let fitting = ends.partition_point(|&end| line.contains(&value[..end]));
    match fitting {
        0 => "",
        count => &value[..ends[count - 1]],
    }
}

#[cfg(test)]
mod tests {
    use super::at_most_the_line;

    fn check(message: &str, line: &str, expected: &str) {
        assert_eq!(at_most_the_line(message, line), expected);
    }

    #[test]
    fn a_value_on_its_line_is_quoted_whole() {
        check(
            "invalid type: string \"yes\", expected a boolean",
            "  required: yes",
            "invalid type: string \"yes\", expected a boolean",
        );
        check("unknown field `nme`, expected one of `name`", "  nme: x", "unknown field `nme`, expected one of `name`");
    }

    #[test]
    fn a_value_running_over_several_lines_is_cut_at_the_end_of_the_first() {
        check(
            "invalid type: string \"A=one B=two\", expected struct RawFile",
            "A=one",
            "invalid type: string \"A=one…\", expected struct RawFile",
        );
        check(
            "invalid value: string \"a\\nb\\nc\", expected x",
            "description: |",
            "invalid value: string \"…\", expected x",
        );
    }

    #[test]
    fn messages_without_a_quoted_value_are_kept() {
        check("missing field `name`", "resource:", "missing field `name`");
        check("did not find expected key", "", "did not find expected key");
    }
}
