package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"acmeconform/internal/loopbacktls"
	"acmeconform/internal/ports"
)

// startMockCA runs `acmeconform serve` on fresh loopback ports, validating
// http-01 on http01Port, with the "letsencrypt" profile: no external
// account binding, like Pebble's configuration here.
func startMockCA(ctx context.Context, cfg Config, dir string, http01Port int) (*target, error) {
	ps, err := ports.Free(4)
	if err != nil {
		return nil, err
	}
	addr := func(i int) string { return "127.0.0.1:" + strconv.Itoa(ps[i]) }
	state, err := os.MkdirTemp(dir, "mockca")
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--listen", addr(0),
		"--management", addr(1), "--dns", addr(2), "--dns-api", addr(3),
		"--http01-port", strconv.Itoa(http01Port), "--state-dir", state,
		"--profile", "letsencrypt"}, cfg.ServeArgs...)
	cmd := exec.Command(cfg.bin("acmeconform"), args...)
	t := &target{name: "mockca", cmd: cmd, dirURL: "https://" + addr(0) + "/directory",
		mgmtURL: "http://" + addr(1), dnsAddr: addr(2),
		rootPEM: filepath.Join(state, "tls-root.pem")}
	if t.log, t.startup, err = launch(ctx, cmd, state, "mockca", httpReady(t.dirURL)); err != nil {
		return nil, err
	}
	if t.pool, err = loadPool(t.rootPEM); err != nil {
		t.stop()
		return nil, err
	}
	return t, nil
}

// pebbleEnv turns off Pebble's validation sleep, random nonce rejection
// and random authorization reuse, so both servers do the same work.
var pebbleEnv = []string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0",
	"PEBBLE_AUTHZREUSE=0"}

// startPebble runs Pebble on fresh loopback ports, resolving through
// dnsAddr and validating http-01 on http01Port.
func startPebble(ctx context.Context, cfg Config, dir, dnsAddr string,
	http01Port int) (*target, error) {
	ps, err := ports.Free(2)
	if err != nil {
		return nil, err
	}
	state, err := os.MkdirTemp(dir, "pebble")
	if err != nil {
		return nil, err
	}
	tlsFiles, err := loopbacktls.Write(state)
	if err != nil {
		return nil, err
	}
	certFile, keyFile := tlsFiles.CertFile, tlsFiles.KeyFile
	listen := "127.0.0.1:" + strconv.Itoa(ps[0])
	conf := pebbleConfig(listen, "127.0.0.1:"+strconv.Itoa(ps[1]), certFile, keyFile,
		http01Port)
	confFile := filepath.Join(state, "pebble.json")
	if err := os.WriteFile(confFile, conf, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(cfg.bin("pebble"), "-config", confFile, "-dnsserver", dnsAddr)
	cmd.Env = append(os.Environ(), pebbleEnv...)
	t := &target{name: "pebble", cmd: cmd, dirURL: "https://" + listen + "/dir",
		rootPEM: certFile}
	if t.log, t.startup, err = launch(ctx, cmd, state, "pebble", httpReady(t.dirURL)); err != nil {
		return nil, err
	}
	if t.pool, err = loadPool(certFile); err != nil {
		t.stop()
		return nil, err
	}
	return t, nil
}

// pebbleConfig is Pebble's JSON configuration with no EAB, 90-day
// certificates and ECDSA issuing keys, like mockca's default profile.
func pebbleConfig(listen, mgmt, cert, key string, http01Port int) []byte {
	conf := map[string]any{"pebble": map[string]any{
		"listenAddress":                  listen,
		"managementListenAddress":        mgmt,
		"certificate":                    cert,
		"privateKey":                     key,
		"httpPort":                       http01Port,
		"tlsPort":                        http01Port,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
		"keyAlgorithm":                   "ecdsa",
		"retryAfter":                     map[string]int{"authz": 1, "order": 1},
		"profiles": map[string]any{
			"default": map[string]any{"description": "90 days", "validityPeriod": 7776000},
		},
	}}
	b, err := json.Marshal(conf)
	if err != nil {
		panic(fmt.Sprintf("marshal pebble config: %v", err)) // only strings and numbers
	}
	return b
}
