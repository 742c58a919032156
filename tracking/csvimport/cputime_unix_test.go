//go:build unix

package csvimport

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the test process has used. On a machine
// shared with other work a benchmark's wall-clock rate follows the other
// work's load; its rate per processor-second does not, nearly.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
