//! A supported release, by its index in [`RELEASES`].

use super::layout::Layout;
use super::version::{release_index, Version, RELEASES};
use super::VersionForm;
use std::fmt;
use std::sync::OnceLock;

/// One supported Wasmtime release (a full version, e.g. 36.0.5). Its
/// [`Layout`] says how it reads and checks artifacts.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Release(u8);

const COUNT: usize = RELEASES.len();
static LAYOUTS: [OnceLock<Layout>; COUNT] = [const { OnceLock::new() }; COUNT];
static VERSION_STRINGS: [OnceLock<String>; COUNT] = [const { OnceLock::new() }; COUNT];

impl Release {
    /// 36.0.20, the LTS release the oracle builds.
    pub const V36: Release = Release(release_index(Version::new(36, 0, 20)) as u8);
    /// 48.0.8, the LTS release the oracle builds.
    pub const V48: Release = Release(release_index(Version::new(48, 0, 8)) as u8);

    /// Every supported release, oldest first.
    pub fn all() -> impl DoubleEndedIterator<Item = Release> + ExactSizeIterator {
        (0..COUNT as u8).map(Release)
    }

    pub fn version(self) -> Version {
        RELEASES[usize::from(self.0)]
    }

    pub fn major(self) -> u32 {
        self.version().major
    }

    pub fn from_version(version: Version) -> Option<Release> {
        RELEASES
            .iter()
            .position(|&r| r == version)
            .map(|i| Release(i as u8))
    }

    /// The latest release of `major`.
    pub fn from_major(major: u32) -> Option<Release> {
        Release::all().rev().find(|r| r.major() == major)
    }

    /// Every release of `major`, oldest first.
    pub fn of_major(major: u32) -> impl Iterator<Item = Release> {
        Release::all().filter(move |r| r.major() == major)
    }

    /// A release as a user names it: a major (`42`, its latest release) or
    /// a full version (`36.0.5`).
    pub fn parse(text: &str) -> Option<Release> {
        if let Some(version) = Version::parse(text) {
            return Release::from_version(version);
        }
        Release::from_major(parse_major(text)?)
    }

    /// The releases whose default module-version string is `version`:
    /// one release for a full version (`36.0.5`), every release of the
    /// major for a major-only string (`48`), none for any other string.
    pub fn named_by(version: &str) -> Vec<Release> {
        Release::all()
            .filter(|r| r.is_version_string(version))
            .collect()
    }

    /// The release a witness's version string stands for: the release
    /// itself, or a major's latest release when the string is the major's.
    pub fn from_version_string(version: &str) -> Option<Release> {
        Release::named_by(version).last().copied()
    }

    /// What `ModuleVersionStrategy::WasmtimeVersion` writes and expects.
    pub fn version_string(self) -> &'static str {
        VERSION_STRINGS[usize::from(self.0)].get_or_init(|| match self.version_form() {
            VersionForm::Full => self.version().to_string(),
            VersionForm::Major => self.major().to_string(),
        })
    }

    /// Whether `text` is [`Release::version_string`], without building it.
    pub fn is_version_string(self, text: &str) -> bool {
        match self.version_form() {
            VersionForm::Full => Version::parse(text) == Some(self.version()),
            VersionForm::Major => parse_major(text) == Some(self.major()),
        }
    }

    /// Whether the default version string is the full version or the major.
    pub fn version_form(self) -> VersionForm {
        super::pick_one(super::container::VERSION_FORM, self.version())
    }

    /// One release per distinct layout, oldest first: the releases where
    /// the format or the rules change.
    pub fn layout_changes() -> Vec<Release> {
        let mut out: Vec<Release> = Vec::new();
        for r in Release::all() {
            if out.last().is_none_or(|last| last.layout() != r.layout()) {
                out.push(r);
            }
        }
        out
    }

    /// How this release reads and checks artifacts.
    pub fn layout(self) -> &'static Layout {
        LAYOUTS[usize::from(self.0)].get_or_init(|| Layout::of(self.version()))
    }

    /// The first release with this release's layout: releases that share
    /// it read and check artifacts alike.
    pub fn layout_origin(self) -> Release {
        let layout = self.layout();
        Release::all()
            .take_while(|r| *r <= self)
            .find(|r| r.layout() == layout)
            .unwrap_or(self)
    }
}

/// A decimal major with no sign or leading zero.
fn parse_major(text: &str) -> Option<u32> {
    let ok = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text.len() == 1 || !text.starts_with('0'));
    ok.then(|| text.parse().ok()).flatten()
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.version().fmt(f)
    }
}

impl fmt::Debug for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Release({})", self.version())
    }
}
