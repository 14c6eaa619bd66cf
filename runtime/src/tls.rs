//! The rustls crypto provider of the default TLS feature, `rustls-ring`.
//!
//! reqwest's `rustls-no-provider` (what `rustls-ring` turns on, so that aws-lc is not built)
//! reaches every crate of the build that uses reqwest 0.13, by feature unification. A
//! `reqwest::Client` built with it and no process-default provider panics. An application
//! that depends on reqwest with no TLS feature of its own, and builds its client before the
//! SDK's, used to hit that panic. So ring is installed as the process default when the
//! program is loaded, before `main`, on the platforms that run load-time initialisers (ELF,
//! Mach-O, Windows), and again, lazily, before the SDK builds a client elsewhere.
//! With `rustls-aws-lc` on too, reqwest carries its own provider and nothing is installed.

/// Makes ring the process's rustls provider unless one is installed already.
pub(crate) fn install_crypto_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    {
        // Deprecated since rustls 0.23.48 because ring has no post-quantum key exchange.
        // ring is this feature's whole point (no C build); `rustls-aws-lc` is the
        // post-quantum choice. `allow` keeps applications built with `-D warnings` building
        // against any 0.23 release.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        // An error only means a provider is installed already: that one is used.
        let _ = provider.install_default();
    }
}

#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
mod at_load {
    /// Runs when the program is loaded. It must not unwind: installing a provider allocates
    /// and sets a `OnceLock`, neither of which panics.
    extern "C" fn install() {
        super::install_crypto_provider();
    }

    // The platform loader calls every function pointer of these sections before `main`.
    // `#[used]` keeps the static (rustc links every `#[used]` static of a linked rlib).
    #[used]
    #[cfg_attr(
        any(
            target_os = "linux",
            target_os = "android",
            target_os = "freebsd",
            target_os = "netbsd",
            target_os = "openbsd",
            target_os = "dragonfly",
            target_os = "illumos",
            target_os = "solaris"
        ),
        unsafe(link_section = ".init_array")
    )]
    #[cfg_attr(
        target_vendor = "apple",
        unsafe(link_section = "__DATA,__mod_init_func")
    )]
    #[cfg_attr(windows, unsafe(link_section = ".CRT$XCU"))]
    static INSTALL: extern "C" fn() = install;
}
