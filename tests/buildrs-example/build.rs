//! The whole build.rs of a crate that generates its client at build time.

fn main() {
    let (_, crates) =
        wiregen::build_rs("specs/pet-store.yaml", true).expect("generating the client");
    // This spec needs nothing beyond serde, serde_json and the runtime.
    assert!(crates.is_empty(), "add these dependencies: {crates:?}");
}
