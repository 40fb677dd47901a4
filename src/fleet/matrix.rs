//! A matrix of artifacts against hosts (r[fleet.matrix]): each cell is the
//! full check's verdict, as `check` gives it.

use crate::check::check;
use crate::error::Rejection;
use crate::host::Host;
use crate::Kind;

/// One host of a fleet.
#[derive(Clone, Debug)]
pub struct FleetHost {
    /// What the reports call it.
    pub name: String,
    pub host: Host,
    /// How many machines it stands for (1 when not said).
    pub count: u64,
}

/// The verdicts of every artifact (rows) on every host (columns).
#[derive(Clone, Debug)]
pub struct Matrix {
    pub cells: Vec<Vec<Result<(), Rejection>>>,
}

impl Matrix {
    /// Checks every artifact, as `kind` tells, on every host.
    pub fn build(artifacts: &[(&[u8], Kind)], hosts: &[FleetHost]) -> Matrix {
        let cells = artifacts
            .iter()
            .map(|(bytes, kind)| hosts.iter().map(|h| check(bytes, *kind, &h.host)).collect())
            .collect();
        Matrix { cells }
    }

    /// For each artifact, how many machines (hosts weighted by their
    /// count) can load it.
    pub fn loadable_counts(&self, hosts: &[FleetHost]) -> Vec<u64> {
        self.cells
            .iter()
            .map(|row| {
                row.iter()
                    .zip(hosts)
                    .filter(|(cell, _)| cell.is_ok())
                    .map(|(_, h)| h.count)
                    .sum()
            })
            .collect()
    }

    /// Whether every cell is accepted.
    pub fn all_accepted(&self) -> bool {
        self.cells.iter().flatten().all(Result::is_ok)
    }
}
