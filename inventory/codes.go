package inventory

import (
	"errors"
	"maps"
)

// Problem codes (问题代码). Every rule the inventory enforces has a stable machine code; a
// refusal (*Error) carries it with the facts it names (Error.Params). Clients show a problem in
// the person's language from the code's templates, not from the English detail: GET
// /api/v1/meta lists every code with its Chinese and English templates (Codes).
//
// A template names its parameters in braces: {field} is the field at fault (the client writes
// its label, from meta's fields), every other {name} a member of the problem's params. A
// parameter that holds an enum value (illegal_transition's from and to, unknown_value's value)
// is a value of the field at fault, which the client names from meta's enum_labels. The
// codes are a contract: add codes, never rename one.
const (
	// The kinds' own codes, for a refusal without a more specific rule (CodeOf).
	CodeInvalid          = "invalid"
	CodeNotFound         = "not_found"
	CodeConflict         = "conflict"
	CodeUnauthorized     = "unauthorized"
	CodeForbidden        = "forbidden"
	CodeStaleETag        = "stale_etag"
	CodePreconditionReq  = "precondition_required"
	CodeTooLarge         = "too_large"
	CodeTooManyRequests  = "too_many_requests"
	CodeUnavailable      = "unavailable"
	CodeTimeout          = "timeout"
	CodeInternal         = "internal"
	CodeNothingToChange  = "nothing_to_change"
	CodeBadJSON          = "bad_json"
	CodeNotAFeature      = "not_a_feature"
	CodeUnknownProperty  = "unknown_property"
	CodeNotConfidential  = "not_confidential"
	CodeComputed         = "computed"
	CodeWrongType        = "wrong_type"
	CodeNotANumber       = "not_a_number"
	CodeNotWholeNumber   = "not_whole_number"
	CodeNotABoolean      = "not_a_boolean"
	CodeNotADate         = "not_a_date"
	CodeNotText          = "not_text"
	CodeNotJSON          = "not_json"
	CodeOutOfRange       = "out_of_range"
	CodeUnknownValue     = "unknown_value"
	CodeRequired         = "required"
	CodeInvalidCode      = "invalid_code"
	CodeTooLong          = "too_long"
	CodeBadText          = "bad_text"
	CodeTooDeep          = "too_deep"
	CodeNotEmpty         = "not_empty"
	CodeCodeImmutable    = "code_immutable"
	CodeExists           = "exists"
	CodeArchivedExists   = "archived_exists"
	CodeArchived         = "archived"
	CodeNoSuchVersion    = "no_such_version"
	CodeRestoreArchive   = "restore_archive"
	CodeConcurrent       = "concurrent"
	CodeVersionClash     = "version_clash"
	CodeHistoryImmutable = "history_immutable"
	CodeUnknownLandUse   = "unknown_land_use"
	CodeUnknownRef       = "unknown_reference"
	CodeUnknownDistrict  = "unknown_district"
	CodeUnknownPlot      = "unknown_plot"
	CodeIllegalStep      = "illegal_transition"
	CodeFARRange         = "far_range"
	CodeLeasedOverLeased = "leased_exceeds_leasable"
	CodeOneOfRequired    = "one_of_required"
	CodeInternalRule     = "internal_rule"

	// Investment projects (招商项目, project.go).
	CodeProjectAreaOrder    = "project_area_order"
	CodeProjectSiteTooEarly = "project_site_too_early"
	CodeProjectLeasePair    = "project_lease_pair"
	CodeProjectStageDates   = "project_stage_dates"
	CodeProjectDatesOrder   = "project_dates_order"
	CodeProjectDateFuture   = "project_date_future"
	CodeProjectStartsAsLead = "project_starts_as_lead"
	CodeProjectStageOnly    = "project_stage_action_only"
	CodeProjectSiteFixed    = "project_site_fixed"
	CodeProjectPlotStatus   = "project_plot_status"
	CodeProjectPlotTaken    = "project_plot_taken"
	CodeProjectUnknownPlant = "project_unknown_plant"
	CodeProjectInvestor     = "project_unknown_investor"
	CodeProjectEnquiry      = "project_unknown_enquiry"
	CodeProjectEnquiryTaken = "project_enquiry_taken"
	CodeProjectNoFreeArea   = "project_no_free_area"
	CodeProjectPlantUnbuilt = "project_plant_not_completed"
	CodeProjectNoLeasedArea = "project_no_leased_area"
	CodeProjectHoldsSite    = "project_holds_site"

	// Site matching (选址匹配, match_rank.go).
	CodeRankingPlotsAllZero  = "ranking_plots_all_zero"
	CodeRankingPlantsAllZero = "ranking_plants_all_zero"

	// Geometry (边界) rules.
	CodeGeometryMissing   = "geometry_missing"
	CodeGeometryEmpty     = "geometry_empty"
	CodeGeometryType      = "geometry_type"
	CodeBadCoordinates    = "bad_coordinates"
	CodeSelfIntersection  = "self_intersection"
	CodeInvalidGeometry   = "invalid_geometry"
	CodeWrongSRID         = "wrong_srid"
	CodeCoordinatesRange  = "coordinates_out_of_range"
	CodeSwappedAxes       = "swapped_axes"
	CodeOutsideZone       = "outside_zone"
	CodeOverlap           = "overlap"
	CodePlantOutsidePlot  = "plant_outside_plot"
	CodePlantOutsideHost  = "plant_outside_host"
	CodePlantsLeftOutside = "plants_left_outside"
	CodeZoneLeavesOutside = "zone_leaves_outside"
)

// CodeText is a code's meaning: the error kind it comes with, its Chinese and English message
// templates and the parameters they may name.
type CodeText struct {
	Kind   string   `json:"kind"`
	ZH     string   `json:"zh"`
	EN     string   `json:"en"`
	Params []string `json:"params,omitempty"`
}

func ct(kind, zh, en string, params ...string) CodeText {
	return CodeText{Kind: kind, ZH: zh, EN: en, Params: params}
}

// codeTexts is the one table of problem codes (TestEveryCodeHasTemplates walks it).
var codeTexts = map[string]CodeText{
	CodeInvalid:             ct(EInvalid, "{field}的值不符合要求。", "{field}: the value is not accepted."),
	CodeNotFound:            ct(ENotFound, "找不到所请求的要素，它可能已被归档。", "Not found: the feature may have been archived."),
	CodeConflict:            ct(EConflict, "与现有数据冲突。", "This clashes with the inventory as it stands."),
	CodeUnauthorized:        ct(EUnauthorized, "请先登录。", "Please sign in first."),
	CodeForbidden:           ct(EForbidden, "您的账户不能进行此项修改：只有规划人员和管理员可以编辑。", "Your account may not make this change: only planners and admins edit."),
	CodeStaleETag:           ct(EPrecondition, "有人在您打开后修改了此要素。请重新载入，查看其修改后再编辑。", "Someone changed this feature after you opened it. Reload, check their change, and edit again.", "current_etag"),
	CodePreconditionReq:     ct(EPreconditionRequired, "缺少版本标记：请重新载入此要素后再保存。", "The version you edited is missing: reload the feature and save again."),
	CodeTooLarge:            ct(ETooLarge, "提交的内容过大。", "What was sent is too large."),
	CodeTooManyRequests:     ct(ETooManyRequests, "尝试次数过多，请稍后再试。", "Too many attempts; try again later."),
	CodeUnavailable:         ct(EUnavailable, "服务暂时不可用，请稍后再试。", "The service is unavailable for a moment; try again."),
	CodeTimeout:             ct(ETimeout, "查询耗时过长，请缩小范围或稍后再试。", "The request took too long; narrow it or try again later."),
	CodeInternal:            ct(EInternal, "服务器出错，错误已记录。", "Something went wrong on the server; the error is logged."),
	CodeNothingToChange:     ct(EInvalid, "没有需要保存的修改。", "There is nothing to save."),
	CodeBadJSON:             ct(EInvalid, "提交的内容不是有效的 JSON。", "What was sent is not valid JSON."),
	CodeNotAFeature:         ct(EInvalid, "提交的内容不是一个 GeoJSON 要素。", "What was sent is not a GeoJSON Feature."),
	CodeUnknownProperty:     ct(EInvalid, "{field}不是此图层的属性。", "{field} is not a property of this layer."),
	CodeNotConfidential:     ct(EInvalid, "{field}不是保密属性，应与其他属性并列填写。", "{field} is not confidential; give it beside the other properties."),
	CodeComputed:            ct(EInvalid, "{field}由系统根据边界计算，不能直接填写。", "{field} is computed from the boundary and cannot be entered."),
	CodeWrongType:           ct(EInvalid, "{field}的数据类型不正确。", "{field} has the wrong type of value."),
	CodeNotANumber:          ct(EInvalid, "{field}应填写数字。", "{field} must be a number."),
	CodeNotWholeNumber:      ct(EInvalid, "{field}应填写整数。", "{field} must be a whole number."),
	CodeNotABoolean:         ct(EInvalid, "{field}应选择“是”或“否”。", "{field} must be yes or no."),
	CodeNotADate:            ct(EInvalid, "{field}应填写日期（年-月-日）。", "{field} must be a date (year-month-day)."),
	CodeNotText:             ct(EInvalid, "{field}应填写文字。", "{field} must be text."),
	CodeNotJSON:             ct(EInvalid, "{field}应为列表或对象。", "{field} must be a list or an object."),
	CodeOutOfRange:          ct(EInvalid, "{field}应在 {min} 至 {max} 之间。", "{field} must be between {min} and {max}.", "min", "max"),
	CodeUnknownValue:        ct(EInvalid, "{field}：“{value}”不是可选项。请从列表中选择。", "{field}: “{value}” is not one of the choices. Pick one from the list.", "value"),
	CodeRequired:            ct(EInvalid, "{field}为必填项。", "{field} is required."),
	CodeInvalidCode:         ct(EInvalid, "编号只能由字母、数字和“.”“_”“-”组成（1–64 个字符），以字母或数字开头。", "A code is 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit."),
	CodeTooLong:             ct(EInvalid, "{field}过长（最多 {max} 个字节）。", "{field} is too long (at most {max} bytes).", "max"),
	CodeBadText:             ct(EInvalid, "{field}含有无法保存的字符。", "{field} holds characters that cannot be stored."),
	CodeTooDeep:             ct(EInvalid, "{field}的层级过深。", "{field} nests too deeply."),
	CodeNotEmpty:            ct(EInvalid, "{field}不能为空。", "{field} must not be empty."),
	CodeCodeImmutable:       ct(EInvalid, "编号不能修改（{from} → {to}）。请归档此要素，再以新编号新建。", "A code cannot change ({from} → {to}). Archive this feature and create one with the new code.", "from", "to"),
	CodeExists:              ct(EConflict, "编号 {code} 已存在，请换一个编号。", "Code {code} is already taken; choose another.", "code"),
	CodeArchivedExists:      ct(EConflict, "编号 {code} 的要素已归档（版本 {version}）。请在修改历史中恢复它，或换一个编号。", "Code {code} belongs to an archived feature (version {version}). Restore it from its history, or choose another code.", "code", "version"),
	CodeArchived:            ct(ENotFound, "此要素已归档（版本 {version}），请先恢复。", "This feature is archived (version {version}); restore it first.", "version"),
	CodeNoSuchVersion:       ct(EInvalid, "没有版本 {version}：现有版本 1 至 {latest}。", "There is no version {version}: the versions are 1 to {latest}.", "version", "latest"),
	CodeRestoreArchive:      ct(EInvalid, "版本 {version} 是一次归档，不能恢复为现状。", "Version {version} is an archiving; it cannot be restored.", "version"),
	CodeConcurrent:          ct(EConflict, "另一项修改同时完成了。请重新载入后再试。", "Another change was made at the same time. Reload and try again."),
	CodeVersionClash:        ct(EConflict, "另一项修改同时写入了此要素。请重新载入后再试。", "Another change wrote this feature at the same time. Reload and try again."),
	CodeHistoryImmutable:    ct(EInvalid, "历史版本不能修改或删除，只能写入新版本。", "History cannot be changed or deleted; only new versions are written."),
	CodeUnknownLandUse:      ct(EInvalid, "用地代码 {value} 不在用地分类中，请从列表中选择。", "Land-use code {value} is not in the classification; pick one from the list.", "value"),
	CodeUnknownRef:          ct(EInvalid, "{field}引用的代码不存在。", "{field} refers to a code that does not exist."),
	CodeUnknownDistrict:     ct(EInvalid, "片区 {district} 不存在。", "There is no district {district}.", "district"),
	CodeUnknownPlot:         ct(EInvalid, "地块 {plot} 不存在。", "There is no plot {plot}.", "plot"),
	CodeIllegalStep:         ct(EInvalid, "{field}不能从“{from}”直接改为“{to}”。", "{field} cannot go from “{from}” to “{to}” directly.", "from", "to"),
	CodeFARRange:            ct(EInvalid, "容积率下限不能大于容积率上限。", "The minimum floor-area ratio must not exceed the maximum.", "fields"),
	CodeLeasedOverLeased:    ct(EInvalid, "已出租面积不能大于可出租面积。", "The leased area must not exceed the leasable area.", "fields"),
	CodeOneOfRequired:       ct(EInvalid, "请至少填写电话或电子邮箱之一。", "Give a phone number or an e-mail address.", "fields"),
	CodeInternalRule:        ct(EInvalid, "此修改违反了数据库的内部规则（{field}），请联系管理员。", "This change breaks an internal rule of the database ({field}); tell an administrator."),
	CodeProjectAreaOrder:    ct(EInvalid, "用地需求下限不能大于上限。", "The minimum land need must not exceed the maximum.", "fields"),
	CodeProjectSiteTooEarly: ct(EInvalid, "签约之后才能确定地块或厂房。", "A plot or plant is assigned only from signing on.", "fields"),
	CodeProjectLeasePair:    ct(EInvalid, "租用厂房和租用面积须同时填写。", "The plant leased and the area leased go together.", "fields"),
	CodeProjectStageDates:   ct(EInvalid, "已到达的每个阶段都需要日期。", "Every stage reached needs its date.", "fields"),
	CodeProjectDatesOrder:   ct(EInvalid, "阶段日期不能早于上一阶段的日期。", "A stage's date must not be before the previous stage's.", "fields"),
	CodeProjectDateFuture:   ct(EInvalid, "阶段日期不能晚于今天（{max}）：阶段在发生后登记。", "A stage's date must not be after today ({max}): a stage is recorded once it has happened.", "max"),
	CodeProjectStartsAsLead: ct(EInvalid, "新项目从“线索”阶段开始，再通过阶段操作推进。", "A new project starts as a lead; move it on with the stage action."),
	CodeProjectStageOnly:    ct(EInvalid, "阶段、阶段日期、地块和厂房只能通过阶段操作修改。", "The stage, its dates, the plot and the plant change only through the stage action."),
	CodeProjectSiteFixed:    ct(EInvalid, "项目的地块或厂房（{value}）确定后不能更改。", "The project's plot or plant ({value}) cannot change once set.", "value"),
	CodeProjectPlotStatus:   ct(EInvalid, "地块当前为“{value}”，此阶段需要“{want}”。", "The plot is “{value}”; at this stage it must be “{want}”.", "value", "want"),
	CodeProjectPlotTaken:    ct(EConflict, "地块 {value} 已属于另一个项目。", "Plot {value} is another project's.", "value"),
	CodeProjectUnknownPlant: ct(EInvalid, "厂房 {value} 不存在。", "There is no plant {value}.", "value"),
	CodeProjectInvestor:     ct(EInvalid, "没有统一社会信用代码为 {value} 的企业，请先录入企业或填写投资方名称。", "No enterprise has credit code {value}; add the firm first or give the investor's name.", "value"),
	CodeProjectEnquiry:      ct(EInvalid, "线索 {value} 不存在。", "There is no enquiry {value}.", "value"),
	CodeProjectEnquiryTaken: ct(EConflict, "线索 {value} 已转为项目。", "Enquiry {value} is already a project.", "value"),
	CodeProjectHoldsSite: ct(EConflict, "项目占用着 {value}，不能归档：请先终止项目（填写终止原因，地块预留随之解除），再归档。",
		"The project holds {value} and cannot be archived: drop it first (with a reason; a reservation lapses), then archive it.", "value"),
	CodeRankingPlotsAllZero: ct(EInvalid, "{field}：地块的各项条件权重都为 0，每块地的得分都会是 100。请至少给一项条件大于 0 的权重。",
		"{field}: every condition of plots weighs 0, so every plot would score 100. Give at least one condition a weight above 0."),
	CodeRankingPlantsAllZero: ct(EInvalid, "{field}：标准厂房的各项条件权重都为 0，每栋厂房的得分都会是 100。请至少给一项条件大于 0 的权重。",
		"{field}: every condition of standard plants weighs 0, so every building would score 100. Give at least one condition a weight above 0."),
	CodeProjectNoFreeArea:   ct(EInvalid, "厂房 {plant} 空置面积只有 {free_m2} m²，不足 {leased_m2} m²。", "Plant {plant} has only {free_m2} m² free, less than {leased_m2} m².", "plant", "free_m2", "leased_m2"),
	CodeProjectPlantUnbuilt: ct(EInvalid, "厂房 {plant} 尚未建成（{value}），只能租用已建成的厂房。", "Plant {plant} is not completed yet ({value}); only a completed building can be leased.", "plant", "value"),
	CodeProjectNoLeasedArea: ct(EInvalid, "请填写租用面积（或项目的厂房需求面积）。", "Give the area leased (or the project's plant need).", "fields"),

	CodeGeometryMissing:   ct(EInvalid, "请先绘制边界。", "Draw the boundary first."),
	CodeGeometryEmpty:     ct(EInvalid, "边界是空的，请重新绘制。", "The boundary is empty; draw it again."),
	CodeGeometryType:      ct(EInvalid, "边界的几何类型不适用于此图层（地块和厂房为面，道路为线）。", "The geometry's type does not suit this layer (plots and buildings are areas, roads are lines).", "want", "got"),
	CodeBadCoordinates:    ct(EInvalid, "边界的坐标必须是数字。", "The boundary's coordinates must be numbers."),
	CodeSelfIntersection:  ct(EInvalid, "边界自相交（已在地图上标出交点）。请移动顶点，使边界不交叉。", "The boundary crosses itself (marked on the map). Move the vertices so that it does not.", "location"),
	CodeInvalidGeometry:   ct(EInvalid, "边界不是有效的多边形（例如顶点太少或环未闭合）。", "The boundary is not a valid polygon (too few vertices, or a ring that is not closed).", "reason"),
	CodeWrongSRID:         ct(EInvalid, "坐标必须是经纬度（EPSG:4326）。", "Coordinates must be longitude and latitude (EPSG:4326)."),
	CodeCoordinatesRange:  ct(EInvalid, "坐标超出经纬度的范围。", "Coordinates lie outside the range of longitude and latitude."),
	CodeSwappedAxes:       ct(EInvalid, "经度和纬度的顺序可能颠倒了（GeoJSON 要求先经度后纬度）。", "Longitude and latitude are probably swapped (GeoJSON wants longitude first)."),
	CodeOutsideZone:       ct(EInvalid, "边界超出开发区范围 {outside_m2} m²。请把顶点移回开发区内。", "The boundary lies {outside_m2} m² outside the zone. Move the vertices back inside.", "outside_m2"),
	CodeOverlap:           ct(EConflict, "边界与地块 {others} 重叠 {overlap_m2} m²（已在地图上标出）。", "The boundary overlaps plot {others} by {overlap_m2} m² (highlighted on the map).", "others", "other", "overlap_m2", "conflicts"),
	CodePlantOutsidePlot:  ct(EInvalid, "厂房必须位于某个地块之内。", "A building must lie inside a plot."),
	CodePlantOutsideHost:  ct(EInvalid, "厂房不在地块 {plot} 之内。", "The building does not lie inside plot {plot}.", "plot"),
	CodePlantsLeftOutside: ct(EConflict, "此修改会使厂房 {plants} 落在地块之外。", "This change would leave building(s) {plants} outside any plot.", "plants"),
	CodeZoneLeavesOutside: ct(EConflict, "新的开发区边界会使 {features} 落在开发区之外。", "The new zone boundary would leave {features} outside the zone.", "features"),
}

// Codes returns every problem code with its templates (a copy).
func Codes() map[string]CodeText { return maps.Clone(codeTexts) }

// kindCodes are the codes of refusals that name no more specific rule.
var kindCodes = map[string]string{
	EInvalid: CodeInvalid, ENotFound: CodeNotFound, EConflict: CodeConflict, EUnauthorized: CodeUnauthorized,
	EForbidden: CodeForbidden, EPrecondition: CodeStaleETag, EPreconditionRequired: CodePreconditionReq,
	ETooLarge: CodeTooLarge, ETooManyRequests: CodeTooManyRequests, EUnavailable: CodeUnavailable,
	ETimeout: CodeTimeout, EInternal: CodeInternal,
}

// CodeOf returns err's problem code: its *Error's Code, else its kind's code (internal for an
// error that is no *Error).
func CodeOf(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return CodeInternal
	}
	if e.Code != "" {
		return e.Code
	}
	if c, ok := kindCodes[e.Kind]; ok {
		return c
	}
	return CodeInternal
}
