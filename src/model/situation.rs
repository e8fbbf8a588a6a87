//! A situation (*tình huống*): what happened to a resident ("người thân vừa mất"), and the
//! procedures it involves, in order, each with when it applies.
//!
//! Situations are content like procedures: one file each in `procedures/_situations/<id>.md`,
//! YAML front matter and a short Markdown text. As with procedures, these types are the file
//! format: their doc comments are the key descriptions of `procedures/_situations/schema.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::Date;
use super::procedure::Question;

/// The YAML front matter of one situation file (`procedures/_situations/<id>.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "giayto situation file front matter")]
pub struct SituationMeta {
    /// Stable ASCII identifier, equal to the file name without `.md` (e.g. `nguoi-than-qua-doi`).
    pub id: String,
    /// What happened, as residents say it (e.g. "Người thân vừa mất").
    pub title: String,
    /// English title (e.g. "When someone dies").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// One plain sentence saying what this page helps with.
    pub summary: String,
    /// Other ways residents say it: without diacritics, colloquial and Southern words.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The procedures this situation involves, in the order they are done.
    pub procedures: Vec<SituationStep>,
    /// The day a reviewer last checked this file against the procedure files (YYYY-MM-DD).
    pub last_reviewed: Date,
}

/// One procedure of a situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SituationStep {
    /// The procedure's `id` (its file name without `.md`).
    pub id: String,
    /// When it applies, in plain words (e.g. "Nếu người mất đang hưởng trợ cấp xã hội hằng tháng").
    /// Leave out when it always applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies: Option<String>,
    /// The deadline, only for a procedure whose file gives none (its own `deadline` is shown
    /// otherwise, so the two can never disagree).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// What to know about this step in this situation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The file of questions shared by several procedure files (`procedures/questions.yaml`).
///
/// A procedure question whose `id` is listed here is this shared question: it must offer only
/// these answers, with these labels, so that one answer on a situation page serves every file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "giayto shared questions")]
pub struct SharedQuestionsFile {
    /// The shared questions: `id`, `text` as a situation page asks it, and `options` (none for yes/no).
    pub questions: Vec<Question>,
}

/// A loaded situation: its front matter and its Markdown text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Situation {
    /// Everything declared in the front matter.
    #[serde(flatten)]
    pub meta: SituationMeta,
    /// The Markdown text after the front matter.
    pub body: String,
    /// The file it was read from.
    #[serde(skip)]
    pub path: std::path::PathBuf,
}

impl Situation {
    /// The stable identifier, equal to the file name.
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The ids of its procedures, in order.
    pub fn procedure_ids(&self) -> Vec<String> {
        self.meta.procedures.iter().map(|s| s.id.clone()).collect()
    }
}
