//! Security and robustness of the gateway: tokens bound to their director, the secure
//! TLS-PSK default, connection limits and timeouts, session-changing JSON-RPC commands
//! and JSON error bodies for every status.

mod common;

use bareos_gateway::{demo, GatewayConfig};
use common::{form_body, json_body, raw, request, start_gateway, Reply, SECRET};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn login(addr: SocketAddr, path: &str) -> String {
    let (user, password) = demo::DEMO_CONSOLE;
    let form = format!("username={user}&password={password}&grant_type=password");
    let reply = request(addr, "POST", path, None, form_body(form)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["access_token"].as_str().unwrap().to_string()
}

/// Two directors (two simulated directors with the same console name and password).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_only_valid_for_its_director() {
    let first = demo::start_director().unwrap();
    let second = demo::start_director().unwrap();
    let mut config = demo::config(first.port(), SECRET);
    config.directors[1].port = second.port();
    let addr = start_gateway(config).await;

    let t = login(addr, "/token").await;
    let ok = request(addr, "GET", "/control/directors/version", Some(&t), None).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let rpc = json!({"jsonrpc": "2.0", "id": 1, "method": "execute", "params": ["version"]});
    for (method, path, body) in [
        ("GET", "/control/directors/version?director=second", None),
        ("GET", "/directors/second/control/directors/version", None),
        ("GET", "/directors/second/users/me", None),
        (
            "POST",
            "/jsonrpc?director=second",
            json_body(rpc.to_string()),
        ),
        ("POST", "/directors/second/token/refresh", None),
    ] {
        let reply = request(addr, method, path, Some(&t), body).await;
        assert_eq!(reply.status, 401, "{path}: {}", reply.body);
        assert!(reply.json()["detail"].is_string(), "{path}");
    }
    // The second director never saw a command of the first one's token.
    assert!(second.received_commands().is_empty());

    // A token of the second director works there and only there.
    let t2 = login(addr, "/token?director=second").await;
    let me = request(addr, "GET", "/users/me", Some(&t2), None).await;
    assert_eq!(me.json()["directorName"], "second");
    for (path, status) in [
        ("/directors/second/control/directors/version", 200),
        ("/control/directors/version?director=bareos-dir", 401),
    ] {
        let reply = request(addr, "GET", path, Some(&t2), None).await;
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
    }
}

/// Without `tls_psk` in the file, the gateway never talks cleartext to a director: a
/// director whose TLS-PSK handshake fails gets no cleartext retry (with the password's
/// challenge response), the login is a JSON 502.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_psk_is_required_by_default() {
    let fake = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = fake.local_addr().unwrap().port();
    let first_bytes = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let seen = first_bytes.clone();
    tokio::spawn(async move {
        // Each connection: note its first byte (0x16: a TLS record), then hang up.
        while let Ok((mut stream, _)) = fake.accept().await {
            let mut byte = [0u8; 1];
            if let Ok(Ok(1)) =
                tokio::time::timeout(Duration::from_secs(5), stream.read(&mut byte)).await
            {
                seen.lock().unwrap().push(byte[0]);
            }
        }
    });
    let mut config = GatewayConfig::parse(&format!(
        "[jwt]\nsecret = \"{SECRET}\"\n[[directors]]\nname = \"d\"\naddress = \"127.0.0.1\"\nport = {port}\n"
    ))
    .unwrap();
    config.check().unwrap();
    assert_eq!(config.directors[0].tls_psk, bareos::TlsMode::Required);
    config.pool.command_timeout_seconds = 5;
    let addr = start_gateway(config).await;
    let form = "username=admin&password=secret&grant_type=password".to_string();
    let reply = request(addr, "POST", "/token", None, form_body(form)).await;
    assert_eq!(reply.status, 502, "{}", reply.body);
    assert!(reply.json()["detail"].is_string());
    let bytes = first_bytes.lock().unwrap().clone();
    assert!(!bytes.is_empty());
    assert!(
        bytes.iter().all(|&b| b == 0x16),
        "a connection did not start with TLS: first bytes {bytes:?}"
    );
}

/// The director resolves abbreviated command words (`q` is `quit`, `.ap` is `.api`): such
/// words are refused as invalid params before anything reaches the pooled connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonrpc_refuses_abbreviated_session_commands() {
    let director = demo::start_director().unwrap();
    let addr = start_gateway(demo::config(director.port(), SECRET)).await;
    let t = login(addr, "/token").await;
    let rpc = |command: &str| {
        json!({"jsonrpc": "2.0", "id": 7, "method": "execute", "params": [command]}).to_string()
    };
    let refused = [
        ".ap 0",
        "qui",
        "q",
        "QU",
        "Exi",
        ".qu",
        "gu",
        "aut on",
        "automount off",
        "autom on",
        "\"quit\"",
        "q\\uit",
        ".api=0",
        "@exec /bin/true",
    ];
    for command in refused {
        let reply = request(addr, "POST", "/jsonrpc", Some(&t), json_body(rpc(command))).await;
        assert_eq!(reply.status, 200, "{command}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["error"]["code"], -32602, "{command}: {body}");
        assert_eq!(body["error"]["data"]["status"], 422, "{command}: {body}");
        assert_eq!(body["id"], 7);
        // The pooled connection still answers.
        let reply = request(
            addr,
            "POST",
            "/jsonrpc",
            Some(&t),
            json_body(rpc("version")),
        )
        .await;
        assert_eq!(
            reply.json()["result"]["version"]["name"],
            "bareos-dir",
            "after {command}"
        );
    }
    for frame in director.received_commands() {
        if let bareos_proto::Frame::Data(payload) = frame {
            let text = String::from_utf8_lossy(&payload);
            assert!(!refused.contains(&text.trim()), "the director got {text:?}");
        }
    }
}

fn assert_json_413(reply: &Reply, what: &str) -> Value {
    assert_eq!(
        reply.status, 413,
        "{what}: {}\n{}",
        reply.headers, reply.body
    );
    assert_json_content_type(reply, what);
    reply.json()
}

/// Asserts that `reply` declares a JSON body.
fn assert_json_content_type(reply: &Reply, what: &str) {
    let headers = reply.headers.to_ascii_lowercase();
    let declared = headers.contains("content-type: application/json");
    assert!(declared, "{what}: {}", reply.headers);
}

/// A body over `max_body_bytes` is a 413 with a JSON body, whether announced by
/// Content-Length or sent chunked: `{"detail"}`, on `/jsonrpc` a JSON-RPC error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_json_413() {
    let director = demo::start_director().unwrap();
    let addr = start_gateway(demo::config(director.port(), SECRET)).await;
    let t = login(addr, "/token").await;
    let big = "x".repeat(100_000);
    let form = format!("username=admin&password=secret&grant_type=password&pad={big}");

    let reply = request(addr, "POST", "/jsonrpc", Some(&t), json_body(big.clone())).await;
    let body = assert_json_413(&reply, "/jsonrpc");
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["error"]["code"], -32600);
    assert_eq!(body["error"]["data"]["status"], 413);
    assert_eq!(body["id"], Value::Null);

    let reply = request(addr, "POST", "/token", None, form_body(form.clone())).await;
    let body = assert_json_413(&reply, "/token");
    assert!(body["detail"].is_string());

    let reply = request(
        addr,
        "PUT",
        "/control/jobs/cancel/1",
        Some(&t),
        json_body(big.clone()),
    )
    .await;
    assert!(assert_json_413(&reply, "REST")["detail"].is_string());

    // Chunked: no Content-Length to refuse early; the limit trips while reading.
    let chunked = |path: &str, ct: &str, auth: Option<&str>, payload: &str| {
        let mut head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {ct}\r\nTransfer-Encoding: chunked\r\n"
        );
        if let Some(t) = auth {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        head.push_str("\r\n");
        for piece in payload.as_bytes().chunks(8192) {
            head.push_str(&format!(
                "{:x}\r\n{}\r\n",
                piece.len(),
                String::from_utf8_lossy(piece)
            ));
        }
        head.push_str("0\r\n\r\n");
        head
    };
    let reply = raw(
        addr,
        chunked("/jsonrpc", "application/json", Some(&t), &big).as_bytes(),
    )
    .await;
    let body = assert_json_413(&reply, "/jsonrpc chunked");
    assert_eq!(body["error"]["code"], -32600);
    let reply = raw(
        addr,
        chunked("/token", "application/x-www-form-urlencoded", None, &form).as_bytes(),
    )
    .await;
    assert!(assert_json_413(&reply, "/token chunked")["detail"].is_string());
}

/// Reads until the server closes the connection; the time it took.
async fn time_to_close(stream: &mut tokio::net::TcpStream, limit: Duration) -> Duration {
    let started = std::time::Instant::now();
    let mut sink = Vec::new();
    tokio::time::timeout(limit, stream.read_to_end(&mut sink))
        .await
        .expect("the server kept the connection open")
        .ok();
    started.elapsed()
}

fn limited_config(port: u16) -> GatewayConfig {
    let mut config = demo::config(port, SECRET);
    config.header_read_timeout_seconds = 1;
    config.keep_alive_timeout_seconds = 3;
    config
}

/// Slowloris: a request head without its final CRLF, or nothing at all, is closed after
/// the header timeout; an idle keep-alive connection after the keep-alive timeout (not
/// after the shorter header timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_connections_are_closed() {
    let director = demo::start_director().unwrap();
    let addr = start_gateway(limited_config(director.port())).await;

    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let waited = time_to_close(&mut slow, Duration::from_secs(5)).await;
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
    let waited = time_to_close(&mut silent, Duration::from_secs(5)).await;
    assert!(waited < Duration::from_millis(2500), "{waited:?}");

    // Trickling header bytes does not extend the header timeout.
    let mut trickle = tokio::net::TcpStream::connect(addr).await.unwrap();
    let started = std::time::Instant::now();
    let mut closed = false;
    for _ in 0..40 {
        if trickle.write_all(b"X-A: b\r\n").await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !closed {
        time_to_close(&mut trickle, Duration::from_secs(5)).await;
    }
    assert!(started.elapsed() < Duration::from_millis(2500));

    // Keep-alive: two requests 1.5 s apart on one connection (longer than the header
    // timeout), then the idle connection is closed after about 3 s.
    let mut alive = tokio::net::TcpStream::connect(addr).await.unwrap();
    for _ in 0..2 {
        alive
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(5), alive.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        let text = String::from_utf8_lossy(&buf[..n]);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.contains(r#"{"status":"ok"}"#), "{text}");
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    let waited = time_to_close(&mut alive, Duration::from_secs(6)).await;
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
}

/// At most `max_connections` connections are served at once; the next one is served as
/// soon as one of them ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_capped() {
    let director = demo::start_director().unwrap();
    let mut config = demo::config(director.port(), SECRET);
    config.max_connections = 2;
    let addr = start_gateway(config).await;
    let first = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _second = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    assert!(
        tokio::time::timeout(Duration::from_millis(700), third.read(&mut buf))
            .await
            .is_err(),
        "a third connection was served"
    );
    drop(first);
    let n = tokio::time::timeout(Duration::from_secs(5), third.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
}

/// HTTPS has the same limits: a client that never completes the TLS handshake, or never
/// completes its request head, is closed after the header timeout; requests work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_has_the_same_limits() {
    let director = demo::start_director().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A server certificate for localhost and 127.0.0.1 (the client does not verify it).
    let certs = bareos_testkit::certs::TestCertificates::generate(dir.path()).unwrap();
    let (cert, key) = (certs.server_cert, certs.server_key);
    let mut config = limited_config(director.port());
    config.tls = Some(bareos_gateway::config::TlsConfig { cert, key });
    let addr = start_gateway(config).await;

    // No handshake at all.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let waited = time_to_close(&mut silent, Duration::from_secs(5)).await;
    assert!(waited < Duration::from_millis(2500), "{waited:?}");

    // A TLS client: a complete request is answered, an incomplete one is closed.
    let answers = tokio::task::spawn_blocking(move || {
        use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
        use std::io::{Read, Write};
        let mut connector = SslConnector::builder(SslMethod::tls_client()).unwrap();
        connector.set_verify(SslVerifyMode::NONE);
        let connector = connector.build();
        let tls = |head: &[u8]| {
            let tcp = std::net::TcpStream::connect(addr).unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut stream = connector.connect("localhost", tcp).unwrap();
            stream.write_all(head).unwrap();
            let started = std::time::Instant::now();
            let mut out = Vec::new();
            let _ = stream.read_to_end(&mut out);
            (String::from_utf8_lossy(&out).to_string(), started.elapsed())
        };
        (
            tls(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            tls(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"),
        )
    })
    .await
    .unwrap();
    let ((complete, _), (incomplete, waited)) = answers;
    assert!(complete.starts_with("HTTP/1.1 200"), "{complete}");
    assert!(complete.contains(r#"{"status":"ok"}"#), "{complete}");
    assert!(
        complete
            .to_ascii_lowercase()
            .contains("strict-transport-security: max-age="),
        "{complete}"
    );
    assert_eq!(incomplete, "");
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
}

/// JSON-RPC ids come back exactly as sent: big integers, fractions, strings; the answer
/// text has the id's own digits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonrpc_ids_are_echoed_exactly() {
    let director = demo::start_director().unwrap();
    let addr = start_gateway(demo::config(director.port(), SECRET)).await;
    let t = login(addr, "/token").await;
    for id in [
        "123456789012345678901234567890",
        "-12345678901234567890.000000000000000000001",
        "1e400",
        "7",
        "\"x\\u00e9\"",
        "null",
    ] {
        let body = format!(
            r#"{{"jsonrpc": "2.0", "id": {id}, "method": "execute", "params": ["version"]}}"#
        );
        let reply = request(addr, "POST", "/jsonrpc", Some(&t), json_body(body.clone())).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(
            reply.body.ends_with(&format!(r#""id":{id}}}"#)),
            "{id}: {}",
            reply.body
        );
        let batch = format!("[{body}, {body}]");
        let reply = request(addr, "POST", "/jsonrpc", Some(&t), json_body(batch)).await;
        assert_eq!(
            reply.body.matches(&format!(r#""id":{id}}}"#)).count(),
            2,
            "{id}: {}",
            reply.body
        );
    }
    // Not a string, number or null: an invalid request with a null id.
    let body = r#"{"jsonrpc": "2.0", "id": [1], "method": "execute", "params": ["version"]}"#;
    let reply = request(addr, "POST", "/jsonrpc", Some(&t), json_body(body)).await;
    assert_eq!(reply.json()["error"]["code"], -32600);
    assert_eq!(reply.json()["id"], Value::Null);
}

/// A batch has an overall deadline: with a director that answers `version` very slowly,
/// a batch of three is answered within the deadline, each entry an error (504).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonrpc_batches_have_a_deadline() {
    let table = bareos_testkit::ScriptTable::parse(demo::DEMO_TABLE).unwrap();
    let director = bareos_testkit::TestDirector::builder()
        .script(table)
        .console(
            bareos_testkit::ConsoleSpec::new(demo::DEMO_CONSOLE.0, demo::DEMO_CONSOLE.1)
                .tls(bareos_testkit::TlsPolicy::Required),
        )
        .fault(bareos_testkit::FaultSpec::on_command(
            "version",
            bareos_testkit::Fault::SlowTrickle(Duration::from_millis(50)),
        ))
        .start()
        .unwrap();
    let mut config = demo::config(director.port(), SECRET);
    config.jsonrpc_batch_timeout_seconds = 1;
    let addr = start_gateway(config).await;
    let t = login(addr, "/token").await;
    let item =
        |id: u32| json!({"jsonrpc": "2.0", "id": id, "method": "execute", "params": ["version"]});
    let batch = json!([item(1), item(2), item(3)]).to_string();
    let started = std::time::Instant::now();
    let reply = request(addr, "POST", "/jsonrpc", Some(&t), json_body(batch)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answers = reply.json();
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 3);
    for (i, a) in answers.iter().enumerate() {
        assert_eq!(a["id"], i + 1);
        assert_eq!(a["error"]["code"], -32000, "{a}");
        assert_eq!(a["error"]["data"]["status"], 504, "{a}");
    }
}

fn header_of(reply: &Reply, name: &str) -> Option<String> {
    reply.headers.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

/// `nosniff` on every answer (errors too), `no-store` on token answers, no framing of
/// `/docs`, CORS preflights allow `Authorization` by name, and the `Bearer` scheme in any
/// case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_and_cors() {
    let director = demo::start_director().unwrap();
    let mut config = demo::config(director.port(), SECRET);
    config.cors_origins = vec!["https://example.org".into()];
    let addr = start_gateway(config).await;
    for path in [
        "/healthz",
        "/docs",
        "/openapi.json",
        "/nope",
        "/control/clients",
    ] {
        let reply = request(addr, "GET", path, None, None).await;
        assert_eq!(
            header_of(&reply, "x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            header_of(&reply, "strict-transport-security"),
            None,
            "{path}: plain HTTP"
        );
    }
    let docs = request(addr, "GET", "/docs", None, None).await;
    assert_eq!(header_of(&docs, "x-frame-options").as_deref(), Some("DENY"));
    assert!(header_of(&docs, "content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let (user, password) = demo::DEMO_CONSOLE;
    let form = format!("username={user}&password={password}&grant_type=password");
    let reply = request(addr, "POST", "/token", None, form_body(form)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        header_of(&reply, "cache-control").as_deref(),
        Some("no-store")
    );
    let token = reply.json()["access_token"].as_str().unwrap().to_string();
    let refreshed = request(addr, "POST", "/token/refresh", Some(&token), None).await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    assert_eq!(
        header_of(&refreshed, "cache-control").as_deref(),
        Some("no-store")
    );
    for scheme in ["BEARER", "bearer", "Bearer", "bEaReR"] {
        let head = format!("GET /users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {scheme} {token}\r\n\r\n");
        let reply = raw(addr, head.as_bytes()).await;
        assert_eq!(reply.status, 200, "{scheme}: {}", reply.body);
    }
    let preflight = raw(
        addr,
        b"OPTIONS /control/clients HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: https://example.org\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: authorization\r\n\r\n",
    )
    .await;
    let allowed = header_of(&preflight, "access-control-allow-headers")
        .unwrap_or_default()
        .to_lowercase();
    assert!(allowed.contains("authorization"), "{}", preflight.headers);
    assert_eq!(
        header_of(&preflight, "access-control-allow-origin").as_deref(),
        Some("https://example.org")
    );
}

/// The answers the HTTP layer makes itself (a head it cannot parse, a 70 KB URI, 2,000
/// headers) have the same JSON error body as the others; requests before and after on
/// other connections are unaffected, and a pipelined good request is answered as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_layer_errors_have_json_bodies() {
    let director = demo::start_director().unwrap();
    let addr = start_gateway(demo::config(director.port(), SECRET)).await;
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let mut many_headers = String::from("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for i in 0..2000 {
        many_headers.push_str(&format!("X-H{i}: v\r\n"));
    }
    many_headers.push_str("\r\n");
    for (what, bytes, status) in [
        (
            "malformed",
            b"GET / HTTP/1.1\r\nHost x\r\n\r\n".to_vec(),
            400,
        ),
        ("garbage", b"\x01\x02\x03 nonsense\r\n\r\n".to_vec(), 400),
        ("70 KB URI", long_uri.into_bytes(), 414),
        ("2,000 headers", many_headers.into_bytes(), 431),
    ] {
        let reply = raw(addr, &bytes).await;
        assert_eq!(reply.status, status, "{what}: {}", reply.headers);
        assert_json_content_type(&reply, what);
        assert!(reply.json()["detail"].is_string(), "{what}: {}", reply.body);
    }
    // Pipelined: two good requests, then a broken one; the good ones are answered as
    // they are (a 404 of the router among them), then the JSON 400.
    let reply = raw(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost x\r\n\r\n",
    )
    .await;
    let all = format!("{}\r\n\r\n{}", reply.headers, reply.body);
    assert!(all.contains(r#"{"status":"ok"}"#), "{all}");
    assert!(all.contains("HTTP/1.1 404"), "{all}");
    assert!(all.contains(r#"{"detail":"Not Found"}"#), "{all}");
    assert!(all.contains("HTTP/1.1 400"), "{all}");
    assert!(all.contains(r#"{"detail":"Bad Request"}"#), "{all}");
}

/// Logout: `POST /token/revoke` ends the session: the token and the tokens refreshed
/// from it are refused afterwards; a new login works. Refreshing keeps the session's
/// absolute end: `expires_in` never goes past `max_session_minutes` after the login.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_can_be_revoked_and_end() {
    let director = demo::start_director().unwrap();
    let mut config = demo::config(director.port(), SECRET);
    config.jwt.expire_minutes = 30;
    config.jwt.max_session_minutes = 31;
    let addr = start_gateway(config).await;
    let (user, password) = demo::DEMO_CONSOLE;
    let form = format!("username={user}&password={password}&grant_type=password");
    let reply = request(addr, "POST", "/token", None, form_body(form)).await;
    let first = reply.json();
    assert!(first["expires_in"].as_u64().unwrap() <= 30 * 60);
    let t = first["access_token"].as_str().unwrap().to_string();
    let refreshed = request(addr, "POST", "/token/refresh", Some(&t), None).await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    let t2 = refreshed.json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let again = request(addr, "POST", "/token/refresh", Some(&t2), None).await;
    let expires = again.json()["expires_in"].as_u64().unwrap();
    assert!(expires <= 31 * 60 && expires > 30 * 60 - 5, "{expires}");

    assert_eq!(
        request(addr, "GET", "/users/me", Some(&t2), None)
            .await
            .status,
        200
    );
    let revoked = request(addr, "POST", "/token/revoke", Some(&t2), None).await;
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    for token in [&t, &t2] {
        let reply = request(addr, "GET", "/users/me", Some(token), None).await;
        assert_eq!(reply.status, 401, "{}", reply.body);
        let reply = request(addr, "POST", "/token/refresh", Some(token), None).await;
        assert_eq!(reply.status, 401, "{}", reply.body);
    }
    let t3 = login(addr, "/token").await;
    assert_eq!(
        request(addr, "GET", "/users/me", Some(&t3), None)
            .await
            .status,
        200
    );
}

/// Unauthenticated clients learn no internal detail: a director that cannot be reached is
/// a generic 502 (no address, no system error), an unknown director a 404 without the
/// configured names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_internal_detail_for_clients() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let addr = start_gateway(demo::config(port, SECRET)).await;
    let form = "username=admin&password=secret&grant_type=password".to_string();
    let reply = request(addr, "POST", "/token", None, form_body(form.clone())).await;
    assert_eq!(reply.status, 502, "{}", reply.body);
    let body = reply.body.to_lowercase();
    for leak in [
        "127.0.0.1",
        &port.to_string(),
        "refused",
        "os error",
        "cannot connect",
    ] {
        assert!(!body.contains(leak), "{leak}: {}", reply.body);
    }
    let reply = request(addr, "POST", "/token?director=nope", None, form_body(form)).await;
    assert_eq!(reply.status, 404, "{}", reply.body);
    for name in ["bareos-dir", "second", "nope"] {
        assert!(!reply.body.contains(name), "{name}: {}", reply.body);
    }
}

/// Pipelined requests whose answers fill the socket buffers while the client does not
/// read (answer heads written after a wait): every answer is the route's own, none is
/// taken for one of the HTTP layer's errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_answers_under_backpressure_stay_intact() {
    let director = demo::start_director().unwrap();
    let addr = start_gateway(demo::config(director.port(), SECRET)).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let count = 40;
    let mut requests = String::new();
    for i in 0..count {
        let close = if i == count - 1 {
            "Connection: close\r\n"
        } else {
            ""
        };
        requests.push_str(&format!(
            "GET /openapi.json HTTP/1.1\r\nHost: x\r\n{close}\r\n"
        ));
    }
    stream.write_all(requests.as_bytes()).await.unwrap();
    // Let the server fill the buffers and wait.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert_eq!(
        text.matches("HTTP/1.1 200 OK").count(),
        count,
        "{}",
        &text[..300.min(text.len())]
    );
    assert!(!text.contains("HTTP/1.1 4"), "an error answer among them");
}

/// A director link with certificate TLS: a director certificate signed by the configured
/// CA logs in; one the CA did not sign is a JSON 502 that says why, and no cleartext
/// retry happens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn director_links_with_certificates() {
    use bareos_testkit::certs::TestCertificates;
    use bareos_testkit::{ConsoleSpec, TestDirector, TlsPolicy};
    let dir = tempfile::tempdir().unwrap();
    let certs = TestCertificates::generate(dir.path()).unwrap();
    let (user, password) = demo::DEMO_CONSOLE;
    let director = TestDirector::builder()
        .console(ConsoleSpec::new(user, password).tls(TlsPolicy::Required))
        .tls_certificate(&certs.server_cert, &certs.server_key)
        .start()
        .unwrap();
    // Relative paths in the file are taken relative to it.
    let file = dir.path().join("gateway.toml");
    std::fs::write(
        &file,
        format!(
            "[jwt]\nsecret = \"{SECRET}\"\n[[directors]]\nname = \"bareos-dir\"\naddress = \"localhost\"\nport = {}\ntls_ca_file = \"ca.pem\"\n",
            director.port()
        ),
    )
    .unwrap();
    let config = GatewayConfig::load(&file).unwrap();
    assert_eq!(
        config.directors[0].tls_ca_file.as_deref(),
        Some(certs.ca.as_path())
    );
    let addr = start_gateway(config).await;
    login(addr, "/token").await;
    assert!(director.recorded().iter().any(|r| r.command_phase));
    let before = director.recorded().len();

    let mut untrusted = demo::config(director.port(), SECRET);
    untrusted.directors[0].tls_ca_file = Some(certs.other_ca.clone());
    let addr = start_gateway(untrusted).await;
    let form = format!("username={user}&password={password}&grant_type=password");
    let reply = request(addr, "POST", "/token", None, form_body(form)).await;
    assert_eq!(reply.status, 502, "{}", reply.body);
    let detail = reply.json()["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("certificate"), "{detail}");
    assert!(!detail.contains(password), "{detail}");
    // Refused in the TLS handshake: not one frame reached the director.
    assert_eq!(director.recorded().len(), before);
}
