//! A Markdown document as a flat list of top-level blocks (headings, paragraphs, lists,
//! tables) with their byte ranges and line numbers: what the field readers look at, and what
//! the body is cut from.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A heading of this level (1-6).
    Heading(u8),
    /// A paragraph.
    Paragraph,
    /// A bulleted, numbered or task list.
    List,
    /// A table.
    Table,
    /// Code, quotes, HTML and the rest: kept in the body, never read.
    Other,
}

/// One item of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// Its text, inline Markdown dropped.
    pub text: String,
    /// `Some(done)` for a task-list item.
    pub checked: Option<bool>,
    /// File line of the item.
    pub line: usize,
}

/// A top-level block.
#[derive(Debug, Clone)]
pub struct Block {
    /// What it is.
    pub kind: Kind,
    /// Its bytes in the document.
    pub range: Range<usize>,
    /// Its first line (1-based).
    pub line: usize,
    /// Its text, inline Markdown dropped; lines of a paragraph stay separate lines.
    pub text: String,
    /// The items of a list.
    pub items: Vec<Item>,
    /// The rows of a table, header first.
    pub rows: Vec<Vec<String>>,
    /// The line of each row.
    pub row_lines: Vec<usize>,
}

/// A parsed document.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The Markdown.
    pub text: String,
    /// Its top-level blocks, in order.
    pub blocks: Vec<Block>,
    /// The source's line of the text's first line, or `None` when lines would mean nothing to
    /// the reader (a converted HTML page).
    pub first_line: Option<usize>,
}

impl Doc {
    /// Parses `text`, which starts on line 1 of its source.
    pub fn parse(text: String) -> Doc {
        Doc::parse_from(text, Some(1))
    }

    /// Parses `text`, which starts on line `first_line` of its source (`None`: not numbered).
    pub fn parse_from(text: String, first_line: Option<usize>) -> Doc {
        let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
        let mut blocks: Vec<Block> = Vec::new();
        let mut depth = 0usize;
        let mut list_depth = 0usize;
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
            match event {
                Event::Start(tag) => {
                    let line = line_of(range.start);
                    open(&mut blocks, depth, &mut list_depth, &tag, range, line);
                    depth += 1;
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    if matches!(end, TagEnd::List(_)) {
                        list_depth = list_depth.saturating_sub(1);
                    }
                    if matches!(end, TagEnd::Paragraph | TagEnd::Item) {
                        push_text(&mut blocks, "\n");
                    }
                }
                Event::TaskListMarker(done) => {
                    if let Some(item) = blocks.last_mut().and_then(|b| b.items.last_mut()) {
                        item.checked = Some(done);
                    }
                }
                Event::Text(t) | Event::Code(t) => push_text(&mut blocks, &t),
                Event::SoftBreak | Event::HardBreak => push_text(&mut blocks, "\n"),
                _ => {}
            }
        }
        for block in &mut blocks {
            block.text = block.text.trim().to_owned();
            for item in &mut block.items {
                item.text = item.text.trim().to_owned();
            }
            for row in &mut block.rows {
                row.iter_mut().for_each(|cell| *cell = cell.trim().to_owned());
            }
        }
        Doc { text, blocks, first_line }
    }

    /// " (line N)" in the source, for messages; empty when the source has no useful lines.
    pub fn at(&self, line: usize) -> String {
        match self.first_line {
            Some(first) if line > 0 => format!(" (line {})", line + first - 1),
            _ => String::new(),
        }
    }

    /// The source lines of a block, each with its byte range.
    pub fn lines(&self, block: &Block) -> Vec<(Range<usize>, &str)> {
        let mut offset = block.range.start;
        self.text[block.range.clone()]
            .split_inclusive('\n')
            .map(|line| {
                let range = offset..offset + line.len();
                offset += line.len();
                (range, line.trim_end())
            })
            .collect()
    }

    /// Index of the block after the section that starts with heading `index`: the next
    /// heading of the same or a higher level.
    pub fn section_end(&self, index: usize) -> usize {
        let Kind::Heading(level) = self.blocks[index].kind else { return index + 1 };
        self.blocks[index + 1..]
            .iter()
            .position(|b| matches!(b.kind, Kind::Heading(l) if l <= level))
            .map_or(self.blocks.len(), |offset| index + 1 + offset)
    }
}

/// A tag opens: a new block at the top level, and items, rows and cells inside one.
fn open(
    blocks: &mut Vec<Block>,
    depth: usize,
    list_depth: &mut usize,
    tag: &Tag<'_>,
    range: Range<usize>,
    line: usize,
) {
    if depth == 0 {
        blocks.push(Block {
            kind: kind_of(tag),
            line,
            range,
            text: String::new(),
            items: Vec::new(),
            rows: Vec::new(),
            row_lines: Vec::new(),
        });
    }
    let Some(block) = blocks.last_mut() else { return };
    match tag {
        Tag::List(_) => *list_depth += 1,
        Tag::Item if *list_depth == 1 => block.items.push(Item { line, ..Item::default() }),
        Tag::Item => {
            if let Some(item) = block.items.last_mut() {
                item.text.push('\n');
            }
        }
        Tag::TableHead | Tag::TableRow => {
            block.rows.push(Vec::new());
            block.row_lines.push(line);
        }
        Tag::TableCell => {
            if let Some(row) = block.rows.last_mut() {
                row.push(String::new());
            }
        }
        _ => {}
    }
}

fn kind_of(tag: &Tag<'_>) -> Kind {
    match tag {
        Tag::Heading { level, .. } => Kind::Heading(*level as u8),
        Tag::Paragraph => Kind::Paragraph,
        Tag::List(_) => Kind::List,
        Tag::Table(_) => Kind::Table,
        _ => Kind::Other,
    }
}

/// Adds text to the innermost open part of the last block: a table cell, a list item, or the
/// block itself.
fn push_text(blocks: &mut [Block], text: &str) {
    let Some(block) = blocks.last_mut() else { return };
    if let Some(cell) = block.rows.last_mut().and_then(|row| row.last_mut()) {
        cell.push_str(text);
    } else if let Some(item) = block.items.last_mut() {
        item.text.push_str(text);
    } else {
        block.text.push_str(text);
    }
}

/// Marks the heading lines of a plain-text document as Markdown headings, so sections are found
/// the same way: a first line that is not a `Key: value` line is the title, and a short line
/// in capitals, or ending in `:` alone, between blank lines or before text, is a section.
pub fn mark_text_headings(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut seen_title = false;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let after_blank = index == 0 || lines[index - 1].trim().is_empty();
        if !seen_title && !trimmed.is_empty() {
            seen_title = true;
            // "Incident: Build cache disk full" is a title; "Date: 2024-03-05" is not.
            let metadata = super::meta::split_labelled(trimmed)
                .is_some_and(|(label, _)| METADATA.contains(&label.as_str()));
            if !metadata && !trimmed.starts_with('#') && trimmed.len() <= 150 {
                out.push_str("# ");
                out.push_str(trimmed);
                out.push('\n');
                continue;
            }
        }
        if after_blank && is_text_heading(trimmed) {
            out.push_str("## ");
            out.push_str(trimmed.trim_end_matches(':'));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Labels of lines that are metadata, never a title.
const METADATA: &[&str] = &[
    "title",
    "date",
    "severity",
    "sev",
    "priority",
    "status",
    "author",
    "authors",
    "owner",
    "when",
    "incident date",
];

fn is_text_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    if line.is_empty() || words > 6 || line.len() > 60 || line.starts_with(['-', '*', '#', '|']) {
        return false;
    }
    // "TIMELINE (times in CET)": what stands in brackets is a note, not part of the heading.
    let outside = line.split('(').next().unwrap_or(line);
    let letters: Vec<char> = outside.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
    let labelled = line.ends_with(':') && !line[..line.len() - 1].contains(':');
    capitals || labelled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_carry_lines_items_and_rows() {
        let doc = Doc::parse(
            "# Title\n\nDate: 2024-03-05\n**Severity:** SEV2\n\n## Actions\n\n- [x] Done *one*\n- [ ] Open\n  - nested\n\n| A | B |\n|---|---|\n| 1 | `2` |\n"
                .to_owned(),
        );
        let kinds: Vec<Kind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [Kind::Heading(1), Kind::Paragraph, Kind::Heading(2), Kind::List, Kind::Table]);
        assert_eq!(doc.blocks[1].text, "Date: 2024-03-05\nSeverity: SEV2");
        assert_eq!(doc.blocks[1].line, 3);
        let items = &doc.blocks[3].items;
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].text.as_str(), items[0].checked, items[0].line), ("Done one", Some(true), 8));
        assert_eq!(items[1].text, "Open\nnested");
        assert_eq!(doc.blocks[4].rows, [vec!["A", "B"], vec!["1", "2"]]);
        assert_eq!(doc.section_end(2), 5);
        assert_eq!(doc.lines(&doc.blocks[1])[1].1, "**Severity:** SEV2");
    }

    #[test]
    fn plain_text_headings_are_marked() {
        let text = "Payments outage on 5 March\n\nSUMMARY\nCards failed.\n\nWhat happened:\nA deploy.\n\nnot a heading\n";
        assert_eq!(
            mark_text_headings(text),
            "# Payments outage on 5 March\n\n## SUMMARY\nCards failed.\n\n## What happened\nA deploy.\n\nnot a heading\n"
        );
    }
}
