//! `giayto schema`: print the JSON Schema of procedure front matter (committed as
//! `procedures/schema.json` so editors offer completion and show each key's meaning).

/// The schema as pretty JSON with a final newline, exactly as committed.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&crate::model::front_matter_schema())
        .expect("a schema is always JSON");
    text.push('\n');
    text
}
