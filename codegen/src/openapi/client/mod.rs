//! The client layer: one `Client` with one async method per operation, an
//! error enum per operation for its documented error responses, and a
//! success enum where an operation has several differently typed successes.

mod body;
mod params;
mod security;
mod servers;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::locate::escape_token;
use super::types::{RustType, Shape, Types};
pub(crate) use super::Locate;
use crate::naming::{self, Case, Namer};
use crate::{ApiSpec, Diagnostic, Error};

pub struct Generated {
    pub tokens: TokenStream,
    pub diagnostics: Vec<Diagnostic>,
    pub operations: usize,
    pub crates: Vec<String>,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Names the generated `impl Client` uses itself.
const CLIENT_RESERVED: &[&str] = &[
    "new",
    "with_base_url",
    "builder",
    "api_client",
    "with_origin",
    "from",
    "clone",
    "fmt",
    "credentials",
    "credentials_mut",
];

pub fn generate(
    api: &ApiSpec,
    spec: &OpenAPI,
    raw: &Value,
    locate: &Locate,
) -> Result<Generated, Error> {
    let mut diagnostics = Vec::new();
    let component_schemas = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut types = Types::new(component_schemas);

    let mut method_names = Namer::new();
    for reserved in CLIENT_RESERVED {
        method_names.reserve(reserved);
    }
    let mut item_names = Namer::new();
    for reserved in [
        "Client",
        "types",
        "DEFAULT_BASE_URL",
        "DEFAULT_BASE_PATH",
        "SERVERS",
        "ApiClient",
        "ClientBuilder",
        "Error",
        "ResponseValue",
    ] {
        item_names.reserve(reserved);
    }
    let schemes = security::Schemes::new(spec, locate, &mut method_names, &mut diagnostics);
    let (server_items, constructors) =
        servers::generate(spec, locate, &mut item_names, &mut diagnostics);

    let mut methods = Vec::new();
    let mut items = Vec::new();
    let mut operations = 0;
    for (path, item) in spec.paths.paths.iter() {
        let path_pointer = format!("/paths/{}", escape_token(path));
        let ReferenceOr::Item(item) = item else {
            diagnostics.push(Diagnostic::warning(
                "openapi:path-ref",
                locate(&path_pointer),
                "path item given as $ref is not followed; its operations are skipped",
            ));
            continue;
        };
        for method in METHODS {
            let Some(op) = operation(item, method) else {
                continue;
            };
            let pointer = format!("{path_pointer}/{method}");
            let ctx = OpContext {
                spec,
                raw,
                schemes: &schemes,
                path,
                method,
                pointer: &pointer,
                locate,
            };
            let generated = ctx.generate(
                op,
                &item.parameters,
                &mut types,
                &mut method_names,
                &mut item_names,
                &mut diagnostics,
            );
            methods.push(generated.method);
            items.extend(generated.items);
            operations += 1;
        }
    }
    for (pointer, message) in std::mem::take(&mut types.notes) {
        diagnostics.push(Diagnostic::warning(
            "types:fallback",
            locate(&pointer),
            message,
        ));
    }
    for (pointer, message) in std::mem::take(&mut types.renames) {
        diagnostics.push(Diagnostic::note("types:rename", locate(&pointer), message));
    }

    let type_tokens = types.tokens().map_err(|message| Error::Invalid {
        location: locate("/components/schemas"),
        message,
    })?;
    let module_docs = module_docs(api, spec);
    let (credentials_field, credentials_init, setters, credentials_doc) = if schemes.is_empty() {
        (quote!(), quote!(), quote!(), quote!())
    } else {
        (
            quote!(credentials: ::wiregen_runtime::auth::Credentials,),
            quote!(credentials: ::wiregen_runtime::auth::Credentials::new(),),
            schemes.setters(),
            quote! {
                /// Credentials for the spec's security schemes are set once with
                /// the `with_<scheme>` methods; each operation sends exactly what
                /// its `security` requirement asks for.
                ///
            },
        )
    };

    let send_checks = crate::send_check::client(&quote!(Client), &methods);
    let tokens = quote! {
        #module_docs
        #![allow(
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::too_many_arguments,
            clippy::large_enum_variant,
            clippy::empty_docs,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags
        )]

        /// Schema types of this API.
        pub mod types {
            #type_tokens
        }

        pub use ::wiregen_runtime::{ApiClient, ClientBuilder, Error, ResponseValue};

        #server_items

        /// The client: one async method per operation of the spec.
        ///
        #credentials_doc
        /// Set headers every request needs (e.g. an auth token the spec does
        /// not declare) once with [`ClientBuilder::default_header`], or a
        /// [`ClientBuilder::request_hook`], and make the client with
        /// `Client::from(builder.build()?)`.
        #[derive(Debug, Clone)]
        pub struct Client {
            api: ::wiregen_runtime::ApiClient,
            #credentials_field
        }

        impl From<::wiregen_runtime::ApiClient> for Client {
            fn from(api: ::wiregen_runtime::ApiClient) -> Self {
                Client { api, #credentials_init }
            }
        }

        impl Client {
            #constructors

            #setters

            /// The transport this client uses.
            pub fn api_client(&self) -> &::wiregen_runtime::ApiClient {
                &self.api
            }

            #(#methods)*
        }

        #send_checks

        #(#items)*
    };
    Ok(Generated {
        tokens,
        diagnostics,
        operations,
        crates: types.crates(),
    })
}

fn operation<'a>(item: &'a openapiv3::PathItem, method: &str) -> Option<&'a openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

fn module_docs(api: &ApiSpec, spec: &OpenAPI) -> TokenStream {
    let mut text = format!("{} (version {})", spec.info.title, spec.info.version);
    if let Some(description) = &spec.info.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text.push_str(&format!(
        "\n\nGenerated from `specs/` ({}) by `cargo xtask regen`.",
        api.files
            .iter()
            .map(|f| f.path.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    doc_lines(&text, true)
}

/// `#[doc]` attributes, one per line (inner `//!` when `inner`).
fn doc_lines(text: &str, inner: bool) -> TokenStream {
    let text = text.trim();
    if text.is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|line| {
        let line = line.trim_end();
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        }
    });
    quote!(#(#lines)*)
}

/// Local names the generated method bodies use; no argument may take them
/// (arguments come from `naming`, which never starts a name with `__`, but
/// they are reserved all the same).
const INTERNAL_NAMES: &[&str] = &[
    "__request",
    "__query",
    "__raw",
    "__body",
    "__v",
    "__f",
    "__form",
];

struct OpContext<'a> {
    spec: &'a OpenAPI,
    raw: &'a Value,
    schemes: &'a security::Schemes,
    path: &'a str,
    method: &'a str,
    pointer: &'a str,
    locate: &'a Locate<'a>,
}

struct OpOutput {
    method: TokenStream,
    items: Vec<TokenStream>,
}

/// One documented response.
struct Resp {
    /// The match pattern: `200`, `400..=499`, or `_` for default.
    pattern: TokenStream,
    order: u8,
    status: String,
    variant: syn::Ident,
    description: String,
    body: Option<(RustType, BodyKind)>,
    success: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Text,
    Bytes,
}

impl OpContext<'_> {
    fn generate(
        &self,
        op: &openapiv3::Operation,
        path_params: &[ReferenceOr<Parameter>],
        types: &mut Types,
        method_names: &mut Namer,
        item_names: &mut Namer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> OpOutput {
        let raw_name = match &op.operation_id {
            Some(id) if !naming::is_opaque(id) => id.clone(),
            _ => format!("{} {}", self.method, self.path.replace(['{', '}'], "")),
        };
        let fn_name = method_names.name(&raw_name, Case::Snake);
        let fn_ident = naming::to_ident(&fn_name);
        let type_base = naming::rust_name(&fn_name, Case::Pascal);

        let args = self.arguments(op, path_params, &type_base, types, diagnostics);

        // Request body: one argument, or an enum with a variant per media type.
        let mut items = Vec::new();
        let mut body_arg = None;
        if let Some(body) = &op.request_body {
            let ptr = format!("{}/requestBody", self.pointer);
            let resolved = self.component(
                body,
                "#/components/requestBodies/",
                |c, n| c.request_bodies.get(n),
                &ptr,
                diagnostics,
            );
            if let Some(body) = resolved {
                let ctx = body::BodyContext {
                    raw: self.raw,
                    pointer: &ptr,
                    type_base: &type_base,
                    fn_name: &fn_name,
                };
                body_arg = ctx.generate(&body, types, item_names);
            }
        }
        if let Some(b) = &mut body_arg {
            items.append(&mut b.items);
        }

        // Responses.
        let mut responses: Vec<Resp> = Vec::new();
        let mut accept: Vec<String> = Vec::new();
        let mut variant_names = Namer::new();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code.clone()), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        let has_success = op.responses.responses.keys().any(is_success);
        for (code, response) in entries {
            let (status, pattern, order, success) = match &code {
                Some(StatusCode::Code(c)) => (
                    c.to_string(),
                    {
                        let c = proc_macro2::Literal::u16_unsuffixed(*c);
                        quote!(#c)
                    },
                    0,
                    (200..300).contains(c),
                ),
                Some(StatusCode::Range(r)) => {
                    let lo = proc_macro2::Literal::u16_unsuffixed(r * 100);
                    let hi = proc_macro2::Literal::u16_unsuffixed(r * 100 + 99);
                    (format!("{r}XX"), quote!(#lo..=#hi), 1, *r == 2)
                }
                None => ("default".to_string(), quote!(_), 2, !has_success),
            };
            let ptr = format!("{}/responses/{}", self.pointer, status);
            let (resolved, ref_name) = match self.resolve_response(response, &ptr, diagnostics) {
                Some(r) => r,
                None => continue,
            };
            let word = status_word(&status);
            let body =
                pick_media(resolved.content.keys().map(String::as_str)).map(|(media, kind)| {
                    for m in resolved.content.keys() {
                        if !accept.contains(m) {
                            accept.push(m.clone());
                        }
                    }
                    let schema = resolved.content.get(media).and_then(|m| m.schema.as_ref());
                    let hint = match &ref_name {
                        Some(name) => name.clone(),
                        None => format!("{type_base} {word} Response"),
                    };
                    let media_ptr = format!("{ptr}/content/{}", escape_token(media));
                    let ty = match (kind, schema) {
                        (BodyKind::Json, Some(s)) => types.type_for(
                            &serde_json::to_value(s).unwrap_or(Value::Null),
                            &hint,
                            &format!("{media_ptr}/schema"),
                        ),
                        (BodyKind::Json, None) => {
                            types.type_for(&serde_json::json!({}), &hint, &media_ptr)
                        }
                        (BodyKind::Text, _) => RustType {
                            ident: quote!(::std::string::String),
                            param: quote!(&str),
                            shape: Shape::String,
                        },
                        (BodyKind::Bytes, _) => RustType {
                            ident: quote!(::wiregen_runtime::bytes::Bytes),
                            param: quote!(::wiregen_runtime::bytes::Bytes),
                            shape: Shape::Json,
                        },
                    };
                    (ty, kind)
                });
            responses.push(Resp {
                pattern,
                order,
                variant: naming::to_ident(&variant_names.name(&word, Case::Pascal)),
                status,
                description: resolved.description.clone(),
                body,
                success,
            });
        }
        responses.sort_by_key(|r| r.order);

        // Success type: one type for all successes, or an enum of them.
        let successes: Vec<&Resp> = responses.iter().filter(|r| r.success).collect();
        let body_ident = |r: &Resp| r.body.as_ref().map_or(quote!(()), |(t, _)| t.ident.clone());
        let distinct: BTreeSet<String> = successes
            .iter()
            .map(|r| body_ident(r).to_string())
            .collect();
        let success_enum = if distinct.len() > 1 {
            let name =
                naming::to_ident(&item_names.name(&format!("{type_base} Response"), Case::Pascal));
            let variants = successes.iter().map(|r| response_variant(r));
            let doc = format!("Successful responses of [`Client::{fn_name}`].");
            items.push(quote! {
                #[doc = #doc]
                #[derive(Debug, Clone)]
                pub enum #name { #(#variants)* }
            });
            Some(name)
        } else {
            None
        };
        let success_ty = match (&success_enum, successes.first()) {
            (Some(name), _) => quote!(#name),
            (None, Some(r)) => body_ident(r),
            (None, None) => quote!(()),
        };

        let error_name =
            naming::to_ident(&item_names.name(&format!("{type_base} Error"), Case::Pascal));
        let error_variants = responses
            .iter()
            .filter(|r| !r.success)
            .map(response_variant);
        let error_doc = format!("Documented error responses of [`Client::{fn_name}`].");
        items.push(quote! {
            #[doc = #error_doc]
            #[derive(Debug, Clone)]
            pub enum #error_name { #(#error_variants)* }
        });

        let arms = responses.iter().map(|r| {
            let pattern = &r.pattern;
            let decode = r.body.as_ref().map(|(ty, kind)| match (kind, ty.shape) {
                    (BodyKind::Json, Shape::String) | (BodyKind::Text, _) => quote!(::wiregen_runtime::http::decode_string(&__raw)),
                    (BodyKind::Json, _) => quote!(::wiregen_runtime::http::decode_json(&__raw)),
                    (BodyKind::Bytes, _) => quote!(Ok::<_, ::wiregen_runtime::DecodeError>(__raw.body.clone())),
            });
            let v = &r.variant;
            match (r.success, decode, &success_enum) {
                (true, Some(decode), None) => quote! { #pattern => { let __body = #decode; ::wiregen_runtime::http::decoded(__raw, __body) } },
                (true, None, None) => quote! { #pattern => Ok(__raw.into_value(())), },
                (true, Some(decode), Some(e)) => quote! { #pattern => { let __body = #decode; ::wiregen_runtime::http::decoded(__raw, __body.map(#e::#v)) } },
                (true, None, Some(e)) => quote! { #pattern => Ok(__raw.into_value(#e::#v)), },
                (false, Some(decode), _) => quote! { #pattern => { let __body = #decode; ::wiregen_runtime::http::decoded_error(__raw, __body, #error_name::#v) } },
                (false, None, _) => quote! { #pattern => Err(::wiregen_runtime::Error::api(__raw, #error_name::#v)), },
            }
        });
        let fallback = if responses.iter().any(|r| r.order == 2) {
            quote!()
        } else {
            quote!(_ => Err(::wiregen_runtime::Error::unexpected(__raw)),)
        };

        // Signature and request building.
        let mut sig = Vec::new();
        let mut build = Vec::new();
        let mut ordered: Vec<&params::Arg> = args.iter().filter(|a| a.required).collect();
        ordered.extend(args.iter().filter(|a| !a.required));
        for arg in &ordered {
            let ident = &arg.ident;
            let param = &arg.ty.param;
            let param = if arg.required {
                quote!(#param)
            } else {
                quote!(Option<#param>)
            };
            sig.push(quote!(#ident: #param));
        }
        // Path template.
        let mut fmt = String::new();
        let mut fmt_args = Vec::new();
        let mut rest = self.path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            fmt.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
            let name = &rest[start + 1..start + len];
            match args
                .iter()
                .find(|a| a.location == "path" && a.wire_name == name)
            {
                Some(arg) => {
                    fmt.push_str("{}");
                    fmt_args.push(arg.path_expr());
                }
                None => {
                    diagnostics.push(Diagnostic::warning(
                        "openapi:path-param",
                        (self.locate)(self.pointer),
                        format!("path parameter `{name}` is not declared; sent literally"),
                    ));
                    fmt.push_str(&format!("{{{{{name}}}}}"));
                }
            }
            rest = &rest[start + len + 1..];
        }
        fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
        let has_query = args.iter().any(|a| a.location == "query");
        let path_expr = match (fmt_args.is_empty(), has_query) {
            (true, false) => {
                let p = self.path;
                quote!(#p)
            }
            // Values that are fine alone can still join into a dot segment
            // (`/{a}{b}`): the assembled path is checked too.
            (false, false) => {
                quote!(&::wiregen_runtime::params::checked_path(
                    format!(#fmt, #(#fmt_args),*)
                )?)
            }
            (_, true) => {
                let fmt = format!("{fmt}{{}}");
                quote!(&::wiregen_runtime::params::checked_path(
                    format!(#fmt, #(#fmt_args,)* __query.to_suffix())
                )?)
            }
        };
        let mut query = Vec::new();
        if has_query {
            query.push(quote!(let mut __query = ::wiregen_runtime::params::Query::new();));
        }
        let method_ident = format_ident!("{}", self.method.to_ascii_uppercase());
        if !accept.is_empty() {
            let value = accept.join(", ");
            build.push(quote! {
                __request = __request.header(::wiregen_runtime::reqwest::header::ACCEPT, #value);
            });
        }
        for arg in &args {
            if let Some(apply) = arg.apply() {
                if arg.location == "query" {
                    query.push(apply);
                } else {
                    build.push(apply);
                }
            }
        }
        let (security, security_doc) = self.schemes.requirement(
            op.security.as_ref(),
            self.spec.security.as_ref(),
            self.pointer,
            self.locate,
            diagnostics,
        );
        build.push(security);
        if let Some(b) = &body_arg {
            let ty = &b.ty;
            let set = &b.set;
            if b.required {
                sig.push(quote!(body: #ty));
                build.push(set.clone());
            } else {
                sig.push(quote!(body: Option<#ty>));
                build.push(quote!(if let Some(body) = body { #set }));
            }
        }

        let docs = self.method_docs(
            op,
            &ordered,
            body_arg.as_ref().map(|b| b.doc.as_str()),
            security_doc.as_deref(),
        );
        let deprecated = if op.deprecated {
            quote!(#[deprecated = "deprecated in the spec"])
        } else {
            quote!()
        };
        let method = quote! {
            #docs
            #deprecated
            pub async fn #fn_ident(&self, #(#sig),*) -> Result<::wiregen_runtime::ResponseValue<#success_ty>, ::wiregen_runtime::Error<#error_name>> {
                #(#query)*
                #[allow(unused_mut)]
                let mut __request = self.api.request(::wiregen_runtime::reqwest::Method::#method_ident, #path_expr);
                #(#build)*
                let __raw = self.api.execute(__request).await?;
                match __raw.status.as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        };
        OpOutput { method, items }
    }

    fn method_docs(
        &self,
        op: &openapiv3::Operation,
        args: &[&params::Arg],
        body_doc: Option<&str>,
        security_doc: Option<&str>,
    ) -> TokenStream {
        let mut text = String::new();
        if op.deprecated {
            text.push_str("**Deprecated** in the spec.\n\n");
        }
        if let Some(summary) = &op.summary {
            text.push_str(summary.trim());
            text.push_str("\n\n");
        }
        if let Some(description) = &op.description {
            if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
                text.push_str(description.trim());
                text.push_str("\n\n");
            }
        }
        text.push_str(&format!(
            "`{} {}`",
            self.method.to_ascii_uppercase(),
            self.path
        ));
        if let Some(id) = &op.operation_id {
            text.push_str(&format!(" (operationId `{id}`)"));
        }
        if !op.tags.is_empty() {
            text.push_str(&format!(
                "; tags: {}",
                op.tags
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !args.is_empty() {
            text.push_str("\n\nArguments:\n");
            for arg in args {
                let mut line = format!(
                    "\n- `{}`: {} `{}`",
                    arg.ident.to_string().trim_start_matches("r#"),
                    arg.location,
                    arg.wire_name
                );
                if arg.deprecated {
                    line.push_str(" (**deprecated**)");
                }
                if let Some(d) = arg.description.as_deref().map(str::trim) {
                    if !d.is_empty() {
                        line.push_str(": ");
                        line.push_str(&d.replace("\n\n", " ").replace('\n', "\n  "));
                    }
                }
                text.push_str(&line);
            }
        }
        for extra in [body_doc, security_doc].into_iter().flatten() {
            text.push_str("\n\n");
            text.push_str(extra);
        }
        doc_lines(&text, false)
    }

    /// Resolves a component `$ref` (following chains) and clones it.
    fn component<T: Clone>(
        &self,
        item: &ReferenceOr<T>,
        prefix: &str,
        lookup: impl for<'c> Fn(&'c Components, &str) -> Option<&'c ReferenceOr<T>>,
        pointer: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        component(
            self.spec,
            self.locate,
            item,
            prefix,
            lookup,
            pointer,
            diagnostics,
        )
    }

    /// The response and, if it was a `$ref`, the component's name.
    fn resolve_response(
        &self,
        r: &ReferenceOr<openapiv3::Response>,
        pointer: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(openapiv3::Response, Option<String>)> {
        let name = match r {
            ReferenceOr::Reference { reference } => {
                reference.rsplit('/').next().map(str::to_string)
            }
            ReferenceOr::Item(_) => None,
        };
        let response = self.component(
            r,
            "#/components/responses/",
            |c, n| c.responses.get(n),
            pointer,
            diagnostics,
        )?;
        Some((response, name))
    }
}

/// The one resolver for components of every kind (parameters, request
/// bodies, responses, security schemes): follows `$ref`s of the form
/// `<prefix><name>` (chains up to a depth of 16) and clones the item. A
/// reference that does not resolve is a warning at `pointer`.
fn component<T: Clone>(
    spec: &OpenAPI,
    locate: &Locate,
    item: &ReferenceOr<T>,
    prefix: &str,
    lookup: impl for<'c> Fn(&'c Components, &str) -> Option<&'c ReferenceOr<T>>,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut current = item;
    for _ in 0..16 {
        let next = match current {
            ReferenceOr::Item(t) => return Some(t.clone()),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix(prefix)
                .zip(spec.components.as_ref())
                .and_then(|(name, c)| lookup(c, &super::locate::unescape_token(name))),
        };
        match next {
            Some(n) => current = n,
            None => break,
        }
    }
    diagnostics.push(Diagnostic::warning(
        "openapi:unresolved-ref",
        locate(pointer),
        "reference does not resolve; skipped",
    ));
    None
}

/// `schema` without its top-level `nullable`: for a parameter or part that
/// may be left out, leaving it out is its `null`.
fn without_null(mut schema: Value) -> Value {
    if let Value::Object(map) = &mut schema {
        map.remove("nullable");
    }
    schema
}

fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    }
}

/// Picks the media type to use: JSON first, then text, then anything else
/// as bytes.
fn pick_media<'a>(media: impl Iterator<Item = &'a str>) -> Option<(&'a str, BodyKind)> {
    let media: Vec<&str> = media.collect();
    let essence = |m: &str| {
        m.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    if let Some(m) = media.iter().find(|m| {
        let e = essence(m);
        e == "application/json" || e.ends_with("+json") || e == "*/*" || e == "application/*"
    }) {
        return Some((m, BodyKind::Json));
    }
    if let Some(m) = media.iter().find(|m| essence(m).starts_with("text/")) {
        return Some((m, BodyKind::Text));
    }
    media.first().map(|m| (*m, BodyKind::Bytes))
}

/// A word for a status, used in type and variant names.
fn status_word(status: &str) -> String {
    let word = match status {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritativeInformation",
        "204" => "NoContent",
        "205" => "ResetContent",
        "206" => "PartialContent",
        "207" => "MultiStatus",
        "300" => "MultipleChoices",
        "301" => "MovedPermanently",
        "302" => "Found",
        "303" => "SeeOther",
        "304" => "NotModified",
        "307" => "TemporaryRedirect",
        "308" => "PermanentRedirect",
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "402" => "PaymentRequired",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "406" => "NotAcceptable",
        "408" => "RequestTimeout",
        "409" => "Conflict",
        "410" => "Gone",
        "411" => "LengthRequired",
        "412" => "PreconditionFailed",
        "413" => "PayloadTooLarge",
        "415" => "UnsupportedMediaType",
        "416" => "RangeNotSatisfiable",
        "422" => "UnprocessableEntity",
        "423" => "Locked",
        "424" => "FailedDependency",
        "428" => "PreconditionRequired",
        "429" => "TooManyRequests",
        "500" => "InternalServerError",
        "501" => "NotImplemented",
        "502" => "BadGateway",
        "503" => "ServiceUnavailable",
        "504" => "GatewayTimeout",
        "1XX" => "Informational",
        "2XX" => "Success",
        "3XX" => "Redirection",
        "4XX" => "ClientError",
        "5XX" => "ServerError",
        "default" => "Default",
        other => return format!("Status{other}"),
    };
    word.to_string()
}

/// The enum variant of one documented response: `Ok(types::Pet)`, or a
/// unit variant when it has no body, documented with status and description.
fn response_variant(r: &Resp) -> TokenStream {
    let v = &r.variant;
    let doc = doc_lines(&format!("{}: {}", r.status, r.description), false);
    match &r.body {
        Some((t, _)) => {
            let t = &t.ident;
            quote!(#doc #v(#t),)
        }
        None => quote!(#doc #v,),
    }
}
