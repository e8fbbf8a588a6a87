//! Snippets: the passage of a procedure that best matches a query, with the matched words marked.
//!
//! Matching is done on folded words, but the snippet shows the original accented text, HTML-escaped,
//! with `<mark>…</mark>` around each run of matched words.

use super::analysis::{self, key};

/// Snippets are cut to about this many characters.
pub const SNIPPET_CHARS: usize = 180;
/// How many characters of context to keep before the first matched word.
const LEAD_CHARS: usize = 40;
/// Passages past this many bytes of a procedure are not looked at.
const SCAN_BYTES: usize = 3_000;

/// What a snippet looks for: folded words, each standing for a query unit, and a prefix.
/// A query has few words, so a list is faster to look up than a hash map.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Each word with a cheap key (see [`key`]) compared before the words themselves.
    words: Vec<(u64, String, usize)>,
    prefix: Option<(String, usize)>,
    units: usize,
}

impl Matcher {
    /// Marks `folded` as standing for unit `unit`.
    pub fn add_word(&mut self, folded: &str, unit: usize) {
        if !self.words.iter().any(|(_, w, _)| w == folded) {
            self.words.push((key(folded), folded.to_string(), unit));
            self.count(unit);
        }
    }

    /// Marks every word starting with `prefix` as standing for unit `unit`.
    pub fn set_prefix(&mut self, prefix: &str, unit: usize) {
        self.prefix = Some((prefix.to_string(), unit));
        self.count(unit);
    }

    fn count(&mut self, unit: usize) {
        self.units = self.units.max(unit + 1);
    }

    fn unit_of(&self, folded: &str) -> Option<usize> {
        let k = key(folded);
        let found = self
            .words
            .iter()
            .find(|(wk, w, _)| analysis::same(*wk, w, k, folded));
        found.map(|(_, _, unit)| *unit).or_else(|| {
            let (prefix, unit) = self.prefix.as_ref()?;
            (folded.as_bytes().first() == prefix.as_bytes().first()
                && folded.starts_with(prefix.as_str()))
            .then_some(*unit)
        })
    }
}

/// The texts of one procedure a snippet may come from, in order of preference, with the folded
/// words of those a snippet looks at, computed once when the index is built.
#[derive(Debug, Clone, Default)]
pub struct Passages {
    texts: Vec<String>,
    /// The folded words of the first texts (about [`SCAN_BYTES`] of them), joined by spaces.
    folded: Vec<String>,
}

impl Passages {
    /// The passages of one procedure.
    pub fn new(texts: Vec<String>) -> Passages {
        let mut folded = Vec::new();
        let mut scanned = 0;
        for text in &texts {
            if scanned > SCAN_BYTES {
                break;
            }
            scanned += text.len();
            let mut words = String::with_capacity(text.len());
            analysis::for_each_folded(text, |_, _, word| {
                if !words.is_empty() {
                    words.push(' ');
                }
                words.push_str(word);
            });
            folded.push(words);
        }
        Passages { texts, folded }
    }
}

/// The best of `passages` for `matcher`, as marked-up HTML: the passage with the most query
/// units, then the most matched words side by side; earlier passages win ties. Falls back to the
/// start of the first passage, unmarked.
pub fn best(passages: &Passages, matcher: &Matcher) -> String {
    let distinct = (0..matcher.units)
        .filter(|u| {
            matcher.words.iter().any(|(_, _, unit)| unit == u)
                || matcher.prefix.as_ref().is_some_and(|(_, unit)| unit == u)
        })
        .count();
    let mut best: Option<usize> = None;
    let mut best_score = 0;
    let mut units = Vec::new();
    for (index, folded) in passages.folded.iter().enumerate() {
        units.clear();
        let mut adjacent = 0;
        let mut previous_matched = false;
        for word in folded.split(' ') {
            match matcher.unit_of(word) {
                Some(unit) => {
                    if !units.contains(&unit) {
                        units.push(unit);
                    }
                    adjacent += usize::from(previous_matched);
                    previous_matched = true;
                }
                None => previous_matched = false,
            }
        }
        let score = units.len() * 4 + adjacent.min(3);
        if score > best_score {
            best_score = score;
            best = Some(index);
            if units.len() == distinct {
                break;
            }
        }
    }
    let Some(index) = best else {
        return passages
            .texts
            .first()
            .map(|p| render(p, &[]))
            .unwrap_or_default();
    };
    let text = &passages.texts[index];
    let mut marks = Vec::new();
    analysis::for_each_folded(text, |start, end, folded| {
        if matcher.unit_of(folded).is_some() {
            marks.push((start, end));
        }
    });
    render(text, &marks)
}

/// A window of `text` around the first mark, escaped, with the marks wrapped in `<mark>`.
fn render(text: &str, marks: &[(usize, usize)]) -> String {
    let first = marks.first().map_or(0, |m| m.0);
    let start = window_start(text, first);
    let end = window_end(text, start);
    let mut html = String::with_capacity(end - start + 32);
    if start > 0 {
        html.push('…');
    }
    let mut at = start;
    let mut open = false;
    for &(from, to) in marks.iter().filter(|m| m.0 >= start && m.1 <= end) {
        let gap = &text[at..from];
        if open && !gap.chars().all(char::is_whitespace) {
            html.push_str("</mark>");
            open = false;
        }
        escape_into(&mut html, gap);
        if !open {
            html.push_str("<mark>");
            open = true;
        }
        escape_into(&mut html, &text[from..to]);
        at = to;
    }
    if open {
        html.push_str("</mark>");
    }
    escape_into(&mut html, &text[at..end]);
    if end < text.len() {
        html.push('…');
    }
    html
}

/// Where the window starts: a word boundary about [`LEAD_CHARS`] before `first`.
fn window_start(text: &str, first: usize) -> usize {
    let before = &text[..first];
    if before.chars().count() <= LEAD_CHARS {
        return 0;
    }
    let cut = before
        .char_indices()
        .rev()
        .nth(LEAD_CHARS)
        .map_or(0, |(i, _)| i);
    // Move forward to the start of the next word.
    text[cut..first]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(first, |(i, c)| cut + i + c.len_utf8())
}

/// Where the window ends: a word boundary about [`SNIPPET_CHARS`] after `start`.
fn window_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    match rest.char_indices().nth(SNIPPET_CHARS) {
        None => text.len(),
        Some((cut, _)) => rest[..cut]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(start + cut, |(i, _)| start + i),
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(words: &[&str]) -> Matcher {
        let mut m = Matcher::default();
        for (i, w) in words.iter().enumerate() {
            m.add_word(w, i);
        }
        m
    }

    #[test]
    fn marks_accented_text_from_folded_words() {
        let passages = vec![
            "Nộp tại UBND xã.".to_string(),
            "Đăng ký khai sinh cho trẻ <mới> sinh & con nuôi.".to_string(),
        ];
        assert_eq!(
            best(
                &Passages::new(passages),
                &matcher(&["dang", "ky", "khai", "sinh"])
            ),
            "<mark>Đăng ký khai sinh</mark> cho trẻ &lt;mới&gt; <mark>sinh</mark> &amp; con nuôi."
        );
    }

    #[test]
    fn prefers_passages_with_more_query_words() {
        let passages = vec![
            "Giấy khai sinh của con.".to_string(),
            "Mang thẻ căn cước khi đi đăng ký khai sinh.".to_string(),
        ];
        let html = best(&Passages::new(passages), &matcher(&["can", "cuoc", "khai"]));
        assert!(html.starts_with("Mang thẻ <mark>căn cước</mark>"), "{html}");
    }

    #[test]
    fn falls_back_to_the_first_passage() {
        let passages = vec!["Tóm tắt <b>".to_string(), "Khác".to_string()];
        assert_eq!(
            best(&Passages::new(passages), &matcher(&["xyz"])),
            "Tóm tắt &lt;b&gt;"
        );
        assert_eq!(best(&Passages::default(), &matcher(&["xyz"])), "");
    }

    #[test]
    fn long_passages_are_cut_around_the_match() {
        let text = format!(
            "{} căn cước {}",
            "lời mở đầu ".repeat(30),
            "đuôi ".repeat(80)
        );
        let html = best(&Passages::new(vec![text]), &matcher(&["can", "cuoc"]));
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>căn cước</mark>"), "{html}");
        assert!(html.chars().count() < SNIPPET_CHARS + 40, "{html}");
    }

    #[test]
    fn prefix_marks_words_being_typed() {
        let mut m = matcher(&["khai"]);
        m.set_prefix("si", 1);
        assert_eq!(
            best(&Passages::new(vec!["Khai sinh, khai tử".to_string()]), &m),
            "<mark>Khai sinh</mark>, <mark>khai</mark> tử"
        );
    }
}
