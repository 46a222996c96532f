package main

import (
	"fmt"
	"strings"
)

// licenseFloor is the floor result the license result res is compared with: terraform_data
// with the resource's shape, the same parts, N and phase.
func (r report) licenseFloor(res result) (result, bool) {
	for _, f := range r.results {
		if f.resource == resourceLicense && f.mode == modeFloor && f.shape == resourceShape &&
			f.parts == res.parts && f.n == res.n && f.phase == res.phase {
			return f, true
		}
	}
	return result{}, false
}

// licenseMarkdown is the license workload's part of the report.
func (r report) licenseMarkdown() string {
	var s strings.Builder
	s.WriteString("\n#### purecloud_license_assignment\n\n")
	fmt.Fprintf(&s, "- Workload: one license (`%s`) held by N users, in one `purecloud_license_assignment` (K = 1) or split "+
		"into K resources by a hash of the user id (as the `csv-split` example). Phases: create; no-change plan; "+
		"add: an apply with %d more users; drift: %d of the first N users lose the license through the mock's admin API, "+
		"then `plan -detailed-exitcode` (for `terraform_data`, which cannot drift: a plan whose configuration lacks "+
		"the same users); destroy.\n", licenseHeld, changedCount(r.o.n), changedCount(r.o.n))
	fmt.Fprintf(&s, "- The provider's holder attribute has the shape `%s`; `terraform_data` holds the same users as its `input` in the shapes:\n", resourceShape)
	for _, sh := range shapeNames {
		if r.ranShape(sh) {
			fmt.Fprintf(&s, "  - `%s`: %s.\n", sh, shapeLegend[sh])
		}
	}
	s.WriteString("- `× floor`: wall time over that of `terraform_data` with the provider's shape, the same K, N and phase, " +
		"in the same run; on a `terraform_data` row of another shape, its ratio to that floor.\n")
	s.WriteString("- CPU: user and system time of Terraform and the provider processes it started (`wait4`); on a shared machine it varies less than the wall time.\n")
	s.WriteString("- Requests are counted by the mock; " + rssLegend + " Lines: what Terraform printed; holder lines: of which the diff of the holder attribute (`users`, or `terraform_data`'s `input`; its `output` becomes unknown and lists every old element, which a provider's attribute does not).\n\n")

	s.WriteString("| mode | shape | K | N | phase | wall s | × floor | CPU s | " + strings.Join(requestColumns, " | ") +
		" | all requests | 429s | Terraform peak RSS MiB | provider peak RSS MiB | lines | holder lines |\n")
	s.WriteString("|---|---|--:|--:|---|--:|--:|--:|" + strings.Repeat("--:|", len(requestColumns)) + "--:|--:|--:|--:|--:|--:|\n")
	for _, res := range r.results {
		if !res.reported || res.resource != resourceLicense {
			continue
		}
		ratio := "–"
		if f, ok := r.licenseFloor(res); ok && f.wall > 0 {
			ratio = fmt.Sprintf("%.2f", res.wall.Seconds()/f.wall.Seconds())
		}
		label := phaseLabel(res.phase)
		if res.failed {
			label += " **FAILED**"
		}
		fmt.Fprintf(&s, "| %s | %s | %d | %d | %s | %.1f | %s | %.1f |", res.mode, res.shape, res.parts, res.n, label, res.wall.Seconds(), ratio, res.cpu.Seconds())
		for _, c := range requestColumns {
			if res.counted {
				fmt.Fprintf(&s, " %d |", res.requests[c])
			} else {
				s.WriteString(" – |")
			}
		}
		if res.counted {
			fmt.Fprintf(&s, " %d | %d |", res.total, res.rateLimited)
		} else {
			s.WriteString(" – | – |")
		}
		fmt.Fprintf(&s, " %s | %s | %d | %d |\n", mib(res.cliRSSKB), mib(res.rssKB), res.lines, res.holderLines)
	}

	if targets := r.licenseTargets(); len(targets) > 0 {
		s.WriteString("\nTargets of one resource holding 10,000 users or more (a MISS does not fail the run):\n\n| target | measured | result |\n|---|---|---|\n")
		for _, t := range targets {
			verdict := "MISS"
			if t.pass {
				verdict = "PASS"
			}
			fmt.Fprintf(&s, "| %s | %s | %s |\n", t.name, t.measured, verdict)
		}
	}
	return s.String()
}

func (r report) ranShape(shape string) bool {
	for _, res := range r.results {
		if res.resource == resourceLicense && res.shape == shape {
			return true
		}
	}
	return false
}

// licenseTargets are the goals for one resource holding N ≥ 10,000 users with the defaults.
func (r report) licenseTargets() []target {
	limits := map[string]float64{phaseCreate: 15, phasePlan: 10, phaseDrift: 15, phaseAdd: 15}
	var out []target
	var cli, prov int64
	seen := false
	for _, res := range r.results {
		if res.resource != resourceLicense || res.mode != modeDefaults || res.parts != 1 || res.n < 10000 || !res.reported || res.failed {
			continue
		}
		seen = true
		cli, prov = max(cli, res.cliRSSKB), max(prov, res.rssKB)
		if limit, ok := limits[res.phase]; ok {
			out = append(out, target{
				name:     fmt.Sprintf("N = %d, %s ≤ %.0f s", res.n, phaseLabel(res.phase), limit),
				measured: fmt.Sprintf("%.1f s", res.wall.Seconds()), pass: res.wall.Seconds() <= limit,
			})
		}
	}
	if seen {
		out = append(out,
			target{name: "Terraform peak RSS ≤ 500 MB", measured: fmt.Sprintf("%.0f MB", float64(cli)*1024/1e6), pass: float64(cli)*1024 <= 500e6},
			target{name: "provider peak RSS ≤ 200 MB", measured: fmt.Sprintf("%.0f MB", float64(prov)*1024/1e6), pass: float64(prov)*1024 <= 200e6})
	}
	return out
}
