//! OTP's own applications: which names are OTP, and what the `.app`
//! files of an installation say (so `ssl` pulls in `crypto`,
//! `public_key` and `asn1`). The loading stage reads an installation
//! (`load::otp`); the application graph reads this.
//!
//! Without an installation, OTP apps are leaves and [`OTP_25_APPS`] alone
//! decides whether a name is OTP or missing.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The applications of OTP 25: the directory names of its `lib/`, without
/// versions. Used to tell an OTP app from a missing one when no OTP
/// installation is read.
const OTP_25_APPS: &[&str] = &[
    "asn1",
    "common_test",
    "compiler",
    "crypto",
    "debugger",
    "dialyzer",
    "diameter",
    "edoc",
    "eldap",
    "erl_docgen",
    "erl_interface",
    "erts",
    "et",
    "eunit",
    "ftp",
    "inets",
    "jinterface",
    "kernel",
    "megaco",
    "mnesia",
    "observer",
    "odbc",
    "os_mon",
    "parsetools",
    "public_key",
    "reltool",
    "runtime_tools",
    "sasl",
    "snmp",
    "ssh",
    "ssl",
    "stdlib",
    "syntax_tools",
    "tftp",
    "tools",
    "wx",
    "xmerl",
];

/// Whether `name` is an application of OTP 25.
fn is_otp_25_app(name: &str) -> bool {
    OTP_25_APPS.binary_search(&name).is_ok()
}

/// An OTP application read from an installation's `.app` file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OtpApp {
    pub(crate) name: String,
    pub(crate) vsn: Option<String>,
    /// Has a `mod` callback.
    pub(crate) regular: bool,
    pub(crate) applications: Vec<String>,
    pub(crate) included_applications: Vec<String>,
    pub(crate) optional_applications: Vec<String>,
}

/// What otpmap knows about OTP: the apps of one installation, or none.
#[derive(Debug, Clone, Default)]
pub struct OtpLibrary {
    /// The `lib` directory read, if any.
    pub(crate) lib_dir: Option<PathBuf>,
    apps: BTreeMap<String, OtpApp>,
}

impl OtpLibrary {
    /// No installation: OTP apps are leaves, known by name only.
    pub fn none() -> OtpLibrary {
        OtpLibrary::default()
    }

    /// The installation in `lib_dir`, its apps read by the loading stage.
    pub(crate) fn new(lib_dir: PathBuf, apps: BTreeMap<String, OtpApp>) -> OtpLibrary {
        OtpLibrary {
            lib_dir: Some(lib_dir),
            apps,
        }
    }

    /// The app's `.app` data, when an installation was read and has it.
    pub(crate) fn get(&self, name: &str) -> Option<&OtpApp> {
        self.apps.get(name)
    }

    /// Whether `name` is an OTP application: in the installation read, or
    /// in OTP 25's list (an installation may lack optional packages such as
    /// `wx` and still be the OTP a release is built with).
    pub(crate) fn is_otp(&self, name: &str) -> bool {
        self.apps.contains_key(name) || is_otp_25_app(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otp_list_is_sorted_for_binary_search() {
        let mut sorted = OTP_25_APPS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, OTP_25_APPS);
        assert!(is_otp_25_app("ssl"));
        assert!(!is_otp_25_app("cowboy"));
    }
}
