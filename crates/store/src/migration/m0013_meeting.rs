//! Meetings: a cell's monthly meetings and the meetings of committees, with their attendance,
//! agenda items and minutes (opinions, conclusions, votes), the amendments of signed minutes.
//! The rules of meetings join every stored rule set, with the values known when this
//! migration was written (frozen here).

use super::m0001_initial::{big, big_null, date, date_null, fk, id, index, text, text_null, timestamp};
use super::m0012_committee::{boolean, rewrite_rules};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_meeting"
    }
}

/// The rules of meetings as known on 04/12/2026 (Điều lệ Đảng; Hướng dẫn 12-HD/BTCTW on the
/// content of cell meetings; Quy định 213-QĐ/TW): a regular meeting every month, a thematic
/// one at least once a quarter, valid with more than half of the members convened, motions
/// passed by more than half of the official members; three absences without reason in a
/// year are grounds the Statute names for striking off.
const MEETING_RULES: &str = r#"{
  "regular_due_day": 10,
  "notice_days_before": 5,
  "minutes_within_days": 7,
  "thematic_per_quarter": 1,
  "quorum_more_than": {"num": 1, "den": 2},
  "vote_more_than": {"num": 1, "den": 2},
  "exempt_in_base": false,
  "absences_strike_off": 3,
  "absences_running": 2,
  "invite_in_charge": true,
  "invite_residents": true,
  "regular_agenda": [
    "Đánh giá kết quả thực hiện nhiệm vụ tháng trước",
    "Thông tin thời sự, phổ biến văn bản mới của cấp trên",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Phương hướng, nhiệm vụ tháng tới",
    "Thu, nộp đảng phí",
    "Công tác phát triển đảng viên và các vấn đề về nhân sự"
  ],
  "thematic_agenda": [
    "Báo cáo chuyên đề",
    "Thảo luận, liên hệ thực tiễn của chi bộ",
    "Kết luận, biện pháp thực hiện"
  ],
  "other_agenda": [
    "Nội dung cuộc họp",
    "Kết luận"
  ],
  "quality_criteria": [
    "Chuẩn bị nội dung, tài liệu và thông báo trước cho đảng viên",
    "Tỉ lệ đảng viên dự họp, đúng giờ",
    "Nội dung thiết thực, bám sát nhiệm vụ chính trị của chi bộ",
    "Đảng viên phát biểu, phê bình và tự phê bình",
    "Nghị quyết, kết luận rõ việc, rõ người, rõ thời hạn"
  ]
}"#;

fn int(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).integer().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("meeting"))
                .col(id("id"))
                .col(big("org_id"))
                .col(text("kind"))
                .col(date("held_on"))
                // yyyymm of held_on: the month a meeting counts for, compared as a number on
                // both engines.
                .col(int("month"))
                .col(text_null("starts_at"))
                .col(text_null("place"))
                .col(text_null("topic"))
                .col(text_null("documents"))
                .col(text("state"))
                .col(date_null("notified_on"))
                .col(text_null("cancel_reason"))
                .col(big_null("chair_id"))
                .col(text_null("chair_name"))
                .col(big_null("secretary_id"))
                .col(text_null("secretary_name"))
                .col(date_null("signed_on"))
                .col(text_null("resolution_no"))
                .col(text_null("resolution"))
                .col(text_null("quality"))
                .col(text_null("quality_note"))
                .col(date_null("rated_on"))
                .col(text_null("rated_by"))
                // The attendance's counts as last recorded (lists and figures read them).
                .col(int("convened"))
                .col(int("present"))
                .col(int("excused"))
                .col(int("absent"))
                .col(boolean("upper_attended"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("meeting", "org_id", "org"))
                .foreign_key(&mut fk("meeting", "chair_id", "member"))
                .foreign_key(&mut fk("meeting", "secretary_id", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_meeting_org", "meeting", &["org_id", "held_on"], false)).await?;
        m.create_index(index("ix_meeting_state", "meeting", &["state", "held_on"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("meeting_attendee"))
                .col(id("id"))
                .col(big("meeting_id"))
                .col(int("position"))
                .col(big_null("member_id"))
                // A guest's name; for a member, the name as it stood when written by hand
                // (NULL from a bulk load: the member's name is read then).
                .col(text_null("name"))
                .col(text("role"))
                .col(text("presence"))
                .col(text_null("reason"))
                .foreign_key(&mut fk("meeting_attendee", "meeting_id", "meeting"))
                .foreign_key(&mut fk("meeting_attendee", "member_id", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_meeting_attendee_meeting", "meeting_attendee", &["meeting_id", "position"], false)).await?;
        m.create_index(index("ix_meeting_attendee_member", "meeting_attendee", &["member_id", "meeting_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("meeting_item"))
                .col(id("id"))
                .col(big("meeting_id"))
                .col(int("position"))
                .col(text("title"))
                .col(text_null("report"))
                .col(text_null("conclusion"))
                .foreign_key(&mut fk("meeting_item", "meeting_id", "meeting"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_meeting_item_meeting", "meeting_item", &["meeting_id", "position"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("meeting_opinion"))
                .col(id("id"))
                .col(big("item_id"))
                .col(int("position"))
                .col(big_null("member_id"))
                .col(text("speaker"))
                .col(text("said"))
                .foreign_key(&mut fk("meeting_opinion", "item_id", "meeting_item"))
                .foreign_key(&mut fk("meeting_opinion", "member_id", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_meeting_opinion_item", "meeting_opinion", &["item_id", "position"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("meeting_vote"))
                .col(id("id"))
                .col(big("item_id"))
                .col(text("subject"))
                .col(int("votes_for"))
                .col(int("votes_against"))
                .col(int("abstain"))
                .col(int("base"))
                .col(boolean("passed"))
                .foreign_key(&mut fk("meeting_vote", "item_id", "meeting_item"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_meeting_vote_item", "meeting_vote", &["item_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("meeting_amendment"))
                .col(id("id"))
                .col(big("meeting_id"))
                .col(date("made_on"))
                .col(text("body"))
                .col(text("made_by"))
                .col(timestamp("recorded_at"))
                .foreign_key(&mut fk("meeting_amendment", "meeting_id", "meeting"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_meeting_amendment_meeting", "meeting_amendment", &["meeting_id"], false)).await?;

        let rules: serde_json::Value = serde_json::from_str(MEETING_RULES).map_err(|e| DbErr::Custom(e.to_string()))?;
        rewrite_rules(m, |map| {
            map.entry("meeting").or_insert_with(|| rules.clone());
        })
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rewrite_rules(m, |map| {
            map.remove("meeting");
        })
        .await?;
        for t in ["meeting_amendment", "meeting_vote", "meeting_opinion", "meeting_item", "meeting_attendee", "meeting"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
