package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// Site sheets (招商推介单): GET /sites/plots/{code} and /sites/plants/{code}, one HTML page per
// plot or building that prints on one A4 page (the template's print CSS). It is read as the
// anonymous public whoever asks, so no confidential figure can reach it, and shows only the
// fields named here. Its map is drawn by PostGIS (Deps.Sites, ST_AsSVG); the QR code of its
// URL is made here (go-qrcode), inline, so the page makes no request beyond this server.

//go:embed templates/site.html templates/sheet.js
var siteFiles embed.FS

var siteTmpl = template.Must(template.New("site.html").ParseFS(siteFiles, "templates/site.html"))

// sheetCSP: the sheet's only script is /sites/sheet.js; images are inline (the QR code).
const sheetCSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'"

// plotIndicators are the standard-land control indicators (标准地控制指标), in the order shown.
var plotIndicators = []string{"min_investment_wan_per_mu", "min_tax_wan_per_mu_year", "min_output_wan_per_mu", "min_far", "max_far",
	"min_building_coverage_pct", "max_green_ratio_pct", "max_admin_share_pct", "max_energy_tce_per_wan", "environmental_standard", "min_rd_share_pct"}

// plantFacts are a building's public facts, in the order shown.
var plantFacts = []string{"free_area_m2", "leasable_area_m2", "total_floor_area_m2", "floors", "floor_height_m", "floor_load_kn_m2",
	"span_m", "crane_capacity_t", "asking_rent_yuan_per_m2_month"}

// offerFields are the prices and terms a planner may record; shown only when set.
var offerFields = map[string][]string{
	"plots":  {"asking_price_wan_per_mu", "reference_land_price_wan_per_mu", "lease_term_years"},
	"plants": {"asking_price_yuan_per_m2", "lease_term_years"},
}

// unitsEN writes the layers' units out in English.
var unitsEN = map[string]string{
	"万元/亩": "10,000 yuan per mu", "万元/亩·年": "10,000 yuan per mu per year", "万元": "10,000 yuan", "%": "%",
	"吨标煤/万元": "t of standard coal per 10,000 yuan", "m²": "m²", "m": "m", "kN/m²": "kN/m²", "层": "floors", "t": "t",
	"元/m²·月": "yuan per m² per month", "元/m²": "yuan per m²", "年": "years", "亩": "mu", "公顷": "ha",
}

// sheetText is the sheet's own wording.
var sheetText = map[string][2]string{
	"plots": {"地块", "Plot"}, "plants": {"标准化厂房", "Standard plant"}, "sheet": {"招商推介单", "Site sheet"},
	"area": {"面积", "Area"}, "land_use": {"用地性质", "Land use"}, "status": {"状态", "Status"}, "availability": {"可供性", "Availability"},
	"district": {"片区", "District"}, "cluster": {"产业集群", "Industry cluster"}, "standard_land": {"标准地", "Standard land"},
	"yes": {"是", "Yes"}, "no": {"否", "No"}, "footprint": {"占地面积", "Footprint"}, "plot": {"所在地块", "On plot"},
	"road": {"最近已建道路", "Nearest built road"}, "road_none": {"区内暂无已建道路", "No built road in the zone yet"},
	"road_at": {"距离约 %s 米", "about %s m away"}, "touching": {"紧邻", "adjacent"},
	"indicators": {"控制指标", "Control indicators"}, "indicator_none": {"未设定控制指标", "No control indicators set"},
	"offer": {"价格与年限", "Price and term"}, "building": {"厂房参数", "Building"},
	"contact": {"招商联系", "Contact"}, "contact_none": {"请通过下方表单留言", "Please use the enquiry form below"},
	"data_date": {"数据日期", "Data as of"}, "printed": {"打印日期", "Printed"}, "scan": {"扫码查看本页", "Scan to open this page"},
	"copy": {"复制链接", "Copy link"}, "copied": {"已复制", "Copied"}, "print": {"打印 / 存为 PDF", "Print / save as PDF"},
	"share": {"分享", "Share"}, "other_lang": {"English", "中文"}, "map": {"位置图", "Location map"},
	"legend_site": {"本地块/厂房", "This site"}, "legend_plot": {"其他地块", "Other plots"}, "legend_plant": {"厂房", "Buildings"},
	"legend_road": {"道路（虚线为规划/在建）", "Roads (dashed: planned or being built)"}, "legend_zone": {"开发区边界", "Zone boundary"},
	"units":        {"1 亩 = %s m²（15 亩 = 1 公顷）；1 万元 = 10,000 元。", "1 mu (亩, the Chinese land unit) = %s m² (15 mu = 1 ha); 万元 = 10,000 yuan."},
	"illustrative": {"示意数据，非测绘成果。", "Illustrative demo data, not survey data."},
	"enquire":      {"留言咨询", "Enquire about this site"}, "name": {"姓名", "Name"}, "company": {"公司", "Company"},
	"phone": {"电话", "Phone"}, "email": {"邮箱", "Email"}, "industry": {"拟投产业", "Intended industry"},
	"area_mu": {"需求面积（亩）", "Area needed (mu)"}, "message": {"留言", "Message"}, "send": {"提交", "Send"},
	"phone_or_email": {"电话或邮箱至少填一项。", "Give a phone number or an email address."},
	"sent":           {"已收到您的咨询，编号 ", "Thank you. Your enquiry number is "}, "failed": {"提交失败：", "Could not send: "},
	"not_found": {"未找到", "Not found"}, "not_found_text": {"没有编号为 %s 的%s。", "There is no %s with code %s."},
	"back": {"返回土地一张图", "Back to the land map"}, "scale": {"比例尺", "Scale"}, "north": {"北", "N"},
	"land_map": {"在土地一张图中查看", "View on the land map"},
}

// sheetRow is one labelled value on the sheet, with an optional plain explanation.
type sheetRow struct {
	Label, Value, Note string
	Class              string
}

// sheetShape is a neighbour on the map.
type sheetShape struct {
	Code, Label, Path, Class string
	X, Y                     float64
}

// sheetView is what the template draws, already in the page's language.
type sheetView struct {
	Lang, HTMLLang, OtherLangURL, URL, MapURL string
	T                                         map[string]string
	Layer, Code, Title, KindLabel             string
	Zone, Contact                             string
	Availability, AvailKey                    string
	Facts, Indicators, Offer, Building        []sheetRow
	QR                                        template.URL
	DataDate, Printed, Units                  string
	Illustrative                              bool
	Map                                       *sheetMap
	NotFound                                  string
	// Problems are the templates of the problem codes the enquiry form may meet, in the page's
	// language, as JSON for its script: the server's English detail is never shown.
	Problems string
}

// sheetProblemCodes are the problem codes an enquiry from the sheet may be refused with.
var sheetProblemCodes = []string{inventory.CodeInvalid, inventory.CodeBadText, inventory.CodeTooManyRequests,
	inventory.CodeTooLarge, inventory.CodeUnavailable}

// sheetProblems returns sheetProblemCodes' templates in lang, as JSON.
func sheetProblems(lang string) string {
	codes := inventory.Codes()
	out := map[string]string{}
	for _, c := range sheetProblemCodes {
		out[c] = codes[c].ZH
		if lang == "en" {
			out[c] = codes[c].EN
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// sheetMap is the SVG map: paths and labels in Web Mercator units, with a scale bar.
type sheetMap struct {
	ViewBox                   string
	Site                      string
	Zone                      string
	Plots, Plants, Roads      []sheetShape
	FontSize, Stroke          float64
	ScaleX, ScaleY, ScaleW    float64
	ScaleLabel                string
	NorthX, NorthY, NorthSize float64
}

// lang returns "en" for ?lang=en and "zh" otherwise.
func sheetLang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" {
		return "en"
	}
	return "zh"
}

// siteSheet serves GET /sites/{layer}/{code}.
func (s *Server) siteSheet(l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := sheetLang(r)
		code := chi.URLParam(r, "code")
		// The public view, whoever asks: the sheet is printed and shared.
		ctx := inventory.WithViewer(r.Context(), inventory.Anonymous)
		v, err := s.sheetView(ctx, r, l, zoneOf(r), code, lang)
		if err != nil && inventory.ErrorKind(err) == inventory.ENotFound {
			v = baseView(r, l, code, lang)
			v.NotFound = fmt.Sprintf(v.T["not_found_text"], code, v.KindLabel)
			if lang == "en" {
				v.NotFound = fmt.Sprintf(v.T["not_found_text"], strings.ToLower(v.KindLabel), code)
			}
			renderSheet(w, r, http.StatusNotFound, v)
			return
		}
		if err != nil {
			Problem(w, r, err)
			return
		}
		renderSheet(w, r, http.StatusOK, v)
	}
}

func renderSheet(w http.ResponseWriter, r *http.Request, status int, v *sheetView) {
	var buf bytes.Buffer
	if err := siteTmpl.Execute(&buf, v); err != nil {
		Problem(w, r, fmt.Errorf("site sheet: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", sheetCSP)
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// baseView is the part of a sheet every answer has, the 404 page included.
func baseView(r *http.Request, l *inventory.Layer, code, lang string) *sheetView {
	i := 0
	if lang == "en" {
		i = 1
	}
	t := make(map[string]string, len(sheetText))
	for k, v := range sheetText {
		t[k] = v[i]
	}
	other := url.Values{}
	for k, vs := range r.URL.Query() {
		other[k] = vs
	}
	if lang == "en" {
		other.Del("lang")
	} else {
		other.Set("lang", "en")
	}
	otherURL := r.URL.Path
	if q := other.Encode(); q != "" {
		otherURL += "?" + q
	}
	v := &sheetView{Lang: lang, HTMLLang: map[string]string{"zh": "zh-CN", "en": "en"}[lang], T: t, Layer: l.Name, Code: code,
		KindLabel: t[l.Name], OtherLangURL: otherURL, Problems: sheetProblems(lang)}
	v.MapURL = "/?" + url.Values{"sel": {l.Name + ":" + code}, "lang": {lang}}.Encode()
	return v
}

// sheetView gathers a site's public facts in the page's language.
func (s *Server) sheetView(ctx context.Context, r *http.Request, l *inventory.Layer, zone, code, lang string) (*sheetView, error) {
	if !inventory.ValidCode(code) {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "no such code")
	}
	f, err := s.deps.Features.Get(ctx, l, zone, code)
	if err != nil {
		return nil, err
	}
	z, err := s.deps.Zones.Zone(ctx, zone)
	if err != nil {
		return nil, err
	}
	sm, err := s.deps.Sites.SiteMap(ctx, l, zone, code)
	if err != nil {
		return nil, err
	}
	v := baseView(r, l, code, lang)
	en := lang == "en"
	pick := func(zh, e string) string {
		if en && e != "" {
			return e
		}
		return zh
	}
	p := f.Properties
	str := func(k string) string { s, _ := p[k].(string); return s }
	v.Title = pick(str("name"), str("name_en"))
	v.Zone = pick(z.Name, z.NameEN)
	v.Contact = pick(z.Contact, z.ContactEN)
	v.Illustrative, _ = p["illustrative"].(bool)
	v.DataDate = inventory.DayOf(f.ValidFrom)
	v.Printed = inventory.DayOf(time.Now())
	v.Units = fmt.Sprintf(v.T["units"], num(geo.SquareMetresPerMu, 2))

	// The page's URL (for the QR code and the copy button): as asked, in the page's language.
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	q := url.Values{}
	if en {
		q.Set("lang", "en")
	}
	if zq := r.URL.Query().Get("zone"); zq != "" {
		q.Set("zone", zq)
	}
	v.URL = scheme + "://" + r.Host + r.URL.Path
	if e := q.Encode(); e != "" {
		v.URL += "?" + e
	}
	png, err := qrcode.Encode(v.URL, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("site sheet QR code: %w", err)
	}
	v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))

	field := func(name string) (inventory.Field, string) {
		fd, _ := l.Field(name)
		return fd, pick(fd.Label, fd.LabelEN)
	}
	value := func(name string) (string, bool) {
		fd, _ := l.Field(name)
		switch x := p[name].(type) {
		case nil:
			return "", false
		case string:
			return x, x != ""
		case bool:
			return map[bool]string{true: v.T["yes"], false: v.T["no"]}[x], true
		default:
			n, ok := toFloat(x)
			if !ok {
				return "", false
			}
			dec := 2
			if fd.Type == inventory.Integer || math.Abs(n) >= 1000 {
				dec = 0
			}
			if en && strings.HasPrefix(fd.Unit, "万元/") {
				// English: written out in yuan ("3.5 million yuan per mu"), not in 万元.
				return yuanEN(n*10000) + " " + strings.TrimPrefix(unitsEN[fd.Unit], "10,000 yuan "), true
			}
			s := num(n, dec)
			if fd.Unit != "" {
				s += " " + pick(fd.Unit, unitsEN[fd.Unit])
			}
			return s, true
		}
	}
	enumName := func(layer, name string) string {
		val := str(name)
		if lab, ok := inventory.EnumLabels(layer, name)[val]; ok {
			return pick(lab.Label, lab.LabelEN)
		}
		return val
	}

	// Area, from the stored m² through geo (the one home of units).
	areaKey := "area_m2"
	areaLabel := v.T["area"]
	if l == inventory.PlantLayer {
		areaKey, areaLabel = "footprint_m2", v.T["footprint"]
	}
	if m2, ok := toFloat(p[areaKey]); ok {
		v.Facts = append(v.Facts, sheetRow{Label: areaLabel, Class: "area", Value: fmt.Sprintf("%s %s · %s m² · %s %s",
			num(geo.MuFromSquareMetres(m2), 2), pick("亩", "mu"), num(m2, 0), num(geo.HectaresFromSquareMetres(m2), 2), pick("公顷", "ha"))})
	}
	av := inventory.SiteAvailability(l.Name, p)
	v.Availability, v.AvailKey = pick(av.Label, av.LabelEN), av.Key
	v.Facts = append(v.Facts, sheetRow{Label: v.T["status"], Value: enumName(l.Name, "status")},
		sheetRow{Label: v.T["availability"], Value: v.Availability, Class: "avail-" + av.Key})

	plotCode := code
	if l == inventory.PlotLayer {
		if lu := str("land_use"); lu != "" {
			name := lu
			if uses, err := s.deps.Map.LandUses(ctx); err == nil {
				for _, u := range uses {
					if u.Code == lu {
						name = lu + " " + pick(u.Name, u.NameEN)
					}
				}
			}
			v.Facts = append(v.Facts, sheetRow{Label: v.T["land_use"], Value: name})
		}
		if c := str("cluster"); c != "" {
			v.Facts = append(v.Facts, sheetRow{Label: v.T["cluster"], Value: enumName("plots", "cluster")})
		}
		if sl, _ := value("standard_land"); sl != "" {
			v.Facts = append(v.Facts, sheetRow{Label: v.T["standard_land"], Value: sl})
		}
		for _, name := range plotIndicators {
			if val, ok := value(name); ok {
				_, lab := field(name)
				ex := inventory.IndicatorExplanations[name]
				v.Indicators = append(v.Indicators, sheetRow{Label: lab, Value: val, Note: pick(ex.ZH, ex.EN)})
			}
		}
	} else {
		plotCode = str("plot_code")
		if plotCode != "" {
			v.Facts = append(v.Facts, sheetRow{Label: v.T["plot"], Value: plotCode})
		}
		for _, name := range plantFacts {
			if val, ok := value(name); ok {
				_, lab := field(name)
				v.Building = append(v.Building, sheetRow{Label: lab, Value: val})
			}
		}
	}
	if d := str("district"); d != "" {
		name := d
		if lf, err := s.deps.Features.Get(ctx, inventory.LayoutLayer, zone, d); err == nil {
			n, _ := lf.Properties["name"].(string)
			ne, _ := lf.Properties["name_en"].(string)
			name = pick(n, ne)
		}
		v.Facts = append(v.Facts, sheetRow{Label: v.T["district"], Value: name})
	}
	for _, name := range offerFields[l.Name] {
		if val, ok := value(name); ok {
			_, lab := field(name)
			v.Offer = append(v.Offer, sheetRow{Label: lab, Value: val})
		}
	}
	// The nearest built road (of the plot, or of the plot holding the building).
	road := v.T["road_none"]
	if plotCode != "" {
		if _, existing, err := s.deps.Map.NearestRoads(ctx, zone, plotCode); err == nil && existing != nil {
			d := fmt.Sprintf(v.T["road_at"], num(existing.DistanceM, 0))
			if existing.DistanceM < 0.5 {
				d = v.T["touching"]
			}
			road = pick(existing.Name, existing.NameEN) + ", " + d
		} else if err != nil && inventory.ErrorKind(err) != inventory.ENotFound {
			return nil, err
		}
	}
	v.Facts = append(v.Facts, sheetRow{Label: v.T["road"], Value: road, Class: "road"})
	v.Map = drawMap(sm, en)
	return v, nil
}

// drawMap turns the store's SiteMap into what the template draws: label positions, a font size
// and stroke width in map units, a scale bar of a round length and a north arrow.
func drawMap(m *inventory.SiteMap, en bool) *sheetMap {
	vb := m.ViewBox
	out := &sheetMap{
		ViewBox:  fmt.Sprintf("%.1f %.1f %.1f %.1f", vb[0], vb[1], vb[2], vb[3]),
		Site:     m.Site,
		Zone:     m.Zone,
		FontSize: vb[2] / 34,
		Stroke:   vb[2] / 400,
	}
	name := func(s inventory.MapShape) string {
		if en && s.NameEN != "" {
			return s.NameEN
		}
		return s.Name
	}
	for _, s := range m.Plots {
		out.Plots = append(out.Plots, sheetShape{Code: s.Code, Path: s.Path, Class: "st-" + s.Status})
	}
	for _, s := range m.Plants {
		out.Plants = append(out.Plants, sheetShape{Code: s.Code, Path: s.Path})
	}
	seen := map[string]bool{}
	for _, s := range m.Roads {
		cls := "road"
		if s.Status != "existing" {
			cls = "road planned"
		}
		sh := sheetShape{Code: s.Code, Path: s.Path, Class: cls}
		if n := name(s); n != "" && !seen[n] && s.LabelX != 0 {
			seen[n] = true
			sh.Label, sh.X, sh.Y = n, s.LabelX, s.LabelY
		}
		out.Roads = append(out.Roads, sh)
	}
	// Scale bar: a round ground length near a fifth of the view's width.
	groundW := vb[2] * m.MetresPerUnit
	target := groundW / 5
	p := math.Pow(10, math.Floor(math.Log10(target)))
	length := p
	for _, k := range []float64{2, 5, 10} {
		if k*p <= target {
			length = k * p
		}
	}
	out.ScaleW = length / m.MetresPerUnit
	out.ScaleX = vb[0] + vb[2]*0.04
	out.ScaleY = vb[1] + vb[3]*0.94
	if length >= 1000 {
		out.ScaleLabel = num(length/1000, 1) + " km"
	} else {
		out.ScaleLabel = num(length, 0) + " m"
	}
	out.NorthSize = vb[3] * 0.06
	out.NorthX = vb[0] + vb[2]*0.95
	out.NorthY = vb[1] + vb[3]*0.05
	// Road names where they fit: inside the view, clear of each other, the scale bar and the
	// north arrow (site_labels.go).
	em := out.FontSize
	scale := mapBox{out.ScaleX - em/2, out.ScaleY - 1.6*em, out.ScaleX + math.Max(out.ScaleW, textWidth(out.ScaleLabel, em)) + em/2, out.ScaleY + out.Stroke + em/2}
	north := mapBox{out.NorthX - 1.5*em, out.NorthY - em/2, out.NorthX + 1.5*em, out.NorthY + 1.8*em}
	placeRoadLabels(out.Roads, mapBox{vb[0], vb[1], vb[0] + vb[2], vb[1] + vb[3]}, []mapBox{scale, north}, em)
	return out
}

// yuanEN writes an amount of yuan out in English: "3.5 million yuan", "120,000 yuan".
func yuanEN(y float64) string {
	if math.Abs(y) >= 1e6 {
		return num(y/1e6, 2) + " million yuan"
	}
	return num(y, 0) + " yuan"
}

// toFloat reads a JSON number (float64 or json.Number).
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case interface{ Float64() (float64, error) }:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// num formats x with dec decimals (trailing zeros dropped) and thousands separators.
func num(x float64, dec int) string {
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if dec > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// sheetScript serves the sheet's script (copy link, print, the enquiry form).
func sheetScript(w http.ResponseWriter, r *http.Request) {
	b, err := siteFiles.ReadFile("templates/sheet.js")
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}
