//! The router, in process: every route, with good and hostile input, on the fixture in
//! `tests/fixtures/web/procedures` (three valid procedures, one broken file, one empty category).

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::NaiveDate;
use giayto::content;
use giayto::search::{SYNONYMS_FILE, SearchIndex, Synonyms};
use giayto::web::{self, Site, Templates};
use tower::ServiceExt;

const BASE_URL: &str = "https://giayto.example";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn site_over(dir: &Path) -> Site {
    site_over_on(dir, today())
}

/// The site over the bundled procedures, as of today: their review dates are real dates.
fn bundled_site() -> Site {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("procedures");
    site_over_on(&dir, chrono::Local::now().date_naive())
}

fn site_over_on(dir: &Path, today: NaiveDate) -> Site {
    let loaded = content::load_dir(dir, today).unwrap();
    let (synonyms, _) = Synonyms::load(&dir.join(SYNONYMS_FILE)).unwrap();
    let index = SearchIndex::build_with(&loaded.procedures, &loaded.situations, &synonyms).unwrap();
    Site::new(loaded, index, Templates::embedded().unwrap(), BASE_URL)
}

fn app() -> Router {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/procedures");
    web::router(Arc::new(site_over(&dir)))
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(request: Request<Body>) -> Reply {
    let response = app().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(uri: &str) -> Reply {
    send(Request::get(uri).body(Body::empty()).unwrap()).await
}

/// No markup a visitor could inject survives, and no script or inline style is ever sent.
fn assert_no_injection(reply: &Reply) {
    for bad in ["<script", "onerror", "javascript:", " style="] {
        assert!(
            !reply.body.to_lowercase().contains(bad),
            "found {bad:?} in:\n{}",
            reply.body
        );
    }
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[tokio::test]
async fn home_shows_the_search_box_and_the_categories_with_procedures() {
    let reply = get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains(r#"<html lang="vi">"#));
    assert!(reply.body.contains(r#"action="/tim-kiem""#));
    assert!(reply.body.contains(r#"name="q""#));
    assert!(reply.body.contains(r#"href="/danh-muc/ho-tich""#));
    assert!(reply.body.contains(r#"href="/danh-muc/cu-tru""#));
    // A category without procedures is not offered.
    assert!(!reply.body.contains(r#"href="/danh-muc/chung-thuc""#));
    assert!(reply.body.contains(r#"href="/thu-tuc/dang-ky-khai-sinh""#));
    assert_no_injection(&reply);
}

#[tokio::test]
async fn procedure_page_shows_channels_checklist_steps_and_legal_basis() {
    let reply = get("/thu-tuc/dang-ky-khai-sinh").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = &reply.body;
    assert!(body.contains("<h1>Đăng ký khai sinh</h1>"));
    assert!(body.contains("Ủy ban nhân dân xã, phường nơi cư trú của cha hoặc mẹ"));
    for channel in ["Trực tiếp", "Trực tuyến"] {
        assert!(body.contains(channel), "{channel}");
    }
    assert!(body.contains("Ai được miễn lệ phí"));
    // Seven papers: six to bring (with a tick box) and one the office looks up.
    assert_eq!(count(body, r#"type="checkbox""#), 6);
    assert!(body.contains("Không cần mang: cán bộ tự tra cứu"));
    // Conditional papers say in which case they are needed, in the order questions are asked.
    assert!(body.contains(
        "Chỉ cần khi: Trẻ có được sinh ra tại bệnh viện, trạm y tế hoặc nhà hộ sinh không? — Không; \
         Nếu không sinh tại cơ sở y tế, có người chứng kiến việc sinh không? — Có"
    ));
    assert!(body.contains("<b>Nếu không có:</b> Xin cấp lại"));
    assert!(body.contains("Nộp hồ sơ tại Bộ phận Một cửa của <strong>UBND xã, phường</strong>"));
    assert!(body.contains("Luật Hộ tịch số 60/2014/QH13 ngày 20/11/2014"));
    assert!(body.contains("kiểm tra lần cuối ngày 20/11/2026"));
    // What the file was checked against, with a link to the national record.
    assert!(
        body.contains(
            "Đối chiếu với Cơ sở dữ liệu quốc gia về thủ tục hành chính ngày 20/11/2026:"
        )
    );
    assert!(body.contains(
        r#"<a href="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7">thủ tục 1.001193</a> (công bố tại Quyết định 163/QĐ-BTP)"#
    ));
    assert!(
        body.contains("Nghị định số 07/2025/NĐ-CP sửa đổi Nghị định 123/2015/NĐ-CP (09/01/2025)")
    );
    assert!(body.contains(r#"href="/thu-tuc/lien-thong-khai-sinh-duoi-6""#));
    assert!(body.contains(r#"href="/thu-tuc/dang-ky-khai-sinh/in""#));
    // Notes for reviewers are not for residents.
    assert!(!body.contains("chưa kiểm tra được"));
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert_no_injection(&reply);
}

#[tokio::test]
async fn answers_in_the_address_narrow_the_checklist_and_carry_to_print() {
    let reply = get("/thu-tuc/dang-ky-khai-sinh?sinh_tai_co_so_y_te=co&uy_quyen=khong").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = &reply.body;
    assert!(body.contains("Đã ẩn 3 giấy tờ không cần cho trường hợp của bạn."));
    assert_eq!(count(body, r#"type="checkbox""#), 3);
    assert!(body.contains("Cần cho trường hợp của bạn: Trẻ có được sinh ra"));
    assert!(body.contains(r#"value="co" checked"#));
    assert!(
        body.contains(
            r#"href="/thu-tuc/dang-ky-khai-sinh/in?sinh_tai_co_so_y_te=co&amp;uy_quyen=khong""#
        ),
        "{body}"
    );
    let print = get("/thu-tuc/dang-ky-khai-sinh/in?sinh_tai_co_so_y_te=co&uy_quyen=khong").await;
    assert_eq!(count(&print.body, r#"class="box""#), 3);
}

#[tokio::test]
async fn hostile_answers_are_ignored_not_echoed() {
    let reply = get(
        "/thu-tuc/dang-ky-khai-sinh?sinh_tai_co_so_y_te=%3Cscript%3Ealert(1)%3C/script%3E&%FF=%FE",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(count(&reply.body, r#"type="checkbox""#), 6);
    assert!(!reply.body.contains("alert(1)"));
    assert_no_injection(&reply);
}

#[tokio::test]
async fn markup_in_content_is_escaped_or_sanitised() {
    let reply = get("/thu-tuc/dang-ky-tam-tru").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .contains("Đăng ký tạm trú &lt;b&gt;mới&lt;/b&gt;")
    );
    assert!(reply.body.contains("&quot;để đi làm&quot; &amp; học"));
    assert_no_injection(&reply);
    let print = get("/thu-tuc/dang-ky-tam-tru/in").await;
    assert_no_injection(&print);
}

#[tokio::test]
async fn unknown_procedure_is_a_helpful_404() {
    let reply = get("/thu-tuc/khong-co-thu-tuc-nay").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Không tìm thấy thủ tục này"));
    assert!(reply.body.contains("«khong-co-thu-tuc-nay»"));
    assert!(reply.body.contains(r#"action="/tim-kiem""#));
    assert!(reply.body.contains(r#"href="/danh-muc/ho-tich""#));
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn script_in_an_id_is_escaped() {
    let reply = get("/thu-tuc/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(
        reply
            .body
            .contains("«&lt;script&gt;alert(1)&lt;/script&gt;»")
    );
    assert_no_injection(&reply);
    let reply = get("/danh-muc/%3Cimg%20src=x%20onerror=alert(1)%3E").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[tokio::test]
async fn undecodable_and_huge_ids_are_404() {
    let reply = get("/thu-tuc/%FF%FE").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Không tìm thấy trang này"));
    let huge = "a".repeat(20_000);
    let reply = get(&format!("/thu-tuc/{huge}")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.len() < 10_000, "{}", reply.body.len());
    let reply = get(&format!("/thu-tuc/{huge}/in")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn huge_query_strings_still_get_a_page() {
    // The `http` crate refuses addresses of 64 KiB or more; hyper refuses them earlier still.
    let huge = "x".repeat(30_000);
    for uri in [
        format!("/thu-tuc/dang-ky-khai-sinh?{huge}={huge}"),
        format!("/?q={huge}"),
        format!("/in?ids={huge}"),
        format!("/danh-muc/ho-tich?{huge}"),
    ] {
        let reply = get(&uri).await;
        assert!(
            reply.status == StatusCode::OK || reply.status == StatusCode::NOT_FOUND,
            "{} for {}…",
            reply.status,
            &uri[..30]
        );
        assert!(reply.body.len() < 30_000, "{}", reply.body.len());
    }
}

#[tokio::test]
async fn print_view_has_tick_boxes_counts_place_fee_lines_and_a_qr_code() {
    let reply = get("/thu-tuc/dang-ky-khai-sinh/in").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = &reply.body;
    assert!(body.contains(r#"class="print-view""#));
    assert_eq!(count(body, r#"class="box""#), 6);
    assert!(body.contains("1 bản chính"));
    assert!(body.contains("<b>Nộp ở đâu:</b> Ủy ban nhân dân xã"));
    assert!(body.contains("<b>Lệ phí:</b> Miễn lệ phí khi đăng ký đúng hạn."));
    assert!(body.contains("Họ tên: <span class=\"line\"></span> Ấp, khu phố:"));
    assert!(body.contains("Ghi chú"));
    assert!(body.contains("<svg"));
    assert!(body.contains("Mã QR của trang thủ tục"));
    assert!(body.contains("https://giayto.example/thu-tuc/dang-ky-khai-sinh"));
    assert!(
        body.contains("Không cần mang (cán bộ tự tra cứu): Giấy chứng nhận kết hôn của cha mẹ.")
    );
    assert_no_injection(&reply);
}

#[tokio::test]
async fn packet_prints_each_known_procedure_once_and_names_the_unknown() {
    let reply = get("/in?ids=dang-ky-khai-sinh,dang-ky-tam-tru,dang-ky-khai-sinh,%3Cb%3Ezzz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(count(&reply.body, r#"<article class="sheet">"#), 2);
    assert!(reply.body.contains("Không tìm thấy: &lt;b&gt;zzz"));
    // The form of a category page sends one `ids` per ticked box.
    let reply = get("/in?ids=dang-ky-khai-sinh&ids=lien-thong-khai-sinh-duoi-6").await;
    assert_eq!(count(&reply.body, r#"<article class="sheet">"#), 2);
    for uri in ["/in", "/in?ids=", "/in?ids=nope", "/in?x=1"] {
        assert_eq!(get(uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let many = vec!["dang-ky-tam-tru"; 500].join(",");
    let reply = get(&format!("/in?ids={many}")).await;
    assert_eq!(count(&reply.body, r#"<article class="sheet">"#), 1);
}

#[tokio::test]
async fn category_page_lists_its_procedures_with_a_print_form() {
    let reply = get("/danh-muc/ho-tich").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("<h1>Hộ tịch</h1>"));
    assert!(reply.body.contains(r#"href="/thu-tuc/dang-ky-khai-sinh""#));
    assert!(
        reply
            .body
            .contains(r#"href="/thu-tuc/lien-thong-khai-sinh-duoi-6""#)
    );
    assert!(!reply.body.contains(r#"href="/thu-tuc/dang-ky-tam-tru""#));
    assert!(reply.body.contains(r#"<form action="/in" method="get">"#));
    assert!(
        reply
            .body
            .contains(r#"name="ids" value="dang-ky-khai-sinh""#)
    );
    let empty = get("/danh-muc/chung-thuc").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Nhóm này chưa có thủ tục nào."));
    let unknown = get("/danh-muc/khong-co").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Không tìm thấy nhóm thủ tục này"));
}

#[tokio::test]
async fn the_stylesheet_is_served_under_its_hash_for_a_year() {
    let home = get("/").await;
    let start = home.body.find("/static/site-").unwrap();
    let end = start + home.body[start..].find('"').unwrap();
    let path = &home.body[start..end];
    let css = get(path).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(
        css.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(css.body.contains("@media print"));
    assert_eq!(
        get("/static/site-0000000000000000.css").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/static/..%2FCargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn healthz_says_ok_and_counts_procedures() {
    let reply = get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "ok 3\n");
}

#[tokio::test]
async fn api_gives_the_procedure_as_json_and_errors_as_json() {
    let reply = get("/api/thu-tuc/dang-ky-khai-sinh").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["id"], "dang-ky-khai-sinh");
    assert_eq!(json["category"], "ho-tich");
    assert_eq!(json["codes"][0], "1.001193");
    assert_eq!(json["documents"].as_array().unwrap().len(), 7);

    let reply = get("/api/thu-tuc/%3Cscript%3E").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["error"], "Không tìm thấy thủ tục này");
    let reply = get("/api/khong-co").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_ok());
}

#[tokio::test]
async fn every_response_has_the_security_headers() {
    for uri in [
        "/",
        "/thu-tuc/dang-ky-khai-sinh",
        "/thu-tuc/nope",
        "/api/thu-tuc/dang-ky-khai-sinh",
        "/healthz",
    ] {
        let reply = get(uri).await;
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert!(!csp.contains("script-src"), "{uri}: {csp}");
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(reply.headers[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
    }
}

#[tokio::test]
async fn pages_have_an_etag_and_answer_304() {
    let first = get("/thu-tuc/dang-ky-khai-sinh").await;
    let etag = first.headers[header::ETAG].clone();
    assert!(etag.to_str().unwrap().starts_with("W/\""));
    assert_eq!(first.headers[header::CACHE_CONTROL], "public, max-age=300");
    let again = send(
        Request::get("/thu-tuc/dang-ky-khai-sinh")
            .header(header::IF_NONE_MATCH, etag.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.body, "");
    assert_eq!(again.headers[header::ETAG], etag);
    let other = send(
        Request::get("/thu-tuc/dang-ky-tam-tru")
            .header(header::IF_NONE_MATCH, etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_accepts_it() {
    for encoding in ["gzip", "br"] {
        let reply = send(
            Request::get("/thu-tuc/dang-ky-khai-sinh")
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.headers[header::CONTENT_ENCODING], encoding);
    }
}

#[tokio::test]
async fn other_methods_and_addresses_get_a_page() {
    let reply = send(
        Request::builder()
            .method(Method::POST)
            .uri("/thu-tuc/dang-ky-khai-sinh")
            .body(Body::from("x".repeat(100_000)))
            .unwrap(),
    )
    .await;
    assert!(
        reply.status == StatusCode::METHOD_NOT_ALLOWED
            || reply.status == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.status
    );
    let reply = send(
        Request::builder()
            .method(Method::DELETE)
            .uri("/")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(reply.body.contains("Trang này chỉ để xem"));
    let head = send(
        Request::head("/thu-tuc/dang-ky-khai-sinh")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.body, "");
    for uri in [
        "/khong-co",
        "/thu-tuc/",
        "/thu-tuc/dang-ky-khai-sinh/in/them",
        "/%00",
        "/static/",
        "/..%2F..%2Fetc%2Fpasswd",
    ] {
        let reply = get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(reply.body.contains(r#"action="/tim-kiem""#), "{uri}");
    }
}

/// The bundled procedures: every page renders, and what a phone downloads for a procedure page
/// (the page and its stylesheet, compressed as the site sends them) fits in 14 KB, the first round
/// trips of a new connection; uncompressed, a page stays under 48 KB.
#[tokio::test]
async fn bundled_procedure_pages_render_and_stay_light() {
    let site = bundled_site();
    let ids: Vec<String> = site.procedures.iter().map(|p| p.id().to_string()).collect();
    assert!(
        ids.len() >= 10,
        "only {} bundled procedures load",
        ids.len()
    );
    let app = web::router(Arc::new(site));
    let fetch = |uri: String, gzip: bool| {
        let app = app.clone();
        async move {
            let mut request = Request::get(&uri);
            if gzip {
                request = request.header(header::ACCEPT_ENCODING, "gzip");
            }
            let response = app
                .oneshot(request.body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
        }
    };
    let home = String::from_utf8(fetch("/".into(), false).await.to_vec()).unwrap();
    let css_href = home
        .split(r#"rel="stylesheet" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the home page links its stylesheet")
        .to_string();
    let css_sent = fetch(css_href, true).await.len();
    for id in ids {
        for uri in [format!("/thu-tuc/{id}"), format!("/thu-tuc/{id}/in")] {
            let body = fetch(uri.clone(), false).await;
            if uri.ends_with("/in") {
                continue;
            }
            let sent = fetch(uri.clone(), true).await.len();
            assert!(
                body.len() < 48 * 1024 && sent + css_sent < 14 * 1024,
                "{uri}: {} bytes of HTML ({sent} sent) + {css_sent} bytes of CSS sent",
                body.len()
            );
        }
    }
}

#[tokio::test]
async fn search_without_diacritics_finds_the_procedure_and_keeps_the_query() {
    let reply = get("/tim-kiem?q=lam+giay+khai+sinh").await;
    assert_eq!(reply.status, StatusCode::OK);
    let first = reply.body.find(r#"<ol class="results">"#).unwrap();
    let first_link = &reply.body[first..];
    assert!(
        first_link
            .trim_start_matches(r#"<ol class="results">"#)
            .trim_start()
            .starts_with(r#"<li><a href="/thu-tuc/dang-ky-khai-sinh">"#),
        "{first_link}"
    );
    assert!(reply.body.contains("<mark>"));
    assert!(reply.body.contains(r#"value="lam giay khai sinh""#));
    assert_no_injection(&reply);
}

#[tokio::test]
async fn search_with_no_result_offers_spelling_help_categories_and_a_volunteer() {
    let reply = get("/tim-kiem?q=qwxzv").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .contains("Không tìm thấy thủ tục nào cho «qwxzv»")
    );
    assert!(reply.body.contains("Kiểm tra lại chính tả"));
    assert!(reply.body.contains(r#"href="/danh-muc/ho-tich""#));
    assert!(reply.body.contains("Đoàn Thanh niên"));
    assert!(reply.body.contains(r#"value="qwxzv""#));
}

#[tokio::test]
async fn empty_search_shows_the_box_and_the_categories() {
    for uri in [
        "/tim-kiem",
        "/tim-kiem?q=",
        "/tim-kiem?q=+++",
        "/tim-kiem?x=1",
    ] {
        let reply = get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert!(reply.body.contains(r#"name="q""#), "{uri}");
        assert!(reply.body.contains(r#"href="/danh-muc/cu-tru""#), "{uri}");
        assert!(!reply.body.contains("Không tìm thấy"), "{uri}");
    }
}

#[tokio::test]
async fn script_in_the_query_is_escaped_everywhere() {
    let reply = get("/tim-kiem?q=%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E%20khai%20sinh").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    );
    assert_no_injection(&reply);
    let reply = get("/tim-kiem?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .contains(r#"value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;""#)
    );
    assert!(!reply.body.contains("<img"));
}

#[tokio::test]
async fn hostile_and_huge_queries_get_a_page() {
    let huge = "khai+sinh+".repeat(3_000);
    let encode = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
    // Already encoded, as a browser or a hostile client would send them.
    let queries: Vec<String> = vec![
        huge,
        "%FF%FE%00".into(),
        "%E0%A4%A".into(),
        encode("(((((((((("),
        encode("\"unterminated"),
        encode("title:x AND OR NOT * ~2 ^9"),
        encode("🙂🙂🙂"),
        encode("\u{202e}\u{0}\t\r\n"),
    ];
    for q in &queries {
        let reply = get(&format!("/tim-kiem?q={q}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{q:.40}");
        assert!(reply.body.len() < 30_000, "{q:.40}: {}", reply.body.len());
        let api = get(&format!("/api/search?q={q}")).await;
        assert_eq!(api.status, StatusCode::OK, "{q:.40}");
        assert!(serde_json::from_str::<serde_json::Value>(&api.body).is_ok());
    }
}

#[tokio::test]
async fn api_search_has_the_fixed_shape_and_caps_the_limit() {
    let reply = get("/api/search?q=khai+sinh&limit=1").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["query"], "khai sinh");
    assert!(json["total"].as_u64().unwrap() >= 2);
    let hits = json["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], "dang-ky-khai-sinh");
    assert_eq!(hits[0]["url"], "/thu-tuc/dang-ky-khai-sinh");
    for key in ["title", "codes", "score", "snippet"] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }
    for limit in ["999999999999999999999999", "-1", "abc", "100000"] {
        let reply = get(&format!("/api/search?q=thu+tuc&limit={limit}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{limit}");
        let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert!(json["hits"].as_array().unwrap().len() <= 50, "{limit}");
    }
    let empty = get("/api/search").await;
    assert_eq!(empty.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&empty.body).unwrap();
    assert_eq!(json["hits"].as_array().unwrap().len(), 0);
}

/// On the bundled procedures a common word matches many files: the page says it shows only the
/// best of them, and lists exactly that many.
#[tokio::test]
async fn many_matches_are_shown_as_the_best_few() {
    let app = web::router(Arc::new(bundled_site()));
    let response = app
        .oneshot(
            Request::get("/tim-kiem?q=lam+giay+khai+sanh")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = String::from_utf8(body.to_vec()).unwrap();
    // Procedures and situations are ranked together.
    let shown = count(&body, "<li><a href=\"/thu-tuc/") + count(&body, "<li class=\"situation\">");
    assert_eq!(shown, giayto::search::DEFAULT_LIMIT);
    assert!(
        body.contains(&format!("Đây là {shown} thủ tục phù hợp nhất")),
        "{body}"
    );
}

/// Change notes: "Cập nhật ngày …" from the newest note, and the list, newest first; no edit or
/// report link when none is configured.
#[tokio::test]
async fn the_page_shows_the_newest_change_note_and_no_unconfigured_links() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/procedures");
    let app = web::router(Arc::new(site_over(&dir)));
    let response = app
        .oneshot(
            Request::get("/thu-tuc/dang-ky-khai-tu")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = String::from_utf8(body.to_vec()).unwrap();
    assert!(body.contains("Cập nhật ngày 01/11/2026"), "{body}");
    let newest = body.find("<b>01/11/2026</b>").unwrap();
    let older = body.find("<b>01/07/2026</b>").unwrap();
    assert!(newest < older);
    assert!(!body.contains("Sửa trang này"));
    assert!(!body.contains("Báo thông tin sai"));
    assert!(!body.contains("class=\"problems"));
}

/// One site answering several requests in turn, so its render cache is shared between them.
async fn send_to(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, bytes.to_vec())
}

#[tokio::test]
async fn pages_are_rendered_once_and_served_precompressed_from_the_cache() {
    use std::io::Read;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/procedures");
    let site = Arc::new(site_over(&dir));
    let app = web::router(site.clone());
    let page = "/thu-tuc/dang-ky-khai-sinh?sinh_tai_co_so_y_te=co";
    let request = |encoding: &str| {
        Request::get(page)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap()
    };
    assert!(site.cache.is_empty());
    let (status, plain_headers, plain) = send_to(&app, request("identity")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(site.cache.len(), 1);
    let (_, headers, gzipped) = send_to(&app, request("gzip")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(headers[header::VARY], "accept-encoding");
    assert_eq!(headers[header::ETAG], plain_headers[header::ETAG]);
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gzipped[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain);
    let (_, headers, brotli) = send_to(&app, request("gzip, br")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert!(brotli.len() < gzipped.len() && gzipped.len() < plain.len() / 2);
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        plain_headers[header::CONTENT_SECURITY_POLICY]
    );
    // A conditional request is answered from the cache too.
    let (status, headers, body) = send_to(
        &app,
        Request::get(page)
            .header(header::IF_NONE_MATCH, plain_headers[header::ETAG].clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
    assert_eq!(site.cache.len(), 1);
    // Other answers are another page; errors and the health check are never kept.
    send_to(
        &app,
        Request::get("/thu-tuc/dang-ky-khai-sinh")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    send_to(
        &app,
        Request::get("/thu-tuc/khong-co")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    send_to(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(site.cache.len(), 2);
    site.cache.clear();
    assert!(site.cache.is_empty());
}

#[tokio::test]
async fn templates_read_from_a_folder_are_never_cached() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/procedures");
    let loaded = content::load_dir(&dir, today()).unwrap();
    let index = SearchIndex::build(&loaded.procedures, &Synonyms::default()).unwrap();
    let templates =
        Templates::folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")).unwrap();
    let site = Arc::new(Site::new(loaded, index, templates, BASE_URL));
    let app = web::router(site.clone());
    let (status, _, _) = send_to(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(site.cache.is_empty());
}
