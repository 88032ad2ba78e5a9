package shequn

// WelcomeSettings say how newcomers are greeted: the workspace default, or
// a community's own.
type WelcomeSettings struct {
	Enabled bool   `json:"enabled"`
	Text    string `json:"text"` // {name} {inviter} {group} {rules} {intro}
	// BatchSeconds: everyone who joins within this window is greeted in one
	// message, sent when the window closes.
	BatchSeconds int `json:"batch_seconds"`
	// IntroPrompt fills {intro}: what to say about yourself (自我介绍).
	IntroPrompt string `json:"intro_prompt"`
}

// DefaultWelcome is the greeting of a new workspace (disabled until an
// operator turns it on).
var DefaultWelcome = WelcomeSettings{
	Text:         "欢迎 {name} 加入「{group}」！{intro}\nWelcome {name} to {group}!",
	BatchSeconds: 60,
	IntroPrompt:  "请做个自我介绍：称呼 + 城市 + 做什么的。Tell us who you are, where you are and what you do.",
}
