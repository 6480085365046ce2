package registry_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/testserver"
)

type org struct {
	ID, Type, Name, CreditCode, Region, Address, LeaderName, LeaderPhone, Source string
	Members                                                                      int64
	Masked                                                                       []string
	Consent                                                                      *struct{ Name, Phone, Location []string }
	Verification                                                                 struct{ Status, By string }
}

type orgFixture struct {
	ts                      *testserver.TS
	admin, staff, leader    testserver.User
	buyerKey                string
	coop, farm, buyer       org // coop: 东港市, led by leader; farm: 辽中区 (沈阳); buyer: 和平区 (沈阳)
	coopCode, coopName      string
	leaderEntry, memberPeer person // people naming the co-op: in its county, and in another city
}

// coopCode is the GB 32100 worked example: a valid code.
const coopCode = "91350100M000100Y43"

// setUpOrgs: a strawberry co-op in 东港市 whose leader has a registry entry
// and an account, a family farm in 辽中区 without a code or leader, and a
// buyer company in 和平区, made by staff; a buyer's API key.
func setUpOrgs(t *testing.T) *orgFixture {
	ts := testserver.Start(t, testserver.WithAdmin())
	f := &orgFixture{ts: ts, admin: ts.Admin(), staff: ts.Register("buyer"), leader: ts.Register("farmer"),
		coopCode: coopCode, coopName: "丹东市东港市绿源草莓种植专业合作社"}
	ts.Grant(f.admin, f.staff, "buyer", "organizer")
	f.buyerKey, _ = ts.APIKey(f.admin, "buyer", "registry:read")
	must(t, ts.Do("PUT", v1+"/me/profile", f.leader.Token, map[string]any{"name": "李宝山", "roles": []string{"cooperative"},
		"region": "210681", "cooperative": f.coopName}), 200).Decode(t, &f.leaderEntry)
	must(t, ts.Do("POST", v1+"/registry/people", f.staff.Token, map[string]any{"name": "周树林", "phone": testserver.NewPhone(),
		"roles": []string{"farmer"}, "region": "210102", "cooperative": f.coopName}), 201).Decode(t, &f.memberPeer)
	f.coop = f.createOrg(t, map[string]any{"name": f.coopName, "creditCode": coopCode, "type": "cooperative", "region": "210681",
		"address": "椅圈镇前进村", "leaderName": "李宝山", "leaderPhone": f.leader.Phone, "members": 128,
		"products": []map[string]any{{"crop": "草莓", "areaMu": 300}}, "established": "2013-05-08"})
	f.farm = f.createOrg(t, map[string]any{"name": "李家家庭农场", "region": "210115", "products": []map[string]any{{"crop": "玉米", "areaMu": 80}}})
	f.buyer = f.createOrg(t, map[string]any{"name": "沈阳鑫盛果蔬批发有限公司", "type": "buyer", "region": "210102",
		"leaderName": "刘经理", "leaderPhone": "024-23456789"})
	return f
}

func (f *orgFixture) createOrg(t *testing.T, body map[string]any) org {
	t.Helper()
	var o org
	must(t, f.ts.Do("POST", v1+"/registry/organisations", f.staff.Token, body), 201).Decode(t, &o)
	return o
}

// TestOrgErrors: auth, unknown ids, bad input and the unique credit code
// and name.
func TestOrgErrors(t *testing.T) {
	f := setUpOrgs(t)
	good := map[string]any{"name": "铁岭金穗粮食种植专业合作社", "region": "211221"}
	path := v1 + "/registry/organisations"
	f.ts.RunScenarios(t, []testserver.Scenario{
		{Name: "list without credentials", Method: "GET", Path: path, WantStatus: 401},
		{Name: "get without credentials", Method: "GET", Path: path + "/" + f.coop.ID, WantStatus: 401},
		{Name: "create by a farmer", Method: "POST", Path: path, Token: f.leader.Token, Body: good, WantStatus: 403},
		{Name: "create anonymously", Method: "POST", Path: path, Body: good, WantStatus: 401},
		{Name: "verify by a farmer", Method: "POST", Path: path + "/" + f.coop.ID + "/verification", Token: f.leader.Token, Body: map[string]any{"status": "verified"}, WantStatus: 403},
		{Name: "get unknown", Method: "GET", Path: path + "/nope", Token: f.staff.Token, WantStatus: 404},
		{Name: "update unknown", Method: "PUT", Path: path + "/nope", Token: f.staff.Token, Body: good, WantStatus: 404},
		{Name: "verify unknown", Method: "POST", Path: path + "/nope/verification", Token: f.staff.Token, Body: map[string]any{"status": "verified"}, WantStatus: 404},
		{Name: "members of unknown", Method: "GET", Path: path + "/nope/members", Token: f.staff.Token, WantStatus: 404},
		{Name: "bad filters", Method: "GET", Path: path + "?type=village&region=110101&verified=yes", Token: f.staff.Token, WantStatus: 422, WantFields: []string{"type", "region", "verified"}},
		{Name: "bad fields", Method: "POST", Path: path, Token: f.staff.Token,
			Body:       map[string]any{"name": "辽宁禾丰农业发展有限公司", "creditCode": "91350100M000100Y44", "region": "丹东市", "leaderPhone": "12345", "established": "去年"},
			WantStatus: 422, WantFields: []string{"creditCode", "type", "region", "leaderPhone", "established"}},
		{Name: "product name with a separator", Method: "POST", Path: path, Token: f.staff.Token,
			Body: map[string]any{"name": "甲合作社", "region": "210102", "products": []map[string]any{{"crop": "玉米;大豆"}}}, WantStatus: 422, WantFields: []string{"products"}},
		{Name: "duplicate credit code", Method: "POST", Path: path, Token: f.staff.Token,
			Body: map[string]any{"name": "另一个合作社", "creditCode": strings.ToLower(coopCode), "region": "210102"}, WantStatus: 409, WantCode: "organisation_exists"},
		{Name: "same name in the same county", Method: "POST", Path: path, Token: f.staff.Token,
			Body: map[string]any{"name": "李家家庭农场", "region": "210115"}, WantStatus: 409, WantCode: "organisation_exists"},
		{Name: "same name in another county", Method: "POST", Path: path, Token: f.staff.Token,
			Body: map[string]any{"name": "李家家庭农场", "region": "210102"}, WantStatus: 201},
		{Name: "edit onto another's code", Method: "PUT", Path: path + "/" + f.buyer.ID, Token: f.staff.Token,
			Body: map[string]any{"name": "沈阳鑫盛果蔬批发有限公司", "type": "buyer", "region": "210102", "creditCode": coopCode}, WantStatus: 409, WantCode: "organisation_exists"},
		{Name: "consent by someone else", Method: "PUT", Path: path + "/" + f.coop.ID + "/consent", Token: f.ts.Register("farmer").Token,
			Body: map[string]any{"phone": []string{"buyer"}}, WantStatus: 403},
		{Name: "consent to an unknown audience", Method: "PUT", Path: path + "/" + f.coop.ID + "/consent", Token: f.leader.Token,
			Body: map[string]any{"phone": []string{"aliens"}}, WantStatus: 422, WantFields: []string{"phone"}},
		{Name: "edit keeps verification, drops a code left out", Method: "PUT", Path: path + "/" + f.coop.ID, Token: f.staff.Token,
			Body: map[string]any{"name": f.coopName, "type": "cooperative", "region": "210681", "leaderPhone": f.leader.Phone}, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var o org
				r.Decode(t, &o)
				if o.CreditCode != "" || o.Verification.Status != "unverified" || o.Source != "staff" || o.Consent == nil {
					t.Errorf("after edit: %s", r.Body)
				}
			}},
		{Name: "a person edited onto a taken phone", Method: "PUT", Path: v1 + "/registry/people/" + f.memberPeer.ID, Token: f.staff.Token,
			Body: map[string]any{"name": "周树林", "phone": f.leader.Phone, "roles": []string{"farmer"}, "region": "210102"}, WantStatus: 409, WantCode: "phone_taken"},
		{Name: "the code is free again", Method: "POST", Path: path, Token: f.staff.Token,
			Body: map[string]any{"name": "另一个合作社", "creditCode": coopCode, "region": "210102"}, WantStatus: 201},
	})
}

// TestOrgMaskingAndLog: a key sees the organisation but not its leader's
// data until the leader consents; staff and the leader see everything; the
// key's reads land in the leader's own access log.
func TestOrgMaskingAndLog(t *testing.T) {
	f := setUpOrgs(t)
	ts := f.ts
	get := func(headers []string, token string) org {
		var o org
		must(t, ts.Do("GET", v1+"/registry/organisations/"+f.coop.ID, token, nil, headers...), 200).Decode(t, &o)
		return o
	}
	key := []string{"X-API-Key", f.buyerKey}
	phone := f.leader.Phone
	o := get(key, "")
	if o.Name != f.coopName || o.CreditCode != coopCode || o.Members != 128 || o.LeaderName != "李**" ||
		o.LeaderPhone != phone[:3]+"****"+phone[7:] || o.Address != "" || !slices.Equal(o.Masked, []string{"name", "phone", "location"}) || o.Consent != nil {
		t.Errorf("key sees %+v", o)
	}
	for who, token := range map[string]string{"staff": f.staff.Token, "leader": f.leader.Token} {
		if o := get(nil, token); o.LeaderName != "李宝山" || o.LeaderPhone != phone || o.Address != "椅圈镇前进村" || len(o.Masked) != 0 || o.Consent == nil {
			t.Errorf("%s sees %+v", who, o)
		}
	}
	must(t, ts.Do("PUT", v1+"/registry/organisations/"+f.coop.ID+"/consent", f.leader.Token, map[string]any{"name": []string{"buyer"}, "phone": []string{"buyer"}}), 200)
	if o := get(key, ""); o.LeaderName != "李宝山" || o.LeaderPhone != phone || o.Address != "" || !slices.Equal(o.Masked, []string{"location"}) {
		t.Errorf("after consent, key sees %+v", o)
	}
	// A page and a download by the key: each shows the co-op once more.
	must(t, ts.Do("GET", v1+"/registry/organisations?region=210600", "", nil, key...), 200)
	csv := must(t, ts.Do("GET", v1+"/registry/organisations?format=csv&region=210600", "", nil, key...), 200)
	if body := string(csv.Body); !strings.Contains(body, "统一社会信用代码") || !strings.Contains(body, phone) || strings.Contains(body, "椅圈镇") {
		t.Errorf("CSV for the key: %s", body)
	}
	var log struct {
		Items []struct {
			Organisation, Route string
			Disclosed           []string
		}
	}
	must(t, ts.Do("GET", v1+"/me/access-log", f.leader.Token, nil), 200).Decode(t, &log)
	if len(log.Items) != 4 {
		t.Fatalf("leader's log has %d lines, want 4: %+v", len(log.Items), log.Items)
	}
	for _, it := range log.Items {
		if it.Organisation != f.coop.ID {
			t.Errorf("log line not tied to the co-op: %+v", it)
		}
	}
	if newest := log.Items[0]; newest.Route != "GET /api/v1/registry/organisations" || !slices.Equal(newest.Disclosed, []string{"name", "phone"}) {
		t.Errorf("newest line %+v", newest)
	}
}

// TestOrgFilters: type, a city with its counties, product, name part, verified.
func TestOrgFilters(t *testing.T) {
	f := setUpOrgs(t)
	must(t, f.ts.Do("POST", v1+"/registry/organisations/"+f.buyer.ID+"/verification", f.staff.Token, map[string]any{"status": "verified"}), 200)
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	for q, want := range map[string][]string{
		"type=cooperative":           {f.coop.ID},
		"type=family_farm":           {f.farm.ID},
		"region=210100":              sorted(f.farm.ID, f.buyer.ID), // 沈阳 includes 辽中区 and 和平区
		"region=210681":              {f.coop.ID},
		"region=210000":              sorted(f.coop.ID, f.farm.ID, f.buyer.ID),
		"crop=草莓":                    {f.coop.ID},
		"q=" + url.QueryEscape("绿源"): {f.coop.ID}, // part of the name, not only its start
		"q=" + url.QueryEscape("李家"): {f.farm.ID},
		"verified=true":              {f.buyer.ID},
		"type=buyer&region=210100":   {f.buyer.ID},
	} {
		got := f.ts.ListIDs(v1+"/registry/organisations?"+q, f.staff.Token)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestCooperativeID: people naming the co-op in its city link to it, on a
// page, a single read and a JSON download; one in another city does not.
// The members route lists the first.
func TestCooperativeID(t *testing.T) {
	f := setUpOrgs(t)
	ts := f.ts
	type linked struct{ ID, CooperativeID string }
	var one linked
	must(t, ts.Do("GET", v1+"/registry/people/"+f.leaderEntry.ID, f.staff.Token, nil), 200).Decode(t, &one)
	if one.CooperativeID != f.coop.ID {
		t.Errorf("single read: cooperativeId %q, want %q", one.CooperativeID, f.coop.ID)
	}
	var page struct{ Items []linked }
	must(t, ts.Do("GET", v1+"/registry/people", "", nil, "X-API-Key", f.buyerKey), 200).Decode(t, &page)
	var all []linked
	must(t, ts.Do("GET", v1+"/registry/people?format=json", f.staff.Token, nil), 200).Decode(t, &all)
	for name, items := range map[string][]linked{"page": page.Items, "download": all} {
		got := map[string]string{}
		for _, it := range items {
			got[it.ID] = it.CooperativeID
		}
		if got[f.leaderEntry.ID] != f.coop.ID || got[f.memberPeer.ID] != "" || len(got) != 2 {
			t.Errorf("%s: %v", name, got)
		}
	}
	if got := ts.ListIDs(v1+"/registry/organisations/"+f.coop.ID+"/members", f.staff.Token); !slices.Equal(got, []string{f.leaderEntry.ID}) {
		t.Errorf("members %v, want the leader only", got)
	}
}

// orgCSV is a county office's export: Chinese headers as 12316 writes them
// (aliases, not the download's titles), a landline, a row without a code.
const orgCSV = "主体名称,信用代码,类型,所在地区,理事长,联系电话,社员数,经营范围,成立时间\n" +
	"丹东市东港市丰收蓝莓种植专业合作社,91440300708461136T,合作社,东港市,王建国,0415-2345678,56人,蓝莓:120亩,2014/4/1\n" +
	"铁岭市昌图县富民畜牧养殖专业合作社,,,昌图县,孙长福,13800002222,32,生猪,2016-09-12\n" +
	"赵家家庭农场,,家庭农场,210115,赵德福,,3,玉米:150亩;大豆:40亩,20190301\n"

// TestOrgImportIdempotent: a file imported twice through the datasets
// engine changes nothing the second time, then shows in the list.
func TestOrgImportIdempotent(t *testing.T) {
	f := setUpOrgs(t)
	path := "/api/v1/datasets/organisations/imports?wait=true&filename=orgs.csv"
	for i, want := range []func(datasets.Counts) bool{
		func(c datasets.Counts) bool { return c.Rows == 3 && c.Imported == 3 },
		func(c datasets.Counts) bool { return c.Rows == 3 && c.Unchanged == 3 },
	} {
		var out struct{ Import datasets.Job }
		must(t, f.ts.Do("POST", path, f.admin.Token, orgCSV), 200).Decode(t, &out)
		if r := out.Import.Report; out.Import.State != datasets.JobDone || !want(r.Counts) {
			t.Fatalf("import %d: state %s, counts %+v, rejections %+v", i+1, out.Import.State, r.Counts, r.Rejections)
		}
	}
	// The fixture's co-op again, without its code: the same county and name
	// are taken, so the row is refused rather than made a second co-op.
	var out struct{ Import datasets.Job }
	must(t, f.ts.Do("POST", path, f.admin.Token, "名称,区划代码\n"+f.coopName+",210681\n"), 200).Decode(t, &out)
	if r := out.Import.Report; r.Rows != 1 || r.Rejected != 1 {
		t.Errorf("code-less row of a coded co-op: %+v %+v", r.Counts, r.Rejections)
	}
	var page struct{ Items []org }
	must(t, f.ts.Do("GET", v1+"/registry/organisations?region=211200", f.staff.Token, nil), 200).Decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Type != "cooperative" || page.Items[0].Source != "import" || page.Items[0].LeaderPhone != "13800002222" {
		t.Errorf("imported co-op: %+v", page.Items)
	}
}
