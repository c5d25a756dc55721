//! Spec problems with the place they were found, gathered so that one run reports them all.

use std::fmt;
use std::path::PathBuf;

/// A place in a spec file: the file as given on the command line, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Path of the spec file, relative to the spec folder's parent where possible.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, as one sentence without a trailing period.
    pub message: String,
    /// How to fix it, where the generator can tell.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, in file and line order once [`Diagnostics::finish`] ran.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, location: Location, message: impl Into<String>) {
        self.items.push(Diagnostic { location, message: message.into(), hint: None });
    }

    /// Records a problem with a hint on how to fix it.
    pub fn push_with_hint(&mut self, location: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.items.push(Diagnostic { location, message: message.into(), hint: Some(hint.into()) });
    }

    /// Adds the problems another run of checks recorded.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems, in the order they were recorded.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Sorts by file, line and column and drops exact repeats.
    pub fn finish(mut self) -> Self {
        self.items.sort();
        self.items.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            writeln!(f, "{item}")?;
        }
        let count = self.items.len();
        write!(f, "{count} problem{} in the spec", if count == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// Closest candidate to `wrong` by edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(&wrong.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(wrong: &str, candidates: &[&str], expected: Option<&str>) {
        assert_eq!(did_you_mean(wrong, candidates.iter().copied()), expected);
    }

    #[test]
    fn suggests_close_names_only() {
        check(
            "eCrmOpportunitySorce",
            &["eCrmOpportunitySource", "eCrmOpportunityStatus"],
            Some("eCrmOpportunitySource"),
        );
        check("nulable", &["nullable", "required"], Some("nullable"));
        check("zzz", &["nullable", "required"], None);
    }
}
