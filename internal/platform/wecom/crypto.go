// Package wecom connects shequn to WeCom (企业微信) customer groups: the
// callback endpoint (URL verification, msg_signature, AES-256-CBC) brings
// change_external_chat events in, externalcontact/groupchat/get tells who
// joined and who invited them, groupchat/list reconciles, and messages go
// out through each group's robot webhook.
package wecom

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Crypto is the callback cipher of one app, as the WeCom documentation
// (加解密方案说明) specifies: a SHA-1 signature over the sorted token,
// timestamp, nonce and ciphertext; AES-256-CBC with the key decoded from
// the 43-character EncodingAESKey and the IV its first 16 bytes; PKCS#7
// padding to 32 bytes; plaintext = 16 random bytes, a 4-byte big-endian
// length, the message, the receive id (the corp id).
type Crypto struct {
	token     string
	key       []byte
	receiveID string
}

// Errors of the callback cipher.
var (
	ErrSignature = errors.New("wecom: msg_signature does not match")
	ErrReceiveID = errors.New("wecom: the message is for another corp")
	ErrCipher    = errors.New("wecom: ciphertext is malformed")
)

// NewCrypto returns the cipher of an app.
func NewCrypto(token, encodingAESKey, receiveID string) (*Crypto, error) {
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("wecom: EncodingAESKey must be 43 characters of base64")
	}
	return &Crypto{token: token, key: key, receiveID: receiveID}, nil
}

// Signature is msg_signature of a ciphertext.
func (c *Crypto) Signature(timestamp, nonce, encrypted string) string {
	parts := []string{c.token, timestamp, nonce, encrypted}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// Open checks the signature and decrypts a message (or an echostr).
func (c *Crypto) Open(signature, timestamp, nonce, encrypted string) ([]byte, error) {
	want := c.Signature(timestamp, nonce, encrypted)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return nil, ErrSignature
	}
	raw, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, ErrCipher
	}
	block, _ := aes.NewCipher(c.key)
	plain := make([]byte, len(raw))
	cipher.NewCBCDecrypter(block, c.key[:16]).CryptBlocks(plain, raw)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > 32 || pad > len(plain) {
		return nil, ErrCipher
	}
	plain = plain[:len(plain)-pad]
	if len(plain) < 20 {
		return nil, ErrCipher
	}
	n := int(binary.BigEndian.Uint32(plain[16:20]))
	if n > len(plain)-20 {
		return nil, ErrCipher
	}
	msg, id := plain[20:20+n], string(plain[20+n:])
	if c.receiveID != "" && id != c.receiveID {
		return nil, ErrReceiveID
	}
	return msg, nil
}

// Seal encrypts a message and returns it with its signature (for passive
// replies, and for tests that play WeCom's side).
func (c *Crypto) Seal(msg []byte, timestamp, nonce string) (encrypted, signature string) {
	var b bytes.Buffer
	random := make([]byte, 16)
	rand.Read(random)
	b.Write(random)
	binary.Write(&b, binary.BigEndian, uint32(len(msg)))
	b.Write(msg)
	b.WriteString(c.receiveID)
	pad := 32 - b.Len()%32
	b.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	block, _ := aes.NewCipher(c.key)
	out := make([]byte, b.Len())
	cipher.NewCBCEncrypter(block, c.key[:16]).CryptBlocks(out, b.Bytes())
	encrypted = base64.StdEncoding.EncodeToString(out)
	return encrypted, c.Signature(timestamp, nonce, encrypted)
}

func (c *Crypto) String() string { return fmt.Sprintf("wecom callback cipher for %s", c.receiveID) }
