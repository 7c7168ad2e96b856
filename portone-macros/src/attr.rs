//! The macro's own attributes: the `crate = "..."` argument, the verb on a method
//! (`#[get("/path", timeout_ms = 5000, idempotent, undocumented)]`, `#[post("/path", charge)]`)
//! and the argument markers (`#[query]`, `#[query("name")]`, `#[query(flatten)]`,
//! `#[header("Name")]`, `#[body]`).

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, LitInt, LitStr, Meta, Token};

use crate::ctxt::Ctxt;

/// The arguments of `#[portone::api(...)]`.
#[derive(Default)]
pub(crate) struct Args {
    /// `crate = "renamed_portone"`: where the runtime lives when `portone` is renamed.
    pub(crate) krate: Option<syn::Path>,
}

pub(crate) fn parse_args(tokens: TokenStream, cx: &mut Ctxt) -> Args {
    let mut args = Args::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            if args.krate.is_some() {
                return Err(meta.error("duplicate `crate` argument"));
            }
            let value: LitStr = meta.value()?.parse()?;
            let path = value.parse().map_err(|_| {
                syn::Error::new(
                    value.span(),
                    "`crate` takes the path of the portone crate, like `crate = \"portone\"`",
                )
            })?;
            args.krate = Some(path);
            Ok(())
        } else {
            Err(meta.error("unknown argument: the only one is `crate = \"...\"`"))
        }
    });
    if let Err(error) = parser.parse2(tokens) {
        cx.push(error);
    }
    args
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    /// The attribute name, as the user writes it: `get`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
            Self::Put => "put",
            Self::Patch => "patch",
            Self::Delete => "delete",
        }
    }

    /// The HTTP method: `GET`; also the name of the `Method` constant.
    pub(crate) fn http(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The runtime retries these without being told. Not `delete`, although HTTP calls it
    /// idempotent: PortOne's DELETEs revoke something, and a second one after a lost answer
    /// would turn that success into a "not found".
    pub(crate) fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put)
    }

    /// Servers may ignore or refuse a body on these, so `#[body]` is refused.
    pub(crate) fn allows_body(self) -> bool {
        !matches!(self, Self::Get | Self::Delete)
    }
}

/// One of the macro's attributes, recognised by its name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Helper {
    Verb(Verb),
    Query,
    Header,
    Body,
}

impl Helper {
    pub(crate) fn of(attr: &Attribute) -> Option<Self> {
        let ident = attr.path().get_ident()?;
        Some(match ident.to_string().as_str() {
            "get" => Self::Verb(Verb::Get),
            "post" => Self::Verb(Verb::Post),
            "put" => Self::Verb(Verb::Put),
            "patch" => Self::Verb(Verb::Patch),
            "delete" => Self::Verb(Verb::Delete),
            "query" => Self::Query,
            "header" => Self::Header,
            "body" => Self::Body,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Verb(verb) => verb.name(),
            Self::Query => "query",
            Self::Header => "header",
            Self::Body => "body",
        }
    }
}

/// Attributes the macro consumes are removed from what it emits.
pub(crate) fn is_helper(attr: &Attribute) -> bool {
    Helper::of(attr).is_some()
}

/// A method's `#[cfg]`s, repeated on all that is generated for it, which `#[cfg]` removes too.
pub(crate) fn cfgs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("cfg"))
}

/// A parsed verb attribute.
pub(crate) struct Route {
    pub(crate) verb: Verb,
    pub(crate) template: LitStr,
    pub(crate) timeout_ms: Option<u64>,
    /// The `idempotent` keyword when written.
    pub(crate) idempotent: Option<Ident>,
    /// The `charge` keyword when written: the answer is a payment attempt.
    pub(crate) charge: Option<Ident>,
    /// The `undocumented` keyword when written: the route is not checked against the spec.
    pub(crate) undocumented: Option<Ident>,
}

/// What the unknown-option error lists.
const OPTIONS: &str = "`timeout_ms = N`, `idempotent`, `charge` or `undocumented`";

pub(crate) fn parse_route(attr: &Attribute, verb: Verb, cx: &mut Ctxt) -> Option<Route> {
    let name = verb.name();
    let Meta::List(list) = &attr.meta else {
        cx.error_spanned(
            attr,
            format!("`#[{name}]` needs a path: `#[{name}(\"/payments/<imp_uid>\")]`"),
        );
        return None;
    };
    let mut options = Vec::new();
    let parsed = list.parse_args_with(|input: ParseStream<'_>| {
        if !input.peek(LitStr) {
            return Err(input.error(format!(
                "expected the path as a string: `#[{name}(\"/payments/<imp_uid>\")]`"
            )));
        }
        let template: LitStr = input.parse()?;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            let value = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(input.parse::<syn::Expr>()?)
            } else {
                None
            };
            options.push((key, value));
        }
        Ok(template)
    });
    let template = match parsed {
        Ok(template) => template,
        Err(error) => {
            cx.push(error);
            return None;
        }
    };

    let mut route = Route {
        verb,
        template,
        timeout_ms: None,
        idempotent: None,
        charge: None,
        undocumented: None,
    };
    let mut ok = true;
    let mut seen_timeout = false;
    for (key, value) in options {
        match key.to_string().as_str() {
            "timeout_ms" if seen_timeout => {
                cx.error(key.span(), "duplicate option `timeout_ms`");
                ok = false;
            }
            "timeout_ms" => {
                seen_timeout = true;
                match parse_timeout(&key, value, cx) {
                    Some(ms) => route.timeout_ms = Some(ms),
                    None => ok = false,
                }
            }
            "idempotent" => ok &= set_flag(&mut route.idempotent, key, value, cx),
            "charge" => ok &= set_flag(&mut route.charge, key, value, cx),
            "undocumented" => ok &= set_flag(&mut route.undocumented, key, value, cx),
            other => {
                cx.error(
                    key.span(),
                    format!("unknown option `{other}` for `#[{name}]`: expected {OPTIONS}"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(route)
}

/// A keyword option such as `idempotent`: written once, without a value. False after an error.
fn set_flag(flag: &mut Option<Ident>, key: Ident, value: Option<syn::Expr>, cx: &mut Ctxt) -> bool {
    if flag.is_some() {
        cx.error(key.span(), format!("duplicate option `{key}`"));
        return false;
    }
    if let Some(value) = value {
        cx.error_spanned(value, format!("`{key}` takes no value: write `{key}`"));
        return false;
    }
    *flag = Some(key);
    true
}

fn parse_timeout(key: &Ident, value: Option<syn::Expr>, cx: &mut Ctxt) -> Option<u64> {
    const NEEDS: &str = "`timeout_ms` needs a number of milliseconds: `timeout_ms = 5000`";
    let Some(value) = value else {
        cx.error(key.span(), NEEDS);
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(int),
        ..
    }) = &value
    else {
        cx.error_spanned(value, NEEDS);
        return None;
    };
    match parse_millis(int) {
        Ok(ms) => Some(ms),
        Err(message) => {
            cx.error(int.span(), message);
            None
        }
    }
}

fn parse_millis(int: &LitInt) -> Result<u64, &'static str> {
    if !matches!(int.suffix(), "" | "u64") {
        return Err("`timeout_ms` is a plain number of milliseconds, without a type suffix");
    }
    match int.base10_parse::<u64>() {
        Ok(0) => Err("`timeout_ms` must be at least 1"),
        Ok(ms) => Ok(ms),
        Err(_) => Err("`timeout_ms` does not fit in a u64"),
    }
}

/// Where an argument goes, from its marker attribute. A bare argument is a path parameter.
pub(crate) enum ArgAttr {
    /// `#[query]` (key: the argument's name) or `#[query("key")]`.
    Query(Option<LitStr>),
    /// `#[query(flatten)]`: a struct whose fields are the query parameters. Their names are
    /// serde's, unknown to the macro, so they are not checked against the spec.
    Flatten,
    Header(LitStr),
    Body,
}

/// Parses a `#[query]`, `#[header]` or `#[body]` attribute; `helper` is what `attr` names.
pub(crate) fn parse_arg_attr(attr: &Attribute, helper: Helper, cx: &mut Ctxt) -> Option<ArgAttr> {
    let parsed = match helper {
        Helper::Query => match &attr.meta {
            Meta::Path(_) => Ok(ArgAttr::Query(None)),
            Meta::List(list) if is_flatten(&list.tokens) => Ok(ArgAttr::Flatten),
            Meta::List(_) => name_arg(attr, "query", "imp_uid[]", QUERY_FLATTEN)
                .map(|name| ArgAttr::Query(Some(name))),
            Meta::NameValue(_) => Err(syn::Error::new_spanned(
                attr,
                "write the key in parentheses: `#[query(\"imp_uid[]\")]`",
            )),
        },
        Helper::Header => match &attr.meta {
            Meta::List(_) => name_arg(attr, "header", "X-Request-Id", "").and_then(|name| {
                check_header_name(&name)?;
                Ok(ArgAttr::Header(name))
            }),
            Meta::Path(_) | Meta::NameValue(_) => Err(syn::Error::new_spanned(
                attr,
                "`#[header]` needs the header name: `#[header(\"X-Request-Id\")]`",
            )),
        },
        Helper::Body => match &attr.meta {
            Meta::Path(_) => Ok(ArgAttr::Body),
            Meta::List(_) | Meta::NameValue(_) => Err(syn::Error::new_spanned(
                attr,
                "`#[body]` takes no arguments",
            )),
        },
        Helper::Verb(verb) => Err(syn::Error::new_spanned(
            attr,
            format!(
                "`#[{}]` goes on the method, not on an argument",
                verb.name()
            ),
        )),
    };
    match parsed {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            cx.push(error);
            None
        }
    }
}

const QUERY_FLATTEN: &str = ", or `#[query(flatten)]` for a struct of query parameters";

/// `flatten` alone, as in `#[query(flatten)]`.
fn is_flatten(tokens: &TokenStream) -> bool {
    syn::parse2::<Ident>(tokens.clone()).is_ok_and(|ident| ident == "flatten")
}

/// The one non-empty string in `#[query("...")]` or `#[header("...")]`; `alternative` ends
/// the message when there is none.
fn name_arg(attr: &Attribute, what: &str, example: &str, alternative: &str) -> syn::Result<LitStr> {
    let name = attr.parse_args_with(|input: ParseStream<'_>| {
        if !input.peek(LitStr) {
            return Err(input.error(format!(
                "expected the {what} name as a string: `#[{what}(\"{example}\")]`{alternative}"
            )));
        }
        input.parse::<LitStr>()
    })?;
    if name.value().is_empty() {
        return Err(syn::Error::new(
            name.span(),
            format!("the {what} name is empty: write `#[{what}(\"{example}\")]`"),
        ));
    }
    Ok(name)
}

/// RFC 9110 `token`: what `reqwest` would refuse at run time is refused here.
fn check_header_name(name: &LitStr) -> syn::Result<()> {
    let value = name.value();
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if value.chars().all(is_tchar) {
        Ok(())
    } else {
        Err(syn::Error::new(
            name.span(),
            format!(
                "`{}` is not a valid header name: use letters, digits and `-`",
                value.escape_debug()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn attr(tokens: TokenStream) -> Attribute {
        let mut attrs = Attribute::parse_outer
            .parse2(tokens)
            .expect("test attribute parses");
        attrs.remove(0)
    }

    fn errors(cx: Ctxt) -> Vec<String> {
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    fn parse_route_tokens(tokens: TokenStream) -> (Option<Route>, Vec<String>) {
        let attr = attr(tokens);
        let Some(Helper::Verb(verb)) = Helper::of(&attr) else {
            panic!("not a verb");
        };
        let mut cx = Ctxt::new();
        let route = parse_route(&attr, verb, &mut cx);
        (route, errors(cx))
    }

    #[test]
    fn recognises_helpers_by_name_only() {
        assert!(Helper::of(&attr(quote!(#[get("/a")]))) == Some(Helper::Verb(Verb::Get)));
        assert!(Helper::of(&attr(quote!(#[delete]))) == Some(Helper::Verb(Verb::Delete)));
        assert!(Helper::of(&attr(quote!(#[query]))) == Some(Helper::Query));
        assert!(Helper::of(&attr(quote!(#[doc = "x"]))).is_none());
        assert!(Helper::of(&attr(quote!(#[serde::get]))).is_none());
        assert!(Helper::of(&attr(quote!(#[head("/a")]))).is_none());
    }

    #[test]
    fn parses_route_options() {
        let (route, errors) =
            parse_route_tokens(quote!(#[post("/a/<b>", timeout_ms = 5000, idempotent,)]));
        assert!(errors.is_empty(), "{errors:?}");
        let route = route.expect("route parses");
        assert!(route.verb == Verb::Post);
        assert_eq!(route.template.value(), "/a/<b>");
        assert_eq!(route.timeout_ms, Some(5000));
        assert!(route.idempotent.is_some());

        let (route, errors) = parse_route_tokens(quote!(#[get("/a")]));
        assert!(errors.is_empty());
        let route = route.expect("route parses");
        assert_eq!((route.timeout_ms, route.idempotent.is_none()), (None, true));
        assert!(route.undocumented.is_none());

        let (route, errors) = parse_route_tokens(quote!(#[get("/vbanks/holder", undocumented)]));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(route.expect("route parses").undocumented.is_some());
    }

    #[test]
    fn reports_bad_routes() {
        let cases: &[(TokenStream, &str)] = &[
            (quote!(#[get]), "`#[get]` needs a path"),
            (quote!(#[get = "/a"]), "`#[get]` needs a path"),
            (quote!(#[get()]), "expected the path as a string"),
            (quote!(#[get(a)]), "expected the path as a string"),
            (
                quote!(#[get("/a", retries = 3)]),
                "unknown option `retries` for `#[get]`",
            ),
            (
                quote!(#[get("/a", timeout_ms)]),
                "`timeout_ms` needs a number",
            ),
            (
                quote!(#[get("/a", timeout_ms = "5")]),
                "`timeout_ms` needs a number",
            ),
            (
                quote!(#[get("/a", timeout_ms = 0)]),
                "`timeout_ms` must be at least 1",
            ),
            (
                quote!(#[get("/a", timeout_ms = 5i32)]),
                "without a type suffix",
            ),
            (
                quote!(#[get("/a", timeout_ms = 99999999999999999999999)]),
                "does not fit in a u64",
            ),
            (
                quote!(#[get("/a", timeout_ms = 1, timeout_ms = 2)]),
                "duplicate option `timeout_ms`",
            ),
            (
                quote!(#[post("/a", idempotent, idempotent)]),
                "duplicate option `idempotent`",
            ),
            (
                quote!(#[post("/a", idempotent = true)]),
                "`idempotent` takes no value",
            ),
            (
                quote!(#[get("/a", undocumented, undocumented)]),
                "duplicate option `undocumented`",
            ),
            (
                quote!(#[get("/a", undocumented = "yes")]),
                "`undocumented` takes no value: write `undocumented`",
            ),
            (
                quote!(#[get("/a", undocumentd)]),
                "expected `timeout_ms = N`, `idempotent`, `charge` or `undocumented`",
            ),
            (
                quote!(#[post("/a", charge, charge)]),
                "duplicate option `charge`",
            ),
            (
                quote!(#[post("/a", charge = true)]),
                "`charge` takes no value: write `charge`",
            ),
        ];
        for (tokens, expected) in cases {
            let (route, errors) = parse_route_tokens(tokens.clone());
            assert!(route.is_none(), "{tokens}");
            assert_eq!(errors.len(), 1, "{tokens}: {errors:?}");
            assert!(errors[0].contains(expected), "{tokens}: {errors:?}");
        }
    }

    #[test]
    fn reports_every_bad_option_of_a_route() {
        let (_, errors) = parse_route_tokens(quote!(#[get("/a", foo, timeout_ms = 0, bar = 1)]));
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    fn arg_attr(tokens: TokenStream) -> Result<ArgAttr, String> {
        let attr = attr(tokens);
        let helper = Helper::of(&attr).expect("a helper");
        let mut cx = Ctxt::new();
        let parsed = parse_arg_attr(&attr, helper, &mut cx);
        match parsed {
            Some(parsed) => Ok(parsed),
            None => Err(errors(cx).join("\n")),
        }
    }

    #[test]
    fn parses_argument_markers() {
        assert!(matches!(
            arg_attr(quote!(#[query])),
            Ok(ArgAttr::Query(None))
        ));
        match arg_attr(quote!(#[query("imp_uid[]")])) {
            Ok(ArgAttr::Query(Some(name))) => assert_eq!(name.value(), "imp_uid[]"),
            _ => panic!("query with a name"),
        }
        match arg_attr(quote!(#[header("X-Request-Id")])) {
            Ok(ArgAttr::Header(name)) => assert_eq!(name.value(), "X-Request-Id"),
            _ => panic!("header"),
        }
        assert!(matches!(arg_attr(quote!(#[body])), Ok(ArgAttr::Body)));
        assert!(matches!(
            arg_attr(quote!(#[query(flatten)])),
            Ok(ArgAttr::Flatten)
        ));
        // A key that reads `flatten` is a key.
        match arg_attr(quote!(#[query("flatten")])) {
            Ok(ArgAttr::Query(Some(name))) => assert_eq!(name.value(), "flatten"),
            _ => panic!("query named flatten"),
        }
    }

    #[test]
    fn reports_bad_argument_markers() {
        let cases: &[(TokenStream, &str)] = &[
            (quote!(#[query("")]), "the query name is empty"),
            (
                quote!(#[query(imp_uid)]),
                "expected the query name as a string: `#[query(\"imp_uid[]\")]`, or `#[query(flatten)]` for a struct of query parameters",
            ),
            (quote!(#[query(flatten = true)]), "or `#[query(flatten)]`"),
            (quote!(#[query(flatten, "a")]), "or `#[query(flatten)]`"),
            (quote!(#[query = "a"]), "write the key in parentheses"),
            (quote!(#[query("a", "b")]), "unexpected token"),
            (quote!(#[header]), "`#[header]` needs the header name"),
            (quote!(#[header("")]), "the header name is empty"),
            (
                quote!(#[header("X Id")]),
                "`X Id` is not a valid header name",
            ),
            (quote!(#[header("Idé")]), "is not a valid header name"),
            (quote!(#[body("x")]), "`#[body]` takes no arguments"),
            (quote!(#[get("/a")]), "`#[get]` goes on the method"),
        ];
        for (tokens, expected) in cases {
            match arg_attr(tokens.clone()) {
                Ok(_) => panic!("{tokens} was accepted"),
                Err(message) => assert!(message.contains(expected), "{tokens}: {message}"),
            }
        }
    }

    fn args(tokens: TokenStream) -> (Args, Vec<String>) {
        let mut cx = Ctxt::new();
        let args = parse_args(tokens, &mut cx);
        (args, errors(cx))
    }

    #[test]
    fn parses_macro_arguments() {
        let (parsed, errors) = args(quote!());
        assert!(parsed.krate.is_none() && errors.is_empty());
        let (parsed, errors) = args(quote!(crate = "::renamed::inner"));
        assert!(errors.is_empty(), "{errors:?}");
        let krate = parsed.krate.expect("crate path");
        assert_eq!(quote!(#krate).to_string(), ":: renamed :: inner");
        assert!(args(quote!(krate = "x")).1[0].contains("unknown argument"));
        assert!(args(quote!(crate = "x", crate = "y")).1[0].contains("duplicate `crate`"));
        assert!(!args(quote!(crate = "not a path")).1.is_empty());
        assert!(!args(quote!(crate = x)).1.is_empty());
    }
}
