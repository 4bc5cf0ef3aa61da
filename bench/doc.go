// Package bench measures the mock CA (mockca, run as `acmeconform serve`)
// and the mock DNS server beside Pebble and pebble-challtestsrv on the same
// machine, with the same client, in one run: issuance throughput and
// latency under concurrency, server CPU per issuance read from /proc, stalls,
// lego's wall time for one certificate, DNS queries per second, start-up
// time and resident memory after many issuances.
//
// Every server listens on 127.0.0.1 and every phase is bounded in count and
// time. Run builds a Result; Result.Markdown renders it as the table the
// README's Performance section holds, and UpdateSection rewrites that
// section between its marker comments.
package bench
