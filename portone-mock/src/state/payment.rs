//! A payment and the rules that change it: cancels (full, partial, checksum-guarded),
//! virtual-account deposits.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::amount::Amount;
use crate::card_rules::CardInfo;
use crate::ids::Ids;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Ready,
    Paid,
    Cancelled,
    Failed,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Paid => "paid",
            Status::Cancelled => "cancelled",
            Status::Failed => "failed",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Status> {
        match s {
            "ready" => Some(Status::Ready),
            "paid" => Some(Status::Paid),
            "cancelled" => Some(Status::Cancelled),
            "failed" => Some(Status::Failed),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Buyer {
    pub(crate) name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) tel: Option<String>,
    pub(crate) addr: Option<String>,
    pub(crate) postcode: Option<String>,
}

/// The bank of an account transfer (`trans`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Bank {
    pub(crate) code: String,
    pub(crate) name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Vbank {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) num: String,
    pub(crate) holder: String,
    pub(crate) date: i64,
    pub(crate) issued_at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct CancelEntry {
    pub(crate) pg_tid: String,
    pub(crate) amount: Amount,
    pub(crate) cancelled_at: i64,
    pub(crate) reason: String,
    pub(crate) cancellation_id: String,
    pub(crate) receipt_url: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Deposit {
    pub(crate) pg_tid: String,
    pub(crate) amount: Amount,
    pub(crate) depositor_name: String,
    pub(crate) deposited_at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Payment {
    pub(crate) imp_uid: String,
    pub(crate) merchant_uid: String,
    pub(crate) pay_method: String,
    pub(crate) channel: String,
    pub(crate) pg_provider: String,
    pub(crate) emb_pg_provider: Option<String>,
    pub(crate) pg_id: String,
    pub(crate) pg_tid: String,
    pub(crate) sandbox: bool,
    pub(crate) escrow: bool,
    pub(crate) apply_num: Option<String>,
    pub(crate) bank: Option<Bank>,
    pub(crate) card: Option<CardInfo>,
    pub(crate) card_quota: i64,
    pub(crate) vbank: Option<Vbank>,
    pub(crate) name: Option<String>,
    pub(crate) amount: Amount,
    pub(crate) cancel_amount: Amount,
    pub(crate) tax_free: Amount,
    pub(crate) currency: String,
    pub(crate) buyer: Buyer,
    pub(crate) custom_data: Option<String>,
    pub(crate) user_agent: Option<String>,
    pub(crate) status: Status,
    pub(crate) started_at: i64,
    pub(crate) paid_at: i64,
    pub(crate) failed_at: i64,
    pub(crate) cancelled_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) fail_reason: Option<String>,
    pub(crate) cancel_reason: Option<String>,
    pub(crate) cancel_history: Vec<CancelEntry>,
    pub(crate) deposit_history: Vec<Deposit>,
    pub(crate) cash_receipt_issued: bool,
    pub(crate) customer_uid: Option<String>,
    pub(crate) customer_uid_usage: Option<String>,
    /// Where PortOne notifies of this payment's events (`notice_url`); empty for the
    /// account's URL.
    pub(crate) notice_urls: Vec<String>,
}

/// What `POST /payments/cancel` asks for.
#[derive(Debug, Default)]
pub(crate) struct CancelRequest {
    pub(crate) amount: Option<Amount>,
    pub(crate) tax_free: Option<Amount>,
    pub(crate) checksum: Option<Amount>,
    pub(crate) reason: Option<String>,
    pub(crate) has_refund_account: bool,
}

impl Payment {
    /// A payment with the given identity, everything else empty; callers fill in the rest.
    pub(crate) fn new(imp_uid: String, merchant_uid: String, amount: Amount, now: i64) -> Payment {
        Payment {
            imp_uid,
            merchant_uid,
            pay_method: "card".into(),
            channel: "pc".into(),
            pg_provider: String::new(),
            emb_pg_provider: None,
            pg_id: String::new(),
            pg_tid: String::new(),
            sandbox: false,
            escrow: false,
            apply_num: None,
            bank: None,
            card: None,
            card_quota: 0,
            vbank: None,
            name: None,
            amount,
            cancel_amount: Amount::ZERO,
            tax_free: Amount::ZERO,
            currency: "KRW".into(),
            buyer: Buyer::default(),
            custom_data: None,
            user_agent: None,
            status: Status::Ready,
            started_at: now,
            paid_at: 0,
            failed_at: 0,
            cancelled_at: 0,
            updated_at: now,
            fail_reason: None,
            cancel_reason: None,
            cancel_history: Vec::new(),
            deposit_history: Vec::new(),
            cash_receipt_issued: false,
            customer_uid: None,
            customer_uid_usage: None,
            notice_urls: Vec::new(),
        }
    }

    pub(crate) fn receipt_url(&self) -> String {
        format!("https://mockpg.portone.invalid/receipt/{}", self.pg_tid)
    }

    pub(crate) fn mark_paid(&mut self, now: i64, ids: &mut Ids) {
        self.status = Status::Paid;
        self.paid_at = now;
        self.updated_at = now;
        if self.pay_method == "card" {
            self.apply_num = Some(ids.digits(8));
        }
    }

    pub(crate) fn mark_failed(&mut self, reason: &str, now: i64) {
        self.status = Status::Failed;
        self.failed_at = now;
        self.updated_at = now;
        self.fail_reason = Some(reason.to_owned());
    }

    /// What can still be refunded.
    pub(crate) fn cancellable(&self) -> Amount {
        self.amount.minus(self.cancel_amount)
    }

    /// The timestamp `/payments/status` filters on: that of the payment's current status.
    pub(crate) fn status_time(&self) -> i64 {
        match self.status {
            Status::Ready => self.started_at,
            Status::Paid => self.paid_at,
            Status::Cancelled => self.cancelled_at,
            Status::Failed => self.failed_at,
        }
    }

    /// Applies a cancel, or says why not (PortOne answers these with `code` 1).
    pub(crate) fn cancel(
        &mut self,
        req: &CancelRequest,
        now: i64,
        ids: &mut Ids,
    ) -> Result<(), String> {
        match self.status {
            Status::Paid => {}
            Status::Cancelled => return Err("이미 전액취소된 주문입니다.".into()),
            Status::Ready | Status::Failed => {
                return Err(format!(
                    "결제완료 상태가 아닌 결제건은 취소할 수 없습니다. (status: {})",
                    self.status.as_str()
                ));
            }
        }
        let cancellable = self.cancellable();
        if let Some(checksum) = req.checksum
            && checksum != cancellable
        {
            return Err(format!(
                "요청하신 checksum({checksum})이 취소가능잔액({cancellable})과 일치하지 않습니다."
            ));
        }
        let amount = match req.amount {
            Some(a) if a.is_negative() => {
                return Err("취소요청금액은 0보다 커야 합니다.".into());
            }
            Some(a) if !a.is_zero() => a,
            _ => cancellable,
        };
        if amount > cancellable {
            return Err(format!(
                "취소요청금액({amount})이 취소가능잔액({cancellable})을 초과합니다."
            ));
        }
        if let Some(tax_free) = req.tax_free
            && (tax_free.is_negative() || tax_free > amount)
        {
            return Err("면세금액(tax_free)이 취소요청금액보다 클 수 없습니다.".into());
        }
        if self.pay_method == "vbank" && !req.has_refund_account {
            return Err("가상계좌 환불에는 환불계좌정보(refund_holder, refund_bank, refund_account)가 필요합니다.".into());
        }
        let reason = req.reason.clone().unwrap_or_else(|| "취소요청".into());
        let receipt_url = format!(
            "{}?cancel={}",
            self.receipt_url(),
            self.cancel_history.len() + 1
        );
        self.cancel_history.push(CancelEntry {
            pg_tid: self.pg_tid.clone(),
            amount,
            cancelled_at: now,
            reason: reason.clone(),
            cancellation_id: ids.hex(20),
            receipt_url,
        });
        self.cancel_amount = self.cancel_amount.plus(amount);
        self.cancel_reason = Some(reason);
        self.cancelled_at = now;
        self.updated_at = now;
        if self.cancellable().is_zero() {
            self.status = Status::Cancelled;
        }
        Ok(())
    }

    /// A buyer pays a `ready` virtual account.
    pub(crate) fn deposit(&mut self, now: i64, ids: &mut Ids) -> Result<(), String> {
        if self.pay_method != "vbank" || self.status != Status::Ready {
            return Err(format!(
                "{} is not a ready virtual-account payment (pay_method {}, status {})",
                self.imp_uid,
                self.pay_method,
                self.status.as_str()
            ));
        }
        self.deposit_history.push(Deposit {
            pg_tid: self.pg_tid.clone(),
            amount: self.amount,
            depositor_name: self.buyer.name.clone().unwrap_or_else(|| "홍길동".into()),
            deposited_at: now,
        });
        self.mark_paid(now, ids);
        Ok(())
    }

    pub(crate) fn to_json(&self) -> Value {
        let card = self.card.as_ref();
        let card_code = card.map(|c| c.code);
        let card_name = card.map(|c| c.name);
        let vbank = self.vbank.as_ref();
        json!({
            "imp_uid": self.imp_uid,
            "merchant_uid": self.merchant_uid,
            "pay_method": self.pay_method,
            "channel": self.channel,
            "pg_provider": self.pg_provider,
            "emb_pg_provider": self.emb_pg_provider,
            "pg_tid": self.pg_tid,
            "pg_id": self.pg_id,
            "sandbox": self.sandbox,
            "escrow": self.escrow,
            "apply_num": self.apply_num,
            "bank_code": self.bank.as_ref().map(|b| &b.code),
            "bank_name": self.bank.as_ref().map(|b| &b.name),
            "card_code": card_code,
            "card_name": card_name,
            "card_issuer_code": card_code,
            "card_issuer_name": card_name,
            "card_publisher_code": card_code,
            "card_publisher_name": card_name,
            "card_quota": self.card_quota,
            "card_number": card.map(|c| &c.masked),
            "card_type": card.map(|c| c.card_type),
            "vbank_code": vbank.map(|v| &v.code),
            "vbank_name": vbank.map(|v| &v.name),
            "vbank_num": vbank.map(|v| &v.num),
            "vbank_holder": vbank.map(|v| &v.holder),
            "vbank_date": vbank.map_or(0, |v| v.date),
            "vbank_issued_at": vbank.map_or(0, |v| v.issued_at),
            "name": self.name,
            "amount": self.amount.to_json(),
            "cancel_amount": self.cancel_amount.to_json(),
            "currency": self.currency,
            "buyer_name": self.buyer.name,
            "buyer_email": self.buyer.email,
            "buyer_tel": self.buyer.tel,
            "buyer_addr": self.buyer.addr,
            "buyer_postcode": self.buyer.postcode,
            "custom_data": self.custom_data,
            "user_agent": self.user_agent,
            "status": self.status.as_str(),
            "started_at": self.started_at,
            "paid_at": self.paid_at,
            "failed_at": self.failed_at,
            "cancelled_at": self.cancelled_at,
            "fail_reason": self.fail_reason,
            "cancel_reason": self.cancel_reason,
            "receipt_url": self.receipt_url(),
            "cancel_history": self.cancel_history.iter().map(|c| json!({
                "pg_tid": c.pg_tid,
                "amount": c.amount.to_json(),
                "cancelled_at": c.cancelled_at,
                "reason": c.reason,
                "cancellation_id": c.cancellation_id,
                "receipt_url": c.receipt_url,
            })).collect::<Vec<_>>(),
            "deposit_history": self.deposit_history.iter().map(|d| json!({
                "pg_tid": d.pg_tid,
                "amount": d.amount.to_json(),
                "depositor_name": d.depositor_name,
                "deposited_at": d.deposited_at,
            })).collect::<Vec<_>>(),
            "cancel_receipt_urls": self.cancel_history.iter().map(|c| &c.receipt_url).collect::<Vec<_>>(),
            "cash_receipt_issued": self.cash_receipt_issued,
            "customer_uid": self.customer_uid,
            "customer_uid_usage": self.customer_uid_usage,
            "promotion": null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paid(amount: i64) -> (Payment, Ids) {
        let mut ids = Ids::new();
        let mut p = Payment::new("imp_1".into(), "m1".into(), Amount::from_i64(amount), 0);
        p.mark_paid(10, &mut ids);
        (p, ids)
    }

    #[test]
    fn partial_then_full() {
        let (mut p, mut ids) = paid(10000);
        let req = CancelRequest {
            amount: Some(Amount::from_i64(3000)),
            checksum: Some(Amount::from_i64(10000)),
            ..CancelRequest::default()
        };
        assert_eq!(p.cancel(&req, 20, &mut ids), Ok(()));
        assert_eq!(p.status, Status::Paid);
        assert_eq!(p.cancellable(), Amount::from_i64(7000));
        // The same request again: the checksum no longer matches.
        assert!(p.cancel(&req, 21, &mut ids).is_err());
        assert_eq!(p.cancel(&CancelRequest::default(), 22, &mut ids), Ok(()));
        assert_eq!(p.status, Status::Cancelled);
        assert_eq!(p.cancel_history.len(), 2);
        assert_eq!(p.cancel_amount, Amount::from_i64(10000));
    }

    #[test]
    fn over_refund_refused() {
        let (mut p, mut ids) = paid(1000);
        let req = CancelRequest {
            amount: Some(Amount::from_i64(1001)),
            ..CancelRequest::default()
        };
        assert!(p.cancel(&req, 20, &mut ids).is_err());
        assert_eq!(p.cancel_amount, Amount::ZERO);
    }
}
