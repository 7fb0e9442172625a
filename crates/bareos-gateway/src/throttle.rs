//! Throttling of logins: failed logins counted per client address and per (client
//! address, user) in a sliding window, and a cap on the logins being checked with a
//! director at once (overall and per client address).
//!
//! Only failures are counted (a user who logs in correctly again and again is never
//! throttled), and every count includes the client address: a flood of wrong passwords
//! for a user from one address throttles that address, never the same user logging in
//! from another one. Hand-written rather than with a rate-limiting crate because the
//! rule needs "is this key blocked?" without consuming from it, and a refund-free count
//! of failures only.

use crate::config::LoginConfig;
use crate::conn::ClientAddress;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Most keys remembered per table; past that the oldest are forgotten.
const MAX_KEYS: usize = 65_536;

/// Failure times per key within the window.
struct FailureTable<K> {
    limit: u32,
    window: Duration,
    failures: HashMap<K, VecDeque<Instant>>,
}

impl<K: Hash + Eq + Clone> FailureTable<K> {
    fn new(limit: u32, window: Duration) -> Self {
        FailureTable {
            limit: limit.max(1),
            window,
            failures: HashMap::new(),
        }
    }

    /// How long `key` is still blocked, if it is.
    fn blocked_for(&mut self, key: &K, now: Instant) -> Option<Duration> {
        let times = self.failures.get_mut(key)?;
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.is_empty() {
            self.failures.remove(key);
            return None;
        }
        if times.len() < self.limit as usize {
            return None;
        }
        // Free again when enough of the failures have left the window.
        let oldest_that_counts = times[times.len() - self.limit as usize];
        Some(
            self.window
                .saturating_sub(now.duration_since(oldest_that_counts)),
        )
    }

    /// Takes back one failure recorded at `at` (a reservation that was not a failure).
    fn refund(&mut self, key: &K, at: Instant) {
        if let Some(times) = self.failures.get_mut(key) {
            if let Some(i) = times.iter().rposition(|t| *t == at) {
                times.remove(i);
            }
            if times.is_empty() {
                self.failures.remove(key);
            }
        }
    }

    fn record(&mut self, key: K, now: Instant) {
        if self.failures.len() >= MAX_KEYS && !self.failures.contains_key(&key) {
            let window = self.window;
            self.failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
            if self.failures.len() >= MAX_KEYS {
                // Still full of recent failures: forget the key whose last one is oldest.
                if let Some(oldest) = self
                    .failures
                    .iter()
                    .min_by_key(|(_, times)| times.back().copied())
                    .map(|(k, _)| k.clone())
                {
                    self.failures.remove(&oldest);
                }
            }
        }
        let times = self.failures.entry(key).or_default();
        times.push_back(now);
        // Only the last `limit` failures matter.
        while times.len() > self.limit as usize {
            times.pop_front();
        }
    }
}

/// Why a login is not attempted now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// Seconds after which trying again makes sense (`Retry-After`).
    pub retry_after_seconds: u64,
}

/// The login throttle of the server.
pub struct LoginThrottle {
    per_address: Mutex<FailureTable<ClientAddress>>,
    per_user: Mutex<FailureTable<(ClientAddress, String)>>,
    concurrent: Arc<Semaphore>,
    concurrent_per_address: Mutex<HashMap<ClientAddress, usize>>,
    max_per_address: usize,
}

/// Permission to check one login with the director, released when dropped. It counts as
/// a failure from the start (so that logins checked at the same time cannot together
/// pass the limit), and is taken back when dropped without [`LoginPermit::failed`].
pub struct LoginPermit {
    throttle: Arc<LoginThrottle>,
    address: ClientAddress,
    user: String,
    reserved_at: Instant,
    failed: bool,
    _permit: OwnedSemaphorePermit,
}

impl LoginPermit {
    /// The director refused the password: the failure stays counted.
    pub fn failed(mut self) {
        self.failed = true;
    }
}

impl Drop for LoginPermit {
    fn drop(&mut self) {
        if !self.failed {
            let t = &self.throttle;
            lock(&t.per_address).refund(&self.address, self.reserved_at);
            lock(&t.per_user).refund(&(self.address, self.user.clone()), self.reserved_at);
        }
        let mut counts = self
            .throttle
            .concurrent_per_address
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

impl LoginThrottle {
    /// A throttle with the configured limits.
    pub fn new(config: &LoginConfig) -> Self {
        let window = Duration::from_secs(config.failure_window_seconds.max(1));
        LoginThrottle {
            per_address: Mutex::new(FailureTable::new(config.max_failures_per_address, window)),
            per_user: Mutex::new(FailureTable::new(config.max_failures_per_user, window)),
            concurrent: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
            concurrent_per_address: Mutex::new(HashMap::new()),
            max_per_address: config.max_concurrent_per_address.max(1),
        }
    }

    /// May `user` try to log in from `address` now? The permit is held while the
    /// director checks the password.
    pub fn begin(
        self: &Arc<Self>,
        address: ClientAddress,
        user: &str,
    ) -> Result<LoginPermit, Throttled> {
        let now = Instant::now();
        let blocked = {
            let by_address = lock(&self.per_address).blocked_for(&address, now);
            let by_user = lock(&self.per_user).blocked_for(&(address, user.to_string()), now);
            by_address.max(by_user)
        };
        if let Some(wait) = blocked {
            return Err(Throttled {
                retry_after_seconds: wait.as_secs().max(1),
            });
        }
        let busy = Throttled {
            retry_after_seconds: 1,
        };
        let mut counts = lock(&self.concurrent_per_address);
        let count = counts.entry(address).or_insert(0);
        if *count >= self.max_per_address {
            return Err(busy);
        }
        let permit = self
            .concurrent
            .clone()
            .try_acquire_owned()
            .map_err(|_| busy)?;
        *count += 1;
        drop(counts);
        lock(&self.per_address).record(address, now);
        lock(&self.per_user).record((address, user.to_string()), now);
        Ok(LoginPermit {
            throttle: self.clone(),
            address,
            user: user.to_string(),
            reserved_at: now,
            failed: false,
            _permit: permit,
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn throttle_with(config: LoginConfig) -> Arc<LoginThrottle> {
        Arc::new(LoginThrottle::new(&config))
    }

    fn address(last: u8) -> ClientAddress {
        ClientAddress(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
    }

    #[test]
    fn failures_block_the_address_and_user_only() {
        let throttle = throttle_with(LoginConfig {
            max_failures_per_address: 4,
            max_failures_per_user: 2,
            failure_window_seconds: 60,
            max_concurrent: 8,
            max_concurrent_per_address: 8,
        });
        let (a, b) = (address(1), address(2));
        for _ in 0..2 {
            throttle.begin(a, "admin").unwrap().failed();
        }
        let refused = throttle.begin(a, "admin").err().unwrap();
        assert!((1..=60).contains(&refused.retry_after_seconds));
        // Another user from the same address, the same user from another address: fine.
        drop(throttle.begin(a, "other").unwrap());
        drop(throttle.begin(b, "admin").unwrap());
        // Two more failures of other users block the whole address.
        throttle.begin(a, "x").unwrap().failed();
        throttle.begin(a, "y").unwrap().failed();
        assert!(throttle.begin(a, "z").is_err());
        assert!(throttle.begin(b, "z").is_ok());
    }

    /// Logins checked at the same time count before their answer: two in flight with one
    /// failure left allow only one of them; a login that did not fail is taken back.
    #[test]
    fn logins_in_flight_count() {
        let throttle = throttle_with(LoginConfig {
            max_failures_per_user: 2,
            ..LoginConfig::default()
        });
        let a = address(1);
        throttle.begin(a, "u").unwrap().failed();
        let in_flight = throttle.begin(a, "u").unwrap();
        assert!(throttle.begin(a, "u").is_err());
        drop(in_flight);
        drop(throttle.begin(a, "u").unwrap());
        assert!(throttle.begin(a, "u").is_ok());
    }

    #[test]
    fn the_window_passes() {
        let mut table = FailureTable::new(2, Duration::from_secs(10));
        let start = Instant::now();
        table.record("k", start);
        table.record("k", start + Duration::from_secs(4));
        assert_eq!(
            table.blocked_for(&"k", start + Duration::from_secs(5)),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            table.blocked_for(&"k", start + Duration::from_secs(10)),
            None
        );
        assert!(table.failures.contains_key("k"), "one failure still counts");
        assert_eq!(
            table.blocked_for(&"k", start + Duration::from_secs(14)),
            None
        );
        assert!(table.failures.is_empty());
    }

    #[test]
    fn concurrent_logins_are_capped_per_address() {
        let throttle = throttle_with(LoginConfig {
            max_concurrent: 3,
            max_concurrent_per_address: 2,
            ..LoginConfig::default()
        });
        let (a, b) = (address(1), address(2));
        let first = throttle.begin(a, "u").unwrap();
        let _second = throttle.begin(a, "u").unwrap();
        assert_eq!(throttle.begin(a, "u").err().unwrap().retry_after_seconds, 1);
        let _third = throttle.begin(b, "u").unwrap();
        assert!(throttle.begin(b, "u").is_err(), "the overall cap");
        drop(first);
        assert!(throttle.begin(b, "u").is_ok());
    }

    #[test]
    fn the_table_stays_bounded() {
        let mut table = FailureTable::new(1, Duration::from_secs(60));
        let now = Instant::now();
        for i in 0..(MAX_KEYS + 10) {
            table.record(i, now);
        }
        assert!(table.failures.len() <= MAX_KEYS);
    }
}
