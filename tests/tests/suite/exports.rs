//! The CSV exports of `/ekspor/…` over HTTP, on SQLite and PostgreSQL,
//! against the demo data plus rows each test writes: every export read
//! back with a real CSV reader and compared with what the database holds
//! (counted here, independently of the export's own queries); the `;` +
//! BOM variant; the SIASN history's fixed columns; the audit trail's
//! filters in the office's time zone; a manager limited to their subtree;
//! the others answered "not found", the anonymous sent to sign in; keyed
//! batches giving the same file whatever their size; and formulas guarded,
//! in the manager's report too. The matrix rows are in `access.rs`.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use jejak_tests::{demo, on_both_backends, Backend, Demo, TestApp};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use app::backend::{
    access::Principal,
    entities::{
        account_role, assignment, audit_entry, completion, course, employee, transfer, unit,
    },
    {audit, data::exports},
};

on_both_backends!(
    progress_per_person_matches_the_database,
    progress_per_unit_counts_each_units_own_people,
    the_history_is_siasn_shaped_and_filtered_by_date,
    the_overdue_list_names_late_work_and_the_supervisor,
    managers_get_their_subtree_and_others_nothing,
    the_audit_trail_is_filtered_in_the_office_time_zone,
    formulas_are_guarded_in_every_export_and_the_managers_report,
    batches_of_any_size_give_the_same_file,
);

const BOM: &[u8] = "\u{feff}".as_bytes();

/// A downloaded CSV, read back.
struct Csv {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    file_name: String,
}

impl Csv {
    fn col(&self, name: &str) -> usize {
        self.headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {:?}", self.headers))
    }

    /// Rows by the value of one column (which must be unique).
    fn by(&self, name: &str) -> HashMap<String, Vec<String>> {
        let i = self.col(name);
        let map: HashMap<String, Vec<String>> = self
            .rows
            .iter()
            .map(|r| (r[i].clone(), r.clone()))
            .collect();
        assert_eq!(map.len(), self.rows.len(), "{name} is unique");
        map
    }
}

/// GETs a CSV that must answer 200 as a dated attachment, not cached, and
/// parses it (`;` with a BOM when the path asks for it, `,` without).
async fn download(app: &TestApp, client: &reqwest::Client, path: &str) -> Csv {
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "text/csv; charset=utf-8", "{path}");
    assert_eq!(h["cache-control"], "no-store", "{path}");
    let disposition = h["content-disposition"].to_str().unwrap().to_string();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    let file_name = disposition
        .trim_start_matches("attachment; filename=\"")
        .trim_end_matches('"')
        .to_string();
    let bytes = res.bytes().await.unwrap();
    let semicolon = path.contains("pemisah=titikkoma");
    assert_eq!(
        bytes.starts_with(BOM),
        semicolon,
        "{path}: a BOM exactly with the ; variant"
    );
    let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .from_reader(body);
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    Csv {
        headers,
        rows,
        file_name,
    }
}

/// Status, Location and body of a request that is not a download.
async fn refused(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, res.text().await.unwrap())
}

fn id_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

async fn employees(app: &TestApp) -> Vec<employee::Model> {
    employee::Entity::find().all(app.db()).await.unwrap()
}

/// A completion record written straight into the database.
async fn record(
    app: &TestApp,
    employee_id: i64,
    course_id: i64,
    on: NaiveDate,
    jp: f64,
    certificate: &str,
    organiser: &str,
) -> completion::Model {
    completion::ActiveModel {
        employee_id: Set(employee_id),
        course_id: Set(course_id),
        completed_on: Set(on),
        jp: Set(jp),
        score: Set(Some(87.5)),
        certificate_no: Set(certificate.into()),
        organiser: Set(organiser.into()),
        evidence_note: Set(String::new()),
        logged_by: Set("uji".into()),
        verified_by: Set(None),
        source: Set("import".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .unwrap()
}

async fn first_course(app: &TestApp) -> course::Model {
    course::Entity::find()
        .order_by_asc(course::Column::Id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
}

async fn rename(app: &TestApp, id: i64, name: &str) {
    let mut e = employee::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    e.name = Set(name.into());
    e.update(app.db()).await.unwrap();
}

async fn choose_language(d: &Demo, client: &reqwest::Client, lang: &str) {
    let res = client
        .post(d.app.url("/fn/set_language"))
        .header("Accept", "text/html")
        .header("Referer", d.app.url("/ekspor"))
        .form(&[("lang", lang)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
}

/// The manager's unit and every unit below it.
async fn managers_subtree(app: &TestApp) -> (i64, HashSet<i64>) {
    let root = account_role::Entity::find()
        .filter(account_role::Column::Role.eq("manager"))
        .one(app.db())
        .await
        .unwrap()
        .and_then(|r| r.unit_id)
        .unwrap();
    let units: Vec<(i64, Option<i64>)> = unit::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect();
    (root, app::domain::org::subtree(&units, &[root]))
}

fn employee_id(d: &Demo) -> i64 {
    d.logins
        .iter()
        .find(|l| l.role == "employee")
        .unwrap()
        .employee_id
}

/// Per person, from the tables: (completed or waived, open, overdue, JP
/// this year, latest TMT).
type Facts = (i64, i64, i64, f64, Option<NaiveDate>);

async fn expected_progress(app: &TestApp, today: NaiveDate) -> HashMap<i64, Facts> {
    let mut out: HashMap<i64, Facts> = HashMap::new();
    for a in assignment::Entity::find().all(app.db()).await.unwrap() {
        let e = out.entry(a.employee_id).or_default();
        match a.state.as_str() {
            "completed" | "waived" => e.0 += 1,
            "assigned" | "in_progress" => {
                e.1 += 1;
                if a.due_date < today {
                    e.2 += 1;
                }
            }
            _ => {}
        }
    }
    for c in completion::Entity::find().all(app.db()).await.unwrap() {
        if c.completed_on.year() == today.year() && c.jp > 0.0 {
            out.entry(c.employee_id).or_default().3 += c.jp;
        }
    }
    for t in transfer::Entity::find()
        .filter(transfer::Column::State.eq("completed"))
        .all(app.db())
        .await
        .unwrap()
    {
        let e = out.entry(t.employee_id).or_default();
        if e.4.is_none_or(|d| d < t.tmt) {
            e.4 = Some(t.tmt);
        }
    }
    out
}

async fn progress_per_person_matches_the_database(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    // Half a JP this year, so the decimal mark shows.
    let me = employee_id(&d);
    let c = first_course(app).await;
    let this_year = NaiveDate::from_ymd_opt(d.today.year(), 1, 2).unwrap();
    record(app, me, c.id, this_year, 2.5, "", "").await;

    let csv = download(app, &d.admin, "/ekspor/progres-pegawai.csv").await;
    assert_eq!(csv.file_name, format!("progres-pegawai-{}.csv", d.today));
    assert_eq!(csv.headers.len(), 12);
    assert_eq!(&csv.headers[..2], ["NIP", "Nama"]);
    let people = employees(app).await;
    assert_eq!(csv.rows.len(), people.len(), "one row per employee");
    let expected = expected_progress(app, d.today).await;
    let rows = csv.by("NIP");
    let (mut overdue_seen, mut jp_seen) = (0, 0.0);
    for e in &people {
        let r = &rows[&e.nip];
        let (done, open, late, jp, tmt) = expected.get(&e.id).copied().unwrap_or_default();
        assert_eq!(r[csv.col("Nama")], e.name);
        assert_eq!(
            r[csv.col("TMT mutasi terakhir")],
            tmt.map(|t| t.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            "{}",
            e.name
        );
        assert_eq!(
            num(&r[csv.col("Penugasan")]) as i64,
            done + open,
            "{}",
            e.name
        );
        assert_eq!(num(&r[csv.col("Selesai")]) as i64, done);
        assert_eq!(num(&r[csv.col("Terbuka")]) as i64, open);
        assert_eq!(num(&r[csv.col("Terlambat")]) as i64, late, "{}", e.name);
        let percent = &r[csv.col("Persen selesai")];
        if done + open == 0 {
            assert_eq!(percent, "");
        } else {
            assert_eq!(
                num(percent) as i64,
                (done as f64 * 100.0 / (done + open) as f64).round() as i64
            );
        }
        assert!(
            (num(&r[csv.col("JP tahun ini")]) - jp).abs() < 0.01,
            "{}",
            e.name
        );
        assert_eq!(r[csv.col("Target JP")], "20");
        overdue_seen += late;
        jp_seen += jp;
    }
    assert!(overdue_seen > 0 && jp_seen > 0.0, "the demo data has both");
    let mine = &rows[&people.iter().find(|e| e.id == me).unwrap().nip];
    assert!(mine[csv.col("JP tahun ini")].contains('.'), "{mine:?}");

    // The ; variant: same rows, decimals with a comma.
    let semi = download(
        app,
        &d.admin,
        "/ekspor/progres-pegawai.csv?pemisah=titikkoma",
    )
    .await;
    assert_eq!(semi.headers, csv.headers);
    assert_eq!(semi.rows.len(), csv.rows.len());
    let jp = csv.col("JP tahun ini");
    let semi_mine = &semi.by("NIP")[&mine[0]];
    assert_eq!(semi_mine[jp], mine[jp].replace('.', ","));

    // In English: the headers, the file name and the dates; the SIASN
    // history keeps its columns.
    choose_language(&d, &d.admin, "en").await;
    let en = download(app, &d.admin, "/ekspor/progres-pegawai.csv").await;
    assert_eq!(en.file_name, format!("employee-progress-{}.csv", d.today));
    assert_eq!(en.headers[1], "Name");
    let tmt = en.col("TMT of latest transfer");
    let en_mine = &en.by("NIP")[&mine[0]];
    let id_tmt = &mine[csv.col("TMT mutasi terakhir")];
    assert!(!id_tmt.is_empty(), "the demo employee was transferred");
    assert_eq!(en_mine[tmt], id_date(id_tmt).format("%Y-%m-%d").to_string());
    let history = download(app, &d.admin, "/ekspor/riwayat-pelatihan.csv").await;
    assert_eq!(history.headers, exports::SIASN_HEADERS);
    d.app.stop().await;
}

async fn progress_per_unit_counts_each_units_own_people(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let csv = download(app, &d.admin, "/ekspor/progres-unit.csv").await;
    assert_eq!(csv.file_name, format!("progres-unit-{}.csv", d.today));
    let units = unit::Entity::find().all(app.db()).await.unwrap();
    assert_eq!(csv.rows.len(), units.len(), "one row per unit");
    let people = employees(app).await;
    let expected = expected_progress(app, d.today).await;
    let rows = csv.by("ID unit");
    let since = d.today - chrono::Days::new(180);
    let (mut all_open, mut all_newcomers) = (0, 0);
    for u in &units {
        let r = &rows[&u.id.to_string()];
        let mine: Vec<&employee::Model> = people.iter().filter(|e| e.unit_id == u.id).collect();
        let facts: Vec<_> = mine
            .iter()
            .map(|e| expected.get(&e.id).copied().unwrap_or_default())
            .collect();
        let sum = |f: fn(&Facts) -> i64| facts.iter().map(f).sum::<i64>();
        assert_eq!(r[csv.col("Unit")], u.name);
        assert!(r[csv.col("Jalur unit")].ends_with(&u.name));
        assert_eq!(
            num(&r[csv.col("Jumlah pegawai")]) as i64,
            mine.len() as i64,
            "{}",
            u.name
        );
        let newcomers = facts
            .iter()
            .filter(|f| f.4.is_some_and(|t| t >= since && t <= d.today))
            .count() as i64;
        assert_eq!(
            num(&r[csv.col("Pegawai baru")]) as i64,
            newcomers,
            "{}",
            u.name
        );
        assert_eq!(num(&r[csv.col("Penugasan terbuka")]) as i64, sum(|f| f.1));
        assert_eq!(num(&r[csv.col("Penugasan selesai")]) as i64, sum(|f| f.0));
        assert_eq!(num(&r[csv.col("Terlambat")]) as i64, sum(|f| f.2));
        let meeting = facts.iter().filter(|f| f.3 >= 20.0).count() as i64;
        assert_eq!(num(&r[csv.col("Memenuhi target JP")]) as i64, meeting);
        all_open += sum(|f| f.1);
        all_newcomers += newcomers;
    }
    assert!(all_open > 0 && all_newcomers > 0, "the demo data has both");
    // A unit below the kecamatan shows where it sits.
    let (root, subtree) = managers_subtree(app).await;
    let kecamatan = &units.iter().find(|u| u.id == root).unwrap().name;
    let child = units
        .iter()
        .find(|u| u.parent_id == Some(root))
        .expect("a unit below the kecamatan");
    assert!(subtree.contains(&child.id));
    assert_eq!(
        rows[&child.id.to_string()][csv.col("Jalur unit")],
        format!(
            "{} / {}",
            rows[&root.to_string()][csv.col("Jalur unit")],
            child.name
        )
    );
    assert!(rows[&child.id.to_string()][csv.col("Jalur unit")].contains(kecamatan.as_str()));

    // The ; variant has the same cells (whole numbers only here).
    let semi = download(app, &d.admin, "/ekspor/progres-unit.csv?pemisah=titikkoma").await;
    assert_eq!(semi.headers, csv.headers);
    assert_eq!(semi.rows, csv.rows);
    d.app.stop().await;
}

async fn the_history_is_siasn_shaped_and_filtered_by_date(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let me = employee_id(&d);
    let c = first_course(app).await;
    let day = NaiveDate::from_ymd_opt(2025, 3, 5).unwrap();
    record(app, me, c.id, day, 2.5, "=1+1", "@BPSDM Kota Medan").await;

    let csv = download(app, &d.admin, "/ekspor/riwayat-pelatihan.csv").await;
    assert_eq!(
        csv.headers,
        [
            "nipBaru",
            "nama",
            "kodeKursus",
            "namaKursus",
            "tanggalKursus",
            "tahunKursus",
            "jumlahJam",
            "institusiPenyelenggara",
            "nomorSertipikat",
            "nilai"
        ]
    );
    assert_eq!(csv.file_name, format!("riwayat-pelatihan-{}.csv", d.today));
    let records = completion::Entity::find().all(app.db()).await.unwrap();
    assert_eq!(
        csv.rows.len(),
        records.len(),
        "one row per completion record"
    );
    let people: HashMap<i64, employee::Model> = employees(app)
        .await
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let e = &people[&me];
    let mine: Vec<&Vec<String>> = csv
        .rows
        .iter()
        .filter(|r| r[0] == e.nip && r[4] == "05-03-2025")
        .collect();
    assert_eq!(mine.len(), 1, "{:?}", csv.rows);
    assert_eq!(
        *mine[0],
        [
            e.nip.as_str(),
            e.name.as_str(),
            c.code.as_str(),
            c.title_id.as_str(),
            "05-03-2025",
            "2025",
            "2.5",
            "'@BPSDM Kota Medan",
            "'=1+1",
            "87.5"
        ]
    );
    // Every row: its person, a SIASN date and year, JP as a number.
    let jp_by_person: f64 = records.iter().map(|r| r.jp).sum();
    let mut jp_in_file = 0.0;
    for r in &csv.rows {
        assert!(people.values().any(|p| p.nip == r[0]), "{r:?}");
        let on = NaiveDate::parse_from_str(&r[4], "%d-%m-%Y").unwrap();
        assert_eq!(r[5], on.year().to_string());
        jp_in_file += num(&r[6]);
    }
    assert!((jp_in_file - jp_by_person).abs() < 0.01);

    // From/until: completion dates, inclusive.
    let that_day = download(
        app,
        &d.admin,
        "/ekspor/riwayat-pelatihan.csv?dari=2025-03-05&sampai=05-03-2025",
    )
    .await;
    let expected = records.iter().filter(|r| r.completed_on == day).count();
    assert_eq!(that_day.rows.len(), expected);
    assert!(that_day.rows.iter().all(|r| r[4] == "05-03-2025"));
    let since = download(
        app,
        &d.admin,
        &format!(
            "/ekspor/riwayat-pelatihan.csv?dari={}",
            d.today - chrono::Days::new(30)
        ),
    )
    .await;
    let expected = records
        .iter()
        .filter(|r| r.completed_on >= d.today - chrono::Days::new(30))
        .count();
    assert_eq!(since.rows.len(), expected);
    assert!(
        expected > 0 && expected < records.len(),
        "the filter narrows"
    );

    // The ; variant keeps SIASN's numbers and dates.
    let semi = download(
        app,
        &d.admin,
        "/ekspor/riwayat-pelatihan.csv?pemisah=titikkoma",
    )
    .await;
    assert_eq!(semi.headers, csv.headers);
    assert_eq!(semi.rows, csv.rows);
    // A date that is not one is refused precisely.
    let (status, _, body) =
        refused(app, &d.admin, "/ekspor/riwayat-pelatihan.csv?dari=besok").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("besok"), "{body}");
    d.app.stop().await;
}

async fn the_overdue_list_names_late_work_and_the_supervisor(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let late: Vec<assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::State.is_in(["assigned", "in_progress"]))
        .filter(assignment::Column::DueDate.lt(d.today))
        .order_by_asc(assignment::Column::Id)
        .all(app.db())
        .await
        .unwrap();
    assert!(!late.is_empty(), "the demo data has overdue work");
    // The camat becomes the direct supervisor of the first late person.
    let camat = d
        .logins
        .iter()
        .find(|l| l.role == "manager")
        .unwrap()
        .employee_id;
    let mut e = employee::Entity::find_by_id(late[0].employee_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    e.supervisor_id = Set(Some(camat));
    e.update(app.db()).await.unwrap();
    let csv = download(app, &d.admin, "/ekspor/terlambat.csv").await;
    assert_eq!(csv.file_name, format!("terlambat-{}.csv", d.today));
    assert_eq!(csv.rows.len(), late.len(), "one row per overdue assignment");
    let people: HashMap<i64, employee::Model> = employees(app)
        .await
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut with_supervisor = 0;
    // Rows come in the order of the assignments.
    for (a, r) in late.iter().zip(&csv.rows) {
        let e = &people[&a.employee_id];
        let boss = e.supervisor_id.map(|s| &people[&s]);
        assert_eq!(r[csv.col("NIP")], e.nip);
        assert_eq!(r[csv.col("Kode pelatihan")], courses[&a.course_id].code);
        assert_eq!(r[csv.col("Pelatihan")], courses[&a.course_id].title_id);
        assert_eq!(id_date(&r[csv.col("Tenggat")]), a.due_date);
        assert_eq!(
            num(&r[csv.col("Hari terlambat")]) as i64,
            (d.today - a.due_date).num_days()
        );
        assert!(num(&r[csv.col("Hari terlambat")]) >= 1.0);
        assert_eq!(
            r[csv.col("Atasan langsung")],
            boss.map(|b| b.name.clone()).unwrap_or_default()
        );
        assert_eq!(
            r[csv.col("NIP atasan")],
            boss.map(|b| b.nip.clone()).unwrap_or_default()
        );
        with_supervisor += usize::from(boss.is_some());
    }
    assert!(with_supervisor > 0, "some late people have a supervisor");
    d.app.stop().await;
}

async fn managers_get_their_subtree_and_others_nothing(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let manager = d.as_role("manager").await;
    let (root, subtree) = managers_subtree(app).await;
    let people = employees(app).await;
    let inside: HashSet<&str> = people
        .iter()
        .filter(|e| subtree.contains(&e.unit_id))
        .map(|e| e.nip.as_str())
        .collect();
    assert!(inside.len() < people.len(), "there are people outside");

    let progress = download(app, &manager, "/ekspor/progres-pegawai.csv").await;
    let nips: HashSet<&str> = progress.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(nips, inside, "exactly the manager's people");

    let units = download(app, &manager, "/ekspor/progres-unit.csv").await;
    let ids: HashSet<i64> = units.rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(ids, subtree);

    let history = download(app, &manager, "/ekspor/riwayat-pelatihan.csv").await;
    let inside_ids: HashSet<i64> = people
        .iter()
        .filter(|e| subtree.contains(&e.unit_id))
        .map(|e| e.id)
        .collect();
    let their_records = completion::Entity::find()
        .filter(completion::Column::EmployeeId.is_in(inside_ids.clone()))
        .count(app.db())
        .await
        .unwrap();
    assert!(their_records > 0);
    assert_eq!(history.rows.len() as u64, their_records);
    assert!(history.rows.iter().all(|r| inside.contains(r[0].as_str())));

    let overdue = download(app, &manager, "/ekspor/terlambat.csv").await;
    let their_late = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.is_in(inside_ids))
        .filter(assignment::Column::State.is_in(["assigned", "in_progress"]))
        .filter(assignment::Column::DueDate.lt(d.today))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(overdue.rows.len() as u64, their_late);
    assert!(overdue.rows.iter().all(|r| inside.contains(r[0].as_str())));

    // A unit below their own: that subtree only.
    let all_units: Vec<(i64, Option<i64>)> = unit::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect();
    let child = all_units
        .iter()
        .find(|(id, parent)| *parent == Some(root) && people.iter().any(|e| e.unit_id == *id))
        .expect("a unit with people below the kecamatan")
        .0;
    let below = app::domain::org::subtree(&all_units, &[child]);
    let narrowed = download(
        app,
        &manager,
        &format!("/ekspor/progres-pegawai.csv?unit={child}"),
    )
    .await;
    let expected = people.iter().filter(|e| below.contains(&e.unit_id)).count();
    assert_eq!(narrowed.rows.len(), expected);
    assert!(expected > 0 && expected < inside.len());

    // A unit outside, or none at all: the same "not found"; the audit trail too.
    let outside = all_units
        .iter()
        .find(|(id, _)| !subtree.contains(id))
        .unwrap()
        .0;
    let (s1, _, b1) = refused(
        app,
        &manager,
        &format!("/ekspor/progres-pegawai.csv?unit={outside}"),
    )
    .await;
    let (s2, _, b2) = refused(app, &manager, "/ekspor/progres-pegawai.csv?unit=987654321").await;
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(b1, b2, "refusal looks like absence");
    assert_eq!(refused(app, &manager, "/ekspor/audit.csv").await.0, 404);
    let (status, _, _) = refused(app, &manager, "/ekspor/terlambat.csv?unit=satu").await;
    assert_eq!(status, 422);
    // The administrator may pick any unit.
    let admin_outside = download(
        app,
        &d.admin,
        &format!("/ekspor/progres-pegawai.csv?unit={outside}"),
    )
    .await;
    let below_outside = app::domain::org::subtree(&all_units, &[outside]);
    assert_eq!(
        admin_outside.rows.len(),
        people
            .iter()
            .filter(|e| below_outside.contains(&e.unit_id))
            .count()
    );

    // The page offers the manager their units and no audit trail; the
    // administrator also the audit trail.
    let page = |client: &reqwest::Client| {
        let client = client.clone();
        let url = app.url("/ekspor");
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let html = page(&manager).await;
    for kind in exports::Kind::ALL {
        let form = format!("action=\"{}\"", kind.path());
        assert_eq!(html.contains(&form), kind != exports::Kind::Audit, "{form}");
    }
    assert!(html.contains(&format!("value=\"{child}\"")));
    assert!(!html.contains(&format!("value=\"{outside}\"")));
    assert!(html.contains("value=\"titikkoma\""));
    assert!(page(&d.admin)
        .await
        .contains("action=\"/ekspor/audit.csv\""));

    let employee = d.as_role("employee").await;
    let trainer = d.as_role("trainer").await;
    let anonymous = jejak_tests::http_client();
    for client in [&employee, &trainer] {
        assert_eq!(refused(app, client, "/ekspor").await.0, 404);
    }
    for kind in exports::Kind::ALL {
        let path = kind.path();
        assert_eq!(refused(app, &employee, path).await.0, 404, "{path}");
        assert_eq!(refused(app, &trainer, path).await.0, 404, "{path}");
        let (status, location, _) = refused(app, &anonymous, path).await;
        assert_eq!((status, location.as_str()), (302, "/masuk"), "{path}");
    }
    d.app.stop().await;
}

async fn the_audit_trail_is_filtered_in_the_office_time_zone(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2020, 1, 10, h, m, 0).unwrap();
    let none: Option<&()> = None;
    // 23:30 WIB on the 10th, 00:30 WIB on the 11th, 10:00 WIB on the 10th.
    for (actor, action, entity, when) in [
        ("Uji Ekspor Satu", "uji.ekspor", "uji", at(16, 30)),
        ("uji ekspor dua", "uji.lain", "uji", at(17, 30)),
        ("=cmd|' /C calc'!A0", "uji.ekspor", "lain", at(3, 0)),
    ] {
        audit::row(
            actor,
            action,
            entity,
            7,
            none,
            Some(&serde_json::json!({"x": 1})),
            when,
        )
        .insert(app.db())
        .await
        .unwrap();
    }
    let actors = |csv: &Csv| -> Vec<String> { csv.rows.iter().map(|r| r[1].clone()).collect() };

    let all = audit_csv(&d, "").await;
    assert_eq!(all.file_name, format!("audit-{}.csv", d.today));
    assert_eq!(all.headers[0], "Waktu (Asia/Jakarta)");
    let total = audit_entry::Entity::find().count(app.db()).await.unwrap();
    assert_eq!(all.rows.len() as u64, total);

    let tenth = audit_csv(&d, "?dari=2020-01-10&sampai=2020-01-10").await;
    assert_eq!(actors(&tenth), ["Uji Ekspor Satu", "'=cmd|' /C calc'!A0"]);
    assert_eq!(tenth.rows[0][0], "10/01/2020 23:30:00");
    assert_eq!(tenth.rows[0][2], "uji.ekspor");
    assert_eq!(tenth.rows[0][4], "7");
    assert_eq!(tenth.rows[0][6], r#"{"x":1}"#);
    let eleventh = audit_csv(&d, "?dari=2020-01-11&sampai=2020-01-11").await;
    assert_eq!(actors(&eleventh), ["uji ekspor dua"]);
    assert_eq!(eleventh.rows[0][0], "11/01/2020 00:30:00");

    let by_actor = audit_csv(&d, "?aktor=EKSPOR").await;
    assert_eq!(actors(&by_actor), ["Uji Ekspor Satu", "uji ekspor dua"]);
    let by_entity_and_action = audit_csv(&d, "?entitas=uji&aksi=uji.ekspor").await;
    assert_eq!(actors(&by_entity_and_action), ["Uji Ekspor Satu"]);
    let wildcard = audit_csv(&d, "?aktor=%25").await;
    assert!(wildcard.rows.is_empty(), "a typed % is a percent sign");
    let (status, _, _) = refused(
        app,
        &d.admin,
        "/ekspor/audit.csv?dari=2020-02-01&sampai=2020-01-01",
    )
    .await;
    assert_eq!(status, 422);
    d.app.stop().await;
}

async fn audit_csv(d: &Demo, query: &str) -> Csv {
    download(&d.app, &d.admin, &format!("/ekspor/audit.csv{query}")).await
}

async fn formulas_are_guarded_in_every_export_and_the_managers_report(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let me = employee_id(&d);
    let late = assignment::Entity::find()
        .filter(assignment::Column::State.is_in(["assigned", "in_progress"]))
        .filter(assignment::Column::DueDate.lt(d.today))
        .filter(assignment::Column::EmployeeId.ne(me))
        .one(app.db())
        .await
        .unwrap()
        .expect("overdue work");
    let c = first_course(app).await;
    rename(app, me, "-1+1").await;
    rename(app, late.employee_id, "=HYPERLINK(\"http://x\")").await;
    record(app, late.employee_id, c.id, d.today, 1.0, "", "").await;
    let people: HashMap<i64, employee::Model> = employees(app)
        .await
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let (nip_me, nip_late) = (&people[&me].nip, &people[&late.employee_id].nip);

    let progress = download(app, &d.admin, "/ekspor/progres-pegawai.csv").await;
    let rows = progress.by("NIP");
    assert_eq!(rows[nip_late][1], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[nip_me][1], "'-1+1");
    let overdue = download(app, &d.admin, "/ekspor/terlambat.csv?pemisah=titikkoma").await;
    assert!(overdue
        .rows
        .iter()
        .any(|r| &r[0] == nip_late && r[1] == "'=HYPERLINK(\"http://x\")"));
    let history = download(app, &d.admin, "/ekspor/riwayat-pelatihan.csv").await;
    assert!(history
        .rows
        .iter()
        .any(|r| &r[0] == nip_late && r[1] == "'=HYPERLINK(\"http://x\")"));
    // Nobody else's name was touched.
    assert!(progress
        .rows
        .iter()
        .filter(|r| r[1].starts_with('\''))
        .all(|r| &r[0] == nip_me || &r[0] == nip_late));

    // The manager's report: the same guard, numbers left as they are.
    let manager = d.as_role("manager").await;
    for query in ["", "?pemisah=titikkoma"] {
        let report = download(app, &manager, &format!("/manajer/laporan.csv{query}")).await;
        let mine = report.by("NIP")[nip_me].clone();
        assert_eq!(mine[1], "'-1+1", "{query}");
        assert!(
            mine[5].parse::<i64>().is_ok(),
            "days since the TMT: {}",
            mine[5]
        );
    }
    d.app.stop().await;
}

async fn batches_of_any_size_give_the_same_file(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let admin_id = d
        .logins
        .iter()
        .find(|l| l.role == "admin")
        .unwrap()
        .employee_id;
    let admin = Principal {
        account_id: 0,
        employee_id: admin_id,
        name: String::new(),
        nip: String::new(),
        language: "id".into(),
        admin: true,
        managed_units: vec![],
        taught_courses: vec![],
        session_hash: String::new(),
    };
    let ctx = exports::Ctx::new(&app.state, app::i18n::Locale::id);
    let raw = exports::RawFilters::default();
    for kind in exports::Kind::ALL {
        let whole = exports::bytes(ctx.clone(), &admin, kind, &raw)
            .await
            .unwrap();
        let small = exports::Ctx {
            batch: 7,
            ..ctx.clone()
        };
        let batched = exports::bytes(small, &admin, kind, &raw).await.unwrap();
        assert_eq!(
            String::from_utf8(batched).unwrap(),
            String::from_utf8(whole.clone()).unwrap(),
            "{kind:?}"
        );
        let lines = whole.iter().filter(|b| **b == b'\n').count();
        assert!(
            lines > 8,
            "{kind:?} spans several small batches ({lines} lines)"
        );
    }
    d.app.stop().await;
}
