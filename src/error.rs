//! The one error type of the reference: a rejection with Wasmtime's exact
//! message chain and the ID of the spec rule that produced it.

use std::borrow::Cow;
use std::fmt;

/// Why an artifact is not accepted: the rule that fired and the error chain
/// exactly as Wasmtime prints it, outermost message first.
///
/// Boxed so that `Result<_, Rejection>` stays one word on the accept path.
#[derive(Clone, PartialEq, Eq)]
pub struct Rejection(Box<Inner>);

/// A fixed message costs no allocation beyond the box: most rejections
/// are fixed texts, and a rejection is often the common answer.
#[derive(Clone, PartialEq, Eq)]
struct Inner {
    rule: &'static str,
    /// The outermost message, when the chain has a cause.
    context: Option<Cow<'static, str>>,
    message: Cow<'static, str>,
}

impl Rejection {
    /// A rejection with a single message.
    #[cold]
    pub fn new(rule: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Rejection(Box::new(Inner {
            rule,
            context: None,
            message: message.into(),
        }))
    }

    /// A rejection whose outermost message is `context`, caused by `cause`.
    #[cold]
    pub fn with_context(
        rule: &'static str,
        context: impl Into<Cow<'static, str>>,
        cause: impl Into<Cow<'static, str>>,
    ) -> Self {
        Rejection(Box::new(Inner {
            rule,
            context: Some(context.into()),
            message: cause.into(),
        }))
    }

    /// The spec rule ID (`spec/`), e.g. `compat.tunables.epoch-interruption`.
    pub fn rule(&self) -> &'static str {
        self.0.rule
    }

    /// The error chain, outermost first, word for word as Wasmtime's
    /// `Error::chain()` renders it.
    pub fn chain(&self) -> Vec<String> {
        self.0
            .context
            .iter()
            .chain(std::iter::once(&self.0.message))
            .map(|m| m.to_string())
            .collect()
    }

    /// The phase of the check the deciding rule belongs to.
    pub fn phase(&self) -> Phase {
        match self.0.rule.split('.').next() {
            Some("load") => Phase::Load,
            Some("info") => Phase::ModuleInfo,
            _ => Phase::Compatibility,
        }
    }

    /// The outermost message.
    pub fn message(&self) -> &str {
        self.0.context.as_deref().unwrap_or(&self.0.message)
    }
}

/// The phases of `deserialize`, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// The ELF markers and the engine record: what the format's own
    /// `check_compatible` covers (spec 2, 3, 5).
    Compatibility,
    /// The section walk of loading after it (spec 3.2).
    Load,
    /// Decoding the `.wasmtime.info` section after the walk (spec 3.3).
    ModuleInfo,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Compatibility => "compatibility",
            Phase::Load => "load",
            Phase::ModuleInfo => "module-info",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl fmt::Debug for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.0.rule, self.chain().join(": "))
    }
}

impl std::error::Error for Rejection {}
