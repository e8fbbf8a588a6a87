//! `giayto check`: validate every procedure and situation file, `questions.yaml` and the synonyms
//! file, and report every problem in one run.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::content;
use crate::diagnostics::{self, OutputFormat};
use crate::search::{SYNONYMS_FILE, Synonyms};

/// Checks the folder, prints diagnostics in `format` to `out` and a summary to `err`.
/// Returns whether there was no error (warnings do not fail the check).
pub fn run(
    dir: &Path,
    format: OutputFormat,
    today: NaiveDate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<bool> {
    let mut loaded = content::load_dir(dir, today)?;
    let (_, mut synonym_problems) = Synonyms::load(&dir.join(SYNONYMS_FILE))?;
    loaded.diagnostics.append(&mut synonym_problems);
    out.write_all(diagnostics::render(&loaded.diagnostics, format).as_bytes())?;
    let (errors, warnings) = diagnostics::summary(&loaded.diagnostics);
    writeln!(
        err,
        "{}: {} thủ tục hợp lệ, {} tình huống, {errors} lỗi, {warnings} cảnh báo / {} valid procedures, {} situations, {errors} errors, {warnings} warnings",
        dir.display(),
        loaded.procedures.len(),
        loaded.situations.len(),
        loaded.procedures.len(),
        loaded.situations.len(),
    )?;
    Ok(errors == 0)
}
