//! Shipping information of escrow payments (`/escrows/logis/{imp_uid}`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::de::{absent, lenient};
use super::money::checked_amounts;
use super::setters::setters;
use super::{Currency, UnixTime};

/// Shipping information registered for an escrow payment (spec: `EscrowLogisAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EscrowLogis {
    /// Carrier code.
    pub company: String,
    /// Tracking number.
    pub invoice: String,
    /// When the goods were sent.
    pub sent_at: UnixTime,
    /// When the information was registered.
    pub applied_at: UnixTime,
}

/// A structured address (spec: the inline `formed_address` of
/// `EscrowLogisSenderAnnotation` and `EscrowLogisReceiverAnnotation`; required by
/// Smartro).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscrowAddress {
    address_line_1: String,
    address_line_2: String,
}

impl EscrowAddress {
    /// An address in two lines.
    pub fn new(address_line_1: impl Into<String>, address_line_2: impl Into<String>) -> Self {
        Self {
            address_line_1: address_line_1.into(),
            address_line_2: address_line_2.into(),
        }
    }
}

/// Who sends the goods (spec: `EscrowLogisSenderAnnotation`). Which fields a PG requires
/// varies (KG Inicis: name, tel, addr, postcode).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EscrowSender {
    name: Option<String>,
    tel: Option<String>,
    addr: Option<String>,
    postcode: Option<String>,
    relationship: Option<String>,
    formed_address: Option<EscrowAddress>,
}

impl EscrowSender {
    /// A sender with nothing set yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Sender's name.
        name: String,
        /// Sender's phone number.
        tel: String,
        /// Sender's address.
        addr: String,
        /// Sender's postcode.
        postcode: String,
        /// Relationship to the seller (required by Kiwoom Pay).
        relationship: String,
        /// Structured address (required by Smartro).
        formed_address: EscrowAddress,
    }
}

/// Who receives the goods (spec: `EscrowLogisReceiverAnnotation`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EscrowReceiver {
    name: Option<String>,
    tel: Option<String>,
    addr: Option<String>,
    postcode: Option<String>,
    formed_address: Option<EscrowAddress>,
}

impl EscrowReceiver {
    /// A receiver with nothing set yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Receiver's name.
        name: String,
        /// Receiver's phone number.
        tel: String,
        /// Receiver's address.
        addr: String,
        /// Receiver's postcode.
        postcode: String,
        /// Structured address (required by Smartro).
        formed_address: EscrowAddress,
    }
}

/// The shipment (spec: `EscrowLogisInfoAnnotation`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscrowLogisInfo {
    company: String,
    invoice: String,
    sent_at: UnixTime,
    receiving_at: Option<String>,
    address: Option<String>,
}

impl EscrowLogisInfo {
    /// Sent with carrier `company` under tracking number `invoice` at `sent_at`.
    pub fn new(
        company: impl Into<String>,
        invoice: impl Into<String>,
        sent_at: impl Into<UnixTime>,
    ) -> Self {
        Self {
            company: company.into(),
            invoice: invoice.into(),
            sent_at: sent_at.into(),
            receiving_at: None,
            address: None,
        }
    }

    setters! {
        /// Receipt date, `YYYYMMDD` (required by Kiwoom Pay).
        receiving_at: String,
        /// Shipping address (required by Kiwoom Pay).
        address: String,
    }
}

/// A product of the shipment (spec: `EscrowLogisProductsAnnotation`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct EscrowProduct {
    id: String,
    name: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    code: Option<String>,
    currency: Option<Currency>,
    quantity: Option<u32>,
    tag: Option<String>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(EscrowProduct, |r| r.currency.as_ref(), [
    "amount" => Some(r.amount),
]);

impl EscrowProduct {
    /// Product `id` named `name` at unit price `amount`.
    pub fn new(id: impl Into<String>, name: impl Into<String>, amount: impl Into<Decimal>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            amount: amount.into(),
            code: None,
            currency: None,
            quantity: None,
            tag: None,
        }
    }

    setters! {
        /// Product code.
        code: String,
        /// Currency of the price (default KRW).
        currency: Currency,
        /// Quantity (default 1).
        quantity: u32,
        /// Product category.
        tag: String,
    }
}

/// Body of `POST /escrows/logis/{imp_uid}` (operation `escrow_logis_save`): registers the
/// shipment of an escrow payment.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterEscrowLogis {
    sender: EscrowSender,
    receiver: EscrowReceiver,
    logis: EscrowLogisInfo,
    products: Option<Vec<EscrowProduct>>,
    send_email: Option<bool>,
}

impl RegisterEscrowLogis {
    /// Registers `logis`, sent by `sender` to `receiver`.
    pub fn new(sender: EscrowSender, receiver: EscrowReceiver, logis: EscrowLogisInfo) -> Self {
        Self {
            sender,
            receiver,
            logis,
            products: None,
            send_email: None,
        }
    }

    /// Adds a product to the shipment.
    #[must_use]
    pub fn product(mut self, product: EscrowProduct) -> Self {
        self.products.get_or_insert_with(Vec::new).push(product);
        self
    }

    setters! {
        /// Email the buyer about the shipment (PortOne's default is `true`).
        send_email: bool,
    }
}

/// Body of `PUT /escrows/logis/{imp_uid}` (operation `escrow_logis_edit`): changes the
/// registered shipment.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateEscrowLogis {
    sender: EscrowSender,
    receiver: EscrowReceiver,
    logis: EscrowLogisInfo,
    products: Option<Vec<EscrowProduct>>,
}

impl UpdateEscrowLogis {
    /// Replaces the shipment with `logis`, sent by `sender` to `receiver`.
    pub fn new(sender: EscrowSender, receiver: EscrowReceiver, logis: EscrowLogisInfo) -> Self {
        Self {
            sender,
            receiver,
            logis,
            products: None,
        }
    }

    /// Adds a product to the shipment.
    #[must_use]
    pub fn product(mut self, product: EscrowProduct) -> Self {
        self.products.get_or_insert_with(Vec::new).push(product);
        self
    }
}
