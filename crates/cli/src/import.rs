//! `chibo import` and `chibo bench-import`: member lists into chibo from the command line,
//! with an indicatif progress bar, and the import benchmark.

use anyhow::{Context, Result, anyhow, bail};
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_import::{ImportError, Mode, Phase, export};
use chibo_store::Scope;
use chibo_store::org::NewOrg;
use chibo_store::{Store, StoreError};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The line printed when the transaction starts writing (a test waits for it).
pub const WRITING_STARTED: &str = "Bắt đầu ghi";

fn bar() -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg:28} [{bar:40}] {pos}/{len} ({elapsed})").unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> "),
    );
    pb
}

/// A progress callback drawing on a bar, announcing the start of the writes once.
fn reporter(pb: &ProgressBar) -> impl Fn(Phase, u64, u64) + Sync + '_ {
    let announced = AtomicBool::new(false);
    move |phase, done, total| {
        if phase == Phase::Writing && !announced.swap(true, Ordering::SeqCst) {
            pb.suspend(|| eprintln!("{WRITING_STARTED} {total} đảng viên (một giao dịch)…"));
        }
        pb.set_message(phase.label());
        pb.set_length(total);
        pb.set_position(done);
    }
}

/// The scope of an account (`--as LOGIN`), or the operator's.
pub(crate) async fn scope_for(store: &Store, login: Option<&str>) -> Result<Scope> {
    let Some(login) = login else { return Ok(Scope::operator("cli")) };
    let (account, _) = store.account_for_login(login).await?.ok_or_else(|| anyhow!("không có tài khoản «{login}»"))?;
    match store.grant(&account).await? {
        chibo_store::account::Grant::Org(scope) => Ok(scope),
        chibo_store::account::Grant::OwnRecord(_) => bail!("«{login}» là tài khoản của một đảng viên, không quản lý danh sách"),
    }
}

/// The organization named, inside the scope.
pub(crate) async fn org_in(s: &chibo_store::Scoped<'_>, query: &str) -> Result<chibo_store::org::Org> {
    s.resolve_org(query).await.map_err(|e| match e {
        StoreError::NotFound => anyhow!("không tìm thấy tổ chức «{}» trong phạm vi", query.trim()),
        other => other.into(),
    })
}

/// Imports a file into an organization (inside the scope of `as_login`, or as the operator);
/// prints every row error.
pub async fn import(store: &Store, as_login: Option<&str>, org: &str, path: &Path, valid_only: bool, rejected: Option<&Path>) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let s = store.within(&scope_for(store, as_login).await?);
    let org = &org_in(&s, org).await?;
    let pb = bar();
    let report = reporter(&pb);
    let t = Instant::now();
    let prepared = chibo_import::prepare(&s, org.id, &name, &bytes, None, &report).await?;
    let p = &prepared.preview;
    pb.suspend(|| {
        let mapped: Vec<String> =
            prepared.table.headers.iter().zip(&prepared.mapping.0).map(|(h, f)| format!("«{h}» → {}", f.map(|f| f.label()).unwrap_or("(bỏ qua)"))).collect();
        eprintln!("Ghép cột: {}", mapped.join(", "));
        eprintln!("{} dòng: {} hợp lệ, {} có lỗi ({:.1} giây).", p.rows.len(), p.valid_count(), p.invalid_count(), t.elapsed().as_secs_f64());
        for e in &p.problems {
            eprintln!("  {}", e.full_message(chibo_domain::error::Lang::Vi));
        }
        for e in p.errors().take(50) {
            eprintln!("  {}", e.message());
        }
        if p.errors().count() > 50 {
            eprintln!("  … và {} lỗi khác", p.errors().count() - 50);
        }
    });
    if let Some(out) = rejected
        && p.invalid_count() > 0
    {
        std::fs::write(out, export::rejected_xlsx(p, &prepared.table)?).with_context(|| format!("không ghi được {}", out.display()))?;
        eprintln!("Các dòng bị loại đã ghi vào {}.", out.display());
    }
    let mode = if valid_only { Mode::ValidOnly } else { Mode::AllOrNothing };
    let rec = chibo_import::commit(&s, &prepared, mode, &report).await.map_err(import_error)?;
    pb.finish_and_clear();
    eprintln!(
        "Đã nhập {} đảng viên vào «{}» từ «{}» ({} dòng bỏ qua) trong {:.1} giây.",
        rec.imported,
        org.name,
        rec.file_name,
        rec.rejected,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

pub(crate) fn import_error(e: ImportError) -> anyhow::Error {
    match e {
        ImportError::Store(s) => s.into(),
        other => anyhow!(other.to_string()),
    }
}

/// Cells in the benchmark's ward.
const BENCH_CELLS: usize = 40;

/// The benchmark's organizations: a province, a ward and its cells (codes BENCH.W.1 …).
pub async fn bench_tree(store: &Store) -> Result<i64, StoreError> {
    let s = store.operator("bench");
    let on = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default();
    let org = |code: String, name: String, kind, parent| NewOrg {
        code,
        name,
        kind,
        category: OrgCategory::Other,
        parent_id: parent,
        founded_on: on,
        decision_no: None,
    };
    let p = s.create_org(org("BENCH".into(), "Đảng bộ tỉnh Thử Nghiệm".into(), OrgKind::Province, None)).await?.id;
    let w = s.create_org(org("BENCH.W".into(), "Đảng bộ phường Thử Nghiệm".into(), OrgKind::GrassrootsCommittee, Some(p))).await?.id;
    for i in 1..=BENCH_CELLS {
        s.create_org(org(format!("BENCH.W.{i}"), format!("Chi bộ khu phố {i}"), OrgKind::Cell, Some(w))).await?;
    }
    Ok(w)
}

/// A member list of `n` distinct, valid members in the export's columns.
pub fn bench_rows(n: usize) -> Vec<Vec<String>> {
    const FAMILY: [&str; 10] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"];
    const MIDDLE: [&str; 10] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"];
    const GIVEN: [&str; 30] = [
        "An", "Bình", "Cường", "Dung", "Em", "Giang", "Hà", "Hải", "Hằng", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc",
        "Quân", "Sơn", "Tâm", "Thành", "Thảo", "Trang", "Trung", "Tuấn", "Vân", "Yến",
    ];
    let headers = export::headers();
    let col = |f: chibo_import::Field| chibo_import::Field::ALL.iter().position(|x| *x == f).unwrap_or(0);
    let base = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default();
    (0..n)
        .map(|i| {
            let mut r = vec![String::new(); headers.len()];
            let k = i % 3000;
            r[col(chibo_import::Field::FullName)] = format!("{} {} {}", FAMILY[k % 10], MIDDLE[(k / 10) % 10], GIVEN[k / 100]);
            r[col(chibo_import::Field::Gender)] = if i % 2 == 0 { "Nam" } else { "Nữ" }.into();
            let birth = base + chrono::Days::new((i / 3000 * 97 + k % 97) as u64 % 14_000);
            r[col(chibo_import::Field::BirthDate)] = chibo_domain::calendar::format_date(birth);
            r[col(chibo_import::Field::Cccd)] = format!("{:012}", 1_000_000 + i);
            r[col(chibo_import::Field::CardNumber)] = format!("{:08}", 10_000_000 + i);
            r[col(chibo_import::Field::Phone)] = format!("09{:08}", i);
            r[col(chibo_import::Field::CellCode)] = format!("BENCH.W.{}", i % BENCH_CELLS + 1);
            r[col(chibo_import::Field::AdmittedOn)] = chibo_domain::calendar::format_date(birth + chrono::Days::new(25 * 365));
            r[col(chibo_import::Field::OfficialOn)] = chibo_domain::calendar::format_date(birth + chrono::Days::new(26 * 365));
            r[col(chibo_import::Field::PoliticalTheory)] = "Sơ cấp".into();
            r
        })
        .collect()
}

/// Times read + validate + commit of a generated `rows`-row .xlsx on SQLite and (when
/// `CHIBO_TEST_POSTGRES_URL` names a server) PostgreSQL, each on a fresh database, and prints
/// every run and the median.
pub async fn bench(rows: usize, runs: usize) -> Result<()> {
    let t = Instant::now();
    let bytes = export::xlsx("Danh sách", &export::headers(), &bench_rows(rows))?;
    eprintln!("Tệp thử: {rows} dòng, {:.1} MB .xlsx (tạo trong {:.1} giây).", bytes.len() as f64 / 1_048_576.0, t.elapsed().as_secs_f64());
    for engine in ["sqlite", "postgres"] {
        let mut times = Vec::new();
        for run in 1..=runs.max(1) {
            let db = match engine {
                "sqlite" => chibo_store::scratch::sqlite().await,
                _ => match std::env::var("CHIBO_TEST_POSTGRES_URL") {
                    Ok(u) if !u.is_empty() => chibo_store::scratch::postgres().await.ok_or_else(|| anyhow!("PostgreSQL không sẵn sàng"))?,
                    _ => {
                        eprintln!("postgres: bỏ qua (đặt CHIBO_TEST_POSTGRES_URL để đo trên PostgreSQL)");
                        break;
                    }
                },
            };
            let ward = bench_tree(&db.store).await?;
            let s = db.store.operator("bench");
            let t = Instant::now();
            let p = chibo_import::prepare(&s, ward, "bench.xlsx", &bytes, None, &|_, _, _| {}).await?;
            let validated = t.elapsed().as_secs_f64();
            let rec = chibo_import::commit(&s, &p, Mode::AllOrNothing, &|_, _, _| {}).await.map_err(import_error)?;
            let secs = t.elapsed().as_secs_f64();
            if rec.imported as usize != rows {
                bail!("chỉ nhập được {} / {rows} dòng", rec.imported);
            }
            eprintln!("{engine} lần {run}: {secs:.2} giây (đọc + kiểm tra {validated:.2}, ghi {:.2})", secs - validated);
            times.push(secs);
            db.cleanup().await;
        }
        if !times.is_empty() {
            times.sort_by(f64::total_cmp);
            println!("{engine}: {rows} dòng đọc, kiểm tra và ghi trong {:.2} giây (trung vị của {} lần)", times[times.len() / 2], times.len());
        }
    }
    Ok(())
}
