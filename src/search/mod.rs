//! Search over the loaded procedures: the right procedure first, whatever the resident types.
//!
//! [`SearchIndex::build`] indexes procedures in RAM with tantivy; [`SearchIndex::search`] takes any
//! text and returns ranked [`Hit`]s with snippets. It depends on the content model and nothing
//! depends on it but the commands and the web layer.
//!
//! Every text field is indexed twice: in exact form (tone placement normalised) and in folded form
//! (no diacritics), see [`analysis`]. Fields are grouped in tiers that weigh less and less: title,
//! aliases, summary, documents and steps, body. A query ([`query::plan`]) is a list of units; each
//! unit looks in every tier, its exact form adding to its folded form when the resident typed
//! diacritics. Adjacent units found side by side (`khai sinh`) add a phrase score; a national
//! code outweighs everything else. Words the index has never seen are corrected from its own
//! vocabulary (Telex and VNI leftovers, then spelling within one or two edits) and searched at a
//! lower weight, so BM25 still ranks the corrections. [`SharedIndex`] lets a server swap in a
//! rebuilt index while searches are running.

pub mod analysis;
pub mod query;
pub mod snippet;
pub mod synonyms;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Context;
use arc_swap::ArcSwap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::content::markdown::to_plain_text;
use crate::model::Procedure;
use analysis::{Form, VietnameseTokenizer, Word};
use query::{Alternative, Plan};
pub use synonyms::{SYNONYMS_FILE, Synonyms};

/// How many hits a search returns when no limit is given.
pub const DEFAULT_LIMIT: usize = 10;
/// The most hits a search returns, whatever limit is asked for.
pub const MAX_LIMIT: usize = 50;

/// The answer to a query.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    /// The query as searched: cut to a sane length, control characters replaced by spaces.
    pub query: String,
    /// How many procedures match at all (hits holds at most the limit).
    pub total: usize,
    /// The best matches, best first.
    pub hits: Vec<Hit>,
}

/// One matching procedure.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// The procedure id.
    pub id: String,
    /// Its Vietnamese title.
    pub title: String,
    /// Its national codes.
    pub codes: Vec<String>,
    /// Its page on the site: `/thu-tuc/<id>`.
    pub url: String,
    /// Relevance; only the order means something.
    pub score: f32,
    /// HTML-escaped text from the procedure with `<mark>…</mark>` around matched words.
    pub snippet: String,
}

const EXACT: &str = "vi_exact";
const FOLDED: &str = "vi_folded";

// Weights. Tiers first; the rest are relative to the tier a clause looks in.
const TITLE: f32 = 3.0;
const ALIASES: f32 = 2.5;
const SUMMARY: f32 = 1.5;
const DETAILS: f32 = 0.8;
const BODY: f32 = 0.5;
/// Extra weight of the exact form, when the resident typed diacritics.
const EXACT_BONUS: f32 = 0.6;
/// Weight of two query units found side by side.
const PHRASE: f32 = 1.0;
/// Weight of three query words found in a row in a title or an alias.
const TRIGRAM: f32 = 1.0;
/// Weight of the whole query found as typed in a title or an alias.
const WHOLE: f32 = 1.5;
/// Weight of a national code.
const CODE: f32 = 40.0;
/// Weight of the last word read as the start of a word (constant score per tier).
const PREFIX: f32 = 1.0;
/// Weight of a word read as Telex or VNI keystrokes.
const KEYSTROKES: f32 = 0.9;
/// Weight of a spelling correction, by edit distance.
const CORRECTION: [f32; 3] = [1.0, 0.6, 0.35];
/// How many spelling corrections a word may get.
const MAX_CORRECTIONS: usize = 3;
/// How many alternatives of a unit take part in phrases with their neighbours.
const PHRASE_ALTERNATIVES: usize = 4;

/// A group of fields that weigh the same.
#[derive(Debug, Clone, Copy)]
struct Tier {
    folded: Field,
    exact: Option<Field>,
    weight: f32,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    tiers: [Tier; 5],
    code: Field,
    ord: Field,
}

/// What a hit shows, kept outside tantivy.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    title: String,
    codes: Vec<String>,
    /// Texts a snippet may come from, in order of preference.
    passages: Vec<String>,
}

/// An in-RAM index over procedures. Cheap to share behind an `Arc`; searches never block each other.
pub struct SearchIndex {
    searcher: Searcher,
    /// Kept so the searcher's segments stay open.
    _reader: IndexReader,
    fields: Fields,
    entries: Vec<Entry>,
    synonyms: Synonyms,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("procedures", &self.entries.len())
            .field("synonyms", &self.synonyms.len())
            .finish()
    }
}

impl SearchIndex {
    /// Builds an in-RAM index over the procedures.
    pub fn build(procedures: &[Procedure], synonyms: &Synonyms) -> anyhow::Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(
            EXACT,
            TextAnalyzer::from(VietnameseTokenizer::new(Form::Exact)),
        );
        index.tokenizers().register(
            FOLDED,
            TextAnalyzer::from(VietnameseTokenizer::new(Form::Folded)),
        );
        let threads = if procedures.len() > 1_000 { 2 } else { 1 };
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(threads, threads * 40_000_000)
            .context("creating the search index writer")?;
        let mut entries = Vec::with_capacity(procedures.len());
        for (ord, procedure) in procedures.iter().enumerate() {
            let (document, entry) = document(&fields, ord as u64, procedure);
            writer
                .add_document(document)
                .context("adding a procedure to the search index")?;
            entries.push(entry);
        }
        writer.commit().context("committing the search index")?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("opening the search index")?;
        Ok(SearchIndex {
            searcher: reader.searcher(),
            _reader: reader,
            fields,
            entries,
            synonyms: synonyms.clone(),
        })
    }

    /// How many procedures the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no procedure.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Ranked hits; never errors or panics on any input; limit is capped at [`MAX_LIMIT`].
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let plan = query::plan(query, &self.synonyms);
        let limit = limit.min(MAX_LIMIT);
        let mut results = SearchResults {
            query: plan.text.clone(),
            total: 0,
            hits: Vec::new(),
        };
        if plan.units.is_empty() && plan.codes.is_empty() && plan.code_prefix.is_none() {
            return results;
        }
        let plan = self.correct(plan);
        let tantivy_query = self.query(&plan);
        let collector = (TopDocs::with_limit(limit.max(1)).order_by_score(), Count);
        let (top, total) = match self.searcher.search(&tantivy_query, &collector) {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, query = %plan.text, "search failed");
                return results;
            }
        };
        results.total = total;
        let matcher = matcher(&plan);
        results.hits = top
            .into_iter()
            .take(limit)
            .filter_map(|(score, address)| {
                let entry = self.entry(address)?;
                Some(Hit {
                    id: entry.id.clone(),
                    title: entry.title.clone(),
                    codes: entry.codes.clone(),
                    url: format!("/thu-tuc/{}", entry.id),
                    score,
                    snippet: snippet::best(&entry.passages, &matcher),
                })
            })
            .collect();
        results
    }

    /// Why the procedure `id` scores what it does for `query`: tantivy's explanation as JSON.
    /// For people tuning the ranking or the synonyms; `None` if `id` is not in the index.
    pub fn explain(&self, query: &str, id: &str) -> Option<String> {
        let plan = self.correct(query::plan(query, &self.synonyms));
        let tantivy_query = self.query(&plan);
        let ord = self.entries.iter().position(|e| e.id == id)? as u64;
        for (segment_ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let column = segment.fast_fields().u64("ord").ok()?;
            let doc_id = (0..segment.max_doc()).find(|&d| column.first(d) == Some(ord));
            if let Some(doc_id) = doc_id {
                let address = DocAddress::new(segment_ord as u32, doc_id);
                return match tantivy_query.explain(&self.searcher, address) {
                    Ok(explanation) => Some(explanation.to_pretty_json()),
                    Err(_) => Some(format!("{id} does not match")),
                };
            }
        }
        None
    }

    fn entry(&self, address: DocAddress) -> Option<&Entry> {
        let segment = self
            .searcher
            .segment_readers()
            .get(address.segment_ord as usize)?;
        let ord = segment
            .fast_fields()
            .u64("ord")
            .ok()?
            .first(address.doc_id)?;
        self.entries.get(usize::try_from(ord).ok()?)
    }

    /// How many documents contain the folded word in any tier.
    fn is_known(&self, folded: &str) -> bool {
        self.fields.tiers.iter().any(|tier| {
            self.searcher
                .doc_freq(&Term::from_field_text(tier.folded, folded))
                .is_ok_and(|n| n > 0)
        })
    }

    /// Adds corrections to content words the index has never seen.
    fn correct(&self, mut plan: Plan) -> Plan {
        for unit in plan.units.iter_mut().filter(|u| !u.is_filler()) {
            let typed = &unit.alternatives[0].words[0];
            if self.is_known(&typed.folded) {
                continue;
            }
            if let Some(variant) = query::keystroke_variant(&typed.folded)
                && self.is_known(&variant)
            {
                unit.alternatives.push(Alternative {
                    words: vec![plain_word(&variant)],
                    weight: KEYSTROKES,
                });
                continue;
            }
            for (folded, distance) in self.spelling(&typed.folded) {
                unit.alternatives.push(Alternative {
                    words: vec![plain_word(&folded)],
                    weight: CORRECTION[usize::from(distance).min(2)],
                });
            }
        }
        plan
    }

    /// Known words within one edit (two for long words) of `folded`, closest and commonest first.
    fn spelling(&self, folded: &str) -> Vec<(String, u8)> {
        let length = folded.chars().count();
        if length < 3 || !folded.chars().all(char::is_alphanumeric) {
            return Vec::new();
        }
        let distance = if length >= 8 { 2 } else { 1 };
        let probe = FuzzyTermQuery::new(
            Term::from_field_text(self.fields.tiers[0].folded, folded),
            distance,
            true,
        );
        let Ok(automaton) = probe.automaton() else {
            return Vec::new();
        };
        let mut found: HashMap<String, u64> = HashMap::new();
        for tier in &self.fields.tiers {
            for segment in self.searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(tier.folded) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        *found.entry(term.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        let mut ranked: Vec<(String, u8, bool, u64)> = found
            .into_iter()
            .map(|(term, freq)| {
                let edits = strsim::damerau_levenshtein(folded, &term).min(255) as u8;
                let extends = term.starts_with(folded);
                (term, edits, extends, freq)
            })
            .collect();
        ranked.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then(b.2.cmp(&a.2))
                .then(b.3.cmp(&a.3))
                .then(a.0.cmp(&b.0))
        });
        ranked
            .into_iter()
            .take(MAX_CORRECTIONS)
            .map(|(term, edits, _, _)| (term, edits.max(1)))
            .collect()
    }

    /// The tantivy query for a plan.
    fn query(&self, plan: &Plan) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for code in &plan.codes {
            clauses.push(should(boost(term_query(self.fields.code, code), CODE)));
        }
        if let Some(prefix) = &plan.code_prefix {
            clauses.push(should(boost(
                Box::new(FuzzyTermQuery::new_prefix(
                    Term::from_field_text(self.fields.code, prefix),
                    0,
                    true,
                )),
                CODE / 4.0,
            )));
        }
        for unit in &plan.units {
            let alternatives: Vec<Box<dyn Query>> = unit
                .alternatives
                .iter()
                .map(|a| boost(self.alternative(a), a.weight))
                .collect();
            clauses.push(should(boost(
                Box::new(DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.1)),
                unit.weight,
            )));
        }
        let mut pairs: HashSet<(String, String)> = HashSet::new();
        for window in plan.units.windows(2) {
            let weight = window[0].weight.min(window[1].weight);
            for left in window[0].alternatives.iter().take(PHRASE_ALTERNATIVES) {
                for right in window[1].alternatives.iter().take(PHRASE_ALTERNATIVES) {
                    let (Some(a), Some(b)) = (left.words.last(), right.words.first()) else {
                        continue;
                    };
                    if !pairs.insert((a.folded.clone(), b.folded.clone())) {
                        continue;
                    }
                    clauses.push(should(boost(
                        self.phrase(&[a, b]),
                        weight * left.weight * right.weight,
                    )));
                }
            }
        }
        // Three words in a row, and the whole query, as typed, in a title or an alias.
        let typed: Vec<&Word> = plan
            .units
            .iter()
            .flat_map(|u| &u.alternatives[0].words)
            .collect();
        if typed.len() >= 3 {
            for window in typed.windows(3) {
                clauses.push(should(boost(self.phrase_in(window, 2), TRIGRAM)));
            }
        }
        if typed.len() >= 4 {
            clauses.push(should(boost(self.phrase_in(&typed, 2), WHOLE)));
        }
        if let Some(prefix) = &plan.prefix {
            for tier in &self.fields.tiers[..2] {
                clauses.push(should(boost(
                    Box::new(FuzzyTermQuery::new_prefix(
                        Term::from_field_text(tier.folded, prefix),
                        0,
                        true,
                    )),
                    PREFIX * tier.weight / TITLE,
                )));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// One reading of a unit: its words in every tier, and as a phrase if it has several.
    fn alternative(&self, alternative: &Alternative) -> Box<dyn Query> {
        let words = &alternative.words;
        if let [word] = words.as_slice() {
            return self.word(word);
        }
        let share = 1.0 / words.len() as f32;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| should(boost(self.word(w), share)))
            .collect();
        let refs: Vec<&Word> = words.iter().collect();
        clauses.push(should(self.phrase(&refs)));
        Box::new(BooleanQuery::new(clauses))
    }

    /// A word in every tier: folded form, and exact form too when it carries diacritics.
    fn word(&self, word: &Word) -> Box<dyn Query> {
        let mut clauses = Vec::with_capacity(8);
        for tier in &self.fields.tiers {
            clauses.push(should(boost(
                term_query(tier.folded, &word.folded),
                tier.weight,
            )));
            if let (Some(exact), true) = (tier.exact, word.has_marks()) {
                clauses.push(should(boost(
                    term_query(exact, &word.exact),
                    tier.weight * EXACT_BONUS,
                )));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Words side by side, in every tier.
    fn phrase(&self, words: &[&Word]) -> Box<dyn Query> {
        self.phrase_in(words, self.fields.tiers.len())
    }

    /// Words side by side, in the first `tiers` tiers.
    fn phrase_in(&self, words: &[&Word], tiers: usize) -> Box<dyn Query> {
        let clauses = self.fields.tiers[..tiers]
            .iter()
            .map(|tier| {
                let terms = words
                    .iter()
                    .map(|w| Term::from_field_text(tier.folded, &w.folded))
                    .collect();
                should(boost(
                    Box::new(PhraseQuery::new(terms)),
                    tier.weight * PHRASE,
                ))
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }
}

fn should(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Should, query)
}

fn boost(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if weight == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A word known only in folded form (a correction from the index's vocabulary).
fn plain_word(folded: &str) -> Word {
    Word {
        start: 0,
        end: 0,
        exact: folded.to_string(),
        folded: folded.to_string(),
    }
}

/// What snippets look for: every reading of every content unit, and the prefix being typed.
fn matcher(plan: &Plan) -> snippet::Matcher {
    let mut matcher = snippet::Matcher::default();
    let only_fillers = plan.units.iter().all(query::Unit::is_filler);
    for (index, unit) in plan.units.iter().enumerate() {
        if unit.is_filler() && !only_fillers {
            continue;
        }
        for alternative in &unit.alternatives {
            for word in &alternative.words {
                matcher.add_word(&word.folded, index);
            }
        }
    }
    if let Some(prefix) = &plan.prefix {
        matcher.set_prefix(prefix, plan.units.len().saturating_sub(1));
    }
    matcher
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let folded = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FOLDED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(EXACT)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let code_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FOLDED)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let mut tier = |name: &str, weight: f32, with_exact: bool| Tier {
        folded: builder.add_text_field(&format!("{name}_folded"), folded.clone()),
        exact: with_exact.then(|| builder.add_text_field(&format!("{name}_exact"), exact.clone())),
        weight,
    };
    let tiers = [
        tier("title", TITLE, true),
        tier("aliases", ALIASES, true),
        tier("summary", SUMMARY, true),
        tier("details", DETAILS, false),
        tier("body", BODY, false),
    ];
    let code = builder.add_text_field("code", code_options);
    let ord = builder.add_u64_field("ord", FAST);
    (builder.build(), Fields { tiers, code, ord })
}

/// The tantivy document of a procedure, and what its hits show.
fn document(fields: &Fields, ord: u64, procedure: &Procedure) -> (TantivyDocument, Entry) {
    let meta = &procedure.meta;
    let [title, aliases, summary, details, body] = fields.tiers;
    let mut doc = TantivyDocument::new();
    doc.add_u64(fields.ord, ord);
    let mut add = |tier: Tier, text: &str| {
        let text = analysis::nfc(text);
        if let Some(exact) = tier.exact {
            doc.add_text(exact, &text);
        }
        doc.add_text(tier.folded, text);
    };

    add(title, &meta.title);
    if let Some(english) = &meta.title_en {
        add(title, english);
    }
    for alias in &meta.aliases {
        add(aliases, alias);
    }
    add(summary, &meta.summary);
    if let Some(result) = &meta.result {
        add(summary, result);
    }

    let mut passages = vec![analysis::nfc(&meta.summary)];
    let mut detail = |text: &str, passages: &mut Vec<String>| {
        let text = analysis::nfc(&to_plain_text(text));
        if !text.is_empty() {
            add(details, &text);
            passages.push(text);
        }
    };
    if let Some(result) = &meta.result {
        passages.push(analysis::nfc(result));
    }
    for document in &meta.documents {
        detail(&document.name, &mut passages);
        if let Some(form) = &document.form {
            detail(&form.name, &mut passages);
        }
        for text in [&document.note, &document.if_missing].into_iter().flatten() {
            detail(text, &mut passages);
        }
    }
    for step in &meta.steps {
        detail(step, &mut passages);
    }
    for question in &meta.questions {
        detail(&question.text, &mut passages);
    }
    for text in [&meta.applicants, &meta.deadline].into_iter().flatten() {
        detail(text, &mut passages);
    }
    detail(&meta.agency.name, &mut passages);

    let plain_body = analysis::nfc(&to_plain_text(&procedure.body));
    add(body, &plain_body);
    passages.extend(
        plain_body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string),
    );

    for code in &meta.codes {
        let code = code.trim().to_lowercase();
        if let Some(national) = query::national_code(&code)
            && national != code
        {
            doc.add_text(fields.code, &national);
        }
        doc.add_text(fields.code, &code);
    }

    let entry = Entry {
        id: meta.id.clone(),
        title: meta.title.clone(),
        codes: meta.codes.clone(),
        passages,
    };
    (doc, entry)
}

/// Holds the current index; `replace` swaps in a rebuilt one without disturbing searches in flight.
pub struct SharedIndex {
    current: ArcSwap<SearchIndex>,
}

impl SharedIndex {
    /// Shares `index`.
    pub fn new(index: SearchIndex) -> SharedIndex {
        SharedIndex {
            current: ArcSwap::from_pointee(index),
        }
    }

    /// The index to search now. Searches keep the index they started with until they finish.
    pub fn current(&self) -> Arc<SearchIndex> {
        self.current.load_full()
    }

    /// Makes `index` the one later searches use.
    pub fn replace(&self, index: SearchIndex) {
        self.current.store(Arc::new(index));
    }
}

impl std::fmt::Debug for SharedIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SharedIndex")
            .field(&*self.current.load())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FrontMatter;
    use std::path::{Path, PathBuf};

    fn procedure(id: &str, title: &str, summary: &str, extra: &str, body: &str) -> Procedure {
        let yaml = format!(
            "id: {id}\ntitle: \"{title}\"\nsummary: \"{summary}\"\nkind: procedure\n\
             agency: {{name: UBND xã}}\nsteps: [\"Nộp hồ sơ.\"]\nlast_reviewed: 2026-11-25\n{extra}"
        );
        let meta: FrontMatter = serde_yaml::from_str(&yaml).expect("test front matter");
        Procedure {
            meta,
            category: "test".into(),
            body: body.into(),
            path: PathBuf::from(format!("test/{id}.md")),
        }
    }

    fn corpus() -> Vec<Procedure> {
        vec![
            procedure(
                "dang-ky-khai-sinh",
                "Đăng ký khai sinh",
                "Đăng ký khai sinh cho trẻ mới sinh.",
                "codes: [\"1.001193\"]\naliases: [giấy khai sinh, làm giấy khai sinh]\ntitle_en: Birth registration",
                "Cha mẹ đi đăng ký trong 60 ngày.",
            ),
            procedure(
                "dang-ky-khai-tu",
                "Đăng ký khai tử",
                "Đăng ký khai tử khi có người mất.",
                "codes: [\"1.000656\"]\naliases: [báo tử]",
                "Người thân đi khai báo. Sinh sống ở đâu thì khai ở đó.",
            ),
            procedure(
                "cap-the-can-cuoc",
                "Cấp thẻ căn cước",
                "Cấp thẻ căn cước lần đầu cho công dân.",
                "codes: [\"1.014061\"]",
                "Mang theo giấy khai sinh nếu chưa có thông tin.",
            ),
            procedure(
                "vneid-quen-mat-khau",
                "Quên mật khẩu VNeID",
                "Lấy lại mật khẩu tài khoản định danh điện tử.",
                "",
                "Bấm Quên mật khẩu.",
            ),
            procedure(
                "duong-giao-thong",
                "Xin phép đào đường",
                "Cấp phép thi công trên đường giao thông.",
                "",
                "",
            ),
            procedure(
                "tro-cap-duong",
                "Trợ cấp dương tính",
                "Hỗ trợ người có kết quả dương tính.",
                "",
                "Sống ở Hoà Bình hoặc Thuỷ Nguyên.",
            ),
        ]
    }

    fn index() -> SearchIndex {
        let (synonyms, problems) = Synonyms::parse(
            "cccd, căn cước công dân, căn cước\nkhai sanh => khai sinh\n",
            Path::new("synonyms.txt"),
        );
        assert!(problems.is_empty());
        SearchIndex::build(&corpus(), &synonyms).expect("index builds")
    }

    fn ids(index: &SearchIndex, query: &str) -> Vec<String> {
        index
            .search(query, DEFAULT_LIMIT)
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    fn first(index: &SearchIndex, query: &str) -> Option<String> {
        ids(index, query).into_iter().next()
    }

    #[test]
    fn finds_accented_text_without_diacritics() {
        let index = index();
        assert_eq!(
            first(&index, "dang ky khai sinh").as_deref(),
            Some("dang-ky-khai-sinh")
        );
        assert_eq!(
            first(&index, "cap the can cuoc").as_deref(),
            Some("cap-the-can-cuoc")
        );
        assert_eq!(
            first(&index, "ĐĂNG KÝ KHAI TỬ").as_deref(),
            Some("dang-ky-khai-tu")
        );
    }

    #[test]
    fn exact_matches_rank_above_folded_ones() {
        let index = index();
        assert_eq!(first(&index, "đường").as_deref(), Some("duong-giao-thong"));
        assert_eq!(first(&index, "dương").as_deref(), Some("tro-cap-duong"));
        let both = ids(&index, "duong");
        assert!(both.contains(&"duong-giao-thong".to_string()));
        assert!(both.contains(&"tro-cap-duong".to_string()));
    }

    #[test]
    fn decomposed_and_old_tone_placement_match() {
        let index = index();
        let decomposed: String =
            unicode_normalization::UnicodeNormalization::nfd("Đăng ký khai tử").collect();
        assert_eq!(
            first(&index, &decomposed).as_deref(),
            Some("dang-ky-khai-tu")
        );
        assert_eq!(first(&index, "hòa bình").as_deref(), Some("tro-cap-duong"));
        assert_eq!(
            first(&index, "thủy nguyên").as_deref(),
            Some("tro-cap-duong")
        );
    }

    #[test]
    fn words_side_by_side_rank_above_scattered_ones() {
        // "khai" and "sinh" are both in the death-registration body, but apart.
        let index = index();
        let found = ids(&index, "khai sinh");
        assert_eq!(found[0], "dang-ky-khai-sinh");
    }

    #[test]
    fn a_code_finds_its_procedure_first() {
        let index = index();
        assert_eq!(
            first(&index, "1.000656").as_deref(),
            Some("dang-ky-khai-tu")
        );
        assert_eq!(
            first(&index, "thu tuc 1.014061 la gi").as_deref(),
            Some("cap-the-can-cuoc")
        );
        assert_eq!(
            first(&index, "1.000656.000.00.00.H29").as_deref(),
            Some("dang-ky-khai-tu")
        );
        assert_eq!(
            first(&index, "1.01406").as_deref(),
            Some("cap-the-can-cuoc")
        );
    }

    #[test]
    fn fillers_never_make_a_query_fail() {
        let index = index();
        assert_eq!(
            first(
                &index,
                "làm giấy khai sinh cho con ở đâu, cần gì, bao nhiêu tiền"
            )
            .as_deref(),
            Some("dang-ky-khai-sinh")
        );
        // The death-registration body says "ở đâu"; the birth registration must still win.
        assert_eq!(
            first(&index, "khai sinh ở đâu").as_deref(),
            Some("dang-ky-khai-sinh")
        );
    }

    #[test]
    fn typos_keystrokes_and_prefixes() {
        let index = index();
        assert_eq!(
            first(&index, "khai sinhh").as_deref(),
            Some("dang-ky-khai-sinh")
        );
        assert_eq!(
            first(&index, "quen mat khau vneld").as_deref(),
            Some("vneid-quen-mat-khau")
        );
        assert_eq!(
            first(&index, "ddaang kys khai tuw").as_deref(),
            Some("dang-ky-khai-tu")
        );
        assert_eq!(
            first(&index, "dang ky1 khai tu3").as_deref(),
            Some("dang-ky-khai-tu")
        );
        assert_eq!(
            first(&index, "quen mat kh").as_deref(),
            Some("vneid-quen-mat-khau")
        );
    }

    #[test]
    fn synonyms_find_what_the_text_calls_otherwise() {
        let index = index();
        assert_eq!(
            first(&index, "lam cccd").as_deref(),
            Some("cap-the-can-cuoc")
        );
        assert_eq!(
            first(&index, "lam giay khai sanh").as_deref(),
            Some("dang-ky-khai-sinh")
        );
    }

    #[test]
    fn english_titles_are_searched() {
        let index = index();
        assert_eq!(
            first(&index, "birth registration").as_deref(),
            Some("dang-ky-khai-sinh")
        );
    }

    #[test]
    fn hits_carry_url_codes_and_a_marked_snippet() {
        let index = index();
        let results = index.search("khai tu", 5);
        let hit = &results.hits[0];
        assert_eq!(hit.url, "/thu-tuc/dang-ky-khai-tu");
        assert_eq!(hit.codes, ["1.000656"]);
        assert!(
            hit.snippet.contains("<mark>khai tử</mark>"),
            "{}",
            hit.snippet
        );
        assert!(results.total >= 1);
        let json = serde_json::to_value(&results).unwrap();
        assert!(json["hits"][0]["score"].as_f64().unwrap() > 0.0);
    }

    #[test]
    fn limit_is_capped() {
        let index = index();
        assert!(index.search("dang ky", 0).hits.is_empty());
        assert_eq!(index.search("dang ky", 1).hits.len(), 1);
        assert!(index.search("dang ky", usize::MAX).hits.len() <= MAX_LIMIT);
    }

    #[test]
    fn any_input_gives_results_or_nothing() {
        let index = index();
        let long = "khai sinh ".repeat(10_000);
        let noise: String = (0u32..3_000).filter_map(char::from_u32).collect();
        let inputs = [
            "",
            " ",
            "\"",
            "\"khai sinh",
            "khai:sinh",
            "title:khai",
            "(khai AND sinh) OR NOT tu",
            "[1 TO 5]",
            "{}[]()<>",
            "+khai -sinh ~2 ^3 * ?",
            "&& || !",
            "🙂 khai sinh 👶🏽",
            "\u{0}\u{1}\u{1b}[31mkhai\u{7f}",
            "\u{202e}\u{200b}\u{feff}",
            "\\",
            "'; DROP TABLE x; --",
            "<script>alert(1)</script>",
            long.as_str(),
            noise.as_str(),
            "1.",
            "1.0",
            "0000000",
            "9999999999999999999999",
            "ɖ Ð ð đ",
            "\u{300}\u{301}\u{302}",
        ];
        for input in inputs {
            let results = index.search(input, DEFAULT_LIMIT);
            assert!(results.hits.len() <= DEFAULT_LIMIT);
            assert!(results.query.chars().count() <= query::MAX_QUERY_CHARS);
        }
        let a100k = "a".repeat(100_000);
        assert!(index.search(&a100k, 10).hits.is_empty());
    }

    #[test]
    fn snippets_escape_html() {
        let index = SearchIndex::build(
            &[procedure(
                "x",
                "Tiêu đề",
                "Dùng <b>mẫu</b> & ký \\\"tên\\\"",
                "",
                "",
            )],
            &Synonyms::default(),
        )
        .unwrap();
        let hit = &index.search("mẫu", 1).hits[0];
        assert_eq!(
            hit.snippet,
            "Dùng &lt;b&gt;<mark>mẫu</mark>&lt;/b&gt; &amp; ký &quot;tên&quot;"
        );
    }

    #[test]
    fn replacing_does_not_disturb_searches_in_flight() {
        let shared = Arc::new(SharedIndex::new(index()));
        let held = shared.current();
        let searchers: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let hits = shared.current().search("khai sinh", 3).hits;
                        assert!(!hits.is_empty());
                    }
                })
            })
            .collect();
        for _ in 0..3 {
            shared.replace(index());
        }
        for searcher in searchers {
            searcher.join().expect("searches never fail during a swap");
        }
        assert_eq!(first(&held, "khai tu").as_deref(), Some("dang-ky-khai-tu"));
        assert_eq!(shared.current().len(), 6);
    }
}
