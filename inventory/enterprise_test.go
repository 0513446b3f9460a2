package inventory

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCheckCreditCode(t *testing.T) {
	// Real, published codes (and the standard's own example), checked by hand against
	// GB 32100-2015's weights.
	for _, code := range []string{"9144030071526726XG", "91330100716105852F", "91110000802100433B", "91350100M000100Y43", "91110108551385082Q"} {
		if err := CheckCreditCode(code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
	// A code with a right checksum whose organisation code (71526726 with 1, not X) fails.
	c, err := CreditCheckChar("91440300715267261")
	if err != nil {
		t.Fatal(err)
	}
	badOrg := "91440300715267261" + string(c)
	if CheckCreditCodeFormat(badOrg) != nil {
		t.Fatalf("%s: the test's code should pass the checksum", badOrg)
	}
	tests := []struct{ code, want string }{
		{badOrg, "GB 11714"},
		{"9144030071526726XH", "checksum"},     // wrong last character
		{"9144030071526726X", "18 characters"}, // too short
		{"9144030071526726XGG", "18 characters"},
		{"9144030071526726IG", "alphabet"}, // I is not in the alphabet
		{"9144030071526726xg", "alphabet"}, // lower case
		{"", "18 characters"},
	}
	for _, tt := range tests {
		err := CheckCreditCode(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one saying %q", tt.code, err, tt.want)
		}
	}
	// Every other last character is refused.
	for _, c := range creditCharset {
		code := "9144030071526726X" + string(c)
		if err := CheckCreditCode(code); (err == nil) != (c == 'G') {
			t.Errorf("%s: error %v", code, err)
		}
	}
}

func TestFigureCodeAndChange(t *testing.T) {
	if err := checkFigureCode(FigureCode("9144030071526726XG", 2025)); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"9144030071526726XH-2025", "9144030071526726XG-1999", "9144030071526726XG", "9144030071526726XG-20x5"} {
		if err := checkFigureCode(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	got, err := FigureChange(map[string]any{"tax_wan": 12.5, "energy_tce": 3.0, "energy_tce_source": "统计局", "source": "税务局", "date": "2026-03-01", "listed": true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"tax_wan": 12.5, "tax_wan_source": "税务局", "tax_wan_date": "2026-03-01", "energy_tce": 3.0,
		"energy_tce_source": "统计局", "energy_tce_date": "2026-03-01", "listed": true}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, err := FigureChange(map[string]any{"tax_wan": 1.0}); err == nil || !strings.Contains(err.Error(), "source") {
		t.Errorf("a figure without a source: %v", err)
	}
	if _, err := CheckChange(FigureLayer, map[string]any{"code": "9144030071526726XH-2025"}, true); err == nil {
		t.Error("a figures code with a bad credit code passes CheckChange")
	}
	if _, err := CheckChange(EnterpriseLayer, map[string]any{"code": "9144030071526726XG", "name": "腾讯"}, true); err != nil {
		t.Errorf("a good enterprise is refused: %v", err)
	}
}

// TestOrgCheckChar: the organisation code's check character (GB 11714) on codes worked out by
// hand: Σ value × weight (3 7 9 10 5 8 4 2), then 11 − Σ mod 11.
func TestOrgCheckChar(t *testing.T) {
	tests := []struct {
		body string
		want byte
	}{
		{"D2143569", 'X'}, // the standard's example: 13·3+2·7+1·9+4·10+3·5+5·8+6·4+9·2 = 199, 199 mod 11 = 1, 11−1 = 10 → X
		{"71526726", 'X'}, // 9144030071526726XG: 21+7+45+20+30+56+8+12 = 199 → X
		{"71610585", '2'}, // 91330100716105852F: 174 mod 11 = 9 → 2
		{"80210043", '3'}, // 91110000802100433B: 74 mod 11 = 8 → 3
		{"55138508", '2'}, // 91110108551385082Q: 185 mod 11 = 9 → 2
		{"M000100Y", '4'}, // 91350100M000100Y43: M = 22, Y = 34: 66+5+68 = 139 mod 11 = 7 → 4
		{"00000000", '0'}, // 0: 11 − 0 = 11 → 0
		{"10000000", '8'}, // 3: 11 − 3 = 8
	}
	for _, tt := range tests {
		got, err := OrgCheckChar(tt.body)
		if err != nil || got != tt.want {
			t.Errorf("OrgCheckChar(%s) = %c, %v; want %c", tt.body, got, err, tt.want)
		}
	}
	for _, bad := range []string{"7152672", "715267260", "7152672a", "7152672-"} {
		if _, err := OrgCheckChar(bad); err == nil {
			t.Errorf("OrgCheckChar(%q) accepted", bad)
		}
	}
}

// TestCompleteCreditCode checks generated codes against the two standards' defining property,
// computed independently here: an organisation code's weighted sum plus its check value is a
// multiple of 11 (X = 10), and a credit code's weighted sum with weights 3^i mod 31 plus the
// check character's value is a multiple of 31. Any other 17th character is refused.
func TestCompleteCreditCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 11714))
	value := func(c byte) int { // GB 11714: digits, then A = 10 … Z = 35
		if c <= '9' {
			return int(c - '0')
		}
		return int(c-'A') + 10
	}
	for n := 0; n < 500; n++ {
		b := make([]byte, 16)
		for i := range b {
			b[i] = creditCharset[rng.IntN(len(creditCharset))]
		}
		code, err := CompleteCreditCode(string(b))
		if err != nil {
			t.Fatal(err)
		}
		org := 0
		for i, w := range []int{3, 7, 9, 10, 5, 8, 4, 2} {
			org += value(code[8+i]) * w
		}
		if code[16] == 'X' {
			org += 10
		} else {
			org += value(code[16])
		}
		sum, w := 0, 1
		for i := 0; i < 17; i++ {
			sum += strings.IndexByte(creditCharset, code[i]) * w
			w = w * 3 % 31
		}
		sum += strings.IndexByte(creditCharset, code[17])
		if org%11 != 0 || sum%31 != 0 {
			t.Fatalf("%s: organisation sum %d, credit sum %d", code, org, sum)
		}
		if err := CheckCreditCode(code); err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		for _, c := range creditCharset {
			if byte(c) == code[16] {
				continue
			}
			other := code[:16] + string(c)
			cc, _ := CreditCheckChar(other)
			if CheckCreditCode(other+string(cc)) == nil {
				t.Fatalf("%s passes with organisation check %c", other+string(cc), c)
			}
		}
	}
	if _, err := CompleteCreditCode("91141000MA00001"); err == nil {
		t.Error("15 characters accepted")
	}
}
