package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/questions"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

func questionsCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "eval" {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn questions eval --dir DIR")
	}
	fs := newFlags("questions eval", env)
	dir := fs.String("dir", "", "folder of NAME.raw.txt IRC logs with NAME.annotation.txt reply links")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(*dir, "*.raw.txt"))
	if *dir == "" || len(files) == 0 {
		return shequn.Errorf(shequn.EINVALID, "--dir %q: no *.raw.txt files", *dir)
	}
	tmp, err := os.MkdirTemp("", "shequn-questions-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := sqlstore.Open(ctx, filepath.Join(tmp, "eval.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, quietLog(env))
	ws, err := a.EnsureWorkspace(ctx, "eval", "Eval", "UTC")
	if err != nil {
		return err
	}
	score, how, err := evalQuestions(ctx, a, ws, files)
	if err != nil {
		return err
	}
	for _, k := range []string{questions.ByReply, questions.ByMention, questions.ByAddressee} {
		if h := how[k]; h[0] > 0 {
			fmt.Fprintf(env.Stdout, "by %-9s predicted %5d correct %5d precision %.3f\n", k, h[0], h[1], float64(h[1])/float64(h[0]))
		}
	}
	fmt.Fprintf(env.Stdout, "answered (annotated) %d predicted %d correct %d\n", score.Answered, score.Predicted, score.Correct)
	fmt.Fprintf(env.Stdout, "questions: detected %d attribution-precision %.3f attribution-recall %.3f\n", score.Detected, score.Precision(), score.Recall())
	return nil
}

// evalQuestions imports every log through the pipeline, reads back the
// questions and answers the pipeline stored, and scores them against the
// annotations.
func evalQuestions(ctx context.Context, a *app.App, ws *shequn.Workspace, files []string) (questions.Score, map[string][2]int, error) {
	var total questions.Score
	authors := map[string]map[int]string{} // log name → line → person
	for _, f := range files {
		events, _, err := readHistory(f, "irc", "#ubuntu", ws.Location())
		if err != nil {
			return total, nil, err
		}
		name := strings.TrimSuffix(filepath.Base(f), ".raw.txt")
		authors[name] = map[int]string{}
		for _, e := range events {
			authors[name][questions.Line(e.ID)] = e.Actor
		}
		if _, err := a.ImportEvents(ctx, ws, events); err != nil {
			return total, nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	qs, err := a.FindQuestions(ctx, ws, shequn.QuestionFilter{Limit: 10_000_000})
	if err != nil {
		return total, nil, err
	}
	byLog := map[string][]questions.Scored{}
	how := map[string][2]int{}
	for _, q := range qs {
		name, line := logLine(q.SourceID)
		s := questions.Scored{Line: line, AnswerLine: -1, Author: authors[name][line]}
		if q.AnswerSourceID != "" {
			if an, al := logLine(q.AnswerSourceID); an == name {
				s.AnswerLine = al
			}
		}
		byLog[name] = append(byLog[name], s)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".raw.txt")
		links, err := readLinks(filepath.Join(filepath.Dir(f), name+".annotation.txt"))
		if err != nil {
			return total, nil, err
		}
		for _, s := range byLog[name] {
			if s.AnswerLine >= 0 && s.Line >= links.First {
				h := how["all"]
				h[0]++
				if links.Linked(s.Line, s.AnswerLine) {
					h[1]++
				}
				how["all"] = h
			}
		}
		total.Add(questions.ScoreLog(links, byLog[name], func(l int) string { return authors[name][l] }))
	}
	return total, how, nil
}

// logLine splits an imported IRC event key "irc:NAME:LINE".
func logLine(key string) (string, int) {
	key = strings.TrimPrefix(key, "irc:")
	i := strings.LastIndexByte(key, ':')
	if i < 0 {
		return "", -1
	}
	return key[:i], questions.Line(key)
}

func readLinks(path string) (*questions.Links, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	defer f.Close()
	return questions.ParseLinks(f)
}
