package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func TestZZHold(t *testing.T) {
	if os.Getenv("HOLD") == "" {
		t.Skip()
	}
	db := openDB(t, postgistest.URL(t, true))
	ctx := context.Background()
	db.AddUser(ctx, "wang", inventory.RolePlanner)
	db.SetPassword(ctx, "wang", "wang's password")
	d := storeDeps(db)
	d.Projects, d.Matcher = db, db
	base := serveWith(t, d, nil)
	os.WriteFile("/tmp/u16base", []byte(base), 0o644)
	fmt.Println(base)
	time.Sleep(40 * time.Minute)
}
