//! `chibo committee`: an organization's committee as it stood on a date, for an operator at a
//! terminal: the term running, who held which position (with their concurrent posts and
//! duties), what its make-up lacks, the working regulation, and who from the committees above
//! is in charge of it. In Vietnamese, or as JSON (the store's reading, which the committee page
//! and the API's `/orgs/{id}/committee` render).

use anyhow::Result;
use chibo_domain::calendar::format_date;
use chibo_domain::committee::SeatState;
use chibo_store::Store;
use chibo_store::committee::{Committee, InCharge};
use chibo_store::org::Org;
use chrono::NaiveDate;
use serde_json::{Value, json};

/// The committee of `org` (already resolved) on `on`, with who is in charge of it from above.
pub async fn read(store: &Store, org: &Org, on: NaiveDate) -> Result<(Committee, Vec<InCharge>)> {
    let s = store.operator("cli");
    Ok((s.committee_on(org.id, on).await?, s.in_charge_of(org.id, on).await?))
}

/// The committee as one JSON object: the store's committee with `in_charge` beside it.
pub fn json(c: &Committee, in_charge: &[InCharge]) -> Result<Value> {
    let mut v = serde_json::to_value(c)?;
    v["in_charge"] = json!(in_charge);
    Ok(v)
}

/// The committee in Vietnamese; `parent` is the name of the organization's parent, which tells
/// organizations of the same name apart.
pub fn text(org: &Org, parent: Option<&str>, c: &Committee, in_charge: &[InCharge]) -> String {
    use std::fmt::Write;
    let mut s = format!("Cấp ủy {} ({})", c.org_name, org.code);
    if let Some(p) = parent {
        let _ = write!(s, ", thuộc {p}");
    }
    let _ = writeln!(s, " — ngày {}", format_date(c.on));
    match &c.term {
        None => s.push_str("Chưa có nhiệm kỳ nào vào ngày này.\n"),
        Some(t) => {
            let _ = writeln!(s, "{}: từ {}, dự kiến kết thúc {}", t.label, format_date(t.starts_on), format_date(t.planned_end));
            let _ = writeln!(s, "Đảng viên chính thức: {}", c.official);
            if c.seats.is_empty() {
                s.push_str("  Chưa có ai giữ chức vụ vào ngày này.\n");
            }
            let width = c.seats.iter().map(|x| x.title.chars().count()).max().unwrap_or(0);
            let indent = " ".repeat(width + 4);
            for x in &c.seats {
                let mut line = format!("từ {}, {}", format_date(x.seat.from), x.seat.basis.label_vi().to_lowercase());
                if x.state == SeatState::Suspended {
                    line.push_str(" (tạm đình chỉ chức vụ)");
                }
                let _ = writeln!(s, "  {:<width$}  {} — {line}", x.title, x.seat.full_name);
                for p in &x.posts {
                    let _ = writeln!(s, "{indent}Kiêm nhiệm: {} từ {}", p.title_vi(), format_date(p.from));
                }
                for d in &x.duties {
                    let mut duty = d.field.label_vi().to_owned();
                    if !d.in_charge_names.is_empty() {
                        let _ = write!(duty, " · phụ trách {}", d.in_charge_names.join(", "));
                    }
                    if !d.text.is_empty() {
                        let _ = write!(duty, " · {}", d.text);
                    }
                    let _ = writeln!(s, "{indent}Phân công: {duty}");
                }
            }
            match &c.regulation {
                Some(r) => {
                    let _ = writeln!(s, "Quy chế làm việc: số {}, ban hành ngày {}", r.decision_no, format_date(r.adopted_on));
                }
                None => s.push_str("Chưa ban hành quy chế làm việc của nhiệm kỳ.\n"),
            }
            for p in &c.shape {
                let _ = writeln!(s, "Lưu ý: {}", p.text_vi());
            }
        }
    }
    for x in in_charge {
        let _ = writeln!(s, "Cấp trên phụ trách: {} ({}, {}) — {}", x.duty.full_name, x.title, x.committee_org, x.duty.field.label_vi());
    }
    s
}
