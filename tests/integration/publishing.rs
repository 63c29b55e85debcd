//! Publishing: `base_url` (absolute feed links, `sitemap.xml`, canonical links, the 404 page's
//! root) and what a build prints when one warning repeats in every retro.

use std::path::Path;

use crate::support::{NOW, build_fixture, build_site, files_under, hindsight, read};

const BASE: &str = "https://wiki.example/incidents/";

#[test]
fn without_base_url_there_is_no_sitemap_no_canonical_link_and_the_feed_stays_relative() {
    let (_dir, out, run) = build_fixture("insights", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!out.join("sitemap.xml").exists());
    assert!(!read(&out, "index.html").contains("rel=\"canonical\""));
    let feed = read(&out, "feed.xml");
    assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"feed.xml\"/>"), "{feed}");
    assert!(feed.contains("href=\"retros/A01.html\""), "{feed}");
    assert!(read(&out, "404.html").contains("href=\"assets/style.css\""));
}

#[test]
fn base_url_makes_the_feed_sitemap_and_canonical_links_absolute() {
    // Without the trailing slash: it still means the folder.
    let (_dir, out, run) = build_fixture("insights", &["--base-url", "https://wiki.example/incidents"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feed = read(&out, "feed.xml");
    assert!(
        feed.contains(&format!("rel=\"self\" type=\"application/atom+xml\" href=\"{BASE}feed.xml\"")),
        "{feed}"
    );
    assert!(
        feed.contains(&format!("rel=\"alternate\" type=\"text/html\" href=\"{BASE}index.html\"")),
        "{feed}"
    );
    assert!(feed.contains(&format!("href=\"{BASE}retros/A01.html\"")), "{feed}");
    assert!(!feed.contains("href=\"retros/"), "{feed}");

    let page = read(&out, "retros/A01.html");
    assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{BASE}retros/A01.html\">")), "{page}");
    assert!(page.contains("href=\"../assets/style.css\""), "pages keep relative links");
    let not_found = read(&out, "404.html");
    assert!(!not_found.contains("rel=\"canonical\""), "the 404 page is served at any address");
    assert!(not_found.contains("href=\"/incidents/assets/style.css\""), "{not_found}");

    // Every page written, and nothing else.
    let sitemap = read(&out, "sitemap.xml");
    let locs: Vec<&str> =
        sitemap.split("<loc>").skip(1).filter_map(|rest| rest.split("</loc>").next()).collect();
    let mut pages: Vec<String> = files_under(&out)
        .into_iter()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .map(|p| format!("{BASE}{p}"))
        .collect();
    pages.sort();
    assert_eq!(locs, pages);
    assert!(locs.contains(&format!("{BASE}insights/index.html").as_str()));
}

#[test]
fn base_url_comes_from_hindsight_yaml_and_a_bad_one_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let site = dir.path().join("site");
    crate::support::copy_tree(&crate::support::fixture("insights"), &site);
    let config = site.join("hindsight.yaml");
    let previous = std::fs::read_to_string(&config).unwrap_or_default();
    std::fs::write(&config, format!("{previous}\nbase_url: \"https://ops.example/lib/\"\n")).expect("write");
    let run = build_site(&site, &dir.path().join("out"), NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        read(&dir.path().join("out"), "sitemap.xml")
            .contains("<loc>https://ops.example/lib/index.html</loc>")
    );

    std::fs::write(&config, "title: X\nbase_url: \"/incidents/\"\n").expect("write");
    let run = build_site(&site, &dir.path().join("out"), NOW, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("hindsight.yaml:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("e.g. \"https://wiki.example/incidents/\""), "{}", run.stderr);

    let run =
        hindsight(&["--root", site.to_str().expect("utf-8"), "build", "--base-url", "ftp://x.example/"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not an http or https address"), "{}", run.stderr);
}

/// A library of `n` retros without a summary (warning H101) in `dir/site`.
fn retros_without_summaries(dir: &Path, n: usize) -> std::path::PathBuf {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("content")).expect("mkdir");
    std::fs::write(site.join("taxonomy.yaml"), "services: [api]\nfailure_modes: [bug]\n").expect("taxonomy");
    for i in 0..n {
        let retro = format!(
            "---\ntitle: \"Retro {i}\"\ndate: 2024-01-01\nseverity: SEV3\nservices: [api]\n\
             failure_modes: [bug]\naction_items:\n  - title: \"Fix\"\n    status: open\n---\nBody.\n"
        );
        std::fs::write(site.join(format!("content/R{i:03}.md")), retro).expect("retro");
    }
    site
}

#[test]
fn a_build_prints_twenty_of_each_rule_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("tmp");
    let site = retros_without_summaries(dir.path(), 25);
    let out = dir.path().join("out");
    let run = build_site(&site, &out, NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[H101 missing-summary]").count(), 20, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/R019.md") && !run.stderr.contains("content/R020.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("… and 5 more H101 missing-summary warnings; `hindsight check` lists them all\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("25 warnings"), "the summary line counts them all: {}", run.stderr);

    let verbose = build_site(&site, &out, NOW, &["--verbose"]);
    assert_eq!(verbose.stderr.matches("warning[H101 missing-summary]").count(), 25);
    assert!(!verbose.stderr.contains("more H101"), "{}", verbose.stderr);
    let check = hindsight(&["--root", site.to_str().expect("utf-8"), "check", "--now", NOW]);
    assert_eq!(check.stderr.matches("warning[H101 missing-summary]").count(), 25, "check is unchanged");
}
