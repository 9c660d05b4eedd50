//! The per-file work of the page: decoding one input file to 16 kHz mono and computing its log-Mel
//! spectrogram, done by the session (src/web/session.rs) or, for many files at once, by the page's
//! feature workers (docs/DESIGN.md §12.4); one implementation either way.

use crate::audio::{self, DecodeOptions};
use crate::features::FeatureExtractor;

/// Audio of one input file as the browser hands it over.
#[derive(Debug, Clone)]
pub enum SourceAudio {
    /// The file's bytes, decoded here (WAV).
    Wav(Vec<u8>),
    /// Channels already decoded by the browser (`decodeAudioData`: mp3, ogg, flac, webm …).
    Decoded {
        /// One buffer per channel.
        channels: Vec<Vec<f32>>,
        /// Their sample rate.
        sample_rate: u32,
    },
    /// The browser could not decode the file; the reason is reported.
    Undecodable(String),
    /// Already decoded to 16 kHz mono and turned into its log-Mel spectrogram by one of the
    /// page's feature workers ([`analyse`]), so many files are read in parallel.
    Analysed(Analysed),
}

/// A file's 16 kHz mono samples and their log-Mel spectrogram (frame-major, docs/DESIGN.md §1.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Analysed {
    /// The samples.
    pub samples: Vec<f32>,
    /// Their log-Mel spectrogram, `[t * n_mels + m]`.
    pub log_mel: Vec<f32>,
}

/// Decodes `source` and computes its log-Mel spectrogram with `extractor`: the per-file work,
/// done by the session itself or, for many files at once, by the page's feature workers (one
/// implementation either way). Errors name the file.
///
/// ```
/// use sonogan::features::{FeatureConfig, FeatureExtractor};
/// use sonogan::web::session::{SourceAudio, analyse};
/// let mut extractor = FeatureExtractor::new(FeatureConfig::default());
/// let silence = SourceAudio::Decoded { channels: vec![vec![0.0; 16_000]], sample_rate: 16_000 };
/// let analysed = analyse(&mut extractor, "one-second.wav", silence).unwrap();
/// assert_eq!(analysed.log_mel.len(), 32 * 128); // 1 + 16000 / 512 frames of 128 bands
/// ```
pub fn analyse(
    extractor: &mut FeatureExtractor,
    name: &str,
    source: SourceAudio,
) -> Result<Analysed, String> {
    // Decoded to 16 kHz mono (docs/DESIGN.md §1.2, §10.13).
    let options = DecodeOptions::default();
    let clip = match source {
        SourceAudio::Analysed(analysed) => return Ok(analysed),
        SourceAudio::Undecodable(reason) => return Err(format!("{name}: {reason}")),
        SourceAudio::Wav(bytes) => audio::decode_wav(name, &bytes, &options),
        SourceAudio::Decoded {
            channels,
            sample_rate,
        } => audio::clip_from_channels(name, &channels, sample_rate, &options),
    }
    .map_err(|e| e.to_string())?;
    with_log_mel(extractor, name, clip.samples)
}

/// 16 kHz mono `samples` with their log-Mel spectrogram; an error for a clip too short for it.
pub(super) fn with_log_mel(
    extractor: &mut FeatureExtractor,
    name: &str,
    samples: Vec<f32>,
) -> Result<Analysed, String> {
    extractor
        .check_clip(name, &samples)
        .map_err(|e| e.to_string())?;
    let log_mel = extractor.log_mel_frame_major(&samples);
    Ok(Analysed { samples, log_mel })
}
