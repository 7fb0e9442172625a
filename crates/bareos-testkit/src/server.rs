//! The listener thread shared by the simulated daemons: its own tokio runtime, one task
//! per connection, stopped on drop.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::thread::JoinHandle;
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// A listening socket served by a background thread.
pub(crate) struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds synchronously (so errors and the port are known at once), then serves each
    /// connection with `handler(stream, connection number)` in its own task.
    pub fn start<H, F>(addr: SocketAddr, name: &str, handler: H) -> io::Result<Server>
    where
        H: Fn(TcpStream, u64) -> F + Send + 'static,
        F: Future<Output = ()> + Send + 'static,
    {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name(name)
            .build()?;
        let (stop, mut stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(error) => {
                            tracing::error!(%error, "cannot register the listener");
                            return;
                        }
                    };
                    let mut next_id = 0u64;
                    loop {
                        tokio::select! {
                            _ = &mut stopped => break,
                            accepted = listener.accept() => match accepted {
                                Ok((tcp, peer)) => {
                                    next_id += 1;
                                    tracing::debug!(%peer, conn = next_id, "accepted");
                                    tokio::spawn(handler(tcp, next_id));
                                }
                                Err(error) => {
                                    tracing::warn!(%error, "accept failed");
                                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                                }
                            },
                        }
                    }
                });
                runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            })?;
        Ok(Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
