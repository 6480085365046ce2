package web

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// regionsFile is the front end's copy of Liaoning's divisions: there is no
// regions API, so the pages read this file, generated from farmers/regions.
const regionsFile = "static/regions.json"

type jsRegion struct {
	Code     string     `json:"code"`
	Name     string     `json:"name"`
	NameEn   string     `json:"nameEn"`
	Counties []jsRegion `json:"counties,omitempty"`
}

func regionsJSON() ([]byte, error) {
	var cities []jsRegion
	for _, c := range regions.Cities() {
		city := jsRegion{Code: c.Code, Name: c.Name, NameEn: c.NameEn, Counties: []jsRegion{}}
		for _, k := range regions.Counties(c.Code) {
			city.Counties = append(city.Counties, jsRegion{Code: k.Code, Name: k.Name, NameEn: k.NameEn})
		}
		cities = append(cities, city)
	}
	b, err := json.Marshal(map[string]any{"province": regions.Province, "cities": cities})
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// TestRegionsJSONCurrent fails when static/regions.json differs from the
// table in farmers/regions. Regenerate it with
// AGRI_WRITE_REGIONS=1 go test -run TestRegionsJSONCurrent ./web/
func TestRegionsJSONCurrent(t *testing.T) {
	want, err := regionsJSON()
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("AGRI_WRITE_REGIONS") != "" {
		if err := os.WriteFile(regionsFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(regionsFile)
	if err != nil {
		t.Fatalf("%v (generate it: AGRI_WRITE_REGIONS=1 go test -run TestRegionsJSONCurrent ./web/)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: regenerate it with AGRI_WRITE_REGIONS=1 go test -run TestRegionsJSONCurrent ./web/", regionsFile)
	}
	var parsed struct{ Cities []jsRegion }
	if err := json.Unmarshal(got, &parsed); err != nil || len(parsed.Cities) != 14 {
		t.Fatalf("regions.json: %d cities, err %v; want Liaoning's 14", len(parsed.Cities), err)
	}
}
