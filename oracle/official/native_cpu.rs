//! Prints, as a JSON list, the x86-64 detector names Wasmtime asks about
//! that `std::is_x86_feature_detected!` answers yes to on this machine.
//! Built by record.py with `rustc -O` into a temporary directory.

fn main() {
    let mut yes: Vec<&str> = Vec::new();
    macro_rules! probe {
        ($($name:tt),*) => {
            $( if std::is_x86_feature_detected!($name) { yes.push($name); } )*
        };
    }
    probe!(
        "cmpxchg16b", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "fma",
        "avxvnni", "bmi1", "bmi2", "avx512bitalg", "avx512dq", "avx512f", "avx512vl",
        "avx512vbmi", "avx512vnni", "lzcnt"
    );
    let quoted: Vec<String> = yes.iter().map(|n| format!("\"{n}\"")).collect();
    println!("[{}]", quoted.join(", "));
}
