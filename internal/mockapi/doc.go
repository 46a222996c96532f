// Package mockapi is a stateful, in-memory, concurrency-safe fake of the parts of
// Genesys Cloud that this provider uses: the OAuth client-credentials token
// endpoint and the whole License API (shared/api/license-api.md §1), plus an
// admin API under /_mock/ for tests, demos and benchmarks.
//
// One http.Handler (*Server) serves three groups of paths:
//
//	POST /oauth/token                               client credentials grant (HTTP Basic + form body)
//	/api/v2/license/...                             the License API, bearer token required
//	/_mock/...                                      admin API, no authentication, not counted in Stats
//
// The package has its own JSON wire structs and never imports internal/client, so
// that a field-name mistake on either side shows up in tests. Production code must
// never import it.
//
// # License API
//
//	GET  /api/v2/license/definitions                bare array of LicenseDefinition, without permissions
//	GET  /api/v2/license/definitions/{licenseId}    LicenseDefinition with permissions; 404 not.found
//	GET  /api/v2/license/toggles/{featureName}      {featureName, enabled: true} (deprecated)
//	POST /api/v2/license/toggles/{featureName}      same; no body, no effect (deprecated)
//	GET  /api/v2/license/users/{userId}             LicenseUser with full definitions; 404 not.found
//	GET  /api/v2/license/users                      UserLicensesEntityListing (pageSize, pageNumber)
//	POST /api/v2/license/users                      array of user ids → object user id → array of license ids
//	POST /api/v2/license/infer                      array of role ids → array of license ids
//	POST /api/v2/license/infer/permissions          array of permissions → array of license ids (preview)
//	GET  /api/v2/license/organization               LicenseOrganization (legacy)
//	POST /api/v2/license/organization               LicenseBatchAssignmentRequest → array of LicenseUpdateStatus
//
// Every response carries an ININ-Correlation-Id header (a fresh UUID). Every
// non-2xx API response is an ErrorBody whose contextId equals that header, with
// status, code, message and empty details and errors arrays. The token endpoint
// answers OAuth errors ({"error", "error_description"}) instead.
//
// # Choices where the reference is silent
//
// These are the project's assumptions ([assume] in the reference). Clients must
// not depend on them beyond what the reference documents.
//
//   - Seeded users start with no licenses. Their ids are UserID(1..Options.Users).
//   - License definitions: see LicenseIDs and the License* constants. A
//     definition's permissions.ids is its full effective set: its own permissions
//     plus those of every definition it comprises. Prerequisites: gc2WEMupgrade
//     requires cloudCX2, gc1WEMupgrade requires cloudCX1. Comprises: cloudCX1
//     comprises communicate, cloudCX2 comprises cloudCX1, cloudCX3 comprises
//     cloudCX2 (nested recursively). prerequisites and comprises are always
//     arrays, empty when there are none.
//   - Roles for postLicenseInfer: see the Role* constants. Unknown role ids
//     contribute nothing.
//   - postLicenseInferPermissions returns the sorted ids of every definition
//     whose (effective) permissions include at least one of the given
//     permissions; unknown permissions contribute nothing.
//   - getLicenseUsers lists every user, licensed or not, sorted by user id; each
//     entity's licenses are sorted. pageSize 0 or absent means 25, pageNumber 0
//     or absent means 1; a negative, non-numeric or too large (> MaxPageSize)
//     value is 400 invalid.value; a page past the end has empty entities.
//   - postLicenseUsers answers a JSON object keyed by user id whose values are
//     sorted arrays of license id strings (empty array for a user with none).
//     Unknown ids are omitted. More than MaxBatchUsers distinct ids is 400
//     invalid.value.
//   - postLicenseOrganization: one LicenseUpdateStatus per user id entry, in
//     request order (for each assignment: its userIdsAdd, then its
//     userIdsRemove). Missing or null assignments, licenseId, userIdsAdd or
//     userIdsRemove is 400 bad.request naming the field
//     ("assignments[0].userIdsRemove is required"). A user id repeated inside
//     one userIdsAdd or userIdsRemove list is 400 invalid.value (the reference
//     says the lists hold unique strings). More than MaxBatchUsers distinct user
//     ids in the whole request is 400 invalid.value. Results, checked in this
//     order: an injected Faults.ItemFailures word; LicenseNotFound; UserNotFound;
//     PrerequisiteMissing (an add of a license the user does not hold yet whose
//     prerequisite the user will not hold once the whole request is applied);
//     otherwise Success. Adding a held license or removing an absent one is
//     Success. Removing a prerequisite of a license the user keeps is allowed.
//     Only Success items change state; the others change nothing.
//   - License ids set out of band (SetUserLicenses, PUT /_mock/users/{id}/licenses)
//     are stored as given; an id with no definition is rendered by getLicenseUser
//     as {id, selfUri} only.
//   - Error codes: 404 not.found for unknown ids and routes, 405
//     method.not.allowed (with Allow) for a known path with another method, 413
//     request.entity.too.large above 512,000 bytes, 415 unsupported.media.type for
//     a POST body that is not application/json, 400 bad.request for an absent or
//     malformed body. Missing bearer token: 401 authentication.required; unknown
//     or revoked token: 401 bad.credentials; expired token: 401
//     credentials.expired (for an hour after expiry, then bad.credentials). 408
//     is client.timeout, 504 request.timeout (see ErrorCodeForStatus).
//   - Permissions: Options.Permissions (nil: all) are the OAuth client's
//     permissions. A route whose required permissions (RoutePermissions, any
//     of them) are all missing answers 403 missing.permissions (one required)
//     or missing.any.permissions (several), with the message "You are missing
//     the following permission(s): a, b", messageParams.permissions "a, b" and
//     one details entry {errorCode, entityId: permission} per permission.
//   - Every 429, from the rate limit or injected, carries ErrorBody.limit
//     {"key":"token.rate.per.minute","namespace":"platform.api","value":N},
//     N being the per-token limit in force (300 when unlimited).
//   - Token lifetime: expires_in is the lifetime rounded up to whole seconds (at
//     least 1), while the token really expires after Options.TokenLifetime, so a
//     lifetime of 200ms gives expires_in 1 and a 401 after 200ms. Reset keeps
//     issued tokens valid.
//   - Rate limit: a fixed window per access token (Faults.RateLimitWindow, one
//     minute by default) starting at the token's first request in the window;
//     requests refused with 429 do not count toward the limit. Retry-After is the
//     whole seconds left in the window (at least 1). The token endpoint is not
//     rate limited (see Faults.TokenThrottleNext).
//
// # Faults
//
// Faults apply to API requests (paths under /api/), in this order: Latency (also
// for unknown routes) and RouteLatency, route matching (404/405),
// authentication (401), the rate limit (429), permissions (403), FailNext,
// ErrorRate, then body checks (413, 415, 400) and the operation, then
// ResponseDelay, then the answer (or an after-apply FailNext instead). FailNext
// with an empty Route matches any API request; a Route such as "POST
// /oauth/token" also makes the token endpoint fail. Injected failures change no
// state unless FailNext.AfterApply is set, in which case the operation runs and
// changes state and only its answer is replaced. FailNext.Drop closes the
// connection without a response (hijacked, with a TCP reset). Injected 429s
// carry Retry-After: 1 and are not counted in Stats.RateLimited.
// VisibilityDelay, UserVisibilityDelay and Profile.ReadAfterWriteDelay delay
// what the read operations (getLicenseUser, getLicenseUsers, postLicenseUsers,
// getLicenseOrganization) see of a postLicenseOrganization write, by the
// largest that applies to the user; out-of-band changes are visible at once.
// ResponseDelay holds the answer of an operation that has already run: a
// client that times out meanwhile had its request applied all the same.
//
// # Stats
//
// Stats.Requests counts every API and token request by "<METHOD> <route
// template>" (the Route* constants), whatever its outcome (401, 429 and injected
// failures included), so tests can count retries. Requests to unknown paths count
// as "<METHOD> (unmatched)". Stats.Applied counts, by the same keys, the
// requests whose operation ran to completion with a 2xx outcome, whatever the
// client then saw, so tests can count writes that reached the server twice.
// Stats.FaultsInjected counts injected failures and drops. Admin requests are
// not counted.
//
// # Admin API
//
//	GET    /_mock/stats                       Stats
//	GET    /_mock/faults                      current Faults (remaining FailNext and TokenThrottleNext counts)
//	POST   /_mock/faults                      replace the Faults (JSON, snake_case, durations as "50ms")
//	POST   /_mock/reset                       Reset
//	GET    /_mock/users/{userId}/licenses     the user's current licenses (ignores VisibilityDelay); 404 if absent
//	PUT    /_mock/users/{userId}/licenses     JSON array: replace (creates the user), visible at once
//	DELETE /_mock/users/{userId}              delete the user (204 even if absent)
//	PUT    /_mock/roles/{roleId}              JSON array of license ids: add or replace a role
//	POST   /_mock/tokens/revoke               invalidate every issued access token
package mockapi
