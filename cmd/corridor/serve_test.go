package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--running", "0"}, "--running must be ≥ 1"},
		{[]string{"serve", "--max-queued", "-1"}, "--max-queued must be ≥ 1"},
		{[]string{"serve", "--ref-scale", "0"}, "--ref-scale must be ≥ 1"},
		{[]string{"serve", "--workers", "-2"}, "--workers must be ≥ 0"},
		{[]string{"serve", "--ref-until", "2050-01"}, "outside the model's range"},
		{[]string{"serve", "--ref-until", "soon"}, "--ref-until"},
		{[]string{"serve", "--addr", "256.0.0.1:99999"}, "--addr"},
		{[]string{"serve", "extra"}, "takes no arguments"},
		{[]string{"serve", "--nosuch"}, "unknown flag"},
	}
	for _, tt := range tests {
		r := runCLI(t, append(tt.args, "--data-dir", t.TempDir())...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("corridor %q: exit %d, stderr %q; want exit 2 and one line with %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeStarts runs `corridor serve` on a free loopback port, asks it
// for the levers and stops it.
func TestServeStarts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan error, 1)
	o := serveOptions{addr: "127.0.0.1:0", dataDir: t.TempDir(), running: 1, maxQueued: 2, maxAgentMonths: 1e8,
		maxMembers: 2, maxBody: 1 << 16, scale: 1000, refScale: 1000, refUntil: "2005-12"}
	go func() { done <- executeServe(ctx, o, &out, &errb) }()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	deadline := time.Now().Add(10 * time.Second)
	for addr.FindString(out.String()) == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no address printed: %q %q", out.String(), errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	res, err := http.Get(addr.FindString(out.String()) + "/api/levers")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("GET /api/levers: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after its context ended", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
