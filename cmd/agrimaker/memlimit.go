package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
)

// softLimitShare is the part of the container's memory limit given to the
// Go runtime as a soft limit; the rest covers memory the runtime does not
// count (the embedded SQLite's own allocations, thread stacks, page cache
// charged to the container).
const softLimitShare = 0.85

// setMemoryLimit gives the garbage collector a soft memory limit when the
// operator set none with GOMEMLIMIT: softLimitShare of the cgroup's
// memory.max. Without one, the heap may grow to twice what is live before a
// collection: 10,000 watchers peaked at 54 KB per socket; with a 400 MiB
// limit the same run peaked at 36 KB, for 11 % more CPU (BENCHMARKS.md).
func setMemoryLimit(log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		log.Info("soft memory limit from GOMEMLIMIT", "bytes", debug.SetMemoryLimit(-1))
		return
	}
	limit, ok := cgroupMemoryMax("/proc/self/cgroup", "/sys/fs/cgroup")
	if !ok {
		return
	}
	soft := int64(float64(limit) * softLimitShare)
	debug.SetMemoryLimit(soft)
	log.Info("soft memory limit from the cgroup", "bytes", soft, "cgroupBytes", limit)
}

// cgroupMemoryMax reads this process's cgroup v2 memory.max: the cgroup
// path is the "0::" line of selfCgroup, below root. It reports false when
// there is no limit ("max") or no cgroup v2.
func cgroupMemoryMax(selfCgroup, root string) (int64, bool) {
	b, err := os.ReadFile(selfCgroup)
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		path, ok := strings.CutPrefix(line, "0::")
		if !ok {
			continue
		}
		v, err := os.ReadFile(filepath.Join(root, path, "memory.max"))
		if err != nil {
			return 0, false
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
		return n, err == nil && n > 0
	}
	return 0, false
}
