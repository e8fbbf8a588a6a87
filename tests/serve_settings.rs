//! `serve` settings end to end: `giayto.toml` next to the procedures folder with flags and
//! `GIAYTO_*` variables over it, the edit and report links, and the query log across a restart
//! with `giayto report queries`.

mod support;

use std::path::Path;
use std::process::Command;

use support::Server;

fn copy_fixture(to: &Path) {
    let files = [
        "categories.yaml",
        "ho-tich/dang-ky-khai-sinh.md",
        "ho-tich/lien-thong-khai-sinh-duoi-6.md",
        "cu-tru/dang-ky-tam-tru.md",
    ];
    support::copy_files(&support::fixture(), to, &files);
}

#[test]
fn settings_file_links_and_query_log_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let procedures = dir.path().join("procedures");
    copy_fixture(&procedures);
    std::fs::write(
        dir.path().join("giayto.toml"),
        "[serve]\nedit_url = \"https://github.com/o/r/edit/main/{path}\"\n\
         report_url = \"https://example.vn/bao-sai?id={id}\"\nquery_log = \"queries.tsv\"\n",
    )
    .unwrap();
    let log = dir.path().join("queries.tsv");

    for round in 0..2 {
        let server = Server::start(&procedures, &[]);
        let (_, page) = server.get("/thu-tuc/dang-ky-khai-sinh");
        assert!(
            page.contains(
                "href=\"https://github.com/o/r/edit/main/procedures/ho-tich/dang-ky-khai-sinh.md\""
            ),
            "{page}"
        );
        assert!(page.contains("Sửa trang này"));
        assert!(page.contains("href=\"https://example.vn/bao-sai?id=dang-ky-khai-sinh\""));
        assert!(page.contains("Báo thông tin sai"));
        for q in [
            "Wômbát+Quókka",
            "wombat++quokka",
            "khai+sinh",
            "0912+345+678",
        ] {
            let (status, _) = server.get(&format!("/tim-kiem?q={q}"));
            assert_eq!(status, 200);
        }
        let (status, _) = server.get("/api/search?q=zzqx+vvw");
        assert_eq!(status, 200);
        assert!(server.interrupt().success());
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(!text.contains("0912"), "{text}");
        assert!(!text.contains("127.0.0.1"), "{text}");
        let expected = format!("\t{}\t0\twombat quokka\n", 2 * (round + 1));
        assert!(text.contains(&expected), "round {round}: {text}");
    }

    let report = Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(["report", "queries"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(report.status.success());
    let report = String::from_utf8(report.stdout).unwrap();
    let rows: Vec<&str> = report.lines().skip(1).collect();
    assert_eq!(
        rows,
        ["4\t0\t1\twombat quokka", "2\t0\t1\tzzqx vvw"],
        "{report}"
    );
}

#[test]
fn flags_and_variables_override_the_file_and_unknown_keys_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let procedures = dir.path().join("procedures");
    copy_fixture(&procedures);
    let config = dir.path().join("giayto.toml");
    std::fs::write(
        &config,
        "[serve]\nedit_url = \"https://file.example/{path}\"\n",
    )
    .unwrap();

    let server = Server::start(&procedures, &["--edit-url", "https://flag.example/{id}"]);
    let (_, page) = server.get("/thu-tuc/dang-ky-tam-tru");
    assert!(
        page.contains("https://flag.example/dang-ky-tam-tru"),
        "{page}"
    );
    drop(server);

    std::fs::write(&config, "[serve]\nwatch = true\nedit_ur = \"x\"\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(["serve", "--addr", "127.0.0.1:0", "--procedures"])
        .arg(&procedures)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("giayto.toml:3:1: unknown field `edit_ur`"),
        "{stderr}"
    );

    std::fs::write(
        &config,
        "[serve]\nreport_url = \"https://x.example/{file}\"\n",
    )
    .unwrap();
    let server = Server::start_with_env(
        &procedures,
        &[],
        &[("GIAYTO_REPORT_URL", "https://env.example/{id}")],
    );
    let (_, page) = server.get("/thu-tuc/dang-ky-tam-tru");
    assert!(
        page.contains("https://env.example/dang-ky-tam-tru"),
        "{page}"
    );
}
