//! Where every key and value of a YAML file sits, so that problems found after parsing can still
//! point at a line and column. serde_yaml keeps no positions, so a second, event-level pass of
//! yaml-rust2 records them by path.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// How deep mappings and sequences may nest in a spec file. The format itself needs eight
/// levels; the limit stops a file nested thousands deep before it costs time or stack.
pub const MAX_NESTING: usize = 32;

/// How many keys and values one spec file may hold; the largest resource file holds about a
/// thousand. The limit keeps a huge file from costing minutes and gigabytes before it is refused.
pub const MAX_NODES: usize = 100_000;

/// How long one string of a spec file may be, in bytes (64 KiB): a long description is a few
/// kilobytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Positions of the keys and values of one document, by path.
#[derive(Debug, Default)]
pub struct PositionIndex {
    keys: HashMap<Vec<Step>, LineColumn>,
    values: HashMap<Vec<Step>, LineColumn>,
    duplicate_keys: Vec<(Vec<Step>, LineColumn)>,
    problems: Vec<(LineColumn, String)>,
    too_deep: bool,
}

impl PositionIndex {
    /// Indexes `text`; a document the event parser cannot read gives an empty index (serde_yaml
    /// reports the syntax error itself).
    /// The first document only is read, and reading stops where nesting passes [`MAX_NESTING`],
    /// so that a hostile file costs no more than its first levels.
    pub fn new(text: &str) -> Self {
        let mut builder = Builder::default();
        if let Some(problem) = flow_collection_problem(text) {
            builder.index.too_deep = true;
            builder.index.problems.push(problem);
            return builder.index;
        }
        let mut parser = Parser::new_from_str(text);
        loop {
            match parser.next_token() {
                Err(_) => return PositionIndex::default(),
                Ok((Event::StreamEnd | Event::DocumentEnd, _)) => break,
                Ok((event, mark)) => builder.on_event(event, mark),
            }
            if builder.index.too_deep {
                break;
            }
        }
        builder.index
    }

    /// Problems of the text itself, whatever the key: characters no output can carry safely,
    /// nesting past the limit. Each is at the scalar or collection at fault.
    pub fn problems(&self) -> &[(LineColumn, String)] {
        &self.problems
    }

    /// Whether the document passes a limit ([`MAX_NESTING`], [`MAX_NODES`], [`MAX_TEXT_BYTES`]);
    /// it is then not read further.
    pub fn too_deep(&self) -> bool {
        self.too_deep
    }

    /// Position of the key at the end of `path`, else of the closest ancestor that has one.
    pub fn key(&self, path: &[Step]) -> LineColumn {
        self.find(path, &self.keys)
    }

    /// Position of the value at `path`, else of the closest ancestor that has one.
    pub fn value(&self, path: &[Step]) -> LineColumn {
        self.find(path, &self.values)
    }

    /// Records `at` as the place of the key at `path` unless the document has that key itself:
    /// what the conventions write out for a file points at what made it.
    pub fn alias_key(&mut self, path: Vec<Step>, at: LineColumn) {
        self.values.entry(path.clone()).or_insert(at);
        self.keys.entry(path).or_insert(at);
    }

    /// Records the places of every key and value below `from` in `source` as the places of the
    /// same keys and values below `to` here: a part of one document checked as if it stood
    /// elsewhere (an operation template as a resource's operation) still points at its text.
    pub fn copy_subtree(&mut self, source: &PositionIndex, from: &[Step], to: &[Step]) {
        let moved = |map: &HashMap<Vec<Step>, LineColumn>| -> Vec<(Vec<Step>, LineColumn)> {
            map.iter().filter_map(|(path, at)| path.strip_prefix(from).map(|rest| ([to, rest].concat(), *at))).collect()
        };
        for (path, at) in moved(&source.keys) {
            self.keys.entry(path).or_insert(at);
        }
        for (path, at) in moved(&source.values) {
            self.values.entry(path).or_insert(at);
        }
    }

    /// Keys that stand twice in the same mapping, at their second place.
    pub fn duplicate_keys(&self) -> &[(Vec<Step>, LineColumn)] {
        &self.duplicate_keys
    }

    fn find(&self, path: &[Step], map: &HashMap<Vec<Step>, LineColumn>) -> LineColumn {
        (0..=path.len())
            .rev()
            .find_map(|len| map.get(&path[..len]).or_else(|| self.values.get(&path[..len])))
            .copied()
            .unwrap_or(LineColumn { line: 1, column: 1 })
    }
}

enum Frame {
    /// A mapping; `key` is set while its value is being read; `seen` holds its keys so far.
    Mapping {
        key: Option<String>,
        seen: HashSet<String>,
    },
    Sequence {
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    index: PositionIndex,
    frames: Vec<Frame>,
    nodes: usize,
}

impl Builder {
    fn path(&self) -> Vec<Step> {
        self.frames
            .iter()
            .filter_map(|frame| match frame {
                Frame::Mapping { key, .. } => key.clone().map(Step::Key),
                Frame::Sequence { next } => Some(Step::Index(*next)),
            })
            .collect()
    }

    fn value_starts(&mut self, at: LineColumn) {
        let path = self.path();
        self.index.values.entry(path).or_insert(at);
    }

    fn value_ends(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Mapping { key, .. }) => *key = None,
            Some(Frame::Sequence { next }) => *next += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        // yaml-rust2 counts columns from 0 and lines from 1.
        let at = LineColumn { line: mark.line(), column: mark.col() + 1 };
        if matches!(event, Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..)) {
            self.nodes += 1;
            if self.nodes > MAX_NODES {
                self.index.too_deep = true;
                self.index
                    .problems
                    .push((at, format!("the file holds more than {MAX_NODES} keys and values; split it")));
                return;
            }
        }
        match event {
            Event::Scalar(text, ..) => {
                if text.len() > MAX_TEXT_BYTES {
                    self.index.too_deep = true;
                    self.index.problems.push((
                        at,
                        format!("a text of {} bytes, longer than the limit of {MAX_TEXT_BYTES}", text.len()),
                    ));
                    return;
                }
                if let Some(problem) = text_problem(&text) {
                    self.index.problems.push((at, problem));
                }
                if let Some(Frame::Mapping { key: key @ None, seen }) = self.frames.last_mut() {
                    *key = Some(text.clone());
                    let repeated = !seen.insert(text);
                    let path = self.path();
                    if repeated {
                        self.index.duplicate_keys.push((path, at));
                    } else {
                        self.index.keys.insert(path, at);
                    }
                } else {
                    self.value_starts(at);
                    self.value_ends();
                }
            }
            Event::Alias(_) => {
                self.value_starts(at);
                self.value_ends();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) if self.frames.len() >= MAX_NESTING => {
                self.index.too_deep = true;
                self.index.problems.push((at, too_deep_message()));
            }
            Event::MappingStart(..) => {
                self.value_starts(at);
                self.frames.push(Frame::Mapping { key: None, seen: HashSet::new() });
            }
            Event::SequenceStart(..) => {
                self.value_starts(at);
                self.frames.push(Frame::Sequence { next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
                self.value_ends();
            }
            _ => {}
        }
    }
}

fn too_deep_message() -> String {
    format!("mappings and sequences nest more than {MAX_NESTING} deep here; a spec file needs far fewer")
}

/// How long one flow collection (`[...]`, `{...}`) may be, in bytes: the YAML scanner reads a
/// whole flow collection ahead before it gives its first item.
pub const MAX_FLOW_BYTES: usize = 64 * 1024;

/// Where flow collections (`[`, `{`) first nest deeper than [`MAX_NESTING`] or run longer than
/// [`MAX_FLOW_BYTES`], by a scan of the text that skips comments and quoted scalars. The YAML
/// scanners take time that grows with the square of flow nesting, and read a flow collection
/// whole, before they produce a single event, so this runs first.
fn flow_collection_problem(text: &str) -> Option<(LineColumn, String)> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    let (mut read, mut opened_at) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut previous = '\n';
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        column += 1;
        read += character.len_utf8();
        if character == '\n' {
            (line, column) = (line + 1, 0);
        }
        if depth > 0 && read - opened_at > MAX_FLOW_BYTES {
            let message =
                format!("a flow collection ([...] or {{...}}) longer than {MAX_FLOW_BYTES} bytes; write it as a block");
            return Some((LineColumn { line, column }, message));
        }
        match quote {
            Some('"') if character == '\\' => {
                // An escape: the next character cannot close the scalar.
                if characters.next() == Some('\n') {
                    (line, column) = (line + 1, 0);
                } else {
                    column += 1;
                }
            }
            Some(open) if character == open => quote = None,
            Some(_) => {}
            None => match character {
                '#' if previous.is_whitespace() => {
                    // A comment runs to the end of the line.
                    for skipped in characters.by_ref() {
                        if skipped == '\n' {
                            (line, column) = (line + 1, 0);
                            break;
                        }
                    }
                    previous = '\n';
                    continue;
                }
                '"' | '\'' if previous.is_whitespace() || matches!(previous, '[' | '{' | ',' | ':') => {
                    quote = Some(character)
                }
                '[' | '{' => {
                    if depth == 0 {
                        opened_at = read;
                    }
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some((LineColumn { line, column }, too_deep_message()));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = character;
    }
    None
}

/// What is wrong with a string of the spec that no output can carry as it is: a carriage
/// return alone (a doc comment refuses it) or a character that changes the direction text is
/// shown in (U+202A-U+202E, U+2066-U+2069), which can make text read other than it is and which
/// rustc refuses in comments.
pub fn text_problem(text: &str) -> Option<String> {
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\r' if characters.peek() != Some(&'\n') => {
                return Some("a carriage return without a line feed; write a line break".to_owned())
            }
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                return Some(format!(
                    "the text-direction control character U+{:04X}, which can make text read other than it is",
                    u32::from(character)
                ))
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Step {
        Step::Key(text.to_owned())
    }

    #[test]
    fn finds_keys_and_values_by_path() {
        let text = "models:\n  A:\n    fields:\n      Name: { type: strin }\nlist:\n  - x\n  - y\n";
        let index = PositionIndex::new(text);
        let name = [key("models"), key("A"), key("fields"), key("Name")];
        assert_eq!(index.key(&name), LineColumn { line: 4, column: 7 });
        let ty = [key("models"), key("A"), key("fields"), key("Name"), key("type")];
        assert_eq!(index.value(&ty), LineColumn { line: 4, column: 21 });
        assert_eq!(index.value(&[key("list"), Step::Index(1)]), LineColumn { line: 7, column: 5 });
        // A path that does not exist falls back to its closest ancestor.
        assert_eq!(index.key(&[key("models"), key("A"), key("nope")]), LineColumn { line: 2, column: 3 });
    }

    #[test]
    fn copies_a_subtree_under_another_path() {
        let source = PositionIndex::new("api:\n  templates:\n    get:\n      answer: Thing\n");
        let mut copy = PositionIndex::default();
        copy.copy_subtree(&source, &[key("api"), key("templates")], &[key("operations")]);
        let answer = [key("operations"), key("get"), key("answer")];
        assert_eq!(copy.value(&answer), LineColumn { line: 4, column: 15 });
        assert_eq!(copy.key(&[key("operations"), key("get")]), LineColumn { line: 3, column: 5 });
        // What lies outside the subtree is not copied.
        assert_eq!(copy.key(&[key("api")]), LineColumn { line: 1, column: 1 });
    }

    #[test]
    fn reports_duplicate_keys() {
        let index = PositionIndex::new("a: 1\nb: 2\na: 3\n");
        assert_eq!(index.duplicate_keys(), &[(vec![key("a")], LineColumn { line: 3, column: 1 })]);
    }
}
