//! Sanitising a rendered body with ammonia, highlighted code blocks spliced in afterwards.
//!
//! A highlighted block is our own markup (spans with syntect's classes) around text syntect has
//! escaped, and it was a third of the elements the sanitiser's HTML parser built and wrote back
//! (a tenth of a build's instructions went to sanitising). So the sanitiser sees each block's
//! wrapper with a marker inside, and the block goes in afterwards as the parser would have
//! written it back ([`as_reserialized`]). When a marker does not come back alone in its wrapper
//! (the author's raw HTML swallowed it into an attribute, a comment or a `<textarea>`, or the
//! parser reopened the author's formatting around it), the body is sanitised whole, as before:
//! the result is always what sanitising the whole body gives.

use std::hash::{BuildHasher, RandomState};
use std::sync::LazyLock;

/// A highlighted code block, kept out of the HTML the sanitiser parses.
#[derive(Debug)]
pub(super) struct CodeBlock {
    /// The language's class suffix (`language-{class}`): a slug.
    pub class: String,
    /// syntect's HTML: spans and escaped text.
    pub inner: String,
}

/// Random for every process, so that no body's text can hold a marker.
static NONCE: LazyLock<String> =
    LazyLock::new(|| format!("hscode{:016x}", RandomState::new().hash_one("code blocks")));

/// The marker of block `index`: letters and digits, which HTML leaves as they are, and no
/// marker is the start of another.
fn marker(index: usize) -> String {
    format!("{}n{index}x", *NONCE)
}

/// The wrapper of a code block with the language class `class` around `inner`.
fn wrapped(class: &str, inner: &str) -> String {
    format!("{}{inner}{CLOSE}\n", open(class))
}

/// The start of a code block's wrapper.
fn open(class: &str) -> String {
    format!("<pre class=\"code\"><code class=\"language-{class}\">")
}

/// The end of a code block's wrapper.
const CLOSE: &str = "</code></pre>";

/// The HTML that stands for `block`, the `index`th of its body, in what the sanitiser parses.
pub(super) fn placeholder(index: usize, block: &CodeBlock) -> String {
    wrapped(&block.class, &marker(index))
}

/// `html` sanitised, its placeholders' blocks (`blocks`, in order) in place.
pub(super) fn clean(sanitizer: &ammonia::Builder<'_>, html: &str, blocks: &[CodeBlock]) -> String {
    let sanitized = sanitizer.clean(html).to_string();
    if blocks.is_empty() {
        return sanitized;
    }
    spliced(&sanitized, blocks).unwrap_or_else(|| sanitizer.clean(&with_blocks(html, blocks)).to_string())
}

/// The sanitised body with each block in its wrapper, or `None` unless every marker came back
/// once, in order, as the only thing in its own wrapper.
fn spliced(sanitized: &str, blocks: &[CodeBlock]) -> Option<String> {
    let mut out =
        String::with_capacity(sanitized.len() + blocks.iter().map(|b| b.inner.len()).sum::<usize>());
    let mut rest = sanitized;
    for (index, block) in blocks.iter().enumerate() {
        let marker = marker(index);
        let at = rest.find(&marker)?;
        let (before, after) = rest.split_at(at);
        let after = &after[marker.len()..];
        if before.contains(NONCE.as_str())
            || !before.ends_with(&open(&block.class))
            || !after.starts_with(CLOSE)
        {
            return None;
        }
        out.push_str(before);
        as_reserialized(&block.inner, &mut out);
        rest = after;
    }
    if rest.contains(NONCE.as_str()) {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

/// The body as it was before the blocks were taken out: what sanitising whole starts from. One
/// pass, the placeholders being in block order: a body of thousands of blocks whose raw HTML
/// swallows them all comes here, and replacing each in the whole body took time in the square
/// of its length.
fn with_blocks(html: &str, blocks: &[CodeBlock]) -> String {
    let mut whole = String::with_capacity(html.len() + blocks.iter().map(|b| b.inner.len()).sum::<usize>());
    let mut rest = html;
    for (index, block) in blocks.iter().enumerate() {
        let placeholder = placeholder(index, block);
        if let Some(at) = rest.find(&placeholder) {
            whole.push_str(&rest[..at]);
            whole.push_str(&wrapped(&block.class, &block.inner));
            rest = &rest[at + placeholder.len()..];
        }
    }
    whole.push_str(rest);
    whole
}

/// syntect's HTML as the sanitiser's parser reads it and its serialiser writes it back: line
/// ends become `\n` and NUL is dropped as the parser reads; quotes need no escaping in text, and
/// a no-break space is written `&nbsp;`. syntect writes tags only of its own spans, with class
/// names of letters, digits, `-` and spaces, which both leave as they are.
fn as_reserialized(syntect: &str, out: &mut String) {
    let mut rest = syntect;
    while let Some(at) = rest.find(['&', '\r', '\0', '\u{a0}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (written, taken) = if tail.starts_with("&quot;") {
            ("\"", "&quot;".len())
        } else if tail.starts_with("&#39;") {
            ("'", "&#39;".len())
        } else if tail.starts_with("\r\n") || tail.starts_with('\r') {
            ("\n", if tail.starts_with("\r\n") { 2 } else { 1 })
        } else if tail.starts_with('\0') {
            ("", 1)
        } else if tail.starts_with('\u{a0}') {
            ("&nbsp;", '\u{a0}'.len_utf8())
        } else {
            ("&", 1)
        };
        out.push_str(written);
        rest = &tail[taken..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{SANITIZER, Unsanitised, render, unsanitised};

    /// The body sanitised whole, its highlighted code in: what [`render`] must give.
    fn sanitised_whole(markdown: &str) -> String {
        let body = unsanitised(markdown);
        SANITIZER.clean(&with_blocks(&body.html, &body.blocks)).to_string()
    }

    #[test]
    fn code_spliced_past_the_sanitiser_is_what_sanitising_whole_gives() {
        let fence = |code: &str| format!("```rust\n{code}\n```\n");
        let mut bodies: Vec<String> = [
            "let s = \"quoted\"; let c = 'c'; // <tag> & &amp; &#39; &quot; &nbsp;",
            "a\u{a0}no-break\r\nwindows\rold mac\0nul \u{1}\u{7f}\u{85} é 日本 🦀",
            "",
            "fn main() {}",
        ]
        .iter()
        .map(|code| fence(code))
        .collect();
        let swallowing = [
            "<b>bold before",
            "<a href=\"https://x\">open link",
            "<textarea>",
            "<!--",
            "<div title=\"",
            "<table><tr><td>",
            "<svg>",
            "<math>",
            "<script>",
            "<style>",
            "<plaintext>",
            "<xmp>",
            "<select>",
            "<pre>",
            "<p><i>",
            "<template>",
            "<noscript>",
            "<iframe>",
            "<code class=\"language-rust\">",
        ];
        for raw in swallowing {
            bodies.push(format!("{raw}\n\n{}\ntext {raw} inline\n\n{}", fence("x = \"1\""), fence("y")));
            bodies.push(format!("para {raw} inline\n{}", fence("'z'")));
        }
        bodies.push(format!(
            "- item\n\n  {}\n> {}\n\nNote[^1].\n\n[^1]: {}",
            fence("a"),
            fence("b"),
            fence("c")
        ));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(folder)).into_iter().flatten() {
                if entry.path().extension().is_some_and(|e| e == "md") {
                    bodies.push(std::fs::read_to_string(entry.path()).unwrap_or_default());
                }
            }
        }
        assert!(bodies.len() > 100, "the sample library and the fixtures were read");
        for body in &bodies {
            assert_eq!(*render(body).html, *sanitised_whole(body), "{body}");
        }
    }

    #[test]
    fn code_spliced_past_the_sanitiser_is_what_sanitising_whole_gives_on_mixed_up_bodies() {
        // Fences, raw HTML that opens what swallows or wraps elements, and text the parser
        // rewrites, strung together at random (a fixed seed, so a failure repeats).
        let pieces = [
            "```rust\nlet a = \"b\"; // 'c' & <d>\n```\n",
            "```js\nx\u{a0}=\r\n1\n```\n",
            "```python\nprint(1)\n",
            "```\n",
            "\n\n",
            "\n",
            "- ",
            "> ",
            "1. ",
            "    ",
            "text ",
            "`",
            "*",
            "&quot;",
            "&amp;",
            "\u{a0}",
            "\r\n",
            "<b>",
            "</b>",
            "<a href=\"https://x\">",
            "</a>",
            "<textarea>",
            "</textarea>",
            "<!--",
            "-->",
            "<div title=\"",
            "\"",
            "<div>",
            "</div>",
            "<table><tr><td>",
            "<svg>",
            "<math>",
            "<script>",
            "</script>",
            "<pre>",
            "</pre>",
            "<code>",
            "<p>",
            "<i>",
            "<template>",
            "<select>",
            "<xmp>",
            "<noscript>",
            "[^1]",
            "[^1]: note\n",
            "| a | b |\n|---|---|\n| ",
            " |\n",
            "## heading ",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % bound as u64).unwrap_or_default()
        };
        let mut spliced_bodies = 0;
        for _ in 0..3_000 {
            let length = 1 + next(14);
            let body: String = (0..length).map(|_| pieces[next(pieces.len())]).collect();
            assert_eq!(*render(&body).html, *sanitised_whole(&body), "{body:?}");
            let Unsanitised { html, blocks, .. } = unsanitised(&body);
            if !blocks.is_empty() && spliced(&SANITIZER.clean(&html).to_string(), &blocks).is_some() {
                spliced_bodies += 1;
            }
        }
        assert!(spliced_bodies > 300, "only {spliced_bodies} of the bodies had their code spliced in");
    }

    fn block(class: &str, inner: &str) -> CodeBlock {
        CodeBlock { class: class.to_owned(), inner: inner.to_owned() }
    }

    #[test]
    fn blocks_go_in_where_their_markers_came_back() {
        let blocks = [block("rust", "<span class=\"hl-a\">&quot;x&quot;</span>"), block("sh", "ls\u{a0}-l")];
        let sanitized =
            format!("<p>a</p>\n{}<p>b</p>\n{}", placeholder(0, &blocks[0]), placeholder(1, &blocks[1]));
        assert_eq!(
            spliced(&sanitized, &blocks).as_deref(),
            Some(
                "<p>a</p>\n<pre class=\"code\"><code class=\"language-rust\"><span class=\"hl-a\">\"x\"</span></code></pre>\n<p>b</p>\n<pre class=\"code\"><code class=\"language-sh\">ls&nbsp;-l</code></pre>\n"
            )
        );
    }

    #[test]
    fn a_marker_out_of_its_wrapper_twice_or_out_of_order_splices_nothing() {
        let blocks = [block("rust", "a"), block("rust", "b")];
        let (first, second) = (placeholder(0, &blocks[0]), placeholder(1, &blocks[1]));
        for sanitized in [
            format!("{second}{first}"),
            format!("{first}{first}{second}"),
            format!("{first}{second}{}", marker(1)),
            format!("{first}{}", second.replace("</code>", "</b></code>")),
            format!("{first}{}", second.replace("<pre class=\"code\">", "<pre title=\"x\">")),
            first.clone(),
        ] {
            assert_eq!(spliced(&sanitized, &blocks), None, "{sanitized}");
        }
    }

    #[test]
    fn the_blocks_go_back_into_the_body_in_their_places() {
        let blocks = [block("rust", "<span>a</span>"), block("sh", "b")];
        let html =
            format!("<p>x</p>\n{}<p>y</p>\n{}z", placeholder(0, &blocks[0]), placeholder(1, &blocks[1]));
        assert_eq!(
            with_blocks(&html, &blocks),
            format!("<p>x</p>\n{}<p>y</p>\n{}z", wrapped("rust", "<span>a</span>"), wrapped("sh", "b"))
        );
    }

    #[test]
    fn text_is_written_back_as_the_parser_writes_it() {
        let mut out = String::new();
        as_reserialized("&lt;&amp;&gt;&quot;&#39;&amp;quot;\r\n\r\0\u{a0}é", &mut out);
        assert_eq!(out, "&lt;&amp;&gt;\"\'&amp;quot;\n\n&nbsp;é");
    }
}
