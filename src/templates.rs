//! Templates: the default theme is built into the binary; a site's `themes/<theme>/` overrides
//! any template or static file by giving one of the same name.

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::{Code, Diagnostic};

/// A built-in template, embedded so the tool runs with no theme folder.
macro_rules! template {
    ($name:literal) => {
        ($name, include_str!(concat!("../themes/default/templates/", $name)))
    };
}

/// The built-in templates.
const TEMPLATES: &[(&str, &str)] = &[
    template!("base.html"),
    template!("macros.html"),
    template!("retro_item.html"),
    template!("action_item.html"),
    template!("index.html"),
    template!("retro.html"),
    template!("retros.html"),
    template!("facet.html"),
    template!("facet_index.html"),
    template!("search.html"),
    template!("404.html"),
    template!("actions.html"),
    template!("actions_list.html"),
    template!("insights.html"),
    template!("insights_repeats.html"),
    template!("insights_cell.html"),
    template!("feed.xml"),
];

/// Built-in static files, copied to the output root.
pub const STATIC_FILES: &[(&str, &str)] = &[
    ("assets/style.css", include_str!("../themes/default/static/assets/style.css")),
    ("assets/site.js", include_str!("../themes/default/static/assets/site.js")),
    ("assets/search.js", include_str!("../themes/default/static/assets/search.js")),
    ("assets/similar.js", include_str!("../themes/default/static/assets/similar.js")),
    ("assets/actions.js", include_str!("../themes/default/static/assets/actions.js")),
    // Linked from every page, so no browser asks for a missing /favicon.ico.
    ("assets/favicon.svg", include_str!("../themes/default/static/assets/favicon.svg")),
];

/// The theme folder of a site.
pub fn theme_dir(root: &Path, theme: &str) -> PathBuf {
    root.join("themes").join(theme)
}

/// Loads the built-in templates, then the theme's overrides.
pub fn load(root: &Path, theme: &str) -> Result<Tera, Box<Diagnostic>> {
    let dir = theme_dir(root, theme);
    if theme != "default" && !dir.is_dir() {
        let message = format!(
            "theme \"{theme}\" not found: there is no folder {}",
            Path::new("themes").join(theme).display()
        );
        return Err(Box::new(
            Diagnostic::new(Code::InvalidSite, crate::config::CONFIG_FILE, message)
                .help("create the folder or set `theme: default`"),
        ));
    }
    let mut templates: Vec<(String, String)> =
        TEMPLATES.iter().map(|(n, t)| ((*n).to_owned(), (*t).to_owned())).collect();
    for (name, text) in read_overrides(&dir.join("templates"))? {
        templates.retain(|(n, _)| *n != name);
        templates.push((name, text));
    }
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates)
        .map_err(|error| template_error(&Path::new("themes").join(theme), &error))?;
    Ok(tera)
}

/// Escapes `&`, `<`, `>` and `"`: enough for text and double-quoted attributes, and unlike
/// tera's default it leaves `/` alone, so URLs stay readable in the HTML.
fn escape_html(input: &str) -> String {
    let mut escaped = String::with_capacity(input.len() + input.len() / 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, input);
    escaped
}

fn read_overrides(dir: &Path) -> Result<Vec<(String, String)>, Box<Diagnostic>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut overrides = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".html") || name.starts_with('.') {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Box::new(Diagnostic::new(Code::InvalidSite, &path, format!("cannot read template: {e}")))
        })?;
        overrides.push((name, text));
    }
    overrides.sort();
    Ok(overrides)
}

/// Tera's whole explanation of an error: the error and every cause, joined by ": ".
pub fn error_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// A template error names the template and carries tera's whole explanation.
pub fn template_error(theme_dir: &Path, error: &tera::Error) -> Box<Diagnostic> {
    let message = error_chain(error);
    Box::new(
        Diagnostic::new(Code::InvalidSite, theme_dir.join("templates"), message).help(
            "fix the template; the built-in ones are in themes/default/templates/ of hindsight's source",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::{STATIC_FILES, TEMPLATES};

    /// The files under `themes/default/<dir>`, relative to it, sorted.
    fn files_in(dir: &str) -> Vec<String> {
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default").join(dir);
        let mut names: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .filter_map(|entry| {
                Some(entry.path().strip_prefix(&base).ok()?.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        names.sort();
        names
    }

    fn sorted(list: &[(&str, &str)]) -> Vec<String> {
        let mut names: Vec<String> = list.iter().map(|(name, _)| (*name).to_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn every_default_template_is_embedded() {
        assert_eq!(sorted(TEMPLATES), files_in("templates"), "add the new template to TEMPLATES");
    }

    #[test]
    fn every_default_static_file_is_embedded() {
        assert_eq!(sorted(STATIC_FILES), files_in("static"), "add the new file to STATIC_FILES");
    }
}
