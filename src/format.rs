//! How numbers and durations are written for readers, shared by the pages and the charts.

/// `YYYY-MM-DD`, as `date.format("%Y-%m-%d")` writes it. chrono's `Display` for a date gives the
/// same text without parsing a format string on every call: pages write a few dates for each of
/// the hundreds of thousands of rows a large library lists.
pub fn iso_date(date: chrono::NaiveDate) -> String {
    date.to_string()
}

/// 142000 → "142,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "45 min", "2 h 5 min", "3 d 4 h".
pub fn human_minutes(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// A median of minutes: "2.5 min" when it falls between two minutes under an hour, else
/// rounded to the minute as [`human_minutes`] writes it.
pub fn human_median(minutes: f64) -> String {
    if minutes < 60.0 && minutes.fract() != 0.0 {
        format!("{minutes:.1} min")
    } else {
        human_minutes(minutes.round() as i64)
    }
}

/// "1 retro", "3 retros".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "failure mode" → "Failure mode".
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_what_the_format_string_writes() {
        for (year, month, day) in
            [(2024, 3, 1), (1999, 12, 31), (0, 1, 1), (9999, 12, 31), (10_000, 1, 1), (-1, 6, 15)]
        {
            let date = chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a real date");
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn medians_keep_a_half_minute_under_an_hour() {
        assert_eq!(human_median(2.5), "2.5 min");
        assert_eq!(human_median(14.0), "14 min");
        assert_eq!(human_median(90.5), "1 h 31 min");
    }

    #[test]
    fn minutes_read_as_days_hours_and_minutes() {
        assert_eq!(human_minutes(7), "7 min");
        assert_eq!(human_minutes(120), "2 h");
        assert_eq!(human_minutes(125), "2 h 5 min");
        assert_eq!(human_minutes(3 * 1440 + 4 * 60 + 3), "3 d 4 h");
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(142_000), "142,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(plural(1, "retro", "retros"), "1 retro");
        assert_eq!(plural(3, "retro", "retros"), "3 retros");
        assert_eq!(capitalise("failure mode"), "Failure mode");
    }
}
