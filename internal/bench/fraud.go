package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// FraudConfig sizes the fraud benchmark: Inviters real members invite
// people over a week; Fraud is the share of helpers who are sock puppets
// of invite farms.
type FraudConfig struct {
	Inviters int
	Fraud    float64
	Seed     uint64
}

// FraudResult is how the help ledger's decisions scored against the
// simulation's truth: a help is caught when it is suspect (its signals
// reached the review score, whether it went to review or its invitee
// left).
type FraudResult struct {
	Helps, Fraudulent, Caught, CaughtFraud int
	Precision, Recall                      float64
}

// fraudWorld is the simulated campaign: its events and which invitees
// are sock puppets.
type fraudWorld struct {
	events []shequn.EventInput
	fake   map[string]bool
	n      int
}

// Fraud simulates a task campaign in which real members invite friends
// (who mostly stay and talk, some at a party in a burst, a few keep a
// default name or leave) while farms bring sock puppets (in bursts,
// mostly default names, mostly silent, some leaving within hours); it
// runs the ledger and scores its catches against the truth.
func Fraud(ctx context.Context, cfg FraudConfig, out io.Writer) (FraudResult, error) {
	var r FraudResult
	if cfg.Inviters < 1 || cfg.Fraud < 0 || cfg.Fraud >= 1 {
		return r, shequn.Errorf(shequn.EINVALID, "inviters must be at least 1, fraud a share from 0 to 1")
	}
	dir, err := os.MkdirTemp("", "shequn-fraud-")
	if err != nil {
		return r, fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "fraud.db"))
	if err != nil {
		return r, err
	}
	defer db.Close()
	a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ws, err := a.EnsureWorkspace(ctx, "fraud", "fraud", "Asia/Shanghai")
	if err != nil {
		return r, err
	}
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	w := simulateCampaign(cfg, start)
	if _, err := a.ImportEvents(ctx, ws, w.events); err != nil {
		return r, err
	}
	c := &shequn.Campaign{Name: "bench", Start: start, End: start.Add(7 * 24 * time.Hour), NewOnly: true, Stages: []shequn.Stage{{Threshold: 3, Points: 10}}}
	if err := a.SaveCampaign(ctx, ws, nil, c); err != nil {
		return r, err
	}
	for _, at := range []time.Time{start.Add(4 * 24 * time.Hour), c.End.Add(80 * time.Hour)} {
		if err := a.RunCampaigns(ctx, ws, at); err != nil {
			return r, err
		}
	}
	helps, err := a.CampaignHelps(ctx, ws, c.ID, 0)
	if err != nil {
		return r, err
	}
	for _, h := range helps {
		r.Helps++
		fake := w.fake[h.InviteeName]
		caught := h.Suspect()
		r.Fraudulent += b2i(fake)
		r.Caught += b2i(caught)
		r.CaughtFraud += b2i(fake && caught)
	}
	r.Precision = float64(r.CaughtFraud) / float64(max(1, r.Caught))
	r.Recall = float64(r.CaughtFraud) / float64(max(1, r.Fraudulent))
	fmt.Fprintf(out, "%d helps, %d from sock puppets (%.0f%%); %d suspect (signals reached the review score), %d of them fraudulent\n",
		r.Helps, r.Fraudulent, 100*float64(r.Fraudulent)/float64(max(1, r.Helps)), r.Caught, r.CaughtFraud)
	fmt.Fprintf(out, "fraud: precision %.2f recall %.2f\n", r.Precision, r.Recall)
	return r, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// simulateCampaign makes the campaign week's events.
func simulateCampaign(cfg FraudConfig, start time.Time) *fraudWorld {
	rng := rand.New(rand.NewPCG(cfg.Seed, 2026))
	w := &fraudWorld{fake: map[string]bool{}}
	// a real inviter brings 3.5 friends on average, a farm 30 puppets
	farms := max(1, int(float64(cfg.Inviters)*3.5*cfg.Fraud/(1-cfg.Fraud)/30+0.5))
	for i := range cfg.Inviters {
		w.join(fmt.Sprintf("m%d", i), fmt.Sprintf("成员%d", i), start.Add(-30*24*time.Hour), "")
		w.realInvites(rng, fmt.Sprintf("m%d", i), start)
	}
	for f := range farms {
		farm := fmt.Sprintf("farm%d", f)
		w.join(farm, fmt.Sprintf("小号主%d", f), start.Add(-30*24*time.Hour), "")
		w.farmInvites(rng, farm, start)
	}
	return w
}

// realInvites: 1–6 friends, spread over the week, or all at once at a
// party (5%); 4% keep a default name, 10% leave, 85% talk.
func (w *fraudWorld) realInvites(rng *rand.Rand, inviter string, start time.Time) {
	n := 1 + rng.IntN(6)
	party := rng.Float64() < 0.05
	at := start.Add(time.Duration(rng.IntN(6*24*60)) * time.Minute)
	for range n {
		if party {
			at = at.Add(time.Duration(1+rng.IntN(90)) * time.Second)
		} else {
			at = start.Add(time.Duration(rng.IntN(6*24*60)) * time.Minute)
		}
		name := fmt.Sprintf("好友%d", w.n)
		if rng.Float64() < 0.04 {
			name = fmt.Sprintf("微信用户%d", w.n)
		}
		w.person(rng, inviter, name, at, false, 0.10, 0.85)
	}
}

// farmInvites: 3 bursts of 5–15 sock puppets a few seconds apart; 60%
// default names, 10% talk (a scripted hello), 30% leave within hours.
func (w *fraudWorld) farmInvites(rng *rand.Rand, farm string, start time.Time) {
	for range 3 {
		at := start.Add(time.Duration(rng.IntN(6*24*60)) * time.Minute)
		for range 5 + rng.IntN(11) {
			at = at.Add(time.Duration(2+rng.IntN(20)) * time.Second)
			name := fmt.Sprintf("Lucky%d", w.n)
			if rng.Float64() < 0.6 {
				name = fmt.Sprintf("微信用户%d", w.n)
			}
			w.person(rng, farm, name, at, true, 0.30, 0.10)
		}
	}
}

// person joins through inviter, maybe leaves within the hold, maybe talks.
func (w *fraudWorld) person(rng *rand.Rand, inviter, name string, at time.Time, fake bool, leave, talk float64) {
	id := fmt.Sprintf("p%d", w.n)
	w.n++
	w.fake[name] = fake
	w.join(id, name, at, inviter)
	switch {
	case rng.Float64() < leave:
		w.events = append(w.events, shequn.EventInput{ID: "l" + id, Platform: "wecom", Community: "g", Actor: id, ActorName: name, Kind: "leave",
			TS: at.Add(time.Duration(1+rng.IntN(48)) * time.Hour).Format(time.RFC3339)})
	case rng.Float64() < talk:
		w.events = append(w.events, shequn.EventInput{ID: "t" + id, Platform: "wecom", Community: "g", Actor: id, ActorName: name, Kind: "message",
			TS: at.Add(time.Duration(1+rng.IntN(60)) * time.Hour).Format(time.RFC3339), Text: "大家好，我是新来的"})
	}
}

func (w *fraudWorld) join(id, name string, at time.Time, inviter string) {
	w.events = append(w.events, shequn.EventInput{ID: "j" + id, Platform: "wecom", Community: "g", CommunityName: "活动群", Actor: id, ActorName: name,
		Kind: "join", TS: at.Format(time.RFC3339), Inviter: inviter})
}
