//! Availability under misbehaving clients: stalled bodies, idle keep-alive connections,
//! many connections of one address, login floods, cached readiness, request deadlines,
//! graceful shutdown, and pooled connections whose command was abandoned.
//!
//! Clients bind to distinct loopback addresses (127.0.0.1 for the misbehaving one,
//! 127.0.0.2 for the legitimate one) to be distinct client addresses.

use bareos_gateway::{demo, GatewayConfig};
use bareos_testkit::{
    ConsoleSpec, Fault, FaultSpec, ScriptTable, TestDirector, TestDirectorBuilder, TlsPolicy,
};
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET: &str = "test-secret-0123456789abcdef-0123456789";
const ATTACKER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// The demo director with extra settings.
fn director(extra: impl FnOnce(TestDirectorBuilder) -> TestDirectorBuilder) -> TestDirector {
    let table = ScriptTable::parse(demo::DEMO_TABLE).unwrap();
    let builder = TestDirector::builder()
        .script(table)
        .console(
            ConsoleSpec::new(demo::DEMO_CONSOLE.0, demo::DEMO_CONSOLE.1).tls(TlsPolicy::Required),
        )
        .console(
            ConsoleSpec::new(demo::METRICS_CONSOLE.0, demo::METRICS_CONSOLE.1)
                .tls(TlsPolicy::Required),
        );
    extra(builder).start().unwrap()
}

async fn start_gateway(config: GatewayConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(bareos_gateway::serve_listener(listener, config));
    SocketAddr::new(ATTACKER, port)
}

/// A connection from the loopback address `from`.
async fn connect(from: IpAddr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(SocketAddr::new(from, to.port())).await
}

/// An HTTP/1.1 answer.
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Reads one answer with a Content-Length (what the gateway sends) off `stream`.
async fn read_reply(stream: &mut TcpStream) -> Option<Reply> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_string();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            while raw.len() < end + 4 + length {
                let n = stream.read(&mut buf).await.ok()?;
                if n == 0 {
                    return None;
                }
                raw.extend_from_slice(&buf[..n]);
            }
            let body = String::from_utf8_lossy(&raw[end + 4..end + 4 + length]).to_string();
            return Some(Reply {
                status: head.get(9..12)?.parse().ok()?,
                head,
                body,
            });
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

/// One request on a new connection from `from`, answered within `limit`.
async fn request_from(
    from: IpAddr,
    addr: SocketAddr,
    method: &str,
    path: &str,
    form: Option<&str>,
    limit: Duration,
) -> Reply {
    let attempt = async {
        let mut stream = connect(from, addr).await.unwrap();
        let body = form.unwrap_or("");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        read_reply(&mut stream).await.expect("no answer")
    };
    tokio::time::timeout(limit, attempt)
        .await
        .unwrap_or_else(|_| panic!("{method} {path} from {from}: no answer within {limit:?}"))
}

async fn healthz_from(from: IpAddr, addr: SocketAddr) -> Duration {
    let started = Instant::now();
    let reply = request_from(from, addr, "GET", "/healthz", None, Duration::from_secs(1)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    started.elapsed()
}

/// Waits until the server closes `stream` (EOF or reset); the time it took.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut sink = [0u8; 4096];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

/// A gateway for `director` with the test config as `change` leaves it.
async fn gateway_with(
    director: &TestDirector,
    change: impl FnOnce(&mut GatewayConfig),
) -> SocketAddr {
    let mut config = config(director.port());
    change(&mut config);
    start_gateway(config).await
}

/// A test director that sends the reply to `version` one byte every `pause`.
fn director_with_slow_version(pause: Duration) -> TestDirector {
    director(|b| b.fault(FaultSpec::on_command("version", Fault::SlowTrickle(pause))))
}

fn config(port: u16) -> GatewayConfig {
    demo::config(port, SECRET)
}

/// Stalled bodies (a login announcing 1,000 bytes and sending one): one address gets at
/// most `max_connections_per_address` connections, the rest a 503 at once; the stalled
/// ones are closed when their body deadline passes; another client is served within 1 s
/// all along, even though the attacker opened more connections than `max_connections`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_bodies_neither_block_others_nor_stay_open() {
    let director = director(|b| b);
    let addr = gateway_with(&director, |config| {
        config.max_connections = 40;
        config.max_connections_per_address = 30;
        config.body_read_timeout_seconds = 2;
    })
    .await;
    let mut stalled = Vec::new();
    for _ in 0..60 {
        let mut s = connect(ATTACKER, addr).await.unwrap();
        let _ = s
            .write_all(b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nu")
            .await;
        stalled.push(s);
    }
    let started = Instant::now();
    healthz_from(CLIENT, addr).await;
    // The connections over the per-address cap were answered 503 and closed.
    let mut refused = 0;
    for s in stalled.iter_mut().skip(30) {
        if let Some(reply) = tokio::time::timeout(Duration::from_secs(1), read_reply(s))
            .await
            .ok()
            .flatten()
        {
            assert_eq!(reply.status, 503, "{}", reply.body);
            assert_eq!(reply.header("retry-after").as_deref(), Some("1"));
        }
        assert!(closed_within(s, Duration::from_secs(1)).await);
        refused += 1;
    }
    assert_eq!(refused, 30);
    while started.elapsed() < Duration::from_millis(1500) {
        healthz_from(CLIENT, addr).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The 30 stalled ones are closed by the body deadline (2 s, with margin).
    for s in stalled.iter_mut().take(30) {
        assert!(
            closed_within(s, Duration::from_secs(4)).await,
            "a stalled body is still open after {:?}",
            started.elapsed()
        );
    }
    // And the attacker's address may connect again.
    healthz_from(ATTACKER, addr).await;
}

/// Idle keep-alive connections: when all connections are taken, the oldest idle one is
/// closed for a new client, which is served at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oldest_idle_connection_makes_room() {
    let director = director(|b| b);
    let addr = gateway_with(&director, |config| config.max_connections = 4).await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        let mut s = connect(ATTACKER, addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let reply = read_reply(&mut s).await.unwrap();
        assert_eq!(reply.status, 200);
        idle.push(s);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    healthz_from(CLIENT, addr).await;
    assert!(
        closed_within(&mut idle[0], Duration::from_secs(1)).await,
        "the oldest idle connection is open"
    );
    // The others are still served on their connection.
    for s in idle.iter_mut().skip(2) {
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_reply(s).await.unwrap().status, 200);
    }
}

/// The per-address connection cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_capped_per_address() {
    let director = director(|b| b);
    let addr = gateway_with(&director, |config| config.max_connections_per_address = 2).await;
    let _a = connect(ATTACKER, addr).await.unwrap();
    let _b = connect(ATTACKER, addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let third = request_from(
        ATTACKER,
        addr,
        "GET",
        "/healthz",
        None,
        Duration::from_secs(1),
    )
    .await;
    assert_eq!(third.status, 503);
    assert!(third.json()["detail"].is_string(), "{}", third.body);
    healthz_from(CLIENT, addr).await;
}

async fn login_from(from: IpAddr, addr: SocketAddr, user: &str, password: &str) -> Reply {
    let form = format!("username={user}&password={password}&grant_type=password");
    request_from(
        from,
        addr,
        "POST",
        "/token",
        Some(&form),
        Duration::from_secs(10),
    )
    .await
}

/// Wrong passwords from one address: 401 until the per-user limit, then 429 with
/// Retry-After without asking the director; the same user from another address logs in;
/// other users from the flooding address until the per-address limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_failures_are_throttled_per_address_and_user() {
    let director = director(|b| b.auth_failure_delay(Duration::from_millis(1)));
    let addr = gateway_with(&director, |config| {
        config.login.max_failures_per_user = 3;
        config.login.max_failures_per_address = 5;
    })
    .await;
    let (user, password) = demo::DEMO_CONSOLE;
    for _ in 0..3 {
        let reply = login_from(ATTACKER, addr, user, "wrong").await;
        assert_eq!(reply.status, 401, "{}", reply.body);
    }
    let started = Instant::now();
    for _ in 0..50 {
        let reply = login_from(ATTACKER, addr, user, "wrong").await;
        assert_eq!(reply.status, 429, "{}", reply.body);
        let retry: u64 = reply.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        assert!(reply.json()["detail"].is_string());
    }
    // The throttled attempts never reached the director (50 of them in well under the
    // time 50 TLS logins take is not asserted: the director's side is counted below).
    let _ = started;
    // Also the correct password is throttled from that address for that user ...
    assert_eq!(login_from(ATTACKER, addr, user, password).await.status, 429);
    // ... but not from another address.
    let ok = login_from(CLIENT, addr, user, password).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.json()["access_token"].is_string());
    // Other users from the flooding address: until the address has 5 failures.
    assert_eq!(login_from(ATTACKER, addr, "nobody", "x").await.status, 401);
    assert_eq!(login_from(ATTACKER, addr, "nobody2", "x").await.status, 401);
    assert_eq!(login_from(ATTACKER, addr, "nobody3", "x").await.status, 429);
    assert_eq!(
        login_from(
            ATTACKER,
            addr,
            demo::METRICS_CONSOLE.0,
            demo::METRICS_CONSOLE.1
        )
        .await
        .status,
        429
    );
    assert_eq!(login_from(CLIENT, addr, "nobody3", "x").await.status, 401);
}

/// Logins checked at once from one address are capped: with a director that accepts
/// connections and never says anything (the login times out after 2 s), a burst of
/// simultaneous logins gets 429 beyond the cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_logins_are_capped() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let mut config = config(port);
    config.pool.command_timeout_seconds = 2;
    config.login.max_concurrent_per_address = 2;
    let addr = start_gateway(config).await;
    let user = demo::DEMO_CONSOLE.0;
    let attempts = (0..6).map(|_| {
        tokio::spawn(async move { login_from(ATTACKER, addr, user, "wrong").await.status })
    });
    let attempts: Vec<_> = attempts.collect();
    let mut statuses = Vec::new();
    for a in attempts {
        statuses.push(a.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, vec![429, 429, 429, 429, 504, 504]);
    // Another address is not affected by the cap of this one.
    let held = tokio::spawn(async move { login_from(ATTACKER, addr, user, "b").await.status });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(login_from(CLIENT, addr, user, "d").await.status, 504);
    assert_eq!(held.await.unwrap(), 504);
}

fn count_commands(director: &TestDirector, command: &str) -> usize {
    director
        .received_commands()
        .into_iter()
        .filter(|f| matches!(f, bareos_proto::Frame::Data(p) if String::from_utf8_lossy(p).trim() == command))
        .count()
}

/// `/readyz` within the metrics cache time is one director command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_is_cached() {
    let director = director(|b| b);
    let addr = start_gateway(config(director.port())).await;
    for _ in 0..5 {
        let reply = request_from(
            CLIENT,
            addr,
            "GET",
            "/readyz",
            None,
            Duration::from_secs(10),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.json()["status"], "ready");
    }
    assert_eq!(count_commands(&director, "."), 1);
}

async fn token(addr: SocketAddr) -> String {
    let (user, password) = demo::DEMO_CONSOLE;
    let reply = login_from(CLIENT, addr, user, password).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["access_token"].as_str().unwrap().to_string()
}

async fn get_with_token(addr: SocketAddr, path: &str, token: &str, limit: Duration) -> Reply {
    tokio::time::timeout(limit, async {
        let mut s = connect(CLIENT, addr).await.unwrap();
        let head = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        read_reply(&mut s).await.expect("no answer")
    })
    .await
    .expect("no answer in time")
}

/// `GET /control/directors/version` with `token`, answered within `limit`.
async fn version_with_token(addr: SocketAddr, token: &str, limit: Duration) -> Reply {
    get_with_token(addr, "/control/directors/version", token, limit).await
}

/// A request that takes longer than `request_timeout_seconds` is a JSON 503, and the
/// director connection whose command was abandoned is not reused: the next request gets
/// its own answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_deadline_and_abandoned_connections() {
    let director = director_with_slow_version(Duration::from_millis(20));
    let addr = gateway_with(&director, |config| {
        config.request_timeout_seconds = 1;
        config.pool.max_size = 1;
    })
    .await;
    let t = token(addr).await;
    let started = Instant::now();
    let reply = version_with_token(addr, &t, Duration::from_secs(5)).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(reply.json()["detail"].is_string());
    assert!(started.elapsed() < Duration::from_secs(3));
    let reply = get_with_token(addr, "/control/clients", &t, Duration::from_secs(5)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("bareos-fd"),
        "the answer of another command: {}",
        reply.body
    );
}

/// Graceful shutdown: the listener closes, a request in progress is answered, the idle
/// pooled director connections get `quit`, and the server returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown() {
    let director = director_with_slow_version(Duration::from_millis(3));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let addr = SocketAddr::new(CLIENT, listener.local_addr().unwrap().port());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bareos_gateway::serve_listener_until(
        listener,
        config(director.port()),
        async {
            let _ = stopped.await;
        },
    ));
    let t = token(addr).await;
    // A pooled connection, idle when the shutdown comes.
    let warm = get_with_token(addr, "/control/clients", &t, Duration::from_secs(10)).await;
    assert_eq!(warm.status, 200);
    let slow = {
        let t = t.clone();
        tokio::spawn(async move { version_with_token(addr, &t, Duration::from_secs(20)).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).unwrap();
    let reply = slow.await.unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server did not stop")
        .unwrap()
        .unwrap();
    assert!(connect(CLIENT, addr).await.is_err(), "still accepting");
    assert!(count_commands(&director, "quit") >= 1, "no quit");
}

/// Director calls cancelled at random points (as when a client goes away or a deadline
/// passes) under concurrent load: every call that completes gets the answer of its own
/// command, never the rest of an abandoned one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_calls_never_leave_a_connection_mid_answer() {
    use rand::{Rng, SeedableRng};
    let slow = |command: &str| {
        FaultSpec::on_command(command, Fault::SlowTrickle(Duration::from_micros(200)))
    };
    let director = director(|b| {
        b.fault(slow(".clients"))
            .fault(slow(".pools"))
            .fault(slow(".jobs"))
    });
    let mut config = config(director.port());
    config.pool.max_size = 2;
    let state = std::sync::Arc::new(bareos_gateway::state::AppState::new(config));
    let entry = state.config.directors[0].clone();
    let (user, password) = demo::DEMO_CONSOLE;
    let pool = state.pool(&entry, user, password);
    let mut workers = Vec::new();
    for worker in 0..4u64 {
        let pool = pool.clone();
        workers.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(worker);
            let (mut completed, mut cancelled) = (0, 0);
            for _ in 0..20 {
                let (command, key) = [
                    (".clients", "clients"),
                    (".pools", "pools"),
                    (".jobs", "jobs"),
                ][rng.gen_range(0..3)];
                let budget = Duration::from_millis(rng.gen_range(0..500));
                match tokio::time::timeout(budget, pool.call_json(command)).await {
                    Ok(result) => {
                        let result = result.unwrap_or_else(|e| panic!("{command}: {e}"));
                        assert!(result.get(key).is_some(), "{command} answered {result}");
                        completed += 1;
                    }
                    Err(_) => cancelled += 1,
                }
            }
            (completed, cancelled)
        }));
    }
    let (mut completed, mut cancelled) = (0, 0);
    for w in workers {
        let (c, x) = w.await.unwrap();
        completed += c;
        cancelled += x;
    }
    assert!(
        completed > 10 && cancelled > 10,
        "{completed} completed, {cancelled} cancelled"
    );
    let abandoned = state
        .pools
        .stats
        .abandoned
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(abandoned > 0);
}

/// An idle pooled connection older than the idle timeout is ended with `quit` (without
/// a request coming along), and `/metrics` counts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_idle_connections_get_quit() {
    let director = director(|b| b);
    let addr = gateway_with(&director, |config| config.pool.idle_timeout_seconds = 1).await;
    let t = token(addr).await;
    let reply = get_with_token(addr, "/control/clients", &t, Duration::from_secs(10)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(count_commands(&director, "quit"), 0);
    let started = Instant::now();
    while count_commands(&director, "quit") == 0 && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count_commands(&director, "quit"), 1);
    let metrics = request_from(
        CLIENT,
        addr,
        "GET",
        "/metrics",
        None,
        Duration::from_secs(10),
    )
    .await;
    assert!(
        metrics
            .body
            .contains("bareos_gateway_pool_connections_expired_total 1"),
        "{}",
        metrics.body
    );
}

/// A TCP relay to whichever director `target` names at connect time (the connections
/// already made stay with their director).
async fn relay(target: std::sync::Arc<std::sync::atomic::AtomicU16>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let to = target.load(std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                if let Ok(mut server) = TcpStream::connect(("127.0.0.1", to)).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    port
}

/// The password of a console changes at the director while the pool has connections
/// logged in with the old one: the first new login the director refuses ends them (with
/// `quit`), the request gets 401, and later requests with that token get 401 without
/// another login.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_credentials_drop_the_pool() {
    let slow = || FaultSpec::on_command("version", Fault::SlowTrickle(Duration::from_millis(2)));
    let before = director(|b| b.fault(slow()));
    let table = ScriptTable::parse(demo::DEMO_TABLE).unwrap();
    let after = TestDirector::builder()
        .script(table)
        .console(ConsoleSpec::new(demo::DEMO_CONSOLE.0, "changed").tls(TlsPolicy::Required))
        .start()
        .unwrap();
    let target = std::sync::Arc::new(std::sync::atomic::AtomicU16::new(before.port()));
    let port = relay(target.clone()).await;
    let mut config = config(port);
    config.pool.max_size = 3;
    let addr = start_gateway(config).await;
    let t = token(addr).await;
    let version = |t: String| async move {
        version_with_token(addr, &t, Duration::from_secs(20))
            .await
            .status
    };
    // Two pooled connections logged in at the old director.
    let (a, b) = tokio::join!(version(t.clone()), version(t.clone()));
    assert_eq!((a, b), (200, 200));
    target.store(after.port(), std::sync::atomic::Ordering::SeqCst);
    // Both busy, a third request needs a new login: refused.
    let (a, b, c) = tokio::join!(version(t.clone()), version(t.clone()), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        get_with_token(addr, "/control/clients", &t, Duration::from_secs(20))
            .await
            .status
    });
    assert_eq!(c, 401);
    assert_eq!((a, b), (200, 200), "requests in progress finish");
    let started = Instant::now();
    while count_commands(&before, "quit") < 2 && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count_commands(&before, "quit"),
        2,
        "the old connections were not ended"
    );
    let logins_after = after.recorded().len();
    assert_eq!(version(t.clone()).await, 401);
    assert_eq!(
        after.recorded().len(),
        logins_after,
        "another login was tried"
    );
}
