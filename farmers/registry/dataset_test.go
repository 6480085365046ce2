package registry

import (
	"bytes"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
)

func TestParsePerson(t *testing.T) {
	for _, tc := range []struct {
		name    string
		row     datasets.Row
		want    *Person  // profile fields expected
		badCols []string // columns the row is rejected for
	}{
		{name: "full row by codes",
			row:  datasets.Row{"name": "王大山", "phone": "13800001111", "roles": "农户、合作社", "region": "210115", "address": "辽中区老大房村", "crops": "玉米:30亩;大豆:10.5", "livestock": "牛:20头;羊:100只", "cooperative": "大山玉米合作社"},
			want: &Person{Name: "王大山", Phone: "13800001111", Roles: []string{RoleFarmer, RoleCooperative}, Region: "210115", Address: "辽中区老大房村", Crops: []Crop{{"玉米", 30}, {"大豆", 10.5}}, Livestock: []Livestock{{"牛", 20}, {"羊", 100}}, Cooperative: "大山玉米合作社"}},
		{name: "region by name, english roles, +86 phone, full-width separators",
			row:  datasets.Row{"name": "李四", "phone": "+86 138-0000-2222", "roles": "broker/maker", "region": "沈阳市和平区", "crops": "水稻：5亩；蔬菜"},
			want: &Person{Name: "李四", Phone: "13800002222", Roles: []string{RoleBroker, RoleMaker}, Region: "210102", Crops: []Crop{{"水稻", 5}, {"蔬菜", 0}}, Livestock: []Livestock{}}},
		{name: "abolished code maps to successor, empty roles default to farmer",
			row:  datasets.Row{"name": "赵五", "phone": "13900003333", "region": "210122"},
			want: &Person{Name: "赵五", Phone: "13900003333", Roles: []string{RoleFarmer}, Region: "210115", Crops: []Crop{}, Livestock: []Livestock{}}},
		{name: "bad phone", row: datasets.Row{"name": "甲", "phone": "12345", "region": "210102"}, badCols: []string{"phone"}},
		{name: "masked phone", row: datasets.Row{"name": "甲", "phone": "138****5678", "region": "210102"}, badCols: []string{"phone"}},
		{name: "unknown region", row: datasets.Row{"name": "甲", "phone": "13800004444", "region": "110101"}, badCols: []string{"region"}},
		{name: "city only", row: datasets.Row{"name": "甲", "phone": "13800004444", "region": "沈阳市"}, badCols: []string{"region"}},
		{name: "negative area", row: datasets.Row{"name": "甲", "phone": "13800004444", "region": "210102", "crops": "玉米:-3亩"}, badCols: []string{"crops"}},
		{name: "fractional head", row: datasets.Row{"name": "甲", "phone": "13800004444", "region": "210102", "livestock": "牛:2.5"}, badCols: []string{"livestock"}},
		{name: "unknown role", row: datasets.Row{"name": "甲", "phone": "13800004444", "region": "210102", "roles": "农户、村长"}, badCols: []string{"roles"}},
		{name: "everything missing", row: datasets.Row{}, badCols: []string{"name", "phone", "region"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := parsePerson(tc.row)
			if tc.badCols != nil {
				if err := datasetstest.RejectedFor(err, tc.badCols); err != nil {
					t.Fatalf("%v (parsed %v)", err, rec)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Key != tc.want.Phone {
				t.Errorf("key %q, want the phone %q", rec.Key, tc.want.Phone)
			}
			if got := decodeFields(t, rec.Fields); !reflect.DeepEqual(got, *tc.want) {
				t.Errorf("parsed\n %+v\nwant\n %+v", got, *tc.want)
			}
		})
	}
}

// TestFormatRoundTrip: a stored document, formatted as download cells and
// parsed back as an import row, is the same record.
func TestFormatRoundTrip(t *testing.T) {
	for _, p := range []Person{
		{ID: "a1", Name: "王大山", Phone: "13800001111", Roles: []string{RoleFarmer, RoleFamilyFarm, RoleCooperative, RoleBroker, RoleNewFarmer, RoleMaker, RoleExpert, RoleBuyer},
			Region: "210115", Address: "老大房村3组", Crops: []Crop{{"玉米", 30}, {"大豆", 10.25}, {"蔬菜", 0}}, Livestock: []Livestock{{"牛", 20}, {"蜜蜂", 0}}, Cooperative: "大山合作社",
			Verification: Verification{Status: Verified, By: "u1"}, Consent: Consent{Phone: []string{"buyer"}}},
		{ID: "b2", Name: "Ann Li", Phone: "19900000000", Roles: []string{RoleExpert}, Region: "211402", Crops: []Crop{}, Livestock: []Livestock{}},
	} {
		raw, err := bson.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		cells, err := Dataset.Format(raw)
		if err != nil {
			t.Fatal(err)
		}
		if len(cells) != len(Dataset.Columns) {
			t.Fatalf("%d cells for %d columns", len(cells), len(Dataset.Columns))
		}
		row := datasets.Row{}
		for i, col := range Dataset.Columns {
			if cells[i] != "" {
				row[col.Name] = cells[i]
			}
		}
		rec, err := Dataset.Parse(row)
		if err != nil {
			t.Fatalf("parse %v: %v", cells, err)
		}
		want := datasets.Record{Key: p.Phone, Fields: profileFields(&p)}
		gotRaw, _ := bson.Marshal(rec.Fields)
		wantRaw, _ := bson.Marshal(want.Fields)
		if rec.Key != want.Key || !bytes.Equal(gotRaw, wantRaw) {
			t.Errorf("round trip of %s:\n cells %q\n got  %v\n want %v", p.ID, cells, bson.Raw(gotRaw), bson.Raw(wantRaw))
		}
	}
}

func TestCellFormats(t *testing.T) {
	if got := formatCrops([]Crop{{"玉米", 30}, {"大豆", 10.5}, {"蔬菜", 0}}); got != "玉米:30亩;大豆:10.5亩;蔬菜" {
		t.Errorf("crops %q", got)
	}
	if got := formatLivestock([]Livestock{{"牛", 20}, {"鸡", 0}}); got != "牛:20;鸡" {
		t.Errorf("livestock %q", got)
	}
	if got := formatRoles([]string{RoleBuyer, RoleFarmer}); got != "农户、采购商" {
		t.Errorf("roles %q", got)
	}
}

func decodeFields(t *testing.T, fields bson.D) Person {
	t.Helper()
	raw, err := bson.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	var p Person
	if err := bson.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	return p
}
