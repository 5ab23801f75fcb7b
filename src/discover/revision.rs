//! A git revision of the project, laid out in a temporary folder for the
//! pipeline to read like any checkout: `git archive` of the revision, so
//! the work tree, the index and the branches are never touched.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};

/// Runs git in `dir` and returns its trimmed standard output.
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("cannot run git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The git repository a project folder is in.
#[derive(Debug, Clone)]
pub(crate) struct Repository {
    /// The folder the project is in (as given).
    dir: PathBuf,
    /// The project folder relative to the repository's top, `/`-separated,
    /// ending in `/`; empty at the top.
    prefix: String,
}

impl Repository {
    /// The repository holding `dir`, or an error that says what to do.
    pub(crate) fn open(dir: &Path) -> anyhow::Result<Repository> {
        if !dir.is_dir() {
            bail!("{}: no such directory", dir.display());
        }
        let prefix = git(dir, &["rev-parse", "--show-prefix"]).map_err(|_| {
            anyhow::anyhow!(
                "{} is not in a git repository: otpmap diff compares git revisions \
                 (git init, or pass the folder of a checkout)",
                dir.display()
            )
        })?;
        Ok(Repository {
            dir: dir.to_owned(),
            prefix,
        })
    }

    /// The full commit id of a revision, or an error naming it.
    pub(crate) fn resolve(&self, rev: &str) -> anyhow::Result<String> {
        git(
            &self.dir,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map_err(|_| anyhow::anyhow!("`{rev}` is not a revision of this repository"))
    }

    /// Whether `arg` names a revision here.
    fn is_revision(&self, arg: &str) -> bool {
        self.resolve(arg).is_ok()
    }

    /// The default base: where HEAD left the default branch (the remote's
    /// HEAD, else `main`, else `master`); HEAD itself on that branch.
    pub(crate) fn default_base(&self) -> anyhow::Result<(String, String)> {
        let remote = git(
            &self.dir,
            &[
                "symbolic-ref",
                "--quiet",
                "--short",
                "refs/remotes/origin/HEAD",
            ],
        )
        .ok();
        let branch = remote
            .into_iter()
            .chain(["main".to_owned(), "master".to_owned()])
            .find(|b| self.is_revision(b));
        match branch {
            Some(b) => {
                let base = git(&self.dir, &["merge-base", "HEAD", &b])
                    .with_context(|| format!("no common ancestor of HEAD and {b}"))?;
                Ok((format!("merge-base of HEAD and {b}"), base))
            }
            None => {
                let head = self
                    .resolve("HEAD")
                    .context("the repository has no commit yet")?;
                Ok(("HEAD".to_owned(), head))
            }
        }
    }

    /// The project folder as it is at `commit`, extracted under `into`;
    /// returns the folder to read.
    pub(crate) fn checkout(&self, commit: &str, into: &Path) -> anyhow::Result<PathBuf> {
        let top = git(&self.dir, &["rev-parse", "--show-toplevel"])?;
        let mut archive = Command::new("git")
            .arg("-C")
            .arg(&top)
            .args(["archive", "--format=tar", commit])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot run git archive")?;
        let stdout = archive.stdout.take().context("git archive has no output")?;
        let tar = Command::new("tar")
            .arg("-x")
            .arg("-C")
            .arg(into)
            .stdin(stdout)
            .output()
            .context("cannot run tar to unpack the revision")?;
        let status = archive.wait()?;
        if !status.success() || !tar.status.success() {
            bail!(
                "cannot unpack revision {commit}: {}",
                String::from_utf8_lossy(&tar.stderr).trim()
            );
        }
        let dir = into.join(self.prefix.trim_end_matches('/'));
        if !dir.is_dir() {
            bail!("{} does not exist at revision {commit}", self.prefix);
        }
        Ok(dir)
    }
}
