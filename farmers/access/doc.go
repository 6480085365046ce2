// Package access opens 12316's data to third parties. Organisations apply,
// an administrator approves them with scopes, a daily quota and a per-key
// rate; their members create API keys; every request made with a key is
// rate-limited, counted against the quota and metered per day and scope.
// Require is the gate other domains put in front of their data routes, and
// CallerFrom tells their handlers who is asking (an organisation and its
// audience, or a signed-in platform user).
//
// The embedded store (FerretDB 1.24 on SQLite) shapes the design: it has
// no transactions, its conditional updates are not atomic under
// concurrency, and every read scans a whole collection. So:
//
//   - Exactly-once decisions. A verdict on an application is inserted with
//     _id = the application's id; of two racing verdicts (approve twice,
//     approve and reject) the unique _id lets one through and the other
//     gets 409 already_decided. The winner then inserts the organisation,
//     whose _id is again the application's id (a repeat changes nothing),
//     and marks the application. A process that stops in between leaves
//     the application pending; the next start finishes it.
//   - Keys are 256 random bits shown once ("ak_" + hex) and stored as
//     SHA-256. A rotation's new key carries a unique lineage ("after:<old
//     id>"), so a key is rotated at most once even under races.
//   - No read on the hot path. Authenticating a key reads key and
//     organisation once per KeyCacheTTL (30 s) per process, unknown keys
//     included. Revoking, rotating, suspending or changing an organisation
//     drops the cache entries concerned at once on this process; other
//     processes see it when their entry expires, within the TTL.
//   - Metering is insert-only. Counts are kept in memory per (organisation,
//     key, day, scope) and every FlushInterval (5 s) written as new
//     documents {org, key, day, scope, count, process, at}; usage is their
//     sum. Nothing is read-modified-written, so several processes meter
//     correctly; a failed flush is retried with the same _ids, so nothing
//     counts twice.
//   - Quotas are checked in memory: an organisation's count today is what
//     this process admitted plus what the other processes had written when
//     last read (one aggregate per interval for all active organisations,
//     off the request path; the first request of an organisation on a day
//     reads it once so that a restart hands out no fresh quota). With
//     several processes the quota can be exceeded by up to (processes × one
//     interval of traffic).
//   - Rate limits are token buckets in memory per key (ratePerSecond, bursts
//     of twice that), per process: n processes behind a balancer admit up to
//     n times the rate, still within the shared daily quota.
//
// Days, quotas and Retry-After on quota_exceeded follow Asia/Shanghai.
package access
