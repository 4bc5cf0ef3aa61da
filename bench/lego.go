package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// LegoResult is one lego run getting one certificate by http-01.
type LegoResult struct {
	Server string
	Wall   time.Duration
	Err    string
}

// runLego runs `lego run` against t, answering http-01 itself on port,
// and returns its wall time. lego's output goes to dir/lego-NAME.log.
func runLego(ctx context.Context, cfg Config, t *target, dir string, port int) LegoResult {
	res := LegoResult{Server: t.name}
	home, err := os.MkdirTemp(dir, "lego")
	if err != nil {
		res.Err = err.Error()
		return res
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cfg.bin("lego"), "--server", t.dirURL, "--accept-tos",
		"--email", "bench@example.com", "--path", home, "--http",
		"--http.port", "127.0.0.1:"+strconv.Itoa(port), "--domains", "lego.bench.test", "run")
	cmd.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+t.rootPEM, "HOME="+home)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := os.Create(home + "/lego-" + t.name + ".log")
	if err != nil {
		res.Err = err.Error()
		return res
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	err = cmd.Run()
	res.Wall = time.Since(start)
	if err != nil {
		res.Err = fmt.Sprintf("lego: %v (log %s)", err, out.Name())
	}
	return res
}
