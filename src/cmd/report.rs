//! `giayto report queries FILE`: what residents searched for and could not find, from the query
//! log that `serve --query-log` keeps.

use std::io::Write;
use std::path::Path;

use crate::querylog;

/// Prints the most searched queries with at most `weak` results, at most `limit` of them.
pub fn queries(file: &Path, weak: usize, limit: usize, out: &mut impl Write) -> anyhow::Result<()> {
    let totals = querylog::weak_queries(file, weak, limit)?;
    if totals.is_empty() {
        writeln!(
            out,
            "Không có tìm kiếm nào thiếu kết quả / no searches with {weak} results or fewer"
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "lượt\tkết quả\tngày\ttìm kiếm / searches\tresults\tdays\tquery"
    )?;
    for total in totals {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            total.count, total.results, total.days, total.query
        )?;
    }
    Ok(())
}
