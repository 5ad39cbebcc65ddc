//! `chibo stats`: every figure of an organization's dashboard on a date, as text or as the
//! API's JSON, both read from the dashboard's [`Figures`].

use anyhow::{Result, anyhow};
use chibo_domain::calendar::format_date;
use chibo_domain::stats::{Dashboard, Figures};
use chibo_store::{Store, StoreError};
use chrono::NaiveDate;
use serde_json::Value;

/// The dashboard of `org` (already resolved) on `on`, with the Vietnamese refusal when the
/// organization did not exist that day.
pub async fn dashboard(store: &Store, org: &chibo_store::org::Org, on: NaiveDate) -> Result<Dashboard> {
    store.operator("cli").dashboard(org.id, on).await.map_err(|e| match e {
        StoreError::NotFound => anyhow!("tổ chức «{}» chưa có hoặc đã giải thể vào ngày {}", org.name, format_date(on)),
        other => other.into(),
    })
}

/// The dashboard's figures as the JSON object the API's `/orgs/{id}/dashboard` returns.
pub fn json(d: &Dashboard) -> Result<Value> {
    Ok(serde_json::to_value(Figures::of(d))?)
}

/// Every figure as text, in Vietnamese: each section's heading, then its figures with their
/// value and their share.
pub fn text(d: &Dashboard) -> String {
    use std::fmt::Write;
    let f = Figures::of(d);
    let mut s = format!("{} ({}) — ngày {}\n", f.name, f.code, format_date(f.as_of));
    for section in &f.sections {
        let _ = writeln!(s, "{}", section.label_vi);
        for g in &section.figures {
            let share = g.share.map(|p| format!("{p:.1}%")).unwrap_or_default();
            let _ = writeln!(s, "  {:<56}{:>10}{share:>9}", g.label_vi, g.value);
        }
    }
    s
}
