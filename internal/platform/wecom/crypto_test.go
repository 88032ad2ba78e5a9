package wecom

import (
	"errors"
	"strings"
	"testing"
)

// The vectors of the WeCom documentation's sample (加解密库 Sample):
// token QDG6eK, EncodingAESKey jWmYm7qr…B2C, corp id wx5823bf96d3bd56c7.
const (
	docToken  = "QDG6eK"
	docAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	docCorpID = "wx5823bf96d3bd56c7"
	docEcho   = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	docMsg    = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)

func TestDocumentVectors(t *testing.T) {
	c, err := NewCrypto(docToken, docAESKey, docCorpID)
	if err != nil {
		t.Fatal(err)
	}
	echo, err := c.Open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", docEcho)
	if err != nil || string(echo) != "1616140317555161061" {
		t.Fatalf("URL verification: %q %v", echo, err)
	}
	msg, err := c.Open("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", docMsg)
	if err != nil || !strings.Contains(string(msg), "<Content><![CDATA[hello]]></Content>") || !strings.Contains(string(msg), "<MsgId>4561255354251345929</MsgId>") {
		t.Fatalf("message: %q %v", msg, err)
	}
	cases := []struct {
		name, sig, enc string
		want           error
	}{
		{"bad signature", "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4", docEcho, ErrSignature},
		{"tampered ciphertext", "", strings.Replace(docEcho, "P9n", "Q9n", 1), ErrCipher},
	}
	for _, cc := range cases {
		sig := cc.sig
		if sig == "" {
			sig = c.Signature("1409659589", "263014780", cc.enc)
		}
		if _, err := c.Open(sig, "1409659589", "263014780", cc.enc); !errors.Is(err, cc.want) && err == nil {
			t.Errorf("%s: %v, want %v", cc.name, err, cc.want)
		}
	}
	other, _ := NewCrypto(docToken, docAESKey, "ww-other-corp")
	if _, err := other.Open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", docEcho); !errors.Is(err, ErrReceiveID) {
		t.Errorf("another corp: %v", err)
	}
	enc, sig := c.Seal([]byte("<xml>round trip</xml>"), "1", "2")
	if back, err := c.Open(sig, "1", "2", enc); err != nil || string(back) != "<xml>round trip</xml>" {
		t.Errorf("round trip: %q %v", back, err)
	}
	if _, err := NewCrypto("t", "short", ""); err == nil {
		t.Error("a short key was accepted")
	}
}
