package inventory

// Columns that several reports' tables share: one definition of each heading, so that a plot's
// code, district or area reads the same in every table.
var (
	colPlot     = Column{Key: "code", Label: "地块编号", LabelEN: "Plot"}
	colName     = Column{Key: "name", Label: "名称", LabelEN: "Name"}
	colDistrict = Column{Key: "district", Label: "片区", LabelEN: "District"}
	colCluster  = Column{Key: "cluster", Label: "产业集群", LabelEN: "Cluster"}
	colStatus   = Column{Key: "status", Label: "状态", LabelEN: "Status"}
	colAreaMu   = Column{Key: "area_mu", Label: "面积", LabelEN: "Area", Unit: "亩"}
	colPlots    = Column{Key: "plots", Label: "地块数", LabelEN: "Plots"}
	colRoad     = Column{Key: "road", Label: "道路编号", LabelEN: "Road"}
	colGroup    = Column{Key: "group", Label: "范围", LabelEN: "Group"}
	colUnit     = Column{Key: "unit", Label: "单位", LabelEN: "Unit"}
)
