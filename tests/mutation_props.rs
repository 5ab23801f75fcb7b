//! Junk bytes and mutated real files never make the term reader, the
//! erlang.mk reader, source analysis or the analyses of a whole project
//! (supervision trees, lint rules, renderers) panic, and what they return keeps
//! the drivers' promises (`fuzz/src/lib.rs`). A small, always-on version
//! of the fuzz targets: the seeds they start from, mutated the way
//! libFuzzer does (bytes flipped, inserted, removed, ranges copied).

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod drive;

use std::path::Path;

use proptest::prelude::*;

/// The seeds the fuzz target starts from: `fuzz/seeds/<target>/` and the
/// repository files listed in `fuzz/seeds/<target>.list`.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("fuzz/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(seeds.join(target))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let list = std::fs::read_to_string(seeds.join(format!("{target}.list"))).unwrap();
    paths.extend(
        list.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| root.join(l)),
    );
    paths.sort();
    assert!(!paths.is_empty(), "no seeds for {target}");
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        bit: u8,
    },
    Set {
        at: usize,
        byte: u8,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    Remove {
        at: usize,
        len: usize,
    },
    /// Copies `len` bytes from `from` to `to` (repeats blocks, nests
    /// brackets deeper).
    Copy {
        from: usize,
        to: usize,
        len: usize,
    },
}

/// Bytes that matter to the readers, more often than random ones.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => any::<u8>(),
        2 => proptest::sample::select(b"{}[]()<>#.,|$\\'\"%:=-+?_ \n\t\r\0\x7f\xc3\xa9\xff".to_vec()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (at, interesting_byte()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        (at, proptest::collection::vec(interesting_byte(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (at, 1usize..64).prop_map(|(at, len)| Mutation::Remove { at, len }),
        (at, at, 1usize..128).prop_map(|(from, to, len)| Mutation::Copy { from, to, len }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len();
    match m {
        Mutation::Flip { at, bit } if n > 0 => bytes[at % n] ^= 1 << bit,
        Mutation::Set { at, byte } if n > 0 => bytes[at % n] = *byte,
        Mutation::Insert { at, bytes: new } => {
            let at = at % (n + 1);
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Remove { at, len } if n > 0 => {
            let at = at % n;
            bytes.drain(at..(at + len).min(n));
        }
        Mutation::Copy { from, to, len } if n > 0 => {
            let from = from % n;
            let piece = bytes[from..(from + len).min(n)].to_vec();
            let to = to % (n + 1);
            bytes.splice(to..to, piece);
        }
        _ => {}
    }
}

/// A seed of `target` (picked by `pick`) with `mutations` applied.
fn mutated(target: &str, pick: usize, mutations: &[Mutation]) -> Vec<u8> {
    let seeds = seeds(target);
    let mut bytes = seeds[pick % seeds.len()].clone();
    for m in mutations {
        apply(&mut bytes, m);
    }
    bytes
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(mutation(), 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn mutated_config_files_keep_the_term_reader_honest(pick in any::<usize>(), ms in mutations()) {
        drive::term(&mutated("term", pick, &ms));
    }

    #[test]
    fn mutated_makefiles_keep_the_erlang_mk_reader_honest(pick in any::<usize>(), ms in mutations()) {
        drive::erlang_mk(&mutated("erlang_mk", pick, &ms));
    }

    #[test]
    fn junk_bytes_never_panic_any_reader(bytes in proptest::collection::vec(interesting_byte(), 0..512)) {
        drive::term(&bytes);
        drive::erlang_mk(&bytes);
        drive::source(&bytes);
    }
}

proptest! {
    // Source analysis parses every function with tree-sitter: fewer cases.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn mutated_sources_keep_source_analysis_honest(pick in any::<usize>(), ms in mutations()) {
        drive::source(&mutated("source", pick, &ms));
    }
}

proptest! {
    // Each case writes a project to disk and runs every analysis on it.
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn mutated_projects_keep_the_tree_and_the_rules_from_panicking(pick in any::<usize>(), ms in mutations()) {
        drive::project(&mutated("project", pick, &ms));
    }
}
