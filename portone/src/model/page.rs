//! Paged listings: `{total, previous, next, list}`, or a bare list where the spec says so.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::de::{absent, lenient, list};
use super::{Payment, Schedule};

/// One page of a paged listing.
///
/// PortOne answers `{total, previous, next, list}`, with `previous`/`next` set to `0` (or
/// PHP's `false`) where there is no such page. The spec describes the three schedule
/// listings as a bare array instead, so a bare array is read too: as the only page, with
/// `total` its length. `null` reads as an empty page.
///
/// ```
/// use portone::model::ScheduleList;
///
/// let paged: ScheduleList = serde_json::from_str(
///     r#"{"total": 41, "previous": false, "next": 3, "list": []}"#,
/// ).unwrap();
/// assert_eq!((paged.previous_page(), paged.next_page()), (None, Some(3)));
///
/// let bare: ScheduleList = serde_json::from_str("[]").unwrap();
/// assert_eq!((bare.total, bare.next_page()), (0, None));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// Number of items across all pages.
    pub total: u64,
    /// Previous page number, `0` on the first page.
    pub previous: u32,
    /// Next page number, `0` on the last page.
    pub next: u32,
    /// The items of this page.
    pub list: Vec<T>,
}

/// A page of payments (spec: `PagedPaymentAnnotation`).
pub type PaymentList = Page<Payment>;

/// A page of scheduled payments: the answer of the three schedule listings, which the spec
/// calls a `ScheduleResponse` array and PortOne's SDKs read as a page.
pub type ScheduleList = Page<Schedule>;

impl<T> Page<T> {
    /// The next page to ask for, `None` on the last page.
    pub fn next_page(&self) -> Option<u32> {
        (self.next != 0).then_some(self.next)
    }

    /// The previous page, `None` on the first page.
    pub fn previous_page(&self) -> Option<u32> {
        (self.previous != 0).then_some(self.previous)
    }
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            total: 0,
            previous: 0,
            next: 0,
            list: Vec::new(),
        }
    }
}

impl<T> From<Vec<T>> for Page<T> {
    /// The only page of a bare list.
    fn from(list: Vec<T>) -> Self {
        Self {
            total: u64::try_from(list.len()).unwrap_or(u64::MAX),
            previous: 0,
            next: 0,
            list,
        }
    }
}

/// The items of this page, so a page reads like the list it holds.
impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// The paged form on the wire.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Paged<T> {
    total: Option<u64>,
    previous: u32,
    next: u32,
    #[serde(default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    list: Vec<T>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PageVisitor(PhantomData))
    }
}

struct PageVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page `{total, previous, next, list}` or a list")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Page<T>, A::Error> {
        let paged = Paged::<T>::deserialize(MapAccessDeserializer::new(map))?;
        let counted = u64::try_from(paged.list.len()).unwrap_or(u64::MAX);
        Ok(Page {
            total: paged.total.unwrap_or(counted),
            previous: paged.previous,
            next: paged.next,
            list: paged.list,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Page<T>, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(Page::from)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Page<T>, E> {
        Ok(Page::default())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Page<T>, E> {
        Ok(Page::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Page<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    fn page(json: &str) -> Result<Page<u32>, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn paged_object_with_php_false_and_strings() -> Result<(), serde_json::Error> {
        let p = page(r#"{"total": "42", "previous": false, "next": "3", "list": [1, 2]}"#)?;
        assert_eq!(
            (p.total, p.previous_page(), p.next_page()),
            (42, None, Some(3))
        );
        assert_eq!(p.list, [1, 2]);
        let last = page(r#"{"total": 2, "previous": 1, "next": false, "list": [3]}"#)?;
        assert_eq!((last.previous_page(), last.next_page()), (Some(1), None));
        Ok(())
    }

    #[test]
    fn bare_list_is_the_only_page() -> Result<(), serde_json::Error> {
        let p = page("[7, 8, 9]")?;
        assert_eq!((p.total, p.previous, p.next), (3, 0, 0));
        assert_eq!(p.list, [7, 8, 9]);
        Ok(())
    }

    #[test]
    fn missing_parts_and_null() -> Result<(), serde_json::Error> {
        let p = page(r#"{"list": [1]}"#)?;
        assert_eq!((p.total, p.next_page()), (1, None));
        assert_eq!(page("null")?, Page::default());
        assert_eq!(page(r#"{"total": 0, "list": null}"#)?, Page::default());
        assert!(page(r#""a page""#).is_err());
        Ok(())
    }

    #[test]
    fn encodes_as_the_paged_object() -> Result<(), serde_json::Error> {
        let p = Page::from(vec![5_u32]);
        assert_eq!(
            serde_json::to_value(&p)?,
            serde_json::json!({"total": 1, "previous": 0, "next": 0, "list": [5]})
        );
        Ok(())
    }
}
