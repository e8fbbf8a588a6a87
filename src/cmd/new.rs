//! `giayto new <category>/<id>`: write a new procedure (or guide) file from a commented template.
//!
//! The template names every key with a short Vietnamese explanation and an example. What must be
//! filled in is a `«…»` placeholder, which `check` reports, one located error each, until it is
//! replaced; optional keys are commented out. `new` never overwrites a file, and refuses an
//! unknown category or an id that is not a slug, listing what is allowed.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::content::{self, validate::is_slug};
use crate::model::Kind;

const PROCEDURE_TEMPLATE: &str = include_str!("new/procedure.md");
const GUIDE_TEMPLATE: &str = include_str!("new/guide.md");

/// The text of a new file with id `id`.
pub fn scaffold(id: &str, kind: Kind) -> String {
    let template = match kind {
        Kind::Procedure => PROCEDURE_TEMPLATE,
        Kind::Guide => GUIDE_TEMPLATE,
    };
    template.replace("{id}", id)
}

/// Writes `dir/<category>/<id>.md` from the template and returns its path.
pub fn run(dir: &Path, target: &str, kind: Kind) -> anyhow::Result<PathBuf> {
    let categories = content::load_categories_list(dir)?;
    let known = || {
        categories
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((category, id)) = target.trim_end_matches(".md").split_once('/') else {
        bail!(
            "viết `danh-muc/ma-thu-tuc`, ví dụ `ho-tich/dang-ky-khai-sinh` / write `category/id`, e.g. `ho-tich/dang-ky-khai-sinh`; danh mục / categories: {}",
            known()
        );
    };
    if !categories.iter().any(|c| c.id == category) {
        bail!(
            "không có danh mục `{category}` trong {} / no category `{category}` in {}; danh mục có sẵn / the categories are: {}",
            content::CATEGORIES_FILE,
            content::CATEGORIES_FILE,
            known()
        );
    }
    if !is_slug(id) {
        bail!(
            "mã `{id}` không hợp lệ: chỉ chữ thường không dấu và số, nối bằng dấu gạch ngang, ví dụ `dang-ky-khai-sinh` / id `{id}` is not valid: lowercase ASCII letters and digits joined by hyphens, e.g. `dang-ky-khai-sinh`"
        );
    }
    for other in &categories {
        let existing = dir.join(&other.id).join(format!("{id}.md"));
        if existing.exists() {
            bail!(
                "đã có tệp {} với mã `{id}`; không ghi đè / {} already exists with id `{id}`; not overwritten",
                existing.display(),
                existing.display()
            );
        }
    }
    let folder = dir.join(category);
    std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    let path = folder.join(format!("{id}.md"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    std::io::Write::write_all(&mut file, scaffold(id, kind).as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}
