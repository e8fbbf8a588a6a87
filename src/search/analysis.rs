//! Vietnamese text analysis: the words of a text, each in an exact form and a folded form.
//!
//! Both the index and the query go through [`words`], so they always agree. Text is NFC-normalised
//! and lower-cased. The *folded* form drops every diacritic and maps đ, Đ and the look-alikes Ð
//! and Ɖ to `d`, so `dang ky` finds `đăng ký`. The *exact* form keeps the vowel letters (ă â ê ô
//! ơ ư đ) and moves the tone mark to the end of the word, so the old and new tone placements
//! (`hoà`/`hòa`, `thuỷ`/`thủy`) give the same form while `đường` and `dương` stay apart.
//!
//! Words are runs of letters and digits (with their combining marks); a dot between two digits
//! joins them, so national codes (`1.001193`) and amounts (`20.000`) stay whole.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{compose, decompose_canonical, is_combining_mark};

/// Words longer than this many bytes (in folded form) are not indexed or searched.
pub const MAX_WORD_BYTES: usize = 48;

/// One word of a text, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its first character in the analysed text.
    pub start: usize,
    /// Byte offset just after its last character.
    pub end: usize,
    /// Lower case, vowel letters kept, tone mark moved to the end (`hoà` and `hòa` → `hoa\u{300}`).
    pub exact: String,
    /// Lower case without any diacritic, đ → d (`đường` → `duong`).
    pub folded: String,
}

impl Word {
    /// Whether the word carries any diacritic (then its exact form says more than its folded one).
    pub fn has_marks(&self) -> bool {
        self.exact != self.folded
    }
}

/// The text in Unicode NFC, so that decomposed input (as some phones send) matches.
pub fn nfc(text: &str) -> String {
    if unicode_normalization::is_nfc(text) {
        text.to_string()
    } else {
        text.nfc().collect()
    }
}

/// The words of `text`, in order. Offsets refer to `text` itself, which should already be NFC.
pub fn words(text: &str) -> Vec<Word> {
    Spans::new(text)
        .filter_map(|(start, end)| {
            let mut exact = String::new();
            let mut folded = String::new();
            exact_into(&text[start..end], &mut exact);
            fold_into(&text[start..end], &mut folded);
            (!folded.is_empty() && folded.len() <= MAX_WORD_BYTES).then_some(Word {
                start,
                end,
                exact,
                folded,
            })
        })
        .collect()
}

/// Calls `visit(start, end, folded)` for each word of `text`, without allocating per word: the
/// same words as [`words`], found and folded in one pass (snippets scan whole procedures with it).
pub fn for_each_folded(text: &str, mut visit: impl FnMut(usize, usize, &str)) {
    let mut folded = String::new();
    let mut start: Option<usize> = None;
    let mut last_was_digit = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
                folded.clear();
            }
            fold_char_into(c, &mut folded);
            last_was_digit = c.is_ascii_digit();
            continue;
        }
        if let Some(from) = start {
            // A dot joins two digits.
            if c == '.' && last_was_digit && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) {
                folded.push('.');
                continue;
            }
            if !folded.is_empty() && folded.len() <= MAX_WORD_BYTES {
                visit(from, i, &folded);
            }
            start = None;
        }
    }
    if let Some(from) = start
        && !folded.is_empty()
        && folded.len() <= MAX_WORD_BYTES
    {
        visit(from, text.len(), &folded);
    }
}

/// Where the words of `text` are, as byte ranges: runs of letters, digits and combining marks,
/// a dot between two digits included.
#[derive(Clone)]
struct Spans<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
}

impl<'a> Spans<'a> {
    fn new(text: &'a str) -> Self {
        Spans {
            chars: text.char_indices().peekable(),
        }
    }
}

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let (start, c) = self.chars.by_ref().find(|&(_, c)| is_word_char(c))?;
        let mut end = start + c.len_utf8();
        let mut last = c;
        while let Some(&(i, next)) = self.chars.peek() {
            if is_word_char(next) {
                end = i + next.len_utf8();
                last = next;
                self.chars.next();
            } else if next == '.' && last.is_ascii_digit() {
                // A dot joins two digits: look one character further.
                let mut ahead = self.chars.clone();
                ahead.next();
                match ahead.peek() {
                    Some(&(j, d)) if d.is_ascii_digit() => {
                        self.chars.next();
                        self.chars.next();
                        end = j + d.len_utf8();
                        last = d;
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        Some((start, end))
    }
}

/// The length and first seven bytes of a word, packed: words with different keys differ, and
/// words of up to seven bytes with equal keys are equal. Comparing keys first spares most string
/// comparisons in the loops that look words up among a query's few.
pub fn key(word: &str) -> u64 {
    let mut packed = [0u8; 8];
    packed[0] = word.len().min(255) as u8;
    for (slot, byte) in packed[1..].iter_mut().zip(word.bytes()) {
        *slot = byte;
    }
    u64::from_le_bytes(packed)
}

/// Whether two words with their [`key`]s are the same.
pub fn same(a_key: u64, a: &str, b_key: u64, b: &str) -> bool {
    a_key == b_key && (a.len() <= 7 || a == b)
}

/// The folded form of a whole text: its words' folded forms joined by single spaces.
pub fn fold(text: &str) -> String {
    words(&nfc(text))
        .into_iter()
        .map(|w| w.folded)
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match info(c) {
        Some(info) => info.word,
        None => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// The five Vietnamese tone marks, as combining characters.
fn is_tone(mark: char) -> bool {
    matches!(
        mark,
        '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' | '\u{340}' | '\u{341}'
    )
}

/// The exact form of one word, appended to `out`.
fn exact_into(word: &str, out: &mut String) {
    let mut tones: Vec<char> = Vec::new();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(letter) = info(c).and_then(|i| i.letter) {
            out.push(letter.exact);
            tones.extend(letter.tone);
        } else {
            let mut folded = String::new();
            rare_char_forms(c, out, &mut folded, &mut tones);
        }
    }
    tones.dedup();
    out.extend(tones);
}

/// The folded form of one word, appended to `out`.
fn fold_into(word: &str, out: &mut String) {
    for c in word.chars() {
        fold_char_into(c, out);
    }
}

/// The folded form of one character of a word (nothing for a combining mark).
fn fold_char_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if let Some(letter) = info(c).and_then(|i| i.letter) {
        out.push(letter.folded);
    } else {
        let (mut exact, mut tones) = (String::new(), Vec::new());
        rare_char_forms(c, &mut exact, out, &mut tones);
    }
}

/// What a character of the Latin ranges (U+00C0–U+1EFF) is, from a table built once.
#[derive(Debug, Clone, Copy)]
struct CharInfo {
    /// Whether it belongs in a word (a letter, a digit or a combining mark).
    word: bool,
    /// Its forms, when the table has them.
    letter: Option<Letter>,
}

/// The forms of one letter.
#[derive(Debug, Clone, Copy)]
struct Letter {
    folded: char,
    exact: char,
    tone: Option<char>,
}

const TABLE_START: u32 = 0xC0;
const TABLE_END: u32 = 0x1EFF;

fn info(c: char) -> Option<CharInfo> {
    static TABLE: std::sync::OnceLock<Vec<CharInfo>> = std::sync::OnceLock::new();
    let code = c as u32;
    if !(TABLE_START..=TABLE_END).contains(&code) {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        (TABLE_START..=TABLE_END)
            .map(|u| match char::from_u32(u) {
                Some(c) => CharInfo {
                    word: c.is_alphanumeric() || is_combining_mark(c),
                    letter: compute_letter(c),
                },
                None => CharInfo {
                    word: false,
                    letter: None,
                },
            })
            .collect()
    });
    Some(table[(code - TABLE_START) as usize])
}

/// A letter's forms, or `None` when the general path must handle it (several lower-case
/// characters, a lone combining mark, marks that do not compose).
fn compute_letter(c: char) -> Option<Letter> {
    let mut lower = c.to_lowercase();
    let l = lower.next()?;
    if lower.next().is_some() {
        return None;
    }
    if matches!(l, 'đ' | 'ð' | 'ɖ') {
        return Some(Letter {
            folded: 'd',
            exact: 'đ',
            tone: None,
        });
    }
    let (mut exact, mut folded, mut tones) = (String::new(), String::new(), Vec::new());
    rare_char_forms(l, &mut exact, &mut folded, &mut tones);
    let mut exact = exact.chars();
    let mut folded = folded.chars();
    let letter = Letter {
        exact: exact.next()?,
        folded: folded.next()?,
        tone: match tones.as_slice() {
            [] => None,
            [tone] => Some(*tone),
            _ => return None,
        },
    };
    (exact.next().is_none() && folded.next().is_none()).then_some(letter)
}

/// The general path for one character: lower-case, decompose, keep the vowel marks in the exact
/// form, put the tone aside, drop every mark in the folded form.
fn rare_char_forms(c: char, exact: &mut String, folded: &mut String, tones: &mut Vec<char>) {
    for c in c.to_lowercase() {
        if c.is_ascii() {
            exact.push(c);
            folded.push(c);
            continue;
        }
        // đ, and the look-alikes eth (Ð ð) and African D (Ɖ ɖ) that keyboards produce.
        if matches!(c, 'đ' | 'ð' | 'ɖ') {
            exact.push('đ');
            folded.push('d');
            continue;
        }
        let mut base: Option<char> = None;
        let mut quality: Vec<char> = Vec::new();
        decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                if is_tone(d) {
                    tones.push(normal_tone(d));
                } else {
                    quality.push(d);
                }
            } else {
                base = Some(d);
            }
        });
        match base {
            Some(b) => {
                folded.push(b);
                let mut composed = b;
                let mut loose = Vec::new();
                for q in quality {
                    match compose(composed, q) {
                        Some(with) => composed = with,
                        None => loose.push(q),
                    }
                }
                exact.push(composed);
                exact.extend(loose);
            }
            None => {
                // A lone combining mark (decomposed input): attach it to the letter before.
                for q in quality {
                    match exact.pop() {
                        Some(prev) => match compose(prev, q) {
                            Some(with) => exact.push(with),
                            None => {
                                exact.push(prev);
                                exact.push(q);
                            }
                        },
                        None => exact.push(q),
                    }
                }
            }
        }
    }
}

fn normal_tone(mark: char) -> char {
    match mark {
        '\u{340}' => '\u{300}',
        '\u{341}' => '\u{301}',
        other => other,
    }
}

/// Which form of the words a tantivy field indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// [`Word::exact`].
    Exact,
    /// [`Word::folded`].
    Folded,
}

/// The tantivy tokenizer: the same words as [`words`], yielding one form.
#[derive(Debug, Clone)]
pub struct VietnameseTokenizer {
    form: Form,
}

impl VietnameseTokenizer {
    /// A tokenizer yielding `form`.
    pub fn new(form: Form) -> Self {
        VietnameseTokenizer { form }
    }
}

/// The tokens of one text, computed as tantivy asks for them.
pub struct WordStream<'a> {
    text: &'a str,
    spans: Spans<'a>,
    form: Form,
    token: Token,
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        WordStream {
            text,
            spans: Spans::new(text),
            form: self.form,
            token: Token::default(),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        for (start, end) in self.spans.by_ref() {
            let word = &self.text[start..end];
            self.token.text.clear();
            match self.form {
                Form::Exact => exact_into(word, &mut self.token.text),
                Form::Folded => fold_into(word, &mut self.token.text),
            }
            // Decided on the folded form, so that both fields keep the same words.
            let keep = match self.form {
                Form::Folded => {
                    !self.token.text.is_empty() && self.token.text.len() <= MAX_WORD_BYTES
                }
                Form::Exact
                    if word.len() <= MAX_WORD_BYTES && !word.starts_with(is_combining_mark) =>
                {
                    true
                }
                Form::Exact => {
                    let mut folded = String::new();
                    fold_into(word, &mut folded);
                    !folded.is_empty() && folded.len() <= MAX_WORD_BYTES
                }
            };
            if keep {
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.position = self.token.position.wrapping_add(1);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        words(&nfc(text)).into_iter().map(|w| w.folded).collect()
    }

    fn exact(text: &str) -> Vec<String> {
        words(&nfc(text)).into_iter().map(|w| w.exact).collect()
    }

    #[test]
    fn folds_every_diacritic() {
        assert_eq!(
            folded("Đăng ký khai sinh cho trẻ ở Cần Thơ"),
            [
                "dang", "ky", "khai", "sinh", "cho", "tre", "o", "can", "tho"
            ]
        );
        assert_eq!(
            folded("ƯỚC ƯỚT ĐƯỜNG Ỹ ỵ"),
            ["uoc", "uot", "duong", "y", "y"]
        );
    }

    #[test]
    fn folds_d_with_stroke_and_look_alikes() {
        // Đ (U+0110), đ (U+0111), Ð (U+00D0, eth), ð (U+00F0), Ɖ (U+0189).
        assert_eq!(
            folded("\u{110}inh \u{111}inh \u{d0}inh \u{f0}inh \u{189}inh"),
            ["dinh"; 5]
        );
        assert_eq!(exact("\u{d0}ăng \u{110}ăng"), exact("đăng đăng"));
    }

    #[test]
    fn decomposed_input_matches_composed() {
        let composed = "Căn cước công dân thuỷ hoà";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(exact(&decomposed), exact(composed));
        assert_eq!(folded(&decomposed), folded(composed));
        // Even without NFC first, a word does not break at its combining marks.
        let raw: Vec<String> = words(&decomposed).into_iter().map(|w| w.exact).collect();
        assert_eq!(raw, exact(composed));
    }

    #[test]
    fn old_and_new_tone_placement_agree() {
        assert_eq!(exact("hoà"), exact("hòa"));
        assert_eq!(exact("thuỷ"), exact("thủy"));
        assert_eq!(exact("khoẻ"), exact("khỏe"));
        assert_eq!(exact("Hoá"), exact("hóa"));
    }

    #[test]
    fn exact_form_keeps_letters_and_tones_apart() {
        assert_ne!(exact("đường"), exact("dương"));
        assert_ne!(exact("dương"), exact("duong"));
        assert_ne!(exact("căn"), exact("cần"));
        assert_eq!(folded("căn"), folded("cần"));
        let w = &words("khai")[0];
        assert!(!w.has_marks());
        assert!(words("khải")[0].has_marks());
    }

    #[test]
    fn codes_and_amounts_stay_whole() {
        assert_eq!(
            folded("mã 1.001193, phí 20.000 đồng. Hết."),
            ["ma", "1.001193", "phi", "20.000", "dong", "het"]
        );
        assert_eq!(
            folded("1.001193.000.00.00.H29"),
            ["1.001193.000.00.00", "h29"]
        );
        assert_eq!(folded("năm 2024."), ["nam", "2024"]);
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Thẻ căn cước (CCCD)";
        let ws = words(text);
        assert_eq!(&text[ws[1].start..ws[1].end], "căn");
        assert_eq!(&text[ws[3].start..ws[3].end], "CCCD");
    }

    #[test]
    fn hostile_text_gives_words_or_nothing() {
        assert!(words("\"\":()[]{}!!! +-&&|| ^~*? \u{0}\u{7}\u{1b}[31m").len() <= 1);
        assert_eq!(folded("🙂 cccd 👍🏽"), ["cccd"]);
        assert_eq!(folded("\u{300}\u{301}"), Vec::<String>::new());
        let long = "a".repeat(100_000);
        assert!(words(&long).is_empty(), "over-long words are dropped");
        let many = "khai sinh ".repeat(10_000);
        assert_eq!(words(&many).len(), 20_000);
    }

    #[test]
    fn the_table_agrees_with_the_general_path() {
        for code in TABLE_START..=TABLE_END {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let Some(letter) = info(c).and_then(|i| i.letter) else {
                continue;
            };
            let (mut exact, mut folded, mut tones) = (String::new(), String::new(), Vec::new());
            rare_char_forms(c, &mut exact, &mut folded, &mut tones);
            assert_eq!(exact, letter.exact.to_string(), "{c}");
            assert_eq!(folded, letter.folded.to_string(), "{c}");
            assert_eq!(tones.first().copied(), letter.tone, "{c}");
        }
    }

    #[test]
    fn folding_alone_agrees_with_words() {
        let text = "Đăng ký THƯỜNG TRÚ tại Ðồng Tháp, mã 1.004222 — ＡＢＣ ǅ";
        let mut seen = Vec::new();
        for_each_folded(text, |start, end, folded| {
            seen.push((start, end, folded.to_string()))
        });
        let expected: Vec<_> = words(text)
            .into_iter()
            .map(|w| (w.start, w.end, w.folded))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn tokenizer_yields_positions_and_forms() {
        let mut tokenizer = VietnameseTokenizer::new(Form::Folded);
        let mut stream = tokenizer.token_stream("Đăng ký");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push((stream.token().position, stream.token().text.clone()));
        }
        assert_eq!(seen, [(0, "dang".to_string()), (1, "ky".to_string())]);
    }
}
