package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/importer"
)

// importCmd loads chat history files through the pipeline.
func importCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlags("import", env)
	format := fs.String("format", "", "irc or telegram-json")
	slug := fs.String("workspace", "default", "workspace slug")
	channel := fs.String("channel", "#irc", "IRC: the community name when the log does not give one")
	var sf storeFlags
	sf.register(fs, env)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	if *format != "irc" && *format != "telegram-json" {
		return shequn.Errorf(shequn.EINVALID, "--format %q: want irc or telegram-json", *format)
	}
	if fs.NArg() == 0 {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn import --format irc|telegram-json FILE…")
	}
	a, db, err := sf.open(ctx, quietLog(env))
	if err != nil {
		return err
	}
	defer db.Close()
	ws, err := a.FindWorkspace(ctx, *slug)
	if err != nil {
		return err
	}
	var total app.ImportResult
	skipped := 0
	for _, path := range fs.Args() {
		events, skip, err := readHistory(path, *format, *channel, ws.Location())
		if err != nil {
			return err
		}
		res, err := a.ImportEvents(ctx, ws, events)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Fprintf(env.Stdout, "%s: %d events, %d new, %d already there, %d invalid, %d lines skipped\n",
			filepath.Base(path), len(events), res.Accepted, res.Duplicates, res.Invalid, skip)
		total.Accepted += res.Accepted
		total.Duplicates += res.Duplicates
		total.Invalid += res.Invalid
		skipped += skip
	}
	fmt.Fprintf(env.Stdout, "import: %d new, %d already there, %d invalid, %d skipped\n", total.Accepted, total.Duplicates, total.Invalid, skipped)
	return nil
}

// readHistory parses one history file.
func readHistory(path, format, channel string, loc *time.Location) ([]shequn.EventInput, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	defer f.Close()
	if format == "telegram-json" {
		events, skipped, err := importer.ParseTelegram(f, loc)
		if err != nil {
			return nil, 0, shequn.Errorf(shequn.EINVALID, "%s: %v", path, err)
		}
		return events, skipped, nil
	}
	log, err := importer.NewIRCLog(path, channel)
	if err != nil {
		return nil, 0, shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	return importer.ParseIRC(f, log)
}
