//! Meetings on both engines, pages and API: the secretary of Chi bộ khu phố 3 plans a regular
//! meeting, notifies it (it shows on a member's own page), records the attendance (an excused
//! absence needs its reason, beside its line), the minutes (votes above the official members
//! present refused beside their field, a stale form refused), signs and prints them; an
//! amendment stays beside the signed minutes; only the level above rates; another cell's
//! secretary gets "not found"; the API walks the same steps with If-Match.

use crate::helpers::{TestApp, engines};
use chibo_domain::calendar::format_date;
use chibo_domain::member::{MemberChange, MemberEvent, MemberInput, MemberStatus};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

/// Five more official members and one probationary in Chi bộ khu phố 3 (with Thành and Lan:
/// seven convened, six of them official). Returns (name, id) of every member of the cell.
pub async fn fill_cell(app: &TestApp) -> Vec<(String, i64)> {
    let s = app.db.store.operator("test");
    let cell = app.ids.cell_a1;
    let mut out = vec![("Nguyễn Văn Thành".to_owned(), app.ids.thanh)];
    let filter = chibo_store::member::MemberFilter { query: Some("tran thi lan".into()), ..Default::default() };
    out.push(("Trần Thị Lan".to_owned(), s.list_members(cell, &filter, 0, 1).await.unwrap().items[0].id));
    let people = [
        ("Phạm Văn Bình", MemberStatus::Official),
        ("Đỗ Thị Cúc", MemberStatus::Official),
        ("Vũ Văn Dũng", MemberStatus::Official),
        ("Hoàng Thị Hà", MemberStatus::Official),
        ("Bùi Văn Khải", MemberStatus::Probationary),
    ];
    for (name, status) in people {
        let p = MemberInput { full_name: name.into(), gender: "nam".into(), birth_date: "01/01/1970".into(), ..Default::default() }.validate(today()).unwrap();
        let on = NaiveDate::from_ymd_opt(2015, 3, 1).unwrap();
        let ev = MemberEvent { on, change: MemberChange::Registered { cell, status } };
        out.push((name.to_owned(), s.create_member(p, ev, Some("5-QĐ/ĐU")).await.unwrap().id));
    }
    out
}

fn id_of(name: &str, people: &[(String, i64)]) -> i64 {
    people.iter().find(|(n, _)| n == name).unwrap().1
}

async fn page(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(&url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(c: &reqwest::Client, url: String, form: &[(&str, String)]) -> (u16, String, String) {
    let r = c.post(&url).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

/// The version hidden in a form.
fn version(html: &str) -> String {
    crate::helpers::hidden(html, "version")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_records_a_meeting_from_its_plan_to_its_printed_minutes() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let people = fill_cell(&app).await;
        let cell = app.ids.cell_a1;
        let c = app.login("bithu.kp3").await;
        let csrf = app.csrf(&c).await;
        let (status, list) = page(&c, format!("{}/orgs/{cell}/meetings", app.base)).await;
        assert_eq!(status, 200);
        assert!(list.contains("Lên lịch sinh hoạt") && list.contains("Chưa có cuộc họp nào."), "{list}");
        let (_, org) = page(&c, format!("{}/orgs/{cell}", app.base)).await;
        assert!(org.contains(&format!("href=\"/orgs/{cell}/meetings\"")), "the organization page links to its meetings");

        // A plan with a wrong day and time: each error beside its field, nothing saved.
        let url = format!("{}/orgs/{cell}/meetings/new", app.base);
        let plan = |day: &str, time: &str| {
            vec![
                ("_csrf", csrf.clone()),
                ("version", "0".into()),
                ("meeting_kind", "thuong_ky".into()),
                ("held_on", day.to_owned()),
                ("starts_at", time.to_owned()),
                ("place", "Nhà văn hóa khu phố 3".into()),
                ("documents", "Nghị quyết số 05-NQ/ĐU".into()),
            ]
        };
        let (status, _, form) = post(&c, url.clone(), &plan("31/02/2026", "25:00")).await;
        assert_eq!(status, 200);
        assert!(form.contains("id=\"e-held_on\"") && form.contains("id=\"e-starts_at\""), "{form}");
        assert!(form.contains("Nhà văn hóa khu phố 3"), "what was typed is kept");
        let (status, location, _) = post(&c, url, &plan(&format_date(today()), "19h30")).await;
        assert_eq!(status, 303);
        assert!(location.ends_with("?saved=plan"), "{location}");
        let id: i64 = location.trim_start_matches("/meetings/").split('?').next().unwrap().parse().unwrap();
        let (_, show) = page(&c, format!("{}{location}", app.base)).await;
        assert!(show.contains("Đã lên lịch sinh hoạt thường kỳ ngày") && show.contains("tại Nhà văn hóa khu phố 3"), "{show}");
        assert!(show.contains("Thông báo cho đảng viên") && show.contains("19:30"));

        // Notified: Thành sees it on his own page.
        let (status, location, _) = post(&c, format!("{}/meetings/{id}/notify", app.base), &[("_csrf", csrf.clone()), ("version", version(&show))]).await;
        assert_eq!((status, location.as_str()), (303, format!("/meetings/{id}?saved=notify").as_str()));
        let (_, show) = page(&c, format!("{}{location}", app.base)).await;
        assert!(show.contains("Đã thông báo cuộc họp cho 7 đảng viên"), "{show}");
        let thanh = app.login("thanh").await;
        let (_, me) = page(&thanh, format!("{}/me", app.base)).await;
        assert!(me.contains("Lịch sinh hoạt sắp tới") && me.contains(&format!("Sinh hoạt thường kỳ ngày {}, 19:30", format_date(today()))), "{me}");
        assert!(!me.contains(&format!("/meetings/{id}")), "a member cannot open the meeting's page");
        let (_, member) = page(&c, format!("{}/members/{}", app.base, app.ids.thanh)).await;
        assert!(member.contains("Lịch sinh hoạt sắp tới") && member.contains(&format!("href=\"/meetings/{id}\"")));

        // Attendance: everyone present at first; an excused absence without its reason is
        // refused beside its line.
        let (_, att) = page(&c, format!("{}/meetings/{id}/attendance", app.base)).await;
        assert!(att.contains("Có mặt 7/7 — đủ số lượng, cần 4"), "{att}");
        let (lan, cuc, dung) = (id_of("Trần Thị Lan", &people), id_of("Đỗ Thị Cúc", &people), id_of("Vũ Văn Dũng", &people));
        let mut form = vec![("_csrf", csrf.clone()), ("version", version(&att))];
        let (p_lan, p_cuc, p_dung) = (format!("presence_{lan}"), format!("presence_{cuc}"), format!("presence_{dung}"));
        let (r_lan, r_cuc) = (format!("reason_{lan}"), format!("reason_{cuc}"));
        form.push((&p_lan, "vang_co_ly_do".into()));
        form.push((&p_cuc, "vang_co_ly_do".into()));
        form.push((&r_cuc, "Đi công tác".into()));
        form.push((&p_dung, "vang_khong_ly_do".into()));
        let (status, _, refused) = post(&c, format!("{}/meetings/{id}/attendance", app.base), &form).await;
        assert_eq!(status, 200);
        assert!(refused.contains(&format!("id=\"f-presence_{lan}\"")) && refused.contains("không được để trống"), "{refused}");
        assert!(refused.contains("Có mặt 4/7 — đủ số lượng, cần 4"), "the counts as tapped: {refused}");
        // The counts as htmx asks for them while tapping.
        let (_, counts) = page(&c, format!("{}/meetings/{id}/counts?{p_lan}=vang_khong_ly_do&{p_dung}=vang_khong_ly_do&{p_cuc}=den_muon", app.base)).await;
        assert!(counts.contains("Có mặt 5/7 — đủ số lượng, cần 4") && counts.contains("Đến muộn 1"), "{counts}");
        form.push((&r_lan, "Ốm".into()));
        let (status, location, _) = post(&c, format!("{}/meetings/{id}/attendance", app.base), &form).await;
        assert_eq!(status, 303);
        let (_, show) = page(&c, format!("{}{location}", app.base)).await;
        assert!(show.contains("Đã lưu điểm danh: Có mặt 4/7 — đủ số lượng, cần 4."), "{show}");
        assert!(show.contains("Vắng có lý do</span>: Ốm") && show.contains("Vắng không lý do"), "{show}");

        // Minutes: the rules' agenda prefilled; too many votes refused beside the field.
        let (_, minutes) = page(&c, format!("{}/meetings/{id}/minutes", app.base)).await;
        assert!(minutes.contains("Đánh giá kết quả thực hiện nhiệm vụ tháng trước") && minutes.contains("Thu, nộp đảng phí"), "{minutes}");
        assert!(
            minutes.contains("Biểu quyết trên cơ sở 6 đảng viên chính thức của chi bộ; thông qua khi có từ 4 phiếu tán thành; 3 đảng viên chính thức có mặt"),
            "{minutes}"
        );
        let thanh_id = app.ids.thanh.to_string();
        let binh = id_of("Phạm Văn Bình", &people).to_string();
        let minutes_form = |votes_for: &str, v: String| {
            vec![
                ("_csrf", csrf.clone()),
                ("version", v),
                ("items.1.title", "Đánh giá kết quả tháng trước".into()),
                ("items.1.report", "Chi bộ hoàn thành các chỉ tiêu.".into()),
                ("items.1.opinions", "Phạm Văn Bình: Đồng ý với báo cáo\nNguyễn Văn Thành: Cần bổ sung số liệu".into()),
                ("items.1.conclusion", "Thống nhất báo cáo.".into()),
                ("items.2.title", "Thông tin thời sự".into()),
                ("items.3.title", "Học tập và làm theo Bác".into()),
                ("items.4.title", "Nhiệm vụ tháng tới".into()),
                ("items.4.vote_subject", "Thông qua nghị quyết tháng".into()),
                ("items.4.votes_for", votes_for.into()),
                ("items.4.votes_against", "0".into()),
                ("items.5.title", String::new()),
                ("chair", thanh_id.clone()),
                ("minutes_secretary", binh.clone()),
                ("resolution_no", "12-NQ/CB".into()),
                ("resolution", "Chi bộ thống nhất nhiệm vụ tháng tới.".into()),
            ]
        };
        let (status, _, refused) = post(&c, format!("{}/meetings/{id}/minutes", app.base), &minutes_form("5", version(&minutes))).await;
        assert_eq!(status, 200);
        assert!(refused.contains("tổng số phiếu (5) nhiều hơn số đảng viên chính thức có mặt (3)"), "{refused}");
        assert!(refused.contains("Học tập và làm theo Bác"), "what was typed is kept");
        let old = version(&minutes);
        let (status, location, _) = post(&c, format!("{}/meetings/{id}/minutes", app.base), &minutes_form("3", old.clone())).await;
        assert_eq!(status, 303, "{location}");
        let (_, show) = page(&c, format!("{}{location}", app.base)).await;
        assert!(show.contains("Đã lưu biên bản: 4 nội dung."), "{show}");
        assert!(show.contains("Thông qua nghị quyết tháng: tán thành 3/6, không tán thành 0, không biểu quyết 0 — không thông qua (cần 4)"), "{show}");
        // The same form sent again from the old page: refused as stale.
        let (status, _, stale) = post(&c, format!("{}/meetings/{id}/minutes", app.base), &minutes_form("3", old)).await;
        assert_eq!(status, 200);
        assert!(stale.contains("bản ghi đã được người khác sửa sau khi bạn mở"), "{stale}");

        // Signed; the print page in the standard layout.
        let (status, location, _) =
            post(&c, format!("{}/meetings/{id}/sign", app.base), &[("_csrf", csrf.clone()), ("version", version(&show)), ("signed_on", format_date(today()))])
                .await;
        assert_eq!(status, 303);
        let (_, show) = page(&c, format!("{}{location}", app.base)).await;
        assert!(show.contains(&format!("Đã ký biên bản ngày {}.", format_date(today()))) && show.contains("Ghi đính chính"));
        assert!(!show.contains("Đánh giá chất lượng"), "a cell's secretary does not rate her own cell");
        let (status, print) = page(&c, format!("{}/meetings/{id}/print", app.base)).await;
        assert_eq!(status, 200);
        for text in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "ĐẢNG BỘ PHƯỜNG CỬA ÔNG",
            "CHI BỘ KHU PHỐ 3",
            "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ",
            "Tổng số đảng viên được triệu tập: 7 đồng chí.",
            "Đồng chí Trần Thị Lan — vắng có lý do: Ốm",
            "Đồng chí Vũ Văn Dũng — vắng không lý do",
            "Chủ trì: đồng chí <strong>Nguyễn Văn Thành</strong>",
            "T/M CHI BỘ",
            "THƯ KÝ",
            "NGHỊ QUYẾT SỐ 12-NQ/CB",
        ] {
            assert!(print.contains(text), "{text} in {print}");
        }
        let (status, notice) = page(&c, format!("{}/meetings/{id}/notice", app.base)).await;
        assert_eq!(status, 200);
        assert!(notice.contains("THÔNG BÁO") && notice.contains("Nhà văn hóa khu phố 3"));

        // Minutes signed change only by an amendment, shown beside them.
        let (_, minutes) = page(&c, format!("{}/meetings/{id}/minutes", app.base)).await;
        let (status, _, refused) = post(&c, format!("{}/meetings/{id}/minutes", app.base), &minutes_form("3", version(&minutes))).await;
        assert_eq!(status, 200);
        assert!(refused.contains("hãy ghi đính chính"), "{refused}");
        let (_, amend) = page(&c, format!("{}/meetings/{id}/amend", app.base)).await;
        let (status, location, _) = post(
            &c,
            format!("{}/meetings/{id}/amend", app.base),
            &[("_csrf", csrf.clone()), ("version", version(&amend)), ("amendment", "Số phiếu tán thành là 3, không phải 4.".into())],
        )
        .await;
        assert_eq!(status, 303);
        let (_, show) = page(&c, format!("{}{location}", app.base)).await;
        assert!(show.contains("Đã lưu đính chính; biên bản đã ký giữ nguyên.") && show.contains("Số phiếu tán thành là 3, không phải 4."));

        // The level above rates; the figure of the month counts the cell.
        let admin = app.login("quangninh").await;
        let (_, show) = page(&admin, format!("{}/meetings/{id}", app.base)).await;
        assert!(show.contains(&format!("/meetings/{id}/rate")));
        let admin_csrf = app.csrf(&admin).await;
        let (_, rate) = page(&admin, format!("{}/meetings/{id}/rate", app.base)).await;
        let (status, location, _) =
            post(&admin, format!("{}/meetings/{id}/rate", app.base), &[("_csrf", admin_csrf), ("version", version(&rate)), ("quality", "tot".into())]).await;
        assert_eq!(status, 303);
        let (_, show) = page(&admin, format!("{}{location}", app.base)).await;
        assert!(show.contains("Đã lưu đánh giá chất lượng: Tốt."));
        let (_, stats) = page(&admin, format!("{}/orgs/{}/stats", app.base, app.ids.ward_a)).await;
        assert!(stats.contains("Chi bộ đã sinh hoạt thường kỳ tháng"), "the meeting figures on the dashboard");
        let (_, list) = page(&admin, format!("{}/orgs/{}/meetings/attendance?on={}&repeated=1", app.base, app.ids.ward_a, format_date(today()))).await;
        assert!(list.contains("0 kết quả"), "{list}");
        let (_, csv) = page(&admin, format!("{}/orgs/{cell}/meetings/export?format=csv", app.base)).await;
        assert!(csv.contains("Sinh hoạt thường kỳ") && csv.contains("12-NQ/CB"), "{csv}");

        // Another cell's meeting is not found for this secretary.
        let other = app.db.store.operator("t");
        let plan = chibo_domain::meeting::command::PlanInput { kind: "thuong_ky".into(), held_on: format_date(today()), ..Default::default() };
        let theirs = other.plan_meeting(app.ids.cell_b1, plan.validate(chibo_domain::org::OrgKind::Cell, today()).unwrap()).await.unwrap();
        for path in [format!("/meetings/{}", theirs.id), format!("/meetings/{}/attendance", theirs.id), format!("/meetings/{}/print", theirs.id)] {
            let (status, body) = page(&c, format!("{}{path}", app.base)).await;
            assert_eq!(status, 404, "{path}");
            assert!(body.contains("Không tìm thấy"));
        }
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_walks_a_meeting_with_if_match_and_refuses_in_vietnamese() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let people = fill_cell(&app).await;
        let cell = app.ids.cell_a1;
        let token = app.token("bithu.kp3", None, false).await;
        let api = |m: reqwest::Method, p: &str| app.api(m, p, &token);
        use reqwest::Method;
        let r = api(Method::POST, &format!("/orgs/{cell}/meetings"))
            .json(&serde_json::json!({"kind": "thuong_ky", "held_on": today().to_string(), "starts_at": "19:30", "place": "Nhà văn hóa"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        let m: serde_json::Value = r.json().await.unwrap();
        let id = m["id"].as_i64().unwrap();
        assert_eq!((m["state"].as_str(), m["starts_at"].as_str()), (Some("planned"), Some("19:30")));
        // A thematic meeting without a topic: 422 naming the field, in Vietnamese.
        let r = api(Method::POST, &format!("/orgs/{cell}/meetings"))
            .json(&serde_json::json!({"kind": "chuyen_de", "held_on": today().to_string()}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let p: serde_json::Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "topic");
        // Notify: If-Match required, a stale one refused.
        let notify = format!("/meetings/{id}/notify");
        assert_eq!(api(Method::POST, &notify).send().await.unwrap().status(), 428);
        assert_eq!(api(Method::POST, &notify).header("If-Match", "\"99\"").send().await.unwrap().status(), 412);
        let r = api(Method::POST, &notify).header("If-Match", &etag).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        // Twice is a refusal of the meeting's state.
        let r = api(Method::POST, &notify).header("If-Match", &etag).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let p: serde_json::Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "meeting");
        // Attendance and minutes.
        let lan = id_of("Trần Thị Lan", &people);
        let body = serde_json::json!({"lines": [{"member_id": lan, "presence": "vang_co_ly_do", "reason": "Ốm"}], "guests": ["Nguyễn Văn Khách — Bí thư Đoàn phường"]});
        let r = api(Method::PUT, &format!("/meetings/{id}/attendance")).header("If-Match", &etag).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        let rec: serde_json::Value = r.json().await.unwrap();
        assert_eq!(
            (rec["counts"]["convened"].as_i64(), rec["counts"]["present"].as_i64(), rec["counts"]["others_present"].as_i64()),
            (Some(7), Some(6), Some(1))
        );
        assert_eq!(rec["meeting"]["state"], "held");
        let minutes = serde_json::json!({
            "items": [{"title": "Nhiệm vụ tháng tới", "opinions": ["Phạm Văn Bình: Đồng ý"], "vote": {"votes_for": 5, "votes_against": 0}}],
            "chair_id": app.ids.thanh, "secretary_id": id_of("Phạm Văn Bình", &people), "resolution_no": "1-NQ/CB"
        });
        let r = api(Method::PUT, &format!("/meetings/{id}/minutes")).header("If-Match", &etag).json(&minutes).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        let rec: serde_json::Value = r.json().await.unwrap();
        assert_eq!((rec["items"][0]["votes"][0]["base"].as_i64(), rec["votes_needed"].as_i64()), (Some(6), Some(4)));
        assert_eq!(rec["items"][0]["opinions"][0]["member_id"].as_i64(), Some(id_of("Phạm Văn Bình", &people)));
        let r = api(Method::POST, &format!("/meetings/{id}/sign")).header("If-Match", &etag).json(&serde_json::json!({})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        // Signed minutes are not rewritten; an amendment is kept beside them.
        let r = api(Method::PUT, &format!("/meetings/{id}/minutes")).header("If-Match", &etag).json(&minutes).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let r = api(Method::POST, &format!("/meetings/{id}/amendments"))
            .header("If-Match", &etag)
            .json(&serde_json::json!({"text": "Bổ sung ý kiến."}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        // The cell may not rate itself.
        let r =
            api(Method::POST, &format!("/meetings/{id}/rating")).header("If-Match", &etag).json(&serde_json::json!({"quality": "tot"})).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let got: serde_json::Value = api(Method::GET, &format!("/meetings/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!((got["meeting"]["state"].as_str(), got["amendments"].as_array().map(Vec::len)), (Some("signed"), Some(1)));
        let list: serde_json::Value = api(Method::GET, &format!("/orgs/{cell}/meetings")).send().await.unwrap().json().await.unwrap();
        assert_eq!((list["total"].as_i64(), list["items"][0]["present"].as_i64()), (Some(1), Some(6)));
        let att: serde_json::Value = api(Method::GET, &format!("/orgs/{cell}/meetings/attendance?list=attended")).send().await.unwrap().json().await.unwrap();
        assert_eq!(att["total"].as_i64(), Some(6), "{att}");
        // Out of scope: another cell's secretary's token does not find it.
        let viewer = app.token("campha", None, true).await;
        assert_eq!(app.api(Method::GET, &format!("/meetings/{id}"), &viewer).send().await.unwrap().status(), 200);
        assert_eq!(app.api(Method::POST, &notify, &viewer).header("If-Match", "*").send().await.unwrap().status(), 403);
        let other = app.token("admin", Some(app.ids.cell_b1), true).await;
        assert_eq!(app.api(Method::GET, &format!("/meetings/{id}"), &other).send().await.unwrap().status(), 404);
        app.stop().await;
    }
}
