//! Situation files (`_situations/<id>.md`) and the shared questions of `questions.yaml`.
//!
//! A situation names procedures by id, in order; `check` reports a name with no file, a step
//! listed twice, and a deadline written both here and in the procedure file (the procedure's own
//! `deadline` is what the page shows, so the two can never disagree). A procedure question whose
//! id is in `questions.yaml` is that shared question: it must offer only the shared answers, with
//! the shared labels, so one answer on a situation page serves every file that asks it.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;

use super::structure::{bilingual, did_you_mean};
use super::validate::check_id;
use super::yaml_tree::{Node, Step};
use super::{Parsed, SHARED_QUESTIONS_FILE, SITUATIONS_DIR, decode, parse_yaml, split_file};
use crate::diagnostics::Diagnostic;
use crate::model::{Procedure, Question, SharedQuestionsFile, Situation, SituationMeta};

fn key(name: &str) -> Step {
    Step::Key(name.to_string())
}

/// Reads `questions.yaml`; `None` when it is missing (no question is shared) or broken.
pub(super) fn load_shared_questions(
    dir: &Path,
    out: &mut Vec<Diagnostic>,
) -> anyhow::Result<Option<(SharedQuestionsFile, Node)>> {
    let path = dir.join(SHARED_QUESTIONS_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let text = match decode(&path, &bytes) {
        Ok(text) => text,
        Err(d) => {
            out.push(d);
            return Ok(None);
        }
    };
    let schema = crate::model::shared_questions_schema();
    let Some((file, tree)) = parse_yaml::<SharedQuestionsFile>(&path, text, 1, &schema, out) else {
        return Ok(None);
    };
    let mut failed = false;
    for (i, question) in file.questions.iter().enumerate() {
        let at = |rest: &str| tree.position_of(&[key("questions"), Step::Index(i), key(rest)]);
        if file.questions[..i].iter().any(|q| q.id == question.id) {
            // The first declaration is the one used.
            out.push(Diagnostic::error(
                &path,
                at("id"),
                "duplicate-question",
                bilingual(
                    &format!("câu hỏi `{}` đã có ở trên", question.id),
                    &format!("question `{}` is declared twice", question.id),
                ),
            ));
        }
        if !question.when.is_empty() {
            failed = true;
            out.push(
                Diagnostic::error(
                    &path,
                    at("when"),
                    "shared-when",
                    bilingual(
                        "câu hỏi dùng chung không có `when`: mỗi tệp thủ tục tự ghi khi nào hỏi",
                        "a shared question has no `when`: each procedure file says when it asks it",
                    ),
                )
                .with_hint("Xóa `when` ở đây / remove `when` here"),
            );
        }
    }
    Ok((!failed).then_some((file, tree)))
}

/// The answers of a question as `(id, label)` pairs, for comparing two declarations.
fn answers(question: &Question) -> Vec<(String, String)> {
    question
        .answers()
        .into_iter()
        .map(|(id, label)| (id.to_string(), label.to_string()))
        .collect()
}

/// Checks every procedure question whose id is shared against `questions.yaml`; returns the
/// indexes of files that disagree (they are not served).
pub(super) fn check_shared(
    parsed: &[Parsed],
    shared: &SharedQuestionsFile,
    shared_tree: &Node,
    out: &mut Vec<Diagnostic>,
) -> HashSet<usize> {
    let mut rejected = HashSet::new();
    for (i, p) in parsed.iter().enumerate() {
        for (j, question) in p.procedure.meta.questions.iter().enumerate() {
            let Some(k) = shared.questions.iter().position(|s| s.id == question.id) else {
                continue;
            };
            let common = &shared.questions[k];
            let common_answers = answers(common);
            let line = shared_tree
                .position_of(&[key("questions"), Step::Index(k), key("id")])
                .line;
            for (id, label) in answers(question) {
                let problem = match common_answers.iter().find(|(c, _)| *c == id) {
                    None => Some((
                        format!("không có câu trả lời `{id}`"),
                        format!("has no answer `{id}`"),
                    )),
                    Some((_, common_label)) if *common_label != label => Some((
                        format!(
                            "ghi câu trả lời `{id}` là \"{common_label}\", tệp này ghi \"{label}\""
                        ),
                        format!("labels answer `{id}` \"{common_label}\", this file \"{label}\""),
                    )),
                    Some(_) => None,
                };
                let Some((vi, en)) = problem else { continue };
                let all = common_answers
                    .iter()
                    .map(|(id, label)| format!("`{id}` ({label})"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(
                    Diagnostic::error(
                        &p.display_path,
                        p.tree.position_of(&[key("questions"), Step::Index(j), key("id")]),
                        "shared-question-differs",
                        bilingual(
                            &format!("câu hỏi `{}` là câu hỏi dùng chung ({SHARED_QUESTIONS_FILE} dòng {line}), nhưng câu hỏi chung {vi}", question.id),
                            &format!("question `{}` is shared ({SHARED_QUESTIONS_FILE} line {line}), but the shared question {en}", question.id),
                        ),
                    )
                    .with_hint(format!(
                        "Dùng đúng các câu trả lời chung: {all}; hoặc đổi `id` nếu đây là câu hỏi khác / use the shared answers, or rename the question if it is a different one"
                    )),
                );
                rejected.insert(i);
            }
        }
    }
    rejected
}

/// Loads every `_situations/*.md` file; a missing folder means no situation.
pub(super) fn load_situations(
    dir: &Path,
    procedures: &[Procedure],
    file_ids: &[String],
    today: NaiveDate,
    out: &mut Vec<Diagnostic>,
) -> anyhow::Result<Vec<Situation>> {
    let folder = dir.join(SITUATIONS_DIR);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", folder.display())),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", folder.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !name.starts_with('.') && name != "README.md" {
            files.push(entry.path());
        }
    }
    files.sort();
    let mut situations: Vec<Situation> = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut found = Vec::new();
        let situation = parse(&path, &bytes, procedures, file_ids, today, &mut found);
        let failed = found.iter().any(Diagnostic::is_error);
        out.append(&mut found);
        if let Some(situation) = situation.filter(|_| !failed) {
            situations.push(situation);
        }
    }
    Ok(situations)
}

/// Parses and checks one situation file.
fn parse(
    path: &Path,
    bytes: &[u8],
    procedures: &[Procedure],
    file_ids: &[String],
    today: NaiveDate,
    out: &mut Vec<Diagnostic>,
) -> Option<Situation> {
    let text = match decode(path, bytes) {
        Ok(text) => text,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let split = split_file(path, text, out)?;
    let schema = schema_of_situation();
    let (meta, tree) =
        parse_yaml::<SituationMeta>(path, split.yaml, split.yaml_first_line, schema, out)?;
    let error = |steps: &[Step], code: &'static str, vi: String, en: String| {
        Diagnostic::error(path, tree.position_of(steps), code, bilingual(&vi, &en))
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.extend(check_id(path, &tree, &meta.id, &stem));
    if meta.procedures.is_empty() {
        out.push(error(
            &[key("procedures")],
            "empty-value",
            "tình huống cần ít nhất một thủ tục (`procedures`)".into(),
            "a situation needs at least one procedure (`procedures`)".into(),
        ));
    }
    if meta.last_reviewed.0 > today {
        out.push(error(
            &[key("last_reviewed")],
            "future-date",
            format!(
                "`last_reviewed` {} là ngày trong tương lai",
                meta.last_reviewed
            ),
            format!("`last_reviewed` {} is in the future", meta.last_reviewed),
        ));
    }
    for (i, step) in meta.procedures.iter().enumerate() {
        let here = |name: &str| [key("procedures"), Step::Index(i), key(name)];
        if !file_ids.contains(&step.id) {
            let hint = match did_you_mean(&step.id, file_ids.iter().map(String::as_str)) {
                Some(s) => format!("có phải là `{s}`? / did you mean `{s}`?"),
                None => {
                    "Ghi `id` của một tệp trong procedures/ / give the id of a file in procedures/"
                        .into()
                }
            };
            out.push(
                error(
                    &here("id"),
                    "unknown-procedure",
                    format!("không có thủ tục nào có `id` `{}`", step.id),
                    format!("no procedure has the id `{}`", step.id),
                )
                .with_hint(hint),
            );
        }
        if meta.procedures[..i].iter().any(|s| s.id == step.id) {
            out.push(error(
                &here("id"),
                "duplicate-step",
                format!("thủ tục `{}` đã có ở trên", step.id),
                format!("procedure `{}` is listed twice", step.id),
            ));
        }
        let own = procedures
            .iter()
            .find(|p| p.id() == step.id)
            .and_then(|p| p.meta.deadline.as_ref());
        if let (Some(_), Some(own)) = (&step.deadline, own) {
            out.push(
                error(
                    &here("deadline"),
                    "deadline-twice",
                    format!("tệp thủ tục `{}` đã ghi thời hạn: \"{own}\"", step.id),
                    format!("the procedure file `{}` already gives its deadline: \"{own}\"", step.id),
                )
                .with_hint("Xóa `deadline` ở đây: trang tình huống hiện thời hạn của tệp thủ tục / remove it here: the page shows the procedure's own deadline"),
            );
        }
    }
    Some(Situation {
        meta,
        body: split.body.to_string(),
        path: path.to_path_buf(),
    })
}

fn schema_of_situation() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(crate::model::situation_schema)
}
