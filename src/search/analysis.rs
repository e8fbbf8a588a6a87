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
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut last = c;
        while let Some(&(i, next)) = chars.peek() {
            if is_word_char(next) {
                end = i + next.len_utf8();
                last = next;
                chars.next();
            } else if next == '.' && last.is_ascii_digit() {
                // A dot joins two digits: look one character further.
                let mut ahead = chars.clone();
                ahead.next();
                match ahead.peek() {
                    Some(&(j, d)) if d.is_ascii_digit() => {
                        chars.next();
                        chars.next();
                        end = j + d.len_utf8();
                        last = d;
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        let (exact, folded) = forms(&text[start..end]);
        if !folded.is_empty() && folded.len() <= MAX_WORD_BYTES {
            out.push(Word {
                start,
                end,
                exact,
                folded,
            });
        }
    }
    out
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
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The five Vietnamese tone marks, as combining characters.
fn is_tone(mark: char) -> bool {
    matches!(
        mark,
        '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' | '\u{340}' | '\u{341}'
    )
}

/// The exact and folded forms of one word.
fn forms(word: &str) -> (String, String) {
    let mut exact = String::with_capacity(word.len() + 2);
    let mut folded = String::with_capacity(word.len());
    let mut tones: Vec<char> = Vec::new();
    for upper in word.chars() {
        for c in upper.to_lowercase() {
            if c.is_ascii() {
                exact.push(c);
                folded.push(c);
                continue;
            }
            match c {
                // đ, and the look-alikes eth (Ð ð) and African D (Ɖ ɖ) that keyboards produce.
                'đ' | 'ð' | 'ɖ' => {
                    exact.push('đ');
                    folded.push('d');
                    continue;
                }
                _ => {}
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
    tones.dedup();
    exact.extend(tones);
    (exact, folded)
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

/// The tantivy tokenizer over [`words`], yielding one form.
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

/// The tokens of one text, computed up front.
pub struct WordStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = WordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        let tokens: Vec<Token> = words(text)
            .into_iter()
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.start,
                offset_to: w.end,
                position,
                text: match self.form {
                    Form::Exact => w.exact,
                    Form::Folded => w.folded,
                },
                position_length: 1,
            })
            .collect();
        WordStream {
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
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
