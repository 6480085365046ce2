package market_test

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestDrillDropsMidFrame: connections that die in the middle of a frame,
// both ways — clients that send half a frame and vanish, and watchers whose
// TCP connection is cut while the server is writing bids to them — leave
// the server serving the others: steady watchers get every bid in order,
// and the goroutines come back near where they started.
func TestDrillDropsMidFrame(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	bidders := []testserver.User{ts.Register("buyer"), ts.Register("buyer")}
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 0}))
	ts.Get(a.ID)
	ts.Client.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	base, _ := drGoroutines()

	steady := make([]*drReader, 10)
	for i := range steady {
		c := swDial(t, ts, swWS(a.ID, "?since=0"))
		swExpect(t, c, "snapshot")
		steady[i] = &drReader{c: c, done: make(chan struct{})}
		go steady[i].read()
	}

	// 100 watchers that are cut mid-stream, at random moments of the bidding.
	var cut sync.WaitGroup
	var cutCount atomic.Int64
	for i := 0; i < 100; i++ {
		c := swDial(t, ts, swWS(a.ID, "?since=0"))
		swExpect(t, c, "snapshot")
		cut.Add(1)
		go func() {
			defer cut.Done()
			time.Sleep(time.Duration(i%20) * 15 * time.Millisecond)
			_ = c.UnderlyingConn().Close() // no close frame: the TCP connection just ends
			cutCount.Add(1)
		}()
	}
	// 100 clients that send half a frame and vanish.
	half := make(chan error, 100)
	for i := 0; i < 100; i++ {
		go func() { half <- halfFrame(ts, "/ws/auctions/"+a.ID) }()
	}

	var price atomic.Int64
	price.Store(10000 - 100)
	last := drBid(t, ts, a.ID, bidders, 150, &price)
	cut.Wait()
	for i := 0; i < 100; i++ {
		if err := <-half; err != nil {
			t.Fatalf("half-frame client: %v", err)
		}
	}
	drCheck(t, steady, last, 30*time.Second)
	if r := ts.Do("GET", "/healthz", "", nil); r.Status != http.StatusOK {
		t.Fatalf("healthz after the drops: %d", r.Status)
	}
	t.Logf("%d watchers cut mid-stream, 100 half frames; %d bids reached the 10 steady watchers in order", cutCount.Load(), last)
	drGoroutinesSettle(t, ts, base, 20)
}

// halfFrame upgrades a raw TCP connection to a websocket, sends the first
// part of a masked text frame that announces 100 bytes, and closes.
func halfFrame(ts *testserver.TS, path string) error {
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(ts.URL, "http://"), 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := conn.Write([]byte(req)); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return &net.OpError{Op: "upgrade", Err: net.UnknownNetworkError(resp.Status)}
	}
	frame := []byte{0x81, 0x80 | 100, 1, 2, 3, 4}       // FIN text, masked, 100 bytes, mask key
	frame = append(frame, []byte(`{"type":"bid","`)...) // 15 of the 100 bytes
	_, err = conn.Write(frame)
	return err
}
