package pipeline

import (
	"context"
	"strconv"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// resolver turns platform ids into community and member ids, creating
// communities, members and identities the first time they are seen. Member
// lookups and creations are batched: one query per platform and chunk.
type resolver struct {
	tx    *sqlstore.IngestTx
	cache *staged
	refs  []sqlstore.IdentityRef
	index map[string]int // identity key → position in refs
	ids   []int64        // member id per ref, once resolved
}

func (r *resolver) resolve(ctx context.Context, events []shequn.Event, loc *time.Location) ([]*Item, error) {
	r.index = map[string]int{}
	type refs struct{ actor, target, inviter int }
	per := make([]refs, len(events))
	for i := range events {
		e := &events[i]
		per[i] = refs{r.need(e.Platform, e.Actor, e.ActorName, e.TS), -1, -1}
		if e.Target != "" {
			per[i].target = r.need(e.Platform, e.Target, e.TargetName, e.TS)
		}
		if e.Inviter != "" {
			per[i].inviter = r.need(e.Platform, e.Inviter, "", e.TS)
		}
	}
	if err := r.members(ctx); err != nil {
		return nil, err
	}
	items := make([]*Item, len(events))
	for i := range events {
		e := &events[i]
		it := &Item{Event: *e, Day: shequn.Day(e.TS, loc), MemberID: r.ids[per[i].actor]}
		if per[i].target >= 0 {
			it.TargetID = r.ids[per[i].target]
		}
		if per[i].inviter >= 0 {
			it.InviterID = r.ids[per[i].inviter]
		}
		var err error
		if it.CommunityID, err = r.community(ctx, e.Platform, e.Community, e.CommunityName); err != nil {
			return nil, err
		}
		items[i] = it
	}
	return items, nil
}

func (r *resolver) key(platform, ext string) string {
	return strconv.FormatInt(r.tx.WS, 10) + "\x00" + platform + "\x00" + ext
}

// need registers an identity; the latest non-empty name in the batch wins.
func (r *resolver) need(platform, ext, name string, ts time.Time) int {
	k := r.key(platform, ext)
	if i, ok := r.index[k]; ok {
		if name != "" {
			r.refs[i].Name = name
		}
		return i
	}
	r.index[k] = len(r.refs)
	r.refs = append(r.refs, sqlstore.IdentityRef{Platform: platform, ExternalID: ext, Name: name, At: ts.UnixMilli()})
	return len(r.refs) - 1
}

// members resolves every registered identity: cache, then store, then create.
func (r *resolver) members(ctx context.Context) error {
	r.ids = make([]int64, len(r.refs))
	stored := make([]string, len(r.refs))
	var missing []int
	for i, ref := range r.refs {
		if v, ok := r.cache.identity(r.key(ref.Platform, ref.ExternalID)); ok {
			r.ids[i], stored[i] = v.id, v.name
		} else {
			missing = append(missing, i)
		}
	}
	if err := r.lookup(ctx, missing, stored); err != nil {
		return err
	}
	for i, ref := range r.refs {
		if ref.Name != "" && ref.Name != stored[i] {
			if err := r.tx.RenameMember(ctx, r.ids[i], ref.Platform, ref.ExternalID, ref.Name); err != nil {
				return err
			}
			stored[i] = ref.Name
		}
		r.cache.identities[r.key(ref.Platform, ref.ExternalID)] = named{r.ids[i], stored[i]}
	}
	return nil
}

func (r *resolver) lookup(ctx context.Context, missing []int, stored []string) error {
	if len(missing) == 0 {
		return nil
	}
	q := make([]sqlstore.IdentityRef, len(missing))
	for j, i := range missing {
		q[j] = r.refs[i]
	}
	found, err := r.tx.FindIdentities(ctx, q)
	if err != nil {
		return err
	}
	var create []sqlstore.IdentityRef
	var createAt []int
	for j, i := range missing {
		if f, ok := found[j]; ok {
			r.ids[i], stored[i] = f.MemberID, f.Name
			continue
		}
		ref := r.refs[i]
		if ref.Name == "" {
			ref.Name = ref.ExternalID
		}
		stored[i] = ref.Name
		create, createAt = append(create, ref), append(createAt, i)
	}
	ids, err := r.tx.CreateMembers(ctx, create)
	if err != nil {
		return err
	}
	for j, i := range createAt {
		r.ids[i] = ids[j]
	}
	return nil
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
