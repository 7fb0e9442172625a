//! The token secret: how strong it must be, and the secret file made on the first start.

use std::io::Write;
use std::path::Path;

/// Shortest secret accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;
/// Least estimated strength, in bits (length times log2 of the distinct characters).
const MIN_BITS: f64 = 128.0;
/// Largest secret file read.
const MAX_FILE_BYTES: u64 = 4096;

/// Refuses a secret that is short or obviously not random (`aaaa...`, `abab...`): at
/// least 32 bytes and about 128 bits by a simple estimate. 32 random bytes written as hex
/// (64 characters) or base64 pass; so does the file `load_or_create` makes.
pub fn check_strength(secret: &str) -> Result<(), String> {
    let advice = "jwt.secret (or BAREOS_GATEWAY_JWT_SECRET) must be at least 32 random bytes, e.g. `openssl rand -hex 32`; or set jwt.secret_file to have one made";
    if secret.len() < MIN_SECRET_BYTES {
        return Err(advice.into());
    }
    let mut distinct: Vec<u8> = secret.bytes().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let bits = secret.len() as f64 * (distinct.len() as f64).log2();
    if bits < MIN_BITS {
        return Err(format!("{advice} (this one is too regular)"));
    }
    Ok(())
}

/// Reads the secret from `path`; if there is no such file, makes one with 32 random bytes
/// (64 hex characters) readable by the owner only, and says so on the log. A file that
/// others may read or write is refused.
pub fn load_or_create(path: &Path) -> Result<String, String> {
    let shown = path.display();
    match std::fs::symlink_metadata(path) {
        Ok(meta) => {
            if !meta.is_file() {
                return Err(format!("jwt.secret_file {shown} is not a regular file"));
            }
            if meta.len() > MAX_FILE_BYTES {
                return Err(format!("jwt.secret_file {shown} is larger than 4 KiB"));
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                if meta.permissions().mode() & 0o077 != 0 {
                    return Err(format!(
                        "jwt.secret_file {shown} may be read or written by others: chmod 600 it"
                    ));
                }
            }
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read jwt.secret_file {shown}: {e}"))?;
            Ok(text.trim().to_string())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 32];
            openssl::rand::rand_bytes(&mut bytes)
                .map_err(|e| format!("no randomness for a new secret: {e}"))?;
            let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(path)
                .map_err(|e| format!("cannot create jwt.secret_file {shown}: {e}"))?;
            file.write_all(format!("{secret}\n").as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("cannot write jwt.secret_file {shown}: {e}"))?;
            tracing::warn!(file = %shown, "made a new token secret (mode 0600); keep it, every server process needs the same one");
            eprintln!("bareos-gateway: made a new token secret in {shown} (mode 0600)");
            Ok(secret)
        }
        Err(e) => Err(format!("cannot read jwt.secret_file {shown}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_secrets_are_refused() {
        let (a64, ab32) = ("a".repeat(64), "ab".repeat(32));
        for (secret, strong) in [
            ("", false),
            ("aaaaaaaaaaaaaaaa", false),
            (a64.as_str(), false),
            (ab32.as_str(), false),
            ("0123456789abcdef0123456789abcde", false),
            ("0123456789abcdef0123456789abcdef", true),
            (
                "3f9c1e0b7a6d5c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3",
                true,
            ),
            ("q8Zk1mN0pR4sT7vW2xY5zA9bC3dE6fG0hJ1kL4mN7o", true),
        ] {
            assert_eq!(check_strength(secret).is_ok(), strong, "{secret:?}");
        }
    }

    #[test]
    fn the_secret_file_is_made_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt.secret");
        let first = load_or_create(&path).unwrap();
        check_strength(&first).unwrap();
        assert_eq!(load_or_create(&path).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(load_or_create(&path).unwrap_err().contains("chmod 600"));
        }
    }
}
