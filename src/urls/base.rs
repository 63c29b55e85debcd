//! `base_url`: where the site is published. Pages link to each other relatively, so the site
//! works from disk and under any sub-path; only what leaves the site (the feed, the sitemap,
//! canonical links) needs absolute URLs, and they all come from [`BaseUrl::absolute`].

use std::fmt;
use std::str::FromStr;

/// An absolute `http` or `https` URL of the site's root folder, always ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(url::Url);

/// Why a `base_url` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "base_url {given:?} {reason}; write the address the site is published at, e.g. \"https://wiki.example/incidents/\""
)]
pub struct BaseUrlError {
    /// The text given.
    pub given: String,
    /// What is wrong with it.
    pub reason: String,
}

impl BaseUrl {
    /// The absolute URL of the site-relative path `site_path` (`/`-separated, e.g.
    /// `retros/INC-1.html`), with any character a URL cannot hold percent-encoded.
    pub fn absolute(&self, site_path: &str) -> String {
        // A path from the site holds no scheme or `..` (the output checks its paths), so the join
        // stays under the base; were it to fail, the base itself is the best answer.
        self.0.join(site_path).map_or_else(|_| self.0.to_string(), String::from)
    }

    /// The path of the site's root on its host, e.g. `/incidents/`.
    pub fn root_path(&self) -> &str {
        self.0.path()
    }
}

impl FromStr for BaseUrl {
    type Err = BaseUrlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refuse = |reason: &str| BaseUrlError { given: text.to_owned(), reason: reason.to_owned() };
        let mut url = url::Url::parse(text.trim()).map_err(|e| refuse(&format!("is not a URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(refuse("is not an http or https address"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(refuse("has a query or fragment, which pages' addresses cannot be put under"));
        }
        // `https://host/incidents` means the folder: without the slash, joining would replace
        // `incidents` instead of going into it.
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(BaseUrl(url))
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::BaseUrl;

    fn base(text: &str) -> BaseUrl {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_sub_path_gets_its_trailing_slash() {
        assert_eq!(base("https://wiki.example/incidents").to_string(), "https://wiki.example/incidents/");
        assert_eq!(
            base("https://wiki.example/incidents").absolute("retros/INC-1.html"),
            "https://wiki.example/incidents/retros/INC-1.html"
        );
        assert_eq!(base("http://127.0.0.1:8080").absolute("index.html"), "http://127.0.0.1:8080/index.html");
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(
            base("https://x.example/a/").absolute("retros/ünï code.html"),
            "https://x.example/a/retros/%C3%BCn%C3%AF%20code.html"
        );
    }

    #[test]
    fn other_schemes_and_relative_paths_are_refused() {
        for bad in
            ["/incidents/", "incidents", "ftp://x.example/", "file:///srv/www/", "https://x.example/?a=b"]
        {
            let error = bad.parse::<BaseUrl>().expect_err(bad);
            assert!(error.to_string().contains("e.g. \"https://"), "{error}");
        }
    }
}
