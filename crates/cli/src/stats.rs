//! `chibo stats`: every figure of an organization's dashboard on a date, as text or JSON.

use anyhow::{Result, anyhow};
use chibo_domain::calendar::format_date;
use chibo_domain::member::{Education, Gender, PoliticalTheory};
use chibo_domain::stats::{AGE_BANDS, PARTY_AGE_BANDS};
use chibo_store::stats::Dashboard;
use chibo_store::{Store, StoreError};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// The dashboard of `org` (already resolved) on `on`, with the Vietnamese refusal when the
/// organization did not exist that day.
pub async fn dashboard(store: &Store, org: &chibo_store::org::Org, on: NaiveDate) -> Result<Dashboard> {
    store.operator("cli").dashboard(org.id, on).await.map_err(|e| match e {
        StoreError::NotFound => anyhow!("tổ chức «{}» chưa có hoặc đã giải thể vào ngày {}", org.name, format_date(on)),
        other => other.into(),
    })
}

fn label_of(dim: &str, key: &str) -> String {
    match dim {
        "education" => Education::from_code(key).map_or(key, |e| e.label_vi()).to_owned(),
        "theory" => PoliticalTheory::from_code(key).map_or(key, |t| t.label_vi()).to_owned(),
        _ => key.to_owned(),
    }
}

/// Every figure as one JSON object: the rollup's keys (as before), the breakdowns, the bands,
/// the flows, the organizations, and the raw tally they are all read from.
pub fn json(d: &Dashboard) -> Value {
    let r = d.rollup();
    let breakdown = |dim: &str| -> Value { d.breakdown(dim).into_iter().map(|(k, n)| json!({"code": k, "label": label_of(dim, &k), "members": n})).collect() };
    json!({
        "code": d.code,
        "name": d.name,
        "kind": d.kind.code(),
        "category": d.category.code(),
        "as_of": format_date(d.as_of),
        "members": d.members(),
        "official": d.official(),
        "probationary": d.probationary(),
        "in_transit": d.in_transit(),
        "men": d.gender(Gender::Male),
        "women": d.gender(Gender::Female),
        "direct_children": d.direct_children,
        "grassroots_orgs": r.grassroots_orgs,
        "cells_under_grassroots": r.cells_under_grassroots,
        "small_cells": d.small_cells(),
        "min_official_per_cell": d.min_official_per_cell,
        "age_pyramid": AGE_BANDS.iter().zip(d.age_pyramid()).map(|(b, (m, f))| json!({"band": b.label_vi("tuổi"), "men": m, "women": f})).collect::<Vec<_>>(),
        "party_age": PARTY_AGE_BANDS.iter().zip(d.party_age()).map(|(b, n)| json!({"band": b.label_vi("năm"), "members": n})).collect::<Vec<_>>(),
        "party_age_at_least": {"30": d.party_age_at_least(30), "40": d.party_age_at_least(40), "50": d.party_age_at_least(50)},
        "ethnicity": breakdown("ethnicity"),
        "religion": breakdown("religion"),
        "education": breakdown("education"),
        "theory": breakdown("theory"),
        "flows": {
            "from": format_date(d.flows.from),
            "admitted": d.flows.admitted,
            "exited": d.flows.exited,
            "transferred_in": d.flows.transferred_in,
            "transferred_out": d.flows.transferred_out,
        },
        "orgs_by_kind": d.orgs_by_kind().into_iter().map(|(k, n)| (k.code().to_owned(), Value::from(n))).collect::<serde_json::Map<_, _>>(),
        "orgs_by_category": d.orgs_by_category().into_iter().map(|(c, n)| (c.code().to_owned(), Value::from(n))).collect::<serde_json::Map<_, _>>(),
        "tally": d.tally,
    })
}

/// Every figure as text, in Vietnamese.
pub fn text(d: &Dashboard) -> String {
    use std::fmt::Write;
    let r = d.rollup();
    let mut s = format!("{} ({}) — ngày {}\n", d.name, d.code, format_date(d.as_of));
    let put = |s: &mut String, label: &str, n: i64| {
        let _ = writeln!(s, "  {label:<52}{n:>10}");
    };
    let section = |s: &mut String, title: &str| {
        let _ = writeln!(s, "{title}");
    };
    section(&mut s, "Số liệu chính");
    put(&mut s, "Đảng viên", d.members());
    put(&mut s, "  chính thức", d.official());
    put(&mut s, "  dự bị", d.probationary());
    put(&mut s, "  nam", d.gender(Gender::Male));
    put(&mut s, "  nữ", d.gender(Gender::Female));
    put(&mut s, "Đang chuyển sinh hoạt đi (chưa tính vào tổng số)", d.in_transit());
    put(&mut s, "Đơn vị trực thuộc", d.direct_children);
    put(&mut s, "Tổ chức cơ sở đảng", r.grassroots_orgs);
    put(&mut s, "Chi bộ trực thuộc đảng bộ cơ sở", r.cells_under_grassroots);
    put(&mut s, &format!("Chi bộ có dưới {} đảng viên chính thức", d.min_official_per_cell), d.small_cells());
    section(&mut s, "Độ tuổi (nam / nữ)");
    for (b, (m, f)) in AGE_BANDS.iter().zip(d.age_pyramid()) {
        let _ = writeln!(s, "  {:<52}{:>10}{:>10}{:>10}", b.label_vi("tuổi"), m + f, m, f);
    }
    section(&mut s, "Tuổi Đảng");
    for (b, n) in PARTY_AGE_BANDS.iter().zip(d.party_age()) {
        put(&mut s, &b.label_vi("năm"), n);
    }
    for y in [30, 40, 50] {
        put(&mut s, &format!("Có từ {y} năm tuổi Đảng trở lên"), d.party_age_at_least(y));
    }
    for (dim, title) in [("ethnicity", "Dân tộc"), ("religion", "Tôn giáo"), ("education", "Trình độ chuyên môn, nghiệp vụ"), ("theory", "Lý luận chính trị")]
    {
        section(&mut s, title);
        for (k, n) in d.breakdown(dim) {
            put(&mut s, &label_of(dim, &k), n);
        }
    }
    section(&mut s, &format!("Biến động từ {} đến {}", format_date(d.flows.from), format_date(d.as_of)));
    put(&mut s, "Kết nạp", d.flows.admitted);
    put(&mut s, "Ra khỏi Đảng", d.flows.exited);
    put(&mut s, "Chuyển sinh hoạt đến", d.flows.transferred_in);
    put(&mut s, "Chuyển sinh hoạt đi", d.flows.transferred_out);
    section(&mut s, "Tổ chức đảng trực thuộc theo cấp");
    for (k, n) in d.orgs_by_kind() {
        put(&mut s, k.label_vi(), n);
    }
    section(&mut s, "Tổ chức đảng trực thuộc theo loại hình");
    for (c, n) in d.orgs_by_category() {
        put(&mut s, c.label_vi(), n);
    }
    s
}
