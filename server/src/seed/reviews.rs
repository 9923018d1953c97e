//! Demo check-ins as the camat wrote them, and one an administrator
//! corrected (issue 17): the demo shows a written check-in as read-only and
//! a correction with its reason, not only forms. Applied by `serve --demo`
//! and `seed --demo` after the rest of the demo; safe to repeat (nothing is
//! written when a check-in already is).

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use app::backend::{
    adaptation,
    entities::{checkin, employee},
};

/// The demo camat (manager of Kecamatan Medan Belawan) and administrator.
const CAMAT_NIP: &str = "197805122005011003";
const ADMIN_NIP: &str = "199410052019022003";

const NOTES: [(&str, &str); 5] = [
    (
        "baik",
        "Sudah memahami tugas pokok; masih perlu pendampingan untuk SIPD.",
    ),
    (
        "sangat_baik",
        "Cepat beradaptasi dan sudah membantu rekan satu seksi.",
    ),
    (
        "butuh_perbaikan",
        "Belum lancar menyusun laporan; dijadwalkan pelatihan ulang.",
    ),
    (
        "baik",
        "Aktif bertanya dan tepat waktu menyelesaikan tugas.",
    ),
    (
        "kurang",
        "Sering tidak hadir di apel pagi; dibicarakan langsung.",
    ),
];

async fn actor(db: &DatabaseConnection, nip: &str) -> anyhow::Result<Option<String>> {
    Ok(employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip))
        .one(db)
        .await?
        .map(|e| format!("{} ({})", e.nip, e.name)))
}

/// Writes most past-due check-ins (some stay overdue), corrects one.
/// Returns how many were written.
pub async fn demo(db: &DatabaseConnection, today: chrono::NaiveDate) -> anyhow::Result<usize> {
    let written = checkin::Entity::find()
        .filter(checkin::Column::WrittenAt.is_not_null())
        .one(db)
        .await?;
    let (Some(camat), Some(admin)) = (actor(db, CAMAT_NIP).await?, actor(db, ADMIN_NIP).await?)
    else {
        return Ok(0);
    };
    if written.is_some() {
        return Ok(0);
    }
    let due: Vec<checkin::Model> = checkin::Entity::find()
        .filter(checkin::Column::DueDate.lte(today))
        .order_by_asc(checkin::Column::DueDate)
        .order_by_asc(checkin::Column::Id)
        .all(db)
        .await?;
    // Two of every three: the rest stay open, overdue on the dashboard.
    let mut count = 0;
    let mut first = None;
    for (i, c) in due.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
        let (rating, notes) = NOTES[i % NOTES.len()];
        adaptation::write_checkin(db, &camat, c.id, rating, notes).await?;
        first.get_or_insert(c.id);
        count += 1;
    }
    if let Some(id) = first {
        adaptation::correct_checkin(
            db,
            &admin,
            id,
            "baik",
            "Sudah memahami tugas pokok; pendampingan SIPD selesai bulan ini.",
            "Catatan awal tertukar dengan pegawai lain; dikoreksi atas permintaan camat.",
        )
        .await?;
    }
    Ok(count)
}
