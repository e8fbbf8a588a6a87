//! A YAML tree that remembers where every key and value stands in the file.
//!
//! serde_yaml turns front matter into typed values but forgets positions; this tree, built from
//! yaml-rust2's marked events, is what lets every diagnostic name a line and column.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Position;

/// A node of the tree with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub value: Value,
    /// Where it starts in the file.
    pub at: Position,
}

/// The value of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar; `plain` is true when it was written without quotes (so `1.5` is a number).
    Scalar { text: String, plain: bool },
    /// A list.
    Sequence(Vec<Node>),
    /// A mapping, with keys in file order.
    Mapping(Vec<Entry>),
    /// An alias (`*name`): not used in procedure files.
    Alias,
}

/// A key and its value in a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as text.
    pub key: String,
    /// Where the key stands.
    pub key_at: Position,
    /// The value.
    pub value: Node,
}

/// One step of a path into the tree: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of a mapping.
    Key(String),
    /// An index in a list.
    Index(usize),
}

/// A YAML syntax error with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub at: Position,
    /// The parser's description of the problem.
    pub message: String,
}

impl Node {
    /// The node at `path`, or `None` if the path leads nowhere.
    pub fn get(&self, path: &[Step]) -> Option<&Node> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let child = match (first, &self.value) {
            (Step::Key(key), Value::Mapping(entries)) => {
                &entries.iter().find(|e| &e.key == key)?.value
            }
            (Step::Index(i), Value::Sequence(items)) => items.get(*i)?,
            _ => return None,
        };
        child.get(rest)
    }

    /// The position of the deepest node along `path` that exists: where a problem at `path` is
    /// best shown even when the value itself is missing.
    pub fn position_of(&self, path: &[Step]) -> Position {
        let mut node = self;
        for step in path {
            match node.get(std::slice::from_ref(step)) {
                Some(child) => node = child,
                None => break,
            }
        }
        node.at
    }

    /// The position of the key `key` of the mapping at `path`, or of the mapping itself.
    pub fn key_position(&self, path: &[Step], key: &str) -> Position {
        match self.get(path).map(|n| &n.value) {
            Some(Value::Mapping(entries)) => entries
                .iter()
                .find(|e| e.key == key)
                .map(|e| e.key_at)
                .unwrap_or_else(|| self.position_of(path)),
            _ => self.position_of(path),
        }
    }

    /// The text of a scalar node.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }
}

/// Parses one YAML document whose first line is line `first_line` of the file.
/// An empty document gives `Ok(None)`.
pub fn parse(text: &str, first_line: usize) -> Result<Option<Node>, SyntaxError> {
    let mut builder = TreeBuilder {
        first_line,
        stack: Vec::new(),
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| SyntaxError {
        at: builder.position(e.marker()),
        message: e.info().to_string(),
    })?;
    Ok(builder.root)
}

/// A container being filled while events arrive.
enum Open {
    Sequence(Node),
    Mapping(Node, Option<(String, Position)>),
}

struct TreeBuilder {
    first_line: usize,
    stack: Vec<Open>,
    root: Option<Node>,
}

impl TreeBuilder {
    fn position(&self, mark: &Marker) -> Position {
        Position::new(mark.line() + self.first_line - 1, mark.col() + 1)
    }

    /// Puts a finished node into its parent, or makes it the root.
    fn attach(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Sequence(seq)) => {
                if let Value::Sequence(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Open::Mapping(map, pending_key)) => match pending_key.take() {
                None => {
                    let key = match &node.value {
                        Value::Scalar { text, .. } => text.clone(),
                        _ => String::from("<complex key>"),
                    };
                    *pending_key = Some((key, node.at));
                }
                Some((key, key_at)) => {
                    if let Value::Mapping(entries) = &mut map.value {
                        entries.push(Entry {
                            key,
                            key_at,
                            value: node,
                        });
                    }
                }
            },
        }
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let at = self.position(&mark);
        match event {
            Event::Scalar(text, style, _, _) => self.attach(Node {
                value: Value::Scalar {
                    text,
                    plain: style == TScalarStyle::Plain,
                },
                at,
            }),
            Event::Alias(_) => self.attach(Node {
                value: Value::Alias,
                at,
            }),
            Event::SequenceStart(..) => self.stack.push(Open::Sequence(Node {
                value: Value::Sequence(Vec::new()),
                at,
            })),
            Event::MappingStart(..) => self.stack.push(Open::Mapping(
                Node {
                    value: Value::Mapping(Vec::new()),
                    at,
                },
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Open::Sequence(mut node) | Open::Mapping(mut node, _)) =
                    self.stack.pop()
                {
                    // Block collections are marked where the parser noticed them, which may be
                    // past their start; their first child is where an editor looks.
                    let first_child = match &node.value {
                        Value::Sequence(items) => items.first().map(|n| n.at),
                        Value::Mapping(entries) => entries.first().map(|e| e.key_at),
                        _ => None,
                    };
                    if let Some(first) = first_child {
                        node.at = node.at.min(first);
                    }
                    self.attach(node);
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_from_the_top_of_the_file() {
        let yaml = "id: a\ndocuments:\n  - name: Tờ khai\n    action: submit\n";
        let root = parse(yaml, 2).unwrap().unwrap();
        let action = [
            Step::Key("documents".into()),
            Step::Index(0),
            Step::Key("action".into()),
        ];
        assert_eq!(root.get(&action).unwrap().as_scalar(), Some("submit"));
        assert_eq!(root.get(&action).unwrap().at, Position::new(5, 13));
        assert_eq!(
            root.key_position(&[Step::Key("documents".into()), Step::Index(0)], "action"),
            Position::new(5, 5)
        );
        assert_eq!(root.key_position(&[], "id"), Position::new(2, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let root = parse("title: Đăng ký\nsummary: ừ\n", 1).unwrap().unwrap();
        let summary = root.get(&[Step::Key("summary".into())]).unwrap();
        assert_eq!(summary.at, Position::new(2, 10));
    }

    #[test]
    fn quoted_scalars_are_not_plain() {
        let root = parse("a: \"1.001193\"\nb: 1.001193\n", 1).unwrap().unwrap();
        let plain = |k: &str| match &root.get(&[Step::Key(k.into())]).unwrap().value {
            Value::Scalar { plain, .. } => *plain,
            _ => unreachable!(),
        };
        assert!(!plain("a"));
        assert!(plain("b"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("id: a\ntitle: [unclosed\n", 3).unwrap_err();
        assert!(err.at.line >= 4, "{err:?}");
    }

    #[test]
    fn missing_paths_fall_back_to_the_deepest_existing_node() {
        let root = parse("agency:\n  name: UBND\n", 1).unwrap().unwrap();
        let path = [Step::Key("agency".into()), Step::Key("decides".into())];
        assert_eq!(root.position_of(&path), Position::new(2, 3));
    }
}
