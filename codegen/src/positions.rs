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

/// Positions of the keys and values of one document, by path.
#[derive(Debug, Default)]
pub struct PositionIndex {
    keys: HashMap<Vec<Step>, LineColumn>,
    values: HashMap<Vec<Step>, LineColumn>,
    duplicate_keys: Vec<(Vec<Step>, LineColumn)>,
}

impl PositionIndex {
    /// Indexes `text`; a document the event parser cannot read gives an empty index (serde_yaml
    /// reports the syntax error itself).
    pub fn new(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return PositionIndex::default();
        }
        builder.index
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
        match event {
            Event::Scalar(text, ..) => {
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
