//! Templates for new files: tera, without HTML escaping, with a `yaml` filter that writes a
//! value (or a list) as YAML people can read and edit.

use std::collections::HashMap;
use std::path::Path;

use tera::{Context, Tera, Value};

use crate::diagnostic::{Code, Diagnostic};

/// Renders `text` (named `name` in messages) with `context`.
pub fn render(name: &Path, text: &str, context: &Context) -> Result<String, Box<Diagnostic>> {
    let mut tera = Tera::default();
    tera.register_filter("yaml", yaml_filter);
    let key = name.to_string_lossy();
    tera.add_raw_template(&key, text).map_err(|error| template_error(name, &error))?;
    tera.render(&key, context).map_err(|error| template_error(name, &error))
}

/// `{{ title | yaml }}`, `{{ services | yaml }}`: a scalar, quoted only when it must be, or a
/// flow list `[a, b]`. An empty string or null renders as nothing, which YAML reads as no value.
fn yaml_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(scalar).collect();
            format!("[{}]", items.join(", "))
        }
        other => scalar(other),
    };
    Ok(Value::String(text))
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => crate::yaml::scalar(text),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn template_error(name: &Path, error: &tera::Error) -> Box<Diagnostic> {
    let message = crate::templates::error_chain(error);
    Box::new(
        Diagnostic::new(Code::InvalidSite, name, message)
            .help("fix the template; `hindsight new` fills in id, title, date, year, severity, services and failure_modes"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_filter_quotes_only_what_needs_it() {
        let mut context = Context::new();
        context.insert("title", "Checkout: 50% of \"orders\" failed");
        context.insert("services", &["api", "a, b"]);
        context.insert("severity", "");
        let text =
            "title: {{ title | yaml }}\nservices: {{ services | yaml }}\nseverity: {{ severity | yaml }}\n";
        let out = render(Path::new("t.md"), text, &context).unwrap();
        assert_eq!(
            out,
            "title: \"Checkout: 50% of \\\"orders\\\" failed\"\nservices: [api, \"a, b\"]\nseverity: \n"
        );
    }

    #[test]
    fn template_errors_name_the_template() {
        let error = render(Path::new("templates/retro.md"), "{{ nope", &Context::new()).unwrap_err();
        assert_eq!(error.file, Path::new("templates/retro.md"));
        assert_eq!(error.code, Code::InvalidSite);
    }
}
