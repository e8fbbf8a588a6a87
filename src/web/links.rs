//! Link templates for "Sửa trang này" and "Báo thông tin sai": an address with placeholders that
//! each procedure page fills in.
//!
//! `{path}` is the procedure file's path in the repository (`procedures/ho-tich/x.md`), `{id}`
//! its id, `{title}` its title and `{category}` its folder. Values are percent-encoded (the `/`
//! of a path is kept), so a title with spaces and diacritics makes a valid address.

use std::path::Path;

use anyhow::bail;

use crate::model::Procedure;

/// The placeholders a link template may use.
const PLACEHOLDERS: [&str; 4] = ["path", "id", "title", "category"];

/// An address with `{path}`, `{id}`, `{title}` and `{category}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTemplate(String);

impl LinkTemplate {
    /// Checks `text`: only known placeholders, braces closed, and an http(s) address once filled.
    /// `setting` names where it came from, for the error message.
    pub fn parse(text: &str, setting: &str) -> anyhow::Result<LinkTemplate> {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                bail!("{setting} `{text}`: a `{{` is not closed");
            };
            let name = &rest[open + 1..open + close];
            if !PLACEHOLDERS.contains(&name) {
                bail!(
                    "{setting} `{text}`: unknown placeholder `{{{name}}}`; use {}",
                    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                );
            }
            rest = &rest[open + close + 1..];
        }
        let template = LinkTemplate(text.to_string());
        let sample = template.fill_with("procedures/a/b.md", "b", "Thủ tục", "a");
        if !crate::content::validate::is_web_url(&sample) {
            bail!("{setting} `{text}` is not an http(s) address");
        }
        Ok(template)
    }

    /// The address for `procedure`; `root` is the folder its path is taken relative to (the
    /// repository, i.e. the folder that holds `procedures/`).
    pub fn fill(&self, procedure: &Procedure, root: &Path) -> String {
        let path = procedure.path.strip_prefix(root).unwrap_or(&procedure.path);
        let path = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        self.fill_with(
            &path,
            procedure.id(),
            &procedure.meta.title,
            &procedure.category,
        )
    }

    fn fill_with(&self, path: &str, id: &str, title: &str, category: &str) -> String {
        let path: Vec<String> = path.split('/').map(encode).collect();
        self.0
            .replace("{path}", &path.join("/"))
            .replace("{id}", &encode(id))
            .replace("{title}", &encode(title))
            .replace("{category}", &encode(category))
    }
}

/// Percent-encodes a value for any part of an address (a space becomes `%20`).
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn procedure() -> Procedure {
        let meta = serde_yaml::from_str(
            "id: dang-ky-khai-sinh\ntitle: Đăng ký khai sinh\nsummary: X.\nkind: procedure\n\
             agency: {name: UBND xã}\nsteps: [Nộp]\nlast_reviewed: 2025-11-20\n",
        )
        .unwrap();
        Procedure {
            meta,
            category: "ho-tich".into(),
            body: String::new(),
            path: "/repo/procedures/ho-tich/dang-ky-khai-sinh.md".into(),
        }
    }

    #[test]
    fn fills_path_id_and_an_encoded_title() {
        let edit =
            LinkTemplate::parse("https://github.com/o/r/edit/main/{path}", "--edit-url").unwrap();
        assert_eq!(
            edit.fill(&procedure(), Path::new("/repo")),
            "https://github.com/o/r/edit/main/procedures/ho-tich/dang-ky-khai-sinh.md"
        );
        let report = LinkTemplate::parse(
            "https://github.com/o/r/issues/new?title=Sai:%20{title}&body={id}",
            "--report-url",
        )
        .unwrap();
        assert_eq!(
            report.fill(&procedure(), Path::new("/repo")),
            "https://github.com/o/r/issues/new?title=Sai:%20%C4%90%C4%83ng%20k%C3%BD%20khai%20sinh&body=dang-ky-khai-sinh"
        );
    }

    #[test]
    fn refuses_unknown_placeholders_and_non_web_addresses() {
        let error = LinkTemplate::parse("https://x.vn/{file}", "--edit-url").unwrap_err();
        assert!(
            error.to_string().contains("unknown placeholder `{file}`"),
            "{error}"
        );
        assert!(LinkTemplate::parse("https://x.vn/{path", "--edit-url").is_err());
        assert!(LinkTemplate::parse("javascript:alert({id})", "--edit-url").is_err());
    }
}
