//! Property tests over the entry points that read untrusted input, the same ones the cargo-fuzz
//! targets in `fuzz/` drive: a procedure file's bytes (front-matter splitter, YAML tree, structure
//! check, validator), search queries, checklist conditions from the address, and the synonyms file.
//! None may panic; a file gives a procedure or an error located inside it; a search always answers.
//! Each property runs a fixed number of cases (`GIAYTO_PROPTEST_CASES`, 256 by default).

use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use giayto::content;
use giayto::model::Procedure;
use giayto::search::{SYNONYMS_FILE, SearchIndex, Synonyms};
use giayto::web::view::{Answers, Applies};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("GIAYTO_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn fixture() -> &'static Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/procedures"))
}

/// A valid procedure file to mutate, so that cases reach the validator and not only the splitter.
fn sample_file() -> &'static [u8] {
    static TEXT: OnceLock<Vec<u8>> = OnceLock::new();
    TEXT.get_or_init(|| std::fs::read(fixture().join("ho-tich/dang-ky-khai-sinh.md")).unwrap())
}

fn site() -> &'static (Vec<Procedure>, SearchIndex) {
    static SITE: OnceLock<(Vec<Procedure>, SearchIndex)> = OnceLock::new();
    SITE.get_or_init(|| {
        let loaded = content::load_dir(fixture(), today()).unwrap();
        let (synonyms, _) = Synonyms::load(&fixture().join(SYNONYMS_FILE)).unwrap();
        let index = SearchIndex::build(&loaded.procedures, &synonyms).unwrap();
        (loaded.procedures, index)
    })
}

/// A file either becomes a procedure with no error, or gets an error; every diagnostic points
/// inside the file.
fn check_file(bytes: &[u8]) {
    let path = Path::new("procedures/ho-tich/dang-ky-khai-sinh.md");
    let (procedure, diagnostics) = content::parse_file(path, "ho-tich", bytes, today());
    let has_error = diagnostics.iter().any(|d| d.is_error());
    assert_eq!(procedure.is_some(), !has_error, "{diagnostics:#?}");
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    for d in &diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.line <= lines + 1, "line {} of {lines}: {d:?}", d.line);
    }
    if let Some(procedure) = procedure {
        assert_eq!(procedure.id(), "dang-ky-khai-sinh");
    }
}

/// Edits of a file: at a position (a fraction of its length), delete, insert or replace bytes.
fn edits() -> impl Strategy<Value = Vec<(f64, u8, Vec<u8>)>> {
    let fragment = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..8),
        prop::sample::select(vec![
            b"\n".to_vec(),
            b": ".to_vec(),
            b"---\n".to_vec(),
            b"  - ".to_vec(),
            b"\"".to_vec(),
            b"{".to_vec(),
            b"[".to_vec(),
            b"&a ".to_vec(),
            b"*a".to_vec(),
            b"\t".to_vec(),
            "ạ".as_bytes().to_vec(),
            b"when: {x: y}".to_vec(),
        ]),
    ];
    proptest::collection::vec((0.0..1.0f64, 0u8..3, fragment), 1..6)
}

fn apply(base: &[u8], edits: &[(f64, u8, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for (at, op, fragment) in edits {
        let i = ((bytes.len() as f64) * at) as usize;
        match op {
            0 => {
                let end = (i + fragment.len().max(1)).min(bytes.len());
                bytes.drain(i..end);
            }
            1 => {
                bytes.splice(i..i, fragment.iter().copied());
            }
            _ => {
                let end = (i + fragment.len()).min(bytes.len());
                bytes.splice(i..end, fragment.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_give_a_procedure_or_a_located_error(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_file(&bytes);
    }

    #[test]
    fn yaml_like_text_gives_a_procedure_or_a_located_error(
        text in "(---\n)?([a-z_]{1,10}:( [-\\[\\]{}\"a-zđạ0-9:, ]{0,20})?\n(  - [a-z]{0,6}: ?[a-z0-9\"]{0,6}\n){0,3}){0,12}(---\n)?[^\u{0}]{0,40}"
    ) {
        check_file(text.as_bytes());
    }

    #[test]
    fn edited_real_files_give_a_procedure_or_a_located_error(edits in edits()) {
        check_file(&apply(sample_file(), &edits));
    }

    #[test]
    fn any_query_gets_an_answer(query in "\\PC{0,300}", limit in 0usize..100) {
        let (_, index) = site();
        let results = index.search(&query, limit);
        prop_assert!(results.hits.len() <= limit.min(giayto::search::MAX_LIMIT));
        prop_assert!(results.query.chars().count() <= 200);
    }

    #[test]
    fn vietnamese_looking_queries_get_an_answer(
        query in "([a-zđăâêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0-9.\"():*~^+-]{1,8} ?){0,12}"
    ) {
        let (_, index) = site();
        let _ = index.search(&query, 10);
        let _ = giayto::search::query::plan(&query, &Synonyms::default());
    }

    #[test]
    fn checklist_conditions_follow_the_answers(
        pairs in proptest::collection::vec(("[a-z_]{0,24}", "[a-z_]{0,12}"), 0..8),
        which in 0usize..3,
    ) {
        let (procedures, _) = site();
        let procedure = &procedures[which % procedures.len()];
        // Mix real question ids and answers in, so some pairs are kept.
        let mut params: Vec<(String, String)> = pairs;
        for question in &procedure.meta.questions {
            params.push((question.id.clone(), "co".into()));
        }
        let answers = Answers::from_params(procedure, params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for document in &procedure.meta.documents {
            let verdict = answers.evaluate(&document.when, procedure);
            prop_assert_eq!(verdict == Applies::Always, document.is_unconditional());
            let contradicted = document
                .when
                .iter()
                .any(|(q, wanted)| answers.get(q).is_some_and(|given| given != wanted));
            prop_assert_eq!(verdict == Applies::No, contradicted);
        }
        // Only answers the procedure knows survive, and they round-trip through the address.
        let again = Answers::from_params(
            procedure,
            url::form_urlencoded::parse(answers.query().as_bytes())
                .into_owned()
                .collect::<Vec<_>>()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        prop_assert_eq!(again, answers);
    }

    #[test]
    fn any_synonyms_file_parses_with_located_problems(
        text in "((\\PC{0,12}|[a-zđ ]{0,10})(, |=>|,|#)?){0,8}(\n((\\PC{0,12}|[a-zđ ]{0,10})(, |=>|,)?){0,6}){0,10}"
    ) {
        let path = Path::new("procedures/synonyms.txt");
        let (_, diagnostics) = Synonyms::parse(&text, path);
        let lines = text.lines().count().max(1);
        for d in &diagnostics {
            prop_assert!(d.line >= 1 && d.line <= lines + 1, "{:?} of {}", d, lines);
            prop_assert!(d.column >= 1);
        }
    }
}
