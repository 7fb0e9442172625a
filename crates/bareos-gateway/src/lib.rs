//! REST (bareos-restapi 25 compatible), JSON-RPC 2.0 and Prometheus metrics for Bareos
//! directors, over pooled console connections: the server behind `bareosctl serve`.
//!
//! - [`config::GatewayConfig`]: TOML file plus environment.
//! - [`pool`]: connection pools per (director, console); one command at a time per
//!   connection, broken connections dropped, no command ever replayed.
//! - [`command`]: injection-proof command lines.
//! - [`auth`]: stateless HS256 tokens carrying the sealed console password, with keys
//!   derived from the secret ([`secret`]) by HKDF.
//! - [`server::serve`]: HTTP or HTTPS, with connection limits ([`conn`]).
#![deny(missing_docs)]

pub mod api_models;
pub mod auth;
pub mod command;
pub mod config;
pub mod conn;
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
pub mod jsonrpc;
pub mod metrics;
pub mod openapi;
pub mod pool;
pub mod routes;
pub mod secret;
pub mod server;
pub mod state;
pub mod throttle;

pub use config::GatewayConfig;
pub use server::{serve, serve_listener, serve_listener_until};
