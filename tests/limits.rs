//! The limits that keep a public server up, over real TCP on loopback: a cap on connections (the
//! rest wait), slow clients that cannot hold a connection, oversized headers, a 1 MB
//! query string and a request that takes too long. After each attack the server still answers.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use giayto::content;
use giayto::search::{SYNONYMS_FILE, SearchIndex, Synonyms};
use giayto::web::{self, Limits, Site, Templates};

/// A server running `app` within `limits` on a free loopback port, stopped when dropped.
struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    fn start(app: Router, limits: Limits) -> Running {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                web::server::serve(listener, app, &limits, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        Running {
            addr: addr_rx.recv().unwrap(),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    /// Sends `request` on a new connection and returns the status and the whole reply.
    fn send(&self, request: &[u8]) -> (u16, String) {
        let mut stream = self.connect();
        // The server may answer and close before it has read everything of a huge request.
        let _ = stream.write_all(request);
        read_reply(&mut stream)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.send(format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads until the server closes; the status is 0 when nothing came back.
fn read_reply(stream: &mut TcpStream) -> (u16, String) {
    let mut bytes = Vec::new();
    let mut buffer = [0; 16 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!("reading the reply: {e}"),
        }
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn site_app() -> Router {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/procedures");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let loaded = content::load_dir(&dir, today).unwrap();
    let (synonyms, _) = Synonyms::load(&dir.join(SYNONYMS_FILE)).unwrap();
    let index = SearchIndex::build(&loaded.procedures, &synonyms).unwrap();
    let site = Site::new(
        loaded,
        index,
        Templates::embedded().unwrap(),
        "https://t.example",
    );
    web::router(Arc::new(site))
}

fn assert_still_serving(server: &Running) {
    let (status, reply) = server.get("/thu-tuc/dang-ky-khai-sinh");
    assert_eq!(status, 200, "{}", &reply[..reply.len().min(300)]);
}

#[test]
fn slow_clients_are_cut_off_and_cannot_hold_the_connections() {
    let server = Running::start(
        site_app(),
        Limits {
            max_connections: 2,
            header_timeout: Duration::from_millis(600),
            ..Limits::default()
        },
    );
    // Two clients take every connection: one sends half a request, one byte at a time, the other
    // nothing at all.
    let mut dribbling = server.connect();
    dribbling
        .write_all(b"GET / HTTP/1.1\r\nHost: t\r\n")
        .unwrap();
    let silent = server.connect();
    let dribbler = std::thread::spawn(move || {
        let started = Instant::now();
        for _ in 0..40 {
            if dribbling.write_all(b"X").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let (status, _) = read_reply(&mut dribbling);
        (status, started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    assert_still_serving(&server);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(3),
        "a request waited {waited:?} behind slow clients"
    );
    let (status, held) = dribbler.join().unwrap();
    assert!(
        held < Duration::from_secs(3),
        "a client sending one byte every 100 ms held its connection for {held:?} (status {status})"
    );
    drop(silent);
}

#[test]
fn connections_over_the_cap_wait_for_a_free_one() {
    let server = Running::start(
        site_app(),
        Limits {
            max_connections: 1,
            ..Limits::default()
        },
    );
    let holder = server.connect();
    std::thread::sleep(Duration::from_millis(200));
    let mut waiting = server.connect();
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    let mut first = [0; 1];
    let early = waiting.read(&mut first);
    assert!(
        matches!(&early, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "a connection over the cap was served at once: {early:?}"
    );
    drop(holder);
    waiting
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let (status, reply) = read_reply(&mut waiting);
    assert_eq!(status, 200, "{reply}");
}

#[test]
fn oversized_headers_get_431_and_the_server_stays_up() {
    let server = Running::start(site_app(), Limits::default());
    let huge = "a".repeat(256 * 1024);
    let (status, reply) = server.send(
        format!("GET / HTTP/1.1\r\nHost: t\r\nX-Big: {huge}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(status, 431, "{}", &reply[..reply.len().min(200)]);
    let many: String = (0..2000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let (status, _) = server
        .send(format!("GET / HTTP/1.1\r\nHost: t\r\n{many}Connection: close\r\n\r\n").as_bytes());
    assert!(status == 431 || status == 400, "{status}");
    assert_still_serving(&server);
}

#[test]
fn a_one_megabyte_query_string_is_refused() {
    let server = Running::start(site_app(), Limits::default());
    let query = "khai+sinh+".repeat(100 * 1024);
    let (status, _) = server.get(&format!("/tim-kiem?q={query}"));
    assert!(
        status == 414 || status == 431,
        "a 1 MB query string got {status}"
    );
    // A long address within the limit still gets its page.
    let (status, _) = server.get(&format!("/tim-kiem?q={}", "a".repeat(30_000)));
    assert_eq!(status, 200);
    assert_still_serving(&server);
}

#[test]
fn a_request_that_takes_too_long_gets_408() {
    let slow = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let app = slow.merge(site_app());
    let server = Running::start(
        app,
        Limits {
            request_timeout: Duration::from_millis(300),
            ..Limits::default()
        },
    );
    let started = Instant::now();
    let (status, _) = server.get("/slow");
    assert_eq!(status, 408);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_still_serving(&server);
}
