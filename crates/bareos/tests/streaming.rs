//! A huge result streams in bounded memory. (Alone in this test binary: the heap is
//! counted for the whole process.)

use bareos::{Config, Director, Password, ResponseEnd};
use bareos_testkit::TestDirector;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Counts live heap bytes of the whole test process (client and in-process director).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn config(director: &TestDirector) -> Config {
    Config::new("127.0.0.1")
        .port(director.port())
        .password(Password::new("dir_password"))
        .read_timeout(Duration::from_secs(30))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mb_result_streams_in_bounded_memory() {
    const SIZE: usize = 200 * 1024 * 1024;
    let td = TestDirector::builder().start().unwrap();
    let mut client = Director::connect(config(&td)).await.unwrap();
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let mut total = 0usize;
    let mut largest = 0usize;
    let mut stream = client
        .stream(&format!(".testkit output size={SIZE}"))
        .await
        .unwrap();
    while let Some(chunk) = stream.next_chunk().await.unwrap() {
        total += chunk.len();
        largest = largest.max(chunk.len());
    }
    assert_eq!(stream.end(), Some(&ResponseEnd::Complete));
    assert_eq!(total, SIZE);
    assert!(largest <= 1_000_000, "{largest}");
    // Live heap of client and director together (the director keeps a bounded record
    // of the frames it sent, at most 64 KiB of each).
    let growth = PEAK.load(Ordering::Relaxed).saturating_sub(baseline);
    assert!(
        growth < 32 * 1024 * 1024,
        "the heap grew by {} MiB while streaming 200 MiB",
        growth / (1024 * 1024)
    );
    // The connection is in sync afterwards.
    assert_eq!(client.call_text("whoami").await.unwrap(), "root\n");
}
