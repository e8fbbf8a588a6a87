//! Checklist conditions: a query string's pairs as answers to a procedure's questions, then
//! whether each paper applies. Must never panic; a paper is ruled out exactly when an answer
//! contradicts its `when`.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use giayto::model::Procedure;
use giayto::web::view::{Answers, Applies, applies};
use libfuzzer_sys::fuzz_target;

fn procedures() -> &'static [Procedure] {
    static PROCEDURES: OnceLock<Vec<Procedure>> = OnceLock::new();
    PROCEDURES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../procedures");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        giayto::content::load_dir(&dir, today).unwrap().procedures
    })
}

fuzz_target!(|input: (u8, &str)| {
    let (which, query) = input;
    let procedures = procedures();
    let procedure = &procedures[usize::from(which) % procedures.len()];
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let answers = Answers::from_params(procedure, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    for document in &procedure.meta.documents {
        let contradicted = document
            .when
            .iter()
            .any(|(q, wanted)| answers.get(q).is_some_and(|given| given != wanted));
        assert_eq!(applies(document, &answers) == Applies::No, contradicted);
    }
});
