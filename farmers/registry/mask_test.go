package registry

import (
	"slices"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
)

// TestMaskMatrix: every consentable field × consent given to the caller's
// audience, to another audience or to none × kind of caller.
func TestMaskMatrix(t *testing.T) {
	base := Person{ID: "p1", Name: "王大山", Phone: "13812345678", Region: "210115", Address: "老大房村",
		Verification: Verification{Status: Verified, By: "staff1", Note: "电话核实"}}
	callers := map[string]viewer{
		"buyer key":   viewerOf(&access.Caller{KeyID: "k1", OrgID: "o1", Audience: access.AudienceBuyer}),
		"finance key": viewerOf(&access.Caller{KeyID: "k2", OrgID: "o2", Audience: access.AudienceFinance}),
		"platform":    viewerOfUser(&farmers.User{ID: "u1", Phone: "13900000000", Roles: []string{farmers.RoleBuyer}}),
		"staff":       viewerOfUser(&farmers.User{ID: "u2", Phone: "13900000001", Roles: []string{farmers.RoleOrganizer}}),
		"the person":  viewerOfUser(&farmers.User{ID: "u3", Phone: "13812345678", Roles: []string{farmers.RoleFarmer}}),
	}
	full := map[string]string{FieldName: "王大山", FieldPhone: "13812345678", FieldLocation: "老大房村"}
	masked := map[string]string{FieldName: "王**", FieldPhone: "138****5678", FieldLocation: ""}
	shown := func(p PersonView, field string) string {
		return map[string]string{FieldName: p.Name, FieldPhone: p.Phone, FieldLocation: p.Address}[field]
	}
	for _, field := range ConsentFields {
		for consentName, audiences := range map[string][]string{
			"none": nil, "buyer": {access.AudienceBuyer}, "platform": {access.AudiencePlatform},
			"buyer+finance": {access.AudienceBuyer, access.AudienceFinance},
		} {
			p := base
			switch field {
			case FieldName:
				p.Consent.Name = audiences
			case FieldPhone:
				p.Consent.Phone = audiences
			case FieldLocation:
				p.Consent.Location = audiences
			}
			for callerName, v := range callers {
				seesAll := callerName == "staff" || callerName == "the person"
				want := seesAll || slices.Contains(audiences, v.audience)
				pv := v.view(p)
				got := shown(pv, field)
				if want && got != full[field] || !want && got != masked[field] {
					t.Errorf("%s, consent %s to %s: %s shown as %q", callerName, field, consentName, field, got)
				}
				if want == slices.Contains(pv.Masked, field) {
					t.Errorf("%s, consent %s to %s: masked %v", callerName, field, consentName, pv.Masked)
				}
				// The other two fields stay masked for non-owners whatever this consent says.
				for _, other := range ConsentFields {
					if other != field && !seesAll && shown(pv, other) != masked[other] {
						t.Errorf("%s: %s leaked as %q by consent to %s", callerName, other, shown(pv, other), field)
					}
				}
				if seesAll != (pv.Consent != nil) || seesAll != (pv.Verification.By != "") {
					t.Errorf("%s: consent %v, verified by %q", callerName, pv.Consent, pv.Verification.By)
				}
				if pv.Region != "210115" || pv.Verification.Status != Verified {
					t.Errorf("%s: public fields changed: %+v", callerName, pv)
				}
			}
		}
	}
}

func TestMaskShapes(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "138****5678", "123": "****"} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"欧阳修": "欧**", "李": "李**", "": "", "Ann": "A**"} {
		if got := maskName(in); got != want {
			t.Errorf("maskName(%q) = %q", in, got)
		}
	}
}
