//! The knowledge base: the procedures and guides a ward's volunteers meet every week,
//! each complete enough for a resident to bring the right papers the first time.

use std::collections::HashMap;
use std::path::Path;

use giayto::content::{self, Content};
use giayto::model::{Kind, Procedure};

/// The administrative procedures (`kind: procedure`), by category.
const PROCEDURE_IDS: [&str; 104] = [
    // Hộ tịch
    "cham-dut-giam-ho",
    "dang-ky-giam-ho",
    "dang-ky-giam-sat-giam-ho",
    "dang-ky-ket-hon-luu-dong",
    "dang-ky-ket-hon-yeu-to-nuoc-ngoai",
    "dang-ky-ket-hon",
    "dang-ky-khai-sinh-luu-dong",
    "dang-ky-khai-sinh-nguoi-da-co-giay-to",
    "dang-ky-khai-sinh-yeu-to-nuoc-ngoai",
    "dang-ky-khai-sinh",
    "dang-ky-khai-tu-luu-dong",
    "dang-ky-khai-tu-yeu-to-nuoc-ngoai",
    "dang-ky-khai-tu",
    "dang-ky-lai-ket-hon",
    "dang-ky-lai-khai-sinh-yeu-to-nuoc-ngoai",
    "dang-ky-lai-khai-sinh",
    "dang-ky-lai-khai-tu-yeu-to-nuoc-ngoai",
    "dang-ky-lai-khai-tu",
    "dang-ky-lai-nuoi-con-nuoi",
    "dang-ky-nuoi-con-nuoi",
    "khai-sinh-ket-hop-nhan-cha-me-con",
    "khai-sinh-nhan-cha-me-con-yeu-to-nuoc-ngoai",
    "lien-thong-khai-sinh-duoi-6",
    "lien-thong-khai-tu",
    "nhan-cha-me-con",
    "thay-doi-cai-chinh-ho-tich",
    "trich-luc-ban-sao-ho-tich",
    "xac-nhan-thong-tin-ho-tich",
    "xac-nhan-tinh-trang-hon-nhan",
    // Cư trú
    "dang-ky-tam-tru",
    "dang-ky-thuong-tru",
    "dieu-chinh-thong-tin-cu-tru",
    "dieu-chinh-thong-tin-dan-cu",
    "gia-han-tam-tru",
    "khai-bao-tam-vang",
    "khai-bao-thong-tin-cu-tru",
    "khai-thac-thong-tin-dan-cu",
    "tach-ho",
    "thong-bao-luu-tru",
    "xac-nhan-dien-tich-nha-o",
    "xac-nhan-noi-dau-do-phuong-tien",
    "xac-nhan-so-cmnd-cu",
    "xac-nhan-thong-tin-cu-tru",
    "xoa-dang-ky-tam-tru",
    "xoa-dang-ky-thuong-tru",
    // Căn cước, định danh điện tử và hộ chiếu
    "cap-doi-the-can-cuoc",
    "cap-lai-the-can-cuoc",
    "cap-the-can-cuoc-duoi-14-tuoi",
    "cap-the-can-cuoc-duoi-6-tuoi",
    "cap-the-can-cuoc",
    "tich-hop-cap-nhat-thong-tin-the-can-cuoc",
    "trinh-bao-mat-ho-chieu",
    "vneid-muc-2",
    // Đăng ký xe
    "cap-lai-dang-ky-phuong-tien-thuy",
    "cap-lai-dang-ky-xe",
    "dang-ky-phuong-tien-thuy",
    "dang-ky-xe-lan-dau",
    "doi-dang-ky-xe",
    "sang-ten-phuong-tien-thuy",
    "sang-ten-xe",
    "thu-hoi-dang-ky-xe",
    // Chứng thực
    "cap-ban-sao-giao-dich-da-chung-thuc",
    "cap-ban-sao-tu-so-goc",
    "chung-thuc-ban-sao",
    "chung-thuc-chu-ky-nguoi-dich",
    "chung-thuc-chu-ky",
    "chung-thuc-di-chuc",
    "chung-thuc-hop-dong",
    "chung-thuc-phan-chia-di-san",
    "chung-thuc-sua-doi-huy-bo-giao-dich",
    "chung-thuc-tu-choi-nhan-di-san",
    "sua-loi-sai-sot-giao-dich",
    // Trợ giúp xã hội và giảm nghèo
    "cong-nhan-ho-muc-song-trung-binh",
    "cong-nhan-ho-ngheo-dinh-ky",
    "cong-nhan-ho-ngheo",
    "cong-nhan-ho-thoat-ngheo",
    "cong-nhan-nguoi-lao-dong-thu-nhap-thap",
    "ho-tro-mai-tang-phi",
    "tro-cap-huu-tri-xa-hoi",
    "tro-cap-xa-hoi-hang-thang",
    "xac-dinh-muc-do-khuyet-tat",
    // Bảo hiểm xã hội và bảo hiểm y tế
    "bhxh-tu-nguyen",
    "bhyt-ho-gia-dinh",
    "cap-lai-the-bhyt",
    "cap-the-bhyt",
    "huong-bhxh-mot-lan",
    "huong-che-do-thai-san",
    "huong-che-do-tu-tuat",
    "truy-linh-che-do-nguoi-chet",
    "uy-quyen-linh-thay-bhxh",
    // Hộ kinh doanh
    "cap-lai-giay-chung-nhan-ho-kinh-doanh",
    "cham-dut-ho-kinh-doanh",
    "dang-ky-ho-kinh-doanh",
    "tam-ngung-ho-kinh-doanh",
    "thay-doi-ho-kinh-doanh",
    // Đất đai và xây dựng
    "chuyen-doi-cay-trong-dat-lua",
    "dang-ky-dat-dai-lan-dau",
    "dang-ky-the-chap-dat",
    "dinh-chinh-giay-chung-nhan",
    "giai-quyet-tranh-chap-dat",
    "giay-phep-sua-chua-cai-tao",
    "giay-phep-xay-dung",
    "hoa-giai-tranh-chap-dat",
    "xac-dinh-lai-dien-tich-dat-o",
];

/// The digital how-tos (`kind: guide`).
const GUIDE_IDS: [&str; 13] = [
    "dvcqg-dang-nhap",
    "dvcqg-nop-ho-so",
    "dvcqg-thanh-toan",
    "dvcqg-tra-cuu-ho-so",
    "quet-ma-qr",
    "vneid-cai-dat-kich-hoat",
    "vneid-dang-nhap-dien-thoai-moi",
    "vneid-doi-so-dien-thoai",
    "vneid-nguoi-khong-co-dien-thoai-thong-minh",
    "vneid-quen-mat-khau",
    "vneid-quen-passcode",
    "vneid-tai-khoan-cho-tre-em",
    "vneid-tich-hop-giay-to",
];

fn load() -> Content {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("procedures");
    content::load_dir(&dir, chrono::Local::now().date_naive()).unwrap()
}

#[test]
fn the_knowledge_base_has_exactly_the_expected_files_with_no_error_or_warning() {
    let loaded = load();
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code != "unused-question")
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut ids: Vec<&str> = loaded.procedures.iter().map(Procedure::id).collect();
    ids.sort_unstable();
    let mut expected = [PROCEDURE_IDS.as_slice(), GUIDE_IDS.as_slice()].concat();
    expected.sort_unstable();
    assert_eq!(ids, expected);
}

/// Questions no paper depends on yet (`unused-question` warnings), file by file: the content
/// reviewers' list. A new one fails here, and so does one that has been fixed.
#[test]
fn questions_nothing_depends_on_are_the_known_ones() {
    let mut found: Vec<String> = load()
        .diagnostics
        .iter()
        .filter(|d| d.code == "unused-question")
        .map(|d| {
            let file = d.path.file_stem().unwrap().to_string_lossy().into_owned();
            let question = d.message.split('`').nth(1).unwrap_or_default().to_string();
            format!("{file}: {question}")
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "cap-lai-dang-ky-xe: mat_gi",
            "cap-the-can-cuoc-duoi-14-tuoi: duoi_6",
            "chung-thuc-sua-doi-huy-bo-giao-dich: loai",
            "dang-ky-nuoi-con-nuoi: vo_chong",
            "lien-thong-khai-sinh-duoi-6: lam_can_cuoc",
            "tam-ngung-ho-kinh-doanh: loai",
            "tro-cap-huu-tri-xa-hoi: loai_yeu_cau",
            "vneid-cai-dat-kich-hoat: dien_thoai_nfc",
            "vneid-dang-nhap-dien-thoai-moi: con_so_cu",
            "vneid-doi-so-dien-thoai: con_dang_nhap",
            "vneid-tai-khoan-cho-tre-em: tuoi",
            "xac-nhan-dien-tich-nha-o: noi_dung",
        ]
    );
}

#[test]
fn guides_are_guides_and_procedures_are_procedures() {
    for p in load().procedures {
        let expected = if GUIDE_IDS.contains(&p.id()) {
            Kind::Guide
        } else {
            Kind::Procedure
        };
        assert_eq!(p.meta.kind, expected, "{}", p.id());
    }
}

#[test]
fn every_procedure_is_complete() {
    for p in load().procedures {
        let m = &p.meta;
        assert!(!m.steps.is_empty(), "{} has no step", p.id());
        assert!(!m.aliases.is_empty(), "{} has no alias", p.id());
        assert!(!m.sources.is_empty(), "{} names no source", p.id());
        assert!(!p.body.trim().is_empty(), "{} has no body", p.id());
        if m.kind == Kind::Procedure {
            assert!(!m.codes.is_empty(), "{} has no national code", p.id());
            assert!(!m.documents.is_empty(), "{} lists no paper", p.id());
            assert!(!m.legal_basis.is_empty(), "{} has no legal basis", p.id());
            assert!(!m.channels.is_empty(), "{} has no channel", p.id());
        } else {
            assert!(m.codes.is_empty(), "guide {} has a code", p.id());
        }
    }
}

#[test]
fn no_two_files_share_a_national_code() {
    let mut owner: HashMap<String, String> = HashMap::new();
    for p in load().procedures {
        for code in &p.meta.codes {
            if let Some(other) = owner.insert(code.clone(), p.id().to_string()) {
                panic!("{code} is in both {other} and {}", p.id());
            }
        }
    }
}

#[test]
fn every_file_says_what_it_was_verified_against() {
    for p in load().procedures {
        let id = p.id();
        let v = p
            .meta
            .verified
            .as_ref()
            .unwrap_or_else(|| panic!("{id} does not say what it was verified against"));
        assert!(
            v.on <= p.meta.last_reviewed,
            "{id}: verified on {} but last reviewed on {}",
            v.on,
            p.meta.last_reviewed
        );
        match p.meta.kind {
            Kind::Guide => assert!(
                !v.texts.is_empty(),
                "guide {id} names no official guide it follows"
            ),
            Kind::Procedure => {
                for code in &p.meta.codes {
                    if v.records.iter().any(|r| &r.code == code) {
                        continue;
                    }
                    // No national record could be had for this code (e.g. a ministry missing from
                    // the published records): the legal texts checked are named instead, and the
                    // reviewers are told why.
                    assert!(
                        !v.texts.is_empty(),
                        "{id}: code {code} has no record and no text it was checked against"
                    );
                    assert!(
                        p.meta
                            .review_notes
                            .iter()
                            .any(|n| n.to_lowercase().contains("bản ghi")),
                        "{id}: code {code} has no record and no review note saying why"
                    );
                }
            }
        }
    }
}

#[test]
fn the_household_book_is_not_asked_for() {
    // Household books were abolished on 1 January 2023: no file may ask a resident to bring one.
    for p in load().procedures {
        for d in &p.meta.documents {
            let name = d.name.to_lowercase();
            assert!(
                !name.contains("sổ hộ khẩu") && !name.contains("sổ tạm trú"),
                "{} asks for an abolished household book: {}",
                p.id(),
                d.name
            );
        }
    }
}
