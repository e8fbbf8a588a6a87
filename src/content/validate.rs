//! Checks on one procedure that the types alone cannot express: the id matches the file name,
//! codes and URLs are well formed, `when:` names a real question and answer, dates are not in the
//! future, counts make sense for what is done with a paper.

use std::path::Path;

use chrono::NaiveDate;

use super::structure::{bilingual, did_you_mean};
use super::yaml_tree::{Node, Step};
use crate::diagnostics::Diagnostic;
use crate::model::{ChannelMethod, DocumentAction, FrontMatter, Kind, condition};

/// How old a review may be before `check` warns (12 months).
pub const REVIEW_MAX_AGE_DAYS: i64 = 365;

/// Whether `code` has the form of a national procedure code: a digit, a dot and six digits.
pub fn is_national_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 8
        && bytes[0].is_ascii_digit()
        && bytes[1] == b'.'
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// Whether `id` is a lowercase ASCII slug such as `dang-ky-khai-sinh`.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Whether `id` is a question or answer identifier: lowercase ASCII, digits and `_`.
fn is_answer_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `text` is an absolute http(s) URL with a host.
pub fn is_web_url(text: &str) -> bool {
    url::Url::parse(text)
        .map(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        })
        .unwrap_or(false)
}

fn key(name: &str) -> Step {
    Step::Key(name.to_string())
}

/// Checks the `id` of a procedure or situation file: a slug, equal to `file_stem`.
pub fn check_id(path: &Path, tree: &Node, id: &str, file_stem: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let error = |code: &'static str, vi: String, en: String| {
        Diagnostic::error(
            path,
            tree.position_of(&[key("id")]),
            code,
            bilingual(&vi, &en),
        )
    };
    if !is_slug(id) {
        out.push(
            error(
                "bad-id",
                format!("`id` `{id}` phải viết thường, không dấu, nối bằng dấu gạch ngang"),
                format!("`id` `{id}` must be lowercase ASCII words joined by hyphens"),
            )
            .with_hint("ví dụ / e.g. `dang-ky-khai-sinh`"),
        );
    }
    if id != file_stem {
        out.push(
            error("id-mismatch",
                format!("`id` là `{id}` nhưng tên tệp là `{file_stem}.md`"),
                format!("`id` is `{id}` but the file is named `{file_stem}.md`"))
            .with_hint(format!(
                "Đổi tên tệp thành `{id}.md` hoặc sửa `id` thành `{file_stem}` / rename the file to `{id}.md` or set `id: {file_stem}`"
            )),
        );
    }
    out
}

/// Checks one parsed procedure; `file_stem` is its file name without `.md`.
pub fn check(
    path: &Path,
    file_stem: &str,
    meta: &FrontMatter,
    tree: &Node,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |steps: &[Step]| tree.position_of(steps);
    let error = |steps: &[Step], code: &'static str, vi: String, en: String| {
        Diagnostic::error(path, tree.position_of(steps), code, bilingual(&vi, &en))
    };

    out.extend(check_id(path, tree, &meta.id, file_stem));

    for (i, code) in meta.codes.iter().enumerate() {
        let steps = [key("codes"), Step::Index(i)];
        if !is_national_code(code) {
            out.push(
                error(&steps, "bad-code",
                    format!("mã thủ tục `{code}` không đúng dạng"),
                    format!("procedure code `{code}` is not well formed"))
                .with_hint("Mã thủ tục quốc gia có dạng một chữ số, dấu chấm, sáu chữ số, đặt trong ngoặc kép / national codes look like \"1.001193\""),
            );
        }
        if meta.codes[..i].contains(code) {
            out.push(error(
                &steps,
                "duplicate-code",
                format!("mã `{code}` được ghi hai lần trong tệp này"),
                format!("code `{code}` is listed twice in this file"),
            ));
        }
    }

    match meta.kind {
        Kind::Procedure => {
            let needed = [
                (
                    "codes",
                    meta.codes.is_empty(),
                    "mã thủ tục quốc gia",
                    "a national procedure code",
                ),
                (
                    "channels",
                    meta.channels.is_empty(),
                    "cách thức nộp (kênh)",
                    "a channel",
                ),
                (
                    "documents",
                    meta.documents.is_empty(),
                    "giấy tờ",
                    "a document",
                ),
                (
                    "legal_basis",
                    meta.legal_basis.is_empty(),
                    "căn cứ pháp lý",
                    "a legal basis",
                ),
            ];
            for (name, missing, vi, en) in needed {
                if missing {
                    out.push(
                        Diagnostic::error(path, tree.key_position(&[], name), "required-for-procedure",
                            bilingual(&format!("thủ tục hành chính cần ít nhất một {vi} (`{name}`)"),
                                      &format!("a procedure needs at least {en} (`{name}`)")))
                        .with_hint("Nếu đây là hướng dẫn dùng ứng dụng, đặt `kind: guide` / for a how-to, set `kind: guide`"),
                    );
                }
            }
        }
        Kind::Guide => {
            if !meta.codes.is_empty() {
                out.push(
                    error(&[key("codes")], "guide-with-code",
                        "hướng dẫn (`kind: guide`) không có mã thủ tục".into(),
                        "a guide (`kind: guide`) has no procedure code".into())
                    .with_hint("Xóa `codes`, hoặc đặt `kind: procedure` / remove `codes`, or set `kind: procedure`"),
                );
            }
        }
    }
    if meta.steps.is_empty() {
        out.push(error(
            &[key("steps")],
            "empty-value",
            "`steps` cần ít nhất một bước".into(),
            "`steps` needs at least one step".into(),
        ));
    }
    if meta.sources.is_empty() {
        out.push(
            Diagnostic::warning(path, tree.key_position(&[], "sources"), "no-sources",
                bilingual("tệp chưa ghi nguồn (`sources`)", "no `sources` are given"))
            .with_hint("Ghi trang Cổng Dịch vụ công hoặc văn bản pháp luật đã đối chiếu / name the portal page or legal text you checked"),
        );
    }

    out.extend(check_verification(path, meta, tree, today));

    // Dates.
    let reviewed = meta.last_reviewed.0;
    if reviewed > today {
        out.push(error(
            &[key("last_reviewed")],
            "future-date",
            format!("`last_reviewed` {reviewed} là ngày trong tương lai"),
            format!("`last_reviewed` {reviewed} is in the future"),
        ));
    } else if (today - reviewed).num_days() > REVIEW_MAX_AGE_DAYS {
        out.push(
            Diagnostic::warning(path, at(&[key("last_reviewed")]), "stale-review",
                bilingual(&format!("tệp được rà soát lần cuối ngày {reviewed}, đã hơn 12 tháng"),
                          &format!("last reviewed on {reviewed}, more than 12 months ago")))
            .with_hint("Đối chiếu lại với nguồn rồi cập nhật `last_reviewed` / check it against its sources again, then update `last_reviewed`"),
        );
    }
    for (i, law) in meta.legal_basis.iter().enumerate() {
        if law.date.0 > today {
            out.push(error(
                &[key("legal_basis"), Step::Index(i), key("date")],
                "future-date",
                format!(
                    "ngày ban hành {} của văn bản {} là ngày trong tương lai",
                    law.date, law.number
                ),
                format!("issue date {} of {} is in the future", law.date, law.number),
            ));
        }
    }

    out.extend(check_changes(path, meta, tree, today));

    // URLs.
    let mut urls: Vec<(Vec<Step>, &str)> = Vec::new();
    for (i, channel) in meta.channels.iter().enumerate() {
        if let Some(url) = &channel.url {
            urls.push((vec![key("channels"), Step::Index(i), key("url")], url));
        }
    }
    for (i, document) in meta.documents.iter().enumerate() {
        if let Some(url) = document.form.as_ref().and_then(|f| f.url.as_ref()) {
            urls.push((
                vec![key("documents"), Step::Index(i), key("form"), key("url")],
                url,
            ));
        }
    }
    if let Some(verified) = &meta.verified {
        for (i, record) in verified.records.iter().enumerate() {
            urls.push((
                vec![key("verified"), key("records"), Step::Index(i), key("url")],
                &record.url,
            ));
        }
        for (i, text) in verified.texts.iter().enumerate() {
            if let Some(url) = &text.url {
                urls.push((
                    vec![key("verified"), key("texts"), Step::Index(i), key("url")],
                    url,
                ));
            }
        }
    }
    for (i, source) in meta.sources.iter().enumerate() {
        urls.push((
            vec![key("sources"), Step::Index(i), key("url")],
            &source.url,
        ));
    }
    for (steps, url) in urls {
        if !is_web_url(url) {
            out.push(
                error(&steps, "bad-url",
                    format!("đường dẫn `{url}` không hợp lệ"),
                    format!("`{url}` is not a valid web address"))
                .with_hint("Đường dẫn phải bắt đầu bằng https:// hoặc http:// / it must start with https:// or http://"),
            );
        }
    }

    // Channels.
    for (i, channel) in meta.channels.iter().enumerate() {
        let here = |name: &str| vec![key("channels"), Step::Index(i), key(name)];
        if meta.channels[..i]
            .iter()
            .any(|c| c.method == channel.method && c.when == channel.when)
        {
            out.push(error(
                &here("method"),
                "duplicate-channel",
                "cách thức nộp này (với cùng điều kiện `when`) đã được ghi ở trên".into(),
                "this channel (with the same `when`) is already listed above".into(),
            ));
        }
        let online = channel.method == ChannelMethod::Online;
        if online && channel.url.is_none() {
            out.push(Diagnostic::error(
                path,
                tree.position_of(&[key("channels"), Step::Index(i)]),
                "missing-url",
                bilingual(
                    "kênh trực tuyến cần đường dẫn `url` tới trang nộp hồ sơ",
                    "an online channel needs the `url` of the page where residents apply",
                ),
            ));
        }
        if !online && channel.online_level.is_some() {
            out.push(error(
                &here("online_level"),
                "not-online",
                "`online_level` chỉ dùng cho kênh `online`".into(),
                "`online_level` applies only to the `online` channel".into(),
            ));
        }
    }

    // Questions and the conditions that refer to them.
    for (i, question) in meta.questions.iter().enumerate() {
        let steps = [key("questions"), Step::Index(i), key("id")];
        if !is_answer_id(&question.id) {
            out.push(
                error(
                    &steps,
                    "bad-id",
                    format!(
                        "mã câu hỏi `{}` chỉ được có chữ thường không dấu, số và `_`",
                        question.id
                    ),
                    format!(
                        "question id `{}` may only hold lowercase ASCII letters, digits and `_`",
                        question.id
                    ),
                )
                .with_hint("ví dụ / e.g. `sinh_tai_co_so_y_te`"),
            );
        }
        if meta.questions[..i].iter().any(|q| q.id == question.id) {
            out.push(error(
                &steps,
                "duplicate-question",
                format!("câu hỏi `{}` đã có ở trên", question.id),
                format!("question `{}` is declared twice", question.id),
            ));
        }
        for (j, option) in question.options.iter().enumerate() {
            let steps = [
                key("questions"),
                Step::Index(i),
                key("options"),
                Step::Index(j),
                key("id"),
            ];
            if !is_answer_id(&option.id) {
                out.push(error(
                    &steps,
                    "bad-id",
                    format!(
                        "mã câu trả lời `{}` chỉ được có chữ thường không dấu, số và `_`",
                        option.id
                    ),
                    format!(
                        "answer id `{}` may only hold lowercase ASCII letters, digits and `_`",
                        option.id
                    ),
                ));
            }
            if question.options[..j].iter().any(|o| o.id == option.id) {
                out.push(error(
                    &steps,
                    "duplicate-answer",
                    format!("câu trả lời `{}` đã có ở trên", option.id),
                    format!("answer `{}` is declared twice", option.id),
                ));
            }
        }
    }
    // Every condition: on papers, on channel lines, on questions themselves.
    let mut conditions: Vec<(Vec<Step>, &crate::model::Condition)> = Vec::new();
    for (i, question) in meta.questions.iter().enumerate() {
        conditions.push((vec![key("questions"), Step::Index(i)], &question.when));
    }
    for (i, channel) in meta.channels.iter().enumerate() {
        conditions.push((vec![key("channels"), Step::Index(i)], &channel.when));
    }
    for (i, document) in meta.documents.iter().enumerate() {
        conditions.push((vec![key("documents"), Step::Index(i)], &document.when));
    }
    for (at, when) in conditions {
        out.extend(check_condition(path, meta, tree, &at, when));
    }
    for (i, question) in meta.questions.iter().enumerate() {
        if let Some(chain) = condition::cycle(&question.id, &meta.questions) {
            out.push(
                error(&[key("questions"), Step::Index(i), key("when")], "question-cycle",
                    format!("câu hỏi `{}` không bao giờ được hỏi: điều kiện `when` của nó quay vòng ({})", question.id, chain.join(" → ")),
                    format!("question `{}` can never be asked: its `when` goes round in a circle ({})", question.id, chain.join(" → ")))
                .with_hint("Một câu hỏi chỉ được phụ thuộc vào câu hỏi hỏi trước nó / a question may only depend on questions asked before it"),
            );
        }
        let used = meta
            .documents
            .iter()
            .map(|d| &d.when)
            .chain(meta.channels.iter().map(|c| &c.when))
            .chain(meta.questions.iter().map(|q| &q.when))
            .any(|when| when.contains_key(&question.id));
        if !used {
            out.push(
                Diagnostic::warning(path, at(&[key("questions"), Step::Index(i), key("id")]), "unused-question",
                    bilingual(&format!("không giấy tờ, dòng lệ phí hay câu hỏi nào phụ thuộc vào câu hỏi `{}`", question.id),
                              &format!("no paper, channel line or question depends on question `{}`", question.id)))
                .with_hint("Ghi `when:` cho giấy tờ cần theo câu trả lời, hoặc xóa câu hỏi / add `when:` to the papers it decides, or remove it"),
            );
        }
    }
    for (i, document) in meta.documents.iter().enumerate() {
        let doc = |rest: &[Step]| {
            let mut steps = vec![key("documents"), Step::Index(i)];
            steps.extend_from_slice(rest);
            steps
        };
        let counted = document.originals + document.copies;
        match document.action {
            DocumentAction::Lookup if counted > 0 => out.push(
                error(&doc(&[key("action")]), "bad-count",
                    "giấy tờ được tra cứu (`lookup`) thì không cần mang, không ghi số bản".into(),
                    "a paper the office looks up (`lookup`) has no originals or copies".into())
                .with_hint("Xóa `originals`/`copies`, hoặc đổi `action` thành `show` / remove the counts, or use `action: show`"),
            ),
            DocumentAction::Submit | DocumentAction::Show | DocumentAction::Upload if counted == 0 => out.push(
                error(&doc(&[key("action")]), "missing-count",
                    format!("ghi số bản chính (`originals`) hoặc bản sao (`copies`) của \"{}\"", document.name),
                    format!("say how many originals (`originals`) or copies (`copies`) of \"{}\"", document.name))
                .with_hint("ví dụ / e.g. `originals: 1`"),
            ),
            _ => {}
        }
        if document.copy_kind.is_some() && document.copies == 0 {
            out.push(error(
                &doc(&[key("copy_kind")]),
                "bad-count",
                "`copy_kind` chỉ dùng khi có bản sao (`copies`)".into(),
                "`copy_kind` applies only when `copies` is more than 0".into(),
            ));
        }
    }

    for (i, related) in meta.related.iter().enumerate() {
        if related == &meta.id {
            out.push(error(
                &[key("related"), Step::Index(i)],
                "self-related",
                "thủ tục không liên quan tới chính nó".into(),
                "a procedure cannot be related to itself".into(),
            ));
        }
    }
    out
}

/// Checks one `when:` (at `at`, the paper, channel or question holding it): every question and
/// answer it names exists, and some answers can meet it.
fn check_condition(
    path: &Path,
    meta: &FrontMatter,
    tree: &Node,
    at: &[Step],
    when: &crate::model::Condition,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let here = |rest: &[Step]| {
        let mut steps = at.to_vec();
        steps.extend_from_slice(rest);
        steps
    };
    let mut known = true;
    for (question_id, answer) in when {
        let Some(question) = meta.questions.iter().find(|q| &q.id == question_id) else {
            known = false;
            let ids = meta.questions.iter().map(|q| q.id.as_str());
            let hint = match did_you_mean(question_id, ids) {
                Some(s) => format!("có phải là `{s}`? / did you mean `{s}`?"),
                None => "Khai báo câu hỏi trong `questions` / declare it under `questions`".into(),
            };
            out.push(
                Diagnostic::error(path, tree.key_position(&here(&[key("when")]), question_id), "unknown-question",
                    bilingual(&format!("`when` nhắc tới câu hỏi `{question_id}` nhưng tệp không có câu hỏi này"),
                              &format!("`when` refers to question `{question_id}`, which this file does not declare")))
                .with_hint(hint),
            );
            continue;
        };
        if question.answer_label(answer).is_none() {
            known = false;
            let answers = question.answers();
            let list = answers
                .iter()
                .map(|(id, _)| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::error(path, tree.position_of(&here(&[key("when"), key(question_id)])), "unknown-answer",
                    bilingual(&format!("câu hỏi `{question_id}` không có câu trả lời `{answer}`; chỉ có {list}"),
                              &format!("question `{question_id}` has no answer `{answer}`; it has {list}")))
                .with_hint(match did_you_mean(answer, answers.iter().map(|(id, _)| *id)) {
                    Some(s) => format!("có phải là `{s}`? / did you mean `{s}`?"),
                    None if question.options.is_empty() => "Câu hỏi có/không dùng `co` hoặc `khong` / a yes/no question takes `co` or `khong`".into(),
                    None => format!("Thêm câu trả lời này vào `options` của `{question_id}` / add it to the `options` of `{question_id}`"),
                }),
            );
        }
    }
    if known
        && let Err(condition::Impossible::Conflict(question, one, other)) =
            condition::closure(when, &meta.questions)
    {
        out.push(
            Diagnostic::error(path, tree.position_of(&here(&[key("when")])), "impossible-condition",
                bilingual(&format!("không câu trả lời nào thỏa được điều kiện này: câu hỏi `{question}` phải vừa là `{one}` vừa là `{other}` (tính cả điều kiện `when` của các câu hỏi)"),
                          &format!("no answers can ever meet this condition: question `{question}` would have to be both `{one}` and `{other}` (counting the `when` of the questions it names)")))
            .with_hint("Một câu hỏi có `when` chỉ được hỏi trong trường hợp đó; sửa điều kiện cho khớp / a question with `when` is only asked in that case; make the conditions agree"),
        );
    }
    out
}

/// Checks `changes`: every note dated no later than today, newest first, with something said.
fn check_changes(
    path: &Path,
    meta: &FrontMatter,
    tree: &Node,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, change) in meta.changes.iter().enumerate() {
        let date_at = [key("changes"), Step::Index(i), key("date")];
        if change.date.0 > today {
            out.push(Diagnostic::error(
                path,
                tree.position_of(&date_at),
                "future-date",
                bilingual(
                    &format!(
                        "ghi chú thay đổi ngày {} là ngày trong tương lai",
                        change.date
                    ),
                    &format!("change note dated {} is in the future", change.date),
                ),
            ));
        }
        if let Some(before) = i.checked_sub(1).map(|j| &meta.changes[j])
            && change.date > before.date
        {
            out.push(
                Diagnostic::error(
                    path,
                    tree.position_of(&date_at),
                    "changes-order",
                    bilingual(
                        &format!(
                            "ghi chú ngày {} mới hơn ghi chú ngày {} ở trên; ghi chú mới nhất phải đứng đầu",
                            change.date, before.date
                        ),
                        &format!(
                            "the note of {} is newer than the note of {} above it; put the newest first",
                            change.date, before.date
                        ),
                    ),
                )
                .with_hint("Chuyển ghi chú này lên đầu danh sách `changes` / move this note to the top of `changes`"),
            );
        }
    }
    out
}

/// Checks `verified`: present (a warning when not), not empty, dated no later than today, and
/// naming only records of this file's own codes, each once.
fn check_verification(
    path: &Path,
    meta: &FrontMatter,
    tree: &Node,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(verified) = &meta.verified else {
        let (vi, en, hint) = match meta.kind {
            Kind::Procedure => (
                "thủ tục chưa ghi đã đối chiếu với bản ghi nào của Cơ sở dữ liệu quốc gia về thủ tục hành chính (`verified`)",
                "the procedure does not say which national record it was checked against (`verified`)",
                "Đối chiếu từng trường với bản ghi của mã thủ tục rồi ghi `verified: {on: NĂM-THÁNG-NGÀY, records: [{code, decision, url}]}` / check every field against the code's record, then add `verified`",
            ),
            Kind::Guide => (
                "hướng dẫn chưa ghi đã đối chiếu với hướng dẫn chính thức nào (`verified`)",
                "the guide does not say which official guide it was checked against (`verified`)",
                "Ghi `verified: {on: NĂM-THÁNG-NGÀY, texts: [{title, date, url}]}` với hướng dẫn hoặc màn hình ứng dụng đã đối chiếu / name the official guide or app screens it follows",
            ),
        };
        out.push(
            Diagnostic::warning(
                path,
                tree.key_position(&[], "verified"),
                "not-verified",
                bilingual(vi, en),
            )
            .with_hint(hint),
        );
        return out;
    };
    let error = |steps: &[Step], code: &'static str, vi: String, en: String| {
        Diagnostic::error(path, tree.position_of(steps), code, bilingual(&vi, &en))
    };
    let verified_key = [key("verified")];
    if verified.records.is_empty() && verified.texts.is_empty() {
        out.push(
            error(&verified_key, "empty-verification",
                "`verified` cần ít nhất một bản ghi (`records`) hoặc văn bản (`texts`) đã đối chiếu".into(),
                "`verified` needs at least one record (`records`) or text (`texts`) checked".into())
            .with_hint("Thủ tục ghi bản ghi của mã thủ tục; hướng dẫn ghi hướng dẫn chính thức đã theo / a procedure names its record; a guide names the official guide it follows"),
        );
    }
    if verified.on.0 > today {
        out.push(error(
            &[key("verified"), key("on")],
            "future-date",
            format!("ngày đối chiếu {} là ngày trong tương lai", verified.on),
            format!("verification date {} is in the future", verified.on),
        ));
    }
    for (i, record) in verified.records.iter().enumerate() {
        let steps = [key("verified"), key("records"), Step::Index(i), key("code")];
        // A malformed code already has its own error; a record cannot be matched against it.
        let codes_well_formed = meta.codes.iter().all(|c| is_national_code(c));
        if codes_well_formed && !meta.codes.contains(&record.code) {
            let hint = match did_you_mean(&record.code, meta.codes.iter().map(String::as_str)) {
                Some(s) => format!("có phải là `{s}`? / did you mean `{s}`?"),
                None => "Thêm mã vào `codes`, hoặc sửa mã của bản ghi / add the code to `codes`, or correct the record's code".into(),
            };
            out.push(
                error(
                    &steps,
                    "record-not-a-code",
                    format!(
                        "bản ghi `{}` không phải mã thủ tục của tệp này (`codes`)",
                        record.code
                    ),
                    format!("record `{}` is not one of this file's `codes`", record.code),
                )
                .with_hint(hint),
            );
        }
        if verified.records[..i].iter().any(|r| r.code == record.code) {
            out.push(error(
                &steps,
                "duplicate-record",
                format!("bản ghi `{}` đã được ghi ở trên", record.code),
                format!("record `{}` is listed twice", record.code),
            ));
        }
    }
    for (i, text) in verified.texts.iter().enumerate() {
        if let Some(date) = text.date.filter(|d| d.0 > today) {
            out.push(error(
                &[key("verified"), key("texts"), Step::Index(i), key("date")],
                "future-date",
                format!("ngày {date} của \"{}\" là ngày trong tương lai", text.title),
                format!("date {date} of \"{}\" is in the future", text.title),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_codes() {
        assert!(is_national_code("1.001193"));
        assert!(is_national_code("3.000228"));
        assert!(!is_national_code("1.00119"));
        assert!(!is_national_code("1.001193.000.00.00.H29"));
        assert!(!is_national_code("a.001193"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("dang-ky-khai-sinh"));
        assert!(is_slug("vneid-muc-2"));
        assert!(!is_slug("Dang-ky"));
        assert!(!is_slug("dang--ky"));
        assert!(!is_slug("đăng-ký"));
        assert!(!is_slug(""));
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url(
            "https://dichvucong.gov.vn/p/home/x.html?ma_thu_tuc=1.001193"
        ));
        assert!(!is_web_url("dichvucong.gov.vn"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://"));
    }
}
