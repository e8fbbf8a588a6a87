//! `giayto search`: search the procedures from the command line, as the site does.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::content;
use crate::search::{SYNONYMS_FILE, SearchIndex, Synonyms};

/// Loads the procedures in `dir`, searches for `query` and prints up to `limit` hits to `out`,
/// as text or as the JSON the site's `/api/search` returns; with `explain`, prints instead why that
/// procedure scores what it does. Notes about skipped files go to `err`.
/// Returns whether anything was found.
#[allow(clippy::too_many_arguments)]
pub fn run(
    dir: &Path,
    query: &str,
    limit: usize,
    json: bool,
    explain: Option<&str>,
    today: NaiveDate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<bool> {
    let loaded = content::load_dir(dir, today)?;
    let (synonyms, synonym_problems) = Synonyms::load(&dir.join(SYNONYMS_FILE))?;
    let broken = loaded
        .diagnostics
        .iter()
        .chain(&synonym_problems)
        .filter(|d| d.is_error())
        .count();
    if broken > 0 {
        writeln!(
            err,
            "{broken} lỗi trong nội dung, phần lỗi bị bỏ qua; chạy `giayto check` để xem / {broken} content errors, the broken parts are skipped; run `giayto check` to see them"
        )?;
    }
    let index = SearchIndex::build_with(&loaded.procedures, &loaded.situations, &synonyms)?;
    if let Some(id) = explain {
        let explanation = index
            .explain(query, id)
            .unwrap_or_else(|| format!("no procedure `{id}` / không có thủ tục `{id}`"));
        writeln!(out, "{explanation}")?;
        return Ok(true);
    }
    let results = index.search(query, limit);
    if json {
        serde_json::to_writer_pretty(&mut *out, &results)?;
        writeln!(out)?;
    } else if results.hits.is_empty() {
        writeln!(err, "Không tìm thấy thủ tục nào / nothing found")?;
    } else {
        for (rank, hit) in results.hits.iter().enumerate() {
            let codes = if hit.codes.is_empty() {
                String::new()
            } else {
                format!(" · {}", hit.codes.join(", "))
            };
            writeln!(
                out,
                "{}. {} ({}{codes})  {:.2}",
                rank + 1,
                hit.title,
                hit.id,
                hit.score
            )?;
            writeln!(out, "   {}", terminal_text(&hit.snippet))?;
        }
        writeln!(
            err,
            "{} / {} thủ tục khớp / {} of {} matching procedures",
            results.hits.len(),
            results.total,
            results.hits.len(),
            results.total
        )?;
    }
    Ok(!results.hits.is_empty())
}

/// A snippet for a terminal: marks as `[…]`, HTML entities decoded.
fn terminal_text(snippet: &str) -> String {
    snippet
        .replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
