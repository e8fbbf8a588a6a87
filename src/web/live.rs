//! Loading everything a site serves from its folders, and reloading it when they change.
//!
//! [`load_site`] is the one way a [`Site`] is made from disk: procedures, categories, synonyms,
//! the search index and the templates. `serve` calls it once at start; `serve --watch` calls it
//! again from [`watch`] whenever a file changes and swaps the new site in whole, so a request
//! sees either the old state or the new one, never a mix. A reload never loses what worked: a
//! file that an edit broke keeps its last good version (and the error is reported), a broken
//! synonyms file or `categories.yaml` keeps the previous synonyms or categories, and broken
//! templates keep the previous templates.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{SharedSite, Site, SiteOptions, Templates};
use crate::content::{self, CATEGORIES_FILE, Content};
use crate::diagnostics::{Diagnostic, Position};
use crate::search::{SYNONYMS_FILE, SearchIndex, Synonyms};

/// How long the watcher waits for a burst of file events to settle before reloading.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// Where a site is loaded from, and the settings that stay the same across reloads.
#[derive(Debug, Clone)]
pub struct SiteSource {
    /// The procedures folder (with `categories.yaml` and `synonyms.txt`).
    pub procedures: PathBuf,
    /// A folder of templates and `site.css` to use instead of the built-in ones.
    pub templates: Option<PathBuf>,
    /// The public address of the site.
    pub base_url: String,
    /// Links, preview mode and the query log.
    pub options: Arc<SiteOptions>,
}

/// Loads the whole site from `source`. With a `previous` site, whatever is broken now is taken
/// from it in its last good version. Every problem found is in the site's `problems`, and in the
/// diagnostics returned (warnings included), for the caller to print.
pub fn load_site(
    source: &SiteSource,
    previous: Option<&Site>,
    today: NaiveDate,
) -> anyhow::Result<(Site, Vec<Diagnostic>)> {
    let mut content = content::load_dir(&source.procedures, today)?;
    let synonyms_path = source.procedures.join(SYNONYMS_FILE);
    let (mut synonyms, synonym_problems) = Synonyms::load(&synonyms_path)?;
    let mut problems = std::mem::take(&mut content.diagnostics);
    problems.extend(synonym_problems);
    let templates = load_templates(source, previous, &mut problems)?;
    if let Some(previous) = previous {
        let broken: HashSet<&Path> = problems
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.path.as_path())
            .collect();
        keep_last_good(&mut content, previous, &broken);
        if broken.contains(synonyms_path.as_path()) {
            synonyms = previous.index.current().synonyms().clone();
        }
        if broken.contains(source.procedures.join(CATEGORIES_FILE).as_path()) {
            content.categories = previous.categories.clone();
        }
    }
    let index = SearchIndex::build_with(&content.procedures, &content.situations, &synonyms)?;
    let site = Site::new(content, index, templates, &source.base_url)
        .with_options(source.options.clone())
        .with_problems(problems.clone());
    Ok((site, problems))
}

/// Adds to `content` the previous version of every procedure or situation whose file is now
/// broken, as long as the file still exists and its id is not taken by another file.
fn keep_last_good(content: &mut Content, previous: &Site, broken: &HashSet<&Path>) {
    for old in &previous.procedures {
        if broken.contains(old.path.as_path())
            && old.path.is_file()
            && content.procedure(old.id()).is_none()
        {
            content.procedures.push(old.clone());
        }
    }
    content.procedures.sort_by(|a, b| a.path.cmp(&b.path));
    for old in &previous.situations {
        if broken.contains(old.path.as_path())
            && old.path.is_file()
            && content.situation(old.id()).is_none()
        {
            content.situations.push(old.clone());
        }
    }
    content.situations.sort_by(|a, b| a.path.cmp(&b.path));
}

/// The templates: built in (parsed once, then shared), read on every request from a folder, or
/// in preview mode read from the folder now, keeping the previous ones if they are broken.
fn load_templates(
    source: &SiteSource,
    previous: Option<&Site>,
    problems: &mut Vec<Diagnostic>,
) -> anyhow::Result<Arc<Templates>> {
    let Some(dir) = &source.templates else {
        return match previous {
            Some(site) if matches!(*site.templates, Templates::Embedded { .. }) => {
                Ok(site.templates.clone())
            }
            _ => Ok(Arc::new(Templates::embedded()?)),
        };
    };
    if !source.options.preview {
        return Ok(Arc::new(Templates::folder(dir)?));
    }
    match (Templates::loaded(dir), previous) {
        (Ok(templates), _) => Ok(Arc::new(templates)),
        (Err(error), Some(site)) => {
            problems.push(template_problem(dir, &error));
            Ok(site.templates.clone())
        }
        (Err(error), None) => Err(error),
    }
}

/// A template error as a diagnostic: the template's file and line when minijinja knows them.
fn template_problem(dir: &Path, error: &anyhow::Error) -> Diagnostic {
    let cause = error
        .chain()
        .find_map(|e| e.downcast_ref::<minijinja::Error>());
    let path = cause
        .and_then(|e| e.name())
        .map_or_else(|| dir.to_path_buf(), |name| dir.join(name));
    let line = cause.and_then(|e| e.line()).unwrap_or(1);
    Diagnostic::error(
        &path,
        Position::new(line, 1),
        "template",
        format!("lỗi mẫu trang / template error: {error:#}"),
    )
    .with_hint("Trang vẫn dùng mẫu đúng gần nhất cho đến khi lỗi được sửa / the last good templates are used until this is fixed")
}

/// What one reload did.
#[derive(Debug)]
pub struct Reload {
    /// How long loading and indexing took.
    pub took: Duration,
    /// How many procedures the new site serves.
    pub procedures: usize,
    /// Every problem found, warnings included.
    pub diagnostics: Vec<Diagnostic>,
}

/// Keeps watching while it lives.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Watches the procedures folder (and the templates folder, if any) and reloads `site` from
/// `source` after every change, calling `report` with the outcome. A reload that fails to run
/// at all (the folder vanished) leaves the current site in place.
pub fn watch(
    source: SiteSource,
    site: SharedSite,
    mut report: impl FnMut(anyhow::Result<Reload>) + Send + 'static,
) -> anyhow::Result<Watcher> {
    let folders: Vec<PathBuf> = std::iter::once(source.procedures.clone())
        .chain(source.templates.clone())
        .collect();
    let handler = move |result: DebounceEventResult| {
        let relevant = match result {
            Ok(events) => events.iter().any(|e| !e.kind.is_access()),
            Err(errors) => {
                tracing::warn!("watching files: {errors:?}");
                true
            }
        };
        if !relevant {
            return;
        }
        let started = Instant::now();
        let today = chrono::Local::now().date_naive();
        let current = site.load_full();
        let outcome = load_site(&source, Some(&current), today).map(|(next, diagnostics)| {
            let procedures = next.procedures.len();
            site.store(Arc::new(next));
            Reload {
                took: started.elapsed(),
                procedures,
                diagnostics,
            }
        });
        report(outcome);
    };
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, handler).context("starting to watch files")?;
    for folder in &folders {
        debouncer
            .watch(folder, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", folder.display()))?;
    }
    Ok(Watcher {
        _debouncer: debouncer,
    })
}
