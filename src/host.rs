//! The host side of a check: which Wasmtime release loads the artifact, with
//! which engine configuration, on which CPU and in which process.

use crate::detect::detect;
use crate::error::Rejection;
use crate::framing::{find_engine_section, split_engine_section};
use crate::history::{ElfRules, Layout, Release};
use crate::metadata::{BodyUnits, Metadata};
use std::fmt;
use std::str::FromStr;
use target_lexicon::{Architecture, Endianness, OperatingSystem, PointerWidth, Triple};

/// `Config::module_version`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleVersion {
    /// `WasmtimeVersion`: the release's own string ("36.0.5", "48").
    Default,
    /// `None`: the version string is not looked at.
    None,
    /// `Custom(text)`.
    Custom(String),
}

impl FromStr for ModuleVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "default" => Ok(ModuleVersion::Default),
            "none" => Ok(ModuleVersion::None),
            _ => match s.strip_prefix("custom:") {
                Some(text) if text.len() <= 255 => Ok(ModuleVersion::Custom(text.to_string())),
                Some(_) => Err("a custom module version is at most 255 bytes".into()),
                None => Err(format!(
                    "unknown module version strategy `{s}`: expected default, none or custom:TEXT"
                )),
            },
        }
    }
}

/// What `Config::detect_host_feature` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cpu {
    /// Wasmtime's own detector on this machine's CPU.
    Native,
    /// "cannot tell" for every feature.
    Undetectable,
    /// Yes to exactly these detector names (`avx2`, `sse4.1`, `lse`, ...),
    /// no to everything else.
    Exactly(Vec<String>),
}

impl Cpu {
    /// The detector's answer for `feature`.
    pub fn detect(&self, feature: &str) -> Option<bool> {
        match self {
            Cpu::Native => native_feature(feature),
            Cpu::Undetectable => None,
            Cpu::Exactly(list) => Some(list.iter().any(|f| f == feature)),
        }
    }
}

impl FromStr for Cpu {
    type Err = String;
    /// `native`, `undetectable`, a named CPU of spec/cpus.json (an x86-64
    /// level such as `x86-64-v3`, or a model such as `sapphirerapids`), or
    /// a comma list of detector names (empty: none).
    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(cpu) = crate::fleet::cpus::named_cpu(s) {
            return Ok(Cpu::Exactly(cpu.features.clone()));
        }
        Ok(match s {
            "native" => Cpu::Native,
            "undetectable" => Cpu::Undetectable,
            "" => Cpu::Exactly(Vec::new()),
            list => Cpu::Exactly(list.split(',').map(|f| f.trim().to_string()).collect()),
        })
    }
}

impl Cpu {
    /// Refuses a detector name no release asks about (a typo such as
    /// `avx-2` would otherwise silently answer no), listing the names
    /// `release` asks about on `target`'s architecture and the named CPUs.
    /// A name another release asks about is accepted: a detector answers
    /// for the CPU, whatever Wasmtime asks.
    pub fn validate(&self, release: Release, target: &Triple) -> Result<(), String> {
        use crate::fleet::cpus::{arch_of, detector_names, named_cpus};
        let Cpu::Exactly(names) = self else {
            return Ok(());
        };
        let arch = arch_of(target);
        // A name is known when some release's detector for the host's
        // architecture asks about it (any architecture's, on a target
        // without named CPUs).
        let known = |n: &String| {
            detector_names()
                .iter()
                .any(|d| &d.name == n && arch.is_none_or(|a| d.arch == a))
        };
        let Some(unknown) = names.iter().find(|n| !known(n)) else {
            return Ok(());
        };
        let asked: Vec<&str> = detector_names()
            .iter()
            .filter(|d| Some(d.arch.as_str()) == arch && d.since <= release.major())
            .map(|d| d.name.as_str())
            .collect();
        let cpus: Vec<&str> = named_cpus()
            .iter()
            .filter(|c| Some(c.arch.as_str()) == arch)
            .map(|c| c.name.as_str())
            .collect();
        Err(match arch {
            Some(arch) => format!(
                "unknown CPU feature or model `{unknown}`: Wasmtime {release} asks its {arch} \
                 detector about {}; named CPUs: {}",
                asked.join(", "),
                cpus.join(", ")
            ),
            None => format!(
                "unknown CPU feature or model `{unknown}`: Wasmtime {release} asks no detector \
                 on {target}"
            ),
        })
    }
}

/// The detector names an x86-64 CPU of `level` (`x86-64-v1` … `x86-64-v4`,
/// the psABI's micro-architecture levels) answers yes to, or `None` when
/// `level` is not one. The lists are cited data (spec/cpus.json).
pub fn x86_64_level(level: &str) -> Option<Vec<String>> {
    crate::fleet::cpus::x86_64_levels()
        .find(|c| c.name == level)
        .map(|c| c.features.clone())
}

/// The names Wasmtime's x86-64 detector answers for (`Config::detect_host_feature`).
pub const X86_64_DETECTOR_NAMES: &[&str] = &[
    "cmpxchg16b",
    "sse3",
    "ssse3",
    "sse4.1",
    "sse4.2",
    "popcnt",
    "avx",
    "avx2",
    "fma",
    "avxvnni",
    "bmi1",
    "bmi2",
    "avx512bitalg",
    "avx512dq",
    "avx512f",
    "avx512vl",
    "avx512vbmi",
    "avx512vnni",
    "lzcnt",
];

/// Wasmtime's default detector, on the architecture this program runs on.
fn native_feature(feature: &str) -> Option<bool> {
    #[cfg(target_arch = "x86_64")]
    {
        match feature {
            "cmpxchg16b" => Some(std::is_x86_feature_detected!("cmpxchg16b")),
            "sse3" => Some(std::is_x86_feature_detected!("sse3")),
            "ssse3" => Some(std::is_x86_feature_detected!("ssse3")),
            "sse4.1" => Some(std::is_x86_feature_detected!("sse4.1")),
            "sse4.2" => Some(std::is_x86_feature_detected!("sse4.2")),
            "popcnt" => Some(std::is_x86_feature_detected!("popcnt")),
            "avx" => Some(std::is_x86_feature_detected!("avx")),
            "avx2" => Some(std::is_x86_feature_detected!("avx2")),
            "fma" => Some(std::is_x86_feature_detected!("fma")),
            "avxvnni" => Some(std::is_x86_feature_detected!("avxvnni")),
            "bmi1" => Some(std::is_x86_feature_detected!("bmi1")),
            "bmi2" => Some(std::is_x86_feature_detected!("bmi2")),
            "avx512bitalg" => Some(std::is_x86_feature_detected!("avx512bitalg")),
            "avx512dq" => Some(std::is_x86_feature_detected!("avx512dq")),
            "avx512f" => Some(std::is_x86_feature_detected!("avx512f")),
            "avx512vl" => Some(std::is_x86_feature_detected!("avx512vl")),
            "avx512vbmi" => Some(std::is_x86_feature_detected!("avx512vbmi")),
            "avx512vnni" => Some(std::is_x86_feature_detected!("avx512vnni")),
            "lzcnt" => Some(std::is_x86_feature_detected!("lzcnt")),
            _ => None,
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        match feature {
            "lse" => Some(std::arch::is_aarch64_feature_detected!("lse")),
            "paca" => Some(std::arch::is_aarch64_feature_detected!("paca")),
            "fp16" => Some(std::arch::is_aarch64_feature_detected!("fp16")),
            "dotprod" => Some(std::arch::is_aarch64_feature_detected!("dotprod")),
            "i8mm" => Some(std::arch::is_aarch64_feature_detected!("i8mm")),
            _ => None,
        }
    }
    #[cfg(target_arch = "riscv64")]
    {
        let _ = feature;
        Some(true)
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "riscv64"
    )))]
    {
        let _ = feature;
        None
    }
}

/// The process Wasmtime runs in: the ISA-flag rules consult its
/// architecture, pointer width and endianness, and loading its platform
/// (`cfg!(...)` in Wasmtime).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Process {
    pub riscv64: bool,
    pub pointer_width_32: bool,
    pub big_endian: bool,
    pub windows: bool,
}

impl Process {
    /// A process running natively on `target`.
    pub fn native_on(target: &Triple) -> Process {
        Process {
            riscv64: matches!(target.architecture, Architecture::Riscv64(_)),
            pointer_width_32: matches!(target.pointer_width(), Ok(PointerWidth::U32)),
            big_endian: matches!(target.endianness(), Ok(Endianness::Big)),
            windows: matches!(target.operating_system, OperatingSystem::Windows),
        }
    }

    /// The section of unwind information that loading registers, and so
    /// lets through: `.pdata` on Windows, `.eh_frame` elsewhere.
    pub fn unwind_section(&self) -> &'static str {
        if self.windows {
            ".pdata"
        } else {
            ".eh_frame"
        }
    }
}

/// A host: a Wasmtime engine of some release and configuration. It is
/// prepared when it is built: it knows where the parts of its own encoded
/// `Metadata` lie and what the head rules say of its own flags, so an
/// artifact whose bytes there are the host's (the usual case: compiled by the
/// same configuration) is checked without decoding them.
#[derive(Clone, Debug)]
pub struct Host {
    /// The release the host was built for: its rules are read from it once,
    /// when the host is built.
    pub release: Release,
    layout: &'static Layout,
    /// The release's own version string, found once.
    version_string: &'static str,
    /// `Engine::target()`.
    pub target: Triple,
    /// The engine's own `Metadata` body (its Tunables and features).
    body: Vec<u8>,
    pub module_version: ModuleVersion,
    cpu: Cpu,
    pub process: Process,
    own: Own,
}

/// What a host knows of its own body.
#[derive(Clone, Debug)]
pub(crate) struct Own {
    pub units: BodyUnits,
    pub features: u64,
    /// The head rules (target and flags) on the host's own head, with its
    /// CPU: an artifact with the same head bytes gets the same verdict.
    pub head_verdict: Result<(), Rejection>,
}

/// Why a host could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostError(pub String);

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HostError {}

impl Host {
    /// The host whose engine compiled `witness`, running natively on the
    /// witness's target, with the native CPU. Its release is `release` or
    /// the one the witness's version string names; its module-version
    /// strategy is `None` for an empty string, `Default` for the release's
    /// own string and `Custom` otherwise.
    pub fn from_witness(witness: &[u8], release: Option<Release>) -> Result<Host, HostError> {
        let err = |m: String| HostError(format!("host witness: {m}"));
        // Any release reads a well-formed witness; 48's rules are the laxer.
        let precompiled =
            detect(witness, Release::V48).ok_or_else(|| err("not a Wasmtime artifact".into()))?;
        let data = find_engine_section(witness, precompiled.kind, Release::V48)
            .map_err(|r| err(r.chain().join(": ")))?;
        let section = split_engine_section(data).map_err(|r| err(r.chain().join(": ")))?;
        let version = std::str::from_utf8(section.version)
            .map_err(|e| err(format!("version string: {e}")))?;
        let named = Release::from_version_string(version);
        let release = match (release, named) {
            (Some(asked), Some(named)) if asked.major() != named.major() => {
                return Err(err(format!(
                    "it was written by Wasmtime {} and cannot describe a {asked} host",
                    named.version_string()
                )))
            }
            (Some(r), _) | (None, Some(r)) => r,
            (None, None) => {
                return Err(err(format!(
                    "its version string {version:?} names no supported release; pass --wasmtime"
                )))
            }
        };
        // A witness of another patch of the same major describes the
        // engine's configuration; the release is the one asked for.
        let module_version = if version.is_empty() {
            ModuleVersion::None
        } else if named.is_some_and(|n| n.major() == release.major()) {
            ModuleVersion::Default
        } else {
            ModuleVersion::Custom(version.to_string())
        };
        let meta =
            Metadata::decode(section.body, release).map_err(|e| err(format!("metadata: {e}")))?;
        Host::from_metadata(&meta, module_version)
    }

    /// A host described by a `Metadata` (its target, Tunables and features),
    /// running natively on that target with the native CPU.
    pub fn from_metadata(
        meta: &Metadata<'_>,
        module_version: ModuleVersion,
    ) -> Result<Host, HostError> {
        let target = Triple::from_str(meta.target)
            .map_err(|e| HostError(format!("host target `{}`: {e}", meta.target)))?;
        let body = meta.encode();
        // A `Metadata` built by hand may hold values of the wrong type for
        // its release; only a body that reads back is accepted, which is
        // what lets `metadata()` rely on it.
        if Metadata::decode(&body, meta.release).as_ref() != Ok(meta) {
            return Err(HostError(format!(
                "host metadata does not fit the Wasmtime {} layout",
                meta.release
            )));
        }
        let units = BodyUnits::of(&body, meta.release.layout()).ok_or_else(|| {
            HostError(format!(
                "host metadata does not fit the Wasmtime {} layout",
                meta.release
            ))
        })?;
        let mut host = Host {
            release: meta.release,
            layout: meta.release.layout(),
            version_string: meta.release.version_string(),
            process: Process::native_on(&target),
            target,
            body,
            module_version,
            cpu: Cpu::Native,
            own: Own {
                units,
                features: meta.features,
                head_verdict: Ok(()),
            },
        };
        host.own.head_verdict = crate::check::own_head_verdict(&host);
        // The release's `.wasmtime.info` schema is read once, here, so that
        // checks never pay for it.
        let _ = crate::info::schema(host.release);
        Ok(host)
    }

    /// What `Config::detect_host_feature` answers.
    pub fn cpu(&self) -> &Cpu {
        &self.cpu
    }

    /// Changes the CPU, and with it the verdict on the host's own flags.
    pub fn set_cpu(&mut self, cpu: Cpu) {
        self.cpu = cpu;
        self.own.head_verdict = crate::check::own_head_verdict(self);
    }

    /// The rules of the release the host was built for.
    #[inline]
    pub fn layout(&self) -> &'static Layout {
        self.layout
    }

    /// How the host's release reads the ELF container.
    #[inline]
    pub fn elf_rules(&self) -> ElfRules {
        self.layout.elf
    }

    /// What `ModuleVersionStrategy::WasmtimeVersion` writes in the host's
    /// release.
    #[inline]
    pub fn version_string(&self) -> &'static str {
        self.version_string
    }

    pub(crate) fn own(&self) -> &Own {
        &self.own
    }

    /// The engine's encoded `Metadata` body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The engine's `Metadata`: its Tunables and wasm features.
    pub fn metadata(&self) -> Metadata<'_> {
        Metadata::decode(&self.body, self.release)
            .expect("a host's body is encoded by Metadata::encode")
    }
}
