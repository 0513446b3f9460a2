package postgis

// CodeIndexState is what the indexes of codes hold, for tests in package postgis_test: the
// indexes, the load times kept and the codes in all.
func (db *DB) CodeIndexState() (indexes, times, codes int) {
	x := db.codes
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.indexes), len(x.nextAt), x.codes
}

// WaitCodeIndexLoads waits for the load of an index of codes running, if any, and the texts it
// builds (warm).
func (db *DB) WaitCodeIndexLoads() { db.codes.wg.Wait() }
