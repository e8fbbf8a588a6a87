//! What residents searched for, counted per day, so editors can see what they could not find.
//!
//! `serve --query-log FILE` records each search as its folded text (no diacritics, lower case,
//! words joined by single spaces), with a count and the number of results it had. Nothing else is
//! kept: no address, no cookie, no time finer than the day. A query that looks like personal
//! data (a run of nine or more digits such as a phone or ID number, an e-mail address) is not
//! recorded at all. The log is bounded ([`MAX_DAYS`] days of at most [`MAX_QUERIES_PER_DAY`]
//! distinct queries each) and is a tab-separated text file, rewritten whole on each flush, so it
//! survives restarts and can be read by people. `giayto report queries` reads it.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use chrono::NaiveDate;

use crate::search::analysis::fold;

/// How many days the log keeps; older days are dropped.
pub const MAX_DAYS: usize = 60;
/// How many distinct queries one day keeps; later new queries that day are not recorded.
pub const MAX_QUERIES_PER_DAY: usize = 1000;
/// Queries are cut to this many characters once folded.
pub const MAX_QUERY_CHARS: usize = 100;
/// A run of at least this many digits (spaces, dots and dashes between them allowed) looks like
/// a phone or identity number.
pub const PERSONAL_DIGITS: usize = 9;

const HEADER: &str = "# giayto query log: day, count, results, query (tab-separated)";

/// One query on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    /// How many times it was searched.
    pub count: u64,
    /// How many procedures the last search for it found.
    pub results: usize,
}

/// The log: in memory, written to its file on [`QueryLog::flush`].
#[derive(Debug)]
pub struct QueryLog {
    path: PathBuf,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    days: BTreeMap<NaiveDate, HashMap<String, Count>>,
    dirty: bool,
}

impl QueryLog {
    /// Opens the log at `path`, reading what it already holds (a missing file is an empty log;
    /// unreadable lines are skipped).
    pub fn open(path: &Path) -> anyhow::Result<QueryLog> {
        let days = read(path)?;
        Ok(QueryLog {
            path: path.to_path_buf(),
            state: Mutex::new(State { days, dirty: false }),
        })
    }

    /// Counts a search for `query` on `day` that found `results` procedures, unless the query is
    /// empty, looks like personal data, or the day is full.
    pub fn record(&self, query: &str, results: usize, day: NaiveDate) {
        let Some(query) = clean(query) else {
            return;
        };
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let queries = state.days.entry(day).or_default();
        if queries.len() >= MAX_QUERIES_PER_DAY && !queries.contains_key(&query) {
            return;
        }
        let entry = queries.entry(query).or_default();
        entry.count += 1;
        entry.results = results;
        while state.days.len() > MAX_DAYS {
            state.days.pop_first();
        }
        state.dirty = true;
    }

    /// Writes the log to its file if anything was recorded since the last flush (to a temporary
    /// file first, then renamed over it, so a crash never leaves half a log).
    pub fn flush(&self) -> anyhow::Result<()> {
        let text = {
            let Ok(mut state) = self.state.lock() else {
                anyhow::bail!("the query log lock is poisoned");
            };
            if !state.dirty {
                return Ok(());
            }
            state.dirty = false;
            render(&state.days)
        };
        let folder = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(folder)
            .with_context(|| format!("writing the query log next to {}", self.path.display()))?;
        file.write_all(text.as_bytes())
            .with_context(|| format!("writing {}", self.path.display()))?;
        file.persist(&self.path)
            .with_context(|| format!("writing {}", self.path.display()))?;
        Ok(())
    }
}

/// The folded, trimmed form of a query as it is logged, or `None` when it must not be.
pub fn clean(query: &str) -> Option<String> {
    if looks_personal(query) {
        return None;
    }
    let folded: String = fold(query).chars().take(MAX_QUERY_CHARS).collect();
    let folded = folded.trim().to_string();
    (!folded.is_empty()).then_some(folded)
}

/// Whether a query looks like personal data: an e-mail address, or a run of
/// [`PERSONAL_DIGITS`] digits or more once national procedure codes (`1.001193`) are set aside.
pub fn looks_personal(query: &str) -> bool {
    if query.contains('@') {
        return true;
    }
    let chars: Vec<char> = query.chars().collect();
    let mut run = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            if run == 0 && is_national_code_at(&chars, i) {
                i += 8;
                continue;
            }
            run += 1;
            if run >= PERSONAL_DIGITS {
                return true;
            }
        } else if !(run > 0
            && matches!(c, ' ' | '.' | '-')
            && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            run = 0;
        }
        i += 1;
    }
    false
}

/// Whether a national procedure code (a digit, a dot, six digits, then no more digits) starts at `i`.
fn is_national_code_at(chars: &[char], i: usize) -> bool {
    let code: String = chars.iter().skip(i).take(8).collect();
    crate::content::validate::is_national_code(&code)
        && !chars.get(i + 8).is_some_and(char::is_ascii_digit)
        && !(i > 0 && chars[i - 1].is_ascii_digit())
}

fn render(days: &BTreeMap<NaiveDate, HashMap<String, Count>>) -> String {
    let mut text = format!("{HEADER}\n");
    for (day, queries) in days {
        let mut queries: Vec<_> = queries.iter().collect();
        queries.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        for (query, count) in queries {
            text.push_str(&format!(
                "{day}\t{}\t{}\t{query}\n",
                count.count, count.results
            ));
        }
    }
    text
}

fn read(path: &Path) -> anyhow::Result<BTreeMap<NaiveDate, HashMap<String, Count>>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let mut days: BTreeMap<NaiveDate, HashMap<String, Count>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.splitn(4, '\t');
        let (Some(day), Some(count), Some(results), Some(query)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (Ok(day), Ok(count), Ok(results)) = (
            NaiveDate::parse_from_str(day, "%Y-%m-%d"),
            count.parse(),
            results.parse(),
        ) else {
            continue;
        };
        let queries = days.entry(day).or_default();
        if queries.len() < MAX_QUERIES_PER_DAY {
            queries.insert(query.to_string(), Count { count, results });
        }
    }
    while days.len() > MAX_DAYS {
        days.pop_first();
    }
    Ok(days)
}

/// A query over every day of the log, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// The folded query.
    pub query: String,
    /// How many times it was searched.
    pub count: u64,
    /// How many results its latest search found.
    pub results: usize,
    /// On how many days it was searched.
    pub days: usize,
}

/// The queries of the log at `path` with at most `weak` results, most searched first, at most
/// `limit` of them.
pub fn weak_queries(path: &Path, weak: usize, limit: usize) -> anyhow::Result<Vec<Total>> {
    if !path.is_file() {
        anyhow::bail!("no query log at {}", path.display());
    }
    let mut totals: HashMap<String, Total> = HashMap::new();
    // Days are in order, so the last one seen gives the latest number of results.
    for queries in read(path)?.values() {
        for (query, count) in queries {
            let total = totals.entry(query.clone()).or_insert_with(|| Total {
                query: query.clone(),
                count: 0,
                results: 0,
                days: 0,
            });
            total.count += count.count;
            total.results = count.results;
            total.days += 1;
        }
    }
    let mut totals: Vec<Total> = totals.into_values().filter(|t| t.results <= weak).collect();
    totals.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.results.cmp(&b.results))
            .then(a.query.cmp(&b.query))
    });
    totals.truncate(limit);
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_recognised() {
        for personal in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "cccd 079204001234",
            "+84 912-345-678",
            "ten@example.com",
        ] {
            assert!(looks_personal(personal), "{personal}");
        }
        for fine in [
            "lam cccd",
            "1.001193",
            "1.001193.000.00.00.H29",
            "thu tuc 1.000656 va 2.000001",
            "le phi 50.000 dong",
            "nam 2025",
        ] {
            assert!(!looks_personal(fine), "{fine}");
        }
    }

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(n))
    }

    #[test]
    fn the_log_is_bounded_in_days_and_queries_per_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.tsv");
        let log = QueryLog::open(&path).unwrap();
        for n in 0..(MAX_DAYS as u32 + 5) {
            log.record("khai sinh", 3, day(n));
        }
        for i in 0..(MAX_QUERIES_PER_DAY + 50) {
            log.record(&format!("tu {i}"), 0, day(100));
        }
        log.record("tu 1", 0, day(100));
        log.flush().unwrap();
        let days = read(&path).unwrap();
        assert_eq!(days.len(), MAX_DAYS);
        assert_eq!(
            days.keys().next(),
            Some(&day(6)),
            "the oldest days go first"
        );
        assert_eq!(days[&day(100)].len(), MAX_QUERIES_PER_DAY);
        assert_eq!(
            days[&day(100)]["tu 1"].count,
            2,
            "known queries still count"
        );
        assert!(!days[&day(100)].contains_key(&format!("tu {}", MAX_QUERIES_PER_DAY + 10)));
        assert!(
            std::fs::metadata(&path).unwrap().len() < 200 * (MAX_DAYS * MAX_QUERIES_PER_DAY) as u64
        );
    }

    #[test]
    fn the_log_survives_a_restart_and_the_report_lists_weak_queries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.tsv");
        let log = QueryLog::open(&path).unwrap();
        log.record("Giấy phép xây dựng", 0, day(1));
        log.record("giay phep xay dung", 0, day(1));
        log.record("khai sinh", 7, day(1));
        log.record("0912 345 678", 0, day(1));
        log.flush().unwrap();
        drop(log);
        let log = QueryLog::open(&path).unwrap();
        log.record("giay phep xay dung", 0, day(2));
        log.record("cap so do", 1, day(2));
        log.flush().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("0912"), "{text}");
        assert!(
            text.contains("2026-01-02\t2\t0\tgiay phep xay dung\n"),
            "{text}"
        );
        assert!(
            text.contains("2026-01-03\t1\t0\tgiay phep xay dung\n"),
            "{text}"
        );
        let weak = weak_queries(&path, 2, 10).unwrap();
        let listed: Vec<(&str, u64, usize)> = weak
            .iter()
            .map(|t| (t.query.as_str(), t.count, t.days))
            .collect();
        assert_eq!(listed, [("giay phep xay dung", 3, 2), ("cap so do", 1, 1)]);
    }

    #[test]
    fn queries_are_folded_and_trimmed() {
        assert_eq!(
            clean("  Đăng KÝ   khai sinh! ").as_deref(),
            Some("dang ky khai sinh")
        );
        assert_eq!(clean("   "), None);
        assert_eq!(clean("sdt 0912345678"), None);
        assert_eq!(
            clean(&"a ".repeat(500)).unwrap().chars().count(),
            MAX_QUERY_CHARS - 1
        );
    }
}
