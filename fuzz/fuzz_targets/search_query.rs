//! Any text as a search query over the bundled procedures: query analysis, planning and search.
//! Must never panic and always answer.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use giayto::search::{SYNONYMS_FILE, SearchIndex, Synonyms};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../procedures");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let loaded = giayto::content::load_dir(&dir, today).unwrap();
        let (synonyms, _) = Synonyms::load(&dir.join(SYNONYMS_FILE)).unwrap();
        SearchIndex::build(&loaded.procedures, &synonyms).unwrap()
    })
}

fuzz_target!(|query: &str| {
    let results = index().search(query, 10);
    assert!(results.hits.len() <= 10);
});
