//! Loading content: procedure files, `categories.yaml`, the shared questions of `questions.yaml`
//! and the situation files of `_situations/` in; procedures, situations and diagnostics out.
//!
//! Loading never stops at a bad file. [`load_dir`] returns every procedure whose file has no
//! error, together with every diagnostic found, and lets the caller decide: `check` prints them
//! and fails, the server logs them and serves what is valid.

pub mod front_matter;
pub mod markdown;
mod situation;
pub mod structure;
pub mod validate;
pub mod yaml_tree;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Position};
use crate::model::{CategoriesFile, Category, FrontMatter, Procedure, Question, Situation};
use situation::{check_shared, load_shared_questions, load_situations};
use structure::{bilingual, did_you_mean};
use yaml_tree::{Node, Step};

/// The file that names and orders the categories.
pub const CATEGORIES_FILE: &str = "categories.yaml";
/// The file of questions shared by several procedure files.
pub const SHARED_QUESTIONS_FILE: &str = "questions.yaml";
/// The folder of situation files, inside the procedures folder.
pub const SITUATIONS_DIR: &str = "_situations";
/// Markdown files in the procedures folder that are documentation, not procedures.
const NOT_PROCEDURES: [&str; 2] = ["README.md", "CONTRIBUTING.md"];

/// What loading a procedures folder gives.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Procedures whose files have no error, in file order.
    pub procedures: Vec<Procedure>,
    /// Categories in display order, from `categories.yaml`.
    pub categories: Vec<Category>,
    /// Situations whose files have no error, in file order.
    pub situations: Vec<Situation>,
    /// The questions shared across procedure files, from `questions.yaml`.
    pub shared_questions: Vec<Question>,
    /// Every problem found, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Content {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The procedure with that id.
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id() == id)
    }

    /// The situation with that id.
    pub fn situation(&self, id: &str) -> Option<&Situation> {
        self.situations.iter().find(|s| s.id() == id)
    }

    /// The category with that id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}

/// A file that parsed, kept with its tree so cross-file checks can point at lines.
struct Parsed {
    procedure: Procedure,
    tree: Node,
    display_path: PathBuf,
    /// Whether the file's own checks found an error (then it is not served).
    failed: bool,
}

/// Loads every procedure file below `dir` (`dir/<category>/<id>.md`) and `dir/categories.yaml`.
///
/// Only a folder that cannot be read at all is an `Err`; every problem in a file is a diagnostic.
/// `today` decides which dates are in the future and which reviews are too old.
pub fn load_dir(dir: &Path, today: NaiveDate) -> anyhow::Result<Content> {
    let mut diagnostics = Vec::new();
    let categories = load_categories(dir, &mut diagnostics)?;
    let shared = load_shared_questions(dir, &mut diagnostics)?;

    let mut parsed = Vec::new();
    // Ids of every procedure file found, broken or not: a `related` link to a file that has its
    // own error is that file's problem, not the linking file's.
    let mut file_ids = Vec::new();
    for file in markdown_files(dir)? {
        let display_path = dir.join(&file);
        let bytes = std::fs::read(&display_path)
            .with_context(|| format!("reading {}", display_path.display()))?;
        let mut components = file
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let (Some(category), Some(_), None) =
            (components.next(), components.next(), components.next())
        else {
            diagnostics.push(
                Diagnostic::error(&display_path, Position::START, "misplaced-file",
                    bilingual("tệp thủ tục phải nằm trong một thư mục danh mục, ví dụ procedures/ho-tich/ten-thu-tuc.md",
                              "a procedure file must sit in a category folder, e.g. procedures/ho-tich/some-id.md")),
            );
            continue;
        };
        if categories
            .as_ref()
            .is_some_and(|cats| !cats.iter().any(|c| c.id == category))
        {
            let known = categories.iter().flatten().map(|c| c.id.as_str());
            let hint = match did_you_mean(&category, known) {
                Some(s) => format!("có phải là thư mục `{s}`? / did you mean the folder `{s}`?"),
                None => format!(
                    "Thêm `{category}` vào {CATEGORIES_FILE} / declare `{category}` in {CATEGORIES_FILE}"
                ),
            };
            diagnostics.push(
                Diagnostic::error(
                    &display_path,
                    Position::START,
                    "unknown-category",
                    bilingual(
                        &format!("thư mục `{category}` chưa được khai báo trong {CATEGORIES_FILE}"),
                        &format!("folder `{category}` is not declared in {CATEGORIES_FILE}"),
                    ),
                )
                .with_hint(hint),
            );
            continue;
        }
        if let Some(stem) = display_path.file_stem() {
            file_ids.push(stem.to_string_lossy().into_owned());
        }
        let (file_parsed, mut found) = parse_procedure(&display_path, &category, &bytes, today);
        let failed = found.iter().any(Diagnostic::is_error);
        diagnostics.append(&mut found);
        if let Some((procedure, tree)) = file_parsed {
            parsed.push(Parsed {
                procedure,
                tree,
                display_path,
                failed,
            });
        }
    }

    let mut rejected = cross_check(&parsed, &file_ids, &mut diagnostics);
    if let Some((shared, tree)) = &shared {
        rejected.extend(check_shared(&parsed, shared, tree, &mut diagnostics));
    }
    let procedures: Vec<Procedure> = parsed
        .into_iter()
        .enumerate()
        .filter(|(i, p)| !p.failed && !rejected.contains(i))
        .map(|(_, p)| p.procedure)
        .collect();
    let situations = load_situations(dir, &procedures, &file_ids, today, &mut diagnostics)?;
    // File order, then line order: how an editor reads them.
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Ok(Content {
        procedures,
        categories: categories.unwrap_or_default(),
        situations,
        shared_questions: shared.map(|(file, _)| file.questions).unwrap_or_default(),
        diagnostics,
    })
}

/// Every `.md` file below `dir`, as paths relative to it, sorted so output is stable.
fn markdown_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let folder = dir.join(&relative);
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("reading the procedures folder {}", folder.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("listing {}", folder.display()))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = relative.join(&*name);
            // `_situations/` and any other `_` folder at the top hold other content.
            if relative.as_os_str().is_empty() && name.starts_with('_') {
                continue;
            }
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if name.ends_with(".md")
                && !(relative.as_os_str().is_empty() && NOT_PROCEDURES.contains(&&*name))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Decodes UTF-8, or reports where the first invalid byte stands.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        Diagnostic::error(path, Position::new(line, column), "not-utf8",
            bilingual("tệp không phải văn bản UTF-8 (có thể được lưu bằng bảng mã khác, như Windows-1258 hoặc VNI)",
                      "the file is not UTF-8 text (it may have been saved in another encoding, such as Windows-1258 or VNI)"))
        .with_hint("Mở tệp trong trình soạn thảo và lưu lại với bảng mã UTF-8 / open it in an editor and save it as UTF-8")
    })
}

/// Parses YAML text into a located tree, checks its structure against `schema`, then
/// deserialises it. Returns the value with its tree when there is no error.
fn parse_yaml<T: DeserializeOwned>(
    path: &Path,
    yaml: &str,
    first_line: usize,
    schema: &serde_json::Value,
    out: &mut Vec<Diagnostic>,
) -> Option<(T, Node)> {
    let tree = match yaml_tree::parse(yaml, first_line) {
        Ok(Some(tree)) => tree,
        Ok(None) => {
            out.push(Diagnostic::error(
                path,
                Position::new(first_line, 1),
                "empty-front-matter",
                bilingual("phần khai báo YAML đang trống", "the YAML part is empty"),
            ));
            return None;
        }
        Err(e) => {
            out.push(
                Diagnostic::error(path, e.at, "yaml-syntax",
                    bilingual("lỗi cú pháp YAML", "YAML syntax error") + &format!(": {}", e.message))
                .with_hint("Kiểm tra thụt lề và dấu `:`; giá trị có dấu `: ` hoặc bắt đầu bằng ký tự đặc biệt thì đặt trong ngoặc kép / check indentation; quote values that contain `: ` or start with a special character"),
            );
            return None;
        }
    };
    let problems = structure::check(path, &tree, schema);
    let failed = !problems.is_empty();
    out.extend(problems);
    if failed {
        return None;
    }
    match serde_yaml::from_str::<T>(yaml) {
        Ok(value) => Some((value, tree)),
        Err(e) => {
            let at = e
                .location()
                .map(|l| Position::new(l.line() + first_line - 1, l.column()))
                .unwrap_or(Position::new(first_line, 1));
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            out.push(Diagnostic::error(path, at, "invalid-value", message));
            None
        }
    }
}

/// Parses one procedure file: front matter, structure, types, and the checks of one file.
/// Parses one procedure file's bytes: the procedure when it has no error, and every diagnostic
/// (what [`load_dir`] does for each file, without the cross-file checks). Never panics, whatever
/// the bytes: the entry point of the fuzz targets and property tests.
pub fn parse_file(
    path: &Path,
    category: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> (Option<Procedure>, Vec<Diagnostic>) {
    let (parsed, diagnostics) = parse_procedure(path, category, bytes, today);
    let procedure = parsed
        .filter(|_| !diagnostics.iter().any(Diagnostic::is_error))
        .map(|(procedure, _)| procedure);
    (procedure, diagnostics)
}

fn parse_procedure(
    path: &Path,
    category: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> (Option<(Procedure, Node)>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let text = match decode(path, bytes) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let Some(split) = split_file(path, text, &mut out) else {
        return (None, out);
    };
    let schema = schema_of_front_matter();
    let Some((meta, tree)) =
        parse_yaml::<FrontMatter>(path, split.yaml, split.yaml_first_line, schema, &mut out)
    else {
        return (None, out);
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.extend(validate::check(path, &stem, &meta, &tree, today));
    let procedure = Procedure {
        meta,
        category: category.to_string(),
        body: split.body.to_string(),
        path: path.to_path_buf(),
    };
    (Some((procedure, tree)), out)
}

/// Cuts a file at its `---` fences, or reports why it cannot be cut.
fn split_file<'a>(
    path: &Path,
    text: &'a str,
    out: &mut Vec<Diagnostic>,
) -> Option<front_matter::Split<'a>> {
    match front_matter::split(text) {
        Ok(split) => Some(split),
        Err(e) => {
            let (code, vi, en) = match e {
                front_matter::SplitError::NoOpeningFence => (
                    "no-front-matter",
                    "tệp phải bắt đầu bằng một dòng `---`, tiếp theo là phần khai báo YAML",
                    "the file must start with a `---` line followed by the YAML front matter",
                ),
                front_matter::SplitError::NoClosingFence => (
                    "unclosed-front-matter",
                    "phần khai báo YAML chưa được đóng bằng một dòng `---`",
                    "the YAML front matter is not closed by a `---` line",
                ),
            };
            out.push(Diagnostic::error(path, Position::START, code, bilingual(vi, en))
                .with_hint("Xem một tệp mẫu, ví dụ procedures/ho-tich/dang-ky-khai-sinh.md / see an example file"));
            None
        }
    }
}

fn schema_of_front_matter() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(crate::model::front_matter_schema)
}

/// The categories of `dir/categories.yaml`, or an error that gives its problems.
pub fn load_categories_list(dir: &Path) -> anyhow::Result<Vec<Category>> {
    let mut problems = Vec::new();
    match load_categories(dir, &mut problems)? {
        Some(categories) if !problems.iter().any(Diagnostic::is_error) => Ok(categories),
        _ => anyhow::bail!(
            "{}",
            crate::diagnostics::render(&problems, crate::diagnostics::OutputFormat::Text)
                .trim_end()
        ),
    }
}

/// Reads `categories.yaml`; `None` when it is missing or broken (then folders are not checked).
fn load_categories(dir: &Path, out: &mut Vec<Diagnostic>) -> anyhow::Result<Option<Vec<Category>>> {
    let path = dir.join(CATEGORIES_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            out.push(Diagnostic::error(&path, Position::START, "missing-categories",
                bilingual(&format!("không tìm thấy {CATEGORIES_FILE}"), &format!("{CATEGORIES_FILE} is missing")))
                .with_hint("Tạo tệp này và khai báo các thư mục danh mục / create it and declare the category folders"));
            return Ok(None);
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let text = match decode(&path, &bytes) {
        Ok(text) => text,
        Err(d) => {
            out.push(d);
            return Ok(None);
        }
    };
    let schema =
        serde_json::to_value(schemars::schema_for!(CategoriesFile)).expect("a schema is JSON");
    let Some((file, tree)) = parse_yaml::<CategoriesFile>(&path, text, 1, &schema, out) else {
        return Ok(None);
    };
    for (i, category) in file.categories.iter().enumerate() {
        let at = tree.position_of(&[
            Step::Key("categories".into()),
            Step::Index(i),
            Step::Key("id".into()),
        ]);
        if !validate::is_slug(&category.id) {
            out.push(Diagnostic::error(
                &path,
                at,
                "bad-id",
                bilingual(
                    &format!(
                        "mã danh mục `{}` phải viết thường, không dấu, nối bằng dấu gạch ngang",
                        category.id
                    ),
                    &format!(
                        "category id `{}` must be lowercase ASCII words joined by hyphens",
                        category.id
                    ),
                ),
            ));
        }
        if file.categories[..i].iter().any(|c| c.id == category.id) {
            out.push(Diagnostic::error(
                &path,
                at,
                "duplicate-category",
                bilingual(
                    &format!("danh mục `{}` được khai báo hai lần", category.id),
                    &format!("category `{}` is declared twice", category.id),
                ),
            ));
        }
    }
    Ok(Some(file.categories))
}

/// Checks across files: ids and codes unique, `related` ids exist. Returns the indexes of files
/// that must not be served (the later of two files sharing an id or a code, and files with a
/// broken `related`).
fn cross_check(
    parsed: &[Parsed],
    file_ids: &[String],
    out: &mut Vec<Diagnostic>,
) -> std::collections::HashSet<usize> {
    let known: std::collections::HashSet<&str> = file_ids.iter().map(String::as_str).collect();
    let mut rejected = std::collections::HashSet::new();
    let mut first_with_id: HashMap<&str, usize> = HashMap::new();
    let mut first_with_code: HashMap<&str, usize> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        let id = p.procedure.id();
        if let Some(&first) = first_with_id.get(id) {
            out.push(Diagnostic::error(
                &p.display_path,
                p.tree.position_of(&[Step::Key("id".into())]),
                "duplicate-id",
                bilingual(
                    &format!(
                        "`id` `{id}` đã được dùng ở {}",
                        parsed[first].display_path.display()
                    ),
                    &format!(
                        "`id` `{id}` is already used by {}",
                        parsed[first].display_path.display()
                    ),
                ),
            ));
            rejected.insert(i);
        } else {
            first_with_id.insert(id, i);
        }
        for (j, code) in p.procedure.meta.codes.iter().enumerate() {
            match first_with_code.get(code.as_str()) {
                Some(&first) if first != i => {
                    out.push(
                        Diagnostic::error(&p.display_path,
                            p.tree.position_of(&[Step::Key("codes".into()), Step::Index(j)]), "duplicate-code",
                            bilingual(&format!("mã thủ tục `{code}` đã có trong {}", parsed[first].display_path.display()),
                                      &format!("procedure code `{code}` is already in {}", parsed[first].display_path.display())))
                        .with_hint("Mỗi mã thủ tục chỉ ghi ở một tệp / each national code belongs to one file only"),
                    );
                    rejected.insert(i);
                }
                Some(_) => {}
                None => {
                    first_with_code.insert(code, i);
                }
            }
        }
    }
    for (i, p) in parsed.iter().enumerate() {
        for (j, related) in p.procedure.meta.related.iter().enumerate() {
            if known.contains(related.as_str()) || related == p.procedure.id() {
                continue;
            }
            let hint = match did_you_mean(related, file_ids.iter().map(String::as_str)) {
                Some(s) => format!("có phải là `{s}`? / did you mean `{s}`?"),
                None => "`related` chỉ ghi `id` của các tệp có trong procedures/ / list only ids of files in procedures/".into(),
            };
            out.push(
                Diagnostic::error(
                    &p.display_path,
                    p.tree
                        .position_of(&[Step::Key("related".into()), Step::Index(j)]),
                    "unknown-related",
                    bilingual(
                        &format!("không có thủ tục nào có `id` `{related}`"),
                        &format!("no procedure has the id `{related}`"),
                    ),
                )
                .with_hint(hint),
            );
            rejected.insert(i);
        }
    }
    rejected
}
