//! Any text as `synonyms.txt`: never panics, every problem on a line of the file.
#![no_main]

use std::path::Path;

use giayto::search::Synonyms;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (_, diagnostics) = Synonyms::parse(text, Path::new("procedures/synonyms.txt"));
    let lines = text.lines().count().max(1);
    for d in diagnostics {
        assert!(d.line >= 1 && d.line <= lines + 1);
    }
});
