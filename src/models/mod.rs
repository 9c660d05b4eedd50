//! The four detectors (spec §1.6, §3.7, §4.6, §5.5) on shared building blocks.
