//! Helpers shared by the gateway's HTTP tests: starting a gateway and a minimal HTTP/1.1
//! client.
#![allow(dead_code)]

use bareos_gateway::GatewayConfig;
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The JWT secret of the test configurations.
pub const SECRET: &str = "test-secret-0123456789abcdef-0123456789";

/// Serves `config` on a fresh loopback port; returns the address.
pub async fn start_gateway(config: GatewayConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(bareos_gateway::serve_listener(listener, config));
    addr
}

/// The parts of an HTTP/1.1 response.
pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Reply {
    /// The body as JSON; panics with the reply when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.headers, self.body))
    }

    /// The status and the body.
    pub fn parts(self) -> (u16, String) {
        (self.status, self.body)
    }
}

/// One request per connection (`Connection: close`).
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, String)>,
) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let (ct, body) = body.unwrap_or(("application/json", String::new()));
    head.push_str(&format!(
        "Content-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may answer (413) and close before reading all of a large body.
    let _ = stream.write_all(body.as_bytes()).await;
    read_reply(stream).await
}

/// Sends raw bytes and reads the whole answer.
pub async fn raw(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _ = stream.write_all(bytes).await;
    read_reply(stream).await
}

/// Reads the answer until the server closes (within 30 s) and parses it.
async fn read_reply(mut stream: tokio::net::TcpStream) -> Reply {
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status: u16 = text[9..12].parse().unwrap();
    let (headers, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Reply {
        status,
        headers: headers.to_string(),
        body,
    }
}

/// The body of a chunked transfer, joined.
fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

/// A JSON body for [`request`].
pub fn json_body(body: impl Into<String>) -> Option<(&'static str, String)> {
    Some(("application/json", body.into()))
}

/// A form body (`application/x-www-form-urlencoded`) for [`request`].
pub fn form_body(body: impl Into<String>) -> Option<(&'static str, String)> {
    Some(("application/x-www-form-urlencoded", body.into()))
}
