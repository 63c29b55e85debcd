//! Renders arbitrary Markdown and checks what matters for a page people open in a browser: the
//! sanitised HTML, read by the HTML tokenizer a browser uses, holds only allowed elements and
//! attributes (so no `<script>`, no `on…=` handler) and no link or image with a script URL.
//!
//! The checks are on tokens, not substrings: text may well say `javascript:` or `<script>`
//! (escaped), and an attribute value may hold `<` unescaped. While every element is one of the
//! allowed ones, none switches the tokenizer out of its data state (no `<script>`, `<style>`,
//! `<textarea>`, `<title>`, `<plaintext>`), so reading the fragment with a bare tokenizer sees
//! exactly the tags and attributes a browser's tree builder would.

#![no_main]

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let markdown = String::from_utf8_lossy(data);
    let body = hindsight::markdown::render(&markdown);
    for tag in start_tags(&body.html) {
        check_tag(&tag, &body.html);
    }
    assert_eq!(
        hindsight::markdown::plain_text(&markdown),
        body.text,
        "search indexes the same text whether or not the body was rendered"
    );
    let mut ids = HashSet::new();
    for entry in &body.toc {
        assert!(ids.insert(entry.id.as_str()), "duplicate heading id {:?}", entry.id);
    }
});

/// ammonia's default tags, and `input` for task-list checkboxes (`markdown::SANITIZER`).
const TAGS: &str = "\
    a abbr acronym area article aside b bdi bdo blockquote br caption center cite code col colgroup \
    data dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr \
    i img ins kbd li map mark nav ol p pre q rp rt rtc ruby s samp small span strike strong sub \
    summary sup table tbody td th thead time tr tt u ul var wbr input";

/// Attributes allowed on every element: ammonia's `lang` and `title`, and our `id` and `class`.
const GENERIC: &[&str] = &["lang", "title", "id", "class"];

/// Attributes allowed on one element: ammonia's defaults plus what `markdown::SANITIZER` adds.
fn allowed_for(tag: &str) -> &'static [&'static str] {
    const CELL: &[&str] = &["align", "char", "charoff", "colspan", "headers", "rowspan", "scope", "style"];
    const ALIGNED: &[&str] = &["align", "char", "charoff"];
    match tag {
        "a" => &["href", "hreflang", "rel", "aria-hidden"],
        "bdo" => &["dir"],
        "blockquote" | "q" => &["cite"],
        "col" | "colgroup" => &["align", "char", "charoff", "span"],
        "del" | "ins" => &["cite", "datetime"],
        "hr" => &["align", "size", "width"],
        "img" => &["align", "alt", "height", "src", "width"],
        "input" => &["type", "checked", "disabled"],
        "ol" => &["start"],
        "table" => &["align", "char", "charoff", "summary"],
        "tbody" | "tfoot" | "thead" | "tr" => ALIGNED,
        "td" | "th" => CELL,
        _ => &[],
    }
}

/// The URL schemes ammonia lets through by default; any other absolute URL is dropped.
const SCHEMES: &str = "\
    bitcoin ftp ftps geo http https im irc ircs magnet mailto mms mx news nntp openpgp4fpr sip sms \
    smsto ssh tel url webcal wtai xmpp";

/// The lists above as sets, split once: the fuzzer checks every tag of every input.
static ALLOWED_TAGS: LazyLock<HashSet<&str>> = LazyLock::new(|| TAGS.split_whitespace().collect());
static ALLOWED_SCHEMES: LazyLock<HashSet<&str>> = LazyLock::new(|| SCHEMES.split_whitespace().collect());

fn check_tag(tag: &Tag, html: &str) {
    let name = &*tag.name;
    assert!(ALLOWED_TAGS.contains(name), "element <{name}> survived sanitising:\n{html}");
    for attribute in &tag.attrs {
        let key = &*attribute.name.local;
        let value = &*attribute.value;
        assert!(
            GENERIC.contains(&key) || allowed_for(name).contains(&key),
            "attribute {key}={value:?} on <{name}> survived sanitising:\n{html}"
        );
        if key == "href" || key == "src" {
            if let Some(scheme) = scheme(value) {
                assert!(
                    ALLOWED_SCHEMES.contains(scheme.as_str()),
                    "{scheme}: URL in <{name} {key}>:\n{html}"
                );
            }
        }
        if key == "style" {
            // Only `text-align` is kept; ammonia writes the declarations back as `name:value`.
            assert!(value.is_empty() || value.starts_with("text-align:"), "style={value:?}:\n{html}");
        }
    }
}

/// The scheme a browser reads from an attribute value, as the WHATWG URL parser finds it:
/// leading and trailing controls and spaces trimmed, tabs and newlines removed anywhere.
fn scheme(value: &str) -> Option<String> {
    let trimmed = value.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Every start tag of `html`, as the HTML tokenizer reads it (attribute values decoded).
fn start_tags(html: &str) -> Vec<Tag> {
    struct Sink(RefCell<Vec<Tag>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                if tag.kind == TagKind::StartTag {
                    self.0.borrow_mut().push(tag);
                }
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}
