//! The dev server's HTTP side: serves the current snapshot (GET and HEAD only, nothing outside
//! the built site), injects the live-reload script into HTML, and answers `/api/search`,
//! `/api/similar` (GET, or POST with pasted text) and the live-reload endpoints.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::state::State;
use crate::search::{index, query};
use crate::similar::{Target, answer};
use crate::site::Site;
use crate::urls;

/// The live-reload script, injected before `</body>` of every served HTML page.
const LIVE_RELOAD: &str = include_str!("livereload.js");

/// Answers one request.
pub fn handle(mut request: Request, state: &Arc<State>, root: &Path) {
    let url = request.url().to_owned();
    let (path, query_string) = url.split_once('?').unwrap_or((&url, ""));
    if path == "/api/similar" && *request.method() == Method::Post {
        let response = similar_to_pasted(&mut request, state, query_string);
        let _ = request.respond(response);
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = text(405, "only GET and HEAD are served\n").with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    match path {
        "/__hindsight/events" => events(request, state),
        "/__hindsight/status" => {
            let _ = request.respond(json(200, state.status_json()));
        }
        "/api/search" => {
            let _ = request.respond(api_search(root, query_string));
        }
        "/api/similar" => {
            let _ = request.respond(similar_to_retro(state, query_string));
        }
        _ => {
            let response = match site_path(path) {
                Some(relative) => page(state, &relative),
                None => text(400, "bad path\n"),
            };
            let _ = request.respond(response);
        }
    }
}

/// Turns a URL path into a site-relative file path, or `None` for anything that tries to leave
/// the site: `..` segments, encoded slashes or dots, backslashes, NUL.
pub fn site_path(path: &str) -> Option<String> {
    let lowered = path.to_ascii_lowercase();
    if lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("%00") || path.contains('\\') {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\0') => return None,
            s => parts.push(s),
        }
    }
    let mut relative = parts.join("/");
    if decoded.ends_with('/') || relative.is_empty() {
        relative =
            if relative.is_empty() { urls::HOME.to_owned() } else { format!("{relative}/{}", urls::HOME) };
    }
    Some(relative)
}

fn percent_decode(path: &str) -> Option<String> {
    percent_encoding::percent_decode_str(path).decode_utf8().ok().map(std::borrow::Cow::into_owned)
}

fn page(state: &State, relative: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let snapshot = state.snapshot();
    if snapshot.files.is_empty() {
        // The first build failed: a bare page on which the overlay shows why.
        let html =
            b"<!doctype html><title>hindsight</title><body><h1>The site could not be built yet</h1></body>";
        return Response::from_data(inject(html, snapshot.generation))
            .with_status_code(StatusCode(503))
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
    }
    let (status, relative, stored) = match snapshot.files.get(relative) {
        Some(stored) => (200, relative, stored),
        None => match snapshot.files.get(urls::NOT_FOUND) {
            Some(stored) => (404, urls::NOT_FOUND, stored),
            None => return text(404, "not found\n"),
        },
    };
    let Ok(bytes) = stored.bytes() else {
        return text(
            500,
            &format!("{relative} could not be read back from memory: restart `hindsight serve`\n"),
        );
    };
    let content_type = content_type(relative);
    let body = if content_type.starts_with("text/html") {
        inject(&bytes, snapshot.generation)
    } else {
        bytes.into_owned()
    };
    let mut response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type));
    // HTML changes with every rebuild: never let the browser reuse it.
    if content_type.starts_with("text/html") {
        response = response.with_header(header("Cache-Control", "no-store"));
    }
    response
}

fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = format!(
        "<script>window.__hindsightGeneration={generation};</script><script>{LIVE_RELOAD}</script>\n"
    );
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Server-sent events: one message per rebuild, a comment every 15 s to keep the line open.
fn events(request: Request, state: &State) {
    let (sender, receiver) = channel();
    state.subscribe(sender);
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if writer.write_all(head.as_bytes()).and_then(|()| writer.flush()).is_err() {
        return;
    }
    loop {
        let chunk = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => format!("data: {message}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer.write_all(chunk.as_bytes()).and_then(|()| writer.flush()).is_err() {
            return;
        }
    }
}

/// `GET /api/search?q=&service=&failure_mode=&severity=&limit=`: the CLI's JSON, from tantivy.
fn api_search(root: &Path, query_string: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut request = query::Request { limit: 20, ..Default::default() };
    for (key, value) in form_urlencoded::parse(query_string.as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "q" => request.query = value,
            "service" => request.services.push(value),
            "failure_mode" => request.failure_modes.push(value),
            "factor" => request.factors.push(value),
            "severity" => request.severities.push(value),
            "limit" => request.limit = value.parse().unwrap_or(20).clamp(1, 200),
            _ => {}
        }
    }
    let opened = match index::open(root) {
        Ok(Some(opened)) => opened,
        _ => return json(503, r#"{"error":"the search index is being built"}"#.to_owned()),
    };
    match query::search(&opened, &request) {
        Ok(response) => json(200, serde_json::to_string(&response).unwrap_or_default()),
        Err(error) => json(400, serde_json::json!({ "error": error.to_string() }).to_string()),
    }
}

/// `GET /api/similar?id=&limit=`: `hindsight similar ID --json`, from the served library.
fn similar_to_retro(state: &State, query_string: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let (id, limit) = similar_parameters(query_string);
    let Some(site) = state.site() else {
        return json_error(503, "the site is being built: try again shortly");
    };
    let library = &site.library;
    let Some(id) = id.filter(|id| !id.trim().is_empty()) else {
        return json_error(
            400,
            "give a retro id (?id=INC-…), or POST the text of an alert, a chat thread or a draft",
        );
    };
    let Some(index) = library.index_of(&id) else {
        let hint = match crate::suggest::nearest(&id, library.retros.iter().map(|r| r.id.as_str())) {
            Some(best) => format!("did you mean {best}?"),
            None => "give the id of a published retro".to_owned(),
        };
        return json_error(404, &format!("{id:?} is not a published retro: {hint}"));
    };
    let answer = answer_from(&site, Target::Retro(index), &id, limit);
    json(200, serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n")
}

/// `POST /api/similar?limit=` with pasted text as the body (read up to its first MiB, as the CLI
/// reads standard input): `hindsight similar - --json`.
fn similar_to_pasted(
    request: &mut Request,
    state: &State,
    query_string: &str,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let (_, limit) = similar_parameters(query_string);
    let mut bytes = Vec::new();
    let reader = request.as_reader();
    if reader.take(answer::MAX_PASTE as u64).read_to_end(&mut bytes).is_err() {
        return json_error(400, "the request body could not be read: send the pasted text as the body");
    }
    // The rest of a longer paste is read and dropped, so the client is not left blocked.
    let _ = std::io::copy(reader, &mut std::io::sink());
    let text = match answer::pasted_text(bytes, "the request body") {
        Ok(text) => text,
        Err(error) => return json_error(400, &error.to_string()),
    };
    let Some(site) = state.site() else {
        return json_error(503, "the site is being built: try again shortly");
    };
    let answer = answer_from(&site, Target::Text(&text), "-", limit);
    json(200, serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n")
}

/// The answer for `target` from the served site: from what its build produced when it has it
/// (at 10,000 retros, a retro's list at once instead of 2.5 s), else computed.
fn answer_from(site: &Site, target: Target<'_>, query: &str, limit: usize) -> answer::Answer {
    match &site.rendered {
        Some(rendered) => {
            answer::answer_built(&site.library, (&rendered.similar, &rendered.bodies), target, query, limit)
        }
        None => answer::answer(&site.library, target, query, limit),
    }
}

/// The `id` and `limit` (default 5, as the CLI's) of a `/api/similar` query string.
fn similar_parameters(query_string: &str) -> (Option<String>, usize) {
    let mut id = None;
    let mut limit = 5;
    for (key, value) in form_urlencoded::parse(query_string.as_bytes()) {
        match key.as_ref() {
            "id" => id = Some(value.into_owned()),
            "limit" => limit = value.parse().unwrap_or(5).clamp(1, 200),
            _ => {}
        }
    }
    (id, limit)
}

fn json_error(status: u16, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    json(status, serde_json::json!({ "error": message }).to_string())
}

fn header(name: &'static str, value: &'static str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("fixed ASCII header") // ok: constants only
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn json(status: u16, body: String) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body.into_bytes())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "application/json"))
        .with_header(header("Cache-Control", "no-store"))
}

#[cfg(test)]
mod tests {
    use super::site_path;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/retros/").as_deref(), Some("retros/index.html"));
        assert_eq!(site_path("/retros/A%2D1.html").as_deref(), Some("retros/A-1.html"));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/%2E%2E/x",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}
