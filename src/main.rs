//! The `giayto` command line: parses arguments and calls into the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use giayto::cmd;
use giayto::diagnostics::OutputFormat;

/// giayto: which papers an administrative procedure needs.
#[derive(Debug, Parser)]
#[command(name = "giayto", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every procedure file and report every problem (exit status 1 on any error).
    Check {
        /// The procedures folder.
        #[arg(default_value = cmd::DEFAULT_PROCEDURES_DIR)]
        dir: PathBuf,
        /// How to print problems: text for people, github for pull-request annotations, json for tools.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Print the JSON Schema of procedure front matter (the content of procedures/schema.json),
    /// of situation files (`situation`) or of questions.yaml (`questions`).
    Schema {
        /// Which file format.
        #[arg(value_enum, default_value_t = cmd::schema::Format::Procedure)]
        of: cmd::schema::Format,
    },
    /// Write a new procedure file from a commented template, to fill in (check lists what is left).
    New {
        /// Where to write it: `category/id`, e.g. `ho-tich/dang-ky-khai-sinh`.
        target: String,
        /// `procedure` (an administrative procedure) or `guide` (a digital how-to).
        #[arg(long, value_enum, default_value_t = NewKind::Procedure)]
        kind: NewKind,
        /// The procedures folder.
        #[arg(long, default_value = cmd::DEFAULT_PROCEDURES_DIR)]
        procedures: PathBuf,
    },
    /// What a change to the procedures means for residents: papers, channels, steps, files.
    Diff {
        /// The folders to compare: OLD NEW, or with --git only NEW [default: procedures].
        #[arg(num_args = 0..=2)]
        folders: Vec<PathBuf>,
        /// Compare the folder with its version at this git revision (e.g. origin/main).
        #[arg(long, value_name = "REV")]
        git: Option<String>,
        /// text for people, markdown for a pull-request comment or job summary, json for tools.
        #[arg(long, value_enum, default_value_t = cmd::diff::DiffFormat::Text)]
        format: cmd::diff::DiffFormat,
    },
    /// Reports for editors.
    Report {
        #[command(subcommand)]
        report: Report,
    },
    /// Search the procedures as the site does (exit status 1 when nothing is found).
    Search {
        /// The procedures folder.
        #[arg(long, default_value = cmd::DEFAULT_PROCEDURES_DIR)]
        procedures: PathBuf,
        /// How many hits to show (at most 50).
        #[arg(long, default_value_t = giayto::search::DEFAULT_LIMIT)]
        limit: usize,
        /// Print the JSON the site's /api/search returns.
        #[arg(long)]
        json: bool,
        /// Print why the procedure with this id scores what it does (for tuning synonyms).
        #[arg(long, value_name = "ID")]
        explain: Option<String>,
        /// What to look for, as a resident would type it.
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Serve the website: search, procedure pages and printable checklists. Settings also come
    /// from GIAYTO_* variables and the [serve] table of giayto.toml next to the procedures folder.
    Serve {
        /// The procedures folder.
        #[arg(long, env = "GIAYTO_PROCEDURES", default_value = cmd::DEFAULT_PROCEDURES_DIR)]
        procedures: PathBuf,
        /// The address to listen on (port 0 picks a free port) [default: 127.0.0.1:8080].
        #[arg(long, env = "GIAYTO_ADDR")]
        addr: Option<SocketAddr>,
        /// The public address of the site, printed as a QR code on checklists [default: http://ADDR].
        #[arg(long, env = "GIAYTO_BASE_URL")]
        base_url: Option<String>,
        /// Read templates and the stylesheet from this folder (for editing them).
        #[arg(long, env = "GIAYTO_TEMPLATES")]
        templates: Option<PathBuf>,
        /// Reload content, synonyms, the index and templates when a file changes, and show every
        /// content error on every page (a preview for editors).
        #[arg(long, env = "GIAYTO_WATCH", value_parser = clap::builder::FalseyValueParser::new())]
        watch: bool,
        /// "Sửa trang này" links, e.g. https://github.com/ORG/REPO/edit/main/{path}
        /// ({path}, {id}, {title}, {category} are filled in).
        #[arg(long, env = "GIAYTO_EDIT_URL")]
        edit_url: Option<String>,
        /// "Báo thông tin sai" links, with the same placeholders (e.g. a new-issue address).
        #[arg(long, env = "GIAYTO_REPORT_URL")]
        report_url: Option<String>,
        /// Count searches per day in this file (folded text, count, results; no personal data).
        #[arg(long, env = "GIAYTO_QUERY_LOG")]
        query_log: Option<PathBuf>,
    },
}

/// The reports of `giayto report`.
#[derive(Debug, Subcommand)]
enum Report {
    /// The most searched queries with no or few results (from `serve --query-log`): what to
    /// write or alias next.
    Queries {
        /// The query log file.
        file: PathBuf,
        /// Queries with at most this many results count as weak.
        #[arg(long, default_value_t = 2)]
        weak: usize,
        /// How many queries to list.
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
}

/// What `giayto new` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum NewKind {
    /// An administrative procedure.
    Procedure,
    /// A digital how-to.
    Guide,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("giayto: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Check { dir, format } => {
            let today = chrono::Local::now().date_naive();
            cmd::check::run(
                &dir,
                format,
                today,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            )
        }
        Command::Search {
            procedures,
            limit,
            json,
            explain,
            query,
        } => {
            let today = chrono::Local::now().date_naive();
            cmd::search::run(
                &procedures,
                &query.join(" "),
                limit,
                json,
                explain.as_deref(),
                today,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            )
        }
        Command::New {
            target,
            kind,
            procedures,
        } => {
            let kind = match kind {
                NewKind::Procedure => giayto::model::Kind::Procedure,
                NewKind::Guide => giayto::model::Kind::Guide,
            };
            let path = cmd::new::run(&procedures, &target, kind)?;
            println!(
                "{}: đã tạo; điền các chỗ «…» rồi chạy `giayto check` / created; fill in every «…», then run `giayto check`",
                path.display()
            );
            Ok(true)
        }
        Command::Diff {
            folders,
            git,
            format,
        } => {
            let today = chrono::Local::now().date_naive();
            let default = PathBuf::from(cmd::DEFAULT_PROCEDURES_DIR);
            let (old, new) = match (folders.as_slice(), &git) {
                ([old, new], None) => (Some(old.as_path()), new.as_path()),
                ([new], Some(_)) => (None, new.as_path()),
                ([], Some(_)) => (None, default.as_path()),
                _ => anyhow::bail!("giayto diff OLD NEW, or giayto diff --git REV [FOLDER]"),
            };
            cmd::diff::run(
                old,
                new,
                git.as_deref(),
                format,
                today,
                &mut std::io::stdout(),
            )?;
            Ok(true)
        }
        Command::Report {
            report: Report::Queries { file, weak, limit },
        } => {
            cmd::report::queries(&file, weak, limit, &mut std::io::stdout())?;
            Ok(true)
        }
        Command::Schema { of } => {
            print!("{}", cmd::schema::render_of(of));
            Ok(true)
        }
        Command::Serve {
            procedures,
            addr,
            base_url,
            templates,
            watch,
            edit_url,
            report_url,
            query_log,
        } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "giayto=info,tower_http=warn".into()),
                )
                .with_writer(std::io::stderr)
                .init();
            let given = giayto::config::ServeConfig {
                addr,
                base_url,
                templates,
                watch: watch.then_some(true),
                edit_url,
                report_url,
                query_log,
            };
            cmd::serve::run(cmd::serve::ServeOptions::resolve(procedures, given)?)?;
            Ok(true)
        }
    }
}
