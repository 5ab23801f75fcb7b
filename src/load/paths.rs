//! Relative paths as discovery gives them (`/`-separated, `.` for the
//! root), shared by build.rs and mix.rs.

/// The folder of a relative path, `.` at the root.
pub(super) fn parent_dir(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel[..i].to_owned(),
        None => ".".to_owned(),
    }
}

/// `name` in folder `dir`.
pub(super) fn join(dir: &str, name: &str) -> String {
    if dir == "." {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}
