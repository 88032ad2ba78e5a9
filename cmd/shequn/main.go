// Command shequn runs the shequn operations platform for chat communities.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/shequn/shequn/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
