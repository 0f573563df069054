//! The opt-in retry policy of [`ClientBuilder::retry`](crate::ClientBuilder::retry).

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use reqwest::Method;

/// When and how often [`ApiClient::send`](crate::ApiClient::send) tries a
/// request again. Off unless set on the builder:
///
/// - what is retried: transport failures and timeouts, and responses with
///   status 429 or 503 (the rule of [`Error::is_retryable`](crate::Error::is_retryable));
/// - which requests: idempotent methods only (GET, HEAD, PUT, DELETE,
///   OPTIONS, TRACE) unless [`retry_non_idempotent`](Self::retry_non_idempotent)
///   is set (SOAP calls are POSTs), and only requests whose body can be
///   replayed (not a stream);
/// - how long to wait: the response's `Retry-After` (seconds or an HTTP
///   date) when there is one, else exponential backoff with jitter: a
///   random wait between half and all of `initial_backoff × 2^(n-1)`,
///   capped at `max_backoff`. A `Retry-After` longer than
///   [`max_retry_after`](Self::max_retry_after) is not waited for: that
///   response is returned.
///
/// The last attempt's outcome is what the call returns. Each attempt has
/// the whole-request timeout, and the request hook runs on each.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    non_idempotent: bool,
}

impl RetryPolicy {
    /// At most `max_attempts` attempts in all (the first included; 0 is
    /// taken as 1), backoff from 100 ms up to 5 s, `Retry-After` up to 60 s.
    pub fn new(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            non_idempotent: false,
        }
    }

    /// The wait before the first retry, doubled for each further one.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest backoff wait.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` waited for; a longer one ends the call
    /// with that response.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Retries POST and PATCH requests (SOAP calls included) too. Only for
    /// operations that are safe to repeat.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// See [`max_retry_after`](Self::max_retry_after).
    pub fn retry_after_limit(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether requests with `method` are retried.
    pub fn applies_to(&self, method: &Method) -> bool {
        self.non_idempotent
            || matches!(
                *method,
                Method::GET
                    | Method::HEAD
                    | Method::PUT
                    | Method::DELETE
                    | Method::OPTIONS
                    | Method::TRACE
            )
    }

    /// The wait after failed attempt `attempt` (1-based): between half
    /// and all of `initial_backoff × 2^(attempt-1)`, at most `max_backoff`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        let full = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let half = full / 2;
        let span = (full - half).as_nanos() as u64;
        if span == 0 {
            return full;
        }
        half + Duration::from_nanos(random() % (span + 1))
    }
}

/// A random number for jitter, from the standard library's randomly
/// keyed hasher (no `rand` dependency for this).
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let policy = RetryPolicy::new(5)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!((50..=100).contains(&first.as_millis()), "{first:?}");
            let second = policy.backoff(2);
            assert!((100..=200).contains(&second.as_millis()), "{second:?}");
            let capped = policy.backoff(10);
            assert!((175..=350).contains(&capped.as_millis()), "{capped:?}");
        }
        assert!(policy.backoff(u32::MAX) <= Duration::from_millis(350));
    }

    #[test]
    fn only_idempotent_methods_unless_told() {
        let policy = RetryPolicy::new(3);
        assert!(policy.applies_to(&Method::GET));
        assert!(policy.applies_to(&Method::PUT));
        assert!(!policy.applies_to(&Method::POST));
        assert!(!policy.applies_to(&Method::PATCH));
        assert!(policy.retry_non_idempotent(true).applies_to(&Method::POST));
        assert_eq!(RetryPolicy::new(0).max_attempts(), 1);
    }
}
