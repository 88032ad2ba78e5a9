package moderation

import (
	"bytes"
	"image"
	_ "image/gif" // decoders for attached pictures
	_ "image/jpeg"
	_ "image/png"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// qrcodes decodes QR codes in attached images: a QR code in a group is an
// invitation elsewhere (a WeChat group, a payment, a link).
func (c *Checker) qrcodes(images [][]byte) Verdict {
	for _, data := range images {
		if text, ok := DecodeQR(data); ok {
			return Verdict{Detector: DetQRCode, Spam: true, Score: 0.9, Span: text, Details: "QR code in image"}
		}
	}
	return Verdict{Detector: DetQRCode}
}

// QRMarker is how a connector that decoded a QR code in a picture writes it
// into the message text ("[image] a.png [QR code: https://…]").
const QRMarker = "[QR code: "

// DecodeQR returns the text of a QR code in a picture (PNG, JPEG or GIF,
// at most 10 MiB).
func DecodeQR(data []byte) (string, bool) {
	if len(data) > 10<<20 {
		return "", false
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", false
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", false
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", false
	}
	return res.GetText(), true
}

// qrMarked is the verdict on a text that carries a decoded QR code.
func qrMarked(text string) Verdict {
	i := strings.Index(text, QRMarker)
	span := strings.TrimSuffix(text[i+len(QRMarker):], "]")
	return Verdict{Detector: DetQRCode, Spam: true, Score: 0.9, Span: span, Details: "QR code in image (decoded by the connector)"}
}
