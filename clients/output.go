package clients

// Head returns at most n bytes of b as a string, for error messages.
func Head(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
