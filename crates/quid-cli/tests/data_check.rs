//! `quid data check` on the bundled data (passes, prints the 2024 totals) and on a corrupted copy
//! (fails, naming the file, line and field).

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let q = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &q);
        } else {
            std::fs::copy(&p, &q).expect("copy");
        }
    }
}

fn data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
}

#[test]
fn data_check_prints_the_2024_totals() {
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(["--data", data().to_str().expect("path"), "data", "check"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("412.7"),
        "BTS general imports from Canada: {text}"
    );
    assert!(
        text.contains("392.5"),
        "Census imports for consumption from Canada: {text}"
    );
}

#[test]
fn data_check_fails_loudly_on_a_corrupted_copy() {
    let dir = std::env::temp_dir().join(format!("quid-corrupt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&data(), &dir);
    // Corrupt one value in the BTS file and one HS code in a Section 232 list.
    let bts = dir.join("flows/us_ca_mx_trade_hs2_annual_2007_2025.csv");
    let text = std::fs::read_to_string(&bts).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[5] = lines[5].replacen(",", ",x", 1);
    std::fs::write(&bts, lines.join("\n") + "\n").expect("write");
    let list = dir.join("us_measures/s232_copper_products.csv");
    let text = std::fs::read_to_string(&list)
        .expect("read")
        .replacen("74061000", "7406A000", 1);
    std::fs::write(&list, text).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(["--data", dir.to_str().expect("path"), "data", "check"])
        .output()
        .expect("run");
    assert!(!out.status.success(), "a corrupted copy passed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("us_ca_mx_trade_hs2_annual_2007_2025.csv:6"),
        "{err}"
    );
    assert!(err.contains("s232_copper_products.csv"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
