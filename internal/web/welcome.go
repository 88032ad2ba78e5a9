package web

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

func (c *Console) saveWelcome(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	batch, _ := strconv.Atoi(f.Get("batch_seconds"))
	s := &shequn.WelcomeSettings{Enabled: f.Get("enabled") == "on", Text: f.Get("text"), BatchSeconds: batch, IntroPrompt: f.Get("intro_prompt")}
	if err := c.app.SaveWelcome(r.Context(), ws(r), op(r), 0, s); err != nil {
		c.reshow(w, r, err, c.automations, nil)
		return
	}
	http.Redirect(w, r, "/automations?saved=1#welcome", http.StatusSeeOther)
}
