package main

import (
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/web"
)

// TestFailedAuthLimitSetting: the failed-credentials limit of `serve` comes from
// LANDINV_RATE_FAILED_AUTH (the --rate-failed-auth flag's default), is the web package's
// default when unset, and 0 turns it off; a malformed value is an error naming the variable.
func TestFailedAuthLimitSetting(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    int // web.Limits.FailedAuthPerMinute
		wantErr bool
	}{
		{"", web.DefaultFailedAuthPerMinute, false},
		{"12", 12, false},
		{"0", -1, false},
		{"-3", 0, true},
		{"many", 0, true},
	} {
		n, err := envInt(func(string) string { return tc.env }, "LANDINV_RATE_FAILED_AUTH", web.DefaultFailedAuthPerMinute)
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), "LANDINV_RATE_FAILED_AUTH") {
				t.Errorf("%q: error %v, want one naming the variable", tc.env, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.env, err)
		}
		if got := webLimits(inventory.DefaultTimeouts(), 600, 30, n).FailedAuthPerMinute; got != tc.want {
			t.Errorf("%q: FailedAuthPerMinute %d, want %d", tc.env, got, tc.want)
		}
	}
}

// TestFeatureCacheSetting: LANDINV_FEATURE_CACHE_MB sets the feature cache's bound in MiB, 0
// turns it off (a negative bound for the store), unset leaves the store's default (0); a
// malformed value is an error naming the variable.
func TestFeatureCacheSetting(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    int64
		wantErr bool
	}{
		{"", 0, false},
		{"256", 256 << 20, false},
		{"0", -1, false},
		{"-1", 0, true},
		{"lots", 0, true},
	} {
		o, err := dbOptions(func(k string) string {
			if k == "LANDINV_FEATURE_CACHE_MB" {
				return tc.env
			}
			return ""
		})
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), "LANDINV_FEATURE_CACHE_MB") {
				t.Errorf("%q: error %v, want one naming the variable", tc.env, err)
			}
			continue
		}
		if err != nil || o.FeatureCacheBytes != tc.want {
			t.Errorf("%q: FeatureCacheBytes %d (%v), want %d", tc.env, o.FeatureCacheBytes, err, tc.want)
		}
	}
}
