//! How every command that needs a host describes it.

use super::{read, release};
use clap::Args;
use cwasm_spec::host::{Cpu, Host, ModuleVersion};
use std::path::PathBuf;

#[derive(Args, Clone, Debug)]
pub struct HostArgs {
    /// A witness artifact compiled by the host engine.
    #[arg(long = "host-from", value_name = "HOST_ARTIFACT")]
    pub host_from: PathBuf,
    /// The host's Wasmtime release: a major (`42`, its latest release)
    /// or a version (`36.0.5`).
    #[arg(long)]
    pub wasmtime: Option<String>,
    /// What the CPU detector answers: `a,b,c` (exactly these detector
    /// names), '' (none), a named CPU (`x86-64-v1` … `x86-64-v4`,
    /// `sapphirerapids`, `znver4`, `neoverse-v1`, `aarch64`, …: spec/cpus.md),
    /// `native` or `undetectable`.
    #[arg(long = "cpu-features", visible_alias = "cpu", default_value = "native")]
    pub cpu_features: String,
    /// `default`, `none` or `custom:TEXT`.
    #[arg(long = "module-version")]
    pub module_version: Option<String>,
}

impl HostArgs {
    /// The host these arguments describe.
    pub fn host(&self) -> Result<Host, String> {
        let witness = read(&self.host_from)?;
        let asked = self.wasmtime.as_deref().map(release).transpose()?;
        let mut host = Host::from_witness(&witness, asked)
            .map_err(|e| format!("{}: {e}", self.host_from.display()))?;
        if let Some(named) = cwasm_spec::fleet::cpus::named_cpu(&self.cpu_features) {
            let arch = cwasm_spec::fleet::cpus::arch_of(&host.target);
            if arch != Some(named.arch.as_str()) {
                return Err(format!(
                    "`{}` is an {} CPU, but the host's target is {}",
                    named.name, named.arch, host.target
                ));
            }
        }
        let cpu = self.cpu_features.parse::<Cpu>()?;
        cpu.validate(host.release, &host.target)?;
        host.set_cpu(cpu);
        if let Some(mv) = &self.module_version {
            host.module_version = mv.parse::<ModuleVersion>()?;
        }
        Ok(host)
    }
}
