//! The director's side of the console login: hello checks, CRAM-MD5 both ways, the
//! welcome messages of protocol 1 and 2, and PAM.

use crate::admission::Transport;
use crate::conn::Conn;
use crate::director::{ConsoleSpec, DirectorConfig};
use crate::fault::{self, Fault, FaultPoint};
use crate::policy::TlsPolicy;
use bareos_proto::base64::Base64Variant;
use bareos_proto::cram::{self, Challenge, AUTH_FAILED, AUTH_OK, NOT_AUTHORIZED};
use bareos_proto::hello::{psk_identity, qualified_name, Hello, ResourceType, DEFAULT_CONSOLE};
use bareos_proto::message::{ids, ResponseMessage, Welcome};
use bareos_proto::{Frame, Password, ProtocolVersion, Signal};
use std::time::Duration;

/// Who logged in.
pub(crate) struct LoggedIn {
    /// The named console, `None` for the default console.
    pub console: Option<ConsoleSpec>,
    /// What `whoami` prints.
    pub whoami: String,
}

/// Reads one frame with the daemons' authentication timeout; `None` on EOF or error.
pub(crate) async fn read_auth_frame(conn: &mut Conn) -> Option<Frame> {
    match tokio::time::timeout(Duration::from_secs(180), conn.read_frame()).await {
        Ok(Ok(Some(frame))) => Some(frame),
        _ => None,
    }
}

/// Sends TERMINATE and closes.
pub(crate) async fn terminate(mut conn: Conn) {
    let _ = conn.signal(Signal::Terminate).await;
    conn.close().await;
}

/// The outcome of the two CRAM-MD5 directions.
pub(crate) enum Cram {
    /// Both directions succeeded.
    Ok(Conn),
    /// The client failed (verdicts already sent where due); the connection is returned.
    Failed(Conn),
    /// The connection is gone.
    Gone,
}

/// Challenge, verify, answer the client's challenge, read its verdict.
pub(crate) async fn cram_both_ways(
    mut conn: Conn,
    own_qualified_name: &str,
    password: &Password,
    policy: TlsPolicy,
    delay: Duration,
    impostor: bool,
    close_mid_login: bool,
) -> Cram {
    let random: u32 = rand::random();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let token = cram::make_token(random, now, own_qualified_name);
    let challenge = Challenge {
        token: token.clone(),
        tls_policy: Some(policy.code()),
        answer_variant: Base64Variant::Legacy,
    };
    if conn.data(challenge.to_line()).await.is_err() {
        return Cram::Gone;
    }
    let Some(Frame::Data(answer)) = read_auth_frame(&mut conn).await else {
        return Cram::Gone;
    };
    if close_mid_login {
        conn.close().await;
        return Cram::Gone;
    }
    if !cram::verify(password, &token, &answer) {
        if conn.data(AUTH_FAILED).await.is_err() {
            return Cram::Gone;
        }
        tokio::time::sleep(delay).await;
        let _ = conn.data(AUTH_FAILED).await;
        tokio::time::sleep(delay).await;
        return Cram::Failed(conn);
    }
    if conn.data(AUTH_OK).await.is_err() {
        return Cram::Gone;
    }
    let Some(Frame::Data(line)) = read_auth_frame(&mut conn).await else {
        return Cram::Gone;
    };
    let Ok(challenge) = Challenge::parse(&line) else {
        tokio::time::sleep(delay).await;
        let _ = conn.data(AUTH_FAILED).await;
        tokio::time::sleep(delay).await;
        return Cram::Failed(conn);
    };
    let key = if impostor {
        Password::new(format!("not-{}", random))
    } else {
        password.clone()
    };
    let mut reply = cram::answer(&key, &challenge.token, challenge.answer_variant).into_bytes();
    reply.push(0);
    if conn.data(reply).await.is_err() {
        return Cram::Gone;
    }
    let Some(verdict) = read_auth_frame(&mut conn).await else {
        return Cram::Gone;
    };
    if verdict.data() != Some(AUTH_OK) {
        tokio::time::sleep(delay).await;
        let _ = conn.data(AUTH_FAILED).await;
        tokio::time::sleep(delay).await;
        return Cram::Failed(conn);
    }
    Cram::Ok(conn)
}

/// Runs the whole console login; `None` when the session ended during login.
pub(crate) async fn login(
    mut conn: Conn,
    transport: Transport,
    config: &DirectorConfig,
) -> Option<(Conn, LoggedIn)> {
    let delay = config.auth_failure_delay;
    let hello_frame = read_auth_frame(&mut conn).await?;
    let hello = match hello_frame.data().map(Hello::parse) {
        Some(Ok(hello)) if hello.kind == ResourceType::Console => hello,
        _ => {
            tokio::time::sleep(delay).await;
            terminate(conn).await;
            return None;
        }
    };
    let (console, password, policy) = if hello.name == DEFAULT_CONSOLE {
        (None, config.password.clone(), config.default_tls)
    } else {
        match config.consoles.iter().find(|c| c.name == hello.name) {
            Some(c) => (Some(c.clone()), c.password.clone(), c.tls),
            None => {
                if matches!(transport, Transport::Tls(_)) {
                    tokio::time::sleep(delay).await;
                }
                terminate(conn).await;
                return None;
            }
        }
    };
    let protocol = hello.protocol();
    let mut deny_after_cram = false;
    match &transport {
        Transport::Cleartext => match protocol {
            ProtocolVersion::V2 if policy != TlsPolicy::None => {
                terminate(conn).await;
                return None;
            }
            ProtocolVersion::V1 if policy == TlsPolicy::Required => deny_after_cram = true,
            _ => {}
        },
        Transport::Tls(None) => {}
        Transport::Tls(Some(identity)) => {
            if *identity != psk_identity(ResourceType::Console, &hello.name) {
                tokio::time::sleep(delay).await;
                terminate(conn).await;
                return None;
            }
        }
    }
    if let Some(fault) = config.faults.at(&FaultPoint::BeforeChallenge) {
        conn = apply_or_trickle(conn, &fault).await?;
    }
    let own = qualified_name(ResourceType::Director, &config.name);
    let impostor = config.faults.login(&Fault::WrongCramAnswer);
    let close_mid = config.faults.login(&Fault::CloseMidLogin);
    conn = match cram_both_ways(conn, &own, &password, policy, delay, impostor, close_mid).await {
        Cram::Ok(conn) => conn,
        Cram::Failed(mut conn) => {
            if protocol == ProtocolVersion::V1 {
                let _ = conn.data(NOT_AUTHORIZED).await;
            }
            conn.close().await;
            return None;
        }
        Cram::Gone => return None,
    };
    let ok_text = Welcome::ok_text(&config.name, &config.version, &config.date);
    if protocol == ProtocolVersion::V1 {
        if deny_after_cram {
            let _ = conn.data(NOT_AUTHORIZED).await;
            conn.close().await;
            return None;
        }
        let encryption = match &conn.cipher {
            Some(cipher) => format!(" Encryption: {cipher}"),
            None => " Encryption: None".to_string(),
        };
        let text = format!("{ok_text} -- {encryption}");
        conn.data(ResponseMessage::encode_line(ids::OK, text.as_bytes()))
            .await
            .ok()?;
        if console.as_ref().is_some_and(|c| c.pam) {
            conn.close().await;
            return None;
        }
        let whoami = console.as_ref().map_or("root".into(), |c| c.name.clone());
        return Some((conn, LoggedIn { console, whoami }));
    }
    let mut whoami = console.as_ref().map_or("root".into(), |c| c.name.clone());
    if console.as_ref().is_some_and(|c| c.pam) {
        conn.data(ResponseMessage::encode(ids::PAM_REQUIRED, &[]).ok()?)
            .await
            .ok()?;
        let Some(user) = pam(&mut conn, config).await else {
            conn.close().await;
            return None;
        };
        whoami = user;
    }
    conn.data(ResponseMessage::encode(ids::OK, &[ok_text.as_bytes()]).ok()?)
        .await
        .ok()?;
    let who = if console.is_none() {
        "You are connected using the default console".to_string()
    } else {
        format!("You are logged in as: {whoami}")
    };
    let info = format!("{}\n{who}", config.services);
    conn.data(ResponseMessage::encode(ids::INFO_MESSAGE, &[info.as_bytes()]).ok()?)
        .await
        .ok()?;
    Some((conn, LoggedIn { console, whoami }))
}

/// The PAM exchange after `1001`; returns the user. Direct credentials (`4002` with
/// user and password) are checked at once; `4001` starts the conversation. As the
/// director: an empty user with a password also starts it (the password is unused),
/// an empty password is lost as a trailing empty field and refused.
async fn pam(conn: &mut Conn, config: &DirectorConfig) -> Option<String> {
    let frame = tokio::time::timeout(Duration::from_secs(30), conn.read_frame())
        .await
        .ok()?
        .ok()??;
    let message = ResponseMessage::parse(frame.data()?).ok()?;
    let direct = match message.id {
        ids::PAM_USER_CREDENTIALS => match message.fields.as_slice() {
            [user, password] if !password.is_empty() => Some((user.clone(), password)),
            _ => {
                tokio::time::sleep(config.auth_failure_delay).await;
                return None;
            }
        },
        ids::PAM_INTERACTIVE => None,
        _ => {
            tokio::time::sleep(config.auth_failure_delay).await;
            return None;
        }
    };
    match direct {
        Some((user, password)) if !user.is_empty() => {
            let user = String::from_utf8(user).ok()?;
            pam_verdict(config, user, &Password::new(password)).await
        }
        _ => pam_conversation(conn, config).await,
    }
}

/// `PAM_SUCCESS`, and the styles of Linux-PAM's messages.
const PAM_SUCCESS: u8 = 0;
const PAM_PROMPT_ECHO_OFF: u8 = 1;
const PAM_PROMPT_ECHO_ON: u8 = 2;

/// The conversation as Linux-PAM with `pam_unix` runs it: `login:` (echo on),
/// `Password: ` (echo off); then the configured info texts, which the
/// director relays with the echo-on style without waiting, and `PAM_SUCCESS`.
async fn pam_conversation(conn: &mut Conn, config: &DirectorConfig) -> Option<String> {
    let user = String::from_utf8(pam_ask(conn, PAM_PROMPT_ECHO_ON, "login:").await?).ok()?;
    let mut password = pam_ask(conn, PAM_PROMPT_ECHO_OFF, "Password: ").await?;
    while config.faults.login(&Fault::EndlessPamPrompts) {
        password = pam_ask(conn, PAM_PROMPT_ECHO_OFF, "Password: ").await?;
    }
    let user = pam_verdict(config, user, &Password::new(&password)).await?;
    for text in &config.pam_messages {
        pam_send(conn, PAM_PROMPT_ECHO_ON, text).await?;
    }
    pam_send(conn, PAM_SUCCESS, "").await?;
    Some(user)
}

/// Sends one PAM message: the style byte, then the text with its NUL.
async fn pam_send(conn: &mut Conn, style: u8, text: &str) -> Option<()> {
    conn.data(vec![style]).await.ok()?;
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    conn.data(bytes).await.ok()
}

/// Sends a prompt and reads the answer (up to its first NUL, as the director's C string).
async fn pam_ask(conn: &mut Conn, style: u8, text: &str) -> Option<Vec<u8>> {
    pam_send(conn, style, text).await?;
    let Frame::Data(mut answer) = read_auth_frame(conn).await? else {
        return None;
    };
    if let Some(end) = answer.iter().position(|&b| b == 0) {
        answer.truncate(end);
    }
    Some(answer)
}

/// Checks a PAM user and password; a wrong one is answered after the failure delay.
async fn pam_verdict(config: &DirectorConfig, user: String, given: &Password) -> Option<String> {
    let ok = config
        .pam_users
        .iter()
        .any(|(name, password)| *name == user && password == given);
    if !ok {
        tokio::time::sleep(config.auth_failure_delay).await;
        return None;
    }
    Some(user)
}

/// Applies a point fault; a slow trickle stays on for the rest of the session.
pub(crate) async fn apply_or_trickle(mut conn: Conn, fault: &Fault) -> Option<Conn> {
    if fault::apply(&mut conn, fault).await {
        Some(conn)
    } else {
        None
    }
}
