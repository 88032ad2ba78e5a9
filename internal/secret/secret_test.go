package secret

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

func TestBox(t *testing.T) {
	dir := t.TempDir()
	b, err := Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	sealed := b.Seal([]byte("syt_bot_token"))
	if bytes.Contains(sealed, []byte("syt_bot_token")) {
		t.Fatal("sealed secret holds the plain text")
	}
	again, _ := Load("", dir) // the same key file
	if plain, err := again.Open(sealed); err != nil || string(plain) != "syt_bot_token" {
		t.Fatalf("open: %q %v", plain, err)
	}
	other, _ := Load(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)), "")
	if _, err := other.Open(sealed); err == nil {
		t.Fatal("another key opened the secret")
	}
	if _, err := Load("not base64!", ""); err == nil {
		t.Fatal("bad env key accepted")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("short key accepted")
	}
}
