//! The interactive PAM conversation against the test director: prompts and their echo
//! style reach the caller's `PamConversation`, its answers log in; wrong answers, endless
//! prompts, cleartext and failing conversations are errors with the PAM kinds.

use bareos::blocking::Director;
use bareos::{
    Config, ErrorKind, PamAnswer, PamConversation, PamPrompt, PamStyle, Password, TlsMode,
};
use bareos_testkit::{ConsoleSpec, Fault, FaultSpec, TestDirector, TestDirectorBuilder, TlsPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PAM_PASSWORD: &str = "wonder-S3cret";

/// What the director showed, and the answers to give.
#[derive(Clone, Default)]
struct Script {
    user: String,
    password: String,
    fail_with: Option<String>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Script {
    fn new(user: &str, password: &str) -> Self {
        Script {
            user: user.into(),
            password: password.into(),
            ..Script::default()
        }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

impl PamConversation for Script {
    fn answer(&self, prompt: &PamPrompt, time_left: Duration) -> Result<PamAnswer, String> {
        assert!(time_left > Duration::ZERO);
        let style = match prompt.style {
            PamStyle::EchoOn => "on",
            PamStyle::EchoOff => "off",
        };
        self.seen
            .lock()
            .unwrap()
            .push(format!("{style} {}", prompt.text_lossy()));
        if let Some(why) = &self.fail_with {
            return Err(why.clone());
        }
        Ok(match prompt.style {
            PamStyle::EchoOn => PamAnswer::new(self.user.as_str()),
            PamStyle::EchoOff => PamAnswer::new(self.password.as_str()),
        })
    }

    fn message(&self, text: &[u8]) {
        self.seen
            .lock()
            .unwrap()
            .push(format!("text {}", String::from_utf8_lossy(text)));
    }
}

fn builder() -> TestDirectorBuilder {
    TestDirector::builder()
        .console(ConsoleSpec::new("pamcon", "secret").pam(true))
        .console(
            ConsoleSpec::new("pamclear", "secret")
                .tls(TlsPolicy::None)
                .pam(true),
        )
        .console(ConsoleSpec::new("admin", "secret"))
        .pam_user("alice", PAM_PASSWORD)
}

fn config(td: &TestDirector, console: &str) -> Config {
    Config::new("127.0.0.1")
        .port(td.port())
        .name(console)
        .password(Password::new("secret"))
        .login_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(5))
}

#[test]
fn prompts_are_answered_and_info_texts_shown() {
    let td = builder()
        .pam_info("Warning: your password will expire in 3 days")
        .start()
        .unwrap();
    let script = Script::new("alice", PAM_PASSWORD);
    let mut director =
        Director::connect(config(&td, "pamcon").pam_conversation(script.clone())).unwrap();
    assert!(director.is_encrypted());
    assert_eq!(director.call_text("whoami").unwrap(), "alice\n");
    assert_eq!(
        script.seen(),
        [
            "on login:",
            "off Password: ",
            "text Warning: your password will expire in 3 days"
        ]
    );
    director.close();
}

#[test]
fn wrong_answers_fail_with_the_pam_kind() {
    let td = builder().start().unwrap();
    for (user, password) in [("alice", "wrong"), ("mallory", PAM_PASSWORD)] {
        let script = Script::new(user, password);
        let error =
            Director::connect(config(&td, "pamcon").pam_conversation(script.clone())).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Pam, "{error}");
        assert!(error.is_pam() && error.is_auth());
        assert!(
            error.to_string().starts_with("PAM authentication failed"),
            "{error}"
        );
        assert_eq!(script.seen(), ["on login:", "off Password: "]);
    }
}

#[test]
fn endless_prompts_are_cut_off() {
    let td = builder()
        .fault(FaultSpec::login(Fault::EndlessPamPrompts))
        .start()
        .unwrap();
    let script = Script::new("alice", PAM_PASSWORD);
    let error =
        Director::connect(config(&td, "pamcon").pam_conversation(script.clone())).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pam, "{error}");
    assert!(
        error.to_string().contains("more than 32 PAM prompts"),
        "{error}"
    );
    assert_eq!(script.seen().len(), 32);
}

#[test]
fn cleartext_needs_explicit_permission() {
    let td = builder().start().unwrap();
    let script = Script::new("alice", PAM_PASSWORD);
    let clear = config(&td, "pamclear").tls(TlsMode::Disabled);
    let error = Director::connect(clear.clone().pam_conversation(script.clone())).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::PamOverCleartext, "{error}");
    assert!(script.seen().is_empty(), "no prompt may be answered");

    let mut director = Director::connect(
        clear
            .pam_conversation(script.clone())
            .allow_cleartext_pam(true),
    )
    .unwrap();
    assert!(!director.is_encrypted());
    assert_eq!(director.call_text("whoami").unwrap(), "alice\n");
    assert_eq!(script.seen(), ["on login:", "off Password: "]);
}

#[test]
fn a_failing_conversation_ends_the_login() {
    let td = builder().start().unwrap();
    let script = Script {
        fail_with: Some("no terminal to ask".into()),
        ..Script::new("alice", PAM_PASSWORD)
    };
    let error =
        Director::connect(config(&td, "pamcon").pam_conversation(script.clone())).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pam, "{error}");
    assert_eq!(
        error.to_string(),
        "PAM prompt not answered: no terminal to ask"
    );
}

#[test]
fn direct_credentials_and_non_pam_consoles_do_not_ask() {
    let td = builder().start().unwrap();
    let script = Script::new("alice", "unused");
    let mut director = Director::connect(
        config(&td, "pamcon")
            .pam("alice", PAM_PASSWORD)
            .pam_conversation(script.clone()),
    )
    .unwrap();
    assert_eq!(director.call_text("whoami").unwrap(), "alice\n");
    let mut director =
        Director::connect(config(&td, "admin").pam_conversation(script.clone())).unwrap();
    assert_eq!(director.call_text("whoami").unwrap(), "admin\n");
    assert!(script.seen().is_empty());

    // Without credentials or a conversation PAM is refused as before.
    let error = Director::connect(config(&td, "pamcon")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pam);
    assert!(error.to_string().contains("no PAM username and password"));

    // A user without a password: the conversation asks for both.
    let script = Script::new("alice", PAM_PASSWORD);
    let mut director = Director::connect(
        config(&td, "pamcon")
            .pam("alice", "")
            .pam_conversation(script.clone()),
    )
    .unwrap();
    assert_eq!(director.call_text("whoami").unwrap(), "alice\n");
    assert_eq!(script.seen(), ["on login:", "off Password: "]);
    let error = Director::connect(config(&td, "pamcon").pam("alice", "")).unwrap_err();
    assert!(error.to_string().contains("must not be empty"), "{error}");
}

#[test]
fn debug_output_shows_no_answers() {
    let config = Config::new("h").pam_conversation(Script::new("alice", PAM_PASSWORD));
    let shown = format!("{config:?}");
    assert!(shown.contains("PamConversation(..)"), "{shown}");
    assert!(!shown.contains(PAM_PASSWORD));
    assert!(!format!("{:?}", PamAnswer::new(PAM_PASSWORD)).contains(PAM_PASSWORD));
}
