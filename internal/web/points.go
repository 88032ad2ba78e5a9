package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

// savePointsRule changes the fields the form holds and keeps the others
// (a form without invite_stays must not reset it).
func (c *Console) savePointsRule(w http.ResponseWriter, r *http.Request) {
	rule, err := c.app.FindPointsRule(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for k, dst := range map[string]*int{"message": &rule.Message, "reply": &rule.Reply, "daily_cap": &rule.DailyCap,
		"min_length": &rule.MinLength, "invite_stays": &rule.InviteStays} {
		if _, ok := r.PostForm[k]; !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(k)))
		if err != nil {
			c.reshow(w, r, shequn.Invalid(k, "%s: want a whole number", k), c.rewards, nil)
			return
		}
		*dst = n
	}
	if err := c.app.SavePointsRule(r.Context(), ws(r), op(r), rule); err != nil {
		c.reshow(w, r, err, c.rewards, nil)
		return
	}
	http.Redirect(w, r, "/rewards?saved=rule#points-rule", http.StatusSeeOther)
}

type rewardsData struct {
	Rewards     []*shequn.Reward
	Redemptions []*shequn.Redemption
	Rule        shequn.PointsRule
	Saved       string
}

func (c *Console) rewards(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "points", "rewards", nil)
	d := rewardsData{Saved: r.URL.Query().Get("saved")}
	var err error
	if d.Rewards, err = c.app.FindRewards(r.Context(), ws(r)); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Redemptions, err = c.app.FindRedemptions(r.Context(), ws(r), "", 100); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Rule, err = c.app.FindPointsRule(r.Context(), ws(r)); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "rewards", http.StatusOK, v)
}

func (c *Console) createReward(w http.ResponseWriter, r *http.Request) {
	rw, err := rewardForm(r)
	if err == nil {
		err = c.app.CreateReward(r.Context(), ws(r), op(r), rw)
	}
	if err != nil {
		c.reshow(w, r, err, c.rewards, nil)
		return
	}
	http.Redirect(w, r, "/rewards?saved=reward", http.StatusSeeOther)
}

func rewardForm(r *http.Request) (*shequn.Reward, error) {
	cost, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("cost")), 10, 64)
	if err != nil {
		return nil, shequn.Invalid("cost", "cost: want a whole number")
	}
	rw := &shequn.Reward{Name: strings.TrimSpace(r.PostFormValue("name")), Kind: r.PostFormValue("kind"), Cost: cost}
	if st := strings.TrimSpace(r.PostFormValue("stock")); st != "" {
		n, err := strconv.ParseInt(st, 10, 64)
		if err != nil {
			return nil, shequn.Invalid("stock", "stock: want a whole number or nothing")
		}
		rw.Stock = &n
	}
	if pm := strings.TrimSpace(r.PostFormValue("per_member_limit")); pm != "" {
		if rw.PerMemberLimit, err = strconv.Atoi(pm); err != nil {
			return nil, shequn.Invalid("per_member_limit", "per_member_limit: want a whole number")
		}
	}
	return rw, nil
}

func (c *Console) closeRedemption(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	verdict := r.PathValue("verdict")
	if verdict != "fulfil" && verdict != "cancel" {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "no such action"))
		return
	}
	if err := c.app.CloseRedemption(r.Context(), ws(r), op(r), id, verdict == "fulfil"); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rewards", http.StatusSeeOther)
}
