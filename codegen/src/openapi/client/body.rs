//! Request bodies. Each media type of `requestBody.content` is one way to
//! send the body:
//!
//! | media type | argument | sent as |
//! |---|---|---|
//! | `application/json`, `*/*+json` | `&T` (typify) | JSON |
//! | `application/x-www-form-urlencoded` | `&T` (typify) | the object's properties, urlencoded |
//! | `multipart/form-data` | `&<Op>Multipart` (a struct of the properties; `format: binary` → `FilePart`) | one part per property |
//! | `text/*` | `&str` | the text |
//! | anything else (`application/octet-stream`, XML, images) | `Bytes` | as is |
//!
//! One media type: the method takes that argument. Several: the method takes
//! `<Op>Body`, an enum with one variant per media type, so the caller picks
//! the media type and `Content-Type` is exactly that key of the spec. A
//! wildcard key (`*/*`, `application/*+json`, `text/*`) is sent as
//! `application/json`, `text/plain` or `application/octet-stream`.

use openapiv3::RequestBody;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{doc_lines, escape_token};
use crate::naming::{self, Case, Namer};
use crate::openapi::types::{Shape, Types};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn kind_of(media: &str) -> Kind {
    let e = essence(media);
    if e == "application/json" || e.ends_with("+json") || e == "*/*" || e == "application/*" {
        Kind::Json
    } else if e == "application/x-www-form-urlencoded" {
        Kind::Form
    } else if e == "multipart/form-data" {
        Kind::Multipart
    } else if e.starts_with("text/") {
        Kind::Text
    } else {
        Kind::Bytes
    }
}

/// The `Content-Type` sent for `media`.
fn sent_media(media: &str, kind: Kind) -> String {
    if !media.contains('*') {
        return media.to_string();
    }
    match kind {
        Kind::Json => "application/json",
        Kind::Text => "text/plain",
        _ => "application/octet-stream",
    }
    .to_string()
}

fn variant_words(media: &str) -> String {
    let e = essence(media);
    match e.as_str() {
        "application/json" => return "Json".into(),
        "application/x-www-form-urlencoded" => return "Form".into(),
        "multipart/form-data" => return "Multipart".into(),
        "text/plain" => return "Text".into(),
        "application/octet-stream" => return "Bytes".into(),
        "*/*" => return "Any".into(),
        _ => {}
    }
    let (top, sub) = e.split_once('/').unwrap_or(("", e.as_str()));
    let sub = sub.replace('*', "any");
    if top == "application" {
        sub
    } else {
        format!("{top} {sub}")
    }
}

/// One way to send the body.
struct Variant {
    media: String,
    ident: syn::Ident,
    /// The argument type, with lifetime `'a` where it borrows.
    ty_a: TokenStream,
    /// The same with the lifetime elided.
    ty: TokenStream,
    borrows: bool,
    clonable: bool,
    /// Statements that set the body from `__v`.
    set: TokenStream,
}

/// The body argument of a method.
pub(super) struct BodyArg {
    /// The argument type (without `Option`).
    pub ty: TokenStream,
    pub required: bool,
    /// Statements that set the body from the argument `body`.
    pub set: TokenStream,
    /// Items for the module (enum, multipart structs).
    pub items: Vec<TokenStream>,
    /// For the method docs.
    pub doc: String,
}

pub(super) struct BodyContext<'a> {
    pub raw: &'a Value,
    pub pointer: &'a str,
    pub type_base: &'a str,
    pub fn_name: &'a str,
}

impl BodyContext<'_> {
    pub fn generate(
        &self,
        body: &RequestBody,
        types: &mut Types,
        item_names: &mut Namer,
    ) -> Option<BodyArg> {
        if body.content.is_empty() {
            return None;
        }
        let several = body.content.len() > 1;
        let mut variant_names = Namer::new();
        let mut variants = Vec::new();
        let mut items = Vec::new();
        for (media, media_type) in &body.content {
            let kind = kind_of(media);
            let media_ptr = format!("{}/content/{}", self.pointer, escape_token(media));
            let schema = media_type
                .schema
                .as_ref()
                .and_then(|s| serde_json::to_value(s).ok());
            let suffix = if several {
                format!(" {}", variant_words(media))
            } else {
                String::new()
            };
            let sent = sent_media(media, kind);
            let content_type = quote!(::wiregen_runtime::reqwest::header::CONTENT_TYPE);
            let (ty_a, ty, set) = match kind {
                Kind::Json | Kind::Form => {
                    let rust = types.type_for(
                        schema.as_ref().unwrap_or(&serde_json::json!({})),
                        &format!("{} Body{suffix}", self.type_base),
                        &format!("{media_ptr}/schema"),
                    );
                    let inner = if rust.shape == Shape::String {
                        quote!(str)
                    } else {
                        rust.ident
                    };
                    let encode = if kind == Kind::Json {
                        quote!(::wiregen_runtime::http::json_body(__v)?)
                    } else {
                        quote!(::wiregen_runtime::body::form_body(__v)?)
                    };
                    (
                        quote!(&'a #inner),
                        quote!(&#inner),
                        quote!(__request = __request.header(#content_type, #sent).body(#encode);),
                    )
                }
                Kind::Text => (
                    quote!(&'a str),
                    quote!(&str),
                    quote!(__request = __request.header(#content_type, #sent).body(__v.to_string());),
                ),
                Kind::Bytes => (
                    quote!(::wiregen_runtime::bytes::Bytes),
                    quote!(::wiregen_runtime::bytes::Bytes),
                    quote!(__request = __request.header(#content_type, #sent).body(__v);),
                ),
                Kind::Multipart => {
                    match self.multipart_struct(
                        schema.as_ref(),
                        &suffix,
                        &media_ptr,
                        types,
                        item_names,
                    ) {
                        Some((name, item, fill)) => {
                            items.push(item);
                            (
                                quote!(&'a #name),
                                quote!(&#name),
                                quote! {
                                    let mut __form = ::wiregen_runtime::body::Multipart::new();
                                    #fill
                                    __request = __request.multipart(__form.into_form());
                                },
                            )
                        }
                        None => (
                            quote!(::wiregen_runtime::reqwest::multipart::Form),
                            quote!(::wiregen_runtime::reqwest::multipart::Form),
                            quote!(__request = __request.multipart(__v);),
                        ),
                    }
                }
            };
            variants.push(Variant {
                media: media.clone(),
                ident: naming::to_ident(&variant_names.name(&variant_words(media), Case::Pascal)),
                borrows: ty_a.to_string() != ty.to_string(),
                clonable: !(kind == Kind::Multipart && ty_a.to_string() == ty.to_string()),
                ty_a,
                ty,
                set,
            });
        }

        if let [only] = variants.as_slice() {
            let set = &only.set;
            return Some(BodyArg {
                ty: only.ty.clone(),
                required: body.required,
                set: quote!(let __v = body; #set),
                items,
                doc: format!("The body is sent as `{}`.", only.media),
            });
        }
        let name =
            naming::to_ident(&item_names.name(&format!("{} Body", self.type_base), Case::Pascal));
        let borrows = variants.iter().any(|v| v.borrows);
        let lifetime = if borrows { quote!(<'a>) } else { quote!() };
        let clone = if variants.iter().all(|v| v.clonable) {
            quote!(Clone,)
        } else {
            quote!()
        };
        let decl = variants.iter().map(|v| {
            let ident = &v.ident;
            let ty = &v.ty_a;
            let doc = format!("Sent as `{}`.", v.media);
            quote!(#[doc = #doc] #ident(#ty),)
        });
        let arms = variants.iter().map(|v| {
            let ident = &v.ident;
            let set = &v.set;
            quote!(#name::#ident(__v) => { #set })
        });
        let doc = format!(
            "The request body of [`Client::{}`]: one variant per media type the spec allows; the variant chosen is the `Content-Type` sent.",
            self.fn_name
        );
        items.push(quote! {
            #[doc = #doc]
            #[derive(Debug, #clone)]
            pub enum #name #lifetime { #(#decl)* }
        });
        let ty = if borrows {
            quote!(#name<'_>)
        } else {
            quote!(#name)
        };
        Some(BodyArg {
            ty,
            required: body.required,
            set: quote!(match body { #(#arms)* }),
            items,
            doc: format!(
                "The body is one of [`{name}`]'s media types: {}.",
                variants
                    .iter()
                    .map(|v| format!("`{}`", v.media))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }

    /// Follows `$ref`s to a component schema of the raw document.
    fn deref<'v>(&'v self, mut schema: &'v Value) -> &'v Value {
        for _ in 0..16 {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(name) = r.strip_prefix("#/components/schemas/") else {
                break;
            };
            let pointer = format!("/components/schemas/{name}");
            match self.raw.pointer(&pointer) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// A struct with one field per property of an object schema, and the
    /// statements that add each as a part. `None` when the schema is not
    /// an object with properties.
    fn multipart_struct(
        &self,
        schema: Option<&Value>,
        suffix: &str,
        media_ptr: &str,
        types: &mut Types,
        item_names: &mut Namer,
    ) -> Option<(syn::Ident, TokenStream, TokenStream)> {
        let schema = self.deref(schema?);
        let properties = schema.get("properties")?.as_object()?;
        if properties.is_empty() {
            return None;
        }
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let name = naming::to_ident(
            &item_names.name(&format!("{} Multipart", self.type_base), Case::Pascal),
        );
        let mut field_names = Namer::new();
        let mut fields = Vec::new();
        let mut fill = Vec::new();
        for (prop, prop_schema) in properties {
            let field = naming::to_ident(&field_names.name(prop, Case::Snake));
            let resolved = self.deref(prop_schema);
            let is_binary = |s: &Value| {
                s.get("type").and_then(Value::as_str) == Some("string")
                    && s.get("format").and_then(Value::as_str) == Some("binary")
            };
            let items_binary = resolved.get("type").and_then(Value::as_str) == Some("array")
                && resolved.get("items").map(|i| is_binary(self.deref(i))) == Some(true);
            let is_required = required.contains(&prop.as_str());
            let (ty, add) = if is_binary(resolved) {
                (
                    quote!(::wiregen_runtime::FilePart),
                    if is_required {
                        quote!(__form.file(#prop, &__v.#field)?;)
                    } else {
                        quote!(if let Some(__f) = &__v.#field { __form.file(#prop, __f)?; })
                    },
                )
            } else if items_binary {
                (
                    quote!(::std::vec::Vec<::wiregen_runtime::FilePart>),
                    if is_required {
                        quote!(__form.files(#prop, &__v.#field)?;)
                    } else {
                        quote!(if let Some(__f) = &__v.#field { __form.files(#prop, __f)?; })
                    },
                )
            } else {
                // An optional part's `null` is its absence.
                let prop_schema = if is_required {
                    prop_schema.clone()
                } else {
                    super::without_null(prop_schema.clone())
                };
                let rust = types.type_for(
                    &prop_schema,
                    &format!("{} Multipart{suffix} {prop}", self.type_base),
                    &format!("{media_ptr}/schema/properties/{}", escape_token(prop)),
                );
                (rust.ident, quote!(__form.value(#prop, &__v.#field)?;))
            };
            let ty = if is_required {
                ty
            } else {
                quote!(::std::option::Option<#ty>)
            };
            let mut text = format!("Part `{prop}`.");
            if let Some(d) = prop_schema
                .get("description")
                .or_else(|| resolved.get("description"))
                .and_then(Value::as_str)
            {
                text.push_str("\n\n");
                text.push_str(d);
            }
            let doc = doc_lines(&text, false);
            fields.push(quote!(#doc pub #field: #ty,));
            fill.push(add);
        }
        let doc = format!(
            "The `multipart/form-data` body of [`Client::{}`]: one part per field.",
            self.fn_name
        );
        let item = quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #name { #(#fields)* }
        };
        Some((name, item, quote!(#(#fill)*)))
    }
}
