//! The real `giayto serve` binary: it starts, reports a broken file and serves the rest, answers
//! over HTTP and stops cleanly on Ctrl-C.

mod support;

use support::{Server, fixture};

#[test]
fn serve_reports_the_broken_file_serves_the_rest_and_stops_on_ctrl_c() {
    let server = Server::start(&fixture(), &["--base-url", "https://giayto.example/"]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200);
    let mut lines = body.lines();
    assert_eq!(lines.next(), Some("ok 3"));
    assert!(
        lines
            .next()
            .unwrap()
            .contains("cu-tru/hong.md:4:1: error[yaml-syntax]"),
        "{body}"
    );
    let (status, body) = server.get("/thu-tuc/dang-ky-khai-sinh/in");
    assert_eq!(status, 200);
    assert!(body.contains("https://giayto.example/thu-tuc/dang-ky-khai-sinh"));
    let (status, _) = server.get("/thu-tuc/hong");
    assert_eq!(status, 404);

    let stderr = server.stderr();
    assert!(
        stderr.contains("cu-tru/hong.md:4:1: error[yaml-syntax]"),
        "{stderr}"
    );
    let status = server.interrupt();
    assert!(status.success(), "{status}");
}

#[test]
fn serve_refuses_a_bad_base_url() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(["serve", "--addr", "127.0.0.1:0", "--base-url", "not a url"])
        .arg("--procedures")
        .arg(fixture())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--base-url"), "{stderr}");
}
