//! The one error type of the reference: a rejection with Wasmtime's exact
//! message chain and the ID of the spec rule that produced it.

use std::borrow::Cow;
use std::fmt;

/// Why an artifact is not accepted: the rule that fired and the error chain
/// exactly as Wasmtime prints it, outermost message first.
///
/// A rejection whose messages are fixed texts is built without allocating;
/// one with a built message boxes it, so that `Result<_, Rejection>` stays
/// small on the accept path.
#[derive(Clone)]
pub struct Rejection(Repr);

#[derive(Clone)]
enum Repr {
    /// Fixed texts: most rejections, and often the common answer.
    Static {
        rule: &'static str,
        /// The outermost message, when the chain has a cause.
        context: Option<&'static str>,
        message: &'static str,
    },
    /// A fixed context, if any, and a built message: one allocation, the
    /// message's own.
    Built {
        rule: &'static str,
        context: Option<&'static str>,
        message: String,
    },
    Boxed(Box<Inner>),
}

#[derive(Clone)]
struct Inner {
    rule: &'static str,
    context: Option<Cow<'static, str>>,
    message: Cow<'static, str>,
}

impl Rejection {
    /// A rejection with a single message.
    #[cold]
    pub fn new(rule: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        match message.into() {
            Cow::Borrowed(message) => Rejection::fixed(rule, message),
            Cow::Owned(message) => Rejection(Repr::Built {
                rule,
                context: None,
                message,
            }),
        }
    }

    /// A rejection whose outermost message is `context`, caused by `cause`.
    #[cold]
    pub fn with_context(
        rule: &'static str,
        context: impl Into<Cow<'static, str>>,
        cause: impl Into<Cow<'static, str>>,
    ) -> Self {
        match (context.into(), cause.into()) {
            (Cow::Borrowed(context), Cow::Borrowed(message)) => Rejection(Repr::Static {
                rule,
                context: Some(context),
                message,
            }),
            (Cow::Borrowed(context), Cow::Owned(message)) => Rejection(Repr::Built {
                rule,
                context: Some(context),
                message,
            }),
            (context, message) => Rejection(Repr::Boxed(Box::new(Inner {
                rule,
                context: Some(context),
                message,
            }))),
        }
    }

    /// A rejection with a single fixed message: never allocates.
    #[cold]
    pub(crate) const fn fixed(rule: &'static str, message: &'static str) -> Self {
        Rejection(Repr::Static {
            rule,
            context: None,
            message,
        })
    }

    /// A rejection whose single message is `parts` end to end, built in
    /// one allocation without formatting.
    #[cold]
    pub(crate) fn joined(rule: &'static str, parts: &[&str]) -> Self {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut message = String::with_capacity(len);
        for part in parts {
            message.push_str(part);
        }
        Rejection::new(rule, message)
    }

    /// The spec rule ID (`spec/`), e.g. `compat.tunables.epoch-interruption`.
    pub fn rule(&self) -> &'static str {
        match &self.0 {
            Repr::Static { rule, .. } | Repr::Built { rule, .. } => rule,
            Repr::Boxed(inner) => inner.rule,
        }
    }

    /// The outermost message when the chain has a cause, and the innermost.
    fn parts(&self) -> (Option<&str>, &str) {
        match &self.0 {
            Repr::Static {
                context, message, ..
            } => (*context, message),
            Repr::Built {
                context, message, ..
            } => (*context, message),
            Repr::Boxed(inner) => (inner.context.as_deref(), &inner.message),
        }
    }

    /// The error chain, outermost first, word for word as Wasmtime's
    /// `Error::chain()` renders it.
    pub fn chain(&self) -> Vec<String> {
        let (context, message) = self.parts();
        context
            .into_iter()
            .chain(std::iter::once(message))
            .map(str::to_string)
            .collect()
    }

    /// The phase of the check the deciding rule belongs to.
    pub fn phase(&self) -> Phase {
        match self.rule().split('.').next() {
            Some("load") => Phase::Load,
            Some("info") => Phase::ModuleInfo,
            _ => Phase::Compatibility,
        }
    }

    /// The outermost message.
    pub fn message(&self) -> &str {
        let (context, message) = self.parts();
        context.unwrap_or(message)
    }
}

/// Equal when the rule and the chain are, however they are stored.
impl PartialEq for Rejection {
    fn eq(&self, other: &Self) -> bool {
        self.rule() == other.rule() && self.parts() == other.parts()
    }
}

impl Eq for Rejection {}

/// postcard's `Display` text of the errors the reader raises, without
/// allocating; any other error's text is formatted.
pub(crate) fn postcard_message(e: postcard::Error) -> Cow<'static, str> {
    use postcard::Error::*;
    Cow::Borrowed(match e {
        DeserializeUnexpectedEnd => "Hit the end of buffer, expected more data",
        DeserializeBadVarint => {
            "Found a varint that didn't terminate. Is the usize too big for this platform?"
        }
        DeserializeBadBool => "Found a bool that wasn't 0 or 1",
        DeserializeBadUtf8 => "Tried to parse invalid utf-8",
        DeserializeBadOption => "Found an Option discriminant that wasn't 0 or 1",
        SerdeDeCustom => "Serde Deserialization Error",
        other => return Cow::Owned(other.to_string()),
    })
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
        write!(f, "[{}] {}", self.rule(), self.chain().join(": "))
    }
}

impl std::error::Error for Rejection {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcard_messages_are_postcards() {
        use postcard::Error::*;
        for e in [
            DeserializeUnexpectedEnd,
            DeserializeBadVarint,
            DeserializeBadBool,
            DeserializeBadUtf8,
            DeserializeBadOption,
            SerdeDeCustom,
            DeserializeBadEncoding,
        ] {
            assert_eq!(postcard_message(e.clone()), e.to_string());
        }
    }

    #[test]
    fn fixed_and_boxed_compare_by_content() {
        let fixed = Rejection::new("section.find", "no");
        let boxed = Rejection::new("section.find", String::from("no"));
        assert!(matches!(fixed.0, Repr::Static { .. }));
        assert!(matches!(boxed.0, Repr::Built { .. }));
        assert_eq!(fixed, boxed);
        assert_eq!(fixed.chain(), vec!["no".to_string()]);
        let chained = Rejection::with_context("elf.parse", "outer", String::from("inner"));
        assert_eq!(
            chained,
            Rejection::with_context("elf.parse", "outer", "inner")
        );
        assert_eq!(chained.message(), "outer");
        assert_eq!(
            chained.chain(),
            vec!["outer".to_string(), "inner".to_string()]
        );
    }
}
