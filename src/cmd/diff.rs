//! `giayto diff OLD NEW` (or `--git REV`): what a change to the procedures folder means for
//! residents, procedure by procedure — papers added, removed or changed, channel times and fees,
//! steps and questions, files added, removed, renamed or moved — not a text diff.
//!
//! [`compare`] turns two loaded folders into a [`Diff`]; [`render`] writes it as text, as
//! Markdown (for a pull-request comment or GitHub's job summary) or as JSON. Each change is put
//! into words once ([`Change::sentence`]), and the text and Markdown forms only lay them out.
//! The words for papers and channels are the website's own ([`crate::web::view`]).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use serde::Serialize;

use crate::content::{self, Content};
use crate::model::{Document, Procedure};
use crate::web::view::{action_label, case_of, counts, method_label};

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// Plain text, for a terminal.
    #[default]
    Text,
    /// Markdown, for a pull-request comment or a job summary.
    Markdown,
    /// JSON, for tools.
    Json,
}

/// What changed between two procedures folders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The procedures that changed, by file path in the new folder (the old one when removed).
    pub procedures: Vec<ProcedureDiff>,
    /// Files of the new folder that have errors (they are left out of the comparison).
    pub broken: Vec<String>,
}

/// One procedure that was added, removed, renamed, moved or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureDiff {
    /// Its id (the new one when renamed).
    pub id: String,
    /// Its title (the new one when changed).
    pub title: String,
    /// Its file, relative to the procedures folder.
    pub path: String,
    /// What happened to the file.
    pub file: FileChange,
    /// What changed inside it, in file order.
    pub changes: Vec<Change>,
}

/// What happened to a procedure's file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileChange {
    /// A new file.
    Added,
    /// The file is gone.
    Removed,
    /// The file has a new name (and so a new id); found by a shared code or, without codes, title.
    Renamed {
        /// Its old path.
        from: String,
    },
    /// The same id in another category folder.
    Moved {
        /// Its old path.
        from: String,
    },
    /// Same file, new content.
    Changed,
}

/// One change that matters to residents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The title changed.
    Title { old: String, new: String },
    /// Where to go changed.
    Agency { old: String, new: String },
    /// A paper is now needed.
    PaperAdded { name: String, detail: String },
    /// A paper is no longer needed.
    PaperRemoved { name: String },
    /// Something about a paper changed: `what` is "việc cần làm", "số bản", "trường hợp" or
    /// "bắt buộc".
    PaperChanged {
        name: String,
        what: String,
        old: String,
        new: String,
    },
    /// A new way to apply.
    ChannelAdded {
        method: String,
        time: String,
        fee: String,
    },
    /// A way to apply is gone.
    ChannelRemoved { method: String },
    /// A channel's processing time changed.
    ChannelTime {
        method: String,
        old: String,
        new: String,
    },
    /// A channel's fee changed.
    ChannelFee {
        method: String,
        old: String,
        new: String,
    },
    /// A step was added.
    StepAdded { text: String },
    /// A step was removed.
    StepRemoved { text: String },
    /// The same steps in another order.
    StepsReordered,
    /// A question about the resident's situation was added.
    QuestionAdded { text: String },
    /// A question was removed.
    QuestionRemoved { text: String },
    /// A question's wording or answers changed.
    QuestionChanged { old: String, new: String },
    /// A legal text was added to the legal basis.
    LegalAdded { number: String, title: String },
    /// A legal text was removed from the legal basis.
    LegalRemoved { number: String, title: String },
    /// A new change note.
    Note { date: String, note: String },
}

impl Change {
    /// The change in one Vietnamese sentence, and its sign: `+` added, `-` removed, `~` changed.
    pub fn sentence(&self) -> (char, String) {
        match self {
            Change::Title { old, new } => ('~', format!("Tên: «{old}» → «{new}»")),
            Change::Agency { old, new } => ('~', format!("Nơi nộp: «{old}» → «{new}»")),
            Change::PaperAdded { name, detail } => {
                ('+', format!("Thêm giấy tờ: {name} ({detail})"))
            }
            Change::PaperRemoved { name } => ('-', format!("Bỏ giấy tờ: {name}")),
            Change::PaperChanged {
                name,
                what,
                old,
                new,
            } => ('~', format!("Giấy tờ «{name}», {what}: {old} → {new}")),
            Change::ChannelAdded { method, time, fee } => (
                '+',
                format!("Thêm cách nộp: {method} (thời gian {time}; lệ phí {fee})"),
            ),
            Change::ChannelRemoved { method } => ('-', format!("Bỏ cách nộp: {method}")),
            Change::ChannelTime { method, old, new } => (
                '~',
                format!("{method}, thời gian giải quyết: {old} → {new}"),
            ),
            Change::ChannelFee { method, old, new } => {
                ('~', format!("{method}, lệ phí: {old} → {new}"))
            }
            Change::StepAdded { text } => ('+', format!("Thêm bước: {text}")),
            Change::StepRemoved { text } => ('-', format!("Bỏ bước: {text}")),
            Change::StepsReordered => ('~', "Đổi thứ tự các bước".to_string()),
            Change::QuestionAdded { text } => ('+', format!("Thêm câu hỏi: {text}")),
            Change::QuestionRemoved { text } => ('-', format!("Bỏ câu hỏi: {text}")),
            Change::QuestionChanged { old, new } => ('~', format!("Câu hỏi: {old} → {new}")),
            Change::LegalAdded { number, title } => {
                ('+', format!("Thêm căn cứ pháp lý: {title} số {number}"))
            }
            Change::LegalRemoved { number, title } => {
                ('-', format!("Bỏ căn cứ pháp lý: {title} số {number}"))
            }
            Change::Note { date, note } => ('+', format!("Ghi chú thay đổi ngày {date}: {note}")),
        }
    }
}

/// A procedure with its path relative to the folder it was loaded from.
struct Entry<'a> {
    procedure: &'a Procedure,
    path: String,
}

fn entries<'a>(content: &'a Content, dir: &Path) -> Vec<Entry<'a>> {
    content
        .procedures
        .iter()
        .map(|procedure| Entry {
            procedure,
            path: relative(&procedure.path, dir),
        })
        .collect()
}

fn relative(path: &Path, dir: &Path) -> String {
    let path = path.strip_prefix(dir).unwrap_or(path);
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Compares the procedures of `old` (loaded from `old_dir`) with those of `new` (from `new_dir`).
pub fn compare(old: &Content, old_dir: &Path, new: &Content, new_dir: &Path) -> Diff {
    let old_entries = entries(old, old_dir);
    let new_entries = entries(new, new_dir);
    let mut procedures = Vec::new();
    let mut paired_old: HashSet<&str> = HashSet::new();
    let mut added = Vec::new();
    for entry in &new_entries {
        let id = entry.procedure.id();
        match old_entries.iter().find(|o| o.procedure.id() == id) {
            Some(before) => {
                paired_old.insert(before.procedure.id());
                let changes = changes(before.procedure, entry.procedure);
                let file = if before.path == entry.path {
                    FileChange::Changed
                } else {
                    FileChange::Moved {
                        from: before.path.clone(),
                    }
                };
                if file != FileChange::Changed || !changes.is_empty() {
                    procedures.push(procedure_diff(entry, file, changes));
                }
            }
            None => added.push(entry),
        }
    }
    let new_ids: HashSet<&str> = new_entries.iter().map(|e| e.procedure.id()).collect();
    let mut removed: Vec<&Entry> = old_entries
        .iter()
        .filter(|o| !new_ids.contains(o.procedure.id()))
        .collect();
    for entry in added {
        let renamed_from = removed
            .iter()
            .position(|o| same_procedure(o.procedure, entry.procedure));
        match renamed_from {
            Some(i) => {
                let before = removed.remove(i);
                let file = FileChange::Renamed {
                    from: before.path.clone(),
                };
                procedures.push(procedure_diff(
                    entry,
                    file,
                    changes(before.procedure, entry.procedure),
                ));
            }
            None => procedures.push(procedure_diff(entry, FileChange::Added, Vec::new())),
        }
    }
    for entry in removed {
        procedures.push(procedure_diff(entry, FileChange::Removed, Vec::new()));
    }
    procedures.sort_by(|a, b| a.path.cmp(&b.path));
    let mut broken: Vec<String> = new
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| relative(&d.path, new_dir))
        .collect();
    broken.dedup();
    Diff { procedures, broken }
}

/// Whether a removed and an added file are the same procedure under a new name.
fn same_procedure(old: &Procedure, new: &Procedure) -> bool {
    if old.meta.codes.is_empty() && new.meta.codes.is_empty() {
        old.meta.title == new.meta.title
    } else {
        old.meta.codes.iter().any(|c| new.meta.codes.contains(c))
    }
}

fn procedure_diff(entry: &Entry, file: FileChange, changes: Vec<Change>) -> ProcedureDiff {
    ProcedureDiff {
        id: entry.procedure.id().to_string(),
        title: entry.procedure.meta.title.clone(),
        path: entry.path.clone(),
        file,
        changes,
    }
}

/// How a paper is described when it is added: what to do with it, how many, in which case.
fn paper_detail(document: &Document, procedure: &Procedure) -> String {
    let mut parts = vec![action_label(document.action).to_string()];
    let counted = counts(document);
    if !counted.is_empty() {
        parts.push(counted);
    }
    if let Some(case) = case_of(&document.when, procedure) {
        parts.push(format!("chỉ khi: {case}"));
    }
    if document.optional {
        parts.push("không bắt buộc".into());
    }
    parts.join(" · ")
}

/// What changed for residents from `old` to `new`.
fn changes(old: &Procedure, new: &Procedure) -> Vec<Change> {
    let (o, n) = (&old.meta, &new.meta);
    let mut out = Vec::new();
    if o.title != n.title {
        out.push(Change::Title {
            old: o.title.clone(),
            new: n.title.clone(),
        });
    }
    if o.agency.name != n.agency.name {
        out.push(Change::Agency {
            old: o.agency.name.clone(),
            new: n.agency.name.clone(),
        });
    }
    for before in &o.channels {
        let method = method_label(before.method).to_string();
        match n.channels.iter().find(|c| c.method == before.method) {
            None => out.push(Change::ChannelRemoved { method }),
            Some(after) => {
                if before.time != after.time {
                    out.push(Change::ChannelTime {
                        method: method.clone(),
                        old: before.time.clone(),
                        new: after.time.clone(),
                    });
                }
                if before.fee != after.fee {
                    out.push(Change::ChannelFee {
                        method,
                        old: before.fee.clone(),
                        new: after.fee.clone(),
                    });
                }
            }
        }
    }
    for after in n
        .channels
        .iter()
        .filter(|a| !o.channels.iter().any(|b| b.method == a.method))
    {
        out.push(Change::ChannelAdded {
            method: method_label(after.method).to_string(),
            time: after.time.clone(),
            fee: after.fee.clone(),
        });
    }
    // A paper may be listed twice under one name, for different cases: pair same name and same
    // case first, then same name.
    let mut used = vec![false; n.documents.len()];
    let mut pairs = vec![None; o.documents.len()];
    for exact in [true, false] {
        for (i, before) in o.documents.iter().enumerate() {
            if pairs[i].is_some() {
                continue;
            }
            let found = n.documents.iter().enumerate().position(|(j, d)| {
                !used[j] && d.name == before.name && (!exact || d.when == before.when)
            });
            if let Some(j) = found {
                used[j] = true;
                pairs[i] = Some(j);
            }
        }
    }
    for (before, pair) in o.documents.iter().zip(&pairs) {
        let Some(after) = pair.map(|j| &n.documents[j]) else {
            out.push(Change::PaperRemoved {
                name: before.name.clone(),
            });
            continue;
        };
        let yes_no = |optional: bool| {
            if optional {
                "không bắt buộc"
            } else {
                "bắt buộc"
            }
            .to_string()
        };
        let case = |d: &Document, p: &Procedure| {
            case_of(&d.when, p).unwrap_or_else(|| "mọi trường hợp".into())
        };
        let fields = [
            (
                "việc cần làm",
                action_label(before.action).to_string(),
                action_label(after.action).to_string(),
            ),
            ("số bản", counts(before), counts(after)),
            ("trường hợp", case(before, old), case(after, new)),
            ("bắt buộc", yes_no(before.optional), yes_no(after.optional)),
        ];
        for (what, was, is) in fields {
            if was != is {
                out.push(Change::PaperChanged {
                    name: before.name.clone(),
                    what: what.to_string(),
                    old: if was.is_empty() {
                        "không mang".into()
                    } else {
                        was
                    },
                    new: if is.is_empty() {
                        "không mang".into()
                    } else {
                        is
                    },
                });
            }
        }
    }
    for (after, _) in n.documents.iter().zip(&used).filter(|(_, used)| !**used) {
        out.push(Change::PaperAdded {
            name: after.name.clone(),
            detail: paper_detail(after, new),
        });
    }
    let removed_steps: Vec<&String> = o.steps.iter().filter(|s| !n.steps.contains(s)).collect();
    let added_steps: Vec<&String> = n.steps.iter().filter(|s| !o.steps.contains(s)).collect();
    for text in &removed_steps {
        out.push(Change::StepRemoved {
            text: (*text).clone(),
        });
    }
    for text in &added_steps {
        out.push(Change::StepAdded {
            text: (*text).clone(),
        });
    }
    if removed_steps.is_empty() && added_steps.is_empty() && o.steps != n.steps {
        out.push(Change::StepsReordered);
    }
    let describe = |q: &crate::model::Question| {
        let answers: Vec<&str> = q.answers().into_iter().map(|(_, label)| label).collect();
        format!("{} ({})", q.text, answers.join(" / "))
    };
    for before in &o.questions {
        match n.questions.iter().find(|q| q.id == before.id) {
            None => out.push(Change::QuestionRemoved {
                text: before.text.clone(),
            }),
            Some(after) if describe(before) != describe(after) => {
                out.push(Change::QuestionChanged {
                    old: describe(before),
                    new: describe(after),
                })
            }
            Some(_) => {}
        }
    }
    for after in n
        .questions
        .iter()
        .filter(|a| !o.questions.iter().any(|b| b.id == a.id))
    {
        out.push(Change::QuestionAdded {
            text: describe(after),
        });
    }
    for before in o
        .legal_basis
        .iter()
        .filter(|b| !n.legal_basis.iter().any(|a| a.number == b.number))
    {
        out.push(Change::LegalRemoved {
            number: before.number.clone(),
            title: before.title.clone(),
        });
    }
    for after in n
        .legal_basis
        .iter()
        .filter(|a| !o.legal_basis.iter().any(|b| b.number == a.number))
    {
        out.push(Change::LegalAdded {
            number: after.number.clone(),
            title: after.title.clone(),
        });
    }
    for note in n.changes.iter().filter(|c| !o.changes.contains(c)) {
        out.push(Change::Note {
            date: note.date.vietnamese(),
            note: note.note.clone(),
        });
    }
    out
}

/// What happened to a file, in words.
fn file_sentence(procedure: &ProcedureDiff) -> String {
    match &procedure.file {
        FileChange::Added => "thủ tục mới".to_string(),
        FileChange::Removed => "đã xóa: người dân không còn thấy trang này".to_string(),
        FileChange::Renamed { from } => format!("đổi tên tệp từ {from}"),
        FileChange::Moved { from } => format!("chuyển từ {from}"),
        FileChange::Changed => "sửa nội dung".to_string(),
    }
}

const NOTHING: &str = "Không có thay đổi nào cho người dân.";
const BROKEN: &str = "Tệp có lỗi, chưa so sánh được (chạy `giayto check`)";

/// The diff in `format`, ending with a newline.
pub fn render(diff: &Diff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Json => {
            let mut json = serde_json::to_string_pretty(diff).expect("a diff is plain data");
            json.push('\n');
            json
        }
        DiffFormat::Text => {
            let mut out = String::new();
            for p in &diff.procedures {
                out.push_str(&format!(
                    "{} — {} ({}): {}\n",
                    p.path,
                    p.title,
                    p.id,
                    file_sentence(p)
                ));
                for change in &p.changes {
                    let (sign, sentence) = change.sentence();
                    out.push_str(&format!("  {sign} {sentence}\n"));
                }
            }
            for path in &diff.broken {
                out.push_str(&format!("{path}: {BROKEN}\n"));
            }
            if out.is_empty() {
                out = format!("{NOTHING}\n");
            }
            out
        }
        DiffFormat::Markdown => {
            let mut out = String::from("## Thay đổi cho người dân\n\n");
            if diff.procedures.is_empty() && diff.broken.is_empty() {
                out.push_str(&format!("{NOTHING}\n"));
            }
            for p in &diff.procedures {
                out.push_str(&format!(
                    "### {} (`{}`)\n\n`{}`: {}\n\n",
                    markdown_text(&p.title),
                    p.id,
                    p.path,
                    file_sentence(p)
                ));
                for change in &p.changes {
                    out.push_str(&format!("- {}\n", markdown_text(&change.sentence().1)));
                }
                if !p.changes.is_empty() {
                    out.push('\n');
                }
            }
            if !diff.broken.is_empty() {
                out.push_str(&format!("### {BROKEN}\n\n"));
                for path in &diff.broken {
                    out.push_str(&format!("- `{path}`\n"));
                }
            }
            out
        }
    }
}

/// Text with the characters Markdown would read as markup escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '`'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Compares the folders, or `new` with its own version at git revision `git`, and prints the
/// diff to `out`. Returns whether anything changed.
pub fn run(
    old: Option<&Path>,
    new: &Path,
    git: Option<&str>,
    format: DiffFormat,
    today: NaiveDate,
    out: &mut impl Write,
) -> anyhow::Result<bool> {
    let extracted;
    let old_dir: PathBuf = match (old, git) {
        (Some(old), None) => old.to_path_buf(),
        (None, Some(rev)) => {
            extracted = extract_revision(new, rev)?;
            extracted.path().join("procedures")
        }
        _ => bail!("give two folders (OLD NEW), or --git REV and at most one folder"),
    };
    let old_content = if old_dir.is_dir() {
        content::load_dir(&old_dir, today)?
    } else {
        Content::default()
    };
    let new_content = content::load_dir(new, today)?;
    let diff = compare(&old_content, &old_dir, &new_content, new);
    out.write_all(render(&diff, format).as_bytes())?;
    Ok(!diff.procedures.is_empty())
}

/// Writes the files of folder `dir` as they were at git revision `rev` into a temporary folder,
/// under `procedures/`.
fn extract_revision(dir: &Path, rev: &str) -> anyhow::Result<tempfile::TempDir> {
    let git = |args: &[&str], cwd: &Path| -> anyhow::Result<Vec<u8>> {
        let output = Command::new("git")
            .args(args)
            .current_dir(cwd)
            .output()
            .with_context(|| format!("running git {}", args.join(" ")))?;
        if !output.status.success() {
            bail!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(output.stdout)
    };
    let prefix = String::from_utf8(git(&["rev-parse", "--show-prefix"], dir)?)
        .context("reading the folder's path in the repository")?;
    let prefix = prefix.trim_end_matches('\n');
    let pathspec = if prefix.is_empty() { "." } else { prefix };
    let listing = git(
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            "--full-tree",
            rev,
            "--",
            pathspec,
        ],
        dir,
    )?;
    let root = tempfile::tempdir().context("making a temporary folder")?;
    let target = root.path().join("procedures");
    std::fs::create_dir_all(&target)?;
    for name in listing.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name);
        let inside = name.strip_prefix(prefix).unwrap_or(&name);
        let bytes = git(&["show", &format!("{rev}:{name}")], dir)?;
        let path = target.join(inside);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(root)
}
