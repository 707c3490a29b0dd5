//! `--color`: whether the human-readable output is coloured. The colours
//! themselves are [`crate::color`].

pub use clap::ColorChoice;

/// Whether to colour a stream that is (or is not) a terminal: `auto` colours
/// a terminal unless `NO_COLOR` is set to a non-empty value.
pub fn enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
