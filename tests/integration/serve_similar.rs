//! The dev server's `/api/similar`: the answer of `hindsight similar --json` for a retro id
//! (GET) or pasted text (POST), and clear errors for what it cannot answer.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::serve::{Answer, get, send, serve};

/// Sends a POST with `body` (HTTP/1.0, so the server closes the connection when done).
fn post(port: u16, path: &str, body: &[u8]) -> Answer {
    send(port, "POST", path, body)
}

/// `hindsight similar ARGS --json` on `site`, with `stdin` piped in.
fn cli(site: &std::path::Path, args: &[&str], stdin: &[u8]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["--root", site.to_str().expect("utf-8"), "similar"])
        .args(args)
        .arg("--json")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("similar runs");
    child.stdin.take().expect("stdin").write_all(stdin).expect("write stdin");
    let output = child.wait_with_output().expect("similar ends");
    assert!(output.status.success(), "similar {args:?} failed");
    String::from_utf8(output.stdout).expect("utf-8")
}

fn json(answer: &Answer) -> serde_json::Value {
    serde_json::from_slice(&answer.body).expect("JSON")
}

#[test]
fn similar_to_a_retro_answers_what_the_cli_does() {
    let s = serve("library");
    let answer = get(s.port, "/api/similar?id=ALPHA-1&limit=3");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.head.contains("Content-Type: application/json"), "{}", answer.head);
    let value = json(&answer);
    assert_eq!(value["schema"], 1);
    assert_eq!(value["query"], "ALPHA-1");
    let results = value["results"].as_array().expect("results");
    assert!(!results.is_empty() && results.len() <= 3, "{value}");
    let first = &results[0];
    assert_eq!(first["path"], format!("retros/{}.html", first["id"].as_str().expect("id")));
    assert!(first["reasons"].as_array().is_some_and(|r| !r.is_empty()), "{first}");
    assert!(results.iter().all(|r| r["id"] != "ALPHA-1"), "a retro is not similar to itself");
    assert_eq!(answer.text(), cli(&s.site, &["ALPHA-1", "--limit", "3"], b""));
}

#[test]
fn similar_to_pasted_text_answers_what_the_cli_does() {
    let s = serve("library");
    let pasted =
        b"ECONNRESET from payments-api: the connection pool is exhausted, clients retry with no backoff";
    let answer = post(s.port, "/api/similar?limit=4", pasted);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let value = json(&answer);
    assert_eq!(value["query"], "-");
    assert_eq!(value["results"][0]["id"], "ALPHA-1", "{value}");
    assert_eq!(answer.text(), cli(&s.site, &["-", "--limit", "4"], pasted));
}

#[test]
fn similar_refuses_what_it_cannot_answer_and_says_what_to_do() {
    let s = serve("library");
    let empty = post(s.port, "/api/similar", b" \n");
    assert_eq!(empty.status, 400);
    assert!(
        json(&empty)["error"].as_str().is_some_and(|e| e.contains("is empty: paste the text")),
        "{}",
        empty.text()
    );
    let binary = post(s.port, "/api/similar", b"PK\x03\x04\0\0binary");
    assert_eq!(binary.status, 400);
    assert!(json(&binary)["error"].as_str().is_some_and(|e| e.contains("not text")), "{}", binary.text());
    let missing = get(s.port, "/api/similar?id=ALPHA-2");
    assert_eq!(missing.status, 404);
    assert!(
        json(&missing)["error"].as_str().is_some_and(|e| e.contains("did you mean ALPHA-1?")),
        "{}",
        missing.text()
    );
    let no_id = get(s.port, "/api/similar");
    assert_eq!(no_id.status, 400);
    assert!(json(&no_id)["error"].as_str().is_some_and(|e| e.contains("?id=")), "{}", no_id.text());
}
