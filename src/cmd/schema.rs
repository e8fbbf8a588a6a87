//! `giayto schema`: print the JSON Schema of a content file (committed as
//! `procedures/schema.json`, `procedures/_situations/schema.json` and
//! `procedures/questions.schema.json` so editors offer completion and show each key's meaning).

/// Which file format a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The front matter of a procedure file.
    Procedure,
    /// The front matter of a situation file in `_situations/`.
    Situation,
    /// `questions.yaml`, the shared questions.
    Questions,
}

impl Format {
    /// Where the schema is committed, relative to the procedures folder.
    pub fn committed_path(self) -> &'static str {
        match self {
            Format::Procedure => "schema.json",
            Format::Situation => "_situations/schema.json",
            Format::Questions => "questions.schema.json",
        }
    }
}

/// The schema of procedure front matter as pretty JSON with a final newline, exactly as committed.
pub fn render() -> String {
    render_of(Format::Procedure)
}

/// The schema of `format` as pretty JSON with a final newline, exactly as committed.
pub fn render_of(format: Format) -> String {
    let schema = match format {
        Format::Procedure => crate::model::front_matter_schema(),
        Format::Situation => crate::model::situation_schema(),
        Format::Questions => crate::model::shared_questions_schema(),
    };
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is always JSON");
    text.push('\n');
    text
}
