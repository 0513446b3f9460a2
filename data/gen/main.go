// Command gen writes the illustrative Linfen demo dataset (six GeoJSON FeatureCollections and
// the firms' annual figures, enterprise_figures.json) into a directory. The output is deterministic: `go run ./data/gen -out data/demo` reproduces the
// committed files byte for byte. See data/demo/README.md for what is real and what is invented.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "data/demo", "directory to write the GeoJSON files into")
	flag.Parse()
	files, err := Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, name := range append(FileNames, TableFileNames...) {
		if err := os.WriteFile(filepath.Join(*out, name), files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
