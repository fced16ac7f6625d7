package main

import (
	"context"
	"log/slog"
)

// lazyAttrsHandler defers a logger's With and WithGroup to the records it actually writes.
// FerretDB's SQL layer calls logger.With(args) on every statement, args being the statement's whole
// parameters (an insert's documents as JSON), and slog's text handler formats those attributes as
// soon as With is called, at any level: that quoting was a tenth of the database's CPU during intake,
// for debug lines a Warn logger never writes.
type lazyAttrsHandler struct {
	base slog.Handler
	// applied to base in order, only when a record is written
	steps []func(slog.Handler) slog.Handler
}

func newLazyAttrsHandler(base slog.Handler) *lazyAttrsHandler {
	return &lazyAttrsHandler{base: base}
}

func (h *lazyAttrsHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.base.Enabled(ctx, level)
}

func (h *lazyAttrsHandler) Handle(ctx context.Context, r slog.Record) error {
	out := h.base
	for _, step := range h.steps {
		out = step(out)
	}
	return out.Handle(ctx, r)
}

func (h *lazyAttrsHandler) with(step func(slog.Handler) slog.Handler) *lazyAttrsHandler {
	steps := make([]func(slog.Handler) slog.Handler, len(h.steps), len(h.steps)+1)
	copy(steps, h.steps)
	return &lazyAttrsHandler{base: h.base, steps: append(steps, step)}
}

func (h *lazyAttrsHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.with(func(next slog.Handler) slog.Handler { return next.WithAttrs(attrs) })
}

func (h *lazyAttrsHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.with(func(next slog.Handler) slog.Handler { return next.WithGroup(name) })
}
