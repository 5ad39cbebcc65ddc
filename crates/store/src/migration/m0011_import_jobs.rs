//! Import jobs in the database instead of one process's memory: the uploaded file, what was
//! last asked of it (check or write), its state and progress, and the result the pages show,
//! so that several `chibo serve` behind one load balancer answer the same job wherever a poll
//! lands. A job belongs to the account that uploaded it and sits under the organization it
//! imports into (its path, compared bytewise like every path, for reads by scope).

use super::m0001_initial::{big, bytewise, fk, index, text, text_null, timestamp};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_import_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let b = m.get_database_backend();
        m.create_table(
            Table::create()
                .table(Alias::new("import_job"))
                // A random token: the job's address in the pages.
                .col(ColumnDef::new(Alias::new("id")).text().not_null().primary_key())
                .col(big("account_id"))
                .col(big("org_id"))
                .col(bytewise(&mut text("org_path"), b))
                // 'check' (read and validate) or 'write' (validate again and commit).
                .col(text("kind"))
                // 'queued', 'running', 'done' or 'failed'.
                .col(text("state"))
                .col(text("file_name"))
                .col(ColumnDef::new(Alias::new("file")).blob().not_null())
                // 'validating' or 'writing' while it runs.
                .col(text_null("phase"))
                .col(big("done"))
                .col(big("total"))
                // JSON: the preview, the mapping used and the import's record.
                .col(text_null("result"))
                .col(text_null("error"))
                // The rows left out, as the .xlsx the page offers.
                .col(ColumnDef::new(Alias::new("rejected")).blob().null())
                .col(timestamp("created_at"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("import_job", "account_id", "account"))
                .foreign_key(&mut fk("import_job", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_import_job_account", "import_job", &["account_id", "state"], false)).await?;
        m.create_index(index("ix_import_job_updated", "import_job", &["updated_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("import_job")).to_owned()).await
    }
}
