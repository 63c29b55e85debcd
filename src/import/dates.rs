//! Dates, times and time zones as people write them in postmortems: `2024-03-05`,
//! `March 5, 2024`, `5 Mar 2024`, `05/03/2024` (only when day and month cannot be confused),
//! `14:02`, `2:02 PM`, `all times UTC`, `UTC+2`, `PST`.

use std::sync::LazyLock;

use chrono::{FixedOffset, NaiveDate, NaiveTime};
use regex::Regex;

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\b|T)").expect("valid regex"));
static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b").expect("valid regex"));
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b").expect("valid regex")
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b")
        .expect("valid regex")
});
/// A date without a year, as timelines write it: `Mar 5`, `5 March`.
static SHORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?)\b",
    )
    .expect("valid regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,2})[:h.](\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(am|pm|a\.m\.|p\.m\.)?")
        .expect("valid regex")
});
static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:utc|gmt)\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?|(?:^|[\s(])([+-])(\d{2}):?(\d{2})\b")
        .expect("valid regex")
});
static ZONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b((?i:UTC|GMT)|Z|PST|PDT|MST|MDT|CST|CDT|EST|EDT|CET|CEST|BST|WET|WEST|EET|EEST|JST|AEST|AEDT)\b",
    )
    .expect("valid regex")
});
/// Zones whose offset depends on the day: named, but not applied.
static DAYLIGHT_ZONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(pacific|eastern|central|mountain)(?:\s+time)?\b|\b(PT|ET|CT|MT)\b|local time")
        .expect("valid regex")
});

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let index =
        MONTHS.iter().position(|m| name.starts_with(m) && full.iter().any(|f| f.starts_with(&name)))?;
    u32::try_from(index + 1).ok()
}

/// The first date written in `text`, in any of the common forms.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    if let Some(c) = ISO.captures(text) {
        let date = NaiveDate::from_ymd_opt(num(&c[1])?, num(&c[2])?, num(&c[3])?);
        found.extend(date.map(|d| (c.get(0).map_or(0, |m| m.start()), d)));
    }
    for c in MONTH_FIRST.captures_iter(text) {
        if let (Some(m), Some(day), Some(year)) = (month(&c[1]), num(&c[2]), num(&c[3]))
            && let Some(date) = NaiveDate::from_ymd_opt(year, m, day)
        {
            found.push((c.get(0).map_or(0, |m| m.start()), date));
            break;
        }
    }
    for c in DAY_FIRST.captures_iter(text) {
        if let (Some(day), Some(m), Some(year)) = (num(&c[1]), month(&c[2]), num(&c[3]))
            && let Some(date) = NaiveDate::from_ymd_opt(year, m, day)
        {
            found.push((c.get(0).map_or(0, |m| m.start()), date));
            break;
        }
    }
    if let Some(c) = NUMERIC.captures(text) {
        found.extend(
            unambiguous(num(&c[1])?, num(&c[2])?, num(&c[3])?)
                .map(|d| (c.get(0).map_or(0, |m| m.start()), d)),
        );
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, date)| date)
}

/// `05/03/2024` is a date only when one of the first two numbers cannot be a month.
fn unambiguous(a: u32, b: u32, year: i32) -> Option<NaiveDate> {
    match (a > 12, b > 12) {
        (true, false) => NaiveDate::from_ymd_opt(year, b, a),
        (false, true) => NaiveDate::from_ymd_opt(year, a, b),
        _ if a == b => NaiveDate::from_ymd_opt(year, a, b),
        _ => None,
    }
}

fn num<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.parse().ok()
}

/// A moment at the start of a timeline row: an optional date, then a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The date, when the row gives one.
    pub date: Option<NaiveDate>,
    /// A date without a year (`Mar 5`), as (month, day).
    pub month_day: Option<(u32, u32)>,
    /// The time of day.
    pub time: NaiveTime,
    /// The zone written right after the time, if any.
    pub offset: Option<FixedOffset>,
    /// Bytes of the row the stamp takes.
    pub len: usize,
}

/// Reads a stamp at the start of `text` (after list markers and emphasis are stripped).
pub fn leading_stamp(text: &str) -> Option<Stamp> {
    let mut rest = text;
    let mut date = None;
    let mut month_day = None;
    if let Some(c) = ISO.captures(rest).filter(|c| c.get(0).is_some_and(|m| m.start() == 0)) {
        date = NaiveDate::from_ymd_opt(num(&c[1])?, num(&c[2])?, num(&c[3])?);
        rest = &rest[c.get(0)?.end()..];
    } else if let Some(c) = SHORT.captures(rest) {
        let (name, day) = match (c.get(1), c.get(2)) {
            (Some(name), Some(day)) => (name.as_str(), day.as_str()),
            _ => (c.get(4)?.as_str(), c.get(3)?.as_str()),
        };
        if let (Some(m), Some(day)) = (month(name), num::<u32>(day)) {
            month_day = Some((m, day));
            rest = &rest[c.get(0)?.end()..];
            // `March 5, 2024 14:02`: the year belongs to the date.
            if let Some(year) = rest.trim_start_matches([',', ' ']).get(..4).and_then(num::<i32>) {
                date = NaiveDate::from_ymd_opt(year, m, day);
                month_day = None;
                rest = &rest.trim_start_matches([',', ' '])[4..];
            }
        }
    }
    let separators: &[char] = &[' ', 'T', ',', '@'];
    let trimmed = rest.trim_start_matches(separators);
    let c = TIME.captures(trimmed)?;
    let (mut hour, minute): (u32, u32) = (num(&c[1])?, num(&c[2])?);
    let second: u32 = c.get(3).and_then(|s| num(s.as_str())).unwrap_or(0);
    if let Some(half) = c.get(4) {
        let pm = half.as_str().to_lowercase().starts_with('p');
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    let mut len = text.len() - trimmed.len() + c.get(0)?.end();
    let after = &text[len..];
    let offset = zone_at_start(after).map(|(offset, used)| {
        len += used;
        offset
    });
    Some(Stamp { date, month_day, time, offset, len })
}

/// A zone right at the start of `text` (`Z`, ` UTC`, `+02:00`), and the bytes it takes.
fn zone_at_start(text: &str) -> Option<(FixedOffset, usize)> {
    let trimmed = text.trim_start();
    let skipped = text.len() - trimmed.len();
    let head: String = trimmed.chars().take(12).collect();
    let (offset, found) = stated_offset(&head)?;
    let start = head.find(&found)?;
    (start == 0).then_some((offset, skipped + found.len()))
}

/// The zone a heading or note states ("all times UTC", "(UTC+2)", "times in PDT"), with the
/// words that stated it.
pub fn stated_offset(text: &str) -> Option<(FixedOffset, String)> {
    if let Some(c) = OFFSET.captures(text) {
        let whole = c.get(0)?.as_str().trim_start_matches([' ', '(']).to_owned();
        let (sign, hours, minutes) = match c.get(1) {
            Some(sign) => (sign.as_str(), c.get(2)?.as_str(), c.get(3).map_or("0", |m| m.as_str())),
            None => (c.get(4)?.as_str(), c.get(5)?.as_str(), c.get(6)?.as_str()),
        };
        let seconds = num::<i32>(hours)? * 3600 + num::<i32>(minutes)? * 60;
        let seconds = if sign == "+" { seconds } else { -seconds };
        return FixedOffset::east_opt(seconds).map(|o| (o, whole));
    }
    let c = ZONE.captures(text)?;
    let name = c.get(1)?.as_str().to_uppercase();
    let hours = match name.as_str() {
        "UTC" | "GMT" | "Z" | "WET" => 0,
        "PST" => -8,
        "PDT" | "MST" => -7,
        "MDT" | "CST" => -6,
        "CDT" | "EST" => -5,
        "EDT" => -4,
        "CET" | "BST" | "WEST" => 1,
        "CEST" | "EET" => 2,
        "EEST" => 3,
        "JST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        _ => return None,
    };
    // A lone `Z` only counts right after a time (`14:02Z`), never as a word in a sentence.
    if name == "Z" && c.get(1)?.start() != 0 {
        return None;
    }
    let written = c.get(1)?.as_str().to_owned();
    FixedOffset::east_opt(hours * 3600).map(|o| (o, written))
}

/// A zone named in `text` whose offset changes with daylight saving ("Pacific Time").
pub fn daylight_zone(text: &str) -> Option<String> {
    DAYLIGHT_ZONE.find(text).map(|m| m.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<String> {
        find_date(text).map(|d| d.to_string())
    }

    #[test]
    fn common_date_forms() {
        for text in [
            "2024-03-05",
            "Date: March 5, 2024",
            "Tuesday, 5th March 2024",
            "5 Mar 2024",
            "Mar. 5 2024",
            "on 2024/03/05 at noon",
            "05/03/2024 but also 2024-03-05",
        ] {
            assert_eq!(date(text).as_deref(), Some("2024-03-05"), "{text}");
        }
        assert_eq!(date("13/03/2024").as_deref(), Some("2024-03-13"));
        assert_eq!(date("03/13/2024").as_deref(), Some("2024-03-13"));
        assert_eq!(date("05/03/2024"), None, "day and month could be swapped");
        assert_eq!(date("Mayhem 12 2024"), None);
        assert_eq!(date("version 2.3.2024"), None);
    }

    #[test]
    fn stamps_at_the_start_of_a_row() {
        let stamp = leading_stamp("14:02 UTC - deploy starts").unwrap();
        assert_eq!(
            (stamp.time.to_string().as_str(), stamp.offset.map(|o| o.local_minus_utc())),
            ("14:02:00", Some(0))
        );
        assert_eq!(&"14:02 UTC - deploy starts"[stamp.len..], " - deploy starts");
        let stamp = leading_stamp("2024-03-05 2:15 pm: paged").unwrap();
        assert_eq!(
            (stamp.date.map(|d| d.to_string()), stamp.time.to_string()),
            (Some("2024-03-05".into()), "14:15:00".into())
        );
        let stamp = leading_stamp("Mar 5, 09:30 paged").unwrap();
        assert_eq!((stamp.month_day, stamp.time.to_string()), (Some((3, 5)), "09:30:00".into()));
        let stamp = leading_stamp("2024-03-05T14:02:00+01:00 x").unwrap();
        assert_eq!(stamp.offset.map(|o| o.local_minus_utc()), Some(3600));
        assert!(leading_stamp("Deploy at 14:02").is_none());
        assert!(leading_stamp("25:00 nothing").is_none());
    }

    #[test]
    fn stated_zones() {
        let hours = |t: &str| stated_offset(t).map(|(o, _)| o.local_minus_utc() / 3600);
        assert_eq!(hours("Timeline (all times UTC)"), Some(0));
        assert_eq!(hours("Timeline (UTC+2)"), Some(2));
        assert_eq!(hours("times are in PDT"), Some(-7));
        assert_eq!(hours("Timeline"), None);
        assert_eq!(hours("Zone Z is fine"), None);
        assert_eq!(daylight_zone("(all times in Pacific Time)").as_deref(), Some("Pacific Time"));
    }
}
