//! The bconsole.conf reader of the library (`bareos::bconsole`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

use bareos::bconsole::ConsoleConfig;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // `@include` reads files: keep the fuzzer away from the file system.
    if text.contains('@') {
        return;
    }
    if let Ok(config) = ConsoleConfig::parse_str(&text, Path::new("fuzz.conf")) {
        for director in &config.directors {
            let _ = config.console_for(&director.name);
        }
    }
});
