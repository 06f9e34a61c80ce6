package model

import (
	"strings"
	"testing"
)

// testCatalogJSON mirrors assets/gpus.json; model cannot import assets.
const testCatalogJSON = `{"gpus":[
 {"type":"A100-80GB","name":"NVIDIA A100 80GB","hourly_rate":3.50,"tokens_per_sec":1800,"memory_gb":80},
 {"type":"A100-40GB","name":"NVIDIA A100 40GB","hourly_rate":2.80,"tokens_per_sec":1500,"memory_gb":40},
 {"type":"H100","name":"NVIDIA H100 80GB","hourly_rate":4.20,"tokens_per_sec":2200,"memory_gb":80},
 {"type":"V100-32GB","name":"NVIDIA V100 32GB","hourly_rate":2.10,"tokens_per_sec":1200,"memory_gb":32}
]}`

func testCatalog(tb testing.TB) Catalog {
	tb.Helper()
	c, err := ParseCatalog([]byte(testCatalogJSON))
	if err != nil {
		tb.Fatalf("ParseCatalog: %v", err)
	}
	return c
}

func TestParseCatalogValid(t *testing.T) {
	c := testCatalog(t)
	if got := strings.Join(c.Types(), ","); got != "A100-80GB,A100-40GB,H100,V100-32GB" {
		t.Errorf("Types() = %s", got)
	}
	c2, err := ParseCatalog([]byte(`{"gpus":[{"type":"T4","hourly_rate":0.5,"tokens_per_sec":300}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if c2.GPUs[0].Name != "T4" {
		t.Errorf("missing name not defaulted to type: %+v", c2.GPUs[0])
	}
}

func TestParseCatalogErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"not json", `{gpus`, "gpu catalog: invalid character"},
		{"empty input", ``, "gpu catalog: empty document"},
		{"trailing data", `{"gpus":[{"type":"T4","hourly_rate":1,"tokens_per_sec":1}]} {}`, "gpu catalog: unexpected data after the JSON value"},
		{"unknown top-level field", `{"gpus":[],"currency":"usd"}`, `gpu catalog: json: unknown field "currency"`},
		{"empty list", `{"gpus":[]}`, `gpu catalog: "gpus" must list at least one GPU`},
		{"missing list", `{}`, `gpu catalog: "gpus" must list at least one GPU`},
		{"null", `null`, `gpu catalog: "gpus" must list at least one GPU`},
		{"unknown entry field", `{"gpus":[{"type":"T4","hourly_rate":1,"tokens_per_sec":1,"price":2}]}`,
			`gpu catalog: gpus[0] (type "T4"): json: unknown field "price"`},
		{"wrong field type", `{"gpus":[{"type":"A","hourly_rate":1,"tokens_per_sec":1},{"type":"T4","hourly_rate":"1"}]}`,
			`gpu catalog: gpus[1] (type "T4"): json: cannot unmarshal string into Go struct field GPU.hourly_rate of type float64`},
		{"empty type", `{"gpus":[{"type":"","hourly_rate":1,"tokens_per_sec":1}]}`,
			`gpu catalog: gpus[0] (type ""): type must not be empty`},
		{"spaces in type", `{"gpus":[{"type":" T4","hourly_rate":1,"tokens_per_sec":1}]}`,
			`gpu catalog: gpus[0] (type " T4"): type must not have leading or trailing spaces`},
		{"escape in type", `{"gpus":[{"type":"T4\u001b[6n","hourly_rate":1,"tokens_per_sec":1}]}`,
			`gpu catalog: gpus[0] (type "T4\x1b[6n"): type and name must not hold control characters`},
		{"bell in name", `{"gpus":[{"type":"T4","name":"T\u0007","hourly_rate":1,"tokens_per_sec":1}]}`,
			`gpu catalog: gpus[0] (type "T4"): type and name must not hold control characters`},
		{"long type", `{"gpus":[{"type":"` + strings.Repeat("T", 41) + `","hourly_rate":1,"tokens_per_sec":1}]}`,
			`gpu catalog: gpus[0] (type "` + strings.Repeat("T", 41) + `"): type must be at most 40 characters`},
		{"zero rate", `{"gpus":[{"type":"T4","tokens_per_sec":1}]}`,
			`gpu catalog: gpus[0] (type "T4"): hourly_rate must be greater than 0, got 0`},
		{"negative rate", `{"gpus":[{"type":"T4","hourly_rate":-1,"tokens_per_sec":1}]}`,
			`gpu catalog: gpus[0] (type "T4"): hourly_rate must be greater than 0, got -1`},
		{"zero throughput", `{"gpus":[{"type":"A","hourly_rate":1,"tokens_per_sec":1},{"type":"T4","hourly_rate":1,"tokens_per_sec":0}]}`,
			`gpu catalog: gpus[1] (type "T4"): tokens_per_sec must be greater than 0, got 0`},
		{"negative memory", `{"gpus":[{"type":"T4","hourly_rate":1,"tokens_per_sec":1,"memory_gb":-16}]}`,
			`gpu catalog: gpus[0] (type "T4"): memory_gb must not be negative, got -16`},
		{"duplicate type", `{"gpus":[{"type":"H100","hourly_rate":1,"tokens_per_sec":1},{"type":"T4","hourly_rate":1,"tokens_per_sec":1},{"type":"h100","hourly_rate":2,"tokens_per_sec":2}]}`,
			`gpu catalog: gpus[2] (type "h100"): type duplicates gpus[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCatalog([]byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("ParseCatalog error = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestCatalogLookup(t *testing.T) {
	c := testCatalog(t)
	// An operator catalog may hold types differing only in case only if the
	// parser allowed it; build one by hand to check exact match wins.
	mixed := Catalog{GPUs: []GPU{{Type: "gpu-x", HourlyRate: 1}, {Type: "GPU-X", HourlyRate: 2}}}
	tests := []struct {
		name    string
		c       Catalog
		in      string
		want    string
		wantErr string
	}{
		{"exact", c, "H100", "H100", ""},
		{"case-insensitive", c, "a100-40gb", "A100-40GB", ""},
		{"exact beats folded", mixed, "GPU-X", "GPU-X", ""},
		{"unknown", c, "B200", "", `unknown GPU type "B200": known types are A100-80GB, A100-40GB, H100, V100-32GB`},
		{"empty catalog", Catalog{}, "H100", "", `unknown GPU type "H100": known types are (none: the catalog is empty)`},
	}
	for _, tt := range tests {
		g, err := tt.c.Lookup(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%s: Lookup error = %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || g.Type != tt.want {
			t.Errorf("%s: Lookup = %q, %v; want %q", tt.name, g.Type, err, tt.want)
		}
	}
}
