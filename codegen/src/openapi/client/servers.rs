//! `servers` → `SERVERS` (every URL with its variables at their defaults),
//! one `server_url_<n>` function per server with variables (an enum per
//! variable that lists its values), and the default base URL: the first
//! server with defaults substituted.
//!
//! A relative first server URL (`/api/v3`; OpenAPI resolves it against where
//! the document was served, which a generated client cannot know) becomes
//! `DEFAULT_BASE_PATH` and `Client::with_origin`, which appends it to the
//! origin the caller gives.

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_lines, Locate};
use crate::naming::{self, Case, Namer};
use crate::Diagnostic;

/// Splits `url` at `{name}` placeholders: literal text and variable names.
fn pieces(url: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push((false, &rest[..start]));
        }
        out.push((true, &rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

fn is_absolute(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The items at module level, and the constructors of `impl Client`.
pub(super) fn generate(
    spec: &OpenAPI,
    locate: &Locate,
    item_names: &mut Namer,
    diagnostics: &mut Vec<Diagnostic>,
) -> (TokenStream, TokenStream) {
    let mut items = Vec::new();
    let mut defaults: Vec<Option<String>> = Vec::new();
    for (index, server) in spec.servers.iter().enumerate() {
        let pointer = format!("/servers/{index}");
        let variables = server.variables.clone().unwrap_or_default();
        let mut default = String::new();
        let mut complete = true;
        for (is_var, text) in pieces(&server.url) {
            if !is_var {
                default.push_str(text);
                continue;
            }
            match variables.get(text) {
                Some(v) => default.push_str(&v.default),
                None => {
                    diagnostics.push(Diagnostic::warning(
                        "openapi:server-variable",
                        locate(&format!("{pointer}/url")),
                        format!("server variable `{text}` is not declared; server skipped"),
                    ));
                    complete = false;
                }
            }
        }
        let default = default.trim_end_matches('/').to_string();
        defaults.push(complete.then_some(default));
        if !complete || variables.is_empty() {
            continue;
        }
        // server_url_<n>(variables…)
        let fn_name =
            naming::to_ident(&item_names.name(&format!("server url {index}"), Case::Snake));
        let mut args = Vec::new();
        let mut arg_docs = Vec::new();
        let mut arg_names = Namer::new();
        let mut fmt = String::new();
        let mut fmt_args = Vec::new();
        for (is_var, text) in pieces(&server.url) {
            if !is_var {
                fmt.push_str(&text.replace('{', "{{").replace('}', "}}"));
                continue;
            }
            let Some(var) = variables.get(text) else {
                continue;
            };
            let arg = naming::to_ident(&arg_names.name(text, Case::Snake));
            fmt.push_str("{}");
            let mut doc = format!("- `{arg}`: `{{{text}}}`, default `{}`", var.default);
            if let Some(d) = &var.description {
                doc.push_str(&format!(": {}", d.trim().replace('\n', " ")));
            }
            arg_docs.push(doc);
            if var.enumeration.is_empty() {
                args.push(quote!(#arg: &str));
                fmt_args.push(quote!(#arg));
                continue;
            }
            let enum_name =
                naming::to_ident(&item_names.name(&format!("server {index} {text}"), Case::Pascal));
            let mut variant_names = Namer::new();
            let mut variants = Vec::new();
            let mut arms = Vec::new();
            let mut default_variant = None;
            for value in &var.enumeration {
                let v = naming::to_ident(&variant_names.name(value, Case::Pascal));
                let doc = format!("`{value}`");
                if *value == var.default {
                    variants.push(quote!(#[doc = #doc] #[default] #v,));
                    default_variant = Some(v.clone());
                } else {
                    variants.push(quote!(#[doc = #doc] #v,));
                }
                arms.push(quote!(#enum_name::#v => #value,));
            }
            let derive_default = if default_variant.is_some() {
                quote!(Default,)
            } else {
                diagnostics.push(Diagnostic::warning(
                    "openapi:server-variable",
                    locate(&format!(
                        "{pointer}/variables/{}",
                        super::escape_token(text)
                    )),
                    "the default is not one of the enum values",
                ));
                quote!()
            };
            let doc = format!(
                "Values of variable `{text}` of server {index} (`{}`); default `{}`.",
                server.url, var.default
            );
            let var_doc = var
                .description
                .as_deref()
                .map(|d| doc_lines(d, false))
                .unwrap_or_default();
            items.push(quote! {
                #[doc = #doc]
                #var_doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, #derive_default)]
                pub enum #enum_name { #(#variants)* }

                impl #enum_name {
                    /// The value as written in the URL.
                    pub fn as_str(&self) -> &'static str {
                        match self { #(#arms)* }
                    }
                }
            });
            args.push(quote!(#arg: #enum_name));
            fmt_args.push(quote!(#arg.as_str()));
        }
        let mut text = format!("The URL of server {index}, `{}`", server.url);
        if let Some(d) = &server.description {
            text.push_str(&format!(" ({})", d.trim()));
        }
        text.push_str(", with these variables:\n\n");
        text.push_str(&arg_docs.join("\n"));
        text.push_str("\n\nA trailing `/` is removed.");
        let doc = doc_lines(&text, false);
        items.push(quote! {
            #doc
            pub fn #fn_name(#(#args),*) -> String {
                format!(#fmt, #(#fmt_args),*).trim_end_matches('/').to_string()
            }
        });
    }

    let with_base_url = quote! {
        /// A client for `base_url` with default settings.
        pub fn with_base_url(base_url: &str) -> Result<Self, ::wiregen_runtime::http::BuildError> {
            Ok(Client::from(::wiregen_runtime::ClientBuilder::new(base_url).build()?))
        }
    };
    let listed: Vec<&String> = defaults.iter().flatten().collect();
    let servers = if listed.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            /// Every server of the spec, in order, with its variables at
            /// their defaults (see the `server_url_*` functions for others).
            pub const SERVERS: &[&str] = &[#(#listed),*];
        }
    };
    let first = defaults.first().cloned().flatten();
    let server_doc = spec
        .servers
        .first()
        .and_then(|s| s.description.as_deref())
        .map(|d| doc_lines(d, false))
        .unwrap_or_default();
    let (default_item, constructors) = match first {
        Some(url) if is_absolute(&url) => (
            quote! {
                /// The base URL: the spec's first `servers` entry, with its
                /// variables at their defaults.
                #server_doc
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
        ),
        Some(url) if !url.contains("://") && !url.starts_with("//") => {
            let path = if url.is_empty() || url.starts_with('/') {
                url
            } else {
                format!("/{url}")
            };
            (
                quote! {
                    /// The spec's first `servers` entry is relative to where
                    /// the spec is served: this path, appended to an origin
                    /// by [`Client::with_origin`].
                    #server_doc
                    pub const DEFAULT_BASE_PATH: &str = #path;
                },
                quote! {
                    #with_base_url

                    /// A client for `origin` (e.g. `https://api.example.com`)
                    /// followed by [`DEFAULT_BASE_PATH`].
                    pub fn with_origin(origin: &str) -> Result<Self, ::wiregen_runtime::http::BuildError> {
                        Self::with_base_url(&format!("{}{}", origin.trim_end_matches('/'), DEFAULT_BASE_PATH))
                    }
                },
            )
        }
        _ => (TokenStream::new(), with_base_url),
    };
    (
        quote! {
            #servers
            #default_item
            #(#items)*
        },
        constructors,
    )
}
