//! The interactive PAM conversation: answering the director's PAM prompts.
//!
//! A console with `UsePamAuthentication = yes` logs in with PAM after CRAM-MD5. With
//! [`Config::pam`] the user and password go to the director at once (`4002`). With
//! [`Config::pam_conversation`] instead, the director runs PAM interactively (`4001`)
//! and relays each prompt ("login:", "Password: ", ...) to a [`PamConversation`], as
//! bconsole does at the terminal.
//!
//! ```no_run
//! use bareos::{Config, Password, PamAnswer, PamConversation, PamPrompt, PamStyle};
//! use std::time::Duration;
//!
//! /// Answers from a vault, never from a terminal.
//! struct Vault;
//!
//! impl PamConversation for Vault {
//!     fn answer(&self, prompt: &PamPrompt, _time_left: Duration) -> Result<PamAnswer, String> {
//!         match prompt.style {
//!             PamStyle::EchoOn => Ok(PamAnswer::new("alice")),
//!             PamStyle::EchoOff => Ok(PamAnswer::new("wonderland")),
//!         }
//!     }
//! }
//!
//! let config = Config::new("bareos-dir.example.com")
//!     .name("pamcon")
//!     .password(Password::new("secret"))
//!     .pam_conversation(Vault);
//! # let _ = config;
//! ```
//!
//! [`Config::pam`]: crate::Config::pam
//! [`Config::pam_conversation`]: crate::Config::pam_conversation

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use bareos_proto::{PamAnswer, PamPrompt, PamStyle};

/// Answers the PAM prompts the director relays during the login.
///
/// [`PamConversation::answer`] runs on a blocking thread, so it may read a terminal; it
/// should give up after `time_left`, the login deadline left for this prompt (the
/// deadline starts anew after each answer).
pub trait PamConversation: Send + Sync {
    /// Answers one prompt: a secret for [`PamStyle::EchoOff`] (show no echo), visible
    /// input for [`PamStyle::EchoOn`]. An `Err` ends the login with a PAM error that
    /// carries its text (which must not contain the secret).
    fn answer(&self, prompt: &PamPrompt, time_left: Duration) -> Result<PamAnswer, String>;

    /// An info or error text of PAM (an echo-on text the director did not wait on).
    /// The default ignores it.
    fn message(&self, text: &[u8]) {
        let _ = text;
    }
}

/// A shared [`PamConversation`] in a [`crate::Config`]; `Debug` shows no answers.
#[derive(Clone)]
pub(crate) struct SharedConversation(pub(crate) Arc<dyn PamConversation>);

impl fmt::Debug for SharedConversation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PamConversation(..)")
    }
}
