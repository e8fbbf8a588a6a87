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

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use arc_swap::ArcSwap;
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::content::markdown::to_plain_text;
use crate::model::{Kind, Procedure, Situation};
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

/// One matching procedure or situation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// The procedure or situation id.
    pub id: String,
    /// `procedure`, `guide` or `situation`.
    pub kind: &'static str,
    /// Its Vietnamese title.
    pub title: String,
    /// Its national codes (none for a situation).
    pub codes: Vec<String>,
    /// A situation's procedures, in order (absent for a procedure).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<String>,
    /// Its page on the site: `/thu-tuc/<id>` or `/tinh-huong/<id>`.
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
const PHRASE: f32 = 0.5;
/// Weight of a national code.
const CODE: f32 = 40.0;
/// Weight of a completion of the word being typed, when it is not a word yet…
const COMPLETION: f32 = 0.8;
/// …and when it already is one (`ho` may be complete, or the start of `hoa`).
const COMPLETION_OF_A_WORD: f32 = 0.3;
/// How many completions the word being typed may get, and how many terms are looked at for them.
const MAX_COMPLETIONS: usize = 5;
const MAX_COMPLETIONS_OF_A_WORD: usize = 2;
const MAX_COMPLETION_SCAN: usize = 2_000;
/// The tiers of names: titles and aliases. Phrases, and filler words, are only looked for there
/// (the longer texts are slow to match and add little).
const NAME_TIERS: usize = 2;
/// A word is left out of the tiers where more than this share of the documents have it (unless it
/// is common in every tier): it barely changes a ranking but costs the most to score.
const COMMON_SHARE: f64 = 0.3;
/// Common words are left out only from this many documents on: below, they cost little, and a
/// small collection would lose matches it should show.
const PRUNE_FROM_DOCUMENTS: u64 = 1_000;
/// Weight of a word read as Telex or VNI keystrokes.
const KEYSTROKES: f32 = 0.9;
/// Weight of a spelling correction, by edit distance.
const CORRECTION: [f32; 3] = [1.0, 0.6, 0.35];
/// How many spelling corrections a word may get.
const MAX_CORRECTIONS: usize = 3;
/// How many of the best candidates are reranked by name coverage.
const RERANK_DEPTH: usize = 30;
/// How much a name wholly covered by the query multiplies a score by (plus one).
const NAME_COVERAGE: f32 = 1.0;
/// What a situation's score is multiplied by: a query that names a procedure finds that procedure
/// first; one that only says what happened finds the situation.
const SITUATION: f32 = 0.7;
/// How many alternatives of a unit take part in phrases with their neighbours.
const PHRASE_ALTERNATIVES: usize = 2;

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
    kind: &'static str,
    title: String,
    codes: Vec<String>,
    procedures: Vec<String>,
    url: String,
    /// Texts a snippet may come from, in order of preference.
    passages: snippet::Passages,
    /// The folded words of each name the procedure goes by (its titles and aliases), with their
    /// [`analysis::key`]s.
    names: Vec<Vec<(u64, String)>>,
}

impl Entry {
    /// The largest share of one of its names that the query's words cover: 1 when the resident
    /// typed a whole name (`làm giấy khai sinh`), less when a name says more than the query.
    fn name_coverage(&self, words: &[(u64, &str)], prefix: Option<&str>) -> f32 {
        self.names
            .iter()
            .filter(|name| !name.is_empty())
            .map(|name| {
                let covered = name
                    .iter()
                    .filter(|(key, w)| {
                        words
                            .iter()
                            .any(|(k, word)| analysis::same(*key, w, *k, word))
                            || prefix.is_some_and(|p| w.starts_with(p))
                    })
                    .count();
                covered as f32 / name.len() as f32
            })
            .fold(0.0, f32::max)
    }
}

/// An in-RAM index over procedures. Cheap to share behind an `Arc`; searches never block each other.
pub struct SearchIndex {
    searcher: Searcher,
    /// Kept so the searcher's segments stay open.
    _reader: IndexReader,
    fields: Fields,
    entries: Vec<Entry>,
    /// For each segment, for each document, its index in `entries`.
    doc_entries: Vec<Vec<u32>>,
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
    /// The synonyms the index was built with.
    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// Builds an in-RAM index over the procedures.
    pub fn build(procedures: &[Procedure], synonyms: &Synonyms) -> anyhow::Result<SearchIndex> {
        Self::build_with(procedures, &[], synonyms)
    }

    /// Builds an in-RAM index over the procedures and the situations, ranked together.
    pub fn build_with(
        procedures: &[Procedure],
        situations: &[Situation],
        synonyms: &Synonyms,
    ) -> anyhow::Result<SearchIndex> {
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
        // One segment per thread, never merged: the index is built once and only read.
        let (threads, budget) = if procedures.len() > 1_000 {
            (2, 200_000_000)
        } else {
            (1, 15_000_000)
        };
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(threads, budget)
            .context("creating the search index writer")?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut entries = Vec::with_capacity(procedures.len() + situations.len());
        for (ord, procedure) in procedures.iter().enumerate() {
            let (document, entry) = document(&fields, ord as u64, procedure);
            writer
                .add_document(document)
                .context("adding a procedure to the search index")?;
            entries.push(entry);
        }
        for situation in situations {
            let ord = entries.len() as u64;
            let (document, entry) = situation_document(&fields, ord, situation);
            writer
                .add_document(document)
                .context("adding a situation to the search index")?;
            entries.push(entry);
        }
        writer.commit().context("committing the search index")?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("opening the search index")?;
        let searcher = reader.searcher();
        let doc_entries = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let ords = segment.fast_fields().u64("ord")?;
                Ok((0..segment.max_doc())
                    .map(|doc| ords.first(doc).map_or(u32::MAX, |ord| ord as u32))
                    .collect())
            })
            .collect::<tantivy::Result<_>>()
            .context("reading the search index")?;
        Ok(SearchIndex {
            searcher,
            _reader: reader,
            fields,
            entries,
            doc_entries,
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
        let frequencies = Frequencies::new(&self.searcher);
        let plan = self.correct(plan, &frequencies);
        let tantivy_query = self.query(&plan, &frequencies);
        let depth = limit.max(RERANK_DEPTH);
        let collector = (TopDocs::with_limit(depth).order_by_score(), Count);
        let (top, total) = match self.searcher.search(&tantivy_query, &collector) {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, query = %plan.text, "search failed");
                return results;
            }
        };
        results.total = total;
        // Rerank the best candidates by how much of one of their names the query covers.
        let mut words: Vec<(u64, &str)> = plan
            .units
            .iter()
            .flat_map(|u| &u.alternatives)
            .flat_map(|a| &a.words)
            .map(|w| (analysis::key(&w.folded), w.folded.as_str()))
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut ranked: Vec<(f32, &Entry)> = top
            .into_iter()
            .filter_map(|(score, address)| {
                let entry = self.entry(address)?;
                let coverage = entry.name_coverage(&words, plan.prefix.as_deref());
                let weight = if entry.kind == "situation" {
                    SITUATION
                } else {
                    1.0
                };
                Some((weight * score * (1.0 + NAME_COVERAGE * coverage), entry))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        let matcher = matcher(&plan);
        results.hits = ranked
            .into_iter()
            .take(limit)
            .map(|(score, entry)| Hit {
                id: entry.id.clone(),
                kind: entry.kind,
                title: entry.title.clone(),
                codes: entry.codes.clone(),
                procedures: entry.procedures.clone(),
                url: entry.url.clone(),
                score,
                snippet: snippet::best(&entry.passages, &matcher),
            })
            .collect();
        results
    }

    /// Why the procedure `id` scores what it does for `query`: tantivy's explanation as JSON.
    /// For people tuning the ranking or the synonyms; `None` if `id` is not in the index.
    pub fn explain(&self, query: &str, id: &str) -> Option<String> {
        let frequencies = Frequencies::new(&self.searcher);
        let plan = self.correct(query::plan(query, &self.synonyms), &frequencies);
        let tantivy_query = self.query(&plan, &frequencies);
        let ord = self.entries.iter().position(|e| e.id == id)? as u32;
        for (segment_ord, docs) in self.doc_entries.iter().enumerate() {
            if let Some(doc_id) = docs.iter().position(|&o| o == ord) {
                let address = DocAddress::new(segment_ord as u32, doc_id as u32);
                return match tantivy_query.explain(&self.searcher, address) {
                    Ok(explanation) => Some(explanation.to_pretty_json()),
                    Err(_) => Some(format!("{id} does not match")),
                };
            }
        }
        None
    }

    fn entry(&self, address: DocAddress) -> Option<&Entry> {
        let ord = *self
            .doc_entries
            .get(address.segment_ord as usize)?
            .get(address.doc_id as usize)?;
        self.entries.get(ord as usize)
    }

    /// Whether many documents have `text` in `field` (see [`COMMON_SHARE`]), in a large index.
    fn is_common(&self, frequencies: &Frequencies, field: Field, text: &str) -> bool {
        let documents = self.searcher.num_docs();
        documents >= PRUNE_FROM_DOCUMENTS
            && frequencies.of(field, text) as f64 > COMMON_SHARE * documents as f64
    }

    /// Whether any document contains the folded word in any tier.
    fn is_known(&self, frequencies: &Frequencies, folded: &str) -> bool {
        self.fields
            .tiers
            .iter()
            .any(|tier| frequencies.of(tier.folded, folded) > 0)
    }

    /// Adds completions to the word being typed, and corrections to content words the index has
    /// never seen.
    fn correct(&self, mut plan: Plan, frequencies: &Frequencies) -> Plan {
        let mut completed = false;
        if let (Some(prefix), Some(last)) = (&plan.prefix, plan.units.last_mut())
            && let [typed] = last.alternatives[0].words.as_slice()
            && typed.folded == *prefix
        {
            let (weight, most) = if self.is_known(frequencies, prefix) {
                (COMPLETION_OF_A_WORD, MAX_COMPLETIONS_OF_A_WORD)
            } else {
                (COMPLETION, MAX_COMPLETIONS)
            };
            for term in self.completions(prefix).into_iter().take(most) {
                completed = true;
                last.alternatives.push(Alternative {
                    words: vec![plain_word(&term)],
                    weight,
                });
            }
        }
        let count = plan.units.len();
        for (i, unit) in plan.units.iter_mut().enumerate() {
            if unit.is_filler() || (completed && i + 1 == count) {
                continue;
            }
            let [typed] = unit.alternatives[0].words.as_slice() else {
                continue;
            };
            if self.is_known(frequencies, &typed.folded) {
                continue;
            }
            if let Some(variant) = query::keystroke_variant(&typed.folded)
                && self.is_known(frequencies, &variant)
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

    /// The commonest words of titles, aliases and summaries that start with `prefix` (not itself).
    fn completions(&self, prefix: &str) -> Vec<String> {
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xFF);
        let mut found: HashMap<String, u64> = HashMap::new();
        for tier in &self.fields.tiers[..3] {
            for segment in self.searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(tier.folded) else {
                    continue;
                };
                let Ok(mut stream) = inverted
                    .terms()
                    .range()
                    .ge(prefix.as_bytes())
                    .lt(&upper)
                    .into_stream()
                else {
                    continue;
                };
                let mut scanned = 0;
                while scanned < MAX_COMPLETION_SCAN && stream.advance() {
                    scanned += 1;
                    if let Ok(term) = std::str::from_utf8(stream.key())
                        && term != prefix
                    {
                        *found.entry(term.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        let mut ranked: Vec<(String, u64)> = found.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(MAX_COMPLETIONS)
            .map(|(term, _)| term)
            .collect()
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
    fn query(&self, plan: &Plan, frequencies: &Frequencies) -> BooleanQuery {
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
            // A filler only counts in names, where it can complete one.
            let tiers = if unit.is_filler() {
                NAME_TIERS
            } else {
                self.fields.tiers.len()
            };
            let alternatives: Vec<Box<dyn Query>> = unit
                .alternatives
                .iter()
                .enumerate()
                .map(|(i, a)| boost(self.alternative(a, i == 0, tiers, frequencies), a.weight))
                .collect();
            clauses.push(should(boost(
                Box::new(DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.1)),
                unit.weight,
            )));
        }
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for window in plan.units.windows(2) {
            // Fillers weigh too little for their phrases to be worth matching.
            if window.iter().any(query::Unit::is_filler) {
                continue;
            }
            let weight = window[0].weight.min(window[1].weight);
            for left in window[0].alternatives.iter().take(PHRASE_ALTERNATIVES) {
                for right in window[1].alternatives.iter().take(PHRASE_ALTERNATIVES) {
                    let (Some(a), Some(b)) = (left.words.last(), right.words.first()) else {
                        continue;
                    };
                    let pair = (a.folded.as_str(), b.folded.as_str());
                    if pairs.contains(&pair) {
                        continue;
                    }
                    pairs.push(pair);
                    clauses.push(should(boost(
                        self.phrase(&[a, b], frequencies),
                        weight * left.weight * right.weight,
                    )));
                }
            }
        }
        BooleanQuery::new(clauses)
    }

    /// One reading of a unit: its words in every tier, and as a phrase if it has several. A
    /// synonym of several words (not `typed`) is only looked for as a phrase: it means nothing
    /// else.
    fn alternative(
        &self,
        alternative: &Alternative,
        typed: bool,
        tiers: usize,
        frequencies: &Frequencies,
    ) -> Box<dyn Query> {
        let words = &alternative.words;
        if let [word] = words.as_slice() {
            return self.word(word, tiers, frequencies);
        }
        let refs: Vec<&Word> = words.iter().collect();
        if !typed {
            return self.phrase(&refs, frequencies);
        }
        let share = 1.0 / words.len() as f32;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| should(boost(self.word(w, tiers, frequencies), share)))
            .collect();
        clauses.push(should(self.phrase(&refs, frequencies)));
        Box::new(BooleanQuery::new(clauses))
    }

    /// A word in the first `tiers` tiers: folded form, and exact form too when it carries
    /// diacritics.
    fn word(&self, word: &Word, tiers: usize, frequencies: &Frequencies) -> Box<dyn Query> {
        let tiers = &self.fields.tiers[..tiers.min(self.fields.tiers.len())];
        // Tiers where most documents have the word are left out; if that leaves none, the one
        // where it is least common is kept.
        let rare: Vec<&Tier> = tiers
            .iter()
            .filter(|tier| !self.is_common(frequencies, tier.folded, &word.folded))
            .filter(|tier| frequencies.of(tier.folded, &word.folded) > 0)
            .collect();
        let chosen: Vec<&Tier> = if rare.is_empty() {
            // Common everywhere: the tier where it is least common still lets it match.
            tiers
                .iter()
                .filter(|tier| frequencies.of(tier.folded, &word.folded) > 0)
                .min_by_key(|tier| frequencies.of(tier.folded, &word.folded))
                .into_iter()
                .collect()
        } else {
            rare
        };
        let mut clauses = Vec::with_capacity(2 * chosen.len());
        for tier in chosen {
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

    /// Words side by side, in the tiers of names.
    fn phrase(&self, words: &[&Word], frequencies: &Frequencies) -> Box<dyn Query> {
        let clauses = self
            .fields
            .tiers
            .iter()
            .enumerate()
            .filter(|(i, tier)| {
                // Only where every word occurs, and not all of them in most documents.
                *i < NAME_TIERS
                    && words
                        .iter()
                        .all(|w| frequencies.of(tier.folded, &w.folded) > 0)
                    && !words
                        .iter()
                        .all(|w| self.is_common(frequencies, tier.folded, &w.folded))
            })
            .map(|(_, tier)| {
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

/// Document frequencies looked up while planning one query, each looked up once.
struct Frequencies<'a> {
    searcher: &'a Searcher,
    seen: RefCell<Vec<(Field, u64, String, u64)>>,
}

impl<'a> Frequencies<'a> {
    fn new(searcher: &'a Searcher) -> Self {
        Frequencies {
            searcher,
            seen: RefCell::new(Vec::new()),
        }
    }

    /// How many documents have `text` in `field`.
    fn of(&self, field: Field, text: &str) -> u64 {
        let mut seen = self.seen.borrow_mut();
        let key = analysis::key(text);
        let found = seen
            .iter()
            .find(|(f, k, t, _)| *f == field && analysis::same(*k, t, key, text));
        if let Some((_, _, _, n)) = found {
            return *n;
        }
        let n = self
            .searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0);
        seen.push((field, key, text.to_string(), n));
        n
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

/// Adds `text` to a tier: folded, and exact too where the tier has an exact field.
fn add_text(doc: &mut TantivyDocument, tier: Tier, text: &str) {
    let text = analysis::nfc(text);
    if let Some(exact) = tier.exact {
        doc.add_text(exact, &text);
    }
    doc.add_text(tier.folded, text);
}

/// A new document holding its names (titles, aliases) and summary in their tiers.
fn named_document(
    fields: &Fields,
    ord: u64,
    title: &str,
    english: Option<&String>,
    aliases: &[String],
    summary: &str,
) -> TantivyDocument {
    let [title_tier, aliases_tier, summary_tier, _, _] = fields.tiers;
    let mut doc = TantivyDocument::new();
    doc.add_u64(fields.ord, ord);
    add_text(&mut doc, title_tier, title);
    if let Some(english) = english {
        add_text(&mut doc, title_tier, english);
    }
    for alias in aliases {
        add_text(&mut doc, aliases_tier, alias);
    }
    add_text(&mut doc, summary_tier, summary);
    doc
}

/// The tantivy document of a procedure, and what its hits show.
fn document(fields: &Fields, ord: u64, procedure: &Procedure) -> (TantivyDocument, Entry) {
    let meta = &procedure.meta;
    let [_, _, summary, details, body] = fields.tiers;
    let mut doc = named_document(
        fields,
        ord,
        &meta.title,
        meta.title_en.as_ref(),
        &meta.aliases,
        &meta.summary,
    );
    let mut add = |tier: Tier, text: &str| add_text(&mut doc, tier, text);
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
        kind: match meta.kind {
            Kind::Procedure => "procedure",
            Kind::Guide => "guide",
        },
        title: meta.title.clone(),
        codes: meta.codes.clone(),
        procedures: Vec::new(),
        url: format!("/thu-tuc/{}", meta.id),
        passages: snippet::Passages::new(passages),
        names: names_of(&meta.title, meta.title_en.as_ref(), &meta.aliases),
    };
    (doc, entry)
}

/// The folded words of each name (title, English title, aliases), for name coverage.
fn names_of(
    title: &String,
    english: Option<&String>,
    aliases: &[String],
) -> Vec<Vec<(u64, String)>> {
    std::iter::once(title)
        .chain(english)
        .chain(aliases)
        .map(|name| {
            analysis::words(&analysis::nfc(name))
                .into_iter()
                .map(|w| (analysis::key(&w.folded), w.folded))
                .collect()
        })
        .collect()
}

/// The tantivy document of a situation: its names and summary weigh as a procedure's do; the
/// titles of its procedures and when each applies are its details.
fn situation_document(
    fields: &Fields,
    ord: u64,
    situation: &Situation,
) -> (TantivyDocument, Entry) {
    let meta = &situation.meta;
    let [_, _, _, details, body] = fields.tiers;
    let mut doc = named_document(
        fields,
        ord,
        &meta.title,
        meta.title_en.as_ref(),
        &meta.aliases,
        &meta.summary,
    );
    let mut add = |tier: Tier, text: &str| add_text(&mut doc, tier, text);
    let mut passages = vec![analysis::nfc(&meta.summary)];
    for step in &meta.procedures {
        // Not the procedures' titles: a query naming a procedure must find that procedure.
        for text in step.applies.iter().chain(&step.note) {
            let text = analysis::nfc(text);
            add(details, &text);
            passages.push(text);
        }
    }
    let plain_body = analysis::nfc(&to_plain_text(&situation.body));
    add(body, &plain_body);
    passages.push(plain_body);
    let entry = Entry {
        id: meta.id.clone(),
        kind: "situation",
        title: meta.title.clone(),
        codes: Vec::new(),
        procedures: situation.procedure_ids(),
        url: format!("/tinh-huong/{}", meta.id),
        passages: snippet::Passages::new(passages),
        names: names_of(&meta.title, meta.title_en.as_ref(), &meta.aliases),
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
    fn random_input_never_panics() {
        let index = index();
        let alphabet: Vec<char> = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĐÐƉ áàảãạ\u{300}\u{301}\u{309}\u{303}\u{323}\u{302}\u{31b}0123456789.,:;\"'()[]{}<>+-*/\\^~?!&|=_ \t\n\r\u{0}\u{7}\u{1b}\u{200b}\u{202e}\u{feff}🙂👍🏽한字"
            .chars()
            .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2_000 {
            let length = (next() % 60) as usize;
            let query: String = (0..length)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let limit = (next() % 70) as usize;
            let results = index.search(&query, limit);
            assert!(results.hits.len() <= limit.min(MAX_LIMIT), "{query:?}");
        }
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
