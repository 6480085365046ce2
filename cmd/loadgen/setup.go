package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ---- wire types (only the fields the load generator needs) ----

// flexID accepts an id sent as a JSON string or number; null becomes "".
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*f = flexID(s)
		return err
	}
	*f = flexID(b)
	return nil
}

type userDTO struct {
	ID    flexID   `json:"id"`
	Phone string   `json:"phone"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

type auctionDTO struct {
	ID         flexID `json:"id"`
	Kind       string `json:"kind"`
	Status     string `json:"status"`
	StartPrice int64  `json:"startPrice"`
	Increment  int64  `json:"increment"`
	Price      int64  `json:"price"`
	Leader     flexID `json:"leader"`
	Seq        int64  `json:"seq"`
	EndsAt     string `json:"endsAt"`
}

type bidDTO struct {
	Seq    int64  `json:"seq"`
	Amount int64  `json:"amount"`
	Bidder flexID `json:"bidder"`
	At     string `json:"at"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorBody is the error envelope; auction is read when the server adds it
// (at top level or inside error) to a 409, so the bidder can re-read the price.
type errorBody struct {
	Error struct {
		apiError
		Auction *auctionDTO `json:"auction"`
	} `json:"error"`
	Auction *auctionDTO `json:"auction"`
}

// ---- HTTP client ----

type client struct {
	base   string // http(s)://host[:port][/prefix], no trailing slash
	wsBase string // ws(s)://host[:port][/prefix]
	hc     *http.Client
}

type response struct {
	Status int
	Body   []byte
	Header http.Header
}

func (r *response) apiError() apiError {
	var e errorBody
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.apiError
}

// errAuction returns the auction carried by an error body, if any.
func (r *response) errAuction() *auctionDTO {
	var e errorBody
	if json.Unmarshal(r.Body, &e) != nil {
		return nil
	}
	if e.Auction != nil {
		return e.Auction
	}
	return e.Error.Auction
}

func (r *response) String() string {
	body := string(r.Body)
	if len(body) > 300 {
		body = body[:300] + "…"
	}
	return fmt.Sprintf("HTTP %d %s", r.Status, strings.TrimSpace(body))
}

func newClient(server string, timeout time.Duration, maxConns int) (*client, error) {
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-server / -servers: each must be an absolute http(s) URL, got %q", server)
	}
	u.RawQuery, u.Fragment = "", ""
	base := strings.TrimRight(u.String(), "/")
	ws := *u
	ws.Scheme = "ws"
	if u.Scheme == "https" {
		ws.Scheme = "wss"
	}
	tr := &http.Transport{
		Proxy:               nil, // traffic goes only to the servers given, never via a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        maxConns,
		MaxIdleConnsPerHost: maxConns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &client{
		base:   base,
		wsBase: strings.TrimRight(ws.String(), "/"),
		hc: &http.Client{
			Transport: tr,
			Timeout:   timeout,
			// Never follow a redirect to another address.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

func (c *client) do(ctx context.Context, method, path, token string, body any, hdr map[string]string) (*response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	return &response{Status: resp.StatusCode, Body: data, Header: resp.Header}, nil
}

// doRetry is for setup and verification requests: it waits out 429s and
// retries transport errors, a bounded number of times.
func (c *client) doRetry(ctx context.Context, method, path, token string, body any) (*response, error) {
	const maxAttempts = 6
	var (
		r   *response
		err error
	)
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		r, err = c.do(ctx, method, path, token, body, nil)
		var wait time.Duration
		switch {
		case err != nil && ctx.Err() == nil:
			wait = 500 * time.Millisecond
		case err == nil && r.Status == http.StatusTooManyRequests:
			wait = retryAfter(r.Header, time.Second, 5*time.Second)
			log.Printf("429 on %s %s; waiting %s (start the server with AGRI_RATE_LIMIT=0)", method, path, wait)
		default:
			return r, err
		}
		if attempt == maxAttempts || !sleepCtx(ctx, wait) {
			break
		}
	}
	return r, err
}

func retryAfter(h http.Header, def, capAt time.Duration) time.Duration {
	d := def
	if s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	}
	return min(max(d, 50*time.Millisecond), capAt)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (c *client) healthz(ctx context.Context) error {
	var last error
	for attempt := 0; attempt < 5; attempt++ {
		r, err := c.do(ctx, http.MethodGet, "/healthz", "", nil, nil)
		if err == nil && r.Status == http.StatusOK {
			return nil
		}
		if err != nil {
			last = err
		} else {
			last = errors.New(r.String())
		}
		if !sleepCtx(ctx, time.Second) {
			break
		}
	}
	return fmt.Errorf("server %s not healthy: %w", c.base, last)
}

// ---- accounts ----

type account struct {
	ID    string
	Phone string
	Name  string
	Role  string
	Token string
}

func randomPhone() string {
	return fmt.Sprintf("139%08d", rand.IntN(100_000_000))
}

func (c *client) register(ctx context.Context, role, name, password string) (account, error) {
	for try := 0; try < 5; try++ {
		phone := randomPhone()
		r, err := c.doRetry(ctx, http.MethodPost, "/api/v1/auth/register", "", map[string]string{
			"phone": phone, "password": password, "name": name, "role": role,
		})
		if err != nil {
			return account{}, fmt.Errorf("register %s: %w", role, err)
		}
		switch {
		case r.Status == http.StatusCreated || r.Status == http.StatusOK:
			var out struct {
				Token string  `json:"token"`
				User  userDTO `json:"user"`
			}
			if err := json.Unmarshal(r.Body, &out); err != nil || out.Token == "" || out.User.ID == "" {
				return account{}, fmt.Errorf("register %s: unexpected body: %s", role, r)
			}
			return account{ID: string(out.User.ID), Phone: phone, Name: name, Role: role, Token: out.Token}, nil
		case r.Status == http.StatusConflict && r.apiError().Code == "phone_taken":
			continue // random phone collided with an earlier run; draw another
		default:
			return account{}, fmt.Errorf("register %s: %s", role, r)
		}
	}
	return account{}, fmt.Errorf("register %s: 5 random phones were all taken", role)
}

// registerBuyers registers n buyers with at most conc requests in flight
// (password hashing makes registration slow on the server).
func (c *client) registerBuyers(ctx context.Context, n, conc int, password string) ([]account, error) {
	out := make([]account, n)
	errs := make([]error, n)
	sem := make(chan struct{}, max(conc, 1))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			out[i], errs[i] = c.register(ctx, "buyer", fmt.Sprintf("loadgen buyer %d", i+1), password)
		}(i)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// ---- auctions ----

type auctionInfo struct {
	Index      int
	ID         string
	StartPrice int64
	Increment  int64
}

func (c *client) createAuction(ctx context.Context, token, title string, startPrice, increment int64, endsAt time.Time) (auctionInfo, error) {
	body := map[string]any{
		"kind":          "sell",
		"title":         title,
		"commodity":     "盘锦大米",
		"quantity":      map[string]any{"value": 1000, "unit": "公斤"},
		"startPrice":    startPrice,
		"increment":     increment,
		"endsAt":        endsAt.Format(time.RFC3339),
		"extendSeconds": 0,
	}
	r, err := c.doRetry(ctx, http.MethodPost, "/api/v1/auctions", token, body)
	if err != nil {
		return auctionInfo{}, fmt.Errorf("create auction: %w", err)
	}
	if r.Status != http.StatusCreated && r.Status != http.StatusOK {
		return auctionInfo{}, fmt.Errorf("create auction: %s", r)
	}
	var a auctionDTO
	if err := json.Unmarshal(r.Body, &a); err != nil || a.ID == "" {
		return auctionInfo{}, fmt.Errorf("create auction: unexpected body: %s", r)
	}
	if a.Status != "" && a.Status != "live" {
		log.Printf("warning: auction %s created with status %q (expected live)", a.ID, a.Status)
	}
	return auctionInfo{ID: string(a.ID), StartPrice: startPrice, Increment: increment}, nil
}

func auctionPath(id string) string { return "/api/v1/auctions/" + url.PathEscape(id) }

func (c *client) getAuction(ctx context.Context, id string) (auctionDTO, error) {
	var a auctionDTO
	r, err := c.do(ctx, http.MethodGet, auctionPath(id), "", nil, nil)
	if err != nil {
		return a, err
	}
	if r.Status != http.StatusOK {
		return a, errors.New(r.String())
	}
	err = json.Unmarshal(r.Body, &a)
	return a, err
}

// listBids reads every stored bid of an auction, following ?cursor=next
// until next is empty (bounded in pages).
func (c *client) listBids(ctx context.Context, id string) ([]bidDTO, error) {
	const maxPages = 100_000
	var all []bidDTO
	cursor := ""
	seen := map[string]bool{}
	for page := 0; page < maxPages; page++ {
		path := auctionPath(id) + "/bids?limit=500"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r, err := c.doRetry(ctx, http.MethodGet, path, "", nil)
		if err != nil {
			return all, err
		}
		if r.Status != http.StatusOK {
			return all, errors.New(r.String())
		}
		var lr struct {
			Items []bidDTO `json:"items"`
			Next  string   `json:"next"`
		}
		if err := json.Unmarshal(r.Body, &lr); err != nil {
			return all, fmt.Errorf("bids page: %w", err)
		}
		all = append(all, lr.Items...)
		if lr.Next == "" {
			return all, nil
		}
		if seen[lr.Next] {
			return all, fmt.Errorf("bids cursor %q returned twice", lr.Next)
		}
		seen[lr.Next] = true
		cursor = lr.Next
	}
	return all, fmt.Errorf("bids listing exceeded %d pages", maxPages)
}
