//! Collects every mistake found in the trait so they are reported together (serde's `Ctxt`).

use std::fmt::Display;

use proc_macro2::Span;

#[derive(Default)]
pub(crate) struct Ctxt {
    /// Each error with the trait item it is about, for ordering.
    errors: Vec<(usize, syn::Error)>,
    item: usize,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Errors from now on are about the trait item at `index` (0 also for the trait itself).
    pub(crate) fn set_item(&mut self, index: usize) {
        self.item = index;
    }

    pub(crate) fn error(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn error_spanned(&mut self, tokens: impl quote::ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push((self.item, error));
    }

    /// `Err` with every collected error combined: item by item in source order, and within an
    /// item in the order found (shape before cross-checks).
    pub(crate) fn check(mut self) -> syn::Result<()> {
        self.errors.sort_by_key(|(item, _)| *item);
        let mut errors = self.errors.into_iter().map(|(_, error)| error);
        match errors.next() {
            None => Ok(()),
            Some(mut first) => {
                first.extend(errors);
                Err(first)
            }
        }
    }
}
