//! The data directory's disk full, then read-only (issue 9). Full while
//! serving: a write is refused with a clear message (507, "Penyimpanan
//! server penuh", Indonesian first), reads go on, nothing is half written,
//! and once there is space the same Jejak writes again, without a restart.
//! Read-only while serving (ext4 turning itself read-only on an error):
//! writes are refused with a clear 503, pages are served, nothing
//! acknowledged is lost. Read-only at start: Jejak does not start, and
//! says which directory and why. The database file is checked with
//! `PRAGMA integrity_check` throughout.
//!
//! The disks are a small tmpfs, and an ext4 image on a loop device, mounted
//! for the test (it runs as root, as CI does); without them the test fails
//! and says so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use app::backend::entities::{checkin, employee, position, transfer, unit};
use jejak::seed::accounts::DEMO_PASSWORD;
use jejak_tests::{spawn_app_with, wait_until, Backend, TestApp};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement,
};

/// A small tmpfs, unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={megabytes}m"),
                "jejak-uji",
            ])
            .arg(dir.path())
            .output()
            .expect("mount(8)");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs and needs root (CI runs as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, mode: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// An ext4 file system in an image on a loop device, mounted with
/// `errors=remount-ro` (as Debian mounts its root file system). When ext4
/// meets an error it turns itself read-only under the files still open for
/// writing, which a remount cannot do; [`Ext4Disk::turn_read_only`] makes
/// it meet one (`/sys/fs/ext4/<device>/trigger_fs_error`). Unmounted on drop.
struct Ext4Disk {
    dir: tempfile::TempDir,
    device: String,
}

/// Run `program` (from /usr/sbin when it is there: root's PATH is not
/// always the login one).
fn run(program: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let sbin = Path::new("/usr/sbin").join(program);
    let exe = if sbin.exists() {
        sbin
    } else {
        PathBuf::from(program)
    };
    let out = Command::new(exe)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this test: {e}"));
    out
}

fn run_ok(program: &str, args: &[&std::ffi::OsStr]) {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} (this test needs root and loop devices, as CI has): {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Ext4Disk {
    fn mount(megabytes: u64) -> Ext4Disk {
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("disk.img");
        std::fs::File::create(&image)
            .unwrap()
            .set_len(megabytes * 1024 * 1024)
            .unwrap();
        run_ok("mkfs.ext4", &["-q".as_ref(), image.as_os_str()]);
        let mut disk = Ext4Disk {
            dir,
            device: String::new(),
        };
        std::fs::create_dir(disk.path()).unwrap();
        disk.mount_image();
        let out = run(
            "findmnt",
            &[
                "-n".as_ref(),
                "-o".as_ref(),
                "SOURCE".as_ref(),
                disk.path().as_os_str(),
            ],
        );
        let source = String::from_utf8_lossy(&out.stdout).trim().to_string();
        disk.device = Path::new(&source)
            .file_name()
            .expect("the loop device")
            .to_string_lossy()
            .into_owned();
        disk
    }

    fn image(&self) -> PathBuf {
        self.dir.path().join("disk.img")
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("mnt")
    }

    fn mount_image(&self) {
        run_ok(
            "mount",
            &[
                "-o".as_ref(),
                "loop,errors=remount-ro".as_ref(),
                self.image().as_os_str(),
                self.path().as_os_str(),
            ],
        );
    }

    /// The kernel's own reaction to a disk error: read-only from now on.
    fn turn_read_only(&self) {
        std::fs::write(
            format!("/sys/fs/ext4/{}/trigger_fs_error", self.device),
            "jejak: uji disk hanya-baca",
        )
        .unwrap();
        let probe = self.path().join("tulis.tmp");
        let err = std::fs::write(&probe, b"x").expect_err("the disk is read-only now");
        assert_eq!(err.raw_os_error(), Some(30), "EROFS: {err}");
    }

    /// What an administrator does next: unmount, check (`e2fsck`), mount.
    fn check_and_mount_again(&self) {
        run_ok("umount", &[self.path().as_os_str()]);
        let out = run("e2fsck", &["-fy".as_ref(), self.image().as_os_str()]);
        // 0: clean, 1: errors corrected.
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "e2fsck: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        self.mount_image();
    }
}

impl Drop for Ext4Disk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.path()).status();
    }
}

/// Fills the disk to the last byte with one file; returns its path.
fn fill(disk: &Path) -> PathBuf {
    use std::io::Write;
    let filler = disk.join("pengisi.bin");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    // The last partial blocks, byte by byte.
    while f.write(&[0u8]).map(|n| n == 1).unwrap_or(false) {}
    filler
}

/// The first column of the first row of `sql`.
async fn scalar<T: sea_orm::TryGetable>(db: &sea_orm::DatabaseConnection, sql: &str) -> T {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<T>(0)
        .unwrap()
}

async fn integrity(db: &sea_orm::DatabaseConnection) -> String {
    scalar(db, "PRAGMA integrity_check").await
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, String)],
) -> (u16, serde_json::Value) {
    jejak_tests::call(app, client, endpoint, form).await
}

/// A demo organisation served from `data`: the administrator and the
/// manager signed in, a valid draft transfer not yet sent, and an open
/// check-in the manager may write.
struct Scene {
    app: TestApp,
    admin: reqwest::Client,
    manager: reqwest::Client,
    draft: Vec<(&'static str, String)>,
    checkin_id: i64,
    transfers_before: u64,
}

async fn scene(data: &Path) -> Scene {
    let data = data.to_path_buf();
    let app = spawn_app_with(Backend::Sqlite, |c| c.data_dir = data).await;
    let db = app.db();
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(db, today, &[30, 60, 90])
        .await
        .unwrap();
    let logins = jejak::seed::accounts::demo(db).await.unwrap();
    let nip_of = |role: &str| logins.iter().find(|l| l.role == role).unwrap().nip.clone();
    let admin = app.sign_in(&nip_of("admin"), DEMO_PASSWORD).await;
    let manager = app.sign_in(&nip_of("manager"), DEMO_PASSWORD).await;

    let busy: Vec<i64> = transfer::Entity::find()
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|t| t.employee_id)
        .collect();
    let e = employee::Entity::find()
        .order_by_asc(employee::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|e| !busy.contains(&e.id))
        .unwrap();
    let to_unit = unit::Entity::find()
        .filter(unit::Column::Id.ne(e.unit_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let to_position = position::Entity::find().one(db).await.unwrap().unwrap();
    let draft = vec![
        ("nip", e.nip.clone()),
        ("to_unit_id", to_unit.id.to_string()),
        ("to_position_id", to_position.id.to_string()),
        ("sk_number", "800/DISK/2026".to_string()),
        ("sk_date", today.to_string()),
        ("tmt", (today + chrono::Days::new(14)).to_string()),
        ("transfer_type", "between_agencies".to_string()),
    ];
    // An open check-in the manager may write (a written one is read-only,
    // so a refused write is seen as such, not as a second write).
    let manager_id = logins
        .iter()
        .find(|l| l.role == "manager")
        .unwrap()
        .employee_id;
    let checkin_id = *jejak_tests::open_checkins_of_manager(&app, manager_id)
        .await
        .first()
        .expect("a check-in the manager may write");
    let transfers_before = transfer::Entity::find().count(db).await.unwrap();
    Scene {
        app,
        admin,
        manager,
        draft,
        checkin_id,
        transfers_before,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_then_read_only_disk_refuses_writes_clearly_and_corrupts_nothing() {
    let disk = SmallDisk::mount(48);
    let data = disk.path().to_path_buf();
    let Scene {
        app,
        admin,
        manager,
        draft,
        checkin_id,
        transfers_before,
    } = scene(&data).await;
    let db = app.db();

    // Full. The write-ahead log is emptied first, so the next write needs
    // new space (an old log's space would be reused and the write succeed).
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .unwrap();
    let filler = fill(&data);
    let (status, body) = post(&admin, &app, "create_transfer", &draft).await;
    assert_eq!(status, 507, "{body}");
    assert_eq!(body["kind"], "storage", "{body}");
    assert_eq!(body["full"], true, "{body}");
    let form = [
        ("checkin_id", checkin_id.to_string()),
        ("rating", "kurang".into()),
        ("notes", "saat penuh".into()),
    ];
    let (status, body) = post(&manager, &app, "write_checkin", &form).await;
    assert_eq!(status, 507, "{body}");
    // The words a person sees (the browser shows the error's own message), Indonesian first.
    let err: app::error::AppError = serde_json::from_value(body.clone()).unwrap();
    assert!(
        err.message("id").starts_with("Penyimpanan server penuh"),
        "{}",
        err.message("id")
    );
    assert!(
        err.message("en")
            .starts_with("The server's storage is full"),
        "{}",
        err.message("en")
    );
    // Reading goes on.
    let res = manager.get(app.url("/manajer")).send().await.unwrap();
    assert_eq!(res.status(), 200);

    // Space again: the same request now succeeds, once.
    std::fs::remove_file(&filler).unwrap();
    let (status, body) = wait_until(Duration::from_secs(30), || async {
        let (s, b) = post(&admin, &app, "create_transfer", &draft).await;
        (s != 503).then_some((s, b))
    })
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().expect("the new draft's id");
    let stored = transfer::Entity::find_by_id(id).one(db).await.unwrap();
    assert_eq!(
        stored.map(|t| t.sk_number),
        Some("800/DISK/2026".to_string()),
        "the acknowledged draft {id} is stored"
    );
    assert_eq!(integrity(db).await, "ok");
    assert_eq!(
        transfer::Entity::find().count(db).await.unwrap(),
        transfers_before + 1
    );
    let c = checkin::Entity::find_by_id(checkin_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        c.written_at.is_none() && c.notes.is_empty(),
        "the refused check-in left it open: {c:?}"
    );
    assert_eq!(integrity(db).await, "ok");

    // Read-only. A mounted disk with files open for writing cannot be made
    // read-only under them (the kernel refuses the remount), so this is
    // the disk as found at start-up, e.g. after the kernel remounted it
    // read-only on errors: Jejak refuses to start and says why, and the
    // database is as it was.
    let config = (*app.state.config).clone();
    // The test's own handle on the pool holds the files open too.
    let db = db.clone();
    app.stop().await;
    db.close().await.unwrap();
    disk.remount("ro");
    let refused = match jejak::startup::Application::build(config.clone()).await {
        Ok(_) => panic!("Jejak started on a read-only data directory"),
        Err(e) => e.to_string(),
    };
    assert!(
        refused.starts_with("direktori data tidak dapat ditulis")
            && refused.contains("read-only")
            && refused.contains(&data.display().to_string()),
        "{refused}"
    );
    disk.remount("rw");
    let again = jejak::startup::Application::build(config)
        .await
        .expect("starts once the disk is writable");
    let db = again.state().db.clone();
    assert_eq!(integrity(&db).await, "ok");
    assert_eq!(
        transfer::Entity::find().count(&db).await.unwrap(),
        transfers_before + 1
    );
    drop(again);
    db.close().await.unwrap();
}

/// The data directory's disk turns read-only while Jejak serves, as ext4
/// does by itself on a disk error. Writes are refused with a clear 503
/// ("tidak dapat ditulis", Indonesian first), pages still render, and
/// after the file system is checked and mounted again the database is
/// whole and holds nothing of the refused writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disk_turning_read_only_while_serving_refuses_writes_clearly_and_corrupts_nothing() {
    let disk = Ext4Disk::mount(64);
    let data = disk.path();
    let Scene {
        app,
        admin,
        manager,
        draft,
        checkin_id,
        transfers_before,
    } = scene(&data).await;

    disk.turn_read_only();
    let (status, body) = post(&admin, &app, "create_transfer", &draft).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["kind"], "storage", "{body}");
    assert_eq!(body["full"], false, "{body}");
    let err: app::error::AppError = serde_json::from_value(body.clone()).unwrap();
    assert!(
        err.message("id")
            .starts_with("Penyimpanan server tidak dapat ditulis"),
        "{}",
        err.message("id")
    );
    assert!(
        err.message("en")
            .starts_with("The server's storage cannot be written"),
        "{}",
        err.message("en")
    );
    let form = [
        ("checkin_id", checkin_id.to_string()),
        ("rating", "kurang".into()),
        ("notes", "saat hanya-baca".into()),
    ];
    let (status, body) = post(&manager, &app, "write_checkin", &form).await;
    assert_eq!(status, 503, "{body}");
    // Reading goes on.
    for path in ["/manajer", "/"] {
        let res = manager.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }

    let db = app.db().clone();
    app.stop().await;
    db.close().await.unwrap();
    disk.check_and_mount_again();
    let db = sea_orm::Database::connect(format!("sqlite://{}", data.join("jejak.db").display()))
        .await
        .unwrap();
    assert_eq!(integrity(&db).await, "ok");
    assert_eq!(
        transfer::Entity::find().count(&db).await.unwrap(),
        transfers_before
    );
    let c = checkin::Entity::find_by_id(checkin_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(c.written_at.is_none() && c.notes.is_empty(), "{c:?}");
    db.close().await.unwrap();
}

/// What the full disk did to a pooled connection, without a full disk.
/// On SQLITE_FULL, SQLite ends the transaction by itself; sqlx does not
/// know, its ROLLBACK fails and it counts the transaction as still open.
/// That connection's next transaction began as a SAVEPOINT, and rolling it
/// back (`ROLLBACK TO`) left a real transaction open: the connection kept
/// the write lock and an old snapshot. Another writer then waited out the
/// busy timeout and failed, and reads on that connection were stale (the
/// disk test's count one short, about one run in three). The pool now
/// closes such a connection when it comes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_sqlite_ended_by_itself_leaves_no_stale_connection() {
    use app::backend::{config::Config, db};
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        // One connection: the next transaction gets the same one.
        database_max_connections: 1,
        ..Config::default()
    };
    let ours = db::connect(&config).await.unwrap();
    let other = db::connect(&config).await.unwrap();
    ours.execute_unprepared("CREATE TABLE t (x INTEGER)")
        .await
        .unwrap();

    // SQLite ends the transaction itself, as on SQLITE_FULL.
    let txn = db::begin_write(&ours).await.unwrap();
    txn.execute_unprepared("INSERT INTO t VALUES (1)")
        .await
        .unwrap();
    txn.execute_unprepared("ROLLBACK").await.unwrap();
    drop(txn);
    // A later write on the same pool fails and is rolled back.
    let txn = db::begin_write(&ours).await.unwrap();
    txn.execute_unprepared("INSERT INTO t VALUES (2)")
        .await
        .unwrap();
    drop(txn);

    assert_eq!(scalar::<i64>(&ours, "SELECT count(*) FROM t").await, 0);
    // Another writer gets the lock (nothing left holding it)…
    other
        .execute_unprepared("INSERT INTO t VALUES (3)")
        .await
        .expect("no transaction left open holds the write lock");
    // …and the pool reads what was committed, not an old snapshot.
    assert_eq!(scalar::<i64>(&ours, "SELECT count(*) FROM t").await, 1);
    assert_eq!(scalar::<i64>(&other, "SELECT count(*) FROM t").await, 1);
    ours.close().await.unwrap();
    other.close().await.unwrap();
}
