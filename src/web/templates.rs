//! Templates and the stylesheet: embedded in the binary, or read from a folder while editing.
//!
//! Templates are minijinja files whose names end in `.html`, so everything they print is
//! HTML-escaped unless a template says `|safe` (kept for the sanitised `*_html` values of
//! [`super::view`]). The stylesheet is served under a name that contains a hash of its content,
//! so browsers may keep it for a year and still see every change.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::Context;
use minijinja::{Environment, UndefinedBehavior, Value};

/// The template files, by name, as compiled into the binary.
const EMBEDDED: [(&str, &str); 10] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "procedure.html",
        include_str!("../../templates/procedure.html"),
    ),
    ("print.html", include_str!("../../templates/print.html")),
    (
        "situation.html",
        include_str!("../../templates/situation.html"),
    ),
    (
        "category.html",
        include_str!("../../templates/category.html"),
    ),
    ("error.html", include_str!("../../templates/error.html")),
    (
        "checklist.html",
        include_str!("../../templates/checklist.html"),
    ),
];

/// The stylesheet's file name in the templates folder.
pub const CSS_FILE: &str = "site.css";
/// The stylesheet, as compiled into the binary.
const EMBEDDED_CSS: &str = include_str!("../../templates/site.css");

/// Where templates and the stylesheet come from.
#[derive(Debug)]
pub enum Templates {
    /// Compiled into the binary, parsed once.
    Embedded {
        /// The parsed templates.
        env: Environment<'static>,
    },
    /// Read from a folder on every request, so edits show on reload.
    Folder(PathBuf),
    /// Read from a folder once and parsed, for a preview that reloads them when they change
    /// (and keeps the last good ones when an edit breaks them).
    Loaded {
        /// The parsed templates.
        env: Environment<'static>,
        /// The stylesheet's text.
        css: String,
    },
}

impl Templates {
    /// The templates compiled into the binary.
    pub fn embedded() -> anyhow::Result<Templates> {
        let mut env = Environment::new();
        configure(&mut env, EMBEDDED_CSS);
        for (name, source) in EMBEDDED {
            env.add_template(name, source)
                .with_context(|| format!("parsing the embedded template {name}"))?;
        }
        Ok(Templates::Embedded { env })
    }

    /// Templates read from `dir` on every request; fails now if a file is missing or broken.
    pub fn folder(dir: &Path) -> anyhow::Result<Templates> {
        let templates = Templates::Folder(dir.to_path_buf());
        let env = templates.folder_env(dir)?;
        for (name, _) in EMBEDDED {
            env.get_template(name)
                .with_context(|| format!("loading the template {}", dir.join(name).display()))?;
        }
        Ok(templates)
    }

    /// Templates read from `dir` now and parsed; fails if a file is missing or broken.
    pub fn loaded(dir: &Path) -> anyhow::Result<Templates> {
        let css = read_css(dir)?;
        let mut env = Environment::new();
        configure(&mut env, &css);
        for (name, _) in EMBEDDED {
            let path = dir.join(name);
            let source = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            env.add_template_owned(name, source)
                .with_context(|| format!("parsing the template {}", path.display()))?;
        }
        Ok(Templates::Loaded { env, css })
    }

    fn folder_env(&self, dir: &Path) -> anyhow::Result<Environment<'static>> {
        let css = read_css(dir)?;
        let mut env = Environment::new();
        configure(&mut env, &css);
        env.set_loader(minijinja::path_loader(dir));
        Ok(env)
    }

    /// Renders the template `name` with `context`.
    pub fn render(&self, name: &str, context: Value) -> anyhow::Result<String> {
        let rendered = match self {
            Templates::Embedded { env } | Templates::Loaded { env, .. } => {
                env.get_template(name)?.render(context)
            }
            Templates::Folder(dir) => self.folder_env(dir)?.get_template(name)?.render(context),
        };
        rendered.with_context(|| format!("rendering {name}"))
    }

    /// The stylesheet's text.
    pub fn css(&self) -> anyhow::Result<Cow<'static, str>> {
        match self {
            Templates::Embedded { .. } => Ok(Cow::Borrowed(EMBEDDED_CSS)),
            Templates::Folder(dir) => Ok(Cow::Owned(read_css(dir)?)),
            Templates::Loaded { css, .. } => Ok(Cow::Owned(css.clone())),
        }
    }
}

fn read_css(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join(CSS_FILE);
    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

/// The address the stylesheet is served at: its name carries a hash of its content.
pub fn css_path(css: &str) -> String {
    format!("/static/site-{:016x}.css", fnv1a(css.as_bytes()))
}

/// The 64-bit FNV-1a hash: small, stable across builds, good enough for cache names and ETags.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn configure(env: &mut Environment<'static>, css: &str) {
    // An undefined value printed is an error (a template typo fails the tests), while
    // `{% if missing %}` stays allowed.
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(html_formatter);
    env.add_global("css_path", css_path(css));
}

/// Like minijinja's own HTML escaping, but leaves `/` alone: every attribute in the templates is
/// quoted, so `/` is harmless, and addresses stay readable and pages smaller.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if state.auto_escape() != minijinja::AutoEscape::Html || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let mut rest = text.as_str();
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#x27;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_templates_parse() {
        Templates::embedded().unwrap();
    }

    #[test]
    fn the_templates_folder_matches_the_embedded_files() {
        let templates = Templates::folder(Path::new("templates")).unwrap();
        assert_eq!(templates.css().unwrap(), EMBEDDED_CSS);
    }

    #[test]
    fn the_stylesheet_name_changes_with_its_content() {
        assert_ne!(css_path("a{}"), css_path("b{}"));
        assert!(css_path("a{}").starts_with("/static/site-"));
    }

    #[test]
    fn html_is_escaped() {
        let mut env = Environment::new();
        configure(&mut env, "");
        env.add_template("t.html", "{{ x }}").unwrap();
        let html = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! { x => "<script>\"&'/" })
            .unwrap();
        assert_eq!(html, "&lt;script&gt;&quot;&amp;&#x27;/");
    }
}
