//! The file reader and the prepared host give exactly the verdicts of
//! `check` on a slice, on every golden case; a file check reads only what it
//! needs, even from a 10 GiB sparse file.

use cwasm_spec::check::check_decoded;
use cwasm_spec::corpus::{parse_kind, Suite};
use cwasm_spec::file::check_reader;
use cwasm_spec::host::{Cpu, Host};
use cwasm_spec::{check, Kind, Release};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

#[test]
fn same_verdicts_as_check_on_every_case() {
    for suite in Suite::load_all(&corpus(), None).unwrap() {
        for case in &suite.cases {
            let host = suite.host(case).unwrap();
            let bytes = suite.artifact(case).unwrap();
            let kind = parse_kind(&case.kind).unwrap();
            let expected = check(&bytes, kind, &host);
            assert_eq!(
                check_reader(Cursor::new(&bytes), kind, &host),
                expected,
                "file: {}",
                case.id
            );
            assert_eq!(
                check_decoded(&bytes, kind, &host),
                expected,
                "decoded: {}",
                case.id
            );
        }
    }
}

/// A reader that counts the bytes it hands out.
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn a_sparse_10_gib_file_is_checked_from_at_most_16_kib() {
    for release in [Release::V36, Release::V48] {
        let dir = corpus().join(format!("v{}", release.major()));
        let artifact = std::fs::read(dir.join("artifacts/default.cwasm")).unwrap();
        let mut host = Host::from_witness(
            &std::fs::read(dir.join("hosts/default.cwasm")).unwrap(),
            Some(release),
        )
        .unwrap();
        host.set_cpu(Cpu::Exactly(vec![]));
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("sparse-{}.cwasm", release.major()));
        std::fs::write(&path, &artifact).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(10 << 30).unwrap();
        drop(file);

        let mut reader = Counting {
            inner: std::fs::File::open(&path).unwrap(),
            read: 0,
        };
        let verdict = check_reader(&mut reader, Kind::Module, &host);
        assert_eq!(verdict, Ok(()));
        assert!(
            reader.read <= 16 * 1024,
            "{release}: read {} bytes",
            reader.read
        );

        // The command line reads the same way.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cwasm-spec"))
            .arg("check")
            .arg(&path)
            .arg("--host-from")
            .arg(dir.join("hosts/default.cwasm"))
            .args(["--cpu-features", "", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            r#"{"compatible":true}"#
        );
        std::fs::remove_file(&path).unwrap();
    }
}
