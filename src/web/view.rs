//! What the templates see: procedures turned into plain, ready-to-show values.
//!
//! Every Vietnamese label for a model value (a channel, a paper's action, a copy kind) is chosen
//! here, once, so the templates only lay things out. Fields named `*_html` hold Markdown already
//! rendered and sanitised by [`crate::content::markdown`]; they are the only values a template may
//! print with `|safe`. Everything else is plain text and is escaped by the templates.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::markdown;
pub use crate::model::Applies;
use crate::model::{
    Category, Channel, ChannelMethod, Condition, CopyKind, Document, DocumentAction, OnlineLevel,
    Procedure, Question, RecordCheck, Situation, Verification, condition,
};

/// A link to a procedure, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct ProcedureLink {
    /// The procedure id (used in addresses and form values).
    pub id: String,
    /// The Vietnamese title.
    pub title: String,
    /// The one-sentence summary.
    pub summary: String,
}

impl ProcedureLink {
    /// The link of a procedure.
    pub fn of(procedure: &Procedure) -> Self {
        ProcedureLink {
            id: procedure.id().to_string(),
            title: procedure.meta.title.clone(),
            summary: procedure.meta.summary.clone(),
        }
    }
}

/// A category with its procedures, for the home page and category pages.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    /// The category id (the folder name).
    pub id: String,
    /// The display name.
    pub name: String,
    /// What the category holds.
    pub description: Option<String>,
    /// Its procedures, by title.
    pub procedures: Vec<ProcedureLink>,
}

impl CategoryView {
    /// The category with its procedures taken from `procedures`, sorted by title.
    pub fn of(category: &Category, procedures: &[Procedure]) -> Self {
        let mut links: Vec<ProcedureLink> = procedures
            .iter()
            .filter(|p| p.category == category.id)
            .map(ProcedureLink::of)
            .collect();
        links.sort_by(|a, b| a.title.cmp(&b.title));
        CategoryView {
            id: category.id.clone(),
            name: category.name.clone(),
            description: category.description.clone(),
            procedures: links,
        }
    }
}

/// The answers a resident gave to a procedure's questions, from the page address.
///
/// Only known questions with one of their own answers are kept; anything else in the address is
/// ignored, so a hand-edited or stale link still shows a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    /// Keeps the pairs of `params` that answer a question of `procedure` (the last answer to a
    /// question wins), then drops answers to questions that the other answers say are not asked.
    pub fn from_params<'a>(
        procedure: &Procedure,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        Self::keyed(procedure, params, |question| question.id.clone())
    }

    /// Like [`Answers::from_params`], on a page of several procedures: a shared question is
    /// answered by its own id, any other by `<procedure id>.<question id>`.
    pub fn from_page_params<'a>(
        procedure: &Procedure,
        shared: &[Question],
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        Self::keyed(procedure, params, |question| {
            page_key(procedure, question, shared)
        })
    }

    fn keyed<'a>(
        procedure: &Procedure,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
        key_of: impl Fn(&Question) -> String,
    ) -> Self {
        let keys: Vec<(String, &Question)> = procedure
            .meta
            .questions
            .iter()
            .map(|q| (key_of(q), q))
            .collect();
        let mut answers = BTreeMap::new();
        for (key, value) in params {
            if let Some((_, question)) = keys.iter().find(|(k, _)| k == key)
                && question.answer_label(value).is_some()
            {
                answers.insert(question.id.clone(), value.to_string());
            }
        }
        let mut answers = Answers(answers);
        // A question asked only in a case the answers rule out has no answer.
        loop {
            let not_asked: Vec<String> = procedure
                .meta
                .questions
                .iter()
                .filter(|q| {
                    answers.get(&q.id).is_some()
                        && answers.evaluate(&q.when, procedure) == Applies::No
                })
                .map(|q| q.id.clone())
                .collect();
            if not_asked.is_empty() {
                break answers;
            }
            for id in not_asked {
                answers.0.remove(&id);
            }
        }
    }

    /// What `when` makes of these answers, in `procedure`.
    pub fn evaluate(&self, when: &Condition, procedure: &Procedure) -> Applies {
        condition::evaluate(when, &procedure.meta.questions, |q| self.get(q))
    }

    /// The answers as `(page key, answer)` pairs, for an address of several procedures.
    pub fn page_pairs(&self, procedure: &Procedure, shared: &[Question]) -> Vec<(String, String)> {
        procedure
            .meta
            .questions
            .iter()
            .filter_map(|q| {
                let answer = self.get(&q.id)?;
                Some((page_key(procedure, q, shared), answer.to_string()))
            })
            .collect()
    }

    /// The answers in words, in the order the questions are asked: an option's label, or the
    /// question and "Có"/"Không" for a yes/no question.
    pub fn words(&self, procedure: &Procedure) -> Vec<String> {
        procedure
            .meta
            .questions
            .iter()
            .filter_map(|q| {
                let answer = self.get(&q.id)?;
                let label = q.answer_label(answer)?;
                Some(if q.options.is_empty() {
                    format!("{} {label}", q.text)
                } else {
                    label.to_string()
                })
            })
            .collect()
    }

    /// The answer given to a question, if any.
    pub fn get(&self, question: &str) -> Option<&str> {
        self.0.get(question).map(String::as_str)
    }

    /// Whether no question is answered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The answers as a query string without the leading `?` (empty when none).
    pub fn query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.0)
            .finish()
    }
}

/// The name of a question's field on a page of several procedures: a shared question's own id,
/// or `<procedure id>.<question id>`.
pub fn page_key(procedure: &Procedure, question: &Question, shared: &[Question]) -> String {
    if shared.iter().any(|s| s.id == question.id) {
        question.id.clone()
    } else {
        format!("{}.{}", procedure.id(), question.id)
    }
}

/// A question with its answers, for the form that narrows the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    /// The form field name: the question id (on a situation page, see [`page_key`]).
    pub id: String,
    /// On a situation page, the procedure a question of one file only is for.
    pub for_procedure: Option<String>,
    /// The question.
    pub text: String,
    /// The possible answers.
    pub answers: Vec<AnswerView>,
}

/// One possible answer.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    /// The answer id: the form field value.
    pub id: String,
    /// The answer as shown.
    pub label: String,
    /// Whether the address already gives this answer.
    pub selected: bool,
}

/// One way to apply.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelView {
    /// "Trực tiếp", "Trực tuyến" or "Qua bưu chính".
    pub method: &'static str,
    /// Processing time.
    pub time: String,
    /// Fee.
    pub fee: String,
    /// Who is exempt from the fee.
    pub exemptions: Option<String>,
    /// Online: the portal link.
    pub url: Option<String>,
    /// Online: "toàn trình" or "một phần", with what it means.
    pub online_level: Option<&'static str>,
    /// Anything else about this channel.
    pub note: Option<String>,
    /// The case this line is for, when it has a `when:` the answers do not confirm yet.
    pub case: Option<String>,
}

impl ChannelView {
    fn of(channel: &Channel, procedure: &Procedure, answers: &Answers) -> Self {
        let case = (answers.evaluate(&channel.when, procedure) == Applies::IfCase)
            .then(|| case_of(&channel.when, procedure))
            .flatten();
        ChannelView {
            case,
            method: method_label(channel.method),
            time: channel.time.clone(),
            fee: channel.fee.clone(),
            exemptions: channel.exemptions.clone(),
            url: channel.url.clone(),
            online_level: channel.online_level.map(|level| match level {
                OnlineLevel::Full => "Toàn trình: làm và nhận kết quả hoàn toàn trên mạng",
                OnlineLevel::Partial => {
                    "Một phần: nộp trên mạng, nhưng vẫn phải đến nơi nộp một lần"
                }
            }),
            note: channel.note.clone(),
        }
    }
}

impl QuestionView {
    /// The view of `question` under the form field `name`.
    fn of(question: &Question, name: String, answers: &Answers) -> Self {
        QuestionView {
            id: name,
            for_procedure: None,
            text: question.text.clone(),
            answers: question
                .answers()
                .into_iter()
                .map(|(id, label)| AnswerView {
                    id: id.to_string(),
                    label: label.to_string(),
                    selected: answers.get(&question.id) == Some(id),
                })
                .collect(),
        }
    }
}

/// Channels that share a processing time and a fee, for a compact printed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelGroup {
    /// The channels' names, e.g. "Trực tiếp, Qua bưu chính".
    pub methods: String,
    /// Their processing time.
    pub time: String,
    /// Their fee.
    pub fee: String,
}

/// The channels grouped by identical time and fee, in the order each group first appears.
pub fn channel_groups(channels: &[&Channel]) -> Vec<ChannelGroup> {
    let mut groups: Vec<ChannelGroup> = Vec::new();
    for channel in channels {
        let method = method_label(channel.method);
        match groups
            .iter_mut()
            .find(|g| g.time == channel.time && g.fee == channel.fee)
        {
            Some(group) => {
                group.methods.push_str(", ");
                group.methods.push_str(&method.to_lowercase());
            }
            None => groups.push(ChannelGroup {
                methods: method.to_string(),
                time: channel.time.clone(),
                fee: channel.fee.clone(),
            }),
        }
    }
    groups
}

/// The Vietnamese name of a channel.
pub fn method_label(method: ChannelMethod) -> &'static str {
    match method {
        ChannelMethod::InPerson => "Trực tiếp",
        ChannelMethod::Online => "Trực tuyến",
        ChannelMethod::Post => "Qua bưu chính",
    }
}

/// One paper of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// A number unique on the page, for the tick box's `id`.
    pub number: usize,
    /// The paper's name.
    pub name: String,
    /// What to do with it: "Nộp", "Mang theo để xuất trình", …
    pub action: &'static str,
    /// `submit`, `show`, `upload` or `lookup`, for styling.
    pub action_id: &'static str,
    /// Originals and copies, e.g. "1 bản chính, 2 bản sao có chứng thực"; empty when nothing is brought.
    pub counts: String,
    /// The official form's name.
    pub form_name: Option<String>,
    /// Where to download the form.
    pub form_url: Option<String>,
    /// The case in which it is needed, e.g. "Trẻ có … không? — Không"; `None` when always needed.
    pub case: Option<String>,
    /// Whether it only helps.
    pub optional: bool,
    /// What to know about it.
    pub note: Option<String>,
    /// What to do when the resident does not have it.
    pub if_missing: Option<String>,
    /// Whether it applies given the answers.
    pub applies: Applies,
}

impl DocumentView {
    fn of(number: usize, document: &Document, procedure: &Procedure, answers: &Answers) -> Self {
        DocumentView {
            number,
            name: document.name.clone(),
            action: action_label(document.action),
            action_id: match document.action {
                DocumentAction::Submit => "submit",
                DocumentAction::Show => "show",
                DocumentAction::Upload => "upload",
                DocumentAction::Lookup => "lookup",
            },
            counts: counts(document),
            form_name: document.form.as_ref().map(|f| f.name.clone()),
            form_url: document.form.as_ref().and_then(|f| f.url.clone()),
            case: case_of(&document.when, procedure),
            optional: document.optional,
            note: document.note.clone(),
            if_missing: document.if_missing.clone(),
            applies: answers.evaluate(&document.when, procedure),
        }
    }
}

/// What the resident does with a paper, in Vietnamese.
pub fn action_label(action: DocumentAction) -> &'static str {
    match action {
        DocumentAction::Submit => "Nộp",
        DocumentAction::Show => "Mang theo để xuất trình",
        DocumentAction::Upload => "Tải ảnh lên",
        DocumentAction::Lookup => "Không cần mang: cán bộ tự tra cứu",
    }
}

/// "1 bản chính, 2 bản sao có chứng thực"; empty when nothing is brought.
pub fn counts(document: &Document) -> String {
    let mut parts = Vec::new();
    if document.originals > 0 {
        parts.push(format!("{} bản chính", document.originals));
    }
    if document.copies > 0 {
        let kind = match document.copy_kind {
            Some(CopyKind::Certified) => "bản sao có chứng thực",
            Some(CopyKind::Plain) => "bản chụp (photo)",
            Some(CopyKind::Any) | None => "bản sao hoặc bản chụp",
        };
        parts.push(format!("{} {kind}", document.copies));
    }
    parts.join(", ")
}

/// The case a conditional paper or line is for: each condition as "question — answer", in the
/// order the questions are asked, joined by "; ".
pub fn case_of(when: &Condition, procedure: &Procedure) -> Option<String> {
    if when.is_empty() {
        return None;
    }
    let asked = procedure.meta.questions.iter().filter_map(|question| {
        let answer = when.get(&question.id)?;
        Some(format!(
            "{} — {}",
            question.text,
            question.answer_label(answer).unwrap_or(answer)
        ))
    });
    let unknown = when
        .iter()
        .filter(|(id, _)| procedure.question(id).is_none())
        .map(|(id, answer)| format!("{id} — {answer}"));
    Some(asked.chain(unknown).collect::<Vec<_>>().join("; "))
}

/// A legal document.
#[derive(Debug, Clone, Serialize)]
pub struct LegalView {
    /// Number, e.g. "60/2014/QH13".
    pub number: String,
    /// Title.
    pub title: String,
    /// Issue date, `dd/mm/yyyy`.
    pub date: String,
    /// Which articles matter.
    pub note: Option<String>,
}

/// What a file was checked against, as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationView {
    /// The day of the check, `dd/mm/yyyy`.
    pub on: String,
    /// The national records checked: code, publishing decision and portal page.
    pub records: Vec<RecordCheck>,
    /// The official texts followed, each with its date as `dd/mm/yyyy` if known.
    pub texts: Vec<OfficialTextView>,
}

/// An official text a file was checked against.
#[derive(Debug, Clone, Serialize)]
pub struct OfficialTextView {
    /// What it is.
    pub title: String,
    /// Its date, `dd/mm/yyyy`.
    pub date: Option<String>,
    /// Where to read it.
    pub url: Option<String>,
}

impl VerificationView {
    fn of(verified: &Verification) -> Self {
        VerificationView {
            on: verified.on.vietnamese(),
            records: verified.records.clone(),
            texts: verified
                .texts
                .iter()
                .map(|t| OfficialTextView {
                    title: t.title.clone(),
                    date: t.date.map(|d| d.vietnamese()),
                    url: t.url.clone(),
                })
                .collect(),
        }
    }
}

/// A change note as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// Its date, `dd/mm/yyyy`.
    pub date: String,
    /// What changed.
    pub note: String,
}

/// Everything the procedure page and the printable checklist show.
#[derive(Debug, Clone, Serialize)]
pub struct ProcedureView {
    /// Id.
    pub id: String,
    /// Vietnamese title.
    pub title: String,
    /// English title.
    pub title_en: Option<String>,
    /// One-sentence summary.
    pub summary: String,
    /// Whether it is a digital how-to rather than an administrative procedure.
    pub is_guide: bool,
    /// National procedure codes.
    pub codes: Vec<String>,
    /// Who may apply.
    pub applicants: Option<String>,
    /// Where to go.
    pub agency: String,
    /// Who decides.
    pub decides: Option<String>,
    /// More about where to go.
    pub agency_note: Option<String>,
    /// The legal deadline.
    pub deadline: Option<String>,
    /// What the resident receives.
    pub result: Option<String>,
    /// The ways to apply.
    pub channels: Vec<ChannelView>,
    /// The ways to apply grouped by identical time and fee, for the printed checklist.
    pub channel_groups: Vec<ChannelGroup>,
    /// The first online link, for the "apply online" button.
    pub online_url: Option<String>,
    /// The questions that narrow the checklist.
    pub questions: Vec<QuestionView>,
    /// Whether any question is answered.
    pub answered: bool,
    /// The answers as a query string (no `?`), to carry to the print view.
    pub answers_query: String,
    /// Papers that apply or may apply, in file order.
    pub documents: Vec<DocumentView>,
    /// How many papers the answers rule out (not listed in `documents`).
    pub ruled_out: usize,
    /// The papers the answers rule out, for "Không cần trong trường hợp của bạn".
    pub not_needed: Vec<DocumentView>,
    /// The answers in words, for the top of the printed sheet.
    pub answers_words: Vec<String>,
    /// The steps, as sanitised inline HTML.
    pub steps_html: Vec<String>,
    /// Legal basis.
    pub legal_basis: Vec<LegalView>,
    /// Last review, `dd/mm/yyyy`.
    pub last_reviewed: String,
    /// The date of the newest change note, `dd/mm/yyyy`: "Cập nhật ngày …".
    pub updated: Option<String>,
    /// The change notes, newest first.
    pub changes: Vec<ChangeView>,
    /// What the file was checked against, if it says.
    pub verified: Option<VerificationView>,
    /// Related procedures that exist.
    pub related: Vec<ProcedureLink>,
    /// The Markdown body as sanitised HTML.
    pub body_html: String,
    /// The category id.
    pub category_id: String,
    /// The category name.
    pub category_name: String,
}

impl ProcedureView {
    /// The view of `procedure` given `answers`; `all` resolves related ids, `categories` names.
    pub fn of(
        procedure: &Procedure,
        answers: &Answers,
        all: &[Procedure],
        categories: &[Category],
    ) -> Self {
        let meta = &procedure.meta;
        let mut documents = Vec::new();
        let mut not_needed = Vec::new();
        for (i, document) in meta.documents.iter().enumerate() {
            let view = DocumentView::of(i + 1, document, procedure, answers);
            if view.applies == Applies::No {
                not_needed.push(view);
            } else {
                documents.push(view);
            }
        }
        let channels: Vec<&Channel> = meta
            .channels
            .iter()
            .filter(|c| answers.evaluate(&c.when, procedure) != Applies::No)
            .collect();
        ProcedureView {
            id: meta.id.clone(),
            title: meta.title.clone(),
            title_en: meta.title_en.clone(),
            summary: meta.summary.clone(),
            is_guide: meta.kind == crate::model::Kind::Guide,
            codes: meta.codes.clone(),
            applicants: meta.applicants.clone(),
            agency: meta.agency.name.clone(),
            decides: meta.agency.decides.clone(),
            agency_note: meta.agency.note.clone(),
            deadline: meta.deadline.clone(),
            result: meta.result.clone(),
            channels: channels
                .iter()
                .map(|c| ChannelView::of(c, procedure, answers))
                .collect(),
            channel_groups: channel_groups(&channels),
            online_url: channels
                .iter()
                .filter(|c| c.method == ChannelMethod::Online)
                .find_map(|c| c.url.clone()),
            questions: meta
                .questions
                .iter()
                .filter(|q| answers.evaluate(&q.when, procedure) != Applies::No)
                .map(|q| QuestionView::of(q, q.id.clone(), answers))
                .collect(),
            answered: !answers.is_empty(),
            answers_query: answers.query(),
            answers_words: answers.words(procedure),
            documents,
            ruled_out: not_needed.len(),
            not_needed,
            steps_html: meta
                .steps
                .iter()
                .map(|s| markdown::inline_to_html(s))
                .collect(),
            legal_basis: meta
                .legal_basis
                .iter()
                .map(|l| LegalView {
                    number: l.number.clone(),
                    title: l.title.clone(),
                    date: l.date.vietnamese(),
                    note: l.note.clone(),
                })
                .collect(),
            last_reviewed: meta.last_reviewed.vietnamese(),
            updated: meta.changes.first().map(|c| c.date.vietnamese()),
            changes: meta
                .changes
                .iter()
                .map(|c| ChangeView {
                    date: c.date.vietnamese(),
                    note: c.note.clone(),
                })
                .collect(),
            verified: meta.verified.as_ref().map(VerificationView::of),
            related: meta
                .related
                .iter()
                .filter_map(|id| all.iter().find(|p| p.id() == id))
                .map(ProcedureLink::of)
                .collect(),
            body_html: markdown::to_html(&procedure.body),
            category_id: procedure.category.clone(),
            category_name: categories
                .iter()
                .find(|c| c.id == procedure.category)
                .map_or_else(|| procedure.category.clone(), |c| c.name.clone()),
        }
    }
}

/// One procedure of a situation page, with its checklist narrowed by the page's answers.
#[derive(Debug, Clone, Serialize)]
pub struct SituationStepView {
    /// Its place in the order, from 1.
    pub number: usize,
    /// The procedure as its own page would show it with these answers.
    pub p: ProcedureView,
    /// When it applies, in words.
    pub applies: Option<String>,
    /// Its deadline: the procedure file's own, or the situation's for a file that gives none.
    pub deadline: Option<String>,
    /// What to know about it in this situation.
    pub note: Option<String>,
}

/// Everything a situation page shows.
#[derive(Debug, Clone, Serialize)]
pub struct SituationView {
    /// Id.
    pub id: String,
    /// What happened, as residents say it.
    pub title: String,
    /// One-sentence summary.
    pub summary: String,
    /// The short text, as sanitised HTML.
    pub body_html: String,
    /// Its procedures in order (those whose file is served).
    pub steps: Vec<SituationStepView>,
    /// The one questionnaire: each shared question once, then each file's own questions.
    pub questions: Vec<QuestionView>,
    /// Whether any question is answered.
    pub answered: bool,
    /// The answers as page keys (no `?`).
    pub answers_query: String,
    /// The address query of the whole packet: `ids=…` and the answers.
    pub packet_query: String,
    /// The answers in words, once each.
    pub answers_words: Vec<String>,
    /// Last review, `dd/mm/yyyy`.
    pub last_reviewed: String,
}

impl SituationView {
    /// The view of `situation` given the address's `params`; `all` resolves procedure ids.
    pub fn of(
        situation: &Situation,
        params: &[(String, String)],
        all: &[Procedure],
        shared: &[Question],
        categories: &[Category],
    ) -> Self {
        let pairs = || params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let mut steps = Vec::new();
        let mut questions: Vec<QuestionView> = Vec::new();
        let mut answer_pairs: Vec<(String, String)> = Vec::new();
        let mut answers_words: Vec<String> = Vec::new();
        for step in &situation.meta.procedures {
            let Some(procedure) = all.iter().find(|p| p.id() == step.id) else {
                continue;
            };
            let answers = Answers::from_page_params(procedure, shared, pairs());
            for question in &procedure.meta.questions {
                let key = page_key(procedure, question, shared);
                if questions.iter().any(|q| q.id == key)
                    || answers.evaluate(&question.when, procedure) == Applies::No
                {
                    continue;
                }
                let common = shared.iter().find(|s| s.id == question.id);
                let mut view = QuestionView::of(question, key, &answers);
                match common {
                    Some(common) => view.text = common.text.clone(),
                    None => view.for_procedure = Some(procedure.meta.title.clone()),
                }
                questions.push(view);
            }
            for pair in answers.page_pairs(procedure, shared) {
                if !answer_pairs.iter().any(|(k, _)| *k == pair.0) {
                    answer_pairs.push(pair);
                }
            }
            for words in answers.words(procedure) {
                if !answers_words.contains(&words) {
                    answers_words.push(words);
                }
            }
            steps.push(SituationStepView {
                number: steps.len() + 1,
                p: ProcedureView::of(procedure, &answers, all, categories),
                applies: step.applies.clone(),
                deadline: procedure
                    .meta
                    .deadline
                    .clone()
                    .or_else(|| step.deadline.clone()),
                note: step.note.clone(),
            });
        }
        let answers_query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&answer_pairs)
            .finish();
        let ids = steps
            .iter()
            .map(|s| s.p.id.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let mut packet_query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("ids", &ids)
            .finish();
        if !answers_query.is_empty() {
            packet_query.push('&');
            packet_query.push_str(&answers_query);
        }
        SituationView {
            id: situation.id().to_string(),
            title: situation.meta.title.clone(),
            summary: situation.meta.summary.clone(),
            body_html: markdown::to_html(&situation.body),
            steps,
            answered: !answer_pairs.is_empty(),
            questions,
            answers_query,
            packet_query,
            answers_words,
            last_reviewed: situation.meta.last_reviewed.vietnamese(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(when: &[(&str, &str)]) -> Document {
        Document {
            name: "Giấy chứng sinh".into(),
            action: DocumentAction::Submit,
            originals: 1,
            copies: 0,
            copy_kind: None,
            form: None,
            when: when
                .iter()
                .map(|(q, a)| (q.to_string(), a.to_string()))
                .collect(),
            optional: false,
            note: None,
            if_missing: None,
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        Answers(
            pairs
                .iter()
                .map(|(q, a)| (q.to_string(), a.to_string()))
                .collect(),
        )
    }

    #[test]
    fn answers_narrow_papers_of_the_procedure() {
        let procedure = procedure();
        let doc = document(&[("thoi_han", "qua_han"), ("uy_quyen", "co")]);
        let applies = |given: &[(&str, &str)]| answers(given).evaluate(&doc.when, &procedure);
        assert_eq!(
            answers(&[]).evaluate(&document(&[]).when, &procedure),
            Applies::Always
        );
        assert_eq!(applies(&[]), Applies::IfCase);
        assert_eq!(applies(&[("thoi_han", "qua_han")]), Applies::IfCase);
        assert_eq!(
            applies(&[("thoi_han", "qua_han"), ("uy_quyen", "co")]),
            Applies::Confirmed
        );
        assert_eq!(applies(&[("thoi_han", "dung_han")]), Applies::No);
    }

    #[test]
    fn page_keys_share_only_shared_questions() {
        let procedure = procedure();
        let shared: Vec<Question> = vec![procedure.meta.questions[1].clone()];
        let kept = Answers::from_page_params(
            &procedure,
            &shared,
            [
                ("uy_quyen", "co"),
                ("thoi_han", "qua_han"),
                ("thu.thoi_han", "dung_han"),
            ],
        );
        assert_eq!(kept.query(), "thoi_han=dung_han&uy_quyen=co");
        assert_eq!(
            kept.page_pairs(&procedure, &shared),
            [
                ("thu.thoi_han".to_string(), "dung_han".to_string()),
                ("uy_quyen".to_string(), "co".to_string())
            ]
        );
        assert_eq!(
            kept.words(&procedure),
            ["Đúng hạn", "Có nhờ người khác không? Có"]
        );
    }

    #[test]
    fn channels_with_the_same_time_and_fee_share_a_line() {
        let channel = |method, fee: &str| Channel {
            method,
            time: "03 ngày làm việc".into(),
            fee: fee.into(),
            exemptions: None,
            url: None,
            online_level: None,
            note: None,
            when: Default::default(),
        };
        let channels = [
            channel(ChannelMethod::InPerson, "15.000 đồng"),
            channel(ChannelMethod::Online, "7.000 đồng"),
            channel(ChannelMethod::Post, "15.000 đồng"),
        ];
        let groups = channel_groups(&channels.iter().collect::<Vec<_>>());
        let methods: Vec<&str> = groups.iter().map(|g| g.methods.as_str()).collect();
        assert_eq!(methods, ["Trực tiếp, qua bưu chính", "Trực tuyến"]);
        assert_eq!(groups[1].fee, "7.000 đồng");
    }

    #[test]
    fn counts_name_originals_and_copies() {
        let mut doc = document(&[]);
        assert_eq!(counts(&doc), "1 bản chính");
        doc.copies = 2;
        doc.copy_kind = Some(CopyKind::Certified);
        assert_eq!(counts(&doc), "1 bản chính, 2 bản sao có chứng thực");
        doc.originals = 0;
        doc.copy_kind = None;
        assert_eq!(counts(&doc), "2 bản sao hoặc bản chụp");
        doc.copies = 0;
        assert_eq!(counts(&doc), "");
    }

    /// A procedure with one question `thoi_han` (answers `dung_han`, `qua_han`) and one yes/no
    /// question `uy_quyen`.
    fn procedure() -> Procedure {
        let meta = serde_yaml::from_str(
            "id: thu\ntitle: Thử\nsummary: Thử.\nkind: procedure\nagency: {name: UBND xã}\n\
             steps: [Nộp]\nlast_reviewed: 2025-11-20\nquestions:\n\
             - {id: thoi_han, text: Khi nào?, options: [{id: dung_han, label: Đúng hạn}, {id: qua_han, label: Quá hạn}]}\n\
             - {id: uy_quyen, text: Có nhờ người khác không?}\n",
        )
        .unwrap();
        Procedure {
            meta,
            category: "ho-tich".into(),
            body: String::new(),
            path: "ho-tich/thu.md".into(),
        }
    }

    #[test]
    fn only_real_answers_are_kept_from_the_address() {
        let kept = Answers::from_params(
            &procedure(),
            [
                ("thoi_han", "<script>"),
                ("uy_quyen", "co"),
                ("unknown", "co"),
                ("thoi_han", "qua_han"),
                ("uy_quyen", "maybe"),
            ],
        );
        assert_eq!(kept.query(), "thoi_han=qua_han&uy_quyen=co");
    }

    #[test]
    fn a_case_names_question_and_answer() {
        let procedure = procedure();
        let doc = document(&[("uy_quyen", "khong"), ("thoi_han", "qua_han")]);
        assert_eq!(
            case_of(&doc.when, &procedure).unwrap(),
            "Khi nào? — Quá hạn; Có nhờ người khác không? — Không"
        );
        assert_eq!(case_of(&document(&[]).when, &procedure), None);
    }

    #[test]
    fn fee_lines_follow_the_answers() {
        let mut procedure = procedure();
        let line = |fee: &str, when: &str| Channel {
            method: ChannelMethod::InPerson,
            time: "01 ngày làm việc".into(),
            fee: fee.into(),
            exemptions: None,
            url: None,
            online_level: None,
            note: None,
            when: [("thoi_han".to_string(), when.to_string())].into(),
        };
        procedure.meta.channels = vec![
            line("Miễn lệ phí", "dung_han"),
            line("8.000 đồng", "qua_han"),
        ];
        let fees = |given: &[(&str, &str)]| {
            ProcedureView::of(&procedure, &answers(given), &[], &[])
                .channels
                .iter()
                .map(|c| (c.fee.clone(), c.case.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fees(&[]),
            [
                (
                    "Miễn lệ phí".to_string(),
                    Some("Khi nào? — Đúng hạn".to_string())
                ),
                (
                    "8.000 đồng".to_string(),
                    Some("Khi nào? — Quá hạn".to_string())
                ),
            ]
        );
        assert_eq!(
            fees(&[("thoi_han", "qua_han")]),
            [("8.000 đồng".to_string(), None)]
        );
        assert_eq!(
            fees(&[("thoi_han", "dung_han")]),
            [("Miễn lệ phí".to_string(), None)]
        );
    }
}
