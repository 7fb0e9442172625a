//! A huge result read chunk by chunk, with constant memory.
//!
//! `cargo run -p bareos --example stream [-- COMMAND]`

mod common;

#[tokio::main]
async fn main() -> bareos::Result<()> {
    let target = common::director();
    let command = std::env::args()
        .nth(1)
        .unwrap_or_else(|| ".testkit output size=50000000".to_string());
    let mut director = bareos::Director::connect(target.config.clone()).await?;
    let started = std::time::Instant::now();
    let mut stream = director.stream(&command).await?;
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = stream.next_chunk().await? {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{bytes} bytes, {lines} lines in {seconds:.2} s ({:.0} MB/s); ended: {:?}",
        bytes as f64 / seconds / 1e6,
        stream.end()
    );
    director.close().await;
    Ok(())
}
