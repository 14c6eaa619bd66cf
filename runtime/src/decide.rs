//! Whether to retry after an attempt: one pure function, so every rule is tested as a table
//! and the retry loop in [`crate::exec`] only carries out its answer.

use std::time::Duration;

use reqwest::StatusCode;

use super::retry::{RetryPolicy, full_jitter};

/// What one attempt ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// A response arrived. `retry_after` is the server's hint (`Retry-After` /
    /// `retry-after-ms`), honoured on 429 and 503 only.
    Response {
        /// HTTP status.
        status: StatusCode,
        /// The server's delay hint, if it sent one.
        retry_after: Option<Duration>,
    },
    /// No response. `reached_server` is false when the connection was never made (refused,
    /// DNS, TLS handshake): then even a non-idempotent request cannot have been processed.
    Transport {
        /// Whether the request may have reached the server.
        reached_server: bool,
    },
    /// The request could not even be built; resending cannot help.
    Unsendable,
}

/// Everything the decision depends on.
#[derive(Debug, Clone, Copy)]
pub struct RetryInput<'a> {
    /// The call's retry policy.
    pub policy: &'a RetryPolicy,
    /// Safe to resend after the server may have seen it (idempotent method, or the caller
    /// opted in with `allow_post_retries`).
    pub idempotent: bool,
    /// Number of the attempt that just ended (1-based).
    pub attempt: u32,
    /// Time since the first attempt started.
    pub elapsed: Duration,
    /// How the attempt ended.
    pub outcome: AttemptOutcome,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Send the next attempt at once.
    RetryNow,
    /// Sleep, then send the next attempt.
    RetryAfter(Duration),
    /// Return this attempt's result.
    Stop,
}

/// Decides what follows an attempt. `jitter(n)` returns a uniformly random number in
/// `0..=n` (nanoseconds); tests pass a fixed one.
pub fn decide(input: RetryInput<'_>, jitter: impl FnOnce(u64) -> u64) -> RetryDecision {
    let RetryInput {
        policy,
        idempotent,
        attempt,
        elapsed,
        outcome,
    } = input;
    let hint = match outcome {
        AttemptOutcome::Response { status, .. } if status.is_success() => {
            return RetryDecision::Stop;
        }
        AttemptOutcome::Response {
            status,
            retry_after,
        } => {
            if !idempotent || !policy.retries_status(status) {
                return RetryDecision::Stop;
            }
            let hinted = status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::SERVICE_UNAVAILABLE;
            retry_after.filter(|_| hinted)
        }
        AttemptOutcome::Transport { reached_server } => {
            // A failure before the server saw anything is safe to resend even for a POST.
            if !policy.retry_connection_errors || (reached_server && !idempotent) {
                return RetryDecision::Stop;
            }
            None
        }
        AttemptOutcome::Unsendable => return RetryDecision::Stop,
    };
    if attempt >= policy.max_attempts || elapsed >= policy.max_elapsed {
        return RetryDecision::Stop;
    }
    let delay = match hint {
        Some(d) => d.min(policy.max_interval),
        None => full_jitter(policy.backoff_ceiling(attempt), jitter),
    }
    .min(policy.max_elapsed - elapsed);
    if delay.is_zero() {
        RetryDecision::RetryNow
    } else {
        RetryDecision::RetryAfter(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttemptOutcome::*;
    use RetryDecision::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn status(code: u16, retry_after: Option<Duration>) -> AttemptOutcome {
        Response {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after,
        }
    }

    /// 5XX + 429 and connection errors, 500 ms ×2 capped at 2 s, 4 attempts, 10 s budget.
    fn policy() -> RetryPolicy {
        RetryPolicy::default()
            .retry_status_codes(["5XX", "429"])
            .retry_connection_errors(true)
            .initial_interval(MS(500))
            .exponent(2.0)
            .max_interval(MS(2000))
            .max_attempts(4)
            .max_elapsed(Duration::from_secs(10))
    }

    #[test]
    fn decision_table() {
        let p = policy();
        let no_conn = policy().retry_connection_errors(false);
        let max = |n: u64| n; // jitter at its ceiling: the delay is the backoff bound
        #[rustfmt::skip]
        let table: &[(&RetryPolicy, bool, u32, u64, AttemptOutcome, RetryDecision)] = &[
            // policy, idempotent, attempt, elapsed ms, outcome → decision
            (&p, true, 1, 0, status(200, None), Stop),
            (&p, true, 1, 0, status(204, None), Stop),
            (&p, true, 1, 0, status(404, None), Stop),
            (&p, true, 1, 0, status(500, None), RetryAfter(MS(500))),
            (&p, true, 2, 0, status(502, None), RetryAfter(MS(1000))),
            (&p, true, 3, 0, status(503, None), RetryAfter(MS(2000))),
            (&p, true, 4, 0, status(500, None), Stop),
            (&p, false, 1, 0, status(500, None), Stop),
            (&p, true, 1, 0, status(429, Some(MS(1500))), RetryAfter(MS(1500))),
            (&p, true, 1, 0, status(429, Some(MS(60_000))), RetryAfter(MS(2000))),
            (&p, true, 1, 0, status(503, Some(Duration::ZERO)), RetryNow),
            // Retry-After is only honoured on 429 and 503.
            (&p, true, 1, 0, status(500, Some(MS(1500))), RetryAfter(MS(500))),
            (&p, true, 1, 9_900, status(500, None), RetryAfter(MS(100))),
            (&p, true, 1, 10_000, status(500, None), Stop),
            (&p, true, 1, 0, Transport { reached_server: true }, RetryAfter(MS(500))),
            (&p, false, 1, 0, Transport { reached_server: true }, Stop),
            (&p, false, 1, 0, Transport { reached_server: false }, RetryAfter(MS(500))),
            (&no_conn, true, 1, 0, Transport { reached_server: false }, Stop),
            (&p, true, 1, 0, Unsendable, Stop),
            (&RetryPolicy::none(), true, 1, 0, status(500, None), Stop),
        ];
        for (i, (policy, idempotent, attempt, elapsed, outcome, want)) in table.iter().enumerate() {
            let input = RetryInput {
                policy,
                idempotent: *idempotent,
                attempt: *attempt,
                elapsed: MS(*elapsed),
                outcome: *outcome,
            };
            assert_eq!(decide(input, max), *want, "row {i}: {input:?}");
        }
    }

    #[test]
    fn jitter_spreads_the_backoff() {
        let p = policy();
        let input = RetryInput {
            policy: &p,
            idempotent: true,
            attempt: 1,
            elapsed: Duration::ZERO,
            outcome: status(500, None),
        };
        assert_eq!(decide(input, |_| 0), RetryNow);
        assert_eq!(decide(input, |n| n / 2), RetryAfter(MS(250)));
    }
}
