//! Dates and the timeline: the formats accepted, and the order of the moments.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

use super::Checker;
use crate::diagnostic::Code;
use crate::frontmatter::RawTimeline;
use crate::model::Timeline;

impl Checker<'_> {
    /// `date`, or the day of `timeline.started` (`started_written`: it was given, maybe invalid).
    pub(super) fn date(
        &mut self,
        date: Option<String>,
        timeline: &Timeline,
        started_written: bool,
    ) -> Option<NaiveDate> {
        match (date, timeline.started) {
            (Some(date), _) => self.parse_date(&date, "date"),
            (None, Some(started)) => Some(started.date_naive()),
            // The invalid `started` is reported already; "missing date" would only add noise.
            (None, None) if started_written => None,
            (None, None) => {
                self.missing("date", "add `date: YYYY-MM-DD` (the day it started), or `timeline.started`");
                None
            }
        }
    }

    /// Parses a strict `YYYY-MM-DD` date, reporting malformed and impossible dates.
    pub(super) fn parse_date(&mut self, text: &str, dotted: &str) -> Option<NaiveDate> {
        let text = text.trim();
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(
                |(i, b)| {
                    if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() }
                },
            );
        let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|_| well_formed);
        if parsed.is_none() {
            let message = if well_formed {
                format!("`{dotted}` is not a real date: {text}")
            } else {
                format!("`{dotted}` is not a date in the form YYYY-MM-DD: {text:?}")
            };
            self.at_value(
                Code::InvalidDate,
                dotted,
                message,
                "write the date as YYYY-MM-DD, e.g. 2024-03-05".to_owned(),
            );
        }
        parsed
    }

    pub(super) fn timeline(&mut self, raw: &RawTimeline) -> Timeline {
        let mut parse =
            |value: &Option<String>, key: &str| value.as_deref().and_then(|text| self.timestamp(text, key));
        let timeline = Timeline {
            started: parse(&raw.started, "started"),
            detected: parse(&raw.detected, "detected"),
            acknowledged: parse(&raw.acknowledged, "acknowledged"),
            mitigated: parse(&raw.mitigated, "mitigated"),
            resolved: parse(&raw.resolved, "resolved"),
        };
        self.check_order(&timeline);
        timeline
    }

    fn timestamp(&mut self, text: &str, key: &str) -> Option<DateTime<FixedOffset>> {
        let text = text.trim();
        if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
            return Some(moment);
        }
        let dotted = format!("timeline.{key}");
        let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"));
        if naive.is_ok() {
            let help =
                format!("add the offset it was recorded in, e.g. \"{text}Z\" for UTC or \"{text}+01:00\"");
            self.at_value(
                Code::TimestampWithoutOffset,
                &dotted,
                format!("`{dotted}` has no UTC offset: {text:?}"),
                help,
            );
        } else {
            let help = "write an RFC 3339 timestamp with an offset, e.g. \"2024-03-05T14:02:00Z\"".to_owned();
            self.at_value(
                Code::InvalidDate,
                &dotted,
                format!("`{dotted}` is not a valid timestamp: {text:?}"),
                help,
            );
        }
        None
    }

    fn check_order(&mut self, timeline: &Timeline) {
        let mut previous: Option<(&str, DateTime<FixedOffset>)> = None;
        for (key, moment) in timeline.steps() {
            let Some(moment) = moment else { continue };
            if let Some((before_key, before)) = previous
                && moment < before
            {
                let message =
                    format!("`timeline.{key}` ({moment}) is before `timeline.{before_key}` ({before})");
                let help = "timeline moments must be in order: started <= detected <= acknowledged <= mitigated <= resolved".to_owned();
                self.at_value(Code::TimelineOutOfOrder, &format!("timeline.{key}"), message, help);
            }
            previous = Some((key, moment));
        }
    }
}
