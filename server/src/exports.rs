//! Every CSV download, in one place: the manager's report
//! (`/manajer/laporan.csv`) and the exports of `/ekspor/…`
//! (`app::backend::data::exports`). Plain GET routes, so the browser
//! saves them as files; the signed-in person comes from the session like
//! pages (the anonymous are sent to `/masuk`), the policy decides, and a
//! refusal is a 404 exactly like something that does not exist.

use axum::{
    body::Body,
    extract::{Query, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::Response,
    routing::get,
    Router,
};

use app::{
    backend::{
        access::{policy, Principal},
        state::AppState,
        {
            adaptation,
            data::exports::{self, Kind, RawFilters},
        },
    },
    i18n::Locale,
};

use crate::http::{error_response, ServerState};

pub fn router() -> Router<ServerState> {
    let mut r = Router::new().route("/manajer/laporan.csv", get(adaptation_csv));
    for kind in Kind::ALL {
        r = r.route(
            kind.path(),
            get(
                move |State(app): State<AppState>, Query(q): Query<RawFilters>, req: Request| {
                    download(kind, app, q, req)
                },
            ),
        );
    }
    r
}

/// Pages send the anonymous to sign in; so do downloads.
fn sign_in_first() -> Response {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::FOUND;
    res.headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/masuk"));
    res
}

/// The request's language (set by the `authenticate` middleware).
fn locale(req: &Request) -> Locale {
    req.extensions()
        .get::<app::lang::RequestLocale>()
        .map_or(Locale::id, |l| l.0)
}

/// A CSV answer saved as `file_name`, never cached (personal data).
fn csv_response(body: Body, file_name: &str) -> Response {
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// One of the `/ekspor/…` downloads, sent batch by batch as it is read.
async fn download(kind: Kind, app: AppState, q: RawFilters, req: Request) -> Response {
    let Some(p) = req.extensions().get::<Principal>().cloned() else {
        return sign_in_first();
    };
    let l = locale(&req);
    let ctx = exports::Ctx::new(&app, l);
    let file_name = kind.file_name(ctx.today, l);
    match exports::start(ctx, &p, kind, &q).await {
        Ok(stream) => csv_response(Body::from_stream(stream), &file_name),
        Err(e) => error_response(&e, false),
    }
}

#[derive(serde::Deserialize)]
struct AdaptationQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    urut: String,
    /// "titikkoma": `;` with a byte-order mark, for spreadsheets in the Indonesian locale.
    #[serde(default)]
    pemisah: String,
}

/// The manager's dashboard as CSV: the same people, search and order.
async fn adaptation_csv(
    State(app): State<AppState>,
    Query(q): Query<AdaptationQuery>,
    req: Request,
) -> Response {
    let Some(principal) = req.extensions().get::<Principal>().cloned() else {
        return sign_in_first();
    };
    let p = match policy::authorize(Some(principal), &policy::Action::ViewAdaptation) {
        Ok(p) => p,
        Err(e) => return error_response(&e, false),
    };
    let today = app.now_local().date_naive();
    let l = locale(&req);
    match adaptation::csv(
        &app.db,
        &p,
        &q.q,
        &q.urut,
        today,
        app.config.newcomer_days,
        app::backend::data::csv_out::semicolon_requested(&q.pemisah),
        l,
    )
    .await
    {
        Ok(bytes) => csv_response(Body::from(bytes), &adaptation::csv_file_name(today, l)),
        Err(e) => error_response(&e, false),
    }
}
