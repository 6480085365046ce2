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
type MemoryReport struct {
	PID                   int     `json:"pid"`
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

// rssSampler polls VmRSS from before the watchers connect until stopped,
// keeping the peak.
type rssSampler struct {
	rep  *MemoryReport
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
}

func startRSS(pid int) *rssSampler {
	s := &rssSampler{rep: &MemoryReport{PID: pid}, stop: make(chan struct{}), done: make(chan struct{})}
	before, err := readRSS(pid)
	if err != nil {
		s.rep.Error = err.Error()
		close(s.done)
		return s
	}
	s.rep.BeforeBytes, s.rep.PeakBytes = before, before
	go func() {
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
	}()
	return s
}

func (s *rssSampler) sample() int64 {
	v, err := readRSS(s.rep.PID)
	if err != nil {
		return 0
	}
	s.mu.Lock()
	if v > s.rep.PeakBytes {
		s.rep.PeakBytes = v
	}
	s.mu.Unlock()
	return v
}

func perConn(delta, conns int64) float64 {
	if conns <= 0 {
		return 0
	}
	return float64(delta) / float64(conns)
}

// markRamp records the RSS once all watcher sockets are open.
func (s *rssSampler) markRamp(conns int64) {
	if s.rep.Error != "" {
		return
	}
	v := s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rep.AfterRampBytes, s.rep.ConnsAfterRamp = v, conns
	s.rep.BytesPerConnAfterRamp = perConn(v-s.rep.BeforeBytes, conns)
}

// finish stops sampling (call before closing sockets) and returns the report.
func (s *rssSampler) finish(connsAtPeak int64) *MemoryReport {
	if s.rep.Error == "" {
		s.sample()
		close(s.stop)
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rep.ConnsAtPeak = connsAtPeak
	if s.rep.Error == "" {
		s.rep.BytesPerConnPeak = perConn(s.rep.PeakBytes-s.rep.BeforeBytes, connsAtPeak)
	}
	return s.rep
}
