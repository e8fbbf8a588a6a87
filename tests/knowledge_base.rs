//! The starter knowledge base: the 48 procedures and guides a ward's volunteers meet every week,
//! each complete enough for a resident to bring the right papers the first time.

use std::collections::HashMap;
use std::path::Path;

use giayto::content::{self, Content};
use giayto::model::{Kind, Procedure};

/// The administrative procedures (`kind: procedure`).
const PROCEDURE_IDS: [&str; 39] = [
    // Hộ tịch
    "dang-ky-khai-sinh",
    "dang-ky-lai-khai-sinh",
    "khai-sinh-ket-hop-nhan-cha-me-con",
    "nhan-cha-me-con",
    "trich-luc-ban-sao-ho-tich",
    "thay-doi-cai-chinh-ho-tich",
    "dang-ky-khai-tu",
    "dang-ky-lai-khai-tu",
    "dang-ky-ket-hon",
    "xac-nhan-tinh-trang-hon-nhan",
    "dang-ky-giam-ho",
    "cham-dut-giam-ho",
    "lien-thong-khai-sinh-duoi-6",
    "lien-thong-khai-tu",
    // Chứng thực
    "chung-thuc-ban-sao",
    "chung-thuc-chu-ky",
    "chung-thuc-hop-dong",
    // Cư trú
    "dang-ky-thuong-tru",
    "dang-ky-tam-tru",
    "gia-han-tam-tru",
    "khai-bao-tam-vang",
    "xoa-dang-ky-thuong-tru",
    "xoa-dang-ky-tam-tru",
    "xac-nhan-thong-tin-cu-tru",
    "thong-bao-luu-tru",
    "tach-ho",
    // Căn cước và định danh
    "cap-the-can-cuoc",
    "cap-doi-cap-lai-can-cuoc",
    "vneid-muc-2",
    // Xã hội, bảo hiểm
    "tro-cap-xa-hoi-hang-thang",
    "tro-cap-huu-tri-xa-hoi",
    "xac-dinh-muc-do-khuyet-tat",
    "ho-tro-mai-tang-phi",
    "cong-nhan-ho-ngheo",
    "cap-lai-the-bhyt",
    // Kinh doanh, đất đai
    "dang-ky-ho-kinh-doanh",
    "tam-ngung-ho-kinh-doanh",
    "dang-ky-dat-dai-lan-dau",
    "hoa-giai-tranh-chap-dat",
];

/// The digital how-tos (`kind: guide`).
const GUIDE_IDS: [&str; 9] = [
    "vneid-cai-dat-kich-hoat",
    "vneid-tich-hop-giay-to",
    "vneid-quen-mat-khau",
    "vneid-quen-passcode",
    "dvcqg-dang-nhap",
    "dvcqg-nop-ho-so",
    "dvcqg-tra-cuu-ho-so",
    "dvcqg-thanh-toan",
    "quet-ma-qr",
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
