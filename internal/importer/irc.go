// Package importer turns exported chat history (IRC logs, Telegram Desktop
// JSON exports) into events for the ingestion pipeline.
package importer

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

var (
	ircMessage = regexp.MustCompile(`^\[(\d\d):(\d\d)(?::(\d\d))?\] <([^>]+)> ?(.*)$`)
	// A nick may be written in brackets ("=== [nick]  [~user@host]  has
	// joined #chan", as some loggers write it) and the host may hold
	// brackets too: the nick is what comes before the host.
	ircJoin  = regexp.MustCompile(`^=== (.+?)\s+(?:\[.*\]\s+)?has joined (#\S+)`)
	ircLeave = regexp.MustCompile(`^=== (.+?)\s+(?:\[.*\]\s+)?has (?:left|quit)`)
	ircNick  = regexp.MustCompile(`^=== (\S+) +is now known as (\S+)`)
	// Mode changes ("=== mode/#chan [+o nick]  by ChanServ") are not said
	// by anyone: skipped.
	ircMode   = regexp.MustCompile(`^=== mode/`)
	ircAction = regexp.MustCompile(`^=== (\S+) (.+)$`)
	fileDate  = regexp.MustCompile(`(\d{4}-\d\d-\d\d)`)
)

// IRCLog describes one IRC log file.
type IRCLog struct {
	Name    string // the file name; ids are NAME:LINE, the date comes from it
	Channel string // the community when the log never names it
	Date    time.Time
}

// NewIRCLog reads the log's date from its file name (YYYY-MM-DD…).
func NewIRCLog(path, channel string) (IRCLog, error) {
	base := filepath.Base(path)
	m := fileDate.FindString(base)
	if m == "" {
		return IRCLog{}, fmt.Errorf("%s: no YYYY-MM-DD date in the file name", base)
	}
	d, err := time.Parse("2006-01-02", m)
	if err != nil {
		return IRCLog{}, fmt.Errorf("%s: %w", base, err)
	}
	name := strings.TrimSuffix(strings.TrimSuffix(base, ".txt"), ".raw")
	return IRCLog{Name: name, Channel: channel, Date: d}, nil
}

// ParseIRC reads a log in the irclog format ("[HH:MM] <nick> text", "===
// nick has joined #chan", "=== a is now known as b", "=== nick does
// something"). Line N (from 0) becomes event NAME:N. A nick change keeps
// the person: later lines by the new nick belong to the first nick seen.
// Unparsable lines are skipped and counted.
func ParseIRC(r io.Reader, log IRCLog) (events []shequn.EventInput, skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	alias := map[string]string{} // current nick → person id
	person := func(nick string) string {
		if p, ok := alias[nick]; ok {
			return p
		}
		return nick
	}
	day := log.Date
	var last time.Time = day
	channel := log.Channel
	if channel == "" {
		channel = "#irc"
	}
	for n := 0; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		ev := shequn.EventInput{ID: fmt.Sprintf("%s:%d", log.Name, n), Platform: "irc", Community: channel, CommunityName: channel}
		switch m := ircMessage.FindStringSubmatch(line); {
		case m != nil:
			ts := clock(day, m[1], m[2], m[3])
			if ts.Before(last.Add(-time.Hour)) { // past midnight
				day = day.AddDate(0, 0, 1)
				ts = ts.AddDate(0, 0, 1)
			}
			last = ts
			ev.Kind, ev.Actor, ev.ActorName, ev.Text = "message", person(m[4]), m[4], m[5]
		case ircJoin.MatchString(line):
			nick := bare(ircJoin.FindStringSubmatch(line)[1])
			ev.Kind, ev.Actor, ev.ActorName = "join", person(nick), nick
		case ircLeave.MatchString(line):
			nick := bare(ircLeave.FindStringSubmatch(line)[1])
			ev.Kind, ev.Actor, ev.ActorName = "leave", person(nick), nick
		case ircNick.MatchString(line):
			m := ircNick.FindStringSubmatch(line)
			alias[bare(m[2])] = person(bare(m[1]))
			continue // a rename is not an event; the next line carries the new name
		case ircMode.MatchString(line):
			continue
		case ircAction.MatchString(line) && !strings.Contains(line, "sets mode"):
			m := ircAction.FindStringSubmatch(line)
			ev.Kind, ev.Actor, ev.ActorName, ev.Text = "message", person(m[1]), m[1], "* "+m[1]+" "+m[2]
		default:
			if strings.TrimSpace(line) != "" {
				skipped++
			}
			continue
		}
		ev.TS = last.Format(time.RFC3339)
		events = append(events, ev)
	}
	if err := sc.Err(); err != nil {
		return nil, skipped, fmt.Errorf("%s: %w", log.Name, err)
	}
	return events, skipped, nil
}

// bare removes the brackets a nick is written in, if any.
func bare(nick string) string {
	if len(nick) > 2 && nick[0] == '[' && nick[len(nick)-1] == ']' {
		return nick[1 : len(nick)-1]
	}
	return nick
}

func clock(day time.Time, h, m, s string) time.Time {
	var hh, mm, ss int
	fmt.Sscanf(h, "%d", &hh)
	fmt.Sscanf(m, "%d", &mm)
	if s != "" {
		fmt.Sscanf(s, "%d", &ss)
	}
	return day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second)
}
