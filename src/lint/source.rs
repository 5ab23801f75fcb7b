//! Reading a project file's source text by path, for the rules, the
//! baseline's fingerprints and the renderers that show code.

use crate::model::Project;
use crate::syntax::SourceFile;

/// The source text of a project file (module or header) by relative path,
/// for renderers that show code.
pub(crate) fn source_file<'a>(project: &'a Project, path: &str) -> Option<&'a SourceFile> {
    if let Some(h) = project.sources.headers.get(path) {
        return Some(&h.file);
    }
    project
        .sources
        .modules
        .iter()
        .find(|m| m.file == path)
        .map(|m| &*m.index.file)
}
