//! Identifiers the server hands out: tokens, `imp_uid`s, PG transaction ids.
//! Unique within one server (a counter) and unlike those of another server (a random seed).

use std::hash::{BuildHasher, RandomState};

use serde::{Deserialize, Serialize};

/// Saved with the state, so that a restarted server never hands out an id twice.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Ids {
    seed: u64,
    counter: u64,
}

impl Ids {
    pub(crate) fn new() -> Ids {
        Ids {
            seed: RandomState::new().hash_one(0x5eed_u64),
            counter: 0,
        }
    }

    /// How many ids were handed out.
    pub(crate) fn counter(&self) -> u64 {
        self.counter
    }

    /// The same ids, `n` further on: what a state file keeps, so that it need not be
    /// written on every id while no id is ever handed out twice after a restart.
    pub(crate) fn ahead(&self, n: u64) -> Ids {
        Ids {
            seed: self.seed,
            counter: self.counter.saturating_add(n),
        }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        splitmix(self.seed ^ splitmix(self.counter))
    }

    /// `imp_` and 12 digits, as PortOne's payment ids look.
    pub(crate) fn imp_uid(&mut self) -> String {
        // The seed picks a window; the counter keeps ids unique inside it.
        let base = 100_000_000_000 + self.seed % 800_000_000_000;
        self.counter += 1;
        format!("imp_{:012}", base + self.counter)
    }

    /// 40 lower-case hex digits, the shape of a PortOne access token.
    pub(crate) fn token(&mut self) -> String {
        let (a, b, c) = (self.next(), self.next(), self.next());
        let mut s = format!("{a:016x}{b:016x}{c:016x}");
        s.truncate(40);
        s
    }

    pub(crate) fn digits(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:019}", self.next() % 10_000_000_000_000_000_000));
        }
        s.truncate(n);
        s
    }

    pub(crate) fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(n);
        s
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let mut ids = Ids::new();
        let t = ids.token();
        assert_eq!(t.len(), 40);
        assert!(
            t.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        let u = ids.imp_uid();
        assert!(u.starts_with("imp_") && u.len() == 16, "{u}");
        assert_ne!(ids.imp_uid(), u);
        assert_eq!(ids.digits(8).len(), 8);
    }
}
