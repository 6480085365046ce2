package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MemoryReport is the server's resident memory around the connection ramp.
// With several server processes, the run's report sums them (PIDs set, PID
// 0, the peak is the peak of the sum) and each server's report has its own.
type MemoryReport struct {
	PID                   int     `json:"pid"`
	PIDs                  []int   `json:"pids,omitempty"`
	BeforeBytes           int64   `json:"beforeBytes"`
	AfterRampBytes        int64   `json:"afterRampBytes"`
	PeakBytes             int64   `json:"peakBytes"`
	ConnsAfterRamp        int64   `json:"connsAfterRamp"`
	ConnsAtPeak           int64   `json:"connsAtPeak"`
	BytesPerConnAfterRamp float64 `json:"bytesPerConnAfterRamp"`
	BytesPerConnPeak      float64 `json:"bytesPerConnPeak"`
	Error                 string  `json:"error,omitempty"`
}

// readRSS returns VmRSS of a process in bytes.
func readRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "VmRSS:") {
			continue
		}
		fields := strings.Fields(strings.TrimPrefix(line, "VmRSS:"))
		if len(fields) < 1 {
			break
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, err
		}
		return kb * 1024, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// rssSampler polls VmRSS of every server process from before the watchers
// connect until stopped, keeping each one's peak and the peak of their sum.
type rssSampler struct {
	per   []*MemoryReport // one per pid
	total *MemoryReport   // the sum over the pids; its peak is the peak of the sum
	mu    sync.Mutex
	stop  chan struct{}
	done  chan struct{}
	// windows are the open peak trackers of parts of the run (a reconnect
	// storm), fed by the same 200 ms samples as the whole-run peak.
	windows map[*rssWindow]struct{}
}

// rssWindow is the peak of the summed RSS between openWindow and
// closeWindow.
type rssWindow struct{ peak int64 }

func startRSS(pids []int) *rssSampler {
	s := &rssSampler{total: &MemoryReport{}, stop: make(chan struct{}), done: make(chan struct{})}
	if len(pids) > 1 {
		s.total.PIDs = pids
	} else {
		s.total.PID = pids[0]
	}
	for _, pid := range pids {
		m := &MemoryReport{PID: pid}
		before, err := readRSS(pid)
		if err != nil {
			m.Error = err.Error()
			s.total.Error = fmt.Sprintf("pid %d: %v", pid, err)
		}
		m.BeforeBytes, m.PeakBytes = before, before
		s.total.BeforeBytes += before
		s.per = append(s.per, m)
	}
	s.total.PeakBytes = s.total.BeforeBytes
	if s.total.Error != "" {
		close(s.done)
		return s
	}
	go s.loop()
	return s
}

func (s *rssSampler) loop() {
	defer close(s.done)
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.sample()
		}
	}
}

// sample reads every process once and returns the readings (0 for one
// that could not be read) and their sum.
func (s *rssSampler) sample() ([]int64, int64) {
	vs := make([]int64, len(s.per))
	var sum int64
	for i, m := range s.per {
		vs[i], _ = readRSS(m.PID)
		sum += vs[i]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range s.per {
		m.PeakBytes = max(m.PeakBytes, vs[i])
	}
	s.total.PeakBytes = max(s.total.PeakBytes, sum)
	for w := range s.windows {
		w.peak = max(w.peak, sum)
	}
	return vs, sum
}

// openWindow samples now and starts tracking a peak from this reading,
// which it returns; ok is false when the processes cannot be read.
func (s *rssSampler) openWindow() (w *rssWindow, now int64, ok bool) {
	if s.total.Error != "" {
		return nil, 0, false
	}
	_, now = s.sample()
	w = &rssWindow{peak: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.windows == nil {
		s.windows = map[*rssWindow]struct{}{}
	}
	s.windows[w] = struct{}{}
	return w, now, true
}

// closeWindow samples once more, stops tracking w and returns that last
// reading and w's peak.
func (s *rssSampler) closeWindow(w *rssWindow) (now, peak int64) {
	_, now = s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.windows, w)
	return now, w.peak
}

func perConn(delta, conns int64) float64 {
	if conns <= 0 {
		return 0
	}
	return float64(delta) / float64(conns)
}

func sumInt64(xs []int64) int64 {
	var t int64
	for _, x := range xs {
		t += x
	}
	return t
}

// markRamp records the RSS once all watcher sockets are open; conns holds
// the connections of each process.
func (s *rssSampler) markRamp(conns []int64) {
	if s.total.Error != "" {
		return
	}
	vs, total := s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range s.per {
		m.AfterRampBytes, m.ConnsAfterRamp = vs[i], conns[i]
		m.BytesPerConnAfterRamp = perConn(vs[i]-m.BeforeBytes, conns[i])
	}
	t := s.total
	t.AfterRampBytes, t.ConnsAfterRamp = total, sumInt64(conns)
	t.BytesPerConnAfterRamp = perConn(total-t.BeforeBytes, t.ConnsAfterRamp)
}

// finish stops sampling (call before closing sockets) and returns the
// report over all processes and the report of each; conns holds the
// connections of each process at the end of the bid phase.
func (s *rssSampler) finish(conns []int64) (*MemoryReport, []*MemoryReport) {
	if s.total.Error == "" {
		s.sample()
		close(s.stop)
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range s.per {
		m.ConnsAtPeak = conns[i]
		if m.Error == "" {
			m.BytesPerConnPeak = perConn(m.PeakBytes-m.BeforeBytes, conns[i])
		}
	}
	t := s.total
	t.ConnsAtPeak = sumInt64(conns)
	if t.Error == "" {
		t.BytesPerConnPeak = perConn(t.PeakBytes-t.BeforeBytes, t.ConnsAtPeak)
	}
	if len(s.per) == 1 {
		return s.per[0], s.per
	}
	return t, s.per
}
