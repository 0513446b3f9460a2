package inventory

import (
	"context"
	"fmt"
	"math"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Enquiry statuses (跟进状态), in follow-up order: a planner contacts the investor, arranges a
// site visit, and the enquiry ends signed (签约) or dropped (放弃). See EnquiryStepOK.
var EnquiryStatuses = []string{"new", "contacted", "visiting", "signed", "dropped"}

// EnquiryStatusLabels names the statuses in Chinese and English.
var EnquiryStatusLabels = map[string]EnumLabel{
	"new": {"新线索", "New"}, "contacted": {"已联系", "Contacted"}, "visiting": {"考察中", "Site visit"},
	"signed": {"已签约", "Signed"}, "dropped": {"已放弃", "Dropped"},
}

// EnquiryStepOK reports whether an enquiry's status may go from a to b: staying put, one step
// forward (new → contacted → visiting → signed), or dropped from any open status. signed and
// dropped are final. The database holds the same rule (landinv_enquiry_step_ok).
func EnquiryStepOK(a, b string) bool {
	if a == b {
		return true
	}
	switch a + ">" + b {
	case "new>contacted", "contacted>visiting", "visiting>signed", "new>dropped", "contacted>dropped", "visiting>dropped":
		return true
	}
	return false
}

// EnquiryLayers are the layers an enquiry may be about: a plot or a standard-plant building.
var EnquiryLayers = []string{"plots", "plants"}

// Length limits of an enquiry's fields, in characters (not bytes). The database checks the same
// limits.
var EnquiryLimits = map[string]int{
	"name": 100, "company": 200, "phone": 40, "email": 200, "industry": 200, "message": 2000, "reply": 4000,
}

// MaxEnquiryAreaMu bounds the area an investor may ask for (亩).
const MaxEnquiryAreaMu = 100000

// NewEnquiry is what an investor sends (招商线索): the site, who they are, how to reach them
// (phone or email), the intended industry, the area needed in 亩 and a message.
type NewEnquiry struct {
	SiteLayer string   `json:"site_layer"`
	SiteCode  string   `json:"site_code"`
	Name      string   `json:"name"`
	Company   string   `json:"company"`
	Phone     string   `json:"phone"`
	Email     string   `json:"email"`
	Industry  string   `json:"industry"`
	AreaMu    *float64 `json:"area_mu"`
	Message   string   `json:"message"`
}

// Check trims the enquiry's text and checks it: a known layer and a well-formed code, a name,
// a phone or an email (an email must look like one), every text within EnquiryLimits, no
// control characters, and area_mu above 0 and at most MaxEnquiryAreaMu. Errors are EInvalid and
// name the field. Whether the site exists is the store's check.
func (e *NewEnquiry) Check() error {
	if !contains(EnquiryLayers, e.SiteLayer) {
		return Errorf(EInvalid, "site_layer", "must be one of %s", strings.Join(EnquiryLayers, ", "))
	}
	if !ValidCode(e.SiteCode) {
		return Errorf(EInvalid, "site_code", "must be a plot or building code")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"name", &e.Name}, {"company", &e.Company}, {"phone", &e.Phone}, {"email", &e.Email}, {"industry", &e.Industry}, {"message", &e.Message}} {
		*f.v = strings.TrimSpace(*f.v)
		if err := checkText(f.name, *f.v, f.name == "message"); err != nil {
			return err
		}
	}
	if e.Name == "" {
		return Errorf(EInvalid, "name", "is required")
	}
	if e.Phone == "" && e.Email == "" {
		return Errorf(EInvalid, "phone", "give a phone number or an email address")
	}
	if e.Phone != "" && strings.Trim(e.Phone, "0123456789+-() ") != "" {
		return Errorf(EInvalid, "phone", "may hold only digits, spaces and + - ( )")
	}
	if e.Email != "" {
		if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email {
			return Errorf(EInvalid, "email", "is not an email address")
		}
	}
	if e.AreaMu != nil && (math.IsNaN(*e.AreaMu) || *e.AreaMu <= 0 || *e.AreaMu > MaxEnquiryAreaMu) {
		return Errorf(EInvalid, "area_mu", "must be more than 0 and at most %d 亩", MaxEnquiryAreaMu)
	}
	return nil
}

// checkText checks one text field: the one text rule (CheckText: UTF-8, no NUL), its length
// limit, and no other control character (multiline allows line breaks and tabs).
func checkText(field, v string, multiline bool) error {
	if err := CheckText(field, v); err != nil {
		return err
	}
	if n, max := utf8.RuneCountInString(v), EnquiryLimits[field]; n > max {
		return Errorf(EInvalid, field, "is %d characters long; at most %d", n, max)
	}
	for _, r := range v {
		if r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t')) || r == 0x7f {
			return Errorf(EInvalid, field, "holds a control character").With(CodeBadText, nil)
		}
	}
	return nil
}

// Enquiry is a stored enquiry, as planners see it: what the investor sent, the follow-up status,
// the planner's reply and its version (the ETag changes with each). Confidential: only planners
// and admins read enquiries.
type Enquiry struct {
	ID   int64  `json:"id"`
	Zone string `json:"zone"`
	NewEnquiry
	Status    string    `json:"status"`
	Reply     string    `json:"reply"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	// History lists every version's status and reply, oldest first.
	History []EnquiryVersion `json:"history"`
}

// EnquiryVersion is one version of an enquiry's follow-up.
type EnquiryVersion struct {
	Version   int       `json:"version"`
	Status    string    `json:"status"`
	Reply     string    `json:"reply,omitempty"`
	ChangedBy string    `json:"changed_by,omitempty"`
	ChangedAt time.Time `json:"changed_at"`
}

// ETag is the enquiry version's entity tag.
func (e *Enquiry) ETag() string { return EnquiryETag(e.ID, e.Version) }

// EnquiryETag is the entity tag of version v of enquiry id.
func EnquiryETag(id int64, v int) string { return fmt.Sprintf(`"enquiry-%d-v%d"`, id, v) }

// EnquiryChange is a planner's follow-up: a new status and/or a reply (nil leaves it as is).
type EnquiryChange struct {
	Status *string `json:"status"`
	Reply  *string `json:"reply"`
}

// Check checks the change on its own: something to change, a known status, a reply within its
// limit. Whether the step is allowed depends on the current status (EnquiryStepOK).
func (c *EnquiryChange) Check() error {
	if c.Status == nil && c.Reply == nil {
		return Errorf(EInvalid, "status", "give status and/or reply")
	}
	if c.Status != nil && !contains(EnquiryStatuses, *c.Status) {
		return Errorf(EInvalid, "status", "has unknown value %q; known: %s", *c.Status, strings.Join(EnquiryStatuses, ", "))
	}
	if c.Reply != nil {
		*c.Reply = strings.TrimSpace(*c.Reply)
		if err := checkText("reply", *c.Reply, true); err != nil {
			return err
		}
	}
	return nil
}

// CanReadEnquiries returns nil when v may list and follow up enquiries (planners and admins),
// else EUnauthorized (no credentials) or EForbidden.
func CanReadEnquiries(v Viewer) error {
	if v.SeesConfidential() {
		return nil
	}
	if v.Name == "" {
		return Errorf(EUnauthorized, "", "sign in as a planner to see enquiries (Authorization: Bearer TOKEN)")
	}
	return Errorf(EForbidden, "", "user %s is a %s; only planners and admins see enquiries", v.Name, v.Role)
}

// EnquiryService keeps enquiries (招商线索).
type EnquiryService interface {
	// CreateEnquiry stores e (checked with NewEnquiry.Check) about a live site of zone and
	// returns its id; anyone may. An unknown site is EInvalid naming site_code.
	CreateEnquiry(ctx context.Context, zone string, e NewEnquiry) (int64, error)
	// Enquiries lists the zone's enquiries, newest first, with their history; planners and
	// admins only (CanReadEnquiries).
	Enquiries(ctx context.Context, zone string) ([]Enquiry, error)
	// UpdateEnquiry records a planner's follow-up as a new version. ifMatch is the ETag last
	// seen: empty is EPreconditionRequired, stale EPrecondition. A step EnquiryStepOK refuses is
	// EInvalid naming status.
	UpdateEnquiry(ctx context.Context, zone string, id int64, ifMatch string, c EnquiryChange) (*Enquiry, error)
}
