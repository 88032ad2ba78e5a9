//go:build tools

// Package tools pins the Dendrite homeserver used by shequn's Matrix
// end-to-end test. It is its own module: Dendrite keeps an old mautrix,
// which must never meet the product's module graph.
package tools

import (
	_ "github.com/element-hq/dendrite/cmd/create-account"
	_ "github.com/element-hq/dendrite/cmd/dendrite"
	_ "github.com/element-hq/dendrite/cmd/generate-config"
	_ "github.com/element-hq/dendrite/cmd/generate-keys"
)
