//! Stateless tokens: HS256 JWTs like bareos-restapi's (`sub`, `exp`), plus the console
//! password sealed with AES-256-GCM. The signing key and the sealing key are derived
//! separately from the configured secret with HKDF-SHA256. Any server process with the
//! secret accepts a token; no process stores a session; the client cannot read the
//! password out of its token (nor its length: it is padded), and the server never sends it
//! back.
//!
//! A session (one login) has an absolute lifetime: refreshed tokens keep the time of the
//! login (`auth`) and the session id (`sid`), and no token of the session is valid after
//! `auth + max_session`. A session can be revoked (logout); revocation is kept in the
//! memory of the process that received it, until the session's end.
//!
//! A token that passed the checks is remembered (at most [`MAX_VERIFIED`], until it
//! expires) with its claims and opened password, so a client sending the same token again
//! costs a lookup instead of an HMAC, a JSON decoding and an AES-GCM opening; expiry, the
//! session's end and revocation are checked again at every use.

use crate::error::ApiError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use openssl::symm::{decrypt_aead, encrypt_aead, Cipher};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Sealed passwords are padded to a multiple of this many bytes (with a 2-byte length).
const PAD_BLOCK: usize = 256;
/// Most revoked sessions remembered at once.
const MAX_REVOKED: usize = 100_000;
/// Most verified tokens remembered at once.
pub const MAX_VERIFIED: usize = 4096;

/// The claims of a token.
#[derive(Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The console name (bareos-restapi: the user name).
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issued at.
    pub iat: u64,
    /// When the session began (the login), seconds since the epoch.
    pub auth: u64,
    /// The session id (random, kept by refreshes).
    pub sid: String,
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
            .field("auth", &self.auth)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// A token that passed the checks: the whole token, its claims and its opened console
/// password.
struct Verified {
    token: String,
    claims: Claims,
    password: String,
}

/// The key of a verified token: its signature, the part after the last `.` (43 bytes
/// for HS256, where the whole token is some 700). A hit counts only if the whole token
/// is the same; only verified tokens are ever kept, so keys are HMAC outputs.
fn signature_of(token: &str) -> &str {
    token.rsplit('.').next().unwrap_or(token)
}

/// Issues and checks tokens.
pub struct TokenService {
    encoding: EncodingKey,
    decoding: DecodingKey,
    seal_key: [u8; 32],
    lifetime_seconds: u64,
    max_session_seconds: u64,
    /// Revoked session ids and the end of their session.
    revoked: Mutex<HashMap<String, u64>>,
    /// Tokens verified before, by signature ([`signature_of`]).
    verified: Mutex<HashMap<String, Arc<Verified>>>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A 32-byte key for one purpose, derived from the secret with HKDF-SHA256.
fn derive_key(secret: &[u8], purpose: &str) -> [u8; 32] {
    let hkdf = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"bareos-gateway token keys v1"), secret);
    let mut key = [0u8; 32];
    hkdf.expand(purpose.as_bytes(), &mut key)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    key
}

impl TokenService {
    /// From the shared secret, the token lifetime and the absolute session lifetime.
    pub fn new(secret: &str, lifetime_minutes: u64, max_session_minutes: u64) -> Self {
        let signing = derive_key(secret.as_bytes(), "jwt hs256 signing");
        let lifetime_seconds = lifetime_minutes.max(1) * 60;
        TokenService {
            encoding: EncodingKey::from_secret(&signing),
            decoding: DecodingKey::from_secret(&signing),
            seal_key: derive_key(secret.as_bytes(), "console password sealing aes-256-gcm"),
            lifetime_seconds,
            max_session_seconds: (max_session_minutes * 60).max(lifetime_seconds),
            revoked: Mutex::new(HashMap::new()),
            verified: Mutex::new(HashMap::new()),
        }
    }

    /// Token lifetime in seconds.
    pub fn lifetime_seconds(&self) -> u64 {
        self.lifetime_seconds
    }

    /// A new token for a console that just logged in (a new session).
    pub fn issue(&self, console: &str, password: &str, director: &str) -> Result<String, ApiError> {
        let mut sid = [0u8; 16];
        openssl::rand::rand_bytes(&mut sid).map_err(|_| ApiError::bad_gateway("no randomness"))?;
        self.sign(console, password, director, now(), B64.encode(sid))
    }

    fn sign(
        &self,
        console: &str,
        password: &str,
        director: &str,
        auth: u64,
        sid: String,
    ) -> Result<String, ApiError> {
        let iat = now();
        let claims = Claims {
            sub: console.to_string(),
            exp: (iat + self.lifetime_seconds).min(auth + self.max_session_seconds),
            iat,
            auth,
            sid,
            dir: director.to_string(),
            cred: self.seal(password, console)?,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| ApiError::bad_gateway("cannot sign the token"))
    }

    /// Seconds until a token of these claims expires (what `expires_in` says).
    pub fn expires_in(&self, token: &str) -> u64 {
        self.verify(token)
            .map(|c| c.exp.saturating_sub(now()))
            .unwrap_or(0)
    }

    /// A fresh token of the same session with a new expiry, never past the session's
    /// absolute end.
    pub fn refresh(&self, claims: &Claims) -> Result<String, ApiError> {
        if now() >= claims.auth + self.max_session_seconds {
            return Err(ApiError::unauthorized(
                "the session has ended; log in again",
            ));
        }
        let password = self.password(claims)?;
        self.sign(
            &claims.sub,
            &password,
            &claims.dir,
            claims.auth,
            claims.sid.clone(),
        )
    }

    /// Checks signature, expiry, the session's absolute end and revocation.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        self.authenticate(token).map(|(claims, _)| claims)
    }

    /// [`verify`](Self::verify), and the console password the token carries.
    pub fn authenticate(&self, token: &str) -> Result<(Claims, String), ApiError> {
        let invalid = || ApiError::unauthorized("Could not validate credentials");
        let known = self
            .lock_verified()
            .get(signature_of(token))
            .filter(|known| known.token == token)
            .cloned();
        let verified = match known {
            Some(verified) => verified,
            None => {
                let verified = Arc::new(self.check_signed(token)?);
                self.remember(verified.clone());
                verified
            }
        };
        let claims = &verified.claims;
        // As jsonwebtoken with no leeway: valid up to and including `exp`.
        let t = now();
        if t > claims.exp
            || t >= claims.auth + self.max_session_seconds
            || self.lock_revoked().contains_key(&claims.sid)
        {
            return Err(invalid());
        }
        Ok((claims.clone(), verified.password.clone()))
    }

    /// The signature, the claims and the sealed password of a token not seen before.
    fn check_signed(&self, token: &str) -> Result<Verified, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| ApiError::unauthorized("Could not validate credentials"))?;
        let password = self.password(&claims)?;
        Ok(Verified {
            token: token.to_string(),
            claims,
            password,
        })
    }

    /// Keeps a verified token; when full, forgets the expired ones, or all.
    fn remember(&self, verified: Arc<Verified>) {
        let mut known = self.lock_verified();
        if known.len() >= MAX_VERIFIED {
            let t = now();
            known.retain(|_, v| v.claims.exp >= t);
            if known.len() >= MAX_VERIFIED {
                known.clear();
            }
        }
        known.insert(signature_of(&verified.token).to_string(), verified);
    }

    fn lock_verified(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Verified>>> {
        self.verified.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Revokes the session of these claims (every token of it, refreshed ones too).
    pub fn revoke(&self, claims: &Claims) {
        let end = claims.auth + self.max_session_seconds;
        let mut revoked = self.lock_revoked();
        if revoked.len() >= MAX_REVOKED {
            let t = now();
            revoked.retain(|_, until| *until > t);
            if revoked.len() >= MAX_REVOKED {
                // Full of live sessions: forget the one that ends first.
                if let Some(first) = revoked
                    .iter()
                    .min_by_key(|(_, until)| **until)
                    .map(|(sid, _)| sid.clone())
                {
                    revoked.remove(&first);
                }
            }
        }
        revoked.insert(claims.sid.clone(), end);
    }

    fn lock_revoked(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.revoked.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The console password of a verified token.
    pub fn password(&self, claims: &Claims) -> Result<String, ApiError> {
        self.open(&claims.cred, &claims.sub)
    }

    fn seal(&self, password: &str, console: &str) -> Result<String, ApiError> {
        let mut nonce = [0u8; 12];
        openssl::rand::rand_bytes(&mut nonce)
            .map_err(|_| ApiError::bad_gateway("no randomness"))?;
        let bytes = password.as_bytes();
        let length = u16::try_from(bytes.len())
            .map_err(|_| ApiError::unprocessable("the password is too long"))?;
        // Length, password, zeros: a multiple of PAD_BLOCK bytes, so the sealed form does
        // not tell the password's length.
        let padded_len = (2 + bytes.len()).div_ceil(PAD_BLOCK) * PAD_BLOCK;
        let mut plain = Vec::with_capacity(padded_len);
        plain.extend_from_slice(&length.to_be_bytes());
        plain.extend_from_slice(bytes);
        plain.resize(padded_len, 0);
        let mut tag = [0u8; 16];
        let ciphertext = encrypt_aead(
            Cipher::aes_256_gcm(),
            &self.seal_key,
            Some(&nonce),
            console.as_bytes(),
            &plain,
            &mut tag,
        )
        .map_err(|_| ApiError::bad_gateway("cannot seal the credentials"))?;
        Ok(B64.encode([&nonce[..], &ciphertext, &tag].concat()))
    }

    fn open(&self, sealed: &str, console: &str) -> Result<String, ApiError> {
        let invalid = || ApiError::unauthorized("Could not validate credentials");
        let bytes = B64.decode(sealed).map_err(|_| invalid())?;
        if bytes.len() < 28 + 2 {
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
        let length = usize::from(u16::from_be_bytes([plain[0], plain[1]]));
        let password = plain.get(2..2 + length).ok_or_else(invalid)?;
        String::from_utf8(password.to_vec()).map_err(|_| invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef-secret";

    #[test]
    fn issue_verify_refresh_and_tamper() {
        let a = TokenService::new(SECRET, 5, 60);
        let b = TokenService::new(SECRET, 5, 60);
        let token = a.issue("admin", "pw\"x", "bareos-dir").unwrap();
        // Neither the password nor its base64 form is in the token.
        assert!(!token.contains("pw\"x") && !token.contains(&B64.encode("pw\"x")));
        let claims = b.verify(&token).unwrap();
        assert_eq!(claims.sub, "admin");
        assert_eq!(b.password(&claims).unwrap(), "pw\"x");
        let again = b.refresh(&claims).unwrap();
        let refreshed = a.verify(&again).unwrap();
        assert_eq!(a.password(&refreshed).unwrap(), "pw\"x");
        assert_eq!(refreshed.sid, claims.sid);
        assert_eq!(refreshed.auth, claims.auth);
        let other = TokenService::new("another-secret-0123456789-0123456789", 5, 60);
        assert_eq!(other.verify(&token).unwrap_err().status, 401);
        let mut forged = claims.clone();
        forged.sub = "root".into();
        assert!(a.password(&forged).is_err());
        assert!(a.verify("garbage").is_err());
    }

    /// The signing key is not the secret (a token signed with the bare secret, as before
    /// HKDF, is refused) and not the sealing key.
    #[test]
    fn keys_are_derived_separately() {
        let service = TokenService::new(SECRET, 5, 60);
        let t = now();
        let claims = Claims {
            sub: "admin".into(),
            exp: t + 60,
            iat: t,
            auth: t,
            sid: "s".into(),
            dir: "d".into(),
            cred: String::new(),
        };
        let header = Header::new(Algorithm::HS256);
        let with_secret = jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap();
        assert!(service.verify(&with_secret).is_err());
        let with_seal_key = jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_secret(&service.seal_key),
        )
        .unwrap();
        assert!(service.verify(&with_seal_key).is_err());
        assert_ne!(
            derive_key(SECRET.as_bytes(), "jwt hs256 signing"),
            service.seal_key
        );
    }

    #[test]
    fn sealed_passwords_do_not_tell_their_length() {
        let service = TokenService::new(SECRET, 5, 60);
        let short = service.seal("x", "admin").unwrap();
        let long = service.seal(&"y".repeat(200), "admin").unwrap();
        assert_eq!(short.len(), long.len());
        assert_eq!(service.open(&short, "admin").unwrap(), "x");
        assert_eq!(service.open(&long, "admin").unwrap(), "y".repeat(200));
        assert_eq!(
            service.open(&service.seal("", "a").unwrap(), "a").unwrap(),
            ""
        );
        let longer = service.seal(&"z".repeat(300), "admin").unwrap();
        assert!(longer.len() > long.len());
        assert_eq!(service.open(&longer, "admin").unwrap(), "z".repeat(300));
    }

    #[test]
    fn sessions_end_and_can_be_revoked() {
        let service = TokenService::new(SECRET, 5, 60);
        let token = service.issue("admin", "pw", "d").unwrap();
        let claims = service.verify(&token).unwrap();
        // A session that began 61 minutes ago: its tokens and refreshes are refused.
        let mut old = claims.clone();
        old.auth -= 61 * 60;
        assert!(service.refresh(&old).is_err());
        let old_token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &old, &service.encoding).unwrap();
        assert!(service.verify(&old_token).is_err());
        // A refreshed token never outlives the session.
        let mut late = claims.clone();
        late.auth -= 58 * 60;
        let refreshed = service.verify(&service.refresh(&late).unwrap()).unwrap();
        assert_eq!(refreshed.exp, late.auth + 60 * 60);
        // Revocation: the token and its refreshed tokens.
        let refreshed = service.refresh(&claims).unwrap();
        service.revoke(&claims);
        assert!(service.verify(&token).is_err());
        assert!(service.verify(&refreshed).is_err());
        let other = service.issue("admin", "pw", "d").unwrap();
        assert!(service.verify(&other).is_ok());
    }

    /// A remembered token is checked again at every use: expiry, the session's end and
    /// revocation; a token differing by one byte is verified afresh and refused; the
    /// memory of verified tokens stays bounded.
    #[test]
    fn remembered_tokens_are_checked_again() {
        let service = TokenService::new(SECRET, 5, 60);
        let token = service.issue("admin", "pw", "d").unwrap();
        let (claims, password) = service.authenticate(&token).unwrap();
        assert_eq!((claims.sub.as_str(), password.as_str()), ("admin", "pw"));
        assert_eq!(service.lock_verified().len(), 1);
        assert_eq!(service.authenticate(&token).unwrap().1, "pw");
        assert_eq!(service.lock_verified().len(), 1);

        let mut tampered = token.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(service
            .verify(std::str::from_utf8(&tampered).unwrap())
            .is_err());
        // The same signature on another payload is no hit: verified afresh, and refused.
        let (head, signature) = token.rsplit_once('.').unwrap();
        let mut payload = head.to_string().into_bytes();
        let at = payload.len() - 3;
        payload[at] = if payload[at] == b'A' { b'B' } else { b'A' };
        let forged = format!("{}.{signature}", String::from_utf8(payload).unwrap());
        assert_eq!(signature_of(&forged), signature_of(&token));
        assert!(service.authenticate(&forged).is_err());
        assert_eq!(service.authenticate(&token).unwrap().1, "pw");

        let expired = Arc::new(Verified {
            token: "expired.token.x".into(),
            claims: Claims {
                exp: now() - 1,
                ..claims.clone()
            },
            password: "pw".into(),
        });
        service.remember(expired);
        assert!(service.verify("expired.token.x").is_err());
        let ended = Arc::new(Verified {
            token: "ended.token.y".into(),
            claims: Claims {
                auth: now() - 61 * 60,
                ..claims.clone()
            },
            password: "pw".into(),
        });
        service.remember(ended);
        assert!(service.verify("ended.token.y").is_err());

        service.revoke(&claims);
        assert!(service.verify(&token).is_err());

        for i in 0..MAX_VERIFIED + 10 {
            let entry = Arc::new(Verified {
                token: format!("t.t.{i}"),
                claims: claims.clone(),
                password: String::new(),
            });
            service.remember(entry);
        }
        assert!(service.lock_verified().len() <= MAX_VERIFIED);
    }
}
