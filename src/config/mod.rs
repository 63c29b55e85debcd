//! `hindsight.yaml`: the site's settings. Every key is optional.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::urls::BaseUrl;
use crate::{fsutil, yaml};

mod lints;

pub use lints::{Level, Lints, can_relax, parse_code};

/// Items per page when `hindsight.yaml` sets no `page_size`.
pub const DEFAULT_PAGE_SIZE: usize = 200;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "hindsight.yaml";

/// The site's settings, with defaults filled in.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The library's name, shown in every page header.
    pub title: String,
    /// One sentence about the library, shown on the home page.
    pub description: Option<String>,
    /// Where `build` writes the site, relative to the site root.
    pub output_dir: PathBuf,
    /// The theme folder under `themes/` whose templates override the built-in ones.
    pub theme: String,
    /// Link pattern for action-item ticket keys, with `{key}` standing for the key.
    pub tracker_url: Option<String>,
    /// Days an action item may stay open, per severity name.
    pub action_item_sla_days: BTreeMap<String, u32>,
    /// Rule levels (allow, warn, deny) by rule code or name.
    pub lint: Lints,
    /// Items per page of a long list (all retros, a facet value's retros, action items,
    /// repeats); 0 keeps every list on one page.
    pub page_size: usize,
    /// `base_url` as written, checked into [`Config::base_url`] by [`load`] (a serde error would
    /// lose its line).
    #[serde(rename = "base_url")]
    base_url_text: Option<String>,
    /// Where the site is published; when set, the feed, `sitemap.xml` and canonical links use
    /// absolute URLs under it.
    #[serde(skip)]
    pub base_url: Option<BaseUrl>,
    /// Settings of `hindsight import`.
    pub import: ImportSettings,
}

/// The `import:` section: how `hindsight import` reads other teams' postmortems.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ImportSettings {
    /// Severities as other templates write them (`P1`, `high`, `Sev 2`) to the taxonomy's
    /// names; compared ignoring case, spaces, `-` and `_`.
    pub severity_map: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Incident library".to_owned(),
            description: None,
            output_dir: PathBuf::from("public"),
            theme: "default".to_owned(),
            tracker_url: None,
            action_item_sla_days: BTreeMap::new(),
            lint: Lints::default(),
            page_size: DEFAULT_PAGE_SIZE,
            base_url_text: None,
            base_url: None,
            import: ImportSettings::default(),
        }
    }
}

/// The configuration and any warnings about it.
pub type Loaded = (Config, Vec<Diagnostic>);

/// Reads `hindsight.yaml` under `root`, or the defaults when there is none.
pub fn load(root: &Path) -> Result<Loaded, Box<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = match fsutil::read_optional_string(&path) {
        Ok(Some(text)) => text,
        Ok(None) => return Ok((Config::default(), Vec::new())),
        Err(e) => {
            return Err(Box::new(Diagnostic::new(Code::InvalidSite, CONFIG_FILE, e.to_string())));
        }
    };
    let text: Arc<String> = text.into();
    crate::diagnostic::quoting(parse(&text), &text)
}

/// The settings written in `text`, and warnings about them.
fn parse(text: &str) -> Result<Loaded, Box<Diagnostic>> {
    let (mut config, unknown): (Config, _) = yaml::parse_with_unknown_keys(text)
        .map_err(|e| Box::new(Diagnostic::from_yaml(CONFIG_FILE, &e, 1).with_code(Code::InvalidSite)))?;
    config.lint.check(text)?;
    if let Some(written) = config.base_url_text.take() {
        let base = written.parse::<BaseUrl>().map_err(|e| {
            let at = yaml::locate(text, &yaml::path_from_dotted("base_url"), yaml::Part::Value);
            Box::new(Diagnostic::new(Code::InvalidSite, CONFIG_FILE, e.to_string()).at(at.map(Into::into)))
        })?;
        config.base_url = Some(base);
    }
    let mut warnings = unknown_key_warnings(text, &unknown);
    if let Some(pattern) = &config.tracker_url
        && !pattern.contains("{key}")
    {
        let at = yaml::locate(text, &yaml::path_from_dotted("tracker_url"), yaml::Part::Value);
        warnings.push(
                Diagnostic::new(Code::InvalidSite, CONFIG_FILE, "tracker_url has no `{key}` placeholder")
                    .at(at.map(Into::into))
                    .help("write e.g. \"https://tracker.example/browse/{key}\"; ticket keys are shown unlinked until then")
                    .as_warning(),
            );
    }
    Ok((config, warnings))
}

/// Every top-level key of `hindsight.yaml`, read from [`Config`]'s own deserializer so the list
/// cannot drift from the type.
pub fn known_keys() -> &'static [&'static str] {
    serde_aux::serde_introspection::serde_introspect::<Config>()
}

fn unknown_key_warnings(text: &str, unknown: &[String]) -> Vec<Diagnostic> {
    unknown
        .iter()
        .map(|key| {
            let at = yaml::locate(text, &yaml::path_from_dotted(key), yaml::Part::Key);
            let help = match crate::suggest::nearest(key, known_keys().iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known keys: {}", known_keys().join(", ")),
            };
            Diagnostic::new(Code::UnknownKey, CONFIG_FILE, format!("unknown setting `{key}`"))
                .at(at.map(Into::into))
                .help(help)
        })
        .collect()
}
