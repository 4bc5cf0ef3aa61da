package images

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLockImageWaitsForTheHolder(t *testing.T) {
	ref := "acmeconform/locktest:" + time.Now().Format("150405.000000000")
	unlock, err := lockImage(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 600*time.Millisecond)
	defer cancel()
	if _, err := lockImage(ctx, ref); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while held: err %v, want a deadline error", err)
	}
	got := make(chan error, 1)
	go func() {
		u, err := lockImage(t.Context(), ref)
		if err == nil {
			u()
		}
		got <- err
	}()
	time.Sleep(300 * time.Millisecond)
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("lock after release: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting build never got the lock after release")
	}
}
