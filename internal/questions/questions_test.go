package questions

import (
	"strings"
	"testing"
	"time"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		text string
		cue  Cue
	}{
		{"can anyone recommend any app to create/open *.rar file?", CueMark},
		{"请问这个课程什么时候开始？", CueMark},
		{"这个能退款吗", CueParticle},
		{"有人知道怎么报名", CueHelp},
		{"打卡的规则是怎样的", CueZhWord},
		{"how do i mount an ntfs partition", CueHelp},
		{"does this work with postfix admin", CueEnOpening},
		{"bob2: is there any way to get the old kernel back", CueHelp},
		{"大家早上好", ""},
		{"thanks, that worked", ""},
		{"hi", ""},
		{"在吗", ""}, // a greeting, not a question
		{"lol", ""},
	}
	for _, c := range cases {
		cue, ok := Detect(c.text)
		if cue != c.cue || ok != (c.cue != "") {
			t.Errorf("Detect(%q) = %q, %v; want %q", c.text, cue, ok, c.cue)
		}
	}
}

func TestCutAddress(t *testing.T) {
	cases := []struct{ text, name, rest string }{
		{"yohannes, why not WinRAR?", "yohannes", "why not WinRAR?"},
		{"blocke: 5 seconds", "blocke", "5 seconds"},
		{"@小王 在第三节", "小王", "在第三节"},
		{"小王：看群公告", "小王", "看群公告"},
		{"!undelete | gwydionwaters", "gwydionwaters", "!undelete"},
		{"ubuntujenkins-> what is a dropbox?", "ubuntujenkins", "what is a dropbox?"},
		{"http://example.com/x is the page", "", "http://example.com/x is the page"},
		{"no address here", "", "no address here"},
	}
	for _, c := range cases {
		name, rest, _ := cutAddress(c.text)
		if name != c.name || (name != "" && rest != c.rest) {
			t.Errorf("cutAddress(%q) = %q, %q; want %q, %q", c.text, name, rest, c.name, c.rest)
		}
	}
}

// msg builds messages a minute apart: "author: text" or "author>reply_to: text".
func script(lines ...string) []Message {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var out []Message
	for i, l := range lines {
		who, text, _ := strings.Cut(l, "| ")
		author, reply, _ := strings.Cut(who, ">")
		out = append(out, Message{ID: string(rune('a' + i)), Community: "g", Author: author, AuthorName: author,
			TS: t0.Add(time.Duration(i) * time.Minute), Text: text, ReplyTo: reply})
	}
	return out
}

func TestTrackerAttribution(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		// want maps a question's id to its answer's id ("" = unanswered).
		want map[string]string
	}{
		{"reply-to", []string{"ann| 这个能退款吗", "bob>a| 可以，七天内"}, map[string]string{"a": "b"}},
		{"mention", []string{"ann| how do i mount ntfs?", "bob| ann: use ntfs-3g"}, map[string]string{"a": "b"}},
		{"shortened nick", []string{"yohannes| how can i open a rar file?", "bob| yoh: file-roller"}, map[string]string{"a": "b"}},
		{"name in the text", []string{"ann| which editor should I use?", "bob| try vim, ann"}, map[string]string{"a": "b"}},
		{"asker said more since: the answer is to that", []string{"ann| how do i mount ntfs?", "ann| it is on sdb1 and i use hoary", "bob| ann: hoary has it built in"}, map[string]string{"a": ""}},
		{"put to someone: their next message answers", []string{"bob| morning", "ann| bob, are you using ext3?", "bob| yes, ext3"}, map[string]string{"b": "c"}},
		{"unaddressed chatter answers nothing", []string{"ann| how do i mount ntfs?", "bob| good morning all"}, map[string]string{"a": ""}},
		{"own follow-up is not an answer", []string{"ann| how do i mount ntfs?", "ann| ann: anyone?"}, map[string]string{"a": ""}},
		{"reply to another message answers nothing", []string{"ann| how do i mount ntfs?", "cat| hello", "bob>b| hi cat"}, map[string]string{"a": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := NewTracker()
			got := map[string]string{}
			for _, m := range script(c.lines...) {
				asked, answered := tr.Observe(m)
				if asked != nil {
					got[asked.ID] = ""
				}
				if answered != nil {
					got[answered.ID] = answered.Answer.ID
				}
			}
			for q, a := range c.want {
				if g, ok := got[q]; !ok || g != a {
					t.Errorf("question %s: answer %q (detected %v), want %q", q, g, ok, a)
				}
			}
		})
	}
}

func TestTrackerExpiresAndReopens(t *testing.T) {
	tr := NewTracker()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tr.Observe(Message{ID: "q", Community: "g", Author: "ann", AuthorName: "ann", TS: t0, Text: "how do i mount ntfs?"})
	if _, a := tr.Observe(Message{ID: "late", Community: "g", Author: "bob", TS: t0.Add(2 * time.Hour), Text: "ann: ntfs-3g"}); a != nil {
		t.Fatalf("a mention two hours later attributed to %s", a.ID)
	}
	if _, a := tr.Observe(Message{ID: "reply", Community: "g", Author: "cat", TS: t0.Add(30 * time.Hour), Text: "use ntfs-3g", ReplyTo: "q"}); a == nil || a.ID != "q" {
		t.Fatalf("a reply a day later not attributed: %v", a)
	}
	if _, a := tr.Observe(Message{ID: "q2", Community: "g", Author: "ann", TS: t0, Text: "and how do I unmount it?"}); a != nil {
		t.Fatal("a question answered nothing")
	}
	if _, a := tr.Observe(Message{ID: "r2", Community: "g", Author: "cat", TS: t0.Add(8 * 24 * time.Hour), Text: "umount", ReplyTo: "q2"}); a != nil {
		t.Fatal("a reply after a week was attributed")
	}
	tr2 := NewTracker()
	tr2.Reopen(&Question{Message: Message{ID: "q", Community: "g", Author: "ann", AuthorName: "ann", TS: t0, Text: "how?"}})
	if _, a := tr2.Observe(Message{ID: "r", Community: "g", Author: "bob", TS: t0.Add(time.Minute), Text: "ann: like this"}); a == nil || a.ID != "q" {
		t.Fatalf("reopened question not answered: %v", a)
	}
}

func TestScoreLog(t *testing.T) {
	links, err := ParseLinks(strings.NewReader("1000 1000 -\n1000 1002 -\n1001 1003 -\n990 1004 -\n"))
	if err != nil || links.First != 1000 {
		t.Fatalf("links %v first %d", err, links.First)
	}
	authors := map[int]string{1000: "ann", 1001: "bob", 1002: "cat", 1003: "bob", 1004: "dan", 990: "eve"}
	s := ScoreLog(links, []Scored{
		{Line: 1000, AnswerLine: 1002, Author: "ann"}, // right
		{Line: 1001, AnswerLine: 1004, Author: "bob"}, // wrong; 1001 was only answered by bob himself
		{Line: 990, AnswerLine: 1004, Author: "eve"},  // before the annotated lines: not counted
	}, func(l int) string { return authors[l] })
	want := Score{Detected: 2, Answered: 1, Predicted: 2, Correct: 1}
	if s != want {
		t.Fatalf("score %+v, want %+v", s, want)
	}
	if _, err := ParseLinks(strings.NewReader("x y -\n")); err == nil {
		t.Fatal("bad annotation accepted")
	}
}
