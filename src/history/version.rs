//! Wasmtime versions and the releases the reference supports.

use std::fmt;

/// A Wasmtime version, `major.minor.patch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Parses `48.0.8`; no other form.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.split('.');
        let mut next = || -> Option<u32> {
            let part = parts.next()?;
            // Leading zeros, signs and empty parts are not versions.
            if part.is_empty() || (part.len() > 1 && part.starts_with('0')) {
                return None;
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let version = Version::new(next()?, next()?, next()?);
        parts.next().is_none().then_some(version)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

const fn v(major: u32, minor: u32, patch: u32) -> Version {
    Version::new(major, minor, patch)
}

/// Every `wasmtime` release on crates.io from 24.0.0 to 50.0.1, in order.
/// None was yanked.
#[rustfmt::skip]
pub const RELEASES: &[Version] = &[
    v(24, 0, 0), v(24, 0, 1), v(24, 0, 2), v(24, 0, 3), v(24, 0, 4), v(24, 0, 5), v(24, 0, 6),
    v(24, 0, 7), v(24, 0, 8), v(24, 0, 9), v(24, 0, 10), v(24, 0, 11), v(24, 0, 12), v(24, 0, 13),
    v(25, 0, 0), v(25, 0, 1), v(25, 0, 2), v(25, 0, 3),
    v(26, 0, 0), v(26, 0, 1),
    v(27, 0, 0),
    v(28, 0, 0), v(28, 0, 1),
    v(29, 0, 0), v(29, 0, 1),
    v(30, 0, 0), v(30, 0, 1), v(30, 0, 2),
    v(31, 0, 0),
    v(32, 0, 0), v(32, 0, 1),
    v(33, 0, 0), v(33, 0, 1), v(33, 0, 2),
    v(34, 0, 0), v(34, 0, 1), v(34, 0, 2),
    v(35, 0, 0),
    v(36, 0, 0), v(36, 0, 1), v(36, 0, 2), v(36, 0, 3), v(36, 0, 4), v(36, 0, 5), v(36, 0, 6),
    v(36, 0, 7), v(36, 0, 8), v(36, 0, 9), v(36, 0, 10), v(36, 0, 11), v(36, 0, 12), v(36, 0, 13),
    v(36, 0, 14), v(36, 0, 15), v(36, 0, 16), v(36, 0, 17), v(36, 0, 18), v(36, 0, 19), v(36, 0, 20),
    v(37, 0, 0), v(37, 0, 1), v(37, 0, 2), v(37, 0, 3),
    v(38, 0, 0), v(38, 0, 1), v(38, 0, 2), v(38, 0, 3), v(38, 0, 4),
    v(39, 0, 0), v(39, 0, 1), v(39, 0, 2),
    v(40, 0, 0), v(40, 0, 1), v(40, 0, 2), v(40, 0, 3), v(40, 0, 4),
    v(41, 0, 0), v(41, 0, 1), v(41, 0, 2), v(41, 0, 3), v(41, 0, 4),
    v(42, 0, 0), v(42, 0, 1), v(42, 0, 2),
    v(43, 0, 0), v(43, 0, 1), v(43, 0, 2),
    v(44, 0, 0), v(44, 0, 1), v(44, 0, 2), v(44, 0, 3),
    v(45, 0, 0), v(45, 0, 1), v(45, 0, 2), v(45, 0, 3),
    v(46, 0, 0), v(46, 0, 1), v(46, 0, 2), v(46, 0, 3),
    v(47, 0, 0), v(47, 0, 1), v(47, 0, 2), v(47, 0, 3), v(47, 0, 4),
    v(48, 0, 0), v(48, 0, 1), v(48, 0, 2), v(48, 0, 3), v(48, 0, 4), v(48, 0, 5), v(48, 0, 6),
    v(48, 0, 7), v(48, 0, 8),
    v(49, 0, 0), v(49, 0, 1), v(49, 0, 2), v(49, 0, 3), v(49, 0, 4), v(49, 0, 5),
    v(50, 0, 0), v(50, 0, 1),
];

/// The index of `version` in [`RELEASES`]; a compile error in a const
/// context when it is not there.
pub(crate) const fn release_index(version: Version) -> usize {
    let mut i = 0;
    while i < RELEASES.len() {
        let r = RELEASES[i];
        if r.major == version.major && r.minor == version.minor && r.patch == version.patch {
            return i;
        }
        i += 1;
    }
    panic!("not a supported release")
}
