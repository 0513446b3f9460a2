package postgis

// CodeIndexState is what the indexes of codes hold, for tests in package postgis_test: the
// indexes, the load times kept and the codes in all.
func (db *DB) CodeIndexState() (indexes, times, codes int) {
	x := db.codes
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.indexes), len(x.nextAt), x.codes
}
