//! The account's PG channels, and how a request's `pg` or `channel_key` picks one.

use serde::{Deserialize, Deserializer, Serializer};

use crate::reply::Reply;

/// A PG channel configured on the account (`GET /users/pg`).
#[derive(Clone, Debug)]
pub(crate) struct Channel {
    pub(crate) pg_provider: &'static str,
    pub(crate) pg_id: &'static str,
    pub(crate) sandbox: bool,
    pub(crate) kind: &'static str,
    pub(crate) name: &'static str,
    pub(crate) key: &'static str,
}

/// The channels every mock account has. The first is the default for browser checkouts,
/// the second for API (non-authenticated) payments and billing keys; the third is a test
/// channel whose payments are `sandbox`. The partner channels serve their own routes
/// (Benepia, KCP Quick Pay, Naver Pay).
pub(crate) const CHANNELS: [Channel; 7] = [
    Channel {
        pg_provider: "html5_inicis",
        pg_id: "MOIportone",
        sandbox: false,
        kind: "payment",
        name: "KG이니시스",
        key: "channel-key-mock-inicis",
    },
    Channel {
        pg_provider: "nice_v2",
        pg_id: "iamport01m",
        sandbox: false,
        kind: "payment",
        name: "나이스페이 정기결제",
        key: "channel-key-mock-nice-v2",
    },
    Channel {
        pg_provider: "html5_inicis",
        pg_id: "INIpayTest",
        sandbox: true,
        kind: "payment",
        name: "KG이니시스 테스트",
        key: "channel-key-mock-sandbox",
    },
    Channel {
        pg_provider: "danal",
        pg_id: "A010002002",
        sandbox: false,
        kind: "certification",
        name: "다날 본인인증",
        key: "channel-key-mock-danal",
    },
    Channel {
        pg_provider: "benepia",
        pg_id: "benepia_mock",
        sandbox: false,
        kind: "payment",
        name: "베네피아",
        key: "channel-key-mock-benepia",
    },
    Channel {
        pg_provider: "kcp_quick",
        pg_id: "IX0XX",
        sandbox: false,
        kind: "payment",
        name: "KCP 퀵페이",
        key: "channel-key-mock-kcp-quick",
    },
    Channel {
        pg_provider: "naverpay",
        pg_id: "np_mock",
        sandbox: false,
        kind: "payment",
        name: "네이버페이",
        key: "channel-key-mock-naverpay",
    },
];

/// The PG codes a `pg` parameter may name: the `pg_provider` values of PortOne's V1 spec
/// and PG guide (the same set as the client's `PgProvider`), plus the partner PGs this
/// mock serves. A `pg` whose code is not here names no PG at all and is refused.
pub(crate) const KNOWN_PGS: [&str; 34] = [
    "html5_inicis",
    "inicis",
    "inicis_unified",
    "kcp",
    "kcp_billing",
    "kcp_quick",
    "kcp_v2",
    "nice",
    "nice_v2",
    "kicc",
    "ksnet",
    "smartro",
    "smartro_v2",
    "tosspayments",
    "tosspay_v2",
    "toss_brandpay",
    "daou",
    "settle",
    "settle_acc",
    "settle_firm",
    "welcome",
    "uplus",
    "danal",
    "danal_tpay",
    "mobilians",
    "galaxia",
    "kakaopay",
    "naverpay",
    "naverco",
    "payco",
    "chai",
    "paymentwall",
    "paypal_v2",
    "benepia",
];

/// Picks a channel as PortOne does: `channel_key` first, then `pg` as `provider` or
/// `provider.pg_id`; a known PG the account has no channel for falls back to `default`,
/// as PortOne's spec documents for `pg`.
///
/// Refuses (400, `code` -1) a `channel_key` that is no channel of the account or not of
/// `kind` (`payment`, `certification`), and a `pg` whose code is no PG at all.
pub(crate) fn resolve_channel(
    pg: Option<&str>,
    channel_key: Option<&str>,
    kind: &str,
    default: usize,
) -> Result<&'static Channel, Reply> {
    if let Some(key) = channel_key {
        return CHANNELS
            .iter()
            .find(|c| c.key == key && c.kind == kind)
            .ok_or_else(|| {
                Reply::bad_request(format!("등록되지 않은 채널키(channel_key)입니다: {key}"))
            });
    }
    let Some(pg) = pg else {
        return Ok(&CHANNELS[default]);
    };
    let (provider, id) = pg.split_once('.').map_or((pg, None), |(p, i)| (p, Some(i)));
    if !KNOWN_PGS.contains(&provider) {
        return Err(Reply::bad_request(format!(
            "유효하지 않은 pg 파라메터입니다: {pg}"
        )));
    }
    Ok(CHANNELS
        .iter()
        .find(|c| c.kind == kind && c.pg_provider == provider && id.is_none_or(|i| c.pg_id == i))
        .unwrap_or(&CHANNELS[default]))
}

/// The channel a checkout (the browser SDK) uses: like [`resolve_channel`], but a test
/// may name any PG there (the mock then records the payment under that PG).
pub(crate) fn checkout_channel(pg: Option<&str>) -> &'static Channel {
    pg.and_then(|pg| {
        let (provider, id) = pg.split_once('.').map_or((pg, None), |(p, i)| (p, Some(i)));
        CHANNELS.iter().find(|c| {
            c.kind == "payment" && c.pg_provider == provider && id.is_none_or(|i| c.pg_id == i)
        })
    })
    .unwrap_or(&CHANNELS[0])
}

/// The channel of a partner route (`benepia`, `kcp_quick`): the `channel_key`, when sent,
/// must be that partner's.
pub(crate) fn partner_channel(
    provider: &str,
    channel_key: Option<&str>,
) -> Result<&'static Channel, Reply> {
    let own = CHANNELS
        .iter()
        .find(|c| c.pg_provider == provider)
        .unwrap_or(&CHANNELS[0]);
    match channel_key {
        Some(key) if key != own.key => {
            resolve_channel(None, Some(key), "payment", 0)?;
            Err(Reply::bad_request(format!(
                "{provider} 채널의 채널키(channel_key)가 아닙니다: {key}"
            )))
        }
        _ => Ok(own),
    }
}

/// A channel in a state file: its `channel_key`.
pub(crate) fn serialize_key<S: Serializer>(c: &&'static Channel, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.key)
}

/// A channel read back from its `channel_key`.
pub(crate) fn deserialize_key<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<&'static Channel, D::Error> {
    let key = String::deserialize(d)?;
    CHANNELS
        .iter()
        .find(|c| c.key == key)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown channel_key `{key}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_choice() {
        let pick = |pg, key| resolve_channel(pg, key, "payment", 1).map(|c| c.pg_id);
        assert_eq!(pick(None, None).ok(), Some("iamport01m"));
        assert_eq!(
            pick(Some("html5_inicis.INIpayTest"), None).ok(),
            Some("INIpayTest")
        );
        assert_eq!(
            pick(None, Some("channel-key-mock-sandbox")).ok(),
            Some("INIpayTest")
        );
        // A PG the account has no channel for: the default, as the spec says.
        assert_eq!(pick(Some("kcp"), None).ok(), Some("iamport01m"));
        // No PG at all, an unknown key, a key of another kind: refused.
        assert!(pick(Some("nope"), None).is_err());
        assert!(pick(None, Some("channel-key-nope")).is_err());
        assert!(pick(None, Some("channel-key-mock-danal")).is_err());
        assert!(partner_channel("benepia", Some("channel-key-mock-inicis")).is_err());
        assert!(partner_channel("benepia", Some("channel-key-mock-benepia")).is_ok());
        assert_eq!(checkout_channel(Some("nope")).pg_id, "MOIportone");
    }

    #[test]
    fn the_crate_docs_list_the_channels_and_pgs() {
        let docs = include_str!("../lib.rs");
        for c in &CHANNELS {
            let row = format!("| `{}` | `{}` | `{}` |", c.key, c.pg_provider, c.pg_id);
            assert!(docs.contains(&row), "{row}");
        }
        let listed = docs
            .split("must name a PG PortOne knows:")
            .nth(1)
            .and_then(|rest| rest.split("(the `pg_provider` values").next())
            .unwrap_or_default()
            .replace("//!", "");
        let listed: Vec<&str> = listed
            .split(',')
            .map(|c| c.trim().trim_matches('`'))
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(listed, KNOWN_PGS);
    }
}
