//! Diagnostics: problems in a content file that a union member must fix, located by line and column.
//!
//! A diagnostic is data, not an error: loading collects them all and keeps going, and the caller
//! decides what to do (the `check` command prints them and sets the exit status; the server logs
//! them and serves what is valid). Messages are written for editors who are not programmers:
//! Vietnamese first, then English, and a hint wherever one helps.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file (or part of it) cannot be used until it is fixed; `check` exits with status 1.
    Error,
    /// The file is used, but something should be looked at (e.g. an old review date).
    Warning,
}

/// A problem in a content file, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as given to the loader (relative to the current folder when possible).
    pub path: PathBuf,
    /// 1-based line from the top of the file (not of the front matter).
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// A stable short code (e.g. `unknown-key`) that tests and tools can match on.
    pub code: &'static str,
    /// What is wrong, in Vietnamese then English.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Where in a file something is: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Position {
    /// The first character of a file.
    pub const START: Position = Position { line: 1, column: 1 };

    /// A position from 1-based line and column.
    pub fn new(line: usize, column: usize) -> Position {
        Position { line, column }
    }
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(
        path: &Path,
        at: Position,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: at.line,
            column: at.column,
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a position.
    pub fn warning(
        path: &Path,
        at: Position,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, at, code, message)
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:column: error[code]: message`, then `  hint: …` on its own line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {severity}[{}]: {}",
            self.path.display(),
            self.line,
            self.column,
            self.code,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  gợi ý / hint: {hint}")?;
        }
        Ok(())
    }
}

/// How the `check` command prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// One block per problem, for people.
    #[default]
    Text,
    /// GitHub Actions annotations, so problems show on the pull request's diff.
    Github,
    /// One JSON array, for tools.
    Json,
}

/// Renders diagnostics in a format, ending with a newline (empty input gives empty text or `[]`).
pub fn render(diagnostics: &[Diagnostic], format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => diagnostics.iter().map(|d| format!("{d}\n")).collect(),
        OutputFormat::Github => diagnostics.iter().map(github_annotation).collect(),
        OutputFormat::Json => {
            let mut json = serde_json::to_string_pretty(diagnostics)
                .expect("diagnostics are plain data and always serialise");
            json.push('\n');
            json
        }
    }
}

/// `::error file=…,line=…,col=…,title=…::message` with GitHub's escaping of `%`, CR, LF, `:` and `,`.
fn github_annotation(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nGợi ý / hint: ");
        message.push_str(hint);
    }
    format!(
        "::{level} file={},line={},col={},title={}::{}\n",
        escape_property(&d.path.display().to_string()),
        d.line,
        d.column,
        escape_property(d.code),
        escape_data(&message)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Counts of errors and warnings, for the closing line of `check`.
pub fn summary(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic::error(
            Path::new("procedures/ho-tich/a,b.md"),
            Position::new(3, 5),
            "unknown-key",
            "Khóa lạ `document` / unknown key `document`",
        )
        .with_hint("did you mean `documents`?")
    }

    #[test]
    fn text_names_file_line_column_and_code() {
        assert_eq!(
            render(&[sample()], OutputFormat::Text),
            "procedures/ho-tich/a,b.md:3:5: error[unknown-key]: Khóa lạ `document` / unknown key `document`\n  gợi ý / hint: did you mean `documents`?\n"
        );
    }

    #[test]
    fn github_annotations_escape_properties_and_newlines() {
        assert_eq!(
            render(&[sample()], OutputFormat::Github),
            "::error file=procedures/ho-tich/a%2Cb.md,line=3,col=5,title=unknown-key::Khóa lạ `document` / unknown key `document`%0AGợi ý / hint: did you mean `documents`?\n"
        );
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let json: serde_json::Value =
            serde_json::from_str(&render(&[sample()], OutputFormat::Json)).unwrap();
        assert_eq!(json[0]["line"], 3);
        assert_eq!(json[0]["severity"], "error");
        assert_eq!(json[0]["code"], "unknown-key");
    }
}
