//! HTTP integration tests of every route against the simulated director serving real
//! director replies (fixtures/demo-director.jsonl, made from the API 2 transcripts).

mod common;

use bareos_gateway::demo;
use common::{form_body, json_body, request, start_gateway, Reply, SECRET};
use serde_json::{json, Value};
use std::net::SocketAddr;

struct Server {
    addr: SocketAddr,
    _director: bareos_testkit::TestDirector,
}

async fn start() -> Server {
    let director = demo::start_director().unwrap();
    let addr = start_gateway(demo::config(director.port(), SECRET)).await;
    Server {
        addr,
        _director: director,
    }
}

/// A gateway and a user logged in to it.
async fn start_logged_in() -> (Server, Api) {
    let server = start().await;
    let api = Api::login(server.addr).await;
    (server, api)
}

/// A logged-in user of one gateway.
struct Api {
    addr: SocketAddr,
    token: String,
}

impl Api {
    /// Logs in to the gateway at `addr` as the demo console.
    async fn login(addr: SocketAddr) -> Api {
        let token = token(addr).await;
        Api { addr, token }
    }

    /// `GET path` with the token.
    async fn get(&self, path: &str) -> (u16, Value) {
        get(self.addr, path, &self.token).await
    }

    /// `DELETE path` with the token.
    async fn delete(&self, path: &str) -> Reply {
        request(self.addr, "DELETE", path, Some(&self.token), None).await
    }

    /// `GET path` with the token; asserts a 200 and returns the body.
    async fn get_ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// `method path` with the token and this JSON body; asserts a 200 and returns the
    /// answer's body.
    async fn send_ok(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, answer) = self.send(method, path, body).await;
        assert_eq!(status, 200, "{method} {path}: {answer}");
        answer
    }

    /// `method path` with the token and this JSON body.
    async fn send(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        send(self.addr, method, path, &self.token, body).await
    }
}

async fn get(addr: SocketAddr, path: &str, token: &str) -> (u16, Value) {
    let (s, b) = request(addr, "GET", path, Some(token), None).await.parts();
    (s, serde_json::from_str(&b).unwrap_or(Value::Null))
}

async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let (s, b) = request(addr, method, path, Some(token), json_body(body.to_string()))
        .await
        .parts();
    (s, serde_json::from_str(&b).unwrap_or(Value::Null))
}

async fn login(addr: SocketAddr, user: &str, password: &str) -> (u16, Value) {
    let form = format!("username={user}&password={password}&grant_type=password");
    let (s, b) = request(addr, "POST", "/token", None, form_body(form))
        .await
        .parts();
    (s, serde_json::from_str(&b).unwrap_or(Value::Null))
}

async fn token(addr: SocketAddr) -> String {
    let (status, body) = login(addr, demo::DEMO_CONSOLE.0, demo::DEMO_CONSOLE.1).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_users_me_refresh_and_bad_tokens() {
    let s = start().await;
    let (status, body) = login(s.addr, "admin", "wrong").await;
    assert_eq!(status, 401, "{body}");
    assert!(body["detail"].is_string());
    // A console name the library refuses (found by the API fuzz run: it was a 502).
    let (status, body) = login(s.addr, "h%F0%AF%9E%8A", "").await;
    assert_eq!(status, 401, "{body}");
    let api = Api::login(s.addr).await;
    let t = api.token.clone();
    assert!(!t.contains("secret"));
    let me = api.get_ok("/users/me").await;
    assert_eq!(
        me,
        json!({"username": "admin", "directorName": "bareos-dir"})
    );
    api.get_ok("/users/me/").await;
    let refreshed = api.send_ok("POST", "/token/refresh", json!({})).await;
    let t2 = refreshed["access_token"].as_str().unwrap();
    assert_eq!(get(s.addr, "/control/directors/version", t2).await.0, 200);
    assert_eq!(get(s.addr, "/users/me", "garbage").await.0, 401);
    let (status, _) = request(s.addr, "GET", "/control/jobs", None, None)
        .await
        .parts();
    assert_eq!(status, 401);
    let (status, body) = api.get("/nonexistent").await;
    assert_eq!(status, 404);
    assert_eq!(body["detail"], "Not Found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_valid_on_another_server_process() {
    let (s, api) = start_logged_in().await;
    let t = api.token.clone();
    let other = start_gateway(demo::config(s._director.port(), SECRET)).await;
    let (status, version) = get(other, "/control/directors/version", &t).await;
    assert_eq!(status, 200, "{version}");
    assert_eq!(version["version"], "26.0.0~pre1298.eda204c31");
}

/// `/control/directors/version` and `/control/directors/time` pass the director's member
/// on as the director wrote it (bareos-restapi keeps the director's member order too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn director_members_are_passed_on_as_the_director_wrote_them() {
    let (s, api) = start_logged_in().await;
    let config = bareos::Config::new("127.0.0.1")
        .port(s._director.port())
        .name("admin")
        .password(bareos::Password::new("secret"));
    let mut director = bareos::Director::connect(config).await.unwrap();
    for (route, command) in [("version", "version"), ("time", "time")] {
        let reply = request(
            s.addr,
            "GET",
            &format!("/control/directors/{route}"),
            Some(&api.token),
            None,
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(
            reply
                .headers
                .to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{}",
            reply.headers
        );
        let result = director.call_json_raw(command).await.unwrap();
        let members: std::collections::HashMap<String, &serde_json::value::RawValue> =
            serde_json::from_str(result.get()).unwrap();
        assert_eq!(reply.body, members[command].get(), "{route}");
    }
    director.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directors_routes_and_director_selection() {
    let (s, api) = start_logged_in().await;
    let v = api.get_ok("/control/directors/version").await;
    assert_eq!(v["name"], "bareos-dir");
    let time = api.get_ok("/control/directors/time").await;
    assert_eq!(time["year"], "2026");
    let reload = api
        .send_ok("PUT", "/control/directors/reload", json!({}))
        .await;
    assert_eq!(reload, json!({"success": true}));
    // A token is bound to the director it was issued for: log in to `second` first.
    assert_eq!(
        api.get("/control/directors/version?director=second")
            .await
            .0,
        401
    );
    let form = "username=admin&password=secret&grant_type=password".to_string();
    let (status, body) = request(
        s.addr,
        "POST",
        "/directors/second/token",
        None,
        form_body(form),
    )
    .await
    .parts();
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    let t2 = body["access_token"].as_str().unwrap();
    assert_eq!(
        get(s.addr, "/control/directors/version?director=second", t2)
            .await
            .0,
        200
    );
    assert_eq!(
        get(s.addr, "/directors/second/control/directors/version", t2)
            .await
            .0,
        200
    );
    assert_eq!(
        api.get("/directors/nope/control/directors/version").await.0,
        404
    );
    assert_eq!(
        api.get("/control/directors/version?director=nope").await.0,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_routes() {
    let (_gateway, api) = start_logged_in().await;
    for kind in [
        "clients",
        "filesets",
        "jobdefs",
        "jobs",
        "pools",
        "schedules",
        "storages",
        "profiles",
        "consoles",
    ] {
        let (status, body) = api.get(&format!("/configuration/{kind}")).await;
        assert_eq!(status, 200, "{kind}: {body}");
        assert!(body["totalItems"].as_u64().unwrap() >= 1, "{kind}");
        assert!(body[kind].is_object(), "{kind}");
        let (status, _) = api.get(&format!("/configuration/{kind}?verbose=no")).await;
        assert_eq!(status, 200, "{kind} verbose=no");
    }
    assert_eq!(api.get("/configuration/users").await.0, 404);
    assert_eq!(api.get("/configuration/bogus").await.0, 404);
    assert_eq!(api.get("/configuration/clients?verbose=maybe").await.0, 422);
    let client = api.get_ok("/configuration/clients/bareos-fd").await;
    assert_eq!(client["bareos-fd"]["name"], "bareos-fd");
    api.get_ok("/configuration/jobs/backup-bareos-fd").await;
    let (status, body) = api.get("/configuration/clients/doesnotexist").await;
    assert_eq!(status, 404, "{body}");
    let def = json!({"name": "corpus-fd", "address": "127.0.0.1", "password": "corpussecret"});
    let added = api
        .send_ok("POST", "/configuration/clients", def.clone())
        .await;
    assert_eq!(added["configure"]["add"]["name"], "corpus-fd");
    // The aliases reach the same code (the simulated director does not know these); the
    // other definitions lack a name or have a bad key.
    let jobdef = json!({"name": "x", "type": "Backup", "messages": "Standard", "pool": "Full"});
    for (path, body) in [
        ("/confguration/jobdefs", jobdef.clone()),
        ("/configuration/jobdefs", jobdef),
        ("/configuration/storage", json!({"name": "s"})),
        ("/configuration/clients", json!({"address": "x"})),
        (
            "/configuration/clients",
            json!({"name": "a", "Bad Key": "x"}),
        ),
    ] {
        let (status, reply) = api.send("POST", path, body).await;
        assert_eq!(status, 422, "{path}: {reply}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_routes() {
    let (_gateway, api) = start_logged_in().await;
    let jobs = api.get_ok("/control/jobs").await;
    // The director's count as bareos-restapi passes it on: a string.
    assert_eq!(jobs["totalItems"], "4");
    assert_eq!(jobs["jobs"].as_array().unwrap().len(), 4);
    assert_eq!(jobs["jobs"][0]["jobid"], "1");
    let job = api.get_ok("/control/jobs/1").await;
    assert_eq!(job["jobfiles"], "86");
    assert_eq!(api.get("/control/jobs/999999").await.0, 404);
    assert_eq!(api.get("/control/jobs/0").await.0, 422);
    assert_eq!(api.get("/control/jobs/abc").await.0, 422);
    assert_eq!(api.get("/control/jobs?jobstatus=ZZ").await.0, 422);
    let totals = api.get_ok("/control/jobs/totals").await;
    assert_eq!(totals["jobtotals"]["jobs"], "4");
    let log = api.get_ok("/control/jobs/logs/1").await;
    assert!(log["totalItems"].as_u64().unwrap() > 5);
    let files = api.get_ok("/control/jobs/files/1").await;
    assert_eq!(files["totalItems"], 86);
    assert_eq!(api.get("/control/jobs/files/999999").await.0, 404);
    let run = api
        .send_ok(
            "POST",
            "/control/jobs/run",
            json!({"jobControl": {"job": "backup-bareos-fd", "level": "Full"}}),
        )
        .await;
    assert_eq!(run, json!({"jobid": 6}));
    api.send_ok(
        "POST",
        "/control/jobs/run",
        json!({"job": "backup-bareos-fd"}),
    )
    .await;
    let rerun = api
        .send_ok("POST", "/control/jobs/rerun/6", json!({}))
        .await;
    assert_eq!(rerun, json!({"jobid": 7}));
    // A rerun needs a selection; the others are not simulated: the director rejects them.
    for (path, body) in [
        ("/control/jobs/rerun", json!({})),
        ("/control/jobs/rerun", json!({"days": 3})),
        (
            "/control/jobs/restore",
            json!({"jobControl": {"client": "bareos-fd", "selectAllDone": "yes"}}),
        ),
    ] {
        let (status, reply) = api.send("POST", path, body).await;
        assert_eq!(status, 422, "{path}: {reply}");
    }
    let cancel = api
        .send_ok("PUT", "/control/jobs/cancel/7", json!({}))
        .await;
    assert_eq!(cancel, json!({}));
    let dis = api
        .send_ok("PUT", "/control/jobs/disable/backup-bareos-fd", json!({}))
        .await;
    assert_eq!(dis["disable"]["jobs"][0], "backup-bareos-fd");
    api.send_ok("PUT", "/control/jobs/enable/backup-bareos-fd", json!({}))
        .await;
    let (status, del) = api.delete("/control/jobs/7").await.parts();
    assert_eq!(status, 200, "{del}");
    assert!(del.contains("succesfully deleted"));
    assert_eq!(api.delete("/control/jobs/999999").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volume_routes() {
    let (_gateway, api) = start_logged_in().await;
    let vols = api.get_ok("/control/volumes").await;
    assert_eq!(vols["totalItems"], 1);
    assert_eq!(vols["volumes"]["full"][0]["volumename"], "Full-0001");
    let one = api.get_ok("/control/volumes?volume=Full-0001").await;
    assert_eq!(one["volumes"]["Full"][0]["mediaid"], "1");
    let v = api.get_ok("/control/volumes/1").await;
    assert_eq!(v["volumename"], "Full-0001");
    assert_eq!(api.get("/control/volumes/42").await.0, 404);
    let v = api.get_ok("/control/volumes/Full-0001").await;
    assert_eq!(v["mediaid"], "1");
    api.send_ok(
        "POST",
        "/control/volumes",
        json!({"volume": "TestVol1", "pool": "Full", "storage": "File"}),
    )
    .await;
    let u = api
        .send_ok(
            "PATCH",
            "/control/volumes/TestVol1",
            json!({"volstatus": "Used"}),
        )
        .await;
    assert_eq!(u["volumes"]["Full"][0]["volumename"], "TestVol1");
    let (status, _) = api.delete("/control/volumes/TestVol1").await.parts();
    assert_eq!(status, 204);
    // A move without slots is refused.
    let move_without_slots = json!({"storage": "File"});
    let (status, body) = api
        .send("PUT", "/control/volumes/move", move_without_slots)
        .await;
    assert_eq!(status, 422, "{body}");
    // Not simulated by the test director: the director's rejection is a 422.
    for (path, body) in [
        (
            "/control/volumes/move",
            json!({"storage": "File", "srcslots": "1", "dstslots": "2"}),
        ),
        (
            "/control/volumes/export",
            json!({"storage": "File", "srcslots": "1"}),
        ),
        ("/control/volumes/import", json!({"storage": "File"})),
        (
            "/control/volumes/Full-0001",
            json!({"volume": "Full-0002", "storage": "File", "pool": "Full"}),
        ),
    ] {
        let (status, body) = api.send("PUT", path, body).await;
        assert!(status == 403 || status == 422, "{path}: {status} {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_pool_schedule_routes() {
    let (_gateway, api) = start_logged_in().await;
    let c = api.get_ok("/control/clients").await;
    assert_eq!(c["totalItems"], 2);
    let c = api.get_ok("/control/clients?name=bareos-fd").await;
    assert_eq!(c["clients"][0]["name"], "bareos-fd");
    let c = api.get_ok("/control/clients/2").await;
    assert_eq!(c["name"], "bareos-fd");
    // bareos-restapi's 404 body for a missing client (and pool): `{"message": ...}`.
    assert_eq!(
        api.get("/control/clients/99").await,
        (
            404,
            json!({"message": "Client with Client ID 99 not found"})
        )
    );
    assert_eq!(
        api.get("/control/pools/99").await,
        (404, json!({"message": "pool with pool ID 99 not found"}))
    );
    api.send_ok("PUT", "/control/clients/enable/bareos-fd", json!({}))
        .await;
    api.send_ok("PUT", "/control/clients/disable/bareos-fd", json!({}))
        .await;
    let p = api.get_ok("/control/pools").await;
    assert_eq!(p["totalItems"], 4);
    let p = api.get_ok("/control/pools/3").await;
    assert_eq!(p["name"], "Full");
    api.get_ok("/control/pools?name=Full").await;
    let sch = api.get_ok("/control/schedules").await;
    assert_eq!(sch["schedules"][0]["name"], "TestCycle");
    api.send_ok("PUT", "/control/schedules/enable/TestCycle", json!({}))
        .await;
    api.send_ok("PUT", "/control/schedules/disable/TestCycle", json!({}))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acl_denial_is_403() {
    let s = start().await;
    let (status, body) = login(s.addr, demo::LIMITED_CONSOLE.0, demo::LIMITED_CONSOLE.1).await;
    assert_eq!(status, 200);
    let limited = Api {
        addr: s.addr,
        token: body["access_token"].as_str().unwrap().to_string(),
    };
    limited.get_ok("/control/jobs/1").await;
    let (status, body) = limited
        .send("PUT", "/control/jobs/cancel/7", json!({}))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["messages"][0]
        .as_str()
        .unwrap()
        .contains("invalid command"));
    assert_eq!(
        limited
            .send("PUT", "/control/directors/reload", json!({}))
            .await
            .0,
        403
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injection_attempts_are_rejected_or_one_value() {
    let (s, api) = start_logged_in().await;
    for name in ["a%0Ab", "a%0Db", "a%1Eb", "a%00b"] {
        let (status, body) = api.get(&format!("/configuration/clients/{name}")).await;
        assert_eq!(status, 422, "{name}: {body}");
    }
    // Spaces, quotes, '=' and ';' travel as one quoted value: the director does not know
    // such a client (404 or 422), and no second command or keyword was run.
    for name in [
        "a%20b",
        "a%22b",
        "a=b",
        "a;quit",
        "x%20yes",
        "bareos-fd%20verbose",
    ] {
        let (status, body) = api.get(&format!("/configuration/clients/{name}")).await;
        assert!(status == 404 || status == 422, "{name}: {status} {body}");
    }
    let (status, _) = api
        .send("POST", "/control/jobs/run", json!({"job": "x\nquit"}))
        .await;
    assert_eq!(status, 422);
    let (status, _) = api
        .send(
            "POST",
            "/control/jobs/run",
            json!({"job": "backup-bareos-fd level=Full"}),
        )
        .await;
    assert!(status == 404 || status == 422, "{status}");
    let commands: Vec<String> = s
        ._director
        .received_commands()
        .iter()
        .filter_map(|f| f.data().map(|d| String::from_utf8_lossy(d).to_string()))
        .collect();
    assert!(
        commands.iter().any(|c| c == "show client=\"a b\" verbose"),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c == "show client=\"a\\\"b\" verbose"),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c == "run job=\"backup-bareos-fd level=Full\" yes"),
        "{commands:?}"
    );
    assert!(!commands
        .iter()
        .any(|c| c.contains('\n') || c.contains('\u{1e}')));
    // JSON-RPC: control characters and session commands are refused.
    let rpc =
        json!({"jsonrpc": "2.0", "id": 1, "method": "execute", "params": ["list jobs\nquit"]});
    let (_, reply) = api.send("POST", "/jsonrpc", rpc).await;
    assert_eq!(reply["error"]["code"], -32602);
    let rpc = json!({"jsonrpc": "2.0", "id": 1, "method": "execute", "params": [".api 0"]});
    let (_, reply) = api.send("POST", "/jsonrpc", rpc).await;
    assert_eq!(reply["error"]["code"], -32602);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonrpc_methods_batches_and_errors() {
    let (s, api) = start_logged_in().await;
    let t = api.token.clone();
    let r = api
        .send_ok(
            "POST",
            "/jsonrpc",
            json!({"jsonrpc": "2.0", "id": 1, "method": "execute", "params": ["version"]}),
        )
        .await;
    assert_eq!(r["result"]["version"]["name"], "bareos-dir");
    assert_eq!(r["id"], 1);
    let (_, r) = api.send("POST", "/jsonrpc", json!({"jsonrpc": "2.0", "id": "a", "method": "execute_fullresult", "params": {"command": "list jobs"}})).await;
    assert_eq!(r["result"]["jsonrpc"], "2.0");
    assert_eq!(r["result"]["result"]["jobs"][0]["jobid"], "1");
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "list", "params": ["pools"]},
        {"jsonrpc": "2.0", "id": 2, "method": "call", "params": ["thisisnotacommand"]},
        {"jsonrpc": "2.0", "id": 3, "method": "nope"},
        {"jsonrpc": "2.0", "method": "execute", "params": ["version"]},
        {"foo": 1}
    ]);
    let (_, r) = api.send("POST", "/jsonrpc", batch).await;
    let r = r.as_array().unwrap();
    assert_eq!(r.len(), 4);
    assert_eq!(r[0]["result"]["pools"][2]["name"], "Full");
    assert_eq!(r[1]["error"]["code"], -32000);
    assert_eq!(r[1]["error"]["data"]["status"], 403);
    assert_eq!(r[2]["error"]["code"], -32601);
    assert_eq!(r[3]["error"]["code"], -32600);
    let (status, body) = request(s.addr, "POST", "/jsonrpc", Some(&t), json_body("{bad"))
        .await
        .parts();
    assert_eq!(status, 200);
    assert!(body.contains("-32700"));
    let (_, r) = api.send("POST", "/jsonrpc", json!([])).await;
    assert_eq!(r["error"]["code"], -32600);
    let (status, _) = api
        .send(
            "POST",
            "/jsonrpc",
            json!({"jsonrpc": "2.0", "method": "execute", "params": ["version"]}),
        )
        .await;
    assert_eq!(status, 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_health_openapi_docs() {
    let s = start().await;
    let (status, text) = request(s.addr, "GET", "/metrics", None, None).await.parts();
    assert_eq!(status, 200);
    for needle in [
        "bareos_director_up{director=\"bareos-dir\"} 1",
        "bareos_director_info{director=\"bareos-dir\",version=\"26.0.0~pre1298.eda204c31\"} 1",
        "bareos_jobs{director=\"bareos-dir\",status=\"T\",level=\"F\"} 3",
        "bareos_last_successful_backup_timestamp_seconds{director=\"bareos-dir\",job=\"backup-bareos-fd\"}",
        "# TYPE bareos_job_bytes gauge",
        "bareos_job_bytes{director=\"bareos-dir\",job=\"backup-bareos-fd\"} 144903",
        "# TYPE bareos_job_files gauge",
        "bareos_job_files{director=\"bareos-dir\",job=\"backup-test2-fd\"} 86",
        "bareos_jobs_running{director=\"bareos-dir\"} 0",
        "bareos_jobs_waiting{director=\"bareos-dir\"} 0",
        "bareos_volumes{director=\"bareos-dir\",pool=\"Full\",status=\"Append\"} 1",
        "bareos_volume_bytes{director=\"bareos-dir\",pool=\"Full\",status=\"Append\"} 527139",
        "bareos_scrape_duration_seconds",
        "bareos_scrape_errors_total{director=\"bareos-dir\"} 0",
        "# TYPE bareos_gateway_pool_commands counter",
        "bareos_gateway_pool_connections_opened_total 1",
        "bareos_gateway_pool_commands_abandoned_total 0",
        "# EOF",
    ] {
        assert!(text.contains(needle), "missing {needle}\n{text}");
    }
    assert!(
        !text.contains("_total gauge"),
        "a gauge named like a counter\n{text}"
    );
    let before = s._director.received_commands().len();
    for _ in 0..5 {
        assert_eq!(
            request(s.addr, "GET", "/metrics", None, None).await.status,
            200
        );
    }
    assert_eq!(
        s._director.received_commands().len(),
        before,
        "scrapes within the cache interval reuse the reading"
    );
    assert_eq!(
        request(s.addr, "GET", "/healthz", None, None).await.status,
        200
    );
    assert_eq!(
        request(s.addr, "GET", "/readyz", None, None).await.status,
        200
    );
    let (status, doc) = request(s.addr, "GET", "/openapi.json", None, None)
        .await
        .parts();
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert!(doc["paths"]["/control/jobs/{job_id}"]["get"].is_object());
    assert!(doc["paths"]["/confguration/jobdefs"]["post"].is_object());
    assert!(doc["paths"].as_object().unwrap().len() >= 35);
    // Every parameter not in the path template is a query parameter, never a required
    // "path" parameter the template does not have; operation ids are unique.
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op["operationId"].as_str() {
                assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                if p["in"] == "path" {
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {p}"
                    );
                } else {
                    assert_eq!(p["in"], "query", "{method} {path}: {p}");
                }
            }
        }
    }
    let jobs = &doc["paths"]["/control/jobs"]["get"]["parameters"];
    assert!(jobs
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "limit" && p["in"] == "query" && p["required"] != true));
    let (status, html) = request(s.addr, "GET", "/docs", None, None).await.parts();
    assert_eq!(status, 200);
    assert!(html.contains("openapi.json"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_clients_of_one_user_get_correct_answers() {
    let (s, api) = start_logged_in().await;
    let t = api.token.clone();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let t = t.clone();
        let addr = s.addr;
        tasks.push(tokio::spawn(async move {
            for n in 0..10 {
                match (i + n) % 3 {
                    0 => {
                        let (s, v) = get(addr, "/control/directors/version", &t).await;
                        assert_eq!(s, 200);
                        assert_eq!(v["version"], "26.0.0~pre1298.eda204c31");
                    }
                    1 => {
                        let (s, v) = get(addr, "/control/jobs", &t).await;
                        assert_eq!(s, 200);
                        assert_eq!(v["totalItems"], "4");
                        assert_eq!(v["jobs"].as_array().unwrap().len(), 4);
                    }
                    _ => {
                        let (s, v) = get(addr, "/control/jobs/1", &t).await;
                        assert_eq!(s, 200);
                        assert_eq!(v["jobid"], "1");
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn director_gone_is_502_and_request_limits_apply() {
    let (s, api) = start_logged_in().await;
    let t = api.token.clone();
    // A gateway whose director does not listen.
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = unused.local_addr().unwrap().port();
    drop(unused);
    let other = start_gateway(demo::config(port, SECRET)).await;
    let (status, body) = get(other, "/control/directors/version", &t).await;
    assert_eq!(status, 502, "{body}");
    assert!(body["detail"].is_string());
    let big = "x".repeat(100_000);
    let (status, _) = request(s.addr, "POST", "/jsonrpc", Some(&t), json_body(big))
        .await
        .parts();
    assert_eq!(status, 413);
}
