//! Every path the generated code names. Nothing else in the crate spells a path, so the
//! generated code never depends on what the user has in scope (`Result`, `serde`, ...).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::attr::Verb;

pub(crate) struct Paths {
    /// `::portone::__private`, or `<crate>::__private` with `crate = "..."`.
    private: TokenStream,
}

impl Paths {
    pub(crate) fn new(krate: Option<&syn::Path>) -> Self {
        let private = match krate {
            Some(krate) => quote!(#krate::__private),
            None => quote!(::portone::__private),
        };
        Self { private }
    }

    fn private(&self, name: &str) -> TokenStream {
        let private = &self.private;
        let name = format_ident!("{name}");
        quote!(#private::#name)
    }

    /// The runtime's request trait, supertrait of every api trait.
    pub(crate) fn execute(&self) -> TokenStream {
        self.private("Execute")
    }

    pub(crate) fn request(&self) -> TokenStream {
        self.private("Request")
    }

    /// `Method::GET`: the `http` method constant for a verb.
    pub(crate) fn method(&self, verb: Verb) -> TokenStream {
        let method = self.private("Method");
        let constant = format_ident!("{}", verb.http());
        quote!(#method::#constant)
    }

    /// `call(executor, Result<Request>)`: sends, or turns a building error into a ready future.
    pub(crate) fn call(&self) -> TokenStream {
        self.private("call")
    }

    pub(crate) fn endpoint(&self) -> TokenStream {
        self.private("Endpoint")
    }

    pub(crate) fn param(&self) -> TokenStream {
        self.private("Param")
    }

    /// `Location::Path` and the other variants.
    pub(crate) fn location(&self, variant: &str) -> TokenStream {
        let location = self.private("Location");
        let variant = format_ident!("{variant}");
        quote!(#location::#variant)
    }

    /// `Money::Charges`: what a call does with money.
    pub(crate) fn money(&self, variant: &str) -> TokenStream {
        let money = self.private("Money");
        let variant = format_ident!("{variant}");
        quote!(#money::#variant)
    }

    pub(crate) fn duration(&self) -> TokenStream {
        quote!(::core::time::Duration)
    }

    pub(crate) fn future(&self) -> TokenStream {
        quote!(::core::future::Future)
    }

    pub(crate) fn send(&self) -> TokenStream {
        quote!(::core::marker::Send)
    }

    pub(crate) fn some(&self) -> TokenStream {
        quote!(::core::option::Option::Some)
    }

    pub(crate) fn none(&self) -> TokenStream {
        quote!(::core::option::Option::None)
    }

    /// A future that never completes: the fallback's method bodies, never run because the
    /// program does not compile.
    pub(crate) fn pending(&self) -> TokenStream {
        quote!(::core::future::pending)
    }

    pub(crate) fn unreachable(&self) -> TokenStream {
        quote!(::core::unreachable!())
    }
}
