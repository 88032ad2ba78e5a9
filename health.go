package shequn

import (
	"math"
	"slices"
	"time"
)

// Health components, in the order the console shows them.
const (
	HealthActivation   = "activation"   // members active in 28 days / members
	HealthNewcomers    = "newcomers"    // newcomers still there 7 days after joining
	HealthGrowth       = "growth"       // (joins − leaves) / members over 28 days
	HealthAnswers      = "answers"      // answered share of questions, and speed
	HealthBalance      = "balance"      // 1 − share of messages of the top 20% posters
	HealthConversation = "conversation" // replies / messages
	HealthClean        = "clean"        // 1 − moderation cases / messages
)

// HealthWeights are the default weights of the components (they add up
// to 100); a component a group has no data for is left out and the
// others weigh in its place.
var HealthWeights = map[string]int{
	HealthActivation: 25, HealthNewcomers: 20, HealthGrowth: 15, HealthAnswers: 15,
	HealthBalance: 10, HealthConversation: 10, HealthClean: 5,
}

// CheckHealthWeights verifies a workspace's weights: every component
// named, each 0 to 100, not all 0.
func CheckHealthWeights(w map[string]int) error {
	sum := 0
	for name, v := range w {
		if _, ok := HealthWeights[name]; !ok {
			return Invalid(name, "health component %q: want one of activation, newcomers, growth, answers, balance, conversation, clean", name)
		}
		if v < 0 || v > 100 {
			return Invalid(name, "weight of %s: %d, want 0 to 100", name, v)
		}
		sum += v
	}
	if len(w) != len(HealthWeights) {
		return Errorf(EINVALID, "health weights: want all %d components", len(HealthWeights))
	}
	if sum == 0 {
		return Errorf(EINVALID, "health weights: at least one above 0")
	}
	return nil
}

// HealthOrder lists the components.
var HealthOrder = []string{HealthActivation, HealthNewcomers, HealthGrowth, HealthAnswers, HealthBalance, HealthConversation, HealthClean}

// Lifecycle stages of a group, measured (the operator's own stage of a
// community is Community.Stage).
const (
	LifecycleLaunch    = "launch"    // first seen less than 14 days ago
	LifecycleGrowth    = "growth"    // net growth above 5% of members in 28 days, activity not falling
	LifecycleMature    = "mature"    // none of the others
	LifecycleDeclining = "declining" // more leaves than joins, or activity down three weeks running
	LifecycleDormant   = "dormant"   // no message in 14 days
)

// HealthPart is one component of a group's health: its raw value, where
// that stands among the workspace's groups (0–100) and its weight.
type HealthPart struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Score  float64 `json:"score"`
	Weight int     `json:"weight"`
	// Missing is set when the group has no data for it (no questions, no
	// newcomers): it does not count.
	Missing bool `json:"missing,omitempty"`
}

// GroupHealth is a group's health over the last 28 days.
type GroupHealth struct {
	CommunityID int64  `json:"community_id"`
	Name        string `json:"name"`
	Platform    string `json:"platform"`
	Benchmark   bool   `json:"benchmark"`
	Score       int    `json:"score"`
	Lifecycle   string `json:"lifecycle"`
	// Measured is the stage measured now when it differs from Lifecycle
	// (held until it has lasted LifecycleHold).
	Measured string       `json:"lifecycle_measured,omitempty"`
	Parts    []HealthPart `json:"components"`
	// Weakest is the component that pulls the score down most; Action
	// names what to do about it (a key the console and bot translate).
	Weakest  string `json:"weakest,omitempty"`
	Action   string `json:"action,omitempty"`
	Members  int    `json:"members"`
	Active   int    `json:"active_28d"`
	Messages int    `json:"messages_28d"`
	// SingleVoice is set when one member wrote more than half of the
	// group's messages in the last 7 days.
	SingleVoice bool `json:"single_voice"`
	// Spark is the messages of each of the 28 days.
	Spark []int `json:"spark"`
}

// Percentiles scores each value against the others, 0 (lowest) to 100
// (highest); ties share the mean of their ranks; a single value scores 50.
func Percentiles(vals []float64) []float64 {
	n := len(vals)
	out := make([]float64, n)
	if n == 1 {
		out[0] = 50
	}
	if n <= 1 {
		return out
	}
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	for i, v := range vals {
		lo, _ := slices.BinarySearch(sorted, v)
		hi := lo
		for hi < n && sorted[hi] == v {
			hi++
		}
		out[i] = 100 * (float64(lo+hi-1) / 2) / float64(n-1)
	}
	return out
}

// Total adds up the parts that have data, weighted, into 0–100, and
// names the part that pulls the score down most.
func (g *GroupHealth) Total() {
	sum, weights, worst := 0.0, 0, -1.0
	g.Weakest = ""
	for _, p := range g.Parts {
		if p.Missing || p.Weight == 0 {
			continue
		}
		sum += p.Score * float64(p.Weight)
		weights += p.Weight
		if loss := (100 - p.Score) * float64(p.Weight); loss > worst && p.Score < 50 {
			worst, g.Weakest = loss, p.Name
		}
	}
	if weights > 0 {
		g.Score = int(math.Round(sum / float64(weights)))
	}
	g.Action = g.advice()
}

// advice names what to do: revive a dormant group whatever its parts; else
// mend the weakest part; else hear more voices, or halt a decline.
func (g *GroupHealth) advice() string {
	switch {
	case g.Lifecycle == LifecycleDormant:
		return "advice_dormant"
	case g.Weakest != "":
		return "advice_" + g.Weakest
	case g.SingleVoice:
		return "advice_single_voice"
	case g.Lifecycle == LifecycleDeclining:
		return "advice_declining"
	}
	return ""
}

// LifecycleHold is how long a newly measured lifecycle stage must hold
// before a group is shown in it: a group on the edge does not flap.
const LifecycleHold = 3 * 24 * time.Hour

// LifecycleState is a group's shown stage, since when, and the stage
// measured that differs from it (Pending), since when.
type LifecycleState struct {
	Stage        string
	Since        time.Time
	Pending      string
	PendingSince time.Time
}

// Next is the state after measuring stage at now: the first measure shows
// at once; a different one shows once measured for LifecycleHold without a
// break; measuring the shown stage again clears what was pending.
func (s LifecycleState) Next(measured string, now time.Time) LifecycleState {
	switch {
	case s.Stage == "":
		return LifecycleState{Stage: measured, Since: now}
	case measured == s.Stage:
		return LifecycleState{Stage: s.Stage, Since: s.Since}
	case measured != s.Pending:
		return LifecycleState{Stage: s.Stage, Since: s.Since, Pending: measured, PendingSince: now}
	case now.Sub(s.PendingSince) >= LifecycleHold:
		return LifecycleState{Stage: measured, Since: now}
	}
	return s
}
