//! The front matter as written: every field optional and loosely typed, so that validation can
//! say exactly which field is wrong and where, instead of failing on the first surprise.

use serde::Deserialize;

/// Front matter as parsed from YAML, before validation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs, reason = "field names are the documented front-matter keys")]
pub struct RawFrontMatter {
    pub id: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub summary: Option<String>,
    pub services: Option<Vec<String>>,
    pub failure_modes: Option<Vec<String>>,
    pub contributing_factors: Vec<String>,
    pub trigger: Option<String>,
    pub detection: Option<String>,
    pub impact: Option<RawImpact>,
    pub timeline: RawTimeline,
    pub teams: Option<Vec<String>>,
    pub authors: Vec<String>,
    pub incident_commander: Option<String>,
    pub facilitator: Option<String>,
    pub review_date: Option<String>,
    pub related: Vec<String>,
    pub tags: Vec<String>,
    pub links: Vec<RawLink>,
    pub visibility: Option<String>,
    pub action_items: Vec<RawActionItem>,
}

/// `impact` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs, reason = "field names are the documented front-matter keys")]
pub struct RawImpact {
    pub level: Option<String>,
    pub customer_facing: Option<bool>,
    pub users_affected: Option<u64>,
    pub description: Option<String>,
}

/// `timeline` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs, reason = "field names are the documented front-matter keys")]
pub struct RawTimeline {
    pub started: Option<String>,
    pub detected: Option<String>,
    pub acknowledged: Option<String>,
    pub mitigated: Option<String>,
    pub resolved: Option<String>,
}

/// An entry of `links` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs, reason = "field names are the documented front-matter keys")]
pub struct RawLink {
    pub title: Option<String>,
    pub url: Option<String>,
}

/// An entry of `action_items` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs, reason = "field names are the documented front-matter keys")]
pub struct RawActionItem {
    pub id: Option<String>,
    pub title: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub tracking: Option<String>,
    pub metric: Option<String>,
    pub completed: Option<String>,
    pub note: Option<String>,
}

/// The keys a mapping at `parent` may hold, for "did you mean" on unknown keys: read from the
/// types above, so a new field is known the moment it is added.
pub fn known_keys(parent: &str) -> &'static [&'static str] {
    use serde_aux::serde_introspection::serde_introspect;
    match parent {
        "impact" => serde_introspect::<RawImpact>(),
        "timeline" => serde_introspect::<RawTimeline>(),
        "links" => serde_introspect::<RawLink>(),
        "action_items" => serde_introspect::<RawActionItem>(),
        _ => serde_introspect::<RawFrontMatter>(),
    }
}

#[cfg(test)]
mod tests {
    use super::known_keys;

    #[test]
    fn known_keys_are_the_keys_as_written() {
        assert_eq!(known_keys("timeline"), ["started", "detected", "acknowledged", "mitigated", "resolved"]);
        assert!(known_keys("action_items").contains(&"type"), "renamed fields keep their written name");
        assert_eq!(known_keys("").len(), 24);
        assert_eq!(known_keys("")[0], "id");
    }
}
