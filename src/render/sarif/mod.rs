//! SARIF 2.1.0 output (Static Analysis Results Interchange Format), for
//! GitHub code scanning and other SARIF viewers.

pub mod lint;
