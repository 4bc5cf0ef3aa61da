package server

import (
	"context"
	"fmt"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/suites"
	"acmeconform/suites/flow"
)

// atlasMACKeyUses is the number of accounts one atlas MAC key may bind.
const atlasMACKeyUses = 1000

// atlasEABSpecs checks the atlas limits on MAC keys (see DESIGN.md) on
// targets that mint EAB credentials.
func atlasEABSpecs(h *harness) {
	Describe("Atlas MAC keys", Label("policy:atlas"), func() {
		h.setup()

		It("binds at most 1,000 accounts with one MAC key",
			policy("atlas-eab-key-1000-uses"), func() {
				if h.target.MintEAB == nil {
					Skip("atlas policy specs need a target that mints EAB credentials")
				}
				eab, err := h.target.MintEAB(h.ctx)
				Expect(err).NotTo(HaveOccurred())
				h.p.AddSecret(eab.HMACKey)
				By(fmt.Sprintf("binding %d accounts", atlasMACKeyUses))
				Expect(h.bindMany(eab, atlasMACKeyUses)).To(Succeed())
				By("binding one more")
				_, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{EAB: eab})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			})
	})
}

// bindMany creates n accounts bound with eab, a few at a time, and
// returns the first failure.
func (h *harness) bindMany(eab *suites.EAB, n int) error {
	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	jobs := make(chan int)
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				_, resp, err := h.f.CreateAccount(ctx, flow.AccountOptions{EAB: eab})
				if err == nil && resp.Status != 201 {
					err = fmt.Errorf("binding %d answered HTTP %d: %w", i+1, resp.Status, resp.Err())
				}
				if err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return first
}
