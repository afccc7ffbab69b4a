//! The fuzz target's seeds are the hostile-input tables, one named file each: this test checks
//! that `fuzz/seeds/decision` holds exactly them, and `WRITE_SEEDS=1` writes them again after a
//! table changes. The corpus a fuzzing run grows stays out of git.

#[path = "support/hostile_input.rs"]
mod hostile_input;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Largest seed kept: bigger rows (a megabyte of commas) are for the tests, not the fuzzer.
const MAX_SEED: usize = 4096;

/// One request in the fuzz target's format: method, path, then Origin,
/// Access-Control-Request-Method, -Headers, a second Origin, a second -Headers and
/// Access-Control-Request-Private-Network, each ended by 0xff 0x00 (the target drops the
/// 0xff, so a value may itself end in 0xff).
fn encode(fields: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for field in fields {
        out.extend_from_slice(field);
        out.extend_from_slice(b"\xff\x00");
    }
    out
}

/// How the fuzz target reads a seed back (fuzz/fuzz_targets/decision.rs).
fn decode(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == 0)
        .map(|f| f.strip_suffix(&[0xff]).unwrap_or(f))
        .collect()
}

#[test]
fn the_fuzz_target_reads_each_field_back() {
    for fields in [
        &[&b"GET"[..], b"/api/x", b"https://app.example.com\xff"][..],
        &[b"OPTIONS", b"/api/x", b"", b"PUT"],
    ] {
        let seed = encode(fields);
        let decoded = decode(&seed);
        assert_eq!(&decoded[..fields.len()], fields);
        assert_eq!(decoded[fields.len()..], [b""], "only the end follows");
    }
}

fn seeds() -> BTreeMap<String, Vec<u8>> {
    const APP: &[u8] = b"https://app.example.com";
    let mut seeds = BTreeMap::new();
    let mut add = |name: String, fields: &[&[u8]]| {
        let seed = encode(fields);
        if seed.len() <= MAX_SEED {
            seeds.insert(name, seed);
        }
    };
    add("granted-get".into(), &[b"GET", b"/api/x", APP]);
    add(
        "granted-preflight".into(),
        &[b"OPTIONS", b"/api/x", APP, b"PUT", b"content-type,x-token"],
    );
    add(
        "granted-pattern".into(),
        &[b"GET", b"/api/x", b"https://a.example.org"],
    );
    add(
        "granted-regex".into(),
        &[b"GET", b"/api/x", b"https://abc.example.net"],
    );
    add(
        "public-wildcard".into(),
        &[b"GET", b"/public/x", b"https://anyone.example"],
    );
    add("no-origin".into(), &[b"GET", b"/api/x"]);
    add("empty-origin".into(), &[b"GET", b"/api/x", b""]);
    add(
        "two-origins".into(),
        &[b"GET", b"/api/x", APP, b"", b"", APP],
    );
    add(
        "private-network".into(),
        &[b"OPTIONS", b"/api/x", APP, b"PUT", b"", b"", b"", b"true"],
    );
    for (name, origin) in hostile_input::origins() {
        add(format!("origin-{name}"), &[b"GET", b"/api/x", &origin]);
    }
    for (name, method) in hostile_input::request_methods() {
        add(
            format!("request-method-{name}"),
            &[b"OPTIONS", b"/api/x", APP, method],
        );
    }
    for (name, headers) in hostile_input::request_headers() {
        add(
            format!("request-headers-{name}"),
            &[b"OPTIONS", b"/api/x", APP, b"PUT", &headers],
        );
    }
    seeds
}

#[test]
fn the_fuzz_seeds_are_the_hostile_input_tables() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/decision");
    let want = seeds();
    if std::env::var_os("WRITE_SEEDS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &want {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let mut have = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("fuzz/seeds/decision") {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        have.insert(name, std::fs::read(entry.path()).unwrap());
    }
    assert!(want.len() >= 30, "only {} seeds", want.len());
    assert!(
        have == want,
        "fuzz/seeds/decision differs from the tables ({} files, {} seeds): run WRITE_SEEDS=1 cargo test --test fuzz_seeds",
        have.len(),
        want.len()
    );
}
