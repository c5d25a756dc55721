//! What a spec change does to users: [`compare`] takes the IR of two versions of the spec and
//! lists every change, one per item, with two verdicts: what it does to Rust code written against
//! the old crate ([`RustVerdict`]) and whether a client built from the old spec still talks
//! correctly to a server that follows the new one ([`WireVerdict`]). [`render`] prints the list
//! as text, Markdown or JSON.

mod compare;
mod render;
mod types;

use serde::Serialize;

use crate::ir;

pub use render::{line, render, summary, Format};

/// Every change from one spec to another, sorted by place, then kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub changes: Vec<Change>,
}

/// One change to one item of the API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Where: spec names joined by dots, such as `Sprocket.Teeth` or `Sprocket.list?Sprocket_Teeth`.
    pub location: String,
    pub what: What,
    pub how: How,
    /// The old and new value where there is one (`int32 -> int64`); empty otherwise.
    pub detail: String,
    pub rust: RustVerdict,
    pub wire: WireVerdict,
}

/// The kind of item a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    Resource,
    Operation,
    Path,
    Role,
    PathParameter,
    QueryParameter,
    Body,
    Answer,
    Model,
    Field,
    /// A field of a request body or of a request-shaped input type.
    BodyField,
    Input,
    Enum,
    Variant,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Resource => "resource",
            What::Operation => "operation",
            What::Path => "path",
            What::Role => "role",
            What::PathParameter => "path parameter",
            What::QueryParameter => "query parameter",
            What::Body => "body",
            What::Answer => "answer",
            What::Model => "model",
            What::Field => "field",
            What::BodyField => "body field",
            What::Input => "input",
            What::Enum => "enum",
            What::Variant => "enum variant",
        }
    }
}

/// What happened to the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    Added,
    Removed,
    /// The wire name (or value) changed; `rust_name` kept the Rust name.
    RenamedOnWire,
    /// The spec name of an item whose name does not travel (a model, an enum, a resource, an
    /// operation) changed; `rust_name` kept the Rust name.
    RenamedInSpec,
    /// The Rust name changed; the wire name (or value) was kept.
    RenamedInRust,
    TypeChanged,
    BecameRequired,
    BecameOptional,
    BecameNullable,
    BecameNonNullable,
    WriteModeChanged,
    Opened,
    Closed,
    Deprecated,
    Undeprecated,
    /// Anything else, said by the detail (a method, a path, a role, a generated method).
    Changed,
    /// Only descriptions or summaries.
    Documented,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Added => "added",
            How::Removed => "removed",
            How::RenamedOnWire => "renamed on the wire (Rust name kept)",
            How::RenamedInSpec => "renamed in the spec (Rust name kept)",
            How::RenamedInRust => "renamed in Rust (wire name kept)",
            How::TypeChanged => "type changed",
            How::BecameRequired => "became required",
            How::BecameOptional => "became optional",
            How::BecameNullable => "became nullable",
            How::BecameNonNullable => "became non-nullable",
            How::WriteModeChanged => "write mode changed",
            How::Opened => "became open",
            How::Closed => "became closed",
            How::Deprecated => "deprecated",
            How::Undeprecated => "no longer deprecated",
            How::Changed => "changed",
            How::Documented => "documentation changed",
        }
    }
}

/// What a change does to Rust code that compiles against the old crate, in semver terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RustVerdict {
    /// Documentation only.
    Patch,
    /// Additive: code that compiles today still compiles.
    Minor,
    /// Code that compiles today may not.
    Major,
}

impl RustVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            RustVerdict::Patch => "patch",
            RustVerdict::Minor => "minor",
            RustVerdict::Major => "major",
        }
    }
}

/// Whether a client built from the old spec still works against a server of the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireVerdict {
    Compatible,
    /// An old client may fail to decode an answer, send what the server refuses, or call what is
    /// gone.
    Breaks,
}

impl WireVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            WireVerdict::Compatible => "wire ok",
            WireVerdict::Breaks => "wire breaks",
        }
    }
}

/// The version bump a report calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The changes from `before` to `after`, sorted.
pub fn compare(before: &ir::Spec, after: &ir::Spec) -> Report {
    let mut changes = compare::changes(before, after);
    changes.sort();
    changes.dedup();
    Report { changes }
}

impl Report {
    /// The strongest Rust verdict of the report, if it has a change.
    pub fn rust_verdict(&self) -> Option<RustVerdict> {
        self.changes.iter().map(|change| change.rust).max()
    }

    /// How many changes have each Rust verdict: (major, minor, patch).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |verdict| self.changes.iter().filter(|change| change.rust == verdict).count();
        (count(RustVerdict::Major), count(RustVerdict::Minor), count(RustVerdict::Patch))
    }

    /// The changes that break old clients on the wire.
    pub fn wire_breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|change| change.wire == WireVerdict::Breaks)
    }

    /// The changes that break Rust code written against the old crate.
    pub fn rust_breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|change| change.rust == RustVerdict::Major)
    }

    /// The bump the changes call for from `version` (`major.minor.patch`): below 1.0 a breaking
    /// change bumps the minor number and anything else the patch number, as cargo reads 0.x.
    pub fn bump_due(&self, version: &Version) -> Bump {
        match (self.rust_verdict(), version.major) {
            (None, _) => Bump::None,
            (Some(RustVerdict::Major), 0) => Bump::Minor,
            (Some(RustVerdict::Major), _) => Bump::Major,
            (Some(RustVerdict::Minor), 0) | (Some(RustVerdict::Patch), _) => Bump::Patch,
            (Some(RustVerdict::Minor), _) => Bump::Minor,
        }
    }
}

/// A crate version, `major.minor.patch` (a pre-release or build suffix is ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    /// Reads `1.2.3` (and `1.2.3-rc.1`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut numbers = core.split('.').map(|part| part.parse::<u64>().ok());
        let version = Version { major: numbers.next()??, minor: numbers.next()??, patch: numbers.next()?? };
        numbers.next().is_none().then_some(version)
    }

    /// Which number went up from `self` to `later` (`None` when `later` is not newer). Compared
    /// with [`Report::bump_due`], which spells a breaking change below 1.0 as a minor bump, a
    /// bump is enough when it is at least the one due.
    pub fn bump_to(&self, later: &Version) -> Bump {
        if later <= self {
            Bump::None
        } else if later.major > self.major {
            Bump::Major
        } else if later.minor > self.minor {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(from: &str, to: &str, expected: Bump) {
        let (from, to) = (Version::parse(from).unwrap(), Version::parse(to).unwrap());
        assert_eq!(from.bump_to(&to), expected, "{from} -> {to}");
    }

    #[test]
    fn bumps_read_as_cargo_reads_them() {
        check("0.1.0", "0.1.0", Bump::None);
        check("0.1.0", "0.1.1", Bump::Patch);
        check("0.1.3", "0.2.0", Bump::Minor);
        check("0.1.3", "1.0.0", Bump::Major);
        check("1.2.3", "1.2.4", Bump::Patch);
        check("1.2.3", "1.3.0", Bump::Minor);
        check("1.2.3", "2.0.0", Bump::Major);
        check("1.2.3", "1.2.2", Bump::None);
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3-rc.1"), Some(Version { major: 1, minor: 2, patch: 3 }));
    }
}
