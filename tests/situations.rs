//! Personalised checklists through the router, on real procedures: for three bundled procedures
//! and two situations over bundled procedures (`tests/fixtures/situations/`), every combination
//! of answers gives the paper list written out here, by hand, from the procedure files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use giayto::content;
use giayto::search::{SYNONYMS_FILE, SearchIndex, Synonyms};
use giayto::web::{self, Site, Templates};
use tower::ServiceExt;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "_situations" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The bundled procedures with the test situations instead of the bundled ones.
fn content_dir() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("procedures");
    copy_tree(&root.join("procedures"), &dir);
    copy_tree(
        &root.join("tests/fixtures/situations"),
        &dir.join("_situations"),
    );
    (temp, dir)
}

fn app() -> axum::Router {
    let (_temp, dir) = content_dir();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let loaded = content::load_dir(&dir, today).unwrap();
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(loaded.situations.len(), 2);
    let (synonyms, _) = Synonyms::load(&dir.join(SYNONYMS_FILE)).unwrap();
    let index = SearchIndex::build_with(&loaded.procedures, &loaded.situations, &synonyms).unwrap();
    let site = Site::new(
        loaded,
        index,
        Templates::embedded().unwrap(),
        "https://giayto.example",
    );
    web::router(Arc::new(site))
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn json(app: &axum::Router, uri: &str) -> serde_json::Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    serde_json::from_str(&body).unwrap()
}

fn names(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The papers needed for a fully answered checklist; nothing is left to a case.
fn needed(checklist: &serde_json::Value, uri: &str) -> Vec<String> {
    assert_eq!(names(&checklist["if_case"]), Vec::<String>::new(), "{uri}");
    names(&checklist["needed"])
}

// Paper names, as the files write them.
const KHAI_TU_TO_KHAI: &str = "Tờ khai đăng ký khai tử";
const BAO_TU_BENH_VIEN: &str = "Giấy báo tử của bệnh viện, trạm y tế";
const BAO_TU_XA: &str = "Giấy báo tử do UBND xã, phường nơi người đó mất cấp";
const CONG_AN: &str = "Văn bản xác nhận của công an hoặc kết luận giám định pháp y";
const CHUNG_CU_CHET: &str = "Giấy tờ, tài liệu, chứng cứ chứng minh sự kiện chết";
const UY_QUYEN: &str = "Văn bản ủy quyền";
const CAN_CUOC_KHAI_TU: &str = "Căn cước (thẻ căn cước, căn cước công dân, căn cước điện tử) hoặc hộ chiếu của người đi khai tử";
const CU_TRU_CUOI: &str = "Nơi cư trú cuối cùng của người mất";
const NOI_MAT: &str = "Giấy tờ chứng minh nơi người đó mất hoặc nơi phát hiện thi thể";

#[tokio::test]
async fn death_registration_for_every_answer() {
    let app = app();
    let cases: [(&str, &str, &[&str]); 8] = [
        (
            "co_so_y_te",
            "khong",
            &[
                KHAI_TU_TO_KHAI,
                BAO_TU_BENH_VIEN,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
        (
            "co_so_y_te",
            "co",
            &[
                KHAI_TU_TO_KHAI,
                BAO_TU_BENH_VIEN,
                UY_QUYEN,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
        (
            "tai_nha",
            "khong",
            &[
                KHAI_TU_TO_KHAI,
                BAO_TU_XA,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
        (
            "tai_nha",
            "co",
            &[
                KHAI_TU_TO_KHAI,
                BAO_TU_XA,
                UY_QUYEN,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
        (
            "tai_nan",
            "khong",
            &[
                KHAI_TU_TO_KHAI,
                CONG_AN,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
        (
            "tai_nan",
            "co",
            &[
                KHAI_TU_TO_KHAI,
                CONG_AN,
                UY_QUYEN,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
        (
            "da_lau",
            "khong",
            &[
                KHAI_TU_TO_KHAI,
                CHUNG_CU_CHET,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
        (
            "da_lau",
            "co",
            &[
                KHAI_TU_TO_KHAI,
                CHUNG_CU_CHET,
                UY_QUYEN,
                CAN_CUOC_KHAI_TU,
                CU_TRU_CUOI,
                NOI_MAT,
            ],
        ),
    ];
    for (noi_mat, uy_quyen, expected) in cases {
        let uri = format!("/api/thu-tuc/dang-ky-khai-tu?noi_mat={noi_mat}&uy_quyen={uy_quyen}");
        let value = json(&app, &uri).await;
        assert_eq!(needed(&value["checklist"], &uri), expected, "{uri}");
    }
}

const CT01_DIEN_TU: &str =
    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01, khai trên biểu mẫu điện tử)";

#[tokio::test]
async fn temporary_residence_removal_for_every_answer() {
    let app = app();
    let cases: [(&str, &[&str]); 4] = [
        (
            "het_thue",
            &[
                CT01_DIEN_TU,
                "Giấy tờ chứng minh đã hết thuê, mượn, ở nhờ (thanh lý hợp đồng, giấy xác nhận của chủ nhà...)",
            ],
        ),
        (
            "vang_6_thang",
            &[CT01_DIEN_TU, "Thông tin người đó vắng mặt từ 6 tháng"],
        ),
        (
            "doi_chu",
            &[
                CT01_DIEN_TU,
                "Giấy tờ chứng minh nhà đã chuyển chủ (hợp đồng mua bán, tặng cho...)",
            ],
        ),
        (
            "pha_do",
            &[
                CT01_DIEN_TU,
                "Quyết định thu hồi, phá dỡ, tịch thu nhà hoặc xóa đăng ký phương tiện",
            ],
        ),
    ];
    for (ly_do, expected) in cases {
        let uri = format!("/api/thu-tuc/xoa-dang-ky-tam-tru?ly_do={ly_do}");
        let value = json(&app, &uri).await;
        assert_eq!(needed(&value["checklist"], &uri), expected, "{uri}");
    }
}

const DU_LIEU: &str = "Thông tin nhân thân, ảnh, vân tay đã lưu trong Cơ sở dữ liệu quốc gia về dân cư và Cơ sở dữ liệu căn cước";
const DC02: &str = "Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02)";
const CC01: &str = "Phiếu thu nhận thông tin căn cước (Mẫu CC01)";
const THE_HONG: &str = "Thẻ căn cước bị hư hỏng";
const CHA_ME: &str = "Giấy tờ chứng minh là cha, mẹ hoặc người đại diện hợp pháp của trẻ (giấy khai sinh của trẻ...)";
const DC01: &str =
    "Phiếu thu thập thông tin dân cư (Mẫu DC01) và giấy tờ chứng minh thông tin công dân";

/// The identity-card replacement papers for `ly_do` and `duoi_14`, written out.
fn replacement_card(ly_do: &str, duoi_14: &str) -> Vec<&'static str> {
    match (ly_do, duoi_14) {
        ("mat_the", "khong") => vec![DU_LIEU, DC02, CC01],
        ("mat_the", "co") => vec![DU_LIEU, DC02, CC01, CHA_ME],
        ("hu_hong", "khong") => vec![DU_LIEU, DC02, CC01, THE_HONG],
        ("hu_hong", "co") => vec![DU_LIEU, DC02, CC01, THE_HONG, CHA_ME],
        ("tro_lai_quoc_tich", "khong") => vec![DU_LIEU, DC02, CC01, DC01],
        ("tro_lai_quoc_tich", "co") => vec![DU_LIEU, DC02, CC01, CHA_ME, DC01],
        other => panic!("no case {other:?}"),
    }
}

#[tokio::test]
async fn identity_card_replacement_for_every_answer() {
    let app = app();
    for ly_do in ["mat_the", "hu_hong", "tro_lai_quoc_tich"] {
        for duoi_14 in ["khong", "co"] {
            let uri = format!("/api/thu-tuc/cap-lai-the-can-cuoc?ly_do={ly_do}&duoi_14={duoi_14}");
            let value = json(&app, &uri).await;
            assert_eq!(
                needed(&value["checklist"], &uri),
                replacement_card(ly_do, duoi_14),
                "{uri}"
            );
        }
    }
}

const DON_HOA_GIAI: &str = "Đơn yêu cầu hòa giải tranh chấp đất đai";
const GIAY_TO_DAT: &str = "Các giấy tờ có liên quan đến việc sử dụng đất (sổ đỏ, giấy tờ cũ, giấy tay mua bán, biên lai thuế đất, bản đồ)";
const CAN_CUOC_DON: &str = "Thẻ căn cước (hoặc thẻ căn cước công dân còn hạn) của người nộp đơn";
const DON_GIAI_QUYET: &str = "Đơn yêu cầu giải quyết tranh chấp đất đai";
const BIEN_BAN: &str = "Biên bản hòa giải tranh chấp đất đai tại UBND xã, phường";
const CHUNG_CU_DAT: &str = "Giấy tờ, tài liệu làm chứng cứ về thửa đất (giấy tờ cũ, biên lai thuế đất, giấy tay, ảnh chụp, tên người làm chứng)";

/// `(co_giay_to_dat, uy_quyen, co_bien_ban)` and the papers of mediation and of the decision.
type LandCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

#[tokio::test]
async fn a_land_dispute_asks_shared_questions_once_and_narrows_both_procedures() {
    let app = app();
    // The page asks `co_giay_to_dat` and `uy_quyen` once for both files, and the second
    // file's own question under its id.
    let (status, page) = get(&app, "/tinh-huong/tranh-chap-dat-thu").await;
    assert_eq!(status, StatusCode::OK);
    for field in [
        "co_giay_to_dat",
        "uy_quyen",
        "giai-quyet-tranh-chap-dat.co_bien_ban",
    ] {
        let radios = page.matches(&format!("name=\"{field}\"")).count();
        assert_eq!(radios, 2, "{field}: {radios} radios");
    }
    assert!(!page.contains("name=\"hoa-giai-tranh-chap-dat.co_giay_to_dat\""));
    // (co_giay_to_dat, uy_quyen, co_bien_ban) → (hòa giải, giải quyết)
    let cases: [LandCase; 8] = [
        (
            "khong",
            "khong",
            "khong",
            &[DON_HOA_GIAI, CAN_CUOC_DON],
            &[DON_GIAI_QUYET, CAN_CUOC_DON],
        ),
        (
            "khong",
            "khong",
            "co",
            &[DON_HOA_GIAI, CAN_CUOC_DON],
            &[DON_GIAI_QUYET, BIEN_BAN, CAN_CUOC_DON],
        ),
        (
            "khong",
            "co",
            "khong",
            &[DON_HOA_GIAI, CAN_CUOC_DON, UY_QUYEN],
            &[DON_GIAI_QUYET, CAN_CUOC_DON],
        ),
        (
            "khong",
            "co",
            "co",
            &[DON_HOA_GIAI, CAN_CUOC_DON, UY_QUYEN],
            &[DON_GIAI_QUYET, BIEN_BAN, CAN_CUOC_DON],
        ),
        (
            "co",
            "khong",
            "khong",
            &[DON_HOA_GIAI, GIAY_TO_DAT, CAN_CUOC_DON],
            &[DON_GIAI_QUYET, CHUNG_CU_DAT, CAN_CUOC_DON],
        ),
        (
            "co",
            "khong",
            "co",
            &[DON_HOA_GIAI, GIAY_TO_DAT, CAN_CUOC_DON],
            &[DON_GIAI_QUYET, BIEN_BAN, CHUNG_CU_DAT, CAN_CUOC_DON],
        ),
        (
            "co",
            "co",
            "khong",
            &[DON_HOA_GIAI, GIAY_TO_DAT, CAN_CUOC_DON, UY_QUYEN],
            &[DON_GIAI_QUYET, CHUNG_CU_DAT, CAN_CUOC_DON],
        ),
        (
            "co",
            "co",
            "co",
            &[DON_HOA_GIAI, GIAY_TO_DAT, CAN_CUOC_DON, UY_QUYEN],
            &[DON_GIAI_QUYET, BIEN_BAN, CHUNG_CU_DAT, CAN_CUOC_DON],
        ),
    ];
    for (giay_to, uy_quyen, bien_ban, hoa_giai, giai_quyet) in cases {
        let query = format!(
            "co_giay_to_dat={giay_to}&uy_quyen={uy_quyen}&giai-quyet-tranh-chap-dat.co_bien_ban={bien_ban}"
        );
        let uri = format!("/api/tinh-huong/tranh-chap-dat-thu?{query}");
        let value = json(&app, &uri).await;
        let steps = value["procedures"].as_array().unwrap();
        assert_eq!(steps[0]["id"], "hoa-giai-tranh-chap-dat");
        assert_eq!(needed(&steps[0], &uri), hoa_giai, "{uri}");
        assert_eq!(steps[1]["id"], "giai-quyet-tranh-chap-dat");
        assert_eq!(needed(&steps[1], &uri), giai_quyet, "{uri}");
        // The printed packet of the same answers lists the same papers and no other.
        let (status, packet) = get(
            &app,
            &format!("/in?ids=hoa-giai-tranh-chap-dat,giai-quyet-tranh-chap-dat&{query}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        for paper in [GIAY_TO_DAT, UY_QUYEN, BIEN_BAN, CHUNG_CU_DAT] {
            let wanted = hoa_giai.contains(&paper) || giai_quyet.contains(&paper);
            assert_eq!(
                packet.contains(paper),
                wanted,
                "{paper} in the packet of {query}"
            );
        }
    }
}

const TK_BAN_SAO: &str = "Tờ khai đề nghị cấp bản sao Trích lục hộ tịch";
const CAN_CUOC_XIN: &str =
    "Căn cước (thẻ căn cước hoặc căn cước công dân còn hạn) hoặc hộ chiếu của người đi xin";

#[tokio::test]
async fn lost_papers_narrow_each_procedure_by_its_own_questions() {
    let app = app();
    for xin_cho in ["khong", "co"] {
        for ly_do in ["mat_the", "hu_hong", "tro_lai_quoc_tich"] {
            for duoi_14 in ["khong", "co"] {
                let uri = format!(
                    "/api/tinh-huong/mat-giay-thu?trich-luc-ban-sao-ho-tich.xin_cho_nguoi_khac={xin_cho}\
                     &cap-lai-the-can-cuoc.ly_do={ly_do}&cap-lai-the-can-cuoc.duoi_14={duoi_14}"
                );
                let value = json(&app, &uri).await;
                let steps = value["procedures"].as_array().unwrap();
                // The old civil-status paper is optional but listed for everyone.
                let mut ban_sao = vec![
                    TK_BAN_SAO,
                    "Giấy tờ hộ tịch cũ (Giấy khai sinh, giấy kết hôn, giấy chứng tử cũ)",
                    CAN_CUOC_XIN,
                ];
                if xin_cho == "co" {
                    ban_sao.push(UY_QUYEN);
                }
                assert_eq!(needed(&steps[0], &uri), ban_sao, "{uri}");
                assert_eq!(
                    needed(&steps[1], &uri),
                    replacement_card(ly_do, duoi_14),
                    "{uri}"
                );
            }
        }
    }
}

#[tokio::test]
async fn unanswered_questions_leave_papers_to_their_case_and_search_finds_situations() {
    let app = app();
    let value = json(&app, "/api/tinh-huong/tranh-chap-dat-thu").await;
    assert_eq!(
        names(&value["procedures"][0]["if_case"]),
        [GIAY_TO_DAT, UY_QUYEN]
    );
    let hits = json(&app, "/api/search?q=tranh+chap+dat+thu&limit=5").await;
    let hit = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "tranh-chap-dat-thu")
        .expect("the situation is a hit");
    assert_eq!(hit["kind"], "situation");
    assert_eq!(hit["url"], "/tinh-huong/tranh-chap-dat-thu");
    assert_eq!(
        names(&hit["procedures"]),
        ["hoa-giai-tranh-chap-dat", "giai-quyet-tranh-chap-dat"]
    );
    let (status, _) = get(&app, "/tinh-huong/khong-co").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_visit_list_gathers_procedures_with_their_answers_in_the_address() {
    let app = app();
    let (_, first) = get(&app, "/thu-tuc/dang-ky-khai-tu?noi_mat=tai_nha").await;
    assert!(
        first.contains(r#"href="/in?ids=dang-ky-khai-tu&amp;noi_mat=tai_nha""#),
        "no visit link"
    );
    // The next page, opened from the visit being prepared, adds itself and its own answers.
    let (_, second) = get(
        &app,
        "/thu-tuc/xoa-dang-ky-tam-tru?ly_do=het_thue&tham=ids%3Ddang-ky-khai-tu%26noi_mat%3Dtai_nha",
    )
    .await;
    let visit = "/in?ids=dang-ky-khai-tu%2Cxoa-dang-ky-tam-tru&amp;noi_mat=tai_nha&amp;xoa-dang-ky-tam-tru.ly_do=het_thue";
    assert!(
        second.contains(&format!(r#"href="{visit}""#)),
        "no merged visit link"
    );
    // Answering there keeps the visit.
    assert!(second.contains(
        r#"<input type="hidden" name="tham" value="ids=dang-ky-khai-tu&amp;noi_mat=tai_nha">"#
    ));
    let (status, packet) = get(&app, &visit.replace("&amp;", "&")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(packet.matches(r#"<article class="sheet">"#).count(), 2);
    assert!(packet.contains(BAO_TU_XA));
    assert!(!packet.contains(BAO_TU_BENH_VIEN));
    assert!(packet.contains("Giấy tờ chứng minh đã hết thuê, mượn, ở nhờ"));
    assert!(!packet.contains("Giấy tờ chứng minh nhà đã chuyển chủ"));
    assert_eq!(packet.matches("Họ tên:").count(), 1, "household lines once");
    // Each sheet's QR code reopens its own checklist with its answers.
    assert!(packet.contains("https://giayto.example/thu-tuc/dang-ky-khai-tu?noi_mat=tai_nha"));
    assert!(packet.contains("https://giayto.example/thu-tuc/xoa-dang-ky-tam-tru?ly_do=het_thue"));
    // Searching from the packet carries the visit to the results.
    let (_, results) = get(&app, "/tim-kiem?q=mat+can+cuoc&tham=ids%3Ddang-ky-khai-tu").await;
    assert!(
        results.contains("?tham=ids%3Ddang-ky-khai-tu"),
        "the visit is lost in search"
    );
}

#[tokio::test]
async fn pages_say_what_they_are_when_shared() {
    let app = app();
    let (_, page) = get(&app, "/tinh-huong/tranh-chap-dat-thu?co_giay_to_dat=co").await;
    assert!(page.contains(r#"<meta property="og:title" content="Tranh chấp đất (thử)">"#));
    assert!(page.contains(r#"<meta property="og:url" content="https://giayto.example/tinh-huong/tranh-chap-dat-thu?co_giay_to_dat=co">"#));
    let (_, page) = get(&app, "/thu-tuc/dang-ky-khai-tu?noi_mat=tai_nha").await;
    assert!(page.contains(r#"<meta property="og:title" content="Đăng ký khai tử">"#));
    assert!(page.contains(r#"<meta property="og:description" content="Tại nhà hoặc nơi khác, mất bình thường (bệnh, già). "#));
    assert!(page.contains("Không cần trong trường hợp của bạn (3)"));
}
