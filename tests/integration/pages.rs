//! The built site: facet pages, retro pages, lists, drafts and restricted retros.

use std::path::Path;

use crate::support::{build_fixture, files_under, linked_retros, read, shared_build};

#[test]
fn facet_pages_list_exactly_their_retros_newest_first() {
    let (out, run) = shared_build("library");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "reports go to stderr, leaving stdout for data");
    let cases: &[(&str, &[&str])] = &[
        ("failure-modes/retry-storm.html", &["ALPHA-1", "GAMMA-1"]),
        ("failure-modes/memory-leak.html", &["GAMMA-1", "XSS-1", "CRLF-1"]),
        ("failure-modes/unused-mode.html", &[]),
        ("services/api.html", &["ALPHA-1", "GAMMA-1", "XSS-1", "CRLF-1"]),
        ("services/db.html", &["ALPHA-1"]),
        ("teams/team-a.html", &["BETA-1", "ALPHA-1", "GAMMA-1", "XSS-1", "CRLF-1"]),
        ("teams/team-b.html", &["ALPHA-1"]),
        ("severities/sev1.html", &["ALPHA-1"]),
        ("factors/no-canary.html", &["BETA-1"]),
        ("triggers/deploy.html", &["ALPHA-1"]),
        ("years/2024.html", &["BETA-1", "ALPHA-1"]),
        ("tags/retries.html", &["ALPHA-1"]),
        ("retros/index.html", &["BETA-1", "ALPHA-1", "GAMMA-1", "XSS-1", "CRLF-1"]),
    ];
    for (page, expected) in cases {
        let html = read(&out, page);
        let main = &html[html.find("<main").expect("main")..];
        assert_eq!(linked_retros(main), *expected, "{page}");
    }
}

#[test]
fn facet_overviews_count_and_describe_every_value() {
    let (out, _run) = shared_build("library");
    let html = read(&out, "failure-modes/index.html");
    assert!(html.contains("<a href=\"../failure-modes/retry-storm.html\">retry-storm</a>"), "{html}");
    assert!(html.contains("<td class=\"num\">2</td>"));
    assert!(html.contains("Clients retry in lockstep."));
    assert!(html.contains("unused-mode") && html.contains("<tr class=\"unused\">"));
    let services = read(&out, "services/api.html");
    assert!(services.contains("The public API.") && services.contains("href=\"../teams/team-a.html\""));
}

#[test]
fn durations_are_measured_from_started_across_offsets() {
    let (out, _run) = shared_build("library");
    let alpha = read(&out, "retros/ALPHA-1.html");
    for (label, value) in [
        ("Time to detect", "7 min"),
        ("Time to acknowledge", "10 min"),
        ("Time to mitigate", "1 h 30 min"),
        ("Time to resolve", "1 d 2 h"),
    ] {
        let at = alpha.find(label).unwrap_or_else(|| panic!("{label} missing"));
        let next = &alpha[at..at + 120];
        assert!(next.contains(value), "{label}: {next}");
    }
    // BETA-1 started 09:00+01:00 and was detected 08:30Z: 30 minutes, not 90.
    let beta = read(&out, "retros/BETA-1.html");
    let at = beta.find("Time to detect").expect("detect");
    assert!(beta[at..at + 120].contains("30 min"), "{}", &beta[at..at + 120]);
    assert!(!beta.contains("Time to mitigate"), "no mitigated moment, no duration");
}

#[test]
fn retro_page_shows_summary_metadata_actions_related_and_neighbours() {
    let (out, _run) = shared_build("library");
    let alpha = read(&out, "retros/ALPHA-1.html");
    let summary = alpha.find("Retries from the API overwhelmed").expect("summary");
    assert!(summary < alpha.find("Durations").expect("durations"), "summary comes first");
    assert!(alpha.contains("SEV1<span class=\"muted\"> — Critical.</span>"));
    assert!(alpha.contains("1,200 users affected"));
    // The open item due 2024-02-01 is overdue as of the build date; the done one is not.
    assert_eq!(alpha.matches("<tr class=\"is-overdue\">").count(), 1);
    assert!(alpha.contains("1 overdue as of 2026-11-24"));
    assert!(alpha.contains(
        "<a href=\"https://tracker.example/browse/API-12\" rel=\"noopener noreferrer\">API-12</a>"
    ));
    // related in both directions: ALPHA names BETA; BETA shows ALPHA.
    let related = |html: &str| {
        let section = &html[html.find("id=\"related\"").expect("related section")..];
        linked_retros(&section[..section.find("</section>").expect("end")])
    };
    assert_eq!(related(&alpha), ["BETA-1"]);
    assert_eq!(related(&read(&out, "retros/BETA-1.html")), ["ALPHA-1"]);
    // previous/next by date: GAMMA-1 (2023-06-01) is older, BETA-1 (2024-03-05) newer.
    let nav = &alpha[alpha.find("prev-next").expect("nav")..];
    assert_eq!(linked_retros(nav), ["GAMMA-1", "BETA-1"]);
    // table of contents and highlighted code
    assert!(alpha.contains("<a href=\"#technical-analysis\">Technical analysis</a>"));
    assert!(alpha.contains("<h2 id=\"technical-analysis\">"));
    assert!(alpha.contains("hl-source hl-python"), "python is highlighted with classes");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let (out, _run) = shared_build("library");
    assert!(!out.join("retros/DRAFT-1.html").exists());
    assert!(
        files_under(&out)
            .iter()
            .filter(|f| f.ends_with(".html"))
            .all(|f| !read(&out, f).contains("Draft retro title"))
    );
    let (_dir, out, _run) = build_fixture("library", &["--drafts"]);
    assert!(read(&out, "retros/DRAFT-1.html").contains("Draft retro title"));
    assert!(linked_retros(&read(&out, "failure-modes/retry-storm.html")).contains(&"DRAFT-1".to_owned()));
}

#[test]
fn restricted_retros_appear_nowhere_unless_included() {
    let (out, run) = shared_build("library");
    assert_eq!(run.code, 0);
    for file in files_under(&out) {
        let text = std::fs::read_to_string(out.join(&file)).unwrap_or_default();
        assert!(
            !text.contains("SECRET-1") && !text.contains("Restricted retro"),
            "restricted retro leaks into {file}"
        );
    }
    let (_dir, out, _run) = build_fixture("library", &["--include-restricted"]);
    assert!(read(&out, "retros/SECRET-1.html").contains("Restricted body text."));
    let alpha = read(&out, "retros/ALPHA-1.html");
    assert!(
        linked_retros(&alpha).contains(&"SECRET-1".to_owned()),
        "related in both directions once included"
    );
}

#[test]
fn bom_and_crlf_files_build_like_any_other() {
    let (out, _run) = shared_build("library");
    let html = read(&out, "retros/CRLF-1.html");
    assert!(html.contains("<h1>Windows line endings</h1>"));
    assert!(html.contains("<h2 id=\"crlf-heading\">"));
}

#[test]
fn editor_hidden_and_non_markdown_files_are_skipped() {
    let (out, run) = shared_build("library");
    assert!(
        run.stderr.contains("Built 5 retros (0 skipped, 2 drafts or restricted left out)"),
        "{}",
        run.stderr
    );
    let all = files_under(&out).join("\n");
    for absent in ["swap", "backup", "emacs", "hidden", "notes"] {
        assert!(!all.contains(absent), "{absent} in {all}");
    }
}

#[test]
fn every_internal_link_is_relative_and_resolves() {
    let (out, _run) = shared_build("library");
    for file in files_under(&out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out, &file);
        let base = out.join(&file);
        let base = base.parent().expect("parent");
        for target in html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()) {
            if target.starts_with("https://") || target.starts_with('#') {
                continue;
            }
            assert!(!target.starts_with('/'), "absolute link {target} in {file}");
            let path = target.split('#').next().unwrap_or_default();
            assert!(base.join(path).is_file(), "{file} links to missing {target}");
        }
    }
}

#[test]
fn the_sample_library_builds_without_findings() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = crate::support::build_site(Path::new(root), &out, crate::support::NOW, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("Built 19 retros (0 skipped, 2 drafts or restricted left out)"),
        "{}",
        run.stderr
    );
    assert!(out.join("retros/INC-2023-006.html").is_file());
}

/// Builds the `library` fixture with `page_size` set in its `hindsight.yaml`.
fn build_with_page_size(size: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let config = format!("page_size: {size}\n");
    let (dir, out, run) = crate::support::build_fixture_appended("library", "hindsight.yaml", &config);
    assert!(!run.stderr.contains("unknown setting"), "{}", run.stderr);
    (dir, out)
}

/// The retro each action-item row belongs to, in order, from the pages of a list.
fn action_rows(out: &Path, pages: &[&str]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|page| {
            let html = read(out, page);
            let table = html.split_once("data-filterable").map_or("", |(_, rest)| rest);
            let body = table.split_once("<tbody>").map_or("", |(_, rest)| rest);
            linked_retros(body.split_once("</tbody>").map_or("", |(rows, _)| rows))
        })
        .collect()
}

#[test]
fn long_lists_are_split_into_linked_pages_that_together_hold_every_item() {
    let (_dir, out) = build_with_page_size(2);
    let main = |page: &str| {
        let html = read(&out, page);
        html[html.find("<main").expect("main")..].to_owned()
    };
    let cases: &[(&str, &[&str])] = &[
        ("retros/index.html", &["BETA-1", "ALPHA-1"]),
        ("retros/page/2.html", &["GAMMA-1", "XSS-1"]),
        ("retros/page/3.html", &["CRLF-1"]),
        ("services/api.html", &["ALPHA-1", "GAMMA-1"]),
        ("services/api/page/2.html", &["XSS-1", "CRLF-1"]),
        ("services/db.html", &["ALPHA-1"]),
    ];
    for (page, expected) in cases {
        assert_eq!(linked_retros(&main(page)), *expected, "{page}");
    }
    assert!(!out.join("retros/page/4.html").exists() && !out.join("services/db").exists());

    let first = main("retros/index.html");
    assert!(first.contains("1–2 of 5"), "{first}");
    assert!(first.contains(r#"<a rel="next" href="../retros/page/2.html">"#), "{first}");
    assert!(first.contains(r#"<a href="../retros/page/3.html">3</a>"#), "{first}");
    let last = main("retros/page/3.html");
    assert!(last.contains("5–5 of 5") && last.contains("5 retros, newest first"), "{last}");
    assert!(last.contains(r#"<a rel="prev" href="../../retros/page/2.html">"#), "{last}");
    assert!(last.contains(r#"<span aria-current="page">3</span>"#) && !last.contains(r#"rel="next""#));
    assert!(read(&out, "retros/page/2.html").contains("<title>All retros, page 2 of 3"));
    assert_eq!(linked_retros(&main("insights/cells/api/memory-leak.html")), ["GAMMA-1", "XSS-1"]);
    assert_eq!(linked_retros(&main("insights/cells/api/memory-leak/page/2.html")), ["CRLF-1"]);
    assert!(main("services/api.html").contains("Time to detect"), "the summary heads the first page");
    assert!(!main("services/api/page/2.html").contains("Time to detect"), "and only the first");

    // Every unfinished action item is on the dashboard or a page after it, once, in order.
    let (_whole_dir, whole) = build_with_page_size(0);
    assert!(!whole.join("retros/page").exists(), "page_size 0 keeps every list on one page");
    let unfinished = action_rows(&whole, &["actions/index.html"]);
    assert!(unfinished.len() > 2, "the fixture needs more than a page of items: {unfinished:?}");
    let mut pages = vec!["actions/index.html".to_owned()];
    pages.extend((2..).map(|n| format!("actions/page/{n}.html")).take_while(|p| out.join(p).exists()));
    assert_eq!(pages.len(), unfinished.len().div_ceil(2), "{pages:?}");
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    assert_eq!(action_rows(&out, &pages), unfinished);
    assert!(read(&out, "actions/index.html").contains("The filters search only the 2 items on this page"));
    assert!(!read(&whole, "actions/index.html").contains("The filters search"));
}

#[test]
fn a_theme_can_restyle_every_list_row_or_write_its_own_list() {
    let (dir, site) = crate::support::copy_fixture("library");
    let templates = site.join("themes/default/templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    let out = dir.path().join("out");
    let build = || crate::support::build_site(&site, &out, crate::support::NOW, &[]);

    // A row template of its own shows on every list: each retro's row is rendered once per
    // page depth, so a row on a first page (one folder deep) and on the home page must differ.
    std::fs::write(
        templates.join("retro_item.html"),
        "<li class=\"mine\"><a href=\"{{ root }}{{ r.url }}\">{{ r.id }}</a></li>\n",
    )
    .expect("write");
    let run = build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let facet = read(&out, "services/db.html");
    assert!(
        facet.contains("<li class=\"mine\"><a href=\"../retros/ALPHA-1.html\">ALPHA-1</a></li>"),
        "{facet}"
    );
    let home = read(&out, "index.html");
    assert!(home.contains("<li class=\"mine\"><a href=\"retros/BETA-1.html\">BETA-1</a></li>"), "{home}");
    let retro = read(&out, "retros/ALPHA-1.html");
    assert!(retro.contains("class=\"mine\""), "related retros are a list too");

    // So does an action row of its own, on the dashboard and on an owner's page (deeper).
    std::fs::write(
        templates.join("action_item.html"),
        "<tr class=\"mine\"><td><a href=\"{{ root }}{{ i.retro.url }}\">{{ i.title }}</a></td></tr>\n",
    )
    .expect("write");
    let run = build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dashboard = read(&out, "actions/index.html");
    assert!(dashboard.contains("<tr class=\"mine\"><td><a href=\"../retros/"), "{dashboard}");
    let owners = files_under(&out.join("actions/owners"));
    let owner = read(&out, &format!("actions/owners/{}", owners.first().expect("an owner page")));
    assert!(owner.contains("<tr class=\"mine\"><td><a href=\"../../retros/"), "{owner}");
    std::fs::remove_file(templates.join("action_item.html")).expect("rm");

    // A row that does more with `root` than print it is rendered for each depth on its own.
    std::fs::write(
        templates.join("retro_item.html"),
        "<li class=\"mine\">{% if root == \"\" %}top{% else %}{{ root | length }} deep{% endif %} {{ r.id }}</li>\n",
    )
    .expect("write");
    let run = build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(&out, "index.html").contains("<li class=\"mine\">top BETA-1</li>"));
    let facet = read(&out, "services/db.html");
    assert!(facet.contains("<li class=\"mine\">3 deep ALPHA-1</li>"), "{facet}");

    // A theme with its own list macro still gets every row's fields.
    std::fs::remove_file(templates.join("retro_item.html")).expect("rm");
    let macro_list = "{% macro retro_list(retros, root) %}{% for r in retros %}<p>{{ r.date }} {{ r.severity }} {{ r.title }} {{ r.services | join(sep=\"+\") }}</p>{% endfor %}{% endmacro retro_list %}";
    let defaults = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/macros.html"),
    )
    .expect("read");
    let start = defaults.find("{% macro retro_list").expect("retro_list");
    let end = defaults.find("{%- endmacro retro_list %}").expect("end") + "{%- endmacro retro_list %}".len();
    std::fs::write(
        templates.join("macros.html"),
        format!("{}{macro_list}{}", &defaults[..start], &defaults[end..]),
    )
    .expect("write");
    let run = build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let facet = read(&out, "services/db.html");
    assert!(facet.contains("<p>2024-01-10 SEV1 Alpha: API retry storm api+db</p>"), "{facet}");
    assert!(!facet.contains("retro-item"), "the theme's macro, not the default rows: {facet}");
}

#[test]
fn the_built_in_templates_given_every_row_field_write_the_same_site() {
    // With no template of its own but the rows', a site's lists give templates only each row's
    // HTML; a copy of every built-in template makes them give every field. The built-in
    // templates must not read more than the HTML, so both sites are the same.
    let (dir, site) = crate::support::copy_fixture("library");
    let (only_html, every_field) = (dir.path().join("only-html"), dir.path().join("every-field"));
    let run = crate::support::build_site(&site, &only_html, crate::support::NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    crate::support::copy_tree(&built_in, &site.join("themes/default/templates"));
    let run = crate::support::build_site(&site, &every_field, crate::support::NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = files_under(&only_html);
    assert!(
        files.iter().any(|f| f.starts_with("actions/")) && files.iter().any(|f| f.starts_with("services/"))
    );
    assert_eq!(files, files_under(&every_field));
    for file in &files {
        assert!(
            std::fs::read(only_html.join(file)).ok() == std::fs::read(every_field.join(file)).ok(),
            "{file} differs"
        );
    }
}
