//! Seeded subsets of a clip list: at most `per_id` clips per (type, ID, split, label).

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::{ClipEntry, Label, Split};

/// The group a clip is counted in.
type GroupKey<'a> = (&'a str, &'a str, Split, Option<Label>);

/// Keep at most `per_id` clips of every (type, ID, split, label) group, chosen uniformly without
/// replacement by a seeded ChaCha8 generator; the result is in path order.
///
/// Each group draws from its own generator, seeded from `seed` and the group's name, so the choice
/// in one group does not change when other groups are added or removed, and it is the same on
/// every platform (native and wasm). Groups with at most `per_id` clips are kept whole;
/// `per_id == 0` keeps nothing.
pub fn subset(clips: &[ClipEntry], per_id: usize, seed: u64) -> Vec<ClipEntry> {
    let mut groups: BTreeMap<GroupKey<'_>, Vec<&ClipEntry>> = BTreeMap::new();
    for clip in clips {
        let key = (
            clip.machine_type.as_str(),
            clip.machine_id.as_str(),
            clip.split,
            clip.label,
        );
        groups.entry(key).or_default().push(clip);
    }
    let mut kept: Vec<ClipEntry> = Vec::new();
    for (key, mut members) in groups {
        members.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let chosen = choose_indices(members.len(), per_id, group_seed(seed, key));
        kept.extend(chosen.into_iter().map(|i| members[i].clone()));
    }
    kept.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    kept
}

/// `k` distinct indices of `0..n` (all of them when `n <= k`), sorted: a partial Fisher–Yates
/// shuffle driven by ChaCha8 with 64-bit draws, identical on 32- and 64-bit targets.
fn choose_indices(n: usize, k: usize, seed: u64) -> Vec<usize> {
    if n <= k {
        return (0..n).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut indices: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = rng.random_range(i as u64..n as u64) as usize;
        indices.swap(i, j);
    }
    indices.truncate(k);
    indices.sort_unstable();
    indices
}

/// The seed of one group: FNV-1a of the group's name, mixed with the user seed by SplitMix64's
/// finaliser (stable across Rust versions, unlike `std`'s hasher).
fn group_seed(seed: u64, (machine_type, machine_id, split, label): GroupKey<'_>) -> u64 {
    let split = match split {
        Split::Train => "train",
        Split::Test => "test",
    };
    let label = match label {
        Some(Label::Normal) => "normal",
        Some(Label::Anomaly) => "anomaly",
        None => "unlabelled",
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [machine_type, machine_id, split, label] {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    splitmix64_finalise(hash ^ seed)
}

/// SplitMix64's output function: spreads nearby seeds over the whole 64-bit range.
fn splitmix64_finalise(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_indices_are_distinct_sorted_and_in_range() {
        for seed in 0..50 {
            let chosen = choose_indices(10, 4, seed);
            assert_eq!(chosen.len(), 4);
            assert!(chosen.windows(2).all(|w| w[0] < w[1]) && chosen.iter().all(|&i| i < 10));
        }
        assert_eq!(choose_indices(3, 5, 1), vec![0, 1, 2]);
        assert!(choose_indices(3, 0, 1).is_empty());
    }

    #[test]
    fn every_index_gets_chosen_for_some_seed() {
        let mut seen = [false; 10];
        for seed in 0..200 {
            for i in choose_indices(10, 2, seed) {
                seen[i] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
    }
}
