//! `lint` on arbitrary bytes as its input stream, with the example
//! SidecarSet as policy: see tests/support/contract.rs for the invariants.

#![no_main]

#[path = "../../tests/support/contract.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let input = data.to_vec();
    if let Err(e) = check::on_big_stack(move || check::check(check::Command::Lint, &input)) {
        panic!("{e}");
    }
});
