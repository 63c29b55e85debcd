//! `sitemap.xml` (sitemaps.org protocol 0.9): the absolute URL of every published page, written
//! only when `base_url` is set, since a sitemap of relative URLs means nothing to a crawler.
//!
//! The pages are whatever HTML the build wrote, as recorded by [`Recorder`], so a new kind of
//! page is in the sitemap without anyone remembering to add it. A file holds at most 50,000 URLs;
//! past that `sitemap.xml` becomes an index of `sitemaps/<n>.xml`.

use std::sync::Mutex;

use crate::output::{OutputError, Sink};
use crate::urls::BaseUrl;

/// The protocol's limit of URLs per sitemap file.
pub const MAX_URLS: usize = 50_000;

/// A sink that passes every file on and notes the site paths of the pages among them.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Vec<String>>,
}

impl<'a> Recorder<'a> {
    /// Records what is written into `inner`.
    pub fn new(inner: &'a dyn Sink) -> Self {
        Recorder { inner, pages: Mutex::new(Vec::new()) }
    }

    /// The pages written so far, sorted.
    pub fn pages(&self) -> Vec<String> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner()).clone();
        pages.sort_unstable();
        pages.dedup();
        pages
    }
}

impl Sink for Recorder<'_> {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.inner.write(relative, bytes)?;
        // The not-found page is served for any missing address; it is no page of its own.
        if relative.ends_with(".html") && relative != "404.html" {
            // A poisoned lock only means another page's thread panicked; the list is still good.
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            pages.push(relative.to_owned());
        }
        Ok(())
    }
}

/// Writes `sitemap.xml` listing `pages` (site paths) under `base`, split into files of at most
/// [`MAX_URLS`] with `sitemap.xml` as their index when there are more.
pub fn write(base: &BaseUrl, pages: &[String], sink: &dyn Sink) -> Result<(), OutputError> {
    if pages.len() <= MAX_URLS {
        return sink.write("sitemap.xml", urlset(base, pages).as_bytes());
    }
    let mut index = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    ));
    for (n, chunk) in pages.chunks(MAX_URLS).enumerate() {
        let path = format!("sitemaps/{}.xml", n + 1);
        sink.write(&path, urlset(base, chunk).as_bytes())?;
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml_escape(&base.absolute(&path))));
    }
    index.push_str("</sitemapindex>\n");
    sink.write("sitemap.xml", index.as_bytes())
}

/// One `<urlset>` document.
fn urlset(base: &BaseUrl, pages: &[String]) -> String {
    let mut xml = String::with_capacity(100 * pages.len() + 200);
    xml.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    ));
    for page in pages {
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&base.absolute(page))));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The protocol asks for entity-escaped URLs (`&` may survive percent-encoding in a path).
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The HTML escape covers exactly the XML five (& < > " and ').
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use super::{MAX_URLS, Recorder, write};
    use crate::output::{OutputError, Sink};

    #[derive(Default)]
    struct Memory(Mutex<BTreeMap<String, String>>);

    impl Sink for Memory {
        fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
            let text = String::from_utf8_lossy(bytes).into_owned();
            self.0.lock().expect("lock").insert(relative.to_owned(), text);
            Ok(())
        }
    }

    fn base() -> crate::urls::BaseUrl {
        "https://wiki.example/incidents".parse().expect("base")
    }

    #[test]
    fn records_pages_but_not_404_or_other_files() {
        let memory = Memory::default();
        let recorder = Recorder::new(&memory);
        for path in
            ["retros/b.html", "index.html", "404.html", "feed.xml", "assets/style.css", "retros/a.html"]
        {
            recorder.write(path, b"x").expect("write");
        }
        assert_eq!(recorder.pages(), ["index.html", "retros/a.html", "retros/b.html"]);
        assert_eq!(memory.0.lock().expect("lock").len(), 6, "every file is passed on");
    }

    #[test]
    fn lists_absolute_escaped_urls() {
        let memory = Memory::default();
        write(&base(), &["index.html".to_owned(), "tags/a&b.html".to_owned()], &memory).expect("write");
        let files = memory.0.lock().expect("lock");
        let xml = &files["sitemap.xml"];
        assert!(xml.contains("<loc>https://wiki.example/incidents/index.html</loc>"), "{xml}");
        assert!(xml.contains("<loc>https://wiki.example/incidents/tags/a&amp;b.html</loc>"), "{xml}");
    }

    #[test]
    fn a_huge_site_gets_an_index_of_sitemaps() {
        let memory = Memory::default();
        let pages: Vec<String> = (0..MAX_URLS + 1).map(|n| format!("retros/{n}.html")).collect();
        write(&base(), &pages, &memory).expect("write");
        let files = memory.0.lock().expect("lock");
        assert!(files["sitemap.xml"].contains("<sitemapindex"));
        assert!(files["sitemap.xml"].contains("<loc>https://wiki.example/incidents/sitemaps/2.xml</loc>"));
        assert_eq!(files["sitemaps/1.xml"].matches("<url>").count(), MAX_URLS);
        assert_eq!(files["sitemaps/2.xml"].matches("<url>").count(), 1);
    }
}
