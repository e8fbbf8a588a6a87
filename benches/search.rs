//! Search benchmark: index build time, query latency (p50/p99) and memory, on the bundled
//! procedures and on a generated corpus of 10,000 procedure-like files.
//!
//! Run with `cargo bench --bench search`. The generated procedures copy the shape of the bundled
//! ones (field by field, word counts included) with words drawn from the bundled text, so term
//! frequencies look alike, plus made-up syllables that grow the vocabulary as a large corpus would.
//! The queries are those of `tests/relevance/queries.txt`, each also cut short as if still being
//! typed. Memory is read from /proc/self/status (VmRSS now, VmHWM the peak).

use std::path::Path;
use std::time::{Duration, Instant};

use giayto::content;
use giayto::model::Procedure;
use giayto::search::{DEFAULT_LIMIT, SYNONYMS_FILE, SearchIndex, Synonyms};

const GENERATED: usize = 10_000;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("procedures");
    let today = chrono::Local::now().date_naive();
    let loaded = content::load_dir(&dir, today).expect("the bundled procedures load");
    let (synonyms, _) = Synonyms::load(&dir.join(SYNONYMS_FILE)).expect("synonyms load");
    let queries = queries(&root.join("tests/relevance/queries.txt"));
    println!(
        "{} bundled procedures, {} queries (with their typed-so-far prefixes)",
        loaded.procedures.len(),
        queries.len()
    );
    memory("after loading");

    let (index, times) = build(&loaded.procedures, &synonyms, 20);
    println!("bundled: build {}", stats(&times));
    latency("bundled", &index, &queries);
    drop(index);
    memory("after the bundled index");

    let generated = generate(&loaded.procedures, GENERATED);
    let bytes: usize = generated.iter().map(text_bytes).sum();
    println!(
        "generated {} procedures, {:.1} MB of text",
        generated.len(),
        bytes as f64 / 1e6
    );
    memory("after generating");
    let (index, times) = build(&generated, &synonyms, 3);
    println!("generated: build {}", stats(&times));
    memory("with the generated index");
    latency("generated", &index, &queries);
    memory("at the end");
}

/// Builds the index `runs` times; returns the last index and every duration.
fn build(
    procedures: &[Procedure],
    synonyms: &Synonyms,
    runs: usize,
) -> (SearchIndex, Vec<Duration>) {
    let mut times = Vec::with_capacity(runs);
    let mut index = None;
    for _ in 0..runs {
        drop(index.take());
        let start = Instant::now();
        index = Some(SearchIndex::build(procedures, synonyms).expect("the index builds"));
        times.push(start.elapsed());
    }
    (index.expect("at least one run"), times)
}

fn latency(name: &str, index: &SearchIndex, queries: &[String]) {
    for query in queries {
        std::hint::black_box(index.search(query, DEFAULT_LIMIT));
    }
    let mut times = Vec::with_capacity(queries.len() * 5);
    for _ in 0..5 {
        for query in queries {
            let start = Instant::now();
            std::hint::black_box(index.search(query, DEFAULT_LIMIT));
            times.push(start.elapsed());
        }
    }
    println!("{name}: query {}", stats(&times));
}

fn stats(times: &[Duration]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    format!(
        "n={} p50={:.3} ms p99={:.3} ms max={:.3} ms",
        sorted.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn memory(when: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or("?".to_string(), |kb| format!("{:.1} MB", kb / 1024.0))
    };
    println!(
        "memory {when}: RSS {}, peak RSS {}",
        field("VmRSS:"),
        field("VmHWM:")
    );
}

/// Every query of the relevance set, and each cut after its first word and mid-way through its
/// last word (search-as-you-type).
fn queries(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the relevance queries");
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some(query) = line.split(" | ").nth(1) else {
            continue;
        };
        let query = query.trim().to_string();
        let chars: Vec<char> = query.chars().collect();
        if let Some(space) = query.find(' ') {
            out.push(query[..space].to_string());
            out.push(chars[..chars.len() - chars.len().min(2)].iter().collect());
        }
        out.push(query);
    }
    out
}

fn text_bytes(p: &Procedure) -> usize {
    let m = &p.meta;
    m.title.len()
        + m.summary.len()
        + m.aliases.iter().map(String::len).sum::<usize>()
        + m.documents
            .iter()
            .map(|d| d.name.len() + d.note.as_ref().map_or(0, String::len))
            .sum::<usize>()
        + m.steps.iter().map(String::len).sum::<usize>()
        + p.body.len()
}

/// A small deterministic generator (xorshift64*), so every run indexes the same corpus.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Procedures shaped like `templates`, with text made of words drawn from them.
fn generate(templates: &[Procedure], count: usize) -> Vec<Procedure> {
    let mut words: Vec<String> = Vec::new();
    for p in templates {
        let m = &p.meta;
        let texts = [&m.title, &m.summary, &p.body]
            .into_iter()
            .chain(&m.aliases)
            .chain(&m.steps)
            .chain(m.documents.iter().map(|d| &d.name));
        for text in texts {
            words.extend(text.split_whitespace().map(str::to_string));
        }
    }
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let onsets = [
        "b", "c", "ch", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t",
        "th", "tr", "v", "x",
    ];
    let rhymes = [
        "a", "à", "á", "ả", "ã", "ạ", "ăn", "ân", "em", "ênh", "iêu", "oa", "oai", "ôi", "ơn",
        "uân", "ưng", "ước", "yên", "ang", "inh", "ong", "ươi",
    ];
    let mut sentence = |len: usize, random: &mut Random| -> String {
        (0..len.max(1))
            .map(|_| {
                if random.below(20) == 0 {
                    format!(
                        "{}{}",
                        onsets[random.below(onsets.len())],
                        rhymes[random.below(rhymes.len())]
                    )
                } else {
                    words[random.below(words.len())].clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let like = |text: &str,
                random: &mut Random,
                sentence: &mut dyn FnMut(usize, &mut Random) -> String| {
        sentence(text.split_whitespace().count(), random)
    };
    (0..count)
        .map(|i| {
            let template = &templates[i % templates.len()];
            let mut p = template.clone();
            p.meta.id = format!("sinh-ra-{i:05}");
            p.meta.codes = vec![format!("9.{i:06}")];
            p.meta.title = like(&template.meta.title, &mut random, &mut sentence);
            p.meta.summary = like(&template.meta.summary, &mut random, &mut sentence);
            for alias in &mut p.meta.aliases {
                *alias = like(alias, &mut random, &mut sentence);
            }
            for step in &mut p.meta.steps {
                *step = like(step, &mut random, &mut sentence);
            }
            for document in &mut p.meta.documents {
                document.name = like(&document.name, &mut random, &mut sentence);
                if let Some(note) = &mut document.note {
                    *note = like(note, &mut random, &mut sentence);
                }
            }
            p.body = template
                .body
                .lines()
                .map(|line| {
                    if line.trim().is_empty() || line.starts_with('#') {
                        line.to_string()
                    } else {
                        like(line, &mut random, &mut sentence)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            p
        })
        .collect()
}
