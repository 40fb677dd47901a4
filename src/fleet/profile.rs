//! Host profiles (r[fleet.profile]): a host described without a witness,
//! as a release's default engine plus changes.
//!
//! The defaults are recorded, never typed: `spec/profiles/recorded.json`
//! holds the engine section a default engine of each build, release and
//! target wrote. A profile describes what the check reads of a host: its
//! release, target, Tunables, wasm features, module-version strategy and
//! CPU. The host's own Cranelift flags are never compared with an
//! artifact's (spec 5.1, 5.2), so a profile does not change them.

use crate::framing::split_engine_section;
use crate::history::{Release, TunableType};
use crate::host::{Cpu, Host, ModuleVersion};
use crate::metadata::{Metadata, TunableValue};
use base64::Engine as _;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// How the Wasmtime library was built: its cargo features decide some
/// defaults (spec/profiles/README.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Build {
    /// The `wasmtime` crate with its default features.
    CratesIo,
    /// The official prebuilt C-API library (also inside the PyPI, .NET, Go …
    /// packages).
    CApi,
}

impl Build {
    pub fn as_str(self) -> &'static str {
        match self {
            Build::CratesIo => "crates.io",
            Build::CApi => "c-api",
        }
    }
}

impl fmt::Display for Build {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Build {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "crates.io" => Ok(Build::CratesIo),
            "c-api" => Ok(Build::CApi),
            _ => Err(format!("unknown build `{s}`: expected crates.io or c-api")),
        }
    }
}

/// The target a profile takes when none is given and this program's own
/// target has no recording.
pub const DEFAULT_TARGET: &str = "x86_64-unknown-linux-gnu";

/// The target a profile takes when none is given: the one this program runs
/// on, when some build has a recording for it, else [`DEFAULT_TARGET`].
pub fn native_target() -> String {
    let host = target_lexicon::Triple::host().to_string();
    if recorded().iter().any(|p| p.target == host) {
        host
    } else {
        DEFAULT_TARGET.to_string()
    }
}

/// Where the crates.io build's defaults differ from the C-API build's, for
/// the releases with no crates.io recording: the C-API library leaves out a
/// cargo feature that `wasmtime`'s defaults turn on, and the feature decides
/// a Tunables default. (majors, field, crates.io value, where it is decided.)
const CRATES_IO_OVER_C_API: &[(u32, u32, &str, Scalar, &str)] = &[
    (
        42,
        44,
        "concurrency_support",
        Scalar::Bool(true),
        "component-model-async is a default feature, not in the C API's \
         cmake/features.cmake until 45 (wasmtime-42.0.0/src/config.rs:2398, \
         43.0.0:2436, 44.0.0:2421)",
    ),
    (
        46,
        50,
        "collector",
        Scalar::Static("Copying"),
        "gc-copying is a default feature, not in the C API's cmake/features.cmake; \
         Collector::Auto picks copying first when it is compiled in \
         (wasmtime-46.0.1/src/config.rs:3511, 48.0.8:3620, 50.0.1:3709)",
    ),
];

/// A value in `inspect`'s vocabulary.
#[derive(Clone, Debug, Eq)]
pub enum Scalar {
    Bool(bool),
    Int(u64),
    Text(String),
    Static(&'static str),
    /// `None` of an `Option` field.
    Null,
}

impl Scalar {
    fn text(&self) -> Option<&str> {
        match self {
            Scalar::Text(t) => Some(t),
            Scalar::Static(t) => Some(t),
            _ => None,
        }
    }
}

impl PartialEq for Scalar {
    fn eq(&self, other: &Scalar) -> bool {
        match (self.text(), other.text()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => match (self, other) {
                (Scalar::Bool(a), Scalar::Bool(b)) => a == b,
                (Scalar::Int(a), Scalar::Int(b)) => a == b,
                (Scalar::Null, Scalar::Null) => true,
                _ => false,
            },
            _ => false,
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Int(n) => write!(f, "{n}"),
            Scalar::Text(t) => write!(f, "{t:?}"),
            Scalar::Static(t) => write!(f, "{t:?}"),
            Scalar::Null => f.write_str("none"),
        }
    }
}

/// A host: a built-in profile plus changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub release: Release,
    pub build: Build,
    /// The target triple (`x86_64-unknown-linux-gnu`, `pulley64`, …).
    pub target: String,
    /// Tunables fields set, by Wasmtime's field name.
    pub tunables: BTreeMap<String, Scalar>,
    /// wasm features turned on or off, by `WasmFeatures` name.
    pub features: BTreeMap<String, bool>,
    /// `default`, `none` or `custom:TEXT`.
    pub module_version: Option<String>,
    /// A `--cpu` value.
    pub cpu: Option<String>,
}

#[derive(Deserialize)]
struct Recorded {
    profiles: Vec<RecordedProfile>,
}

#[derive(Deserialize)]
struct RecordedProfile {
    build: String,
    release: String,
    major: u32,
    target: String,
    kind: String,
    engine_section: String,
    provenance: String,
}

fn recorded() -> &'static [RecordedProfile] {
    static DATA: OnceLock<Vec<RecordedProfile>> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str::<Recorded>(include_str!("../../spec/profiles/recorded.json"))
            .map(|r| r.profiles)
            .unwrap_or_default()
    })
}

/// The recorded default engine section of `build` for `release`'s major
/// and `target`, and where it comes from.
fn recorded_section(release: Release, build: Build, target: &str) -> Option<(Vec<u8>, String)> {
    let found = recorded().iter().find(|p| {
        p.build == build.as_str()
            && p.major == release.major()
            && p.target == target
            && p.kind == "module"
    })?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&found.engine_section)
        .ok()?;
    let from = if found.provenance.contains(&found.release) {
        found.provenance.clone()
    } else {
        format!("{}, which writes {}", found.provenance, found.release)
    };
    Some((bytes, from))
}

/// The targets recorded for `build` and `release`'s major.
pub fn recorded_targets(release: Release, build: Build) -> Vec<&'static str> {
    let mut targets: Vec<&str> = recorded()
        .iter()
        .filter(|p| p.build == build.as_str() && p.major == release.major() && p.target != "native")
        .map(|p| p.target.as_str())
        .collect();
    targets.dedup();
    targets
}

impl Profile {
    /// `release`'s default engine of `build`, for `target` (default: the
    /// native target, [`native_target`]).
    pub fn builtin(release: Release, build: Build, target: Option<&str>) -> Profile {
        Profile {
            release,
            build,
            target: target.map_or_else(native_target, str::to_string),
            tunables: BTreeMap::new(),
            features: BTreeMap::new(),
            module_version: None,
            cpu: None,
        }
    }

    /// Parses a built-in profile's name: `wasmtime-48.0.8`, `wasmtime-42`,
    /// optionally followed by `/c-api` or `/crates.io` (default crates.io).
    pub fn parse_name(name: &str) -> Option<Result<Profile, String>> {
        let rest = name.strip_prefix("wasmtime-")?;
        let (version, build) = match rest.split_once('/') {
            Some((v, b)) => (v, Some(b)),
            None => (rest, None),
        };
        Some((|| {
            let release = Release::parse(version).ok_or_else(|| {
                format!(
                    "host `{name}`: unsupported Wasmtime release `{version}` (24 to 50; \
                     `cwasm-spec releases` lists them)"
                )
            })?;
            let build = build
                .map(Build::from_str)
                .transpose()?
                .unwrap_or(Build::CratesIo);
            Ok(Profile::builtin(release, build, None))
        })())
    }

    /// The default engine section this profile starts from, where it comes
    /// from, and the Tunables the build's features change when it is
    /// derived from another build's recording.
    #[allow(clippy::type_complexity)]
    fn base(&self) -> Result<(Vec<u8>, String, Vec<(&'static str, Scalar)>), String> {
        if let Some((section, from)) = recorded_section(self.release, self.build, &self.target) {
            return Ok((section, from, Vec::new()));
        }
        if self.build == Build::CratesIo {
            if let Some((section, from, changed)) = self.crates_io_from_c_api() {
                return Ok((section, from, changed));
            }
        }
        let known = recorded_targets(self.release, self.build);
        Err(format!(
            "no recorded {} profile of Wasmtime {} for target {}; recorded targets: {}",
            self.build,
            self.release.major(),
            self.target,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
    }

    /// The crates.io build's default engine section, derived from the C-API
    /// build's recording and the Tunables the builds' cargo features set
    /// apart (`CRATES_IO_OVER_C_API`). Used where crates.io has no
    /// recording; tests compare it with the recordings where it has one.
    #[allow(clippy::type_complexity)]
    pub fn crates_io_from_c_api(&self) -> Option<(Vec<u8>, String, Vec<(&'static str, Scalar)>)> {
        let (section, from) = recorded_section(self.release, Build::CApi, &self.target)?;
        let major = self.release.major();
        let mut changed = Vec::new();
        let mut why = Vec::new();
        for (first, last, field, value, cited) in CRATES_IO_OVER_C_API {
            if (*first..=*last).contains(&major) {
                changed.push((*field, value.clone()));
                why.push(format!("{field} = {value}: {cited}"));
            }
        }
        let from = if why.is_empty() {
            format!("{from}; the crates.io build's defaults are the same")
        } else {
            format!("{from}, with the crates.io build's {}", why.join("; "))
        };
        Some((section, from, changed))
    }

    /// Where the profile's defaults come from.
    pub fn provenance(&self) -> Result<String, String> {
        self.base().map(|(_, from, _)| from)
    }

    /// The Metadata body the profile's engine would write (with the base's
    /// flags), encoded.
    pub fn metadata_body(&self) -> Result<Vec<u8>, String> {
        self.body_over(self.base()?)
    }

    /// [`Profile::metadata_body`] of a crates.io profile derived from the
    /// C-API recording even where crates.io has one (for tests).
    pub fn derived_metadata_body(&self) -> Option<Result<Vec<u8>, String>> {
        self.crates_io_from_c_api().map(|base| self.body_over(base))
    }

    fn body_over(
        &self,
        (section, _, build_changes): (Vec<u8>, String, Vec<(&'static str, Scalar)>),
    ) -> Result<Vec<u8>, String> {
        let parts = split_engine_section(&section)
            .map_err(|r| format!("recorded profile: {}", r.chain().join(": ")))?;
        // Every release of a major has its layout (spec 7).
        let mut meta = Metadata::decode(parts.body, self.release)
            .map_err(|e| format!("recorded profile: {e}"))?;
        meta.release = self.release;
        for (field, value) in &build_changes {
            // The collector is chosen only when GC is on (`Some`).
            let index = self.release.layout().tunable_index(field);
            if index.is_some_and(|i| meta.tunables.get(i) == TunableValue::Collector(None)) {
                continue;
            }
            set_tunable(&mut meta, field, value)?;
        }
        for (field, value) in &self.tunables {
            set_tunable(&mut meta, field, value)?;
        }
        let layout = self.release.layout();
        for (name, on) in &self.features {
            let feature = layout
                .features
                .iter()
                .find(|f| f.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = layout.features.iter().map(|f| f.name).collect();
                    format!(
                        "unknown wasm feature `{name}` for Wasmtime {}; known: {}",
                        self.release.major(),
                        names.join(", ")
                    )
                })?;
            if *on {
                meta.features |= feature.bits;
            } else {
                meta.features &= !feature.bits;
            }
        }
        Ok(meta.encode())
    }

    /// [`described`] of this profile's Metadata.
    pub fn described(&self) -> Result<String, String> {
        let body = self.metadata_body()?;
        let meta = Metadata::decode(&body, self.release).map_err(|e| e.to_string())?;
        Ok(described(&meta))
    }

    /// The host this profile describes.
    pub fn host(&self) -> Result<Host, String> {
        let body = self.metadata_body()?;
        let meta = Metadata::decode(&body, self.release).map_err(|e| e.to_string())?;
        let module_version = match &self.module_version {
            Some(text) => text.parse::<ModuleVersion>()?,
            None => ModuleVersion::Default,
        };
        let mut host = Host::from_metadata(&meta, module_version).map_err(|e| e.to_string())?;
        if let Some(cpu) = &self.cpu {
            let cpu = cpu.parse::<Cpu>()?;
            cpu.validate(host.release, &host.target)?;
            host.set_cpu(cpu);
        }
        Ok(host)
    }
}

/// What a profile describes of a host's `Metadata`, as text: its target,
/// Tunables and features (not its flags, which no check compares). Two
/// Metadata describe the same host when these are equal.
pub fn described(meta: &Metadata<'_>) -> String {
    format!(
        "target {}\ntunables {:?}\nfeatures {:#x}",
        meta.target,
        meta.tunables.values(),
        meta.features
    )
}

/// A Tunables value in `inspect`'s vocabulary, or `None` for a cost table,
/// which has no scalar form.
pub fn tunable_scalar(value: TunableValue<'_>, ty: TunableType) -> Option<Scalar> {
    let variants = match ty {
        TunableType::Collector(e) | TunableType::Enum(e) => e.variants,
        _ => &[],
    };
    let name = |i: u8| Scalar::Static(variants.get(usize::from(i)).copied().unwrap_or("?"));
    Some(match value {
        TunableValue::Bool(b) => Scalar::Bool(b),
        TunableValue::U32(n) => Scalar::Int(u64::from(n)),
        TunableValue::U64(n) => Scalar::Int(n),
        TunableValue::NonZeroU32(None) | TunableValue::Collector(None) => Scalar::Null,
        TunableValue::NonZeroU32(Some(n)) => Scalar::Int(u64::from(n)),
        TunableValue::Collector(Some(i)) | TunableValue::Enum(i) => name(i),
        TunableValue::Cost(None) => Scalar::Static("Default"),
        TunableValue::Cost(Some(_)) => return None,
    })
}

/// Sets Tunables field `field` of `meta` to `value`.
fn set_tunable(meta: &mut Metadata<'_>, field: &str, value: &Scalar) -> Result<(), String> {
    let layout = meta.release.layout();
    let index = layout.tunable_index(field).ok_or_else(|| {
        let names: Vec<&str> = layout.tunables.iter().map(|t| t.name).collect();
        format!(
            "unknown Tunables field `{field}` for Wasmtime {}; known: {}",
            meta.release.major(),
            names.join(", ")
        )
    })?;
    let ty = layout.tunables[index].ty;
    let bad = || format!("Tunables field `{field}` cannot be {value}");
    let int = |max: u64| match value {
        Scalar::Int(n) if *n <= max => Ok(*n),
        _ => Err(bad()),
    };
    let new = match ty {
        TunableType::Bool => match value {
            Scalar::Bool(b) => TunableValue::Bool(*b),
            _ => return Err(bad()),
        },
        TunableType::U32 => TunableValue::U32(int(u64::from(u32::MAX))? as u32),
        TunableType::U64 => TunableValue::U64(int(u64::MAX)?),
        TunableType::OptionNonZeroU32 => match value {
            Scalar::Null => TunableValue::NonZeroU32(None),
            _ => match int(u64::from(u32::MAX))? {
                0 => return Err(bad()),
                n => TunableValue::NonZeroU32(Some(n as u32)),
            },
        },
        TunableType::Collector(e) => match value {
            Scalar::Null => TunableValue::Collector(None),
            _ => TunableValue::Collector(Some(variant(e.variants, value).ok_or_else(bad)?)),
        },
        TunableType::Enum(e) => TunableValue::Enum(variant(e.variants, value).ok_or_else(bad)?),
        TunableType::OperatorCost { .. } => match value.text() {
            Some("Default") => TunableValue::Cost(None),
            _ => {
                return Err(format!(
                    "Tunables field `{field}` can only be set to \"Default\""
                ))
            }
        },
    };
    meta.tunables.set(index, new);
    Ok(())
}

fn variant(variants: &[&str], value: &Scalar) -> Option<u8> {
    let text = value.text()?;
    let index = variants.iter().position(|v| *v == text)?;
    u8::try_from(index).ok()
}

/// The TOML form of a profile (`--host PROFILE.toml`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileToml {
    wasmtime: String,
    build: Option<String>,
    target: Option<String>,
    module_version: Option<String>,
    cpu: Option<String>,
    #[serde(default)]
    tunables: BTreeMap<String, toml::Value>,
    #[serde(default)]
    features: BTreeMap<String, bool>,
    /// Wasmtime CLI options of the release (`-W gc=n`), applied after the
    /// tables (`crate::fleet::options`).
    #[serde(default)]
    options: Vec<String>,
}

impl Profile {
    /// Reads a profile from TOML: `wasmtime = "48.0.8"`, optional `build`,
    /// `target`, `module_version`, `cpu`, and `[tunables]` / `[features]`
    /// tables in `inspect`'s vocabulary (an `Option` field's `None` is the
    /// string `"none"`), and `options = ["-W gc=n", …]`: Wasmtime CLI options
    /// of the release, applied after the tables.
    pub fn from_toml(text: &str) -> Result<Profile, String> {
        let raw: ProfileToml = toml::from_str(text).map_err(|e| e.to_string())?;
        let release = Release::parse(&raw.wasmtime)
            .ok_or_else(|| format!("unsupported Wasmtime release `{}`", raw.wasmtime))?;
        let build = raw
            .build
            .as_deref()
            .map(Build::from_str)
            .transpose()?
            .unwrap_or(Build::CratesIo);
        let mut profile = Profile::builtin(release, build, raw.target.as_deref());
        for (field, value) in raw.tunables {
            let scalar = match value {
                toml::Value::Boolean(b) => Scalar::Bool(b),
                toml::Value::Integer(n) => Scalar::Int(
                    u64::try_from(n).map_err(|_| format!("tunables.{field}: negative"))?,
                ),
                toml::Value::String(s) if s == "none" => Scalar::Null,
                toml::Value::String(s) => Scalar::Text(s),
                other => return Err(format!("tunables.{field}: unexpected {}", other.type_str())),
            };
            profile.tunables.insert(field, scalar);
        }
        profile.features = raw.features;
        crate::fleet::options::apply(&mut profile, &raw.options)
            .map_err(|e| format!("options: {e}"))?;
        profile.module_version = raw.module_version;
        profile.cpu = raw.cpu;
        // Names and values are checked against the release's layout now,
        // not at the first check.
        profile.metadata_body()?;
        if let Some(mv) = &profile.module_version {
            mv.parse::<ModuleVersion>()?;
        }
        Ok(profile)
    }

    /// The profile as TOML, the form `from_toml` reads.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("wasmtime = \"{}\"\n", self.release));
        out.push_str(&format!("build = {:?}\n", self.build.as_str()));
        out.push_str(&format!("target = {:?}\n", self.target));
        if let Some(mv) = &self.module_version {
            out.push_str(&format!("module_version = {mv:?}\n"));
        }
        if let Some(cpu) = &self.cpu {
            out.push_str(&format!("cpu = {cpu:?}\n"));
        }
        if !self.tunables.is_empty() {
            out.push_str("\n[tunables]\n");
            for (field, value) in &self.tunables {
                let shown = match value {
                    Scalar::Null => "\"none\"".to_string(),
                    other => other.to_string(),
                };
                out.push_str(&format!("{field} = {shown}\n"));
            }
        }
        if !self.features.is_empty() {
            out.push_str("\n[features]\n");
            for (name, on) in &self.features {
                out.push_str(&format!("{name} = {on}\n"));
            }
        }
        out
    }

    /// A profile that gives every Tunables field and every feature of
    /// `meta` explicitly.
    fn spelled_out(meta: &Metadata<'_>, release: Release, build: Build) -> (Profile, Vec<String>) {
        let layout = meta.release.layout();
        let mut profile = Profile::builtin(release, build, Some(meta.target));
        let mut notes = Vec::new();
        for (field, value) in layout.tunables.iter().zip(meta.tunables.values()) {
            let Some(scalar) = tunable_scalar(*value, field.ty) else {
                notes.push(format!(
                    "{}: a cost table has no profile form; left at Default",
                    field.name
                ));
                continue;
            };
            profile.tunables.insert(field.name.to_string(), scalar);
        }
        for feature in &layout.features {
            profile.features.insert(
                feature.name.to_string(),
                meta.features & feature.bits == feature.bits,
            );
        }
        (profile, notes)
    }

    /// This profile with every Tunables field and feature spelled out.
    pub fn expanded(&self) -> Result<(Profile, Vec<String>), String> {
        let body = self.metadata_body()?;
        let meta = Metadata::decode(&body, self.release).map_err(|e| e.to_string())?;
        let (mut full, notes) = Profile::spelled_out(&meta, self.release, self.build);
        full.target = self.target.clone();
        full.module_version = self.module_version.clone();
        full.cpu = self.cpu.clone();
        Ok((full, notes))
    }

    /// The profile of the host that compiled `witness`: its release (as
    /// its version string names it, or `release`), target, every Tunables
    /// field and every feature. A Tunables cost table has no TOML form and
    /// is left at the default; the returned notes say so.
    pub fn of_witness(
        witness: &[u8],
        release: Option<Release>,
        build: Build,
    ) -> Result<(Profile, Vec<String>), String> {
        let record = crate::inspect::read_record(witness, release).map_err(|e| e.to_string())?;
        let release = release.unwrap_or(record.release);
        let (mut profile, notes) = Profile::spelled_out(&record.meta, release, build);
        profile.module_version = Some(if record.version.is_empty() {
            "none".to_string()
        } else if release.is_version_string(record.version) {
            "default".to_string()
        } else {
            format!("custom:{}", record.version)
        });
        Ok((profile, notes))
    }
}
