package main

import (
	"fmt"
	"io"
	"log/slog"
)

// newLogger returns the logger for format: "text" (key=value lines, readable at a terminal;
// every command but serve) or "json" (one JSON object per line, for log collectors; serve's
// default, so that its access log can be parsed).
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not json or text", format)
}
