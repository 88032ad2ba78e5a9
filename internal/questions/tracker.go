package questions

import (
	"strings"
	"time"
)

// Message is one chat message, as the tracker sees it.
type Message struct {
	ID         string
	Community  string
	Author     string // stable id
	AuthorName string // the name others address the author by
	TS         time.Time
	Text       string
	ReplyTo    string // the id of the message this replies to, if any
	Ref        int64  // the caller's own reference (a stored event id)
}

// Ways an answer is attributed to a question.
const (
	ByReply     = "reply"     // the platform's reply-to points at the question
	ByMention   = "mention"   // the message addresses the asker by name
	ByAddressee = "addressee" // the member the question was put to speaks next
)

// Question is a detected question and, once attributed, its answer.
type Question struct {
	Message
	Cue Cue
	// To is the member the question is addressed to, if any.
	To     string
	Answer *Answer
	seq    uint64
}

// Answer is the message attributed as the first answer to a question.
type Answer struct {
	ID     string
	Ref    int64
	Author string
	TS     time.Time
	How    string
}

type mark struct {
	id  string
	seq uint64
}

// Tracker detects questions and attributes answers across communities. Feed
// it every message in time order. It is not safe for concurrent use.
//
// The rules, measured on annotated #ubuntu IRC logs (shequn questions eval):
// a reply-to the question answers it; a message that addresses the asker by
// name answers the asker's question when that question is the asker's
// latest message and is recent; a question put to someone is answered by
// that person's next message. Unaddressed "next message" guesses were
// measured at under 20% precision and are not made.
type Tracker struct {
	// Window is how long a question stays open for a reply-to (an explicit
	// link: in WeChat-style groups answers come hours later).
	Window time.Duration
	// MentionWithin is how soon a message addressing the asker must follow
	// the question to count as its answer.
	MentionWithin time.Duration
	open          map[string][]*Question // community → open questions, oldest first
	names         map[string]string      // community|lower(name) → author
	last          map[string]mark        // community|author → their latest message
	n             uint64
}

// NewTracker returns a tracker with the default windows.
func NewTracker() *Tracker {
	return &Tracker{Window: 7 * 24 * time.Hour, MentionWithin: 20 * time.Minute,
		open: map[string][]*Question{}, names: map[string]string{}, last: map[string]mark{}}
}

// Reopen puts a stored, still unanswered question back under watch (after a
// restart). Reopen questions in time order, before new messages.
func (t *Tracker) Reopen(q *Question) {
	t.n++
	q.seq = t.n
	t.open[q.Community] = append(t.open[q.Community], q)
	t.names[q.Community+"|"+strings.ToLower(q.AuthorName)] = q.Author
	t.last[q.Community+"|"+q.Author] = mark{q.ID, q.seq}
}

// Observe takes the next message. It returns the question the message asks,
// if any, and the question it answers, if any.
func (t *Tracker) Observe(m Message) (asked, answered *Question) {
	t.n++
	if m.AuthorName != "" {
		t.names[m.Community+"|"+strings.ToLower(m.AuthorName)] = m.Author
	}
	t.expire(m.Community, m.TS)
	answered = t.attribute(m)
	t.last[m.Community+"|"+m.Author] = mark{m.ID, t.n}
	if answered != nil {
		t.close(answered)
		return nil, answered
	}
	if cue, ok := Detect(m.Text); ok {
		q := &Question{Message: m, Cue: cue, To: t.addressee(m), seq: t.n}
		t.open[m.Community] = append(t.open[m.Community], q)
		return q, nil
	}
	return nil, nil
}

// Open returns the community's open questions, oldest first.
func (t *Tracker) Open(community string) []*Question { return t.open[community] }

func (t *Tracker) attribute(m Message) *Question {
	open := t.open[m.Community]
	if len(open) == 0 {
		return nil
	}
	if m.ReplyTo != "" {
		for _, q := range open {
			if q.ID == m.ReplyTo && q.Author != m.Author {
				return t.answer(q, m, ByReply)
			}
		}
		return nil
	}
	to := t.addressee(m)
	if to == m.Author {
		return nil
	}
	if to != "" {
		latest := t.last[m.Community+"|"+to]
		for i := len(open) - 1; i >= 0 && m.TS.Sub(open[i].TS) <= t.MentionWithin; i-- {
			if q := open[i]; q.Author == to && q.ID == latest.id && m.TS.Sub(q.TS) <= t.MentionWithin {
				return t.answer(q, m, ByMention)
			}
		}
	}
	return t.byAddressee(m, to)
}

// byAddressee returns the open question put to m's author when m is their
// first message since and addresses its asker or no one (to == "").
func (t *Tracker) byAddressee(m Message, to string) *Question {
	open := t.open[m.Community]
	mine := t.last[m.Community+"|"+m.Author]
	for i := len(open) - 1; i >= 0 && m.TS.Sub(open[i].TS) <= t.MentionWithin; i-- {
		q := open[i]
		if q.To != m.Author || mine.seq > q.seq || (to != "" && to != q.Author) || m.TS.Sub(q.TS) > t.MentionWithin {
			continue
		}
		if _, isQ := Detect(m.Text); to != "" || !isQ {
			return t.answer(q, m, ByAddressee)
		}
	}
	return nil
}

// addressee returns the author m addresses by name ("nick: …", "@nick",
// "!factoid | nick", or an asker's name as a word), or "".
func (t *Tracker) addressee(m Message) string {
	name, _, ok := cutAddress(m.Text)
	if !ok {
		for _, f := range strings.Fields(m.Text) {
			if len(f) > 1 && f[0] == '@' {
				name, ok = strings.TrimRight(f[1:], ",:，：.!?"), true
				break
			}
		}
	}
	if !ok || name == "" {
		return t.named(m)
	}
	name = strings.ToLower(name)
	if a, ok := t.names[m.Community+"|"+name]; ok {
		return a
	}
	if len([]rune(name)) < 3 {
		return ""
	}
	open := t.open[m.Community]
	for i := len(open) - 1; i >= 0 && m.TS.Sub(open[i].TS) <= t.MentionWithin; i-- { // a shortened name: "yoh:" for yohannes
		if strings.HasPrefix(strings.ToLower(open[i].AuthorName), name) {
			return open[i].Author
		}
	}
	return ""
}

// named returns the asker of an open question whose name appears as a word
// in m ("try gparted, yohannes"), or "".
func (t *Tracker) named(m Message) string {
	open := t.open[m.Community]
	if len(open) == 0 {
		return ""
	}
	words := strings.FieldsFunc(strings.ToLower(m.Text), func(r rune) bool { return strings.ContainsRune(" ,:;.!?()\"'", r) })
	for i := len(open) - 1; i >= 0 && m.TS.Sub(open[i].TS) <= t.MentionWithin; i-- {
		n := strings.ToLower(open[i].AuthorName)
		if len(n) < 3 {
			continue
		}
		for _, w := range words {
			if w == n {
				return open[i].Author
			}
		}
	}
	return ""
}

func (t *Tracker) answer(q *Question, m Message, how string) *Question {
	q.Answer = &Answer{ID: m.ID, Ref: m.Ref, Author: m.Author, TS: m.TS, How: how}
	return q
}

func (t *Tracker) close(q *Question) {
	open := t.open[q.Community]
	for i, o := range open {
		if o == q {
			t.open[q.Community] = append(open[:i:i], open[i+1:]...)
			return
		}
	}
}

func (t *Tracker) expire(community string, now time.Time) {
	open := t.open[community]
	i := 0
	for i < len(open) && now.Sub(open[i].TS) > t.Window {
		i++
	}
	if i > 0 {
		t.open[community] = open[i:]
	}
}
