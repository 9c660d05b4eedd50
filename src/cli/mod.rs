//! The native command line: one file per command, all thin over the library.
//!
//! Every command documents itself through `--help`; errors are printed as `error: <file>: <problem>`
//! and give exit code 1 (2 for usage errors, from clap).

mod auc_cmd;
mod eval_cmd;
mod eval_jobs;
mod feature_cache;
mod features_cmd;
mod info_cmd;
mod interrupt;
mod job_store;
mod load;
mod progress;
mod score_cmd;
mod synth_cmd;
mod train_cmd;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

/// sonogan: find anomalous machine sounds (DCASE 2020 Task 2 features, an autoencoder baseline
/// and three GAN detectors).
#[derive(Debug, Parser)]
#[command(name = "sonogan", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Features(features_cmd::FeaturesArgs),
    Synth(synth_cmd::SynthArgs),
    Auc(auc_cmd::AucArgs),
    Info(info_cmd::InfoArgs),
    Train(train_cmd::TrainArgs),
    Eval(eval_cmd::EvalArgs),
    Score(score_cmd::ScoreArgs),
}

/// Parse the command line, run the command and turn its outcome into an exit code.
pub fn main() -> ExitCode {
    let matches = with_detector_help(Cli::command()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let outcome = match cli.command {
        Command::Features(args) => features_cmd::run(args),
        Command::Synth(args) => synth_cmd::run(args),
        Command::Auc(args) => auc_cmd::run(args),
        Command::Info(args) => info_cmd::run(args),
        Command::Train(args) => train_cmd::run(args),
        Command::Eval(args) => eval_cmd::run(args),
        Command::Score(args) => score_cmd::run(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", error_chain(&err));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause whose text the message already
/// holds: error types that print their source inside their own message would otherwise be
/// shown twice ("x: y: y").
pub(crate) fn error_chain(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// The detector list of `train` and `eval` help, from the registry.
fn with_detector_help(command: clap::Command) -> clap::Command {
    let rows: Vec<String> = crate::models::REGISTRY
        .iter()
        .map(|k| format!("  {:<15} {} — {}", k.name, k.label, k.title))
        .collect();
    let help = format!("Detectors:\n{}", rows.join("\n"));
    command
        .mut_subcommand("train", |c| c.after_help(help.clone()))
        .mut_subcommand("eval", |c| c.after_help(help.clone()))
}

#[cfg(test)]
mod tests {
    use super::error_chain;

    #[derive(Debug, thiserror::Error)]
    #[error("model.sonogan: {inner}")]
    struct Wrapper {
        #[source]
        inner: std::io::Error,
    }

    #[test]
    fn a_cause_already_in_the_message_is_printed_once() {
        let inner = std::io::Error::other("not a sonogan model file");
        let err = anyhow::Error::new(Wrapper { inner }).context("loading the model");
        assert_eq!(
            error_chain(&err),
            "loading the model: model.sonogan: not a sonogan model file"
        );
        let plain = anyhow::anyhow!("disk full").context("writing out.csv");
        assert_eq!(error_chain(&plain), "writing out.csv: disk full");
    }
}
