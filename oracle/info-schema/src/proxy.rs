//! A pass-through `Deserializer` around serde-reflection's, for two things
//! serde-reflection does not do on its own:
//!
//! - It names a container by its serde name only, so the instances of a
//!   generic type (`Range<u32>` and `Range<u64>`, cranelift's
//!   `PrimaryMap<K, V>`) would be one container and fail to unify. The proxy
//!   appends the generic arguments of the container's visitor type
//!   (`std::any::type_name`) to the name: `Range<u32>`.
//! - It records every enum it meets with its variant list, so the driver can
//!   check that tracing found every variant.
//!
//! Everything else is forwarded unchanged: the visitor, and every
//! deserializer, access and seed that reaches it, is wrapped so that nested
//! values go through the proxy too.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_reflection::{Format, Samples, Tracer};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

thread_local! {
    static NAMES: RefCell<BTreeMap<(&'static str, &'static str), &'static str>> = RefCell::default();
    /// Every enum met, by (renamed) name: its variant names in index order.
    pub static ENUMS: RefCell<BTreeMap<String, &'static [&'static str]>> = RefCell::default();
    /// The visitor type behind each (renamed) container name, and the names
    /// two different visitor types claimed.
    static OWNERS: RefCell<BTreeMap<&'static str, &'static str>> = RefCell::default();
    pub static CLASHES: RefCell<Vec<String>> = RefCell::default();
    /// Every type deserialized as an element, a field, a map key or value,
    /// or a newtype variant's payload, in the order first met, with the
    /// function that traces it on its own.
    pub static TYPES: RefCell<Vec<(&'static str, TraceFn)>> = RefCell::default();
}

/// One tracing pass over a type.
pub type TraceFn = fn(&mut Tracer, &'static Samples) -> serde_reflection::Result<Format>;

/// One tracing pass over `T`, through the proxy.
pub fn trace_once<T: de::Deserialize<'static>>(
    tracer: &mut Tracer,
    samples: &'static Samples,
) -> serde_reflection::Result<Format> {
    tracer
        .trace_type_once_with_seed(samples, Root::<T>::new())
        .map(|(format, _)| format)
}

/// The containers with fields deserialized by a function of their own
/// (`#[serde(deserialize_with)]`, `#[serde(with)]`), and what the function
/// does beyond its format. Any other such field stops the tracer.
const DESERIALIZE_WITH: &[(&str, With)] = &[
    // `crate::types::deserialize_boxed_slice`: a `TryVec`, as a sequence.
    ("WasmFuncType", With::Plain),
    ("WasmStructType", With::Plain),
    ("WasmExnType", With::Plain),
    ("WasmRecGroup", With::Plain),
    ("TableSegmentElements", With::Plain),
    // `serde_discrim_size`: a u32 that must be 1, 2 or 4.
    ("VariantInfo", With::DiscriminantSize),
];

/// The container of a derived impl's `__DeserializeWith` wrapper type:
/// `...<impl Deserialize<'_> for a::b::VariantInfo>::deserialize::...` gives
/// `VariantInfo`.
fn with_container(name: &str) -> Option<&str> {
    let start = name.find("> for ")? + "> for ".len();
    let end = start + name[start..].find(">::deserialize")?;
    name[start..end].rsplit("::").next()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum With {
    Plain,
    DiscriminantSize,
}

thread_local! {
    /// Set while a cranelift secondary map's default is read.
    static SOME_DEFAULT: RefCell<bool> = const { RefCell::new(false) };
    /// Set while a `With::DiscriminantSize` field is read.
    static DISCRIMINANT_SIZE: RefCell<bool> = const { RefCell::new(false) };
}

fn register<T: de::Deserialize<'static>>() {
    let name = std::any::type_name::<T>();
    if std::env::var_os("TRACE_TYPES").is_some() {
        eprintln!("{name}");
    }
    if name.contains("::__DeserializeWith") {
        let container = with_container(name);
        let with = DESERIALIZE_WITH
            .iter()
            .find(|(c, _)| Some(*c) == container)
            .map(|(_, with)| *with)
            .unwrap_or_else(|| {
                panic!("a field deserialized with a function not described: {name}")
            });
        DISCRIMINANT_SIZE.with(|d| *d.borrow_mut() = with == With::DiscriminantSize);
        // Its format is the function's: traced where it is met.
        return;
    }
    TYPES.with(|types| {
        let mut types = types.borrow_mut();
        if !types.iter().any(|(n, _)| *n == name) {
            types.push((name, trace_once::<T>));
        }
    });
}

/// `name`, with the generic arguments of visitor type `V` appended when it
/// has any.
fn rename<V>(name: &'static str) -> &'static str {
    let ty = std::any::type_name::<V>();
    let renamed = NAMES.with(|names| {
        *names
            .borrow_mut()
            .entry((name, ty))
            .or_insert_with(|| match generic_args(ty) {
                Some(args) if !short_paths(args).is_empty() => {
                    Box::leak(format!("{name}<{}>", short_paths(args)).into_boxed_str())
                }
                _ => name,
            })
    });
    OWNERS.with(|owners| {
        let owner = *owners.borrow_mut().entry(renamed).or_insert(ty);
        if owner != ty {
            CLASHES.with(|c| c.borrow_mut().push(format!("{renamed}: {owner} and {ty}")));
        }
    });
    renamed
}

/// The generic arguments of the last path segment of a type name:
/// `a::B<c::D, u32>` gives `c::D, u32`.
fn generic_args(ty: &str) -> Option<&str> {
    if !ty.ends_with('>') {
        return None;
    }
    let mut depth = 0;
    for (i, c) in ty.char_indices().rev() {
        match c {
            '>' => depth += 1,
            '<' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&ty[i + 1..ty.len() - 1]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Every path in `s` shortened to its last segment, without lifetimes.
fn short_paths(s: &str) -> String {
    let s: Vec<&str> = s.split(", ").filter(|arg| !arg.starts_with('\'')).collect();
    let s = s.join(", ");
    let mut out = String::new();
    let mut word = String::new();
    for c in s.chars().chain(std::iter::once('\0')) {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
            continue;
        }
        out.push_str(word.rsplit("::").next().unwrap_or(""));
        word.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// Marker container names for values whose hand-written `Deserialize`
/// refuses some encodings that decode as their plain format.
pub const NONZERO_U32: &str = "<NonZeroU32>";
pub const DISCRIMINANT_SIZE_U32: &str = "<DiscriminantSize>";
pub const SEMVER_VERSION: &str = "<semver::Version>";
pub const TRY_SECONDARY_MAP: &str = "<TrySecondaryMap>";
pub const CRANELIFT_SECONDARY_MAP: &str = "<cranelift_entity::SecondaryMap>";
/// The default of a cranelift secondary map: an `Option` read as `Some`.
pub const SOME_DEFAULT_OPTION: &str = "<SomeDefault>";

fn is_nonzero<V>() -> bool {
    std::any::type_name::<V>().contains("NonZero")
}

/// What a marker container's visitor does with its newtype.
enum Then {
    U32,
    Version,
    Some,
}

/// The visitor of a marker container: unwraps the newtype and reads the
/// value inside as `Then` says.
struct Marked<V>(Then, V);

impl<V: Visitor<'static>> Visitor<'static> for Marked<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.1.expecting(f)
    }

    fn visit_newtype_struct<D: Deserializer<'static>>(self, d: D) -> Result<V::Value, D::Error> {
        match self.0 {
            Then::U32 => d.deserialize_u32(self.1),
            Then::Version => d.deserialize_str(AVersion(self.1)),
            Then::Some => self.1.visit_some(d),
        }
    }
}

/// Hands the visitor a valid version in place of the tracer's string.
struct AVersion<V>(V);

impl<V: Visitor<'static>> Visitor<'static> for AVersion<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<V::Value, E> {
        self.0.visit_str("1.0.0")
    }

    fn visit_borrowed_str<E: de::Error>(self, _: &'static str) -> Result<V::Value, E> {
        self.0.visit_str("1.0.0")
    }

    fn visit_string<E: de::Error>(self, _: String) -> Result<V::Value, E> {
        self.0.visit_str("1.0.0")
    }
}

/// The proxy deserializer.
pub struct Proxy<D>(pub D);

/// A wrapped visitor, seed or access.
pub struct Wrap<T>(T);

macro_rules! forward_deserialize {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Wrap(visitor))
        }
    )*};
}

impl<D: Deserializer<'static>> Deserializer<'static> for Proxy<D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_map
        deserialize_identifier deserialize_ignored_any
    );

    fn deserialize_u32<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, D::Error> {
        if DISCRIMINANT_SIZE.with(|d| std::mem::take(&mut *d.borrow_mut())) {
            // 1, 2 or 4; anything else is a custom error.
            return self.0.deserialize_newtype_struct(
                DISCRIMINANT_SIZE_U32,
                Marked(Then::U32, Wrap(visitor)),
            );
        }
        if is_nonzero::<V>() {
            // `NonZeroU32` refuses 0 (a custom error): the format is a
            // marker container around the u32.
            return self
                .0
                .deserialize_newtype_struct(NONZERO_U32, Marked(Then::U32, Wrap(visitor)));
        }
        self.0.deserialize_u32(Wrap(visitor))
    }

    fn deserialize_i32<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, D::Error> {
        assert!(!is_nonzero::<V>(), "NonZeroI32 is not modelled");
        self.0.deserialize_i32(Wrap(visitor))
    }

    fn deserialize_option<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, D::Error> {
        if SOME_DEFAULT.with(|d| std::mem::take(&mut *d.borrow_mut())) {
            let name = rename::<V>(SOME_DEFAULT_OPTION);
            return self
                .0
                .deserialize_newtype_struct(name, Marked(Then::Some, Wrap(visitor)));
        }
        self.0.deserialize_option(Wrap(visitor))
    }

    fn deserialize_str<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, D::Error> {
        if std::any::type_name::<V>().starts_with("semver::") {
            // `semver::Version` parses the string and refuses one that is
            // not a version (a custom error): a marker container, and a
            // version for the visitor.
            return self
                .0
                .deserialize_newtype_struct(SEMVER_VERSION, Marked(Then::Version, Wrap(visitor)));
        }
        self.0.deserialize_str(Wrap(visitor))
    }

    fn deserialize_seq<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let ty = std::any::type_name::<V>();
        let cranelift = ty.contains("::SecondaryMapVisitor");
        if cranelift || ty.contains("::secondary_map::") {
            // A secondary map is a sequence whose first element (the
            // default) is read differently from the others, and that may
            // not be empty. Traced as a two-element tuple struct, so that
            // both elements are seen on every pass; the driver turns it
            // into a `SECONDARY_MAP` node.
            let flavour = if cranelift {
                // Its default is read as an `Option` that must be `Some`:
                // the tracer would answer `None` once it knows the format.
                SOME_DEFAULT.with(|d| *d.borrow_mut() = true);
                CRANELIFT_SECONDARY_MAP
            } else {
                TRY_SECONDARY_MAP
            };
            let name = rename::<V>(flavour);
            return self.0.deserialize_tuple_struct(name, 2, Wrap(visitor));
        }
        self.0.deserialize_seq(Wrap(visitor))
    }

    fn deserialize_unit_struct<V: Visitor<'static>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_unit_struct(rename::<V>(name), Wrap(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'static>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_newtype_struct(rename::<V>(name), Wrap(visitor))
    }

    fn deserialize_tuple<V: Visitor<'static>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'static>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_tuple_struct(rename::<V>(name), len, Wrap(visitor))
    }

    fn deserialize_struct<V: Visitor<'static>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_struct(rename::<V>(name), fields, Wrap(visitor))
    }

    fn deserialize_enum<V: Visitor<'static>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let name = rename::<V>(name);
        ENUMS.with(|e| e.borrow_mut().insert(name.to_string(), variants));
        self.0.deserialize_enum(name, variants, Wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<V: Visitor<'static>> Visitor<'static> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_visit!(
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char)
        visit_str(&str) visit_borrowed_str(&'static str) visit_string(String)
        visit_bytes(&[u8]) visit_borrowed_bytes(&'static [u8]) visit_byte_buf(Vec<u8>)
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'static>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Proxy(d))
    }

    fn visit_newtype_struct<D: Deserializer<'static>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Proxy(d))
    }

    fn visit_seq<A: SeqAccess<'static>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    fn visit_map<A: MapAccess<'static>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    fn visit_enum<A: EnumAccess<'static>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data))
    }
}

impl<S: DeserializeSeed<'static>> DeserializeSeed<'static> for Wrap<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'static>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Proxy(d))
    }
}

impl<A: SeqAccess<'static>> SeqAccess<'static> for Wrap<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'static>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Wrap(seed))
    }

    fn next_element<T: de::Deserialize<'static>>(&mut self) -> Result<Option<T>, A::Error> {
        register::<T>();
        self.next_element_seed(std::marker::PhantomData)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<A: MapAccess<'static>> MapAccess<'static> for Wrap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'static>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Wrap(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'static>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Wrap(seed))
    }

    fn next_key<K: de::Deserialize<'static>>(&mut self) -> Result<Option<K>, A::Error> {
        register::<K>();
        self.next_key_seed(std::marker::PhantomData)
    }

    fn next_value<V: de::Deserialize<'static>>(&mut self) -> Result<V, A::Error> {
        register::<V>();
        self.next_value_seed(std::marker::PhantomData)
    }

    fn next_entry<K: de::Deserialize<'static>, V: de::Deserialize<'static>>(
        &mut self,
    ) -> Result<Option<(K, V)>, A::Error> {
        register::<K>();
        register::<V>();
        self.next_entry_seed(std::marker::PhantomData, std::marker::PhantomData)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<A: EnumAccess<'static>> EnumAccess<'static> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'static>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Wrap(seed))?;
        Ok((value, Wrap(variant)))
    }
}

impl<A: VariantAccess<'static>> VariantAccess<'static> for Wrap<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'static>>(
        self,
        seed: T,
    ) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Wrap(seed))
    }

    fn newtype_variant<T: de::Deserialize<'static>>(self) -> Result<T, A::Error> {
        register::<T>();
        self.newtype_variant_seed(std::marker::PhantomData)
    }

    fn tuple_variant<V: Visitor<'static>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    fn struct_variant<V: Visitor<'static>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap(visitor))
    }
}

/// The seed that deserializes a `T` through the proxy.
pub struct Root<T>(std::marker::PhantomData<T>);

impl<T> Root<T> {
    pub fn new() -> Self {
        Root(std::marker::PhantomData)
    }
}

impl<T> Clone for Root<T> {
    fn clone(&self) -> Self {
        Root::new()
    }
}

impl<T: de::Deserialize<'static>> DeserializeSeed<'static> for Root<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'static>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize(Proxy(d))
    }
}
