//! The content model: what a procedure is, independent of how it is stored, searched or served.
//!
//! Nothing here knows about files, the web or the search index; the loader in [`crate::content`]
//! turns files into these values, and everything else reads them.

mod category;
pub mod condition;
mod date;
mod procedure;
mod situation;

use std::path::PathBuf;

use serde::Serialize;

pub use category::{CategoriesFile, Category};
pub use condition::{Applies, Condition};
pub use date::Date;
pub use procedure::{
    Agency, AnswerOption, ChangeNote, Channel, ChannelMethod, CopyKind, Document, DocumentAction,
    Form, FrontMatter, Kind, LegalDocument, OfficialText, OnlineLevel, Question, RecordCheck,
    Source, Verification, YES_NO,
};
pub use situation::{SharedQuestionsFile, Situation, SituationMeta, SituationStep};

/// A loaded procedure: its front matter, where it came from and its Markdown body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Procedure {
    /// Everything declared in the front matter.
    #[serde(flatten)]
    pub meta: FrontMatter,
    /// The category id: the folder the file sits in.
    pub category: String,
    /// The Markdown body after the front matter (background, special cases, common mistakes).
    pub body: String,
    /// The file it was read from, relative to the procedures folder.
    #[serde(skip)]
    pub path: PathBuf,
}

impl Procedure {
    /// The stable identifier, equal to the file name.
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The question of this file with that id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.meta.questions.iter().find(|q| q.id == id)
    }
}

/// The JSON Schema of situation front matter, generated from the Rust types.
pub fn situation_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(SituationMeta)).expect("a schema is always JSON")
}

/// The JSON Schema of `questions.yaml`, generated from the Rust types.
pub fn shared_questions_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(SharedQuestionsFile))
        .expect("a schema is always JSON")
}

/// The JSON Schema of procedure front matter, generated from the Rust types.
pub fn front_matter_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(FrontMatter)).expect("a schema is always JSON")
}
