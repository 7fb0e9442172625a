//! Stateless tokens: HS256 JWTs like bareos-restapi's (`sub`, `exp`), plus the console
//! password sealed with AES-256-GCM under a key derived from the same secret. Any server
//! process with the secret accepts a token; no process stores a session; the client
//! cannot read the password out of its token, and the server never sends it back.

use crate::error::ApiError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use openssl::symm::{decrypt_aead, encrypt_aead, Cipher};
use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// The claims of a token.
#[derive(Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The console name (bareos-restapi: the user name).
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issued at.
    pub iat: u64,
    /// The director logged in to.
    pub dir: String,
    /// The sealed console password (nonce + ciphertext + tag, base64url).
    pub cred: String,
}

impl std::fmt::Debug for Claims {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claims")
            .field("sub", &self.sub)
            .field("exp", &self.exp)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Issues and checks tokens.
pub struct TokenService {
    encoding: EncodingKey,
    decoding: DecodingKey,
    seal_key: [u8; 32],
    lifetime_seconds: u64,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl TokenService {
    /// From the shared secret and the token lifetime.
    pub fn new(secret: &str, lifetime_minutes: u64) -> Self {
        let digest =
            openssl::sha::sha256(&[b"bareos-gateway credential key\0", secret.as_bytes()].concat());
        TokenService {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            seal_key: digest,
            lifetime_seconds: lifetime_minutes.max(1) * 60,
        }
    }

    /// Token lifetime in seconds.
    pub fn lifetime_seconds(&self) -> u64 {
        self.lifetime_seconds
    }

    /// A new token for a console that just logged in.
    pub fn issue(&self, console: &str, password: &str, director: &str) -> Result<String, ApiError> {
        let iat = now();
        let claims = Claims {
            sub: console.to_string(),
            exp: iat + self.lifetime_seconds,
            iat,
            dir: director.to_string(),
            cred: self.seal(password, console)?,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| ApiError::bad_gateway("cannot sign the token"))
    }

    /// A fresh token with the same identity and a new expiry.
    pub fn refresh(&self, claims: &Claims) -> Result<String, ApiError> {
        let password = self.password(claims)?;
        self.issue(&claims.sub, &password, &claims.dir)
    }

    /// Checks signature and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| ApiError::unauthorized("Could not validate credentials"))
    }

    /// The console password of a verified token.
    pub fn password(&self, claims: &Claims) -> Result<String, ApiError> {
        self.open(&claims.cred, &claims.sub)
    }

    fn seal(&self, password: &str, console: &str) -> Result<String, ApiError> {
        let mut nonce = [0u8; 12];
        openssl::rand::rand_bytes(&mut nonce)
            .map_err(|_| ApiError::bad_gateway("no randomness"))?;
        let mut tag = [0u8; 16];
        let ciphertext = encrypt_aead(
            Cipher::aes_256_gcm(),
            &self.seal_key,
            Some(&nonce),
            console.as_bytes(),
            password.as_bytes(),
            &mut tag,
        )
        .map_err(|_| ApiError::bad_gateway("cannot seal the credentials"))?;
        Ok(B64.encode([&nonce[..], &ciphertext, &tag].concat()))
    }

    fn open(&self, sealed: &str, console: &str) -> Result<String, ApiError> {
        let invalid = || ApiError::unauthorized("Could not validate credentials");
        let bytes = B64.decode(sealed).map_err(|_| invalid())?;
        if bytes.len() < 28 {
            return Err(invalid());
        }
        let (nonce, rest) = bytes.split_at(12);
        let (ciphertext, tag) = rest.split_at(rest.len() - 16);
        let plain = decrypt_aead(
            Cipher::aes_256_gcm(),
            &self.seal_key,
            Some(nonce),
            console.as_bytes(),
            ciphertext,
            tag,
        )
        .map_err(|_| invalid())?;
        String::from_utf8(plain).map_err(|_| invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_verify_refresh_and_tamper() {
        let a = TokenService::new("0123456789abcdef-secret", 5);
        let b = TokenService::new("0123456789abcdef-secret", 5);
        let token = a.issue("admin", "pw\"x", "bareos-dir").unwrap();
        assert!(!token.contains("pw"));
        let claims = b.verify(&token).unwrap();
        assert_eq!(claims.sub, "admin");
        assert_eq!(b.password(&claims).unwrap(), "pw\"x");
        let again = b.refresh(&claims).unwrap();
        assert_eq!(a.password(&a.verify(&again).unwrap()).unwrap(), "pw\"x");
        let other = TokenService::new("another-secret-0123456789", 5);
        assert_eq!(other.verify(&token).unwrap_err().status, 401);
        let mut forged = claims.clone();
        forged.sub = "root".into();
        assert!(a.password(&forged).is_err());
        assert!(a.verify("garbage").is_err());
    }
}
