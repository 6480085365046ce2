// Package testserver starts the whole platform for tests: a real embedded
// database in a temporary folder, a real HTTP listener on a free loopback
// port, and helpers to call it as clients do.
package testserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/liaoning12316/agrimaker/server"
)

// TS is a running server.
type TS struct {
	T      testing.TB
	S      *server.Server
	Cfg    server.Config
	URL    string // http://127.0.0.1:port
	WSURL  string // ws://127.0.0.1:port
	Client *http.Client
	done   chan struct{}
}

// Option adjusts the config before start.
type Option func(*server.Config)

// SharingDB makes the new server use other's database (two processes, one store).
func SharingDB(other *TS) Option {
	return func(c *server.Config) {
		c.MongoURI = other.S.Store.URI
		c.Database = other.Cfg.Database
	}
}

// WithDataDir keeps the embedded database in dir (to restart on the same data).
func WithDataDir(dir string) Option { return func(c *server.Config) { c.DataDir = dir } }

// Start runs a server until the test ends.
func Start(t testing.TB, opts ...Option) *TS {
	t.Helper()
	cfg := server.Config{
		DataDir: t.TempDir(), Database: "agrimaker_test", PasswordCost: 4,
		RateLimit: 0, PollInterval: 100 * time.Millisecond, TokenTTL: time.Hour,
		ShutdownGrace: 5 * time.Second, LogLevel: "warn",
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := server.New(ctx, cfg, Logger())
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ts := &TS{T: t, S: s, Cfg: cfg, URL: "http://" + ln.Addr().String(), WSURL: "ws://" + ln.Addr().String(),
		Client: &http.Client{Timeout: 30 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(ts.done)
		if err := s.Serve(ln); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(ts.Stop)
	return ts
}

// Stop shuts the server down gracefully (idempotent).
func (ts *TS) Stop() {
	ts.S.Shutdown(context.Background())
	<-ts.done
	ts.Client.CloseIdleConnections()
}

// Logger logs warnings and errors to stderr, or everything with AGRI_TEST_LOG=debug.
func Logger() *slog.Logger {
	return server.NewLogger(os.Stderr, envOr("AGRI_TEST_LOG", "warn"))
}

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

// Resp is a response read whole.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// Decode unmarshals the body into v, failing the test on error.
func (r Resp) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrCode returns error.code of an error body, or "".
func (r Resp) ErrCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Do sends a request; body may be nil, []byte/string (sent raw) or any value (sent as JSON).
func (ts *TS) Do(method, path, token string, body any, headers ...string) Resp {
	ts.T.Helper()
	resp, err := ts.Try(method, path, token, body, headers...)
	if err != nil {
		ts.T.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// Try is Do returning transport errors instead of failing (safe in goroutines).
func (ts *TS) Try(method, path, token string, body any, headers ...string) (Resp, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return Resp{}, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		return Resp{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := ts.Client.Do(req)
	if err != nil {
		return Resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err == nil {
		if verr := checkResponse(req, res.StatusCode, res.Header, b); verr != nil {
			ts.T.Errorf("%v", verr)
		}
	}
	return Resp{Status: res.StatusCode, Header: res.Header, Body: b}, err
}

// User is a registered test user.
type User struct {
	ID, Phone, Token string
}

var phoneSeq atomic.Int64

// NewPhone returns a fresh valid mobile number.
func NewPhone() string {
	return fmt.Sprintf("139%08d", phoneSeq.Add(1)+int64(time.Now().UnixNano()%1000)*100000)
}

// Register creates a user with role farmer or buyer.
func (ts *TS) Register(role string) User {
	ts.T.Helper()
	phone := NewPhone()
	return ts.auth("/api/v1/auth/register", http.StatusCreated, phone,
		map[string]string{"phone": phone, "password": "secret-123", "name": "测试" + role, "role": role})
}

// auth posts an account request and reads the user and token it answers.
func (ts *TS) auth(path string, want int, phone string, body map[string]string) User {
	ts.T.Helper()
	r := ts.Do("POST", path, "", body)
	if r.Status != want {
		ts.T.Fatalf("POST %s for %s: %d %s", path, phone, r.Status, r.Body)
	}
	var out struct {
		Token string
		User  struct{ ID string }
	}
	r.Decode(ts.T, &out)
	return User{ID: out.User.ID, Phone: phone, Token: out.Token}
}

// Auction is the part of an auction tests read most.
type Auction struct {
	ID, Kind, Status, Owner string
	Price, Seq, StartPrice  int64
	Increment               int64
	Leader                  *string
	EndsAt                  time.Time
	Result                  *struct {
		Winner     *string
		Price      int64
		ReserveMet bool
	}
}

// SellAuction returns a valid create body for a sell auction ending in d;
// fields in over replace the defaults.
func SellAuction(d time.Duration, over map[string]any) map[string]any {
	b := map[string]any{
		"kind": "sell", "title": "盘锦大米 1吨", "commodity": "盘锦大米",
		"quantity":   map[string]any{"value": 1, "unit": "吨"},
		"startPrice": 10000, "increment": 100, "endsAt": time.Now().Add(d).Format(time.RFC3339Nano),
		"extendSeconds": 0,
		"lot":           map[string]any{"variety": "圆粒", "grade": "一级", "origin": "211100", "terms": map[string]any{"pickup": true}},
	}
	for k, v := range over {
		b[k] = v
	}
	return b
}

// CreateAuction creates an auction and fails the test unless it is 201.
func (ts *TS) CreateAuction(token string, body map[string]any) Auction {
	ts.T.Helper()
	r := ts.Do("POST", "/api/v1/auctions", token, body)
	if r.Status != http.StatusCreated {
		ts.T.Fatalf("create auction: %d %s", r.Status, r.Body)
	}
	var a Auction
	r.Decode(ts.T, &a)
	return a
}

// Get reads an auction.
func (ts *TS) Get(id string) Auction {
	ts.T.Helper()
	r := ts.Do("GET", "/api/v1/auctions/"+id, "", nil)
	if r.Status != http.StatusOK {
		ts.T.Fatalf("get auction: %d %s", r.Status, r.Body)
	}
	var a Auction
	r.Decode(ts.T, &a)
	return a
}

// Bid is an accepted bid as the API shows it.
type Bid struct {
	Seq, Amount int64
	Bidder      string
	At          time.Time
	Proxy       bool
}

// Bids reads every accepted bid of an auction, following cursors.
func (ts *TS) Bids(id string) []Bid {
	ts.T.Helper()
	var all []Bid
	cursor := ""
	for {
		r := ts.Do("GET", "/api/v1/auctions/"+id+"/bids?limit=500&cursor="+cursor, "", nil)
		if r.Status != http.StatusOK {
			ts.T.Fatalf("list bids: %d %s", r.Status, r.Body)
		}
		var page struct {
			Items []Bid
			Next  string
		}
		r.Decode(ts.T, &page)
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		cursor = page.Next
	}
}

// Dial opens a websocket to path (e.g. "/ws/auctions/ID?since=0").
func (ts *TS) Dial(path string) (*websocket.Conn, error) {
	c, _, err := websocket.DefaultDialer.Dial(ts.WSURL+path, nil)
	return c, err
}

// Msg is any server-to-client socket message.
type Msg struct {
	Type       string
	ServerTime time.Time
	Bid        *Bid
	Price      int64
	Leader     *string
	Ref        string
	Seq        int64
	Code       string
	Auction    *Auction
	Result     *struct {
		Winner *string
		Price  int64
	}
}

// Read reads one socket message within d.
func Read(c *websocket.Conn, d time.Duration) (Msg, error) {
	_ = c.SetReadDeadline(time.Now().Add(d))
	var m Msg
	_, data, err := c.ReadMessage()
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(data, &m)
}

// WaitFor polls cond every 20 ms until it holds or d passes.
func WaitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
