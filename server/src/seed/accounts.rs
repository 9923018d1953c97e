//! Demo accounts, one per role, all with the same demo password:
//! an HR administrator (BKPSDM), a manager (the camat, for the whole
//! Kecamatan Medan Belawan), a trainer (BerAKHLAK orientation and the SIPD finance system) and an
//! employee of the kecamatan with a training plan. Idempotent.
//!
//! One more account shows deactivation (issue 17): Hj. Ratna Sari
//! Batubara (BPKAD) moved to another agency, so her account is inactive
//! ("Nonaktif" on the accounts page); she is not a demo login.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use app::backend::{
    entities::{account, course, employee, transfer, unit},
    {
        access::accounts::{self, RoleGrant, RoleKind},
        people::unit_lookup,
    },
};
use app::model::accounts::DeactivationReason;

pub const DEMO_PASSWORD: &str = "jejak-demo-2026";
const ACTOR: &str = "seed";

/// The demo employee whose account is deactivated: moved out of the agency.
/// Someone with no transfer in the demo (a person who left has none
/// pending, and the tests that walk a demo transfer open its person's
/// account themselves).
pub const DEACTIVATED_NIP: &str = "197002121994061182";

/// One demo login: what it is for, and who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    /// "admin", "manager", "trainer", "employee".
    pub role: &'static str,
    pub nip: String,
    pub email: Option<String>,
    pub name: String,
    pub employee_id: i64,
}

impl DemoLogin {
    pub fn label(&self) -> &'static str {
        match self.role {
            "admin" => "Admin kepegawaian",
            "manager" => "Manajer (camat)",
            "trainer" => "Pelatih",
            _ => "Pegawai",
        }
    }
}

async fn by_nip(db: &DatabaseConnection, nip: &str) -> anyhow::Result<employee::Model> {
    employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo employee {nip} missing"))
}

async fn unit_named(db: &DatabaseConnection, name: &str) -> anyhow::Result<i64> {
    Ok(unit::Entity::find()
        .filter(unit::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo unit {name} missing"))?
        .id)
}

async fn course_coded(db: &DatabaseConnection, code: &str) -> anyhow::Result<i64> {
    Ok(course::Entity::find()
        .filter(course::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo course {code} missing"))?
        .id)
}

/// The account of an employee, opened (with the demo password) if missing.
async fn ensure_account(
    db: &DatabaseConnection,
    emp: &employee::Model,
) -> anyhow::Result<account::Model> {
    let now = chrono::Utc::now();
    let acc = match account::Entity::find()
        .filter(account::Column::EmployeeId.eq(emp.id))
        .one(db)
        .await?
    {
        Some(a) => a,
        None => accounts::create_account(db, ACTOR, emp.id, now).await?,
    };
    if acc.password_hash.is_none() {
        accounts::set_password_directly(db, acc.id, DEMO_PASSWORD, now).await?;
    }
    Ok(acc)
}

/// The employee of the kecamatan with the earliest completed transfer.
async fn newcomer(db: &DatabaseConnection, kecamatan: i64) -> anyhow::Result<employee::Model> {
    let completed = transfer::Entity::find()
        .filter(transfer::Column::State.eq("completed"))
        .order_by_asc(transfer::Column::Id)
        .all(db)
        .await?;
    for t in completed {
        let emp = employee::Entity::find_by_id(t.employee_id)
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("employee of transfer {} missing", t.id))?;
        if unit_lookup::unit_path(db, emp.unit_id)
            .await?
            .contains(&kecamatan)
        {
            return Ok(emp);
        }
    }
    anyhow::bail!("no completed transfer into the kecamatan in the demo data")
}

/// Opens the demo accounts and grants their roles; returns them in role order.
pub async fn demo(db: &DatabaseConnection) -> anyhow::Result<Vec<DemoLogin>> {
    let now = chrono::Utc::now();
    let kecamatan = unit_named(db, "Kecamatan Medan Belawan").await?;
    let admin = by_nip(db, "199410052019022003").await?;
    let manager = by_nip(db, "197805122005011003").await?;
    let trainer = by_nip(db, "198812012014031002").await?;
    let employee = newcomer(db, kecamatan).await?;

    let acc = ensure_account(db, &admin).await?;
    let grant = |role, unit_id, course_id| RoleGrant {
        role,
        unit_id,
        course_id,
    };
    accounts::grant_role(db, ACTOR, acc.id, grant(RoleKind::Admin, None, None), now).await?;
    let acc = ensure_account(db, &manager).await?;
    accounts::grant_role(
        db,
        ACTOR,
        acc.id,
        grant(RoleKind::Manager, Some(kecamatan), None),
        now,
    )
    .await?;
    let acc = ensure_account(db, &trainer).await?;
    for code in ["BERAKHLAK", "SIPD-PENATA"] {
        let course = course_coded(db, code).await?;
        accounts::grant_role(
            db,
            ACTOR,
            acc.id,
            grant(RoleKind::Trainer, None, Some(course)),
            now,
        )
        .await?;
    }
    ensure_account(db, &employee).await?;
    let moved = by_nip(db, DEACTIVATED_NIP).await?;
    let acc = ensure_account(db, &moved).await?;
    if acc.is_usable() {
        accounts::deactivate_as(db, ACTOR, acc.id, DeactivationReason::MovedOut, now).await?;
    }

    Ok([
        ("admin", admin),
        ("manager", manager),
        ("trainer", trainer),
        ("employee", employee),
    ]
    .into_iter()
    .map(|(role, e)| DemoLogin {
        role,
        nip: e.nip,
        email: e.email,
        name: e.name,
        employee_id: e.id,
    })
    .collect())
}

/// The lines printed by `jejak seed --demo` and `jejak serve --demo`.
pub fn describe(logins: &[DemoLogin]) -> String {
    let mut out = format!(
        "Akun demo / demo accounts (kata sandi / password: {DEMO_PASSWORD}), masuk dengan NIP atau email:\n"
    );
    for l in logins {
        out.push_str(&format!(
            "  {:<18} {}  {}  ({})\n",
            l.label(),
            l.nip,
            l.email.as_deref().unwrap_or("-"),
            l.name
        ));
    }
    out
}
