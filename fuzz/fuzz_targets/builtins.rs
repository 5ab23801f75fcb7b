#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    otpmap_fuzz::builtins(data);
});
