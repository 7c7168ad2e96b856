//! A table of records by key, in the order they were made, that remembers which keys
//! changed since the state file last took them (when the server has one).

use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Debug)]
pub(crate) struct Table<V> {
    rows: Vec<(String, V)>,
    index: HashMap<String, usize>,
    /// Keys inserted, changed or removed since the last [`Table::clear_changed`]; kept
    /// only when `tracked`.
    changed: BTreeSet<String>,
    tracked: bool,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table::new(false)
    }
}

impl<V> Table<V> {
    /// An empty table; `tracked` when a state file must learn of its changes.
    pub(crate) fn new(tracked: bool) -> Self {
        Table {
            rows: Vec::new(),
            index: HashMap::new(),
            changed: BTreeSet::new(),
            tracked,
        }
    }

    fn touch(&mut self, key: &str) {
        if self.tracked && !self.changed.contains(key) {
            self.changed.insert(key.to_owned());
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.index.get(key).map(|&i| &self.rows[i].1)
    }

    /// The record, which is then taken as changed.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let i = *self.index.get(key)?;
        self.touch(key);
        Some(&mut self.rows[i].1)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// Adds the record, or replaces the one of the same key where it stands.
    pub(crate) fn insert(&mut self, key: String, value: V) -> Option<V> {
        self.touch(&key);
        if let Some(&i) = self.index.get(&key) {
            return Some(std::mem::replace(&mut self.rows[i].1, value));
        }
        self.index.insert(key.clone(), self.rows.len());
        self.rows.push((key, value));
        None
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<V> {
        let i = self.index.remove(key)?;
        self.touch(key);
        let (_, value) = self.rows.remove(i);
        for (k, _) in &self.rows[i..] {
            if let Some(at) = self.index.get_mut(k) {
                *at -= 1;
            }
        }
        Some(value)
    }

    /// The records, oldest first.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.rows.iter().map(|(_, v)| v)
    }

    /// Keys and records, oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &V)> {
        self.rows.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The keys changed since the last [`clear_changed`](Self::clear_changed).
    pub(crate) fn changed(&self) -> &BTreeSet<String> {
        &self.changed
    }

    pub(crate) fn clear_changed(&mut self) {
        self.changed.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_making_and_remembers_changes() {
        let mut t = Table::new(true);
        t.insert("a".to_owned(), 1);
        t.insert("b".to_owned(), 2);
        t.insert("c".to_owned(), 3);
        t.clear_changed();
        t.insert("a".to_owned(), 10);
        assert_eq!(t.values().copied().collect::<Vec<_>>(), vec![10, 2, 3]);
        assert_eq!(t.remove("b"), Some(2));
        assert_eq!(t.get("c"), Some(&3));
        if let Some(c) = t.get_mut("c") {
            *c = 30;
        }
        assert_eq!(t.values().rev().copied().collect::<Vec<_>>(), vec![30, 10]);
        let changed: Vec<&str> = t.changed().iter().map(String::as_str).collect();
        assert_eq!(changed, vec!["a", "b", "c"]);
        assert!(t.get("b").is_none() && !t.contains_key("b"));
        let mut untracked = Table::new(false);
        untracked.insert("x".to_owned(), 1);
        assert!(untracked.changed().is_empty());
    }
}
