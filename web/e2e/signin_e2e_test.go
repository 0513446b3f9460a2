package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// attackerPage is a page on another origin (another port of the same host) that forges a
// write to the target with the browser's cookies: a "simple" no-cors POST, which the browser
// sends without asking the target first.
const attackerPage = `<!doctype html><meta charset="utf-8"><title>attacker</title><script>
const target = new URLSearchParams(location.search).get('target');
fetch(target + '/api/v1/plots', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' },
  body: JSON.stringify({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[111.5, 36], [111.5001, 36], [111.5001, 36.0001], [111.5, 36]]] },
    properties: { code: 'CSRF-1', land_use: '100101', status: 'planned' } }) })
  .finally(() => { document.title = 'done'; });
</script>`

// TestSignInInTheBrowser runs signin.mjs against the demo: the sign-in page in both languages
// and sizes, a leader's password sign-in showing the confidential figures and no editing, sign
// out, and a cross-origin write with a planner's cookie refused.
func TestSignInInTheBrowser(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	ctx := context.Background()
	for _, u := range []struct {
		name string
		role inventory.Role
	}{{"lead", inventory.RoleLeader}, {"wang", inventory.RolePlanner}} {
		if _, err := db.AddUser(ctx, u.name, u.role); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, u.name, u.name+" 的密码"); err != nil {
			t.Fatal(err)
		}
	}
	var code, enterprise string
	if err := db.Pool.QueryRow(ctx, `select code, enterprise from plots where enterprise is not null and valid_to = 'infinity'
		order by code limit 1`).Scan(&code, &enterprise); err != nil {
		t.Fatal(err)
	}
	base := serveWith(t, storeDeps(db), nil)
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(attackerPage)) //nolint:errcheck
	}))
	t.Cleanup(attacker.Close)
	plots := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, "select count(*) from plots").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := plots()

	results := runScript(t, node, "signin.mjs", 4*time.Minute, "--base", base, "--attacker", attacker.URL,
		"--code", code, "--enterprise", enterprise, "--leader", "lead:lead 的密码", "--planner", "wang:wang 的密码")
	expectChecks(t, results, "signin_page_zh_1366", "signin_page_zh_375", "signin_page_en_1366", "signin_page_en_375",
		"leader_signs_in_sees_confidential_zh", "leader_cannot_edit", "leader_signs_out_zh",
		"planner_signs_in_en", "csrf_from_another_origin_refused", "planner_makes_and_revokes_a_token", "planner_signs_out_en", "no_page_errors")
	if n := plots(); n != before {
		t.Errorf("plots: %d before, %d after: a forged or refused write changed the inventory", before, n)
	}
	var sessions int
	if err := db.Pool.QueryRow(context.Background(), "select count(*) from sessions").Scan(&sessions); err != nil {
		t.Fatal(err)
	}
	if sessions != 0 {
		t.Errorf("%d sessions left after both users signed out", sessions)
	}
}
