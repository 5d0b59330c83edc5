//! Issue 12, item 2: the data manifest. A deleted, renamed, cut or altered file of the data
//! folder is an error that names it: on every load (names and sizes) and in `data check`
//! (also hashes and record counts, with every reader, the FX table and the ledger included).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let (p, q) = (e.path(), to.join(e.file_name()));
        if p.is_dir() {
            copy_dir(&p, &q);
        } else {
            std::fs::copy(&p, &q).expect("copy");
        }
    }
}

/// A copy of the bundled data folder.
fn copy(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("quid-manifest-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&data(), &dir);
    dir
}

fn quid(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quid"))
        .arg("--data")
        .arg(dir)
        .args(args)
        .env("QUID_CACHE", "off")
        .output()
        .expect("run quid")
}

fn all_output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The size the manifest lists for a file.
fn listed_bytes(rel: &str) -> u64 {
    let m = std::fs::read_to_string(data().join("MANIFEST.csv")).expect("manifest");
    m.lines()
        .find_map(|l| {
            let mut f = l.split(',');
            (f.next() == Some(rel)).then(|| f.next().and_then(|b| b.parse().ok()))?
        })
        .expect("listed")
}

const DUTY: [&str; 11] = [
    "duty",
    "--importer",
    "US",
    "--origin",
    "CA",
    "--hts",
    "7208.10.15.00",
    "--value",
    "100000",
    "--date",
    "2025-07-01",
];

#[test]
fn issue12_the_bundled_data_matches_its_manifest() {
    let out = quid(&data(), &["data", "manifest"]);
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(
        all_output(&out).starts_with("every file matches "),
        "{}",
        all_output(&out)
    );
}

#[test]
fn issue12_deleted_measure_file_is_an_error() {
    let dir = copy("deleted");
    std::fs::remove_dir_all(dir.join("measures/us")).expect("delete");
    let missing = format!(
        "{}: listed in MANIFEST.csv ({} bytes) but missing",
        dir.join("measures/us/s232_metals.toml").display(),
        listed_bytes("measures/us/s232_metals.toml")
    );
    // A steel coil is not assessed at USD 0.00: the load refuses the folder.
    let out = quid(&dir, &DUTY);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(all_output(&out).contains(&missing), "{}", all_output(&out));
    assert!(!all_output(&out).contains("0.00"), "{}", all_output(&out));
    for check in [&["measures", "check"][..], &["data", "check"][..]] {
        let out = quid(&dir, check);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{check:?}: {}",
            all_output(&out)
        );
        assert!(
            all_output(&out).contains(&missing),
            "{check:?}: {}",
            all_output(&out)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn issue12_renamed_measure_file_is_an_error() {
    let dir = copy("renamed");
    let from = dir.join("measures/us/ieepa.toml");
    let to = dir.join("measures/us/ieepa.toml.off");
    std::fs::rename(&from, &to).expect("rename");
    let out = quid(&dir, &DUTY);
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains(&format!(
            "{}: listed in MANIFEST.csv ({} bytes) but missing",
            from.display(),
            listed_bytes("measures/us/ieepa.toml")
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}: not in MANIFEST.csv; after a deliberate change run `quid data manifest --write`",
            to.display()
        )),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn issue12_half_an_hts_edition_removed_is_caught() {
    use std::io::{Read, Write};
    let dir = copy("half-hts");
    let path = dir.join("hts/hts_2025_basic.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("open"))
        .read_to_string(&mut text)
        .expect("gunzip");
    let lines: Vec<&str> = text.lines().collect();
    let half = lines[..lines.len() / 2].join("\n") + "\n";
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).expect("create"),
        flate2::Compression::default(),
    );
    gz.write_all(half.as_bytes()).expect("write");
    gz.finish().expect("finish");
    let now = std::fs::metadata(&path).expect("meta").len();
    let expected = format!(
        "{}: is {now} bytes; MANIFEST.csv says {} (the file was changed, cut or replaced)",
        path.display(),
        listed_bytes("hts/hts_2025_basic.csv.gz")
    );
    for args in [&["data", "check"][..], &DUTY[..]] {
        let out = quid(&dir, args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(
            all_output(&out).contains(&expected),
            "{args:?}: {}",
            all_output(&out)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn issue12_data_check_reads_the_fx_table_and_the_ledger() {
    let dir = copy("fx-ledger");
    // Same size: only the hash (and the FX reader) can tell.
    let fx = dir.join("fx/usd_cad.csv");
    let text = std::fs::read_to_string(&fx).expect("read");
    std::fs::write(&fx, text.replacen("2024-05,1.3667", "2024-05,1.36x7", 1)).expect("write");
    let ledger = dir.join("ledger/events.toml");
    let text = std::fs::read_to_string(&ledger).expect("read");
    std::fs::write(
        &ledger,
        text.replacen(
            "measures = [\"CA-BORDER\"]",
            "measures = [\"CA-BORDEX\"]",
            1,
        ),
    )
    .expect("write");
    let out = quid(&dir, &["data", "check"]);
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("{}: its SHA-256 is ", fx.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}:3: field cad_per_usd: \"1.36x7\" is not a positive number",
            fx.display()
        )),
        "{text}"
    );
    assert!(text.contains("unknown measure \"CA-BORDEX\""), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
