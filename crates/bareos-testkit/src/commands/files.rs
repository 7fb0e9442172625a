//! The files of the fixed catalog's jobs, as `list files jobid=N` of the recorded
//! director shows them: jobs 1 and 4 (`SelfTest`, 86 entries, 139,898 bytes), job 3
//! (`NumberedFiles`, 1,002 entries of 5 bytes), job 2 (an incremental without files).

/// Where the `SelfTest` files live.
const SELFTEST_ROOT: &str = "/var/lib/bareos-test/tmp/data/";

/// The `SelfTest` entries below [`SELFTEST_ROOT`] in catalog order; a trailing `/`
/// marks a directory (the empty name is the root itself).
const SELFTEST: [&str; 86] = [
    "weird-files/dir-with-accents-èéäñû/a-regular-file",
    "weird-files/dir-with-accents-èéäñû/",
    "weird-files/simple-dir-2/file2.txt",
    "weird-files/simple-dir-2/file1.txt",
    "weird-files/simple-dir-2/",
    "weird-files/simple-dir-1/other-file2.txt",
    "weird-files/simple-dir-1/other-file1.txt",
    "weird-files/simple-dir-1/",
    "weird-files/This-Is-A-Very-Long-Directory-Name-1111111111-2222222222-3333333333-44444444444-55555555555-66666666666-77777777777-8888888888-9999999999-0000000000/Another-Long-Directory-Name-1111111111-2222222222-3333333333-44444444444-55555555555-66666666666-77777777777-8888888888-9999999999-0000000000/A-very-long-filename-1111111111-2222222222-3333333333-44444444444-55555555555-66666666666-77777777777-8888888888-9999999999-0000000000",
    "weird-files/This-Is-A-Very-Long-Directory-Name-1111111111-2222222222-3333333333-44444444444-55555555555-66666666666-77777777777-8888888888-9999999999-0000000000/Another-Long-Directory-Name-1111111111-2222222222-3333333333-44444444444-55555555555-66666666666-77777777777-8888888888-9999999999-0000000000/",
    "weird-files/This-Is-A-Very-Long-Directory-Name-1111111111-2222222222-3333333333-44444444444-55555555555-66666666666-77777777777-8888888888-9999999999-0000000000/",
    "build/src/",
    "weird-files/*dir*/",
    "weird-files/subdir/softlink-to-normalfile",
    "weird-files/subdir/another-hardlink",
    "weird-files/subdir/a-softlink",
    "weird-files/subdir/a-hardlink",
    "weird-files/subdir/",
    "build/",
    "",
    "weird-files/|| :",
    "weird-files/this file has spaces in the name",
    "weird-files/tab\tfile",
    "weird-files/sticky-bit",
    "weird-files/softlinkee",
    "weird-files/softlink-to-softlinkee",
    "weird-files/soft-file3",
    "weird-files/soft-file2",
    "weird-files/soft-base-file",
    "weird-files/socket.pl",
    "weird-files/setuid-file",
    "weird-files/normalfile",
    "weird-files/newline\nfile",
    "weird-files/hardlink-to-normalfile",
    "weird-files/hard-file3",
    "weird-files/hard-file2",
    "weird-files/hard-base-file",
    "weird-files/filename-with-non-utf8-bytestring->C�N",
    "weird-files/fifo-file",
    "weird-files/fifo",
    "weird-files/dangling-link",
    "weird-files/cat myfile | grep ok",
    "weird-files/another-hardlink-to-normalfile",
    "weird-files/absolute-softlink",
    "weird-files/abc'def",
    "weird-files/a-file-with-spaces-at-the-end    ",
    "weird-files/a-file-with-a-slash\\-in-it",
    "weird-files/a-file-with-a-quote'-in-it",
    "weird-files/a-file-with-a-quote\"-in-it",
    "weird-files/a-file-with-a-quote\"",
    "weird-files/a-file, with a comma",
    "weird-files/[| \"Hello\", \"World!\" |] |> String.concat \", \" = \"Hello, World!\" : string []",
    "weird-files/Programm'",
    "weird-files/A-file-with-accents-ãàâáäá-ÀÃÂÄÁÃÀ",
    "weird-files/? -> \\\\",
    "weird-files/5",
    "weird-files/4",
    "weird-files/3",
    "weird-files/2",
    "weird-files/1",
    "weird-files/0*",
    "weird-files/0 ",
    "weird-files/0",
    "weird-files/*",
    "weird-files/  ",
    "weird-files/ ",
    "weird-files/",
    "weird-files/big-X/",
    "build/src/tests/testls.c",
    "build/src/tests/testls",
    "build/src/tests/ing_test.c",
    "build/src/tests/ing_test",
    "build/src/tests/grow.c",
    "build/src/tests/grow",
    "build/src/tests/gigaslam.c",
    "build/src/tests/gigaslam",
    "build/src/tests/cats_test.c",
    "build/src/tests/bvfs_test.c",
    "build/src/tests/bvfs_test",
    "build/src/tests/bregtest.c",
    "build/src/tests/bregtest",
    "build/src/tests/bbatch.c",
    "build/src/tests/bbatch",
    "build/src/tests/Makefile.in",
    "build/src/tests/Makefile",
    "build/src/tests/",
];

/// Entries of `SelfTest` that are not regular files (links, fifos): no size.
const SPECIAL: [&str; 8] = [
    "weird-files/subdir/softlink-to-normalfile",
    "weird-files/subdir/a-softlink",
    "weird-files/softlink-to-softlinkee",
    "weird-files/fifo-file",
    "weird-files/fifo",
    "weird-files/dangling-link",
    "weird-files/absolute-softlink",
    "weird-files/soft-file3",
];

/// Bytes of a `SelfTest` backup (the job's `JobBytes`).
const SELFTEST_BYTES: u64 = 139_898;

/// Where the numbered files live.
const NUMBERED_ROOT: &str = "/var/lib/bareos-test/tmp/backup-data-numbered-files/";

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A directory saved by the job.
    Dir,
    /// A regular file.
    File,
    /// Anything else that is saved without data (links, fifos).
    Special,
}

/// One saved file of a job.
#[derive(Clone, Debug)]
pub(super) struct SavedFile {
    /// Full path; directories end with `/`.
    pub path: String,
    pub kind: Kind,
    /// Bytes (regular files only).
    pub size: u64,
}

fn selftest() -> Vec<SavedFile> {
    let regular = SELFTEST
        .iter()
        .filter(|n| !n.is_empty() && !n.ends_with('/') && !SPECIAL.contains(n))
        .count() as u64;
    let (each, mut rest) = (SELFTEST_BYTES / regular, SELFTEST_BYTES % regular);
    SELFTEST
        .iter()
        .map(|name| {
            let path = format!("{SELFTEST_ROOT}{name}");
            if name.is_empty() || name.ends_with('/') {
                SavedFile {
                    path,
                    kind: Kind::Dir,
                    size: 0,
                }
            } else if SPECIAL.contains(name) {
                SavedFile {
                    path,
                    kind: Kind::Special,
                    size: 0,
                }
            } else {
                let extra = rest.min(1);
                rest -= extra;
                SavedFile {
                    path,
                    kind: Kind::File,
                    size: each + extra,
                }
            }
        })
        .collect()
}

fn numbered() -> Vec<SavedFile> {
    let mut files: Vec<SavedFile> = (1000..=2000)
        .rev()
        .map(|n| SavedFile {
            path: format!("{NUMBERED_ROOT}{n}.txt"),
            kind: Kind::File,
            size: 5,
        })
        .collect();
    files.push(SavedFile {
        path: NUMBERED_ROOT.to_string(),
        kind: Kind::Dir,
        size: 0,
    });
    files
}

/// The files a job of the fixed catalog saved, in catalog order.
pub(super) fn saved_files(jobid: u32) -> Vec<SavedFile> {
    match jobid {
        1 | 4 => selftest(),
        3 => numbered(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_add_up_to_the_jobs_of_the_catalog() {
        for (jobid, files, bytes) in [
            (1, 86, 139_898),
            (3, 1002, 5005),
            (4, 86, 139_898),
            (2, 0, 0),
        ] {
            let saved = saved_files(jobid);
            assert_eq!(saved.len(), files, "job {jobid}");
            assert_eq!(
                saved.iter().map(|f| f.size).sum::<u64>(),
                bytes,
                "job {jobid}"
            );
        }
    }
}
