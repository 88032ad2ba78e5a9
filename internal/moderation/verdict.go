package moderation

import "time"

// Verdict is one detector's explained answer.
type Verdict struct {
	Detector string  `json:"detector"`
	Spam     bool    `json:"spam"`
	Score    float64 `json:"score"`
	Span     string  `json:"span,omitempty"`
	Details  string  `json:"details,omitempty"`
	// Terms are, for the classifier, the pieces of the message that
	// pushed its score most.
	Terms []Term `json:"terms,omitempty"`
}

// Message is what the checker looks at.
type Message struct {
	Text      string
	Community string
	Member    string
	TS        time.Time
	// JoinedAt is when the member joined the community (zero if unknown).
	JoinedAt time.Time
	// Attachments are the files sent with the message; pictures with
	// their bytes get the QR check.
	Attachments []Attachment
}

// Attachment is a file sent with a message (the moderation view of
// shequn.Attachment).
type Attachment struct {
	Kind string // image, file, audio, video
	MIME string
	Data []byte
}

// Result is the checker's answer: spam when any verdict says spam.
type Result struct {
	Spam     bool      `json:"spam"`
	Score    float64   `json:"score"`
	Verdicts []Verdict `json:"verdicts"`
}

// Detector names.
const (
	DetKeyword    = "keyword"
	DetRegex      = "regex"
	DetLink       = "link"
	DetContact    = "contact"
	DetLookalike  = "lookalike"
	DetQRCode     = "qrcode"
	DetFlood      = "flood"
	DetDuplicate  = "duplicate"
	DetNewcomer   = "newcomer"
	DetClassifier = "classifier"
)
