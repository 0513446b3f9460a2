package inventory

// Availability says whether an investor can have a site now (可供性), for site sheets and the
// map: the key and its Chinese and English wording.
//
// Plots: ready (净地待供) is available now; reserved is held for someone; planned is not yet on
// offer; idle land may be offered again after disposal; supplied, under construction and in
// production are taken. Buildings: a completed building with free floor area is available
// (free_area_m2 > 0); completed and fully let is taken; planned or under construction may be
// booked.
type Availability struct {
	Key string `json:"key"`
	EnumLabel
}

// AvailabilityOrder lists the availability keys in the order investors look for them,
// available first: the order of sort=availability (the store ranks features by it).
var AvailabilityOrder = []string{"available", "bookable", "reoffer", "planned", "reserved", "taken"}

// plotAvailability maps a plot status to its availability key; any other status is taken.
var plotAvailability = map[string]Availability{
	"ready":    {"available", EnumLabel{"净地，可供应", "Serviced land, available now"}},
	"reserved": {"reserved", EnumLabel{"已预留给意向企业", "Reserved for a prospective investor"}},
	"planned":  {"planned", EnumLabel{"规划中，尚未供应", "Planned, not yet on offer"}},
	"idle":     {"reoffer", EnumLabel{"待盘活，处置后可再供应", "Awaiting reuse; may be offered again"}},
}

// PlotAvailabilityKeys maps each plot status that is not taken to its availability key.
func PlotAvailabilityKeys() map[string]string {
	out := make(map[string]string, len(plotAvailability))
	for st, a := range plotAvailability {
		out[st] = a.Key
	}
	return out
}

// InvestorStatuses are the plot statuses an investor's first view of the land map shows: land
// on offer now (ready, 净地待供). Planned land is not yet on offer (the investor ticks it to see
// what is coming), reserved land is held for someone, idle land must be disposed of first, and
// the rest is taken.
var InvestorStatuses = []string{"ready"}

// SiteAvailability returns the availability of a plot or plant from its public properties.
func SiteAvailability(layer string, props map[string]any) Availability {
	status, _ := props["status"].(string)
	a := func(key, zh, en string) Availability { return Availability{key, EnumLabel{zh, en}} }
	if layer == PlantLayer.Name {
		switch status {
		case "completed":
			if free, ok := number(props["free_area_m2"]); ok && free > 0 {
				return a("available", "有空置面积，可租售", "Floor space available to rent or buy")
			}
			return a("taken", "已满租/售", "Fully let or sold")
		default:
			return a("bookable", "规划或在建，可预约", "Planned or being built; can be booked")
		}
	}
	if av, ok := plotAvailability[status]; ok {
		return av
	}
	return a("taken", "已供应", "Already allocated")
}

// AvailabilityTable is SiteAvailability as a look-up table for the land map (meta's
// availability), so that the page words availability as the site sheet does without a rule of
// its own: plots by status; plants by "status|free" (free_area_m2 > 0) or "status|full".
func AvailabilityTable() map[string]map[string]Availability {
	plots := map[string]Availability{}
	for _, st := range PlotStatuses {
		plots[st] = SiteAvailability(PlotLayer.Name, map[string]any{"status": st})
	}
	plants := map[string]Availability{}
	for _, st := range PlantStatuses {
		plants[st+"|free"] = SiteAvailability(PlantLayer.Name, map[string]any{"status": st, "free_area_m2": 1.0})
		plants[st+"|full"] = SiteAvailability(PlantLayer.Name, map[string]any{"status": st, "free_area_m2": 0.0})
	}
	return map[string]map[string]Availability{PlotLayer.Name: plots, PlantLayer.Name: plants}
}

// number reads a JSON number property (float64 or json.Number) as float64.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case interface{ Float64() (float64, error) }:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}
