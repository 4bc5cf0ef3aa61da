package runner

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "../docs/examples/lego-manifest.yaml"

func TestConfigManifests(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nversion: \"1\"\nimage: x\nimgae: y\n"),
		0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		cfg       Config
		wantErr   string
		wantMode  string
		manifests int
	}{
		{"container by default", Config{ClientManifests: []string{example}, ToolsDir: "tools"},
			"", ClientModeContainer, 1},
		{"not in process mode", Config{ClientManifests: []string{example},
			ClientMode: ClientModeProcess}, "--client-manifest runs clients in containers", "", 0},
		{"a mistake names file and line", Config{ClientManifests: []string{bad},
			ToolsDir: "tools"}, bad + ":4: unknown field imgae", "", 0},
		{"one name twice", Config{ClientManifests: []string{example, example},
			ToolsDir: "tools"}, `both name client "lego-manifest"`, "", 0},
		{"none", Config{}, "", ClientModeProcess, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cfg.withDefaults()
			if tt.wantErr != "" {
				var ce *ConfigError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want a ConfigError with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ClientMode != tt.wantMode || len(got.manifests) != tt.manifests {
				t.Errorf("mode %q with %d manifests, want %q with %d", got.ClientMode,
					len(got.manifests), tt.wantMode, tt.manifests)
			}
		})
	}
}
