//! Many API writers at once, on both engines: each waits its turn for the database, and two
//! edits of one version give one 200 and one 412, never a 500.

use crate::helpers::{TestApp, engines};
use chibo_domain::member::{MemberChange, MemberEvent, MemberInput, MemberStatus};
use reqwest::Method;
use serde_json::json;

const GIVEN: [&str; 15] = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Khánh", "Long", "Minh", "Nga", "Phúc", "Quang", "Sơn", "Tâm"];

fn profile(name: &str) -> serde_json::Value {
    json!({"full_name": name, "gender": "nam", "birth_date": "1980-01-01", "occupation": "Kỹ sư"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_api_writers_all_succeed_and_a_stale_pair_gives_one_412() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let s = app.db.store.operator("t");
        let mut members = vec![app.ids.thanh, app.ids.hung, app.ids.hoa, app.ids.nam];
        for given in GIVEN.iter().chain(&["Yến"]) {
            let p = MemberInput { full_name: format!("Đỗ Văn {given}"), gender: "nam".into(), birth_date: "01/01/1980".into(), ..Default::default() }
                .validate(chibo_domain::calendar::Clock::system().today())
                .unwrap();
            let ev = MemberEvent {
                on: chrono::NaiveDate::from_ymd_opt(2010, 5, 19).unwrap(),
                change: MemberChange::Registered { cell: app.ids.cell_a1, status: MemberStatus::Official },
            };
            members.push(s.create_member(p, ev, None).await.unwrap().id);
        }
        assert_eq!(members.len(), 20);
        let token = app.token("admin", None, false).await;
        let writes: Vec<_> = members
            .iter()
            .map(|&id| {
                let req = app.api(Method::PUT, &format!("/members/{id}"), &token).header("If-Match", "\"1\"").json(&profile("Vũ Văn Người"));
                tokio::spawn(async move { req.send().await.unwrap().status().as_u16() })
            })
            .collect();
        for (w, id) in writes.into_iter().zip(&members) {
            assert_eq!(w.await.unwrap(), 200, "member {id}");
        }
        for &id in &members {
            assert_eq!(s.member(id).await.unwrap().version, 2);
        }
        // Two clients with the same If-Match, ten times over: exactly one 200 and one 412.
        let url = format!("/members/{}", app.ids.thanh);
        for version in 2..12 {
            let pair: Vec<_> = ["Nguyễn Văn Thành", "Nguyễn Văn Thanh"]
                .into_iter()
                .map(|name| {
                    let req = app.api(Method::PUT, &url, &token).header("If-Match", format!("\"{version}\"")).json(&profile(name));
                    tokio::spawn(async move { req.send().await.unwrap().status().as_u16() })
                })
                .collect();
            let mut statuses = Vec::new();
            for w in pair {
                statuses.push(w.await.unwrap());
            }
            statuses.sort();
            assert_eq!(statuses, vec![200, 412], "version {version}");
        }
        assert_eq!(s.member(app.ids.thanh).await.unwrap().version, 12);
        app.stop().await;
    }
}
