//! Structural checks of a YAML tree against the JSON Schema generated from the model types.
//!
//! serde stops at the first problem in a file; this walk reports them all, each at its own line:
//! unknown keys (with a "did you mean"), missing required keys, empty values, and values of the
//! wrong shape (a list where text was expected, an unquoted number where a code was expected).
//! Because the allowed keys come from the generated schema, the Rust types stay the one source of
//! truth for the format.

use serde_json::Value as Json;

use super::yaml_tree::{Node, Value};
use crate::diagnostics::{Diagnostic, Position};
use std::path::Path;

/// Checks `root` against `schema` and returns every structural problem found.
pub fn check(path: &Path, root: &Node, schema: &Json) -> Vec<Diagnostic> {
    let mut walker = Walker {
        path,
        defs: schema,
        out: Vec::new(),
    };
    walker.node(root, schema, "");
    walker.out
}

/// How a placeholder of the `giayto new` template starts.
pub const PLACEHOLDER_OPEN: char = '«';
/// How a placeholder of the `giayto new` template ends.
pub const PLACEHOLDER_CLOSE: char = '»';

/// Whether a value is a placeholder still to fill: `«…»`.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    text.starts_with(PLACEHOLDER_OPEN) && text.ends_with(PLACEHOLDER_CLOSE)
}

/// `vi / en`: the Vietnamese message followed by its English translation.
pub(crate) fn bilingual(vi: &str, en: &str) -> String {
    format!("{vi} / {en}")
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

struct Walker<'a> {
    path: &'a Path,
    defs: &'a Json,
    out: Vec<Diagnostic>,
}

/// What a schema expects, once `$ref`s and `Option`s are resolved.
enum Expected<'s> {
    Object(&'s Json),
    Array(&'s Json),
    Text,
    Date,
    Integer,
    Boolean,
    OneOf(Vec<&'s str>),
    Anything,
}

impl<'a> Walker<'a> {
    fn resolve(&self, schema: &'a Json) -> &'a Json {
        match schema.get("$ref").and_then(Json::as_str) {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                self.defs
                    .get("$defs")
                    .and_then(|defs| defs.get(name))
                    .map(|s| self.resolve(s))
                    .unwrap_or(schema)
            }
            None => schema,
        }
    }

    /// What `schema` expects, and whether an explicit null is allowed.
    fn expected(&self, schema: &'a Json) -> (Expected<'a>, bool) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").and_then(Json::as_array) {
            let nullable = branches
                .iter()
                .any(|b| b.get("type") == Some(&"null".into()));
            let inner = branches
                .iter()
                .find(|b| b.get("type") != Some(&"null".into()))
                .map(|b| self.expected(b).0)
                .unwrap_or(Expected::Anything);
            return (inner, nullable);
        }
        if let Some(branches) = schema.get("oneOf").and_then(Json::as_array) {
            let values = branches
                .iter()
                .filter_map(|b| b.get("const").and_then(Json::as_str))
                .collect();
            return (Expected::OneOf(values), false);
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Json::String(t)) => vec![t.as_str()],
            Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
            _ => vec![],
        };
        let nullable = types.contains(&"null");
        let expected = match types.iter().find(|t| **t != "null") {
            Some(&"object") => Expected::Object(schema),
            Some(&"array") => Expected::Array(schema.get("items").unwrap_or(&Json::Null)),
            Some(&"string") if schema.get("format") == Some(&"date".into()) => Expected::Date,
            Some(&"string") => Expected::Text,
            Some(&"integer") => Expected::Integer,
            Some(&"boolean") => Expected::Boolean,
            _ => Expected::Anything,
        };
        (expected, nullable)
    }

    fn error(&mut self, at: Position, code: &'static str, message: String) -> &mut Diagnostic {
        self.out
            .push(Diagnostic::error(self.path, at, code, message));
        self.out.last_mut().expect("just pushed")
    }

    /// Checks one node. `key` names it in messages (empty for the root).
    fn node(&mut self, node: &Node, schema: &'a Json, key: &str) {
        if let Some(text) = node.as_scalar().filter(|t| is_placeholder(t)) {
            let what = text
                .trim_start_matches(PLACEHOLDER_OPEN)
                .trim_end_matches(PLACEHOLDER_CLOSE);
            self.error(
                node.at,
                "placeholder",
                bilingual(
                    &format!("`{key}` vẫn là chỗ trống của tệp mẫu: {what}"),
                    &format!("`{key}` is still the template's placeholder: {what}"),
                ),
            )
            .hint = Some("Thay cả phần «…» bằng thông tin thật, hoặc xóa dòng nếu không cần / replace the whole «…» with the real value, or delete the line if it is optional".into());
            return;
        }
        let (expected, nullable) = self.expected(schema);
        if is_null(node) {
            if !nullable {
                self.error(
                    node.at,
                    "empty-value",
                    bilingual(
                        &format!("`{key}` đang để trống"),
                        &format!("`{key}` has no value"),
                    ),
                )
                .hint = Some("Điền giá trị, hoặc xóa dòng này nếu không cần / fill it in, or delete the line if it is optional".into());
            }
            return;
        }
        match expected {
            Expected::Object(schema) => self.mapping(node, schema, key),
            Expected::Array(items) => match &node.value {
                Value::Sequence(nodes) => {
                    for item in nodes {
                        self.node(item, items, key);
                    }
                }
                _ => self.wrong_shape(
                    node,
                    key,
                    "một danh sách (mỗi mục bắt đầu bằng `- `)",
                    "a list (each item starting with `- `)",
                ),
            },
            Expected::Text => self.text(node, key),
            Expected::Date => {
                let text = node.as_scalar().unwrap_or_default();
                if crate::model::Date::parse(text).is_none() {
                    self.error(
                        node.at,
                        "bad-date",
                        bilingual(
                            &format!("`{key}`: `{text}` không phải ngày hợp lệ"),
                            &format!("`{key}`: `{text}` is not a valid date"),
                        ),
                    )
                    .hint = Some(
                        "Viết theo dạng NĂM-THÁNG-NGÀY / write it as YYYY-MM-DD, e.g. 2025-11-20"
                            .into(),
                    );
                }
            }
            Expected::Integer => {
                if node
                    .as_scalar()
                    .and_then(|t| t.trim().parse::<u32>().ok())
                    .is_none()
                {
                    self.wrong_shape(
                        node,
                        key,
                        "một số nguyên như 0, 1, 2",
                        "a whole number such as 0, 1, 2",
                    );
                }
            }
            Expected::Boolean => {
                if !matches!(node.as_scalar(), Some("true" | "false")) {
                    self.wrong_shape(node, key, "`true` hoặc `false`", "`true` or `false`");
                }
            }
            Expected::OneOf(allowed) => self.one_of(node, key, &allowed),
            Expected::Anything => {}
        }
    }

    fn text(&mut self, node: &Node, key: &str) {
        match &node.value {
            Value::Scalar { text, plain } => {
                if *plain && looks_like_non_text(text) {
                    self.error(
                        node.at,
                        "wrong-type",
                        bilingual(
                            &format!("`{key}` phải là chữ, nhưng `{text}` sẽ được đọc như một số hoặc đúng/sai"),
                            &format!("`{key}` must be text, but `{text}` would be read as a number or a true/false value"),
                        ),
                    )
                    .hint = Some(format!("Đặt trong ngoặc kép / put it in double quotes: \"{text}\""));
                } else if text.trim().is_empty() {
                    self.error(
                        node.at,
                        "empty-value",
                        bilingual(
                            &format!("`{key}` đang để trống"),
                            &format!("`{key}` is empty"),
                        ),
                    );
                }
            }
            Value::Mapping(_) => {
                self.wrong_shape(node, key, "một đoạn chữ", "text");
                if let Some(last) = self.out.last_mut() {
                    last.hint = Some("Dòng có dấu `: ` bị hiểu thành khóa: đặt cả dòng trong ngoặc kép / a line containing `: ` reads as a key: put the whole line in double quotes".into());
                }
            }
            _ => self.wrong_shape(node, key, "một đoạn chữ", "text"),
        }
    }

    fn one_of(&mut self, node: &Node, key: &str, allowed: &[&str]) {
        let Some(text) = node.as_scalar() else {
            return self.wrong_shape(node, key, "một giá trị", "a single value");
        };
        if allowed.contains(&text) {
            return;
        }
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = did_you_mean(text, allowed.iter().copied())
            .map(|s| format!("có phải là `{s}`? / did you mean `{s}`?"));
        let diagnostic = self.error(
            node.at,
            "unknown-value",
            bilingual(
                &format!("`{key}` không nhận giá trị `{text}`; chỉ được dùng {list}"),
                &format!("`{key}` cannot be `{text}`; use one of {list}"),
            ),
        );
        diagnostic.hint = hint;
    }

    fn wrong_shape(&mut self, node: &Node, key: &str, vi: &str, en: &str) {
        self.error(
            node.at,
            "wrong-type",
            bilingual(
                &format!("`{key}` phải là {vi}"),
                &format!("`{key}` must be {en}"),
            ),
        );
    }

    fn mapping(&mut self, node: &Node, schema: &'a Json, key: &str) {
        let Value::Mapping(entries) = &node.value else {
            let what = if key.is_empty() {
                "phần đầu tệp"
            } else {
                key
            };
            return self.wrong_shape(
                node,
                what,
                "một nhóm khóa `tên: giá trị`",
                "a mapping of `key: value` lines",
            );
        };
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties").filter(|a| a.is_object());
        let mut seen: Vec<&str> = Vec::new();
        for entry in entries {
            if seen.contains(&entry.key.as_str()) {
                self.error(
                    entry.key_at,
                    "duplicate-key",
                    bilingual(
                        &format!("khóa `{}` xuất hiện hai lần", entry.key),
                        &format!("key `{}` appears twice", entry.key),
                    ),
                )
                .hint = Some("Gộp hai chỗ làm một / merge them into one".into());
                continue;
            }
            seen.push(&entry.key);
            match (properties.and_then(|p| p.get(&entry.key)), additional) {
                (Some(field), _) => self.node(&entry.value, field, &entry.key),
                (None, Some(values)) => self.node(&entry.value, values, &entry.key),
                (None, None) => {
                    let known =
                        properties.map(|p| p.keys().map(String::as_str).collect::<Vec<_>>());
                    let suggestion = known.and_then(|k| did_you_mean(&entry.key, k));
                    let diagnostic = self.error(
                        entry.key_at,
                        "unknown-key",
                        bilingual(
                            &format!("khóa `{}` không có trong mẫu tệp", entry.key),
                            &format!("unknown key `{}`", entry.key),
                        ),
                    );
                    diagnostic.hint = Some(match suggestion {
                        Some(s) => format!("có phải là `{s}`? / did you mean `{s}`?"),
                        None => "Xem các khóa được phép trong procedures/schema.json / see the allowed keys in procedures/schema.json".into(),
                    });
                }
            }
        }
        let required = schema.get("required").and_then(Json::as_array);
        for name in required.into_iter().flatten().filter_map(Json::as_str) {
            if !seen.contains(&name) {
                let at = node.at;
                let (vi, en) = if key.is_empty() {
                    (String::new(), String::new())
                } else {
                    (format!(" trong `{key}`"), format!(" in `{key}`"))
                };
                self.error(
                    at,
                    "missing-key",
                    bilingual(
                        &format!("thiếu khóa bắt buộc `{name}`{vi}"),
                        &format!("required key `{name}` is missing{en}"),
                    ),
                );
            }
        }
    }
}

/// A plain scalar YAML reads as null: nothing, `~` or `null`.
fn is_null(node: &Node) -> bool {
    matches!(&node.value, Value::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
}

/// A plain scalar YAML reads as a number or a boolean rather than text.
fn looks_like_non_text(text: &str) -> bool {
    matches!(text, "true" | "false" | "True" | "False" | "TRUE" | "FALSE")
        || text.parse::<i64>().is_ok()
        || (text.parse::<f64>().is_ok() && text.chars().any(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml_tree;

    fn problems(yaml: &str) -> Vec<(usize, &'static str)> {
        let root = yaml_tree::parse(yaml, 1).unwrap().unwrap();
        let schema = crate::model::front_matter_schema();
        check(Path::new("x.md"), &root, &schema)
            .into_iter()
            .map(|d| (d.line, d.code))
            .collect()
    }

    const MINIMAL: &str = "id: a\ntitle: T\nsummary: S\nkind: guide\nagency: {name: A}\nsteps: [x]\nlast_reviewed: 2025-01-01\n";

    #[test]
    fn a_minimal_file_has_no_structural_problem() {
        assert_eq!(problems(MINIMAL), vec![]);
    }

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion() {
        let yaml = format!("{MINIMAL}document:\n  - name: x\n");
        let root = yaml_tree::parse(&yaml, 1).unwrap().unwrap();
        let found = check(
            Path::new("x.md"),
            &root,
            &crate::model::front_matter_schema(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 8);
        assert!(found[0].hint.as_deref().unwrap().contains("`documents`"));
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let yaml =
            "id: a\ntitel: T\nkind: gide\nagency: {name: A, nme: B}\nsteps: x\ncodes: [1.001193]\n";
        assert_eq!(
            problems(yaml),
            vec![
                (2, "unknown-key"),
                (3, "unknown-value"),
                (4, "unknown-key"),
                (5, "wrong-type"),
                (6, "wrong-type"),
                (1, "missing-key"),
                (1, "missing-key"),
                (1, "missing-key"),
            ]
        );
    }

    #[test]
    fn nested_empty_values_and_counts_are_checked() {
        let yaml = format!(
            "{MINIMAL}documents:\n  - name: \"\"\n    action: submit\n    originals: one\n"
        );
        assert_eq!(
            problems(&yaml),
            vec![(9, "empty-value"), (11, "wrong-type")]
        );
    }

    #[test]
    fn suggestions_need_a_close_word() {
        assert_eq!(
            did_you_mean("document", ["documents", "id"]),
            Some("documents")
        );
        assert_eq!(did_you_mean("zzz", ["documents", "id"]), None);
    }
}
