package prices

import (
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
)

// Sources of a price point.
const (
	Source12316   = "12316"   // entered by 12316 staff (POST /prices)
	SourceAuction = "auction" // a closed auction of this platform (RecordAuction)
	SourceImport  = "import"  // a file imported into the dataset
)

// AuctionMarket is the market name of prices from the platform's auctions.
const AuctionMarket = "12316 网上拍卖"

// maxPriceFen bounds a price per unit (fen): 1,000,000 元 per unit.
const maxPriceFen = 100_000_000

// Point is one price observation: a commodity at a market on a day.
type Point struct {
	ID        string `bson:"_id"`
	Key       string `bson:"key"`
	Commodity string `bson:"commodity"`
	Variety   string `bson:"variety"`
	Market    string `bson:"market"`
	Region    string `bson:"region"` // GB/T 2260, canonical
	Date      string `bson:"date"`   // YYYY-MM-DD, Shanghai
	Unit      string `bson:"unit"`   // 斤, 公斤, 吨, 个 …
	MinPrice  int64  `bson:"minPrice"`
	AvgPrice  int64  `bson:"avgPrice"`
	MaxPrice  int64  `bson:"maxPrice"`
	Source    string `bson:"source"`
	AuctionID string `bson:"auctionId"`
}

// View is a price point as the API shows it. Prices are fen per unit.
type View struct {
	ID        string `json:"id"`
	Commodity string `json:"commodity"`
	Variety   string `json:"variety"`
	Market    string `json:"market"`
	Region    string `json:"region"`
	Date      string `json:"date"`
	Unit      string `json:"unit"`
	MinPrice  int64  `json:"minPrice"`
	AvgPrice  int64  `json:"avgPrice"`
	MaxPrice  int64  `json:"maxPrice"`
	Source    string `json:"source"`
	AuctionID string `json:"auctionId,omitempty"`
}

func (p *Point) view() View {
	return View{ID: p.ID, Commodity: p.Commodity, Variety: p.Variety, Market: p.Market, Region: p.Region,
		Date: p.Date, Unit: p.Unit, MinPrice: p.MinPrice, AvgPrice: p.AvgPrice, MaxPrice: p.MaxPrice,
		Source: p.Source, AuctionID: p.AuctionID}
}

// normalise checks a point made from any input (a file row, a request, an
// auction) and puts region, date and unit in their stored forms. It
// returns the offending fields; an empty map means the point is valid.
func (p *Point) normalise() map[string]string {
	bad := map[string]string{}
	p.Unit = unitOf(p.Unit)
	for _, f := range []struct {
		name, v  string
		required bool
	}{{"commodity", p.Commodity, true}, {"variety", p.Variety, false}, {"market", p.Market, true}, {"unit", p.Unit, true}} {
		switch n := utf8.RuneCountInString(f.v); {
		case n == 0 && f.required:
			bad[f.name] = "is required"
		case n > 50:
			bad[f.name] = "must be at most 50 characters"
		}
	}
	if code, ok := datasets.RegionCell(p.Region); ok {
		p.Region = code
	} else {
		bad["region"] = "must be a Liaoning region (GB/T 2260 code or name)"
	}
	if d, ok := datasets.ParseDayCell(p.Date); ok {
		p.Date = d
	} else {
		bad["date"] = "must be a date YYYY-MM-DD"
	}
	checkPrices(bad, p.MinPrice, p.AvgPrice, p.MaxPrice)
	switch p.Source {
	case Source12316, SourceImport:
	case SourceAuction:
		if p.AuctionID == "" {
			bad["auctionId"] = "is required for prices from auctions"
		}
	default:
		bad["source"] = "must be one of: 12316 auction import"
	}
	checkKeyParts(bad, p)
	return bad
}

// unitOf is a unit as stored: without the 元/ files put before it, as the
// price's unit (元/斤 → 斤), and trimmed, so that it downloads and imports
// back as itself.
func unitOf(s string) string {
	for {
		rest, ok := strings.CutPrefix(strings.TrimSpace(s), "元/")
		if !ok {
			return strings.TrimSpace(s)
		}
		s = rest
	}
}

// checkKeyParts refuses "|" in the fields key joins with it: "a|b" + "c"
// and "a" + "b|c" would share a key, and importing one quote would
// overwrite the other.
func checkKeyParts(bad map[string]string, p *Point) {
	parts := map[string]string{"commodity": p.Commodity, "variety": p.Variety, "market": p.Market}
	if p.Source == SourceAuction {
		parts = map[string]string{"auctionId": p.AuctionID}
	}
	for name, v := range parts {
		if strings.Contains(v, "|") {
			bad[name] = "must not contain | (it separates the parts of the price's key)"
		}
	}
}

func checkPrices(bad map[string]string, lo, avg, hi int64) {
	inRange := true
	for name, v := range map[string]int64{"minPrice": lo, "avgPrice": avg, "maxPrice": hi} {
		if v < 1 || v > maxPriceFen {
			bad[name] = "must be a price from 1 fen to 1,000,000 元"
			inRange = false
		}
	}
	if inRange && !(lo <= avg && avg <= hi) {
		bad["avgPrice"] = "must lie between minPrice and maxPrice"
	}
}

// key is the natural key of a point: one quote per commodity, variety,
// market, day and source. An auction's price is keyed by the auction
// alone, so that recording a close twice stores it once, while two
// auctions of one commodity on one day are two points.
func (p *Point) key() string {
	if p.Source == SourceAuction {
		return "auction|" + p.AuctionID
	}
	return strings.Join([]string{p.Commodity, p.Variety, p.Market, p.Date, p.Source}, "|")
}

// fields are the stored fields of a normalised point (no _id).
func (p *Point) fields() bson.D {
	return bson.D{
		{Key: "key", Value: p.key()}, {Key: "commodity", Value: p.Commodity}, {Key: "variety", Value: p.Variety},
		{Key: "market", Value: p.Market}, {Key: "region", Value: p.Region}, {Key: "date", Value: p.Date},
		{Key: "unit", Value: p.Unit}, {Key: "minPrice", Value: p.MinPrice}, {Key: "avgPrice", Value: p.AvgPrice},
		{Key: "maxPrice", Value: p.MaxPrice}, {Key: "source", Value: p.Source}, {Key: "auctionId", Value: p.AuctionID},
	}
}
