//! `giayto serve --watch` on a temporary copy of the web fixture, while another thread sends
//! requests without pause: an edit shows on the page and in search within two seconds; a broken
//! file keeps its last good version and puts a banner on every page until it is fixed; a new file
//! appears and is searchable; a deleted file disappears; no request fails meanwhile.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use support::{Server, copy_dir, fixture, get};

/// How long a change may take to show.
const WITHIN: Duration = Duration::from_secs(2);

/// Polls `path` until `ok(status, body)` holds; returns how long it took, or panics after
/// [`WITHIN`] with what was seen last.
fn until(server: &Server, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let (status, body) = server.get(path);
        if ok(status, &body) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < WITHIN,
            "{what}: {path} still gives {status} after {WITHIN:?}:\n{}",
            &body[..body.len().min(2000)]
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn watch_reloads_edits_keeps_the_last_good_version_and_never_fails_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let procedures = dir.path().join("procedures");
    copy_dir(&fixture(), &procedures);
    // The fixture's permanently broken file would keep the banner up; this test breaks its own.
    std::fs::remove_file(procedures.join("cu-tru/hong.md")).unwrap();
    let server = Server::start(&procedures, &["--watch"]);
    let (_, home) = server.get("/");
    assert!(!home.contains("class=\"problems"), "{home}");

    // Another thread sends requests without pause to pages that exist throughout.
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let hammer = {
        let (url, stop, sent) = (server.url.clone(), stop.clone(), sent.clone());
        std::thread::spawn(move || {
            let mut failures = Vec::new();
            let pages = [
                "/",
                "/tim-kiem?q=tam+tru",
                "/thu-tuc/dang-ky-khai-sinh",
                "/thu-tuc/dang-ky-tam-tru",
                "/api/search?q=khai+sinh",
                "/healthz",
            ];
            while !stop.load(Ordering::Relaxed) {
                let page = pages[sent.fetch_add(1, Ordering::Relaxed) % pages.len()];
                match get(&url, page) {
                    Ok((200, _)) => {}
                    Ok((status, _)) => failures.push(format!("{page}: {status}")),
                    Err(error) => failures.push(format!("{page}: {error}")),
                }
            }
            failures
        })
    };

    let file = procedures.join("cu-tru/dang-ky-tam-tru.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut latencies = Vec::new();

    // An edit shows on the page and in search.
    let edited = original.replace("title: Đăng ký tạm trú", "title: Khai báo tạm trú quokka");
    assert_ne!(edited, original);
    std::fs::write(&file, &edited).unwrap();
    latencies.push(until(
        &server,
        "/thu-tuc/dang-ky-tam-tru",
        "edit",
        |s, b| s == 200 && b.contains("Khai báo tạm trú quokka"),
    ));
    latencies.push(until(
        &server,
        "/tim-kiem?q=quokka",
        "edit in search",
        |s, b| s == 200 && b.contains("/thu-tuc/dang-ky-tam-tru"),
    ));

    // Broken: the banner names the file, line and column; the last good version is still served.
    let broken = edited.replace("kind: procedure", "kind: [procedure");
    std::fs::write(&file, &broken).unwrap();
    latencies.push(until(&server, "/", "banner", |s, b| {
        s == 200 && b.contains("class=\"problems") && b.contains("cu-tru/dang-ky-tam-tru.md:")
    }));
    let (status, page) = server.get("/thu-tuc/dang-ky-tam-tru");
    assert_eq!(status, 200);
    assert!(page.contains("Khai báo tạm trú quokka"), "{page}");
    assert!(page.contains("error[yaml-syntax]"), "{page}");
    let (_, found) = server.get("/tim-kiem?q=quokka");
    assert!(found.contains("/thu-tuc/dang-ky-tam-tru"), "{found}");
    let (_, health) = server.get("/healthz");
    assert!(health.starts_with("ok 3\n"), "{health}");
    assert!(health.contains("dang-ky-tam-tru.md:"), "{health}");

    // Fixed: the banner goes.
    std::fs::write(&file, &original).unwrap();
    latencies.push(until(&server, "/", "fix", |s, b| {
        s == 200 && !b.contains("class=\"problems")
    }));
    let (_, health) = server.get("/healthz");
    assert_eq!(health, "ok 3\n");

    // A new file appears and is searchable; deleted, it disappears.
    let added = procedures.join("cu-tru/gia-han-tam-tru.md");
    std::fs::write(
        &added,
        original
            .replace("id: dang-ky-tam-tru", "id: gia-han-tam-tru")
            .replace("title: Đăng ký tạm trú", "title: Gia hạn tạm trú wombat")
            .replace("codes: [\"1.004194\"]", "codes: [\"1.004195\"]")
            .replace("- code: \"1.004194\"", "- code: \"1.004195\""),
    )
    .unwrap();
    latencies.push(until(
        &server,
        "/thu-tuc/gia-han-tam-tru",
        "new file",
        |s, _| s == 200,
    ));
    latencies.push(until(
        &server,
        "/tim-kiem?q=wombat",
        "new file in search",
        |s, b| b.contains("/thu-tuc/gia-han-tam-tru") && s == 200,
    ));
    std::fs::remove_file(&added).unwrap();
    latencies.push(until(
        &server,
        "/thu-tuc/gia-han-tam-tru",
        "deleted file",
        |s, _| s == 404,
    ));
    let (_, found) = server.get("/tim-kiem?q=wombat");
    assert!(!found.contains("/thu-tuc/gia-han-tam-tru"), "{found}");

    stop.store(true, Ordering::Relaxed);
    let failures = hammer.join().unwrap();
    let sent = sent.load(Ordering::Relaxed);
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed: {failures:?}",
        failures.len()
    );
    assert!(sent > 50, "only {sent} requests were sent");
    let max = latencies.iter().max().unwrap();
    eprintln!(
        "reload latency, change to visible: {:?} (max {max:?}), {sent} requests meanwhile, none failed",
        latencies
    );
    assert!(server.stderr().contains("reloaded"), "{}", server.stderr());
}

#[test]
fn watch_reloads_templates_and_keeps_the_last_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let procedures = dir.path().join("procedures");
    copy_dir(&fixture(), &procedures);
    std::fs::remove_file(procedures.join("cu-tru/hong.md")).unwrap();
    let templates = dir.path().join("templates");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        &templates,
    );
    let templates_arg = templates.to_str().unwrap().to_string();
    let server = Server::start(&procedures, &["--watch", "--templates", &templates_arg]);
    let base = templates.join("base.html");
    let original = std::fs::read_to_string(&base).unwrap();

    std::fs::write(
        &base,
        original.replace("Cần người giúp?", "Cần trợ giúp gấp?"),
    )
    .unwrap();
    until(&server, "/", "template edit", |s, b| {
        s == 200 && b.contains("Cần trợ giúp gấp?")
    });

    std::fs::write(&base, original.replace("{% endblock %}", "{% endblok %}")).unwrap();
    until(&server, "/", "template broken", |s, b| {
        s == 200 && b.contains("base.html:") && b.contains("Cần trợ giúp gấp?")
    });

    std::fs::write(&base, &original).unwrap();
    until(&server, "/", "template fixed", |s, b| {
        s == 200 && b.contains("Cần người giúp?") && !b.contains("class=\"problems")
    });
}
