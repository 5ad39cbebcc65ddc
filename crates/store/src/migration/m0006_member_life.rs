//! A member's life beyond single events: admission cases with their steps, transfer letters
//! with their answers, the residence-cell links of QĐ 213 with their yearly comments, and the
//! issuing committee of each event's decision and the end of a pause (exemption) it sets.

use super::m0001_initial::{big, big_null, date, date_null, fk, id, index, text, text_null, timestamp};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_member_life"
    }
}

fn int_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).integer().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Alias::new("member_event")).add_column(text_null("issued_by")).to_owned()).await?;
        m.alter_table(Table::alter().table(Alias::new("member_event")).add_column(date_null("until_on")).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("admission"))
                .col(id("id"))
                .col(big("member_id"))
                .col(big("cell_id"))
                .col(text("certificate_no"))
                .col(date("certificate_on"))
                .col(date("applied_on"))
                .col(date_null("background_on"))
                .col(date_null("vetted_on"))
                .col(big("introducer_1"))
                .col(big("introducer_2"))
                .col(date("known_since_1"))
                .col(date("known_since_2"))
                .col(text_null("workplace_1"))
                .col(text_null("workplace_2"))
                .col(date_null("vote_on"))
                .col(int_null("vote_for"))
                .col(int_null("vote_against"))
                .col(int_null("vote_total"))
                .col(text_null("decision_no"))
                .col(date_null("decision_on"))
                .col(text_null("decision_by"))
                .col(date_null("ceremony_on"))
                .col(date_null("rvote_on"))
                .col(int_null("rvote_for"))
                .col(int_null("rvote_against"))
                .col(int_null("rvote_total"))
                .col(text_null("rdecision_no"))
                .col(date_null("rdecision_on"))
                .col(text_null("rdecision_by"))
                .col(text("stage"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("admission", "member_id", "member"))
                .foreign_key(&mut fk("admission", "cell_id", "org"))
                .foreign_key(&mut fk("admission", "introducer_1", "member"))
                .foreign_key(&mut fk("admission", "introducer_2", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_admission_member", "admission", &["member_id"], false)).await?;
        m.create_index(index("ix_admission_cell_stage", "admission", &["cell_id", "stage"], false)).await?;
        // One case in progress per person, and one open transfer per member, even when two
        // requests race (partial unique indexes: the same SQL on both engines).
        let c = m.get_connection();
        c.execute_unprepared(
            "CREATE UNIQUE INDEX ux_admission_open ON admission (member_id) WHERE stage IN ('candidate', 'voted', 'decided', 'probation', 'recognition_voted')",
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("transfer"))
                .col(id("id"))
                .col(big("member_id"))
                .col(text("kind"))
                .col(big_null("from_org"))
                .col(big_null("to_org"))
                .col(text_null("destination"))
                .col(text("letter_no"))
                .col(date("letter_on"))
                .col(text("fees_through"))
                .col(date_null("until_on"))
                .col(text_null("note"))
                .col(text("state"))
                .col(date_null("answered_on"))
                .col(big_null("answered_cell"))
                .col(text_null("answer_note"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .col(big("version"))
                .foreign_key(&mut fk("transfer", "member_id", "member"))
                .foreign_key(&mut fk("transfer", "from_org", "org"))
                .foreign_key(&mut fk("transfer", "to_org", "org"))
                .foreign_key(&mut fk("transfer", "answered_cell", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_transfer_member", "transfer", &["member_id"], false)).await?;
        m.create_index(index("ix_transfer_to_state", "transfer", &["to_org", "state"], false)).await?;
        m.create_index(index("ix_transfer_from_state", "transfer", &["from_org", "state"], false)).await?;
        c.execute_unprepared(
            "CREATE UNIQUE INDEX ux_transfer_open ON transfer (member_id) WHERE state = 'pending' OR (kind = 'temporary' AND state = 'accepted')",
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("residence"))
                .col(id("id"))
                .col(big("member_id"))
                .col(big("cell_id"))
                .col(date("from_on"))
                .col(date_null("until_on"))
                .col(text_null("note"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .foreign_key(&mut fk("residence", "member_id", "member"))
                .foreign_key(&mut fk("residence", "cell_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_residence_member", "residence", &["member_id"], false)).await?;
        m.create_index(index("ix_residence_cell", "residence", &["cell_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("residence_comment"))
                .col(id("id"))
                .col(big("residence_id"))
                .col(ColumnDef::new(Alias::new("year")).integer().not_null())
                .col(text("comment"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .foreign_key(&mut fk("residence_comment", "residence_id", "residence"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_residence_comment_year", "residence_comment", &["residence_id", "year"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["residence_comment", "residence", "transfer", "admission"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        for c in ["until_on", "issued_by"] {
            m.alter_table(Table::alter().table(Alias::new("member_event")).drop_column(Alias::new(c)).to_owned()).await?;
        }
        Ok(())
    }
}
