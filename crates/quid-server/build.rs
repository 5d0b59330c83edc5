//! Rebuilds when a file of the embedded dashboard changes (include_dir does not track them).
fn main() {
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-changed=../../docs/openapi.json");
}
