package httpapi

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

//go:embed openapi.json
var openapiDoc []byte

// openapi serves the OpenAPI document with the connector platforms of
// this server's registry filled in.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	var doc map[string]any
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		writeError(w, err)
		return
	}
	platforms := s.app.ConnectorPlatforms()
	if platforms == nil {
		platforms = []string{}
	}
	if p, ok := dig(doc, "paths", "/api/v1/connectors", "post", "requestBody", "content", "application/json", "schema", "properties", "platform"); ok {
		p["enum"] = platforms
	}
	writeJSON(w, http.StatusOK, doc)
}

// dig follows keys through nested objects.
func dig(m map[string]any, keys ...string) (map[string]any, bool) {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	return m, true
}
