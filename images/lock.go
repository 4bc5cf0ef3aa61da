package images

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// lockPollInterval is how often a build waiting for another process's
// build of the same image tries the lock again.
const lockPollInterval = 250 * time.Millisecond

// lockImage takes an exclusive lock on ref shared by every process on the
// machine, so that concurrent runs and test binaries build an image once
// and the others wait for it instead of building it again. The lock lives
// in the system's temporary directory, not in WorkDir, so that managers
// with different work directories still share it. It waits until ctx ends.
func lockImage(ctx context.Context, ref string) (unlock func(), err error) {
	dir := filepath.Join(os.TempDir(), "acmeconform-image-locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("image lock: %w", err)
	}
	name := strings.NewReplacer("/", "_", ":", "_").Replace(ref) + ".lock"
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("image lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if err != syscall.EWOULDBLOCK {
			_ = f.Close()
			return nil, fmt.Errorf("image lock %s: %w", f.Name(), err)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("waiting for another build of %s: %w", ref, ctx.Err())
		case <-time.After(lockPollInterval):
		}
	}
}
