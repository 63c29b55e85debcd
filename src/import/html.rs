//! HTML exports (Confluence, Google Docs "web page", wiki pages) to Markdown with htmd, so the
//! rest of `import` reads one format. Scripts, styles and page chrome are dropped; the page's
//! `<title>` is kept aside as a fallback title; checkboxes become task-list markers.

use std::rc::Rc;
use std::sync::{Arc, Mutex};

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown, Node};
use markup5ever_rcdom::NodeData;

/// An HTML document as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The body as Markdown.
    pub markdown: String,
    /// The text of `<title>`, if the page has one.
    pub title: Option<String>,
}

/// Tags whose content is never part of the document.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "nav", "svg", "canvas", "form",
    "button",
];

/// Converts an HTML document to Markdown.
pub fn to_markdown(html: &str) -> Converted {
    let title = Arc::new(Mutex::new(None::<String>));
    let slot = Arc::clone(&title);
    let options = Options {
        bullet_list_marker: BulletListMarker::Dash,
        ul_bullet_spacing: 1,
        ol_number_spacing: 1,
        ..Options::default()
    };
    let converter = HtmlToMarkdown::builder()
        .options(options)
        .skip_tags(DROPPED.to_vec())
        .add_handler(vec!["title"], move |handlers: &dyn Handlers, element: Element| {
            let text = handlers.walk_children(element.node).content;
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            None
        })
        .add_handler(vec!["input"], |_: &dyn Handlers, element: Element| checkbox(&element))
        .add_handler(vec!["li"], task_item)
        .add_handler(vec!["table"], row_header_table)
        .build();
    // htmd's only error is an I/O error of its in-memory parse; no text is the honest result.
    let markdown = converter.convert(html).unwrap_or_default();
    let title = title.lock().ok().and_then(|slot| slot.clone()).filter(|t| !t.is_empty());
    Converted { markdown, title }
}

fn attribute<'a>(element: &'a Element<'_>, name: &str) -> Option<&'a str> {
    element.attrs.iter().find(|a| a.name.local.as_ref() == name).map(|a| a.value.as_ref())
}

/// `<input type="checkbox" checked>` as `[x] `, so a list of them reads as a task list.
fn checkbox(element: &Element<'_>) -> Option<HandlerResult> {
    if !attribute(element, "type").is_some_and(|t| t.eq_ignore_ascii_case("checkbox")) {
        return None;
    }
    let mark = if attribute(element, "checked").is_some() { "[x] " } else { "[ ] " };
    Some(mark.to_owned().into())
}

/// Confluence exports task lists as `<li data-inline-task-id=… class="checked">`: the list
/// item as htmd writes it, with a task marker after the bullet.
fn task_item(handlers: &dyn Handlers, element: Element<'_>) -> Option<HandlerResult> {
    let is_task = attribute(&element, "data-inline-task-id").is_some();
    let checked = attribute(&element, "class").is_some_and(|c| c.split_whitespace().any(|c| c == "checked"));
    let mut result = handlers.fallback(element)?;
    if is_task {
        let content = &result.content;
        let body = content.trim_start_matches(['\n', ' ']);
        let lead = content.len() - body.len();
        if let Some(rest) = body.strip_prefix("- ") {
            let mark = if checked { "[x] " } else { "[ ] " };
            result.content = format!("{}- {mark}{}", &content[..lead], rest.trim_start());
        }
    }
    Some(result)
}

/// The element children of `node` with their tag names.
fn elements(node: &Rc<Node>) -> Vec<(String, Rc<Node>)> {
    node.children
        .borrow()
        .iter()
        .filter_map(|child| match &child.data {
            NodeData::Element { name, .. } => Some((name.local.as_ref().to_owned(), Rc::clone(child))),
            _ => None,
        })
        .collect()
}

/// Key-value tables (Confluence's page properties: a `<th>` heading each row) lose their row
/// headers in htmd, which reads `<th>` only in a header row, and tables without `<th>` lose
/// their rows; such tables are written here, every cell's content still converted by htmd.
/// Other tables are left to htmd.
fn row_header_table(handlers: &dyn Handlers, element: Element<'_>) -> Option<HandlerResult> {
    let mut rows: Vec<Vec<(String, Rc<Node>)>> = Vec::new();
    for (tag, child) in elements(element.node) {
        match tag.as_str() {
            "thead" | "tbody" | "tfoot" => {
                rows.extend(
                    elements(&child).into_iter().filter(|(t, _)| t == "tr").map(|(_, tr)| elements(&tr)),
                );
            }
            "tr" => rows.push(elements(&child)),
            _ => {}
        }
    }
    let row_headers = rows.iter().skip(1).any(|row| row.iter().any(|(tag, _)| tag == "th"));
    // Without any `<th>` (Google Docs exports) htmd writes the cells as paragraphs; the first
    // row is taken as the header instead.
    let no_headers = !rows.iter().flatten().any(|(tag, _)| tag == "th");
    if !row_headers && !no_headers {
        return handlers.fallback(element);
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .filter(|(tag, _)| tag == "th" || tag == "td")
                .map(|(_, cell)| {
                    let text = handlers.walk_children(cell).content;
                    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
                })
                .collect()
        })
        .collect();
    let width = cells.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return None;
    }
    let line = |row: &[String]| {
        let padded: Vec<&str> = (0..width).map(|i| row.get(i).map_or("", String::as_str)).collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut table = String::from("\n\n");
    table.push_str(&line(&cells[0]));
    table.push_str(&format!("|{}\n", "---|".repeat(width)));
    for row in &cells[1..] {
        table.push_str(&line(row));
    }
    table.push('\n');
    Some(table.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_structure_and_drops_scripts_and_styles() {
        let html = r#"<html><head><title> Postmortem: Cart
            outage </title><style>h1{color:red}</style><script>alert(1)</script></head>
            <body><h1>Cart outage</h1><p>The <b>cart</b> failed. <a href="https://x.example/d">dash</a></p>
            <table><tr><th>Time</th><th>Event</th></tr><tr><td>14:02</td><td>Alert</td></tr></table>
            <ul><li><input type="checkbox" checked> Fix it</li><li><input type="checkbox"> Test it</li></ul>
            <ul class="inline-task-list"><li data-inline-task-id="1" class="checked">Done task</li>
            <li data-inline-task-id="2">Open task</li></ul><script>document.write("x")</script></body></html>"#;
        let converted = to_markdown(html);
        assert_eq!(converted.title.as_deref(), Some("Postmortem: Cart outage"));
        let md = &converted.markdown;
        assert!(md.starts_with("# Cart outage\n"), "{md}");
        assert!(md.contains("The **cart** failed. [dash](https://x.example/d)"), "{md}");
        assert!(md.contains("| Time  | Event |") && md.contains("| 14:02 | Alert |"), "{md}");
        assert!(md.contains("[x] Fix it") && md.contains("[ ] Test it"), "{md}");
        assert!(md.contains("[x] Done task") && md.contains("[ ] Open task"), "{md}");
        let properties = to_markdown(
            "<table><tr><th>Severity</th><td>SEV2</td></tr><tr><th>Date</th><td>2024-03-05</td></tr></table>",
        );
        assert_eq!(properties.markdown, "| Severity | SEV2 |\n|---|---|\n| Date | 2024-03-05 |");
        let google = to_markdown(
            "<table><tr><td><p>Time</p></td><td><p>Event</p></td></tr><tr><td><p>06:41</p></td><td><p>Outage begins</p></td></tr></table>",
        );
        assert_eq!(google.markdown, "| Time | Event |\n|---|---|\n| 06:41 | Outage begins |");
        assert!(!md.contains("alert(1)") && !md.contains("color") && !md.contains("document"), "{md}");
    }
}
