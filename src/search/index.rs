//! The tantivy index under `.hindsight/index/`: a cache rebuilt by every `build`, and by
//! `search` when it is missing or stale. Readers never see a half-built index: it is built in
//! a staging folder and swapped in whole.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, TextAnalyzer};
use tantivy::{DateTime, Index, TantivyDocument};

use super::SearchError;
use super::ident::IdentTokenizer;
use super::record::Record;
use crate::fsutil;
use crate::library::Selection;
use crate::output::Staging;

/// Where the index lives, relative to the site root.
pub const INDEX_DIR: &str = ".hindsight/index";
/// The manifest that says what the index was built from.
const MANIFEST: &str = "hindsight-manifest.json";
/// The tokenizer that keeps identifiers whole: `payments-api`, `5xx`, `p99`, `econnreset`.
const IDENT_TOKENIZER: &str = "hindsight_ident";
/// Memory for the index writer: enough for 100,000 retros without flushing too often.
const WRITER_MEMORY: usize = 50_000_000;

/// The index's fields.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs, reason = "each field is named after what it holds")]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub actions: Field,
    pub labels: Field,
    pub idents: Field,
    pub service: Field,
    pub failure_mode: Field,
    pub factor: Field,
    pub severity: Field,
    pub team: Field,
    pub trigger: Field,
    pub tag: Field,
    pub year: Field,
    pub kind: Field,
    pub status: Field,
    pub date: Field,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let prose = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored { options.set_stored() } else { options }
    };
    let idents = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(IDENT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", prose(true)),
        summary: builder.add_text_field("summary", prose(true)),
        body: builder.add_text_field("body", prose(true)),
        actions: builder.add_text_field("actions", prose(false)),
        labels: builder.add_text_field("labels", prose(false)),
        idents: builder.add_text_field("idents", idents),
        service: builder.add_text_field("service", STRING | STORED),
        failure_mode: builder.add_text_field("failure_mode", STRING | STORED),
        factor: builder.add_text_field("factor", STRING),
        severity: builder.add_text_field("severity", STRING | STORED),
        team: builder.add_text_field("team", STRING),
        trigger: builder.add_text_field("trigger", STRING),
        tag: builder.add_text_field("tag", STRING),
        year: builder.add_text_field("year", STRING),
        kind: builder.add_text_field("kind", STRING),
        status: builder.add_text_field("status", STRING),
        date: builder.add_date_field("date", DateOptions::default().set_indexed().set_fast().set_stored()),
    };
    (builder.build(), fields)
}

/// Registers the tokenizers the schema names (tantivy does not persist them). `en_stem` is
/// tantivy's own, replaced by the same analyzer with a cache of stems.
fn register_tokenizers(index: &Index) -> Result<(), SearchError> {
    index.tokenizers().register("en_stem", super::stemming::english());
    let identifiers = IdentTokenizer::default();
    let analyzer =
        TextAnalyzer::builder(identifiers).filter(RemoveLongFilter::limit(64)).filter(LowerCaser).build();
    index.tokenizers().register(IDENT_TOKENIZER, analyzer);
    Ok(())
}

/// What an index was built from, to tell whether it is stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// A hash of the content files' names, sizes and times, the site files, the selection and
    /// hindsight's version.
    pub fingerprint: String,
    /// How many retros it holds.
    pub retros: usize,
}

/// The fingerprint of an index of `sources` (a [`crate::content::stamp`] taken before they
/// were read) for this selection, by this version of hindsight.
pub fn fingerprint(sources: u64, selection: Selection) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    (selection.drafts, selection.include_restricted).hash(&mut hasher);
    sources.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Builds the index for `records` and swaps it in under `root/.hindsight/index`.
pub fn build(root: &Path, records: &[Record<'_>], fingerprint: String) -> Result<(), SearchError> {
    let target = root.join(INDEX_DIR);
    let staging = Staging::create(root, &target)?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(staging.path(), schema)?;
    register_tokenizers(&index)?;
    let mut writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    for record in records {
        writer.add_document(document(&fields, record))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let manifest = Manifest { fingerprint, retros: records.len() };
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    fsutil::write(&staging.path().join(MANIFEST), &json)?;
    staging.publish()?;
    Ok(())
}

fn document(fields: &Fields, record: &Record<'_>) -> TantivyDocument {
    let retro = record.retro;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &retro.id);
    doc.add_text(fields.title, &retro.title);
    doc.add_text(fields.summary, retro.summary.as_deref().unwrap_or_default());
    doc.add_text(fields.body, record.body);
    let actions = record.actions();
    doc.add_text(fields.actions, &actions);
    doc.add_text(fields.labels, &record.labels);
    for text in
        [retro.title.as_str(), retro.summary.as_deref().unwrap_or_default(), record.body, actions.as_str()]
    {
        doc.add_text(fields.idents, text);
    }
    let multi = [
        (fields.service, &retro.services),
        (fields.failure_mode, &retro.failure_modes),
        (fields.factor, &retro.contributing_factors),
        (fields.team, &retro.teams),
        (fields.tag, &retro.tags),
    ];
    for (field, values) in multi {
        for value in values {
            doc.add_text(field, value);
        }
    }
    doc.add_text(fields.severity, &retro.severity);
    if let Some(trigger) = &retro.trigger {
        doc.add_text(fields.trigger, trigger);
    }
    doc.add_text(fields.year, record.year());
    doc.add_text(fields.kind, retro.kind.as_str());
    doc.add_text(fields.status, retro.status.as_str());
    doc.add_date(fields.date, date_value(retro.date));
    doc
}

/// A calendar date as a tantivy date (midnight UTC).
pub fn date_value(date: chrono::NaiveDate) -> DateTime {
    let seconds = date.and_hms_opt(0, 0, 0).map_or(0, |moment| moment.and_utc().timestamp());
    DateTime::from_timestamp_secs(seconds)
}

/// An opened index with its fields.
pub struct Opened {
    /// The index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// What it was built from.
    pub manifest: Manifest,
}

/// Opens the index under `root`, or `None` when there is none (or it is unreadable).
pub fn open(root: &Path) -> Result<Option<Opened>, SearchError> {
    let dir = root.join(INDEX_DIR);
    let manifest_path = dir.join(MANIFEST);
    let Ok(Some(text)) = fsutil::read_optional_string(&manifest_path) else {
        return Ok(None);
    };
    let Ok(manifest) = serde_json::from_str::<Manifest>(&text) else {
        return Ok(None);
    };
    let Ok(index) = Index::open_in_dir(&dir) else {
        return Ok(None);
    };
    register_tokenizers(&index)?;
    let (_, fields) = schema();
    Ok(Some(Opened { index, fields, manifest }))
}

/// The index folder (for messages).
pub fn index_dir(root: &Path) -> PathBuf {
    root.join(INDEX_DIR)
}
