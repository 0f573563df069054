//! The client layer: one `Client` with one async method per operation, an
//! error enum per operation for its documented error responses, and a
//! success enum where an operation has several differently typed successes.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::locate::escape_token;
use super::types::{RustType, Shape, Types};
use super::Locate;
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
    "from",
    "clone",
    "fmt",
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
    for reserved in ["Client", "types", "DEFAULT_BASE_URL"] {
        item_names.reserve(reserved);
    }

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

    let type_tokens = types.tokens().map_err(|message| Error::Invalid {
        location: locate("/components/schemas"),
        message,
    })?;
    let module_docs = module_docs(api, spec);
    let (default_base_url, constructors) = constructors(spec, locate, &mut diagnostics);

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

        #default_base_url

        /// The client: one async method per operation of the spec.
        ///
        /// Set headers every request needs (e.g. an auth token the spec does
        /// not declare) once with [`ClientBuilder::default_header`], or a
        /// [`ClientBuilder::request_hook`], and make the client with
        /// `Client::from(builder.build()?)`.
        #[derive(Debug, Clone)]
        pub struct Client {
            api: ::wiregen_runtime::ApiClient,
        }

        impl From<::wiregen_runtime::ApiClient> for Client {
            fn from(api: ::wiregen_runtime::ApiClient) -> Self {
                Client { api }
            }
        }

        impl Client {
            #constructors

            /// The transport this client uses.
            pub fn api_client(&self) -> &::wiregen_runtime::ApiClient {
                &self.api
            }

            #(#methods)*
        }

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

/// `DEFAULT_BASE_URL` and the constructors that use it, from `servers[0]`.
fn constructors(
    spec: &OpenAPI,
    locate: &Locate,
    diagnostics: &mut Vec<Diagnostic>,
) -> (TokenStream, TokenStream) {
    let with_base_url = quote! {
        /// A client for `base_url` with default settings.
        pub fn with_base_url(base_url: &str) -> Result<Self, ::wiregen_runtime::http::BuildError> {
            Ok(Client::from(::wiregen_runtime::ClientBuilder::new(base_url).build()?))
        }
    };
    let server = spec.servers.first();
    let url = server.map(|s| s.url.trim_end_matches('/').to_string());
    match url {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            if url.contains('{') {
                diagnostics.push(Diagnostic::note(
                    "openapi:server-variables",
                    locate("/servers/0/url"),
                    "server url has variables; no default base url",
                ));
                return (TokenStream::new(), with_base_url);
            }
            let doc = server
                .and_then(|s| s.description.clone())
                .map(|d| doc_lines(&d, false))
                .unwrap_or_default();
            (
                quote! {
                    /// The base URL from the spec's first `servers` entry.
                    #doc
                    pub const DEFAULT_BASE_URL: &str = #url;
                },
                quote! {
                    /// A client for [`DEFAULT_BASE_URL`] with default settings.
                    pub fn new() -> Result<Self, ::wiregen_runtime::http::BuildError> {
                        Self::with_base_url(DEFAULT_BASE_URL)
                    }

                    #with_base_url

                    /// A builder preset with [`DEFAULT_BASE_URL`]: add default
                    /// headers or a request hook, then `Client::from(builder.build()?)`.
                    pub fn builder() -> ::wiregen_runtime::ClientBuilder {
                        ::wiregen_runtime::ClientBuilder::new(DEFAULT_BASE_URL)
                    }
                },
            )
        }
        _ => (TokenStream::new(), with_base_url),
    }
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

struct OpContext<'a> {
    spec: &'a OpenAPI,
    path: &'a str,
    method: &'a str,
    pointer: &'a str,
    locate: &'a Locate<'a>,
}

struct OpOutput {
    method: TokenStream,
    items: Vec<TokenStream>,
}

/// One parameter as the method takes it.
struct Arg {
    wire_name: String,
    ident: syn::Ident,
    location: &'static str,
    required: bool,
    ty: RustType,
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

        // Parameters: path-level first, operation-level overriding by (name, in).
        let mut params: Vec<(String, Parameter)> = Vec::new();
        for (index, p) in path_params.iter().enumerate() {
            let ptr = format!("/paths/{}/parameters/{index}", escape_token(self.path));
            if let Some(param) = self.resolve_parameter(p, &ptr, diagnostics) {
                params.push((ptr, param));
            }
        }
        for (index, p) in op.parameters.iter().enumerate() {
            let ptr = format!("{}/parameters/{index}", self.pointer);
            if let Some(param) = self.resolve_parameter(p, &ptr, diagnostics) {
                let data = param.parameter_data_ref();
                let key = (data.name.clone(), location_of(&param));
                params
                    .retain(|(_, p)| (p.parameter_data_ref().name.clone(), location_of(p)) != key);
                params.push((ptr, param));
            }
        }

        let mut arg_names = Namer::new();
        arg_names.reserve("self");
        arg_names.reserve("body");
        let mut args: Vec<Arg> = Vec::new();
        for (ptr, param) in &params {
            let data = param.parameter_data_ref();
            let location = location_of(param);
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    serde_json::to_value(s).unwrap_or(Value::Null)
                }
                ParameterSchemaOrContent::Content(content) => content
                    .values()
                    .next()
                    .and_then(|m| m.schema.as_ref())
                    .and_then(|s| serde_json::to_value(s).ok())
                    .unwrap_or(Value::Null),
            };
            let hint = format!("{type_base} {}", data.name);
            let ty = if schema.is_null() {
                types.type_for(&serde_json::json!({"type": "string"}), &hint, ptr)
            } else {
                types.type_for(&schema, &hint, &format!("{ptr}/schema"))
            };
            args.push(Arg {
                wire_name: data.name.clone(),
                ident: naming::to_ident(&arg_names.name(&data.name, Case::Snake)),
                location,
                required: data.required || location == "path",
                ty,
            });
        }

        // Request body: JSON preferred, then text, then raw bytes.
        let mut body_arg: Option<(TokenStream, TokenStream, bool)> = None;
        if let Some(body) = &op.request_body {
            let ptr = format!("{}/requestBody", self.pointer);
            if let Some(body) = self.resolve_body(body, &ptr, diagnostics) {
                let chosen = pick_media(body.content.keys().map(String::as_str));
                if let Some((media, kind)) = chosen {
                    let schema = body.content.get(media).and_then(|m| m.schema.as_ref());
                    let media_ptr = format!("{ptr}/content/{}", escape_token(media));
                    let (param_ty, encode) = match kind {
                        BodyKind::Json => {
                            let ty = match schema {
                                Some(s) => types.type_for(
                                    &serde_json::to_value(s).unwrap_or(Value::Null),
                                    &format!("{type_base} Body"),
                                    &format!("{media_ptr}/schema"),
                                ),
                                None => types.type_for(&serde_json::json!({}), "Value", &media_ptr),
                            };
                            let param = if ty.shape == Shape::String {
                                quote!(&str)
                            } else {
                                let i = &ty.ident;
                                quote!(&#i)
                            };
                            (param, quote!(::wiregen_runtime::http::json_body(body)?))
                        }
                        BodyKind::Text => (quote!(&str), quote!(body.to_string())),
                        BodyKind::Bytes => (quote!(::wiregen_runtime::bytes::Bytes), quote!(body)),
                    };
                    let set = quote! {
                        request = request
                            .header(::wiregen_runtime::reqwest::header::CONTENT_TYPE, #media)
                            .body(#encode);
                    };
                    body_arg = Some((param_ty, set, body.required));
                }
            }
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
        let mut items = Vec::new();
        let success_enum = if distinct.len() > 1 {
            let name =
                naming::to_ident(&item_names.name(&format!("{type_base} Response"), Case::Pascal));
            let variants = successes.iter().map(|r| {
                let v = &r.variant;
                let doc = doc_lines(&format!("{}: {}", r.status, r.description), false);
                match &r.body {
                    Some((t, _)) => {
                        let t = &t.ident;
                        quote!(#doc #v(#t),)
                    }
                    None => quote!(#doc #v,),
                }
            });
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
        let error_variants = responses.iter().filter(|r| !r.success).map(|r| {
            let v = &r.variant;
            let doc = doc_lines(&format!("{}: {}", r.status, r.description), false);
            match &r.body {
                Some((t, _)) => {
                    let t = &t.ident;
                    quote!(#doc #v(#t),)
                }
                None => quote!(#doc #v,),
            }
        });
        let error_doc = format!("Documented error responses of [`Client::{fn_name}`].");
        items.push(quote! {
            #[doc = #error_doc]
            #[derive(Debug, Clone)]
            pub enum #error_name { #(#error_variants)* }
        });

        let arms = responses.iter().map(|r| {
            let pattern = &r.pattern;
            let decode = r.body.as_ref().map(|(ty, kind)| match (kind, ty.shape) {
                    (BodyKind::Json, Shape::String) | (BodyKind::Text, _) => quote!(::wiregen_runtime::http::decode_string(&raw)),
                    (BodyKind::Json, _) => quote!(::wiregen_runtime::http::decode_json(&raw)),
                    (BodyKind::Bytes, _) => quote!(Ok::<_, ::wiregen_runtime::DecodeError>(raw.body.clone())),
            });
            let v = &r.variant;
            match (r.success, decode, &success_enum) {
                (true, Some(decode), None) => quote! { #pattern => { let body = #decode; ::wiregen_runtime::http::decoded(raw, body) } },
                (true, None, None) => quote! { #pattern => Ok(raw.into_value(())), },
                (true, Some(decode), Some(e)) => quote! { #pattern => { let body = #decode; ::wiregen_runtime::http::decoded(raw, body.map(#e::#v)) } },
                (true, None, Some(e)) => quote! { #pattern => Ok(raw.into_value(#e::#v)), },
                (false, Some(decode), _) => quote! { #pattern => { let body = #decode; ::wiregen_runtime::http::decoded_error(raw, body, #error_name::#v) } },
                (false, None, _) => quote! { #pattern => Err(::wiregen_runtime::Error::api(raw, #error_name::#v)), },
            }
        });
        let fallback = if responses.iter().any(|r| r.order == 2) {
            quote!()
        } else {
            quote!(_ => Err(::wiregen_runtime::Error::unexpected(raw)),)
        };

        // Signature and request building.
        let mut sig = Vec::new();
        let mut build = Vec::new();
        let mut ordered: Vec<&Arg> = args.iter().filter(|a| a.required).collect();
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
                    let ident = &arg.ident;
                    fmt_args.push(quote!(::wiregen_runtime::http::path_param(&#ident)?));
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
        let path_expr = if fmt_args.is_empty() {
            let p = self.path;
            quote!(#p)
        } else {
            quote!(&format!(#fmt, #(#fmt_args),*))
        };
        let method_ident = format_ident!("{}", self.method.to_ascii_uppercase());
        if !accept.is_empty() {
            let value = accept.join(", ");
            build.push(quote! {
                request = request.header(::wiregen_runtime::reqwest::header::ACCEPT, #value);
            });
        }
        for arg in &args {
            let ident = &arg.ident;
            let wire = &arg.wire_name;
            let apply = match arg.location {
                "query" => quote! {
                    request = request.query(&[(#wire, ::wiregen_runtime::http::query_param(&#ident)?)]);
                },
                "header" => quote! {
                    request = request.header(#wire, ::wiregen_runtime::http::header_value(#wire, &#ident)?);
                },
                "cookie" => quote! {
                    request = request.header(
                        ::wiregen_runtime::reqwest::header::COOKIE,
                        ::wiregen_runtime::http::cookie_value(#wire, &#ident)?,
                    );
                },
                _ => continue,
            };
            if arg.required {
                build.push(apply);
            } else {
                build.push(quote!(if let Some(#ident) = #ident { #apply }));
            }
        }
        if let Some((param_ty, set, required)) = &body_arg {
            if *required {
                sig.push(quote!(body: #param_ty));
                build.push(set.clone());
            } else {
                sig.push(quote!(body: Option<#param_ty>));
                build.push(quote!(if let Some(body) = body { #set }));
            }
        }

        let docs = self.method_docs(op);
        let deprecated = if op.deprecated {
            quote!(#[deprecated])
        } else {
            quote!()
        };
        let method = quote! {
            #docs
            #deprecated
            pub async fn #fn_ident(&self, #(#sig),*) -> Result<::wiregen_runtime::ResponseValue<#success_ty>, ::wiregen_runtime::Error<#error_name>> {
                #[allow(unused_mut)]
                let mut request = self.api.request(::wiregen_runtime::reqwest::Method::#method_ident, #path_expr);
                #(#build)*
                let raw = self.api.execute(request).await?;
                match raw.status.as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        };
        OpOutput { method, items }
    }

    fn method_docs(&self, op: &openapiv3::Operation) -> TokenStream {
        let mut text = String::new();
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
        doc_lines(&text, false)
    }

    fn resolve_parameter(
        &self,
        p: &ReferenceOr<Parameter>,
        pointer: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Parameter> {
        let components = self.spec.components.as_ref();
        resolve(p, "#/components/parameters/", |name| {
            components.and_then(|c| c.parameters.get(name))
        })
        .cloned()
        .or_else(|| {
            diagnostics.push(unresolved(self.locate, pointer));
            None
        })
    }

    fn resolve_body(
        &self,
        b: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<openapiv3::RequestBody> {
        let components = self.spec.components.as_ref();
        resolve(b, "#/components/requestBodies/", |name| {
            components.and_then(|c| c.request_bodies.get(name))
        })
        .cloned()
        .or_else(|| {
            diagnostics.push(unresolved(self.locate, pointer));
            None
        })
    }

    /// The response and, if it was a `$ref`, the component's name.
    fn resolve_response(
        &self,
        r: &ReferenceOr<openapiv3::Response>,
        pointer: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(openapiv3::Response, Option<String>)> {
        let components = self.spec.components.as_ref();
        let name = match r {
            ReferenceOr::Reference { reference } => {
                reference.rsplit('/').next().map(str::to_string)
            }
            ReferenceOr::Item(_) => None,
        };
        match resolve(r, "#/components/responses/", |name| {
            components.and_then(|c| c.responses.get(name))
        }) {
            Some(resp) => Some((resp.clone(), name)),
            None => {
                diagnostics.push(unresolved(self.locate, pointer));
                None
            }
        }
    }
}

fn unresolved(locate: &Locate, pointer: &str) -> Diagnostic {
    Diagnostic::warning(
        "openapi:unresolved-ref",
        locate(pointer),
        "reference does not resolve; skipped",
    )
}

/// Follows `$ref`s (up to a depth) into a components section.
fn resolve<'a, T>(
    mut item: &'a ReferenceOr<T>,
    prefix: &str,
    lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
) -> Option<&'a T> {
    for _ in 0..16 {
        match item {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(prefix)?;
                item = lookup(&super::locate::unescape_token(name))?;
            }
        }
    }
    None
}

fn location_of(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
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
