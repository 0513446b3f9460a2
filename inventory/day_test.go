package inventory

import (
	"testing"
	"time"
)

// TestDayOf: the zone's day is China's (UTC+8): from 16:00 UTC it is the next date.
func TestDayOf(t *testing.T) {
	for _, c := range []struct{ at, want string }{
		{"2026-11-30T15:59:59Z", "2026-11-30"},
		{"2026-11-30T16:00:00Z", "2026-12-01"},
		{"2026-12-31T23:30:00+08:00", "2026-12-31"},
		{"2026-12-31T16:00:00Z", "2027-01-01"},
		{"2026-06-01T00:30:00-07:00", "2026-06-01"},
	} {
		at, err := time.Parse(time.RFC3339, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := DayOf(at); got != c.want {
			t.Errorf("DayOf(%s) = %s, want %s", c.at, got, c.want)
		}
	}
}
