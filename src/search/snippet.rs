//! Snippets: the passage of a procedure that best matches a query, with the matched words marked.
//!
//! Matching is done on folded words, but the snippet shows the original accented text, HTML-escaped,
//! with `<mark>…</mark>` around each run of matched words.

use std::collections::HashMap;

use super::analysis;

/// Snippets are cut to about this many characters.
pub const SNIPPET_CHARS: usize = 180;
/// How many characters of context to keep before the first matched word.
const LEAD_CHARS: usize = 40;

/// What a snippet looks for: folded words, each standing for a query unit, and a prefix.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    words: HashMap<String, usize>,
    prefix: Option<(String, usize)>,
}

impl Matcher {
    /// Marks `folded` as standing for unit `unit`.
    pub fn add_word(&mut self, folded: &str, unit: usize) {
        self.words.entry(folded.to_string()).or_insert(unit);
    }

    /// Marks every word starting with `prefix` as standing for unit `unit`.
    pub fn set_prefix(&mut self, prefix: &str, unit: usize) {
        self.prefix = Some((prefix.to_string(), unit));
    }

    fn unit_of(&self, folded: &str) -> Option<usize> {
        self.words.get(folded).copied().or_else(|| {
            self.prefix
                .as_ref()
                .filter(|(p, _)| folded.starts_with(p.as_str()))
                .map(|(_, unit)| *unit)
        })
    }
}

/// The best of `passages` (in order of preference) for `matcher`, as marked-up HTML.
/// Falls back to the start of the first passage, unmarked.
pub fn best(passages: &[String], matcher: &Matcher) -> String {
    // (passage, marks) of the best passage so far, and its score.
    let mut best: Option<(usize, Vec<(usize, usize)>)> = None;
    let mut best_score = 0;
    for (index, passage) in passages.iter().enumerate() {
        let words = analysis::words(passage);
        let mut units = Vec::new();
        let mut marks = Vec::new();
        let mut adjacent = 0;
        let mut previous_matched = false;
        for word in &words {
            match matcher.unit_of(&word.folded) {
                Some(unit) => {
                    if !units.contains(&unit) {
                        units.push(unit);
                    }
                    if previous_matched {
                        adjacent += 1;
                    }
                    marks.push((word.start, word.end));
                    previous_matched = true;
                }
                None => previous_matched = false,
            }
        }
        // Distinct query units first, then words found side by side; earlier passages win ties.
        let score = units.len() * 4 + adjacent.min(3);
        if score > best_score {
            best_score = score;
            best = Some((index, marks));
        }
    }
    match best {
        Some((index, marks)) => render(&passages[index], &marks),
        None => passages.first().map(|p| render(p, &[])).unwrap_or_default(),
    }
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
            best(&passages, &matcher(&["dang", "ky", "khai", "sinh"])),
            "<mark>Đăng ký khai sinh</mark> cho trẻ &lt;mới&gt; <mark>sinh</mark> &amp; con nuôi."
        );
    }

    #[test]
    fn prefers_passages_with_more_query_words() {
        let passages = vec![
            "Giấy khai sinh của con.".to_string(),
            "Mang thẻ căn cước khi đi đăng ký khai sinh.".to_string(),
        ];
        let html = best(&passages, &matcher(&["can", "cuoc", "khai"]));
        assert!(html.starts_with("Mang thẻ <mark>căn cước</mark>"), "{html}");
    }

    #[test]
    fn falls_back_to_the_first_passage() {
        let passages = vec!["Tóm tắt <b>".to_string(), "Khác".to_string()];
        assert_eq!(best(&passages, &matcher(&["xyz"])), "Tóm tắt &lt;b&gt;");
        assert_eq!(best(&[], &matcher(&["xyz"])), "");
    }

    #[test]
    fn long_passages_are_cut_around_the_match() {
        let text = format!(
            "{} căn cước {}",
            "lời mở đầu ".repeat(30),
            "đuôi ".repeat(80)
        );
        let html = best(&[text], &matcher(&["can", "cuoc"]));
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>căn cước</mark>"), "{html}");
        assert!(html.chars().count() < SNIPPET_CHARS + 40, "{html}");
    }

    #[test]
    fn prefix_marks_words_being_typed() {
        let mut m = matcher(&["khai"]);
        m.set_prefix("si", 1);
        assert_eq!(
            best(&["Khai sinh, khai tử".to_string()], &m),
            "<mark>Khai sinh</mark>, <mark>khai</mark> tử"
        );
    }
}
