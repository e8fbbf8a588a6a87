//! Understanding a query: what the resident typed, turned into weighted units to look for.
//!
//! This part knows nothing of tantivy. It cuts the input to a sane length, splits it into
//! [`analysis::words`], recognises national codes, marks filler words (làm, xin, thủ tục, cần gì,
//! ở đâu…) so they weigh little but never make a query fail, and applies the synonyms file.
//! Corrections that need the index's vocabulary (typos, Telex and VNI leftovers) are added later
//! by the index through [`Unit::alternatives`].

use super::analysis::{self, Word};
use super::synonyms::Synonyms;

/// Queries are cut to this many characters before anything else.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words of a query are used.
pub const MAX_QUERY_WORDS: usize = 16;
/// The weight of a filler word, relative to a content word.
pub const FILLER_WEIGHT: f32 = 0.15;
/// The weight of a synonym, relative to what was typed.
pub const SYNONYM_WEIGHT: f32 = 0.9;

/// A query, ready to search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// What was looked for: the input cut to a sane length, with control characters as spaces.
    pub text: String,
    /// The units in query order.
    pub units: Vec<Unit>,
    /// National codes typed in full (`1.001193`).
    pub codes: Vec<String>,
    /// The start of a code still being typed (`1.0011`), when it is the last word.
    pub code_prefix: Option<String>,
    /// The last word, folded, when the resident may still be typing it (no space after it).
    pub prefix: Option<String>,
}

/// A word or phrase of the query, with what else it may mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// 1 for a content word, [`FILLER_WEIGHT`] for a filler.
    pub weight: f32,
    /// What was typed first, then synonyms and corrections.
    pub alternatives: Vec<Alternative>,
}

/// One way to read a unit: a sequence of words with a weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The words, in order.
    pub words: Vec<Word>,
    /// 1 for what was typed, less for synonyms and corrections.
    pub weight: f32,
}

impl Unit {
    /// Whether the unit is a filler word.
    pub fn is_filler(&self) -> bool {
        self.weight < 1.0
    }
}

/// Filler phrases as residents type them, with diacritics; matched on the exact form.
const FILLERS: &[&str] = &[
    "làm",
    "xin",
    "cách",
    "thủ tục",
    "cần",
    "cần gì",
    "cần những gì",
    "gì",
    "ở đâu",
    "đâu",
    "bao nhiêu",
    "như thế nào",
    "thế nào",
    "ra sao",
    "sao",
    "là gì",
    "muốn",
    "hướng dẫn",
    "giúp",
    "cho",
    "của",
    "và",
    "với",
    "ạ",
    "à",
    "ơi",
    "nhé",
    "nha",
    "vậy",
    "thì",
    "là",
    "mình",
    "tôi",
    "tui",
    "ko",
    "không",
    "hông",
    "có",
    "được",
    "bị",
    "phải",
    "những",
    "các",
    "nào",
    "ở",
    "tại",
    "khi",
    "mà",
    "rồi",
    "nữa",
    "hả",
    "hỏi",
    "ai",
    "cái",
    "ở đâu",
    "mất bao lâu",
    "bao lâu",
    "thủ tục hành chính",
    "giấy tờ gì",
];

/// Filler phrases typed without diacritics, where the folded form is not also a content word
/// (`dau` is đâu and đầu, `sao` is sao y, `the` is thẻ: those are left out).
const FILLERS_FOLDED: &[&str] = &[
    "lam",
    "xin",
    "cach",
    "thu tuc",
    "can gi",
    "can nhung gi",
    "gi",
    "o dau",
    "bao nhieu",
    "nhu the nao",
    "the nao",
    "ra sao",
    "la gi",
    "muon",
    "huong dan",
    "giup",
    "cho",
    "cua",
    "va",
    "voi",
    "nhe",
    "vay",
    "thi",
    "minh",
    "toi",
    "tui",
    "ko",
    "k",
    "khong",
    "duoc",
    "bi",
    "phai",
    "nhung",
    "cac",
    "nao",
    "khi",
    "roi",
    "nua",
    "bao lau",
    "mat bao lau",
    "thu tuc hanh chinh",
    "giay to gi",
];

/// The longest filler phrase, in words.
const LONGEST_FILLER: usize = 4;

/// Turns a query into a plan. Never fails: the worst input gives a plan with no unit.
pub fn plan(input: &str, synonyms: &Synonyms) -> Plan {
    let text = clean(input);
    let normal = analysis::nfc(&text);
    let mut words = analysis::words(&normal);
    let typing_last = !normal.ends_with(|c: char| c.is_whitespace())
        && words.last().is_some_and(|w| w.end == normal.len());
    words.truncate(MAX_QUERY_WORDS);

    let mut plan = Plan {
        text,
        ..Plan::default()
    };
    let mut rest = Vec::with_capacity(words.len());
    let count = words.len();
    for (i, word) in words.into_iter().enumerate() {
        let is_last = i + 1 == count;
        if let Some(code) = national_code(&word.folded) {
            if !plan.codes.contains(&code) {
                plan.codes.push(code);
            }
        } else if is_last && typing_last && is_code_start(&word.folded) {
            plan.code_prefix = Some(word.folded.clone());
        } else {
            rest.push(word);
        }
    }
    if typing_last
        && plan.code_prefix.is_none()
        && let Some(last) = rest.last()
        && last.folded.chars().count() >= 2
    {
        plan.prefix = Some(last.folded.clone());
    }

    let mut i = 0;
    while i < rest.len() {
        if let Some(expansion) = synonyms.longest_match(&rest[i..]) {
            let typed = Alternative {
                words: rest[i..i + expansion.len].to_vec(),
                weight: 1.0,
            };
            let mut alternatives = vec![typed];
            alternatives.extend(expansion.alternatives.iter().map(|term| Alternative {
                words: term.words.clone(),
                weight: SYNONYM_WEIGHT,
            }));
            // A span of several words weighs as much as those words would alone.
            plan.units.push(Unit {
                weight: expansion.len as f32,
                alternatives,
            });
            i += expansion.len;
            continue;
        }
        let len = filler_len(&rest[i..]);
        let (len, weight) = if len > 0 {
            (len, FILLER_WEIGHT)
        } else {
            (1, 1.0)
        };
        for word in &rest[i..i + len] {
            plan.units.push(Unit {
                weight,
                alternatives: vec![Alternative {
                    words: vec![word.clone()],
                    weight: 1.0,
                }],
            });
        }
        i += len;
    }
    // A query of fillers only ("thủ tục") still searches for them.
    if plan.units.iter().all(Unit::is_filler) {
        for unit in &mut plan.units {
            unit.weight = 1.0;
        }
    }
    plan
}

/// The input with control characters as spaces, cut to [`MAX_QUERY_CHARS`] characters.
fn clean(input: &str) -> String {
    input
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim_start()
        .to_string()
}

/// How many words at the start of `words` form a filler phrase (0 if none).
fn filler_len(words: &[Word]) -> usize {
    (1..=LONGEST_FILLER.min(words.len()))
        .rev()
        .find(|&len| {
            let part = &words[..len];
            let exact = part
                .iter()
                .map(|w| w.exact.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if FILLERS.iter().any(|f| exact_phrase(f) == exact) {
                return true;
            }
            if part.iter().any(Word::has_marks) {
                return false;
            }
            let folded = part
                .iter()
                .map(|w| w.folded.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            FILLERS_FOLDED.contains(&folded.as_str())
        })
        .unwrap_or(0)
}

/// The exact forms of a phrase's words, joined by spaces.
fn exact_phrase(phrase: &str) -> String {
    analysis::words(phrase)
        .into_iter()
        .map(|w| w.exact)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The national code a word holds: `1.001193`, `1.001193.000.00.00` (a local copy) or `1001193`.
pub fn national_code(word: &str) -> Option<String> {
    let bytes = word.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if bytes.len() >= 8 && bytes[0].is_ascii_digit() && bytes[1] == b'.' && digits(&bytes[2..8]) {
        let rest = &bytes[8..];
        if rest.is_empty() || rest[0] == b'.' {
            return Some(word[..8].to_string());
        }
    }
    if bytes.len() == 7 && digits(bytes) && bytes[0] != b'0' {
        return Some(format!("{}.{}", &word[..1], &word[1..]));
    }
    None
}

/// Whether a word looks like the start of a national code (`1.00`, `1.0011`).
fn is_code_start(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 3
        && bytes.len() < 8
        && bytes[0].is_ascii_digit()
        && bytes[1] == b'.'
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// The word as a resident would have meant it if it holds Telex or VNI keystrokes that the phone
/// did not turn into diacritics (`ddaang` → `dang`, `kys` → `ky`, `ky1` → `ky`), folded.
pub fn keystroke_variant(folded: &str) -> Option<String> {
    if !folded.is_ascii() || folded.len() < 2 {
        return None;
    }
    let has_letter = folded.bytes().any(|b| b.is_ascii_alphabetic());
    let has_digit = folded.bytes().any(|b| b.is_ascii_digit());
    if has_letter && has_digit {
        // VNI: digits 1–9 typed after the letters they were meant to mark.
        let stripped: String = folded.chars().filter(|c| !c.is_ascii_digit()).collect();
        return (stripped.len() >= 2).then_some(stripped);
    }
    if has_digit {
        return None;
    }
    let mut out = String::with_capacity(folded.len());
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match (c, next) {
            (b'd', Some(b'd'))
            | (b'a', Some(b'a'))
            | (b'e', Some(b'e'))
            | (b'o', Some(b'o'))
            | (b'a' | b'o' | b'u', Some(b'w')) => {
                out.push(c as char);
                i += 2;
            }
            (b'w', _) => {
                out.push('u');
                i += 1;
            }
            _ => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    // A tone key at the end, after a vowel or a final consonant.
    if out.len() >= 3
        && let Some(stripped) = out.strip_suffix(['s', 'f', 'r', 'x', 'j'])
        && stripped.contains(['a', 'e', 'i', 'o', 'u', 'y'])
        && ends_like_a_syllable(stripped)
    {
        out = stripped.to_string();
    }
    (out != folded).then_some(out)
}

fn ends_like_a_syllable(s: &str) -> bool {
    const FINALS: [&str; 8] = ["c", "ch", "m", "n", "ng", "nh", "p", "t"];
    s.ends_with(['a', 'e', 'i', 'o', 'u', 'y']) || FINALS.iter().any(|f| s.ends_with(f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn units(query: &str) -> Vec<(String, f32)> {
        plan(query, &Synonyms::default())
            .units
            .into_iter()
            .map(|u| (u.alternatives[0].words[0].folded.clone(), u.weight))
            .collect()
    }

    #[test]
    fn filler_words_weigh_little() {
        let got = units("làm giấy khai sinh cho con ở đâu");
        let weights: Vec<f32> = got.iter().map(|(_, w)| *w).collect();
        assert_eq!(
            weights,
            [
                FILLER_WEIGHT,
                1.0,
                1.0,
                1.0,
                FILLER_WEIGHT,
                1.0,
                FILLER_WEIGHT,
                FILLER_WEIGHT
            ]
        );
        // Unaccented fillers too, but not words that are also content words without diacritics.
        let got = units("lam so do lan dau");
        assert_eq!(got[0].1, FILLER_WEIGHT);
        assert_eq!(got[4], ("dau".to_string(), 1.0));
        assert_eq!(units("can cuoc")[0].1, 1.0);
        assert_eq!(
            units("cần gì")[0].1,
            1.0,
            "a query of fillers only is searched"
        );
    }

    #[test]
    fn codes_are_recognised() {
        let p = plan("thủ tục 1.001193 là gì", &Synonyms::default());
        assert_eq!(p.codes, ["1.001193"]);
        let p = plan("1.001193.000.00.00.H29", &Synonyms::default());
        assert_eq!(p.codes, ["1.001193"]);
        let p = plan("1001193", &Synonyms::default());
        assert_eq!(p.codes, ["1.001193"]);
        let p = plan("1.0011", &Synonyms::default());
        assert_eq!(p.code_prefix.as_deref(), Some("1.0011"));
        assert!(p.units.is_empty());
    }

    #[test]
    fn the_last_word_is_a_prefix_while_typing() {
        assert_eq!(
            plan("dang ky kha", &Synonyms::default()).prefix.as_deref(),
            Some("kha")
        );
        assert_eq!(plan("dang ky kha ", &Synonyms::default()).prefix, None);
        assert_eq!(plan("dang ky k", &Synonyms::default()).prefix, None);
    }

    #[test]
    fn synonyms_add_alternatives() {
        let (synonyms, problems) = Synonyms::parse(
            "cccd, căn cước công dân, căn cước\nkhai sanh => khai sinh\n",
            Path::new("synonyms.txt"),
        );
        assert!(problems.is_empty(), "{problems:?}");
        let p = plan("lam lai cccd", &synonyms);
        let last = p.units.last().unwrap();
        let texts: Vec<String> = last
            .alternatives
            .iter()
            .map(|a| {
                a.words
                    .iter()
                    .map(|w| w.folded.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(texts, ["cccd", "can cuoc cong dan", "can cuoc"]);
        let p = plan("giấy khai sanh", &synonyms);
        assert_eq!(p.units.len(), 2);
        assert_eq!(p.units[1].alternatives.len(), 2);
        let p = plan("khai sinh", &synonyms);
        assert_eq!(p.units.len(), 2, "one-way rules do not apply backwards");
    }

    #[test]
    fn keystroke_leftovers_are_undone() {
        assert_eq!(keystroke_variant("ddaang").as_deref(), Some("dang"));
        assert_eq!(keystroke_variant("kys").as_deref(), Some("ky"));
        assert_eq!(keystroke_variant("ky1").as_deref(), Some("ky"));
        assert_eq!(keystroke_variant("tamj").as_deref(), Some("tam"));
        assert_eq!(keystroke_variant("khai"), None);
        assert_eq!(keystroke_variant("1.001193"), None);
    }

    #[test]
    fn hostile_input_gives_a_plan() {
        for input in [
            "",
            "   ",
            "\"\"\"",
            "title:(khai AND sinh) OR -\"x\"~2^3",
            "[]{}()<>!!!***???",
            "\u{0}\u{1}\u{7f}\u{202e}khai",
            "🙂🙂🙂",
            "a:b:c:d",
        ] {
            let _ = plan(input, &Synonyms::default());
        }
        let long = "khai sinh ".repeat(20_000);
        let p = plan(&long, &Synonyms::default());
        assert!(p.text.chars().count() <= MAX_QUERY_CHARS);
        assert!(p.units.len() <= MAX_QUERY_WORDS);
    }
}
