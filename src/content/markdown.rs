//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises.
//!
//! Raw HTML written in a procedure file never reaches a page as markup: whatever pulldown-cmark
//! passes through, ammonia removes scripts, event handlers and unknown tags, and links get
//! `rel="noopener noreferrer"`.

use pulldown_cmark::{Options, Parser, html};

/// Renders a Markdown block (the body of a procedure file) to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    ammonia::clean(&raw)
}

/// Renders one line of inline Markdown (a step) to sanitised HTML without a surrounding `<p>`.
pub fn inline_to_html(markdown: &str) -> String {
    let block = to_html(markdown);
    let trimmed = block.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// The text of a Markdown snippet without any markup (for search and plain-text output).
pub fn to_plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push('\n'),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_html("**Nộp** hồ sơ"),
            "<p><strong>Nộp</strong> hồ sơ</p>\n"
        );
    }

    #[test]
    fn raw_html_never_survives() {
        let html = to_html(
            "Xin chào <script>alert(1)</script><img src=x onerror=alert(1)>\n\n<iframe src=//evil></iframe>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
    }

    #[test]
    fn javascript_links_are_removed() {
        let html = to_html("[bấm](javascript:alert(1))");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn inline_has_no_paragraph() {
        assert_eq!(
            inline_to_html("Bấm **Đăng nhập**"),
            "Bấm <strong>Đăng nhập</strong>"
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain_text("## Tiêu đề\n\n- **một**\n- hai"),
            "Tiêu đề\nmột\nhai"
        );
    }
}
