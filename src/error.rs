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

    /// The outermost message.
    pub fn message(&self) -> &str {
        &self.0.chain[0]
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
