//! The front matter of a procedure file: every key a union member may write, with its meaning.
//!
//! These types are the single source of truth for the file format. The doc comments on each field
//! are copied into `procedures/schema.json`, so editors show them as completion hints; keep them
//! short, plain and exact. Unknown keys are refused (`deny_unknown_fields`) so that a misspelt key
//! is an error, never a silently ignored value.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::Date;

/// The YAML front matter of one procedure file (`procedures/<category>/<id>.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "giayto procedure file front matter")]
pub struct FrontMatter {
    /// Stable ASCII identifier, equal to the file name without `.md` (e.g. `dang-ky-khai-sinh`).
    pub id: String,
    /// Vietnamese title as residents and the one-stop desk call the procedure.
    pub title: String,
    /// English title, for foreign residents and translators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// One plain sentence saying what the procedure is for.
    pub summary: String,
    /// `procedure` for an administrative procedure, `guide` for a digital how-to (VNeID, the portal).
    pub kind: Kind,
    /// National procedure codes from the national procedure database, e.g. `"1.001193"`.
    /// Quote them so YAML keeps them as text. Empty for guides.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Who may or must apply (e.g. "Cha, mẹ hoặc người thân thích của trẻ").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicants: Option<String>,
    /// Where to go and who decides.
    pub agency: Agency,
    /// A legal deadline for the resident, if any (e.g. "Trong 60 ngày kể từ ngày sinh").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// What the resident receives at the end (e.g. "Trích lục khai sinh (bản chính)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// The ways to apply, each with its own processing time and fee.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Questions about the resident's situation; documents refer to them with `when:`.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// The papers to bring, submit, show or upload.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The steps in order, each a line of inline Markdown. For guides: screens and buttons in order.
    pub steps: Vec<String>,
    /// The legal documents this procedure rests on.
    #[serde(default)]
    pub legal_basis: Vec<LegalDocument>,
    /// What residents type: colloquial and Southern phrasings, text without diacritics, abbreviations.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Ids of related procedures in this knowledge base.
    #[serde(default)]
    pub related: Vec<String>,
    /// Where the facts in this file were checked (portal pages, legal texts).
    #[serde(default)]
    pub sources: Vec<Source>,
    /// The day a reviewer last checked this file against its sources (YYYY-MM-DD).
    pub last_reviewed: Date,
    /// What this file was checked against, field by field: the national procedure records of its
    /// codes, and the official texts (legal texts, official guides, app screens) it follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
    /// Details the authors are not sure of, for reviewers to check. Shown to editors, not residents.
    #[serde(default)]
    pub review_notes: Vec<String>,
    /// Edits that matter to residents (a fee, a paper, a channel), newest first, each dated. The
    /// page shows "Cập nhật ngày …" from the newest one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeNote>,
}

/// A dated note about an edit that matters to residents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeNote {
    /// The day the change took effect or was made in this file (YYYY-MM-DD).
    pub date: Date,
    /// What changed, in one plain sentence (e.g. "Lệ phí trực tuyến giảm còn 7.000 đồng").
    pub note: String,
}

/// What kind of entry a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An administrative procedure with a national code, handled by an agency.
    Procedure,
    /// A digital how-to: using VNeID, the public service portal, QR codes.
    Guide,
}

/// Where the resident goes and who decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Where to submit, as residents know it (e.g. "Bộ phận Một cửa của UBND xã, phường").
    pub name: String,
    /// Who decides, if not the same (e.g. "Chủ tịch UBND cấp xã").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decides: Option<String>,
    /// Anything else about where to go (e.g. "Nộp ở bất kỳ Công an cấp xã nào").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One way to apply, with its own time and fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// `in_person`, `online` or `post`.
    pub method: ChannelMethod,
    /// Processing time as the law states it (e.g. "03 ngày làm việc").
    pub time: String,
    /// The fee as the law or the provincial council states it (e.g. "Miễn lệ phí", "20.000 đồng/lần").
    pub fee: String,
    /// Who is exempt from the fee, word for word from the legal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemptions: Option<String>,
    /// Online only: the link to the procedure on the portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Online only: `full` (toàn trình) or `partial` (một phần).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_level: Option<OnlineLevel>,
    /// Anything else residents should know about this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Only in this situation (e.g. the fee of a late registration): question id → answer id, all
    /// must hold. A channel may then be listed once per case.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: BTreeMap<String, String>,
}

/// How a dossier reaches the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelMethod {
    /// At the one-stop desk (trực tiếp).
    InPerson,
    /// On the public service portal or VNeID (trực tuyến).
    Online,
    /// By public postal service (bưu chính công ích).
    Post,
}

/// How much of a procedure can be done online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình: the whole procedure, result included, online.
    Full,
    /// Một phần: submit online, but go in person for part of it (to show originals, sign, collect).
    Partial,
}

/// A question about the resident's situation that decides which documents apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Short ASCII identifier used in `when:` (e.g. `sinh_tai_co_so_y_te`).
    pub id: String,
    /// The question as a volunteer would ask it (e.g. "Trẻ có sinh tại bệnh viện, trạm y tế không?").
    pub text: String,
    /// The possible answers. Leave out for a yes/no question: the answers are then `co` and `khong`.
    #[serde(default)]
    pub options: Vec<AnswerOption>,
    /// Ask it only in this case: question id → answer id, all must hold (e.g. `{sinh_tai_co_so_y_te: khong}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: BTreeMap<String, String>,
}

/// One possible answer to a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// Short ASCII identifier used in `when:` (e.g. `qua_han`).
    pub id: String,
    /// The answer as shown to the resident (e.g. "Đăng ký sau 60 ngày kể từ ngày sinh").
    pub label: String,
}

/// The answers of a yes/no question.
pub const YES_NO: [(&str, &str); 2] = [("co", "Có"), ("khong", "Không")];

impl Question {
    /// The answers a `when:` may name: the declared options, or `co`/`khong` for a yes/no question.
    pub fn answers(&self) -> Vec<(&str, &str)> {
        if self.options.is_empty() {
            YES_NO.to_vec()
        } else {
            self.options
                .iter()
                .map(|o| (o.id.as_str(), o.label.as_str()))
                .collect()
        }
    }

    /// The label of an answer id, if the question has it.
    pub fn answer_label(&self, answer: &str) -> Option<&str> {
        self.answers()
            .into_iter()
            .find(|(id, _)| *id == answer)
            .map(|(_, label)| label)
    }
}

/// One paper in the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The paper's name as the counter calls it (e.g. "Giấy chứng sinh").
    pub name: String,
    /// What the resident does with it: `submit`, `show`, `upload` or `lookup` (nothing to bring).
    pub action: DocumentAction,
    /// How many originals (bản chính).
    #[serde(default)]
    pub originals: u32,
    /// How many copies (bản sao).
    #[serde(default)]
    pub copies: u32,
    /// What kind of copy is accepted: `certified` (chứng thực), `plain` (bản chụp) or `any`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_kind: Option<CopyKind>,
    /// The official form, if the paper is a form to fill in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Form>,
    /// Only in this situation: question id → answer id; all must hold (e.g. `{sinh_tai_co_so_y_te: khong}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: BTreeMap<String, String>,
    /// `true` if the paper helps but is not required.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// What to know about this paper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What to do when the resident does not have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_missing: Option<String>,
}

impl Document {
    /// Whether the paper applies to everyone, with no `when:` condition.
    pub fn is_unconditional(&self) -> bool {
        self.when.is_empty()
    }
}

/// What the resident does with a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentAction {
    /// Hand it in (nộp); the office keeps it.
    Submit,
    /// Show it at the counter (xuất trình); the resident takes it home.
    Show,
    /// Upload a photo or scan (online channel).
    Upload,
    /// Nothing to bring: the office looks it up in a national database.
    Lookup,
}

/// What kind of copy an office accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// A certified copy (bản sao có chứng thực) or a copy extracted from the register.
    Certified,
    /// A plain photocopy or printout (bản chụp), shown with the original.
    Plain,
    /// Either kind.
    Any,
}

/// An official form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// The form's name and number (e.g. "Tờ khai đăng ký khai sinh (Mẫu TT 04/2020/TT-BTP)").
    pub name: String,
    /// Where to download it, if it has a stable public link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A legal document the procedure rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalDocument {
    /// Its number (e.g. "60/2014/QH13", "123/2015/NĐ-CP").
    pub number: String,
    /// Its title (e.g. "Luật Hộ tịch").
    pub title: String,
    /// The day it was issued (YYYY-MM-DD).
    pub date: Date,
    /// Which articles matter, or what it changed (e.g. "Điều 16").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a file was checked against, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// The day the file was checked against these records and texts (YYYY-MM-DD).
    pub on: Date,
    /// The national procedure records checked, one per code of this file.
    #[serde(default)]
    pub records: Vec<RecordCheck>,
    /// Official texts followed besides the records, or instead of them where no record exists: a
    /// legal text, the official guide or the app screens a guide follows.
    #[serde(default)]
    pub texts: Vec<OfficialText>,
}

/// One record of the national procedure database (Cơ sở dữ liệu quốc gia về thủ tục hành chính).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCheck {
    /// The record's national code, one of this file's `codes` (e.g. `"1.000656"`).
    pub code: String,
    /// The decision that published the record (e.g. "163/QĐ-BTP").
    pub decision: String,
    /// The record's page on the national public service portal.
    pub url: String,
}

/// An official text a file was checked against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficialText {
    /// What it is (e.g. "Nghị định số 07/2025/NĐ-CP", "Hướng dẫn sử dụng VNeID của Bộ Công an").
    pub title: String,
    /// The day it was issued or published (YYYY-MM-DD), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Where to read it, if it has a stable public address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Where a fact was checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What the page is (e.g. "Cổng Dịch vụ công quốc gia — thủ tục 1.001193").
    pub title: String,
    /// Its address.
    pub url: String,
}
