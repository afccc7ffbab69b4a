//! The `#[cross_origin]` route attribute of `actix-cross-origin`; use it through
//! `actix_cross_origin::cross_origin`.
//!
//! Placed above an actix-web route macro (`#[get]`, `#[post]`, ..., `#[route]`), it takes over
//! that macro's work: it registers the handler as actix would, but lets `OPTIONS` requests
//! through the resource's method guard (a preflight only for the route's own methods), and
//! wraps the resource in the route's own CORS policy, which answers the preflight before the
//! handler could run. The options are flask-cors's names with literal values, checked at
//! compile time by the same rules the runtime applies (`actix_cross_origin_core::check`): each
//! problem is an error at the literal it is about, with its fix, all of them at once. Warnings
//! are logged when the server starts.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use actix_cross_origin_core::{
    check, route_methods, split_list, CorsOptions, OptionKind, OptionValue, OPTIONS,
};
use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, ItemFn, Lit, LitStr, MetaNameValue, Token};

/// The route macros the attribute goes above, with the method each one implies.
const ROUTE_MACROS: &[(&str, Option<&str>)] = &[
    ("get", Some("GET")),
    ("post", Some("POST")),
    ("put", Some("PUT")),
    ("delete", Some("DELETE")),
    ("patch", Some("PATCH")),
    ("head", Some("HEAD")),
    ("options", Some("OPTIONS")),
    ("trace", Some("TRACE")),
    ("connect", Some("CONNECT")),
    ("route", None),
];

/// flask-cors's `@cross_origin()` for an actix-web route: the route answers its own CORS
/// preflights with its own policy. See `actix_cross_origin::cross_origin`.
#[proc_macro_attribute]
pub fn cross_origin(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = TokenStream2::from(item);
    match expand(args.into(), item.clone()) {
        Ok(tokens) => tokens.into(),
        // The handler stays as written, so that the error is the only one reported.
        Err(e) => {
            let mut out = e.to_compile_error();
            out.extend(item);
            out.into()
        }
    }
}

fn expand(args: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let args = Punctuated::<MetaNameValue, Token![,]>::parse_terminated.parse2(args)?;
    // Without `methods`, the policy names the route's own methods (`route_methods`).
    let methods_given = args.iter().any(|o| o.path.is_ident("methods"));
    let (options, code) = read_options(&args)?;
    let mut func: ItemFn = syn::parse2(item).map_err(|e| {
        syn::Error::new(e.span(), "#[cross_origin] goes on a handler function, above its route macro such as #[get(\"/path\")]")
    })?;
    let route = take_route_attribute(&mut func)?;
    check_options(options, methods_given, &route, &args)?;
    Ok(register(func, route, code, methods_given))
}

/// Compile errors gathered, to report every mistake at once, as `ConfigError` does.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    fn into_result(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The route's policy checked as the runtime checks it, by the same rules: each problem an
/// error at the literal it is about (found by its option and value), all of them at once.
fn check_options(
    mut options: CorsOptions,
    methods_given: bool,
    route: &Route,
    args: &Punctuated<MetaNameValue, Token![,]>,
) -> syn::Result<()> {
    if !methods_given {
        let methods: Vec<&str> = route.methods.iter().map(String::as_str).collect();
        route_methods(&mut options, &methods);
    }
    let Err(error) = check(&options, false) else {
        return Ok(());
    };
    let mut errors = Errors::default();
    for problem in error.problems() {
        let found = if problem.option() == "methods" && !methods_given {
            let text = format!("{problem} (the route's own methods, as `methods` is left out)");
            syn::Error::new_spanned(&route.attribute, text)
        } else {
            syn::Error::new(
                problem_span(problem.option(), problem.value(), args),
                problem,
            )
        };
        errors.push(found);
    }
    errors.into_result()
}

/// Where a problem is written: the literal of its option with its value, or else the option's
/// value, or else (a default, or the route's own methods) the whole attribute.
fn problem_span(
    option: &str,
    value: Option<&str>,
    args: &Punctuated<MetaNameValue, Token![,]>,
) -> Span {
    let Some(arg) = args.iter().find(|a| a.path.is_ident(option)) else {
        return Span::call_site();
    };
    let literal_with = |e: &Expr| match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            value.is_some_and(|v| s.value() == v || split_list(&s.value()).iter().any(|p| p == v))
        }
        _ => false,
    };
    match &arg.value {
        Expr::Array(array) => array
            .elems
            .iter()
            .find(|e| literal_with(e))
            .map_or_else(|| arg.value.span(), Spanned::span),
        other => other.span(),
    }
}

/// The route macro found on the handler, read as actix-web reads it.
struct Route {
    path: LitStr,
    methods: Vec<String>,
    name: Option<LitStr>,
    guards: Vec<syn::Path>,
    wraps: Vec<Expr>,
    /// The route macro as the user named it: still referred to, so that its import is used.
    macro_path: syn::Path,
    /// The route macro as written, where problems with the route's own methods are shown.
    attribute: Attribute,
}

fn take_route_attribute(func: &mut ItemFn) -> syn::Result<Route> {
    if let Some(routes) = func.attrs.iter().find(|a| a.path().is_ident("routes")) {
        return Err(syn::Error::new_spanned(
            routes,
            "#[cross_origin] does not take #[routes]: give each route a handler of its own, each with its #[cross_origin]",
        ));
    }
    let is_route = |attr: &Attribute| {
        let last = attr.path().segments.last().map(|s| s.ident.to_string());
        ROUTE_MACROS
            .iter()
            .find(|(name, _)| Some(*name) == last.as_deref())
            .map(|(_, method)| *method)
    };
    let found: Vec<usize> = (func.attrs.iter().enumerate())
        .filter(|(_, a)| is_route(a).is_some())
        .map(|(i, _)| i)
        .collect();
    let index = match found[..] {
        [one] => one,
        [] => {
            return Err(syn::Error::new_spanned(
                &func.sig.ident,
                "#[cross_origin] must be written above the handler's route macro, such as #[get(\"/path\")] or #[route(\"/path\", method = \"GET\")]; below it, or without one, the route's preflights cannot be answered",
            ))
        }
        _ => {
            return Err(syn::Error::new_spanned(
                &func.attrs[found[1]],
                "#[cross_origin] takes one route macro per handler; write one #[route(\"/path\", method = \"GET\", method = \"POST\")] for several methods",
            ))
        }
    };
    let attr = func.attrs.remove(index);
    let implied = is_route(&attr).flatten();
    read_route(&attr, implied)
}

fn read_route(attr: &Attribute, implied: Option<&str>) -> syn::Result<Route> {
    let parser = |input: syn::parse::ParseStream<'_>| {
        let path: LitStr = input.parse()?;
        let mut rest = Punctuated::<MetaNameValue, Token![,]>::new();
        if input.parse::<Option<Token![,]>>()?.is_some() {
            rest = Punctuated::parse_terminated(input)?;
        }
        Ok((path, rest))
    };
    let (path, args) = attr.parse_args_with(parser)?;
    let mut route = Route {
        path,
        methods: implied.map(str::to_owned).into_iter().collect(),
        name: None,
        guards: Vec::new(),
        wraps: Vec::new(),
        macro_path: attr.path().clone(),
        attribute: attr.clone(),
    };
    // Every wrong method at once.
    let mut method_errors = Errors::default();
    for arg in args {
        let key = arg
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let value = string_literal(&arg.value, &key)?;
        match key.as_str() {
            "name" => route.name = Some(value),
            "guard" => route.guards.push(value.parse()?),
            "wrap" => route.wraps.push(value.parse()?),
            "method" if implied.is_none() => match route_method(&value) {
                Ok(method) => route.methods.push(method),
                Err(e) => method_errors.push(e),
            },
            _ => {
                return Err(syn::Error::new_spanned(
                    &arg.path,
                    "unknown route argument: the route macro takes name, guard, wrap (and method, for #[route])",
                ))
            }
        }
    }
    method_errors.into_result()?;
    if route.methods.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "#[route] needs at least one method = \"...\"",
        ));
    }
    Ok(route)
}

/// The methods actix-web's route macro knows by name.
const STANDARD_METHODS: &[&str] = &[
    "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE",
];

/// A `method = "..."` of `#[route]`, checked as actix-web's route macro checks it: a standard
/// method, or a custom one in uppercase letters. Never uppercased here: `"get"` is an error
/// with its fix, as it is without `#[cross_origin]`.
fn route_method(value: &LitStr) -> syn::Result<String> {
    let method = value.value();
    let custom = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
    if STANDARD_METHODS.contains(&method.as_str()) || custom {
        return Ok(method);
    }
    let upper = method.to_ascii_uppercase();
    let fix = if !upper.is_empty() && upper.bytes().all(|b| b.is_ascii_uppercase()) {
        format!("write it in uppercase, as actix-web's route macro requires: \"{upper}\"")
    } else {
        "write a method such as \"GET\", or a custom one in uppercase letters".to_owned()
    };
    Err(syn::Error::new_spanned(
        value,
        format!("`{method}` is not a method actix-web's route macro accepts; {fix}"),
    ))
}

fn string_literal(value: &Expr, key: &str) -> syn::Result<LitStr> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s.clone()),
        other => Err(syn::Error::new_spanned(
            other,
            format!("{key} takes a string literal"),
        )),
    }
}

/// The route's options as the runtime will see them, and the code that builds them there, from
/// the attribute's arguments: each a name of `OPTIONS` with a literal of its kind.
fn read_options(
    args: &Punctuated<MetaNameValue, Token![,]>,
) -> syn::Result<(CorsOptions, TokenStream2)> {
    let mut options = CorsOptions::default();
    let mut sets = Vec::with_capacity(args.len());
    let mut errors = Errors::default();
    for arg in args {
        match read_option(arg) {
            Ok((name, value, set)) => {
                // Of the kind `OPTIONS` declares, so always set.
                let _ = options.set(&name, value);
                sets.push(set);
            }
            Err(e) => errors.push(e),
        }
    }
    errors.into_result()?;
    let code = quote! {{
        let mut __options = ::actix_cross_origin::CorsOptions::default();
        #(#sets)*
        __options
    }};
    Ok((options, code))
}

/// One `option = value` argument: its name, its value, and `__options.<option> = <value>;`.
fn read_option(arg: &MetaNameValue) -> syn::Result<(String, OptionValue, TokenStream2)> {
    let key = (arg.path.get_ident())
        .map(ToString::to_string)
        .unwrap_or_default();
    let Some(&(_, kind)) = OPTIONS.iter().find(|(name, _)| *name == key) else {
        let known: Vec<&str> = OPTIONS.iter().map(|(name, _)| *name).collect();
        let message = format!(
            "unknown option `{key}`; the options are flask-cors's: {}",
            known.join(", ")
        );
        return Err(syn::Error::new_spanned(&arg.path, message));
    };
    let field = syn::Ident::new(&key, Span::call_site());
    let (value, code) = option_value(&arg.value, &key, kind)?;
    Ok((key, value, quote! { __options.#field = #code; }))
}

fn option_value(
    value: &Expr,
    key: &str,
    kind: OptionKind,
) -> syn::Result<(OptionValue, TokenStream2)> {
    let error = |what: &str| syn::Error::new_spanned(value, format!("{key} takes {what}"));
    let wrong = |what: &str| Err(error(what));
    match kind {
        OptionKind::Flag => match value {
            Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }) => Ok((OptionValue::Flag(b.value), b.to_token_stream())),
            _ => wrong("true or false"),
        },
        OptionKind::Seconds => match value {
            Expr::Lit(ExprLit {
                lit: Lit::Int(n), ..
            }) => {
                let n: u64 = n.base10_parse()?;
                Ok((
                    OptionValue::Seconds(n),
                    quote! { ::core::option::Option::Some(#n) },
                ))
            }
            _ => wrong("a whole number of seconds, such as 600"),
        },
        OptionKind::List | OptionKind::OptionalList => {
            let items = list_items(value).map_err(|()| {
                error("a string or a list of strings, such as [\"https://app.example.com\"]")
            })?;
            let list = quote! { ::std::vec![#(::std::string::String::from(#items)),*] };
            let code = match kind {
                OptionKind::OptionalList => quote! { ::core::option::Option::Some(#list) },
                _ => list,
            };
            Ok((OptionValue::List(items), code))
        }
    }
}

/// The strings of a list option: a list of string literals, or one string split at commas as
/// `CorsOptions` reads one everywhere else.
fn list_items(value: &Expr) -> Result<Vec<String>, ()> {
    let literal = |e: &Expr| match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s.value()),
        _ => Err(()),
    };
    match value {
        Expr::Array(array) => array.elems.iter().map(literal).collect(),
        single => Ok(split_list(&literal(single)?)),
    }
}

/// What actix's route macro would emit, with the route's policy and a guard that lets the
/// route's own preflights reach it.
fn register(
    mut func: ItemFn,
    route: Route,
    options: TokenStream2,
    methods_given: bool,
) -> TokenStream2 {
    let name = func.sig.ident.clone();
    let vis = func.vis.clone();
    let docs: Vec<Attribute> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    func.attrs.retain(|a| !a.path().is_ident("doc"));
    let Route {
        path,
        methods,
        name: resource_name,
        guards,
        wraps,
        macro_path,
        attribute: _,
    } = route;
    let resource_name =
        resource_name.unwrap_or_else(|| LitStr::new(&name.to_string(), name.span()));
    let methods: Vec<TokenStream2> = methods
        .iter()
        .map(|m| quote! { ::actix_web::http::Method::from_bytes(#m.as_bytes()).expect("a method name") })
        .collect();
    let handler = name.to_string();
    quote! {
        #(#docs)*
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name;

        impl ::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, __config: &mut ::actix_web::dev::AppService) {
                // The route macro this attribute took over stays referred to, so that the
                // user's import of it is not reported unused.
                #[allow(unused_imports)]
                use #macro_path as _;
                #func
                let __methods = [#(#methods),*];
                let __policy = ::actix_cross_origin::__private::route_policy(#options, #methods_given, #handler, #path, &__methods);
                let __resource = ::actix_web::Resource::new(#path)
                    .name(#resource_name)
                    .guard(::actix_cross_origin::MethodsOrPreflight::new(__methods.clone()))
                    #(.guard(::actix_web::guard::fn_guard(#guards)))*
                    .route(
                        ::actix_web::Route::new()
                            .guard(::actix_cross_origin::__private::methods_guard(__methods))
                            .to(#name),
                    )
                    #(.wrap(#wraps))*
                    .wrap(__policy);
                ::actix_web::dev::HttpServiceFactory::register(__resource, __config);
            }
        }
    }
}
