//! How every command that needs a host describes it.

use super::{read, release};
use clap::Args;
use cwasm_spec::fleet::options;
use cwasm_spec::fleet::profile::{Build, Profile};
use cwasm_spec::host::{Cpu, Host, ModuleVersion};
use cwasm_spec::Release;
use std::path::{Path, PathBuf};

#[derive(Args, Clone, Debug)]
pub struct HostArgs {
    /// The host: a built-in profile (`wasmtime-48.0.8`, `wasmtime-42`,
    /// `wasmtime-48.0.0/c-api`), a profile file (`PROFILE.toml`), or a
    /// witness artifact compiled by the host engine (`HOST.cwasm`).
    #[arg(long, value_name = "HOST", required_unless_present = "host_from")]
    pub host: Option<String>,
    /// A witness artifact compiled by the host engine (as `--host FILE`).
    #[arg(
        long = "host-from",
        value_name = "HOST_ARTIFACT",
        conflicts_with = "host"
    )]
    pub host_from: Option<PathBuf>,
    /// The build of a built-in profile: `crates.io` (the `wasmtime` crate's
    /// default features; the default) or `c-api` (the official library).
    #[arg(long)]
    pub build: Option<String>,
    /// The target of a built-in profile (default: the one this program runs
    /// on, where recorded, else x86_64-unknown-linux-gnu).
    #[arg(long)]
    pub target: Option<String>,
    /// The host's Wasmtime release, for a witness: a major (`42`, its latest
    /// release) or a version (`36.0.5`).
    #[arg(long)]
    pub wasmtime: Option<String>,
    /// What the CPU detector answers: `a,b,c` (exactly these detector
    /// names), '' (none), a named CPU (`x86-64-v1` … `x86-64-v4`,
    /// `sapphirerapids`, `znver4`, `neoverse-v1`, `aarch64`, …: spec/cpus.md),
    /// `native` or `undetectable`.
    #[arg(long = "cpu-features", visible_alias = "cpu")]
    pub cpu_features: Option<String>,
    /// `default`, `none` or `custom:TEXT`.
    #[arg(long = "module-version")]
    pub module_version: Option<String>,
    /// A profile's `wasmtime compile -O NAME=VALUE` options (optimize:
    /// `memory-reservation=…`, `memory-may-move=n`, …), as the profile's
    /// release reads them; repeatable, comma-separated. The supported
    /// options per release are listed in spec/profiles/README.md.
    #[arg(short = 'O', value_name = "NAME=VALUE")]
    pub optimize: Vec<String>,
    /// A profile's `-W NAME=VALUE` options (wasm: features such as `gc=n`,
    /// `epoch-interruption`, `fuel=N`, `relaxed-simd-deterministic`, …).
    #[arg(short = 'W', value_name = "NAME=VALUE")]
    pub wasm: Vec<String>,
    /// A profile's `-C NAME=VALUE` options (codegen: `compiler=winch`,
    /// `collector=null`, …).
    #[arg(short = 'C', value_name = "NAME=VALUE")]
    pub codegen: Vec<String>,
    /// A profile's `-D NAME=VALUE` options (debug: `debug-info`, …).
    #[arg(short = 'D', value_name = "NAME=VALUE")]
    pub debug: Vec<String>,
}

/// What a `--host` value names.
pub enum HostSpec {
    Profile(Profile),
    Witness(PathBuf),
}

/// Reads a `--host` value: a built-in profile's name, a `.toml` profile, or
/// a witness artifact.
pub fn host_spec(text: &str) -> Result<HostSpec, String> {
    if let Some(profile) = Profile::parse_name(text) {
        return profile.map(HostSpec::Profile);
    }
    let path = Path::new(text);
    if path.extension().is_some_and(|e| e == "toml") {
        let bytes = read(path)?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{text}: not UTF-8"))?;
        return Profile::from_toml(&text)
            .map(HostSpec::Profile)
            .map_err(|e| format!("{}: {e}", path.display()));
    }
    if path.exists() || text == "-" {
        return Ok(HostSpec::Witness(path.to_path_buf()));
    }
    Err(format!(
        "host `{text}`: not a built-in profile (wasmtime-48.0.8, wasmtime-42/c-api, …), \
         a .toml profile, or an artifact"
    ))
}

impl HostSpec {
    /// The host: a profile with its build, target and Wasmtime options
    /// changed as asked, or the engine of a witness (of release `asked`, or
    /// the one its version string names), which takes none of them.
    pub fn host(
        self,
        build: Option<&str>,
        target: Option<&str>,
        options: &[(char, String)],
        asked: Option<Release>,
    ) -> Result<Host, String> {
        match self {
            HostSpec::Profile(mut profile) => {
                if let Some(build) = build {
                    profile.build = build.parse::<Build>()?;
                }
                if let Some(target) = target {
                    profile.target = target.to_string();
                }
                options::apply_split(&mut profile, options)?;
                profile.host()
            }
            HostSpec::Witness(path) => {
                if build.is_some() || target.is_some() {
                    return Err(
                        "--build and --target are for a built-in profile; a witness has its own"
                            .into(),
                    );
                }
                if !options.is_empty() {
                    return Err(
                        "-O/-W/-C/-D change a profile (--host wasmtime-48.0.8, PROFILE.toml); \
                         a witness has its own settings"
                            .into(),
                    );
                }
                Host::from_witness(&read(&path)?, asked)
                    .map_err(|e| format!("{}: {e}", path.display()))
            }
        }
    }
}

/// Gives `host` the CPU a `--cpu` value names: a named CPU must be of the
/// host's architecture, and every detector name one some release knows.
pub fn set_cpu(host: &mut Host, text: &str) -> Result<(), String> {
    if let Some(named) = cwasm_spec::fleet::cpus::named_cpu(text) {
        let arch = cwasm_spec::fleet::cpus::arch_of(&host.target);
        if arch != Some(named.arch.as_str()) {
            return Err(format!(
                "`{}` is an {} CPU, but the host's target is {}",
                named.name, named.arch, host.target
            ));
        }
    }
    let cpu = text.parse::<Cpu>()?;
    cpu.validate(host.release, &host.target)?;
    host.set_cpu(cpu);
    Ok(())
}

impl HostArgs {
    /// The `-O/-W/-C/-D` options, each with its group letter.
    pub fn wasmtime_options(&self) -> Vec<(char, String)> {
        let groups = [
            ('O', &self.optimize),
            ('W', &self.wasm),
            ('C', &self.codegen),
            ('D', &self.debug),
        ];
        groups
            .into_iter()
            .flat_map(|(g, texts)| texts.iter().map(move |t| (g, t.clone())))
            .collect()
    }

    /// The host these arguments describe.
    pub fn host(&self) -> Result<Host, String> {
        let spec = match (&self.host, &self.host_from) {
            (Some(text), _) => host_spec(text)?,
            (None, Some(path)) => HostSpec::Witness(path.clone()),
            (None, None) => return Err("give the host: --host or --host-from".into()),
        };
        if matches!(spec, HostSpec::Profile(_)) && self.wasmtime.is_some() {
            return Err("--wasmtime is for a witness; a profile names its release".into());
        }
        let asked = self.wasmtime.as_deref().map(release).transpose()?;
        let mut host = spec.host(
            self.build.as_deref(),
            self.target.as_deref(),
            &self.wasmtime_options(),
            asked,
        )?;
        if let Some(text) = &self.cpu_features {
            set_cpu(&mut host, text)?;
        }
        if let Some(mv) = &self.module_version {
            host.module_version = mv.parse::<ModuleVersion>()?;
        }
        Ok(host)
    }
}
