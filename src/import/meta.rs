//! Labelled values: `Date: …` and `**Severity:** …` lines, `| Incident Severity | SEV2 |`
//! tables, a `### Date` heading followed by its value, and a foreign YAML front matter.

use std::ops::Range;

use super::doc::{Doc, Kind};

/// A value with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The label, lower case, letters, digits and single spaces only: "incident severity".
    pub label: String,
    /// The value as written, emphasis stripped.
    pub value: String,
    /// The line as written, for `# inferred from` comments.
    pub written: String,
    /// Its line in the document (0 when it came from front matter).
    pub line: usize,
    /// The bytes to remove from the body when the value is lifted, if it can be removed alone.
    pub range: Option<Range<usize>>,
}

/// The label form used for comparisons: "Date/Time (UTC)" → "date time utc".
pub fn normalise(label: &str) -> String {
    label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits `Label: value` (list markers and emphasis around either part allowed); the label is
/// at most five words.
pub fn split_labelled(line: &str) -> Option<(String, String)> {
    let line = line.trim().trim_start_matches(['-', '*', '+', '>']).trim_start();
    let (label, value) = line.split_once(':')?;
    let label = label.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let value = value.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let words = if label.contains(". ") { 0 } else { label.split_whitespace().count() };
    let looks_like_label = (1..=5).contains(&words)
        && label.chars().next().is_some_and(char::is_alphabetic)
        && label.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | '&' | '-' | '#' | '.' | '\''));
    (looks_like_label && !value.is_empty()).then(|| (normalise(label), value.to_owned()))
}

/// Every labelled value of the document, in document order.
pub fn fields(doc: &Doc) -> Vec<Field> {
    let mut fields = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        match block.kind {
            Kind::Paragraph | Kind::List => {
                let lines = doc.lines(block);
                let single = lines.len() == 1;
                for (offset, (range, line)) in lines.into_iter().enumerate() {
                    if let Some((label, value)) = split_labelled(line) {
                        // A line of a list is removed with its block only; a paragraph line alone.
                        let removable = block.kind == Kind::Paragraph || single;
                        let range = if single { block.range.clone() } else { range };
                        fields.push(Field {
                            label,
                            value,
                            written: line.trim().to_owned(),
                            line: block.line + offset,
                            range: removable.then_some(range),
                        });
                    }
                    // "Author: Sam. Date of incident: 2025-12-09. Severity: SEV2.": each sentence.
                    let parts: Vec<&str> =
                        line.split(". ").flat_map(|p| p.split("; ")).flat_map(|p| p.split(" | ")).collect();
                    for part in parts.iter().filter(|_| parts.len() > 1) {
                        if let Some((label, value)) = split_labelled(part) {
                            let written = part.trim().to_owned();
                            fields.push(Field {
                                label,
                                value,
                                written,
                                line: block.line + offset,
                                range: None,
                            });
                        }
                    }
                }
            }
            Kind::Table => table_fields(block, &mut fields),
            Kind::Heading(_) => {
                // `### Date` then the value as the next paragraph (the SRE book template).
                let next = doc.blocks.get(index + 1).filter(|b| b.kind == Kind::Paragraph);
                if let Some(next) = next.filter(|n| !n.text.contains('\n') && n.text.len() <= 80) {
                    fields.push(Field {
                        label: normalise(&block.text),
                        value: next.text.clone(),
                        written: format!("{}: {}", block.text, next.text),
                        line: next.line,
                        range: None,
                    });
                }
            }
            Kind::Other => {}
        }
    }
    fields
}

/// Rows of `label | value` (or `label | value | label | value`) tables.
fn table_fields(block: &super::doc::Block, fields: &mut Vec<Field>) {
    for (row, line) in block.rows.iter().zip(&block.row_lines) {
        for pair in row.chunks(2) {
            let [label, value] = pair else { continue };
            let label = label.trim_end_matches(':');
            if label.is_empty() || value.is_empty() || label.split_whitespace().count() > 5 {
                continue;
            }
            fields.push(Field {
                label: normalise(label),
                value: value.clone(),
                written: format!("{label}: {value}"),
                line: *line,
                range: None,
            });
        }
    }
}

/// A foreign front matter at the start of the text: its `key: value` entries as fields, the
/// text after it, and the front matter's YAML.
pub fn front_matter(text: &str) -> (Vec<Field>, &str, Option<&str>) {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (Vec::new(), text, None);
    };
    let Some(end) = rest.find("\n---").filter(|end| {
        rest[end + 4..].starts_with('\n') || rest[end + 4..].starts_with("\r\n") || rest.len() == end + 4
    }) else {
        return (Vec::new(), text, None);
    };
    let yaml = &rest[..end];
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
        return (Vec::new(), text, None);
    };
    let fields = map
        .iter()
        .filter_map(|(key, value)| {
            let key = key.as_str()?;
            let value = match value {
                serde_yaml::Value::String(s) => s.clone(),
                serde_yaml::Value::Number(n) => n.to_string(),
                serde_yaml::Value::Sequence(items) => {
                    items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
                }
                _ => return None,
            };
            let written = format!("{key}: {value}");
            Some(Field { label: normalise(key), value, written, line: 0, range: None })
        })
        .collect();
    let after = &rest[end + 4..];
    (fields, after.trim_start_matches(['\r', '\n']), Some(yaml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_lines_tables_and_headings() {
        let doc = Doc::parse(
            "# T\n\n**Date:** March 5, 2024\nSeverity: Sev 2\n\nBy Sam. Incident date: 2024-03-04; Sev: 3\n\n| Incident Severity | SEV1 | Postmortem Date | x |\n|---|---|---|---|\n\n### Date\n\n2024-03-05\n\n- Started at: 14:02\n- [link](http://a.b): no\n"
                .to_owned(),
        );
        let found: Vec<(String, String, usize)> =
            fields(&doc).into_iter().map(|f| (f.label, f.value, f.line)).collect();
        let expected = [
            ("date", "March 5, 2024", 3),
            ("severity", "Sev 2", 4),
            ("incident date", "2024-03-04", 6),
            ("sev", "3", 6),
            ("incident severity", "SEV1", 8),
            ("postmortem date", "x", 8),
            ("date", "2024-03-05", 13),
            ("started at", "14:02", 15),
        ];
        let expected: Vec<(String, String, usize)> =
            expected.iter().map(|(l, v, n)| ((*l).to_owned(), (*v).to_owned(), *n)).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn foreign_front_matter() {
        let (fields, rest, _) = front_matter(
            "---\ntitle: \"A: b\"\nstart_time: 2024-03-05T14:00:00Z\ntags: [x, y]\n---\n# Body\n",
        );
        let found: Vec<(&str, &str)> = fields.iter().map(|f| (f.label.as_str(), f.value.as_str())).collect();
        assert_eq!(found, [("title", "A: b"), ("start time", "2024-03-05T14:00:00Z"), ("tags", "x, y")]);
        assert_eq!(rest, "# Body\n");
        assert_eq!(front_matter("no front matter").1, "no front matter");
    }
}
