//! API mode 2: results as `serde_json::Value`, and errors carrying the director's words.
//!
//! `cargo run -p bareos --example json`

mod common;

#[tokio::main]
async fn main() -> bareos::Result<()> {
    let target = common::director();
    let mut director = bareos::Director::connect(target.config.clone().json(true)).await?;
    let pools = director.call_json("list pools").await?;
    for pool in pools["pools"].as_array().into_iter().flatten() {
        let text = |key: &str| pool[key].as_str().unwrap_or("?").to_string();
        println!("pool {} ({} volumes)", text("name"), text("numvols"));
    }
    match director.call_json("list nosuchthing").await {
        Ok(result) => println!("unexpected success: {result}"),
        Err(error) if error.is_director_error() => {
            println!(
                "the director said: {}",
                error.director_messages().join("; ")
            )
        }
        Err(error) => return Err(error),
    }
    director.close().await;
    Ok(())
}
