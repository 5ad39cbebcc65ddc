//! Member imports: one row per file imported into an organization (its name, SHA-256, row
//! counts, who and when), so the same file is not imported twice, and the column mappings
//! users corrected, remembered by the file's header row.

use super::m0001_initial::{big, fk, id, index, text, timestamp};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_import"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("member_import"))
                .col(id("id"))
                .col(big("org_id"))
                .col(text("file_name"))
                .col(text("sha256"))
                .col(big("row_count"))
                .col(big("imported"))
                .col(big("rejected"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .foreign_key(&mut fk("member_import", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_member_import_org_sha", "member_import", &["org_id", "sha256"], true)).await?;
        m.create_table(
            Table::create()
                .table(Alias::new("import_mapping"))
                .col(ColumnDef::new(Alias::new("header_key")).text().not_null().primary_key())
                .col(text("mapping"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["import_mapping", "member_import"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
