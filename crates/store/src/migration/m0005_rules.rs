//! The rules as dated data (one row per version, its body the rule set as JSON) and the
//! working-day calendar's changes made by hand, seeded with the rules known when this
//! migration was written (`m0005_rules.json`, frozen with it).

use super::m0001_initial::{text, timestamp};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_rules"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("rule_version"))
                .col(ColumnDef::new(Alias::new("effective_from")).date().not_null().primary_key())
                .col(text("body"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("calendar_day"))
                .col(ColumnDef::new(Alias::new("day")).date().not_null().primary_key())
                .col(text("change"))
                .col(text("note"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .to_owned(),
        )
        .await?;
        let seed: Vec<serde_json::Value> = serde_json::from_str(include_str!("m0005_rules.json")).map_err(|e| DbErr::Custom(e.to_string()))?;
        for version in seed {
            let from = version["effective_from"].as_str().unwrap_or("2021-01-01").to_owned();
            let day = chrono::NaiveDate::parse_from_str(&from, "%Y-%m-%d").map_err(|e| DbErr::Custom(e.to_string()))?;
            let insert = Query::insert()
                .into_table(Alias::new("rule_version"))
                .columns([Alias::new("effective_from"), Alias::new("body"), Alias::new("recorded_by"), Alias::new("recorded_at")])
                .values_panic([day.into(), version.to_string().into(), "system:seed".into(), chrono::Utc::now().into()])
                .to_owned();
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["calendar_day", "rule_version"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
