//! Answers for fleets: named CPUs, host profiles without a witness, the
//! lowest CPU level an artifact needs, a stable compatibility key, and a
//! matrix of artifacts against hosts.

pub mod cpus;
pub mod explain;
pub mod key;
pub mod level;
pub mod matrix;
pub mod options;
pub mod profile;
