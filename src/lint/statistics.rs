//! Finding counts per rule and per application, for the table at the end
//! of the human output and for `--statistics`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::registry::Finding;
use crate::diagnostic::Severity;
use crate::model::Project;

/// How many findings one rule, or one application, has.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Count {
    /// The rule's name, or the application's (`(no application)` for files
    /// outside every application).
    pub(crate) name: String,
    /// The rule's code; absent for an application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<&'static str>,
    pub(crate) findings: usize,
    pub(crate) error: usize,
    pub(crate) warning: usize,
    pub(crate) info: usize,
}

impl Count {
    fn add(&mut self, s: Severity) {
        self.findings += 1;
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }
}

/// Per rule, in code order; rules without findings are left out.
pub(crate) fn by_rule(findings: &[Finding]) -> Vec<Count> {
    let mut rows: BTreeMap<&str, Count> = BTreeMap::new();
    for f in findings {
        rows.entry(f.rule.code)
            .or_insert_with(|| Count {
                name: f.rule.name.to_owned(),
                code: Some(f.rule.code),
                ..Count::default()
            })
            .add(f.severity);
    }
    rows.into_values().collect()
}

/// Per application of the finding's file, most findings first, then by
/// name.
pub(crate) fn by_app(project: &Project, findings: &[Finding]) -> Vec<Count> {
    let mut rows: BTreeMap<String, Count> = BTreeMap::new();
    for f in findings {
        let name = crate::model::owning_app(&f.file, &project.apps)
            .map_or_else(|| "(no application)".to_owned(), |a| a.name.clone());
        rows.entry(name.clone())
            .or_insert_with(|| Count {
                name,
                ..Count::default()
            })
            .add(f.severity);
    }
    let mut out: Vec<Count> = rows.into_values().collect();
    out.sort_by(|a, b| {
        b.findings
            .cmp(&a.findings)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}
