package moderation

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // decoders for attached pictures
	_ "image/jpeg"
	"image/png"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// qrDetector decodes QR codes in attached pictures: a QR code in a group
// is an invitation elsewhere (a WeChat group, a payment, a link).
type qrDetector struct{}

func (qrDetector) Name() string { return DetQRCode }

func (qrDetector) Check(m *Message, _ *Text, _ []Verdict) Verdict {
	for _, a := range m.Attachments {
		if a.Kind != "image" || len(a.Data) == 0 {
			continue
		}
		if text, ok := DecodeQR(a.Data); ok {
			return Verdict{Detector: DetQRCode, Spam: true, Score: 0.9, Span: text, Details: "QR code in a picture"}
		}
	}
	return Verdict{Detector: DetQRCode}
}

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

// EncodeQR draws text as a QR code, a PNG of size × size pixels (the demo's
// group codes, tests).
func EncodeQR(text string, size int) ([]byte, error) {
	bm, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, nil)
	if err != nil {
		return nil, fmt.Errorf("encode QR: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, bm); err != nil {
		return nil, fmt.Errorf("encode QR: %w", err)
	}
	return buf.Bytes(), nil
}
