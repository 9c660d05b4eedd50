//! File- and folder-name parsing for the data set layouts (docs/DESIGN.md §1.1).
//!
//! DCASE 2020 names carry the label and the machine ID: `normal_id_00_00000000.wav`,
//! `anomaly_id_00_00000000.wav`, and on the evaluation set the unlabelled `id_00_00000000.wav`.
//! MIMII keeps the ID and the label in folder names (`id_00/normal/00000000.wav`).

use crate::data::{Label, Split};

/// Audio file extensions that count as clips (compared case-insensitively). Only WAV is decoded
/// natively; the browser decodes the others itself.
pub const AUDIO_EXTENSIONS: [&str; 5] = ["wav", "flac", "ogg", "mp3", "webm"];

/// Whether a file name ends in one of [`AUDIO_EXTENSIONS`].
pub fn is_audio_file_name(name: &str) -> bool {
    split_extension(name)
        .1
        .is_some_and(|ext| AUDIO_EXTENSIONS.iter().any(|a| ext.eq_ignore_ascii_case(a)))
}

/// Whether a path component marks a file to skip silently: hidden entries (`.DS_Store`, macOS
/// `._x.wav` resource forks, `.git`) and the `__MACOSX` folder that macOS adds to zip files.
pub fn is_ignored_component(component: &str) -> bool {
    component.starts_with('.') || component == "__MACOSX"
}

/// Whether a folder name is `name`, ignoring ASCII case (`train`, `Test`, `NORMAL`).
pub fn is_folder(component: &str, name: &str) -> bool {
    component.eq_ignore_ascii_case(name)
}

/// The split a DCASE folder name stands for: `train` or `test`.
pub fn dcase_split_folder(component: &str) -> Option<Split> {
    if is_folder(component, "train") {
        Some(Split::Train)
    } else if is_folder(component, "test") {
        Some(Split::Test)
    } else {
        None
    }
}

/// The label a MIMII folder name stands for: `normal` or `abnormal`.
pub fn mimii_label_folder(component: &str) -> Option<Label> {
    if is_folder(component, "normal") {
        Some(Label::Normal)
    } else if is_folder(component, "abnormal") {
        Some(Label::Anomaly)
    } else {
        None
    }
}

/// A machine ID token: `id_` followed by two or more digits. Returns it normalised to lower-case
/// `id_` (e.g. `ID_02` → `id_02`); the design's regex is `id_[0-9][0-9]` (docs/DESIGN.md §1.1), longer
/// numbers are accepted too.
pub fn parse_machine_id(token: &str) -> Option<String> {
    let digits = strip_prefix_ignore_case(token, "id_")?;
    is_digits(digits, 2).then(|| format!("id_{digits}"))
}

/// The machine ID a clip's path names: its DCASE file name (`…/normal_id_02_00000001.wav`) or a
/// MIMII folder (`…/id_02/normal/00000001.wav`); `None` when neither does. Paths use `/` or `\\`.
///
/// ```
/// use sonogan::data::machine_id_in_path;
/// assert_eq!(machine_id_in_path("valve/test/anomaly_id_04_00000003.wav").as_deref(), Some("id_04"));
/// assert_eq!(machine_id_in_path("fan/id_02/normal/00000001.wav").as_deref(), Some("id_02"));
/// assert_eq!(machine_id_in_path("recording.wav"), None);
/// ```
pub fn machine_id_in_path(path: &str) -> Option<String> {
    let mut components = path.rsplit(['/', '\\']);
    let file_name = components.next()?;
    parse_dcase_name(file_name)
        .map(|name| name.machine_id)
        .or_else(|| components.find_map(parse_machine_id))
}

/// What a DCASE file name says: its label (`None` when unlabelled) and its machine ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcaseName {
    /// `normal_` → Normal, `anomaly_` → Anomaly, no prefix → `None` (evaluation set).
    pub label: Option<Label>,
    /// Machine ID such as `id_00`.
    pub machine_id: String,
}

/// Parse `[normal_|anomaly_]id_XX_N.<ext>`: XX two or more digits, N one or more digits.
pub fn parse_dcase_name(file_name: &str) -> Option<DcaseName> {
    let stem = split_extension(file_name).0;
    let (label, rest) = if let Some(rest) = strip_prefix_ignore_case(stem, "normal_") {
        (Some(Label::Normal), rest)
    } else if let Some(rest) = strip_prefix_ignore_case(stem, "anomaly_") {
        (Some(Label::Anomaly), rest)
    } else {
        (None, stem)
    };
    let (id_token, index) = split_id_and_index(rest)?;
    let machine_id = parse_machine_id(id_token)?;
    is_digits(index, 1).then_some(DcaseName { label, machine_id })
}

/// Check a file name found in a DCASE `train/` folder: train clips are normal only (docs/DESIGN.md §1.1).
/// Returns the machine ID, or the reason the file cannot be used.
pub fn parse_dcase_train_name(file_name: &str) -> Result<String, String> {
    match parse_dcase_name(file_name) {
        Some(DcaseName {
            label: Some(Label::Normal),
            machine_id,
        }) => Ok(machine_id),
        Some(DcaseName {
            label: Some(Label::Anomaly),
            ..
        }) => Err(format!(
            "anomaly clip '{file_name}' in train/: train/ holds normal clips only (normal_id_XX_N.wav)"
        )),
        Some(DcaseName { label: None, .. }) => Err(format!(
            "unlabelled clip '{file_name}' in train/: train clips must be named normal_id_XX_N.wav"
        )),
        None => Err(format!(
            "file name '{file_name}' does not match normal_id_XX_N.wav"
        )),
    }
}

/// Check a file name found in a DCASE `test/` folder. Returns label and machine ID, or the reason
/// the file cannot be used.
pub fn parse_dcase_test_name(file_name: &str) -> Result<DcaseName, String> {
    parse_dcase_name(file_name).ok_or_else(|| {
        format!(
            "file name '{file_name}' does not match normal_id_XX_N.wav, anomaly_id_XX_N.wav \
             or id_XX_N.wav"
        )
    })
}

/// Split `id_00_00000123` into (`id_00`, `00000123`) at the second underscore.
fn split_id_and_index(rest: &str) -> Option<(&str, &str)> {
    let after_prefix = strip_prefix_ignore_case(rest, "id_")?;
    let (digits, index) = after_prefix.split_once('_')?;
    let id_len = "id_".len() + digits.len();
    Some((&rest[..id_len], index))
}

/// `name` split at its last dot into (stem, extension); no extension when there is no dot or the
/// only dot starts the name.
fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (name, None),
    }
}

/// `text` without `prefix`, compared ignoring ASCII case.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Whether `text` is at least `min_len` ASCII digits and nothing else.
fn is_digits(text: &str, min_len: usize) -> bool {
    text.len() >= min_len && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dcase_names_with_and_without_labels() {
        let n = parse_dcase_name("anomaly_id_04_00000123.wav").unwrap();
        assert_eq!(
            n,
            DcaseName {
                label: Some(Label::Anomaly),
                machine_id: "id_04".into()
            }
        );
        let n = parse_dcase_name("id_105_7.WAV").unwrap();
        assert_eq!(
            n,
            DcaseName {
                label: None,
                machine_id: "id_105".into()
            }
        );
        for bad in [
            "normal_id_0_00000000.wav",
            "normal_id_00.wav",
            "normal_id_00_.wav",
            "normal_id_00_12a.wav",
            "abnormal_id_00_1.wav",
            "foo.wav",
        ] {
            assert_eq!(parse_dcase_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn audio_extensions_and_hidden_files() {
        assert!(
            is_audio_file_name("a.WAV")
                && is_audio_file_name("b.flac")
                && is_audio_file_name("c.webm")
        );
        assert!(
            !is_audio_file_name("wav")
                && !is_audio_file_name(".wav")
                && !is_audio_file_name("x.csv")
        );
        assert!(is_ignored_component(".DS_Store") && is_ignored_component("__MACOSX"));
        assert!(!is_ignored_component("fan"));
    }
}
