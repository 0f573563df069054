//! Fixture tests of the client layer: small inline documents, assertions on
//! the generated code and diagnostics. The wire behaviour of the same
//! capabilities is tested in `tests/tests/openapi_fixtures.rs`.

use crate::{Manifest, MemoryFiles, Output};

fn generate(yaml: &str) -> Output {
    let files = MemoryFiles::new().with("t.yaml", yaml);
    let manifest = Manifest::parse(
        "test",
        "[[api]]\nname = \"t\"\nkind = \"openapi\"\nfiles = [{ path = \"t.yaml\" }]\n",
    )
    .unwrap();
    crate::openapi::generate(&files, &manifest.apis[0]).unwrap()
}

/// The text of method `name`, up to the next method or item.
fn method<'c>(code: &'c str, name: &str) -> &'c str {
    let start = code
        .find(&format!("pub async fn {name}("))
        .unwrap_or_else(|| panic!("no method {name}:\n{code}"));
    // Include the attributes and docs just before it.
    let doc_start = code[..start].rfind("    }\n").map(|i| i + 6).unwrap_or(0);
    let end = code[start..]
        .find("\n    }\n")
        .map(|i| start + i)
        .unwrap_or(code.len());
    &code[doc_start..end]
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn deprecated_operations_and_parameters_are_marked() {
    let out = generate(&format!(
        "{HEAD}paths:
  /old:
    get:
      operationId: oldThing
      deprecated: true
      parameters:
        - {{name: legacy, in: query, deprecated: true, description: Do not use., schema: {{type: string}}}}
        - {{name: fresh, in: query, schema: {{type: string}}}}
      responses:
        '204': {{description: ok}}
  /new:
    get:
      operationId: newThing
      responses:
        '204': {{description: ok}}
"
    ));
    let old = method(&out.code, "old_thing");
    assert!(
        old.contains("#[deprecated = \"deprecated in the spec\"]"),
        "{old}"
    );
    assert!(old.contains("/// **Deprecated** in the spec."), "{old}");
    assert!(
        old.contains("/// - `legacy`: query `legacy` (**deprecated**): Do not use."),
        "{old}"
    );
    assert!(old.contains("/// - `fresh`: query `fresh`\n"), "{old}");
    let new = method(&out.code, "new_thing");
    assert!(!new.contains("deprecated"), "{new}");
}

#[test]
fn security_requirements_apply_per_operation() {
    let out = generate(&format!(
        "{HEAD}security: [{{token: []}}]
components:
  securitySchemes:
    token: {{type: http, scheme: bearer}}
    key: {{type: apiKey, in: header, name: X-Key}}
paths:
  /a:
    get:
      operationId: global
      responses: {{'204': {{description: ok}}}}
  /b:
    get:
      operationId: open
      security: []
      responses: {{'204': {{description: ok}}}}
  /c:
    get:
      operationId: either
      security: [{{key: []}}, {{key: [], token: []}}, {{}}]
      responses: {{'204': {{description: ok}}}}
"
    ));
    let global = method(&out.code, "global");
    assert!(
        global.contains("self.credentials.apply(__request, &[&[\"token\"]])?"),
        "{global}"
    );
    assert!(
        global.contains("/// Security: `token` ([`Client::with_token`])."),
        "{global}"
    );
    let open = method(&out.code, "open");
    assert!(!open.contains("credentials"), "{open}");
    let either = method(&out.code, "either");
    assert!(
        either.contains("&[&[\"key\"], &[\"key\", \"token\"], &[]]"),
        "{either}"
    );
    assert!(out
        .code
        .contains("pub fn with_token(mut self, token: impl Into<String>) -> Self"));
    assert!(out
        .code
        .contains("pub fn with_key(mut self, key: impl Into<String>) -> Self"));
}

#[test]
fn without_security_schemes_the_client_has_no_credentials() {
    let out = generate(&format!(
        "{HEAD}paths:
  /a:
    get:
      operationId: a
      responses: {{'204': {{description: ok}}}}
"
    ));
    assert!(!out.code.contains("credentials"), "{}", out.code);
}

#[test]
fn servers_with_undeclared_variables_are_skipped_with_a_warning() {
    let out = generate(&format!(
        "{HEAD}servers:
  - url: https://{{tenant}}.example.com
  - url: https://{{env}}.example.com/
    variables:
      env: {{default: prod, enum: [prod, test]}}
paths: {{}}
"
    ));
    assert!(!out.code.contains("DEFAULT_BASE_URL"), "{}", out.code);
    assert!(
        out.code
            .contains("pub const SERVERS: &[&str] = &[\"https://prod.example.com\"];"),
        "{}",
        out.code
    );
    assert!(out
        .code
        .contains("pub fn server_url_1(env: Server1Env) -> String"));
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "openapi:server-variable" && d.message.contains("`tenant`")));
}

#[test]
fn one_media_type_is_an_argument_several_are_an_enum() {
    let out = generate(&format!(
        "{HEAD}paths:
  /one:
    post:
      operationId: one
      requestBody:
        content:
          text/plain: {{schema: {{type: string}}}}
      responses: {{'204': {{description: ok}}}}
  /many:
    post:
      operationId: many
      requestBody:
        required: true
        content:
          application/json: {{schema: {{type: object, properties: {{a: {{type: string}}}}}}}}
          '*/*': {{schema: {{type: string}}}}
          application/xml: {{schema: {{type: object}}}}
          multipart/form-data: {{schema: {{type: string}}}}
      responses: {{'204': {{description: ok}}}}
"
    ));
    let one = method(&out.code, "one");
    assert!(one.contains("body: Option<&str>"), "{one}");
    assert!(one.contains("\"text/plain\""), "{one}");
    let many = method(&out.code, "many");
    assert!(many.contains("body: ManyBody<'_>"), "{many}");
    // A wildcard is sent as a concrete media type.
    assert!(many.contains("ManyBody::Any(__v)"), "{many}");
    assert!(!many.contains("\"*/*\""), "{many}");
    assert!(
        out.code.contains("Xml(::wiregen_runtime::bytes::Bytes)"),
        "{}",
        out.code
    );
    // Not an object: the caller builds the multipart form; no Clone then.
    assert!(
        out.code
            .contains("Multipart(::wiregen_runtime::reqwest::multipart::Form)"),
        "{}",
        out.code
    );
    assert!(out.code.contains("#[derive(Debug)]\npub enum ManyBody<'a>"));
}

#[test]
fn references_are_followed_and_unresolved_ones_reported() {
    let out = generate(&format!(
        "{HEAD}paths:
  /a:
    get:
      operationId: a
      parameters:
        - $ref: '#/components/parameters/Alias'
        - $ref: '#/components/parameters/Missing'
      requestBody:
        $ref: '#/components/requestBodies/Nope'
      responses:
        '200': {{$ref: '#/components/responses/Fine'}}
components:
  parameters:
    Alias: {{$ref: '#/components/parameters/Real'}}
    Real: {{name: real, in: query, required: true, schema: {{type: integer}}}}
  responses:
    Fine: {{description: fine}}
"
    ));
    let a = method(&out.code, "a");
    assert!(a.contains("real: i64"), "{a}");
    assert!(!a.contains("body"), "{a}");
    let unresolved: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi:unresolved-ref")
        .map(|d| d.location.pointer.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        unresolved,
        ["/paths/~1a/get/parameters/1", "/paths/~1a/get/requestBody"]
    );
}

#[test]
fn generating_twice_gives_the_same_code() {
    let doc = format!(
        "{HEAD}servers: [{{url: 'https://{{r}}.x.example', variables: {{r: {{default: a, enum: [a, b]}}}}}}]
components:
  securitySchemes:
    b: {{type: http, scheme: basic}}
    a: {{type: apiKey, in: query, name: k}}
paths:
  /p/{{id}}:
    post:
      operationId: p
      security: [{{a: []}}, {{b: []}}]
      parameters: [{{name: id, in: path, required: true, style: matrix, schema: {{type: array, items: {{type: string}}}}}}]
      requestBody:
        content:
          application/json: {{schema: {{type: object}}}}
          application/x-www-form-urlencoded: {{schema: {{type: object}}}}
      responses: {{'204': {{description: ok}}}}
"
    );
    assert_eq!(generate(&doc).code, generate(&doc).code);
}

/// OpenAPI 3.1 as Pydantic v2 writes it: `Optional[X]` is `anyOf: [X,
/// {type: null}]`, a file part is a string with `contentMediaType`.
#[test]
fn openapi_31_optionals_and_file_parts() {
    let out = generate(
        "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /up:
    post:
      operationId: up
      parameters:
        - {name: mode, in: query, required: false, schema: {anyOf: [{type: string}, {type: 'null'}]}}
        - {name: kind, in: header, required: false, schema: {anyOf: [{$ref: '#/components/schemas/Kind'}, {type: 'null'}]}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, files]
              properties:
                file: {type: string, contentMediaType: application/octet-stream}
                files: {type: array, items: {type: string, contentMediaType: image/png}}
                note: {anyOf: [{type: string}, {type: 'null'}]}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Report'}
components:
  schemas:
    Kind: {type: string, enum: [a, b]}
    Tag: {type: object, required: [name], properties: {name: {type: string}}}
    Report:
      type: object
      required: [owner, level, price]
      properties:
        owner: {anyOf: [{$ref: '#/components/schemas/Tag'}, {type: 'null'}]}
        level: {enum: [low, high, null]}
        price: {type: number, exclusiveMinimum: 0}
        spare: {anyOf: [{$ref: '#/components/schemas/Tag'}, {type: 'null'}]}
",
    );
    let up = method(&out.code, "up");
    assert!(up.contains("mode: Option<&str>,"), "{up}");
    assert!(up.contains("kind: Option<types::Kind>,"), "{up}");
    let code = out.code.replace(['\n', ' '], "");
    assert!(
        code.contains("pubfile:::wiregen_runtime::FilePart,"),
        "{}",
        out.code
    );
    assert!(
        code.contains("pubfiles:::std::vec::Vec<::wiregen_runtime::FilePart>,"),
        "{}",
        out.code
    );
    assert!(
        code.contains("pubnote:::std::option::Option<::std::string::String>,"),
        "{}",
        out.code
    );
    // Nullable references are `Option`s, never a struct of optional
    // flattened parts (which would send `None` as `{}`).
    assert!(
        code.contains("pubowner:::std::option::Option<Tag>,"),
        "{}",
        out.code
    );
    assert!(
        code.contains("pubspare:::std::option::Option<Tag>,"),
        "{}",
        out.code
    );
    assert!(!code.contains("subtype_0"), "{}", out.code);
    assert!(
        code.contains("publevel:::std::option::Option<ReportLevel>,"),
        "{}",
        out.code
    );
    assert!(code.contains("pubprice:f64,"), "{}", out.code);
    assert!(
        out.diagnostics.iter().all(|d| d.code != "types:fallback"),
        "{:?}",
        out.diagnostics
    );
}
