//! Versioned schema migrations, one set for both engines (sea-orm-migration). Each migration
//! is a file `mNNNN_*.rs`; never edit one that has shipped, add the next.

use sea_orm_migration::prelude::*;

mod m0001_initial;
mod m0002_sessions;
mod m0003_audit_append_only;
mod m0004_api_tokens;
mod m0005_rules;
mod m0006_member_life;
mod m0007_import;
mod m0008_stats;
mod m0009_member_search;
mod m0010_import_facts;
mod m0011_import_jobs;
mod m0012_committee;
mod m0013_meeting;
mod m0014_sign_in_throttle;
mod m0015_transfer_terms;
mod m0019_api_rate_in_memory;

/// The ordered list of migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_initial::Migration),
            Box::new(m0002_sessions::Migration),
            Box::new(m0003_audit_append_only::Migration),
            Box::new(m0004_api_tokens::Migration),
            Box::new(m0005_rules::Migration),
            Box::new(m0006_member_life::Migration),
            Box::new(m0007_import::Migration),
            Box::new(m0008_stats::Migration),
            Box::new(m0009_member_search::Migration),
            Box::new(m0010_import_facts::Migration),
            Box::new(m0011_import_jobs::Migration),
            Box::new(m0012_committee::Migration),
            Box::new(m0013_meeting::Migration),
            Box::new(m0014_sign_in_throttle::Migration),
            Box::new(m0015_transfer_terms::Migration),
            Box::new(m0019_api_rate_in_memory::Migration),
        ]
    }
}
