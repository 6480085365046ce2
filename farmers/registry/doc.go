// Package registry is the 12316 registry of farmers and agri-businesses
// (农业经营主体名录): farmers, family farms, cooperative members, rural
// brokers, new farmers, agri-makers, experts and buyers, opened to third
// parties with the people's consent.
//
// # Storage
//
// One collection, registry_people, one document per person (Person): a
// random id (never the phone), the profile (name, phone, roles, county,
// address, crops, livestock, cooperative), verification, consent, source
// and timestamps. The phone has a unique index: it is the importer's key
// (dataset "people") and what makes one person one entry; a signed-in
// user's entry is the one with their account's phone. Profile edits —
// imports, staff, the person — $set only the profile fields, so consent and
// verification survive them.
//
// A second collection, registry_organisations, holds organisations
// (Organisation, org.go): cooperatives (合作社), family farms (家庭农场),
// agricultural companies (农业企业) and buyers (采购商), with a random id,
// the unified social credit code (optional; its GB 32100 check character
// is verified, creditcode.go), county, address, leader name and phone,
// members, products with areas, establishment date, verification, consent,
// source and timestamps. Its natural key (dataset "organisations", stored
// as key with a unique index) is the credit code when present, else
// county + "/" + name. Three unique indexes back it: key, credit code
// (sparse: absent codes are skipped) and (region, name), since
// registration rules forbid two same-named organisations in one county.
// So a file row without a code for an organisation stored with one is
// rejected ("conflicts … on a unique field") rather than made a second
// organisation. Staff writes go through the dataset's own Parse.
//
// A person's cooperative stays a name (files carry names). When an
// organisation of that name is registered in the person's county, or else
// in their city, the person's view carries its id as cooperativeId,
// resolved at read time with one query per page (coops.go);
// GET /registry/organisations/{id}/members lists the people it resolves.
//
// # Masking
//
// Consentable fields are name, phone and location (address). A caller
// that is not staff (an API key, or a signed-in user without the organizer
// or admin role) sees each only if the person consented to show it to the
// caller's audience (an organisation's kind; "platform" for signed-in
// users); otherwise the name is the surname + "**", the phone 138****5678,
// and the address is dropped (the county stays). Consent is opt-in.
// Staff and the person themself see everything, plus consent settings and
// who verified; others see the verification status and date only. Views
// say which fields they masked. JSON, CSV and the access log all come from
// one masking (viewer.show), so they cannot disagree.
//
// An organisation itself (name, code, kind, county, members, products) is
// public to the registry scope; its leader's name and phone and its
// address are masked the same way (viewer.maskContact), under the
// organisation's own Consent, which staff or the leader (signed in with
// the leader's phone) set through PUT /registry/organisations/{id}/consent.
// A leader is to the organisation what a person is to their entry: they
// see it all. A name search (q)
// by anyone but staff only matches people who show their name to that
// audience: otherwise it would reveal masked names. Organisations' names
// are public, so their q matches any part of the name for everyone.
//
// # Access log
//
// Every answer to an API key (an organisation, the third party a person
// consents to) that holds a person's entry writes one registry_access_log
// document per person: organisation, audience, key, fields sent in full and
// masked, route, request id, time. Pages and single entries are logged with
// one insert after the answer is built and before it is sent; if the
// insert fails the request fails. Downloads stream after the handler
// returns, so they are logged ahead: one read of the matching entries'
// consent, logged in batches, then the stream; a row whose disclosure
// differs from what was logged ahead (added or re-consented meanwhile) is
// logged on its own before it is written. Reads by staff and by signed-in
// users are not logged: staff keep the registry, and platform users are not
// third parties (what they see is governed by the same consent, audience
// "platform"). A person reads their log at GET /me/access-log.
//
// Showing an organisation that holds personal data (a leader or an
// address) to a key is logged the same way, with organisation set. The
// line goes under the leader's own entry when one has the leader's phone
// (looked up once per page or batch), so the leader sees it in their log;
// otherwise it is kept under the organisation alone (person "") for audit,
// and is not moved if the leader registers later.
//
// # Files
//
// Lists in cells are ";"-separated, crops (and organisations' products)
// "玉米:30亩;大豆:10.5亩", livestock "牛:20;羊:100", roles "农户、合作社"
// (see cells.go). Format writes these forms, so Parse(Format(doc)) gives
// the stored profile back.
//
// # Routes (under /api/v1)
//
//	GET  /registry/people                    registry:read (key or user); filters, paging, ?format=csv|json
//	GET  /registry/people/{id}               registry:read
//	POST /registry/people                    staff
//	PUT  /registry/people/{id}               staff
//	POST /registry/people/{id}/verification  staff
//	GET  /registry/organisations             registry:read; type, region, crop, verified, q; ?format=csv|json
//	GET  /registry/organisations/{id}        registry:read
//	POST /registry/organisations             staff
//	PUT  /registry/organisations/{id}        staff
//	POST /registry/organisations/{id}/verification  staff
//	PUT  /registry/organisations/{id}/consent       staff or the leader
//	GET  /registry/organisations/{id}/members       registry:read; the people list's filters
//	GET  /me/profile, PUT /me/profile        the signed-in user's own entry (created on first PUT)
//	GET  /me/consent, PUT /me/consent        their consent settings
//	GET  /me/access-log                      who looked at their data
package registry
