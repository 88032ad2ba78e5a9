package wecom

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/shequn/shequn"
)

var _ shequn.JoinWayer = (*Adapter)(nil)

// joinWay is the body of groupchat/add_join_way and update_join_way, and
// get_join_way's join_way.
type joinWay struct {
	ConfigID       string   `json:"config_id,omitempty"`
	Scene          int      `json:"scene"`
	Remark         string   `json:"remark,omitempty"`
	AutoCreateRoom int      `json:"auto_create_room"`
	RoomBaseName   string   `json:"room_base_name,omitempty"`
	RoomBaseID     int      `json:"room_base_id,omitempty"`
	ChatIDs        []string `json:"chat_id_list"`
	State          string   `json:"state,omitempty"`
	QRCode         string   `json:"qr_code,omitempty"`
}

func toWire(w *shequn.JoinWay) joinWay {
	j := joinWay{ConfigID: w.ConfigID, Scene: w.Scene, Remark: w.Remark, RoomBaseName: w.RoomBaseName, RoomBaseID: w.RoomBaseID,
		ChatIDs: w.ChatIDs, State: w.State}
	if w.AutoCreateRoom {
		j.AutoCreateRoom = 1
	}
	return j
}

// SaveJoinWay adds the join way (setting its ConfigID) or updates it, then
// reads back its QR address (get_join_way).
func (a *Adapter) SaveJoinWay(ctx context.Context, w *shequn.JoinWay) error {
	body := toWire(w)
	if w.ConfigID == "" {
		var resp struct {
			ConfigID string `json:"config_id"`
		}
		if err := a.api.call(ctx, "/cgi-bin/externalcontact/groupchat/add_join_way", body, &resp); err != nil {
			return err
		}
		if resp.ConfigID == "" {
			return fmt.Errorf("wecom add_join_way: no config_id in the answer")
		}
		w.ConfigID = resp.ConfigID
	} else if err := a.api.call(ctx, "/cgi-bin/externalcontact/groupchat/update_join_way", body, &struct{}{}); err != nil {
		return err
	}
	var got struct {
		JoinWay joinWay `json:"join_way"`
	}
	if err := a.api.call(ctx, "/cgi-bin/externalcontact/groupchat/get_join_way", map[string]string{"config_id": w.ConfigID}, &got); err != nil {
		return err
	}
	w.QRCode, w.ChatIDs = got.JoinWay.QRCode, got.JoinWay.ChatIDs
	return nil
}

// DeleteJoinWay removes a join way (del_join_way).
func (a *Adapter) DeleteJoinWay(ctx context.Context, configID string) error {
	return a.api.call(ctx, "/cgi-bin/externalcontact/groupchat/del_join_way", map[string]string{"config_id": configID}, &struct{}{})
}

// JoinWayQR downloads the join way's QR picture (at most shequn.MaxQRImage).
func (a *Adapter) JoinWayQR(ctx context.Context, w *shequn.JoinWay) ([]byte, error) {
	if w.QRCode == "" {
		return nil, fmt.Errorf("wecom: the join way has no QR code (scene %d)", w.Scene)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.QRCode, nil)
	if err != nil {
		return nil, fmt.Errorf("wecom join way QR: %w", err)
	}
	resp, err := a.api.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("wecom join way QR: %w", withoutURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("wecom join way QR: HTTP %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, shequn.MaxQRImage+1))
	if err == nil && len(b) > shequn.MaxQRImage {
		err = fmt.Errorf("larger than %d bytes", shequn.MaxQRImage)
	}
	if err != nil {
		return nil, fmt.Errorf("wecom join way QR: %w", err)
	}
	return b, nil
}
