//! `giayto.toml`: the settings of `giayto serve`, in a file next to the procedures folder.
//!
//! Each setting can come from three places; the first one that gives it wins: a command-line
//! flag, a `GIAYTO_*` environment variable (clap reads both), then the `[serve]` table of
//! `giayto.toml` in the folder that holds `procedures/`. The default of each is written on its
//! field. Unknown keys are errors, with their line and column, as in procedure files.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The settings file's name, looked for in the folder that holds the procedures folder.
pub const CONFIG_FILE: &str = "giayto.toml";

/// The whole settings file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The settings of `giayto serve`.
    #[serde(default)]
    pub serve: ServeConfig,
}

/// `[serve]`: every key optional.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// The address to listen on. Default: `127.0.0.1:8080` (loopback only).
    pub addr: Option<SocketAddr>,
    /// The public address of the site, printed as a QR code on checklists.
    /// Default: `http://` and the address listened on.
    pub base_url: Option<String>,
    /// A folder of templates and `site.css` read from disk instead of the built-in ones, relative
    /// to this file. Default: none (the templates built into the binary).
    pub templates: Option<PathBuf>,
    /// Reload content, synonyms, the index (and templates) when a file changes, and show content
    /// errors on every page. Default: `false`.
    pub watch: Option<bool>,
    /// "Sửa trang này" links: an address with `{path}` (the file in the repository), `{id}`,
    /// `{title}`, `{category}`, e.g. `https://github.com/ORG/REPO/edit/main/{path}`.
    /// Default: none (no link).
    pub edit_url: Option<String>,
    /// "Báo thông tin sai" links, with the same placeholders, e.g. a new-issue address.
    /// Default: none (no link).
    pub report_url: Option<String>,
    /// The file where searches are counted per day, relative to this file. Default: none (no log).
    pub query_log: Option<PathBuf>,
}

impl ServeConfig {
    /// Each setting of `self`, or of `fallback` where `self` does not give it.
    pub fn or(self, fallback: ServeConfig) -> ServeConfig {
        ServeConfig {
            addr: self.addr.or(fallback.addr),
            base_url: self.base_url.or(fallback.base_url),
            templates: self.templates.or(fallback.templates),
            watch: self.watch.or(fallback.watch),
            edit_url: self.edit_url.or(fallback.edit_url),
            report_url: self.report_url.or(fallback.report_url),
            query_log: self.query_log.or(fallback.query_log),
        }
    }
}

/// Where the settings file of a procedures folder is: next to it.
pub fn config_path(procedures: &Path) -> PathBuf {
    procedures
        .parent()
        .map_or_else(|| PathBuf::from(CONFIG_FILE), |p| p.join(CONFIG_FILE))
}

/// Reads the settings file at `path`; a missing file gives the defaults. Relative paths in it
/// are made relative to its folder.
pub fn load(path: &Path) -> anyhow::Result<Config> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let mut config = parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
    let folder = path.parent().unwrap_or(Path::new(""));
    for file in [&mut config.serve.templates, &mut config.serve.query_log]
        .into_iter()
        .flatten()
    {
        if file.is_relative() {
            *file = folder.join(&*file);
        }
    }
    Ok(config)
}

/// Parses settings text; an error starts with `line:column: `.
pub fn parse(text: &str) -> Result<Config, String> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (line, column)
        });
        format!("{line}:{column}: {}", e.message().trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let config = parse(
            "[serve]\naddr = \"0.0.0.0:80\"\nwatch = true\nedit_url = \"https://x.vn/{path}\"\n",
        )
        .unwrap();
        assert_eq!(config.serve.addr, Some("0.0.0.0:80".parse().unwrap()));
        assert_eq!(config.serve.watch, Some(true));
        assert_eq!(config.serve.report_url, None);
    }

    #[test]
    fn unknown_keys_are_located_errors() {
        let error = parse("[serve]\nwatch = true\nedit_ur = \"x\"\n").unwrap_err();
        assert!(error.starts_with("3:1: unknown field `edit_ur`"), "{error}");
        let error = parse("[serv]\n").unwrap_err();
        assert!(error.starts_with("1:2: unknown field `serv`"), "{error}");
    }

    #[test]
    fn relative_paths_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "[serve]\nquery_log = \"logs/q.tsv\"\n").unwrap();
        let config = load(&path).unwrap();
        assert_eq!(config.serve.query_log, Some(dir.path().join("logs/q.tsv")));
        assert_eq!(
            config_path(Path::new("repo/procedures")),
            Path::new("repo/giayto.toml")
        );
    }
}
