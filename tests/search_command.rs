//! The `search` command and the synonyms file, through the real binary: `giayto check` reports
//! every problem of `procedures/synonyms.txt` with its line and column, and `giayto search`
//! prints what the site's `/api/search` returns.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn giayto(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/synonyms")
}

#[test]
fn check_reports_every_problem_of_the_synonyms_file() {
    let output = giayto(&["check", "tests/fixtures/synonyms/procedures"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let expected_path = fixture().join("expected.txt");
    if std::env::var_os("GIAYTO_BLESS").is_some() {
        std::fs::write(&expected_path, &stdout).unwrap();
    }
    let expected = std::fs::read_to_string(expected_path).unwrap();
    assert_eq!(stdout, expected);
}

#[test]
fn the_bundled_synonyms_file_is_clean() {
    let output = giayto(&["check", "procedures", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let about_synonyms: Vec<_> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["path"]
                .as_str()
                .unwrap_or_default()
                .ends_with("synonyms.txt")
        })
        .collect();
    assert!(about_synonyms.is_empty(), "{about_synonyms:#?}");
}

#[test]
fn search_prints_the_api_json() {
    let output = giayto(&[
        "search", "--json", "--limit", "3", "lam", "giay", "khai", "sanh",
    ]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["query"], "lam giay khai sanh");
    assert!(json["total"].as_u64().unwrap() >= 1);
    let hits = json["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    let first = &hits[0];
    assert_eq!(first["id"], "dang-ky-khai-sinh");
    assert_eq!(first["url"], "/thu-tuc/dang-ky-khai-sinh");
    assert_eq!(first["codes"], serde_json::json!(["1.001193"]));
    assert!(first["score"].as_f64().unwrap() > 0.0);
    assert!(first["snippet"].as_str().unwrap().contains("<mark>"));
    let mut keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["codes", "id", "kind", "score", "snippet", "title", "url"]
    );
}

#[test]
fn search_prints_ranked_text_and_fails_when_nothing_is_found() {
    let output = giayto(&["search", "--procedures", "procedures", "cccd", "bi", "mat"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("1. ")
            && stdout
                .lines()
                .next()
                .unwrap()
                .contains("(cap-lai-the-can-cuoc"),
        "{stdout}"
    );
    let nothing = giayto(&["search", "🙂🙂"]);
    assert_eq!(nothing.status.code(), Some(1));
    let odd = giayto(&["search", "--", "-\"(title:[x", "AND", "}"]);
    assert!(odd.status.code() == Some(0) || odd.status.code() == Some(1));
}
