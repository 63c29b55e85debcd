//! The hostile library: `tests/fixtures/hostile/` copied into a temp folder, plus the files
//! that cannot be committed as they are (too big, not text, symbolic links, a FIFO), written
//! here at test time.

use std::path::{Path, PathBuf};

use crate::support::copy_fixture;

/// How deep the generated nesting goes: blockquotes, lists, HTML, emphasis, YAML.
const DEPTH: usize = 2_000;

/// A copy of the hostile fixture with the generated files added; returns the temp folder and
/// the site root (`<tmp>/site`).
pub fn hostile_library() -> (tempfile::TempDir, PathBuf) {
    let (dir, site) = copy_fixture("hostile");
    let content = site.join("content");
    write_big_files(&content.join("big"));
    write_deep_files(&content.join("deep"));
    write_bad_bytes(&content.join("bytes"));
    write_links(&content);
    (dir, site)
}

/// Valid front matter for a generated retro with `id`, and `extra` lines before `action_items`.
fn front_matter(id: &str, extra: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: \"{id}\"\ndate: 2024-07-01\nseverity: SEV3\nsummary: \"Generated.\"\n\
         services: [api]\nfailure_modes: [retry-storm]\n{extra}action_items:\n  - title: \"Fix it\"\n    status: open\n---\n"
    )
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// A 10 MB body and a 1 MB front matter, both otherwise valid.
fn write_big_files(dir: &Path) {
    // Long plain paragraphs: the size is the point, and few elements keep the browser test quick.
    let paragraph = format!("{}\n\n", "The pool was exhausted and the retries made it worse. ".repeat(18));
    let body = paragraph.repeat(10 * 1024 * 1024 / paragraph.len() + 1);
    write(&dir.join("ten-mb-body.md"), front_matter("BIG-BODY", "") + &body);
    // A megabyte of comment lines (which the YAML parser still scans), then a 200 KB value that
    // is shown on the retro's page.
    let mut extra: String =
        (0..24_000).map(|i| format!("# front matter line {i:06} of padding text\n")).collect();
    extra += &format!("impact:\n  description: \"{}\"\n", "long ".repeat(200 * 1024 / 5));
    assert!(extra.len() > 1024 * 1024);
    write(&dir.join("one-mb-front-matter.md"), front_matter("BIG-FRONT-MATTER", &extra) + "Body.\n");
}

/// Bodies and front matter nested [`DEPTH`] levels deep.
fn write_deep_files(dir: &Path) {
    let n = DEPTH;
    let bodies = [
        ("blockquotes", "DEEP-QUOTES", format!("{}deep\n", "> ".repeat(n))),
        ("lists", "DEEP-LISTS", format!("{}deep\n", "- ".repeat(n))),
        (
            "indented-lists",
            "DEEP-INDENTED",
            (0..n).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect(),
        ),
        (
            "html",
            "DEEP-HTML",
            format!("{}deep{}\n\n{}x\n", "<div>".repeat(n), "</div>".repeat(n), "<em>".repeat(n)),
        ),
        (
            "inline",
            "DEEP-INLINE",
            format!("{0}x{0}\n\n{1}x{2}\n", "*".repeat(n), "[".repeat(n), "](x)".repeat(n)),
        ),
    ];
    for (name, id, body) in bodies {
        write(&dir.join(format!("{name}.md")), front_matter(id, "") + &body);
    }
    // Deep YAML under a key the format does not know: a warning, and nothing recurses.
    let yaml = format!("nested: {}{}\n", "[".repeat(n), "]".repeat(n));
    write(&dir.join("yaml.md"), front_matter("DEEP-YAML", &yaml));
    // The same in a field that expects a list of strings: a type error.
    let in_field = format!("tags: {}{}\n", "[".repeat(n), "]".repeat(n));
    write(&dir.join("yaml-in-field.md"), front_matter("DEEP-YAML-FIELD", &in_field));
}

/// Invalid UTF-8, a binary file named `.md`, NUL bytes and a control character in a file name.
fn write_bad_bytes(dir: &Path) {
    write(&dir.join("not-utf8.md"), b"---\ntitle: caf\xe9\n---\n");
    write(
        &dir.join("not-utf8-body.md"),
        [front_matter("BAD-BODY", "").as_bytes(), b"\nbody \xff\xfe\n"].concat(),
    );
    // A PNG signature and pseudo-random bytes (a fixed linear congruential sequence).
    let mut state: u32 = 7;
    let noise = (0..4096).map(|_| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 16) as u8
    });
    write(&dir.join("binary.md"), b"\x89PNG\r\n\x1a\n".iter().copied().chain(noise).collect::<Vec<u8>>());
    let nul_in_title = front_matter("NUL-FRONT", "").replace("title: \"NUL-FRONT\"", "title: \"a\0b\"");
    write(&dir.join("nul-front-matter.md"), nul_in_title);
    // A file name that would colour the terminal red if printed as it is.
    write(&dir.join("esc-\u{1b}[31m.md"), front_matter("ESC-NAME", "").replace("id: ESC-NAME\n", ""));
    let nul_body = "\nA NUL \0 byte, and one in a tag: <scr\0ipt>window.__pwned='nul'</scr\0ipt>\n";
    write(&dir.join("nul-body.md"), front_matter("NUL-BODY", "") + nul_body);
}

/// A symbolic-link loop between two files, a link to nowhere, a folder linking to its parent,
/// and a FIFO that would block a reader forever.
fn write_links(content: &Path) {
    let dir = content.join("links");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::os::unix::fs::symlink("loop-b.md", dir.join("loop-a.md")).expect("symlink");
    std::os::unix::fs::symlink("loop-a.md", dir.join("loop-b.md")).expect("symlink");
    std::os::unix::fs::symlink("missing.md", dir.join("dangling.md")).expect("symlink");
    std::os::unix::fs::symlink("..", dir.join("parent")).expect("symlink");
    let fifo = std::process::Command::new("mkfifo").arg(dir.join("fifo.md")).status().expect("mkfifo runs");
    assert!(fifo.success(), "mkfifo");
}
