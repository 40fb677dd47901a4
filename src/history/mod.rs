//! Every supported Wasmtime release and everything that differs between
//! them, kept as data about changes.
//!
//! A fact of the format or of the check (a Tunables field, a tunable check
//! and its wording, a feature bit, a flag rule, a message, an ELF or load
//! rule) is one [`Row`]: the fact and the [`Span`] of releases where it
//! holds. A release's [`Layout`] is computed from the rows whose span
//! contains it, in row order, so a list's order in a release is the order
//! of its rows. A release that changes nothing costs one line in
//! [`RELEASES`].
//!
//! ```
//! use cwasm_spec::history::Release;
//! let r = Release::parse("36.0.5").unwrap();
//! assert_eq!(r.version_string(), "36.0.5");
//! assert_eq!(Release::parse("48").unwrap().version_string(), "48");
//! ```

mod container;
mod features;
mod flags;
mod layout;
mod release;
mod tunables;
mod version;

pub use layout::*;
pub use release::*;
pub use version::{Version, RELEASES};

/// The releases from `since` up to, not including, `until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub since: Version,
    pub until: Version,
}

const OPEN: Version = Version::new(u32::MAX, 0, 0);

impl Span {
    pub fn contains(self, version: Version) -> bool {
        self.since <= version && version < self.until
    }

    /// The span in words: `24–35`, `38+`, `36.0.5–36.0.20`.
    pub fn describe(self) -> String {
        let whole_majors = self.since.minor == 0
            && self.since.patch == 0
            && self.until.minor == 0
            && self.until.patch == 0;
        match (self.until == OPEN, whole_majors) {
            (true, true) => format!("{}+", self.since.major),
            (false, true) if self.until.major == self.since.major + 1 => {
                format!("{}", self.since.major)
            }
            (false, true) => format!("{}–{}", self.since.major, self.until.major - 1),
            (true, false) => format!("{}+", self.since),
            (false, false) => format!("{} until {}", self.since, self.until),
        }
    }
}

/// Every release of `major` and later.
pub const fn since(major: u32) -> Span {
    Span {
        since: Version::new(major, 0, 0),
        until: OPEN,
    }
}

/// Every release of the majors `first` to `last`, both included.
pub const fn majors(first: u32, last: u32) -> Span {
    Span {
        since: Version::new(first, 0, 0),
        until: Version::new(last + 1, 0, 0),
    }
}

/// Every release from `since` up to, not including, `until`.
pub const fn between(since: Version, until: Version) -> Span {
    Span { since, until }
}

/// A fact and the releases where it holds.
#[derive(Clone, Copy, Debug)]
pub struct Row<T> {
    pub span: Span,
    pub item: T,
}

pub const fn row<T>(span: Span, item: T) -> Row<T> {
    Row { span, item }
}

/// The facts of `rows` that hold in `version`, in row order.
pub fn pick<T: Copy>(rows: &[Row<T>], version: Version) -> Vec<T> {
    rows.iter()
        .filter(|r| r.span.contains(version))
        .map(|r| r.item)
        .collect()
}

/// The one fact of `rows` that holds in `version`. The history's tests
/// check that every release has exactly one; the first is taken.
pub fn pick_one<T: Copy>(rows: &[Row<T>], version: Version) -> T {
    match rows.iter().find(|r| r.span.contains(version)) {
        Some(r) => r.item,
        None => rows[rows.len() - 1].item,
    }
}
