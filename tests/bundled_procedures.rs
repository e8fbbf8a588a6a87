//! The bundled knowledge base in `procedures/`: it passes `check`, and its committed JSON Schema
//! matches the Rust types.

use std::path::Path;

use giayto::content;

fn procedures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("procedures")
}

#[test]
fn the_bundled_procedures_pass_check() {
    let today = chrono::Local::now().date_naive();
    let loaded = content::load_dir(&procedures_dir(), today).unwrap();
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(!loaded.procedures.is_empty());
}

#[test]
fn the_committed_schemas_match_the_types() {
    use giayto::cmd::schema::{Format, render_of};
    for (format, name) in [
        (Format::Procedure, "procedure"),
        (Format::Situation, "situation"),
        (Format::Questions, "questions"),
    ] {
        let path = format.committed_path();
        let committed = std::fs::read_to_string(procedures_dir().join(path)).unwrap();
        assert!(
            committed == render_of(format),
            "procedures/{path} is out of date: run `cargo run -- schema {name} > procedures/{path}`"
        );
    }
}

#[test]
fn the_bundled_situations_load_and_name_real_procedures() {
    let loaded =
        giayto::content::load_dir(&procedures_dir(), chrono::Local::now().date_naive()).unwrap();
    assert!(loaded.situations.len() >= 8, "{}", loaded.situations.len());
    for situation in &loaded.situations {
        for step in &situation.meta.procedures {
            assert!(
                loaded.procedure(&step.id).is_some(),
                "{} names {}",
                situation.id(),
                step.id
            );
        }
    }
    assert!(!loaded.shared_questions.is_empty());
}
