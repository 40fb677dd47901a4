//! A small postcard reader that borrows from its input.
//!
//! It reproduces `postcard` 1.x's `from_bytes` over a slice, primitive by
//! primitive, so errors carry postcard's own `Error` (and thus its message
//! text). It never allocates: a length prefix is only ever compared against
//! the bytes that are left.

use postcard::Error;

/// A cursor over a postcard body. `pos` is the absolute offset within the
/// slice handed to [`Reader::new`].
#[derive(Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// A reader of `bytes` at `pos` (at most their length).
    pub(crate) fn at(bytes: &'a [u8], pos: usize) -> Self {
        Reader {
            bytes,
            pos: pos.min(bytes.len()),
        }
    }

    /// Offset of the next byte to read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// The bytes between two positions of this reader.
    pub fn slice(&self, start: usize, end: usize) -> &'a [u8] {
        &self.bytes[start..end]
    }

    /// Passes over `expected` when the next bytes are exactly it.
    #[inline]
    pub fn skip_if_next(&mut self, expected: &[u8]) -> bool {
        let next = self
            .bytes
            .get(self.pos..)
            .and_then(|rest| rest.get(..expected.len()))
            .is_some_and(|next| same_bytes(next, expected));
        if next {
            self.pos += expected.len();
        }
        next
    }

    /// The bytes from this reader's position on.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// The next byte, not consumed.
    #[inline]
    pub(crate) fn peek_u8(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Passes over `n` bytes that [`Reader::peek_u8`] has seen.
    #[inline]
    pub(crate) fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.bytes.len());
    }

    pub fn read_u8(&mut self) -> Result<u8, Error> {
        match self.bytes.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                Ok(*b)
            }
            None => Err(Error::DeserializeUnexpectedEnd),
        }
    }

    pub fn read_bool(&mut self) -> Result<bool, Error> {
        match self.read_u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Error::DeserializeBadBool),
        }
    }

    /// An `Option` tag: `false` for `None`, `true` for `Some`.
    pub fn read_option_tag(&mut self) -> Result<bool, Error> {
        match self.read_u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Error::DeserializeBadOption),
        }
    }

    /// A LEB128 varint of at most `max_bytes` bytes whose last byte may not
    /// exceed `max_last`, as postcard decodes `u32` (5, 0x0f) and `u64`
    /// (10, 0x01).
    fn read_varint(&mut self, max_bytes: u32, max_last: u8) -> Result<u64, Error> {
        let mut out = 0u64;
        for i in 0..max_bytes {
            let byte = self.read_u8()?;
            out |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                if i == max_bytes - 1 && byte > max_last {
                    return Err(Error::DeserializeBadVarint);
                }
                return Ok(out);
            }
        }
        Err(Error::DeserializeBadVarint)
    }

    /// Passes over a varint of any width, as [`Reader::read_varint`]
    /// checks it: u16 (3, 0x03), u32 (5, 0x0f), u64 (10, 0x01), u128
    /// (19, 0x03).
    pub fn skip_varint(&mut self, max_bytes: u32, max_last: u8) -> Result<(), Error> {
        for i in 0..max_bytes {
            let byte = self.read_u8()?;
            if byte & 0x80 == 0 {
                if i == max_bytes - 1 && byte > max_last {
                    return Err(Error::DeserializeBadVarint);
                }
                return Ok(());
            }
        }
        Err(Error::DeserializeBadVarint)
    }

    pub fn read_varint_u32(&mut self) -> Result<u32, Error> {
        // Five bytes of which the last carries at most four bits: the value
        // always fits in 32 bits.
        self.read_varint(5, 0x0f).map(|v| v as u32)
    }

    pub fn read_varint_u64(&mut self) -> Result<u64, Error> {
        self.read_varint(10, 0x01)
    }

    /// A `usize` length prefix, decoded as on a 64-bit host.
    pub fn read_len(&mut self) -> Result<u64, Error> {
        self.read_varint_u64()
    }

    /// A borrowed `str`: a length prefix, then that many UTF-8 bytes.
    pub fn read_str(&mut self) -> Result<&'a str, Error> {
        let len = self.read_len()?;
        let bytes = self.take(len)?;
        core::str::from_utf8(bytes).map_err(|_| Error::DeserializeBadUtf8)
    }

    /// `len` raw bytes; never trusts `len` beyond the bytes present.
    pub fn take(&mut self, len: u64) -> Result<&'a [u8], Error> {
        if len > self.remaining() as u64 {
            return Err(Error::DeserializeUnexpectedEnd);
        }
        let start = self.pos;
        self.pos += len as usize;
        Ok(&self.bytes[start..self.pos])
    }

    /// An enum variant index, checked against the number of variants. An
    /// index out of range is a serde "invalid value", which postcard reports
    /// as a custom deserialization error.
    pub fn read_variant(&mut self, variants: usize) -> Result<usize, Error> {
        let index = self.read_varint_u32()? as usize;
        if index >= variants {
            return Err(Error::SerdeDeCustom);
        }
        Ok(index)
    }
}

/// `a == b`, compared in place: short slices (names, flag elements,
/// Tunables fields) by machine words rather than through a call to
/// `memcmp`, which costs more than the comparison itself.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n > 64 {
        return a == b;
    }
    if n >= 8 {
        let mut at = 0;
        while at + 8 < n {
            if word64(a, at) != word64(b, at) {
                return false;
            }
            at += 8;
        }
        // The last word, overlapping the one before.
        return word64(a, n - 8) == word64(b, n - 8);
    }
    if n >= 4 {
        return word32(a, 0) == word32(b, 0) && word32(a, n - 4) == word32(b, n - 4);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// How many leading bytes `a` and `b` share.
#[inline]
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut at = 0;
    // Blocks of 64 bytes while they agree, each compared as eight words
    // without a branch (the compiler makes vector compares of them), then
    // word by word to the first difference.
    for (x, y) in a.chunks_exact(64).zip(b.chunks_exact(64)) {
        let mut diff = 0;
        for (p, q) in x.chunks_exact(8).zip(y.chunks_exact(8)) {
            if let (Ok(p), Ok(q)) = (<[u8; 8]>::try_from(p), <[u8; 8]>::try_from(q)) {
                diff |= u64::from_ne_bytes(p) ^ u64::from_ne_bytes(q);
            }
        }
        if diff != 0 {
            break;
        }
        at += 64;
    }
    while at + 8 <= n {
        let (Some(x), Some(y)) = (word64(a, at), word64(b, at)) else {
            break;
        };
        let diff = x ^ y;
        if diff != 0 {
            return at + (diff.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < n && a.get(at) == b.get(at) {
        at += 1;
    }
    at
}

/// The little-endian word of 8 bytes at `at`, if they are in `s` (callers
/// keep `at + 8` from overflowing).
#[inline]
pub(crate) fn word64(s: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(s.get(at..at + 8)?.try_into().ok()?))
}

/// The little-endian word of 4 bytes at `at`, as [`word64`].
#[inline]
pub(crate) fn word32(s: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(s.get(at..at + 4)?.try_into().ok()?))
}

/// Appends postcard encodings to a byte vector.
pub struct Writer<'v>(pub &'v mut Vec<u8>);

impl Writer<'_> {
    /// How many bytes `varint(v)` takes.
    pub fn varint_len(mut v: u64) -> usize {
        let mut n = 1;
        while v >= 0x80 {
            v >>= 7;
            n += 1;
        }
        n
    }

    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    pub fn bool(&mut self, v: bool) {
        self.0.push(v as u8);
    }

    pub fn varint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    pub fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_and_common_prefix_are_slice_comparisons() {
        let base: Vec<u8> = (0..80u8).map(|i| i.wrapping_mul(37)).collect();
        for len in 0..=base.len() {
            let a = &base[..len];
            assert!(same_bytes(a, a));
            assert_eq!(common_prefix(a, a), len);
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x10;
                assert!(!same_bytes(a, &b), "{len} {at}");
                assert_eq!(common_prefix(a, &b), at);
                assert_eq!(common_prefix(&b, &base), at);
            }
            if len > 0 {
                assert!(!same_bytes(a, &a[..len - 1]));
                assert_eq!(common_prefix(a, &a[..len - 1]), len - 1);
            }
        }
    }
}
