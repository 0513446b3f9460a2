package inventory_test

import (
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
)

func TestTokenState(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	before, after := now.Add(-time.Second), now.Add(time.Second)
	tests := []struct {
		tok  inventory.Token
		want string
	}{
		{inventory.Token{}, "active"},
		{inventory.Token{ExpiresAt: &after}, "active"},
		{inventory.Token{ExpiresAt: &now}, "expired"},
		{inventory.Token{ExpiresAt: &before}, "expired"},
		{inventory.Token{ExpiresAt: &before, RevokedAt: &before}, "revoked"},
		{inventory.Token{RevokedAt: &after}, "revoked"},
	}
	for i, tt := range tests {
		if got := tt.tok.State(now); got != tt.want {
			t.Errorf("%d: %s, want %s", i, got, tt.want)
		}
	}
}
