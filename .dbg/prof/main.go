package main

import (
	"context"
	"os"
	"runtime/pprof"
	"strconv"

	"github.com/shequn/shequn/internal/bench"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	f, _ := os.Create("/tmp/cpu.prof")
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	_, err := bench.Ingest(context.Background(), bench.IngestConfig{Events: n, Batch: 5000, Seed: 1}, os.Stdout)
	if err != nil {
		panic(err)
	}
}
