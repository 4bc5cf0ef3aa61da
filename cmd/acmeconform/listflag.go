package main

import (
	"strings"
)

// listFlag is a flag that may be repeated and takes comma-separated
// values; each value is appended to the list. From the environment or a
// configuration file it is set once, with commas (or a YAML list).
type listFlag struct{ list *[]string }

func (f listFlag) String() string {
	if f.list == nil {
		return ""
	}
	return strings.Join(*f.list, ",")
}

// Set appends the comma-separated values of s, leaving out empty ones.
func (f listFlag) Set(s string) error {
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*f.list = append(*f.list, v)
		}
	}
	return nil
}
