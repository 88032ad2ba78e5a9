package pipeline

import (
	"context"
	"strconv"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// resolver turns platform ids into community and member ids, creating
// communities, members and identities the first time they are seen.
type resolver struct {
	tx    *sqlstore.IngestTx
	cache *staged
}

func (r *resolver) resolve(ctx context.Context, events []shequn.Event, loc *time.Location) ([]*Item, error) {
	items := make([]*Item, len(events))
	for i := range events {
		e := &events[i]
		it := &Item{Event: *e, Day: shequn.Day(e.TS, loc)}
		var err error
		if it.CommunityID, err = r.community(ctx, e.Platform, e.Community, e.CommunityName); err != nil {
			return nil, err
		}
		if it.MemberID, err = r.member(ctx, e.Platform, e.Actor, e.ActorName, e.TS); err != nil {
			return nil, err
		}
		if e.Target != "" {
			if it.TargetID, err = r.member(ctx, e.Platform, e.Target, e.TargetName, e.TS); err != nil {
				return nil, err
			}
		}
		if e.Inviter != "" {
			if it.InviterID, err = r.member(ctx, e.Platform, e.Inviter, "", e.TS); err != nil {
				return nil, err
			}
		}
		items[i] = it
	}
	return items, nil
}

func (r *resolver) key(platform, ext string) string {
	return strconv.FormatInt(r.tx.WS, 10) + "\x00" + platform + "\x00" + ext
}

func (r *resolver) community(ctx context.Context, platform, ext, name string) (int64, error) {
	k := r.key(platform, ext)
	if v, ok := r.cache.community(k); ok && (name == "" || name == v.name) {
		return v.id, nil
	}
	id, stored, err := r.tx.UpsertCommunity(ctx, platform, ext, name)
	if err != nil {
		return 0, err
	}
	r.cache.communities[k] = named{id, stored}
	return id, nil
}

func (r *resolver) member(ctx context.Context, platform, ext, name string, ts time.Time) (int64, error) {
	k := r.key(platform, ext)
	v, ok := r.cache.identity(k)
	if !ok {
		id, stored, found, err := r.tx.FindIdentity(ctx, platform, ext)
		if err != nil {
			return 0, err
		}
		if !found {
			if name == "" {
				name = ext
			}
			if id, err = r.tx.CreateMember(ctx, platform, ext, name, ts.UnixMilli()); err != nil {
				return 0, err
			}
			stored = name
		}
		v = named{id, stored}
	}
	if name != "" && name != v.name {
		if err := r.tx.RenameMember(ctx, v.id, platform, ext, name); err != nil {
			return 0, err
		}
		v.name = name
	}
	r.cache.identities[k] = v
	return v.id, nil
}
