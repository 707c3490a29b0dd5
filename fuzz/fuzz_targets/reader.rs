//! The reader on arbitrary bytes: decoding, the stream split and parser,
//! and classification never panic and locate every error.

#![no_main]

#[path = "../../tests/support/contract.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let input = data.to_vec();
    if let Err(e) = check::on_big_stack(move || check::check_reader(&input)) {
        panic!("{e}");
    }
});
