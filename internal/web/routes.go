package web

import "net/http"

// Form body limits.
const (
	formLimit  = 64 << 10
	rulesLimit = 2 << 20 // moderation rules carry keyword and regex lists
)

// routes is every console route in one place. page requires a session;
// form also guards the post (same origin, bounded body, parsed form), so
// no handler can forget either. Permission checks live in app.
func (c *Console) routes() {
	c.mux.Handle("GET /static/", c.static())
	c.mux.HandleFunc("GET /login", c.loginPage)
	c.mux.HandleFunc("POST /login", c.open(c.login))
	c.mux.HandleFunc("POST /logout", c.open(c.logout))
	c.mux.HandleFunc("POST /lang/{lang}", c.open(c.setLang))
	c.mux.HandleFunc("GET /lang/{lang}", c.langLink)

	c.mux.HandleFunc("GET /{$}", c.page(c.overview))
	c.mux.HandleFunc("GET /communities", c.page(c.communities))
	c.mux.HandleFunc("GET /communities/{id}", c.page(c.community))
	c.mux.HandleFunc("POST /communities/{id}", c.form(formLimit, c.editCommunity))
	c.mux.HandleFunc("POST /communities/{id}/welcome", c.form(formLimit, c.saveGroupWelcome))
	c.mux.HandleFunc("GET /analytics", c.page(c.analytics))
	c.mux.HandleFunc("GET /reports/weekly", c.page(c.weeklyReport))
	c.mux.HandleFunc("POST /reports/settings", c.form(formLimit, c.saveReportSettings))
	c.mux.HandleFunc("POST /analytics/weights", c.form(formLimit, c.saveHealthWeights))
	c.mux.HandleFunc("GET /members", c.page(c.members))
	c.mux.HandleFunc("GET /members/{id}", c.page(c.member))
	c.mux.HandleFunc("POST /members/{id}/points", c.form(formLimit, c.adjustPoints))
	c.mux.HandleFunc("POST /members/{id}/redeem", c.form(formLimit, c.redeemFor))
	c.mux.HandleFunc("POST /members/{id}/staff", c.form(formLimit, c.markStaff))
	c.mux.HandleFunc("GET /tiers", c.page(c.tiers))
	c.mux.HandleFunc("POST /tiers", c.form(formLimit, c.saveTiers))
	c.mux.HandleFunc("POST /tiers/recompute", c.form(formLimit, c.recomputeTiers))
	c.mux.HandleFunc("POST /segments", c.form(formLimit, c.saveSegment))

	c.mux.HandleFunc("GET /moderation", c.page(c.modQueue))
	c.mux.HandleFunc("GET /moderation/log", c.page(c.modLog))
	c.mux.HandleFunc("POST /moderation/cases/bulk", c.form(formLimit, c.modBulk))
	c.mux.HandleFunc("POST /moderation/cases/{id}/{verdict}", c.form(formLimit, c.modReview))
	c.mux.HandleFunc("GET /moderation/rules", c.page(c.modRules))
	c.mux.HandleFunc("POST /moderation/rules", c.form(rulesLimit, c.modSaveRules))
	c.mux.HandleFunc("GET /moderation/blocklist", c.page(c.modBlocklist))
	c.mux.HandleFunc("POST /moderation/blocklist/{member}/remove", c.form(formLimit, c.modUnblock))
	c.mux.HandleFunc("GET /moderation/test", c.page(c.modTest))
	c.mux.HandleFunc("POST /moderation/test", c.form(formLimit, c.modTest))

	c.mux.HandleFunc("GET /leaderboards", c.page(c.leaderboards))
	c.mux.HandleFunc("POST /leaderboards/award", c.form(formLimit, c.awardMonthly))
	c.mux.HandleFunc("GET /rewards", c.page(c.rewards))
	c.mux.HandleFunc("POST /rewards", c.form(formLimit, c.createReward))
	c.mux.HandleFunc("POST /redemptions/{id}/{verdict}", c.form(formLimit, c.closeRedemption))
	c.mux.HandleFunc("POST /points/rule", c.form(formLimit, c.savePointsRule))
	c.mux.HandleFunc("GET /outbox", c.page(c.outbox))

	c.mux.HandleFunc("GET /calendar", c.page(c.calendar))
	c.mux.HandleFunc("GET /automations", c.page(c.automations))
	c.mux.HandleFunc("POST /automations", c.form(formLimit, c.saveAutomation))
	c.mux.HandleFunc("POST /automations/when", c.form(formLimit, c.previewWhen))
	c.mux.HandleFunc("POST /automations/{id}/delete", c.form(formLimit, c.deleteAutomation))
	c.mux.HandleFunc("POST /welcome", c.form(formLimit, c.saveWelcome))
	c.mux.HandleFunc("GET /challenges", c.page(c.challenges))
	c.mux.HandleFunc("POST /challenges", c.form(formLimit, c.saveChallenge))
	c.mux.HandleFunc("GET /challenges/{id}", c.page(c.challenge))
	c.mux.HandleFunc("GET /questions", c.page(c.questionsPage))
	c.mux.HandleFunc("GET /livecodes", c.page(c.liveCodes))
	c.mux.HandleFunc("POST /livecodes", c.form(formLimit, c.saveLiveCode))
	c.mux.HandleFunc("GET /livecodes/{id}", c.page(c.liveCode))
	c.mux.HandleFunc("POST /livecodes/{id}", c.form(formLimit, c.saveLiveCode))
	c.mux.HandleFunc("POST /livecodes/{id}/delete", c.form(formLimit, c.deleteLiveCode))
	c.mux.HandleFunc("POST /livecodes/{id}/targets", c.page(c.addLiveTarget))
	c.mux.HandleFunc("POST /livecodes/{id}/targets/{target}/delete", c.form(formLimit, c.deleteLiveTarget))
	c.mux.HandleFunc("GET /livecodes/{id}/targets/{target}/image", c.page(c.liveTargetImage))
	c.mux.HandleFunc("GET /pages", c.page(c.landingPages))
	c.mux.HandleFunc("POST /pages", c.form(formLimit, c.createLandingPage))
	c.mux.HandleFunc("GET /pages/{id}", c.page(c.landingPage))
	c.mux.HandleFunc("POST /pages/{id}", c.form(formLimit, c.saveLandingPage))
	c.mux.HandleFunc("POST /pages/{id}/delete", c.form(formLimit, c.deleteLandingPage))
	c.mux.HandleFunc("GET /pages/{id}/preview", c.page(c.previewLandingPage))
	c.mux.HandleFunc("POST /pages/{id}/images", c.page(c.uploadPageImage))
	c.mux.HandleFunc("GET /pages/{id}/images/{img}", c.page(c.pageImage))
	c.mux.HandleFunc("GET /leads", c.page(c.leads))
	c.mux.HandleFunc("GET /leads/{id}", c.page(c.lead))
	c.mux.HandleFunc("GET /leads/{id}/data", c.page(c.leadData))
	c.mux.HandleFunc("POST /leads/{id}/status", c.form(formLimit, c.setLeadStatus))
	c.mux.HandleFunc("POST /leads/{id}/delete", c.form(formLimit, c.deleteLead))
	c.mux.HandleFunc("GET /funnel", c.page(c.funnel))
	c.mux.HandleFunc("GET /campaigns", c.page(c.campaigns))
	c.mux.HandleFunc("POST /campaigns", c.form(formLimit, c.saveCampaign))
	c.mux.HandleFunc("GET /campaigns/{id}", c.page(c.campaign))
	c.mux.HandleFunc("POST /campaigns/{id}", c.form(formLimit, c.saveCampaign))
	c.mux.HandleFunc("POST /campaigns/{id}/helps/{help}/review", c.form(formLimit, c.reviewHelp))
	c.mux.HandleFunc("GET /alerts", c.page(c.alerts))
	c.mux.HandleFunc("POST /alerts/{id}/{status}", c.form(formLimit, c.setAlert))
	c.mux.HandleFunc("GET /broadcasts", c.page(c.broadcasts))
	c.mux.HandleFunc("POST /broadcasts/preview", c.form(formLimit, c.previewBroadcast))
	c.mux.HandleFunc("POST /broadcasts", c.form(formLimit, c.createBroadcast))
	c.mux.HandleFunc("POST /broadcasts/{id}/{verdict}", c.form(formLimit, c.decideBroadcast))

	c.mux.HandleFunc("GET /team", c.page(c.team))
	c.mux.HandleFunc("POST /team/operators", c.form(formLimit, c.addOperator))
	c.mux.HandleFunc("POST /team/tokens", c.form(formLimit, c.createToken))
	c.mux.HandleFunc("POST /team/tokens/{id}/revoke", c.form(formLimit, c.revokeToken))

	c.mux.HandleFunc("GET /connectors", c.page(c.connectors))
	c.mux.HandleFunc("POST /connectors", c.form(formLimit, c.createConnector))
	c.mux.HandleFunc("POST /connectors/{id}", c.form(formLimit, c.updateConnector))
	c.mux.HandleFunc("POST /connectors/{id}/delete", c.form(formLimit, c.deleteConnector))
	c.mux.HandleFunc("POST /connectors/{id}/status/{status}", c.form(formLimit, c.connectorStatus))
	c.mux.HandleFunc("POST /connectors/{id}/test", c.form(formLimit, c.testConnector))

	c.mux.HandleFunc("POST /redemptions/{id}/link", c.form(formLimit, c.deliveryLink))

	// A member's private delivery-details page: the link is the key.
	c.mux.HandleFunc("GET /delivery/{token}", c.deliveryPage)
	c.mux.HandleFunc("POST /delivery/{token}", c.open(c.deliverySubmit))

	// The member's own check-in page: signed link, no session.
	c.mux.HandleFunc("GET /j/{ws}/{slug}", c.joinPage)
	c.mux.HandleFunc("GET /j/{ws}/{slug}/qr/{target}", c.joinImage)
	c.mux.HandleFunc("GET /p/{ws}/{slug}", c.landingVisit)
	c.mux.HandleFunc("GET /c/{id}/{member}/{sig}", c.progressPage)
	c.mux.HandleFunc("GET /p/{ws}/{slug}/img/{img}", c.landingImage)
	c.mux.HandleFunc("POST /p/{ws}/{slug}/lead", c.open(c.submitLead))
	c.mux.HandleFunc("GET /checkin/{id}/{member}/{sig}", c.checkinPage)
	c.mux.HandleFunc("POST /checkin/{id}/{member}/{sig}", c.open(c.checkinPost))
}

// page requires a logged-in operator.
func (c *Console) page(fn http.HandlerFunc) http.HandlerFunc { return c.auth(fn) }

// form requires a logged-in operator and a guarded post of at most limit
// bytes.
func (c *Console) form(limit int64, fn http.HandlerFunc) http.HandlerFunc {
	return c.auth(c.guard(limit, fn))
}

// open guards a post that needs no session (login, logout, language,
// check-ins).
func (c *Console) open(fn http.HandlerFunc) http.HandlerFunc { return c.guard(formLimit, fn) }
