//! The `cwasm-spec check` contract: JSON shape and exit status, on golden
//! cases whose verdicts real Wasmtime recorded.
//!
//! The conformance runner replays every case in-process; here each case
//! costs a process, so byte-edited cases run once per distinct expected
//! verdict of their suite (every message still goes through the CLI).

use cwasm_spec::corpus::{CpuSpec, Suite};
use std::path::Path;
use std::process::Command;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cwasm-spec"))
}

#[test]
fn check_json_matches_every_golden_case() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    for suite in Suite::load_all(&corpus, None).unwrap() {
        let mut verdicts_seen = std::collections::HashSet::new();
        for case in &suite.cases {
            if !case.edits.is_empty()
                && !verdicts_seen.insert((case.expect.compatible, case.expect.chain.clone()))
            {
                continue;
            }
            let cpu = match &case.host.cpu_features {
                CpuSpec::Exactly(list) => list.join(","),
                CpuSpec::Mode(mode) => mode.clone(),
            };
            let artifact = if case.edits.is_empty() {
                suite.dir.join(&case.artifact)
            } else {
                let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-edited.cwasm");
                std::fs::write(&path, suite.artifact(case).unwrap()).unwrap();
                path
            };
            let out = cli()
                .arg("check")
                .arg(&artifact)
                .arg("--host-from")
                .arg(suite.dir.join(&case.host.witness))
                .args(["--wasmtime", &case.host.release])
                .args(["--kind", &case.kind])
                .args(["--cpu-features", &cpu])
                .args(["--module-version", &case.host.module_version])
                .args(["--format", "json"])
                .output()
                .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                panic!("{}: {e}: {}", case.id, String::from_utf8_lossy(&out.stderr))
            });
            assert_eq!(json["compatible"], case.expect.compatible, "{}", case.id);
            if case.expect.compatible {
                assert_eq!(out.status.code(), Some(0), "{}", case.id);
                assert_eq!(json, serde_json::json!({"compatible": true}), "{}", case.id);
            } else {
                assert_eq!(out.status.code(), Some(1), "{}", case.id);
                assert_eq!(
                    json["chain"],
                    serde_json::json!(case.expect.chain),
                    "{}",
                    case.id
                );
            }
        }
    }
}

#[test]
fn unreadable_input_exits_2_with_a_message() {
    let witness = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/v48/hosts/default.cwasm");
    for bad in ["/nonexistent/file.cwasm", "/"] {
        let out = cli()
            .args(["check", bad, "--host-from"])
            .arg(&witness)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("cwasm-spec: "),
            "{bad}"
        );
    }
    let out = cli()
        .args(["check", "x", "--host-from", "y", "--wasmtime", "7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn detect_prints_the_kind() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/v48/artifacts");
    for (file, expected) in [
        ("default.cwasm", "module"),
        ("component-default.cwasm", "component"),
        ("malformed-notelf.cwasm", "none"),
    ] {
        let out = cli().arg("detect").arg(dir.join(file)).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            expected,
            "{file}"
        );
    }
}

#[test]
fn releases_lists_every_release_from_24_to_50() {
    let out = cli()
        .args(["releases", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 121);
    let find = |r: &str| rows.iter().find(|row| row["release"] == r).unwrap().clone();
    assert_eq!(find("36.0.5")["version_string"], "36.0.5");
    assert_eq!(find("48.0.8")["version_string"], "48");
    assert_eq!(find("24.0.13")["layout"], "24.0.0");
}

#[test]
fn diff_names_the_version_form_change_and_bad_releases_exit_2() {
    let out = cli()
        .args([
            "diff",
            "--releases",
            "36.0.20",
            "48.0.8",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(value["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["area"] == "version" && c["name"] == "form"));
    let out = cli()
        .args(["diff", "--releases", "36.0.99", "48"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported Wasmtime release `36.0.99`"));
}

#[test]
fn check_names_the_phase_and_can_stop_after_compatibility() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/v48");
    // A `.wasmtime.bti` section of two bytes: only loading refuses it.
    let suite = Suite::load_files(dir.parent().unwrap(), 48, &["cases.json"]).unwrap();
    let case = suite
        .cases
        .iter()
        .find(|c| c.id.ends_with(".Load.BtiTwoBytes"))
        .unwrap();
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bti-two-bytes.cwasm");
    std::fs::write(&path, suite.artifact(case).unwrap()).unwrap();
    let run = |phase: &str| {
        let out = cli()
            .arg("check")
            .arg(&path)
            .arg("--host-from")
            .arg(dir.join(&case.host.witness))
            .args(["--cpu-features", "", "--phase", phase, "--format", "json"])
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        )
    };
    let (code, full) = run("load");
    assert_eq!(code, Some(1));
    assert_eq!(full["phase"], "load");
    assert_eq!(full["chain"], serde_json::json!(case.expect.chain));
    let (code, compatibility) = run("compatibility");
    assert_eq!(code, Some(0), "{compatibility}");
}

#[test]
fn cpu_levels_stdin_and_unknown_feature_names() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/v48");
    let check = |artifact: &str, cpu: &str| {
        cli()
            .arg("check")
            .arg(dir.join(artifact))
            .arg("--host-from")
            .arg(dir.join("hosts/default.cwasm"))
            .args(["--cpu", cpu, "--format", "json"])
            .output()
            .unwrap()
    };
    // A typo is an error that lists the names the release asks about.
    let out = check("artifacts/default.cwasm", "avx-2");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown CPU feature or model `avx-2`") && err.contains("avx2"),
        "{err}"
    );
    // The default artifact carries the baseline flags only.
    assert_eq!(
        check("artifacts/default.cwasm", "x86-64-v1").status.code(),
        Some(0)
    );
    // `-` reads the artifact from standard input.
    let mut child = cli()
        .args(["check", "-", "--host-from"])
        .arg(dir.join("hosts/default.cwasm"))
        .args(["--cpu", "x86-64-v1", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let epoch = std::fs::read(dir.join("artifacts/epoch.cwasm")).unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &epoch).unwrap();
    let piped = child.wait_with_output().unwrap();
    let from_file = check("artifacts/epoch.cwasm", "x86-64-v1");
    assert_eq!(piped.status.code(), Some(1));
    assert_eq!(piped.stdout, from_file.stdout);
}
