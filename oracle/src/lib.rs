//! The oracle: real Wasmtime 48.0.8 and 36.0.20 behind one small interface.
//!
//! A *preset* describes an engine configuration as comma-separated knobs,
//! e.g. `epoch,fuel,target=aarch64-unknown-linux-gnu,isa=has_avx2`. The same
//! preset string builds the same `Config` in either release, so the corpus
//! can name the host engine of every case and the tests can rebuild it.

use std::cell::RefCell;

pub mod edit;
pub mod sweep;

/// The default target of every preset: explicit, so that compiled artifacts
/// carry baseline ISA flags plus the `isa=` knobs, whatever this machine's CPU.
pub const DEFAULT_TARGET: &str = "x86_64-unknown-linux-gnu";

/// The releases this oracle builds, and so can replay.
pub const RELEASES: [cwasm_spec::Release; 2] = [cwasm_spec::Release::V36, cwasm_spec::Release::V48];

/// The case file this oracle writes in each release's directory.
pub const CASE_FILE: &str = "cases.json";

/// The cases this oracle recorded for `release`'s major.
pub fn suite(
    corpus: &std::path::Path,
    release: cwasm_spec::Release,
) -> Result<cwasm_spec::corpus::Suite, String> {
    cwasm_spec::corpus::Suite::load_files(corpus, release.major(), &[CASE_FILE])
}

/// What the simulated host CPU detector answers.
#[derive(Clone, Debug)]
pub enum Detector {
    Exactly(Vec<String>),
    Undetectable,
}

thread_local! {
    static DETECTOR: RefCell<Detector> = const { RefCell::new(Detector::Undetectable) };
}

/// Sets the answers of [`detect`] on this thread.
pub fn set_detector(d: Detector) {
    DETECTOR.with(|cell| *cell.borrow_mut() = d);
}

/// The function handed to `Config::detect_host_feature`.
pub fn detect(feature: &str) -> Option<bool> {
    DETECTOR.with(|cell| match &*cell.borrow() {
        Detector::Exactly(list) => Some(list.iter().any(|f| f == feature)),
        Detector::Undetectable => None,
    })
}

/// One knob of a preset.
#[derive(Clone, Debug, PartialEq)]
pub enum Knob {
    Target(String),
    Isa(String),
    Bool(String, bool),
    Int(String, u64),
    Winch,
    Collector(String),
    Feature(String, bool),
    ModuleVersion(String),
    Inlining(bool),
    CustomCosts,
}

/// Parses a preset string: `name` (a boolean tunable set to true),
/// `no-name` (set to false), `name=N`, `target=T`, `isa=FLAG`, `winch`,
/// `collector=null|drc` (and `copying` in 48), `+feature`/`-feature`, `version=none|TEXT`,
/// `inlining`/`no-inlining`, `costs`. The empty string is the default engine.
/// 48 adds the knobs `gc-heap-may-move` and `+component_model_async`.
pub fn parse_preset(preset: &str) -> Result<Vec<Knob>, String> {
    let mut knobs = Vec::new();
    for token in preset.split(',').filter(|t| !t.is_empty()) {
        let knob = if let Some(f) = token.strip_prefix('+') {
            Knob::Feature(f.into(), true)
        } else if let Some(f) = token.strip_prefix('-') {
            Knob::Feature(f.into(), false)
        } else if let Some((k, v)) = token.split_once('=') {
            match k {
                "target" => Knob::Target(v.into()),
                "isa" => Knob::Isa(v.into()),
                "collector" => Knob::Collector(v.into()),
                "version" => Knob::ModuleVersion(v.into()),
                _ => Knob::Int(
                    k.into(),
                    v.parse().map_err(|_| format!("bad number in `{token}`"))?,
                ),
            }
        } else {
            match token {
                "winch" => Knob::Winch,
                "inlining" => Knob::Inlining(true),
                "no-inlining" => Knob::Inlining(false),
                "costs" => Knob::CustomCosts,
                t => match t.strip_prefix("no-") {
                    Some(name) => Knob::Bool(name.into(), false),
                    None => Knob::Bool(t.into(), true),
                },
            }
        };
        knobs.push(knob);
    }
    Ok(knobs)
}

/// A verdict as Wasmtime gave it: `Ok` or the error chain, outermost first.
pub type Verdict = Result<(), Vec<String>>;

/// A verdict in the corpus's vocabulary.
pub fn expect_of(verdict: Verdict) -> cwasm_spec::corpus::Expect {
    match verdict {
        Ok(()) => cwasm_spec::corpus::Expect {
            compatible: true,
            chain: vec![],
        },
        Err(chain) => cwasm_spec::corpus::Expect {
            compatible: false,
            chain,
        },
    }
}

/// The WebAssembly text the artifacts are compiled from.
pub const MODULE_WAT: &str = "(module (func (export \"f\") (result i32) i32.const 42))";
pub const COMPONENT_WAT: &str = "(component (core module (func (export \"f\"))))";

macro_rules! release_oracle {
    ($name:ident, $wasmtime:ident, $version:literal, $extra:ident) => {
        pub mod $name {
            use super::$extra::*;
            use super::*;
            use wasmtime::{Config, Engine, ModuleVersionStrategy, Strategy};
            use $wasmtime as wasmtime;

            pub const VERSION: &str = $version;

            fn apply(config: &mut Config, knob: &Knob) -> Result<(), String> {
                match knob {
                    Knob::Target(t) => {
                        config.target(t).map_err(|e| e.to_string())?;
                    }
                    Knob::Isa(flag) => unsafe {
                        config.cranelift_flag_enable(flag);
                    },
                    Knob::Bool(name, v) => match name.as_str() {
                        "epoch" => {
                            config.epoch_interruption(*v);
                        }
                        "fuel" => {
                            config.consume_fuel(*v);
                        }
                        "memory-may-move" => {
                            config.memory_may_move(*v);
                        }
                        "guard-before" => {
                            config.guard_before_linear_memory(*v);
                        }
                        "table-lazy-init" => {
                            config.table_lazy_init(*v);
                        }
                        "relaxed-simd-deterministic" => {
                            config.relaxed_simd_deterministic(*v);
                        }
                        "signals-based-traps" => {
                            config.signals_based_traps(*v);
                        }
                        "cow" => {
                            config.memory_init_cow(*v);
                        }
                        "debug-info" => {
                            config.debug_info(*v);
                        }
                        "backtrace-details" => {
                            config.wasm_backtrace_details(if *v {
                                wasmtime::WasmBacktraceDetails::Enable
                            } else {
                                wasmtime::WasmBacktraceDetails::Disable
                            });
                        }
                        other => extra_bool(config, other, *v)?,
                    },
                    Knob::Int(name, v) => match name.as_str() {
                        "memory-reservation" => {
                            config.memory_reservation(*v);
                        }
                        "memory-guard-size" => {
                            config.memory_guard_size(*v);
                        }
                        other => extra_int(config, other, *v)?,
                    },
                    Knob::Winch => {
                        config.strategy(Strategy::Winch);
                    }
                    Knob::Collector(c) => {
                        config.collector(match c.as_str() {
                            "null" => wasmtime::Collector::Null,
                            "drc" => wasmtime::Collector::DeferredReferenceCounting,
                            other => extra_collector(other)?,
                        });
                    }
                    Knob::Feature(name, on) => feature(config, name, *on)?,
                    Knob::ModuleVersion(v) => {
                        let strategy = match v.as_str() {
                            "none" => ModuleVersionStrategy::None,
                            text => ModuleVersionStrategy::Custom(text.to_string()),
                        };
                        config.module_version(strategy).map_err(|e| e.to_string())?;
                    }
                    Knob::Inlining(on) => inlining(config, *on),
                    Knob::CustomCosts => custom_costs(config)?,
                }
                Ok(())
            }

            fn feature(config: &mut Config, name: &str, on: bool) -> Result<(), String> {
                match name {
                    "threads" => {
                        config.wasm_threads(on);
                    }
                    "simd" => {
                        config.wasm_simd(on);
                    }
                    "relaxed_simd" => {
                        config.wasm_relaxed_simd(on);
                    }
                    "tail_call" => {
                        config.wasm_tail_call(on);
                    }
                    "multi_memory" => {
                        config.wasm_multi_memory(on);
                    }
                    "memory64" => {
                        config.wasm_memory64(on);
                    }
                    "extended_const" => {
                        config.wasm_extended_const(on);
                    }
                    "wide_arithmetic" => {
                        config.wasm_wide_arithmetic(on);
                    }
                    "custom_page_sizes" => {
                        config.wasm_custom_page_sizes(on);
                    }
                    "gc" => {
                        config.wasm_gc(on);
                    }
                    "function_references" => {
                        config.wasm_function_references(on);
                    }
                    "reference_types" => {
                        config.wasm_reference_types(on);
                    }
                    "exceptions" => {
                        config.wasm_exceptions(on);
                    }
                    "stack_switching" => {
                        config.wasm_stack_switching(on);
                    }
                    other => extra_feature(config, other, on)?,
                }
                Ok(())
            }

            /// The engine configuration a preset describes.
            pub fn config(preset: &str) -> Result<Config, String> {
                let mut config = Config::new();
                config.target(DEFAULT_TARGET).map_err(|e| e.to_string())?;
                for knob in parse_preset(preset)? {
                    apply(&mut config, &knob)?;
                }
                Ok(config)
            }

            fn engine(preset: &str) -> Result<Engine, String> {
                Engine::new(&config(preset)?).map_err(|e| chain_of(&e).join(": "))
            }

            /// Compiles the trivial module or component with a preset.
            pub fn compile(preset: &str, component: bool) -> Result<Vec<u8>, String> {
                let engine = engine(preset)?;
                let result = if component {
                    engine.precompile_component(COMPONENT_WAT.as_bytes())
                } else {
                    engine.precompile_module(MODULE_WAT.as_bytes())
                };
                result.map_err(|e| chain_of(&e).join(": "))
            }

            /// Loads `bytes` into a host engine built from `preset` with the
            /// simulated CPU `detector`; Wasmtime's verdict.
            /// A host engine built from a preset, with a simulated CPU.
            pub struct HostEngine {
                engine: Engine,
                detector: Detector,
            }

            impl HostEngine {
                pub fn new(preset: &str, detector: Detector) -> Result<Self, String> {
                    let mut config = config(preset)?;
                    // SAFETY: `detect` is a plain function of its argument.
                    unsafe {
                        config.detect_host_feature(detect);
                    }
                    let engine = Engine::new(&config).map_err(|e| chain_of(&e).join(": "))?;
                    Ok(HostEngine { engine, detector })
                }

                /// The engine, with this host's detector installed on the
                /// calling thread.
                pub fn engine(&self) -> &Engine {
                    set_detector(self.detector.clone());
                    &self.engine
                }

                /// Wasmtime's verdict on loading `bytes`.
                pub fn load(&self, bytes: &[u8], component: bool) -> Verdict {
                    set_detector(self.detector.clone());
                    // SAFETY: the bytes are only checked and loaded, never
                    // run; `deserialize` copies them first.
                    let result = unsafe {
                        if component {
                            wasmtime::component::Component::deserialize(&self.engine, bytes)
                                .map(drop)
                        } else {
                            wasmtime::Module::deserialize(&self.engine, bytes).map(drop)
                        }
                    };
                    result.map_err(|e| chain_of(&e))
                }
            }

            /// Loads `bytes` into a fresh host engine built from `preset`
            /// with the simulated CPU `detector`; Wasmtime's verdict.
            pub fn load(
                preset: &str,
                detector: Detector,
                bytes: &[u8],
                component: bool,
            ) -> Result<Verdict, String> {
                Ok(HostEngine::new(preset, detector)?.load(bytes, component))
            }

            /// What `Engine::detect_precompiled` says of `bytes`:
            /// `module`, `component` or `none`.
            pub fn detect_precompiled(bytes: &[u8]) -> &'static str {
                match Engine::detect_precompiled(bytes) {
                    Some(wasmtime::Precompiled::Module) => "module",
                    Some(wasmtime::Precompiled::Component) => "component",
                    None => "none",
                }
            }

            fn chain_of(e: &wasmtime::Error) -> Vec<String> {
                e.chain().map(|c| c.to_string()).collect()
            }
        }
    };
}

release_oracle!(v36, wasmtime36, "36.0.20", v36_extra);
release_oracle!(v48, wasmtime48, "48.0.8", v48_extra);

mod v36_extra {
    use wasmtime36::Config;
    pub fn extra_bool(_c: &mut Config, name: &str, _v: bool) -> Result<(), String> {
        Err(format!("knob {name} does not exist in Wasmtime 36"))
    }
    pub fn extra_int(_c: &mut Config, name: &str, _v: u64) -> Result<(), String> {
        Err(format!("knob {name} does not exist in Wasmtime 36"))
    }
    pub fn inlining(c: &mut Config, on: bool) {
        c.compiler_inlining(on);
    }
    pub fn custom_costs(_c: &mut Config) -> Result<(), String> {
        Err("Wasmtime 36 has no operator costs".into())
    }
    pub fn extra_collector(name: &str) -> Result<wasmtime36::Collector, String> {
        Err(format!("unknown collector {name}"))
    }
    pub fn extra_feature(_c: &mut Config, name: &str, _on: bool) -> Result<(), String> {
        Err(format!("unknown feature knob {name}"))
    }
}

mod v48_extra {
    use wasmtime48::Config;
    pub fn extra_bool(c: &mut Config, name: &str, v: bool) -> Result<(), String> {
        match name {
            "concurrency" => {
                c.concurrency_support(v);
            }
            "guest-debug" => {
                c.guest_debug(v);
            }
            "debug-symbols" => {
                c.debug_symbols(v);
            }
            "gc-support" => {
                c.gc_support(v);
            }
            "gc-heap-may-move" => {
                c.gc_heap_may_move(v);
            }
            other => return Err(format!("unknown knob {other}")),
        }
        Ok(())
    }
    pub fn extra_int(c: &mut Config, name: &str, v: u64) -> Result<(), String> {
        match name {
            "gc-heap-reservation" => {
                c.gc_heap_reservation(v);
            }
            "gc-heap-guard-size" => {
                c.gc_heap_guard_size(v);
            }
            other => return Err(format!("unknown knob {other}")),
        }
        Ok(())
    }
    pub fn inlining(c: &mut Config, on: bool) {
        c.compiler_inlining(if on {
            wasmtime48::Inlining::Yes
        } else {
            wasmtime48::Inlining::No
        });
    }
    pub fn custom_costs(c: &mut Config) -> Result<(), String> {
        let mut cost = wasmtime48::OperatorCost::new();
        cost.I32Const = 3;
        c.operator_cost(cost);
        Ok(())
    }
    /// `collector=copying`: the copying collector, new in 46.
    pub fn extra_collector(name: &str) -> Result<wasmtime48::Collector, String> {
        match name {
            "copying" => Ok(wasmtime48::Collector::Copying),
            other => Err(format!("unknown collector {other}")),
        }
    }
    pub fn extra_feature(c: &mut Config, name: &str, on: bool) -> Result<(), String> {
        match name {
            "component_model_async" => {
                c.wasm_component_model_async(on);
            }
            other => return Err(format!("unknown feature knob {other}")),
        }
        Ok(())
    }
}
