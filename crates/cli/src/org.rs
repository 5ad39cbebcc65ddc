//! `chibo org`: the organization tree from the command line. `chibo org add` founds an
//! organization (a top one on an empty installation, or one under a parent), read into the
//! domain's command the page and the API read theirs into, written by the operator through
//! the store's kernel and audited as `system:cli`.

use anyhow::{Result, anyhow};
use chibo_domain::error::Lang;
use chibo_domain::org::command::FoundOrgInput;
use chibo_store::org::NewOrg;
use chibo_store::{Store, StoreError};
use clap::Subcommand;

/// What `chibo org` does.
#[derive(Subcommand)]
pub enum OrgCommand {
    /// Found an organization: the top one of an empty installation (without --parent), or
    /// one under a parent.
    Add {
        /// Official code (letters, digits, `.`, `-`, `_`).
        #[arg(long)]
        code: String,
        /// Name ("Đảng bộ phường Cửa Ông").
        #[arg(long)]
        name: String,
        /// Level: trung_uong, tinh, tren_co_so, dang_bo_co_so, chi_bo_co_so, dang_bo_bo_phan,
        /// chi_bo_truc_thuoc, to_dang.
        #[arg(long)]
        kind: String,
        /// Category: khu_dan_cu, xa_phuong, co_quan, su_nghiep, dn_nha_nuoc,
        /// dn_ngoai_nha_nuoc, luc_luong_vu_trang, khac.
        #[arg(long, default_value = "khac")]
        category: String,
        /// The parent (code or name); none for a top organization.
        #[arg(long)]
        parent: Option<String>,
        /// Founding date, dd/mm/yyyy.
        #[arg(long)]
        founded_on: String,
        /// The founding decision's number.
        #[arg(long, default_value = "")]
        decision_no: String,
    },
}

/// Runs `chibo org …`; prints the new organization's id and code.
pub async fn run(store: &Store, command: &OrgCommand) -> Result<()> {
    match command {
        OrgCommand::Add { code, name, kind, category, parent, founded_on, decision_no } => {
            let input = FoundOrgInput {
                code: code.clone(),
                name: name.clone(),
                kind: kind.clone(),
                category: category.clone(),
                founded_on: founded_on.clone(),
                decision_no: decision_no.clone(),
            };
            let o = input.validate().map_err(|v| anyhow!(v.summary(Lang::Vi)))?;
            let scoped = store.operator("cli");
            let parent_id = match parent {
                Some(q) => Some(scoped.resolve_org(q).await.map_err(|e| match e {
                    StoreError::NotFound => anyhow!("không tìm thấy tổ chức cấp trên «{}»", q.trim()),
                    other => other.into(),
                })?),
                None => None,
            };
            let new = NewOrg {
                code: o.code.as_str().to_owned(),
                name: o.name,
                kind: o.kind,
                category: o.category,
                parent_id: parent_id.as_ref().map(|p| p.id),
                founded_on: o.founded_on,
                decision_no: o.decision_no,
            };
            let org = scoped.create_org(new).await?;
            match parent_id {
                Some(p) => eprintln!("Đã thành lập «{}» ({}) trực thuộc «{}».", org.name, org.code, p.name),
                None => eprintln!("Đã thành lập tổ chức cấp trên cùng «{}» ({}).", org.name, org.code),
            }
            println!("{}\t{}", org.id, org.code);
        }
    }
    Ok(())
}
