//! Templates: the default theme is built into the binary; a site's `themes/<theme>/` overrides
//! any template or static file by giving one of the same name.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use tera::Tera;
use tera::ast::{Expr, ExprVal, Node};

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

/// The template of one row of a retro list, given `r` (the row's fields) and `root`.
pub const RETRO_ROW: &str = "retro_item.html";
/// The template of one row of an action table, given `i` (the item) and `root`.
pub const ACTION_ROW: &str = "action_item.html";

/// A theme's templates: the built-in ones with the site's overrides.
#[derive(Debug)]
pub struct Theme {
    /// Every template, by name.
    pub tera: Tera,
    /// Whether a template may read a list's rows' fields (`r.title`, `i.owner`) rather than only
    /// print each row's `html`: true when the site overrides a template other than the row
    /// templates. The built-in templates only print the rows, and giving each list page
    /// every field of every row was a twentieth of a 10,000-retro build's CPU.
    pub lists_read_row_fields: bool,
}

/// Loads the built-in templates, then the theme's overrides.
pub fn load(root: &Path, theme: &str) -> Result<Theme, Box<Diagnostic>> {
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
    let overrides = read_overrides(&dir.join("templates"))?;
    let lists_read_row_fields =
        overrides.iter().any(|(name, _)| ![RETRO_ROW, ACTION_ROW].contains(&name.as_str()));
    for (name, text) in overrides {
        templates.retain(|(n, _)| *n != name);
        templates.push((name, text));
    }
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates)
        .map_err(|error| template_error(&Path::new("themes").join(theme), &error))?;
    Ok(Theme { tera, lists_read_row_fields })
}

/// Escapes `&`, `<`, `>` and `"`: enough for text and double-quoted attributes, and unlike
/// tera's default it leaves `/` alone, so URLs stay readable in the HTML.
fn escape_html(input: &str) -> String {
    let mut escaped = String::with_capacity(input.len() + input.len() / 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, input);
    escaped
}

/// Whether template `name` prints `root` only as it is (`{{ root }}`: never filtered, tested,
/// passed on or rebound, and with no include or parent that could). Rendering such a template
/// with a stand-in for `root` and putting the real one in afterwards gives the same text, so a
/// list row is rendered once for every page depth rather than once per depth (`pages::rows`).
pub fn prints_root_verbatim(tera: &Tera, name: &str) -> bool {
    tera.get_template(name)
        .is_ok_and(|template| template.parent.is_none() && all_print_root_verbatim(&template.ast))
}

/// [`prints_root_verbatim`] for a template's nodes.
fn all_print_root_verbatim(nodes: &[Node]) -> bool {
    nodes.iter().all(|node| match node {
        Node::Text(_) | Node::Comment(..) | Node::Raw(..) => true,
        Node::VariableBlock(_, expr) => is_plain_root(expr) || !mentions_root(expr),
        Node::If(branches, _) => {
            branches
                .conditions
                .iter()
                .all(|(_, test, body)| !mentions_root(test) && all_print_root_verbatim(body))
                && branches.otherwise.as_ref().is_none_or(|(_, body)| all_print_root_verbatim(body))
        }
        Node::Forloop(_, each, _) => {
            !mentions_root(&(&each.key, &each.value, &each.container))
                && all_print_root_verbatim(&each.body)
                && each.empty_body.as_deref().is_none_or(all_print_root_verbatim)
        }
        Node::Block(_, block, _) => all_print_root_verbatim(&block.body),
        // The included template may use `root` in any way.
        Node::Include(..) => false,
        other => !mentions_root(other),
    })
}

/// Whether `expr` is `root` itself, neither negated nor filtered.
fn is_plain_root(expr: &Expr) -> bool {
    matches!(&expr.val, ExprVal::Ident(name) if name == "root") && !expr.negated && expr.filters.is_empty()
}

/// Whether a part of a template may read `root` or the whole context: whether its debug form
/// names them (so also a string "root", which errs on the safe side).
fn mentions_root(part: &impl Debug) -> bool {
    let text = format!("{part:?}");
    text.contains("\"root") || text.contains("__tera_context")
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
    use super::{STATIC_FILES, TEMPLATES, load, prints_root_verbatim};

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

    #[test]
    fn lists_give_their_rows_fields_once_a_template_other_than_a_row_is_overridden() {
        let site = tempfile::tempdir().expect("tempdir");
        let templates = site.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).expect("mkdir");
        let reads_fields = || load(site.path(), "default").expect("theme").lists_read_row_fields;
        assert!(!reads_fields(), "the built-in templates print only each row's html");
        std::fs::write(templates.join("retro_item.html"), "<li>{{ r.title }}</li>").expect("write");
        std::fs::write(templates.join("action_item.html"), "<tr>{{ i.title }}</tr>").expect("write");
        assert!(!reads_fields(), "a row template is given a whole row anyway");
        std::fs::write(templates.join("facet.html"), "{{ page.retros | length }}").expect("write");
        assert!(reads_fields(), "any other template may read a row's fields");
    }

    #[test]
    fn the_default_rows_print_root_verbatim_and_any_other_use_of_it_is_caught() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(TEMPLATES.to_vec()).expect("built-in templates");
        for name in ["retro_item.html", "action_item.html"] {
            assert!(prints_root_verbatim(&tera, name), "{name}");
        }
        let verbatim = [
            "<a href=\"{{ root }}{{ r.url }}\">{{ r.title }}</a>",
            "{% if r.summary %}<p>{{ root }}x</p>{% else %}{{ root }}{% endif %}",
            "{% for t in r.teams %}<a href=\"{{ root }}{{ t.url }}\">root</a>{% endfor %}",
        ];
        let not_verbatim = [
            "{{ root | upper }}",
            "{{ root | length }}",
            "{% if root == \"../\" %}up{% endif %}",
            "{% set root = \"/\" %}{{ root }}",
            "{% for root in r.teams %}{{ root }}{% endfor %}",
            "{% filter upper %}{{ root }}{% endfilter %}",
            "{% if r.x %}{{ root ~ r.url }}{% endif %}",
            "{{ __tera_context }}",
            "{% include \"retro_item.html\" %}",
            "{% extends \"retro_item.html\" %}",
        ];
        for (i, source) in verbatim.iter().chain(&not_verbatim).enumerate() {
            let name = format!("t{i}.html");
            tera.add_raw_template(&name, source).expect(source);
            assert_eq!(prints_root_verbatim(&tera, &name), i < verbatim.len(), "{source}");
        }
    }
}
