//! The holes of issue 22 §2 seen through the API: a member registered from records keeps the
//! admission date sent (and `PUT` takes it), a plain move to another ward's cell is refused
//! saying to use a transfer, and refusals name the request's fields in Vietnamese.

use crate::helpers::{TestApp, engines};
use reqwest::Method;
use serde_json::{Value, json};

async fn answer(r: reqwest::RequestBuilder) -> (u16, Value) {
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_recorded_party_dates_refuses_plain_moves_away_and_names_its_fields() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let i = app.ids;
        let t = app.token("quangninh", None, false).await;
        // Registered as already official, with the records' dates: kept, and PUT takes them.
        let new = json!({"profile": {"full_name": "Vũ Thị Hồ Sơ", "gender": "nu", "birth_date": "1960-03-01"},
                         "first_event": {"type": "registered_official", "date": "2020-02-01", "cell_id": i.cell_a1,
                                         "admitted_on": "1985-05-19", "official_on": "1986-05-19"}});
        let (status, m) = answer(app.api(Method::POST, "/members", &t).json(&new)).await;
        assert_eq!((status, m["admitted_on"].as_str(), m["official_on"].as_str()), (201, Some("1985-05-19"), Some("1986-05-19")), "{m}");
        let id = m["id"].as_i64().unwrap();
        let put = json!({"full_name": "Vũ Thị Hồ Sơ", "gender": "nu", "birth_date": "1960-03-01", "admitted_on": "1985-06-01"});
        let (status, m) = answer(app.api(Method::PUT, &format!("/members/{id}"), &t).header("If-Match", "*").json(&put)).await;
        assert_eq!((status, m["admitted_on"].as_str(), m["official_on"].as_str()), (200, Some("1985-06-01"), Some("1986-05-19")), "{m}");
        let late = json!({"profile": {"full_name": "Vũ Thị Muộn", "gender": "nu", "birth_date": "1960-03-01"},
                          "first_event": {"type": "registered_official", "date": "2020-02-01", "cell_id": i.cell_a1, "admitted_on": "2021-01-01"}});
        let (status, v) = answer(app.api(Method::POST, "/members", &t).json(&late)).await;
        assert_eq!((status, v["errors"][0]["field"].as_str()), (422, Some("first_event.date")), "{v}");

        // A plain move to a cell of another ward: refused, saying to use a transfer.
        let away = json!({"type": "moved", "date": "2024-01-02", "cell_id": i.cell_b1});
        let (status, v) = answer(app.api(Method::POST, &format!("/members/{}/events", i.thanh), &t).header("If-Match", "*").json(&away)).await;
        assert_eq!((status, v["errors"][0]["field"].as_str(), v["errors"][0]["code"].as_str()), (422, Some("cell_id"), Some("move_needs_transfer")), "{v}");
        assert!(v["errors"][0]["message"].as_str().unwrap().contains("chuyển sinh hoạt đảng (giấy giới thiệu"), "{v}");

        // Refusals name the request's fields: a letter's receiver and date, a case's
        // certificate date.
        let letter = json!({"kind": "permanent", "to_org_id": 999_999, "letter_no": "1-GGT", "letter_date": "2099-01-01", "fees_paid_through": "01/2026"});
        let (status, v) = answer(app.api(Method::POST, &format!("/members/{}/transfers", i.thanh), &t).header("If-Match", "*").json(&letter)).await;
        let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(status == 422 && fields.iter().all(|f| ["to_org_id", "letter_date"].contains(f)) && !fields.is_empty(), "{v}");
        let case = json!({"member_id": i.thanh, "certificate_no": "GCN-1", "certificate_date": "31/02/2024", "applied_on": "2025-01-10",
                          "introducer_ids": [i.hung, i.hoa], "known_since": ["2020-01-01", "2021-06-01"]});
        let (status, v) = answer(app.api(Method::POST, "/admissions", &t).json(&case)).await;
        assert_eq!((status, v["errors"][0]["field"].as_str()), (422, Some("certificate_date")), "{v}");
        // A body that does not fit: Vietnamese, the field named, no serde English.
        for (body, field) in [
            (json!({"type": "moved", "cell_id": i.cell_a2}), "date"),
            (json!({"type": "promoted", "date": "2024-01-02"}), "type"),
            (json!({"type": "moved", "date": "2024-01-02", "cell_id": "KP10"}), "cell_id"),
        ] {
            let (status, v) = answer(app.api(Method::POST, &format!("/members/{}/events", i.thanh), &t).header("If-Match", "*").json(&body)).await;
            let detail = v["detail"].as_str().unwrap();
            assert_eq!((status, v["errors"][0]["field"].as_str()), (422, Some(field)), "{v}");
            for english in ["missing field", "unknown variant", "invalid type", "expected", "Failed to deserialize"] {
                assert!(!detail.contains(english), "{detail}");
            }
        }
        app.stop().await;
    }
}
