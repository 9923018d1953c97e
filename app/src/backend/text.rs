//! Checks of the short texts the services take (a token's name, a decree
//! number): a refusal names its field and says, in Indonesian and English,
//! what is wrong with `what`, given as the two languages' words for it
//! ("Nama token", "token's name").

use crate::error::AppError;

/// Refuses `value` of `field` (trimmed or tidied already) when it is empty
/// ("Nama token wajib diisi", "The token's name is required") or longer than
/// `max` characters ("Nama token terlalu panjang (maksimum 100 karakter)",
/// "The token's name is too long (at most 100 characters)").
pub(crate) fn short_text(
    field: &str,
    (id, en): (&str, &str),
    value: &str,
    max: usize,
) -> Result<(), AppError> {
    let (id, en) = match value.chars().count() {
        0 => (format!("{id} wajib diisi"), format!("The {en} is required")),
        n if n > max => (
            format!("{id} terlalu panjang (maksimum {max} karakter)"),
            format!("The {en} is too long (at most {max} characters)"),
        ),
        _ => return Ok(()),
    };
    Err(AppError::invalid(field, id, en))
}
