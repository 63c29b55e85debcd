//! Feeds and exports (`feed.xml`, `retros.json`), "On this day" on the home page, the "as of"
//! date on every page, and reproducible output for a pinned date.

use std::process::Command;

use crate::support::{
    NOW, build_fixture, build_site, copy_fixture, files_under, linked_retros, read, shared_build,
};

#[test]
fn retros_json_has_front_matter_durations_and_similar_incidents() {
    let (out, run) = shared_build("insights");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&read(&out, "retros.json")).expect("valid JSON");
    assert_eq!(json["schema"], 1);
    assert_eq!(json["as_of"], NOW);
    let retros = json["retros"].as_array().expect("retros");
    let ids: Vec<&str> = retros.iter().map(|r| r["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), 15, "every published retro, R01 (restricted) left out: {ids:?}");
    assert_eq!(ids[..3], ["G01", "N01", "A03"], "newest first");
    let a01 = retros.iter().find(|r| r["id"] == "A01").expect("A01");
    assert_eq!(a01["url"], "retros/A01.html");
    assert_eq!(a01["severity"], "SEV1");
    assert_eq!(a01["kind"], "incident");
    assert_eq!(a01["services"], serde_json::json!(["api"]));
    assert_eq!(
        a01["contributing_factors"],
        serde_json::json!(["missing-circuit-breaker", "missing-timeout"])
    );
    assert_eq!(a01["timeline"]["detected"], "2026-01-05T10:01:00+00:00");
    assert_eq!(
        a01["durations"],
        serde_json::json!({"detect_minutes": 1, "acknowledge_minutes": null, "mitigate_minutes": null, "resolve_minutes": 10})
    );
    assert_eq!(a01["action_items"][1]["status"], "open");
    assert_eq!(a01["action_items"][0]["type"], "prevent");
    let similar = a01["similar"].as_array().expect("similar ids");
    assert!(!similar.is_empty() && similar.len() <= 5, "{similar:?}");
    assert!(similar.iter().all(|id| ids.contains(&id.as_str().expect("an id"))), "only published ids");
    let page = read(&out, "retros/A01.html");
    let on_page = linked_retros(&page[page.find("id=\"similar\"").expect("similar section")..]);
    let in_json: Vec<String> = similar.iter().map(|id| id.as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(on_page[..in_json.len()], in_json[..], "the same suggestions as the retro page");
}

#[test]
fn the_atom_feed_carries_the_newest_fifty_retros() {
    let (dir, site) = copy_fixture("insights");
    // 45 more retros on top of the fixture's 15 published ones: the feed keeps 50.
    for n in 1..=45 {
        let text = format!(
            "---\nid: X{n:02}\ntitle: \"Extra & <{n}>\"\ndate: 2022-01-{:02}\nseverity: SEV3\nservices: [api]\nfailure_modes: [disk-full]\n---\n",
            (n % 28) + 1
        );
        std::fs::write(site.join(format!("content/X{n:02}.md")), text).expect("write");
    }
    let out = dir.path().join("out");
    assert_eq!(build_site(&site, &out, NOW, &[]).code, 0);
    let feed = read(&out, "feed.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert_eq!(feed.matches("<entry>").count(), 50);
    assert!(feed.contains("<id>urn:hindsight:retro:G01</id>"), "the newest is in");
    assert!(!feed.contains("urn:hindsight:retro:R01"), "restricted retros are not");
    assert!(
        feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"retros/A01.html\"/>"),
        "relative links"
    );
    assert!(feed.contains("<updated>2026-05-01T00:00:00Z</updated>"), "A03's review is the newest change");
    assert!(feed.contains("<title>Extra &amp; &lt;27&gt;</title>"), "titles are escaped");
    assert!(feed.contains("<category term=\"retry-storm\" label=\"failure mode: retry-storm\"/>"));
    let home = read(&out, "index.html");
    assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""), "feed autodiscovery");
}

#[test]
fn the_home_page_shows_on_this_day_and_links_the_dashboards() {
    let (out, _run) = shared_build("insights");
    let home = read(&out, "index.html");
    let on_this_day = &home[home.find("id=\"on-this-day\"").expect("on this day")..];
    assert!(on_this_day.starts_with("id=\"on-this-day\">On this day, 24 November</h2>"));
    let section = &on_this_day[..on_this_day.find("</section>").expect("end")];
    assert_eq!(linked_retros(section), ["A07", "W01"], "24 November 2024 and 2023");
    assert!(home.contains("<a href=\"actions/index.html\">Follow-through on action items →</a>"));
    assert!(home.contains("<a href=\"insights/index.html\">Insights: patterns, durations, repeats →</a>"));
    assert!(home.contains("<dt>Past SLA</dt><dd class=\"warn\">3</dd>"));
    let (dir, site) = copy_fixture("insights");
    let out = dir.path().join("out");
    assert_eq!(build_site(&site, &out, "2026-11-25", &[]).code, 0);
    assert!(!read(&out, "index.html").contains("On this day"), "nothing happened on 25 November");
}

#[test]
fn every_page_states_the_build_date() {
    let (out, _run) = shared_build("insights");
    for file in files_under(&out).into_iter().filter(|f| f.ends_with(".html")) {
        assert!(read(&out, &file).contains("As of 2026-11-24"), "{file}");
    }
}

#[test]
fn two_builds_with_the_same_pinned_date_are_byte_identical() {
    let (_dir, first, _run) = build_fixture("insights", &[]);
    let (_dir2, second, _run) = build_fixture("insights", &[]);
    let files = files_under(&first);
    assert_eq!(files, files_under(&second));
    for file in &files {
        let (a, b) =
            (std::fs::read(first.join(file)).expect("read"), std::fs::read(second.join(file)).expect("read"));
        assert!(a == b, "{file} differs between two builds");
    }
    // SOURCE_DATE_EPOCH pins the date as --now does: 2026-11-24T12:00:00Z.
    let (dir, site) = copy_fixture("insights");
    let third = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["--root", site.to_str().expect("utf-8"), "build", "--output", third.to_str().expect("utf-8")])
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .output()
        .expect("runs");
    assert!(status.status.success());
    for file in ["actions.csv", "insights/index.html", "actions/index.html", "retros.json", "feed.xml"] {
        assert!(read(&first, file) == read(&third, file), "{file} differs with SOURCE_DATE_EPOCH");
    }
}
