package web

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

type teamData struct {
	Operators []*shequn.Operator
	Tokens    []*shequn.APIToken
	Roles     []shequn.Role
	// NewToken is a token just made: its secret is shown this once.
	NewToken     string
	NewTokenName string
	CanManage    bool
	Added        bool
}

// team lists who can log in to the workspace and its API tokens; owners
// and admins add people and make or revoke tokens.
func (c *Console) team(w http.ResponseWriter, r *http.Request) {
	c.teamPage(w, r, "", "")
}

func (c *Console) teamPage(w http.ResponseWriter, r *http.Request, token, tokenName string) {
	v := c.view(r, "team", "team", nil)
	o := op(r)
	d := teamData{Roles: []shequn.Role{shequn.RoleOperator, shequn.RoleViewer, shequn.RoleAdmin, shequn.RoleOwner}, NewToken: token, NewTokenName: tokenName,
		CanManage: o.Role == shequn.RoleOwner || o.Role == shequn.RoleAdmin, Added: r.URL.Query().Get("added") == "1"}
	var err error
	if d.Operators, err = c.app.Team(r.Context(), ws(r)); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.CanManage {
		if d.Tokens, err = c.app.Tokens(r.Context(), ws(r)); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	v.Data = d
	w.Header().Set("Cache-Control", "no-store") // a new token's secret is on the page
	c.render(w, r, "team", http.StatusOK, v)
}

func (c *Console) addOperator(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	if _, err := c.app.AddOperator(r.Context(), op(r), ws(r), f.Get("email"), f.Get("name"), f.Get("password"), shequn.Role(f.Get("role"))); err != nil {
		c.reshow(w, r, err, c.team, nil)
		return
	}
	http.Redirect(w, r, "/team?added=1", http.StatusSeeOther)
}

// createToken shows the new token's secret once, on the page itself (it
// is stored only as a hash).
func (c *Console) createToken(w http.ResponseWriter, r *http.Request) {
	secret, t, err := c.app.CreateTokenBy(r.Context(), op(r), ws(r), r.PostForm.Get("token_name"))
	if err != nil {
		c.reshow(w, r, shequn.OnField(err, "token_name"), c.team, nil)
		return
	}
	c.teamPage(w, r, secret, t.Name)
}

func (c *Console) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.RevokeToken(r.Context(), op(r), ws(r), id); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/team#tokens", http.StatusSeeOther)
}
