//! The route template: `"/payments/find/<merchant_uid>/<status?>"` → segments.
//!
//! A pure function of a string, so it is unit-tested here and can never panic:
//! the proc macro feeds it whatever the user typed.

use std::collections::BTreeSet;
use std::fmt;

/// A parsed template: at least one segment, each a literal or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pub(crate) segments: Vec<Segment>,
}

/// One `/`-separated segment of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Sent as written: only characters that need no percent-encoding.
    Literal(String),
    /// `<name>`, or `<name?>` when `optional` (only ever the last segment).
    Param { name: String, optional: bool },
}

/// What the request builder appends, in order: runs of literal segments are merged into one
/// chunk (`"/payments/find"`) so the generated code makes one call per run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Literal(String),
    Param { name: &'a str, optional: bool },
}

impl Template {
    pub(crate) fn params(&self) -> impl Iterator<Item = (&str, bool)> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param { name, optional } => Some((name.as_str(), *optional)),
            Segment::Literal(_) => None,
        })
    }

    pub(crate) fn pieces(&self) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => {
                    literal.push('/');
                    literal.push_str(text);
                }
                Segment::Param { name, optional } => {
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Param {
                        name,
                        optional: *optional,
                    });
                }
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        pieces
    }
}

/// Why a template was refused. `Display` is the compile error shown to the user; it names the
/// segment because a span cannot point inside a string literal on stable Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TemplateError {
    NoLeadingSlash,
    EmptySegment,
    Unclosed(String),
    UnmatchedClose(String),
    EmptyPlaceholder(String),
    NotIdent(String),
    RawIdent(String, String),
    Partial(String),
    Question(String),
    Hash(String),
    Brace(String),
    DotSegment(String),
    BadChar(char, String),
    OptionalNotLast(String),
    Duplicate(String),
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoLeadingSlash => f.write_str("the path must start with `/`"),
            Self::EmptySegment => {
                f.write_str("the path has an empty segment: remove the doubled or trailing `/`")
            }
            Self::Unclosed(s) => write!(f, "unclosed `<` in segment `{s}`: write `<name>`"),
            Self::UnmatchedClose(s) => write!(f, "unmatched `>` in segment `{s}`"),
            Self::EmptyPlaceholder(s) => write!(
                f,
                "empty placeholder `{s}`: name the argument it binds, like `<imp_uid>`"
            ),
            Self::NotIdent(s) => write!(
                f,
                "placeholder `{s}` is not an identifier: it must name an argument of the method"
            ),
            Self::RawIdent(s, name) => write!(
                f,
                "placeholder `{s}` names a raw identifier: write it without `r#`, as `<{name}>`"
            ),
            Self::Partial(s) => write!(
                f,
                "segment `{s}` mixes text and a placeholder: a placeholder fills a whole segment"
            ),
            Self::Question(s) => write!(
                f,
                "`?` in segment `{s}`: pass query parameters as `#[query]` arguments; \
                 `?` is only allowed in an optional placeholder `<name?>`"
            ),
            Self::Hash(s) => write!(f, "`#` in segment `{s}`: a request path has no fragment"),
            Self::Brace(s) => write!(
                f,
                "segment `{s}` uses braces: placeholders are written `<name>`, not `{{name}}`"
            ),
            Self::DotSegment(s) => write!(
                f,
                "segment `{s}` is not allowed: URL resolution would remove it and call another route"
            ),
            Self::BadChar(c, s) => write!(
                f,
                "character `{}` in segment `{s}` needs percent-encoding: bind the segment with a placeholder instead",
                c.escape_debug()
            ),
            Self::OptionalNotLast(name) => {
                write!(
                    f,
                    "optional placeholder `<{name}?>` must be the last segment"
                )
            }
            Self::Duplicate(name) => write!(f, "placeholder `<{name}>` appears twice"),
        }
    }
}

/// Parses a route template, returning its first mistake.
pub(crate) fn parse(template: &str) -> Result<Template, TemplateError> {
    let Some(rest) = template.strip_prefix('/') else {
        return Err(TemplateError::NoLeadingSlash);
    };
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        segments.push(parse_segment(raw)?);
    }

    let last = segments.len().saturating_sub(1);
    let mut seen = BTreeSet::new();
    for (index, segment) in segments.iter().enumerate() {
        if let Segment::Param { name, optional } = segment {
            if *optional && index != last {
                return Err(TemplateError::OptionalNotLast(name.clone()));
            }
            if !seen.insert(name.as_str()) {
                return Err(TemplateError::Duplicate(name.clone()));
            }
        }
    }
    Ok(Template { segments })
}

fn parse_segment(raw: &str) -> Result<Segment, TemplateError> {
    let owned = || raw.to_owned();
    if raw.is_empty() {
        return Err(TemplateError::EmptySegment);
    }
    if let Some(after_open) = raw.strip_prefix('<') {
        return match after_open.find('>') {
            None => Err(TemplateError::Unclosed(owned())),
            Some(close) if close + 1 != after_open.len() => Err(TemplateError::Partial(owned())),
            Some(close) => parse_placeholder(&after_open[..close], raw),
        };
    }
    match (raw.find('<'), raw.find('>')) {
        (Some(open), Some(close)) if open < close => return Err(TemplateError::Partial(owned())),
        (Some(_), _) => return Err(TemplateError::Unclosed(owned())),
        (None, Some(_)) => return Err(TemplateError::UnmatchedClose(owned())),
        (None, None) => {}
    }
    if raw == "." || raw == ".." {
        return Err(TemplateError::DotSegment(owned()));
    }
    for c in raw.chars() {
        match c {
            '?' => return Err(TemplateError::Question(owned())),
            '#' => return Err(TemplateError::Hash(owned())),
            '{' | '}' => return Err(TemplateError::Brace(owned())),
            c if is_literal_char(c) => {}
            c => return Err(TemplateError::BadChar(c, owned())),
        }
    }
    Ok(Segment::Literal(owned()))
}

/// `inner` is what lies between `<` and the closing `>`.
fn parse_placeholder(inner: &str, raw: &str) -> Result<Segment, TemplateError> {
    let (name, optional) = match inner.strip_suffix('?') {
        Some(name) => (name, true),
        None => (inner, false),
    };
    if name.is_empty() {
        return Err(TemplateError::EmptyPlaceholder(raw.to_owned()));
    }
    if let Some(unraw) = name.strip_prefix("r#").filter(|unraw| is_ident(unraw)) {
        let unraw = format!("{unraw}{}", if optional { "?" } else { "" });
        return Err(TemplateError::RawIdent(raw.to_owned(), unraw));
    }
    if !is_ident(name) {
        return Err(TemplateError::NotIdent(raw.to_owned()));
    }
    Ok(Segment::Param {
        name: name.to_owned(),
        optional,
    })
}

/// RFC 3986 `pchar` without `%`: what a path segment may hold unencoded. `%` is refused so a
/// template never holds pre-encoded text that reads differently from what is sent.
fn is_literal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c)
}

/// A Rust identifier in its unraw form (`type` for `r#type`), ASCII only, and not `_`.
fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok && name != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Segment {
        Segment::Literal(s.to_owned())
    }

    fn param(name: &str, optional: bool) -> Segment {
        Segment::Param {
            name: name.to_owned(),
            optional,
        }
    }

    fn err(template: &str) -> String {
        match parse(template) {
            Ok(parsed) => panic!("{template:?} parsed as {parsed:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_literals_and_placeholders() {
        let parsed = parse("/payments/find/<merchant_uid>/<status?>").expect("parses");
        assert_eq!(
            parsed.segments,
            vec![
                lit("payments"),
                lit("find"),
                param("merchant_uid", false),
                param("status", true),
            ]
        );
        assert_eq!(
            parsed.params().collect::<Vec<_>>(),
            vec![("merchant_uid", false), ("status", true)]
        );
    }

    #[test]
    fn pieces_merge_literal_runs() {
        let parsed = parse("/a/b/<x>/c/d/<y?>").expect("parses");
        assert_eq!(
            parsed.pieces(),
            vec![
                Piece::Literal("/a/b".into()),
                Piece::Param {
                    name: "x",
                    optional: false
                },
                Piece::Literal("/c/d".into()),
                Piece::Param {
                    name: "y",
                    optional: true
                },
            ]
        );
        assert_eq!(
            parse("/users/getToken").expect("parses").pieces(),
            vec![Piece::Literal("/users/getToken".into())]
        );
        assert_eq!(
            parse("/<a>").expect("parses").pieces(),
            vec![Piece::Param {
                name: "a",
                optional: false
            }]
        );
    }

    #[test]
    fn accepts_pchar_literals_and_keyword_names() {
        assert!(parse("/a-b.c_d~e!$&'()*+,;=:@/x").is_ok());
        assert!(parse("/.well-known/...").is_ok());
        assert_eq!(
            parse("/<type>").expect("parses").segments,
            vec![param("type", false)]
        );
        assert_eq!(
            parse("/<_a1>").expect("parses").segments,
            vec![param("_a1", false)]
        );
    }

    #[test]
    fn refuses_missing_leading_slash() {
        assert_eq!(err("payments"), "the path must start with `/`");
        assert_eq!(err(""), "the path must start with `/`");
        assert_eq!(err(" /payments"), "the path must start with `/`");
    }

    #[test]
    fn refuses_empty_segments() {
        for t in ["/", "//a", "/a//b", "/a/"] {
            assert!(err(t).contains("empty segment"), "{t}");
        }
    }

    #[test]
    fn refuses_malformed_placeholders() {
        assert_eq!(
            err("/payments/<imp_uid"),
            "unclosed `<` in segment `<imp_uid`: write `<name>`"
        );
        assert!(err("/a<b").starts_with("unclosed `<`"));
        assert!(err("/a>").starts_with("unmatched `>`"));
        assert!(err("/<>").starts_with("empty placeholder `<>`"));
        assert!(err("/<?>").starts_with("empty placeholder `<?>`"));
        for t in [
            "/<1a>", "/<a-b>", "/<a b>", "/<_>", "/<a?b>", "/<<a>>", "/<한>", "/<a??>",
        ] {
            let e = parse(t).expect_err("refused");
            assert!(
                matches!(e, TemplateError::NotIdent(_) | TemplateError::Partial(_)),
                "{t}: {e:?}"
            );
        }
        assert_eq!(
            err("/<r#type>"),
            "placeholder `<r#type>` names a raw identifier: write it without `r#`, as `<type>`"
        );
        assert!(err("/<r#type?>").ends_with("as `<type?>`"));
        assert!(err("/<r#>").starts_with("placeholder `<r#>` is not an identifier"));
        assert!(err("/<a>.json").contains("mixes text and a placeholder"));
        assert!(err("/x<a>").contains("mixes text and a placeholder"));
        assert!(err("/<a><b>").contains("mixes text and a placeholder"));
    }

    #[test]
    fn refuses_query_fragment_and_braces() {
        assert!(err("/payments?x=1").starts_with("`?` in segment `payments?x=1`"));
        assert!(err("/a/b?").starts_with("`?`"));
        assert!(err("/a#top").starts_with("`#` in segment `a#top`"));
        assert!(err("/payments/{imp_uid}").contains("not `{name}`"));
    }

    #[test]
    fn refuses_dot_segments() {
        assert!(err("/a/./b").starts_with("segment `.` is not allowed"));
        assert!(err("/a/..").starts_with("segment `..` is not allowed"));
    }

    #[test]
    fn refuses_characters_that_need_encoding() {
        assert_eq!(
            err("/a b"),
            "character ` ` in segment `a b` needs percent-encoding: bind the segment with a placeholder instead"
        );
        assert!(err("/a%2Fb").starts_with("character `%`"));
        assert!(err("/결제").starts_with("character `결`"));
        assert!(err("/a\tb").starts_with("character `\\t`"));
        assert!(err("/a\\b").starts_with("character `\\\\`"));
    }

    #[test]
    fn refuses_optional_not_last_and_duplicates() {
        assert_eq!(
            err("/a/<x?>/b"),
            "optional placeholder `<x?>` must be the last segment"
        );
        assert_eq!(
            err("/<x?>/<y>"),
            "optional placeholder `<x?>` must be the last segment"
        );
        assert_eq!(err("/<x>/a/<x>"), "placeholder `<x>` appears twice");
        assert_eq!(err("/<x>/<x?>"), "placeholder `<x>` appears twice");
    }

    #[test]
    fn never_panics_on_awkward_input() {
        for t in [
            "<",
            ">",
            "/<",
            "/>",
            "/<>>",
            "/<<>",
            "/<?",
            "/?>",
            "/\u{0}",
            "/\u{10FFFF}",
            "/<é?>",
            "///",
            "/</>",
            "/<a/b>",
            "/<a?>/",
            "/\r\n",
        ] {
            let _ = parse(t);
        }
    }

    /// Rebuilds the template text from the pieces the builder will append.
    fn render(template: &Template) -> String {
        template
            .pieces()
            .iter()
            .map(|piece| match piece {
                Piece::Literal(text) => text.clone(),
                Piece::Param { name, optional } => {
                    format!("/<{name}{}>", if *optional { "?" } else { "" })
                }
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn any_string_parses_or_errs(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn accepted_templates_round_trip(s in "[/<>?#.{}% a_1-]{0,24}") {
            if let Ok(template) = parse(&s) {
                proptest::prop_assert_eq!(render(&template), s);
                for segment in &template.segments {
                    if let Segment::Literal(text) = segment {
                        proptest::prop_assert!(text != "." && text != "..");
                        proptest::prop_assert!(text.chars().all(is_literal_char));
                    }
                }
            }
        }
    }
}
