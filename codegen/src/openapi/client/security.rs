//! `components/securitySchemes` → one typed credential setter per scheme on
//! the client, and per operation the `security` requirement it applies
//! (operation-level overrides the document's; `[]` means none).

use openapiv3::{APIKeyLocation, OpenAPI, SecurityRequirement, SecurityScheme};
use proc_macro2::TokenStream;
use quote::quote;

use super::{component, doc_lines, Locate};
use crate::naming::{self, Case, Namer};
use crate::Diagnostic;

enum Kind {
    ApiKey {
        location: APIKeyLocation,
        name: String,
    },
    Basic,
    /// `http` `bearer`, `oauth2`, `openIdConnect`.
    Bearer {
        what: String,
    },
    /// Any other `http` scheme (`digest`, `hoba`, …).
    Authorization {
        scheme: String,
    },
}

struct Scheme {
    name: String,
    setter: syn::Ident,
    kind: Kind,
    description: Option<String>,
}

pub(super) struct Schemes {
    schemes: Vec<Scheme>,
}

impl Schemes {
    /// Every scheme the document defines, in document order; setter names
    /// are taken from `method_names` before any operation's.
    pub fn new(
        spec: &OpenAPI,
        locate: &Locate,
        method_names: &mut Namer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Schemes {
        let mut schemes = Vec::new();
        let Some(components) = spec.components.as_ref() else {
            return Schemes { schemes };
        };
        for (name, scheme) in &components.security_schemes {
            let pointer = format!("/components/securitySchemes/{}", super::escape_token(name));
            let Some(scheme) = component(
                spec,
                locate,
                scheme,
                "#/components/securitySchemes/",
                |c, n| c.security_schemes.get(n),
                &pointer,
                diagnostics,
            ) else {
                continue;
            };
            let (kind, description) = match scheme {
                SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (Kind::ApiKey { location, name }, description),
                SecurityScheme::HTTP {
                    scheme,
                    bearer_format,
                    description,
                    ..
                } => {
                    let kind = match scheme.to_ascii_lowercase().as_str() {
                        "basic" => Kind::Basic,
                        "bearer" => Kind::Bearer {
                            what: match bearer_format {
                                Some(format) => format!("bearer token ({format})"),
                                None => "bearer token".into(),
                            },
                        },
                        _ => Kind::Authorization { scheme },
                    };
                    (kind, description)
                }
                SecurityScheme::OAuth2 { description, .. } => (
                    Kind::Bearer {
                        what: "OAuth 2.0 access token".into(),
                    },
                    description,
                ),
                SecurityScheme::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    Kind::Bearer {
                        what: format!("OpenID Connect token (discovery: {open_id_connect_url})"),
                    },
                    description,
                ),
            };
            let setter = naming::to_ident(&method_names.name(&format!("with {name}"), Case::Snake));
            schemes.push(Scheme {
                name: name.clone(),
                setter,
                kind,
                description,
            });
        }
        Schemes { schemes }
    }

    pub fn is_empty(&self) -> bool {
        self.schemes.is_empty()
    }

    /// The credential setters of `impl Client`.
    pub fn setters(&self) -> TokenStream {
        let setters = self.schemes.iter().map(|s| {
            let name = &s.name;
            let setter = &s.setter;
            let (what, args, credential) = match &s.kind {
                Kind::ApiKey {
                    location,
                    name: key,
                } => {
                    let (place, loc) = match location {
                        APIKeyLocation::Header => ("header", quote!(Header)),
                        APIKeyLocation::Query => ("query parameter", quote!(Query)),
                        APIKeyLocation::Cookie => ("cookie", quote!(Cookie)),
                    };
                    (
                        format!("API key, sent as {place} `{key}`"),
                        quote!(key: impl Into<String>),
                        quote! {
                            ::wiregen_runtime::auth::Credential::ApiKey {
                                location: ::wiregen_runtime::auth::ApiKeyLocation::#loc,
                                name: #key.to_string(),
                                value: key.into(),
                            }
                        },
                    )
                }
                Kind::Basic => (
                    "HTTP basic authentication (`Authorization: Basic …`)".to_string(),
                    quote!(username: impl Into<String>, password: impl Into<String>),
                    quote! {
                        ::wiregen_runtime::auth::Credential::Basic {
                            username: username.into(),
                            password: password.into(),
                        }
                    },
                ),
                Kind::Bearer { what } => (
                    format!("{what}, sent as `Authorization: Bearer <token>`"),
                    quote!(token: impl Into<String>),
                    quote!(::wiregen_runtime::auth::Credential::Bearer(token.into())),
                ),
                Kind::Authorization { scheme } => (
                    format!(
                        "HTTP `{scheme}` authentication, sent as `Authorization: {scheme} <value>`"
                    ),
                    quote!(value: impl Into<String>),
                    quote! {
                        ::wiregen_runtime::auth::Credential::Authorization {
                            scheme: #scheme.to_string(),
                            value: value.into(),
                        }
                    },
                ),
            };
            let mut text = format!(
                "Sets the credential of security scheme `{name}`: {what}. It is sent \
                 with the operations whose `security` requirement this scheme satisfies."
            );
            if let Some(d) = &s.description {
                text.push_str("\n\n");
                text.push_str(d.trim());
            }
            let doc = doc_lines(&text, false);
            quote! {
                #doc
                pub fn #setter(mut self, #args) -> Self {
                    self.credentials.set(#name, #credential);
                    self
                }
            }
        });
        quote! {
            #(#setters)*

            /// The credentials set so far, by security scheme name.
            pub fn credentials(&self) -> &::wiregen_runtime::auth::Credentials {
                &self.credentials
            }

            /// Sets, replaces or removes credentials by scheme name.
            pub fn credentials_mut(&mut self) -> &mut ::wiregen_runtime::auth::Credentials {
                &mut self.credentials
            }
        }
    }

    /// The statement that applies the operation's requirement, and a line
    /// for its docs. Alternatives naming an undefined scheme are dropped
    /// with a warning.
    pub fn requirement(
        &self,
        operation: Option<&Vec<SecurityRequirement>>,
        global: Option<&Vec<SecurityRequirement>>,
        pointer: &str,
        locate: &Locate,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (TokenStream, Option<String>) {
        let (requirement, pointer) = match (operation, global) {
            (Some(r), _) => (r, format!("{pointer}/security")),
            (None, Some(r)) => (r, "/security".to_string()),
            (None, None) => return (TokenStream::new(), None),
        };
        let mut alternatives: Vec<Vec<&str>> = Vec::new();
        for (index, alternative) in requirement.iter().enumerate() {
            let names: Vec<&str> = alternative.keys().map(String::as_str).collect();
            if let Some(missing) = names
                .iter()
                .find(|n| !self.schemes.iter().any(|s| s.name == **n))
            {
                diagnostics.push(Diagnostic::warning(
                    "openapi:security-scheme",
                    locate(&format!("{pointer}/{index}")),
                    format!(
                        "security scheme `{missing}` is not defined; this alternative is ignored"
                    ),
                ));
                continue;
            }
            alternatives.push(names);
        }
        if alternatives.iter().all(Vec::is_empty) {
            let doc = (!requirement.is_empty() && !alternatives.is_empty())
                .then(|| "Security: none needed.".to_string());
            return (TokenStream::new(), doc);
        }
        let doc = format!(
            "Security: {}.",
            alternatives
                .iter()
                .map(|alt| if alt.is_empty() {
                    "none".to_string()
                } else {
                    alt.iter()
                        .map(|n| {
                            let setter = self
                                .schemes
                                .iter()
                                .find(|s| s.name == *n)
                                .map(|s| s.setter.to_string())
                                .unwrap_or_default();
                            format!("`{n}` ([`Client::{setter}`])")
                        })
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .collect::<Vec<_>>()
                .join(", or ")
        );
        let alts = alternatives.iter().map(|alt| quote!(&[#(#alt),*]));
        (
            quote! {
                __request = self.credentials.apply(__request, &[#(#alts),*])?;
            },
            Some(doc),
        )
    }
}
