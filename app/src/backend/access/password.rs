//! Argon2id password hashing, always on a blocking thread: hashing takes tens
//! of milliseconds of CPU on purpose and must not stall the async runtime.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

use crate::error::AppError;

pub const MIN_LENGTH: usize = 10;

/// The rules a new password must meet; errors are for the `password` field.
pub fn check_new(password: &str, nip: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_LENGTH {
        return Err(AppError::invalid(
            "password",
            format!("Kata sandi minimal {MIN_LENGTH} karakter"),
            format!("The password must have at least {MIN_LENGTH} characters"),
        ));
    }
    if password.chars().count() > 200 {
        return Err(AppError::invalid(
            "password",
            "Kata sandi maksimal 200 karakter",
            "The password must have at most 200 characters",
        ));
    }
    if password.contains(nip) {
        return Err(AppError::invalid(
            "password",
            "Kata sandi tidak boleh memuat NIP",
            "The password must not contain the NIP",
        ));
    }
    Ok(())
}

/// Argon2id (the crate's defaults: 19 MiB, 2 passes) as a PHC string.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal {
                reference: format!("argon2: {e}"),
            })
    })
    .await
    .map_err(|e| AppError::Internal {
        reference: format!("argon2 task: {e}"),
    })?
}

/// Whether `password` matches `phc`. With `phc` None (unknown account, or no
/// password yet) a dummy hash is still verified, so the answer takes as long
/// either way and does not reveal which accounts exist.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY.with(|d| d.clone()));
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && known
    })
    .await
    .unwrap_or(false)
}

thread_local! {
    static DUMMY: String = {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"jejak-dummy-password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let a = hash("rahasia-sekali-123".into()).await.unwrap();
        let b = hash("rahasia-sekali-123".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify("rahasia-sekali-123".into(), Some(a.clone())).await);
        assert!(!verify("salah".into(), Some(a)).await);
        assert!(!verify("jejak-dummy-password".into(), None).await);
    }

    #[test]
    fn new_passwords_are_long_enough_and_not_the_nip() {
        assert_eq!(
            check_new("pendek", "1").unwrap_err().field(),
            Some("password")
        );
        assert!(check_new("abc198609262015051001xyz", "198609262015051001").is_err());
        assert!(check_new("kuda-lumping-77", "198609262015051001").is_ok());
    }
}
