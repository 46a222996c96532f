package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Fault scenarios at scale: real Terraform against the mock's fault injection, 50 or more
// resources each. Every scenario ends with Terraform's state equal to the mock's truth for every
// resource (checked after each successful apply, and after each failed one through the state
// the next plan starts from) and with a plan that converges to empty (the test framework fails
// a successful apply whose next plan is not empty; after a failed apply, a step with the same
// configuration expects an empty plan). The figures need the steps run twice, so the scenarios
// with the most steps (about 50 s) are TestAccLong_ tests. Each prints one
// RELIABILITY line with its figures; "retried" is the number of requests beyond those of the same
// steps run against a mock without faults.

// 30 % of API requests (reads, writes, the plan-time listing of license definitions) are
// answered 429 with Retry-After: 1. Every one is waited out and retried, so both applies succeed
// without an error, through 50 purecloud_user_license_assignment and one authoritative
// purecloud_license_assignment (whose refresh pages through getLicenseUsers).
func TestAccReliability_throttled30Percent(t *testing.T) {
	t.Parallel()
	const n = 50
	run := newFaultRun(t, "throttled-30pct", mockapi.Options{Users: n, Faults: mockapi.Faults{
		ErrorRate: 0.3, ErrorStatus: 429, RateLimitWindow: time.Second,
	}})
	users := run.users
	// 0.3^11: a request refused 11 times in a row is too unlikely to make the test flaky; the
	// default 5 retries would fail one request in 1,400.
	settings := []string{"max_retries = 10"}
	config := func(userLicenses []string, holders []string) string {
		return run.config(settings...) + testAccFaultsConfig_users(users, userLicenses...) + fmt.Sprintf(`
resource "purecloud_license_assignment" "wallboard" {
  license_id    = "wallboardUser"
  users   = { for u in [%s] : u => "" }
  authoritative = true
}
`, hclStrings(holders))
	}
	run.addrs = append(run.addrs, "purecloud_license_assignment.wallboard")
	run.test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config([]string{"cloudCX1"}, users),
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, users, "cloudCX1", "wallboardUser")),
			},
			{
				Config: config([]string{"cloudCX1", "communicate"}, users[:n-10]),
				ConfigStateChecks: run.truth(
					testAccCheckEveryUserHolds(run.mock, users[:n-10], "cloudCX1", "communicate", "wallboardUser"),
					testAccCheckEveryUserHolds(run.mock, users[n-10:], "cloudCX1", "communicate"),
				),
			},
		},
	}, func(st mockapi.Stats) int { return st.FaultsInjected })
}

// A 429 whose Retry-After (600 s) is beyond the client's cap (client.MaxRetryAfter, 180 s) is not
// waited for: waiting the cap and retrying early would only meet another 429, and waiting 600 s
// would hold the whole run. The request fails at once with the API's 429 and its message
// (which says how long to wait), its changes are settled by reading the users back, and the apply
// fails for exactly the users of that batch. The other batches are applied and recorded; the
// next plan proposes only the refused users; once the limit has passed, an apply converges.
func TestAccReliability_retryAfterBeyondCap(t *testing.T) {
	t.Parallel()
	const n = 50
	run := newFaultRun(t, "retry-after-beyond-cap", mockapi.Options{Users: n})
	// Batches of at most 10 users, so that one refused request is one batch among several.
	config := run.config(`max_batch_users = 10`) + testAccFaultsConfig_users(run.users, "cloudCX1")
	start := time.Now()
	run.test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					run.mock.SetFaults(mockapi.Faults{RetryAfter: 600 * time.Second,
						FailNext: &mockapi.FailNext{Count: 1, Status: 429, Route: mockapi.RoutePostOrganization}})
				},
				Config: config,
				ExpectError: testAccFaultsError(`Unable to Assign Licenses.*license cloudCX1 \(add\): the request failed.*` +
					`Genesys Cloud answered 429 too.many.requests.retry.after: Rate limit exceeded the maximum. ` +
					`Retry the request in \[600\] seconds`),
			},
			run.afterFailure(config, "cloudCX1", 1, 10),
			{
				PreConfig: func() {
					if took := time.Since(start); took > time.Minute {
						t.Errorf("the failed apply took %s: the 600 s Retry-After was waited for", took)
					}
					run.mock.SetFaults(mockapi.Faults{})
				},
				Config:            config,
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, "cloudCX1")),
			},
			run.emptyPlan(config),
		},
	}, func(mockapi.Stats) int {
		if f := run.mock.Faults().FailNext; f != nil {
			t.Errorf("the injected 429 was not used: %+v", f)
		}
		return 1
	})
}

// Bursts of failures on writes and reads: 503s before the write, 504s and dropped connections
// after Genesys Cloud applied it (so the retried write repeats changes already made), and
// dropped connections on 20 % of every request plus a burst of 503s on postLicenseUsers during
// an update and its refreshes. Every burst is within the retry budget: all applies succeed.
func TestAccLong_Reliability_burstsOfServerErrors(t *testing.T) {
	t.Parallel()
	const n = 50
	run := newFaultRun(t, "bursts-5xx-and-resets", mockapi.Options{Users: n})
	config := func(licenses ...string) string {
		return run.config() + testAccFaultsConfig_users(run.users, licenses...)
	}
	faults := func(f mockapi.Faults) func() { return func() { run.mock.SetFaults(f) } }
	step := func(pre func(), licenses ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig:         pre,
			Config:            config(licenses...),
			ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, licenses...)),
		}
	}
	run.test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(faults(mockapi.Faults{FailNext: &mockapi.FailNext{Count: 2, Status: 503, Route: mockapi.RoutePostOrganization}}),
				"cloudCX1"),
			step(faults(mockapi.Faults{FailNext: &mockapi.FailNext{Count: 2, Status: 504, AfterApply: true, Route: mockapi.RoutePostOrganization}}),
				"cloudCX1", "wallboardUser"),
			step(faults(mockapi.Faults{FailNext: &mockapi.FailNext{Count: 2, Drop: true, AfterApply: true, Route: mockapi.RoutePostOrganization}}),
				"cloudCX1", "communicate", "wallboardUser"),
			step(faults(mockapi.Faults{ErrorRate: 0.2, ErrorDrop: true,
				FailNext: &mockapi.FailNext{Count: 2, Status: 503, Route: mockapi.RoutePostUsers}}),
				"cloudCX1", "communicate"),
		},
	}, func(mockapi.Stats) int { return 0 })
	if st := run.mock.Stats(); st.ChangesRepeated == 0 {
		t.Errorf("no change was repeated: the faults after apply did not make the provider send a write again (%+v)", st)
	}
}

// Writes answered later (1.5 s) than request_timeout (1 s): every attempt times out on the
// client's side after Genesys Cloud applied it, and is retried once (repeating changes already
// made). The outcome is settled by reading the users back: the 47 users whose changes were
// applied succeed, and the apply fails for exactly the 3 whose change Genesys Cloud really
// refused (an item failure the provider never saw, since every answer came too late).
func TestAccReliability_writesSlowerThanRequestTimeout(t *testing.T) {
	t.Parallel()
	const n = 50
	run := newFaultRun(t, "writes-slower-than-request-timeout", mockapi.Options{Users: n})
	refused := run.users[n-3:]
	itemFailures := map[string]string{}
	for _, u := range refused {
		itemFailures[u+"/cloudCX1"] = mockapi.ResultNoSeatsAvailable
	}
	config := run.config(`request_timeout = "1s"`, `max_retries = 1`) + testAccFaultsConfig_users(run.users, "cloudCX1")
	run.test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					run.mock.SetFaults(mockapi.Faults{ItemFailures: itemFailures,
						ResponseDelay: map[string]time.Duration{mockapi.RoutePostOrganization: 1500 * time.Millisecond}})
				},
				Config: config,
				// One error for each of the 3 refused users; the plan after it proves no other failed.
				ExpectError: testAccFaultsError(`(Unable to Assign Licenses.*?license cloudCX1 \(add\): the request failed.*?){3}`),
			},
			run.afterFailure(config, "cloudCX1", 3, 3, func(*terraform.State) error {
				for _, u := range refused {
					if held, _ := run.mock.UserLicenses(u); len(held) != 0 {
						return fmt.Errorf("user %s holds %v despite its item failure", u, held)
					}
				}
				return nil
			}),
			{
				PreConfig:         func() { run.mock.SetFaults(mockapi.Faults{}) },
				Config:            config,
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, "cloudCX1")),
			},
			run.emptyPlan(config),
		},
	}, func(mockapi.Stats) int { return 0 })
	if st := run.mock.Stats(); st.ChangesRepeated < n-3 {
		t.Errorf("%d changes repeated; every write timed out and was sent again, so want at least %d", st.ChangesRepeated, n-3)
	}
}

// Tokens that expire every 2 s throughout; every token revoked in the middle of an update's
// writes while the token endpoint throttles (400 "rate limit exceeded;") the next two requests
// for a token: the provider renews its token and carries on, and the update succeeds. Then
// every token revoked in the middle of another update while the token endpoint refuses every
// new token: the writes not sent yet fail naming the token endpoint's refusal, the state records
// exactly what was applied (those writes are certainly not applied, not "possibly"), and once
// the endpoint answers again an apply converges.
func TestAccLong_Reliability_tokensExpireRevokedThrottled(t *testing.T) {
	t.Parallel()
	const n = 50
	run := newFaultRun(t, "token-expiry-revocation-throttling", mockapi.Options{Users: n, TokenLifetime: 2 * time.Second})
	// Batches of at most 5 users, so that an update sends about 10 writes to revoke among; two
	// retries, so that a token request outlasts two throttles (waiting 1 s, then 2 s).
	config := func(licenses ...string) string {
		return run.config(`max_batch_users = 5`, `max_retries = 2`) + testAccFaultsConfig_users(run.users, licenses...)
	}
	var revocations atomic.Int32
	revokeAfterWrites := func(k, throttles int) func() {
		return func() {
			from := run.mock.Stats().Requests[mockapi.RoutePostOrganization]
			ctx := t.Context()
			go func() {
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-ctx.Done():
						return
					case <-tick.C:
					}
					if run.mock.Stats().Requests[mockapi.RoutePostOrganization]-from >= k {
						run.mock.SetFaults(mockapi.Faults{TokenThrottleNext: throttles})
						run.mock.RevokeTokens()
						revocations.Add(1)
						return
					}
				}
			}()
		}
	}
	revokedOnce := func(want int32) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := revocations.Load(); got != want {
				return fmt.Errorf("%d revocations, want %d: fewer than 3 writes in the update", got, want)
			}
			return nil
		}
	}
	run.test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config("cloudCX1"),
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, "cloudCX1")),
			},
			{
				PreConfig: revokeAfterWrites(3, 2),
				Config:    config("cloudCX1", "wallboardUser"),
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, "cloudCX1", "wallboardUser"),
					revokedOnce(1),
					func(*terraform.State) error {
						if f := run.mock.Faults(); f.TokenThrottleNext != 0 {
							return fmt.Errorf("%d token throttles left unused: no new token was requested after the revocation", f.TokenThrottleNext)
						}
						return nil
					}),
			},
			{
				PreConfig: revokeAfterWrites(3, 1000000),
				Config:    config("cloudCX1", "communicate", "wallboardUser"),
				ExpectError: testAccFaultsError(`Unable to Update License Assignment.*license communicate \(add\): not sent: .*` +
					`no access token could be obtained.*rate limit exceeded`),
			},
			func() resource.TestStep {
				s := run.afterFailure(config("cloudCX1", "communicate", "wallboardUser"), "communicate", 1, n-1, revokedOnce(2))
				s.PreConfig = func() { run.mock.SetFaults(mockapi.Faults{}) }
				return s
			}(),
			{
				Config:            config("cloudCX1", "communicate", "wallboardUser"),
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, "cloudCX1", "communicate", "wallboardUser")),
			},
			run.emptyPlan(config("cloudCX1", "communicate", "wallboardUser")),
		},
	}, func(mockapi.Stats) int { return 0 })
	if tokens := run.mock.Stats().Requests[mockapi.RouteToken]; tokens < 4 {
		t.Errorf("%d token requests: the 2 s tokens were not renewed", tokens)
	}
}

// 60 users want collaborate, which has 40 seats. The update assigns it to 40 users and fails
// naming the 20 refused (NoSeatsAvailable); the state records collaborate for exactly the 40
// who got it, and communicate, held before, for all 60. The next plan updates exactly the 20
// others; with the limit raised, an apply converges.
func TestAccReliability_seatExhaustion(t *testing.T) {
	t.Parallel()
	const n, seats = 60, 40
	run := newFaultRun(t, "seat-exhaustion", mockapi.Options{Users: n})
	config := func(licenses ...string) string {
		return run.config() + testAccFaultsConfig_users(run.users, licenses...)
	}
	run.test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config("communicate"),
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, "communicate")),
			},
			{
				PreConfig: func() { run.mock.SetFaults(mockapi.Faults{SeatLimits: map[string]int{"collaborate": seats}}) },
				Config:    config("collaborate", "communicate"),
				// One error per refused user, each naming it and the API's word.
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)(Unable[\s│]+to[\s│]+Update[\s│]+License[\s│]+Assignment.*?`+
					`user[\s│]+%s[\s│]+license[\s│]+collaborate[\s│]+\(add\):[\s│]+NoSeatsAvailable.*?){%d}`,
					`00000000-0000-4000-8000-\d{12},`, n-seats)),
			},
			run.afterFailure(config("collaborate", "communicate"), "collaborate", n-seats, n-seats,
				testAccCheckLicenseHolderCount(run.mock, "collaborate", seats)),
			{
				PreConfig:         func() { run.mock.SetFaults(mockapi.Faults{SeatLimits: map[string]int{"collaborate": n}}) },
				Config:            config("collaborate", "communicate"),
				ConfigStateChecks: run.truth(testAccCheckEveryUserHolds(run.mock, run.users, "collaborate", "communicate")),
			},
			run.emptyPlan(config("collaborate", "communicate")),
		},
	}, func(mockapi.Stats) int { return 0 })
}

// faultRun is one scenario: its mock, the resources it checks and the figures it reports.
type faultRun struct {
	name  string
	opts  mockapi.Options
	mock  *mockapi.Server
	url   string
	users []string // the seeded users, sorted
	addrs []string // every resource the state must record truthfully
	// settings are the provider settings of the steps.
	settings []string
	// verified counts the (user, license) pairs of the state compared with the mock, over every check.
	verified atomic.Int64
}

func newFaultRun(t *testing.T, name string, opts mockapi.Options) *faultRun {
	t.Helper()
	r := &faultRun{name: name, opts: opts}
	r.mock, r.url = testAccMock(t, opts)
	r.users = r.mock.UserIDs()
	for _, u := range r.users {
		r.addrs = append(r.addrs, testAccFaultsUserAddr(u))
	}
	return r
}

// config is the provider block pointing at the scenario's mock, with provider settings (the
// same in every step of a scenario).
func (r *faultRun) config(settings ...string) string {
	r.settings = settings
	return testAccProviderConfig(r.url, settings...)
}

// test runs the steps, then the same steps against a mock without faults, and logs the figures.
// injected429 returns how many of the faults injected were 429s.
func (r *faultRun) test(t *testing.T, tc resource.TestCase, injected429 func(mockapi.Stats) int) {
	t.Helper()
	// The last step destroys every resource by removing it from the configuration: the test
	// framework's own destroy and CheckDestroy go through a state shim that refuses for_each.
	// Its faults are cleared: destroy is not what the scenario is about.
	tc.Steps = append(tc.Steps, resource.TestStep{
		PreConfig:         func() { r.mock.SetFaults(mockapi.Faults{}) },
		Config:            testAccProviderConfig(r.url, r.settings...),
		ConfigStateChecks: []statecheck.StateCheck{mockChecks{[]resource.TestCheckFunc{r.checkDestroy}}},
	})
	start := time.Now()
	resource.Test(t, tc)
	took := time.Since(start)
	if t.Failed() {
		return
	}
	st := r.mock.Stats()
	requests := 0
	for _, c := range st.Requests {
		requests += c
	}
	start = time.Now()
	baseline := testAccFaultFreeRequests(t, r.opts, r.url, tc.Steps)
	t.Logf("%s: %s with faults, %s without (%d requests)", r.name, took.Round(time.Second), time.Since(start).Round(time.Second), baseline)
	t.Logf("RELIABILITY scenario=%s resources=%d requests=%d writes=%d retried=%d 429s=%d faults=%d "+
		"changes_applied=%d changes_repeated=%d verified=%d",
		r.name, len(r.addrs), requests, st.Requests[mockapi.RoutePostOrganization], requests-baseline,
		injected429(st)+st.RateLimited, st.FaultsInjected, st.ChangesApplied, st.ChangesRepeated, r.verified.Load())
}

// checkDestroy checks that, once every resource is destroyed, no user holds a license.
func (r *faultRun) checkDestroy(*terraform.State) error {
	for _, u := range r.users {
		if held, _ := r.mock.UserLicenses(u); len(held) > 0 {
			return fmt.Errorf("user %s still holds %v after destroy", u, held)
		}
	}
	return nil
}

// truth checks, after an apply, that the state records every resource as the mock holds it,
// then runs more checks of the mock alone. (Legacy Check functions cannot be used: their state
// shim does not support for_each.)
func (r *faultRun) truth(more ...resource.TestCheckFunc) []statecheck.StateCheck {
	return []statecheck.StateCheck{stateTruthCheck{run: r}, mockChecks{more}}
}

// afterFailure follows an apply expected to fail: with the faults still in force, it plans
// without refreshing, so the plan starts from the state the failed apply recorded; that state
// must equal the mock's truth, and the plan must change exactly the user resources whose user
// lacks license, between lo and hi of them.
func (r *faultRun) afterFailure(config, license string, lo, hi int, more ...resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
			priorStateTruthCheck{run: r},
			changesForUsersLackingCheck{run: r, license: license, lo: lo, hi: hi},
			mockChecks{more},
		}},
	}
}

// emptyPlan is a step proving that the configuration has converged.
func (r *faultRun) emptyPlan(config string) resource.TestStep {
	return resource.TestStep{
		Config:           config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}
}

// testAccFaultFreeRequests runs the steps' configurations again against a fresh mock without
// faults (the same users and starting licenses) and returns the requests it received.
func testAccFaultFreeRequests(t *testing.T, opts mockapi.Options, faultURL string, steps []resource.TestStep) int {
	t.Helper()
	mock, url := testAccMock(t, mockapi.Options{Users: opts.Users, UserLicenses: opts.UserLicenses})
	plain := make([]resource.TestStep, 0, len(steps))
	for _, s := range steps {
		plain = append(plain, resource.TestStep{Config: strings.ReplaceAll(s.Config, faultURL, url), PlanOnly: s.PlanOnly})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: plain})
	total := 0
	for _, c := range mock.Stats().Requests {
		total += c
	}
	return total
}

// stateTruthCheck is the truth check on a state after apply.
type stateTruthCheck struct{ run *faultRun }

func (c stateTruthCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	resp.Error = c.run.compare(req.State.Values.RootModule)
}

// priorStateTruthCheck is the truth check on the state a plan starts from (without a refresh
// before it, the state the last apply recorded).
type priorStateTruthCheck struct{ run *faultRun }

func (c priorStateTruthCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil {
		resp.Error = fmt.Errorf("the plan has no prior state")
		return
	}
	resp.Error = c.run.compare(req.Plan.PriorState.Values.RootModule)
}

// compare checks every resource of the module against the mock with the checks of the
// resources' own tests (testAccUserStateMatchesMock, testAccLicenseStateMatchesMock). A resource
// of the scenario missing from the state is fine (a create that failed records nothing); one
// the scenario does not know is not.
func (r *faultRun) compare(m *tfjson.StateModule) error {
	if m == nil {
		return nil
	}
	known := map[string]bool{}
	for _, a := range r.addrs {
		known[a] = true
	}
	var problems []string
	pairs := 0
	for _, res := range m.Resources {
		v := res.AttributeValues
		var err error
		switch {
		case !known[res.Address]:
			err = fmt.Errorf("%s is not a resource of the scenario", res.Address)
		case res.Type == "purecloud_user_license_assignment":
			user, _ := v["user_id"].(string)
			recorded := planSetStrings(v, "license_ids")
			pairs += len(recorded)
			err = testAccUserStateMatchesMock(r.mock, res.Address, user, recorded, v["exclusive"] == true)
		case res.Type == "purecloud_license_assignment":
			license, _ := v["license_id"].(string)
			recorded := planMapKeys(v, "users")
			pairs += len(recorded)
			err = testAccLicenseStateMatchesMock(r.mock, res.Address, license, recorded, v["authoritative"] == true)
		}
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	r.verified.Add(int64(pairs))
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("the state differs from Genesys Cloud for %d resources:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	return nil
}

// changesForUsersLackingCheck checks that a plan changes exactly the user resources whose user
// does not hold license in the mock, between lo and hi of them, and nothing else.
type changesForUsersLackingCheck struct {
	run     *faultRun
	license string
	lo, hi  int
}

func (c changesForUsersLackingCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var changed []string
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		if rc.Type != "purecloud_user_license_assignment" {
			resp.Error = fmt.Errorf("the plan changes %s", rc.Address)
			return
		}
		after, _ := rc.Change.After.(map[string]any)
		user, _ := after["user_id"].(string)
		changed = append(changed, user)
	}
	slices.Sort(changed)
	var lacking []string
	for _, u := range c.run.users {
		if held, _ := c.run.mock.UserLicenses(u); !slices.Contains(held, c.license) {
			lacking = append(lacking, u)
		}
	}
	switch {
	case !slices.Equal(changed, lacking):
		resp.Error = fmt.Errorf("the plan changes the resources of %d users %s; %d users lack %s: %s",
			len(changed), testAccShortList(changed), len(lacking), c.license, testAccShortList(lacking))
	case len(changed) < c.lo || len(changed) > c.hi:
		resp.Error = fmt.Errorf("%d users lack %s, want %d to %d", len(changed), c.license, c.lo, c.hi)
	}
}

// mockChecks runs checks of the mock alone (they get no state) as a state or plan check.
type mockChecks struct{ checks []resource.TestCheckFunc }

func (c mockChecks) run() error {
	for _, check := range c.checks {
		if err := check(nil); err != nil {
			return err
		}
	}
	return nil
}

func (c mockChecks) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.run()
}

func (c mockChecks) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.run()
}

// testAccFaultsError matches an error in Terraform's output, whose long lines are wrapped with
// a "│" margin: every space in pattern matches any run of white space and margins.
func testAccFaultsError(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `[\s│]+`))
}

func testAccFaultsUserAddr(user string) string {
	return fmt.Sprintf("purecloud_user_license_assignment.user[%q]", user)
}

// testAccFaultsConfig_users is one purecloud_user_license_assignment per user, all with the same
// licenses.
func testAccFaultsConfig_users(users []string, licenses ...string) string {
	return fmt.Sprintf(`
resource "purecloud_user_license_assignment" "user" {
  for_each    = toset([%s])
  user_id     = each.key
  license_ids = [%s]
}
`, hclStrings(users), hclStrings(licenses))
}
