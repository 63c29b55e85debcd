//! A file as the dev server keeps it in memory: compressed with LZ4 when that makes it smaller.
//!
//! The pages of a 10,000-retro site are about 460 MB as written and 150 MB compressed; kept as
//! written they were half of the server's memory. LZ4 rather than deflate: compressing them all
//! takes under a second of CPU (deflate's fastest level twice that), and a page is read back in
//! tens of microseconds when it is requested.

use std::borrow::Cow;

/// Smaller files are kept as written: compressing them saves next to nothing.
const MIN_COMPRESSED_LEN: usize = 512;

/// A file's bytes, compressed when that saves space. Two are equal exactly when their files are:
/// the same bytes always compress to the same bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Stored {
    /// The bytes as kept: compressed when `written_len` is set.
    kept: Box<[u8]>,
    /// The file's length as written, when `kept` is compressed.
    written_len: Option<usize>,
}

impl Stored {
    /// `bytes`, compressed unless they are small, gzipped already (the search bundle's files)
    /// or do not shrink.
    pub fn new(bytes: &[u8]) -> Self {
        let gzipped = bytes.starts_with(&[0x1f, 0x8b]);
        if bytes.len() >= MIN_COMPRESSED_LEN && !gzipped {
            let compressed = lz4_flex::compress(bytes);
            if compressed.len() < bytes.len() {
                return Stored { kept: compressed.into_boxed_slice(), written_len: Some(bytes.len()) };
            }
        }
        Stored { kept: bytes.into(), written_len: None }
    }

    /// The file's bytes as written.
    pub fn bytes(&self) -> Result<Cow<'_, [u8]>, lz4_flex::block::DecompressError> {
        match self.written_len {
            None => Ok(Cow::Borrowed(&self.kept)),
            Some(len) => lz4_flex::decompress(&self.kept, len).map(Cow::Owned),
        }
    }

    /// Whether this is a copy of `bytes`, found without compressing them.
    pub fn holds(&self, bytes: &[u8]) -> bool {
        self.written_len.unwrap_or(self.kept.len()) == bytes.len()
            && self.bytes().is_ok_and(|kept| *kept == *bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_kept_compressed_and_read_back_whole() {
        let page = "<li><a href=\"/retros/r-1.html\">Pool exhausted</a></li>\n".repeat(100);
        let stored = Stored::new(page.as_bytes());
        assert!(stored.kept.len() < page.len() / 4, "kept {} of {} bytes", stored.kept.len(), page.len());
        assert_eq!(stored.bytes().expect("reads back").as_ref(), page.as_bytes());
        assert!(stored.holds(page.as_bytes()));
        assert!(!stored.holds(page.replace("r-1", "r-2").as_bytes()), "same length, other bytes");
        assert!(!stored.holds(&page.as_bytes()[1..]));
    }

    #[test]
    fn small_gzipped_and_incompressible_files_are_kept_as_written() {
        let gzipped = [&[0x1f, 0x8b][..], &[7; 1000]].concat();
        let mut seed = 1u64;
        let noise: Vec<u8> = (0..2000)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (seed >> 56) as u8
            })
            .collect();
        for bytes in [&b"tiny"[..], &gzipped, &noise] {
            let stored = Stored::new(bytes);
            assert_eq!(stored.written_len, None);
            assert_eq!(stored.bytes().expect("as written").as_ref(), bytes);
            assert!(stored.holds(bytes));
        }
    }
}
