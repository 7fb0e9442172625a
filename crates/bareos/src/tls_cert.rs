//! Certificate TLS, client side: the OpenSSL context (CA store, our certificate, cipher
//! list), the check that the peer's certificate names the peer, and what a failed
//! handshake means. Used instead of TLS-PSK when a CA is configured.

use crate::config::Config;
use crate::error::{Error, Kind, Result};
use crate::transport::{client_context_builder, describe_ssl_error};
use openssl::nid::Nid;
use openssl::ssl::{SslContext, SslContextBuilder, SslFiletype, SslRef, SslVerifyMode};
use openssl::x509::{X509Ref, X509VerifyResult};
use std::net::IpAddr;
use std::path::Path;

/// TLS 1.2 suites for certificate TLS: strong and forward-secret, authenticated by a
/// certificate (no PSK, no anonymous suites, no NULL cipher).
const TLS12_CIPHERS: &str = "HIGH:!aNULL:!eNULL:!PSK:!SRP:!kRSA:!MD5:!RC4:!3DES:@STRENGTH";

/// The client context: verification against the configured CA, our certificate if
/// configured, no PSK callback (so the peer must authenticate with its certificate).
pub(crate) fn client_context(config: &Config) -> Result<SslContext> {
    let certs = &config.certificates;
    let mut builder = client_context_builder(config, "TLS", TLS12_CIPHERS)?;
    load_ca(
        &mut builder,
        certs.ca_file.as_deref(),
        certs.ca_dir.as_deref(),
    )?;
    if let (Some(cert), Some(key)) = (&certs.cert_file, &certs.key_file) {
        builder
            .set_certificate_chain_file(cert)
            .map_err(|e| file_error("TLS certificate", cert, &e))?;
        builder
            .set_private_key_file(key, SslFiletype::PEM)
            .map_err(|e| file_error("TLS private key", key, &e))?;
        builder.check_private_key().map_err(|_| {
            Error::config(format!(
                "the TLS private key {} does not belong to the certificate {}",
                key.display(),
                cert.display()
            ))
        })?;
    }
    builder.set_verify(SslVerifyMode::PEER);
    Ok(builder.build())
}

fn load_ca(builder: &mut SslContextBuilder, file: Option<&Path>, dir: Option<&Path>) -> Result<()> {
    if let Some(file) = file {
        builder
            .set_ca_file(file)
            .map_err(|e| file_error("TLS CA certificate file", file, &e))?;
    }
    if let Some(dir) = dir {
        if !dir.is_dir() {
            return Err(Error::config(format!(
                "the TLS CA certificate directory {} is not a directory",
                dir.display()
            )));
        }
        let lookup = openssl::x509::store::X509Lookup::hash_dir();
        let store = builder.cert_store_mut();
        store
            .add_lookup(lookup)
            .and_then(|lookup| lookup.add_dir(&dir.to_string_lossy(), SslFiletype::PEM))
            .map_err(|e| file_error("TLS CA certificate directory", dir, &e))?;
    }
    Ok(())
}

fn file_error(what: &str, path: &Path, error: &openssl::error::ErrorStack) -> Error {
    let reason = error
        .errors()
        .first()
        .and_then(|e| e.reason())
        .unwrap_or("unreadable");
    Error::config(format!(
        "cannot load the {what} {}: {reason}",
        path.display()
    ))
}

/// After a completed handshake: the peer presented a certificate that OpenSSL verified
/// against our CA, and (unless verification of the name is off) it names the peer.
pub(crate) fn check_peer(ssl: &SslRef, config: &Config, what: &str) -> Result<()> {
    let target = format!("the {what} at {}:{}", config.address, config.port);
    let Some(cert) = ssl.peer_certificate() else {
        return Err(Error::new(
            Kind::TlsCertificate,
            format!("{target} presented no TLS certificate"),
        ));
    };
    let verified = ssl.verify_result();
    if verified != X509VerifyResult::OK {
        return Err(unverifiable(&target, verified));
    }
    let certs = &config.certificates;
    if !certs.verify_peer.unwrap_or(true) {
        return Ok(());
    }
    let names = common_names(&cert);
    if !certs.allowed_cn.is_empty() {
        if names.iter().any(|cn| certs.allowed_cn.contains(cn)) {
            return Ok(());
        }
        return Err(Error::new(
            Kind::TlsCertificate,
            format!(
                "the certificate of {target} has the common name {} which is not an allowed CN ({})",
                list(&names),
                certs.allowed_cn.join(", ")
            ),
        ));
    }
    if names_host(&cert, &config.address) {
        return Ok(());
    }
    Err(Error::new(
        Kind::TlsCertificate,
        format!(
            "the certificate of {target} is not for '{}' (it names {}): connect by a name in the certificate, or set the allowed CNs",
            config.address,
            list(&certificate_names(&cert))
        ),
    ))
}

fn unverifiable(target: &str, result: X509VerifyResult) -> Error {
    Error::new(
        Kind::TlsCertificate,
        format!(
            "the certificate of {target} cannot be verified: {} (is it signed by the configured CA?)",
            result.error_string()
        ),
    )
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "nothing".to_string()
    } else {
        names.join(", ")
    }
}

fn common_names(cert: &X509Ref) -> Vec<String> {
    cert.subject_name()
        .entries_by_nid(Nid::COMMONNAME)
        .filter_map(|entry| entry.data().to_string().ok())
        .collect()
}

/// The DNS and IP subjectAltNames, then the common names, for messages.
fn certificate_names(cert: &X509Ref) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(alt) = cert.subject_alt_names() {
        for name in alt.iter() {
            if let Some(dns) = name.dnsname() {
                names.push(format!("DNS:{dns}"));
            } else if let Some(ip) = name.ipaddress().and_then(ip_from_bytes) {
                names.push(format!("IP:{ip}"));
            }
        }
    }
    names.extend(common_names(cert).into_iter().map(|cn| format!("CN:{cn}")));
    names
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// Whether the certificate is for `host`: a subjectAltName DNS entry or a common name
/// equal to it (case-insensitive, no wildcards, as the daemons compare), or an IP entry
/// equal to it when `host` is an address.
fn names_host(cert: &X509Ref, host: &str) -> bool {
    let ip: Option<IpAddr> = host.trim_matches(['[', ']']).parse().ok();
    if let Some(alt) = cert.subject_alt_names() {
        for name in alt.iter() {
            if name
                .dnsname()
                .is_some_and(|dns| dns.eq_ignore_ascii_case(host))
            {
                return true;
            }
            if let (Some(ip), Some(entry)) = (ip, name.ipaddress().and_then(ip_from_bytes)) {
                if ip == entry {
                    return true;
                }
            }
        }
    }
    common_names(cert)
        .iter()
        .any(|cn| cn.eq_ignore_ascii_case(host))
}

/// Alerts by which a server says it does not accept our certificate (or wants one).
const CLIENT_CERTIFICATE_ALERTS: &[&str] = &[
    "alert certificate required",
    "alert bad certificate",
    "alert unknown ca",
    "alert certificate unknown",
    "alert certificate expired",
    "alert certificate revoked",
    "alert unsupported certificate",
    "alert access denied",
];

fn refused_our_certificate(target: &str, reason: &str) -> Option<Error> {
    CLIENT_CERTIFICATE_ALERTS
        .iter()
        .any(|alert| reason.contains(alert))
        .then(|| {
            Error::new(
                Kind::TlsCertificate,
                format!(
                    "{target} refused our TLS client certificate or wants one (configure a certificate and key it trusts): {reason}"
                ),
            )
        })
}

/// Says what a failed certificate handshake means.
pub(crate) fn handshake_error(
    config: &Config,
    what: &str,
    ssl: &SslRef,
    error: &openssl::ssl::Error,
) -> Error {
    let target = format!("the {what} at {}:{}", config.address, config.port);
    let verified = ssl.verify_result();
    if verified != X509VerifyResult::OK {
        return unverifiable(&target, verified);
    }
    let reason = describe_ssl_error(error);
    if let Some(error) = refused_our_certificate(&target, &reason) {
        return error;
    }
    // TLS 1.2: a server that wants a client certificate and gets none answers with a
    // plain handshake failure, after its own certificate was sent and verified.
    if ssl.peer_certificate().is_some() && reason.contains("alert handshake failure") {
        return Error::new(
            Kind::TlsCertificate,
            format!(
                "{target} ended the handshake after its certificate was verified: it probably wants a TLS client certificate it trusts (configure a certificate and key): {reason}"
            ),
        );
    }
    Error::new(
        Kind::Tls,
        format!(
            "certificate TLS handshake with {target} failed: {reason} (a daemon without TLS Certificate and TLS Key speaks only TLS-PSK: then configure no CA)"
        ),
    )
}

/// Under TLS 1.3 a server checks our certificate only after our side of the handshake
/// is done: its refusal (an alert, or just a close) then ends the login before anything
/// arrives. Turns such a lost connection into the certificate error it is.
pub(crate) fn refine_login_error(
    config: &Config,
    error: Error,
    tls: Option<&crate::TlsInfo>,
    received_any: bool,
) -> Error {
    let certificate_tls = tls.is_some_and(|info| info.peer_certificate.is_some());
    if !certificate_tls || !error.is_connection_lost() {
        return error;
    }
    let target = format!("the peer at {}:{}", config.address, config.port);
    let reason = error.to_string();
    if let Some(refined) = refused_our_certificate(&target, &reason) {
        return refined;
    }
    if received_any || tls.is_some_and(|info| info.version != "TLSv1.3") {
        return error;
    }
    Error::new(
        Kind::TlsCertificate,
        format!(
            "{target} closed the connection right after the TLS 1.3 handshake, before the login: it refused our TLS client certificate or wants one it trusts ({reason})"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_about_our_certificate() {
        let e = refused_our_certificate("x", "tlsv13 alert certificate required").unwrap();
        assert!(e.is_certificate() && e.is_tls());
        assert!(refused_our_certificate("x", "unexpected eof").is_none());
    }

    #[test]
    fn ip_bytes() {
        assert_eq!(
            ip_from_bytes(&[127, 0, 0, 1]),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(ip_from_bytes(&[1, 2, 3]), None);
    }
}
