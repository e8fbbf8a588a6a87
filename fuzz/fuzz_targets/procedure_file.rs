//! A procedure file's bytes through the whole loader: UTF-8 check, front-matter splitter, YAML
//! tree, structure check against the schema, validator. Must never panic, and must give either
//! a procedure or an error.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let path = Path::new("procedures/ho-tich/dang-ky-khai-sinh.md");
    let (procedure, diagnostics) = giayto::content::parse_file(path, "ho-tich", bytes, today);
    assert_eq!(
        procedure.is_some(),
        !diagnostics.iter().any(|d| d.is_error())
    );
});
