package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestBrowserAuction: a farmer signs up and puts a lot up with a photo from
// a phone; two buyers, each in a browser context of their own, bid by tap
// and by typed amount and see each other's bids live with who leads; one
// loses the network, is shown disconnected, and on coming back catches up
// with the bids placed meanwhile; at the end every page shows the winner.
func TestBrowserAuction(t *testing.T) {
	ts := testserver.Start(t)
	b := newBrowser(t)
	farmer := b.tab("farmer", ts.URL, true)

	// Sign-up by mobile number.
	farmer.open("#/register")
	farmer.shot("register")
	phone := testserver.NewPhone()
	farmer.fill("input[name=phone]", phone)
	farmer.fill("input[name=name]", "王大山")
	farmer.fill("input[name=password]", "farmer-pass-1")
	farmer.tap("#submit")
	farmer.waitText("#who", "王大山", 10*time.Second)

	// A sell auction from the phone, with a photo. Ends ~35 s from now.
	farmer.open("#/new")
	endsAt := time.Now().Add(35 * time.Second)
	farmer.fill("[name=title]", "丹东草莓 红颜 一级 200斤")
	farmer.fill("[name=commodity]", "草莓")
	farmer.fill("[name=quantity]", "200")
	farmer.fill("[name=variety]", "红颜")
	farmer.fill("[name=origin]", "210600")
	farmer.fill("[name=startPrice]", "15")
	farmer.fill("[name=increment]", "0.50")
	farmer.fill("[name=endsAt]", endsAt.In(shanghai).Format("2006-01-02T15:04:05"))
	farmer.fill("[name=extendSeconds]", "0")
	photo := filepath.Join(t.TempDir(), "lot.png")
	if err := os.WriteFile(photo, tinyPNG, 0o644); err != nil {
		t.Fatal(err)
	}
	farmer.do(chromedp.SetUploadFiles(chromedp.CSS("input[name=photo]"), []string{photo}))
	farmer.shot("create-auction")
	farmer.tap("#create")
	farmer.wait("the new auction's page", `/^#\/auctions\/[0-9a-f]{24}$/.test(location.hash) && document.querySelector('#price')`, 15*time.Second)
	id := strings.TrimPrefix(js[string](farmer, `location.hash`), "#/auctions/")
	farmer.waitText("#price", "¥15.00/斤", 5*time.Second)
	farmer.waitText("#standing", "您发布的", 5*time.Second)
	a := ts.Get(id)
	if a.Owner == "" || a.StartPrice != 1500 || a.Increment != 50 || a.EndsAt.Sub(endsAt).Abs() > time.Second {
		t.Fatalf("the form made %+v (ends %v, want %v)", a, a.EndsAt, endsAt)
	}
	var full struct{ Photos []string }
	ts.Do("GET", "/api/v1/auctions/"+id, "", nil).Decode(t, &full)
	if len(full.Photos) != 1 {
		t.Fatalf("photo not uploaded: %v", full.Photos)
	}
	farmer.wait("the photo to show", `document.querySelector('img.lot-photo')?.complete && document.querySelector('img.lot-photo').naturalWidth === 1`, 5*time.Second)

	// Buyer 1 logs in through the page; buyer 2 arrives signed in.
	u1, u2 := ts.Register("buyer"), ts.Register("buyer")
	b1 := b.tab("buyer1", ts.URL, true)
	b1.open("#/login")
	b1.fill("input[name=phone]", u1.Phone)
	b1.fill("input[name=password]", "secret-123")
	b1.tap("#submit")
	b1.waitText("#who", "测试buyer", 10*time.Second)
	b2 := b.tab("buyer2", ts.URL, false)
	b2.signIn(u2, "沈阳果蔬批发", "buyer")

	for _, p := range []*tab{b1, b2} {
		p.open("#/auctions/" + id)
		p.wait("connected", `document.querySelector('#conn')?.dataset.state === 'open'`, 10*time.Second)
		p.waitText("#conn", "已连接", time.Second)
		p.waitText("#standing", "您还未出价", 5*time.Second)
	}
	// The countdown runs on the server's clock.
	left := b1.text("#countdown")
	if !strings.HasPrefix(left, "剩余 00:") {
		t.Fatalf("countdown %q", left)
	}

	// Buyer 1 taps the least bid: 15.00. Both see it; buyer 1 leads.
	b1.tap(`#quick button[data-steps="1"]`)
	b1.waitText("#standing", "您当前领先", 5*time.Second)
	b2.waitText("#price", "¥15.00/斤", 5*time.Second)
	b2.waitText("#history", "¥15.00/斤", 5*time.Second)
	b2.waitText("#bid-count", "1 次出价", 5*time.Second)

	// Buyer 2 taps "+1 step" (16.00): buyer 1 is told at once it was outbid.
	b2.tap(`#quick button[data-steps="2"]`)
	b2.waitText("#standing", "您当前领先", 5*time.Second)
	b1.waitText("#price", "¥16.00/斤", 5*time.Second)
	b1.waitText("#standing", "您已被超越", 5*time.Second)
	b1.shot("auction-outbid")

	// Buyer 1 types an amount too low, is told why, then a good one.
	b1.fill("#amount", "16.2")
	b1.tap("#custom-bid button[type=submit]")
	b1.waitText("#bid-msg", "出价不够高", 5*time.Second)
	b1.fill("#amount", "17")
	b1.tap("#custom-bid button[type=submit]")
	b1.waitText("#standing", "您当前领先", 5*time.Second)
	b2.waitText("#price", "¥17.00/斤", 5*time.Second)
	b2.waitText("#standing", "您已被超越", 5*time.Second)
	b1.shot("auction-leading")

	// Buyer 2's phone loses its network: the page says so, in words.
	b2.setOffline(true)
	b2.waitText("#conn", "已断开", 10*time.Second)
	// Meanwhile buyer 1 bids twice through the API; buyer 2 cannot see it yet.
	ts.MustBid(u1.Token, id, 1800)
	ts.MustBid(u1.Token, id, 1900)
	time.Sleep(300 * time.Millisecond)
	if p := b2.text("#price"); p != "¥17.00/斤" {
		t.Fatalf("offline page shows %q: is it really offline?", p)
	}
	b2.shot("auction-offline")
	// Back online: it reconnects by itself and catches up, in order.
	b2.setOffline(false)
	b2.wait("reconnected", `document.querySelector('#conn')?.dataset.state === 'open'`, 20*time.Second)
	b2.waitText("#conn", "已连接", time.Second)
	b2.waitText("#price", "¥19.00/斤", 5*time.Second)
	b2.waitText("#bid-count", "5 次出价", 5*time.Second)
	seqs := js[[]string](b2, `[...document.querySelectorAll('#history li')].map((li) => li.dataset.seq)`)
	if strings.Join(seqs, ",") != "5,4,3,2,1" {
		t.Fatalf("history after the reconnect: %v, want 5,4,3,2,1 (newest first, none twice)", seqs)
	}
	farmer.waitText("#price", "¥19.00/斤", 5*time.Second)

	// The close: the winner is told; the other buyer and the farmer see who won.
	wait := time.Until(endsAt) + 15*time.Second
	b1.waitText("#winner", "您赢得了本场竞拍，成交价 ¥19.00/斤", wait)
	b2.waitText("#winner", "成交：", 5*time.Second)
	b2.waitText("#standing", "成交：", time.Second)
	farmer.waitText("#winner", "¥19.00/斤", 5*time.Second)
	farmer.waitText("#status", "已结束", time.Second)
	if js[int](b1, `document.querySelectorAll('#quick button:not([disabled])').length`) != 0 {
		t.Fatal("bid buttons still enabled after the close")
	}
	b1.shot("auction-won")
	if a := ts.Get(id); a.Result == nil || a.Result.Winner == nil || *a.Result.Winner != u1.ID || a.Result.Price != 1900 {
		t.Fatalf("result %+v", a.Result)
	}

	// My won lots and the order, with the farmer's contact.
	b1.open("#/mine/won")
	b1.waitText("#list", "丹东草莓", 5*time.Second)
	b1.open("#/orders/" + id)
	b1.waitText("#view", phone, 5*time.Second)
	b1.waitText("#view", "王大山", time.Second)
	b1.shot("order")

	// The market list at phone size, and the English switch.
	farmer.open("#/")
	farmer.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[name=status]').value = 'closed'; document.querySelector('[name=status]').dispatchEvent(new Event('change', {bubbles: true}))`))
	farmer.waitText("#auctions", "丹东草莓", 5*time.Second)
	farmer.waitText("#auctions", "¥19.00/斤", 5*time.Second)
	farmer.shot("market")
	farmer.tap("#lang")
	farmer.waitText("#nav", "Auctions", 5*time.Second)
	farmer.waitText("#auctions", "¥19.00/jin", 5*time.Second)
	if js[string](farmer, `document.documentElement.lang`) != "en" {
		t.Fatal("html lang not switched")
	}
	farmer.shot("market-en")
	farmer.tap("#lang")
	farmer.waitText("#nav", "竞拍", 5*time.Second)
}
