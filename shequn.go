// Package shequn holds the domain vocabulary of shequn (社群), the operations
// platform for chat communities: workspaces, communities, members and their
// identities across platforms, memberships and the append-only event log.
//
// It imports only the standard library. Storage, HTTP, the console and the
// chat platforms live in internal subpackages that depend on this one.
package shequn

import "time"

// Version is the release of this build; cmd/shequn overrides it with -ldflags.
var Version = "0.1.0-dev"

// Clock gives the current time; tests inject a fixed one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
