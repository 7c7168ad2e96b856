//! What one tier can see: its payments, prepared amounts, billing keys, schedules and the
//! records beside them, each in a [`Table`] that tells the state file what changed.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::customer::Customer;
use super::payment::{Payment, Status};
use super::records::{Certification, EscrowLogis, NaverOrder, Receipt};
use super::schedule::Schedule;
use super::table::Table;
use crate::amount::Amount;

/// The amount (and currency) a checkout of a `merchant_uid` must have
/// (`POST /payments/prepare`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Prepared {
    pub(crate) amount: Amount,
    pub(crate) currency: Option<String>,
}

/// One record as the state file keeps it: its kind, its key, and its JSON (`None`: it is
/// gone).
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) kind: &'static str,
    pub(crate) key: String,
    pub(crate) body: Option<String>,
}

/// One tier's records. All are kept by the state file but certifications: they hold
/// personal data (a birth date, a phone number) that no file should keep.
#[derive(Clone, Default)]
pub(crate) struct Store {
    /// By `imp_uid`.
    pub(crate) payments: Table<Payment>,
    /// By `merchant_uid`.
    pub(crate) prepares: Table<Prepared>,
    /// By `customer_uid`.
    pub(crate) customers: Table<Customer>,
    /// By `merchant_uid`.
    pub(crate) schedules: Table<Schedule>,
    /// By `imp_uid`.
    pub(crate) receipts: Table<Receipt>,
    /// By `merchant_uid`.
    pub(crate) external_receipts: Table<Receipt>,
    pub(crate) certifications: BTreeMap<String, Certification>,
    /// By `imp_uid`.
    pub(crate) escrows: Table<EscrowLogis>,
    /// By `imp_uid`.
    pub(crate) naver: Table<Vec<NaverOrder>>,
    /// By `merchant_uid`.
    pub(crate) kcp_prepares: Table<()>,
}

/// The changed rows of one table.
fn changed<V: Serialize>(
    table: &Table<V>,
    kind: &'static str,
    rows: &mut Vec<Row>,
) -> serde_json::Result<()> {
    for key in table.changed() {
        let body = table.get(key).map(serde_json::to_string).transpose()?;
        rows.push(Row {
            kind,
            key: key.clone(),
            body,
        });
    }
    Ok(())
}

/// Every row of one table.
fn every<V: Serialize>(
    table: &Table<V>,
    kind: &'static str,
    rows: &mut Vec<Row>,
) -> serde_json::Result<()> {
    for (key, value) in table.iter() {
        rows.push(Row {
            kind,
            key: key.to_owned(),
            body: Some(serde_json::to_string(value)?),
        });
    }
    Ok(())
}

fn restore_into<V: DeserializeOwned>(
    table: &mut Table<V>,
    key: String,
    body: &str,
) -> Result<(), String> {
    let value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    table.insert(key, value);
    Ok(())
}

impl Store {
    /// An empty store; `tracked` when a state file must learn of its changes.
    pub(crate) fn new(tracked: bool) -> Store {
        Store {
            payments: Table::new(tracked),
            prepares: Table::new(tracked),
            customers: Table::new(tracked),
            schedules: Table::new(tracked),
            receipts: Table::new(tracked),
            external_receipts: Table::new(tracked),
            certifications: BTreeMap::new(),
            escrows: Table::new(tracked),
            naver: Table::new(tracked),
            kcp_prepares: Table::new(tracked),
        }
    }

    /// The rows of the records made, changed or removed since the last
    /// [`clear_changes`](Self::clear_changes).
    pub(crate) fn changed_rows(&self) -> serde_json::Result<Vec<Row>> {
        let mut rows = Vec::new();
        changed(&self.payments, "payment", &mut rows)?;
        changed(&self.prepares, "prepare", &mut rows)?;
        changed(&self.customers, "customer", &mut rows)?;
        changed(&self.schedules, "schedule", &mut rows)?;
        changed(&self.receipts, "receipt", &mut rows)?;
        changed(&self.external_receipts, "external_receipt", &mut rows)?;
        changed(&self.escrows, "escrow", &mut rows)?;
        changed(&self.naver, "naver", &mut rows)?;
        changed(&self.kcp_prepares, "kcp_prepare", &mut rows)?;
        Ok(rows)
    }

    /// Every record, as rows.
    pub(crate) fn all_rows(&self) -> serde_json::Result<Vec<Row>> {
        let mut rows = Vec::new();
        every(&self.payments, "payment", &mut rows)?;
        every(&self.prepares, "prepare", &mut rows)?;
        every(&self.customers, "customer", &mut rows)?;
        every(&self.schedules, "schedule", &mut rows)?;
        every(&self.receipts, "receipt", &mut rows)?;
        every(&self.external_receipts, "external_receipt", &mut rows)?;
        every(&self.escrows, "escrow", &mut rows)?;
        every(&self.naver, "naver", &mut rows)?;
        every(&self.kcp_prepares, "kcp_prepare", &mut rows)?;
        Ok(rows)
    }

    /// The state file has every change.
    pub(crate) fn clear_changes(&mut self) {
        self.payments.clear_changed();
        self.prepares.clear_changed();
        self.customers.clear_changed();
        self.schedules.clear_changed();
        self.receipts.clear_changed();
        self.external_receipts.clear_changed();
        self.escrows.clear_changed();
        self.naver.clear_changed();
        self.kcp_prepares.clear_changed();
    }

    /// Puts back a record read from the state file (not a change).
    pub(crate) fn restore(&mut self, kind: &str, key: String, body: &str) -> Result<(), String> {
        match kind {
            "payment" => restore_into(&mut self.payments, key, body),
            "prepare" => restore_into(&mut self.prepares, key, body),
            "customer" => restore_into(&mut self.customers, key, body),
            "schedule" => restore_into(&mut self.schedules, key, body),
            "receipt" => restore_into(&mut self.receipts, key, body),
            "external_receipt" => restore_into(&mut self.external_receipts, key, body),
            "escrow" => restore_into(&mut self.escrows, key, body),
            "naver" => restore_into(&mut self.naver, key, body),
            "kcp_prepare" => restore_into(&mut self.kcp_prepares, key, body),
            other => Err(format!("no record is of kind `{other}`")),
        }?;
        self.clear_changes();
        Ok(())
    }

    pub(crate) fn insert_payment(&mut self, p: Payment) {
        self.payments.insert(p.imp_uid.clone(), p);
    }

    pub(crate) fn payment(&self, imp_uid: &str) -> Option<&Payment> {
        self.payments.get(imp_uid)
    }

    pub(crate) fn payment_mut(&mut self, imp_uid: &str) -> Option<&mut Payment> {
        self.payments.get_mut(imp_uid)
    }

    /// Payments of one `merchant_uid`, newest first.
    pub(crate) fn by_merchant_uid(&self, merchant_uid: &str) -> Vec<&Payment> {
        self.payments
            .values()
            .rev()
            .filter(|p| p.merchant_uid == merchant_uid)
            .collect()
    }

    /// Whether `merchant_uid` already has a payment that went through (a new one is refused).
    pub(crate) fn merchant_uid_settled(&self, merchant_uid: &str) -> bool {
        self.by_merchant_uid(merchant_uid)
            .iter()
            .any(|p| matches!(p.status, Status::Paid | Status::Cancelled))
    }

    pub(crate) fn schedule_mut(&mut self, merchant_uid: &str) -> Option<&mut Schedule> {
        self.schedules.get_mut(merchant_uid)
    }
}
