//! Relevance of `giayto search` on the bundled procedures, measured on `tests/relevance/queries.txt`.
//!
//! For every query the right procedure must come first (Recall@1), or at least in the first three
//! (Recall@3); MRR@10 is the mean of 1/rank of the first right procedure in the first ten. The test
//! prints the figures per tag and overall, lists the misses, and fails when a figure drops below
//! the thresholds below, which were set from what the search reaches: a change that makes search
//! worse fails here. Run `cargo test --test relevance -- --nocapture` to see the report; set
//! `GIAYTO_RELEVANCE_PROCEDURES` to measure another procedures folder (a draft being written).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use giayto::content;
use giayto::search::{SYNONYMS_FILE, SearchIndex, Synonyms};

/// The tags a query may carry.
const TAGS: [&str; 9] = [
    "accented",
    "no-diacritics",
    "typo",
    "abbreviation",
    "colloquial",
    "southern",
    "code",
    "english",
    "situation",
];

/// Overall thresholds: (Recall@1, Recall@3, MRR@10). Reached when they were set: 0.978, 1.000,
/// 0.988 on 636 queries over 117 files and 8 situations; the margin is about two queries. (Without
/// situations the procedure queries reached 0.995; a situation now comes first for a few of them
/// whose words describe it, such as "làm GKS cho bé" or "thu tuc mo tiem tap hoa", with the
/// procedure second.)
const OVERALL: (f64, f64, f64) = (0.97, 0.995, 0.98);

/// Recall@1 threshold per tag, each a query or two below what was reached (in brackets).
const RECALL_AT_1_BY_TAG: [(&str, f64); 9] = [
    ("accented", 0.96),      // 0.969 on 162
    ("no-diacritics", 0.98), // 0.990 on 192
    ("typo", 0.90),          // 1.000 on 22
    ("abbreviation", 0.93),  // 0.969 on 32
    ("colloquial", 0.955),   // 0.966 on 205
    ("southern", 0.94),      // 0.965 on 57
    ("code", 1.0),           // 1.000 on 69
    ("english", 0.93),       // 0.971 on 34
    ("situation", 0.88),     // 0.908 on 65: what happened, not a procedure's name
];

struct Case {
    line: usize,
    tags: Vec<String>,
    query: String,
    expected: Vec<String>,
}

#[derive(Default, Clone, Copy)]
struct Score {
    queries: usize,
    at_1: usize,
    at_3: usize,
    reciprocal: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.queries += 1;
        if let Some(rank) = rank {
            self.at_1 += usize::from(rank == 1);
            self.at_3 += usize::from(rank <= 3);
            self.reciprocal += 1.0 / rank as f64;
        }
    }

    fn recall_at_1(&self) -> f64 {
        self.at_1 as f64 / self.queries.max(1) as f64
    }

    fn recall_at_3(&self) -> f64 {
        self.at_3 as f64 / self.queries.max(1) as f64
    }

    fn mrr(&self) -> f64 {
        self.reciprocal / self.queries.max(1) as f64
    }
}

fn cases(text: &str) -> Vec<Case> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|(i, line)| {
            let parts: Vec<&str> = line.split(" | ").collect();
            assert_eq!(parts.len(), 3, "line {}: `tags | query | ids`", i + 1);
            let list = |s: &str| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
            };
            Case {
                line: i + 1,
                tags: list(parts[0]),
                query: parts[1].trim().to_string(),
                expected: list(parts[2]),
            }
        })
        .collect()
}

#[test]
fn search_finds_the_right_procedure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("GIAYTO_RELEVANCE_PROCEDURES")
        .map_or_else(|| root.join("procedures"), Into::into);
    let today = chrono::Local::now().date_naive();
    let loaded = content::load_dir(&dir, today).unwrap();
    let (synonyms, problems) = Synonyms::load(&dir.join(SYNONYMS_FILE)).unwrap();
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:#?}");
    let index = SearchIndex::build_with(&loaded.procedures, &loaded.situations, &synonyms).unwrap();

    let text = std::fs::read_to_string(root.join("tests/relevance/queries.txt")).unwrap();
    let cases = cases(&text);
    assert!(cases.len() >= 150, "only {} queries", cases.len());

    // The data must be right for the figures to mean anything (checked at the end, so that the
    // report still shows while procedures are being written).
    // Procedures and situations are ranked together; a line may expect either.
    let ids: BTreeSet<&str> = loaded
        .procedures
        .iter()
        .map(|p| p.id())
        .chain(loaded.situations.iter().map(|s| s.id()))
        .collect();
    let mut covered = BTreeSet::new();
    let mut data_problems = Vec::new();
    for case in &cases {
        assert!(!case.tags.is_empty(), "line {}: no tag", case.line);
        for tag in &case.tags {
            assert!(
                TAGS.contains(&tag.as_str()),
                "line {}: unknown tag `{tag}`",
                case.line
            );
        }
        for id in &case.expected {
            if !ids.contains(id.as_str()) {
                data_problems.push(format!("line {}: no procedure `{id}`", case.line));
            }
            covered.insert(id.as_str());
        }
    }
    let uncovered: Vec<_> = ids.difference(&covered).collect();
    if !uncovered.is_empty() {
        data_problems.push(format!("procedures without a query: {uncovered:?}"));
    }

    let mut overall = Score::default();
    let mut by_tag: BTreeMap<&str, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    let measurable = cases
        .iter()
        .filter(|c| c.expected.iter().all(|id| ids.contains(id.as_str())));
    for case in measurable {
        let hits = index.search(&case.query, 10).hits;
        let rank = hits
            .iter()
            .position(|h| case.expected.contains(&h.id))
            .map(|i| i + 1);
        overall.add(rank);
        for tag in &case.tags {
            by_tag.entry(tag.as_str()).or_default().add(rank);
        }
        if rank != Some(1) {
            let got: Vec<&str> = hits.iter().take(3).map(|h| h.id.as_str()).collect();
            misses.push(format!(
                "  line {:>3} {:?}: expected {}, rank {}, got {:?}",
                case.line,
                case.query,
                case.expected.join(" or "),
                rank.map_or("-".to_string(), |r| r.to_string()),
                got
            ));
        }
    }

    let mut report = format!(
        "{:<14} {:>7} {:>9} {:>9} {:>7}\n",
        "tag", "queries", "Recall@1", "Recall@3", "MRR@10"
    );
    let rows = by_tag
        .iter()
        .map(|(tag, score)| (*tag, *score))
        .chain(std::iter::once(("overall", overall)));
    for (tag, score) in rows {
        report.push_str(&format!(
            "{tag:<14} {:>7} {:>9.3} {:>9.3} {:>7.3}\n",
            score.queries,
            score.recall_at_1(),
            score.recall_at_3(),
            score.mrr()
        ));
    }
    println!("{report}\nmisses:\n{}", misses.join("\n"));

    let mut failures = data_problems;
    let (at_1, at_3, mrr) = OVERALL;
    if overall.recall_at_1() < at_1 || overall.recall_at_3() < at_3 || overall.mrr() < mrr {
        failures.push(format!(
            "overall below ({at_1}, {at_3}, {mrr}) for Recall@1, Recall@3, MRR@10"
        ));
    }
    for (tag, threshold) in RECALL_AT_1_BY_TAG {
        let score = by_tag.get(tag).copied().unwrap_or_default();
        assert!(score.queries >= 8, "only {} `{tag}` queries", score.queries);
        if score.recall_at_1() < threshold {
            failures.push(format!(
                "`{tag}` Recall@1 {:.3} < {threshold}",
                score.recall_at_1()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n{report}\nmisses:\n{}",
        failures.join("\n"),
        misses.join("\n")
    );
}
