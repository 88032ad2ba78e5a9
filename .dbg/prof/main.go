package main

import (
	"context"
	"os"
	"runtime/pprof"

	"github.com/shequn/shequn/internal/bench"
)

func main() {
	f, _ := os.Create("/tmp/cpu.prof")
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	_, err := bench.Console(context.Background(), bench.ConsoleConfig{Data: "/tmp/simdata2", Workspace: "default", Events: 1, Communities: 1, Members: 1, Runs: 5, Only: os.Args[1]}, os.Stdout)
	if err != nil {
		panic(err)
	}
}
