package sqlstore

// SetDenseShare sets the share of members above which a members-list
// filter is probed per member, and returns a func that restores it.
func SetDenseShare(v float64) (restore func()) {
	old := denseShare
	denseShare = v
	return func() { denseShare = old }
}
