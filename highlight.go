package shequn

import "time"

// Highlight is a message that drew replies (by others) or reactions: the
// conversations a group cared about.
type Highlight struct {
	EventID     int64     `json:"event_id"`
	CommunityID int64     `json:"community_id"`
	Community   string    `json:"community_name"`
	MemberID    int64     `json:"member_id"`
	MemberName  string    `json:"member_name"`
	Text        string    `json:"text"`
	TS          time.Time `json:"ts"`
	Replies     int       `json:"replies"`
	Reactions   int       `json:"reactions"`
}

// Highlights are a period's most-replied and most-reacted messages and
// its best answers (answers by someone other than the asker, those that
// drew the most reactions and replies first, then the quickest).
type Highlights struct {
	From        string       `json:"from"`
	To          string       `json:"to"`
	MostReplied []Highlight  `json:"most_replied"`
	MostReacted []Highlight  `json:"most_reacted"`
	BestAnswers []BestAnswer `json:"best_answers"`
}

// BestAnswer is an answered question with its answer's reception.
type BestAnswer struct {
	Question
	WaitSeconds float64 `json:"wait_seconds"`
	Replies     int     `json:"answer_replies"`
	Reactions   int     `json:"answer_reactions"`
}

// HighlightsShown is how many messages each highlight list holds.
const HighlightsShown = 10
