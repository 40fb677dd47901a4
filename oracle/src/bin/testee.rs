//! A conformance testee (see `conformance/PROTOCOL.md`).
//!
//! `--backend wasmtime`: the adapter to real Wasmtime 48.0.8 and 36.0.20;
//! each case is loaded into a host engine built from the case's preset.
//!
//! `--backend reference --break MODE`: the reference, deliberately broken,
//! to show that the suite catches faults. MODE is `ignore-tunables` (accepts
//! whatever a tunable rule rejects) or `full-version` (under 48's default
//! strategy, demands the full version string "48.0.8").

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use cwasm_oracle::{v36, v48, Detector};
use cwasm_spec::corpus::CpuSpec;
use cwasm_spec::framing::{find_engine_section, split_engine_section};
use cwasm_spec::protocol::{CheckRequest, ReleaseName, Request, Response, PROTOCOL_VERSION};
use cwasm_spec::runner::{ReferenceTestee, Testee};
use cwasm_spec::{Kind, Release};
use std::io::{BufRead, Write};

#[derive(Clone, Copy, PartialEq)]
enum Backend {
    Wasmtime,
    Reference,
    IgnoreTunables,
    FullVersion,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    };
    let backend = match (arg("--backend"), arg("--break")) {
        (Some("wasmtime"), None) => Backend::Wasmtime,
        (Some("reference"), None) => Backend::Reference,
        (Some("reference"), Some("ignore-tunables")) => Backend::IgnoreTunables,
        (Some("reference"), Some("full-version")) => Backend::FullVersion,
        _ => {
            eprintln!("usage: testee --backend wasmtime | --backend reference [--break ignore-tunables|full-version]");
            std::process::exit(2);
        }
    };
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(Request::Hello { .. }) => Response::Hello {
                protocol: PROTOCOL_VERSION,
                name: match backend {
                    Backend::Wasmtime => "wasmtime 36.0.20 + 48.0.8".into(),
                    _ => "broken reference".into(),
                },
                // The adapter builds exactly the oracle's releases; the
                // broken references stand for the reference's majors.
                releases: match backend {
                    Backend::Wasmtime => cwasm_oracle::RELEASES
                        .iter()
                        .map(|r| ReleaseName::Text(r.to_string()))
                        .collect(),
                    _ => vec![ReleaseName::Major(36), ReleaseName::Major(48)],
                },
                kinds: vec!["module".into(), "component".into()],
                families: None,
            },
            Ok(Request::Check(request)) => match backend {
                Backend::Wasmtime => wasmtime(&request),
                _ => broken_reference(backend, &request),
            },
            Err(e) => Response::Error {
                id: String::new(),
                message: format!("unreadable request: {e}"),
            },
        };
        let text = serde_json::to_string(&response).expect("responses serialize");
        if writeln!(stdout, "{text}")
            .and_then(|_| stdout.flush())
            .is_err()
        {
            break;
        }
    }
}

fn wasmtime(request: &CheckRequest) -> Response {
    let id = request.id.clone();
    let result = (|| -> Result<cwasm_oracle::Verdict, String> {
        let artifact = BASE64
            .decode(&request.artifact_base64)
            .map_err(|e| e.to_string())?;
        let detector = match &request.host.cpu_features {
            CpuSpec::Exactly(list) => Detector::Exactly(list.clone()),
            CpuSpec::Mode(_) => Detector::Undetectable,
        };
        let component = request.kind == "component";
        let load = match Release::parse(&request.host.release) {
            Some(Release::V36) => v36::load,
            Some(Release::V48) => v48::load,
            _ => return Err(format!("release {} is not supported", request.host.release)),
        };
        load(&request.host.config, detector, &artifact, component)
    })();
    match result {
        Ok(Ok(())) => Response::Accept { id },
        Ok(Err(chain)) => Response::Reject { id, chain },
        Err(message) => Response::Error { id, message },
    }
}

fn broken_reference(backend: Backend, request: &CheckRequest) -> Response {
    let id = request.id.clone();
    if backend == Backend::FullVersion
        && Release::parse(&request.host.release).is_some_and(|r| r.major() == 48)
        && request.host.module_version == "default"
    {
        if let Some(version) = version_string(request) {
            if version != "48.0.8" {
                return Response::Reject {
                    id,
                    chain: vec![format!(
                        "Module was compiled with incompatible version '{version}'"
                    )],
                };
            }
        }
    }
    let response = ReferenceTestee.check(request);
    match response {
        Response::Reject { .. } if backend == Backend::IgnoreTunables => {
            // The reference's rule is not in the protocol; the message tells.
            if let Response::Reject { chain, .. } = &response {
                if chain.len() == 1 && is_tunable_message(&chain[0]) {
                    return Response::Accept { id };
                }
            }
            response
        }
        other => other,
    }
}

fn is_tunable_message(m: &str) -> bool {
    (m.starts_with("Module was compiled with") || m.starts_with("Module was compiled without"))
        && m.ends_with("for the host")
        && !m.contains("WebAssembly feature")
        || m.starts_with("module was compiled")
        || m == "Module costs are incompatible"
}

fn version_string(request: &CheckRequest) -> Option<String> {
    let bytes = BASE64.decode(&request.artifact_base64).ok()?;
    let kind = if request.kind == "component" {
        Kind::Component
    } else {
        Kind::Module
    };
    let data = find_engine_section(&bytes, kind, Release::V48).ok()?;
    let section = split_engine_section(data).ok()?;
    String::from_utf8(section.version.to_vec()).ok()
}
