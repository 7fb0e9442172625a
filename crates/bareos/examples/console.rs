//! Text commands, a prompt answered, and the lossy text view.
//!
//! `cargo run -p bareos --example console`

mod common;

#[tokio::main]
async fn main() -> bareos::Result<()> {
    let target = common::director();
    let mut director = bareos::Director::connect(target.config.clone()).await?;
    let welcome = director.welcome();
    println!(
        "connected to {} (version {})",
        welcome.director, welcome.version
    );
    match director.cipher() {
        Some(tls) => println!("encrypted: {} {}", tls.version, tls.cipher),
        None => println!("WARNING: cleartext connection"),
    }
    print!("{}", director.call("version").await?.text());

    let reply = director.call("status client").await?;
    print!("{}", reply.text());
    if let Some(prompt) = reply.prompt() {
        println!("[{:?} prompt: answering 1]", prompt.kind);
        print!("{}", director.answer("1").await?.text());
    }
    director.close().await;
    Ok(())
}
