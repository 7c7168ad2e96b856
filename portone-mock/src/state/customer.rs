//! A billing key (`customer_uid`): what PortOne shows of the card, never the card data.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::channels::Channel;
use super::payment::Buyer;
use crate::card_rules::{CardInfo, CardOutcome};

/// A billing key: what PortOne shows of the card, never the card data itself.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Customer {
    pub(crate) customer_uid: String,
    #[serde(
        serialize_with = "super::channels::serialize_key",
        deserialize_with = "super::channels::deserialize_key"
    )]
    pub(crate) channel: &'static Channel,
    pub(crate) customer_id: Option<String>,
    pub(crate) card: CardInfo,
    pub(crate) outcome: CardOutcome,
    pub(crate) name: Option<String>,
    pub(crate) tel: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) addr: Option<String>,
    pub(crate) postcode: Option<String>,
    pub(crate) inserted: i64,
    pub(crate) updated: i64,
}

impl Customer {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "customer_uid": self.customer_uid,
            "pg_provider": self.channel.pg_provider,
            "pg_id": self.channel.pg_id,
            "sandbox": self.channel.sandbox,
            "customer_id": self.customer_id,
            "card_name": self.card.name,
            "card_code": self.card.code,
            "card_issuer_code": self.card.code,
            "card_issuer_name": self.card.name,
            "card_publisher_code": self.card.code,
            "card_publisher_name": self.card.name,
            "card_number": self.card.masked,
            "card_type": self.card.card_type,
            "customer_name": self.name,
            "customer_tel": self.tel,
            "customer_email": self.email,
            "customer_addr": self.addr,
            "customer_postcode": self.postcode,
            "inserted": self.inserted,
            "updated": self.updated,
        })
    }

    /// The buyer of a payment made with this key, where the request named none.
    pub(crate) fn fill_buyer(&self, buyer: &mut Buyer) {
        let fill = |slot: &mut Option<String>, from: &Option<String>| {
            if slot.is_none() {
                slot.clone_from(from);
            }
        };
        fill(&mut buyer.name, &self.name);
        fill(&mut buyer.tel, &self.tel);
        fill(&mut buyer.email, &self.email);
        fill(&mut buyer.addr, &self.addr);
        fill(&mut buyer.postcode, &self.postcode);
    }
}
