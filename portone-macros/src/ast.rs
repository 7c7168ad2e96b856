//! The trait as the macro sees it: syn nodes plus the parsed attributes and templates.
//!
//! Building it checks the *shape* of each item (an `async fn` with `&self`, plain argument
//! names, exactly one verb, a template that parses); `valid.rs` then checks how the parts fit
//! together. A method whose route cannot be parsed is left out of the model after its errors
//! are recorded: with errors, `fallback.rs` emits the trait and `expand.rs` never runs.

use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{
    Attribute, FnArg, GenericParam, Ident, ItemTrait, LitStr, Pat, ReceiverKind, ReturnType,
    Safety, TraitItem, TraitItemFn, Type,
};

use crate::attr::{self, ArgAttr, Helper, Route};
use crate::ctxt::Ctxt;
use crate::template::{self, Template};

pub(crate) struct Api<'a> {
    pub(crate) item: &'a ItemTrait,
    pub(crate) methods: Vec<Method<'a>>,
}

pub(crate) struct Method<'a> {
    pub(crate) item: &'a TraitItemFn,
    /// Position among the trait's items: errors are reported in source order.
    pub(crate) index: usize,
    /// The Rust name, unraw: `payment`.
    pub(crate) name: String,
    pub(crate) route: Route,
    pub(crate) template: Template,
    /// The arguments after `&self`, in order; those that failed to parse are left out.
    pub(crate) args: Vec<Arg<'a>>,
    /// False when an argument was left out, so checks that need every argument are skipped
    /// instead of reporting a second, misleading error.
    pub(crate) complete: bool,
    /// `R` in `async fn m(..) -> R`.
    pub(crate) output: &'a Type,
}

pub(crate) struct Arg<'a> {
    pub(crate) ident: &'a Ident,
    /// The unraw name (`type` for `r#type`): what placeholders and default keys use.
    pub(crate) name: String,
    pub(crate) ty: &'a Type,
    /// `None` for a bare argument, which binds the placeholder of its name.
    pub(crate) marker: Option<Marker<'a>>,
}

impl Arg<'_> {
    /// The key a `#[query]` argument is sent under: the one written in `#[query("key")]`,
    /// else the argument's name.
    pub(crate) fn query_key(&self, key: Option<&LitStr>) -> String {
        key.map_or_else(|| self.name.clone(), LitStr::value)
    }
}

pub(crate) struct Marker<'a> {
    pub(crate) attr: ArgAttr,
    pub(crate) helper: Helper,
    /// The attribute as written, where mistakes about it point.
    pub(crate) tokens: &'a Attribute,
}

impl<'a> Api<'a> {
    pub(crate) fn from_syn(item: &'a ItemTrait, cx: &mut Ctxt) -> Self {
        if let Some(unsafety) = &item.unsafety {
            cx.error(unsafety.span, "an api trait cannot be `unsafe`");
        }
        if let Err(error) = item.modifiers.require_empty() {
            cx.push(error);
        }
        if !item.generics.params.is_empty() {
            cx.error_spanned(
                &item.generics,
                "an api trait cannot be generic: declare one trait per set of endpoints",
            );
        } else if let Some(where_clause) = &item.generics.where_clause {
            cx.error_spanned(where_clause, "an api trait cannot have a `where` clause");
        }

        let mut methods = Vec::new();
        for (index, trait_item) in item.items.iter().enumerate() {
            cx.set_item(index);
            match trait_item {
                TraitItem::Fn(method) => {
                    if let Some(method) = Method::from_syn(method, index, cx) {
                        methods.push(method);
                    }
                }
                other => cx.error_spanned(
                    other,
                    "an api trait holds only `async fn` methods, each with a verb like `#[get(\"/path\")]`",
                ),
            }
        }
        Api { item, methods }
    }
}

impl<'a> Method<'a> {
    fn from_syn(item: &'a TraitItemFn, index: usize, cx: &mut Ctxt) -> Option<Self> {
        let sig = &item.sig;
        let ident = &sig.ident;
        let route = parse_verb(&item.attrs, ident, cx);
        check_signature(item, cx);

        let mut args = Vec::new();
        let mut complete = true;
        for (position, input) in sig.inputs.iter().enumerate() {
            // The receiver was checked with the signature; only a misplaced one is an argument.
            if position == 0 && matches!(input, FnArg::Receiver(_)) {
                continue;
            }
            match Arg::from_syn(input, cx) {
                Some(arg) => args.push(arg),
                None => complete = false,
            }
        }

        let output = match &sig.output {
            ReturnType::Type(_, ty) => Some(&**ty),
            ReturnType::Default => {
                cx.error(
                    ident.span(),
                    format!("method `{ident}` must return `portone::Result<T>`"),
                );
                None
            }
        };

        let route = route?;
        let template = match template::parse(&route.template.value()) {
            Ok(template) => template,
            Err(error) => {
                cx.error(route.template.span(), error);
                return None;
            }
        };
        Some(Method {
            item,
            index,
            name: ident.unraw().to_string(),
            route,
            template,
            args,
            complete,
            output: output?,
        })
    }
}

/// The one verb attribute of a method. Argument markers on the method are mistakes too.
fn parse_verb(attrs: &[Attribute], ident: &Ident, cx: &mut Ctxt) -> Option<Route> {
    let mut route = None;
    let mut first_verb: Option<&'static str> = None;
    for attr in attrs {
        match Helper::of(attr) {
            Some(Helper::Verb(verb)) => match first_verb {
                Some(first) => cx.error(
                    attr.path().span(),
                    format!(
                        "method `{ident}` already has `#[{first}]`: a method has one verb, remove `#[{}]`",
                        verb.name()
                    ),
                ),
                None => {
                    first_verb = Some(verb.name());
                    route = attr::parse_route(attr, verb, cx);
                }
            },
            Some(marker) => cx.error_spanned(
                attr,
                format!("`#[{}]` goes on an argument, not on the method", marker.name()),
            ),
            None => {}
        }
    }
    if first_verb.is_none() {
        cx.error(
            ident.span(),
            format!(
                "method `{ident}` has no verb: add `#[get(\"/path\")]`, or `post`, `put`, `patch`, `delete`"
            ),
        );
    }
    route
}

/// What the generated method needs: `async fn name(&self, ..)` with no body and no type
/// parameters (the returned future is `'static`, so it captures none).
fn check_signature(item: &TraitItemFn, cx: &mut Ctxt) {
    let sig = &item.sig;
    let ident = &sig.ident;
    if let Err(error) = item.modifiers.require_empty() {
        cx.push(error);
    }
    if let Some(constness) = &sig.constness {
        cx.error(constness.span, "an api method cannot be `const`");
    }
    if sig.asyncness.is_none() {
        cx.error(
            sig.fn_token.span,
            format!("method `{ident}` must be `async`: write `async fn {ident}`"),
        );
    }
    if let Safety::Unsafe(unsafety) = &sig.safety {
        cx.error(unsafety.span, "an api method cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned(abi, "an api method cannot have an `extern` ABI");
    }
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned(variadic, "an api method cannot be variadic");
    }
    for param in &sig.generics.params {
        match param {
            GenericParam::Lifetime(_) => {}
            other => cx.error_spanned(
                other,
                format!(
                    "method `{ident}` cannot have type or const parameters: use concrete argument types"
                ),
            ),
        }
    }
    for input in &sig.inputs {
        if let FnArg::Typed(typed) = input
            && contains_impl_trait(&typed.ty)
        {
            cx.error_spanned(
                &typed.ty,
                format!("method `{ident}` cannot take `impl Trait` arguments: use a concrete type"),
            );
        }
    }
    if let Some(body) = &item.default {
        cx.error_spanned(
            body,
            format!("method `{ident}` cannot have a body: `#[portone::api]` writes it"),
        );
    }
    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => {
            let is_shared_ref = matches!(receiver.kind, ReceiverKind::Reference(_, _, None));
            if !is_shared_ref || receiver.mutability.is_some() {
                cx.error_spanned(receiver, format!("method `{ident}` must take `&self`"));
            }
        }
        Some(FnArg::Typed(_)) | None => cx.error(
            ident.span(),
            format!("method `{ident}` needs `&self` as its first argument"),
        ),
    }
}

impl<'a> Arg<'a> {
    /// `None` after reporting why the argument cannot be modelled.
    fn from_syn(input: &'a FnArg, cx: &mut Ctxt) -> Option<Self> {
        let typed = match input {
            FnArg::Typed(typed) => typed,
            FnArg::Receiver(receiver) => {
                cx.error_spanned(receiver, "`self` can only be the first argument");
                return None;
            }
        };
        let mut marker: Option<Marker<'a>> = None;
        let mut ok = true;
        for attr in &typed.attrs {
            let Some(helper) = Helper::of(attr) else {
                continue;
            };
            let Some(parsed) = attr::parse_arg_attr(attr, helper, cx) else {
                ok = false;
                continue;
            };
            if let Some(first) = &marker {
                cx.error_spanned(
                    attr,
                    format!(
                        "this argument is already marked `#[{}]`: an argument goes to one place, remove `#[{}]`",
                        first.helper.name(),
                        helper.name()
                    ),
                );
                ok = false;
            } else {
                marker = Some(Marker {
                    attr: parsed,
                    helper,
                    tokens: attr,
                });
            }
        }

        let ident = match &*typed.pat {
            Pat::Ident(pat)
                if pat.by_ref.is_none() && pat.mutability.is_none() && pat.subpat.is_none() =>
            {
                Some(&pat.ident)
            }
            other => {
                cx.error_spanned(
                    other,
                    "an api argument must be a plain name, like `imp_uid: &str`",
                );
                None
            }
        };
        let ident = ident?;
        ok.then(|| Arg {
            ident,
            name: ident.unraw().to_string(),
            ty: &typed.ty,
            marker,
        })
    }
}

/// Whether `ty` holds an `impl Trait`: in argument position it is a hidden type parameter,
/// which the returned future would have to capture.
pub(crate) fn contains_impl_trait(ty: &Type) -> bool {
    match ty {
        Type::ImplTrait(_) => true,
        Type::Reference(reference) => contains_impl_trait(&reference.elem),
        Type::Ptr(ptr) => contains_impl_trait(&ptr.elem),
        Type::Paren(paren) => contains_impl_trait(&paren.elem),
        Type::Group(group) => contains_impl_trait(&group.elem),
        Type::Slice(slice) => contains_impl_trait(&slice.elem),
        Type::Array(array) => contains_impl_trait(&array.elem),
        Type::Tuple(tuple) => tuple.elems.iter().any(contains_impl_trait),
        Type::Path(path) => path.path.segments.iter().any(|segment| {
            matches!(&segment.arguments, syn::PathArguments::AngleBracketed(args)
                if args.args.iter().any(|arg| matches!(arg, syn::GenericArgument::Type(ty) if contains_impl_trait(ty))))
        }),
        _ => false,
    }
}
