package postgis

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.EnquiryService = (*DB)(nil)

// CreateEnquiry stores an investor's enquiry about a live plot or building of zone.
func (db *DB) CreateEnquiry(ctx context.Context, zone string, e inventory.NewEnquiry) (int64, error) {
	if err := e.Check(); err != nil {
		return 0, err
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return 0, err
	}
	l, _ := inventory.LayerNamed(e.SiteLayer) // Check allowed plots and plants only
	var id int64
	err = db.Pool.QueryRow(ctx, fmt.Sprintf(`insert into enquiries
		(zone_id, site_layer, site_code, name, company, phone, email, industry, area_mu, message)
		select t.zone_id, $3, t.code, $4, nullif($5, ''), nullif($6, ''), nullif($7, ''), nullif($8, ''), $9, nullif($10, '')
		from %s t
		where t.zone_id = (select id from zones where code = $1) and t.code = $2
		  and t.valid_to = 'infinity' and not t.archived
		returning id`, pgx.Identifier{l.Table}.Sanitize()),
		zone, e.SiteCode, e.SiteLayer, e.Name, e.Company, e.Phone, e.Email, e.Industry, e.AreaMu, e.Message).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, inventory.Errorf(inventory.EInvalid, "site_code", "no %s with code %q", e.SiteLayer, e.SiteCode)
	}
	if err != nil {
		return 0, fmt.Errorf("create enquiry: %w", asError(err))
	}
	return id, nil
}

const enquiryColumns = `e.id, z.code, e.site_layer, e.site_code, e.name, coalesce(e.company, ''), coalesce(e.phone, ''),
	coalesce(e.email, ''), coalesce(e.industry, ''), e.area_mu::float8, coalesce(e.message, ''), e.status, coalesce(e.reply, ''),
	e.version, e.created_at, e.updated_at, coalesce(e.updated_by, ''),
	(select coalesce(jsonb_agg(jsonb_build_object('version', h.version, 'status', h.status, 'reply', coalesce(h.reply, ''),
	        'changed_by', coalesce(h.changed_by, ''), 'changed_at', h.changed_at) order by h.version), '[]')
	 from enquiry_history h where h.zone_id = e.zone_id and h.enquiry_id = e.id)`

func scanEnquiry(row pgx.Row) (*inventory.Enquiry, error) {
	var e inventory.Enquiry
	var hist []byte
	err := row.Scan(&e.ID, &e.Zone, &e.SiteLayer, &e.SiteCode, &e.Name, &e.Company, &e.Phone, &e.Email, &e.Industry,
		&e.AreaMu, &e.Message, &e.Status, &e.Reply, &e.Version, &e.CreatedAt, &e.UpdatedAt, &e.UpdatedBy, &hist)
	if err != nil {
		return nil, err
	}
	if err := jsonUnmarshal(hist, &e.History); err != nil {
		return nil, fmt.Errorf("enquiry %d history: %w", e.ID, err)
	}
	return &e, nil
}

// Enquiries lists the zone's enquiries, newest first; planners and admins only.
func (db *DB) Enquiries(ctx context.Context, zone string) ([]inventory.Enquiry, error) {
	if err := inventory.CanReadEnquiries(inventory.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, `select `+enquiryColumns+` from enquiries e join zones z on z.id = e.zone_id
		where z.code = $1 order by e.created_at desc, e.id desc`, zone)
	if err != nil {
		return nil, fmt.Errorf("list enquiries: %w", err)
	}
	defer rows.Close()
	out := []inventory.Enquiry{}
	for rows.Next() {
		e, err := scanEnquiry(rows)
		if err != nil {
			return nil, fmt.Errorf("list enquiries: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// UpdateEnquiry records a planner's follow-up (status, reply) as the enquiry's next version,
// under If-Match. The database refuses a step landinv_enquiry_step_ok does not allow; the same
// rule is checked here first (inventory.EnquiryStepOK) to name the field.
func (db *DB) UpdateEnquiry(ctx context.Context, zone string, id int64, ifMatch string, c inventory.EnquiryChange) (*inventory.Enquiry, error) {
	v := inventory.ViewerFrom(ctx)
	if err := inventory.CanReadEnquiries(v); err != nil {
		return nil, err
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return nil, err
	}
	var out *inventory.Enquiry
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var status string
		var version, zoneID int
		err := tx.QueryRow(ctx, `select e.status, e.version, e.zone_id from enquiries e join zones z on z.id = e.zone_id
			where e.id = $1 and z.code = $2 for update of e`, id, zone).Scan(&status, &version, &zoneID)
		if errors.Is(err, pgx.ErrNoRows) {
			return inventory.Errorf(inventory.ENotFound, "id", "no enquiry %d", id)
		}
		if err != nil {
			return err
		}
		switch {
		case ifMatch == "":
			return inventory.Errorf(inventory.EPreconditionRequired, "If-Match",
				"is required: send the ETag of the enquiry you read (GET /api/v1/enquiries)")
		case ifMatch != "*" && ifMatch != inventory.EnquiryETag(id, version):
			return &inventory.Error{Kind: inventory.EPrecondition, Field: "If-Match",
				Reason: "the enquiry changed since you read it; read it again", Detail: map[string]any{"current_etag": inventory.EnquiryETag(id, version)}}
		}
		if c.Status != nil && !inventory.EnquiryStepOK(status, *c.Status) {
			return inventory.Errorf(inventory.EInvalid, "status",
				"cannot go from %s to %s; the follow-up goes new → contacted → visiting → signed, or to dropped from any open status", status, *c.Status)
		}
		_, err = tx.Exec(ctx, `update enquiries set status = coalesce($2, status), reply = coalesce(nullif($3, ''), case when $3 = '' then null else reply end),
			version = version + 1, updated_at = clock_timestamp(), updated_by = $4 where zone_id = $5 and id = $1`, id, c.Status, c.Reply, v.Name, zoneID)
		if err != nil {
			return asError(err)
		}
		out, err = scanEnquiry(tx.QueryRow(ctx, `select `+enquiryColumns+` from enquiries e join zones z on z.id = e.zone_id where e.zone_id = $2 and e.id = $1`, id, zoneID))
		return err
	})
	if err != nil {
		if inventory.ErrorKind(err) != inventory.EInternal {
			return nil, err
		}
		return nil, fmt.Errorf("update enquiry %d: %w", id, err)
	}
	return out, nil
}
