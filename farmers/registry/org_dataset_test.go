package registry

import (
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
)

func TestParseOrg(t *testing.T) {
	for _, tc := range []struct {
		name    string
		row     datasets.Row
		want    *Organisation // profile fields expected
		badCols []string      // columns the row is rejected for
	}{
		{name: "full row, Chinese type, landline, members with unit",
			row: datasets.Row{"name": "丹东市东港市绿源草莓种植专业合作社", "creditCode": "91350100m000100y43", "type": "农民专业合作社",
				"region": "东港市", "address": "椅圈镇前进村", "leaderName": "李宝山", "leaderPhone": "0415-2345678",
				"members": "128人", "products": "草莓:300亩;蓝莓", "established": "2013/5/8"},
			want: &Organisation{Key: "91350100M000100Y43", Type: OrgCooperative, Name: "丹东市东港市绿源草莓种植专业合作社",
				CreditCode: "91350100M000100Y43", Region: "210681", Address: "椅圈镇前进村", LeaderName: "李宝山",
				LeaderPhone: "04152345678", Members: 128, Products: []Crop{{"草莓", 300}, {"蓝莓", 0}}, Established: "2013-05-08"}},
		{name: "no code: keyed by county and name; type from the name",
			row:  datasets.Row{"name": "李家家庭农场", "region": "210115", "leaderPhone": "+86 138-0000-1111"},
			want: &Organisation{Key: "210115/李家家庭农场", Type: OrgFamilyFarm, Name: "李家家庭农场", Region: "210115", LeaderPhone: "13800001111", Products: []Crop{}}},
		{name: "English type",
			row:  datasets.Row{"name": "沈阳鑫盛果蔬批发有限公司", "type": "buyer", "region": "沈阳市和平区"},
			want: &Organisation{Key: "210102/沈阳鑫盛果蔬批发有限公司", Type: OrgBuyer, Name: "沈阳鑫盛果蔬批发有限公司", Region: "210102", Products: []Crop{}}},
		{name: "bad check character", row: datasets.Row{"name": "甲合作社", "region": "210102", "creditCode": "91350100M000100Y44"}, badCols: []string{"creditCode"}},
		{name: "company without type", row: datasets.Row{"name": "辽宁禾丰农业发展有限公司", "region": "210102"}, badCols: []string{"type"}},
		{name: "unknown type", row: datasets.Row{"name": "甲", "type": "村委会", "region": "210102"}, badCols: []string{"type"}},
		{name: "city only", row: datasets.Row{"name": "甲合作社", "region": "丹东市"}, badCols: []string{"region"}},
		{name: "bad phone, members, date, products",
			row:     datasets.Row{"name": "甲合作社", "region": "210102", "leaderPhone": "12345", "members": "很多", "established": "去年", "products": "草莓:-1亩"},
			badCols: []string{"leaderPhone", "members", "established", "products"}},
		{name: "everything missing", row: datasets.Row{}, badCols: []string{"name", "type", "region"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := parseOrg(tc.row)
			if tc.badCols != nil {
				if err := datasetstest.RejectedFor(err, tc.badCols); err != nil {
					t.Fatalf("%v (parsed %v)", err, rec)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Key != tc.want.Key {
				t.Errorf("key %q, want %q", rec.Key, tc.want.Key)
			}
			var got Organisation
			raw, _ := bson.Marshal(rec.Fields)
			if err := bson.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, *tc.want) {
				t.Errorf("parsed\n %+v\nwant\n %+v", got, *tc.want)
			}
			if _, has := bson.Raw(raw).Lookup("creditCode").StringValueOK(); has != (tc.want.CreditCode != "") {
				t.Errorf("creditCode stored %v, want only when known (sparse index)", has)
			}
		})
	}
}

// TestOrgRoundTrip: stored as the importer stores it, downloaded, and read
// back, every record is the same.
func TestOrgRoundTrip(t *testing.T) {
	for _, row := range []datasets.Row{
		{"name": "丹东市东港市绿源草莓种植专业合作社", "creditCode": "91350100M000100Y43", "type": "合作社", "region": "210681",
			"address": "椅圈镇前进村", "leaderName": "李宝山", "leaderPhone": "13800001111", "members": "128",
			"products": "草莓:300.5亩;蓝莓;生猪", "established": "2013-05-08"},
		{"name": "李家家庭农场", "region": "210115"},
		{"name": "沈阳鑫盛果蔬批发有限公司", "type": "采购商", "region": "210102", "leaderPhone": "024-23456789"},
		{"name": "辽宁禾丰农业发展有限公司", "type": "company", "region": "210102", "members": "0"},
	} {
		rec, err := parseOrg(row)
		if err != nil {
			t.Fatalf("%v: %v", row, err)
		}
		if err := datasetstest.RoundTrip(OrgDataset, rec); err != nil {
			t.Error(err)
		}
	}
	if got := len(formatOrg(&Organisation{})); got != len(OrgDataset.Columns) {
		t.Errorf("%d cells for %d columns", got, len(OrgDataset.Columns))
	}
}

// TestOrgMask: the leader's data is masked under the organisation's
// consent like a person's; the organisation itself is public.
func TestOrgMask(t *testing.T) {
	o := Organisation{ID: "o1", Type: OrgCooperative, Name: "绿源合作社", Region: "210681", Address: "前进村",
		LeaderName: "李宝山", LeaderPhone: "13812345678", Consent: Consent{Phone: []string{"buyer"}},
		Verification: Verification{Status: Verified, By: "staff1"}}
	buyer := viewer{audience: "buyer"}
	ov, cells, masked := buyer.showOrg(o)
	if ov.LeaderName != "李**" || ov.LeaderPhone != "13812345678" || ov.Address != "" || ov.Name != "绿源合作社" ||
		!reflect.DeepEqual(masked, []string{FieldName, FieldLocation}) || ov.Consent != nil || ov.Verification.By != "" {
		t.Errorf("buyer sees %+v masked %v", ov, masked)
	}
	if cells[7] != "李**" || cells[6] != "" {
		t.Errorf("buyer's cells %q", cells)
	}
	if ov, _, _ := (viewer{audience: "finance"}).showOrg(Organisation{Name: "无负责人合作社"}); ov.LeaderPhone != "" || ov.LeaderName != "" {
		t.Errorf("an organisation without a leader shows %+v", ov)
	}
	for _, v := range []viewer{{staff: true}, {audience: "platform", phone: "13812345678"}} {
		if ov, _, masked := v.showOrg(o); ov.LeaderName != "李宝山" || ov.Address != "前进村" || len(masked) != 0 || ov.Consent == nil {
			t.Errorf("%+v sees %+v", v, ov)
		}
	}
}
