//! A key file (`docs/key-file.md`) of any bytes: reading it must never panic, and a file that
//! reads must write back as a file that reads to the same list, whose sealing key at any time
//! is one of its keys.
//!
//! Input: 8 bytes of a time (big-endian Unix ms), then the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealed_session::Keys;

fuzz_target!(|input: &[u8]| {
    let Some((now, file)) = input.split_first_chunk::<8>() else {
        return;
    };
    let now = u64::from_be_bytes(*now);
    let loaded = Keys::load_key_file(file, now);
    match Keys::from_key_file(file) {
        Ok(keys) => {
            assert_eq!(loaded.is_ok(), keys.has_sealing_key_at(now));
            let written = keys.to_key_file();
            assert_eq!(Keys::from_key_file(written.as_bytes()).as_ref(), Ok(&keys));
            assert!(keys.sealing_index_at(now) < keys.as_slice().len());
        }
        Err(error) => {
            assert!(loaded.is_err());
            // The message names a line of the file, if any.
            if let Some(line) = error.line() {
                assert!(line >= 1 && line <= file.split(|&b| b == b'\n').count());
            }
        }
    }
});
