//! Cross-checks between the parts of each method: template against arguments, markers
//! against the verb. Everything `expand.rs` relies on is proved here or in `ast.rs`.

use syn::Type;

use crate::ast::{Api, Arg, Method};
use crate::attr::ArgAttr;
use crate::ctxt::Ctxt;
use crate::{money, spec};

/// Methods of the runtime's `Execute` trait: a method of the same name would make every call
/// on a client ambiguous.
const TAKEN_NAMES: &[&str] = &["execute", "call"];

pub(crate) fn check(api: &Api<'_>, cx: &mut Ctxt) {
    for method in &api.methods {
        cx.set_item(method.index);
        check_method(method, cx);
    }
}

fn check_method(method: &Method<'_>, cx: &mut Ctxt) {
    let ident = &method.item.sig.ident;
    if TAKEN_NAMES.contains(&method.name.as_str()) {
        cx.error(
            ident.span(),
            format!(
                "`{}` is a method of the runtime's `Execute` trait: choose another name",
                method.name
            ),
        );
    }
    check_placeholders(method, cx);
    check_markers(method, cx);
    let verb = method.route.verb;
    if let Some(idempotent) = &method.route.idempotent
        && verb.is_idempotent()
    {
        cx.error(
            idempotent.span(),
            format!(
                "`{}` requests are idempotent already: remove `idempotent`",
                verb.name()
            ),
        );
    }
    if let Some(charge) = &method.route.charge {
        if !verb.allows_body() {
            cx.error(
                charge.span(),
                format!(
                    "a `{}` request does not charge: `charge` goes on `post`, `put` or `patch`",
                    verb.name()
                ),
            );
        } else if let Some(idempotent) = &method.route.idempotent {
            cx.error(
                idempotent.span(),
                "a charge is never sent twice: remove `idempotent`",
            );
        }
    }
    spec::check(method, cx);
    money::check(method, cx);
}

fn check_placeholders(method: &Method<'_>, cx: &mut Ctxt) {
    let template = &method.route.template;
    for (name, optional) in method.template.params() {
        let Some(arg) = method.args.iter().find(|arg| arg.name == name) else {
            if method.complete {
                cx.error(
                    template.span(),
                    format!("path parameter `<{name}>` has no matching argument"),
                );
            }
            continue;
        };
        if let Some(marker) = &arg.marker {
            cx.error_spanned(
                marker.tokens,
                format!(
                    "argument `{name}` fills the path parameter `<{name}>`: remove `#[{}]`",
                    marker.helper.name()
                ),
            );
            continue;
        }
        match (optional, is_option(arg.ty)) {
            (true, false) => cx.error_spanned(
                arg.ty,
                format!("`<{name}?>` is optional, so argument `{name}` must be an `Option`"),
            ),
            (false, true) => cx.error_spanned(
                arg.ty,
                format!(
                    "argument `{name}` is an `Option` but `<{name}>` is required: \
                     take a value, or make it the optional last segment `<{name}?>`"
                ),
            ),
            _ => {}
        }
    }

    for arg in &method.args {
        let in_template = method.template.params().any(|(name, _)| name == arg.name);
        if arg.marker.is_none() && !in_template {
            cx.error(
                arg.ident.span(),
                format!(
                    "argument `{}` is used nowhere: add `<{}>` to the path, or mark it \
                     `#[query]`, `#[header(\"...\")]` or `#[body]`",
                    arg.name, arg.name
                ),
            );
        }
        if arg.name.starts_with("__portone") {
            cx.error(
                arg.ident.span(),
                "names starting with `__portone` are reserved for the generated code",
            );
        }
    }
}

fn check_markers(method: &Method<'_>, cx: &mut Ctxt) {
    let verb = method.route.verb;
    let mut bodies = method.args.iter().filter_map(|arg: &Arg<'_>| {
        let marker = arg.marker.as_ref()?;
        matches!(marker.attr, ArgAttr::Body).then_some(marker)
    });
    if let Some(first) = bodies.next()
        && !verb.allows_body()
    {
        cx.error_spanned(
            first.tokens,
            format!(
                "`{}` requests have no body: pass the fields as `#[query]` arguments",
                verb.name()
            ),
        );
    }
    for extra in bodies {
        cx.error_spanned(
            extra.tokens,
            "a request has one `#[body]`: put the fields into one struct",
        );
    }
}

/// Whether `ty` is spelled `Option<..>` (also `&Option<..>`, `core::option::Option<..>`).
/// A type alias for an `Option` is not recognised: the check is on the syntax, as in clap.
pub(crate) fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => is_option(&reference.elem),
        Type::Paren(paren) => is_option(&paren.elem),
        Type::Group(group) => is_option(&group.elem),
        Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().is_some_and(|segment| {
                segment.ident == "Option"
                    && matches!(&segment.arguments, syn::PathArguments::AngleBracketed(args) if args.args.len() == 1)
            })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Api;
    use quote::quote;

    fn is_opt(tokens: proc_macro2::TokenStream) -> bool {
        is_option(&syn::parse2(tokens).expect("a type"))
    }

    #[test]
    fn recognises_option_spellings() {
        assert!(is_opt(quote!(Option<PaymentStatus>)));
        assert!(is_opt(quote!(core::option::Option<&str>)));
        assert!(is_opt(quote!(::std::option::Option<u8>)));
        assert!(is_opt(quote!(&Option<String>)));
        assert!(is_opt(quote!(&'a Option<String>)));
        assert!(!is_opt(quote!(Options)));
        assert!(!is_opt(quote!(Option)));
        assert!(!is_opt(quote!(Vec<Option<u8>>)));
        assert!(!is_opt(quote!(<T as Tr>::Option<u8>)));
        assert!(!is_opt(quote!(&str)));
    }

    /// Every error the macro reports for `tokens`, a whole trait.
    fn errors(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let item: syn::ItemTrait = syn::parse2(tokens).expect("a trait");
        let mut cx = Ctxt::new();
        let api = Api::from_syn(&item, &mut cx);
        check(&api, &mut cx);
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    fn assert_one(tokens: proc_macro2::TokenStream, expected: &str) {
        let errors = errors(tokens);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains(expected), "{errors:#?}");
    }

    #[test]
    fn accepts_every_feature() {
        let errors = errors(quote! {
            /// docs
            pub trait Billing: Sync {
                /// docs
                #[cfg(all())]
                #[get("/payments/find/<merchant_uid>/<status?>", timeout_ms = 5000)]
                async fn find(
                    &self,
                    merchant_uid: &str,
                    status: Option<Status>,
                    #[query] sorting: Option<&str>,
                    #[header("X-Request-Id")] id: Option<&str>,
                ) -> portone::Result<Payment>;
                #[get("/payments")]
                async fn payments(
                    &self,
                    #[query("imp_uid[]")] ids: &[String],
                    #[query(flatten)] more: &More,
                ) -> portone::Result<Vec<Payment>>;
                #[post("/benepia/point", idempotent)]
                async fn points<'a>(&'a self, #[body] body: &'a Query) -> portone::Result<Points>;
                #[put("/<type>", undocumented)]
                async fn r#type(&self, r#type: u32) -> portone::Result<()>;
            }
        });
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn reports_placeholder_mistakes() {
        assert_one(
            quote!(
                trait T {
                    #[get("/p/<imp_uid>", undocumented)]
                    async fn m(&self) -> R;
                }
            ),
            "path parameter `<imp_uid>` has no matching argument",
        );
        assert_one(
            quote!(
                trait T {
                    #[get("/p", undocumented)]
                    async fn m(&self, imp_uid: &str) -> R;
                }
            ),
            "argument `imp_uid` is used nowhere",
        );
        assert_one(
            quote!(
                trait T {
                    #[get("/p/<a>", undocumented)]
                    async fn m(&self, #[query] a: &str) -> R;
                }
            ),
            "argument `a` fills the path parameter `<a>`: remove `#[query]`",
        );
        assert_one(
            quote!(
                trait T {
                    #[get("/p/<s?>", undocumented)]
                    async fn m(&self, s: &str) -> R;
                }
            ),
            "`<s?>` is optional, so argument `s` must be an `Option`",
        );
        assert_one(
            quote!(
                trait T {
                    #[get("/p/<s>", undocumented)]
                    async fn m(&self, s: Option<&str>) -> R;
                }
            ),
            "argument `s` is an `Option` but `<s>` is required",
        );
        // The argument that would fill `<a>` is malformed: only that is reported.
        assert_one(
            quote!(
                trait T {
                    #[get("/p/<a>", undocumented)]
                    async fn m(&self, (a, b): (u8, u8)) -> R;
                }
            ),
            "must be a plain name",
        );
    }

    #[test]
    fn reports_marker_mistakes() {
        assert_one(
            quote!(
                trait T {
                    #[get("/p", undocumented)]
                    async fn m(&self, #[body] b: B) -> R;
                }
            ),
            "`get` requests have no body",
        );
        assert_one(
            quote!(
                trait T {
                    #[delete("/p", undocumented)]
                    async fn m(&self, #[body] b: B) -> R;
                }
            ),
            "`delete` requests have no body",
        );
        assert_one(
            quote!(
                trait T {
                    #[post("/p", undocumented)]
                    async fn m(&self, #[body] a: B, #[body] b: B) -> R;
                }
            ),
            "a request has one `#[body]`",
        );
        assert_one(
            quote!(
                trait T {
                    #[post("/p", undocumented)]
                    async fn m(
                        &self,
                        #[body]
                        #[query]
                        a: B,
                    ) -> R;
                }
            ),
            "already marked `#[body]`",
        );
        assert_one(
            quote!(
                trait T {
                    #[get("/p", idempotent, undocumented)]
                    async fn m(&self) -> R;
                }
            ),
            "`get` requests are idempotent already",
        );
        assert_one(
            quote!(
                trait T {
                    #[get("/p", undocumented)]
                    async fn call(&self) -> R;
                }
            ),
            "`call` is a method of the runtime's `Execute` trait",
        );
        assert_one(
            quote!(
                trait T {
                    #[get("/p", undocumented)]
                    async fn m(&self, #[query] __portone_x: u8) -> R;
                }
            ),
            "reserved for the generated code",
        );
    }

    #[test]
    fn reports_shape_mistakes() {
        let cases = [
            (
                quote!(
                    trait T {
                        async fn m(&self) -> R;
                    }
                ),
                "has no verb",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        #[post("/a", undocumented)]
                        async fn m(&self) -> R;
                    }
                ),
                "already has `#[get]`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        fn m(&self) -> R;
                    }
                ),
                "must be `async`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m() -> R;
                    }
                ),
                "needs `&self`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(self) -> R;
                    }
                ),
                "must take `&self`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(&mut self) -> R;
                    }
                ),
                "must take `&self`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(self: Box<Self>) -> R;
                    }
                ),
                "must take `&self`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(&self) -> R {
                            todo!()
                        }
                    }
                ),
                "cannot have a body",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(&self);
                    }
                ),
                "must return `portone::Result<T>`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m<Q>(&self) -> R;
                    }
                ),
                "cannot have type or const parameters",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async unsafe fn m(&self) -> R;
                    }
                ),
                "cannot be `unsafe`",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(&self, mut a: u8) -> R;
                    }
                ),
                "plain name",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(&self, _: u8) -> R;
                    }
                ),
                "plain name",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        #[query]
                        async fn m(&self) -> R;
                    }
                ),
                "`#[query]` goes on an argument",
            ),
            (
                quote!(
                    trait T {
                        #[get("/a", undocumented)]
                        async fn m(&self, #[post] a: u8) -> R;
                    }
                ),
                "goes on the method",
            ),
            (
                quote!(
                    trait T {
                        const X: u8;
                    }
                ),
                "holds only `async fn` methods",
            ),
            (
                quote!(
                    trait T<X> {}
                ),
                "cannot be generic",
            ),
            (
                quote!(
                    unsafe trait T {}
                ),
                "cannot be `unsafe`",
            ),
            (
                quote!(
                    trait T {
                        #[get("a")]
                        async fn m(&self) -> R;
                    }
                ),
                "must start with `/`",
            ),
        ];
        for (tokens, expected) in cases {
            assert_one(tokens, expected);
        }
    }

    #[test]
    fn reports_every_mistake_of_a_trait_in_source_order() {
        let errors = errors(quote! {
            trait T {
                async fn no_verb(&self) -> R;
                #[get("/a/<x>", undocumented)]
                fn not_async(&self) -> R;
                #[get("/b", undocumented)]
                async fn unused(&self, y: u8, #[body] z: u8) -> R;
                #[get("b")]
                async fn bad_path(&self) -> R;
            }
        });
        let expected = [
            "method `no_verb` has no verb",
            "method `not_async` must be `async`",
            "path parameter `<x>` has no matching argument",
            "argument `y` is used nowhere",
            "`get` requests have no body",
            "the path must start with `/`",
        ];
        assert_eq!(errors.len(), expected.len(), "{errors:#?}");
        for (error, expected) in errors.iter().zip(expected) {
            assert!(error.starts_with(expected), "{error} / {expected}");
        }
    }
}
