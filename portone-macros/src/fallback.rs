//! What is emitted next to the errors when the trait has a mistake: the trait with the
//! macro's attributes removed and a blanket impl whose bodies never run. The rest of the
//! program keeps compiling against it, so the user sees the macro's errors and no cascade of
//! "cannot find trait" or "method not found" errors (thiserror's `fallback.rs`).
//!
//! It works on the raw syntax tree, since the model could not be built: anything that would
//! itself fail to compile in a trait (`const fn`, patterns in a declaration, a default body)
//! is dropped or neutralised.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::{
    FnArg, GenericParam, Ident, ItemTrait, Pat, ReturnType, Signature, Token, TraitItem,
    TraitItemFn,
};

use crate::ast::contains_impl_trait;
use crate::attr;
use crate::expand::ENDPOINTS_DOC;
use crate::paths::Paths;

pub(crate) fn expand(item: &ItemTrait, paths: &Paths) -> TokenStream {
    let attrs = &item.attrs;
    let vis = &item.vis;
    let unsafety = &item.unsafety;
    let ident = &item.ident;
    let generics = &item.generics;
    let where_clause = &item.generics.where_clause;
    let supertraits = item.supertraits.iter().collect::<Vec<_>>();
    let execute = paths.execute();
    let endpoint = paths.endpoint();
    let methods = item
        .items
        .iter()
        .filter_map(|item| match item {
            TraitItem::Fn(method) => Some(method),
            _ => None,
        })
        .collect::<Vec<_>>();

    // The trait's own type parameters are captured too (only a trait without them gets an
    // impl, so the impl's list is `__PortoneExecutor` alone).
    let trait_params = capturable(&generics.params);
    let declarations = methods.iter().map(|method| {
        let attrs = method.attrs.iter().filter(|a| !attr::is_helper(a));
        let sig = signature(&method.sig, paths, &quote!(Self #(, #trait_params)*), false);
        quote!(#(#attrs)* #sig;)
    });
    let trait_tokens = quote! {
        #(#attrs)*
        #vis #unsafety trait #ident #generics: #execute #(+ #supertraits)* #where_clause {
            #[doc = #ENDPOINTS_DOC]
            const ENDPOINTS: &'static [#endpoint] = &[];
            #(#declarations)*
        }
    };
    // A blanket impl of a generic or constrained trait would need bounds the user did not
    // write; those traits are already an error, so the trait alone is enough.
    if !generics.params.is_empty() || where_clause.is_some() {
        return trait_tokens;
    }

    let definitions = methods.iter().map(|method| definition(method, paths));
    quote! {
        #trait_tokens

        #unsafety impl<__PortoneExecutor: #execute #(+ #supertraits)*> #ident for __PortoneExecutor {
            #(#definitions)*
        }
    }
}

fn definition(method: &TraitItemFn, paths: &Paths) -> TokenStream {
    let cfgs = attr::cfgs(&method.attrs);
    let sig = signature(&method.sig, paths, &quote!(__PortoneExecutor), true);
    let body = if method.sig.asyncness.is_some() {
        let pending = paths.pending();
        let output = output_type(&method.sig);
        quote!(#pending::<#output>())
    } else {
        paths.unreachable()
    };
    quote!(#(#cfgs)* #sig { #body })
}

/// The signature the successful expansion would have, made to compile whatever the mistake:
/// an `async fn` returns a `Send` future; patterns become `_` (plain names are kept in the
/// trait for the IDE); modifiers a trait method cannot have are dropped.
fn signature(sig: &Signature, paths: &Paths, captured: &TokenStream, in_impl: bool) -> TokenStream {
    let mut sig = sig.clone();
    sig.constness = None;
    sig.variadic = None;
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => receiver.mutability = None,
            FnArg::Typed(typed) => {
                typed.attrs.retain(|a| !attr::is_helper(a));
                let keep = !in_impl
                    && matches!(&*typed.pat, Pat::Ident(p) if p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none());
                if !keep {
                    *typed.pat = Pat::Wild(syn::PatWild {
                        attrs: Vec::new(),
                        underscore_token: Default::default(),
                    });
                }
            }
        }
    }
    if sig.asyncness.take().is_none() {
        return sig.into_token_stream();
    }
    let future = paths.future();
    let send = paths.send();
    let output = output_type(&sig);
    let params = capturable(&sig.generics.params);
    let where_clause = sig.generics.where_clause.take();
    sig.output = ReturnType::Default;
    // An `impl Trait` argument cannot be named in a capture list: capture everything then.
    let apit = sig.inputs.iter().any(|input| match input {
        FnArg::Typed(typed) => contains_impl_trait(&typed.ty),
        FnArg::Receiver(_) => false,
    });
    let captures = (!apit).then(|| quote!(+ 'static + use<#captured #(, #params)*>));
    quote! {
        #sig -> impl #future<Output = #output> + #send #captures #where_clause
    }
}

/// Type and const parameters: a precise-capturing list cannot leave them out.
fn capturable(params: &Punctuated<GenericParam, Token![,]>) -> Vec<Ident> {
    params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(ty) => Some(ty.ident.clone()),
            GenericParam::Const(c) => Some(c.ident.clone()),
            GenericParam::Lifetime(_) => None,
        })
        .collect()
}

fn output_type(sig: &Signature) -> TokenStream {
    match &sig.output {
        ReturnType::Type(_, ty) => ty.to_token_stream(),
        ReturnType::Default => quote!(()),
    }
}
