//! Issue 12, item 6 (paths and sizes): list references stay inside the data folder, and no file
//! is read without a limit.

use quid_data::bounded::{open_limited, read_string};
use quid_data::measures::{load_policy, read_measure_files};
use quid_data::Bundle;
use std::io::Read;
use std::path::PathBuf;

const MEASURE: &str = r#"
[[measure]]
id = "T-NAILS"
title = "test duty on nails"
importer = "US"
origins = ["CA"]
authority = "s232-steel"
heading = "9903.81.89"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-06-04"
rate = "50%"
base = "full_value"
scope = { include_lists = ["LIST"] }
citations = [{ title = "test" }]
"#;

/// A bundle in a fresh folder with one measure whose list reference is `list`; beside the
/// bundle, `outside.csv`, a list it must not read.
fn bundle_with(name: &str, list: &str) -> (PathBuf, Bundle) {
    let top = std::env::temp_dir().join(format!("quid-i12p-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&top);
    let root = top.join("data");
    std::fs::create_dir_all(root.join("measures")).expect("dir");
    std::fs::write(top.join("outside.csv"), "hts8\n73170055\n").expect("write");
    std::fs::write(root.join("inside.csv"), "hts8\n73170055\n").expect("write");
    std::fs::write(
        root.join("measures/nails.toml"),
        MEASURE.replace("LIST", list),
    )
    .expect("write");
    (top, Bundle::at(root))
}

fn policy_error(bundle: &Bundle) -> String {
    load_policy(bundle, true)
        .err()
        .map(|e| {
            e.diagnostics()
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_else(|| "no error".into())
}

#[test]
fn issue12_list_reference_outside_the_data_folder_is_refused() {
    let (top, inside) = bundle_with("inside", "inside.csv:hts8");
    assert!(
        load_policy(&inside, true).is_ok(),
        "{}",
        policy_error(&inside)
    );

    let (_, up) = bundle_with("dotdot", "../outside.csv:hts8");
    assert!(
        policy_error(&up).contains(
            "list reference \"../outside.csv:hts8\": \"../outside.csv\" leaves the data folder \
             (`..` or a drive prefix); a list file is named relative to the data folder"
        ),
        "{}",
        policy_error(&up)
    );
    let (_, abs) = bundle_with("absolute", "/etc/passwd:hts8");
    assert!(
        policy_error(&abs).contains(
            "list reference \"/etc/passwd:hts8\": \"/etc/passwd\" is an absolute path; a list \
             file is named relative to the data folder"
        ),
        "{}",
        policy_error(&abs)
    );
    #[cfg(unix)]
    {
        let (top2, linked) = bundle_with("symlink", "link.csv:hts8");
        std::os::unix::fs::symlink(top2.join("outside.csv"), linked.root.join("link.csv"))
            .expect("symlink");
        let msg = policy_error(&linked);
        let real = top2.canonicalize().expect("real");
        assert!(
            msg.contains(&format!(
                "list reference \"link.csv:hts8\": \"link.csv\" resolves to {}, outside the data \
                 folder {} (a symbolic link?)",
                real.join("outside.csv").display(),
                real.join("data").display()
            )),
            "{msg}"
        );
        let _ = std::fs::remove_dir_all(&top2);
    }
    let _ = std::fs::remove_dir_all(&top);
}

#[cfg(unix)]
#[test]
fn issue12_measure_file_linked_to_dev_zero_fails_clearly() {
    let (top, bundle) = bundle_with("devzero", "inside.csv:hts8");
    let dir = bundle.measures_dir();
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.toml")).expect("symlink");
    let e = read_measure_files(&dir).expect_err("refused");
    let d = &e.diagnostics()[0];
    assert_eq!(d.file, dir.join("zero.toml"));
    assert_eq!(
        d.message,
        format!(
            "\"zero.toml\" resolves to /dev/zero, outside the data folder {} (a symbolic link?)",
            dir.canonicalize().expect("real").display()
        )
    );
    // Read directly, /dev/zero is refused before a byte is read.
    let e = read_string(std::path::Path::new("/dev/zero"), 1 << 20).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/dev/zero: not a regular file (a device, FIFO or folder); quid reads only regular files"
    );
    let _ = std::fs::remove_dir_all(&top);
}

#[test]
fn issue12_a_gzip_file_may_not_decompress_past_the_limit() {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    let path = std::env::temp_dir().join(format!("quid-i12-bomb-{}.csv.gz", std::process::id()));
    let mut gz = GzEncoder::new(
        std::fs::File::create(&path).expect("create"),
        Compression::best(),
    );
    gz.write_all(&vec![b'0'; 1 << 20]).expect("write");
    gz.finish().expect("finish");
    // 1 MiB of zeros compresses to about a kilobyte: under a 64 KiB limit on disk, over it
    // once decompressed.
    let mut s = String::new();
    let e = open_limited(&path, 64 << 10)
        .expect("small on disk")
        .read_to_string(&mut s)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: more than the limit of 65536 bytes once decompressed",
            path.display()
        )
    );
    // Exactly at the limit is fine.
    let mut s = String::new();
    open_limited(&path, 1 << 20)
        .expect("open")
        .read_to_string(&mut s)
        .expect("exactly the limit");
    assert_eq!(s.len(), 1 << 20);
    let _ = std::fs::remove_file(&path);
}
