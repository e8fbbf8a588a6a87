//! Splitting a procedure file into its YAML front matter and its Markdown body.

/// A file cut at its `---` fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// The line of the file on which the YAML starts (1-based).
    pub yaml_first_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
}

/// Why a file could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoOpeningFence,
    /// There is an opening `---` but no closing one.
    NoClosingFence,
}

/// Cuts `text` at a first line `---` and the next line that is exactly `---` (trailing spaces and
/// a Windows line ending allowed). A byte-order mark before the first fence is ignored.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoOpeningFence)?;
    if !is_fence(first) {
        return Err(SplitError::NoOpeningFence);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(SplitError::NoClosingFence)
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let s = split("---\nid: a\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "id: a\n");
        assert_eq!(s.yaml_first_line, 2);
        assert_eq!(s.body, "# Body\n");
    }

    #[test]
    fn accepts_windows_line_endings_and_a_bom() {
        let s = split("\u{feff}---\r\nid: a\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "id: a\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn reports_missing_fences() {
        assert_eq!(split("id: a\n"), Err(SplitError::NoOpeningFence));
        assert_eq!(split(""), Err(SplitError::NoOpeningFence));
        assert_eq!(split("---\nid: a\n"), Err(SplitError::NoClosingFence));
    }

    #[test]
    fn a_fence_inside_the_body_is_body() {
        let s = split("---\nid: a\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }
}
