//! `hindsight search`: ranking, syntax, filters, identifiers, spelling fallback, restricted
//! retros, the JSON shape and the stale-index rebuild; the static bundle's records; similar
//! incidents.

use std::io::Read;

use crate::support::{
    Run, build_fixture, copy_fixture, files_under, hindsight, linked_retros, read, shared_build,
};

/// Runs `hindsight search` on a fresh copy of the library fixture.
fn search(args: &[&str]) -> Run {
    let (_dir, site) = copy_fixture("library");
    let mut all = vec!["--root", site.to_str().expect("utf-8"), "search"];
    all.extend_from_slice(args);
    hindsight(&all)
}

/// The ids of the results that match every word, in rank order.
fn full_ids(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("--json");
    let run = search(&all);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let results = json["results"].as_array().expect("results").iter();
    results
        .filter(|r| r["partial"] == false)
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The ids of the results of a `--json` search, in rank order.
fn ids(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("--json");
    let run = search(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn ranks_the_best_match_first() {
    assert_eq!(full_ids(&["connection pool exhausted"]), ["ALPHA-1"], "only ALPHA-1 has every word");
    assert_eq!(ids(&["pool"]), ["ALPHA-1", "GAMMA-1"]);
    assert_eq!(ids(&["retry storm"])[0], "ALPHA-1", "the title outweighs the body");
    assert_eq!(ids(&["dns"]), ["BETA-1"]);
}

#[test]
fn identifiers_are_found_whole_and_in_parts() {
    for query in ["ECONNRESET", "econnreset", "5xx", "p99", "payments-api", "payments"] {
        assert_eq!(ids(&[query]), ["ALPHA-1"], "{query}");
    }
    // The exact identifier ranks above the same words in running text.
    assert_eq!(ids(&["connection-pool"]), ["GAMMA-1", "ALPHA-1"]);
}

#[test]
fn phrases_exclusion_or_and_fields_work() {
    assert_eq!(ids(&["\"stale answers\""]), ["BETA-1"]);
    assert_eq!(ids(&["\"answers stale\""]), Vec::<String>::new());
    assert_eq!(ids(&["pool -ECONNRESET"]), ["GAMMA-1"]);
    assert_eq!(ids(&["NXDOMAIN OR ECONNRESET"]), ["BETA-1", "ALPHA-1"]);
    assert_eq!(ids(&["service:web"]), ["BETA-1"]);
    assert_eq!(ids(&["failure_mode:retry-storm"]), ["ALPHA-1", "GAMMA-1"]);
}

#[test]
fn filters_narrow_the_results() {
    assert_eq!(ids(&["pool", "--service", "db"]), ["ALPHA-1"]);
    assert_eq!(ids(&["pool", "--severity", "SEV3"]), ["GAMMA-1"]);
    assert_eq!(ids(&["pool", "--since", "2024-01-01"]), ["ALPHA-1"]);
    assert_eq!(ids(&["pool", "--until", "2023-12-31"]), ["GAMMA-1"]);
    assert_eq!(
        ids(&["", "--failure-mode", "memory-leak"]),
        ["GAMMA-1", "XSS-1", "CRLF-1"],
        "newest first without a query"
    );
    assert_eq!(ids(&["", "--factor", "no-canary", "--factor", "missing-timeout"]), ["BETA-1", "ALPHA-1"]);
    assert_eq!(ids(&["", "--limit", "2"]).len(), 2);
}

#[test]
fn misspellings_fall_back_to_the_closest_words_and_say_so() {
    let run = search(&["resolvr cahce"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("no exact match; showing results for \"resolver cache\"\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("BETA-1"));
    assert_eq!(ids(&["resolvr"]), ["BETA-1"]);
    let nothing = search(&["zzzzqqqq"]);
    assert_eq!(nothing.stdout, "no retro matches \"zzzzqqqq\"\n");
}

#[test]
fn restricted_and_draft_retros_are_found_only_when_asked_for() {
    assert!(ids(&["\"restricted body\""]).is_empty());
    assert_eq!(ids(&["\"restricted body\"", "--include-restricted"]), ["SECRET-1"]);
    assert!(ids(&["\"draft body\""]).is_empty());
    assert_eq!(ids(&["\"draft body\"", "--drafts"]), ["DRAFT-1"]);
}

#[test]
fn malformed_queries_get_a_clear_error() {
    for query in ["title:(", "\"unclosed", "nosuchfield:x"] {
        let run = search(&[query]);
        assert_eq!(run.code, 2, "{query}: {}", run.stderr);
        assert!(run.stderr.contains("cannot parse the query"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn json_has_the_documented_shape() {
    let run = search(&["ECONNRESET", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["schema"], 1);
    assert_eq!(json["query"], "ECONNRESET");
    assert_eq!(json["corrected_query"], serde_json::Value::Null);
    assert_eq!(json["total"], 1);
    let hit = &json["results"][0];
    for key in [
        "id",
        "title",
        "date",
        "severity",
        "services",
        "failure_modes",
        "score",
        "snippet",
        "highlights",
        "path",
    ] {
        assert!(!hit[key].is_null(), "missing {key}: {hit}");
    }
    assert_eq!(hit["path"], "retros/ALPHA-1.html");
    assert_eq!(hit["date"], "2024-01-10");
    let snippet = hit["snippet"].as_str().expect("snippet");
    let [start, end] = [
        hit["highlights"][0][0].as_u64().expect("start") as usize,
        hit["highlights"][0][1].as_u64().expect("end") as usize,
    ];
    assert_eq!(&snippet[start..end], "ECONNRESET");
}

#[test]
fn a_missing_or_stale_index_is_rebuilt_first() {
    let (_dir, site) = copy_fixture("library");
    let root = site.to_str().expect("utf-8");
    let first = hindsight(&["--root", root, "search", "NXDOMAIN"]);
    assert!(first.stderr.contains("does not exist yet; building it"), "{}", first.stderr);
    let again = hindsight(&["--root", root, "search", "NXDOMAIN"]);
    assert_eq!(again.stderr, "", "a fresh index is used as is");
    std::fs::write(site.join("content/2024/delta.md"), "---\nid: DELTA-1\ntitle: Delta NXDOMAIN again\ndate: 2024-06-01\nseverity: SEV3\nsummary: s\nservices: [web]\nfailure_modes: [dns-failure]\naction_items: [{title: x}]\n---\n").expect("write");
    let stale = hindsight(&["--root", root, "search", "NXDOMAIN"]);
    assert!(stale.stderr.contains("is out of date; building it"), "{}", stale.stderr);
    assert!(stale.stdout.contains("DELTA-1") && stale.stdout.contains("BETA-1"), "{}", stale.stdout);
}

/// The records in the static bundle: every fragment's URL (fragments are gzipped JSON).
fn bundle_urls(out: &std::path::Path) -> Vec<String> {
    let mut urls: Vec<String> = files_under(out)
        .into_iter()
        .filter(|f| f.starts_with("pagefind/fragment/"))
        .map(|f| {
            let mut json = String::new();
            let bytes = std::fs::read(out.join(&f)).expect("fragment");
            flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut json).expect("gzip");
            // pagefind prefixes the JSON with a signature of its own.
            let start = json.find('{').expect("JSON object");
            let value: serde_json::Value = serde_json::from_str(&json[start..]).expect("fragment JSON");
            value["url"].as_str().expect("url").to_owned()
        })
        .collect();
    urls.sort();
    urls
}

#[test]
fn the_static_bundle_holds_one_record_per_published_retro() {
    let (out, run) = shared_build("library");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("pagefind/pagefind.js").is_file() && out.join("pagefind/pagefind-entry.json").is_file());
    let expected: Vec<String> = ["ALPHA-1", "BETA-1", "CRLF-1", "GAMMA-1", "XSS-1"]
        .iter()
        .map(|id| format!("retros/{id}.html"))
        .collect();
    assert_eq!(bundle_urls(&out), expected, "no draft, no restricted retro");
    assert!(!out.join("pagefind/pagefind-ui.js").exists(), "pagefind's own UI is not shipped");
    let page = read(&out, "search/index.html");
    assert!(page.contains("<script type=\"module\" src=\"../assets/search.js\"></script>"));
    assert!(read(&out, "index.html").contains("<form class=\"site-search\" action=\"search/index.html\""));
}

#[test]
fn similar_incidents_say_why_and_skip_restricted_retros() {
    let (out, _run) = shared_build("library");
    let alpha = read(&out, "retros/ALPHA-1.html");
    let section = &alpha[alpha.find("id=\"similar\"").expect("similar section")..];
    let section = &section[..section.find("</section>").expect("end")];
    assert_eq!(linked_retros(section)[0], "GAMMA-1");
    assert!(section.contains("same failure mode: retry-storm · same service: api"), "{section}");
    assert!(section.contains("shared phrases: &quot;connection pool&quot;</p>"), "{section}");
    assert!(!section.contains("shared words: retries"), "the failure mode already names it: {section}");
    assert!(!section.contains("SECRET-1"));
    let (_dir, out, _run) = build_fixture("library", &["--include-restricted"]);
    let alpha = read(&out, "retros/ALPHA-1.html");
    let section = &alpha[alpha.find("id=\"similar\"").expect("similar section")..];
    assert!(
        linked_retros(&section[..section.find("</section>").expect("end")]).contains(&"SECRET-1".to_owned())
    );
}

#[test]
fn builds_are_deterministic() {
    let (_a, first, _) = build_fixture("library", &[]);
    let (_b, second, _) = build_fixture("library", &[]);
    let html = |out: &std::path::Path| {
        files_under(out)
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .map(|f| (read(out, &f), f))
            .collect::<Vec<_>>()
    };
    assert!(html(&first) == html(&second), "two builds of the same files differ");
}

#[test]
fn a_failure_modes_name_finds_every_published_retro_that_carries_it_first() {
    for query in ["retry storm", "retry-storm"] {
        let found = ids(&[query]);
        assert_eq!(
            found[..2].iter().collect::<std::collections::BTreeSet<_>>().len(),
            2,
            "{query}: {found:?}"
        );
        let mut first_two = found[..2].to_vec();
        first_two.sort();
        assert_eq!(first_two, ["ALPHA-1", "GAMMA-1"], "{query}: {found:?}");
    }
    // Words of a label's taxonomy description find it too.
    assert_eq!(ids(&["lockstep"])[..2].len(), 2);
}

#[test]
fn several_words_list_full_matches_then_partial_ones_marked() {
    let run = search(&["NXDOMAIN zzzunmatched", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["total"], 0, "no retro has both words");
    assert_eq!(json["partial_total"], 1);
    assert_eq!(json["results"][0]["id"], "BETA-1");
    assert_eq!(json["results"][0]["partial"], true);
    let human = search(&["NXDOMAIN zzzunmatched"]);
    assert!(
        human.stdout.starts_with("partial matches, with some of the words:\n 1. BETA-1"),
        "{}",
        human.stdout
    );
    let full = search(&["--json", "NXDOMAIN"]);
    assert!(full.stdout.contains("\"partial\": false"), "{}", full.stdout);
}

#[test]
fn an_alias_finds_the_retros_of_its_entry_and_is_refused_in_front_matter() {
    let (_dir, site) = copy_fixture("library");
    let taxonomy = std::fs::read_to_string(site.join("taxonomy.yaml")).expect("read");
    let taxonomy = taxonomy.replace(
        "  - name: dns-failure\n",
        "  - name: dns-failure\n    aliases: [nxdomain storm, resolver outage]\n",
    );
    std::fs::write(site.join("taxonomy.yaml"), taxonomy).expect("write");
    let root = site.to_str().expect("utf-8");
    let found = hindsight(&["--root", root, "search", "resolver outage", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&found.stdout).expect("valid JSON");
    assert_eq!(json["results"][0]["id"], "BETA-1", "{}", found.stdout);
    assert_eq!(json["results"][0]["partial"], false);
    let beta = site.join("content/2024/beta.md");
    let text = std::fs::read_to_string(&beta).expect("read").replace("[dns-failure]", "[resolver outage]");
    std::fs::write(&beta, text).expect("write");
    let check = hindsight(&["--root", root, "check", "--now", crate::support::NOW]);
    assert!(check.stderr.contains("unknown failure mode \"resolver outage\""), "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "help: \"resolver outage\" is an alias of failure mode \"dns-failure\": write \"dns-failure\""
        ),
        "{}",
        check.stderr
    );
}

/// Runs `hindsight similar` on a fresh copy of the library fixture, with `input` on stdin.
fn similar(args: &[&str], input: &[u8]) -> Run {
    use std::io::Write as _;
    let (_dir, site) = copy_fixture("library");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["--root", site.to_str().expect("utf-8"), "similar"])
        .args(args)
        .current_dir(&site)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    let output = child.wait_with_output().expect("waits");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn similar_names_the_retros_like_a_retro_a_file_or_pasted_text_with_reasons() {
    let by_id = similar(&["ALPHA-1", "--json"], b"");
    assert_eq!(by_id.code, 0, "{}", by_id.stderr);
    let json: serde_json::Value = serde_json::from_str(&by_id.stdout).expect("valid JSON");
    assert_eq!(json["schema"], 1);
    let first = &json["results"][0];
    assert_eq!(first["id"], "GAMMA-1");
    for key in ["title", "date", "severity", "services", "failure_modes", "score", "reasons", "path"] {
        assert!(!first[key].is_null(), "missing {key}: {first}");
    }
    assert_eq!(first["reasons"][0], "same failure mode: retry-storm");
    assert_eq!(first["path"], "retros/GAMMA-1.html");
    let by_file = similar(&["content/2024/alpha.md", "--json"], b"");
    assert_eq!(
        by_file.stdout,
        by_id.stdout.replace("\"query\": \"ALPHA-1\"", "\"query\": \"content/2024/alpha.md\"")
    );
    let pasted = similar(&["-"], b"ALERT: resolvers answer NXDOMAIN for api hosts after a DNS zone push\n");
    assert_eq!(pasted.code, 0, "{}", pasted.stderr);
    assert!(
        pasted.stdout.starts_with(" 1. BETA-1  2024-03-05  SEV2  Beta: DNS records vanished\n"),
        "{}",
        pasted.stdout
    );
    assert!(pasted.stdout.contains("    shared words: dns, answers, push\n"), "{}", pasted.stdout);
}

#[test]
fn similar_refuses_empty_binary_and_unknown_input_clearly() {
    let empty = similar(&["-"], b" \n");
    assert_eq!(empty.code, 2);
    assert!(empty.stderr.contains("standard input is empty"), "{}", empty.stderr);
    let binary = similar(&["-"], b"\x7fELF\x00\x01");
    assert_eq!(binary.code, 2);
    assert!(binary.stderr.contains("standard input is not text"), "{}", binary.stderr);
    let unknown = similar(&["ALPHA-2"], b"");
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean ALPHA-1?"), "{}", unknown.stderr);
    let big = "connection pool exhausted under load ".repeat(300_000);
    let pasted = similar(&["-", "--json"], big.as_bytes());
    assert_eq!(pasted.code, 0, "a 10 MB paste is read: {}", pasted.stderr);
}

#[test]
fn a_pasted_draft_is_compared_by_its_labels_and_its_front_matter_is_no_words() {
    let draft =
        b"---\nid: DRAFT-9\ntitle: Payments worker retried until the queue backed up\ndate: 2024-06-01\n\
severity: SEV2\nservices: [api]\nfailure_modes: [retry-storm]\nstatus: draft\n---\n\
Workers retried every failed call at once.\n";
    let run = similar(&["-", "--json"], draft);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let results = json["results"].as_array().expect("results");
    let ids: Vec<&str> = results.iter().map(|hit| hit["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["GAMMA-1", "ALPHA-1"], "the two retry storms of the api: {}", run.stdout);
    for hit in results {
        assert_eq!(hit["reasons"][0], "same failure mode: retry-storm", "{}", run.stdout);
    }
    // A rough draft whose front matter does not validate: its keys are no words of the incident.
    let rough = similar(
        &["-"],
        b"---\nseverity: SEV2\nservices: [api]\n---\nThe DNS zone push emptied the records.\n",
    );
    assert_eq!(rough.code, 0, "{}", rough.stderr);
    assert!(rough.stdout.starts_with(" 1. BETA-1 "), "{}", rough.stdout);
    assert!(!rough.stdout.contains("severity") && !rough.stdout.contains("services"), "{}", rough.stdout);
}
