package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

// routes is every route of the API in one place.
func (s *Server) routes(console http.Handler) {
	s.handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	s.handle("GET /readyz", s.ready)
	s.handle("GET /metrics", s.serveMetrics)
	s.handle("GET /api/v1/openapi.json", s.openapi)
	s.api("POST /api/v1/events", s.postEvents)
	s.api("GET /api/v1/stats/overview", s.getOverview)
	s.api("GET /api/v1/stats/daily", s.getDaily)
	s.api("GET /api/v1/communities", s.getCommunities)
	s.api("GET /api/v1/communities/{id}", s.getCommunity)
	s.api("PATCH /api/v1/communities/{id}", s.patchCommunity)
	s.api("GET /api/v1/members", s.getMembers)
	s.api("GET /api/v1/members/{id}", s.getMember)

	s.api("GET /api/v1/moderation/cases", s.getCases)
	s.api("GET /api/v1/moderation/cases/{id}", s.getCase)
	s.api("POST /api/v1/moderation/reviews", s.postReviews)
	s.api("GET /api/v1/moderation/precision", s.getPrecision)
	s.api("POST /api/v1/moderation/cases/{id}/approve", s.reviewCase(true))
	s.api("POST /api/v1/moderation/cases/{id}/overturn", s.reviewCase(false))
	s.api("GET /api/v1/moderation/rule", s.getRule)
	s.api("PUT /api/v1/moderation/rule", s.putRule)
	s.api("POST /api/v1/moderation/check", s.checkMessage)
	s.api("GET /api/v1/moderation/blocklist", s.getBlocklist)
	s.api("DELETE /api/v1/moderation/blocklist/{member}", s.deleteBlock)
	s.api("GET /api/v1/outbox", s.getOutbox)

	s.api("GET /api/v1/members/{id}/points", s.getPoints)
	s.api("POST /api/v1/members/{id}/points", s.postPoints)
	s.api("GET /api/v1/leaderboards", s.getLeaderboard)
	s.api("GET /api/v1/rewards", s.getRewards)
	s.api("POST /api/v1/rewards", s.postReward)
	s.api("POST /api/v1/rewards/{id}/redeem", s.postRedeem)
	s.api("POST /api/v1/redemptions/{id}/fulfil", s.closeRedemption(true))
	s.api("POST /api/v1/redemptions/{id}/cancel", s.closeRedemption(false))
	s.api("GET /api/v1/points/rule", s.getPointsRule)
	s.api("PUT /api/v1/points/rule", s.putPointsRule)
	s.api("GET /api/v1/tiers/criteria", s.getTierCriteria)
	s.api("PUT /api/v1/tiers/criteria", s.putTierCriteria)
	s.api("POST /api/v1/tiers/recompute", s.postRecompute)
	s.api("GET /api/v1/redemptions", s.getRedemptions)
	s.api("POST /api/v1/awards/monthly", s.postMonthlyAward)
	s.api("GET /api/v1/segments", s.getSegments)
	s.api("POST /api/v1/segments", s.postSegment)

	s.api("GET /api/v1/automations", s.getAutomations)
	s.api("POST /api/v1/automations", s.saveAutomation)
	s.api("GET /api/v1/automations/{id}", s.getAutomation)
	s.api("PUT /api/v1/automations/{id}", s.saveAutomation)
	s.api("DELETE /api/v1/automations/{id}", s.deleteAutomation)
	s.api("GET /api/v1/calendar", s.getCalendar)
	s.api("GET /api/v1/challenges", s.getChallenges)
	s.api("POST /api/v1/challenges", s.saveChallenge)
	s.api("GET /api/v1/challenges/{id}", s.getChallenge)
	s.api("PUT /api/v1/challenges/{id}", s.saveChallenge)
	s.api("GET /api/v1/alerts", s.getAlerts)
	s.api("POST /api/v1/alerts/{id}/status", postStatus(s.app.SetAlertStatus))
	s.api("GET /api/v1/questions", s.getQuestions)
	s.api("GET /api/v1/welcome", s.getWelcome)
	s.api("PUT /api/v1/welcome", s.putWelcome)
	s.api("PUT /api/v1/communities/{id}/welcome", s.putWelcome)
	s.api("DELETE /api/v1/communities/{id}/welcome", s.deleteWelcome)
	s.api("POST /api/v1/broadcasts/preview", s.previewBroadcast)
	s.api("POST /api/v1/broadcasts", s.postBroadcast)
	s.api("GET /api/v1/broadcasts", s.getBroadcasts)
	s.api("POST /api/v1/broadcasts/{id}/reject", s.rejectBroadcast)

	s.api("GET /api/v1/connectors", s.getConnectors)
	s.api("POST /api/v1/connectors", s.postConnector)
	s.api("GET /api/v1/connectors/{id}", s.getConnector)
	s.api("PUT /api/v1/connectors/{id}", s.putConnector)
	s.api("DELETE /api/v1/connectors/{id}", s.deleteConnector)
	s.api("POST /api/v1/connectors/{id}/status", postStatus(s.app.SetConnectorStatus))
	s.api("POST /api/v1/connectors/{id}/test", s.testConnector)
	s.handle("/hooks/{platform}/{id}", s.hook) // GET too: WeCom verifies its callback URL so
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, shequn.Errorf(shequn.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path))
	})
	if console != nil {
		s.mux.Handle("/", console)
	}
}
