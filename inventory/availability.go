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
	Key string
	EnumLabel
}

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
	switch status {
	case "ready":
		return a("available", "净地，可供应", "Serviced land, available now")
	case "reserved":
		return a("reserved", "已预留给意向企业", "Reserved for a prospective investor")
	case "planned":
		return a("planned", "规划中，尚未供应", "Planned, not yet on offer")
	case "idle":
		return a("reoffer", "待盘活，处置后可再供应", "Awaiting reuse; may be offered again")
	}
	return a("taken", "已供应", "Already allocated")
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
