package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestFiguresDeterministicAndLabelled: enterprise_figures.json is the same on every run, is the
// committed file, is labelled illustrative, and has three years of figures for the firms in
// production (some missing their energy figure, as real data does).
func TestFiguresDeterministicAndLabelled(t *testing.T) {
	a, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range TableFileNames {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two runs", n)
		}
		committed, err := os.ReadFile(filepath.Join("..", "demo", n))
		if err != nil || !bytes.Equal(committed, a[n]) {
			t.Errorf("data/demo/%s is stale: run go run ./data/gen -out data/demo (%v)", n, err)
		}
	}
	var f struct {
		Illustrative bool       `json:"illustrative"`
		Note         string     `json:"note"`
		Firms        []demoFirm `json:"firms"`
	}
	if err := json.Unmarshal(a["enterprise_figures.json"], &f); err != nil {
		t.Fatal(err)
	}
	if !f.Illustrative || f.Note == "" || len(f.Firms) < 200 {
		t.Fatalf("illustrative %v, note %q, %d firms", f.Illustrative, f.Note, len(f.Firms))
	}
	withFigures, noEnergy := 0, 0
	for _, x := range f.Firms {
		if len(x.Figures) == 0 {
			continue
		}
		withFigures++
		if len(x.Figures) != len(FigureYears) {
			t.Errorf("%s has %d years", x.Name, len(x.Figures))
		}
		for _, y := range x.Figures {
			if _, ok := y["energy_tce"]; !ok {
				noEnergy++
			}
		}
	}
	if withFigures < 150 || noEnergy == 0 {
		t.Errorf("%d firms with figures, %d firm-years without energy", withFigures, noEnergy)
	}
}
