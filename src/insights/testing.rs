//! Small libraries for the unit tests of the analyses.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::config::Config;
use crate::library::{Library, Selection};
use crate::model::{ActionItem, ActionStatus, Kind, Retro, Status, Timeline, Visibility};
use crate::taxonomy::Taxonomy;

/// `YYYY-MM-DD`.
pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

/// A published incident on `date` with one service and failure mode.
pub fn retro(id: &str, date: &str, severity: &str, service: &str, mode: &str) -> Retro {
    Retro {
        id: id.to_owned(),
        source: format!("content/{id}.md").into(),
        title: id.to_owned(),
        date: day(date),
        severity: severity.to_owned(),
        severity_rank: Taxonomy::permissive().severity_rank(severity),
        status: Status::Published,
        kind: Kind::Incident,
        summary: None,
        services: vec![service.to_owned()],
        failure_modes: vec![mode.to_owned()],
        contributing_factors: Vec::new(),
        trigger: None,
        detection: None,
        impact: None,
        timeline: Timeline::default(),
        teams: Vec::new(),
        authors: Vec::new(),
        incident_commander: None,
        facilitator: None,
        review_date: None,
        related: Vec::new(),
        tags: Vec::new(),
        links: Vec::new(),
        visibility: Visibility::Internal,
        action_items: Vec::new(),
        file: Default::default(),
    }
}

/// An item with `status`, due on `due`, done on `completed`.
pub fn item(status: ActionStatus, due: Option<&str>, completed: Option<&str>) -> ActionItem {
    ActionItem {
        id: None,
        title: "do it".to_owned(),
        owner: None,
        due: due.map(day),
        status,
        kind: None,
        priority: None,
        tracking: None,
        metric: None,
        completed: completed.map(day),
        note: None,
    }
}

/// An RFC 3339 moment.
pub fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("a timestamp")
}

/// A library of `retros` as of `today`, with SEV1 items due within 15 days and SEV2 within 30.
pub fn library(retros: Vec<Retro>, today: &str) -> Library {
    let mut config = Config::default();
    config.action_item_sla_days.insert("SEV1".to_owned(), 15);
    config.action_item_sla_days.insert("SEV2".to_owned(), 30);
    Library::new(config, Taxonomy::permissive(), retros, Selection::default(), day(today))
}
