//! chibo-gen: the demo scenario reproduced from the source articles (Quảng Ninh) and
//! synthetic national data, loaded in bulk.
//!
//! Everything is deterministic for a given seed: the same seed gives the same organizations,
//! people and dates on both engines.

pub mod committee;
pub mod demo;
pub mod life;
pub mod meeting;
pub mod names;
pub mod people;
pub mod places;
pub mod reform;
pub mod scale;

pub use demo::load_demo;
pub use scale::{Scale, load_scale};

/// The seeded rules with the committees' and meetings' parts, for the generator's tests.
#[cfg(test)]
pub(crate) fn test_book() -> chibo_domain::rules::RuleBook {
    let mut v: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../store/src/migration/m0005_rules.json")).unwrap();
    v[0]["temporary_transfer_min_months"] = 3.into();
    v[0]["committee"] = serde_json::json!({
        "term_months": 60, "cell_term_months": 30, "cell_term_months_pilot": 60, "cell_committee_max": 7,
        "seat_effects": [["suspended", "suspend"], ["in_transit", "end"], ["transferred_out", "end"], ["deceased", "end"]],
        "appointed_may_be_outside": true, "congress_warning_months": 6, "regulation_due_months": 3, "regulation_max_bytes": 1000
    });
    v[0]["meeting"] = serde_json::json!({
        "regular_due_day": 10, "notice_days_before": 5, "minutes_within_days": 7, "thematic_per_quarter": 1,
        "quorum_more_than": {"num": 1, "den": 2}, "vote_more_than": {"num": 1, "den": 2}, "exempt_in_base": false,
        "absences_strike_off": 3, "absences_running": 2, "invite_in_charge": true, "invite_residents": true,
        "regular_agenda": ["Kết quả tháng trước", "Thời sự", "Học tập", "Nhiệm vụ tháng tới"],
        "thematic_agenda": ["Báo cáo chuyên đề", "Kết luận"], "other_agenda": ["Nội dung"], "quality_criteria": []
    });
    chibo_domain::rules::RuleBook::from_json(&serde_json::to_string(&v).unwrap()).unwrap()
}
