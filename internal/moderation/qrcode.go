package moderation

import (
	"bytes"
	"image"
	_ "image/gif" // decoders for attached pictures
	_ "image/jpeg"
	_ "image/png"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// qrcodes decodes QR codes in attached images: a QR code in a group is an
// invitation elsewhere (a WeChat group, a payment, a link).
func (c *Checker) qrcodes(images [][]byte) Verdict {
	for _, data := range images {
		if len(data) > 10<<20 {
			continue
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			continue
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			continue
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			continue
		}
		return Verdict{Detector: DetQRCode, Spam: true, Score: 0.9, Span: res.GetText(), Details: "QR code in image"}
	}
	return Verdict{Detector: DetQRCode}
}
