package questions

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Links are annotated reply links of one log: links[a][b] when message b
// responds to message a (or a to b). Lines below First are not annotated.
type Links struct {
	First int
	pairs map[[2]int]bool
	// answered holds lines linked to a later line.
	later map[int][]int
}

// ParseLinks reads an annotation file of "A B -" lines (message A and
// message B are linked; A == B starts a conversation).
func ParseLinks(r io.Reader) (*Links, error) {
	l := &Links{First: -1, pairs: map[[2]int]bool{}, later: map[int][]int{}}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("annotation line %d: want \"A B -\"", n)
		}
		a, err1 := strconv.Atoi(f[0])
		b, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("annotation line %d: want two message numbers", n)
		}
		if a > b {
			a, b = b, a
		}
		if l.First < 0 || b < l.First {
			l.First = b // the responding line: every annotated line links back from itself
		}
		l.pairs[[2]int{a, b}] = true
		if a != b {
			l.later[a] = append(l.later[a], b)
		}
	}
	return l, sc.Err()
}

// Linked reports whether lines a and b are annotated as linked.
func (l *Links) Linked(a, b int) bool {
	if a > b {
		a, b = b, a
	}
	return l.pairs[[2]int{a, b}]
}

// Responses returns the later lines annotated as responding to a.
func (l *Links) Responses(a int) []int { return l.later[a] }

// Score counts one log's questions against its annotation.
type Score struct {
	Detected  int // questions on annotated lines
	Answered  int // of those, annotated as answered by someone else
	Predicted int // answers predicted for detected questions
	Correct   int // predicted answers the annotation links to the question
}

// Add accumulates another score.
func (s *Score) Add(o Score) {
	s.Detected += o.Detected
	s.Answered += o.Answered
	s.Predicted += o.Predicted
	s.Correct += o.Correct
}

// Precision is correct / predicted.
func (s Score) Precision() float64 { return ratio(s.Correct, s.Predicted) }

// Recall is correct / answered.
func (s Score) Recall() float64 { return ratio(s.Correct, s.Answered) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Scored is what the scorer needs of one detected question: its line, its
// asker, the predicted answer's line (-1: none) and the author of each line.
type Scored struct {
	Line, AnswerLine int
	Author           string
}

// ScoreLog scores questions of one log. authorOf gives each line's author.
func ScoreLog(l *Links, qs []Scored, authorOf func(line int) string) Score {
	var s Score
	for _, q := range qs {
		if q.Line < l.First {
			continue
		}
		s.Detected++
		for _, r := range l.Responses(q.Line) {
			if authorOf(r) != q.Author && authorOf(r) != "" {
				s.Answered++
				break
			}
		}
		if q.AnswerLine >= 0 {
			s.Predicted++
			if l.Linked(q.Line, q.AnswerLine) {
				s.Correct++
			}
		}
	}
	return s
}

// Line returns the line number of an imported id NAME:LINE, or -1.
func Line(id string) int {
	i := strings.LastIndexByte(id, ':')
	n, err := strconv.Atoi(id[i+1:])
	if i < 0 || err != nil {
		return -1
	}
	return n
}
