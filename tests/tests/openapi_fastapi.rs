//! placeholder
include!(concat!(env!("OUT_DIR"), "/openapi_fixtures.rs"));
#[test]
fn builds() {}
