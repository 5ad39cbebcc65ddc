//! Committees and their terms: each organization's terms, the seats of its committee's
//! bodies (a member in a position, elected or appointed, with its decision, its approval and
//! how it ended), concurrent posts outside the party (nhất thể hoá), each committee member's
//! duties and the organizations they are in charge of, and the working regulation of each
//! term. The rules of committees join every stored rule set, with the values known when this
//! migration was written (frozen here).

use super::m0001_initial::{big, big_null, date, date_null, fk, id, index, text, text_null, timestamp};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_committee"
    }
}

/// The rules of committees as known on 03/12/2026: a five-year term from the grassroots
/// committee up, a cell's term of 30 months (two congresses in five years; 60 in the pilot of
/// QĐ 294-QĐ/TW), a chi ủy of at most seven, and what a member's status does to their seats.
const COMMITTEE_RULES: &str = r#"{
  "term_months": 60,
  "cell_term_months": 30,
  "cell_term_months_pilot": 60,
  "cell_committee_max": 7,
  "seat_effects": [
    ["suspended", "suspend"],
    ["in_transit", "end"],
    ["transferred_out", "end"],
    ["struck_off", "end"],
    ["expelled", "end"],
    ["left", "end"],
    ["deceased", "end"]
  ],
  "appointed_may_be_outside": true,
  "congress_warning_months": 6,
  "regulation_due_months": 3,
  "regulation_max_bytes": 10485760
}"#;

fn boolean(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).boolean().not_null().to_owned()
}

fn int_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).integer().null().to_owned()
}

/// Rewrites every stored rule set that reads as a JSON object with `edit` applied.
pub(super) async fn rewrite_rules(m: &SchemaManager<'_>, edit: impl Fn(&mut serde_json::Map<String, serde_json::Value>)) -> Result<(), DbErr> {
    let c = m.get_connection();
    let rows = c.query_all(&Query::select().columns([Alias::new("effective_from"), Alias::new("body")]).from(Alias::new("rule_version")).to_owned()).await?;
    for r in rows {
        let body: String = r.try_get("", "body")?;
        let Ok(serde_json::Value::Object(mut map)) = serde_json::from_str::<serde_json::Value>(&body) else { continue };
        edit(&mut map);
        let from: chrono::NaiveDate = r.try_get("", "effective_from")?;
        let update = Query::update()
            .table(Alias::new("rule_version"))
            .value(Alias::new("body"), serde_json::Value::Object(map).to_string())
            .and_where(Expr::col(Alias::new("effective_from")).eq(from))
            .to_owned();
        m.exec_stmt(update).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("committee_term"))
                .col(id("id"))
                .col(big("org_id"))
                .col(text("label"))
                .col(date("starts_on"))
                .col(date("planned_end"))
                .col(date_null("ended_on"))
                .col(boolean("pilot"))
                .col(int_null("planned_size"))
                .col(boolean("village_head_expected"))
                .col(big_null("congress_id"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("committee_term", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_committee_term_org", "committee_term", &["org_id", "starts_on"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("committee_seat"))
                .col(id("id"))
                .col(big("term_id"))
                .col(big("member_id"))
                .col(text("position"))
                .col(text("basis"))
                .col(date("from_on"))
                .col(date_null("until_on"))
                .col(text_null("end_reason"))
                .col(text_null("decision_no"))
                .col(date_null("approved_on"))
                .col(text_null("approval_no"))
                .col(text_null("note"))
                // The day the holder's life ended the seat and the status that did (NULL:
                // moved out of the organization), kept by the store as events are recorded.
                .col(date_null("left_on"))
                .col(text_null("left_status"))
                // The earlier of until_on and left_on: the seat is held on D when
                // from_on <= D < ends_on (or ends_on is NULL).
                .col(date_null("ends_on"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("committee_seat", "term_id", "committee_term"))
                .foreign_key(&mut fk("committee_seat", "member_id", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_committee_seat_term", "committee_seat", &["term_id", "position"], false)).await?;
        m.create_index(index("ix_committee_seat_member", "committee_seat", &["member_id"], false)).await?;
        m.create_index(index("ix_committee_seat_position", "committee_seat", &["position", "from_on"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("concurrent_post"))
                .col(id("id"))
                .col(big("member_id"))
                .col(text("kind"))
                .col(text("place"))
                .col(date("from_on"))
                .col(date_null("until_on"))
                .col(text_null("note"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("concurrent_post", "member_id", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_concurrent_post_member", "concurrent_post", &["member_id", "kind"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("duty"))
                .col(id("id"))
                .col(big("seat_id"))
                .col(text("field"))
                .col(text_null("body"))
                .col(date("from_on"))
                .col(date_null("until_on"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("duty", "seat_id", "committee_seat"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_duty_seat", "duty", &["seat_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(Alias::new("duty_org"))
                .col(big("duty_id"))
                .col(big("org_id"))
                .primary_key(Index::create().col(Alias::new("duty_id")).col(Alias::new("org_id")))
                .foreign_key(&mut fk("duty_org", "duty_id", "duty"))
                .foreign_key(&mut fk("duty_org", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_duty_org_org", "duty_org", &["org_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("work_regulation"))
                .col(id("id"))
                .col(big("term_id"))
                .col(ColumnDef::new(Alias::new("revision")).integer().not_null())
                .col(date("adopted_on"))
                .col(text("decision_no"))
                .col(text_null("body"))
                .col(text_null("file_name"))
                .col(text_null("file_type"))
                .col(big_null("file_size"))
                .col(ColumnDef::new(Alias::new("file")).blob().null())
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .col(big("version"))
                .foreign_key(&mut fk("work_regulation", "term_id", "committee_term"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_work_regulation_term", "work_regulation", &["term_id", "revision"], false)).await?;

        let rules: serde_json::Value = serde_json::from_str(COMMITTEE_RULES).map_err(|e| DbErr::Custom(e.to_string()))?;
        rewrite_rules(m, |map| {
            map.entry("committee").or_insert_with(|| rules.clone());
        })
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rewrite_rules(m, |map| {
            map.remove("committee");
        })
        .await?;
        for t in ["work_regulation", "duty_org", "duty", "concurrent_post", "committee_seat", "committee_term"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
