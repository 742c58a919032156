package main

import (
	"context"
)

// startTCP starts the raw TCP line listener when it is configured.
func (m *Main) startTCP(ctx context.Context) error {
	if m.Config.TCPAddr == "" {
		return nil
	}
	return nil
}
