//! Analytics on the `insights` fixture: the heat map and its cells, factors and triggers with
//! co-occurrence, incidents per month, durations per service, repeat incidents, and the
//! summaries on service and failure-mode pages. Game day G01 and restricted R01 must not count.

use crate::support::{linked_retros, plain_text, read, section, shared_build};

#[test]
fn heat_map_cells_count_incidents_and_near_misses_per_pair() {
    let (out, run) = shared_build("insights");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&out, "insights/index.html");
    let svg = &html[html.find("<svg").expect("a chart")..html.find("</svg>").expect("its end")];
    // The numbers drawn in the cells, row by row (busiest failure mode and service first).
    let counts: Vec<&str> = svg
        .split("<text class=\"count")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split('<').next())
        .collect();
    assert_eq!(counts, ["7", "1", "2", "2", "2", "1"]);
    assert!(svg.contains(
        "<a href=\"../insights/cells/api/retry-storm.html\"><title>retry-storm on api: 7 retros (2 SEV1, 4 SEV2, 1 SEV3)</title>"
    ));
    assert!(svg.contains("fill-opacity=\"1\"/>"), "the busiest cell is fully shaded");
    let table = plain_text(&html[html.find("<table class=\"heat-table\">").expect("table")..]);
    assert!(
        table.contains(
            "Failure mode All services api db web retry-storm 7 7 1 0 disk-full 4 2 2 0 dns-failure 3 2 0 1"
        ),
        "{table}"
    );
    // Each cell's page lists exactly its retros: the near miss in, the game day and the
    // restricted retro out.
    let cell = read(&out, "insights/cells/api/retry-storm.html");
    let main = &cell[cell.find("<main").expect("main")..];
    assert_eq!(linked_retros(main), ["N01", "A03", "A02", "A01", "A06", "A09", "A10"]);
    assert!(plain_text(main).contains("7 incidents or near misses (2 SEV1, 4 SEV2, 1 SEV3)"));
    assert!(!out.join("insights/cells/web/retry-storm.html").exists(), "no page for an empty cell");
}

#[test]
fn factors_and_triggers_are_ranked_with_the_failure_modes_they_come_with() {
    let (out, _run) = shared_build("insights");
    let html = read(&out, "insights/index.html");
    let factors = plain_text(section(&html, "factors"));
    for row in [
        "missing-circuit-breaker 6 43% of 14 in 6 of the 7 retry-storm retros",
        "no-canary 4 29% of 14 in 3 of the 3 dns-failure retros in 1 of the 7 retry-storm retros",
        "missing-timeout 3 21% of 14 in 2 of the 7 retry-storm retros in 1 of the 4 disk-full retros",
    ] {
        assert!(factors.contains(row), "{row} in {factors}");
    }
    let triggers = plain_text(section(&html, "triggers"));
    assert!(
        triggers
            .contains("deploy 3 21% of 14 in 2 of the 7 retry-storm retros in 1 of the 3 dns-failure retros"),
        "{triggers}"
    );
    assert!(triggers.contains("traffic-spike 2 14% of 14 in 2 of the 7 retry-storm retros"), "{triggers}");
}

#[test]
fn incidents_per_month_stack_severities_and_show_near_misses_and_game_days_apart() {
    let (out, _run) = shared_build("insights");
    let html = read(&out, "insights/index.html");
    let months = section(&html, "per-month");
    assert!(
        months.contains("<title id=\"incidents-per-month-title\">Incidents per month, by severity</title>")
    );
    assert!(months.contains("<title>2025-06: 2 incidents (2 SEV3)</title>"));
    assert!(months.contains("<title>2026-03: 1 incident (1 SEV2)</title>"), "N01 is not an incident");
    assert!(months.contains("<title>2026-03: 1 retro (1 near miss)</title>"));
    assert!(months.contains("<title>2026-04: 1 retro (1 game day)</title>"));
    let table = plain_text(months);
    assert!(
        table.contains("Month SEV1 SEV2 SEV3 Incidents Near misses Game days 2023-08 1 0 0 1 0 0"),
        "{table}"
    );
    assert!(table.contains("2026-03 0 1 0 1 1 0 2026-04 0 0 0 0 0 1"));
    assert!(table.ends_with("2026-11 0 0 0 0 0 0"), "every month up to the build date: {table}");
}

#[test]
fn durations_show_every_incident_with_n_median_and_p90_and_no_mttr() {
    let (out, _run) = shared_build("insights");
    let html = read(&out, "insights/index.html");
    let durations = section(&html, "durations");
    // api: detect 1..9 and 60 minutes, resolve 10..100; db: A03, D01, D02. N01 and G01 are out.
    for stats in [
        "<text class=\"stats\" x=\"467.8\" y=\"47\">n 10 · median 5.5 min · p90 9 min</text>",
        "<text class=\"stats\" x=\"467.8\" y=\"73\">n 3 · median 15 min · p90 —</text>",
        "<text class=\"stats\" x=\"467.8\" y=\"47\">n 10 · median 55 min · p90 1 h 30 min</text>",
        "<text class=\"stats\" x=\"467.8\" y=\"73\">n 3 · median 2 h · p90 —</text>",
    ] {
        assert!(durations.contains(stats), "{stats}");
    }
    // One dot per incident: ten on api's time-to-detect strip.
    let detect = &durations[..durations.find("id=\"time-to-resolve\"").expect("second chart")];
    let first_strip = detect.split("<path class=\"dots\" d=\"").nth(2).expect("api's dots");
    assert_eq!(first_strip.split('"').next().expect("d").matches('M').count(), 10);
    let text = plain_text(durations);
    assert!(text.contains(
        "12 incidents have at least one of the two measures. Near misses and game days are left out (2 of them)"
    ));
    assert!(text.contains("Time to detect From started to detected"), "{text}");
    assert!(!html.to_lowercase().contains("mttr") && !html.contains("mean time"), "no lone MTTR headline");
    assert!(!text.contains("web"), "W01 has no timeline, so web has no strip");
}

#[test]
fn repeat_incidents_pair_each_retro_with_the_latest_before_it_within_90_days() {
    let (out, _run) = shared_build("insights");
    let html = read(&out, "insights/index.html");
    let repeats = section(&html, "repeats");
    assert!(
        plain_text(repeats)
            .contains("no more than 90 days before them, each paired with the latest such retro: 4 pairs.")
    );
    // (later, earlier) pairs, newest first; A06 and A01 are 107 days apart, D01 and D02 exactly 90.
    // A03, A02 and A01 come one after another, so N01 is paired with A03 only, and A03 with A02.
    let ids = linked_retros(repeats);
    let pairs: Vec<(&str, &str)> = ids.chunks(2).map(|p| (p[0].as_str(), p[1].as_str())).collect();
    assert_eq!(pairs, [("N01", "A03"), ("A03", "A02"), ("A02", "A01"), ("D02", "D01")]);
    assert!(plain_text(repeats).contains("90 days apart db · disk-full"));
    assert_eq!(linked_retros(&read(&out, "insights/repeats.html")).len(), 8, "every pair, both retros");
}

#[test]
fn service_and_failure_mode_pages_summarise_their_retros() {
    let (out, _run) = shared_build("insights");
    let api = plain_text(&read(&out, "services/api.html"));
    for part in [
        "Retros 10 incidents, 1 near miss, 1 game day, from 2023-08-08 to 2026-04-01",
        "By severity (incidents and near misses) SEV1 2 · SEV2 5 · SEV3 4",
        "Time to detect median 5.5 min (n = 10)",
        "Time to resolve median 55 min (n = 10)",
        "Most frequent contributing factors missing-circuit-breaker in 6 of 11 no-canary in 3 of 11 missing-timeout in 2 of 11",
    ] {
        assert!(api.contains(part), "{part} in {api}");
    }
    let disk = plain_text(&read(&out, "failure-modes/disk-full.html"));
    assert!(disk.contains("Time to resolve median 1 h 35 min (n = 4)"), "{disk}");
    let web = plain_text(&read(&out, "services/web.html"));
    assert!(web.contains("Time to detect no incident with both started and detected"), "{web}");
    assert!(
        !plain_text(&read(&out, "tags/index.html")).contains("By severity"),
        "only services and failure modes"
    );
}

#[test]
fn charts_are_titled_described_and_paired_with_tables() {
    let (out, _run) = shared_build("insights");
    let html = read(&out, "insights/index.html");
    let charts: Vec<&str> = html.split("<svg ").skip(1).collect();
    assert_eq!(charts.len(), 5, "heat map, two monthly charts, two strip plots");
    for chart in charts {
        let id = chart.split("id=\"").nth(1).and_then(|s| s.split('"').next()).expect("an id");
        // The heat map's cells are links, which an image would hide: it is a group.
        let role = if id == "heat-map" { "group" } else { "img" };
        assert!(chart.contains(&format!("role=\"{role}\" aria-labelledby=\"{id}-title {id}-desc\"")), "{id}");
        assert!(chart.contains(&format!("<desc id=\"{id}-desc\">")), "{id}");
        assert!(chart.contains("<text class=\"chart-title\""), "{id} shows its title");
    }
    assert_eq!(html.matches("<summary>The same numbers as a table</summary>").count(), 3);
}
