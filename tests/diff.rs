//! `giayto diff` on fixture pairs (`tests/fixtures/diff/<case>/{old,new}`): the exact output in
//! each format, as insta snapshots (`tests/snapshots/`), and `--git` against a revision.

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::copy_dir as copy;

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
}

fn giayto(args: &[&str], cwd: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_fixture_pair_gives_its_exact_diff_in_each_format() {
    for name in ["papers", "files"] {
        for format in ["text", "markdown", "json"] {
            let output = giayto(&["diff", "old", "new", "--format", format], &case(name));
            insta::assert_snapshot!(format!("{name}-{format}"), output);
        }
    }
}

#[test]
fn no_change_says_so() {
    let output = giayto(&["diff", "old", "old"], &case("papers"));
    assert_eq!(output, "Không có thay đổi nào cho người dân.\n");
}

#[test]
fn git_compares_the_folder_with_a_revision() {
    let repo = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.vn"])
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    let procedures = repo.path().join("procedures");
    copy(&case("papers").join("old"), &procedures);
    git(&["add", "."]);
    git(&["commit", "-qm", "old"]);
    std::fs::remove_dir_all(&procedures).unwrap();
    copy(&case("papers").join("new"), &procedures);
    let from_git = giayto(&["diff", "--git", "HEAD", "procedures"], repo.path());
    let from_folders = giayto(&["diff", "old", "new"], &case("papers"));
    assert_eq!(from_git, from_folders);
    // From inside the folder, with the default folder name.
    let inside = giayto(&["diff", "--git", "HEAD", "."], &procedures);
    assert_eq!(inside, from_folders);
}
