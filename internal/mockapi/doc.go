// Package mockapi is a stateful, in-memory, concurrency-safe fake of the parts of
// Genesys Cloud that this provider uses: the OAuth client-credentials token
// endpoint and the whole License API, plus an admin API under /_mock/ for tests,
// demos and benchmarks. The API it imitates is documented publicly by Genesys
// (https://developer.genesys.cloud/platform/api/, the License API among them)
// and by the official SDKs generated from the same definitions; that public
// documentation is "the reference" below.
//
// One http.Handler (*Server) serves three groups of paths:
//
//	POST /oauth/token                               client credentials grant (HTTP Basic + form body)
//	/api/v2/license/...                             the License API, bearer token required
//	POST /api/v2/users/search                       the Users API's search, for lookups by email
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
//	POST /api/v2/license/users                      array of user ids → object keyed by user id (Profile.UsersShape)
//	POST /api/v2/license/infer                      array of role ids → array of license ids
//	POST /api/v2/license/infer/permissions          array of permissions → array of license ids (preview)
//	GET  /api/v2/license/organization               LicenseOrganization (legacy, see below)
//	POST /api/v2/license/organization               LicenseBatchAssignmentRequest → array of LicenseUpdateStatus (Profile.Statuses)
//
// GET /api/v2/license/organization (getLicenseOrganization) is legacy: Genesys
// removed it from the live API in 2019 (platform API version 3279), and only
// older SDKs still describe it. The mock keeps serving it for clients that still
// call it; new code must not.
//
// Every response carries an ININ-Correlation-Id header (a fresh UUID). Every
// non-2xx API response is an ErrorBody whose contextId equals that header, with
// status, code, message, and details and errors arrays that are empty except
// where said below (403, and 400 for unknown ids under
// UnknownIDsRejectRequest); a 429 also carries limit. The token endpoint answers
// OAuth errors ({"error", "error_description"}) instead.
//
// Each route requires the permissions the reference lists (any one of them):
//
//	POST /api/v2/license/organization               authorization:grant:add
//	GET  /api/v2/license/definitions[/{licenseId}]  authorization:grant:add or authorization:license:view
//	GET  /api/v2/license/users/{userId}             authorization:grant:add or authorization:license:view
//	POST /api/v2/license/users                      authorization:grant:add or authorization:license:view
//	POST /api/v2/license/infer/permissions          authorization:grant:add or authorization:license:view
//	POST /api/v2/users/search                       directory:user:view
//	every other route                               none
//
// Options.Permissions (every permission when nil) are the permissions of the
// OAuth client; see RoutePermissions.
//
// # Users API
//
//	POST /api/v2/users/search                       UserSearchRequest → UsersSearchResponse
//
// Seeded user i has the email UserEmail(i) ("user<i>@example.com"), the name
// "User <i>" and the state "active"; Options.UserEmails, SetUserEmail and
// PUT /_mock/users/{userId}/email give users other emails. The search answers
// the SDK's UsersSearchResponse {total, pageCount, pageSize, pageNumber,
// currentPage, types: ["users"], results: [User]} with results always an
// array, users sorted by id, each a User {id, name, division, email, state,
// username (= email), version, selfUri}. It supports what the provider sends
// and refuses the rest with 400 invalid.value: criteria of type EXACT on the
// fields email, username, id, name and state, with value and/or values (at
// most Options.MaxSearchValues, 100 by default, a limit the reference does
// not state), combined with AND; email and username compare
// case-insensitively. pageSize 1..100 (default 25), pageNumber from 1. A
// query without criteria lists every user. Deleted users are not found.
//
// # Choices where the reference is silent
//
// The reference leaves the points below open. The mock makes one choice for
// each by default (the zero Profile, named "documented"), and where several
// answers are plausible a Profile selects another (see NamedProfile and
// ProfileNames), so that clients can be tested against each. Clients must not
// depend on any of them beyond what the reference documents.
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
//     or absent means 1; a negative, non-numeric or too large value is 400
//     invalid.value; a page past the end has empty entities. The largest
//     pageSize is unknown: Options.MaxPageSize (100 by default), or
//     Profile.MaxPageSize when positive ("small-pages": 25).
//   - postLicenseUsers answers a JSON object keyed by user id; the SDKs type
//     its values only as objects. By default each value is the sorted array of
//     the user's license ids (empty for a user with none); Profile.UsersShape
//     selects instead an array of {id, selfUri} references ("users-objects"), a
//     UserLicenses object {id, licenses: [ids], selfUri}
//     ("users-user-licenses"), or the same with {id, selfUri} licenses
//     ("users-user-licenses-objects"). Profile.OmitUnlicensedUsers
//     ("users-omit-unlicensed") leaves out users who hold no license. Unknown
//     ids are always omitted. More than MaxBatchUsers distinct ids is 400
//     invalid.value.
//   - postLicenseOrganization: Missing or null assignments, licenseId,
//     userIdsAdd or userIdsRemove is 400 bad.request naming the field
//     ("assignments[0].userIdsRemove is required"). More than MaxBatchUsers
//     distinct user ids in the whole request is 400 invalid.value (the real
//     limit is unknown).
//   - postLicenseOrganization, duplicate ids: a user id repeated inside one
//     userIdsAdd or userIdsRemove list is 400 invalid.value by default (the
//     SDK models say the lists hold unique strings). With DuplicateIDsAccept
//     ("duplicates-accepted") it is treated once, with one status per
//     occurrence.
//   - postLicenseOrganization, results: by default one LicenseUpdateStatus per
//     user id entry, in request order (for each assignment: its userIdsAdd,
//     then its userIdsRemove). Results, checked in this order: an injected
//     Faults.ItemFailures word; LicenseNotFound; UserNotFound;
//     NoSeatsAvailable (an add beyond the license's Faults.SeatLimits: the
//     request's removes free seats first, then its adds take them in request
//     order); PrerequisiteMissing (an add of a license the user does not hold
//     yet whose prerequisite the user will not hold once the whole request is
//     applied); otherwise the success word. Without SeatLimits, licenses have
//     no seat limit. Adding a held license or removing an absent
//     one succeeds. Removing a prerequisite of a license the user keeps is
//     allowed. Only successful pairs change state; the others change nothing.
//   - postLicenseOrganization, success word: the result vocabulary is a free
//     string in every SDK. The success word is "Success" by default, or
//     Profile.SuccessWord verbatim ("success-uppercase": "SUCCESS",
//     "success-other-word": "Assigned"). The failure words stay as above.
//   - postLicenseOrganization, which statuses: whether a status comes back for
//     every pair is undocumented. Profile.Statuses selects all of them (the
//     default), only those of pairs not applied (StatusesFailures,
//     "statuses-failures-only"), none as 200 [] (StatusesNone,
//     "statuses-none") or 204 without a body (StatusesNoContent,
//     "statuses-no-content"). The state change is the same in every mode.
//   - postLicenseOrganization, unknown ids: by default an unknown user or
//     license id fails only its pairs (UserNotFound, LicenseNotFound). With
//     UnknownIDsRejectRequest ("unknown-ids-reject-request") the whole request
//     is 400 invalid.value, its message naming the unknown ids and its details
//     holding one {"errorCode": "license.not.found" or "user.not.found",
//     "entityId": id} per unknown id, in request order; nothing of it is
//     applied.
//   - Read-after-write delay: undocumented. By default writes are visible at
//     once; Profile.ReadAfterWriteDelay ("read-after-write-2s"),
//     Faults.VisibilityDelay and Faults.UserVisibilityDelay delay them (see
//     Faults).
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
// for unknown routes) and RouteLatency (which may also delay the token
// endpoint), route matching (404/405), authentication (401), the rate limit
// (429), permissions (403), FailNext, ErrorRate, then body checks (413, 415,
// 400) and the operation, then ResponseDelay, then the answer (or an
// after-apply FailNext instead of it).
//
// FailNext with an empty Route matches any API request; a Route such as "POST
// /oauth/token" also makes the token endpoint fail. Injected failures change no
// state unless FailNext.AfterApply is set: then the operation runs and changes
// state, and only its answer is replaced. FailNext.Drop closes the connection
// without a response (hijacked, with a TCP reset); Go's http.Transport resends
// a dropped GET on its own when the connection had been reused, so tests of
// drops use POST or a fresh connection. ErrorRate fails a random fraction of
// API requests, with Faults.ErrorStatus (503 by default) or, with
// Faults.ErrorDrop, by dropping the connection the same way. Injected 429s
// (FailNext or ErrorRate) carry Retry-After: Faults.RetryAfter in whole
// seconds (1 by default) and ErrorBody.limit, and are not counted in
// Stats.RateLimited.
//
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
// Stats.FaultsInjected counts injected failures and drops. Stats.ChangesApplied
// and Stats.ChangesRepeated count the (user, license) changes of
// postLicenseOrganization that altered a user's licenses and those that asked
// for what was already true (each judged against the user's licenses before the
// request). Admin requests are not counted.
//
// # Admin API
//
//	GET    /_mock/stats                       Stats
//	GET    /_mock/faults                      current Faults (remaining FailNext and TokenThrottleNext counts)
//	POST   /_mock/faults                      replace the Faults, Profile included (JSON, snake_case, durations as "50ms"; unknown keys refused)
//	POST   /_mock/reset                       Reset
//	GET    /_mock/users/{userId}/licenses     the user's current licenses (ignores read-after-write delays); 404 if absent
//	PUT    /_mock/users/{userId}/licenses     JSON array: replace (creates the user), visible at once
//	DELETE /_mock/users/{userId}              delete the user (204 even if absent)
//	PUT    /_mock/users/{userId}/email        JSON string: set the user's email (creates the user), visible at once
//	PUT    /_mock/roles/{roleId}              JSON array of license ids: add or replace a role
//	POST   /_mock/tokens/revoke               invalidate every issued access token
package mockapi
