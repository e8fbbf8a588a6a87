//! `giayto new` then `giayto check`: the untouched scaffold fails with one located error per
//! placeholder, the filled file passes, and nothing is ever overwritten.

use std::path::Path;
use std::process::{Command, Output};

mod support;

fn giayto(args: &[&str], procedures: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(args)
        .arg(procedures)
        .output()
        .unwrap()
}

fn copy_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let procedures = dir.path().join("procedures");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/procedures");
    for file in [
        "categories.yaml",
        "ho-tich/dang-ky-khai-tu.md",
        "huong-dan-so/vneid-quen-mat-khau.md",
    ] {
        let target = procedures.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), target).unwrap();
    }
    (dir, procedures)
}

/// Replaces each `"«…»"` with a real value chosen by its key.
fn fill(text: &str) -> String {
    text.lines()
        .map(|line| {
            let Some(start) = line.find("\"«") else {
                return line.to_string();
            };
            let end = line.rfind("»\"").unwrap() + "»\"".len();
            let key = line[..start]
                .trim()
                .trim_start_matches("- ")
                .trim_end_matches(": [")
                .trim_end_matches(':');
            let value = match key {
                "date" | "on" | "last_reviewed" => "2026-11-01",
                "code" | "codes" => "\"1.000001\"",
                "url" => "https://dichvucong.gov.vn/thu-tuc/1.000001",
                _ => "Nội dung đã điền",
            };
            format!("{}{value}{}", &line[..start], &line[end..])
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn the_scaffold_fails_at_each_placeholder_and_passes_once_filled() {
    for (target, kind) in [
        ("ho-tich/dang-ky-ket-hon", "procedure"),
        ("huong-dan-so/vneid-doi-so", "guide"),
    ] {
        let (_dir, procedures) = copy_fixture();
        let made = giayto(
            &["new", target, "--kind", kind, "--procedures"],
            &procedures,
        );
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let file = procedures.join(format!("{target}.md"));
        let scaffold = std::fs::read_to_string(&file).unwrap();
        let placeholders: Vec<(usize, usize)> = scaffold
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim_start().starts_with('#'))
            .filter_map(|(i, l)| l.find("\"«").map(|at| (i + 1, l[..at].chars().count() + 1)))
            .collect();
        assert!(placeholders.len() >= 8, "{kind}: {placeholders:?}");

        let checked = giayto(&["check", "--format", "json"], &procedures);
        assert_eq!(checked.status.code(), Some(1));
        let json: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
        let located: Vec<(usize, usize)> = json
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| {
                assert_eq!(d["code"], "placeholder", "{d}");
                (
                    d["line"].as_u64().unwrap() as usize,
                    d["column"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        assert_eq!(
            located, placeholders,
            "{kind}: one error per placeholder, where it stands"
        );

        std::fs::write(&file, fill(&scaffold)).unwrap();
        let checked = giayto(&["check"], &procedures);
        assert!(
            checked.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&checked.stdout)
        );
    }
}

#[test]
fn new_refuses_to_overwrite_an_unknown_category_and_a_bad_id() {
    let (_dir, procedures) = copy_fixture();
    let existing = procedures.join("ho-tich/dang-ky-khai-tu.md");
    let before = std::fs::read_to_string(&existing).unwrap();
    for (target, expected) in [
        ("ho-tich/dang-ky-khai-tu", "not overwritten"),
        ("huong-dan-so/dang-ky-khai-tu", "not overwritten"),
        ("ho-tic/moi", "the categories are: ho-tich, huong-dan-so"),
        (
            "ho-tich/Dang_Ky",
            "lowercase ASCII letters and digits joined by hyphens",
        ),
        ("moi", "write `category/id`"),
    ] {
        let output = giayto(&["new", target, "--procedures"], &procedures);
        assert_eq!(output.status.code(), Some(2), "{target}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{target}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), before);
    assert!(!procedures.join("ho-tic").exists());
}
