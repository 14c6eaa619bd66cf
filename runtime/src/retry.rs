//! Retry policy: exponential backoff with full jitter, `Retry-After` support.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::request::OperationMeta;

/// Retry facts from `x-speakeasy-retries` (all times in milliseconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetrySpec {
    /// First backoff interval.
    pub initial_interval_ms: u64,
    /// Upper bound of one backoff interval.
    pub max_interval_ms: u64,
    /// Growth factor between attempts.
    pub exponent: f64,
    /// Give up retrying once this much time has passed since the first attempt.
    pub max_elapsed_ms: u64,
    /// Status patterns to retry: `"5XX"`, `"429"`, `"503"`.
    pub status_codes: &'static [&'static str],
    /// Retry connection failures and timeouts.
    pub retry_connection_errors: bool,
}

/// One entry of the retried status list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusPattern {
    Exact(u16),
    /// `"5XX"`: any status in the class.
    Class(u16),
}

impl StatusPattern {
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 3 || !b[0].is_ascii_digit() {
            return None;
        }
        if b[1..].eq_ignore_ascii_case(b"XX") {
            return Some(StatusPattern::Class(u16::from(b[0] - b'0')));
        }
        s.parse().ok().map(StatusPattern::Exact)
    }

    fn matches(self, status: StatusCode) -> bool {
        match self {
            StatusPattern::Exact(c) => status.as_u16() == c,
            StatusPattern::Class(c) => status.as_u16() / 100 == c,
        }
    }
}

/// How often and how patiently a call is retried.
///
/// Built from the operation's (or the document's) `x-speakeasy-retries` and
/// overridable on the client ([`ClientBuilder::retry_policy`](super::ClientBuilder::retry_policy))
/// and per call ([`Call::retry_policy`](super::Call::retry_policy)). Sleeps use full jitter:
/// `random(0..=min(max_interval, initial * exponent^(attempt-1)))`; `Retry-After` /
/// `retry-after-ms` on 429 and 503 responses take precedence, bounded by `max_interval` and
/// by what is left of `max_elapsed`.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_interval: Duration,
    pub(crate) max_interval: Duration,
    pub(crate) exponent: f64,
    pub(crate) max_elapsed: Duration,
    status_codes: Vec<StatusPattern>,
    pub(crate) retry_connection_errors: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts; 500 ms initial, ×1.5, at most 60 s per sleep and 1 h overall; retries
    /// 5XX, 429 and connection errors.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(60),
            exponent: 1.5,
            max_elapsed: Duration::from_secs(3600),
            status_codes: vec![StatusPattern::Class(5), StatusPattern::Exact(429)],
            retry_connection_errors: true,
        }
    }
}

impl RetryPolicy {
    /// From `x-speakeasy-retries`; 429 is always added to the retried statuses.
    /// `max_attempts` defaults to 4.
    pub(crate) fn from_spec(spec: &RetrySpec) -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_interval: Duration::from_millis(spec.initial_interval_ms),
            max_interval: Duration::from_millis(spec.max_interval_ms),
            exponent: spec.exponent,
            max_elapsed: Duration::from_millis(spec.max_elapsed_ms),
            status_codes: Vec::new(),
            retry_connection_errors: spec.retry_connection_errors,
        }
        .retry_status_codes(spec.status_codes.iter().copied())
    }

    /// A single attempt, never retried.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            status_codes: Vec::new(),
            retry_connection_errors: false,
            ..RetryPolicy::default()
        }
    }

    /// The policy used for an operation when nothing overrides it: `meta.retry`, else the
    /// spec-level default, else only 429 is retried (default backoff, 4 attempts).
    pub(crate) fn for_operation(meta: &OperationMeta, default: Option<&RetrySpec>) -> Self {
        match meta.retry.or(default) {
            Some(spec) => RetryPolicy::from_spec(spec),
            None => RetryPolicy {
                status_codes: vec![StatusPattern::Exact(429)],
                retry_connection_errors: false,
                ..RetryPolicy::default()
            },
        }
    }

    /// Total attempts including the first one (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// First backoff interval.
    pub fn initial_interval(mut self, d: Duration) -> Self {
        self.initial_interval = d;
        self
    }

    /// Upper bound of one sleep (also bounds `Retry-After`).
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }

    /// Growth factor between attempts (values below 1 are treated as 1).
    pub fn exponent(mut self, f: f64) -> Self {
        self.exponent = f;
        self
    }

    /// No retry starts once this much time has passed since the first attempt.
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// Replaces the retried statuses (`"5XX"`, `"503"`, ...); 429 is always kept.
    /// Unparseable patterns are ignored.
    pub fn retry_status_codes<S: AsRef<str>>(mut self, codes: impl IntoIterator<Item = S>) -> Self {
        self.status_codes = codes
            .into_iter()
            .filter_map(|c| StatusPattern::parse(c.as_ref()))
            .collect();
        if !self
            .status_codes
            .iter()
            .any(|p| p.matches(StatusCode::TOO_MANY_REQUESTS))
        {
            self.status_codes.push(StatusPattern::Exact(429));
        }
        self
    }

    /// Whether connection failures and timeouts are retried (subject to idempotency).
    pub fn retry_connection_errors(mut self, yes: bool) -> Self {
        self.retry_connection_errors = yes;
        self
    }

    /// Whether `status` is in the retried list.
    pub(crate) fn retries_status(&self, status: StatusCode) -> bool {
        self.status_codes.iter().any(|p| p.matches(status))
    }

    /// Upper bound of the sleep after failed attempt number `attempt` (1-based):
    /// `min(max_interval, initial * exponent^(attempt-1))`.
    pub(crate) fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let exp = if self.exponent.is_finite() {
            self.exponent.max(1.0)
        } else {
            1.0
        };
        let power = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let secs = self.initial_interval.as_secs_f64() * exp.powi(power);
        let max = self.max_interval.as_secs_f64();
        if !secs.is_finite() || secs >= max {
            self.max_interval
        } else {
            Duration::from_secs_f64(secs.max(0.0))
        }
    }
}

/// Uniform random duration in `0..=ceiling` (nanosecond resolution).
pub(crate) fn full_jitter(ceiling: Duration, pick: impl FnOnce(u64) -> u64) -> Duration {
    let max = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(pick(max).min(max))
}

/// Production randomness for [`full_jitter`].
pub(crate) fn random_up_to(max: u64) -> u64 {
    fastrand::u64(0..=max)
}

/// Server hint from `retry-after-ms` (milliseconds) or `Retry-After` (delta-seconds or an
/// HTTP-date, relative to `now`). A date in the past gives zero.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = headers
        .get("retry-after-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
    {
        return Some(Duration::from_secs_f64((ms / 1000.0).min(u32::MAX as f64)));
    }
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")]), now),
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers(&[("retry-after", &later)]), now),
            Some(Duration::from_secs(30))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after-ms", "1500"), ("retry-after", "9")]),
                now
            ),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn status_patterns() {
        let spec = RetrySpec {
            initial_interval_ms: 500,
            max_interval_ms: 60_000,
            exponent: 1.5,
            max_elapsed_ms: 3_600_000,
            status_codes: &["5XX", "bogus"],
            retry_connection_errors: true,
        };
        let p = RetryPolicy::from_spec(&spec);
        assert!(p.retries_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(p.retries_status(StatusCode::BAD_GATEWAY));
        assert!(p.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(!p.retries_status(StatusCode::NOT_FOUND));
        let only_503 = RetryPolicy::default().retry_status_codes(["503"]);
        assert!(only_503.retries_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!only_503.retries_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(only_503.retries_status(StatusCode::TOO_MANY_REQUESTS));
    }

    #[test]
    fn backoff_ceiling_grows_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(500));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(750));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(1125));
        assert_eq!(p.backoff_ceiling(30), Duration::from_secs(60));
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let p = RetryPolicy::default();
        for attempt in 1..4 {
            let ceiling = p.backoff_ceiling(attempt);
            for _ in 0..100 {
                assert!(full_jitter(ceiling, random_up_to) <= ceiling);
            }
            assert_eq!(full_jitter(ceiling, |n| n), ceiling);
            assert_eq!(full_jitter(ceiling, |_| 0), Duration::ZERO);
        }
    }
}
