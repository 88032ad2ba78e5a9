package shequn

import "time"

// Question is a message detected as a question, with its answer once one is
// attributed.
type Question struct {
	ID               int64      `json:"id"`
	WorkspaceID      int64      `json:"workspace_id"`
	CommunityID      int64      `json:"community_id"`
	Community        string     `json:"community_name,omitempty"`
	MemberID         int64      `json:"member_id"`
	MemberName       string     `json:"member_name,omitempty"`
	EventID          int64      `json:"event_id"`
	SourceID         string     `json:"source_id"`
	TS               time.Time  `json:"ts"`
	Text             string     `json:"text"`
	Cue              string     `json:"cue"`
	ToMemberID       int64      `json:"to_member_id,omitempty"`
	AnswerEventID    int64      `json:"answer_event_id,omitempty"`
	AnswerSourceID   string     `json:"answer_source_id,omitempty"`
	AnswerMemberID   int64      `json:"answer_member_id,omitempty"`
	AnswerMemberName string     `json:"answer_member_name,omitempty"`
	AnsweredAt       *time.Time `json:"answered_at,omitempty"`
	How              string     `json:"how,omitempty"`
}

// QuestionFilter selects questions. Zero fields do not filter.
type QuestionFilter struct {
	CommunityID int64
	// Status is "open", "answered" or "".
	Status string
	Since  time.Time
	Limit  int
}

// QuestionStats summarise a community's (or the workspace's) questions.
type QuestionStats struct {
	Asked    int `json:"asked"`
	Answered int `json:"answered"`
	// AnswerRate is answered / asked, 0 when nothing was asked.
	AnswerRate float64 `json:"answer_rate"`
	// MedianAnswer is the median time to the first answer.
	MedianAnswer time.Duration `json:"median_answer_ns"`
}
