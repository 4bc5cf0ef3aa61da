package mockca

import (
	"fmt"
	"strconv"

	"acmeconform/acme"
)

// postOrdersList serves one page of the account's orders (RFC 8555
// §7.1.2.1) with Link rel="next" when more follow. Invalid orders are left
// out, as the RFC advises.
func (s *Server) postOrdersList(req *request) (*response, error) {
	if !req.postAsGet {
		return nil, malformed("the orders list is read with POST-as-GET")
	}
	id := req.http.PathValue("id")
	if id != req.acctID {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "orders of another account")
	}
	page := 0
	if v := req.http.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, malformed("page must be a non-negative integer")
		}
		page = n
	}
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	var urls []string
	for _, oid := range s.store.accounts[id].orders {
		o := s.store.orders[oid]
		if o == nil {
			continue
		}
		s.refreshOrder(o, now)
		if o.status != acme.StatusInvalid {
			urls = append(urls, s.url(pathOrder+oid))
		}
	}
	size := s.cfg.OrdersPerPage
	from, to := min(page*size, len(urls)), min((page+1)*size, len(urls))
	resp := &response{body: acme.OrdersList{Orders: append([]string{}, urls[from:to]...)}}
	if to < len(urls) {
		next := fmt.Sprintf("%s/orders?page=%d", s.accountURL(id), page+1)
		resp.links = append(resp.links, link(next, "next"))
	}
	return resp, nil
}
