//! Per-clip seeds: a clip depends on (seed, type, ID, label, index) only, through hashes that are
//! stable across platforms and Rust versions.

use crate::data::Label;

/// The seed of one clip, from the data set seed and the clip's identity only.
pub(super) fn clip_seed(
    seed: u64,
    machine_type: &str,
    machine_id: &str,
    label: Label,
    index: usize,
) -> u64 {
    let label_tag = match label {
        Label::Normal => 0x6e6f_726d,
        Label::Anomaly => 0x616e_6f6d,
    };
    let h = splitmix64(seed ^ hash_names(machine_type, machine_id));
    splitmix64(splitmix64(h ^ label_tag) ^ index as u64)
}

/// FNV-1a of "type/id" (stable across platforms and Rust versions, unlike `DefaultHasher`).
pub(super) fn hash_names(machine_type: &str, machine_id: &str) -> u64 {
    let bytes = machine_type.bytes().chain([b'/']).chain(machine_id.bytes());
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The SplitMix64 finaliser: a bijective 64-bit mix.
pub(super) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
