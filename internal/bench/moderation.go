package bench

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/sim"
)

// ModerationConfig sizes the moderation benchmark.
type ModerationConfig struct {
	Messages, Keywords, Regexes, Workers int
}

// Moderation runs simulated chat through every detector with Keywords
// generated keywords and Regexes regular expressions loaded, on Workers
// goroutines, and reports messages per second.
func Moderation(cfg ModerationConfig, out io.Writer) (float64, error) {
	if cfg.Messages <= 0 {
		return 0, shequn.Errorf(shequn.EINVALID, "messages must be positive")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	mc := moderation.DefaultConfig()
	for i := len(mc.Keywords); i < cfg.Keywords; i++ {
		mc.Keywords = append(mc.Keywords, moderation.Keyword{Text: "关键词" + strconv.Itoa(i) + "号", Weight: 1})
	}
	for i := 0; i < cfg.Regexes; i++ {
		mc.Regexes = append(mc.Regexes, fmt.Sprintf(`推广%d\s*号\d+|promo%dx\d{3,}`, i, i))
	}
	checker, err := moderation.NewChecker(mc, moderation.SeedClassifier())
	if err != nil {
		return 0, err
	}
	msgs, err := chatMessages(min(cfg.Messages, 200_000))
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(out, "%d keywords, %d regexes, %d distinct messages, %d workers\n", len(mc.Keywords), len(mc.Regexes), len(msgs), cfg.Workers)
	start := time.Now()
	var wg sync.WaitGroup
	var spam [64]int
	for w := 0; w < cfg.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < cfg.Messages; i += cfg.Workers {
				if checker.Check(msgs[i%len(msgs)]).Spam {
					spam[w%64]++
				}
			}
		}(w)
	}
	wg.Wait()
	took := time.Since(start)
	total := 0
	for _, n := range spam {
		total += n
	}
	rate := float64(cfg.Messages) / took.Seconds()
	fmt.Fprintf(out, "checked %d messages in %v, %d spam\n", cfg.Messages, took.Round(time.Millisecond), total)
	fmt.Fprintf(out, "moderation: %.0f msg/s\n", rate)
	return rate, nil
}

var errEnough = errors.New("enough messages")

// chatMessages returns n simulated chat messages (with their spam).
func chatMessages(n int) ([]moderation.Message, error) {
	var msgs []moderation.Message
	cfg := sim.Config{Seed: 5, Communities: 200, Members: 20_000, Days: 365, End: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	err := sim.Run(cfg, func(e shequn.Event) error {
		if e.Kind == shequn.EventMessage {
			msgs = append(msgs, moderation.Message{Text: e.Text, Community: e.Community, Member: e.Actor, TS: e.TS})
		}
		if len(msgs) >= n {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, fmt.Errorf("the simulation wrote no messages")
	}
	return msgs, nil
}
