//! `giayto check` on fixture folders: each broken case gives exactly the diagnostics in its
//! `expected.txt`, line numbers included; the valid folder gives none.
//!
//! To regenerate the expected files after a deliberate change of wording, run the tests with
//! `GIAYTO_BLESS=1` and review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use giayto::content;
use giayto::diagnostics::{OutputFormat, render};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixed "today", so that the fixtures' dates keep their meaning.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// The diagnostics of `case_dir/procedures` as text, with paths relative to `case_dir`.
fn diagnostics_text(case_dir: &Path) -> String {
    let loaded = content::load_dir(&case_dir.join("procedures"), today()).unwrap();
    let prefix = format!("{}/", case_dir.display());
    render(&loaded.diagnostics, OutputFormat::Text).replace(&prefix, "")
}

#[test]
fn the_valid_fixture_has_no_diagnostic_and_loads_every_file() {
    let loaded = content::load_dir(&fixtures().join("valid/procedures"), today()).unwrap();
    assert_eq!(loaded.diagnostics, vec![]);
    let ids: Vec<_> = loaded.procedures.iter().map(|p| p.id()).collect();
    assert_eq!(ids, ["dang-ky-khai-tu", "vneid-quen-mat-khau"]);
    assert_eq!(loaded.categories.len(), 2);
}

#[test]
fn every_invalid_case_gives_exactly_its_expected_diagnostics() {
    let mut cases: Vec<_> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "only {} invalid cases", cases.len());
    let bless = std::env::var_os("GIAYTO_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let actual = diagnostics_text(case);
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        assert!(!actual.is_empty(), "{} gives no diagnostic", case.display());
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        if actual != expected {
            failures.push(format!(
                "--- {}\nexpected:\n{expected}\nactual:\n{actual}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_broken_file_does_not_stop_the_others_from_loading() {
    let case = fixtures().join("invalid/yaml-syntax/procedures");
    let loaded = content::load_dir(&case, today()).unwrap();
    assert!(loaded.has_errors());
    let ids: Vec<_> = loaded.procedures.iter().map(|p| p.id()).collect();
    assert_eq!(ids, ["vneid-quen-mat-khau"]);
}

#[test]
fn warnings_alone_keep_every_procedure() {
    let case = fixtures().join("invalid/stale-and-no-sources/procedures");
    let loaded = content::load_dir(&case, today()).unwrap();
    assert!(!loaded.has_errors());
    assert_eq!(loaded.procedures.len(), 2);
}

fn check_command(dir: &Path, format: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(["check", "--format", format])
        .arg(dir)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn the_command_exits_1_on_errors_and_0_otherwise() {
    let (code, out) = check_command(&fixtures().join("valid/procedures"), "text");
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out) = check_command(&fixtures().join("invalid/unknown-key/procedures"), "text");
    assert_eq!(code, 1);
    assert!(out.contains("error[unknown-key]"), "{out}");
    let (code, _) = check_command(
        &fixtures().join("invalid/stale-and-no-sources/procedures"),
        "text",
    );
    assert_eq!(code, 0, "warnings must not fail the check");
}

#[test]
fn github_format_prints_annotations_on_the_right_line() {
    let (code, out) = check_command(&fixtures().join("invalid/unknown-key/procedures"), "github");
    assert_eq!(code, 1);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=")
            && first.contains("dang-ky-khai-tu.md,line=4,col=1,title=unknown-key::"),
        "{first}"
    );
}

#[test]
fn json_format_is_machine_readable() {
    let (_, out) = check_command(&fixtures().join("invalid/bad-code/procedures"), "json");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<_> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["bad-code", "bad-code", "record-not-a-code"]);
}

#[test]
fn a_missing_folder_is_a_clear_error_not_a_diagnostic() {
    let output = Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(["check", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("no/such/folder"), "{err}");
}
