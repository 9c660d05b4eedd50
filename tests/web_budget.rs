//! The page's memory budget (src/web/budget.rs, docs/DESIGN.md §12.4), natively, with a budget
//! small enough for a few half-second clips.

use sonogan::audio::wav_bytes;
use sonogan::web::budget::{self, MemoryBudget};
use sonogan::web::session::{AddReport, Session, SourceAudio, SourceFile};

/// A 16 kHz WAV of `secs` seconds of a 440 Hz tone.
fn tone_wav(secs: f32) -> Vec<u8> {
    let n = (secs * 16_000.0) as usize;
    let samples: Vec<f32> = (0..n)
        .map(|i| 0.3 * (i as f32 * 440.0 * std::f32::consts::TAU / 16_000.0).sin())
        .collect();
    wav_bytes(&samples, 16_000).expect("wav")
}

/// A bare file `name` holding half a second of tone.
fn wav_file(name: &str) -> SourceFile {
    SourceFile {
        path: name.into(),
        audio: SourceAudio::Wav(tone_wav(0.5)),
    }
}

/// Bytes of the log-Mel features of one `wav_file` (0.5 s): 16 frames × 128 bands × 4 bytes.
const HALF_SECOND_FEATURES: usize = 16 * 128 * 4;

#[test]
fn a_drop_beyond_the_memory_budget_refuses_the_rest_and_loses_nothing() {
    // Room for the features of three clips, and the samples of one (docs/DESIGN.md §12.4).
    let budget = MemoryBudget {
        kept_samples: 8_000,
        feature_bytes: 3 * HALF_SECOND_FEATURES,
    };
    let mut session = Session::with_budget(budget);
    let first = session.add_files(vec![wav_file("normal_id_00_00000000.wav")], "fan");
    assert_eq!(first.expect("one clip").over_budget, 0);
    let broken = SourceFile {
        path: "broken.wav".into(),
        audio: SourceAudio::Wav(b"RIFF".to_vec()),
    };
    let names = (1..=4).map(|i| format!("normal_id_00_0000000{i}.wav"));
    let drop = std::iter::once(broken)
        .chain(names.map(|n| wav_file(&n)))
        .collect();
    let report = session.add_files(drop, "fan").expect("bare files");
    // The broken file for its own reason; 1 and 2 fit; 3 and 4 are beyond the budget.
    assert_eq!(
        (report.added, report.rejected, report.over_budget),
        (2, 3, 2)
    );
    assert_eq!(session.clips().len(), 3);
    assert_eq!(session.feature_bytes(), 3 * HALF_SECOND_FEATURES);
    assert!(session.clip("fan/test/normal_id_00_00000000.wav").is_some());
    // Only the first clip's samples fit their budget; the others keep their features only.
    let kept: Vec<bool> = session
        .clips()
        .iter()
        .map(|c| c.samples.is_some())
        .collect();
    assert_eq!(kept, [true, false, false]);
    let notice = budget::notice(&session, &report).expect("a notice");
    assert!(notice.contains("24 KiB of log-Mel features"), "{notice}");
    assert!(
        notice.contains("kept 2 file(s), refused 2 beyond the budget (1 other"),
        "{notice}"
    );
    assert!(
        notice.contains("nothing loaded before was lost"),
        "{notice}"
    );
    let refused: Vec<&str> = session
        .rejected()
        .iter()
        .filter(|r| {
            r.reason
                .contains("memory budget (24 KiB of log-Mel features) is full")
        })
        .map(|r| r.rel_path.as_str())
        .collect();
    assert_eq!(
        refused,
        [
            "fan/test/normal_id_00_00000003.wav",
            "fan/test/normal_id_00_00000004.wav"
        ]
    );
    // A longer clip at a loaded path does not fit either: the loaded one stays as it was.
    let longer = SourceFile {
        path: "normal_id_00_00000001.wav".into(),
        audio: SourceAudio::Wav(tone_wav(1.0)),
    };
    let report = session.add_files(vec![longer], "fan").expect("bare file");
    assert_eq!((report.added, report.over_budget), (0, 1));
    let kept = session
        .clip("fan/test/normal_id_00_00000001.wav")
        .expect("still loaded");
    assert_eq!(kept.frames(128), 16);
    // A clip of the same size replaces it (the old one's features are freed first).
    let same = session.add_files(vec![wav_file("normal_id_00_00000001.wav")], "fan");
    assert_eq!(
        (same.expect("bare file").added, session.clips().len()),
        (1, 3)
    );
    assert!(budget::notice(&session, &AddReport::default()).is_none());
    session.clear();
    assert_eq!(session.feature_bytes(), 0);
    assert_eq!(Session::new().budget(), MemoryBudget::default());
}
