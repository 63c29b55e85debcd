//! Malformed and malicious input: the hostile library (`tests/fixtures/hostile/` plus the
//! generated files of [`library`]) builds, every good retro gets its page, every bad file is
//! named with what is wrong, nothing lands outside the output folder, and in a real browser
//! no script from the content runs.

mod library;

use std::path::Path;

use crate::support::{NOW, build_site, files_under, read};
use library::hostile_library;

/// The retros that must be built, by id: valid files whatever their payloads, size or depth.
const BUILT: [&str; 20] = [
    "BIG-BODY",
    "BIG-FRONT-MATTER",
    "DEEP-HTML",
    "DEEP-INDENTED",
    "DEEP-INLINE",
    "DEEP-LISTS",
    "DEEP-QUOTES",
    "DEEP-YAML",
    "DUP-1",
    "GOOD-1",
    "GOOD-2",
    "GOOD-BOM-CRLF",
    "GOOD-UNICODE",
    "NUL-BODY",
    "PATHS-IN-TAGS",
    "XSS-BREAKOUT",
    "XSS-FIELDS",
    "XSS-MARKDOWN",
    "XSS-RAW-HTML",
    "YAML-ALIAS-BOMB",
];

/// Every bad file, the rule it breaks, and words its message must hold (after the file's
/// position, which the rule's own tests pin down).
const REFUSED: &[(&str, &str, &str)] = &[
    ("broken/empty.md", "H012 empty-file", "the file is empty"),
    ("broken/only-dashes.md", "H013 no-front-matter", "the front matter opened here is never closed"),
    ("broken/two-dashes.md", "H002 missing-field", "missing required field `title`"),
    ("broken/no-front-matter.md", "H013 no-front-matter", "the first line must be `---`"),
    ("broken/unclosed.md", "H013 no-front-matter", "never closed"),
    (
        "broken/invalid-values.md",
        "H014 invalid-value",
        "invalid status \"<script>window.__pwned='status'</script>\"",
    ),
    (
        "broken/unknown-taxonomy.md",
        "H001 unknown-taxonomy-value",
        "unknown service \"<script>alert('unknown-service')</script>\"",
    ),
    ("broken/invalid-dates.md", "H005 invalid-date", "\"<script>window.__pwned='date'</script>\""),
    ("broken/terminal-escapes.md", "H001 unknown-taxonomy-value", "unknown severity \"SEV1␛]0;pwned␇␛[2J\""),
    ("yaml/syntax.md", "H004 yaml-syntax", "while scanning a quoted scalar"),
    ("yaml/python-tag.md", "H003 wrong-type", "title: invalid type"),
    ("yaml/alias-bomb-in-field.md", "H003 wrong-type", "tags[0]: invalid type: sequence, expected a string"),
    ("deep/yaml-in-field.md", "H003 wrong-type", "tags"),
    ("ids/dotdot-id.md", "H010 unsafe-id", "unsafe id \"../../../escaped-id\""),
    ("ids/absolute-id.md", "H010 unsafe-id", "unsafe id \"/tmp/escaped-absolute-id\""),
    ("ids/nested-id.md", "H010 unsafe-id", "unsafe id \"retros/../../escaped-nested-id\""),
    ("ids/backslash-id.md", "H010 unsafe-id", "unsafe id \"..\\\\..\\\\escaped-backslash-id\""),
    ("ids/nul-id.md", "H010 unsafe-id", "unsafe id \"nul\\0id\""),
    ("ids/unicode-id.md", "H010 unsafe-id", "unsafe id \"ïnc-ünïcode\""),
    ("ids/dot-id.md", "H010 unsafe-id", "unsafe id \"..\""),
    ("ids/script-id.md", "H010 unsafe-id", "unsafe id \"<script>window.__pwned='id'</script>\""),
    ("ids/ünïcode file name.md", "H010 unsafe-id", "the id comes from the file name"),
    ("ids/index.md", "H010 unsafe-id", "\"index\" is reserved"),
    ("ids/dup-b.md", "H008 duplicate-id", "duplicate id \"dup-1\": content/ids/dup-a.md uses it too"),
    (
        "ids/related-escape.md",
        "H009 unknown-related",
        "related retro \"../../../escaped-related\" does not exist",
    ),
    ("bytes/not-utf8.md", "H011 not-utf8", "the file is not valid UTF-8"),
    ("bytes/not-utf8-body.md", "H011 not-utf8", "the file is not valid UTF-8"),
    ("bytes/binary.md", "H011 not-utf8", "the file is not valid UTF-8"),
    ("bytes/nul-front-matter.md", "H004 yaml-syntax", "remove the invisible control character"),
    ("bytes/esc-␛[31m.md", "H010 unsafe-id", "unsafe id \"esc-\\u{1b}[31m\""),
    ("links/loop-a.md", "H016 unreadable-file", "cannot follow the symbolic link to loop-b.md"),
    ("links/loop-b.md", "H016 unreadable-file", "cannot follow the symbolic link to loop-a.md"),
    ("links/dangling.md", "H016 unreadable-file", "cannot follow the symbolic link to missing.md"),
];

/// Where the fault of some bad files is: the character at fault, not the file's start.
const POSITIONS: &[&str] = &[
    "content/bytes/not-utf8.md:2:11",
    "content/bytes/not-utf8-body.md:14:6",
    "content/bytes/binary.md:1:1",
    "content/bytes/nul-front-matter.md:3:10",
    "content/ids/dotdot-id.md:2:5",
    "content/yaml/syntax.md:2:8",
];

/// The diagnostics (blank-line-separated blocks of the human output) about `file`.
fn blocks_about<'a>(stderr: &'a str, file: &str) -> Vec<&'a str> {
    let located = format!("─ {file}:");
    let whole = format!("= in {file}");
    stderr
        .split("\n\n")
        .filter(|block| block.contains(&located) || block.lines().any(|line| line.trim() == whole))
        .collect()
}

#[test]
fn a_hostile_library_builds_every_good_retro_and_names_every_bad_file() {
    let (dir, site) = hostile_library();
    let out = dir.path().join("out");
    // --verbose: every bad file must be named, past the 20 a build shows of each rule.
    let run = build_site(&site, &out, NOW, &["--verbose"]);
    assert_eq!(run.code, 0, "without --strict, bad retros are reported and skipped:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Control characters from file names, values and binary files are shown as symbols, never
    // sent to the terminal (line breaks aside).
    let raw = run.stderr.replace("\r\n", "\n");
    assert!(!raw.chars().any(|c| c.is_control() && c != '\n'), "a control character in:\n{:?}", run.stderr);

    let pages: Vec<String> = files_under(&out.join("retros"));
    let mut expected: Vec<String> = BUILT.iter().map(|id| format!("{id}.html")).collect();
    expected.push("index.html".to_owned());
    expected.sort();
    assert_eq!(pages, expected, "exactly the good retros have pages");

    let mut refused: Vec<String> = REFUSED.iter().map(|(file, ..)| format!("content/{file}")).collect();
    for (file, rule, words) in REFUSED {
        let file = format!("content/{file}");
        let blocks = blocks_about(&run.stderr, &file);
        assert!(
            blocks.iter().any(|b| b.starts_with(&format!("error[{rule}]")) && b.contains(words)),
            "no {rule} error with {words:?} about {file}; about it:\n{}\n\nall:\n{}",
            blocks.join("\n\n"),
            run.stderr
        );
    }
    for position in POSITIONS {
        assert!(
            run.stderr.contains(&format!("─ {position}\n")),
            "no diagnostic at {position}:\n{}",
            run.stderr
        );
    }
    // A field of the wrong type, for every field: `links.0.title.md` has a map as `links[0].title`.
    for file in files_under(&site.join("content/wrong-type")) {
        let field = file.trim_end_matches(".md").replace(".0", "[0]");
        let file = format!("content/wrong-type/{file}");
        let blocks = blocks_about(&run.stderr, &file);
        let wanted = format!("error[H003 wrong-type]: {field}: invalid type");
        assert!(blocks.iter().any(|b| b.starts_with(&wanted)), "no {wanted:?} about {file}:\n{}", run.stderr);
        refused.push(file);
    }
    // Every retro file that is not built is named by an error: nothing is dropped in silence.
    for file in markdown_files(&site.join("content")) {
        let built = BUILT.iter().any(|id| read_id(&site, &file).as_deref() == Some(*id));
        let named =
            blocks_about(&run.stderr, &file.replace('\u{1b}', "␛")).iter().any(|b| b.starts_with("error["));
        assert!(built || named, "{file} is neither built nor named in an error:\n{}", run.stderr);
    }
    // The three broken links are found by the walk but never read, so they count as no retro.
    let skipped = refused.len() - 3;
    assert!(
        run.stderr.contains(&format!("Built {} retros ({skipped} skipped", BUILT.len())),
        "{}",
        run.stderr
    );
}

/// The `.md` paths under `content`, relative to the site root, symbolic links included and the
/// FIFO (not a file, so never read) left out.
fn markdown_files(content: &Path) -> Vec<String> {
    let site = content.parent().expect("site");
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".md"))
        .filter(|e| e.file_type().is_file() || e.path_is_symlink())
        .map(|e| e.path().strip_prefix(site).expect("inside").to_string_lossy().into_owned())
        .collect()
}

/// The `id:` a retro file declares, if it can be read at all.
fn read_id(site: &Path, file: &str) -> Option<String> {
    let text = std::fs::read_to_string(site.join(file)).ok()?;
    let line = text.lines().find(|l| l.starts_with("id: "))?;
    Some(line["id: ".len()..].trim().to_owned())
}

#[test]
fn a_hostile_library_writes_nothing_outside_the_output_folder() {
    let (dir, site) = hostile_library();
    let before = entries_under(dir.path());
    let out = dir.path().join("out");
    let run = build_site(&site, &out, NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Besides the output, a build writes only the search index cache the format puts there.
    let written: Vec<String> = entries_under(dir.path())
        .into_iter()
        .filter(|e| !e.starts_with("out") && !e.starts_with("site/.hindsight"))
        .filter(|e| !before.contains(e))
        .collect();
    assert!(written.is_empty(), "written outside the output: {written:?}");
    for absolute in [
        "/tmp/escaped-absolute-id.html",
        "/etc/escaped-absolute-tag.html",
        "/etc/escaped-absolute-owner.html",
    ] {
        assert!(!Path::new(absolute).exists(), "{absolute} was written");
    }

    // Names that tried to leave their folder are plain slugs inside it.
    let escaped: Vec<String> = files_under(&out).into_iter().filter(|f| f.contains("escaped")).collect();
    assert_eq!(
        escaped,
        [
            "actions/owners/escaped-owner.html",
            "actions/owners/etc-escaped-absolute-owner.html",
            "insights/cells/escaped-service/retry-storm.html",
            "insights/cells/escaped-service/script-window-pwned-failure-mode-alert-failure-mode-script.html",
            "services/escaped-service.html",
            "tags/2e-2e-2fescaped.html",
            "tags/escaped-tag.html",
            "tags/etc-escaped-absolute-tag.html",
        ]
    );
    // A tag, a service or a retro called "index" cannot replace a folder's index page.
    assert!(read(&out, "tags/index.html").contains("<h1>Tags</h1>"), "the tag overview");
    assert!(read(&out, "tags/index-2.html").contains("Tag: index"), "the tag \"index\"");
    assert!(read(&out, "services/index.html").contains("<h1>Services</h1>"), "the service overview");
    assert!(read(&out, "services/index-2.html").contains("Service: index"), "the service \"index\"");
    assert!(read(&out, "retros/index.html").contains("<h1>All retros</h1>"));
}

/// Every entry under `dir` (files, folders, links and the FIFO), relative, sorted; links are
/// listed, not followed.
fn entries_under(dir: &Path) -> Vec<String> {
    let mut entries: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).expect("inside").to_string_lossy().into_owned())
        .collect();
    entries.sort();
    entries
}

#[test]
fn no_script_from_hostile_content_runs_in_a_browser() {
    let tools = crate::browser::browser_tools();
    let (dir, site) = hostile_library();
    let out = dir.path().join("out");
    let run = build_site(&site, &out, NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The pages, and the Atom feed, which a browser opens as XML.
    let pages: Vec<String> =
        files_under(&out).into_iter().filter(|f| f.ends_with(".html") || f.ends_with(".xml")).collect();
    assert!(pages.len() > 90, "{pages:?}");
    let list = dir.path().join("pages.txt");
    std::fs::write(&list, pages.join("\n")).expect("write the page list");
    let (_server, port) = crate::browser::serve(&out);
    let base = format!("http://127.0.0.1:{port}/");
    crate::browser::run_browser_script(tools, "hostile.mjs", &[&base, list.to_str().expect("utf-8")]);
}
