//! The model-file loader `sonogan::store::load` on arbitrary bytes. Most mutations of a model
//! file only break its checksum, so a custom mutator also works on the file's sections: it
//! splits a valid file (the seeds are tiny trained models), mutates the manifest JSON (bytes,
//! or one value swapped for an awkward one) or the weights section (its own checksum re-sealed),
//! and re-seals the file with `container::encode`, so that the fuzzer reaches the manifest
//! checks (`Manifest::check_usable`), network construction and the weight table.

#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};
use serde_json::Value;
use sonogan::store::{container, fnv1a_64};

#[path = "../harness/model_file.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::check(data));

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    // One mutation in four on the raw bytes (header, lengths, checksum); the others on a section.
    let Ok(sections) = container::decode(&data[..size]) else {
        return fuzzer_mutate(data, size, max_size);
    };
    if seed % 4 == 0 {
        return fuzzer_mutate(data, size, max_size);
    }
    let mut manifest = sections.manifest.to_vec();
    let mut weights = sections.weights.to_vec();
    let room = max_size.saturating_sub(size);
    match seed % 4 {
        1 => mutate_bytes(&mut manifest, room),
        2 => mutate_json(&mut manifest, seed),
        _ => mutate_weights(&mut weights, room),
    }
    let sealed = container::encode(&manifest, &weights);
    if sealed.len() > max_size {
        return fuzzer_mutate(data, size, max_size);
    }
    data[..sealed.len()].copy_from_slice(&sealed);
    sealed.len()
});

/// libFuzzer's own byte mutations on one section, which may grow by up to `room` bytes.
fn mutate_bytes(section: &mut Vec<u8>, room: usize) {
    let len = section.len();
    section.resize(len + room.min(256), 0);
    let max = section.len();
    let new_len = fuzzer_mutate(section, len, max);
    section.truncate(new_len);
}

/// The weights section mutated after its magic, then its own FNV-1a checksum re-sealed.
fn mutate_weights(weights: &mut Vec<u8>, room: usize) {
    const HEAD: usize = 8;
    if weights.len() < HEAD + 8 {
        return mutate_bytes(weights, room);
    }
    weights.truncate(weights.len() - 8);
    let mut body = weights.split_off(HEAD);
    mutate_bytes(&mut body, room);
    weights.extend_from_slice(&body);
    let checksum = fnv1a_64(weights);
    weights.extend_from_slice(&checksum.to_le_bytes());
}

/// One value of the manifest JSON (chosen by `seed`) replaced by an awkward one: zero, huge,
/// negative, fractional, of the wrong type, or removed.
fn mutate_json(manifest: &mut Vec<u8>, seed: u32) {
    let Ok(mut value) = serde_json::from_slice::<Value>(manifest) else {
        return;
    };
    let mut leaves = 0;
    count_leaves(&value, &mut leaves);
    if leaves == 0 {
        return;
    }
    let target = (seed as usize >> 2) % leaves;
    let choice = (seed as usize >> 12) % AWKWARD.len();
    let mut index = 0;
    replace_leaf(&mut value, target, &mut index, choice);
    if let Ok(bytes) = serde_json::to_vec(&value) {
        *manifest = bytes;
    }
}

/// Replacement values; `None` removes the key (or array element).
const AWKWARD: [Option<&str>; 14] = [
    Some("0"),
    Some("1"),
    Some("-1"),
    Some("2"),
    Some("65536"),
    Some("4294967296"),
    Some("18446744073709551615"),
    Some("1e308"),
    Some("0.5"),
    Some("-0.0"),
    Some("\"\""),
    Some("null"),
    Some("[]"),
    None,
];

fn count_leaves(value: &Value, count: &mut usize) {
    match value {
        Value::Object(map) => map.values().for_each(|v| count_leaves(v, count)),
        Value::Array(items) => items.iter().for_each(|v| count_leaves(v, count)),
        _ => *count += 1,
    }
}

/// Walks to leaf number `target` and replaces (or removes) it; returns true once done.
fn replace_leaf(value: &mut Value, target: usize, index: &mut usize, choice: usize) -> bool {
    let children: Vec<Value> = match value {
        Value::Object(map) => map.values().cloned().collect(),
        Value::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    if children.is_empty() && !matches!(value, Value::Object(_) | Value::Array(_)) {
        return false;
    }
    let keys: Vec<Option<String>> = match value {
        Value::Object(map) => map.keys().cloned().map(Some).collect(),
        _ => vec![None; children.len()],
    };
    for (position, (key, child)) in keys.into_iter().zip(children).enumerate() {
        let is_leaf = !matches!(child, Value::Object(_) | Value::Array(_));
        if is_leaf {
            if *index == target {
                let new = AWKWARD[choice].and_then(|text| serde_json::from_str(text).ok());
                match (value, key, new) {
                    (Value::Object(map), Some(key), Some(new)) => {
                        map.insert(key, new);
                    }
                    (Value::Object(map), Some(key), None) => {
                        map.remove(&key);
                    }
                    (Value::Array(items), None, Some(new)) => items[position] = new,
                    (Value::Array(items), None, None) => {
                        items.remove(position);
                    }
                    _ => {}
                }
                return true;
            }
            *index += 1;
        } else {
            let slot = match value {
                Value::Object(map) => map.get_mut(key.as_deref().unwrap_or_default()),
                Value::Array(items) => items.get_mut(position),
                _ => None,
            };
            if let Some(slot) = slot
                && replace_leaf(slot, target, index, choice)
            {
                return true;
            }
        }
    }
    false
}
