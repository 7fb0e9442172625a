//! The builder options the test director and the test file daemon share.

/// The setters both daemon builders have, written into their `impl` blocks: faults, the
/// pause after an authentication failure, the TLS protocol range, the certificate, and
/// the listening address. The builder has `addr` and a `config` with `faults`,
/// `auth_failure_delay`, `tls` and `certificates`; the doc texts that differ are given.
macro_rules! shared_daemon_setters {
    (fault: $fault_doc:literal, auth_failure_delay: $delay_doc:literal, tls_certificate: $certificate_doc:literal $(,)?) => {
        #[doc = $fault_doc]
        pub fn fault(mut self, fault: $crate::FaultSpec) -> Self {
            self.config.faults.0.push(fault);
            self
        }

        #[doc = $delay_doc]
        pub fn auth_failure_delay(mut self, delay: std::time::Duration) -> Self {
            self.config.auth_failure_delay = delay;
            self
        }

        /// The TLS protocol range accepted (default TLS 1.2 to 1.3).
        pub fn tls_versions(mut self, min: $crate::TlsVersion, max: $crate::TlsVersion) -> Self {
            self.config.tls.min = min;
            self.config.tls.max = max;
            self
        }

        #[doc = $certificate_doc]
        pub fn tls_certificate(
            mut self,
            cert: impl Into<std::path::PathBuf>,
            key: impl Into<std::path::PathBuf>,
        ) -> Self {
            self.config.certificates.cert_and_key = Some((cert.into(), key.into()));
            self
        }

        /// The listening address (default `127.0.0.1:0`).
        pub fn bind(mut self, addr: std::net::SocketAddr) -> Self {
            self.addr = addr;
            self
        }

        /// The listening port on 127.0.0.1 (default 0: any free port).
        pub fn port(mut self, port: u16) -> Self {
            self.addr.set_port(port);
            self
        }
    };
}

pub(crate) use shared_daemon_setters;

/// What a running daemon (a `server` and its `recorder`) offers, for both daemons: its
/// address and port, the recorded frames, shutdown, and a `Debug` that shows the address.
macro_rules! running_daemon {
    ($daemon:ident) => {
        impl std::fmt::Debug for $daemon {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($daemon))
                    .field("addr", &self.server.addr())
                    .finish()
            }
        }

        impl $daemon {
            /// The address it listens on.
            pub fn addr(&self) -> std::net::SocketAddr {
                self.server.addr()
            }

            /// The port it listens on.
            pub fn port(&self) -> u16 {
                self.server.addr().port()
            }

            /// Every frame of every connection so far (payloads over 64 KiB truncated).
            pub fn recorded(&self) -> Vec<$crate::RecordedFrame> {
                self.recorder.snapshot()
            }

            /// Stops accepting, drops all connections and joins the thread.
            pub fn shutdown(self) {
                drop(self);
            }
        }
    };
}

pub(crate) use running_daemon;
