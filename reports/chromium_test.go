package reports

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var screenshot = flag.String("screenshot", "",
	"keep the headless Chromium screenshot of the HTML report at this path")

// chromiumPath finds a Chromium binary; CI installs Debian's chromium.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// runChromium runs headless Chromium on a local page with everything that
// could reach the network switched off: no name resolves, no background
// services, no crash reports.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--disable-breakpad",
		"--disable-domain-reliability", "--no-pings", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + t.TempDir(), "--window-size=1280,2000",
	}
	if os.Geteuid() == 0 {
		base = append(base, "--no-sandbox") // Chromium refuses to sandbox as root
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

func TestHTMLInHeadlessChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("headless Chromium test skipped in -short mode")
	}
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium not installed (Debian: apt-get install chromium); " +
			"CI must install it to check the HTML report in a browser")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, fixtureReport(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + page

	shot := *screenshot
	if shot == "" {
		shot = filepath.Join(dir, "report.png")
	}
	runChromium(t, bin, "--screenshot="+shot, url)
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if len(png) < 10_000 || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot %s is not a rendered page (%d bytes)", shot, len(png))
	}

	dom := string(runChromium(t, bin, "--dump-dom", url))
	for _, want := range []string{`<span id="overall">fail</span>`, `class="matrix"`,
		`<table id="clients">`, "<td>4.35.2</td>"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	if strings.Contains(dom, `hidden=""`) {
		t.Error("with every filter ticked, rows are hidden")
	}
	checkFilteredDOM(t, string(runChromium(t, bin, "--dump-dom", url+"#verdict=fail")))

	linked := string(runChromium(t, bin, "--dump-dom", url+"#client-certbot-http-01"))
	if !strings.Contains(linked, `id="client-certbot-http-01" open=""`) {
		t.Error("a link to a client failure does not open its fold")
	}
}

var rowRe = regexp.MustCompile(`<tr data-level="[^"]*" data-verdicts="([^"]*)"( hidden="")?>`)

// checkFilteredDOM checks that the filter script, started with only "fail"
// ticked, hid exactly the rows without a failure.
func checkFilteredDOM(t *testing.T, dom string) {
	t.Helper()
	rows := rowRe.FindAllStringSubmatch(dom, -1)
	if len(rows) != 10 {
		t.Fatalf("%d requirement rows in the DOM, want 10", len(rows))
	}
	shown := 0
	for _, m := range rows {
		failing := strings.Contains(" "+m[1]+" ", " fail ")
		hidden := m[2] != ""
		if failing == hidden {
			t.Errorf("row with verdicts %q: hidden=%v", m[1], hidden)
		}
		if !hidden {
			shown++
		}
	}
	if shown != 3 {
		t.Errorf("%d rows shown with the fail filter, want 3", shown)
	}
}
