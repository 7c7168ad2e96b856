//! The pipeline (parse → validate → expand or fall back) and the code for a valid trait.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemTrait};

use crate::ast::{Api, Method};
use crate::attr::{self, ArgAttr};
use crate::ctxt::Ctxt;
use crate::paths::Paths;
use crate::template::Piece;
use crate::{fallback, money, valid};

pub(crate) const ENDPOINTS_DOC: &str = "The endpoints this trait declares, one per method in \
    declaration order: name, HTTP method, path template, and where each argument goes. \
    Written by `#[portone::api]`.";

/// The whole macro. Never panics: every mistake becomes a `compile_error!` next to a trait that
/// still compiles.
pub(crate) fn api(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let args = attr::parse_args(args, &mut cx);
    let paths = Paths::new(args.krate.as_ref());
    let item: ItemTrait = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "`#[portone::api]` goes on a trait: `#[portone::api] pub trait Billing { .. }`",
            )
            .into_compile_error();
            return quote!(#error #input);
        }
    };
    let api = Api::from_syn(&item, &mut cx);
    valid::check(&api, &mut cx);
    match cx.check() {
        Ok(()) => expand(&api, &paths),
        Err(error) => {
            let mut tokens = fallback::expand(&item, &paths);
            tokens.extend(error.into_compile_error());
            tokens
        }
    }
}

fn expand(api: &Api<'_>, paths: &Paths) -> TokenStream {
    let item = api.item;
    let attrs = &item.attrs;
    let vis = &item.vis;
    let ident = &item.ident;
    let supertraits = item.supertraits.iter().collect::<Vec<_>>();
    let execute = paths.execute();
    let endpoint = paths.endpoint();
    let endpoints = api.methods.iter().map(|m| endpoint_data(m, paths));
    let declarations = api.methods.iter().map(|m| declaration(m, paths));
    let definitions = api.methods.iter().map(|m| definition(m, paths));
    quote! {
        #(#attrs)*
        #vis trait #ident: #execute #(+ #supertraits)* {
            #[doc = #ENDPOINTS_DOC]
            const ENDPOINTS: &'static [#endpoint] = &[#(#endpoints),*];
            #(#declarations)*
        }

        impl<__PortoneExecutor: #execute #(+ #supertraits)* + ?::core::marker::Sized> #ident for __PortoneExecutor {
            #(#definitions)*
        }
    }
}

/// The method as declared in the trait: user attributes kept, markers removed.
fn declaration(method: &Method<'_>, paths: &Paths) -> TokenStream {
    let attrs = method.item.attrs.iter().filter(|a| !attr::is_helper(a));
    let sig = signature(method, paths, &quote!(Self));
    quote!(#(#attrs)* #sig;)
}

/// The method in the blanket impl: the request is built here, synchronously, so the future
/// it returns owns everything and borrows neither `self` nor the arguments.
fn definition(method: &Method<'_>, paths: &Paths) -> TokenStream {
    let cfgs = attr::cfgs(&method.item.attrs);
    let sig = signature(method, paths, &quote!(__PortoneExecutor));
    let request = request(method, paths);
    // A return type that is not `Result<T>`, or a `T` that cannot be decoded, is reported on
    // the user's return type rather than on the attribute.
    let span = method.output.span();
    let call = respan(paths.call(), span);
    let call = quote_spanned!(span=> #call(self, #request));
    quote! {
        #(#cfgs)*
        #sig {
            #call
        }
    }
}

/// `fn name(&self, args) -> impl Future<Output = R> + Send + 'static + use<captured>`: the
/// future captures only the implementing type and promises to be `'static` (as `Execute`'s
/// futures do), so callers can `tokio::spawn` it, also from code generic over the trait.
fn signature(method: &Method<'_>, paths: &Paths, captured: &TokenStream) -> TokenStream {
    let sig = &method.item.sig;
    let ident = &sig.ident;
    let generics = &sig.generics;
    let where_clause = &sig.generics.where_clause;
    let inputs = sig.inputs.iter().map(strip_markers);
    let output = method.output;
    // A body whose future does not fit `R` is reported on this type, so it carries the span
    // of the user's return type.
    let span = output.span();
    let future = respan(paths.future(), span);
    let send = respan(paths.send(), span);
    let captured = respan(captured.clone(), span);
    let returns =
        quote_spanned!(span=> impl #future<Output = #output> + #send + 'static + use<#captured>);
    quote! {
        fn #ident #generics (#(#inputs),*) -> #returns #where_clause
    }
}

/// `tokens` with every span set to `span`, so diagnostics about them point there.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                tree = TokenTree::Group(respanned);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

fn strip_markers(input: &FnArg) -> TokenStream {
    match input {
        FnArg::Receiver(receiver) => receiver.to_token_stream(),
        FnArg::Typed(typed) => {
            let attrs = typed.attrs.iter().filter(|a| !attr::is_helper(a));
            let pat = &typed.pat;
            let ty = &typed.ty;
            quote!(#(#attrs)* #pat: #ty)
        }
    }
}

/// `Request::builder(..).path(..).segment(&x)...build()`, a `Result<Request>`.
fn request(method: &Method<'_>, paths: &Paths) -> TokenStream {
    let request = paths.request();
    let verb = paths.method(method.route.verb);
    let template = &method.route.template;
    let mut chain = quote!(#request::builder(#verb, #template));

    for piece in method.template.pieces() {
        match piece {
            Piece::Literal(text) => chain.extend(quote!(.path(#text))),
            Piece::Param { name, optional } => {
                let bound = method.args.iter().filter(|arg| arg.name == name);
                for arg in bound {
                    let ident = arg.ident;
                    let call = if optional {
                        quote!(optional_segment)
                    } else {
                        quote!(segment)
                    };
                    chain.extend(quote_spanned!(arg.ty.span()=> .#call(&#ident)));
                }
            }
        }
    }

    for arg in &method.args {
        let Some(marker) = &arg.marker else { continue };
        let ident = arg.ident;
        let span = arg.ty.span();
        chain.extend(match &marker.attr {
            ArgAttr::Query(key) => {
                let key = arg.query_key(key.as_ref());
                quote_spanned!(span=> .query(#key, &#ident))
            }
            // The runtime sends a struct as one pair per field; the name is not used then.
            ArgAttr::Flatten => {
                let name = &arg.name;
                quote_spanned!(span=> .query(#name, &#ident))
            }
            ArgAttr::Header(name) => quote_spanned!(span=> .header(#name, &#ident)),
            ArgAttr::Body => quote_spanned!(span=> .json(&#ident)),
        });
    }

    if let Some(ms) = method.route.timeout_ms {
        let duration = paths.duration();
        chain.extend(quote!(.timeout(#duration::from_millis(#ms))));
    }
    if method.route.idempotent.is_some() {
        chain.extend(quote!(.idempotent(true)));
    }
    let money = paths.money(money::money(method).variant());
    if money::decided_by_path(method) {
        // Only the path sent says whether this is a money route: the runtime looks it up.
        chain.extend(quote!(.money(#money)));
    } else {
        chain.extend(quote!(.money_of_route(#money)));
    }
    chain.extend(quote!(.build()));
    chain
}

/// The method's entry in `ENDPOINTS`.
fn endpoint_data(method: &Method<'_>, paths: &Paths) -> TokenStream {
    let cfgs = attr::cfgs(&method.item.attrs);
    let endpoint = paths.endpoint();
    let param = paths.param();
    let name = &method.name;
    let http = method.route.verb.http();
    let template = &method.route.template;
    let params = method.args.iter().map(|arg| {
        let arg_name = &arg.name;
        let (key, location) = match arg.marker.as_ref().map(|m| &m.attr) {
            None => {
                let optional = method
                    .template
                    .params()
                    .any(|(name, optional)| name == arg.name && optional);
                let location = if optional { "OptionalPath" } else { "Path" };
                (arg.name.clone(), location)
            }
            Some(ArgAttr::Query(key)) => (arg.query_key(key.as_ref()), "Query"),
            Some(ArgAttr::Flatten) => (String::new(), "QueryFields"),
            Some(ArgAttr::Header(name)) => (name.value(), "Header"),
            Some(ArgAttr::Body) => (String::new(), "Body"),
        };
        let location = paths.location(location);
        quote!(#param { name: #arg_name, key: #key, location: #location })
    });
    let timeout_ms = match method.route.timeout_ms {
        Some(ms) => {
            let some = paths.some();
            quote!(#some(#ms))
        }
        None => paths.none(),
    };
    let money = money::money(method);
    let idempotent = (method.route.verb.is_idempotent() || method.route.idempotent.is_some())
        && !money.moves_money();
    let money = paths.money(money.variant());
    quote! {
        #(#cfgs)*
        #endpoint {
            name: #name,
            method: #http,
            template: #template,
            params: &[#(#params),*],
            timeout_ms: #timeout_ms,
            idempotent: #idempotent,
            money: #money,
        }
    }
}
