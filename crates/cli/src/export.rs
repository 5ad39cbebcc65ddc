//! `chibo export` (the member list, filtered, or the dashboard, as .xlsx or .csv, streamed) and
//! `chibo bench-export` (a million-row list through the same writer, with time and peak memory).

use anyhow::{Context, Result, anyhow, bail};
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::member::{CardNumber, Cccd, Education, Gender, MemberProfile, MemberStatus, PoliticalTheory};
use chibo_domain::stats::Standing;
use chibo_import::report::{self, Format, ReportWriter};
use chibo_store::Store;
use chibo_store::member::{Member, MemberFilter};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `chibo export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// Organization (code or name).
    #[arg(long)]
    org: String,
    /// Output file, .xlsx or .csv.
    #[arg(long)]
    out: PathBuf,
    /// xlsx or csv (default: from the output file's extension).
    #[arg(long)]
    format: Option<String>,
    /// The dashboard's figures instead of the member list.
    #[arg(long)]
    dashboard: bool,
    /// The day of the figures or the roll, dd/mm/yyyy (default: today; the list: today's records).
    #[arg(long, visible_alias = "as-of")]
    on: Option<String>,
    /// Only members of this standing that day: official, probationary or in_transit.
    #[arg(long)]
    standing: Option<String>,
    /// Only this gender: nam or nu.
    #[arg(long)]
    gender: Option<String>,
    /// Only this ethnicity (as written, e.g. Kinh).
    #[arg(long)]
    ethnicity: Option<String>,
    /// Only this religion (as written).
    #[arg(long)]
    religion: Option<String>,
    /// Only this professional education (code, e.g. dai_hoc).
    #[arg(long)]
    education: Option<String>,
    /// Only this political-theory level (code, e.g. trung_cap).
    #[arg(long)]
    theory: Option<String>,
    /// Name, CCCD or party card number.
    #[arg(long)]
    query: Option<String>,
    /// Export as this account, inside its scope (default: the operator, everywhere).
    #[arg(long = "as")]
    as_login: Option<String>,
}

fn choice<T: Copy>(what: &str, v: Option<&str>, all: &[T], code: impl Fn(T) -> &'static str) -> Result<Option<T>> {
    let Some(v) = v else { return Ok(None) };
    all.iter().copied().find(|x| code(*x) == v.trim()).map(Some).ok_or_else(|| {
        let codes: Vec<&str> = all.iter().map(|x| code(*x)).collect();
        anyhow!("{what} «{v}» không có; chọn một trong: {}", codes.join(", "))
    })
}

impl ExportArgs {
    fn filter(&self) -> Result<MemberFilter> {
        let on = match &self.on {
            Some(s) => Some(parse_date(s).ok_or_else(|| anyhow!("ngày «{s}» không hợp lệ, hãy nhập theo dạng dd/mm/yyyy"))?),
            None => None,
        };
        Ok(MemberFilter {
            as_of: on,
            standing: choice("tư cách", self.standing.as_deref(), &[Standing::Official, Standing::Probationary, Standing::InTransit], Standing::code)?,
            gender: choice("giới tính", self.gender.as_deref(), Gender::ALL, Gender::code)?,
            education: choice("trình độ chuyên môn", self.education.as_deref(), Education::ALL, Education::code)?,
            theory: choice("lý luận chính trị", self.theory.as_deref(), PoliticalTheory::ALL, PoliticalTheory::code)?,
            ethnicity: self.ethnicity.clone(),
            religion: self.religion.clone(),
            query: self.query.clone(),
            ..Default::default()
        })
    }

    fn format(&self) -> Result<Format> {
        let by_name = Format::from_path(&self.out);
        match (&self.format, by_name) {
            (Some(f), by_name) => {
                let f = Format::from_code(f).ok_or_else(|| anyhow!("định dạng «{f}» không có; chọn xlsx hoặc csv"))?;
                if by_name.is_some_and(|n| n != f) {
                    bail!("tên tệp {} không khớp với định dạng {}", self.out.display(), f.extension());
                }
                Ok(f)
            }
            (None, Some(f)) => Ok(f),
            (None, None) => bail!("tên tệp xuất phải kết thúc bằng .xlsx hoặc .csv (hoặc chọn --format)"),
        }
    }
}

fn create(out: &Path) -> Result<std::fs::File> {
    std::fs::File::create(out).with_context(|| format!("không ghi được {}", out.display()))
}

/// Writes the list or the dashboard; a failed export leaves no partial file behind.
pub async fn run(store: &Store, a: &ExportArgs) -> Result<()> {
    let format = a.format()?;
    let filter = a.filter()?;
    let s = store.within(&crate::import::scope_for(store, a.as_login.as_deref()).await?);
    let org = crate::import::org_in(&s, &a.org).await?;
    let t = Instant::now();
    let result = async {
        if a.dashboard {
            let on = filter.as_of.unwrap_or_else(|| s.today());
            let d = s.dashboard(org.id, on).await.map_err(|e| match e {
                chibo_store::StoreError::NotFound => anyhow!("tổ chức «{}» chưa có hoặc đã giải thể vào ngày {}", org.name, format_date(on)),
                other => other.into(),
            })?;
            report::dashboard(&chibo_domain::stats::Figures::of(&d), format, create(&a.out)?)?;
            Ok::<_, anyhow::Error>(format!("Đã xuất số liệu thống kê của «{}» ngày {} ra {}", d.name, format_date(on), a.out.display()))
        } else {
            let (_, n) = report::member_list(&s, org.id, &filter, format, create(&a.out)?).await?;
            Ok(format!("Đã xuất {n} đảng viên của «{}» ra {}", org.name, a.out.display()))
        }
    }
    .await;
    match result {
        Ok(msg) => {
            eprintln!("{msg} ({:.1} giây).", t.elapsed().as_secs_f64());
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&a.out);
            Err(e)
        }
    }
}

/// `chibo bench-export`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Rows to write.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// xlsx or csv.
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// Keep the file here (default: a temporary file, removed afterwards).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Peak and current resident memory of this process, in MiB (Linux; 0 elsewhere).
pub fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb =
        |key: &str| status.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok()).unwrap_or(0.0);
    (kb("VmHWM:") / 1024.0, kb("VmRSS:") / 1024.0)
}

/// A member made up from its row number (distinct names, IDs and dates).
fn fake_member(i: u64) -> Member {
    const FAMILY: [&str; 10] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"];
    const GIVEN: [&str; 10] = ["An", "Bình", "Cường", "Dung", "Giang", "Hằng", "Hùng", "Hương", "Thành", "Yến"];
    let base = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default();
    let birth = base + chrono::Days::new(i * 7 % 20_000);
    let admitted = birth + chrono::Days::new(25 * 365);
    let female = i % 2 == 1;
    Member {
        id: i as i64 + 1,
        profile: MemberProfile {
            full_name: format!("{} {} {} {}", FAMILY[(i % 10) as usize], if female { "Thị" } else { "Văn" }, GIVEN[(i / 10 % 10) as usize], i),
            other_name: None,
            gender: if female { Gender::Female } else { Gender::Male },
            birth_date: birth,
            birth_place: Some("Cẩm Phả, Quảng Ninh".into()),
            home_town: Some("Nam Định".into()),
            ethnicity: "Kinh".into(),
            religion: "Không".into(),
            permanent_address: Some(format!("Số {} phố Trần Phú, phường Cửa Ông", i % 500 + 1)),
            current_address: None,
            phone: Some(format!("09{:08}", i % 100_000_000)),
            email: None,
            cccd: Cccd::parse(&format!("{:012}", 1_000_000 + i)).ok(),
            card_number: CardNumber::parse(&format!("{:08}", 10_000_000 + i % 90_000_000)).ok(),
            occupation: Some("Công chức".into()),
            general_education: Some("12/12".into()),
            professional_education: Education::University,
            political_theory: PoliticalTheory::Elementary,
            party_position: None,
            government_position: None,
        },
        org_id: (i % 40) as i64 + 1,
        org_name: format!("Chi bộ khu phố {}", i % 40 + 1),
        status: if i.is_multiple_of(10) { MemberStatus::Probationary } else { MemberStatus::Official },
        admitted_on: Some(admitted),
        official_on: if i.is_multiple_of(10) { None } else { Some(admitted + chrono::Days::new(365)) },
        version: 1,
        elsewhere: false,
    }
}

/// Writes `rows` made-up members through the streaming writer and prints the time and the
/// peak resident memory at 10k, 100k, 1M rows (and every tenfold) and after the file is closed.
pub fn bench(a: &BenchArgs) -> Result<()> {
    let format = Format::from_code(&a.format).ok_or_else(|| anyhow!("định dạng «{}» không có; chọn xlsx hoặc csv", a.format))?;
    let path = a.out.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("chibo_bench_export_{}.{}", std::process::id(), format.extension())));
    let day = chibo_domain::calendar::Clock::system().today();
    let heading = report::Heading::new("DANH SÁCH ĐẢNG VIÊN", "Đảng bộ phường Thử Nghiệm", "BENCH.W", day);
    let (hwm, rss) = memory_mib();
    println!("{:>10} dòng  {:>8}  đỉnh RSS {:>7.1} MiB  RSS {:>7.1} MiB", 0, "0.00 s", hwm, rss);
    let t = Instant::now();
    let mut w = ReportWriter::new(format, create(&path)?, "Danh sách đảng viên", &heading, report::member_columns())?;
    let mut next = 10_000;
    for i in 0..a.rows {
        report::push_member(&mut w, &fake_member(i), &format!("BENCH.W.{}", i % 40 + 1), day)?;
        if i + 1 == next || i + 1 == a.rows {
            let (hwm, rss) = memory_mib();
            println!("{:>10} dòng  {:>6.2} s  đỉnh RSS {hwm:>7.1} MiB  RSS {rss:>7.1} MiB", i + 1, t.elapsed().as_secs_f64());
            next *= 10;
        }
    }
    w.finish()?;
    let (hwm, rss) = memory_mib();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "tệp {} đã đóng: {:.2} s, {:.1} MB; đỉnh RSS {hwm:.1} MiB, RSS {rss:.1} MiB",
        format.extension(),
        t.elapsed().as_secs_f64(),
        size as f64 / 1_048_576.0
    );
    if a.out.is_none() {
        let _ = std::fs::remove_file(&path);
    }
    Ok(())
}
