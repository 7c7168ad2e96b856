//! What one tier can see: its payments, prepared amounts, billing keys, schedules and the
//! records beside them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::customer::Customer;
use super::payment::{Payment, Status};
use super::records::{Certification, EscrowLogis, NaverOrder, Receipt};
use super::schedule::Schedule;
use crate::amount::Amount;

/// The amount (and currency) a checkout of a `merchant_uid` must have
/// (`POST /payments/prepare`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Prepared {
    pub(crate) amount: Amount,
    pub(crate) currency: Option<String>,
}

/// One tier's records. Kept by `--state` (see `crate::persist`), but for certifications:
/// they hold personal data (a birth date, a phone number) that no file should keep.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Store {
    pub(crate) payments: Vec<Payment>,
    #[serde(skip)]
    index: HashMap<String, usize>,
    pub(crate) prepares: BTreeMap<String, Prepared>,
    pub(crate) customers: BTreeMap<String, Customer>,
    pub(crate) schedules: Vec<Schedule>,
    pub(crate) receipts: BTreeMap<String, Receipt>,
    pub(crate) external_receipts: BTreeMap<String, Receipt>,
    #[serde(skip)]
    pub(crate) certifications: BTreeMap<String, Certification>,
    pub(crate) escrows: BTreeMap<String, EscrowLogis>,
    pub(crate) naver: BTreeMap<String, Vec<NaverOrder>>,
    pub(crate) kcp_prepares: BTreeSet<String>,
}

impl Store {
    /// Rebuilds the `imp_uid` index after the payments were read from a file.
    pub(crate) fn reindex(&mut self) {
        self.index = self
            .payments
            .iter()
            .enumerate()
            .map(|(i, p)| (p.imp_uid.clone(), i))
            .collect();
    }

    pub(crate) fn insert_payment(&mut self, p: Payment) -> &mut Payment {
        let i = self.payments.len();
        self.index.insert(p.imp_uid.clone(), i);
        self.payments.push(p);
        &mut self.payments[i]
    }

    pub(crate) fn payment(&self, imp_uid: &str) -> Option<&Payment> {
        self.index.get(imp_uid).map(|&i| &self.payments[i])
    }

    pub(crate) fn payment_mut(&mut self, imp_uid: &str) -> Option<&mut Payment> {
        self.index.get(imp_uid).map(|&i| &mut self.payments[i])
    }

    /// Payments of one `merchant_uid`, newest first.
    pub(crate) fn by_merchant_uid(&self, merchant_uid: &str) -> Vec<&Payment> {
        self.payments
            .iter()
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
        self.schedules
            .iter_mut()
            .find(|s| s.merchant_uid == merchant_uid)
    }
}
