//! Parameters: path-level and operation-level ones merged, each with its
//! Rust argument, style and explode, and the statements that put it on the
//! request through `wiregen_runtime::params`.

use openapiv3::{Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{escape_token, OpContext, INTERNAL_NAMES};
use crate::naming::{self, Case, Namer};
use crate::openapi::types::{RustType, Types};
use crate::Diagnostic;

/// One parameter as the method takes it.
pub(super) struct Arg {
    pub wire_name: String,
    pub ident: syn::Ident,
    pub location: &'static str,
    pub required: bool,
    pub ty: RustType,
    /// `::wiregen_runtime::params::Style::…`
    style: TokenStream,
    explode: bool,
    allow_reserved: bool,
    /// Declared with `content` (a JSON value), not `schema`.
    json: bool,
    pub deprecated: bool,
    pub description: Option<String>,
}

pub(super) fn location_of(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

impl OpContext<'_> {
    /// The operation's parameters as arguments: path-level first,
    /// operation-level overriding by (name, in). Header parameters named
    /// `Accept` or `Content-Type` are ignored (as OpenAPI says; the client
    /// sets those from the responses and the body).
    pub(super) fn arguments(
        &self,
        op: &openapiv3::Operation,
        path_params: &[ReferenceOr<Parameter>],
        type_base: &str,
        types: &mut Types,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Arg> {
        let mut params: Vec<(String, Parameter)> = Vec::new();
        let lists = [
            (
                format!("/paths/{}/parameters", escape_token(self.path)),
                path_params,
            ),
            (format!("{}/parameters", self.pointer), &op.parameters[..]),
        ];
        for (base, list) in lists {
            for (index, p) in list.iter().enumerate() {
                let ptr = format!("{base}/{index}");
                let Some(param) = self.component(
                    p,
                    "#/components/parameters/",
                    |c, n| c.parameters.get(n),
                    &ptr,
                    diagnostics,
                ) else {
                    continue;
                };
                let key = (param.parameter_data_ref().name.clone(), location_of(&param));
                params
                    .retain(|(_, p)| (p.parameter_data_ref().name.clone(), location_of(p)) != key);
                params.push((ptr, param));
            }
        }

        let mut arg_names = Namer::new();
        arg_names.reserve("self");
        arg_names.reserve("body");
        for name in INTERNAL_NAMES {
            arg_names.reserve(name);
        }
        let mut args = Vec::new();
        for (ptr, param) in &params {
            let data = param.parameter_data_ref();
            let location = location_of(param);
            if location == "header"
                && (data.name.eq_ignore_ascii_case("accept")
                    || data.name.eq_ignore_ascii_case("content-type"))
            {
                diagnostics.push(Diagnostic::note(
                    "openapi:ignored-header",
                    (self.locate)(ptr),
                    format!(
                        "header parameter `{}` is ignored: the client sets it from the spec",
                        data.name
                    ),
                ));
                continue;
            }
            let (schema, json) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    (serde_json::to_value(s).unwrap_or(Value::Null), false)
                }
                ParameterSchemaOrContent::Content(content) => (
                    content
                        .values()
                        .next()
                        .and_then(|m| m.schema.as_ref())
                        .and_then(|s| serde_json::to_value(s).ok())
                        .unwrap_or(Value::Null),
                    true,
                ),
            };
            let required = data.required || location == "path";
            // An optional parameter's `null` is its absence (a query, header
            // or cookie has no null): `Option<T>`, not `Option<Option<T>>`.
            let schema = if required {
                schema
            } else {
                super::without_null(schema)
            };
            let hint = format!("{type_base} {}", data.name);
            let ty = if schema.is_null() {
                types.type_for(&serde_json::json!({"type": "string"}), &hint, ptr)
            } else {
                types.type_for(&schema, &hint, &format!("{ptr}/schema"))
            };
            let (style, default_explode, allow_reserved) = match param {
                Parameter::Path { style, .. } => (
                    match style {
                        PathStyle::Simple => quote!(Simple),
                        PathStyle::Label => quote!(Label),
                        PathStyle::Matrix => quote!(Matrix),
                    },
                    false,
                    false,
                ),
                Parameter::Query {
                    style,
                    allow_reserved,
                    ..
                } => (
                    match style {
                        QueryStyle::Form => quote!(Form),
                        QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                        QueryStyle::PipeDelimited => quote!(PipeDelimited),
                        QueryStyle::DeepObject => quote!(DeepObject),
                    },
                    true,
                    *allow_reserved,
                ),
                Parameter::Header { .. } => (quote!(Simple), false, false),
                Parameter::Cookie { .. } => (quote!(Form), true, false),
            };
            args.push(Arg {
                wire_name: data.name.clone(),
                ident: naming::to_ident(&arg_names.name(&data.name, Case::Snake)),
                location,
                required,
                ty,
                style: quote!(::wiregen_runtime::params::Style::#style),
                explode: data.explode.unwrap_or(default_explode),
                allow_reserved,
                json,
                deprecated: data.deprecated == Some(true),
                description: data.description.clone(),
            });
        }
        args
    }
}

impl Arg {
    /// The value expression handed to the runtime: `&ident`, or its JSON
    /// text for `content` parameters.
    fn value(&self) -> TokenStream {
        let ident = &self.ident;
        if self.json {
            quote!(&::wiregen_runtime::params::json_text(&#ident)?)
        } else {
            quote!(&#ident)
        }
    }

    /// The encoded path segment expression.
    pub fn path_expr(&self) -> TokenStream {
        let wire = &self.wire_name;
        let value = self.value();
        let style = &self.style;
        let explode = self.explode;
        quote!(::wiregen_runtime::params::path(#wire, #value, #style, #explode)?)
    }

    /// Statements adding a query parameter to `__query`, or a header or
    /// cookie to `__request`; `None` for path parameters.
    pub fn apply(&self) -> Option<TokenStream> {
        let ident = &self.ident;
        let wire = &self.wire_name;
        let value = self.value();
        let style = &self.style;
        let explode = self.explode;
        let apply = match self.location {
            "query" => {
                let reserved = self.allow_reserved;
                quote! {
                    __query.push(#wire, #value, #style, #explode, #reserved)?;
                }
            }
            "header" => quote! {
                __request = __request.header(#wire, ::wiregen_runtime::params::header(#wire, #value, #explode)?);
            },
            "cookie" => quote! {
                __request = __request.header(
                    ::wiregen_runtime::reqwest::header::COOKIE,
                    ::wiregen_runtime::params::cookie(#wire, #value, #explode)?,
                );
            },
            _ => return None,
        };
        Some(if self.required {
            apply
        } else {
            quote!(if let Some(#ident) = #ident { #apply })
        })
    }
}
