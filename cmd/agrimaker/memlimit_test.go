package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCgroupMemoryMax(t *testing.T) {
	for _, tc := range []struct {
		name, self, max string
		want            int64
		ok              bool
	}{
		{"container at the root", "0::/\n", "1073741824\n", 1 << 30, true},
		{"systemd service", "0::/system.slice/agrimaker.service\n", "536870912", 512 << 20, true},
		{"no limit", "0::/\n", "max\n", 0, false},
		{"garbage", "0::/\n", "lots\n", 0, false},
		{"cgroup v1 only", "12:memory:/docker/abc\n", "1073741824", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			self := filepath.Join(dir, "cgroup")
			if err := os.WriteFile(self, []byte(tc.self), 0o600); err != nil {
				t.Fatal(err)
			}
			root := filepath.Join(dir, "fs")
			sub := filepath.Join(root, "system.slice", "agrimaker.service")
			if err := os.MkdirAll(sub, 0o700); err != nil {
				t.Fatal(err)
			}
			for _, d := range []string{root, sub} {
				if err := os.WriteFile(filepath.Join(d, "memory.max"), []byte(tc.max), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, ok := cgroupMemoryMax(self, root)
			if ok != tc.ok || ok && got != tc.want {
				t.Fatalf("cgroupMemoryMax = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
	if _, ok := cgroupMemoryMax(filepath.Join(t.TempDir(), "missing"), "/"); ok {
		t.Fatal("a missing /proc/self/cgroup gives a limit")
	}
}
