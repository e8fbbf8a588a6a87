//! The deployment files in `deploy/`: nginx, configured with `deploy/nginx/` (its http-level part
//! and the proxy snippet unchanged, only the upstream address, the cache folder and a plain
//! loopback listener in place of TLS), in front of the real `giayto serve`. Pages, search, the
//! encodings and `304`s pass through, and nginx caches pages. Skipped with a message when nginx is
//! not installed, unless `GIAYTO_REQUIRE_NGINX=1`. The systemd unit's command line is checked
//! against the binary's flags.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{Server, fixture};

fn deploy(file: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("deploy")
            .join(file),
    )
    .unwrap()
}

fn nginx_binary() -> Option<String> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .map(str::to_string)
}

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

fn request(port: u16, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: giayto.example.vn\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete reply");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        head,
        body: bytes[split + 4..].to_vec(),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn nginx_with_the_deploy_configuration_passes_pages_search_and_304s_through() {
    let Some(nginx) = nginx_binary() else {
        assert!(
            std::env::var_os("GIAYTO_REQUIRE_NGINX").is_none(),
            "nginx is required (GIAYTO_REQUIRE_NGINX is set) but not installed"
        );
        eprintln!("skipped: nginx is not installed (apt-get install nginx-light)");
        return;
    };
    let server = Server::start(&fixture(), &["--base-url", "https://giayto.example.vn"]);
    let upstream = server.url.trim_start_matches("http://").to_string();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().display().to_string();
    let site = deploy("nginx/giayto.conf");
    let (http_part, _) = site
        .split_once("# --- servers ---")
        .expect("giayto.conf marks where its server blocks start");
    assert!(http_part.contains("server 127.0.0.1:8080;"));
    let http_part = http_part
        .replace("server 127.0.0.1:8080;", &format!("server {upstream};"))
        .replace("/var/cache/nginx/giayto", &format!("{root}/cache"));
    let proxy = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx/giayto-proxy.conf");
    let port = free_port();
    let config = format!(
        "worker_processes 1;\ndaemon off;\npid {root}/nginx.pid;\nerror_log {root}/error.log;\n\
         events {{ worker_connections 256; }}\nhttp {{\n  access_log off;\n\
         client_body_temp_path {root}; proxy_temp_path {root}; fastcgi_temp_path {root};\n\
         uwsgi_temp_path {root}; scgi_temp_path {root};\n{http_part}\n\
         server {{\n  listen 127.0.0.1:{port};\n  server_name giayto.example.vn;\n  include {};\n}}\n}}\n",
        proxy.display()
    );
    let config_path = dir.path().join("nginx.conf");
    std::fs::write(&config_path, &config).unwrap();
    let child = Command::new(&nginx)
        .arg("-c")
        .arg(&config_path)
        .arg("-p")
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _nginx = Nginx(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start: {}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let health = request(port, "/healthz", &[]);
    assert_eq!(health.status, 200);
    // "ok", the number of procedures served, then a line per content error (the fixture has one).
    assert!(
        health.body.starts_with(b"ok 3\n"),
        "{}",
        String::from_utf8_lossy(&health.body)
    );

    let page = "/thu-tuc/dang-ky-khai-sinh";
    let first = request(port, page, &[]);
    assert_eq!(first.status, 200, "{}", first.head);
    assert!(String::from_utf8_lossy(&first.body).contains("Đăng ký khai sinh"));
    assert!(
        first.header("content-security-policy").is_some(),
        "{}",
        first.head
    );
    let etag = first.header("etag").expect("an ETag").to_string();
    assert_eq!(first.header("x-cache-status"), Some("MISS"));
    let second = request(port, page, &[]);
    assert_eq!(
        second.header("x-cache-status"),
        Some("HIT"),
        "{}",
        second.head
    );
    assert_eq!(second.body, first.body);

    let not_modified = request(port, page, &[("If-None-Match", &etag)]);
    assert_eq!(not_modified.status, 304, "{}", not_modified.head);
    assert!(not_modified.body.is_empty());

    for encoding in ["br", "gzip"] {
        let compressed = request(
            port,
            page,
            &[("Accept-Encoding", &format!("{encoding}, deflate"))],
        );
        assert_eq!(compressed.status, 200);
        assert_eq!(compressed.header("content-encoding"), Some(encoding));
        assert!(compressed.body.len() < first.body.len() / 2);
    }

    let search = request(port, "/api/search?q=khai+sinh", &[]);
    assert_eq!(search.status, 200);
    assert!(String::from_utf8_lossy(&search.body).contains("dang-ky-khai-sinh"));
    let results = request(port, "/tim-kiem?q=tam+tru", &[]);
    assert_eq!(results.status, 200);
    assert!(String::from_utf8_lossy(&results.body).contains("dang-ky-tam-tru"));
    assert_eq!(request(port, "/thu-tuc/khong-co", &[]).status, 404);
}

#[test]
fn the_systemd_unit_runs_unprivileged_restarts_and_uses_real_flags() {
    let unit = deploy("giayto.service");
    let value = |key: &str| {
        unit.lines()
            .find_map(|line| line.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}= in the unit"))
            .to_string()
    };
    assert_eq!(value("User"), "giayto");
    assert_eq!(value("Restart"), "on-failure");
    let exec = value("ExecStart");
    let mut words = exec.split_whitespace();
    assert!(words.next().unwrap().ends_with("/giayto"));
    assert_eq!(words.next(), Some("serve"));
    let help = Command::new(env!("CARGO_BIN_EXE_giayto"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let flags: Vec<&str> = exec
        .split_whitespace()
        .filter(|w| w.starts_with("--"))
        .collect();
    assert!(flags.contains(&"--base-url"), "{exec}");
    for flag in flags {
        assert!(help.contains(flag), "{flag} is not a flag of giayto serve");
    }
}
