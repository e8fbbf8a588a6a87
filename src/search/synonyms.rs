//! Synonyms and abbreviations: `procedures/synonyms.txt`, written by union members.
//!
//! One rule a line. `cccd, căn cước công dân, căn cước` makes the terms equivalent: a query with
//! any of them also searches for the others. `khai sanh => khai sinh` is one-way: a query with
//! `khai sanh` also searches for `khai sinh`, not the other way round; either side may list several
//! terms separated by commas. Lines starting with `#` are comments. Terms are compared without
//! diacritics, so `căn cước` also covers `can cuoc`; a term may stand in only one group (one
//! equivalence line, or the left side of one `=>` line), so that a query never depends on which
//! line wins. Parsing reports every problem with its line and column and keeps every valid line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::analysis::{self, Word};
use crate::content::structure::bilingual;
use crate::diagnostics::{Diagnostic, Position};

/// The synonyms file, in the procedures folder.
pub const SYNONYMS_FILE: &str = "synonyms.txt";

/// Terms longer than this many words are refused (a synonym is a word or a short phrase).
const MAX_TERM_WORDS: usize = 8;

/// The parsed synonyms file. `Synonyms::default()` has no rule.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    rules: Vec<Rule>,
    /// Folded words of a term, joined by spaces → (rule, term) where the term is a source.
    sources: HashMap<String, (usize, usize)>,
    /// The most words in any source term.
    longest: usize,
}

/// One line: equivalent terms, or sources that also search for targets.
#[derive(Debug, Clone)]
struct Rule {
    /// The terms a query may contain.
    sources: Vec<Term>,
    /// The terms searched for as well; for an equivalence line, the same as `sources`.
    targets: Vec<Term>,
}

/// A term of the synonyms file, as words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written (NFC).
    pub text: String,
    /// Its words, in both forms.
    pub words: Vec<Word>,
}

impl Term {
    fn key(&self) -> String {
        self.words
            .iter()
            .map(|w| w.folded.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A term found in a query and what it also stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion<'a> {
    /// How many query words the term covers.
    pub len: usize,
    /// The other terms to search for.
    pub alternatives: Vec<&'a Term>,
}

impl Synonyms {
    /// Reads and parses the file; a missing file gives no synonyms and no diagnostic.
    /// Only a file that exists but cannot be read is an `Err`.
    pub fn load(path: &Path) -> anyhow::Result<(Synonyms, Vec<Diagnostic>)> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Synonyms::default(), Vec::new()));
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        match std::str::from_utf8(&bytes) {
            Ok(text) => Ok(Synonyms::parse(text, path)),
            Err(e) => {
                let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
                let line = valid.matches('\n').count() + 1;
                let column = valid
                    .rsplit('\n')
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .count()
                    + 1;
                let diagnostic = Diagnostic::error(
                    path,
                    Position::new(line, column),
                    "not-utf8",
                    bilingual("tệp không phải văn bản UTF-8", "the file is not UTF-8 text"),
                )
                .with_hint("Lưu lại tệp với bảng mã UTF-8 / save the file as UTF-8");
                Ok((Synonyms::default(), vec![diagnostic]))
            }
        }
    }

    /// Parses the text of a synonyms file; `path` is used in diagnostics only.
    /// Every valid line is kept; every problem is reported.
    pub fn parse(text: &str, path: &Path) -> (Synonyms, Vec<Diagnostic>) {
        let mut parser = Parser {
            path: path.to_path_buf(),
            synonyms: Synonyms::default(),
            first_line_of: HashMap::new(),
            out: Vec::new(),
        };
        for (index, line) in text.lines().enumerate() {
            parser.line(index + 1, line);
        }
        (parser.synonyms, parser.out)
    }

    /// Whether there is no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The number of rules (lines that define something).
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// The longest source term at the start of `words` (query words), if any.
    ///
    /// Words are compared without diacritics, except that a query word typed with diacritics must
    /// match a term word written with diacritics exactly (`mã` does not match a term `má`).
    pub fn longest_match(&self, words: &[Word]) -> Option<Expansion<'_>> {
        let most = self.longest.min(words.len());
        (1..=most).rev().find_map(|len| {
            let key = words[..len]
                .iter()
                .map(|w| w.folded.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let &(rule, term) = self.sources.get(&key)?;
            let rule = &self.rules[rule];
            let matched = &rule.sources[term];
            let agrees = words[..len]
                .iter()
                .zip(&matched.words)
                .all(|(typed, written)| {
                    !typed.has_marks() || !written.has_marks() || typed.exact == written.exact
                });
            if !agrees {
                return None;
            }
            let alternatives = rule
                .targets
                .iter()
                .filter(|t| t.key() != matched.key())
                .collect();
            Some(Expansion { len, alternatives })
        })
    }
}

struct Parser {
    path: PathBuf,
    synonyms: Synonyms,
    /// Folded term → the line where it was first a source.
    first_line_of: HashMap<String, usize>,
    out: Vec<Diagnostic>,
}

impl Parser {
    fn line(&mut self, number: usize, line: &str) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return;
        }
        let arrows: Vec<usize> = line.match_indices("=>").map(|(i, _)| i).collect();
        let (sources, targets) = match arrows.as_slice() {
            [] => (self.terms(number, line, 0, line.len()), None),
            [arrow] => {
                let (left, right) = (&line[..*arrow], &line[arrow + 2..]);
                for (side, vi, en) in [
                    (left, "vế trái", "left side"),
                    (right, "vế phải", "right side"),
                ] {
                    if side.trim().is_empty() {
                        self.error(
                            number,
                            column_of(line, *arrow),
                            "synonym-syntax",
                            bilingual(
                                &format!("{vi} của `=>` đang trống"),
                                &format!("the {en} of `=>` is empty"),
                            ),
                        );
                        return;
                    }
                }
                (
                    self.terms(number, line, 0, *arrow),
                    Some(self.terms(number, line, arrow + 2, line.len())),
                )
            }
            [_, second, ..] => {
                self.error(
                    number,
                    column_of(line, *second),
                    "synonym-syntax",
                    bilingual(
                        "một dòng chỉ được có một dấu `=>`",
                        "a line may hold only one `=>`",
                    ),
                );
                return;
            }
        };
        let (Some(mut sources), targets) = (sources, targets) else {
            return;
        };
        let targets = match targets {
            Some(Some(targets)) => Some(targets),
            Some(None) => return,
            None => None,
        };
        if targets.is_none() && sources.len() < 2 {
            if let Some((column, _)) = sources.first() {
                self.out.push(
                    Diagnostic::warning(
                        &self.path,
                        Position::new(number, *column),
                        "synonym-single-term",
                        bilingual(
                            "dòng chỉ có một từ nên không có tác dụng",
                            "a line with a single term does nothing",
                        ),
                    )
                    .with_hint(
                        "Viết các từ cùng nghĩa, cách nhau bằng dấu phẩy (`cccd, căn cước`), hoặc `a => b` / list equivalent terms separated by commas, or write `a => b`",
                    ),
                );
            }
            return;
        }
        // A source term may stand in one group only.
        let mut seen_here: HashMap<String, usize> = HashMap::new();
        sources.retain(|(column, term)| {
            let key = term.key();
            if let Some(&first) = self.first_line_of.get(&key) {
                self.out.push(
                    Diagnostic::error(
                        &self.path,
                        Position::new(number, *column),
                        "synonym-duplicate-term",
                        bilingual(
                            &format!("`{}` đã có ở dòng {first}", term.text),
                            &format!("`{}` is already in the group on line {first}", term.text),
                        ),
                    )
                    .with_hint(
                        "Mỗi từ chỉ được ở một nhóm: gộp hai dòng lại, hoặc bỏ từ ở một dòng / a term may be in one group only: merge the lines or remove it from one",
                    ),
                );
                return false;
            }
            if seen_here.insert(key, *column).is_some() {
                self.out.push(
                    Diagnostic::warning(
                        &self.path,
                        Position::new(number, *column),
                        "synonym-repeated-term",
                        bilingual(
                            &format!("`{}` lặp lại trên cùng dòng (so sánh không dấu)", term.text),
                            &format!("`{}` is repeated on this line (terms are compared without diacritics)", term.text),
                        ),
                    )
                    .with_hint("Không cần viết thêm dạng không dấu: tìm kiếm tự bỏ dấu / no need to add the form without diacritics: search folds them"),
                );
                return false;
            }
            true
        });
        if sources.is_empty() || (targets.is_none() && sources.len() < 2) {
            return;
        }
        let sources: Vec<Term> = sources.into_iter().map(|(_, t)| t).collect();
        let targets: Vec<Term> = match targets {
            Some(targets) => targets.into_iter().map(|(_, t)| t).collect(),
            None => sources.clone(),
        };
        let rule_index = self.synonyms.rules.len();
        for (term_index, term) in sources.iter().enumerate() {
            let key = term.key();
            self.first_line_of.insert(key.clone(), number);
            self.synonyms.longest = self.synonyms.longest.max(term.words.len());
            self.synonyms.sources.insert(key, (rule_index, term_index));
        }
        self.synonyms.rules.push(Rule { sources, targets });
    }

    /// The terms of `line[from..to]`; `None` if any of them is bad (each problem is reported).
    fn terms(
        &mut self,
        number: usize,
        line: &str,
        from: usize,
        to: usize,
    ) -> Option<Vec<(usize, Term)>> {
        let mut terms = Vec::new();
        let mut failed = false;
        let mut start = from;
        let ends = line[from..to]
            .match_indices(',')
            .map(|(i, _)| from + i)
            .chain(std::iter::once(to));
        for end in ends {
            let raw = &line[start..end];
            let lead = raw.len() - raw.trim_start().len();
            let column = column_of(line, start + lead);
            let piece = raw.trim();
            start = end + 1;
            if piece.is_empty() {
                self.error(
                    number,
                    column,
                    "synonym-empty-term",
                    bilingual(
                        "có một từ trống (hai dấu phẩy liền nhau hoặc dấu phẩy ở cuối)",
                        "an empty term (two commas in a row, or a comma at the end)",
                    ),
                );
                failed = true;
                continue;
            }
            let text = analysis::nfc(piece);
            let words = analysis::words(&text);
            if words.is_empty() {
                self.error(
                    number,
                    column,
                    "synonym-empty-term",
                    bilingual(
                        &format!("`{piece}` không có chữ hay số nào"),
                        &format!("`{piece}` has no letter or digit"),
                    ),
                );
                failed = true;
                continue;
            }
            if words.len() > MAX_TERM_WORDS {
                self.error(
                    number,
                    column,
                    "synonym-term-too-long",
                    bilingual(
                        &format!("một từ đồng nghĩa dài tối đa {MAX_TERM_WORDS} chữ"),
                        &format!("a synonym has at most {MAX_TERM_WORDS} words"),
                    ),
                );
                failed = true;
                continue;
            }
            terms.push((column, Term { text, words }));
        }
        (!failed).then_some(terms)
    }

    fn error(&mut self, number: usize, column: usize, code: &'static str, message: String) {
        self.out.push(Diagnostic::error(
            &self.path,
            Position::new(number, column),
            code,
            message,
        ));
    }
}

/// The 1-based character column of a byte offset in `line`.
fn column_of(line: &str, byte_offset: usize) -> usize {
    line[..byte_offset].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::words;

    fn parse(text: &str) -> (Synonyms, Vec<(usize, usize, &'static str)>) {
        let (synonyms, problems) = Synonyms::parse(text, Path::new("procedures/synonyms.txt"));
        let located = problems
            .iter()
            .map(|d| (d.line, d.column, d.code))
            .collect();
        (synonyms, located)
    }

    #[test]
    fn equivalences_and_one_way_rules() {
        let (synonyms, problems) = parse(
            "# Viết tắt\n\ncccd, căn cước công dân, căn cước\nkhai sanh, giấy khai sanh => khai sinh\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(synonyms.len(), 2);
        let expansion = synonyms
            .longest_match(&words("can cuoc cong dan moi"))
            .unwrap();
        assert_eq!(expansion.len, 4, "the longest term wins");
        let texts: Vec<&str> = expansion
            .alternatives
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(texts, ["cccd", "căn cước"]);
        let expansion = synonyms.longest_match(&words("giấy khai sanh")).unwrap();
        assert_eq!(expansion.alternatives[0].text, "khai sinh");
        assert!(synonyms.longest_match(&words("khai sinh")).is_none());
        assert!(Synonyms::default().longest_match(&words("cccd")).is_none());
    }

    #[test]
    fn problems_are_located() {
        let (synonyms, problems) = parse(concat!(
            "cccd, căn cước\n",           // 1: fine
            "  bhyt,, bảo hiểm y tế\n",   // 2: empty term at column 8
            "a => b => c\n",              // 3: two arrows
            " => khai sinh\n",            // 4: empty left side
            "CCCD, chứng minh\n",         // 5: cccd already on line 1
            "độc thân\n",                 // 6: a single term does nothing (warning)
            "!!!, ho khau\n",             // 7: no letter
            "gks, giấy khai sinh, GKS\n", // 8: repeated on the same line (warning)
        ));
        assert_eq!(
            problems,
            [
                (2, 8, "synonym-empty-term"),
                (3, 8, "synonym-syntax"),
                (4, 2, "synonym-syntax"),
                (5, 1, "synonym-duplicate-term"),
                (6, 1, "synonym-single-term"),
                (7, 1, "synonym-empty-term"),
                (8, 22, "synonym-repeated-term"),
            ]
        );
        // Valid lines are kept; line 5 has one term left, which does nothing.
        assert!(synonyms.longest_match(&words("chung minh")).is_none());
        assert!(synonyms.longest_match(&words("GKS")).is_some());
        assert_eq!(synonyms.len(), 2);
    }

    #[test]
    fn diacritics_typed_must_agree() {
        let (synonyms, _) = parse("má => mẹ\n");
        assert!(synonyms.longest_match(&words("má")).is_some());
        assert!(synonyms.longest_match(&words("ma")).is_some());
        assert!(synonyms.longest_match(&words("mã")).is_none());
    }

    #[test]
    fn terms_are_compared_without_diacritics() {
        let (_, problems) = parse("căn cước, cccd\ncan cuoc, cmnd\n");
        assert_eq!(problems, [(2, 1, "synonym-duplicate-term")]);
    }

    #[test]
    fn columns_count_characters() {
        let (_, problems) = parse("đăng kí, đăng ký,\n");
        assert_eq!(problems, [(1, 18, "synonym-empty-term")]);
    }

    #[test]
    fn a_missing_file_is_no_synonyms() {
        let (synonyms, problems) = Synonyms::load(Path::new("/nonexistent/synonyms.txt")).unwrap();
        assert!(synonyms.is_empty() && problems.is_empty());
    }
}
