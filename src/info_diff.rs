//! How the `.wasmtime.info` schema (`spec/info/vNN.json`) changed between
//! two releases: the two roots, and every named container reachable from
//! them, compared by name.
//!
//! Postcard writes no names and no field count: a struct is its fields in
//! order, an enum its variant's index (the wire tag) then the payload. So
//! a field added, removed, retyped or moved, and a variant added, removed,
//! renumbered or with another payload, each change the bytes.
//!
//! ```
//! use cwasm_spec::{info_diff::diff_info, Release};
//! let changes = diff_info(Release::V36, Release::V48);
//! assert!(changes.iter().any(|c| c.area == "info-schema.root" && c.name == "module"));
//! ```

use crate::diff::Change;
use crate::history::Release;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// A format as the diff shows it: `Option<Seq<u32>>`, `Map<Str, ModuleIndex>`,
/// a named type by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Format {
    /// A scalar or one of the tracer's own nodes, by its display name.
    Leaf(&'static str),
    Option(Box<Format>),
    Seq(Box<Format>),
    Map(Box<Format>, Box<Format>),
    Tuple(Vec<Format>),
    Array(Box<Format>, u64),
    Named(String),
    TrySecondaryMap(Box<Format>),
    CraneliftSecondaryMap(Box<Format>),
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Format::Leaf(name) => f.write_str(name),
            Format::Option(x) => write!(f, "Option<{x}>"),
            Format::Seq(x) => write!(f, "Seq<{x}>"),
            Format::Map(k, v) => write!(f, "Map<{k}, {v}>"),
            Format::Tuple(items) => write!(f, "({})", list(items)),
            Format::Array(x, n) => write!(f, "[{x}; {n}]"),
            Format::Named(name) => f.write_str(name),
            Format::TrySecondaryMap(x) => write!(f, "TrySecondaryMap<{x}>"),
            Format::CraneliftSecondaryMap(x) => write!(f, "CraneliftSecondaryMap<{x}>"),
        }
    }
}

impl Format {
    /// The named types this format refers to, in order.
    fn names<'f>(&'f self, out: &mut Vec<&'f str>) {
        match self {
            Format::Leaf(_) => {}
            Format::Named(name) => out.push(name),
            Format::Option(x)
            | Format::Seq(x)
            | Format::Array(x, _)
            | Format::TrySecondaryMap(x)
            | Format::CraneliftSecondaryMap(x) => x.names(out),
            Format::Map(k, v) => {
                k.names(out);
                v.names(out);
            }
            Format::Tuple(items) => items.iter().for_each(|x| x.names(out)),
        }
    }
}

fn list(items: &[Format]) -> String {
    items
        .iter()
        .map(Format::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A struct's body, or an enum variant's payload.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Body {
    Unit,
    Newtype(Format),
    Tuple(Vec<Format>),
    Struct(Vec<(String, Format)>),
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Unit => f.write_str("unit"),
            Body::Newtype(x) => write!(f, "({x})"),
            Body::Tuple(items) => write!(f, "({})", list(items)),
            Body::Struct(fields) => {
                let fields: Vec<String> = fields.iter().map(|(n, x)| format!("{n}: {x}")).collect();
                write!(f, "{{{}}}", fields.join(", "))
            }
        }
    }
}

impl Body {
    fn formats(&self) -> Vec<&Format> {
        match self {
            Body::Unit => vec![],
            Body::Newtype(x) => vec![x],
            Body::Tuple(items) => items.iter().collect(),
            Body::Struct(fields) => fields.iter().map(|(_, x)| x).collect(),
        }
    }
}

/// A named container of the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Container {
    Struct(Body),
    Enum(Vec<(String, Body)>),
}

/// Longer definitions are shown as a count.
const SHORT: usize = 72;

impl Container {
    /// The definition, or its size when long: `struct {a: u32}`,
    /// `enum of 12 variants`.
    fn summary(&self) -> String {
        let (full, count) = match self {
            Container::Struct(Body::Unit) => return "unit struct".into(),
            Container::Struct(Body::Newtype(x)) => (format!("newtype ({x})"), None),
            Container::Struct(body @ Body::Tuple(items)) => (
                format!("tuple struct {body}"),
                Some(format!("tuple struct of {} fields", items.len())),
            ),
            Container::Struct(body @ Body::Struct(fields)) => (
                format!("struct {body}"),
                Some(format!("struct of {} fields", fields.len())),
            ),
            Container::Enum(variants) => {
                let shown: Vec<String> = variants
                    .iter()
                    .map(|(name, payload)| match payload {
                        Body::Unit => name.clone(),
                        Body::Struct(_) => format!("{name} {payload}"),
                        _ => format!("{name}{payload}"),
                    })
                    .collect();
                (
                    format!("enum {{{}}}", shown.join(", ")),
                    Some(format!("enum of {} variants", variants.len())),
                )
            }
        };
        match count {
            Some(count) if full.len() > SHORT => count,
            _ => full,
        }
    }

    fn formats(&self) -> Vec<&Format> {
        match self {
            Container::Struct(body) => body.formats(),
            Container::Enum(variants) => variants.iter().flat_map(|(_, b)| b.formats()).collect(),
        }
    }
}

/// One major's schema, with names kept.
#[derive(Debug)]
struct Types {
    module: Format,
    component: Format,
    registry: BTreeMap<String, Container>,
}

impl Types {
    fn parse(json: &str) -> Result<Types, String> {
        let root: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let registry = root["registry"]
            .as_object()
            .ok_or("no `registry` object")?
            .iter()
            .map(|(name, c)| {
                Ok((
                    name.clone(),
                    container(c).map_err(|e| format!("{name}: {e}"))?,
                ))
            })
            .collect::<Result<_, String>>()?;
        Ok(Types {
            module: format(&root["module"]["format"])?,
            component: format(&root["component"]["format"])?,
            registry,
        })
    }

    /// The named types reachable from `roots`, each once, in the order a
    /// depth-first walk meets them.
    fn reachable<'t>(&'t self, roots: &[&'t Format], out: &mut Vec<&'t str>) {
        let mut stack: Vec<&str> = Vec::new();
        for root in roots.iter().rev() {
            let mut names = Vec::new();
            root.names(&mut names);
            stack.extend(names.into_iter().rev());
        }
        while let Some(name) = stack.pop() {
            if out.contains(&name) {
                continue;
            }
            out.push(name);
            if let Some(c) = self.registry.get(name) {
                let mut names = Vec::new();
                c.formats().into_iter().for_each(|f| f.names(&mut names));
                stack.extend(names.into_iter().rev());
            }
        }
    }
}

/// The parsed schema of `release`'s major, when there is one.
fn types(release: Release) -> Option<&'static Types> {
    static PARSED: OnceLock<Vec<(u32, Types)>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        crate::info::majors()
            .filter_map(|major| {
                let json = crate::info::schema_json(major)?;
                let types =
                    Types::parse(json).unwrap_or_else(|e| panic!("spec/info/v{major}.json: {e}"));
                Some((major, types))
            })
            .collect()
    });
    parsed
        .iter()
        .find(|(major, _)| *major == release.major())
        .map(|(_, t)| t)
}

fn leaf(name: &str) -> Option<&'static str> {
    Some(match name {
        "UNIT" => "()",
        "BOOL" => "bool",
        "I8" => "i8",
        "U8" => "u8",
        "I16" => "i16",
        "U16" => "u16",
        "I32" => "i32",
        "U32" => "u32",
        "I64" => "i64",
        "U64" => "u64",
        "I128" => "i128",
        "U128" => "u128",
        "F32" => "f32",
        "F64" => "f64",
        "CHAR" => "Char",
        "STR" => "Str",
        "BYTES" => "Bytes",
        "NONZERO_U32" => "NonZeroU32",
        "DISCRIMINANT_SIZE" => "DiscriminantSize",
        "SEMVER_VERSION" => "SemverVersion",
        _ => return None,
    })
}

fn format(v: &Value) -> Result<Format, String> {
    if let Some(name) = v.as_str() {
        return leaf(name)
            .map(Format::Leaf)
            .ok_or_else(|| format!("unknown format {name}"));
    }
    let (key, inner) = v
        .as_object()
        .and_then(|m| m.iter().next())
        .ok_or_else(|| format!("bad format {v}"))?;
    let boxed = |v: &Value| format(v).map(Box::new);
    Ok(match key.as_str() {
        "TYPENAME" => Format::Named(inner.as_str().ok_or("bad TYPENAME")?.to_string()),
        "OPTION" => Format::Option(boxed(inner)?),
        "SEQ" => Format::Seq(boxed(inner)?),
        "MAP" => Format::Map(boxed(&inner["KEY"])?, boxed(&inner["VALUE"])?),
        "TUPLE" => Format::Tuple(formats(inner)?),
        "TUPLEARRAY" => Format::Array(
            boxed(&inner["CONTENT"])?,
            inner["SIZE"].as_u64().ok_or("bad SIZE")?,
        ),
        "TRY_SECONDARY_MAP" => Format::TrySecondaryMap(boxed(inner)?),
        "CRANELIFT_SECONDARY_MAP" => Format::CraneliftSecondaryMap(boxed(inner)?),
        other => return Err(format!("unknown format {other}")),
    })
}

fn formats(v: &Value) -> Result<Vec<Format>, String> {
    v.as_array()
        .ok_or_else(|| format!("not a list: {v}"))?
        .iter()
        .map(format)
        .collect()
}

/// `[{name: format}]`.
fn fields(v: &Value) -> Result<Vec<(String, Format)>, String> {
    v.as_array()
        .ok_or_else(|| format!("not a list: {v}"))?
        .iter()
        .map(|field| {
            let (name, f) = field
                .as_object()
                .and_then(|m| m.iter().next())
                .ok_or_else(|| format!("bad field {field}"))?;
            Ok((name.clone(), format(f)?))
        })
        .collect()
}

fn container(v: &Value) -> Result<Container, String> {
    if v.as_str() == Some("UNITSTRUCT") {
        return Ok(Container::Struct(Body::Unit));
    }
    let (key, inner) = v
        .as_object()
        .and_then(|m| m.iter().next())
        .ok_or_else(|| format!("bad container {v}"))?;
    Ok(match key.as_str() {
        "NEWTYPESTRUCT" => Container::Struct(Body::Newtype(format(inner)?)),
        "TUPLESTRUCT" => Container::Struct(Body::Tuple(formats(inner)?)),
        "STRUCT" => Container::Struct(Body::Struct(fields(inner)?)),
        "ENUM" => {
            let variants = inner.as_object().ok_or("bad ENUM")?;
            let mut out = Vec::with_capacity(variants.len());
            for (i, (index, variant)) in variants.iter().enumerate() {
                if index.parse::<usize>() != Ok(i) {
                    return Err(format!("variant {index} out of order"));
                }
                let (name, v) = variant
                    .as_object()
                    .and_then(|m| m.iter().next())
                    .ok_or("bad variant")?;
                out.push((name.clone(), payload(v)?));
            }
            Container::Enum(out)
        }
        other => return Err(format!("unknown container {other}")),
    })
}

fn payload(v: &Value) -> Result<Body, String> {
    if v.as_str() == Some("UNIT") {
        return Ok(Body::Unit);
    }
    let (key, inner) = v
        .as_object()
        .and_then(|m| m.iter().next())
        .ok_or_else(|| format!("bad variant {v}"))?;
    match key.as_str() {
        "NEWTYPE" => Ok(Body::Newtype(format(inner)?)),
        "TUPLE" => Ok(Body::Tuple(formats(inner)?)),
        "STRUCT" => Ok(Body::Struct(fields(inner)?)),
        other => Err(format!("unknown variant {other}")),
    }
}

/// How the `.wasmtime.info` schema of `b`'s major differs from `a`'s, in
/// four areas:
///
/// - `info.root`: the module's or the component's top-level format;
/// - `info.types`: a named container `added` or `removed` (with its
///   definition, or its size when long), or `changed` from one kind to
///   another (a struct to an enum, a newtype's content…);
/// - `info.fields`: a struct's field, `Type.field` (or an enum variant's,
///   `Type::Variant.field`), `added` (with its position), `removed`,
///   `retyped` or `reordered`;
/// - `info.variants`: an enum's variant, `Type::Variant`, `added` or
///   `removed` (with its tag), `retagged` (its tag changed) or `retyped`
///   (its payload changed).
///
/// A retyped field, variant, newtype or root whose old and new formats
/// read the same bytes alike ends its new format with `(same encoding)`.
/// Types are those reachable from the two roots; a type whose definition
/// did not change is not listed even when a type it names did, nor is a
/// unit struct added or removed (it takes no bytes; the type holding it
/// is listed). Empty when either release has no schema.
pub fn diff_info(a: Release, b: Release) -> Vec<Change> {
    let mut out = Vec::new();
    let (Some(ta), Some(tb)) = (types(a), types(b)) else {
        return out;
    };
    let cx = &Wire {
        ta,
        tb,
        assumed: RefCell::new(Vec::new()),
    };
    for (name, fa, fb) in [
        ("module", &ta.module, &tb.module),
        ("component", &ta.component, &tb.component),
    ] {
        if fa != fb {
            out.push(
                Change::new("info-schema.root", "changed", name)
                    .values(fa.to_string(), cx.to(fb, fa, fb)),
            );
        }
    }
    let (mut ra, mut rb) = (Vec::new(), Vec::new());
    ta.reachable(&[&ta.module, &ta.component], &mut ra);
    tb.reachable(&[&tb.module, &tb.component], &mut rb);
    // B's types in the order B's roots reach them, then those only A has,
    // in A's order.
    let order = rb.iter().chain(ra.iter().filter(|n| !rb.contains(n)));
    for &name in order {
        let ca = ra.contains(&name).then(|| ta.registry.get(name)).flatten();
        let cb = rb.contains(&name).then(|| tb.registry.get(name)).flatten();
        match (ca, cb) {
            // A unit struct takes no bytes (`PhantomData<K>` in every
            // `PrimaryMap<K, V>`); the type that holds one is listed.
            (None, None)
            | (Some(Container::Struct(Body::Unit)), None)
            | (None, Some(Container::Struct(Body::Unit))) => {}
            (Some(x), None) => {
                out.push(Change::new("info-schema.types", "removed", name).values(x.summary(), ""))
            }
            (None, Some(y)) => {
                out.push(Change::new("info-schema.types", "added", name).values("", y.summary()))
            }
            (Some(x), Some(y)) => container_diff(cx, name, x, y, &mut out),
        }
    }
    out
}

fn container_diff(cx: &Wire, name: &str, a: &Container, b: &Container, out: &mut Vec<Change>) {
    match (a, b) {
        _ if a == b => {}
        (Container::Struct(Body::Struct(fa)), Container::Struct(Body::Struct(fb))) => {
            field_diff(cx, name, fa, fb, out)
        }
        (Container::Enum(va), Container::Enum(vb)) => variant_diff(cx, name, va, vb, out),
        (Container::Struct(x), Container::Struct(y)) => {
            let mut to = b.summary();
            if cx.same(&x.formats(), &y.formats()) {
                to.push_str(SAME);
            }
            out.push(Change::new("info-schema.types", "changed", name).values(a.summary(), to))
        }
        _ => out.push(
            Change::new("info-schema.types", "changed", name).values(a.summary(), b.summary()),
        ),
    }
}

fn position(fields: &[(String, Format)], i: usize) -> String {
    match i.checked_sub(1) {
        None => "first".into(),
        Some(p) => format!("after {}", fields[p].0),
    }
}

/// A struct's fields (or a struct variant's), by name.
fn field_diff(
    cx: &Wire,
    owner: &str,
    a: &[(String, Format)],
    b: &[(String, Format)],
    out: &mut Vec<Change>,
) {
    let find = |list: &[(String, Format)], n: &str| list.iter().position(|(m, _)| m == n);
    for (n, fa) in a {
        let name = format!("{owner}.{n}");
        match find(b, n) {
            None => out.push(
                Change::new("info-schema.fields", "removed", name).values(fa.to_string(), ""),
            ),
            Some(j) if b[j].1 != *fa => out.push(
                Change::new("info-schema.fields", "retyped", name)
                    .values(fa.to_string(), cx.to(&b[j].1, fa, &b[j].1)),
            ),
            Some(_) => {}
        }
    }
    for (j, (n, fb)) in b.iter().enumerate() {
        if find(a, n).is_none() {
            out.push(
                Change::new("info-schema.fields", "added", format!("{owner}.{n}"))
                    .values("", format!("{fb} ({})", position(b, j))),
            );
        }
    }
    // Fields read in another relative order: the common fields outside the
    // longest run both orders share.
    let common_a: Vec<&String> = a
        .iter()
        .map(|(n, _)| n)
        .filter(|n| find(b, n).is_some())
        .collect();
    let common_b: Vec<&String> = b
        .iter()
        .map(|(n, _)| n)
        .filter(|n| find(a, n).is_some())
        .collect();
    let kept = crate::diff::longest_common_subsequence(&common_a, &common_b);
    for n in common_b.iter().filter(|n| !kept.contains(n)) {
        let (i, j) = (find(a, n).unwrap_or(0), find(b, n).unwrap_or(0));
        out.push(
            Change::new("info-schema.fields", "reordered", format!("{owner}.{n}"))
                .values(position(a, i), position(b, j)),
        );
    }
}

/// An enum's variants, by name: the tag is the variant's index.
/// Consecutive variants whose tags all moved by the same amount (after a
/// variant added or removed before them) are one `retagged` change.
fn variant_diff(
    cx: &Wire,
    owner: &str,
    a: &[(String, Body)],
    b: &[(String, Body)],
    out: &mut Vec<Change>,
) {
    let find = |list: &[(String, Body)], n: &str| list.iter().position(|(m, _)| m == n);
    let tagged = |i: usize, body: &Body| match body {
        Body::Unit => format!("tag {i}"),
        _ => format!("tag {i} {body}"),
    };
    // (tag in a, tag in b) of the variants both have, in a's order.
    let mut moved: Vec<(usize, usize)> = Vec::new();
    for (i, (n, pa)) in a.iter().enumerate() {
        let name = format!("{owner}::{n}");
        let Some(j) = find(b, n) else {
            out.push(
                Change::new("info-schema.variants", "removed", name).values(tagged(i, pa), ""),
            );
            continue;
        };
        if i != j {
            moved.push((i, j));
        }
        let pb = &b[j].1;
        match (pa, pb) {
            _ if pa == pb => {}
            (Body::Struct(fa), Body::Struct(fb)) => field_diff(cx, &name, fa, fb, out),
            _ => {
                let mut to = pb.to_string();
                if cx.same(&pa.formats(), &pb.formats()) {
                    to.push_str(SAME);
                }
                out.push(
                    Change::new("info-schema.variants", "retyped", name).values(pa.to_string(), to),
                )
            }
        }
    }
    for (j, (n, pb)) in b.iter().enumerate() {
        if find(a, n).is_none() {
            out.push(
                Change::new("info-schema.variants", "added", format!("{owner}::{n}"))
                    .values("", tagged(j, pb)),
            );
        }
    }
    let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
    for (i, j) in moved {
        match runs.last_mut() {
            Some(run)
                if run
                    .last()
                    .is_some_and(|&(pi, pj)| pi + 1 == i && pj + 1 == j) =>
            {
                run.push((i, j))
            }
            _ => runs.push(vec![(i, j)]),
        }
    }
    for run in runs {
        let ((i0, j0), (i1, j1)) = (run[0], run[run.len() - 1]);
        let change = if run.len() == 1 {
            Change::new(
                "info-schema.variants",
                "retagged",
                format!("{owner}::{}", a[i0].0),
            )
            .values(format!("tag {i0}"), format!("tag {j0}"))
        } else {
            Change::new(
                "info-schema.variants",
                "retagged",
                format!("{owner}::{}..{} ({} variants)", a[i0].0, a[i1].0, run.len()),
            )
            .values(format!("tags {i0}-{i1}"), format!("tags {j0}-{j1}"))
        };
        out.push(change);
    }
}

/// Appended to the new format of a retyped field, variant, newtype or
/// root that postcard reads from the same bytes as the old.
const SAME: &str = " (same encoding)";

/// One part of a format as postcard reads it: structs, tuples and newtypes
/// are flattened into their fields and unit values dropped, so names do not
/// count (`PrimaryMap<K, V>`, a struct of `Seq<V>` and `PhantomData<K>`,
/// reads as `Seq<V>`).
#[derive(Clone, Copy)]
enum Atom<'t> {
    Leaf(&'static str),
    Option(&'t Format),
    Seq(&'t Format),
    Map(&'t Format, &'t Format),
    Array(&'t Format, u64),
    TrySecondaryMap(&'t Format),
    CraneliftSecondaryMap(&'t Format),
    Enum(&'t str),
    /// A type the registry does not have, or a struct too deep to flatten.
    Opaque,
}

/// Compares formats of two schemas by their encoding.
struct Wire<'t> {
    ta: &'t Types,
    tb: &'t Types,
    /// Pairs of enums being compared: assumed alike while they are, so
    /// that recursive types end.
    assumed: RefCell<Vec<(String, String)>>,
}

impl<'t> Wire<'t> {
    /// The new format's text, marked when it reads the same bytes alike.
    fn to(&self, shown: &Format, a: &Format, b: &Format) -> String {
        if self.same(&[a], &[b]) {
            format!("{shown}{SAME}")
        } else {
            shown.to_string()
        }
    }

    /// Whether `a` (in the first schema) and `b` (in the second) accept
    /// the same bytes and read them alike.
    fn same<'x>(&'x self, a: &[&'x Format], b: &[&'x Format]) -> bool {
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        a.iter().for_each(|f| flatten(f, self.ta, 0, &mut xs));
        b.iter().for_each(|f| flatten(f, self.tb, 0, &mut ys));
        xs.len() == ys.len() && xs.iter().zip(&ys).all(|(x, y)| self.same_atom(*x, *y))
    }

    fn same_atom<'x>(&'x self, x: Atom<'x>, y: Atom<'x>) -> bool {
        match (x, y) {
            (Atom::Leaf(p), Atom::Leaf(q)) => p == q,
            (Atom::Option(p), Atom::Option(q))
            | (Atom::Seq(p), Atom::Seq(q))
            | (Atom::TrySecondaryMap(p), Atom::TrySecondaryMap(q))
            | (Atom::CraneliftSecondaryMap(p), Atom::CraneliftSecondaryMap(q)) => {
                self.same(&[p], &[q])
            }
            (Atom::Map(pk, pv), Atom::Map(qk, qv)) => {
                self.same(&[pk], &[qk]) && self.same(&[pv], &[qv])
            }
            (Atom::Array(p, n), Atom::Array(q, m)) => n == m && self.same(&[p], &[q]),
            (Atom::Enum(p), Atom::Enum(q)) => {
                let pair = (p.to_string(), q.to_string());
                if self.assumed.borrow().contains(&pair) {
                    return true;
                }
                let (Some(Container::Enum(vp)), Some(Container::Enum(vq))) =
                    (self.ta.registry.get(p), self.tb.registry.get(q))
                else {
                    return false;
                };
                self.assumed.borrow_mut().push(pair.clone());
                let same = vp.len() == vq.len()
                    && vp
                        .iter()
                        .zip(vq)
                        .all(|((_, bp), (_, bq))| self.same(&bp.formats(), &bq.formats()));
                self.assumed.borrow_mut().retain(|assumed| *assumed != pair);
                same
            }
            _ => false,
        }
    }
}

/// `f`'s atoms in reading order.
fn flatten<'t>(f: &'t Format, types: &'t Types, depth: usize, out: &mut Vec<Atom<'t>>) {
    match f {
        Format::Leaf("()") => {}
        Format::Leaf(name) => out.push(Atom::Leaf(name)),
        Format::Option(x) => out.push(Atom::Option(x)),
        Format::Seq(x) => out.push(Atom::Seq(x)),
        Format::Map(k, v) => out.push(Atom::Map(k, v)),
        Format::Array(x, n) => out.push(Atom::Array(x, *n)),
        Format::TrySecondaryMap(x) => out.push(Atom::TrySecondaryMap(x)),
        Format::CraneliftSecondaryMap(x) => out.push(Atom::CraneliftSecondaryMap(x)),
        Format::Tuple(items) => items.iter().for_each(|x| flatten(x, types, depth, out)),
        Format::Named(name) => match types.registry.get(name) {
            Some(Container::Enum(_)) => out.push(Atom::Enum(name)),
            Some(Container::Struct(body)) if depth < 64 => body
                .formats()
                .into_iter()
                .for_each(|x| flatten(x, types, depth + 1, out)),
            _ => out.push(Atom::Opaque),
        },
    }
}

/// The releases where the `.wasmtime.info` schema differs from the
/// previous release's, oldest first: the first release of each such major.
pub fn info_changes() -> Vec<Release> {
    let all: Vec<Release> = Release::all().collect();
    all.windows(2)
        .filter(|pair| {
            pair[0].major() != pair[1].major() && !diff_info(pair[0], pair[1]).is_empty()
        })
        .map(|pair| pair[1])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn major(m: u32) -> Release {
        Release::from_major(m).unwrap()
    }

    fn lines(a: u32, b: u32) -> Vec<String> {
        diff_info(major(a), major(b))
            .iter()
            .map(|c| format!("{} {} {} [{}] [{}]", c.area, c.change, c.name, c.from, c.to))
            .collect()
    }

    #[test]
    fn a_major_against_itself_is_empty() {
        for m in crate::info::majors() {
            assert!(diff_info(major(m), major(m)).is_empty(), "{m}");
        }
    }

    #[test]
    fn the_module_root_gains_the_functions_table_in_38() {
        assert!(lines(37, 38).contains(
            &"info-schema.root changed module [(CompiledModuleInfo, ModuleTypes)] \
              [(CompiledModuleInfo, CompiledFunctionsTable, ModuleTypes)]"
                .to_string()
        ));
        assert!(!lines(38, 50)
            .iter()
            .any(|l| l.starts_with("info-schema.root")));
    }

    #[test]
    fn fields_variants_and_tags() {
        assert_eq!(
            lines(48, 49),
            ["info-schema.variants removed CoreDef::TaskMayBlock [tag 4] []"]
        );
        assert_eq!(
            lines(47, 48),
            ["info-schema.fields added ComponentExternData.external_id [] [Option<Str> (after implements)]"]
        );
        let l = lines(43, 44);
        assert!(l.contains(
            &"info-schema.variants added InterfaceType::Map [] [tag 17 (TypeMapIndex)]".into()
        ));
        assert!(l.contains(
            &"info-schema.variants retagged InterfaceType::Flags..FixedLengthList (10 variants) \
              [tags 17-26] [tags 18-27]"
                .into()
        ));
        let l43 = lines(42, 43);
        // A PrimaryMap<K, V> is a Seq<V> on the wire; WasmSubType's
        // fields changed in 43, so its sequence is not.
        assert!(l43.contains(
            &"info-schema.fields retyped Module.tables [PrimaryMap<TableIndex, Table>] \
              [Seq<Table> (same encoding)]"
                .into()
        ));
        assert!(l43.contains(
            &"info-schema.fields retyped ModuleTypes.wasm_types \
              [PrimaryMap<ModuleInternedTypeIndex, WasmSubType>] [Seq<WasmSubType>]"
                .into()
        ));
        // Struct variants' fields are compared one by one.
        assert!(l43.contains(
            &"info-schema.fields retyped Initializer::Import.name [Str] [NonZeroU32]".into()
        ));
    }

    #[test]
    fn majors_whose_schema_changes() {
        let majors: Vec<u32> = info_changes().iter().map(|r| r.major()).collect();
        let expected: Vec<u32> = (25..=50).filter(|m| ![34, 41].contains(m)).collect();
        assert_eq!(majors, expected);
    }
}
