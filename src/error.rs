//! The one error type of the reference: a rejection with Wasmtime's exact
//! message chain and the ID of the spec rule that produced it.

use std::fmt;

/// Why an artifact is not accepted: the rule that fired and the error chain
/// exactly as Wasmtime prints it, outermost message first.
///
/// Boxed so that `Result<_, Rejection>` stays one word on the accept path.
#[derive(Clone, PartialEq, Eq)]
pub struct Rejection(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    rule: &'static str,
    chain: Vec<String>,
}

impl Rejection {
    /// A rejection with a single message.
    #[cold]
    pub fn new(rule: &'static str, message: impl Into<String>) -> Self {
        Rejection(Box::new(Inner {
            rule,
            chain: vec![message.into()],
        }))
    }

    /// A rejection whose outermost message is `context`, caused by `cause`.
    #[cold]
    pub fn with_context(
        rule: &'static str,
        context: impl Into<String>,
        cause: impl Into<String>,
    ) -> Self {
        Rejection(Box::new(Inner {
            rule,
            chain: vec![context.into(), cause.into()],
        }))
    }

    /// The spec rule ID (`spec/`), e.g. `compat.tunables.epoch-interruption`.
    pub fn rule(&self) -> &'static str {
        self.0.rule
    }

    /// The error chain, outermost first, word for word as Wasmtime's
    /// `Error::chain()` renders it.
    pub fn chain(&self) -> &[String] {
        &self.0.chain
    }

    /// The phase of the check the deciding rule belongs to.
    pub fn phase(&self) -> Phase {
        if self.0.rule.split('.').next() == Some("load") {
            Phase::Load
        } else {
            Phase::Compatibility
        }
    }

    /// The outermost message.
    pub fn message(&self) -> &str {
        &self.0.chain[0]
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
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Compatibility => "compatibility",
            Phase::Load => "load",
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
        write!(f, "[{}] {}", self.0.rule, self.0.chain.join(": "))
    }
}

impl std::error::Error for Rejection {}
