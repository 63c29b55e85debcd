//! Markdown bodies to safe HTML: pulldown-cmark, heading anchors and a table of contents,
//! syntect highlighting, then ammonia so no script survives whatever the author wrote (the
//! highlighted blocks, our own markup, are put in after it: `sanitize`).

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::highlight;

mod sanitize;

use sanitize::CodeBlock;

/// A rendered body and its outline.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// Sanitised HTML; shared, so the dev server offers the last render's bodies to the next
    /// without copying them.
    pub html: Arc<str>,
    /// Level-2 and level-3 headings, for the table of contents.
    pub toc: Vec<TocEntry>,
    /// The body as plain text (Markdown stripped, code kept), for search and previews; shared
    /// with the search stages, which read the same text ([`plain_text`]) before rendering.
    pub text: Arc<str>,
}

/// Every retro's rendered body, in library order: what the Markdown stage hands on.
#[derive(Debug, Default)]
pub struct Bodies(Vec<RenderedBody>);

impl Bodies {
    /// The bodies of the retros, in library order.
    pub fn new(bodies: Vec<RenderedBody>) -> Self {
        Bodies(bodies)
    }

    /// The body of retro `index` (library order).
    pub fn of(&self, index: usize) -> &RenderedBody {
        &self.0[index]
    }

    /// Every body, in library order.
    pub fn as_slice(&self) -> &[RenderedBody] {
        &self.0
    }
}

/// One heading in the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading text.
    pub title: String,
}

/// Renders a Markdown body.
pub fn render(markdown: &str) -> RenderedBody {
    let body = unsanitised(markdown);
    RenderedBody {
        html: sanitize::clean(&SANITIZER, &body.html, &body.blocks).into(),
        toc: body.toc,
        text: body.text.into(),
    }
}

/// A body rendered up to the sanitiser.
struct Unsanitised {
    /// The HTML, each highlighted block a placeholder ([`sanitize::placeholder`]).
    html: String,
    /// The outline.
    toc: Vec<TocEntry>,
    /// The plain text.
    text: String,
    /// The highlighted blocks, in order.
    blocks: Vec<CodeBlock>,
}

/// `markdown` parsed, its headings and code transformed, and written as HTML.
fn unsanitised(markdown: &str) -> Unsanitised {
    let (mut toc, mut blocks) = (Vec::new(), Vec::new());
    let mut text = String::with_capacity(markdown.len());
    let events =
        transform(limit_depth(Parser::new_ext(markdown, options())), &mut toc, &mut text, &mut blocks);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Unsanitised { html, toc, text, blocks }
}

/// The body as plain text, as [`RenderedBody::text`] has it, without rendering HTML.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(&t);
            text.push(' ');
        }
    }
    text
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// How deep lists, quotes and other elements of a body may nest; deeper ones keep their text but
/// lose their element. The sanitiser's HTML parser does work proportional to the depth for every
/// element it opens, so 100,000 nested list items (a 200 KB line of `- - - …`) took minutes;
/// browsers stop nesting at about this depth anyway (Chromium's parser at 512).
const MAX_DEPTH: usize = 512;

/// Drops the start and end events of elements nested deeper than [`MAX_DEPTH`].
fn limit_depth<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut depth = 0_usize;
    events.filter(move |event| match event {
        Event::Start(_) => {
            depth += 1;
            depth <= MAX_DEPTH
        }
        Event::End(_) => {
            let keep = depth <= MAX_DEPTH;
            depth = depth.saturating_sub(1);
            keep
        }
        _ => true,
    })
}

/// Adds heading ids and highlighted code, and collects the outline, the plain text and the
/// highlighted blocks (each stands as a placeholder in the events).
fn transform<'a>(
    events: impl Iterator<Item = Event<'a>>,
    toc: &mut Vec<TocEntry>,
    text: &mut String,
    blocks: &mut Vec<CodeBlock>,
) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut used_ids = HashSet::new();
    let mut heading: Option<(HeadingLevel, Vec<Event<'a>>, String)> = None;
    let mut code: Option<(CodeBlockKind<'a>, String)> = None;
    for event in events {
        if let Event::Text(t) | Event::Code(t) = &event {
            text.push_str(t);
            text.push(' ');
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, Vec::new(), String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, inner, title)) = heading.take() {
                    push_heading(&mut out, level, inner, title, &mut used_ids, toc);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => code = Some((kind, String::new())),
            Event::Text(t) if code.is_some() => {
                if let Some((_, buffer)) = code.as_mut() {
                    buffer.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((kind, buffer)) = code.take() {
                    push_code_block(&mut out, kind, buffer, blocks);
                }
            }
            other => match heading.as_mut() {
                Some((_, inner, title)) => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        title.push_str(t);
                    }
                    inner.push(other);
                }
                None => out.push(other),
            },
        }
    }
    out
}

fn push_code_block<'a>(
    out: &mut Vec<Event<'a>>,
    kind: CodeBlockKind<'a>,
    code: String,
    blocks: &mut Vec<CodeBlock>,
) {
    let language = match &kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',']).next().unwrap_or_default(),
        CodeBlockKind::Indented => "",
    };
    match highlighted_block(language, &code) {
        Some(block) => {
            out.push(Event::Html(sanitize::placeholder(blocks.len(), &block).into()));
            blocks.push(block);
        }
        None => {
            out.push(Event::Start(Tag::CodeBlock(kind)));
            out.push(Event::Text(code.into()));
            out.push(Event::End(TagEnd::CodeBlock));
        }
    }
}

fn push_heading<'a>(
    out: &mut Vec<Event<'a>>,
    level: HeadingLevel,
    inner: Vec<Event<'a>>,
    title: String,
    used_ids: &mut HashSet<String>,
    toc: &mut Vec<TocEntry>,
) {
    let id = unique_id(&slug::slugify(&title), used_ids);
    if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
        toc.push(TocEntry {
            level: if level == HeadingLevel::H2 { 2 } else { 3 },
            id: id.clone(),
            title: title.trim().to_owned(),
        });
    }
    // Hidden from screen readers (the heading says it all) and so out of the tab order too: a
    // focusable element inside aria-hidden is announced as nothing (axe's `aria-hidden-focus`).
    let anchor = format!("<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
    out.push(Event::Start(Tag::Heading {
        level,
        id: Some(CowStr::from(id)),
        classes: Vec::new(),
        attrs: Vec::new(),
    }));
    out.extend(inner);
    out.push(Event::Html(anchor.into()));
    out.push(Event::End(TagEnd::Heading(level)));
}

/// Heading ids must be unique within a page; "impact", "impact-1", …
fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut candidate = base.to_owned();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// A fenced block highlighted, or `None` to let pulldown-cmark render it plainly.
fn highlighted_block(language: &str, code: &str) -> Option<CodeBlock> {
    if language.is_empty() {
        return None;
    }
    let inner = highlight::highlight(code, language)?;
    Some(CodeBlock { class: slug::slugify(language), inner })
}

/// Built once: what survives in a body is plain document markup, never script.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("a", ["aria-hidden", "tabindex"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .link_rel(Some("noopener noreferrer"));
    builder
});

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, render};

    #[test]
    fn headings_get_unique_anchors_and_a_toc() {
        let body = render("## Impact\n\ntext\n\n## Impact\n\n### Deep `dive`\n");
        assert!(body.html.contains("<h2 id=\"impact\">"), "{}", body.html);
        assert!(body.html.contains("<h2 id=\"impact-1\">"), "{}", body.html);
        let toc: Vec<_> = body.toc.iter().map(|t| (t.level, t.id.as_str())).collect();
        assert_eq!(toc, vec![(2, "impact"), (2, "impact-1"), (3, "deep-dive")]);
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_do_not_survive() {
        let body = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) <a href=\"javascript:alert(4)\">y</a>\n",
        );
        let html = body.html.to_lowercase();
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{html}"
        );
    }

    #[test]
    fn nesting_stops_at_the_limit_and_keeps_the_text() {
        // A list level is two elements (`<ul><li>`), a quote level one.
        for (open, tag, levels) in [("- ", "<ul>", MAX_DEPTH / 2), ("> ", "<blockquote>", MAX_DEPTH)] {
            let body = render(&format!("{}deepest words\n", open.repeat(100_000)));
            assert_eq!(body.html.matches(tag).count(), levels, "{tag}");
            assert!(body.html.contains("deepest words") && body.text.contains("deepest words"));
        }
        let shallow = render(&format!("{}x\n", "> ".repeat(100)));
        assert_eq!(shallow.html.matches("<blockquote>").count(), 100, "nesting below the limit is kept");
    }

    #[test]
    fn tables_tasks_footnotes_and_code_render() {
        let body = render(
            "| a | b |\n|:-:|---|\n| 1 | 2 |\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n\n```python\nprint('<hi>')\n```\n",
        );
        for needle in
            ["<table>", "text-align", "type=\"checkbox\"", "footnote-definition", "hl-", "&lt;hi&gt;"]
        {
            assert!(body.html.contains(needle), "missing {needle} in {}", body.html);
        }
        assert!(body.text.contains("print('<hi>')"));
        let source = "| a |\n|---|\n| 1 |\n\n```python\nprint('<hi>')\n```\n";
        assert_eq!(
            super::plain_text(source).as_str(),
            &*render(source).text,
            "search indexes the same text either way"
        );
    }
}
