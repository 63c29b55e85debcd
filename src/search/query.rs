//! Running a query against the tantivy index: the user's syntax (phrases, `-term`, `OR`,
//! `field:value`), filters, ranking, snippets, and a spelling fallback when nothing matches.

use std::ops::Bound;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use super::SearchError;
use super::index::{Fields, Opened, date_value};
use crate::views::RetroHeadline;

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The query in the user's syntax; empty means "everything that passes the filters".
    pub query: String,
    /// Only retros with one of these services.
    pub services: Vec<String>,
    /// Only retros with one of these failure modes.
    pub failure_modes: Vec<String>,
    /// Only retros with one of these contributing factors.
    pub factors: Vec<String>,
    /// Only retros of one of these severities.
    pub severities: Vec<String>,
    /// Only retros on or after this day.
    pub since: Option<NaiveDate>,
    /// Only retros on or before this day.
    pub until: Option<NaiveDate>,
    /// How many results at most.
    pub limit: usize,
}

/// The answer: the documented, stable shape of `hindsight search --json`.
#[derive(Debug, Serialize)]
pub struct Response {
    /// Version of this shape; bumped only on incompatible changes.
    pub schema: u32,
    /// The query as typed.
    pub query: String,
    /// When nothing matched exactly: the corrected query whose results these are.
    pub corrected_query: Option<String>,
    /// How many retros matched every word (results hold at most `limit`).
    pub total: usize,
    /// How many more retros matched some of the words but not all.
    pub partial_total: usize,
    /// The best matches, best first.
    pub results: Vec<Hit>,
}

/// One matching retro.
#[derive(Debug, Serialize)]
pub struct Hit {
    /// Which retro.
    #[serde(flatten)]
    pub retro: RetroHeadline,
    /// Relevance (higher is better); only comparable within one response.
    pub score: f32,
    /// A passage of the body (or summary) around the matched terms.
    pub snippet: String,
    /// Byte ranges of `snippet` holding matched terms.
    pub highlights: Vec<[usize; 2]>,
    /// The retro's page, relative to the site root.
    pub path: String,
    /// True when the retro matches only some of the query's words (listed after every full match).
    pub partial: bool,
}

/// The current schema version of [`Response`].
pub const RESPONSE_SCHEMA: u32 = 1;

/// Runs `request`: retros with every word first, then (when they are fewer than the limit)
/// those with some of the words, marked partial; when no word matches at all, retries with
/// misspelt words corrected.
pub fn search(opened: &Opened, request: &Request) -> Result<Response, SearchError> {
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let mut response = respond(&searcher, opened, request, &request.query)?;
    if response.total + response.partial_total > 0 || request.query.trim().is_empty() {
        return Ok(response);
    }
    if let Some(corrected) = correct_spelling(&searcher, &opened.fields, &request.query)? {
        response = respond(&searcher, opened, request, &corrected)?;
        response.corrected_query = Some(corrected);
    }
    response.query.clone_from(&request.query);
    Ok(response)
}

/// The full matches of `text`, then its partial matches up to the limit.
fn respond(
    searcher: &Searcher,
    opened: &Opened,
    request: &Request,
    text: &str,
) -> Result<Response, SearchError> {
    let fields = &opened.fields;
    let (total, mut results) = run(searcher, fields, opened, request, text, Words::All)?;
    let mut partial_total = 0;
    if text.split_whitespace().count() > 1 {
        let (any_total, partial) = run(searcher, fields, opened, request, text, Words::Any)?;
        partial_total = any_total.saturating_sub(total);
        let room = request.limit.max(1).saturating_sub(results.len());
        let full: std::collections::HashSet<String> =
            results.iter().map(|hit| hit.retro.id.clone()).collect();
        let extra = partial.into_iter().filter(|hit| !full.contains(&hit.retro.id)).take(room);
        results.extend(extra.map(|hit| Hit { partial: true, ..hit }));
    }
    Ok(Response {
        schema: RESPONSE_SCHEMA,
        query: text.to_owned(),
        corrected_query: None,
        total,
        partial_total,
        results,
    })
}

/// Whether a retro must have every word of the query, or any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Words {
    All,
    Any,
}

fn run(
    searcher: &Searcher,
    fields: &Fields,
    opened: &Opened,
    request: &Request,
    text: &str,
    words: Words,
) -> Result<(usize, Vec<Hit>), SearchError> {
    let user_query = parse(opened, fields, text, words)?;
    let query = with_filters(fields, user_query.box_clone(), request);
    let top = top_docs(searcher, &*query, request.limit.max(1), text.trim().is_empty())?;
    let total = searcher.search(&query, &Count)?;
    let mut snippets = SnippetGenerator::create(searcher, &*user_query, fields.body)?;
    snippets.set_max_num_chars(200);
    let summary_snippets = SnippetGenerator::create(searcher, &*user_query, fields.summary)?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut snippet = snippets.snippet_from_doc(&doc);
        if snippet.highlighted().is_empty() {
            let from_summary = summary_snippets.snippet_from_doc(&doc);
            if !from_summary.highlighted().is_empty() || snippet.fragment().is_empty() {
                snippet = from_summary;
            }
        }
        hits.push(hit(fields, &doc, score, &snippet));
    }
    // Equal scores (and a filter-only query) list the newest first, then by id: stable output.
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.retro.date.cmp(&a.retro.date))
            .then_with(|| a.retro.id.cmp(&b.retro.id))
    });
    Ok((total, hits))
}

/// The best `limit` documents: by relevance, or newest first when there is no query text
/// (filters alone give no meaningful relevance).
fn top_docs(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    newest_first: bool,
) -> Result<Vec<(f32, DocAddress)>, SearchError> {
    if newest_first {
        let by_date =
            TopDocs::with_limit(limit).order_by_fast_field::<tantivy::DateTime>("date", Order::Desc);
        let found = searcher.search(query, &by_date)?;
        return Ok(found.into_iter().map(|(_, address)| (0.0, address)).collect());
    }
    Ok(searcher.search(query, &TopDocs::with_limit(limit))?)
}

/// Parses the user's syntax over the text fields; an empty query matches everything.
fn parse(opened: &Opened, fields: &Fields, text: &str, words: Words) -> Result<Box<dyn Query>, SearchError> {
    if text.trim().is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let defaults =
        vec![fields.title, fields.summary, fields.body, fields.actions, fields.labels, fields.idents];
    let mut parser = QueryParser::for_index(&opened.index, defaults);
    if words == Words::All {
        parser.set_conjunction_by_default();
    }
    // A label's name or alias is the library's own word for the failure: it ranks first.
    parser.set_field_boost(fields.labels, 6.0);
    parser.set_field_boost(fields.title, 3.0);
    parser.set_field_boost(fields.summary, 2.0);
    let parsed = parser.parse_query(text).map_err(|error| SearchError::Query {
        query: text.to_owned(),
        message: format!(
            "{error}. Write words, \"a phrase\", -excluded, a OR b, or field:value (fields: title, summary, body, service, failure_mode, factor, severity, team, trigger, tag, year, kind, status)"
        ),
    })?;
    Ok(match label_phrase(&parser, text) {
        Some(phrase) => Box::new(BooleanQuery::new(vec![(Occur::Must, parsed), (Occur::Should, phrase)])),
        None => parsed,
    })
}

/// How much more a label's name or alias found as a phrase weighs than its words found apart.
const LABEL_PHRASE_BOOST: f32 = 2.0;

/// Plain words (`certificate expiry`, `retry-storm`) as a phrase in the labels: the retros that
/// carry the label so named rank above those whose labels merely hold its words apart (a
/// `certificate-rotation` trigger beside an `unmonitored-expiry` factor).
fn label_phrase(parser: &QueryParser, text: &str) -> Option<Box<dyn Query>> {
    let plain = text.chars().all(|c| c.is_alphanumeric() || c.is_whitespace() || c == '-' || c == '_');
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if !plain || words.len() < 2 || text.trim_start().starts_with('-') {
        return None;
    }
    let phrase = parser.parse_query(&format!("labels:\"{}\"", words.join(" "))).ok()?;
    Some(Box::new(BoostQuery::new(phrase, LABEL_PHRASE_BOOST)))
}

fn with_filters(fields: &Fields, query: Box<dyn Query>, request: &Request) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    let groups = [
        (fields.service, &request.services),
        (fields.failure_mode, &request.failure_modes),
        (fields.factor, &request.factors),
        (fields.severity, &request.severities),
    ];
    for (field, values) in groups.into_iter().filter(|(_, values)| !values.is_empty()) {
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|value| {
                let term = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
                (Occur::Should, Box::new(term) as Box<dyn Query>)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if request.since.is_some() || request.until.is_some() {
        let bound = |date: Option<NaiveDate>| {
            date.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_date(fields.date, date_value(d)))
            })
        };
        clauses.push((Occur::Must, Box::new(RangeQuery::new(bound(request.since), bound(request.until)))));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn hit(fields: &Fields, doc: &TantivyDocument, score: f32, snippet: &tantivy::snippet::Snippet) -> Hit {
    let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let all = |field| doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_owned).collect::<Vec<_>>();
    let date = doc
        .get_first(fields.date)
        .and_then(|v| v.as_datetime())
        .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
        .map(|d| crate::format::iso_date(d.date_naive()))
        .unwrap_or_default();
    let id = text(fields.id);
    let retro = RetroHeadline {
        id,
        title: text(fields.title),
        date,
        severity: text(fields.severity),
        services: all(fields.service),
        failure_modes: all(fields.failure_mode),
    };
    Hit {
        path: crate::urls::retro(&retro.id),
        retro,
        score,
        snippet: snippet.fragment().to_owned(),
        highlights: snippet.highlighted().iter().map(|r| [r.start, r.end]).collect(),
        partial: false,
    }
}

/// Replaces each word the index does not know by the closest word it does (1 edit for words
/// of 4-7 letters, 2 for longer ones); `None` when nothing could be corrected.
fn correct_spelling(
    searcher: &Searcher,
    fields: &Fields,
    query: &str,
) -> Result<Option<String>, SearchError> {
    let mut corrected = String::with_capacity(query.len());
    let mut changed = false;
    let mut rest = query;
    while !rest.is_empty() {
        let word_len = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        if word_len == 0 {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            corrected.push_str(&rest[..c]);
            rest = &rest[c..];
            continue;
        }
        let word = &rest[..word_len];
        match closest_known_word(searcher, fields, word)? {
            Some(better) => {
                corrected.push_str(&better);
                changed = true;
            }
            None => corrected.push_str(word),
        }
        rest = &rest[word_len..];
    }
    Ok(changed.then_some(corrected))
}

fn closest_known_word(
    searcher: &Searcher,
    fields: &Fields,
    word: &str,
) -> Result<Option<String>, SearchError> {
    let lower = word.to_lowercase();
    let allowed = match lower.chars().count() {
        0..=3 => return Ok(None),
        4..=7 => 1,
        _ => 2,
    };
    if lower == "or"
        || lower == "and"
        || searcher.doc_freq(&Term::from_field_text(fields.idents, &lower))? > 0
    {
        return Ok(None);
    }
    let length = lower.chars().count();
    let mut best: Option<(usize, std::cmp::Reverse<u32>, String)> = None;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.idents)?;
        let mut stream = inverted.terms().stream().map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if candidate.chars().count().abs_diff(length) > allowed
                || candidate.contains(|c: char| !c.is_alphanumeric())
            {
                continue;
            }
            let distance = strsim::damerau_levenshtein(&lower, candidate);
            if distance == 0 || distance > allowed {
                continue;
            }
            let key = (distance, std::cmp::Reverse(stream.value().doc_freq), candidate.to_owned());
            if best.as_ref().is_none_or(|current| key < *current) {
                best = Some(key);
            }
        }
    }
    Ok(best.map(|(_, _, word)| word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser() -> QueryParser {
        let (schema, fields) = super::super::index::schema();
        let index = tantivy::Index::create_in_ram(schema);
        QueryParser::for_index(&index, vec![fields.title, fields.labels])
    }

    #[test]
    fn plain_words_become_a_phrase_in_the_labels_and_syntax_does_not() {
        let phrase = label_phrase(&parser(), "certificate-expiry").expect("two words");
        assert!(format!("{phrase:?}").contains("PhraseQuery"), "{phrase:?}");
        for text in ["deadlock", "-retry storm", "\"retry storm\"", "title:retry storm", "retry*  storm"] {
            assert!(label_phrase(&parser(), text).is_none(), "{text}");
        }
    }
}
