//! `giayto serve`: load the procedures, build the site and serve it until Ctrl-C; with `--watch`,
//! reload it whenever a file changes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use arc_swap::ArcSwap;

use crate::config::{self, ServeConfig};
use crate::diagnostics::{self, Diagnostic, OutputFormat};
use crate::querylog::QueryLog;
use crate::web::{self, LinkTemplate, SiteOptions, SiteSource};

/// The address served when none is given: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// How often the query log is written to its file (and once more on shutdown).
pub const QUERY_LOG_FLUSH: Duration = Duration::from_secs(30);

/// What `giayto serve` was asked to do, once flags, environment and `giayto.toml` are merged.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The procedures folder.
    pub procedures: PathBuf,
    /// The address to listen on (port 0 picks a free port).
    pub addr: SocketAddr,
    /// The public address of the site, used in the QR codes of printed checklists; defaults to
    /// `http://<addr>`.
    pub base_url: Option<String>,
    /// Read templates and the stylesheet from this folder instead of the copies built into the
    /// binary (on every request; with `watch`, on every change).
    pub templates: Option<PathBuf>,
    /// Reload on every change and show content errors on every page.
    pub watch: bool,
    /// The "Sửa trang này" link template.
    pub edit_url: Option<String>,
    /// The "Báo thông tin sai" link template.
    pub report_url: Option<String>,
    /// Where searches are counted.
    pub query_log: Option<PathBuf>,
}

impl ServeOptions {
    /// Merges `given` (flags and `GIAYTO_*` variables) over the `[serve]` table of the
    /// `giayto.toml` next to `procedures`, then the defaults.
    pub fn resolve(procedures: PathBuf, given: ServeConfig) -> anyhow::Result<ServeOptions> {
        let file = config::load(&config::config_path(&procedures))?;
        let merged = given.or(file.serve);
        Ok(ServeOptions {
            addr: match merged.addr {
                Some(addr) => addr,
                None => DEFAULT_ADDR.parse().context("the default address")?,
            },
            procedures,
            base_url: merged.base_url,
            templates: merged.templates,
            watch: merged.watch.unwrap_or(false),
            edit_url: merged.edit_url,
            report_url: merged.report_url,
            query_log: merged.query_log,
        })
    }
}

/// Serves the site until Ctrl-C (or SIGTERM), then finishes the requests in flight.
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(serve(options))
}

/// Prints diagnostics and their summary to stderr.
fn print_problems(diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    eprint!("{}", diagnostics::render(diagnostics, OutputFormat::Text));
    let (errors, warnings) = diagnostics::summary(diagnostics);
    eprintln!(
        "giayto: {errors} lỗi, {warnings} cảnh báo; tệp có lỗi không được hiển thị (hoặc giữ bản đúng gần nhất) / {errors} errors, {warnings} warnings; files with errors are not served (or keep their last good version)"
    );
}

async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .with_context(|| format!("listening on {}", options.addr))?;
    let local = listener
        .local_addr()
        .context("reading the address listened on")?;
    let base_url = match options.base_url {
        Some(url) => {
            url::Url::parse(&url).with_context(|| format!("reading --base-url {url}"))?;
            url
        }
        None => format!("http://{local}"),
    };
    let query_log = match &options.query_log {
        Some(path) => Some(Arc::new(QueryLog::open(path)?)),
        None => None,
    };
    let link = |text: &Option<String>, setting: &str| {
        text.as_deref()
            .map(|t| LinkTemplate::parse(t, setting))
            .transpose()
    };
    let source = SiteSource {
        procedures: options.procedures.clone(),
        templates: options.templates.clone(),
        base_url,
        options: Arc::new(SiteOptions {
            edit_url: link(&options.edit_url, "--edit-url")?,
            report_url: link(&options.report_url, "--report-url")?,
            preview: options.watch,
            query_log: query_log.clone(),
            repository: options
                .procedures
                .parent()
                .map(PathBuf::from)
                .unwrap_or_default(),
        }),
    };
    let today = chrono::Local::now().date_naive();
    let (site, diagnostics) = web::load_site(&source, None, today)?;
    print_problems(&diagnostics);
    let count = site.procedures.len();
    let shared = Arc::new(ArcSwap::from_pointee(site));
    let _watcher = if options.watch {
        Some(web::watch(
            source,
            shared.clone(),
            |outcome| match outcome {
                Ok(reload) => {
                    print_problems(&reload.diagnostics);
                    eprintln!(
                        "giayto: đã tải lại {} thủ tục trong {} ms / reloaded {} procedures in {} ms",
                        reload.procedures,
                        reload.took.as_millis(),
                        reload.procedures,
                        reload.took.as_millis()
                    );
                }
                Err(error) => eprintln!(
                    "giayto: không tải lại được, vẫn phục vụ bản cũ / could not reload, still serving the previous version: {error:#}"
                ),
            },
        )?)
    } else {
        None
    };
    let watching = if options.watch {
        " — theo dõi thay đổi / watching for changes"
    } else {
        ""
    };
    println!(
        "giayto: phục vụ {count} thủ tục tại http://{local} (Ctrl-C để dừng) / serving {count} procedures at http://{local} (Ctrl-C to stop){watching}"
    );
    if let Some(log) = query_log.clone() {
        tokio::spawn(async move {
            let mut every = tokio::time::interval(QUERY_LOG_FLUSH);
            loop {
                every.tick().await;
                if let Err(error) = log.flush() {
                    tracing::error!("{error:#}");
                }
            }
        });
    }
    web::server::serve(
        listener,
        web::shared_router(shared),
        &web::Limits::default(),
        shutdown_signal(),
    )
    .await
    .context("serving")?;
    if let Some(log) = query_log {
        log.flush()?;
    }
    eprintln!("giayto: đã dừng / stopped");
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("listening for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!("listening for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
