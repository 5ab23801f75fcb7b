//! GitLab's code quality report: the subset of the Code Climate issue format
//! that GitLab reads (`description`, `check_name`, `fingerprint`,
//! `severity`, `location.path`, `location.lines.begin`), as one JSON array.

pub(crate) mod lint;
