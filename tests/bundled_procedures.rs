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
fn the_committed_schema_matches_the_types() {
    let committed = std::fs::read_to_string(procedures_dir().join("schema.json")).unwrap();
    assert!(
        committed == giayto::cmd::schema::render(),
        "procedures/schema.json is out of date: run `cargo run -- schema > procedures/schema.json`"
    );
}
