//! One function per page: read the address, pick the data, render a template.
//!
//! Handlers never trust the address. Ids that do not exist give the 404 page, unknown or broken
//! query parameters are ignored, and anything echoed back is shortened and escaped.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, RawQuery};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use qrcode::{Color, EcLevel, QrCode};

use super::http::{IMMUTABLE_CACHE, PAGE_CACHE, cache};
use super::templates::css_path;
use super::view::{Answers, Applies, ProcedureLink, ProcedureView, SituationView};
use super::{SharedSite, Site, WebError};
use crate::model::Procedure;
use crate::search::DEFAULT_LIMIT;

/// Procedures shown on the home page as the most needed, in this order (ids missing from the
/// content are skipped).
const MOST_NEEDED: [&str; 10] = [
    "dang-ky-khai-sinh",
    "lien-thong-khai-sinh-duoi-6",
    "dang-ky-thuong-tru",
    "dang-ky-tam-tru",
    "cap-the-can-cuoc",
    "vneid-muc-2",
    "xac-nhan-thong-tin-cu-tru",
    "chung-thuc-ban-sao",
    "dang-ky-khai-tu",
    "dang-ky-ket-hon",
];
/// How many procedures the home page lists as most needed.
const MOST_NEEDED_SHOWN: usize = 8;
/// At most this many procedures go into one printed packet.
pub const MAX_PACKET: usize = 20;

/// The site as it is when the request arrives; a reload meanwhile does not change it.
pub struct Current(Arc<Site>);

impl FromRequestParts<SharedSite> for Current {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _parts: &mut Parts,
        state: &SharedSite,
    ) -> Result<Self, Self::Rejection> {
        Ok(Current(state.load_full()))
    }
}

/// The `{id}` of an address; an id that cannot be decoded is a 404, never a 400.
pub struct Id(String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let path: Result<Path<String>, PathRejection> =
            Path::from_request_parts(parts, state).await;
        path.map(|Path(id)| Id(id)).map_err(|_| WebError::NotFound)
    }
}

/// The query string's pairs, decoded leniently (bad percent-escapes become U+FFFD).
fn params(query: &Option<String>) -> Vec<(String, String)> {
    query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default()
}

/// A rendered page with the page cache policy.
fn page(html: String) -> Response {
    let mut response = Html(html).into_response();
    cache(response.headers_mut(), PAGE_CACHE);
    response
}

/// The site's procedure, or the procedure 404.
fn find<'a>(site: &'a Site, id: &str) -> Result<&'a Procedure, WebError> {
    site.procedure(id)
        .ok_or_else(|| WebError::ProcedureNotFound(id.to_string()))
}

/// `/`: the search box, the categories and the most needed procedures.
pub async fn home(Current(site): Current) -> Result<Response, WebError> {
    let mut most_needed: Vec<ProcedureLink> = MOST_NEEDED
        .iter()
        .filter_map(|id| site.procedure(id))
        .map(ProcedureLink::of)
        .collect();
    for procedure in &site.procedures {
        if most_needed.len() >= MOST_NEEDED_SHOWN {
            break;
        }
        if !most_needed.iter().any(|l| l.id == procedure.id()) {
            most_needed.push(ProcedureLink::of(procedure));
        }
    }
    most_needed.truncate(MOST_NEEDED_SHOWN);
    let html = site.render(
        "home.html",
        context! { most_needed, count => site.procedures.len() },
    )?;
    Ok(page(html))
}

/// The first value of the parameter `name`, trimmed.
fn param<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.trim())
}

/// `/tim-kiem?q=…`: ranked results with highlighted snippets; help when nothing is found.
pub async fn search(
    Current(site): Current,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = params(&query);
    let q = param(&params, "q");
    let results = (!q.is_empty()).then(|| site.index.current().search(q, DEFAULT_LIMIT));
    if let Some(results) = &results {
        log_query(&site, q, results.total);
    }
    // The box shows the query as searched (cut to a sane length), not whatever was sent.
    let shown = results.as_ref().map_or("", |r| r.query.as_str());
    let visit = visit_of(&params);
    let visit_param = (!visit.is_empty()).then(|| {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair(VISIT, visit)
            .finish()
    });
    let html = site.render(
        "search.html",
        context! { q => shown, results, visit, visit_param },
    )?;
    Ok(page(html))
}

/// Counts a search in the query log, if there is one (the log keeps only the day and the folded
/// text, and drops what looks like personal data).
fn log_query(site: &Site, query: &str, results: usize) {
    if let Some(log) = &site.options.query_log {
        log.record(query, results, chrono::Local::now().date_naive());
    }
}

/// `/api/search?q=…&limit=…`: the same search as JSON.
pub async fn api_search(Current(site): Current, RawQuery(query): RawQuery) -> Response {
    let params = params(&query);
    let limit = param(&params, "limit")
        .parse::<usize>()
        .unwrap_or(DEFAULT_LIMIT);
    let q = param(&params, "q");
    let results = site.index.current().search(q, limit);
    log_query(&site, q, results.total);
    let mut response = Json(results).into_response();
    cache(response.headers_mut(), PAGE_CACHE);
    response
}

/// `/thu-tuc/{id}`: the procedure, its checklist narrowed by the answers in the address.
pub async fn procedure(
    Current(site): Current,
    Id(id): Id,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let (procedure, answers) = with_answers(&site, &id, &query)?;
    let view = ProcedureView::of(procedure, &answers, &site.procedures, &site.categories);
    let options = &site.options;
    let link = |template: &Option<super::LinkTemplate>| {
        template
            .as_ref()
            .map(|t| t.fill(procedure, &options.repository))
    };
    let params = params(&query);
    let visit = visit_add(
        visit_of(&params),
        &[procedure.id()],
        &answers.page_pairs(procedure, &site.shared_questions),
    );
    let address = with_query(&format!("/thu-tuc/{id}"), &answers.query());
    let html = site.render(
        "procedure.html",
        context! {
            p => view,
            visit,
            tham => visit_of(&params),
            canonical => format!("{}{address}", site.base_url),
            edit_url => link(&options.edit_url),
            report_url => link(&options.report_url),
        },
    )?;
    Ok(page(html))
}

/// The parameter that carries the visit being prepared (the query of its `/in` address) from
/// page to page, so that any page can add itself to it.
const VISIT: &str = "tham";

/// The longest visit carried in an address; a longer one is dropped, not echoed back.
const MAX_VISIT: usize = 4_000;

/// The visit being prepared, from the address (empty when absent or too long).
fn visit_of(params: &[(String, String)]) -> &str {
    let visit = param(params, VISIT);
    if visit.len() > MAX_VISIT { "" } else { visit }
}

/// `path`, with `?query` when the query is not empty.
fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// The `/in` address of the visit `current` (an `/in` query, possibly empty) with `ids` and
/// their page-keyed `answers` added; answers given here replace earlier ones.
fn visit_add(current: &str, ids: &[&str], answers: &[(String, String)]) -> String {
    let pairs = params(&Some(current.to_string()));
    let mut all_ids: Vec<String> = Vec::new();
    let mut rest: Vec<(String, String)> = Vec::new();
    for (key, value) in pairs {
        if key == "ids" {
            for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
                if !all_ids.iter().any(|known| known == id) {
                    all_ids.push(id.to_string());
                }
            }
        } else if !answers.iter().any(|(k, _)| *k == key) && !rest.iter().any(|(k, _)| *k == key) {
            rest.push((key, value));
        }
    }
    for id in ids {
        if !all_ids.iter().any(|known| known == id) {
            all_ids.push(id.to_string());
        }
    }
    all_ids.truncate(MAX_PACKET);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("ids", &all_ids.join(","))
        .extend_pairs(rest.iter().chain(answers))
        .finish();
    format!("/in?{query}")
}

/// `/tinh-huong/{id}`: a situation's procedures in order, one questionnaire for all of them.
pub async fn situation(
    Current(site): Current,
    Id(id): Id,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let situation = site.situation(&id).ok_or(WebError::NotFound)?;
    let params = params(&query);
    let view = SituationView::of(
        situation,
        &params,
        &site.procedures,
        &site.shared_questions,
        &site.categories,
    );
    let ids: Vec<&str> = view.steps.iter().map(|s| s.p.id.as_str()).collect();
    let answer_pairs = self::params(&Some(view.answers_query.clone()));
    let visit = visit_add(visit_of(&params), &ids, &answer_pairs);
    let canonical = format!(
        "{}{}",
        site.base_url,
        with_query(&format!("/tinh-huong/{id}"), &view.answers_query)
    );
    let tham = visit_of(&params);
    let html = site.render(
        "situation.html",
        context! { s => view, visit, tham, canonical },
    )?;
    Ok(page(html))
}

/// `/api/tinh-huong/{id}?…`: a situation and, per procedure, the papers its answers leave.
pub async fn api_situation(
    Current(site): Current,
    Id(id): Id,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let situation = site.situation(&id).ok_or(WebError::NotFound)?;
    let params = params(&query);
    let steps: Vec<serde_json::Value> = situation
        .meta
        .procedures
        .iter()
        .filter_map(|step| site.procedure(&step.id))
        .map(|procedure| {
            let answers = Answers::from_page_params(
                procedure,
                &site.shared_questions,
                params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            );
            checklist(procedure, &answers)
        })
        .collect();
    let mut response = Json(serde_json::json!({
        "id": situation.id(),
        "kind": "situation",
        "title": situation.meta.title,
        "procedures": steps,
    }))
    .into_response();
    cache(response.headers_mut(), PAGE_CACHE);
    Ok(response)
}

/// A procedure's personalised checklist as JSON: the answers, the papers needed, those needed
/// only in a case not answered yet, and those the answers rule out.
fn checklist(procedure: &Procedure, answers: &Answers) -> serde_json::Value {
    let mut needed = Vec::new();
    let mut if_case = Vec::new();
    let mut not_needed = Vec::new();
    for document in &procedure.meta.documents {
        match answers.evaluate(&document.when, procedure) {
            Applies::Always | Applies::Confirmed => needed.push(document.name.clone()),
            Applies::IfCase => if_case.push(document.name.clone()),
            Applies::No => not_needed.push(document.name.clone()),
        }
    }
    let answered: serde_json::Map<String, serde_json::Value> = procedure
        .meta
        .questions
        .iter()
        .filter_map(|q| Some((q.id.clone(), answers.get(&q.id)?.into())))
        .collect();
    serde_json::json!({
        "id": procedure.id(),
        "answers": answered,
        "needed": needed,
        "if_case": if_case,
        "not_needed": not_needed,
    })
}

/// The procedure `id` and the answers to its questions found in the query string.
fn with_answers<'a>(
    site: &'a Site,
    id: &str,
    query: &Option<String>,
) -> Result<(&'a Procedure, Answers), WebError> {
    let procedure = find(site, id)?;
    let params = params(query);
    let answers = Answers::from_params(
        procedure,
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    Ok((procedure, answers))
}

/// A procedure's printable checklist: the view and the QR code of its page.
fn printable(
    site: &Site,
    procedure: &Procedure,
    answers: &Answers,
) -> Result<minijinja::Value, WebError> {
    let view = ProcedureView::of(procedure, answers, &site.procedures, &site.categories);
    let mut url = format!("{}/thu-tuc/{}", site.base_url, procedure.id());
    if !answers.is_empty() {
        url.push('?');
        url.push_str(&answers.query());
    }
    let qr = qr_svg(&url)?;
    Ok(context! { p => view, url, qr_svg => qr })
}

/// `/thu-tuc/{id}/in`: the printable checklist of one procedure.
pub async fn print(
    Current(site): Current,
    Id(id): Id,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let (procedure, answers) = with_answers(&site, &id, &query)?;
    let sheet = printable(&site, procedure, &answers)?;
    let html = site.render(
        "print.html",
        context! { sheets => vec![sheet], title => procedure.meta.title.clone(), back => format!("/thu-tuc/{id}"), missing => Vec::<String>::new() },
    )?;
    Ok(page(html))
}

/// `/in?ids=a,b,c` (or `ids=a&ids=b`): several checklists, each on its own page, each narrowed
/// by the answers in the address (a shared question by its id, any other as `<id>.<question>`).
pub async fn packet(
    Current(site): Current,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let mut ids: Vec<String> = Vec::new();
    let all_params = params(&query);
    for (key, value) in all_params.clone() {
        if key != "ids" {
            continue;
        }
        for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            if ids.len() < MAX_PACKET && !ids.iter().any(|known| known == id) {
                ids.push(id.to_string());
            }
        }
    }
    let mut sheets = Vec::new();
    let mut missing = Vec::new();
    for id in &ids {
        match site.procedure(id) {
            Some(procedure) => {
                let answers = Answers::from_page_params(
                    procedure,
                    &site.shared_questions,
                    all_params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                );
                sheets.push(printable(&site, procedure, &answers)?);
            }
            None => missing.push(id.chars().take(60).collect::<String>()),
        }
    }
    if sheets.is_empty() {
        return Err(WebError::NotFound);
    }
    let visit = query.clone().unwrap_or_default();
    let html = site.render(
        "print.html",
        context! { sheets, title => "Bộ giấy tờ cần chuẩn bị", back => "/", missing, packet => true, visit },
    )?;
    Ok(page(html))
}

/// `/danh-muc/{id}`: a category's procedures, with a form to print several together.
pub async fn category(Current(site): Current, Id(id): Id) -> Result<Response, WebError> {
    let category = site
        .categories
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| WebError::CategoryNotFound(id.clone()))?;
    let view = super::view::CategoryView::of(category, &site.procedures);
    let html = site.render("category.html", context! { category => view })?;
    Ok(page(html))
}

/// `/static/site-<hash>.css`: the stylesheet, cached for a year (its name changes with it).
pub async fn stylesheet(Current(site): Current, Id(file): Id) -> Result<Response, WebError> {
    let css = site.templates.css()?;
    if format!("/static/{file}") != css_path(&css) {
        return Err(WebError::NotFound);
    }
    let mut response = css.into_owned().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    cache(headers, IMMUTABLE_CACHE);
    Ok(response)
}

/// `/healthz`: the server is up and how many procedures it serves, then one line per content
/// error (the files with errors are served in their last good version, or not at all).
pub async fn healthz(Current(site): Current) -> Response {
    let mut text = format!("ok {}\n", site.procedures.len());
    for problem in &site.problems {
        text.push_str(&problem.to_string());
        text.push('\n');
    }
    let mut response = text.into_response();
    cache(response.headers_mut(), "no-store");
    response
}

/// `/api/thu-tuc/{id}?…`: the procedure as JSON, as loaded from its file, with its checklist
/// personalised by the answers in the address.
pub async fn api_procedure(
    Current(site): Current,
    Id(id): Id,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let (procedure, answers) = with_answers(&site, &id, &query)?;
    let mut value = serde_json::to_value(procedure)
        .map_err(|e| WebError::Internal(anyhow::anyhow!("serialising {id}: {e}")))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("checklist".into(), checklist(procedure, &answers));
    }
    let mut response = Json(value).into_response();
    cache(response.headers_mut(), PAGE_CACHE);
    Ok(response)
}

/// Any other address.
pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// A method other than `GET`/`HEAD` on a page.
pub async fn method_not_allowed() -> WebError {
    WebError::MethodNotAllowed
}

/// The QR code of `url` as a compact inline SVG element: one unit per module, dark modules drawn
/// as horizontal runs, a four-module quiet zone.
fn qr_svg(url: &str) -> Result<String, WebError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| WebError::Internal(anyhow::anyhow!("making the QR code of {url}: {e}")))?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 8;
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + 4, y + 4));
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"Mã QR của trang thủ tục\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_code_is_an_svg_element() {
        let svg = qr_svg("http://127.0.0.1:8080/thu-tuc/dang-ky-khai-sinh").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        // The three finder patterns make the first row start with a run of seven dark modules.
        assert!(svg.contains("<path d=\"M4 4h7v1h-7z"), "{svg}");
        assert!(svg.len() < 4000, "{}", svg.len());
    }

    #[test]
    fn most_needed_procedures_are_bundled() {
        for id in MOST_NEEDED {
            let found = std::fs::read_dir(crate::cmd::DEFAULT_PROCEDURES_DIR)
                .unwrap()
                .flatten()
                .any(|category| category.path().join(format!("{id}.md")).is_file());
            assert!(found, "{id} is listed as most needed but has no file");
        }
    }

    #[test]
    fn bad_escapes_in_the_query_are_replaced() {
        let pairs = params(&Some("q=%FF%FE&a=%E1%BB%9F&b".into()));
        assert_eq!(pairs[0], ("q".into(), "\u{fffd}\u{fffd}".into()));
        assert_eq!(pairs[1], ("a".into(), "ở".into()));
        assert_eq!(pairs[2], ("b".into(), "".into()));
    }
}
