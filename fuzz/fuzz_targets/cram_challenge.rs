//! CRAM-MD5 challenge lines (`auth cram-md5 <token> ssl=N`) and hello lines: a parsed
//! challenge prints back to a line that parses to the same challenge.
#![no_main]

use bareos_proto::cram::Challenge;
use bareos_proto::hello::Hello;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(challenge) = Challenge::parse(data) {
        let again = Challenge::parse(&challenge.to_line()).expect("a printed challenge parses");
        assert_eq!(again.token, challenge.token);
    }
    let _ = Hello::parse(data);
});
