//! Test certificates: a throw-away CA that issues server and client certificates
//! (P-256 keys, valid for a week), for certificate TLS tests.
//!
//! ```
//! use bareos_testkit::certs::TestCertificates;
//! let dir = std::env::temp_dir().join(format!("certs-doc-{}", std::process::id()));
//! let certs = TestCertificates::generate(&dir).unwrap();
//! assert!(certs.ca.is_file() && certs.server_cert.is_file() && certs.client_key.is_file());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509Builder, X509Name, X509NameBuilder, X509NameRef, X509};
use std::io;
use std::path::{Path, PathBuf};

fn new_key() -> Result<PKey<Private>, ErrorStack> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    PKey::from_ec_key(EcKey::generate(&group)?)
}

fn serial() -> Result<Asn1Integer, ErrorStack> {
    let mut number = BigNum::new()?;
    number.rand(64, openssl::bn::MsbOption::MAYBE_ZERO, false)?;
    number.to_asn1_integer()
}

/// A name holding only this common name (CN).
fn common_name_entry(common_name: &str) -> Result<X509Name, ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", common_name)?;
    Ok(name.build())
}

/// An X.509 v3 certificate for `key`, with a random serial, valid from now for a week;
/// extensions and the signature are left to the caller.
fn week_long_cert(
    key: &PKey<Private>,
    subject: &X509NameRef,
    issuer: &X509NameRef,
) -> Result<X509Builder, ErrorStack> {
    let mut cert = X509::builder()?;
    cert.set_version(2)?;
    cert.set_serial_number(serial()?.as_ref())?;
    cert.set_subject_name(subject)?;
    cert.set_issuer_name(issuer)?;
    cert.set_pubkey(key)?;
    cert.set_not_before(Asn1Time::days_from_now(0)?.as_ref())?;
    cert.set_not_after(Asn1Time::days_from_now(7)?.as_ref())?;
    Ok(cert)
}

/// A certificate authority for tests.
pub struct TestCa {
    cert: X509,
    key: PKey<Private>,
}

/// A certificate and its private key, PEM encoded.
#[derive(Clone)]
pub struct Issued {
    /// The certificate (PEM).
    pub cert_pem: Vec<u8>,
    /// The private key (PEM, unencrypted).
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued").finish_non_exhaustive()
    }
}

impl TestCa {
    /// A self-signed CA with this common name.
    pub fn new(common_name: &str) -> Result<TestCa, ErrorStack> {
        let key = new_key()?;
        let name = common_name_entry(common_name)?;
        let mut cert = week_long_cert(&key, &name, &name)?;
        cert.append_extension(BasicConstraints::new().critical().ca().build()?)?;
        cert.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()?,
        )?;
        cert.sign(&key, MessageDigest::sha256())?;
        Ok(TestCa {
            cert: cert.build(),
            key,
        })
    }

    /// The CA certificate (PEM).
    pub fn cert_pem(&self) -> Vec<u8> {
        self.cert.to_pem().unwrap_or_default()
    }

    /// Issues a certificate for `common_name` with these subjectAltNames (an IP address
    /// becomes an IP entry, anything else a DNS entry), usable by servers and clients.
    pub fn issue(&self, common_name: &str, alt_names: &[&str]) -> Result<Issued, ErrorStack> {
        let key = new_key()?;
        let name = common_name_entry(common_name)?;
        let mut cert = week_long_cert(&key, &name, self.cert.subject_name())?;
        cert.append_extension(BasicConstraints::new().build()?)?;
        cert.append_extension(
            KeyUsage::new()
                .critical()
                .digital_signature()
                .key_agreement()
                .build()?,
        )?;
        cert.append_extension(
            ExtendedKeyUsage::new()
                .server_auth()
                .client_auth()
                .build()?,
        )?;
        if !alt_names.is_empty() {
            let mut san = SubjectAlternativeName::new();
            for alt in alt_names {
                if alt.parse::<std::net::IpAddr>().is_ok() {
                    san.ip(alt);
                } else {
                    san.dns(alt);
                }
            }
            let extension = san.build(&cert.x509v3_context(Some(&self.cert), None))?;
            cert.append_extension(extension)?;
        }
        cert.sign(&self.key, MessageDigest::sha256())?;
        Ok(Issued {
            cert_pem: cert.build().to_pem()?,
            key_pem: key.private_key_to_pem_pkcs8()?,
        })
    }
}

fn openssl_error(error: ErrorStack) -> io::Error {
    io::Error::other(error.to_string())
}

fn write(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    std::fs::write(path, bytes)?;
    Ok(path.to_path_buf())
}

/// A set of test certificates written to a directory:
///
/// | file | what |
/// |---|---|
/// | `ca.pem` | the test CA |
/// | `server.pem`, `server-key.pem` | CN `localhost`, alt names `localhost`, `127.0.0.1`, `::1` |
/// | `client.pem`, `client-key.pem` | CN `console.example.com`, signed by the test CA |
/// | `wrong-name.pem`, `wrong-name-key.pem` | CN `other.example.com`, no alt names |
/// | `other-ca.pem` | a second CA that signed none of these |
/// | `untrusted.pem`, `untrusted-key.pem` | CN `localhost` (+ alt names), signed by the other CA |
#[derive(Clone, Debug)]
pub struct TestCertificates {
    /// `ca.pem`.
    pub ca: PathBuf,
    /// `server.pem`.
    pub server_cert: PathBuf,
    /// `server-key.pem`.
    pub server_key: PathBuf,
    /// `client.pem`.
    pub client_cert: PathBuf,
    /// `client-key.pem`.
    pub client_key: PathBuf,
    /// `wrong-name.pem`.
    pub wrong_name_cert: PathBuf,
    /// `wrong-name-key.pem`.
    pub wrong_name_key: PathBuf,
    /// `other-ca.pem`.
    pub other_ca: PathBuf,
    /// `untrusted.pem`.
    pub untrusted_cert: PathBuf,
    /// `untrusted-key.pem`.
    pub untrusted_key: PathBuf,
}

/// The common name of `client.pem`.
pub const CLIENT_CN: &str = "console.example.com";

impl TestCertificates {
    /// Generates fresh certificates into `dir` (created if needed).
    pub fn generate(dir: &Path) -> io::Result<TestCertificates> {
        std::fs::create_dir_all(dir)?;
        let ca = TestCa::new("bareos test CA").map_err(openssl_error)?;
        let other = TestCa::new("some other CA").map_err(openssl_error)?;
        let server_names = ["localhost", "127.0.0.1", "::1"];
        let server = ca
            .issue("localhost", &server_names)
            .map_err(openssl_error)?;
        let client = ca.issue(CLIENT_CN, &[]).map_err(openssl_error)?;
        let wrong = ca.issue("other.example.com", &[]).map_err(openssl_error)?;
        let untrusted = other
            .issue("localhost", &server_names)
            .map_err(openssl_error)?;
        Ok(TestCertificates {
            ca: write(&dir.join("ca.pem"), &ca.cert_pem())?,
            server_cert: write(&dir.join("server.pem"), &server.cert_pem)?,
            server_key: write(&dir.join("server-key.pem"), &server.key_pem)?,
            client_cert: write(&dir.join("client.pem"), &client.cert_pem)?,
            client_key: write(&dir.join("client-key.pem"), &client.key_pem)?,
            wrong_name_cert: write(&dir.join("wrong-name.pem"), &wrong.cert_pem)?,
            wrong_name_key: write(&dir.join("wrong-name-key.pem"), &wrong.key_pem)?,
            other_ca: write(&dir.join("other-ca.pem"), &other.cert_pem())?,
            untrusted_cert: write(&dir.join("untrusted.pem"), &untrusted.cert_pem)?,
            untrusted_key: write(&dir.join("untrusted-key.pem"), &untrusted.key_pem)?,
        })
    }
}
